/*
 * lineio.h - reading a record stream line by line.
 *
 * line_reader owns its buffer; line_reader_release() frees it.  A line
 * is returned without its newline and stays valid until the next read.
 * lineno counts from 1 so that messages can name the line.
 */
#ifndef PF_LINEIO_H
#define PF_LINEIO_H

#include <stdint.h>
#include <stdio.h>

struct line_reader {
	FILE *fp;
	const char *name;	/* for messages: a path or "stdin" */
	char *buf;
	size_t alloc;
	size_t len;		/* length of the current line */
	uint64_t lineno;
	int unterminated;	/* the current line had no newline (EOF) */
};

void line_reader_init(struct line_reader *lr, FILE *fp, const char *name);
void line_reader_release(struct line_reader *lr);

/* 1: a line is in lr->buf; 0: end of input; dies on a read error. */
int line_read(struct line_reader *lr);

/*
 * Split line in place at single spaces into at most max fields; the
 * last field keeps the rest of the line, spaces included.  Returns the
 * number of fields.  An empty field (two spaces) counts as a field.
 */
size_t split_fields(char *line, char **fields, size_t max);

/*
 * The input of a filter: the file named by arg, or stdin when arg is
 * NULL or "-".  *name is set for messages ("stdin" or the path).  Dies
 * with EXIT_FATAL when the file cannot be opened.  input_close() closes
 * what input_open() opened (never stdin).
 */
FILE *input_open(const char *arg, const char **name);
void input_close(FILE *fp);

#endif
