/* test-record.c - record parsers and headers (common/record.h) */
#include "record.h"
#include "tap.h"
#include "util.h"

#include <stdlib.h>

/* A record line split as the tools split it, in a static buffer. */
static char line[512];
static char *f[PF_MAX_FIELDS];

static size_t split(const char *text, size_t max)
{
	strcpy(line, text);
	return split_fields(line, f, max);
}

static void test_raw_sample(void)
{
	static const char *const bad[][2] = {
		{ "sample 1 2 3 4", "five fields" },
		{ "sample x 2 3 4 7f", "TIME not a number" },
		{ "sample 1 -2 3 4 7f", "negative PID" },
		{ "sample 1 4294967296 3 4 7f", "PID above 32 bits" },
		{ "sample 1 2 3x 4 7f", "junk after TID" },
		{ "sample 1 2 3  7f", "empty CPU" },
		{ "sample 1 2 3 4 zz", "PC not hex" },
		{ "sample 1 2 3 4 ", "empty PC" },
		{ "sample 1 2 3 4 10000000000000000", "PC above 64 bits" },
		{ "sample 18446744073709551616 2 3 4 7f", "TIME above 64 bits" },
	};
	struct raw_sample s;
	size_t n, i;

	n = split("sample 91542139811020 41234 41235 1 7f3a2c10e043",
		  PF_MAX_FIELDS);
	ok(parse_raw_sample(f, n, NO_STACK_FIELD, &s) == 0 && s.time == 91542139811020ULL &&
	   s.pid == 41234 && s.tid == 41235 && s.cpu == 1 &&
	   s.pc == 0x7f3a2c10e043ULL, "a raw sample parses");
	n = split("sample 18446744073709551615 4294967295 0 0 ffffffffffffffff "
		  "native /x f - 0 -", PF_MAX_FIELDS);
	ok(parse_raw_sample(f, n, NO_STACK_FIELD, &s) == 0 && s.time == UINT64_MAX &&
	   s.pid == UINT32_MAX && s.pc == UINT64_MAX,
	   "largest values parse; extra fields are ignored");
	n = split("sample 1 2 3 4 7F3A", PF_MAX_FIELDS);
	ok(parse_raw_sample(f, n, NO_STACK_FIELD, &s) == 0 && s.pc == 0x7f3a,
	   "upper-case hex PC parses");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = split(bad[i][0], PF_MAX_FIELDS);
		ok(parse_raw_sample(f, n, NO_STACK_FIELD, &s) == -1, "raw sample rejected: %s",
		   bad[i][1]);
	}
}

