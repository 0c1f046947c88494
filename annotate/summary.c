/* summary.c - see summary.h */
#include "summary.h"
#include "labels.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How many groups and functions per group the outside summary names. */
#define OUTSIDE_GROUPS 4
#define OUTSIDE_FUNCTIONS 2
/* A function is named when it has this share of its group's samples. */
#define FUNCTION_MIN_PERCENT 10.0
/* Longer function names (C++ templates) are cut to this many bytes. */
#define NAME_MAX_SHOWN 40
/* Object names are cut to this many bytes. */
#define OBJECT_SHOWN 64

double percent(uint64_t count, uint64_t all)
{
	return all ? 100.0 * (double)count / (double)all : 0.0;
}

void print_wrapped(size_t *column, const char *part, size_t len)
{
	if (*column + len > SUMMARY_WIDTH && *column > 20) {
		fputs("\n#  ", stdout);
		*column = 3;
	}
	fputs(part, stdout);
	*column += len;
}

void print_sanitized(const char *s)
{
	for (; *s; s++)
		putchar((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
}

/* Append to buf of size bytes, holding *len; cut at the end of buf. */
PF_PRINTF(4, 5)
static void append(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len + 1 >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len += (size_t)n < size - *len ? (size_t)n : size - *len - 1;
}

/* The groups made of compiling records. */
enum { COMPILING_SHOWN_COMPILE, COMPILING_SHOWN_LOAD };

/* An outside record and the label of its object. */
struct entry {
	const struct outside_count *c;
	const struct object_label *label;
};

/* The entries of one group: entries[first, first + nr). */
struct group {
	const struct object_label *label;	/* NULL: a single object */
	size_t first, nr;
	uint64_t samples;
	size_t objects;		/* how many different objects */
	const char *top_object;	/* the one with the most samples */
	int compiling;		/* 1 + the kind of time in Numba's compiler */
};


/* The group: a label, or an object not labeled. */
static int cmp_group_key(const struct entry *a, const struct entry *b)
{
	if (!a->label != !b->label)
		return a->label ? -1 : 1;
	if (a->label)
		return strcmp(a->label->name, b->label->name);
	if (a->c->kind != b->c->kind)
		return a->c->kind < b->c->kind ? -1 : 1;
	return cmp_string(a->c->object, b->c->object);
}

/* By group, then by object, then the most samples first. */
static int cmp_entry(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	int r;

	if ((r = cmp_group_key(a, b)) ||
	    (r = cmp_string(a->c->object, b->c->object)))
		return r;
	if (a->c->samples != b->c->samples)
		return a->c->samples > b->c->samples ? -1 : 1;
	return cmp_string(a->c->function, b->c->function);
}

static int cmp_group(const void *pa, const void *pb)
{
	const struct group *a = pa, *b = pb;

	if (a->samples != b->samples)
		return a->samples > b->samples ? -1 : 1;
	return (a->first > b->first) - (a->first < b->first);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash && slash[1] ? slash + 1 : path;
}

/* Count the objects of g and find the one with the most samples. */
static void find_objects(struct group *g, const struct entry *e)
{
	uint64_t best = 0, sum = 0;
	size_t i;

	for (i = 0; i < g->nr; i++) {
		sum += e[i].c->samples;
		if (i + 1 < g->nr &&
		    !cmp_string(e[i].c->object, e[i + 1].c->object))
			continue;
		g->objects++;
		if (sum > best) {
			best = sum;
			g->top_object = e[i].c->object;
		}
		sum = 0;
	}
}

/* "f 1.2%, g 0.4%": the group's top functions that have names. */
static void format_functions(char *buf, size_t size, size_t *len,
			     const struct group *g, const struct entry *e,
			     uint64_t all)
{
	const struct outside_count *shown[OUTSIDE_FUNCTIONS];
	size_t i, j, nr = 0;

	for (nr = 0; nr < OUTSIDE_FUNCTIONS; nr++) {
		const struct outside_count *best = NULL;

		for (i = 0; i < g->nr; i++) {
			const struct outside_count *c = e[i].c;

			for (j = 0; j < nr && shown[j] != c; j++)
				;
			if (j < nr || !c->function ||
			    percent(c->samples, g->samples) <
				    FUNCTION_MIN_PERCENT)
				continue;
			if (!best || c->samples > best->samples)
				best = c;
		}
		if (!best)
			break;
		shown[nr] = best;
	}
	for (i = 0; i < nr; i++) {
		size_t name_len = strlen(shown[i]->function);

		append(buf, size, len, "%s%.*s%s %.1f%%", i ? ", " : "",
		       (int)(name_len > NAME_MAX_SHOWN ? NAME_MAX_SHOWN
						       : name_len),
		       shown[i]->function,
		       name_len > NAME_MAX_SHOWN ? "..." : "",
		       percent(shown[i]->samples, all));
	}
}

/*
 * " 38.2% Numba compiling (2.91 s in Numba's compiler, 40 functions; 1.20
 * s of it compiling cache=True functions into pf's cache: once per
 * cache, the next run loads them)", from the compiling records.
 */
static size_t format_compiling(char *buf, size_t size, const struct group *g,
			       const struct profile *p)
{
	const struct compiling_count *load = &p->compiling[COMPILING_LOAD];
	const struct compiling_count *cache = &p->compiling[COMPILING_CACHE];
	const struct compiling_count *compile = &p->compiling[COMPILING_COMPILE];
	uint64_t functions = compile->functions + cache->functions;
	size_t len = 0;

	append(buf, size, &len, " %.1f%% ", percent(g->samples, p->samples));
	if (g->compiling == 1 + COMPILING_SHOWN_LOAD) {
		append(buf, size, &len, "Numba loading its cache (%.2f s, %llu "
		       "function%s)", (double)load->ns / 1e9,
		       (unsigned long long)load->functions,
		       load->functions == 1 ? "" : "s");
		return len;
	}
	append(buf, size, &len, "Numba compiling (%.2f s, %llu function%s",
	       (double)(compile->ns + cache->ns) / 1e9,
	       (unsigned long long)functions, functions == 1 ? "" : "s");
	if (cache->ns)
		append(buf, size, &len, "; %.2f s of it compiling cache=True "
		       "functions into pf's cache: once per cache, the next "
		       "profiled run loads them", (double)cache->ns / 1e9);
	append(buf, size, &len, ")");
	return len;
}

/* " 12.3% NAME (OBJECT: f 1.2%, g 0.4%; HINT)" */
static size_t format_group(char *buf, size_t size, const struct group *g,
			   const struct entry *e, const struct profile *p)
{
	const struct object_label *label = g->label;
	char detail[384], functions[256];
	size_t len = 0, dlen = 0, flen = 0;
	uint64_t all = p->samples;

	if (g->compiling)
		return format_compiling(buf, size, g, p);
	if (label && label->show_object && g->top_object) {
		append(detail, sizeof(detail), &dlen, "%.*s", OBJECT_SHOWN,
		       base_name(g->top_object));
		if (g->objects > 1)
			append(detail, sizeof(detail), &dlen, " and %zu more",
			       g->objects - 1);
	}
	format_functions(functions, sizeof(functions), &flen, g, e, all);
	if (flen)
		append(detail, sizeof(detail), &dlen, "%s%s",
		       dlen ? ": " : "", functions);
	if (label && label->hint)
		append(detail, sizeof(detail), &dlen, "%s%s",
		       dlen ? "; " : "", label->hint);

	append(buf, size, &len, " %.1f%% ", percent(g->samples, all));
	if (label)
		append(buf, size, &len, "%s", label->name);
	else if (e->c->object)
		append(buf, size, &len, "%.*s", OBJECT_SHOWN,
		       base_name(e->c->object));
	else
		append(buf, size, &len, "%s", sample_kind_names[e->c->kind]);
	if (dlen)
		append(buf, size, &len, " (%s)", detail);
	return len;
}

/*
 * The time in Numba's compiler, from the compiling records: compiling
 * (libLLVM's samples outside it too, named so by its label), and loading
 * from Numba's cache.  Groups without samples are not shown.
 */
static void add_compiling(const struct profile *p, struct group **groups,
			  size_t *nr, size_t *alloc)
{
	uint64_t samples = p->compiling[COMPILING_COMPILE].samples +
			   p->compiling[COMPILING_CACHE].samples;
	size_t i;

	for (i = 0; i < *nr; i++) {
		struct group *g = &(*groups)[i];

		if (g->label == compiler_label()) {
			samples += g->samples;
			g->samples = 0;
		}
	}
	ALLOC_GROW(*groups, *nr + 2, *alloc);
	memset(&(*groups)[*nr], 0, 2 * sizeof(**groups));
	(*groups)[*nr].compiling = 1 + COMPILING_SHOWN_COMPILE;
	(*groups)[(*nr)++].samples = samples;
	(*groups)[*nr].compiling = 1 + COMPILING_SHOWN_LOAD;
	(*groups)[(*nr)++].samples = p->compiling[COMPILING_LOAD].samples;
}

void print_outside(struct profile *p)
{
	struct entry *e;
	struct group *groups = NULL;
	size_t i, nr = 0, alloc = 0, column, rest_objects = 0;
	uint64_t rest = 0;
	char part[512];

	if (!p->outside_nr && !p->have_compiling)
		return;
	e = xreallocarray(NULL, p->outside_nr + 1, sizeof(*e));
	for (i = 0; i < p->outside_nr; i++) {
		e[i].c = &p->outside[i];
		e[i].label = object_label(e[i].c->kind, e[i].c->object);
	}
	qsort(e, p->outside_nr, sizeof(*e), cmp_entry);
	for (i = 0; i < p->outside_nr; i++) {
		if (!nr || cmp_group_key(&e[i - 1], &e[i])) {
			ALLOC_GROW(groups, nr + 1, alloc);
			memset(&groups[nr], 0, sizeof(groups[nr]));
			groups[nr].label = e[i].label;
			groups[nr++].first = i;
		}
		groups[nr - 1].nr++;
		groups[nr - 1].samples += e[i].c->samples;
	}
	for (i = 0; i < nr; i++)
		find_objects(&groups[i], &e[groups[i].first]);
	if (p->have_compiling)
		add_compiling(p, &groups, &nr, &alloc);
	qsort(groups, nr, sizeof(*groups), cmp_group);

	fputs("# outside JIT code:", stdout);
	column = 19;
	for (i = 0; i < nr && groups[i].samples; i++) {
		size_t len;

		if (i >= OUTSIDE_GROUPS) {
			rest += groups[i].samples;
			rest_objects += groups[i].objects;
			continue;
		}
		len = format_group(part, sizeof(part), &groups[i],
				   &e[groups[i].first], p);
		if (i + 1 < nr && groups[i + 1].samples)
			append(part, sizeof(part), &len, ",");
		print_wrapped(&column, part, len);
	}
	if (rest) {
		size_t len = (size_t)snprintf(
			part, sizeof(part), " %.1f%% in %zu other object%s",
			percent(rest, p->samples), rest_objects,
			rest_objects == 1 ? "" : "s");

		print_wrapped(&column, part, len);
	}
	putchar('\n');
	free(groups);
	free(e);
}
