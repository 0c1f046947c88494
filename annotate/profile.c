/* profile.c - see profile.h */
#include "profile.h"
#include "aggrec.h"
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
	int version;		/* of the stream, from its header */
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

/*
 * Read record f into v by definition d (aggrec.h): the number of fields
 * read, or -1 after saying the line is bad.
 */
static int parse(struct reader *r, const struct agg_def *d, char **f,
		 size_t n, union agg_value *v)
{
	int got = agg_parse(d, f, n, v);
	char what[32];

	if (got >= 0)
		return got;
	snprintf(what, sizeof(what), "bad %s record", d->kind);
	bad_line(r, what);
	return -1;
}

/*
 * Seven fields, nine since NOLINES and THROTTLED were added, ten since
 * LINELESS was; fields after the tenth are ignored.
 */
static void do_total(struct reader *r, char **f, size_t n)
{
	struct profile *p = r->profile;
	union agg_value v[10];
	int got;
	size_t i;

	if (r->have_total) {
		bad_line(r, "second total record");
		return;
	}
	if ((got = parse(r, &agg_total, f, n, v)) < 0)
		return;
	p->samples = v[0].u;
	for (i = 0; i < 4; i++)
		p->by_kind[i] = v[i + 1].u;
	p->unresolved = v[5].u;
	p->lost = v[6].u;
	p->nolines = v[7].u;
	p->throttled = v[8].u;
	/*
	 * Streams before LINELESS counted the JIT samples without a line in
	 * UNRESOLVED, with the unknown ones: split them out again.  (Those
	 * of no known function among them cannot be told apart: they are
	 * taken as lineless, not unresolved.)
	 */
	if (got >= 10) {
		p->lineless = v[9].u;
	} else {
		p->lineless = v[5].u > v[4].u ? v[5].u - v[4].u : 0;
		p->unresolved = v[5].u - p->lineless;
	}
	r->have_total = 1;
}

static void do_line(struct reader *r, char **f, size_t n)
{
	struct profile *p = r->profile;
	union agg_value v[7];
	struct line_count c;

	if (parse(r, &agg_line, f, n, v) < 0)
		return;
	c.self = v[0].u;
	c.total = v[2].u;
	c.file = xstrdup_or_null(v[4].s);
	c.line = (uint32_t)v[5].u;
	c.function = xstrdup_or_null(v[6].s);
	ALLOC_GROW(p->lines, p->lines_nr + 1, p->lines_alloc);
	p->lines[p->lines_nr++] = c;
}

static void do_callsite(struct reader *r, char **f, size_t n)
{
	struct profile *p = r->profile;
	union agg_value v[6];
	struct callsite_count c;

	if (parse(r, &agg_callsite, f, n, v) < 0)
		return;
	c.total = v[0].u;
	c.file = xstrdup_or_null(v[2].s);
	c.line = (uint32_t)v[3].u;
	c.caller = xstrdup_or_null(v[4].s);
	c.callee = xstrdup_or_null(v[5].s);
	ALLOC_GROW(p->callsites, p->callsites_nr + 1, p->callsites_alloc);
	p->callsites[p->callsites_nr++] = c;
}

static void do_call(struct reader *r, char **f, size_t n)
{
	struct profile *p = r->profile;
	union agg_value v[10];
	struct call_count c;

	if (parse(r, &agg_call, f, n, v) < 0)
		return;
	c.total = v[0].u;
	c.kind = (enum sample_kind)v[2].u;
	c.object = xstrdup_or_null(v[3].s);
	c.caller = xstrdup_or_null(v[4].s);
	c.file = xstrdup_or_null(v[5].s);
	c.line = (uint32_t)v[6].u;
	c.callee_kind = (enum sample_kind)v[7].u;
	c.callee_object = xstrdup_or_null(v[8].s);
	c.callee = xstrdup_or_null(v[9].s);
	ALLOC_GROW(p->calls, p->calls_nr + 1, p->calls_alloc);
	p->calls[p->calls_nr++] = c;
}

static void do_functiontotal(struct reader *r, char **f, size_t n)
{
	struct profile *p = r->profile;
	union agg_value v[4];
	struct functotal_count c;

	if (parse(r, &agg_functiontotal, f, n, v) < 0)
		return;
	c.total = v[0].u;
	c.file = xstrdup_or_null(v[2].s);
	c.function = xstrdup_or_null(v[3].s);
	ALLOC_GROW(p->functotals, p->functotals_nr + 1, p->functotals_alloc);
	p->functotals[p->functotals_nr++] = c;
}

