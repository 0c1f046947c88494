/* compiling.c - see compiling.h */
#include "compiling.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void compiling_init(struct compiling_table *t)
{
	memset(t, 0, sizeof(*t));
	hashmap_init(&t->map);
}

void compiling_release(struct compiling_table *t)
{
	size_t i;

	for (i = 0; i < t->nr; i++)
		free(t->threads[i].seg);
	free(t->threads);
	hashmap_release(&t->map);
	memset(t, 0, sizeof(*t));
}

static struct compiling_thread *find_thread(struct compiling_table *t,
					    uint32_t pid, uint32_t tid,
					    int add)
{
	uint32_t key[2] = { pid, tid };
	size_t *slot;
	int added = 0;

	if (t->last < t->nr && t->threads[t->last].tid == tid &&
	    t->threads[t->last].pid == pid)
		return &t->threads[t->last];
	if (add) {
		slot = hashmap_insert(&t->map, key, sizeof(key), &added);
	} else if (!(slot = hashmap_find(&t->map, key, sizeof(key)))) {
		return NULL;
	}
	if (added) {
		ALLOC_GROW(t->threads, t->nr + 1, t->alloc);
		memset(&t->threads[t->nr], 0, sizeof(t->threads[t->nr]));
		t->threads[t->nr].pid = pid;
		t->threads[t->nr].tid = tid;
		*slot = t->nr++;
	}
	t->last = *slot;
	return &t->threads[*slot];
}

/*
 * The kind of segment s of th once it ends: time at the outermost level
 * that loaded code from the cache and compiled nothing is loading.
 */
static enum compiling_kind ended_kind(const struct compiling_thread *th,
				      const struct compiling_segment *s)
{
	return s->loaded && s->kind == COMPILING_COMPILE && !th->depth
		       ? COMPILING_LOAD
		       : s->kind;
}

/* Close the open segment at time; a loading one is known now. */
static void close_segment(struct compiling_thread *th, uint64_t time)
{
	struct compiling_segment *s;

	if (!th->open)
		return;
	s = &th->seg[th->nr - 1];
	s->end = time > s->start ? time : s->start;
	s->kind = ended_kind(th, s);
	th->open = 0;
}

static void open_segment(struct compiling_thread *th, uint64_t time,
			 enum compiling_kind kind)
{
	struct compiling_segment *s;

	/* Nothing can fall in an empty segment: reuse it. */
	if (th->nr && th->seg[th->nr - 1].start == time &&
	    th->seg[th->nr - 1].end == time && !th->seg[th->nr - 1].samples)
		th->nr--;
	ALLOC_GROW(th->seg, th->nr + 1, th->alloc);
	s = &th->seg[th->nr++];
	memset(s, 0, sizeof(*s));
	s->start = time;
	s->end = UINT64_MAX;
	s->kind = kind;
	th->open = 1;
}

int compiling_record(struct compiling_table *t, const struct compile_record *c)
{
	struct compiling_thread *th = find_thread(t, c->pid, c->tid, 1);
	enum compiling_kind kind;

	if (c->time < th->last_time)
		return -1;	/* one thread's records come in time order */
	th->last_time = c->time;
	compiling_time(t, c->time);
	t->records++;
	switch (c->what) {
	case COMPILE_ENTER:
		if (th->in_compiler)
			return -1;
		th->in_compiler = 1;
		th->depth = th->cached_depth = 0;
		open_segment(th, c->time, COMPILING_COMPILE);
		return 0;
	case COMPILE_LEAVE:
		if (!th->in_compiler)
			return -1;
		close_segment(th, c->time);
		th->in_compiler = 0;
		th->depth = th->cached_depth = 0;
		return 0;
	case COMPILE_BEGIN:
		t->functions[c->cache ? COMPILING_CACHE : COMPILING_COMPILE]++;
		if (!th->in_compiler)
			return 0;	/* a Numba that compiles without its lock */
		close_segment(th, c->time);
		th->depth++;
		th->cached_depth += c->cache != 0;
		break;
	case COMPILE_END:
		if (!th->in_compiler)
			return 0;
		close_segment(th, c->time);
		if (th->depth)
			th->depth--;
		if (c->cache && th->cached_depth)
			th->cached_depth--;
		break;
	case COMPILE_LOADED:
		t->functions[COMPILING_LOAD]++;
		if (th->open)
			th->seg[th->nr - 1].loaded = 1;
		return 0;
	case COMPILE_SAVED:
		if (!th->in_compiler)
			return 0;
		close_segment(th, c->time);
		break;
	}
	/*
	 * Time spent inside a cache=True function's compilation, and from
	 * its end until it is saved to the cache, is the cache's: the next
	 * run loads that code instead.
	 */
	kind = th->cached_depth || (c->what == COMPILE_END && c->cache)
		       ? COMPILING_CACHE
		       : COMPILING_COMPILE;
	open_segment(th, c->time, kind);
	return 0;
}

void compiling_time(struct compiling_table *t, uint64_t time)
{
	if (time > t->end_time)
		t->end_time = time;
}

int compiling_sample(struct compiling_table *t, uint32_t pid, uint32_t tid,
		     uint64_t time)
{
	struct compiling_thread *th;
	size_t lo = 0, hi;

	if (!t->nr || !(th = find_thread(t, pid, tid, 0)) || !th->nr)
		return 0;
	/* The last segment that starts at or before time. */
	hi = th->nr;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (th->seg[mid].start <= time)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || time >= th->seg[lo - 1].end)
		return 0;
	th->seg[lo - 1].samples++;
	return 1;
}

void compiling_summarize(struct compiling_table *t,
			 struct compiling_summary sum[3])
{
	size_t i, j;

	memset(sum, 0, 3 * sizeof(*sum));
	for (i = 0; i < t->nr; i++) {
		struct compiling_thread *th = &t->threads[i];

		for (j = 0; j < th->nr; j++) {
			const struct compiling_segment *s = &th->seg[j];
			uint64_t end = s->end;
			enum compiling_kind kind = s->kind;

			if (end == UINT64_MAX) {	/* never left */
				end = t->end_time > s->start ? t->end_time
							     : s->start;
				kind = ended_kind(th, s);
			}
			sum[kind].samples += s->samples;
			sum[kind].ns += end - s->start;
		}
	}
	for (i = 0; i < 3; i++)
		sum[i].functions = t->functions[i];
}