#define SYM_PREFIX "sample 91542139912100 41234 41234 1 7f3a1e2f0144 "
/* pf-record -g: the STACK field of samples, and stack records. */
static void test_stacks(void)
{
	static const char *const bad_stack[][2] = {
		{ "stack 0 1 0 7f", "ID 0" },
		{ "stack 2 1 2 7f", "PARENT not before ID" },
		{ "stack 2 1 3 7f", "PARENT after ID" },
		{ "stack 2 1 1", "no PC" },
		{ "stack 2 1 1 zz", "PC not hex" },
		{ "stack x 1 0 7f", "ID not a number" },
	};
	struct raw_sample s;
	struct raw_stack st;
	struct sym_sample ss;
	struct sym_stack sy;
	size_t n, i;

	n = split("sample 1 2 3 4 7f 17", PF_MAX_FIELDS);
	ok(parse_raw_sample(f, n, 6, &s) == 0 && s.has_stack &&
	   s.stack == 17, "a raw sample's STACK parses");
	n = split("sample 1 2 3 4 7f", PF_MAX_FIELDS);
	ok(parse_raw_sample(f, n, 6, &s) == 0 && !s.has_stack && !s.stack,
	   "a raw sample without STACK has none");
	n = split("sample 1 2 3 4 7f x", PF_MAX_FIELDS);
	ok(parse_raw_sample(f, n, 6, &s) == -1,
	   "a STACK that is not a number is bad");
	ok(parse_raw_sample(f, n, NO_STACK_FIELD, &s) == 0 && !s.has_stack,
	   "without meta stacks the field is an unknown one, ignored");
	n = split(SYM_PREFIX "jit jit:1 f /a.py 4 - 9", PF_MAX_FIELDS);
	ok(parse_sym_sample(f, n, 1, &ss) == 0 && ss.raw.has_stack &&
	   ss.raw.stack == 9 && ss.line == 4 && !ss.inlined,
	   "a symbolized sample's STACK is field 12");

	n = split("stack 5 41234 3 7f3a1e2f00a4", PF_MAX_FIELDS);
	ok(parse_raw_stack(f, n, &st) == 0 && st.id == 5 && st.pid == 41234 &&
	   st.parent == 3 && st.pc == 0x7f3a1e2f00a4ULL, "a stack record parses");
	n = split("stack 1 7 0 0", PF_MAX_FIELDS);
	ok(parse_raw_stack(f, n, &st) == 0 && st.pc == 0 && st.parent == 0,
	   "the node of unknown callers: PC 0");
	for (i = 0; i < sizeof(bad_stack) / sizeof(bad_stack[0]); i++) {
		n = split(bad_stack[i][0], PF_MAX_FIELDS);
		ok(parse_raw_stack(f, n, &st) == -1, "stack rejected: %s",
		   bad_stack[i][1]);
	}
	n = split("stack 5 41234 3 7f3a1e2f00a4 jit jit:1 driver /a%20b.py 12 "
		  "fib@/a%20b.py:4", PF_MAX_FIELDS);
	ok(parse_sym_stack(f, n, &sy) == 0 && sy.raw.id == 5 &&
	   sy.at.kind == KIND_JIT && sy.at.line == 12 &&
	   !strcmp(sy.at.file, "/a b.py") && !strcmp(sy.at.function, "driver") &&
	   !strcmp(sy.at.inlined, "fib@/a%20b.py:4"),
	   "a symbolized stack record parses");
	n = split("stack 5 41234 3 7f3a1e2f00a4 jit jit:1 driver /a.py", PF_MAX_FIELDS);
	ok(parse_sym_stack(f, n, &sy) == -1, "a short one is bad");
}

static void test_sample_kind(void)
{
	enum sample_kind k;
	int i, good = 1;

	for (i = 0; i < 4; i++)
		good = good && parse_sample_kind(sample_kind_names[i], &k) == 0 &&
		       (int)k == i;
	ok(good, "the four kind names parse to their enum values");
	ok(!strcmp(sample_kind_names[KIND_JIT], "jit") &&
	   !strcmp(sample_kind_names[KIND_NATIVE], "native") &&
	   !strcmp(sample_kind_names[KIND_KERNEL], "kernel") &&
	   !strcmp(sample_kind_names[KIND_UNKNOWN], "unknown"),
	   "kind names are those of FORMAT.md");
	ok(parse_sample_kind("JIT", &k) == -1 && parse_sample_kind("", &k) == -1 &&
	   parse_sample_kind("jitx", &k) == -1, "other kinds are rejected");
}


