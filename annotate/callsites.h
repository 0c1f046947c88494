/*
 * callsites.h - the calls the compiler inlined, by call site.
 *
 * pf-aggregate's callsite records name, for each line of a function
 * where a call was inlined, the function called there and the samples
 * that ran in it.  The index finds the callees of one line of one
 * function, the most samples first, for the mark after that line in
 * the listing.  Its entries point into the profile's strings.
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
};

struct callsite_index {
	struct callsite_entry *items;	/* by site, then most samples first */
	size_t nr;
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

#endif
