/* threads.c - see threads.h */
#include "threads.h"
#include "hash.h"
#include "summary.h"
#include "util.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The summary names at most this many threads. */
#define THREADS_SHOWN 16

struct thread_table {
	struct hashmap map;	/* PID and TID -> index into items */
	struct thread_info *items;
	size_t nr, alloc;
};

static struct thread_info *get(struct thread_table *t, uint32_t pid,
			       uint32_t tid)
{
	uint32_t key[2] = { pid, tid };
	int added;
	size_t *slot = hashmap_insert(&t->map, key, sizeof(key), &added);

	if (added) {
		ALLOC_GROW(t->items, t->nr + 1, t->alloc);
		t->items[t->nr] = (struct thread_info){ pid, tid, NULL, 0, 0, 0 };
		*slot = t->nr++;
	}
	return &t->items[*slot];
}

static int cmp_thread(const void *pa, const void *pb)
{
	const struct thread_info *a = pa, *b = pb;
	uint64_t sa = thread_samples(a), sb = thread_samples(b);

	if (sa != sb)
		return sa > sb ? -1 : 1;
	if (a->tid != b->tid)
		return a->tid < b->tid ? -1 : 1;
	return (a->pid > b->pid) - (a->pid < b->pid);
}

struct thread_info *thread_list(const struct profile *p, size_t *nr)
{
	struct thread_table t = { HASHMAP_INIT, NULL, 0, 0 };
	struct thread_info *ti;
	size_t i;

	for (i = 0; i < p->threads_nr; i++) {
		const struct thread_count *c = &p->threads[i];

		ti = get(&t, c->pid, c->tid);
		ti->samples += c->samples;
		ti->jit += c->jit;
		if (c->name)
			ti->name = c->name;
	}
	for (i = 0; i < p->threadlines_nr; i++) {
		const struct threadline_count *c = &p->threadlines[i];

		get(&t, c->pid, c->tid)->line_self += c->line.self;
	}
	hashmap_release(&t.map);
	if (t.nr > 1)
		qsort(t.items, t.nr, sizeof(*t.items), cmp_thread);
	*nr = t.nr;
	return t.items;
}

int thread_find(const struct thread_info *t, size_t nr, uint32_t tid,
		struct thread_info *out)
{
	size_t i;
	int found = 0;

	*out = (struct thread_info){ 0, tid, NULL, 0, 0, 0 };
	for (i = 0; i < nr; i++) {
		if (t[i].tid != tid)
			continue;
		if (!found++)
			out->pid = t[i].pid;
		if (!out->name)
			out->name = t[i].name;
		out->samples += t[i].samples;
		out->jit += t[i].jit;
		out->line_self += t[i].line_self;
	}
	return found ? 0 : -1;
}

uint64_t thread_samples(const struct thread_info *t)
{
	/* Without its thread record (a bad line), what the lines have. */
	return t->samples ? t->samples : t->line_self;
}

void print_thread_name(const struct thread_info *t)
{
	printf("%" PRIu32, t->tid);
	if (t->name) {
		putchar(' ');
		print_sanitized(t->name);
	}
}

static void print_counts(uint64_t samples, uint64_t jit)
{
	printf(": %" PRIu64 " sample%s, %.1f%% in JIT code\n", samples,
	       samples == 1 ? "" : "s", percent(jit, samples));
}

void print_thread_summary(const struct thread_info *t, size_t nr)
{
	size_t i, shown;
	uint64_t rest = 0, rest_jit = 0;

	/* Sorted: threads without samples come last. */
	while (nr && !thread_samples(&t[nr - 1]))
		nr--;
	if (nr < 2)
		return;
	shown = nr > THREADS_SHOWN ? THREADS_SHOWN - 1 : nr;
	for (i = 0; i < shown; i++) {
		fputs("# thread ", stdout);
		print_thread_name(&t[i]);
		print_counts(thread_samples(&t[i]), t[i].jit);
	}
	for (; i < nr; i++) {
		rest += thread_samples(&t[i]);
		rest_jit += t[i].jit;
	}
	if (shown < nr) {
		printf("# and %zu more threads", nr - shown);
		print_counts(rest, rest_jit);
	}
}

struct process_row {
	uint32_t pid;
	uint64_t samples, jit;
};

static int cmp_process_row(const void *pa, const void *pb)
{
	const struct process_row *a = pa, *b = pb;

	if (a->samples != b->samples)
		return a->samples > b->samples ? -1 : 1;
	return (a->pid > b->pid) - (a->pid < b->pid);
}

/* Samples per process, the busiest first; *nr of them. */
static struct process_row *process_rows(const struct thread_info *t,
					size_t nr, size_t *rows_nr)
{
	struct process_row *rows = NULL;
	size_t i, j, n = 0, alloc = 0;

	for (i = 0; i < nr; i++) {
		for (j = 0; j < n && rows[j].pid != t[i].pid; j++)
			;
		if (j == n) {
			ALLOC_GROW(rows, n + 1, alloc);
			memset(&rows[n++], 0, sizeof(rows[0]));
			rows[j].pid = t[i].pid;
		}
		rows[j].samples += thread_samples(&t[i]);
		rows[j].jit += t[i].jit;
	}
	if (n)
		qsort(rows, n, sizeof(*rows), cmp_process_row);
	*rows_nr = n;
	return rows;
}