/* threadtotal, or in a version 1 stream thread, with the same fields. */
static void do_thread(struct reader *r, const struct agg_def *d, char **f,
		      size_t n)
{
	struct profile *p = r->profile;
	union agg_value v[7];
	struct thread_count c;

	if (parse(r, d, f, n, v) < 0)
		return;
	if (v[2].u > v[0].u) {
		bad_line(r, "bad threadtotal record (more JIT samples than samples)");
		return;
	}
	c.samples = v[0].u;
	c.jit = v[2].u;
	c.pid = (uint32_t)v[4].u;
	c.tid = (uint32_t)v[5].u;
	c.name = xstrdup_or_null(v[6].s);
	ALLOC_GROW(p->threads, p->threads_nr + 1, p->threads_alloc);
	p->threads[p->threads_nr++] = c;
}

static void do_threadline(struct reader *r, char **f, size_t n)
{
	struct profile *p = r->profile;
	union agg_value v[9];
	struct threadline_count c;

	if (parse(r, &agg_threadline, f, n, v) < 0)
		return;
	c.line.self = v[0].u;
	c.line.total = v[2].u;
	c.pid = (uint32_t)v[4].u;
	c.tid = (uint32_t)v[5].u;
	c.line.file = xstrdup_or_null(v[6].s);
	c.line.line = (uint32_t)v[7].u;
	c.line.function = xstrdup_or_null(v[8].s);
	ALLOC_GROW(p->threadlines, p->threadlines_nr + 1,
		   p->threadlines_alloc);
	p->threadlines[p->threadlines_nr++] = c;
}

static void do_outside(struct reader *r, char **f, size_t n)
{
	struct profile *p = r->profile;
	union agg_value v[5];
	struct outside_count c;

	if (parse(r, &agg_outside, f, n, v) < 0)
		return;
	c.samples = v[0].u;
	c.kind = (enum sample_kind)v[2].u;
	c.object = xstrdup_or_null(v[3].s);
	c.function = xstrdup_or_null(v[4].s);
	ALLOC_GROW(p->outside, p->outside_nr + 1, p->outside_alloc);
	p->outside[p->outside_nr++] = c;
}

static void do_compiling(struct reader *r, char **f, size_t n)
{
	struct profile *p = r->profile;
	union agg_value v[5];
	struct compiling_count *c;

	if (parse(r, &agg_compiling, f, n, v) < 0)
		return;
	c = &p->compiling[v[4].u];
	c->samples = v[0].u;
	c->ns = v[2].u;
	c->functions = v[3].u;
	p->have_compiling = 1;
}

