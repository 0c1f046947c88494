/* test-aggrec.c - the pf-aggregate record definitions (common/aggrec.h) */
#include "aggrec.h"
#include "lineio.h"
#include "record.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

/* Fields named in names: words separated by single spaces. */
static size_t count_names(const char *names)
{
	size_t n = 1;

	for (; *names; names++)
		n += *names == ' ';
	return n;
}

/* Does each definition name its fields as it types them? */
static int well_formed(const struct agg_def *d)
{
	size_t nfields = strlen(d->types), i;
	char names[256], *w, *save = NULL;

	if (nfields != count_names(d->names) || nfields > AGG_MAX_FIELDS ||
	    d->required > nfields)
		return 0;
	snprintf(names, sizeof(names), "%s", d->names);
	for (i = 0, w = strtok_r(names, " ", &save); w;
	     i++, w = strtok_r(NULL, " ", &save)) {
		int pct = w[strlen(w) - 1] == '%';

		/* A percent field follows its count, and is named so. */
		if (pct != (d->types[i] == '%') ||
		    (pct && (i == 0 || d->types[i - 1] != 'c')))
			return 0;
	}
	return 1;
}

/*
 * Write v by d into *text (the line, without its newline), then parse a
 * copy of it back into out; the strings of out point into *copy.
 */
static int round_trip(const struct agg_def *d, const union agg_value *v,
		      uint64_t all, union agg_value *out, char **text,
		      char **copy)
{
	char *f[PF_MAX_FIELDS];
	size_t len = 0, n;
	FILE *fp = open_memstream(text, &len);

	agg_write(fp, d, v, all);
	fclose(fp);
	(*text)[strcspn(*text, "\n")] = '\0';
	*copy = strdup(*text);
	n = split_fields(*copy, f, PF_MAX_FIELDS);
	return strcmp(f[0], d->kind) ? -1 : agg_parse(d, f, n, out);
}

static int parses(const struct agg_def *d, const char *line)
{
	char buf[512], *f[PF_MAX_FIELDS];
	union agg_value v[AGG_MAX_FIELDS];
	size_t n;

	snprintf(buf, sizeof(buf), "%s", line);
	n = split_fields(buf, f, PF_MAX_FIELDS);
	return agg_parse(d, f, n, v);
}

int main(int argc, char **argv)
{
	union agg_value v[AGG_MAX_FIELDS], out[AGG_MAX_FIELDS];
	char *text = NULL, *copy = NULL;
	size_t i;
	int ok_all = 1;

	/* --list: KIND NAMES a line, for the check against docs/FORMAT.md. */
	if (argc > 1 && !strcmp(argv[1], "--list")) {
		for (i = 0; i < agg_defs_nr; i++)
			printf("%s\t%s\n", agg_defs[i]->kind, agg_defs[i]->names);
		return 0;
	}
	/* --list-code: the same for the code records of pf-symbolize. */
	if (argc > 1 && !strcmp(argv[1], "--list-code")) {
		for (i = 0; i < code_defs_nr; i++)
			printf("%s\t%s\n", code_defs[i]->kind, code_defs[i]->names);
		return 0;
	}
	for (i = 0; i < agg_defs_nr; i++)
		if (!well_formed(agg_defs[i])) {
			printf("# %s: types and names disagree\n", agg_defs[i]->kind);
			ok_all = 0;
		}
	for (i = 0; i < code_defs_nr; i++)
		if (!well_formed(code_defs[i])) {
			printf("# %s: types and names disagree\n", code_defs[i]->kind);
			ok_all = 0;
		}
	ok(ok_all, "every definition names each of its fields, percents after counts");
	ok(agg_find("threadline") == &agg_threadline && !agg_find("sample"),
	   "agg_find knows the kinds, and only those");

	memset(v, 0, sizeof(v));
	v[0].u = 3;
	v[2].u = 7;
	v[4].s = "/src/a b.py";
	v[5].u = 12;
	v[6].s = NULL;
	ok(round_trip(&agg_line, v, 8, out, &text, &copy) == 7 &&
	   !strcmp(text, "line 3 37.50 7 87.50 /src/a%20b.py 12 -") &&
	   out[0].u == 3 && out[2].u == 7 && !strcmp(out[4].s, "/src/a b.py") &&
	   out[5].u == 12 && out[6].s == NULL,
	   "a line record: written with its percents, read back the same");
	free(text);
	free(copy);
	text = copy = NULL;

	memset(v, 0, sizeof(v));
	v[0].u = 5;
	v[2].u = (uint64_t)KIND_NATIVE;
	v[3].s = "/usr/lib/libm.so.6";
	v[4].s = "sin";
	ok(round_trip(&agg_outside, v, 0, out, &text, &copy) == 5 &&
	   !strcmp(text, "outside 5 0.00 native /usr/lib/libm.so.6 sin") &&
	   out[2].u == (uint64_t)KIND_NATIVE,
	   "kinds by name; no samples at all gives 0.00");
	free(text);
	free(copy);
	text = copy = NULL;

	ok(parses(&agg_total, "total 9 1 2 3 3 0 0") == 7,
	   "an older total record, seven fields, is read");
	ok(parses(&agg_total, "total 9 1 2 3 3 0") < 0,
	   "too few fields are bad");
	ok(parses(&agg_line, "line 3 37.5.0 7 87.50 f 1 g") < 0 &&
	   parses(&agg_line, "line 3 .5 7 87.50 f 1 g") < 0,
	   "a malformed percent is bad");
	ok(parses(&agg_thread, "thread 3 1.00 3 1.00 7 4294967296 x") < 0,
	   "a TID past 32 bits is bad");
	ok(parses(&agg_line, "line 3 1.00 3 1.00 bad%zz 1 g") < 0,
	   "a bad escape is bad");
	ok(parses(&agg_compiling, "compiling 1 1.00 5 1 nosuch") < 0 &&
	   parses(&agg_compiling, "compiling 1 1.00 5 1 cache") == 5,
	   "compiling kinds by name");
	ok(parses(&agg_nolines, "nolines 1 1.00 jit:1 f extra fields") == 4,
	   "fields after the last one defined are ignored");
	return done_testing();
}
