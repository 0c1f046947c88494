/* ranges.c - see ranges.h */
#include "ranges.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void range_index_init(struct range_index *ri)
{
	memset(ri, 0, sizeof(*ri));
}

void range_index_release(struct range_index *ri)
{
	free(ri->range);
	free(ri->max_end);
	range_index_init(ri);
}

void range_index_add(struct range_index *ri, uint64_t start, uint64_t end,
		     uint64_t time, uint32_t pid, uint32_t owner)
{
	struct addr_range *r;

	if (end <= start)
		return;
	ALLOC_GROW(ri->range, ri->nr + 1, ri->alloc);
	r = &ri->range[ri->nr];
	r->start = start;
	r->end = end;
	r->time = time;
	r->pid = pid;
	r->owner = owner;
	r->seq = ri->nr++;
	ri->sorted = 0;
}

static int cmp_start(const void *a, const void *b)
{
	const struct addr_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void range_index_finish(struct range_index *ri)
{
	size_t i;

	if (ri->sorted)
		return;
	ri->sorted = 1;
	if (ri->nr)
		qsort(ri->range, ri->nr, sizeof(*ri->range), cmp_start);
	free(ri->max_end);
	ri->max_end = xreallocarray(NULL, ri->nr, sizeof(*ri->max_end));
	for (i = 0; i < ri->nr; i++) {
		uint64_t e = ri->range[i].end;

		ri->max_end[i] = i && ri->max_end[i - 1] > e ?
			ri->max_end[i - 1] : e;
	}
}

/* Is a a better choice than b (may be NULL) for a sample at time? */
static int better(const struct addr_range *a, const struct addr_range *b,
		  uint64_t time)
{
	int a_before, b_before;

	if (!b)
		return 1;
	a_before = a->time <= time;
	b_before = b->time <= time;
	if (a_before != b_before)
		return a_before;
	if (a->time != b->time)
		return a_before ? a->time > b->time : a->time < b->time;
	return a_before ? a->seq > b->seq : a->seq < b->seq;
}

const struct addr_range *range_lookup(const struct range_index *ri,
				      uint64_t pc, uint32_t pid,
				      uint64_t time, int flags)
{
	const struct addr_range *best = NULL;
	size_t lo = 0, hi = ri->nr;

	/* Find the first range starting after pc. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ri->range[mid].start <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Walk back over every range that may still reach pc. */
	while (lo-- > 0 && ri->max_end[lo] > pc) {
		const struct addr_range *r = &ri->range[lo];

		if (r->end <= pc)
			continue;
		if (!(flags & RANGE_ANY_PID) && r->pid && r->pid != pid)
			continue;
		if (better(r, best, time))
			best = r;
	}
	return best;
}
