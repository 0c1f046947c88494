/*
 * compiling.h - which samples were taken while Numba was compiling.
 *
 * pf-record writes a compile record (docs/FORMAT.md) each time a thread
 * enters or leaves Numba's compiler and begins or ends compiling a
 * function.  Each thread's time in the compiler is cut into segments,
 * each of one kind (enum compiling_kind, record.h):
 *
 *   COMPILING_COMPILE  compiling code for this run
 *   COMPILING_CACHE    compiling a cache=True function (or code it
 *                      brings in) into the cache Numba was given: a
 *                      profiled run uses pf's own cache, so this is done
 *                      once per cache and the next run loads the code
 *   COMPILING_LOAD     loading code from Numba's cache, compiling none
 *
 * A sample outside JIT code taken in a segment, whatever code it hit
 * (Numba's compiler is mostly Python), is that segment's.  Samples are
 * placed by their TIME, so they may come in any order relative to the
 * records (pf-symbolize writes some samples late); segments are kept,
 * not samples: memory grows with the number of compilations only.
 */
#ifndef PF_AGGREGATE_COMPILING_H
#define PF_AGGREGATE_COMPILING_H

#include "hash.h"
#include "record.h"

#include <stddef.h>
#include <stdint.h>

struct compiling_segment {
	uint64_t start, end;	/* [start, end); end UINT64_MAX while open */
	uint64_t samples;
	enum compiling_kind kind;
	int loaded;		/* a function was loaded from the cache in it */
};

struct compiling_thread {
	uint32_t pid, tid;
	struct compiling_segment *seg;
	size_t nr, alloc;
	int open;		/* seg[nr - 1] is open */
	int in_compiler;	/* between enter and leave */
	unsigned depth;		/* functions being compiled, nested */
	unsigned cached_depth;	/* how many of them are cache=True */
	uint64_t last_time;
};

struct compiling_summary {
	uint64_t samples, ns;	/* samples in, time spent in, segments */
	uint64_t functions;	/* functions compiled, or loaded */
};

struct compiling_table {
	struct hashmap map;	/* (pid, tid) -> index into threads */
	struct compiling_thread *threads;
	size_t nr, alloc;
	size_t last;		/* the thread of the last look-up */
	uint64_t records;	/* compile records taken */
	uint64_t functions[3];	/* begin records (cache=True or not), loaded */
	uint64_t end_time;	/* the latest TIME of any record */
};

void compiling_init(struct compiling_table *t);
void compiling_release(struct compiling_table *t);

/* Take a compile record; -1 when it contradicts the ones before. */
int compiling_record(struct compiling_table *t,
		     const struct compile_record *c);

/* Note the TIME of any other record, for segments never closed. */
void compiling_time(struct compiling_table *t, uint64_t time);

/*
 * Count a sample of thread tid at time in the segment it falls in;
 * returns 1 when it did, 0 when the thread was not in Numba's compiler.
 */
int compiling_sample(struct compiling_table *t, uint32_t pid, uint32_t tid,
		     uint64_t time);

/* Totals per kind, segments still open closed at the latest time seen. */
void compiling_summarize(struct compiling_table *t,
			 struct compiling_summary sum[3]);

#endif
