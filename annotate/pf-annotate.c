/*
 * pf-annotate - show the source lines of JIT code with their share of
 * the samples.
 *
 * Reads a "# pf-aggregate 1" stream and prints, for people, a summary
 * of where the samples went and how far to trust it, and the annotated
 * source of the hot JIT functions (listing.c), with the JIT functions
 * that have no line table among them (nolines.c).  Source files are
 * read from disk.
 */
#include "listing.h"
#include "nolines.h"
#include "profile.h"
#include "util.h"

#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* How many objects and functions per object the outside summary names. */
#define OUTSIDE_OBJECTS 3
#define OUTSIDE_FUNCTIONS 2
/* Longer function names (C++ templates) are cut to this many bytes. */
#define NAME_MAX_SHOWN 40
/* Object names are cut to this many bytes. */
#define PATH_SHOWN 80
/* The summary wraps before this column. */
#define SUMMARY_WIDTH 100
/* How many functions without line tables the summary names. */
#define NOLINES_FUNCTIONS 4
/* Their names (Numba's, with the signature) are cut to this many bytes. */
#define NOLINES_NAME_SHOWN 60

static const char usage_text[] =
	"usage: pf-annotate [-n] [--min-percent=P] [FILE]\n";

static PF_NORETURN void usage(int code)
{
	FILE *fp = code ? stderr : stdout;

	fputs(usage_text, fp);
	if (!code)
		fputs("\n"
		      "Show the source lines of the JIT functions in a pf-aggregate stream\n"
		      "(FILE or standard input) with their share of the samples.\n"
		      "\n"
		      "  -m, --min-percent=P  hide functions with less than P% of the\n"
		      "                       samples (default 0.5)\n"
		      "  -n, --numbers        show sample counts instead of percentages\n"
		      "  -h, --help           show this help and exit\n"
		      "  -V, --version        show the version and exit\n"
		      "\n"
		      "Exit status: 0 ok, 1 some input lines were bad and skipped or the\n"
		      "input has no line records, 2 fatal error, 64 usage error, 65 input\n"
		      "is not a pf-aggregate stream.\n",
		      fp);
	exit(code);
}

static double parse_percent(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (!*s || *end || !isfinite(v) || v < 0.0 || v > 100.0) {
		warn("option --min-percent: '%s' is not a number from 0 to 100",
		     s);
		usage(EXIT_USAGE);
	}
	return v;
}

static double percent(uint64_t count, uint64_t all)
{
	return all ? 100.0 * (double)count / (double)all : 0.0;
}

/* Print part of the summary line, starting a new line before it if long. */
static void print_wrapped(size_t *column, const char *part, size_t len)
{
	if (*column + len > SUMMARY_WIDTH && *column > 20) {
		fputs("\n#  ", stdout);
		*column = 3;
	}
	fputs(part, stdout);
	*column += len;
}

/* Samples the kernel dropped or did not take: the shares may be off. */
static void print_losses(const struct profile *p)
{
	const char *sep = "";

	if (!p->lost && !p->throttled)
		return;
	fputs("# ", stdout);
	if (p->lost) {
		printf("%" PRIu64 " sample%s lost (ring buffer full)", p->lost,
		       p->lost == 1 ? "" : "s");
		sep = ", ";
	}
	if (p->throttled == 1)
		printf("%ssampling throttled once by the kernel", sep);
	else if (p->throttled)
		printf("%ssampling throttled %" PRIu64 " times by the kernel",
		       sep, p->throttled);
	puts(": shares may be skewed");
}

