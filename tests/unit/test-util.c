/* test-util.c - parse_u64, ALLOC_GROW, die/warn, close_stdout (util.h) */
#include "tap.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>

static void test_parse_u64(void)
{
	static const struct {
		const char *s;
		int base;
		uint64_t min, max;
		int ret;
		uint64_t want;
	} cases[] = {
		{ "0", 10, 0, UINT64_MAX, 0, 0 },
		{ "42", 10, 0, UINT64_MAX, 0, 42 },
		{ "007", 10, 0, UINT64_MAX, 0, 7 },
		{ "18446744073709551615", 10, 0, UINT64_MAX, 0, UINT64_MAX },
		{ "18446744073709551616", 10, 0, UINT64_MAX, -1, 0 },
		{ "99999999999999999999999", 10, 0, UINT64_MAX, -1, 0 },
		{ "4294967295", 10, 0, UINT32_MAX, 0, UINT32_MAX },
		{ "4294967296", 10, 0, UINT32_MAX, -1, 0 },
		{ "5", 10, 5, 10, 0, 5 },
		{ "10", 10, 5, 10, 0, 10 },
		{ "4", 10, 5, 10, -1, 0 },
		{ "11", 10, 5, 10, -1, 0 },
		{ "", 10, 0, UINT64_MAX, -1, 0 },
		{ "-1", 10, 0, UINT64_MAX, -1, 0 },
		{ "-0", 10, 0, UINT64_MAX, -1, 0 },
		{ "+1", 10, 0, UINT64_MAX, -1, 0 },
		{ " 1", 10, 0, UINT64_MAX, -1, 0 },
		{ "1 ", 10, 0, UINT64_MAX, -1, 0 },
		{ "12a", 10, 0, UINT64_MAX, -1, 0 },
		{ "1.5", 10, 0, UINT64_MAX, -1, 0 },
		{ "1e3", 10, 0, UINT64_MAX, -1, 0 },
		{ "ff", 10, 0, UINT64_MAX, -1, 0 },
		{ "0x10", 10, 0, UINT64_MAX, -1, 0 },
		{ "ff", 16, 0, UINT64_MAX, 0, 255 },
		{ "FF", 16, 0, UINT64_MAX, 0, 255 },
		{ "7f3a2c10e043", 16, 0, UINT64_MAX, 0, 0x7f3a2c10e043ULL },
		{ "ffffffffffffffff", 16, 0, UINT64_MAX, 0, UINT64_MAX },
		{ "10000000000000000", 16, 0, UINT64_MAX, -1, 0 },
		{ "fg", 16, 0, UINT64_MAX, -1, 0 },
		{ "-ff", 16, 0, UINT64_MAX, -1, 0 },
		{ "", 16, 0, UINT64_MAX, -1, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t v = 12345;
		int ret = parse_u64(cases[i].s, cases[i].base, cases[i].min,
				    cases[i].max, &v);

		if (cases[i].ret == 0)
			ok(ret == 0 && v == cases[i].want,
			   "'%s' base %d in [%" PRIu64 ", %" PRIu64 "] is %" PRIu64,
			   cases[i].s, cases[i].base, cases[i].min,
			   cases[i].max, cases[i].want);
		else
			ok(ret == -1 && v == 12345,
			   "'%s' base %d in [%" PRIu64 ", %" PRIu64
			   "] is rejected, *out untouched",
			   cases[i].s, cases[i].base, cases[i].min,
			   cases[i].max);
	}
}

/*
 * Leniencies of strtoull that parse_u64 must not let through, because
 * FORMAT.md does not allow them: leading white space, and a "0x" prefix
 * on hex fields.
 */
static void test_parse_u64_strict(void)
{
	static const struct {
		const char *s, *shown;
		int base;
	} cases[] = {
		{ "\t1", "\\t1", 10 },
		{ "\n1", "\\n1", 10 },
		{ "\v1", "\\v1", 10 },
		{ "0x10", "0x10", 16 },
		{ "0X10", "0X10", 16 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t v;

		ok(parse_u64(cases[i].s, cases[i].base, 0, UINT64_MAX, &v) == -1,
		   "base %d: '%s' is rejected", cases[i].base, cases[i].shown);
	}
}

static void bad_option(void *arg)
{
	progname = "test-util";
	parse_option_u64("--frequency", arg, 1, 100000);
}

static void good_option(void *arg)
{
	progname = "test-util";
	exit(parse_option_u64("--frequency", arg, 1, 100000) == 4000 ? 7 : 8);
}

static void test_parse_option(void)
{
	char err[512];
	int status;

	status = tap_run_child(good_option, "4000", err, sizeof(err));
	exits(status, 7, "parse_option_u64 returns a good number");
	status = tap_run_child(bad_option, "0", err, sizeof(err));
	exits(status, EXIT_USAGE, "a number out of range exits 64");
	is_str(err, "test-util: option --frequency: '0' is not a number "
		    "from 1 to 100000\n", "and names the option and the range");
	status = tap_run_child(bad_option, "4k", err, sizeof(err));
	exits(status, EXIT_USAGE, "junk after a number exits 64");
}

static void test_alloc_grow(void)
{
	size_t *items = NULL, nr = 0, alloc = 0, i;
	int good = 1, grew = 0;

	for (i = 0; i < 100000; i++) {
		size_t before = alloc;

		ALLOC_GROW(items, nr + 1, alloc);
		good = good && alloc >= nr + 1;
		grew += alloc != before;
		items[nr++] = i * 7;
	}
	for (i = 0; i < nr; i++)
		good = good && items[i] == i * 7;
	ok(good, "ALLOC_GROW keeps room for every element and the values");
	ok(grew > 0 && grew < 20, "and grows geometrically (%d times)", grew);
	ALLOC_GROW(items, 1000000, alloc);
	ok(alloc >= 1000000, "a jump straight to the size asked for");
	free(items);

	{
		char *s = xstrndup("abcdef", 3), *t = xstrdup("xyz");

		is_str(s, "abc", "xstrndup copies n bytes and terminates");
		is_str(t, "xyz", "xstrdup copies");
		free(s);
		free(t);
	}
}

static void die_errno(void *arg)
{
	(void)arg;
	progname = "test-util";
	warn("line %d: bad sample record '%s'", 812, "x 12 zz");
	errno = ENOENT;
	die(EXIT_FATAL, "cannot open '%s':", "nofile");
}

static void close_full(void *arg)
{
	int fd = open("/dev/full", O_WRONLY);

	(void)arg;
	progname = "test-util";
	if (fd < 0 || dup2(fd, 1) < 0)
		_exit(9);
	printf("hello\n");
	close_stdout();
	_exit(0);
}

static void test_die(void)
{
	char err[512];
	int status = tap_run_child(die_errno, NULL, err, sizeof(err));

	exits(status, EXIT_FATAL, "die exits with its code");
	is_str(err,
	       "test-util: line 812: bad sample record 'x 12 zz'\n"
	       "test-util: cannot open 'nofile': No such file or directory\n",
	       "warn and die prefix progname; a final ':' adds strerror");
	if (access("/dev/full", W_OK) == 0) {
		status = tap_run_child(close_full, NULL, err, sizeof(err));
		exits(status, EXIT_FATAL, "close_stdout on a full disk exits 2");
		ok(strstr(err, "test-util: write error on standard output: ") != NULL,
		   "and says so");
	}
}

int main(void)
{
	test_parse_u64();
	test_parse_u64_strict();
	test_parse_option();
	test_alloc_grow();
	test_die();
	return done_testing();
}
