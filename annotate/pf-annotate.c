/*
 * pf-annotate - show the source lines of JIT code with their share of
 * the samples.
 *
 * Reads a "# pf-aggregate" stream (version 1 or 2) and prints, for people, a summary
 * of where the samples went and how far to trust it, and the annotated
 * source of the hot JIT functions (listing.c), with the JIT functions
 * that have no line table among them (nolines.c) and the functions
 * inlined at each call site (callsites.c); that of all threads, or of
 * single threads (threads.c).  Source files are read from disk.
 */
#include "callsites.h"
#include "escape.h"
#include "html.h"
#include "listing.h"
#include "nolines.h"
#include "profile.h"
#include "record.h"
#include "summary.h"
#include "threads.h"
#include "util.h"

#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* How many functions without line tables the summary names. */
#define NOLINES_FUNCTIONS 4
/* Their names (Numba's, with the signature) are cut to this many bytes. */
#define NOLINES_NAME_SHOWN 60

static const char usage_text[] =
	"usage: pf-annotate [-n] [--min-percent=P] [-t TID | --each-thread | -p PID | --each-process] [--asm[=att]] [-f NAME] [--html] [FILE]\n";

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
		      "  -t, --thread=TID     show the listing of thread TID only, in\n"
		      "                       percentages of its samples\n"
		      "      --each-thread    show the listing of each thread, one after\n"
		      "                       the other\n"
		      "  -p, --process=PID    show the listing of process PID only (its\n"
		      "                       threads together), in percentages of its\n"
		      "                       samples\n"
		      "      --each-process   show the listing of each process in turn\n"
		      "      --asm[=att]      show the instructions of each line with\n"
		      "                       samples, with their shares (Intel syntax,\n"
		      "                       or AT&T)\n"
		      "  -f, --function=NAME  show the whole machine code holding function\n"
		      "                       NAME, every line and instruction (implies\n"
		      "                       --asm; native functions too)\n"
		      "      --html           write one self-contained HTML page: the\n"
		      "                       listing with the instructions folded under\n"
		      "                       each line, and each thread's (with\n"
		      "                       pf-aggregate --per-thread)\n"
		      "  -h, --help           show this help and exit\n"
		      "  -V, --version        show the version and exit\n"
		      "\n"
		      "-t and --each-thread need the threadline records of pf-aggregate\n"
		      "--per-thread; --asm shows all threads and the code records of\n"
		      "pf-symbolize.\n"
		      "\n"
		      "Exit status: 0 ok, 1 some input lines were bad and skipped or the\n"
		      "input has no line (or threadline) records, or thread TID has no\n"
		      "samples, or no function NAME has code records, 2 fatal error,\n"
		      "64 usage error, 65 input is not a pf-aggregate stream.\n",
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

/*
 * meta lines: how pf-record got line tables, when not the default.
 * nolines: JIT samples in code without line tables ("attached" is a
 * guess from the process's environment: said only when borne out).
 */
