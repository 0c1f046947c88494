/* counter.c - see counter.h */
#include "counter.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void counter_table_init(struct counter_table *t)
{
	memset(t, 0, sizeof(*t));
	hashmap_init(&t->map);
}

void counter_table_release(struct counter_table *t)
{
	size_t i;

	for (i = 0; i < t->nr; i++) {
		free(t->items[i].s1);
		free(t->items[i].s2);
		free(t->items[i].s3);
		free(t->items[i].s4);
		free(t->items[i].s5);
	}
	free(t->items);
	free(t->key);
	hashmap_release(&t->map);
	counter_table_init(t);
}

/*
 * Append a string to the key: a byte telling whether it is missing,
 * then its bytes and a NUL (strings never contain NUL bytes, so the
 * encoding is unambiguous).
 */
static size_t put_string(struct counter_table *t, size_t len, const char *s)
{
	size_t slen = s ? strlen(s) : 0;

	ALLOC_GROW(t->key, len + slen + 2, t->key_alloc);
	t->key[len++] = s ? 1 : 0;
	memcpy(t->key + len, s ? s : "", slen + 1);
	return len + slen + 1;
}

struct counter *counter_get(struct counter_table *t,
			    const struct counter_key *k)
{
	size_t len = 14, *slot;
	int added;

	ALLOC_GROW(t->key, len, t->key_alloc);
	t->key[0] = (char)k->kind;
	memcpy(t->key + 1, &k->n1, 4);
	memcpy(t->key + 5, &k->n2, 4);
	memcpy(t->key + 9, &k->n3, 4);
	t->key[13] = (char)k->kind2;
	len = put_string(t, len, k->s1);
	len = put_string(t, len, k->s2);
	len = put_string(t, len, k->s3);
	len = put_string(t, len, k->s4);
	len = put_string(t, len, k->s5);
	slot = hashmap_insert(&t->map, t->key, len, &added);
	if (added) {
		struct counter *c;

		ALLOC_GROW(t->items, t->nr + 1, t->alloc);
		c = &t->items[t->nr];
		memset(c, 0, sizeof(*c));
		c->kind = k->kind;
		c->s1 = xstrdup_or_null(k->s1);
		c->s2 = xstrdup_or_null(k->s2);
		c->s3 = xstrdup_or_null(k->s3);
		c->s4 = xstrdup_or_null(k->s4);
		c->s5 = xstrdup_or_null(k->s5);
		c->kind2 = k->kind2;
		c->n1 = k->n1;
		c->n2 = k->n2;
		c->n3 = k->n3;
		*slot = t->nr++;
	}
	return &t->items[*slot];
}



static int cmp_counter(const void *pa, const void *pb)
{
	const struct counter *a = pa, *b = pb;
	int r;

	if ((r = cmp_u64_desc(a->self, b->self)) ||
	    (r = cmp_u64_desc(a->total, b->total)))
		return r;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->n2 != b->n2)
		return a->n2 < b->n2 ? -1 : 1;
	if (a->n3 != b->n3)
		return a->n3 < b->n3 ? -1 : 1;
	if ((r = cmp_string(a->s1, b->s1)))
		return r;
	if (a->n1 != b->n1)
		return a->n1 < b->n1 ? -1 : 1;
	if ((r = cmp_string(a->s2, b->s2)) || (r = cmp_string(a->s3, b->s3)))
		return r;
	if (a->kind2 != b->kind2)
		return a->kind2 < b->kind2 ? -1 : 1;
	if ((r = cmp_string(a->s4, b->s4)))
		return r;
	return cmp_string(a->s5, b->s5);
}

void counter_table_sort(struct counter_table *t)
{
	if (t->nr > 1)
		qsort(t->items, t->nr, sizeof(*t->items), cmp_counter);
	hashmap_release(&t->map);
}
