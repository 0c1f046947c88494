/* aggrec.c - see aggrec.h */
#include "aggrec.h"
#include "escape.h"
#include "record.h"
#include "util.h"

#include <inttypes.h>
#include <string.h>

const struct agg_def agg_total = {
	"total", "cccccccccc",
	"SAMPLES JIT NATIVE KERNEL UNKNOWN UNRESOLVED LOST NOLINES THROTTLED "
	"LINELESS", 7,
};
const struct agg_def agg_line = {
	"line", "c%c%tut", "SELF SELF% TOTAL TOTAL% FILE LINE FUNCTION", 7,
};
const struct agg_def agg_callsite = {
	"callsite", "c%tutt", "TOTAL TOTAL% FILE LINE CALLER CALLEE", 6,
};
const struct agg_def agg_call = {
	"call", "c%ktttuktt",
	"TOTAL TOTAL% KIND OBJECT CALLER FILE LINE CALLEE_KIND CALLEE_OBJECT "
	"CALLEE", 10,
};
const struct agg_def agg_functiontotal = {
	"functiontotal", "c%tt", "TOTAL TOTAL% FILE FUNCTION", 4,
};
const struct agg_def agg_function = {
	"function", "c%c%ktt", "SELF SELF% TOTAL TOTAL% KIND OBJECT FUNCTION", 7,
};
const struct agg_def agg_thread = {
	"threadtotal", "c%c%uut", "SAMPLES SAMPLES% JIT JIT% PID TID NAME", 7,
};
/* The same record in version 1 streams. */
const struct agg_def agg_thread_v1 = {
	"thread", "c%c%uut", "SAMPLES SAMPLES% JIT JIT% PID TID NAME", 7,
};
const struct agg_def agg_threadline = {
	"threadline", "c%c%uutut",
	"SELF SELF% TOTAL TOTAL% PID TID FILE LINE FUNCTION", 9,
};
const struct agg_def agg_outside = {
	"outside", "c%ktt", "SAMPLES SAMPLES% KIND OBJECT FUNCTION", 5,
};
const struct agg_def agg_compiling = {
	"compiling", "c%ccK", "SAMPLES SAMPLES% NS FUNCTIONS KIND", 5,
};
const struct agg_def agg_nolines = {
	"nolines", "c%tt", "SAMPLES SAMPLES% OBJECT NAME", 4,
};

const struct agg_def agg_insn = {
	"insn", "c%ktxtut",
	"SAMPLES SAMPLES% KIND OBJECT ADDR FILE LINE FUNCTION", 8,
};

/* Written by pf-symbolize, passed on by pf-aggregate. */
const struct agg_def agg_code = {
	"code", "txxtt", "OBJECT START END HOW NAME", 5,
};
const struct agg_def agg_codedata = {
	"codedata", "txr", "OBJECT ADDR BASE64", 3,
};
const struct agg_def agg_span = {
	"span", "txxttur", "OBJECT START END FUNCTION FILE LINE INLINED", 7,
};

const struct agg_def *const code_defs[] = {
	&agg_code, &agg_codedata, &agg_span,
};
const size_t code_defs_nr = sizeof(code_defs) / sizeof(code_defs[0]);

const struct agg_def *const agg_defs[] = {
	&agg_total, &agg_line, &agg_callsite, &agg_call, &agg_functiontotal,
	&agg_function, &agg_thread,
	&agg_threadline, &agg_outside, &agg_compiling, &agg_nolines,
	&agg_insn,
};
const size_t agg_defs_nr = sizeof(agg_defs) / sizeof(agg_defs[0]);

const struct agg_def *agg_find(const char *kind)
{
	size_t i;

	for (i = 0; i < agg_defs_nr; i++)
		if (!strcmp(agg_defs[i]->kind, kind))
			return agg_defs[i];
	return NULL;
}

void agg_write(FILE *fp, const struct agg_def *d, const union agg_value *v,
	       uint64_t all)
{
	size_t i;

	fputs(d->kind, fp);
	for (i = 0; d->types[i]; i++) {
		fputc(' ', fp);
		switch (d->types[i]) {
		case 'c':
		case 'u':
			fprintf(fp, "%" PRIu64, v[i].u);
			break;
		case 'x':
			fprintf(fp, "%" PRIx64, v[i].u);
			break;
		case '%':
			fprintf(fp, "%.2f", all ? 100.0 * (double)v[i - 1].u /
						      (double)all : 0.0);
			break;
		case 't':
			fput_field(fp, v[i].s);
			break;
		case 'r':
			fputs(v[i].s ? v[i].s : "-", fp);
			break;
		case 'k':
			fputs(sample_kind_names[v[i].u], fp);
			break;
		case 'K':
			fputs(compiling_kind_names[v[i].u], fp);
			break;
		}
	}
	fputc('\n', fp);
}

/* A percentage as agg_write() writes it: digits, a dot, digits. */
static int check_percent(const char *s)
{
	size_t digits = strspn(s, "0123456789");

	if (!digits)
		return -1;
	if (s[digits] == '.')
		s += digits + 1, digits = strspn(s, "0123456789");
	return digits && !s[digits] ? 0 : -1;
}

static int parse_field(char type, char *s, union agg_value *v)
{
	enum sample_kind kind;
	enum compiling_kind ckind;
	char *text;

	switch (type) {
	case 'c':
		return parse_u64(s, 10, 0, UINT64_MAX, &v->u);
	case 'u':
		return parse_u64(s, 10, 0, UINT32_MAX, &v->u);
	case 'x':
		return parse_u64(s, 16, 0, UINT64_MAX, &v->u);
	case '%':
		v->u = 0;
		return check_percent(s);
	case 't':
		if (unescape_field(s, &text))
			return -1;
		v->s = text;
		return 0;
	case 'r':
		if (!*s)
			return -1;
		v->s = s;
		return 0;
	case 'k':
		if (parse_sample_kind(s, &kind))
			return -1;
		v->u = (uint64_t)kind;
		return 0;
	case 'K':
		if (parse_compiling_kind(s, &ckind))
			return -1;
		v->u = (uint64_t)ckind;
		return 0;
	}
	return -1;
}

int agg_parse(const struct agg_def *d, char **f, size_t n,
	      union agg_value *v)
{
	size_t i, nfields = strlen(d->types);

	if (n < d->required + 1)
		return -1;
	memset(v, 0, nfields * sizeof(*v));
	for (i = 0; i < nfields && i + 1 < n; i++) {
		/* The last field split may hold the rest of the line. */
		f[i + 1][strcspn(f[i + 1], " ")] = '\0';
		if (parse_field(d->types[i], f[i + 1], &v[i]))
			return -1;
	}
	return (int)i;
}