static void test_sym_sample(void)
{
	static const char *const bad[][2] = {
		{ SYM_PREFIX "jit jit:1 helper /x.py 4", "11 fields" },
		{ SYM_PREFIX "jitx jit:1 helper /x.py 4 -", "unknown KIND" },
		{ SYM_PREFIX "jit jit:1 he%zzlper /x.py 4 -", "bad escape" },
		{ SYM_PREFIX "jit jit:1 helper /x%00.py 4 -", "encoded NUL" },
		{ SYM_PREFIX "jit jit%2 helper /x.py 4 -", "cut escape" },
		{ SYM_PREFIX "jit jit:1 helper /x.py 4a -", "bad LINE" },
		{ SYM_PREFIX "jit jit:1 helper /x.py -1 -", "negative LINE" },
		{ SYM_PREFIX "jit jit:1 helper /x.py 4294967296 -",
		  "LINE above 32 bits" },
		{ "sample 1 2 3 4 zz jit jit:1 helper /x.py 4 -", "bad PC" },
	};
	struct sym_sample s;
	struct inline_entry e;
	size_t n, i;
	char *chain;

	n = split(SYM_PREFIX "jit jit:1 helper /home/me/my%20code.py 4 "
		  "moving_average@/home/me/my%20code.py:12", PF_MAX_FIELDS);
	ok(parse_sym_sample(f, n, 0, &s) == 0 && s.raw.pc == 0x7f3a1e2f0144ULL &&
	   s.raw.tid == 41234 && s.kind == KIND_JIT && s.line == 4,
	   "a symbolized sample parses");
	is_str(s.object, "jit:1", "OBJECT");
	is_str(s.function, "helper", "FUNCTION");
	is_str(s.file, "/home/me/my code.py", "FILE is unescaped");
	is_str(s.inlined, "moving_average@/home/me/my%20code.py:12",
	       "INLINED is kept escaped");
	chain = s.inlined;
	ok(parse_inline_entry(&chain, &e) == 1 && e.line == 12 &&
	   !strcmp(e.function, "moving_average") &&
	   !strcmp(e.file, "/home/me/my code.py") &&
	   parse_inline_entry(&chain, &e) == 0,
	   "its INLINED chain has one entry");

	n = split(SYM_PREFIX "unknown - - - 0 -", PF_MAX_FIELDS);
	ok(parse_sym_sample(f, n, 0, &s) == 0 && s.kind == KIND_UNKNOWN &&
	   !s.object && !s.function && !s.file && s.line == 0 && !s.inlined,
	   "'-' fields are NULL, LINE 0");
	n = split(SYM_PREFIX "native /usr/bin/python3.11 %2D %2D 0 -",
		  PF_MAX_FIELDS);
	ok(parse_sym_sample(f, n, 0, &s) == 0 && s.kind == KIND_NATIVE &&
	   s.function && !strcmp(s.function, "-") && s.file &&
	   !strcmp(s.file, "-"), "'%%2D' fields are a literal '-'");

	n = split(SYM_PREFIX "kernel [kernel] f - 0 - new1 new2", PF_MAX_FIELDS);
	ok(parse_sym_sample(f, n, 0, &s) == 0 && s.kind == KIND_KERNEL &&
	   !s.inlined, "fields after INLINED are ignored");
	n = split(SYM_PREFIX "kernel [kernel] f - 0 a@b:1 new1 new2", 12);
	ok(parse_sym_sample(f, n, 0, &s) == 0 && s.inlined &&
	   !strcmp(s.inlined, "a@b:1"),
	   "also when INLINED holds the rest of the line");
	n = split(SYM_PREFIX "kernel [kernel] f - 0 - new1", 12);
	ok(parse_sym_sample(f, n, 0, &s) == 0 && !s.inlined,
	   "'-' INLINED followed by more fields is NULL");

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = split(bad[i][0], PF_MAX_FIELDS);
		ok(parse_sym_sample(f, n, 0, &s) == -1,
		   "symbolized sample rejected: %s", bad[i][1]);
	}
}

