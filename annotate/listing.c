/* listing.c - see listing.h */
#include "listing.h"
#include "source.h"
#include "tags.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The lines of one function in one file: lines[first, first + nr). */
struct function_group {
	const char *file, *function;
	size_t first, nr;
	uint64_t self, total;			/* summed over its lines */
	uint64_t noline_self;		/* SELF of its LINE 0 record */
};

/* The functions of one file: functions[first, first + nr). */
struct file_group {
	const char *file;
	uint64_t self, total;
	uint64_t top;		/* the largest total of its functions */
	size_t first, nr;
};

/* Callees named after a call site; the others are counted. */
#define CALLEES_SHOWN 3

struct listing {
	const struct listing_options *opt;
	const struct listing_input *in;
	const struct callsite_index *callsites;
	uint64_t samples;
	int width;		/* of the count column */
	char *cwd, *pwd;	/* to show paths relative to the current directory */
};



static int cmp_line_count(const void *pa, const void *pb)
{
	const struct line_count *a = pa, *b = pb;
	int r;

	if ((r = cmp_string(a->file, b->file)) ||
	    (r = cmp_string(a->function, b->function)))
		return r;
	return (a->line > b->line) - (a->line < b->line);
}

/*
 * With call stacks, functions and files come by their total: the
 * caller whose loop the time went through first (the user's, which
 * calls the library code where the time is), then its callees.
 * Without, by the time in their own code.
 */
static int by_total;

static int cmp_function_group(const void *pa, const void *pb)
{
	const struct function_group *a = pa, *b = pb;
	int r;

	if (by_total && (r = cmp_u64_desc(a->total, b->total)))
		return r;
	if ((r = cmp_u64_desc(a->self, b->self)) ||
	    (r = cmp_u64_desc(a->total, b->total)))
		return r;
	return cmp_string(a->function, b->function);
}

static int cmp_file_group(const void *pa, const void *pb)
{
	const struct file_group *a = pa, *b = pb;
	int r;

	if (by_total && (r = cmp_u64_desc(a->top, b->top)))
		return r;
	if ((r = cmp_u64_desc(a->self, b->self)) ||
	    (r = cmp_u64_desc(a->total, b->total)))
		return r;
	return cmp_string(a->file, b->file);
}

/*
 * A sorted copy of the line records, with any that name the same line
 * twice merged; in *nr.  The strings still belong to the profile.
 */
static struct line_count *sort_lines(const struct line_count *lines,
				     size_t *nr_inout)
{
	size_t i, nr = 0, n = *nr_inout;
	struct line_count *sorted;

	sorted = xreallocarray(NULL, n ? n : 1, sizeof(*sorted));
	if (n)
		memcpy(sorted, lines, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_line_count);
	for (i = 0; i < n; i++) {
		if (nr && !cmp_line_count(&sorted[nr - 1], &sorted[i])) {
			sorted[nr - 1].self += sorted[i].self;
			sorted[nr - 1].total += sorted[i].total;
		} else {
			sorted[nr++] = sorted[i];
		}
	}
	*nr_inout = nr;
	return sorted;
}

static struct function_group *group_functions(const struct line_count *lines,
					      size_t lines_nr, size_t *nr_out)
{
	struct function_group *g = NULL;
	size_t i, nr = 0, alloc = 0;

	for (i = 0; i < lines_nr; i++) {
		const struct line_count *c = &lines[i];
		struct function_group *f = nr ? &g[nr - 1] : NULL;

		if (!f || cmp_string(f->file, c->file) ||
		    cmp_string(f->function, c->function)) {
			ALLOC_GROW(g, nr + 1, alloc);
			f = &g[nr++];
			memset(f, 0, sizeof(*f));
			f->file = c->file;
			f->function = c->function;
			f->first = i;
		}
		if (c->line) {
			f->nr++;
		} else {
			/* Sorted first; kept out of [first, first + nr). */
			f->first++;
			f->noline_self += c->self;
		}
		f->self += c->self;
		f->total += c->total;
	}
	*nr_out = nr;
	return g;
}

