/*
 * nolines.h - the JIT code without line tables, by function.
 *
 * pf-aggregate's nolines records count the samples of each JIT object
 * that has no line table, under the name of its main function.  Here
 * they are merged by name (a function compiled for several argument
 * types is several objects) and sorted, most samples first.  Numba's
 * run-time helpers (NRT_*, nrt_*), which Numba always compiles without
 * debug info, are merged into one entry: their time is no sign that
 * the user's code lost its line tables.
 */
#ifndef PF_ANNOTATE_NOLINES_H
#define PF_ANNOTATE_NOLINES_H

#include "profile.h"

#include <stddef.h>
#include <stdint.h>

struct noline_function {
	const char *name;	/* points into the profile, or a constant */
	int runtime;		/* Numba's run-time helpers */
	int wrapper;		/* Numba's generated wrappers */
	uint64_t samples;
};

/*
 * The functions of p->noline_objects, merged and sorted, in a malloc'd
 * array of *nr entries (NULL when there are none).  Valid as long as p.
 */
struct noline_function *noline_functions(const struct profile *p,
					 size_t *nr);

#endif
