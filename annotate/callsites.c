/* callsites.c - see callsites.h */
#include "callsites.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>


/* The site: file, line, caller. */
static int cmp_site(const struct callsite_entry *a,
		    const struct callsite_entry *b)
{
	int r;

	if ((r = cmp_string(a->file, b->file)))
		return r;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return cmp_string(a->caller, b->caller);
}

static int cmp_call(const void *pa, const void *pb)
{
	const struct callsite_entry *a = pa, *b = pb;
	int r = cmp_site(a, b);

	return r ? r : cmp_string(a->callee, b->callee);
}

static int cmp_shown(const void *pa, const void *pb)
{
	const struct callsite_entry *a = pa, *b = pb;
	int r = cmp_site(a, b);

	if (r)
		return r;
	if (a->total != b->total)
		return a->total > b->total ? -1 : 1;
	return cmp_string(a->callee, b->callee);
}

void callsite_index_init(struct callsite_index *x, const struct profile *p)
{
	size_t i, nr = 0;

	x->items = xreallocarray(NULL, p->callsites_nr ? p->callsites_nr : 1,
				 sizeof(*x->items));
	for (i = 0; i < p->callsites_nr; i++) {
		const struct callsite_count *c = &p->callsites[i];

		x->items[i] = (struct callsite_entry){ c->file, c->caller,
						       c->callee, c->line,
						       c->total };
	}
	qsort(x->items, p->callsites_nr, sizeof(*x->items), cmp_call);
	for (i = 0; i < p->callsites_nr; i++) {
		if (nr && !cmp_call(&x->items[nr - 1], &x->items[i]))
			x->items[nr - 1].total += x->items[i].total;
		else
			x->items[nr++] = x->items[i];
	}
	qsort(x->items, nr, sizeof(*x->items), cmp_shown);
	x->nr = nr;
}

void callsite_index_release(struct callsite_index *x)
{
	free(x->items);
	x->items = NULL;
	x->nr = 0;
}

const struct callsite_entry *callsite_find(const struct callsite_index *x,
					   const char *file, uint32_t line,
					   const char *caller, size_t *nr)
{
	struct callsite_entry key = { file, caller, NULL, line, 0 };
	size_t lo = 0, hi = x->nr, end;

	/* The first entry not before the site. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp_site(&x->items[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < x->nr && !cmp_site(&x->items[end], &key); end++)
		;
	*nr = end - lo;
	return *nr ? &x->items[lo] : NULL;
}