static void test_inline_entry(void)
{
	static const char *const bad[][2] = {
		{ "f/x.py:3", "no '@'" },
		{ "f@/x.py", "no ':'" },
		{ "f@/x.py:", "empty LINE" },
		{ "f@/x.py:3a", "bad LINE" },
		{ "f@/x.py:-3", "negative LINE" },
		{ "f:3@/x.py", "':' only before '@'" },
		{ "f%zz@/x.py:3", "bad escape in FUNCTION" },
		{ "f@/x%0.py:3", "bad escape in FILE" },
		{ "f@/x.py:99999999999", "LINE above 32 bits" },
	};
	struct inline_entry e;
	char buf[256], *chain;
	size_t i;

	strcpy(buf, "helper@/a/b.py:4;Outer.<locals>.f@/a/c%20d.py:12;"
		    "%2D@-:0;ns::g@/tmp/a:b.py:7");
	chain = buf;
	ok(parse_inline_entry(&chain, &e) == 1 && !strcmp(e.function, "helper") &&
	   !strcmp(e.file, "/a/b.py") && e.line == 4, "first entry");
	ok(parse_inline_entry(&chain, &e) == 1 &&
	   !strcmp(e.function, "Outer.<locals>.f") &&
	   !strcmp(e.file, "/a/c d.py") && e.line == 12,
	   "second entry, unescaped");
	ok(parse_inline_entry(&chain, &e) == 1 && e.function &&
	   !strcmp(e.function, "-") && !e.file && e.line == 0,
	   "'%%2D' is a '-' function, '-' a missing file");
	ok(parse_inline_entry(&chain, &e) == 1 && !strcmp(e.function, "ns::g") &&
	   !strcmp(e.file, "/tmp/a:b.py") && e.line == 7,
	   "':' in FUNCTION and FILE: LINE follows the last ':'");
	ok(parse_inline_entry(&chain, &e) == 0, "then the end of the chain");
	ok(parse_inline_entry(&chain, &e) == 0, "and the end again");

	strcpy(buf, "f@/x.py:3;");
	chain = buf;
	ok(parse_inline_entry(&chain, &e) == 1 &&
	   parse_inline_entry(&chain, &e) == 0, "a trailing ';' ends the chain");
	buf[0] = '\0';
	chain = buf;
	ok(parse_inline_entry(&chain, &e) == 0, "an empty chain has no entry");
	chain = NULL;
	ok(parse_inline_entry(&chain, &e) == 0, "a NULL chain has no entry");

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		strcpy(buf, bad[i][0]);
		chain = buf;
		ok(parse_inline_entry(&chain, &e) == -1,
		   "inline entry rejected: %s", bad[i][1]);
	}
	strcpy(buf, "f@/x.py:3;g@/y.py");
	chain = buf;
	ok(parse_inline_entry(&chain, &e) == 1 &&
	   parse_inline_entry(&chain, &e) == -1,
	   "a bad second entry is reported after a good first one");
}

static void test_object_record(void)
{
	static const char *const bad[][2] = {
		{ "object jit:1 5 lines", "four fields" },
		{ "object - 5 lines f", "OBJECT missing" },
		{ "object jit%1 5 lines f", "bad escape in OBJECT" },
		{ "object jit:1 x lines f", "TIME not a number" },
		{ "object jit:1 -5 lines f", "negative TIME" },
		{ "object jit:1 5 Lines f", "LINES in upper case" },
		{ "object jit:1 5 some f", "unknown LINES" },
		{ "object jit:1 5  f", "empty LINES" },
		{ "object jit:1 5 nolines f%ZZ", "bad escape in NAME" },
	};
	struct object_record o;
	enum object_lines l;
	size_t n, i;

	ok(!strcmp(object_lines_names[OBJECT_LINES], "lines") &&
	   !strcmp(object_lines_names[OBJECT_NOLINES], "nolines") &&
	   !strcmp(object_lines_names[OBJECT_BAD], "bad"),
	   "LINES names are those of FORMAT.md");
	ok(parse_object_lines("nolines", &l) == 0 && l == OBJECT_NOLINES &&
	   parse_object_lines("bad", &l) == 0 && l == OBJECT_BAD &&
	   parse_object_lines("line", &l) == -1, "LINES values parse");

	n = split("object jit:3 91542551020000 lines moving_average",
		  PF_MAX_FIELDS);
	ok(parse_object_record(f, n, &o) == 0 && o.time == 91542551020000ULL &&
	   o.lines == OBJECT_LINES, "an object record parses");
	is_str(o.object, "jit:3", "OBJECT");
	is_str(o.name, "moving_average", "NAME");
	n = split("object jit:4 1 nolines __main__.h(long%20long) new1 new2",
		  PF_MAX_FIELDS);
	ok(parse_object_record(f, n, &o) == 0 && o.lines == OBJECT_NOLINES,
	   "fields after NAME are ignored");
	is_str(o.name, "__main__.h(long long)", "NAME is unescaped");
	n = split("object jit:5 1 bad - new1", 5);
	ok(parse_object_record(f, n, &o) == 0 && o.lines == OBJECT_BAD &&
	   !o.name, "'-' NAME is NULL, also when it holds the rest of the line");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = split(bad[i][0], PF_MAX_FIELDS);
		ok(parse_object_record(f, n, &o) == -1,
		   "object record rejected: %s", bad[i][1]);
	}
}

