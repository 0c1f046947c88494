/* objects.c - see objects.h */
#include "objects.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void object_table_init(struct object_table *t)
{
	memset(t, 0, sizeof(*t));
	hashmap_init(&t->map);
}

void object_table_release(struct object_table *t)
{
	size_t i;

	for (i = 0; i < t->nr; i++) {
		free(t->items[i].object);
		free(t->items[i].name);
	}
	free(t->items);
	hashmap_release(&t->map);
	object_table_init(t);
}

static struct object_count *get(struct object_table *t, const char *object)
{
	int added;
	size_t *slot = hashmap_insert(&t->map, object, strlen(object), &added);

	if (added) {
		ALLOC_GROW(t->items, t->nr + 1, t->alloc);
		memset(&t->items[t->nr], 0, sizeof(t->items[t->nr]));
		t->items[t->nr].object = xstrdup(object);
		*slot = t->nr++;
	}
	return &t->items[*slot];
}

void object_table_sample(struct object_table *t, const char *object)
{
	struct object_count *c;

	/* Samples come in runs of the same object: skip the hashing. */
	if (t->last < t->nr && !strcmp(t->items[t->last].object, object)) {
		t->items[t->last].samples++;
		return;
	}
	c = get(t, object);
	c->samples++;
	t->last = (size_t)(c - t->items);
}

void object_table_record(struct object_table *t,
			 const struct object_record *r)
{
	struct object_count *c = get(t, r->object);

	c->have_record = 1;
	c->lines = r->lines;
	free(c->name);
	c->name = xstrdup_or_null(r->name);
}

static int cmp_count(const void *pa, const void *pb)
{
	const struct object_count *a = *(const struct object_count *const *)pa;
	const struct object_count *b = *(const struct object_count *const *)pb;

	if (a->samples != b->samples)
		return a->samples > b->samples ? -1 : 1;
	return strcmp(a->object, b->object);
}

const struct object_count **object_table_select(const struct object_table *t,
						enum object_lines lines,
						size_t *nr,
						uint64_t *samples)
{
	const struct object_count **sel;
	size_t i;

	sel = xreallocarray(NULL, t->nr ? t->nr : 1, sizeof(*sel));
	*nr = 0;
	*samples = 0;
	for (i = 0; i < t->nr; i++) {
		const struct object_count *c = &t->items[i];

		if (!c->have_record || c->lines != lines || !c->samples)
			continue;
		sel[(*nr)++] = c;
		*samples += c->samples;
	}
	qsort(sel, *nr, sizeof(*sel), cmp_count);
	return sel;
}
