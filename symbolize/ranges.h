/*
 * ranges.h - which object covered an address at a given time.
 *
 * Address ranges of JIT code and of file mappings may overlap: an
 * address is reused after an object was freed or a library unmapped.
 * Each range carries the time its owner appeared; a lookup picks, among
 * the ranges that contain the address, the one that appeared last at or
 * before the sample's time, else (the sample predates them all) the
 * earliest.  Ties go to the range added last.
 *
 * range_index_add() ranges, range_index_finish(), then look up; more
 * ranges may be added later, and range_index_finish() again (it sorts
 * only when ranges came since the last time).  The index owns its
 * arrays; range_index_release() frees them.
 */
#ifndef PF_SYMBOLIZE_RANGES_H
#define PF_SYMBOLIZE_RANGES_H

#include <stddef.h>
#include <stdint.h>

struct addr_range {
	uint64_t start, end;	/* [start, end) */
	uint64_t time;		/* when the owner appeared */
	uint32_t pid;		/* the process it belongs to, 0: any */
	uint32_t owner;		/* index of the JIT object or the mapping */
	size_t seq;		/* order of addition, for ties */
};

struct range_index {
	struct addr_range *range;	/* sorted by start after finish */
	uint64_t *max_end;	/* max_end[i]: largest end in range[0..i] */
	size_t nr, alloc;
	int sorted;		/* no range added since the last finish */
};

void range_index_init(struct range_index *ri);
void range_index_release(struct range_index *ri);

/* Add [start, end); empty ranges are ignored. */
void range_index_add(struct range_index *ri, uint64_t start, uint64_t end,
		     uint64_t time, uint32_t pid, uint32_t owner);

void range_index_finish(struct range_index *ri);

/* Match any process, not only pid (and pid 0). */
#define RANGE_ANY_PID 1

/*
 * The range that held pc at time for process pid, or NULL.  Ranges
 * with pid 0 match every process.
 */
const struct addr_range *range_lookup(const struct range_index *ri,
				      uint64_t pc, uint32_t pid,
				      uint64_t time, int flags);

#endif