static struct file_group *group_files(struct function_group *funcs,
				      size_t funcs_nr, size_t *nr_out)
{
	struct file_group *g = NULL;
	size_t i, nr = 0, alloc = 0;

	for (i = 0; i < funcs_nr; i++) {
		struct file_group *f = nr ? &g[nr - 1] : NULL;

		if (!f || cmp_string(f->file, funcs[i].file)) {
			ALLOC_GROW(g, nr + 1, alloc);
			f = &g[nr++];
			memset(f, 0, sizeof(*f));
			f->file = funcs[i].file;
			f->first = i;
		}
		f->nr++;
		f->self += funcs[i].self;
		f->total += funcs[i].total;
		if (funcs[i].total > f->top)
			f->top = funcs[i].total;
	}
	for (i = 0; i < nr; i++)
		qsort(funcs + g[i].first, g[i].nr, sizeof(*funcs),
		      cmp_function_group);
	if (nr > 1)
		qsort(g, nr, sizeof(*g), cmp_file_group);
	*nr_out = nr;
	return g;
}

/* path without the current directory in front, when it is under it. */
static const char *display_path(const struct listing *l, const char *path)
{
	const char *dirs[2] = { l->pwd, l->cwd };
	int i;

	for (i = 0; i < 2; i++) {
		size_t len = dirs[i] ? strlen(dirs[i]) : 0;

		if (len && dirs[i][len - 1] == '/')
			len--;	/* the root directory */
		if (dirs[i] && !strncmp(path, dirs[i], len) &&
		    path[len] == '/' && path[len + 1])
			return path + len + 1;
	}
	return path;
}

/* $PWD, when it names the current directory by another path (a symlink). */
static char *logical_cwd(const char *cwd)
{
	const char *pwd = getenv("PWD");
	struct stat a, b;

	if (!pwd || pwd[0] != '/' || (cwd && !strcmp(pwd, cwd)) ||
	    stat(pwd, &a) || stat(".", &b) || a.st_dev != b.st_dev ||
	    a.st_ino != b.st_ino)
		return NULL;
	return xstrdup(pwd);
}

/* count as "12.3%" (or the count itself with -n), right-aligned in width. */
static char *share(const struct listing *l, char *buf, size_t size,
		   uint64_t count, int width)
{
	if (l->opt->numbers)
		snprintf(buf, size, "%*" PRIu64, width, count);
	else
		snprintf(buf, size, "%*.1f%%", width ? width - 1 : 0,
			 l->samples ? 100.0 * (double)count / (double)l->samples
				    : 0.0);
	return buf;
}

static const char *base_name(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;

	return slash ? slash + 1 : path ? path : "-";
}

/*
 * "  <- inlined f(), g(); calls h()": the functions inlined at c, then
 * those called there (with call stacks), biggest first.
 */
static void print_inlined(const struct listing *l,
			  const struct function_group *f,
			  const struct line_count *c)
{
	const struct callsite_entry *e;
	size_t i, nr, shown[2] = { 0, 0 }, more[2] = { 0, 0 };

	if (!l->callsites || c->total <= c->self)
		return;
	e = callsite_find(l->callsites, f->file, c->line, f->function, &nr);
	for (i = 0; i < nr; i++) {
		int k = e[i].called;

		/* The same callee from another object (inlined elsewhere). */
		if (i && e[i - 1].called == k &&
		    !cmp_string(e[i - 1].callee, e[i].callee))
			continue;
		if (shown[k] == CALLEES_SHOWN) {
			more[k]++;
			continue;
		}
		if (!shown[k])
			fputs(k && shown[0] ? "; calls " : k ? "  <- calls " :
							      "  <- inlined ",
			      stdout);
		else
			fputs(", ", stdout);
		if (k && e[i].callee_kind == KIND_KERNEL)
			fputs("the kernel", stdout);	/* page faults, ... */
		else if (k && !e[i].callee && e[i].callee_object)
			printf("[%s]", base_name(e[i].callee_object));
		else
			printf("%s%s", e[i].callee ? e[i].callee :
						     "(unknown function)",
			       e[i].callee ? "()" : "");
		shown[k]++;
		if (!k && i + 1 < nr && e[i + 1].called && more[0])
			printf(" and %zu more", more[0]);
	}
	if (more[1] || (more[0] && !shown[1]))
		printf(" and %zu more", more[1] ? more[1] : more[0]);
}