static void print_lines_mode(const char *mode, uint64_t nolines)
{
	if (!mode || !*mode || !strcmp(mode, "numba-faithful"))
		return;
	if (!strcmp(mode, "none")) {
		puts("# line tables: none (pf-record --no-lines): "
		     "function-level profile");
		return;
	}
	if (!strcmp(mode, "attached")) {
		if (nolines)
			puts("# line tables: none (pf-record -p on a process "
			     "started without pf's shim; `python3 -m pf "
			     "SCRIPT` starts one with them): function-level "
			     "profile");
		return;
	}
	if (!strcmp(mode, "numba-debuginfo")) {
		puts("# line tables: numba-debuginfo (pf-record --raw-debuginfo): "
		     "Numba inlines nothing, so the code may be slower than unprofiled");
		return;
	}
	fputs("# line tables: ", stdout);
	print_sanitized(mode);
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
	int user = 0, wrapper = 0;
	int faithful = p->lines_mode && !strcmp(p->lines_mode, "numba-faithful");
	const char *why;

	for (i = 0; i < nr; i++) {
		user |= !f[i].runtime && !f[i].wrapper;
		wrapper |= f[i].wrapper;
	}
	if (!p->nolines ||
	    (nr && !user && !wrapper &&
	     percent(p->nolines, p->samples) < min_percent))
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
	else if (p->lines_mode && !strcmp(p->lines_mode, "attached"))
		why = " (pf-record -p: the process was started without pf's "
		      "shim)";
	else if (wrapper && !user)
		why = " (Numba's generated wrappers without line tables: code "
		      "inlined into them lost its lines; pf's shim gives them "
		      "line tables where it knows the Numba, see its warnings)";
	else if ((user || !nr) && faithful)
		why = " (compiled without line tables: pf's shim did not run "
		      "or did not know this Numba, see pf-record's warnings; "
		      "or cache=True code from a cache other than pf's)";
	else if (user || !nr)
		why = " (compiled without debug info: cache=True code from an "
		      "old cache, or pf-record --no-lines)";
	else
		why = " (Numba compiles its runtime without debug info)";
	print_wrapped(&column, why, strlen(why));
	putchar('\n');
}

/*
 * The share of the JIT samples at no source line (LINELESS) that the
 * listing does not show, when it reaches min_percent: those not in a
 * line 0 record of their function (pf-aggregate writes one when it
 * knows the function's file; older versions did not), not in code
 * without line tables (the note above), and not unresolved (the JIT
 * samples of no function; taken to be lineless, and to be apart from
 * NOLINES, so the share may come out low, never high).
 */
static void print_lineless(const struct profile *p, double min_percent)
{
	uint64_t shown = p->nolines, unshown = 0;
	size_t i;

	/* The threadline records count the same samples, by thread. */
	for (i = 0; i < p->lines_nr; i++)
		if (!p->lines[i].line)
			shown += p->lines[i].self;
	for (i = 0; !p->lines_nr && i < p->threadlines_nr; i++)
		if (!p->threadlines[i].line.line)
			shown += p->threadlines[i].line.self;
	if (p->unresolved > p->by_kind[KIND_UNKNOWN])
		shown += p->unresolved - p->by_kind[KIND_UNKNOWN];
	if (p->lineless > shown)
		unshown = p->lineless - shown;
	if (unshown && percent(unshown, p->samples) >= min_percent)
		printf("# %.1f%% of samples are in JIT code at no source line "
		       "(not in the listing)\n", percent(unshown, p->samples));
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
	print_lines_mode(p->lines_mode, p->nolines);
	print_nolines(p, nolines, nolines_nr, min_percent);
	print_lineless(p, min_percent);
}

struct annotate {
	struct profile profile;
	struct listing_options opt;
	struct callsite_index callsites;
	struct noline_function *nolines;
	size_t nolines_nr;
	struct thread_info *threads;
	size_t threads_nr;
	int code;
	int asm_mode;		/* 0 none, 1 --asm (Intel), 2 --asm=att */
	int asm_asked;		/* --asm given, not only implied by --html */
	const char *function;	/* --function NAME, or NULL */
	int html;		/* --html */
};

static void print_hidden(const struct annotate *a, size_t hidden)
{
	if (hidden)
		printf("# %zu function%s below %g%% not shown (see --min-percent)\n",
		       hidden, hidden == 1 ? "" : "s", a->opt.min_percent);
}

/*
 * Whether the JIT samples should have given records of their lines
 * (lines_nr of them), else say why there are none: 1 when they should
 * and there are none.
 */
static int lines_missing(const struct annotate *a, size_t lines_nr)
{
	const struct profile *p = &a->profile;

	if (lines_nr || p->lines_nr)
		return !lines_nr;
	if (p->lineless < p->by_kind[KIND_JIT])
		return 1;
	/* The header explains code without line tables. */
	if (p->nolines < p->by_kind[KIND_JIT])
		puts("# no JIT sample has a source line (no line tables in the JIT code?)");
	return 0;
}