/* expect_header in a child: it dies on a bad header. */
struct header_case {
	const char *text;
	const char *format;
};

static void check_header(void *arg)
{
	struct header_case *c = arg;
	struct line_reader lr;
	FILE *fp = tmpfile();

	progname = "test-record";
	fputs(c->text, fp);
	rewind(fp);
	line_reader_init(&lr, fp, "input");
	expect_header(&lr, c->format);
	if (lr.lineno != 1)
		_exit(3);
	line_reader_release(&lr);
	fclose(fp);
}

static void test_header(void)
{
	static const struct {
		const char *text, *format;
		int code;
		const char *message;
	} cases[] = {
		{ "# pf-record 1\n", PF_FORMAT_RECORD, 0, "" },
		{ "# pf-record 1", PF_FORMAT_RECORD, 0, "" },
		{ "# pf-symbolize 1\nsample\n", PF_FORMAT_SYMBOLIZE, 0, "" },
		{ "# pf-aggregate 1\n", PF_FORMAT_AGGREGATE, 0, "" },
		{ "# pf-symbolize 1\n", PF_FORMAT_RECORD, 65,
		  "test-record: input: line 1: not a pf-record stream: "
		  "'# pf-symbolize 1'\n" },
		{ "# pf-record 2\n", PF_FORMAT_RECORD, 0, "" },
		{ "# pf-aggregate 2\n", PF_FORMAT_AGGREGATE, 0, "" },
		{ "# pf-record 3\n", PF_FORMAT_RECORD, 65,
		  "test-record: input: line 1: unsupported pf-record version "
		  "'3' (this is version 2)\n" },
		{ "# pf-record 0\n", PF_FORMAT_RECORD, 65, "unsupported" },
		{ "# pf-record x\n", PF_FORMAT_RECORD, 65, "unsupported" },
		{ "# pf-record 1 x\n", PF_FORMAT_RECORD, 65, "unsupported" },
		{ "# pf-record \n", PF_FORMAT_RECORD, 65, "unsupported" },
		{ "# pf-record\n", PF_FORMAT_RECORD, 65, "not a pf-record" },
		{ "# pf-recordx 1\n", PF_FORMAT_RECORD, 65, "not a pf-record" },
		{ "# pf-rec 1\n", PF_FORMAT_RECORD, 65, "not a pf-record" },
		{ "#pf-record 1\n", PF_FORMAT_RECORD, 65, "not a pf-record" },
		{ "sample 1 2 3 4 7f\n", PF_FORMAT_RECORD, 65, "not a pf-record" },
		{ "\n# pf-record 1\n", PF_FORMAT_RECORD, 65, "not a pf-record" },
		{ "", PF_FORMAT_RECORD, 65,
		  "test-record: input: empty input, expected a '# pf-record 2' "
		  "header\n" },
	};
	char err[512];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct header_case c = { cases[i].text, cases[i].format };
		int status = tap_run_child(check_header, &c, err, sizeof(err));
		const char *msg = cases[i].message;
		int len = (int)strcspn(cases[i].text, "\n");

		exits(status, cases[i].code, "header '%.*s' for %s: exit %d", len,
		      cases[i].text, cases[i].format, cases[i].code);
		if (!msg[0] || strchr(msg, '\n'))
			is_str(err, msg, "header '%.*s': the message", len,
			       cases[i].text);
		else
			ok(strstr(err, msg) != NULL,
			   "header '%.*s': the message says '%s'", len,
			   cases[i].text, msg);
	}
}

static void test_write_header(void)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&buf, &size);

	write_header(fp, PF_FORMAT_RECORD);
	write_header(fp, PF_FORMAT_AGGREGATE);
	fclose(fp);
	is_str(buf, "# pf-record 2\n# pf-aggregate 2\n", "write_header");
	free(buf);
}

int main(void)
{
	test_raw_sample();
	test_sample_kind();
	test_sym_sample();
	test_stacks();
	test_inline_entry();
	test_object_record();
	test_header();
	test_write_header();
	return done_testing();
}
