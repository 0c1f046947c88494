/*
 * source.h - a source file read into memory and split into lines.
 *
 * line_text(s, n) is line n (from 1) without its line ending ("\n" or
 * "\r\n"); the text is not NUL-terminated, use its length.  The source
 * owns its memory until source_release().
 */
#ifndef PF_ANNOTATE_SOURCE_H
#define PF_ANNOTATE_SOURCE_H

#include <stddef.h>
#include <stdint.h>

struct source_line {
	const char *text;
	size_t len;
};

struct source {
	char *data;
	struct source_line *lines;	/* lines[0] is line 1 */
	size_t nr, alloc;
};

/* Read path; 0, or -1 with errno set (the source is then empty). */
int source_load(struct source *s, const char *path);

/*
 * A line of a source file carried in the stream (`source FILE LINE
 * TEXT` records): the code of a notebook cell, which is in no file.
 */
struct source_text {
	char *file, *text;
	uint32_t line;
};

/*
 * The source of path from the texts t[0..nr) that name it, lines they
 * leave out empty.  0, or -1 when none names path.
 */
int source_from_texts(struct source *s, const struct source_text *t,
		      size_t nr, const char *path);
void source_release(struct source *s);

#endif