/* The listing of all samples. */
/* The instruction view, over the functions selected (NULL: all). */
static struct asm_view *open_asm(struct annotate *a,
				 const unsigned char *selected)
{
	struct asm_options o;
	struct asm_view *v;

	memset(&o, 0, sizeof(o));
	o.att = a->asm_mode == 2;
	o.full = selected != NULL;
	o.numbers = a->opt.numbers;
	o.samples = a->profile.samples;
	o.width = listing_width(a->profile.samples, &a->opt);
	o.selected = selected;
	if (!(v = asm_view_new(&a->profile.code, &o)))
		a->code = EXIT_PARTIAL;
	else
		asm_print_legend();
	return v;
}

/* The entry of lines for file:line of function, added (0, 0) if new. */
static struct line_count *line_entry(struct line_count **lines, size_t *nr,
				     size_t *alloc, const char *file,
				     uint32_t line, const char *function)
{
	size_t i;
	struct line_count *c;

	for (i = 0; i < *nr; i++) {
		c = &(*lines)[i];
		if (c->line == line && !cmp_string(c->function, function) &&
		    (line == 0 || !cmp_string(c->file, file)))
			return c;
	}
	ALLOC_GROW(*lines, *nr + 1, *alloc);
	c = &(*lines)[(*nr)++];
	memset(c, 0, sizeof(*c));
	c->file = xstrdup_or_null(file);
	c->line = line;
	c->function = xstrdup_or_null(function);
	return c;
}

/*
 * Count n samples of a span on the lines of its inline chain's call
 * sites ("CALLER@FILE:LINE;..."), as pf-aggregate counts a sample's
 * TOTAL: once per line.
 */
static void count_chain(struct line_count **lines, size_t *nr, size_t *alloc,
			const char *chain, uint64_t n,
			const struct line_count *own)
{
	char *copy = xstrdup(chain), *entry, *save = NULL;
	const struct line_count *seen[64];
	size_t nseen = 0, k;

	seen[nseen++] = own;
	for (entry = strtok_r(copy, ";", &save); entry;
	     entry = strtok_r(NULL, ";", &save)) {
		char *at = strchr(entry, '@'), *colon = strrchr(entry, ':');
		char *fn, *file;
		uint64_t line;
		struct line_count *c;

		if (!at || !colon || colon < at)
			continue;
		*at = *colon = '\0';
		if (unescape_field(entry, &fn) || unescape_field(at + 1, &file) ||
		    parse_u64(colon + 1, 10, 0, UINT32_MAX, &line))
			continue;
		c = line_entry(lines, nr, alloc, file, (uint32_t)line, fn);
		for (k = 0; k < nseen && seen[k] != c; k++)
			;
		if (k < nseen)
			continue;
		if (nseen < 64)
			seen[nseen++] = c;
		c->total += n;
	}
	free(copy);
}

/*
 * --function NAME: the machine code that holds NAME (a function of that
 * name, or code of NAME inlined into another), every line of it with or
 * without samples, counted from the samples of this code alone (insn
 * records); native functions after the listing, instruction by
 * instruction.
 */
