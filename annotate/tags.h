/*
 * tags.h - marks in the text listing for pf-annotate --html.
 *
 * The HTML report is made from the text listing itself, so that the two
 * show the same numbers by construction.  Where the text alone cannot
 * say what a line is (a source line without samples and an instruction
 * row both start with a blank share column), the listing, when
 * `listing_tags` is set, writes one of these control characters; the
 * text view never has them.
 */
#ifndef PF_ANNOTATE_TAGS_H
#define PF_ANNOTATE_TAGS_H

#include <stdio.h>

#define TAG_ASM '\x1e'		/* starts a row of the instruction view */
#define TAG_LABEL '\x1d'	/* starts the "(at no source line)" row */
#define TAG_MARKS '\x1f'	/* between a row's source text and marks */

extern int listing_tags;

static inline void put_tag(char tag)
{
	if (listing_tags)
		putchar(tag);
}

#endif