static void do_nolines(struct reader *r, char **f, size_t n)
{
	struct profile *p = r->profile;
	union agg_value v[4];
	struct nolines_count c;

	if (parse(r, &agg_nolines, f, n, v) < 0)
		return;
	if (!v[2].s) {
		bad_line(r, "bad nolines record (no object)");
		return;
	}
	c.samples = v[0].u;
	c.object = xstrdup(v[2].s);
	c.name = xstrdup_or_null(v[3].s);
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

static struct process_count *process_of(struct profile *p, uint32_t pid)
{
	size_t i;

	for (i = p->procs_nr; i-- > 0;)
		if (p->procs[i].pid == pid)
			return &p->procs[i];
	ALLOC_GROW(p->procs, p->procs_nr + 1, p->procs_alloc);
	memset(&p->procs[p->procs_nr], 0, sizeof(p->procs[0]));
	p->procs[p->procs_nr].pid = pid;
	return &p->procs[p->procs_nr++];
}

/* fork TIME PID PPID */
static void do_fork(struct reader *r, char **f, size_t n)
{
	uint64_t time, pid, ppid;

	if (n != 4 || parse_count(f[1], &time) ||
	    parse_u64(f[2], 10, 1, UINT32_MAX, &pid) ||
	    parse_u64(f[3], 10, 1, UINT32_MAX, &ppid)) {
		bad_line(r, "bad fork record");
		return;
	}
	process_of(r->profile, (uint32_t)pid)->ppid = (uint32_t)ppid;
}

/* exec TIME PID ARGV... */
static void do_exec(struct reader *r, char **f, size_t n)
{
	struct process_count *c;
	uint64_t time, pid;
	char *cmd = NULL, *arg;
	size_t len = 0, alloc = 0, i;

	if (n < 4 || parse_count(f[1], &time) ||
	    parse_u64(f[2], 10, 1, UINT32_MAX, &pid)) {
		bad_line(r, "bad exec record");
		return;
	}
	for (i = 3; i < n; i++) {
		if (unescape_field(f[i], &arg)) {
			free(cmd);
			bad_line(r, "bad exec record");
			return;
		}
		append_arg(&cmd, &len, &alloc, arg ? arg : "-");
	}
	c = process_of(r->profile, (uint32_t)pid);
	free(c->command);
	c->command = cmd;
}

/* procexit TIME PID STATUS HOW */
static void do_procexit(struct reader *r, char **f, size_t n)
{
	struct process_count *c;
	uint64_t time, pid, status;
	char *how;

	if (n != 5 || parse_count(f[1], &time) ||
	    parse_u64(f[2], 10, 1, UINT32_MAX, &pid) ||
	    parse_count(f[3], &status) || unescape_field(f[4], &how) || !how) {
		bad_line(r, "bad procexit record");
		return;
	}
	c = process_of(r->profile, (uint32_t)pid);
	free(c->how);
	c->how = xstrdup(how);
	c->status = status;
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
	if (p->pid) {
		struct process_count *c = process_of(p, p->pid);

		free(c->how);
		c->how = xstrdup(how);
		c->status = p->exit_status;
	}
}

/* source FILE LINE TEXT: a line of a file that is on no disk. */
static void do_source(struct reader *r, char **f, size_t n)
{
	struct profile *p = r->profile;
	char *file, *text;
	uint64_t line;

	if (n != 4 || unescape_field(f[1], &file) || !file ||
	    parse_u64(f[2], 10, 1, UINT32_MAX, &line) ||
	    unescape_field(f[3], &text)) {
		bad_line(r, "bad source record");
		return;
	}
	ALLOC_GROW(p->texts, p->texts_nr + 1, p->texts_alloc);
	p->texts[p->texts_nr].file = xstrdup(file);
	p->texts[p->texts_nr].text = xstrdup(text ? text : "");
	p->texts[p->texts_nr++].line = (uint32_t)line;
}

static void do_code(struct reader *r, char **f, size_t n)
{
	const char *why = NULL;
	char what[96];

	if (code_set_take(&r->profile->code, f, n, &why) >= 0)
		return;	/* taken, or not a code record */
	snprintf(what, sizeof(what), "bad %s record (%s)", f[0], why);
	bad_line(r, what);
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
	if (!strncmp(lr->buf, "meta pid ", 9)) {
		uint64_t pid;

		if (!parse_u64(lr->buf + 9, 10, 1, UINT32_MAX, &pid))
			r->profile->pid = (uint32_t)pid;
		return;
	}
	/* Of the recording whose meta pid came last (merged inputs). */
	if ((!strncmp(lr->buf, "meta rank ", 10) ||
	     !strncmp(lr->buf, "meta host ", 10)) && r->profile->pid) {
		struct process_count *c = process_of(r->profile,
						     r->profile->pid);
		char **field = lr->buf[5] == 'r' ? &c->rank : &c->host;
		char *v;

		if (unescape_field(lr->buf + 10, &v) || !v) {
			bad_line(r, "bad meta record");
			return;
		}
		free(*field);
		*field = xstrdup(v);
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
	else if (!strcmp(f[0], "call"))
		do_call(r, f, n);
	else if (!strcmp(f[0], "functiontotal"))
		do_functiontotal(r, f, n);
	else if (!strcmp(f[0], "threadtotal"))
		do_thread(r, &agg_thread, f, n);
	else if (!strcmp(f[0], "thread") && r->version == 1)
		do_thread(r, &agg_thread_v1, f, n);
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
	else if (!strcmp(f[0], "source"))
		do_source(r, f, n);
	else if (!strcmp(f[0], "fork"))
		do_fork(r, f, n);
	else if (!strcmp(f[0], "exec"))
		do_exec(r, f, n);
	else if (!strcmp(f[0], "procexit"))
		do_procexit(r, f, n);
	else if (!strcmp(f[0], "code") && !r->profile->have_code)
		r->profile->code_seen++;
	else if (r->profile->have_code)
		do_code(r, f, n);
	/* Anything else (function, unknown kinds) is not shown. */
}

void profile_read(struct profile *p, FILE *fp, const char *name,
		  int want_code)
{
	struct reader r;

	memset(p, 0, sizeof(*p));
	p->have_code = want_code;
	code_set_init(&p->code);
	memset(&r, 0, sizeof(r));
	r.profile = p;
	line_reader_init(&r.lr, fp, name);
	r.version = expect_header(&r.lr, PF_FORMAT_AGGREGATE);
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
	for (i = 0; i < p->calls_nr; i++) {
		free(p->calls[i].object);
		free(p->calls[i].caller);
		free(p->calls[i].file);
		free(p->calls[i].callee_object);
		free(p->calls[i].callee);
	}
	free(p->calls);
	for (i = 0; i < p->functotals_nr; i++) {
		free(p->functotals[i].file);
		free(p->functotals[i].function);
	}
	free(p->functotals);
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
	for (i = 0; i < p->procs_nr; i++) {
		free(p->procs[i].command);
		free(p->procs[i].how);
		free(p->procs[i].rank);
		free(p->procs[i].host);
	}
	free(p->procs);
	for (i = 0; i < p->texts_nr; i++) {
		free(p->texts[i].file);
		free(p->texts[i].text);
	}
	free(p->texts);
	free(p->exit_how);
	code_set_release(&p->code);
	memset(p, 0, sizeof(*p));
}