static void annotate_function(struct annotate *a)
{
	struct profile *p = &a->profile;
	const struct code_set *cs = &p->code;
	unsigned char *selected = xcalloc(cs->fn_nr + 1, 1);
	struct listing_input in = {
		.samples = p->samples, .callsites = &a->callsites,
		.functotals = p->functotals, .functotals_nr = p->functotals_nr,
		.asm_full = 1, .texts = p->texts, .texts_nr = p->texts_nr,
	};
	struct listing_options opt = a->opt;
	struct line_count *lines = NULL;
	size_t i, j, nr = 0, alloc = 0, jit = 0, native = 0;
	struct asm_view *view;

	for (i = 0; i < cs->fn_nr; i++)
		if (cs->fn[i].name && !strcmp(cs->fn[i].name, a->function))
			selected[i] = 1;
	for (i = 0; i < cs->span_nr; i++)
		if (cs->span[i].function &&
		    !strcmp(cs->span[i].function, a->function))
			selected[cs->span[i].fn] = 1;
	for (i = 0; i < cs->fn_nr; i++)
		if (selected[i])
			cs->fn[i].native ? native++ : jit++;
	if (!jit && !native) {
		warn("--function %s: no such function in the code records "
		     "(only functions with samples have them)", a->function);
		a->code = EXIT_PARTIAL;
		free(selected);
		return;
	}
	if (!(view = open_asm(a, selected))) {
		free(selected);
		return;
	}
	/* Every line of the selected JIT code, with the samples there. */
	for (i = 0; i < cs->span_nr; i++) {
		const struct code_span *sp = &cs->span[i];
		struct line_count *c;
		uint64_t n;

		if (!selected[sp->fn] || cs->fn[sp->fn].native)
			continue;
		n = asm_span_samples(view, i);
		c = line_entry(&lines, &nr, &alloc, sp->file, sp->line,
			       sp->function);
		c->self += n;
		c->total += n;
		if (sp->inlined)
			count_chain(&lines, &nr, &alloc, sp->inlined, n, c);
	}
	/* Code at no source line goes to the file its function's lines name. */
	for (i = 0; i < nr; i++)
		if (!lines[i].line && !lines[i].file)
			for (j = 0; j < nr; j++)
				if (lines[j].line && lines[j].file &&
				    !cmp_string(lines[j].function,
						lines[i].function)) {
					lines[i].file = xstrdup(lines[j].file);
					break;
				}
	if (nr) {
		in.lines = lines;
		in.lines_nr = nr;
		in.asm_view = view;
		opt.min_percent = 0;
		print_listing(&in, &opt);
	}
	for (i = 0; i < cs->fn_nr; i++) {
		const struct code_function *f = &cs->fn[i];
		uint64_t n;

		if (!selected[i] || !f->native)
			continue;
		n = asm_function_samples(view, i);
		printf("## %s (%s, native code), ", f->name ? f->name : "-",
		       f->object);
		if (a->opt.numbers)
			printf("%" PRIu64 "\n", n);
		else
			printf("%.1f%%\n", p->samples ? 100.0 * (double)n /
							     (double)p->samples
						       : 0.0);
		asm_print_function(view, i);
	}
	asm_view_free(view);
	for (i = 0; i < nr; i++) {
		free(lines[i].file);
		free(lines[i].function);
	}
	free(lines);
	free(selected);
}

static void annotate_all(struct annotate *a)
{
	struct profile *p = &a->profile;
	struct listing_input in = {
		.lines = p->lines, .lines_nr = p->lines_nr,
		.samples = p->samples, .callsites = &a->callsites,
		.functotals = p->functotals, .functotals_nr = p->functotals_nr,
		.nolines = a->nolines, .nolines_nr = a->nolines_nr,
		.texts = p->texts, .texts_nr = p->texts_nr,
	};
	struct asm_view *view = a->asm_mode ? open_asm(a, NULL) : NULL;

	if (lines_missing(a, p->lines_nr)) {
		/* Unless they were all bad, pf-aggregate was not asked. */
		warn("no line records%s", p->bad_lines ? "" :
			": run pf-aggregate with -g line");
		a->code = EXIT_PARTIAL;
	}
	if (view && !p->code.fn_nr && a->asm_asked)
		puts("# --asm: the stream has no code records (pf-symbolize "
		     "--no-code, or an older pf-symbolize)");
	in.asm_view = view;
	in.asm_hint = !view && p->code_seen;
	print_hidden(a, print_listing(&in, &a->opt));
	asm_view_free(view);
}

