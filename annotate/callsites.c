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

	if (r || (r = cmp_string(a->callee, b->callee)))
		return r;
	if (a->called != b->called)
		return a->called - b->called;
	if (a->caller_kind != b->caller_kind)
		return a->caller_kind < b->caller_kind ? -1 : 1;
	return cmp_string(a->caller_object, b->caller_object);
}

/* Callers: by callee, then most samples first. */
static int cmp_caller(const void *pa, const void *pb)
{
	const struct callsite_entry *a = pa, *b = pb;
	int r = cmp_string(a->callee, b->callee);

	if (r)
		return r;
	if (a->total != b->total)
		return a->total > b->total ? -1 : 1;
	return cmp_call(a, b);
}

static int cmp_shown(const void *pa, const void *pb)
{
	const struct callsite_entry *a = pa, *b = pb;
	int r = cmp_site(a, b);

	if (r)
		return r;
	/* The inlined calls first: they were marked so before calls were. */
	if (a->called != b->called)
		return a->called - b->called;
	if (a->total != b->total)
		return a->total > b->total ? -1 : 1;
	return cmp_string(a->callee, b->callee);
}

void callsite_index_init(struct callsite_index *x, const struct profile *p)
{
	size_t i, nr = 0, all = p->callsites_nr + p->calls_nr;

	x->items = xreallocarray(NULL, all ? all : 1, sizeof(*x->items));
	for (i = 0; i < p->callsites_nr; i++) {
		const struct callsite_count *c = &p->callsites[i];

		x->items[i] = (struct callsite_entry){ c->file, c->caller,
						       c->callee, c->line,
						       c->total, 0, KIND_JIT,
						       NULL, KIND_JIT, NULL };
	}
	for (i = 0; i < p->calls_nr; i++) {
		const struct call_count *c = &p->calls[i];

		x->items[p->callsites_nr + i] = (struct callsite_entry){
			c->file, c->caller, c->callee, c->line, c->total, 1,
			c->kind, c->object, c->callee_kind,
			c->callee_object };
	}
	qsort(x->items, all, sizeof(*x->items), cmp_call);
	for (i = 0; i < all; i++) {
		if (nr && !cmp_call(&x->items[nr - 1], &x->items[i]))
			x->items[nr - 1].total += x->items[i].total;
		else
			x->items[nr++] = x->items[i];
	}
	x->callers = xreallocarray(NULL, nr ? nr : 1, sizeof(*x->callers));
	x->callers_nr = 0;
	for (i = 0; i < nr; i++)
		if (x->items[i].called)
			x->callers[x->callers_nr++] = x->items[i];
	qsort(x->callers, x->callers_nr, sizeof(*x->callers), cmp_caller);
	qsort(x->items, nr, sizeof(*x->items), cmp_shown);
	x->nr = nr;
}

void callsite_index_release(struct callsite_index *x)
{
	free(x->items);
	free(x->callers);
	memset(x, 0, sizeof(*x));
}

const struct callsite_entry *callers_find(const struct callsite_index *x,
					  const char *callee, size_t *nr)
{
	size_t lo = 0, hi = x->callers_nr, end;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp_string(x->callers[mid].callee, callee) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < x->callers_nr &&
		       !cmp_string(x->callers[end].callee, callee); end++)
		;
	*nr = end - lo;
	return *nr ? &x->callers[lo] : NULL;
}

const struct callsite_entry *callsite_find(const struct callsite_index *x,
					   const char *file, uint32_t line,
					   const char *caller, size_t *nr)
{
	struct callsite_entry key = { file, caller, NULL, line, 0, 0, KIND_JIT,
				      NULL, KIND_JIT, NULL };
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
