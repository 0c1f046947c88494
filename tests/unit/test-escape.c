/* test-escape.c - fput_field / unescape_field (common/escape.h) */
#include "escape.h"
#include "tap.h"

#include <stdlib.h>

static int must_escape(unsigned char c)
{
	return c <= 0x20 || c == 0x7f || c == '%' || c == ';' || c == '@';
}

/* The field fput_fieldn writes for s, in a malloc'ed string. */
static char *escaped(const char *s, size_t len)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&buf, &size);

	fput_fieldn(fp, s, len);
	fclose(fp);
	return buf;
}

/* Escape s, check the field is well-formed, decode it: s comes back. */
static int round_trip(const char *s, size_t len)
{
	char *field = escaped(s, len), *out;
	int good = 1;
	size_t i;

	for (i = 0; field[i]; i++) {
		unsigned char c = field[i];

		if (c == '%')
			i += 2;
		else if (must_escape(c))
			good = 0;
	}
	good = good && unescape_field(field, &out) == 0 && out &&
	       strlen(out) == len && !memcmp(out, s, len);
	free(field);
	return good;
}

static void test_every_byte(void)
{
	char all[256];
	int bad = 0, c;

	for (c = 1; c < 256; c++) {
		char s[4] = { 'a', (char)c, 'z', '\0' }, one[2] = { (char)c, 0 };
		char *f = escaped(one, 1);
		size_t want = c == '-' ? 3 : must_escape((unsigned char)c) ? 3 : 1;

		if (!round_trip(s, 3) || !round_trip(one, 1) ||
		    strlen(f) != want) {
			printf("# byte 0x%02x: field '%s'\n", c, f);
			bad++;
		}
		free(f);
		all[c - 1] = (char)c;
	}
	all[255] = '\0';
	ok(bad == 0, "every byte 1..255 round-trips, alone and inside a name");
	ok(round_trip(all, 255), "all 255 bytes in one field round-trip");
}

static void test_exact_forms(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ " ", "%20" },	   { "%", "%25" },     { ";", "%3B" },
		{ "@", "%40" },	   { "\x7f", "%7F" },  { "\n", "%0A" },
		{ "\x01", "%01" }, { "\x80", "\x80" }, { "a b", "a%20b" },
		{ "-", "%2D" },	   { "--", "--" },     { "a-", "a-" },
		{ "/usr/bin/python3.11", "/usr/bin/python3.11" },
		{ "Outer.<locals>.f", "Outer.<locals>.f" },
		{ "f@x.py:3;g", "f%40x.py:3%3Bg" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *f = escaped(cases[i].in, strlen(cases[i].in));

		is_str(f, cases[i].want, "case %zu is written '%s'", i,
		       cases[i].want);
		free(f);
	}
}

static void test_placeholder(void)
{
	char *buf = NULL, field[8];
	size_t size = 0;
	FILE *fp = open_memstream(&buf, &size);
	char *out = field;

	fput_field(fp, NULL);
	fputc(' ', fp);
	fput_field(fp, "");
	fputc(' ', fp);
	fput_fieldn(fp, "xyz", 0);
	fputc(' ', fp);
	fput_fieldn(fp, "xyz", 2);
	fclose(fp);
	is_str(buf, "- - - xy", "NULL, \"\" and length 0 are written '-'; "
	       "fput_fieldn stops at len");
	free(buf);

	strcpy(field, "-");
	ok(unescape_field(field, &out) == 0 && out == NULL,
	   "'-' decodes to NULL (missing)");
	strcpy(field, "%2D");
	ok(unescape_field(field, &out) == 0 && out && !strcmp(out, "-"),
	   "'%%2D' decodes to a literal '-'");
	strcpy(field, "a%2Db");
	ok(unescape_field(field, &out) == 0 && out && !strcmp(out, "a-b"),
	   "'a%%2Db' decodes to 'a-b'");
	strcpy(field, "%2d%3b");
	ok(unescape_field(field, &out) == 0 && out && !strcmp(out, "-;"),
	   "lower-case hex digits are accepted");
	strcpy(field, "");
	ok(unescape_field(field, &out) == 0 && out && !strcmp(out, ""),
	   "an empty field decodes to an empty string");
}

static void test_malformed(void)
{
	static const char *const bad[] = {
		"%", "%X", "%2", "%zz", "%G0", "%0G", "a%", "a%4", "%%",
		"%00", "ab%00cd", "%-1", "% 1", "%+1",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char field[16], *out = NULL;

		strcpy(field, bad[i]);
		ok(unescape_field(field, &out) == -1, "'%s' is rejected", bad[i]);
	}
}

int main(void)
{
	test_every_byte();
	test_exact_forms();
	test_placeholder();
	test_malformed();
	return done_testing();
}
