/*
 * html.h - pf-annotate --html: one self-contained HTML file.
 *
 * The report is made from the text listings themselves (captured from
 * stdout with the marks of tags.h), so that it shows the numbers of the
 * text view, line for line: each view (all samples, then each thread)
 * becomes a section of function tables with a heat colour per line,
 * self and total shares, the marks of inlined and called functions,
 * and each line's instructions folded under it.  No network, no
 * external file: the style and the few lines of script are inline.
 */
#ifndef PF_ANNOTATE_HTML_H
#define PF_ANNOTATE_HTML_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* stdout captured into a buffer, with listing_tags set. */
struct capture {
	FILE *saved, *mem;
	char *buf;
	size_t len;
};

void capture_begin(struct capture *c);
/* The text since capture_begin(); the caller frees it. */
char *capture_end(struct capture *c, size_t *len);

struct html_view {
	char *id;		/* "all", "t1234": the section's id */
	char *title;		/* for the view selector */
	char *text;		/* the tagged text listing */
	size_t len;
};

struct html_report {
	const char *command;	/* or NULL */
	char *summary;		/* the text header ("# ..." lines) */
	size_t summary_len;
	/* The bar of where the samples are, by kind. */
	uint64_t samples, jit, native, kernel, unknown;
	struct html_view *views;
	size_t views_nr;
};

/* Write the report to stdout. */
void html_write(const struct html_report *r);

#endif
