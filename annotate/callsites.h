/*
 * callsites.h - the calls made at each call site, inlined or not.
 *
 * pf-aggregate's callsite records name, for each line of a function
 * where a call was inlined, the function called there and the samples
 * that ran in it; its call records (with call stacks) the same for the
 * calls that were not inlined.  The index finds the callees of one line
 * of one function, the most samples first, for the mark after that
 * line in the listing, and the callers of a function, for its header.
 * Its entries point into the profile's strings.
 */
#ifndef PF_ANNOTATE_CALLSITES_H
#define PF_ANNOTATE_CALLSITES_H

#include "profile.h"

#include <stddef.h>
#include <stdint.h>

struct callsite_entry {
	const char *file, *caller, *callee;	/* NULL when missing */
	uint32_t line;
	uint64_t total;
	int called;		/* a call record: not inlined */
	enum sample_kind caller_kind;	/* of a call record */
	const char *caller_object;
	enum sample_kind callee_kind;
	const char *callee_object;	/* of a call record */
};

struct callsite_index {
	struct callsite_entry *items;	/* by site, then most samples first */
	size_t nr;
	struct callsite_entry *callers;	/* call records, by callee */
	size_t callers_nr;
};

/* Index p->callsites; records naming the same call are merged. */
void callsite_index_init(struct callsite_index *x, const struct profile *p);
void callsite_index_release(struct callsite_index *x);

/*
 * The callees inlined at file:line of caller: *nr entries from the
 * returned one on, the most samples first; NULL when there are none.
 */
const struct callsite_entry *callsite_find(const struct callsite_index *x,
					   const char *file, uint32_t line,
					   const char *caller, size_t *nr);

/*
 * The calls (not inlined) into the function callee: *nr entries from
 * the returned one on, the most samples first; NULL when none.
 */
const struct callsite_entry *callers_find(const struct callsite_index *x,
					  const char *callee, size_t *nr);

#endif