/* The listing of thread t, in percentages of its samples. */
static void annotate_thread(struct annotate *a, const struct thread_info *t,
			    int any_pid)
{
	struct listing_input in = {
		.samples = thread_samples(t), .callsites = &a->callsites,
		.texts = a->profile.texts, .texts_nr = a->profile.texts_nr,
	};
	struct line_count *lines = thread_lines(&a->profile, t, any_pid,
						&in.lines_nr);

	printf(": %" PRIu64 " sample%s%s\n", in.samples,
	       in.samples == 1 ? "" : "s",
	       a->opt.numbers ? "" : ", percentages of these");
	in.lines = lines;
	if (in.lines_nr)
		print_hidden(a, print_listing(&in, &a->opt));
	else if (t->jit)
		puts("# no JIT sample of this thread has a source line");
	else
		puts("# no sample of this thread hit JIT code");
	free(lines);
}

/*
 * -p PID: the listing of one process, its threads together; each: one
 * of --each-process, under a heading.
 */
static void annotate_process(struct annotate *a, uint32_t pid, int each)
{
	struct listing_input in = {
		.callsites = &a->callsites,
		.texts = a->profile.texts, .texts_nr = a->profile.texts_nr,
	};
	struct line_count *lines;

	if (lines_missing(a, a->profile.threadlines_nr)) {
		warn("no threadline records%s", a->profile.bad_lines ? "" :
			": run pf-aggregate --per-thread");
		a->code = EXIT_PARTIAL;
		return;
	}
	lines = process_lines(&a->profile, a->threads, a->threads_nr, pid,
			      &in.lines_nr, &in.samples);
	if (!in.samples) {
		warn("no samples of process %" PRIu32, pid);
		a->code = EXIT_PARTIAL;
		free(lines);
		return;
	}
	printf(each ? "### process %" PRIu32 ": %" PRIu64 " sample%s%s\n"
		    : "# listing of process %" PRIu32 " only: %" PRIu64
		      " sample%s%s\n",
	       pid, in.samples, in.samples == 1 ? "" : "s",
	       a->opt.numbers ? "" : ", percentages of these");
	in.lines = lines;
	if (in.lines_nr)
		print_hidden(a, print_listing(&in, &a->opt));
	else
		puts("# no JIT sample of this process has a source line");
	free(lines);
}

/* -t TID (each 0) or --each-thread (each 1). */
static void annotate_threads(struct annotate *a, uint32_t tid, int each)
{
	struct thread_info t;
	size_t i;

	if (lines_missing(a, a->profile.threadlines_nr)) {
		warn("no threadline records%s", a->profile.bad_lines ? "" :
			": run pf-aggregate --per-thread");
		a->code = EXIT_PARTIAL;
		return;
	}
	if (!a->profile.threadlines_nr)
		return;
	if (!each) {
		if (thread_find(a->threads, a->threads_nr, tid, &t)) {
			warn("no samples of thread %" PRIu32, tid);
			a->code = EXIT_PARTIAL;
			return;
		}
		fputs("# listing of thread ", stdout);
		print_thread_name(&t);
		fputs(" only", stdout);
		annotate_thread(a, &t, 1);
		return;
	}
	for (i = 0; i < a->threads_nr; i++) {
		fputs("### thread ", stdout);
		print_thread_name(&a->threads[i]);
		annotate_thread(a, &a->threads[i], 0);
	}
}

/* Threads with a listing of their own in the HTML report, at most. */
#define HTML_THREADS 32

static char *html_thread_title(const struct thread_info *t)
{
	struct capture c;
	size_t len;
	char *s, *title;

	capture_begin(&c);
	fputs("thread ", stdout);
	print_thread_name(t);
	s = capture_end(&c, &len);
	title = xmalloc(len + 64);
	snprintf(title, len + 64, "%s: %" PRIu64 " sample%s", s, t->samples,
		 t->samples == 1 ? "" : "s");
	free(s);
	return title;
}

/*
 * --html: the text views, captured, made into one page: all samples,
 * then (with threadline records) each thread's, the busiest first.
 */