static void print_row(const struct listing *l, const struct function_group *f,
		      const struct line_count *c, const char *text, size_t len)
{
	char buf[48];

	if (c)
		fputs(share(l, buf, sizeof(buf), c->self, l->width), stdout);
	else
		printf("%*s", l->width, "");
	fputs(" |", stdout);
	if (len) {
		putchar(' ');
		fwrite(text, 1, len, stdout);
	}
	/*
	 * The total and its inlined callees, when they add something that
	 * shows: "total 0.0%" beside "0.0%" says nothing.
	 */
	if (c && c->total != c->self) {
		char self[48];

		snprintf(self, sizeof(self), "%s",
			 share(l, buf, sizeof(buf), c->self, 0));
		if (strcmp(self, share(l, buf, sizeof(buf), c->total, 0))) {
			put_tag(TAG_MARKS);
			printf("   total %s", buf);
			print_inlined(l, f, c);
		}
	}
	putchar('\n');
}

/*
 * A function's name for a heading: a Numba name carries its whole
 * signature (with --no-lines, from the symbol), hundreds of characters
 * for a function of many arrays; past NAME_WIDTH the parameter list is
 * cut and ended "...)".  The stream keeps the full name.
 */
#define NAME_WIDTH 120

static void print_function_name(const char *name)
{
	const char *paren = strchr(name, '(');
	size_t len = strlen(name);

	if (len <= NAME_WIDTH || !paren || (size_t)(paren - name) >= NAME_WIDTH - 4) {
		fputs(name, stdout);
		return;
	}
	printf("%.*s...)", NAME_WIDTH - 4, name);
}

/*
 * With call stacks: "#   called from a (line 12) 40.0%, Python 10.0%;
 * and by itself (recursion)", the callers of a function that did not inline it,
 * most samples first.  A caller that is the function itself is its
 * recursion; a caller of the same name at no line is its wrapper, the
 * way in from Python.
 */
#define CALLERS_SHOWN 4

static void print_callers(const struct listing *l,
			  const struct function_group *f)
{
	const struct callsite_entry *e;
	uint64_t rest = 0;
	size_t i, nr, shown = 0, more = 0;
	int recursion = 0, wrapper = 0;
	char buf[48];

	if (!l->callsites || !f->function || !f->file ||
	    !(e = callers_find(l->callsites, f->function, &nr)))
		return;
	for (i = 0; i < nr; i++)
		if (e[i].caller && !strcmp(e[i].caller, f->function) &&
		    !e[i].file)
			wrapper = 1;
	for (i = 0; i < nr; i++) {
		const struct callsite_entry *c = &e[i];
		int same = c->caller && !strcmp(c->caller, f->function);

		/*
		 * A sample may have several of these calls: their shares
		 * overlap, and those of the recursion are not shown.
		 */
		if (same && !cmp_string(c->file, f->file)) {
			recursion = 1;
			continue;
		}
		/* What calls the wrapper (the dispatcher) is Python too. */
		if (wrapper && c->caller_kind != KIND_JIT)
			continue;
		if (shown == CALLERS_SHOWN) {
			more++;
			rest += c->total;
			continue;
		}
		fputs(shown++ ? ", " : "#   called from ", stdout);
		if (same && !c->file)
			fputs("Python", stdout);
		else if (c->caller_kind != KIND_JIT || !c->file)
			printf("%s%s%s", c->caller ? c->caller : "",
			       c->caller ? " in " : "",
			       base_name(c->caller_object));
		else if (!cmp_string(c->file, f->file))
			printf("%s (line %" PRIu32 ")", c->caller ? c->caller : "?",
			       c->line);
		else
			printf("%s (%s:%" PRIu32 ")", c->caller ? c->caller : "?",
			       base_name(c->file), c->line);
		printf(" %s", share(l, buf, sizeof(buf), c->total, 0));
	}
	if (more)
		printf(", %zu more %s", more, share(l, buf, sizeof(buf), rest, 0));
	if (recursion)
		fputs(shown ? "; and by itself (recursion)" :
			      "#   called by itself (recursion)", stdout);
	if (shown || recursion)
		putchar('\n');
}

