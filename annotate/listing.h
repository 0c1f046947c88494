/*
 * listing.h - the annotated source listing of pf-annotate.
 *
 * The line records of a profile are grouped by source file and
 * function: files by their share of samples (the sum of SELF), hottest
 * first, and in each file its functions, hottest first.  Each function
 * is listed from its first to its last line with samples.
 */
#ifndef PF_ANNOTATE_LISTING_H
#define PF_ANNOTATE_LISTING_H

#include "nolines.h"
#include "profile.h"

#include <stddef.h>

struct listing_options {
	double min_percent;	/* hide functions with less of the samples */
	int numbers;		/* show counts instead of percentages */
};

/*
 * Print the listing of p->lines (which it sorts) to stdout, and the
 * nolines_nr functions without line tables (sorted, most samples first)
 * as "## FUNCTION (no line table), P%" among the files by their share,
 * so that their time is shown too.  Returns how many functions were
 * hidden by min_percent.
 */
size_t print_listing(struct profile *p, const struct listing_options *opt,
		     const struct noline_function *nolines, size_t nolines_nr);

#endif