static void annotate_html(struct annotate *a)
{
	struct profile *p = &a->profile;
	struct html_report r;
	struct html_view *v;
	struct capture c;
	size_t i, n, np;
	uint32_t *pids;

	memset(&r, 0, sizeof(r));
	capture_begin(&c);
	print_header(p, a->nolines, a->nolines_nr, a->opt.min_percent);
	print_outside(p);
	print_process_summary(p, a->threads, a->threads_nr);
	print_thread_summary(a->threads, a->threads_nr);
	r.summary = capture_end(&c, &r.summary_len);
	n = p->threadlines_nr && a->threads_nr > 1 ? a->threads_nr : 0;
	if (n > HTML_THREADS)
		n = HTML_THREADS;
	/* With several processes, a view of each before the threads'. */
	pids = process_list(a->threads, a->threads_nr, &np);
	if (!p->threadlines_nr || np < 2)
		np = 0;
	if (np > HTML_THREADS)
		np = HTML_THREADS;
	r.views = v = xcalloc(np + n + 1, sizeof(*v));
	v[0].id = xstrdup("all");
	v[0].title = xstrdup(n ? "all threads" : "all samples");
	capture_begin(&c);
	if (!p->by_kind[KIND_JIT])
		puts("# no samples hit JIT code");
	else
		annotate_all(a);
	v[0].text = capture_end(&c, &v[0].len);
	/* Per process, as -p shows them. */
	for (i = 0; i < np; i++) {
		struct html_view *pv = &v[1 + i];
		uint64_t samples = 0;
		size_t k;

		for (k = 0; k < a->threads_nr; k++)
			if (a->threads[k].pid == pids[i])
				samples += thread_samples(&a->threads[k]);
		pv->id = xmalloc(32);
		snprintf(pv->id, 32, "p%" PRIu32, pids[i]);
		pv->title = xmalloc(96);
		snprintf(pv->title, 96, "process %" PRIu32 ": %" PRIu64
			 " sample%s", pids[i], samples, samples == 1 ? "" : "s");
		capture_begin(&c);
		annotate_process(a, pids[i], 0);
		pv->text = capture_end(&c, &pv->len);
	}
	/* Per thread: percentages of its own samples, as -t shows them. */
	for (i = 0; i < n; i++) {
		const struct thread_info *t = &a->threads[i];
		struct html_view *tv = &v[1 + np + i];
		int saved = a->asm_mode;

		tv->id = xmalloc(32);
		snprintf(tv->id, 32, "t%" PRIu32, t->tid);
		tv->title = html_thread_title(t);
		capture_begin(&c);
		a->asm_mode = 0;
		annotate_thread(a, t, 1);
		a->asm_mode = saved;
		tv->text = capture_end(&c, &tv->len);
	}
	free(pids);
	r.views_nr = np + n + 1;
	r.command = p->command;
	r.samples = p->samples;
	r.jit = p->by_kind[KIND_JIT];
	r.native = p->by_kind[KIND_NATIVE];
	r.kernel = p->by_kind[KIND_KERNEL];
	r.unknown = p->by_kind[KIND_UNKNOWN];
	html_write(&r);
	for (i = 0; i < r.views_nr; i++) {
		free(v[i].id);
		free(v[i].title);
		free(v[i].text);
	}
	free(v);
	free(r.summary);
}

