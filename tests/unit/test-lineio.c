/* test-lineio.c - line_reader and split_fields (common/lineio.h) */
#include "lineio.h"
#include "tap.h"
#include "util.h"

#include <stdlib.h>

/* A stream reading the n bytes of text. */
static FILE *input(const char *text, size_t n)
{
	FILE *fp = tmpfile();

	fwrite(text, 1, n, fp);
	rewind(fp);
	return fp;
}

/* split a copy of line with max; the fields joined with '|'. */
static char *split(const char *line, size_t max, size_t *n)
{
	static char joined[256];
	char copy[128], *f[8];
	size_t i;

	strcpy(copy, line);
	*n = split_fields(copy, f, max);
	joined[0] = '\0';
	for (i = 0; i < *n; i++) {
		if (i)
			strcat(joined, "|");
		strcat(joined, f[i]);
	}
	return joined;
}

static void test_split(void)
{
	static const struct {
		const char *line;
		size_t max, n;
		const char *joined;
	} cases[] = {
		{ "a b c", 8, 3, "a|b|c" },
		{ "a b c", 3, 3, "a|b|c" },
		{ "a b c d", 2, 2, "a|b c d" },
		{ "x y  z", 2, 2, "x|y  z" },
		{ "a b c", 1, 1, "a b c" },
		{ "a  b", 8, 3, "a||b" },
		{ " a", 8, 2, "|a" },
		{ "a ", 8, 2, "a|" },
		{ "", 8, 1, "" },
		{ " ", 8, 2, "|" },
		{ "meta command /usr/bin/python3 s.py", 3, 3,
		  "meta|command|/usr/bin/python3 s.py" },
		{ "a\tb c", 8, 2, "a\tb|c" },
	};
	size_t i, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = split(cases[i].line, cases[i].max, &n);

		is_u64(n, cases[i].n, "split '%s' max %zu: %zu fields",
		       cases[i].line, cases[i].max, cases[i].n);
		is_str(got, cases[i].joined, "split '%s' max %zu: fields '%s'",
		       cases[i].line, cases[i].max, cases[i].joined);
	}
	{
		char line[] = "a b", *f[1] = { NULL };

		ok(split_fields(line, f, 0) == 0 && f[0] == NULL &&
		   !strcmp(line, "a b"), "max 0 gives no field, line untouched");
	}
}

static void test_reader_basic(void)
{
	struct line_reader lr;
	static const char text[] = "first\n\nthird line\nlast";
	FILE *fp = input(text, sizeof(text) - 1);

	line_reader_init(&lr, fp, "test");
	ok(line_read(&lr) == 1 && !strcmp(lr.buf, "first") && lr.len == 5 &&
	   lr.lineno == 1 && !lr.unterminated, "line 1 without its newline");
	ok(line_read(&lr) == 1 && !strcmp(lr.buf, "") && lr.len == 0 &&
	   lr.lineno == 2 && !lr.unterminated, "line 2 is empty");
	ok(line_read(&lr) == 1 && !strcmp(lr.buf, "third line") &&
	   lr.len == 10 && lr.lineno == 3, "line 3 keeps its space");
	ok(line_read(&lr) == 1 && !strcmp(lr.buf, "last") && lr.len == 4 &&
	   lr.lineno == 4 && lr.unterminated,
	   "an unterminated last line is returned and flagged");
	ok(line_read(&lr) == 0 && lr.lineno == 4, "then end of input");
	ok(line_read(&lr) == 0, "and end of input again");
	line_reader_release(&lr);
	ok(lr.buf == NULL && lr.alloc == 0, "release frees the buffer");
	line_reader_release(&lr);
	fclose(fp);

	fp = input("", 0);
	line_reader_init(&lr, fp, "empty");
	ok(line_read(&lr) == 0 && lr.lineno == 0, "empty input has no line");
	line_reader_release(&lr);
	fclose(fp);

	fp = input("a\0b\nc\n", 6);
	line_reader_init(&lr, fp, "nul");
	ok(line_read(&lr) == 1 && lr.len == 3 && !memcmp(lr.buf, "a\0b", 4),
	   "a NUL byte stays inside the line: len counts it");
	ok(line_read(&lr) == 1 && !strcmp(lr.buf, "c") && lr.lineno == 2,
	   "the next line follows");
	line_reader_release(&lr);
	fclose(fp);
}

static void test_reader_long(void)
{
	size_t big = 200000, i, bad = 0;
	char *text = malloc(2 * big + 16);
	struct line_reader lr;
	FILE *fp;

	for (i = 0; i < big; i++)
		text[i] = (char)('a' + i % 26);
	memcpy(text + big, "\nshort\n", 7);
	for (i = 0; i < 70000; i++)
		text[big + 7 + i] = (char)('0' + i % 10);
	fp = input(text, big + 7 + 70000);
	line_reader_init(&lr, fp, "long");
	ok(line_read(&lr) == 1 && lr.len == big && strlen(lr.buf) == big &&
	   !memcmp(lr.buf, text, big) && lr.lineno == 1 && !lr.unterminated,
	   "a line of 200000 bytes (> 64 KiB) comes back whole");
	ok(line_read(&lr) == 1 && !strcmp(lr.buf, "short") && lr.len == 5 &&
	   lr.lineno == 2, "a short line after it");
	if (line_read(&lr) == 1 && lr.len == 70000 && lr.unterminated) {
		for (i = 0; i < 70000; i++)
			bad += lr.buf[i] != (char)('0' + i % 10);
	} else {
		bad = 1;
	}
	ok(bad == 0 && lr.lineno == 3,
	   "an unterminated last line of 70000 bytes comes back whole");
	ok(line_read(&lr) == 0, "then end of input");
	line_reader_release(&lr);
	fclose(fp);
	free(text);
}

static void read_write_only(void *arg)
{
	struct line_reader lr;
	FILE *fp = fopen("/dev/null", "w");

	(void)arg;
	progname = "test-lineio";
	line_reader_init(&lr, fp, "/dev/null");
	line_read(&lr);
}

static void test_read_error(void)
{
	char err[512];
	int status = tap_run_child(read_write_only, NULL, err, sizeof(err));

	exits(status, EXIT_FATAL, "a read error dies with exit 2");
	ok(strstr(err, "test-lineio: error reading /dev/null: ") != NULL,
	   "and names the input and the error");
	if (!strstr(err, "error reading"))
		printf("# stderr: %s", err);
}

int main(void)
{
	test_split();
	test_reader_basic();
	test_reader_long();
	test_read_error();
	return done_testing();
}