static const struct process_count *find_process(const struct profile *p,
						uint32_t pid)
{
	size_t i;

	for (i = p->procs_nr; i-- > 0;)
		if (p->procs[i].pid == pid)
			return &p->procs[i];
	return NULL;
}

#define PROCESSES_SHOWN 16

/* Whether the processes come from recordings of more than one host. */
static int many_hosts(const struct profile *p)
{
	const char *first = NULL;
	size_t i;

	for (i = 0; i < p->procs_nr; i++) {
		if (!p->procs[i].host)
			continue;
		if (!first)
			first = p->procs[i].host;
		else if (strcmp(first, p->procs[i].host))
			return 1;
	}
	return 0;
}

void print_process_summary(const struct profile *p,
			   const struct thread_info *t, size_t nr)
{
	size_t n, i, shown;
	struct process_row *rows = process_rows(t, nr, &n);
	uint64_t rest = 0, rest_jit = 0;

	while (n && !rows[n - 1].samples)
		n--;
	if (n < 2) {
		free(rows);
		return;
	}
	shown = n > PROCESSES_SHOWN ? PROCESSES_SHOWN - 1 : n;
	for (i = 0; i < shown; i++) {
		const struct process_count *c = find_process(p, rows[i].pid);
		int main_process = rows[i].pid == p->pid;
		const char *cmd = c && c->command ? c->command
				  : main_process ? p->command : NULL;
		const char *how = c && c->how ? c->how
				  : main_process ? p->exit_how : NULL;
		uint64_t status = c && c->how ? c->status
				  : main_process ? p->exit_status : 0;

		printf("# process %" PRIu32, rows[i].pid);
		if (c && c->rank)
			printf(" rank %s", c->rank);
		if (c && c->host && many_hosts(p))
			printf(" on %s", c->host);
		if (cmd)
			printf(" %s", cmd);
		else if (c && c->ppid)
			printf(" (forked from %" PRIu32 ")", c->ppid);
		printf(": %" PRIu64 " sample%s (%.1f%%), %.1f%% in JIT code",
		       rows[i].samples, rows[i].samples == 1 ? "" : "s",
		       percent(rows[i].samples, p->samples),
		       percent(rows[i].jit, rows[i].samples));
		if (how && strcmp(how, "exited"))
			printf(", killed by %s", how);
		else if (how)
			printf(", exit %" PRIu64, status);
		putchar('\n');
	}
	for (; i < n; i++) {
		rest += rows[i].samples;
		rest_jit += rows[i].jit;
	}
	if (shown < n)
		printf("# and %zu more processes: %" PRIu64 " samples (%.1f%%), "
		       "%.1f%% in JIT code\n", n - shown, rest,
		       percent(rest, p->samples), percent(rest_jit, rest));
	free(rows);
}

uint32_t *process_list(const struct thread_info *t, size_t nr, size_t *n)
{
	struct process_row *rows = process_rows(t, nr, n);
	uint32_t *pids = xcalloc(*n + 1, sizeof(*pids));
	size_t i, k = 0;

	for (i = 0; i < *n; i++)
		if (rows[i].samples)
			pids[k++] = rows[i].pid;
	*n = k;
	free(rows);
	return pids;
}

static int cmp_line_key(const void *pa, const void *pb)
{
	const struct line_count *a = pa, *b = pb;
	int c = strcmp(a->file ? a->file : "", b->file ? b->file : "");

	if (c)
		return c;
	if ((c = strcmp(a->function ? a->function : "",
			b->function ? b->function : "")))
		return c;
	return (a->line > b->line) - (a->line < b->line);
}

struct line_count *process_lines(const struct profile *p,
				 const struct thread_info *t, size_t nr,
				 uint32_t pid, size_t *lines_nr,
				 uint64_t *samples)
{
	struct line_count *lines = NULL;
	size_t i, n = 0, alloc = 0, out;

	*samples = 0;
	for (i = 0; i < nr; i++)
		if (t[i].pid == pid)
			*samples += thread_samples(&t[i]);
	for (i = 0; i < p->threadlines_nr; i++) {
		if (p->threadlines[i].pid != pid)
			continue;
		ALLOC_GROW(lines, n + 1, alloc);
		lines[n++] = p->threadlines[i].line;
	}
	if (n)
		qsort(lines, n, sizeof(*lines), cmp_line_key);
	/* One record a line: its threads' counts summed. */
	for (i = out = 0; i < n; i++) {
		if (out && !cmp_line_key(&lines[out - 1], &lines[i])) {
			lines[out - 1].self += lines[i].self;
			lines[out - 1].total += lines[i].total;
			continue;
		}
		lines[out++] = lines[i];
	}
	*lines_nr = out;
	return lines;
}

struct line_count *thread_lines(const struct profile *p,
				const struct thread_info *t, int any_pid,
				size_t *nr)
{
	struct line_count *lines = NULL;
	size_t i, alloc = 0;

	*nr = 0;
	for (i = 0; i < p->threadlines_nr; i++) {
		const struct threadline_count *c = &p->threadlines[i];

		if (c->tid != t->tid || (!any_pid && c->pid != t->pid))
			continue;
		ALLOC_GROW(lines, *nr + 1, alloc);
		lines[(*nr)++] = c->line;
	}
	return lines;
}