enum { OPT_EACH_THREAD = 256, OPT_ASM, OPT_HTML, OPT_EACH_PROCESS };

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "min-percent", required_argument, NULL, 'm' },
		{ "numbers", no_argument, NULL, 'n' },
		{ "thread", required_argument, NULL, 't' },
		{ "process", required_argument, NULL, 'p' },
		{ "each-thread", no_argument, NULL, OPT_EACH_THREAD },
		{ "each-process", no_argument, NULL, OPT_EACH_PROCESS },
		{ "asm", optional_argument, NULL, OPT_ASM },
		{ "html", no_argument, NULL, OPT_HTML },
		{ "function", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct annotate a;
	struct profile *p = &a.profile;
	const char *path;
	FILE *fp;
	int opt_char, one_thread = 0, each_thread = 0, one_process = 0;
	int each_process = 0;
	uint32_t tid = 0, pid = 0;

	progname = "pf-annotate";
	memset(&a, 0, sizeof(a));
	a.opt.min_percent = 0.5;
	while ((opt_char = getopt_long(argc, argv, "m:nt:p:f:hV", longopts,
				       NULL)) != -1) {
		switch (opt_char) {
		case 'm':
			a.opt.min_percent = parse_percent(optarg);
			break;
		case 'n':
			a.opt.numbers = 1;
			break;
		case 't':
			tid = (uint32_t)parse_option_u64("--thread", optarg, 0,
							 UINT32_MAX);
			one_thread = 1;
			break;
		case 'p':
			pid = (uint32_t)parse_option_u64("--process", optarg,
							 1, UINT32_MAX);
			one_process = 1;
			break;
		case OPT_EACH_PROCESS:
			each_process = 1;
			break;
		case OPT_EACH_THREAD:
			each_thread = 1;
			break;
		case OPT_HTML:
			a.html = 1;
			break;
		case OPT_ASM:
			a.asm_asked = 1;
			if (!optarg || !strcmp(optarg, "intel")) {
				a.asm_mode = 1;
			} else if (!strcmp(optarg, "att")) {
				a.asm_mode = 2;
			} else {
				warn("option --asm: '%s' is not intel or att",
				     optarg);
				usage(EXIT_USAGE);
			}
			break;
		case 'f':
			a.function = optarg;
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
	if (one_thread + each_thread + one_process + each_process > 1) {
		warn("--thread, --each-thread, --process and --each-process "
		     "exclude each other");
		usage(EXIT_USAGE);
	}
	if (a.html && (one_thread || each_thread || one_process ||
		       each_process || a.function)) {
		warn("--html has every thread's listing: not with --thread, "
		     "--each-thread or --function");
		usage(EXIT_USAGE);
	}
	if (a.function && !a.asm_mode)
		a.asm_mode = 1;	/* --function is an instruction view */
	if (a.html && !a.asm_mode)
		a.asm_mode = 1;	/* folded under each line */
	if (a.asm_mode && (one_thread || each_thread || one_process ||
			   each_process)) {
		warn("--asm shows the samples of all threads: not with "
		     "--thread or --each-thread");
		usage(EXIT_USAGE);
	}
	fp = input_open(argv[optind], &path);
	profile_read(p, fp, path, a.asm_mode != 0);
	input_close(fp);

	a.nolines = noline_functions(p, &a.nolines_nr);
	a.threads = thread_list(p, &a.threads_nr);
	callsite_index_init(&a.callsites, p);

	if (a.html) {
		annotate_html(&a);
		goto out;
	}
	print_header(p, a.nolines, a.nolines_nr, a.opt.min_percent);
	print_outside(p);
	print_process_summary(p, a.threads, a.threads_nr);
	print_thread_summary(a.threads, a.threads_nr);
	if (!p->by_kind[KIND_JIT] && !a.function)
		puts("# no samples hit JIT code");
	else if (one_process)
		annotate_process(&a, pid, 0);
	else if (each_process) {
		size_t np, k;
		uint32_t *pids = process_list(a.threads, a.threads_nr, &np);

		for (k = 0; k < np; k++)
			annotate_process(&a, pids[k], 1);
		free(pids);
	}
	else if (one_thread || each_thread)
		annotate_threads(&a, tid, each_thread);
	else if (a.function)
		annotate_function(&a);
	else
		annotate_all(&a);
out:
	if (p->bad_lines) {
		warn("ignored %" PRIu64 " bad line%s", p->bad_lines,
		     p->bad_lines == 1 ? "" : "s");
		a.code = EXIT_PARTIAL;
	}
	callsite_index_release(&a.callsites);
	free(a.threads);
	free(a.nolines);
	profile_release(p);
	close_stdout();
	return a.code;
}
