/*
 * listing.h - the annotated source listing of pf-annotate.
 *
 * The line records of a profile are grouped by source file and
 * function: files by their share of samples (the sum of SELF), hottest
 * first, and in each file its functions, hottest first.  Each function
 * is listed from its first to its last line with samples.  The same
 * code lists all samples and the samples of one thread.
 */
#ifndef PF_ANNOTATE_LISTING_H
#define PF_ANNOTATE_LISTING_H

#include "asm.h"
#include "callsites.h"
#include "nolines.h"
#include "profile.h"

#include <stddef.h>
#include <stdint.h>

struct listing_options {
	double min_percent;	/* hide functions with less of the samples */
	int numbers;		/* show counts instead of percentages */
};

/* What one listing shows: all samples, or one thread's. */
struct listing_input {
	const struct line_count *lines;	/* in any order; not changed */
	size_t lines_nr;
	uint64_t samples;		/* what the percentages are of */
	const struct callsite_index *callsites;	/* NULL: no marks */
	/* functiontotal records (call stacks): the functions' totals */
	const struct functotal_count *functotals;
	size_t functotals_nr;
	const struct noline_function *nolines;	/* most samples first */
	size_t nolines_nr;
	struct asm_view *asm_view;	/* NULL: no instructions */
	int asm_full;		/* instructions of every line, not only
				   of those with samples */
	/* source records: the text of files on no disk (notebook cells),
	   taken before the file of the same name */
	const struct source_text *texts;
	size_t texts_nr;
	int asm_hint;		/* no asm_view, but the stream has code
				   records: point at --asm where it says
				   more ("at no source line") */
};

/*
 * Print the listing of in->lines to stdout: each function's header
 * says how much of its time was at no source line (its LINE 0 record)
 * as "(P% at no source line)", and with asm_hint where --asm shows it.  Also the functions without
 * line tables as "## FUNCTION (no line table), P%" among the files by
 * their share, so that their time is shown too.  A line where calls
 * were inlined, and whose TOTAL is above its SELF, is marked with the
 * functions inlined there.  Returns how many functions were hidden by
 * min_percent.
 */
/*
 * The width of the count column for samples: 6 ("100.0%"), or with
 * numbers as many digits as samples has when more.
 */
int listing_width(uint64_t samples, const struct listing_options *opt);

size_t print_listing(const struct listing_input *in,
		     const struct listing_options *opt);

#endif
