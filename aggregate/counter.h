/*
 * counter.h - sample counts keyed by what the samples hit.
 *
 * One counter_table per grouping (line, callsite, function, thread,
 * threadline, outside).  A counter is found or added by its key, (kind,
 * s1, s2, s3, n1, n2, n3), in constant time; which fields a grouping
 * uses (the others are 0 or NULL):
 *
 *	line		s1 FILE, n1 LINE, s2 FUNCTION
 *	callsite	s1 FILE, n1 LINE, s2 CALLER, s3 CALLEE
 *	function	kind, s1 OBJECT, s2 FUNCTION
 *	outside		kind, s1 OBJECT, s2 FUNCTION
 *	thread		n2 PID, n3 TID (s2 holds the NAME, not part of the key)
 *	threadline	n2 PID, n3 TID, s1 FILE, n1 LINE, s2 FUNCTION
 *	call		kind, s1 OBJECT, s2 CALLER, s3 FILE, n1 LINE (the
 *			caller's), kind2, s4 OBJECT, s5 CALLEE (the callee's)
 *
 * The table owns copies of the strings.  A pointer from counter_get()
 * stays valid until the next counter_get() on the same table.
 */
#ifndef PF_AGGREGATE_COUNTER_H
#define PF_AGGREGATE_COUNTER_H

#include "hash.h"
#include "record.h"

#include <stddef.h>
#include <stdint.h>

struct counter_key {
	enum sample_kind kind;
	const char *s1, *s2, *s3;	/* NULL when missing */
	uint32_t n1, n2, n3;
	enum sample_kind kind2;
	const char *s4, *s5;
};

struct counter {
	enum sample_kind kind;
	char *s1, *s2, *s3;	/* NULL when missing */
	uint32_t n1, n2, n3;
	enum sample_kind kind2;
	char *s4, *s5;
	uint64_t self;		/* thread: all samples */
	uint64_t total;		/* thread: JIT samples */
	uint64_t stamp;		/* the last sample counted in total */
};

struct counter_table {
	struct hashmap map;	/* key -> index into items */
	struct counter *items;
	size_t nr, alloc;
	char *key;		/* scratch buffer for building keys */
	size_t key_alloc;
};

void counter_table_init(struct counter_table *t);
void counter_table_release(struct counter_table *t);

/* The counter for the key, added with zero counts when new. */
struct counter *counter_get(struct counter_table *t,
			    const struct counter_key *k);

/*
 * Count sample number seq (counting from 1) in c->total, once however
 * often the sample names c.
 */
static inline void counter_add_total(struct counter *c, uint64_t seq)
{
	if (c->stamp != seq) {
		c->stamp = seq;
		c->total++;
	}
}

/*
 * Sort the counters for output: self, then total, largest first; ties
 * by kind, n2, n3, s1, n1, s2, s3, kind2, s4, s5 (missing strings
 * first), which is
 * the order of the fields in each record kind.  Afterwards the table
 * can no longer be searched, only read and released.
 */
void counter_table_sort(struct counter_table *t);

#endif
