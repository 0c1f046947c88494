/* profile.c - see profile.h */
#include "profile.h"
#include "escape.h"
#include "lineio.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Bad lines reported one by one; the rest only in the summary. */
#define MAX_REPORTED 20
/* How much of a bad line a message quotes. */
#define SHOWN_MAX 72

struct reader {
	struct line_reader lr;
	struct profile *profile;
	int have_total;
	char shown[SHOWN_MAX + 4];	/* the current line, for messages */
};

static void bad_line(struct reader *r, const char *what)
{
	uint64_t n = ++r->profile->bad_lines;

	if (n <= MAX_REPORTED)
		warn("%s: line %llu: %s%s%s%s", r->lr.name,
		     (unsigned long long)r->lr.lineno, what,
		     *r->shown ? " '" : "", r->shown, *r->shown ? "'" : "");
	if (n == MAX_REPORTED + 1)
		warn("%s: further bad lines are not reported one by one",
		     r->lr.name);
}

static int parse_count(const char *s, uint64_t *out)
{
	return parse_u64(s, 10, 0, UINT64_MAX, out);
}

/* A percentage as pf-aggregate writes it: digits, a dot, digits. */
static int check_percent(const char *s)
{
	size_t digits = strspn(s, "0123456789");

	if (!digits)
		return -1;
	if (s[digits] == '.')
		s += digits + 1, digits = strspn(s, "0123456789");
	return digits && !s[digits] ? 0 : -1;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/*
 * Seven fields, nine since NOLINES and THROTTLED were added, ten since
 * LINELESS was; fields after the tenth are ignored.
 */
static void do_total(struct reader *r, char **f, size_t n)
{
	struct profile *p = r->profile;
	uint64_t v[10] = { 0 };
	size_t i;

	if (r->have_total) {
		bad_line(r, "second total record");
		return;
	}
	if (n < 8) {
		bad_line(r, "bad total record");
		return;
	}
	for (i = 0; i < 10 && i + 1 < n; i++)
		if (parse_count(f[i + 1], &v[i])) {
			bad_line(r, "bad total record");
			return;
		}
	p->samples = v[0];
	for (i = 0; i < 4; i++)
		p->by_kind[i] = v[i + 1];
	p->unresolved = v[5];
	p->lost = v[6];
	p->nolines = v[7];
	p->throttled = v[8];
	/*
	 * Streams before LINELESS counted the JIT samples without a line in
	 * UNRESOLVED, with the unknown ones: split them out again.  (Those
	 * of no known function among them cannot be told apart: they are
	 * taken as lineless, not unresolved.)
	 */
	if (n > 10) {
		p->lineless = v[9];
	} else {
		p->lineless = v[5] > v[4] ? v[5] - v[4] : 0;
		p->unresolved = v[5] - p->lineless;
	}
	r->have_total = 1;
}

static void do_line(struct reader *r, char **f, size_t n)
{
	struct profile *p = r->profile;
	struct line_count c;
	uint64_t line;

	if (n < 8 || parse_count(f[1], &c.self) || check_percent(f[2]) ||
	    parse_count(f[3], &c.total) || check_percent(f[4]) ||
	    unescape_field(f[5], &c.file) ||
	    parse_u64(f[6], 10, 0, UINT32_MAX, &line) ||
	    unescape_field(f[7], &c.function)) {
		bad_line(r, "bad line record");
		return;
	}
	c.line = (uint32_t)line;
	c.file = dup_or_null(c.file);
	c.function = dup_or_null(c.function);
	ALLOC_GROW(p->lines, p->lines_nr + 1, p->lines_alloc);
	p->lines[p->lines_nr++] = c;
}

/* callsite TOTAL TOTAL% FILE LINE CALLER CALLEE */
static void do_callsite(struct reader *r, char **f, size_t n)
{
	struct profile *p = r->profile;
	struct callsite_count c;
	uint64_t line;

	if (n < 7 || parse_count(f[1], &c.total) || check_percent(f[2]) ||
	    unescape_field(f[3], &c.file) ||
	    parse_u64(f[4], 10, 0, UINT32_MAX, &line) ||
	    unescape_field(f[5], &c.caller) ||
	    unescape_field(f[6], &c.callee)) {
		bad_line(r, "bad callsite record");
		return;
	}
	c.line = (uint32_t)line;
	c.file = dup_or_null(c.file);
	c.caller = dup_or_null(c.caller);
	c.callee = dup_or_null(c.callee);
	ALLOC_GROW(p->callsites, p->callsites_nr + 1, p->callsites_alloc);
	p->callsites[p->callsites_nr++] = c;
}

/* thread SAMPLES SAMPLES% JIT JIT% PID TID NAME */
static void do_thread(struct reader *r, char **f, size_t n)
{
	struct profile *p = r->profile;
	struct thread_count c;
	uint64_t pid, tid;

	if (n < 8 || parse_count(f[1], &c.samples) || check_percent(f[2]) ||
	    parse_count(f[3], &c.jit) || check_percent(f[4]) ||
	    c.jit > c.samples ||
	    parse_u64(f[5], 10, 0, UINT32_MAX, &pid) ||
	    parse_u64(f[6], 10, 0, UINT32_MAX, &tid) ||
	    unescape_field(f[7], &c.name)) {
		bad_line(r, "bad thread record");
		return;
	}
	c.pid = (uint32_t)pid;
	c.tid = (uint32_t)tid;
	c.name = dup_or_null(c.name);
	ALLOC_GROW(p->threads, p->threads_nr + 1, p->threads_alloc);
	p->threads[p->threads_nr++] = c;
}

/* threadline SELF SELF% TOTAL TOTAL% PID TID FILE LINE FUNCTION */
static void do_threadline(struct reader *r, char **f, size_t n)
{
	struct profile *p = r->profile;
	struct threadline_count c;
	uint64_t pid, tid, line;

	if (n < 10 || parse_count(f[1], &c.line.self) ||
	    check_percent(f[2]) || parse_count(f[3], &c.line.total) ||
	    check_percent(f[4]) ||
	    parse_u64(f[5], 10, 0, UINT32_MAX, &pid) ||
	    parse_u64(f[6], 10, 0, UINT32_MAX, &tid) ||
	    unescape_field(f[7], &c.line.file) ||
	    parse_u64(f[8], 10, 0, UINT32_MAX, &line) ||
	    unescape_field(f[9], &c.line.function)) {
		bad_line(r, "bad threadline record");
		return;
	}
	c.pid = (uint32_t)pid;
	c.tid = (uint32_t)tid;
	c.line.line = (uint32_t)line;
	c.line.file = dup_or_null(c.line.file);
	c.line.function = dup_or_null(c.line.function);
	ALLOC_GROW(p->threadlines, p->threadlines_nr + 1,
		   p->threadlines_alloc);
	p->threadlines[p->threadlines_nr++] = c;
}

static void do_outside(struct reader *r, char **f, size_t n)
{
	struct profile *p = r->profile;
	struct outside_count c;

	if (n < 6 || parse_count(f[1], &c.samples) || check_percent(f[2]) ||
	    parse_sample_kind(f[3], &c.kind) ||
	    unescape_field(f[4], &c.object) ||
	    unescape_field(f[5], &c.function)) {
		bad_line(r, "bad outside record");
		return;
	}
	c.object = dup_or_null(c.object);
	c.function = dup_or_null(c.function);
	ALLOC_GROW(p->outside, p->outside_nr + 1, p->outside_alloc);
	p->outside[p->outside_nr++] = c;
}

static void do_compiling(struct reader *r, char **f, size_t n)
{
	struct profile *p = r->profile;
	struct compiling_count c;
	enum compiling_kind kind;

	if (n < 6 || parse_count(f[1], &c.samples) || check_percent(f[2]) ||
	    parse_u64(f[3], 10, 0, UINT64_MAX, &c.ns) ||
	    parse_u64(f[4], 10, 0, UINT64_MAX, &c.functions) ||
	    parse_compiling_kind(f[5], &kind)) {
		bad_line(r, "bad compiling record");
		return;
	}
	p->compiling[kind] = c;
	p->have_compiling = 1;
}

static void do_nolines(struct reader *r, char **f, size_t n)
{
	struct profile *p = r->profile;
	struct nolines_count c;

	if (n < 5 || parse_count(f[1], &c.samples) || check_percent(f[2]) ||
	    unescape_field(f[3], &c.object) || !c.object ||
	    unescape_field(f[4], &c.name)) {
		bad_line(r, "bad nolines record");
		return;
	}
	c.object = xstrdup(c.object);
	c.name = dup_or_null(c.name);
	ALLOC_GROW(p->noline_objects, p->noline_objects_nr + 1,
		   p->noline_objects_alloc);
	p->noline_objects[p->noline_objects_nr++] = c;
}

static int has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/*
 * Append arg, with control characters (a python -c program's newlines),
 * as $'...' as bash and zsh read it: the report keeps one line a record
 * and the command can still be pasted.
 */
static void append_ansi_c(char **w, const char *arg)
{
	*(*w)++ = '$';
	*(*w)++ = '\'';
	for (; *arg; arg++) {
		unsigned char c = (unsigned char)*arg;

		if (c == '\n' || c == '\t') {
			*(*w)++ = '\\';
			*(*w)++ = c == '\n' ? 'n' : 't';
		} else if (c == '\\' || c == '\'') {
			*(*w)++ = '\\';
			*(*w)++ = (char)c;
		} else if (c < 0x20 || c == 0x7f) {
			*w += sprintf(*w, "\\x%02x", c);
		} else {
			*(*w)++ = (char)c;
		}
	}
	*(*w)++ = '\'';
}

/* Append arg to the command, quoted where a shell would need it. */
static void append_arg(char **cmd, size_t *len, size_t *alloc, const char *arg)
{
	size_t need = *len + 4 * strlen(arg) + 4;
	int quote = !*arg || arg[strcspn(arg, " \t\n'\"\\$`*?[]{}()<>|&;#~!")];
	char *w;

	ALLOC_GROW(*cmd, need, *alloc);
	w = *cmd + *len;
	if (*len)
		*w++ = ' ';
	if (has_control(arg)) {
		append_ansi_c(&w, arg);
		*w = '\0';
		*len = (size_t)(w - *cmd);
		return;
	}
	if (quote)
		*w++ = '\'';
	for (; *arg; arg++) {
		unsigned char c = (unsigned char)*arg;

		if (c == '\'') {
			memcpy(w, "'\\''", 4);
			w += 4;
		} else {
			*w++ = (char)c;
		}
	}
	if (quote)
		*w++ = '\'';
	*w = '\0';
	*len = (size_t)(w - *cmd);
}

/* meta command ARG...: each argument escaped, separated by spaces. */
static void do_command(struct reader *r, char *args)
{
	struct profile *p = r->profile;
	char *cmd = NULL, *arg, *next;
	size_t len = 0, alloc = 0;

	for (arg = args; arg; arg = next) {
		char *decoded;

		next = strchr(arg, ' ');
		if (next)
			*next++ = '\0';
		if (unescape_field(arg, &decoded)) {
			free(cmd);
			bad_line(r, "bad meta command record");
			return;
		}
		append_arg(&cmd, &len, &alloc, decoded ? decoded : "-");
	}
	free(p->command);
	p->command = cmd;
}

static void do_exit(struct reader *r, char **f, size_t n)
{
	struct profile *p = r->profile;
	uint64_t time;
	char *how;

	if (n < 4 || parse_count(f[1], &time) ||
	    parse_count(f[2], &p->exit_status) ||
	    unescape_field(f[3], &how) || !how) {
		bad_line(r, "bad exit record");
		return;
	}
	free(p->exit_how);
	p->exit_how = xstrdup(how);
}

static void process_line(struct reader *r)
{
	struct line_reader *lr = &r->lr;
	size_t len = lr->len < SHOWN_MAX ? lr->len : SHOWN_MAX, n;
	char *f[PF_MAX_FIELDS];

	if (lr->buf[0] == '#')
		return;
	memcpy(r->shown, lr->buf, len);
	strcpy(r->shown + len, lr->len > SHOWN_MAX ? "..." : "");
	if (lr->unterminated) {
		bad_line(r, "truncated record (no newline at the end)");
		return;
	}
	if (!strncmp(lr->buf, "meta command ", 13)) {
		do_command(r, lr->buf + 13);
		return;
	}
	if (!strncmp(lr->buf, "meta lines ", 11)) {
		free(r->profile->lines_mode);
		r->profile->lines_mode = xstrdup(lr->buf + 11);
		return;
	}
	n = split_fields(lr->buf, f, PF_MAX_FIELDS);
	if (!*f[0])
		bad_line(r, lr->len ? "record without a kind" : "empty line");
	else if (!strcmp(f[0], "total"))
		do_total(r, f, n);
	else if (!strcmp(f[0], "line"))
		do_line(r, f, n);
	else if (!strcmp(f[0], "callsite"))
		do_callsite(r, f, n);
	else if (!strcmp(f[0], "thread"))
		do_thread(r, f, n);
	else if (!strcmp(f[0], "threadline"))
		do_threadline(r, f, n);
	else if (!strcmp(f[0], "outside"))
		do_outside(r, f, n);
	else if (!strcmp(f[0], "nolines"))
		do_nolines(r, f, n);
	else if (!strcmp(f[0], "compiling"))
		do_compiling(r, f, n);
	else if (!strcmp(f[0], "exit"))
		do_exit(r, f, n);
	/* Anything else (function, unknown kinds) is not shown. */
}

void profile_read(struct profile *p, FILE *fp, const char *name)
{
	struct reader r;

	memset(p, 0, sizeof(*p));
	memset(&r, 0, sizeof(r));
	r.profile = p;
	line_reader_init(&r.lr, fp, name);
	expect_header(&r.lr, PF_FORMAT_AGGREGATE);
	while (line_read(&r.lr))
		process_line(&r);
	line_reader_release(&r.lr);
	if (!r.have_total) {
		profile_release(p);
		die(EXIT_DATAERR, "%s: no total record: not a whole pf-aggregate stream",
		    name);
	}
}

void profile_release(struct profile *p)
{
	size_t i;

	for (i = 0; i < p->lines_nr; i++) {
		free(p->lines[i].file);
		free(p->lines[i].function);
	}
	free(p->lines);
	for (i = 0; i < p->callsites_nr; i++) {
		free(p->callsites[i].file);
		free(p->callsites[i].caller);
		free(p->callsites[i].callee);
	}
	free(p->callsites);
	for (i = 0; i < p->threads_nr; i++)
		free(p->threads[i].name);
	free(p->threads);
	for (i = 0; i < p->threadlines_nr; i++) {
		free(p->threadlines[i].line.file);
		free(p->threadlines[i].line.function);
	}
	free(p->threadlines);
	for (i = 0; i < p->outside_nr; i++) {
		free(p->outside[i].object);
		free(p->outside[i].function);
	}
	free(p->outside);
	for (i = 0; i < p->noline_objects_nr; i++) {
		free(p->noline_objects[i].object);
		free(p->noline_objects[i].name);
	}
	free(p->noline_objects);
	free(p->command);
	free(p->lines_mode);
	free(p->exit_how);
	memset(p, 0, sizeof(*p));
}