static void print_function_header(const struct listing *l,
				  const struct function_group *f,
				  const struct line_count *lines,
				  const char *note)
{
	char buf[48];

	printf("## %s", f->file ? display_path(l, f->file) : "(unknown file)");
	if (note)
		printf(" (%s)", note);
	else if (f->nr == 1)
		printf(", line %" PRIu32, lines[0].line);
	else if (f->nr > 1)
		printf(", lines %" PRIu32 "-%" PRIu32, lines[0].line,
		       lines[f->nr - 1].line);
	fputs(", ", stdout);
	print_function_name(f->function ? f->function : "(unknown function)");
	printf(" (%s", share(l, buf, sizeof(buf), f->self, 0));
	if (f->total != f->self)
		printf(", total %s", share(l, buf, sizeof(buf), f->total, 0));
	putchar(')');
	/* Not when it would read 0.0%: a sample or two is no lead. */
	if (f->noline_self &&
	    (l->opt->numbers || 2000 * f->noline_self >= l->samples))
		printf(" (%s at no source line%s)",
		       share(l, buf, sizeof(buf), f->noline_self, 0),
		       l->in->asm_hint ? ", --asm shows it" : "");
	putchar('\n');
	print_callers(l, f);
}

/* With --asm: the instructions of a line that has samples (or any). */
static void print_instructions(const struct listing *l,
			       const struct function_group *f, uint32_t line,
			       uint64_t self)
{
	if (l->in->asm_view && (self || l->in->asm_full))
		asm_print_line(l->in->asm_view, f->file, line, f->function);
}

static void print_function(const struct listing *l,
			   const struct function_group *f,
			   const struct line_count *lines,
			   const struct source *src, const char *note)
{
	uint32_t next = f->nr ? lines[0].line : 0;
	size_t i;

	print_function_header(l, f, lines, note);
	for (i = 0; i < f->nr; i++) {
		const struct line_count *c = &lines[i];
		char missing[64];

		if (note) {
			snprintf(missing, sizeof(missing), "line %" PRIu32,
				 c->line);
			print_row(l, f, c, missing, strlen(missing));
			print_instructions(l, f, c->line, c->self);
			continue;
		}
		/* The lines without samples before this one. */
		for (; next < c->line && next <= src->nr; next++)
			print_row(l, f, NULL, src->lines[next - 1].text,
				  src->lines[next - 1].len);
		if (c->line <= src->nr) {
			print_row(l, f, c, src->lines[c->line - 1].text,
				  src->lines[c->line - 1].len);
		} else {
			snprintf(missing, sizeof(missing),
				 "line %" PRIu32 " (past the end of the file)",
				 c->line);
			print_row(l, f, c, missing, strlen(missing));
		}
		print_instructions(l, f, c->line, c->self);
		next = c->line + 1;
	}
	if (l->in->asm_view &&
	    asm_has_line(l->in->asm_view, f->file, 0, f->function) &&
	    (l->in->asm_full ||
	     (l->samples && 100.0 * (double)f->noline_self /
					    (double)l->samples >=
				    l->opt->min_percent))) {
		put_tag(TAG_LABEL);
		printf("%*s | (at no source line)\n", l->width, "");
		print_instructions(l, f, 0, f->noline_self);
	}
}

