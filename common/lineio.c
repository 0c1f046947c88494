/* lineio.c - see lineio.h */
#include "lineio.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void line_reader_init(struct line_reader *lr, FILE *fp, const char *name)
{
	memset(lr, 0, sizeof(*lr));
	lr->fp = fp;
	lr->name = name;
}

void line_reader_release(struct line_reader *lr)
{
	free(lr->buf);
	lr->buf = NULL;
	lr->alloc = 0;
}

int line_read(struct line_reader *lr)
{
	ssize_t n = getline(&lr->buf, &lr->alloc, lr->fp);

	if (n < 0) {
		if (ferror(lr->fp))
			die(EXIT_FATAL, "error reading %s:", lr->name);
		return 0;
	}
	lr->lineno++;
	lr->unterminated = 1;
	if (n > 0 && lr->buf[n - 1] == '\n') {
		lr->buf[--n] = '\0';
		lr->unterminated = 0;
	}
	lr->len = (size_t)n;
	return 1;
}

size_t split_fields(char *line, char **fields, size_t max)
{
	size_t n = 0;
	char *p = line;

	if (max == 0)
		return 0;
	for (;;) {
		char *sp;

		fields[n++] = p;
		if (n == max)
			break;
		sp = strchr(p, ' ');
		if (!sp)
			break;
		*sp = '\0';
		p = sp + 1;
	}
	return n;
}

FILE *input_open(const char *arg, const char **name)
{
	FILE *fp;

	if (!arg || !strcmp(arg, "-")) {
		*name = "stdin";
		return stdin;
	}
	fp = fopen(arg, "r");
	if (!fp)
		die(EXIT_FATAL, "cannot open '%s':", arg);
	*name = arg;
	return fp;
}

void input_close(FILE *fp)
{
	if (fp && fp != stdin)
		fclose(fp);
}