/* meta lines: how pf-record got line tables, when not the default. */
static void print_lines_mode(const char *mode)
{
	const char *p;

	if (!mode || !*mode || !strcmp(mode, "numba-faithful"))
		return;
	if (!strcmp(mode, "none")) {
		puts("# line tables: none (pf-record --no-lines): "
		     "function-level profile");
		return;
	}
	if (!strcmp(mode, "numba-debuginfo")) {
		puts("# line tables: numba-debuginfo (pf-record --raw-debuginfo): "
		     "Numba inlines nothing, so the code may be slower than unprofiled");
		return;
	}
	fputs("# line tables: ", stdout);
	for (p = mode; *p; p++)
		putchar((unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p);
	putchar('\n');
}

/*
 * The share of the samples in JIT code without line tables, by
 * function, and the likely reason; wrapped as the outside summary.
 * Numba's runtime alone is worth a note only from min_percent on: it
 * never has line tables.
 */
static void print_nolines(const struct profile *p,
			  const struct noline_function *f, size_t nr,
			  double min_percent)
{
	char part[NOLINES_NAME_SHOWN + 96];
	size_t i, len, name_len, column;
	uint64_t rest = 0;
	int user = 0;
	const char *why;

	for (i = 0; i < nr; i++)
		user |= !f[i].runtime;
	if (!p->nolines ||
	    (nr && !user && percent(p->nolines, p->samples) < min_percent))
		return;
	column = (size_t)printf("# %.1f%% of samples are in JIT code without line tables%s",
				percent(p->nolines, p->samples), nr ? ":" : "");
	for (i = 0; i < nr; i++) {
		if (i >= NOLINES_FUNCTIONS) {
			rest += f[i].samples;
			continue;
		}
		name_len = strlen(f[i].name);
		len = (size_t)snprintf(part, sizeof(part), " %.*s%s %.1f%%%s",
				       (int)(name_len > NOLINES_NAME_SHOWN ?
						     NOLINES_NAME_SHOWN : name_len),
				       f[i].name,
				       name_len > NOLINES_NAME_SHOWN ? "..." : "",
				       percent(f[i].samples, p->samples),
				       i + 1 < nr ? "," : "");
		print_wrapped(&column, part, len);
	}
	if (rest) {
		len = (size_t)snprintf(part, sizeof(part), " %zu other%s %.1f%%",
				       nr - NOLINES_FUNCTIONS,
				       nr - NOLINES_FUNCTIONS == 1 ? "" : "s",
				       percent(rest, p->samples));
		print_wrapped(&column, part, len);
	}
	if (p->lines_mode && !strcmp(p->lines_mode, "none"))
		why = " (recorded with pf-record --no-lines)";
	else if (user || !nr)
		why = " (compiled without debug info: cache=True code from an "
		      "old cache, or pf-record --no-lines)";
	else
		why = " (Numba compiles its runtime without debug info)";
	print_wrapped(&column, why, strlen(why));
	putchar('\n');
}

static void print_header(const struct profile *p,
			 const struct noline_function *nolines,
			 size_t nolines_nr, double min_percent)
{
	uint64_t outside = p->by_kind[KIND_NATIVE] + p->by_kind[KIND_KERNEL] +
			   p->by_kind[KIND_UNKNOWN];

	printf("# %" PRIu64 " samples, %.1f%% outside JIT code, %.1f%% unresolved\n",
	       p->samples, percent(outside, p->samples),
	       percent(p->unresolved, p->samples));
	print_losses(p);
	if (p->command) {
		printf("# command: %s", p->command);
		if (p->exit_how && strcmp(p->exit_how, "exited"))
			printf(" (killed by %s)", p->exit_how);
		else if (p->exit_how && p->exit_status)
			printf(" (exit status %" PRIu64 ")", p->exit_status);
		putchar('\n');
	}
	print_lines_mode(p->lines_mode);
	print_nolines(p, nolines, nolines_nr, min_percent);
}

static int cmp_string(const char *a, const char *b)
{
	if (!a || !b)
		return !!a - !!b;
	return strcmp(a, b);
}

/* By object, then the most samples first. */
static int cmp_outside(const void *pa, const void *pb)
{
	const struct outside_count *a = pa, *b = pb;
	int r;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if ((r = cmp_string(a->object, b->object)))
		return r;
	if (a->samples != b->samples)
		return a->samples > b->samples ? -1 : 1;
	return cmp_string(a->function, b->function);
}

/* The outside records of one object: outside[first, first + nr). */
struct object_share {
	size_t first, nr;
	uint64_t samples;
};

static int cmp_object_share(const void *pa, const void *pb)
{
	const struct object_share *a = pa, *b = pb;

	if (a->samples != b->samples)
		return a->samples > b->samples ? -1 : 1;
	return (a->first > b->first) - (a->first < b->first);
}

static const char *object_name(const struct outside_count *c)
{
	const char *slash;

	if (!c->object)
		return sample_kind_names[c->kind];
	slash = strrchr(c->object, '/');
	return slash && slash[1] ? slash + 1 : c->object;
}

/* The top functions of one object that have names: " (f 1.2%, g 0.4%)". */
static size_t format_functions(char *buf, size_t size,
			       const struct outside_count *c, size_t nr,
			       uint64_t samples)
{
	size_t i, len = 0, shown = 0;

	for (i = 0; i < nr && shown < OUTSIDE_FUNCTIONS; i++) {
		size_t name_len;

		if (!c[i].function)
			continue;
		name_len = strlen(c[i].function);
		len += (size_t)snprintf(buf + len, size - len, "%s%.*s%s %.1f%%",
				shown++ ? ", " : " (",
				(int)(name_len > NAME_MAX_SHOWN ? NAME_MAX_SHOWN
								: name_len),
				c[i].function,
				name_len > NAME_MAX_SHOWN ? "..." : "",
				percent(c[i].samples, samples));
	}
	if (shown)
		len += (size_t)snprintf(buf + len, size - len, ")");
	return len;
}

/*
 * The top objects outside JIT code, each with its top functions, and
 * what the others add up to; wrapped into lines of about SUMMARY_WIDTH.
 */
static void print_outside(struct profile *p)
{
	struct object_share *objs = NULL;
	size_t i, nr = 0, alloc = 0, column;
	uint64_t rest = 0;
	char part[OUTSIDE_FUNCTIONS * (NAME_MAX_SHOWN + 32) + PATH_SHOWN];

	if (!p->outside_nr)
		return;
	qsort(p->outside, p->outside_nr, sizeof(*p->outside), cmp_outside);
	for (i = 0; i < p->outside_nr; i++) {
		const struct outside_count *c = &p->outside[i];

		if (!nr || c[-1].kind != c->kind ||
		    cmp_string(c[-1].object, c->object)) {
			ALLOC_GROW(objs, nr + 1, alloc);
			objs[nr].first = i;
			objs[nr].nr = 0;
			objs[nr++].samples = 0;
		}
		objs[nr - 1].nr++;
		objs[nr - 1].samples += c->samples;
	}
	qsort(objs, nr, sizeof(*objs), cmp_object_share);

	fputs("# outside JIT code:", stdout);
	column = 19;
	for (i = 0; i < nr; i++) {
		const struct outside_count *c = &p->outside[objs[i].first];
		size_t len;

		if (i >= OUTSIDE_OBJECTS) {
			rest += objs[i].samples;
			continue;
		}
		len = (size_t)snprintf(part, sizeof(part), " %.1f%% %.*s",
				       percent(objs[i].samples, p->samples),
				       PATH_SHOWN - 16, object_name(c));
		len += format_functions(part + len, sizeof(part) - len, c,
					objs[i].nr, p->samples);
		if (i + 1 < nr)
			len += (size_t)snprintf(part + len, sizeof(part) - len,
						",");
		print_wrapped(&column, part, len);
	}
	if (rest) {
		size_t len = (size_t)snprintf(
			part, sizeof(part), " %.1f%% in %zu other object%s",
			percent(rest, p->samples), nr - OUTSIDE_OBJECTS,
			nr - OUTSIDE_OBJECTS == 1 ? "" : "s");

		print_wrapped(&column, part, len);
	}
	putchar('\n');
	free(objs);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "min-percent", required_argument, NULL, 'm' },
		{ "numbers", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct listing_options opt = { 0.5, 0 };
	struct profile profile;
	struct noline_function *nolines;
	size_t nolines_nr, hidden = 0;
	const char *path;
	FILE *fp;
	int opt_char, code = 0;
	uint64_t jit_unresolved;

	progname = "pf-annotate";
	while ((opt_char = getopt_long(argc, argv, "m:nhV", longopts,
				       NULL)) != -1) {
		switch (opt_char) {
		case 'm':
			opt.min_percent = parse_percent(optarg);
			break;
		case 'n':
			opt.numbers = 1;
			break;
		case 'h':
			usage(0);
		case 'V':
			puts("pf-annotate " PF_VERSION);
			close_stdout();
			return 0;
		default:
			usage(EXIT_USAGE);
		}
	}
	if (argc - optind > 1)
		usage(EXIT_USAGE);
	fp = input_open(argv[optind], &path);
	profile_read(&profile, fp, path);
	input_close(fp);

	nolines = noline_functions(&profile, &nolines_nr);
	print_header(&profile, nolines, nolines_nr, opt.min_percent);
	print_outside(&profile);
	/* UNRESOLVED counts JIT samples without a line and unknown ones. */
	jit_unresolved = profile.unresolved > profile.by_kind[KIND_UNKNOWN] ?
				 profile.unresolved - profile.by_kind[KIND_UNKNOWN] :
				 0;
	if (!profile.by_kind[KIND_JIT]) {
		puts("# no samples hit JIT code");
	} else {
		if (!profile.lines_nr &&
		    jit_unresolved >= profile.by_kind[KIND_JIT]) {
			/* The header explains code without line tables. */
			if (profile.nolines < profile.by_kind[KIND_JIT])
				puts("# no JIT sample has a source line (no line tables in the JIT code?)");
		} else if (!profile.lines_nr) {
			/* Unless they were all bad, pf-aggregate was not asked. */
			warn("no line records%s", profile.bad_lines ? "" :
				": run pf-aggregate with -g line");
			code = EXIT_PARTIAL;
		}
		hidden = print_listing(&profile, &opt, nolines, nolines_nr);
	}
	if (hidden)
		printf("# %zu function%s below %g%% not shown (see --min-percent)\n",
		       hidden, hidden == 1 ? "" : "s", opt.min_percent);
	if (profile.bad_lines) {
		warn("ignored %" PRIu64 " bad line%s", profile.bad_lines,
		     profile.bad_lines == 1 ? "" : "s");
		code = EXIT_PARTIAL;
	}
	free(nolines);
	profile_release(&profile);
	close_stdout();
	return code;
}