/* Why a source file cannot be shown, for the function header. */
static char *source_note(char *buf, size_t size, int err)
{
	if (err == ENOENT || err == ENOTDIR)
		snprintf(buf, size, "source not found");
	else
		snprintf(buf, size, "cannot read source: %s", strerror(err));
	return buf;
}

/*
 * Print "## FUNCTION (no line table), P%" for f[*next] on while they
 * have more than above samples (all of them when all is set); count
 * the ones below min_percent in *hidden.
 */
static void print_noline_headers(const struct listing *l,
				 const struct noline_function *f, size_t nr,
				 size_t *next, uint64_t above, int all,
				 size_t *hidden)
{
	char buf[48];

	for (; *next < nr && (all || f[*next].samples > above); (*next)++) {
		const struct noline_function *g = &f[*next];

		if (!l->samples || 100.0 * (double)g->samples /
						  (double)l->samples <
					  l->opt->min_percent) {
			(*hidden)++;
			continue;
		}
		fputs("## ", stdout);
		print_function_name(g->name);
		printf(" (no line table), %s\n",
		       share(l, buf, sizeof(buf), g->samples, 0));
	}
}

int listing_width(uint64_t samples, const struct listing_options *opt)
{
	int digits = snprintf(NULL, 0, "%" PRIu64, samples);

	return opt->numbers && digits > 6 ? digits : 6;
}

size_t print_listing(const struct listing_input *in,
		     const struct listing_options *opt)
{
	struct listing l = { opt, in, in->callsites, in->samples,
			     listing_width(in->samples, opt), NULL, NULL };
	struct line_count *lines;
	struct function_group *funcs;
	struct file_group *files;
	size_t lines_nr = in->lines_nr, funcs_nr, files_nr, i, j;
	size_t hidden = 0, next = 0;
	l.cwd = getcwd(NULL, 0);
	l.pwd = logical_cwd(l.cwd);
	lines = sort_lines(in->lines, &lines_nr);
	funcs = group_functions(lines, lines_nr, &funcs_nr);
	by_total = in->functotals_nr > 0;
	/* With call stacks a function's total is its own record's. */
	for (i = 0; i < funcs_nr; i++)
		for (j = 0; j < in->functotals_nr; j++)
			if (!cmp_string(in->functotals[j].file, funcs[i].file) &&
			    !cmp_string(in->functotals[j].function,
					funcs[i].function)) {
				funcs[i].total = in->functotals[j].total;
				break;
			}
	files = group_files(funcs, funcs_nr, &files_nr);

	for (i = 0; i < files_nr; i++) {
		struct source src = { 0 };
		int loaded = 0;
		char note_buf[128], *note = NULL;

		/* Hotter code without line tables first. */
		print_noline_headers(&l, in->nolines, in->nolines_nr, &next,
				     files[i].self, 0, &hidden);
		for (j = files[i].first; j < files[i].first + files[i].nr; j++) {
			const struct function_group *f = &funcs[j];
			uint64_t most = f->self > f->total ? f->self : f->total;

			if (!l.samples ||
			    100.0 * (double)most / (double)l.samples <
				    opt->min_percent) {
				hidden++;
				continue;
			}
			if (!loaded) {
				loaded = 1;
				if (!f->file)
					note = "source not known";
				/* The text carried in the stream, else the file. */
				else if (source_from_texts(&src, in->texts,
							   in->texts_nr,
							   f->file) &&
					 source_load(&src, f->file))
					note = source_note(note_buf,
							   sizeof(note_buf),
							   errno);
			}
			print_function(&l, f, &lines[f->first], &src, note);
		}
		source_release(&src);
	}
	print_noline_headers(&l, in->nolines, in->nolines_nr, &next, 0, 1,
			     &hidden);
	free(files);
	free(funcs);
	free(lines);
	free(l.cwd);
	free(l.pwd);
	return hidden;
}
