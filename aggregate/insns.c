/* insns.c - see insns.h */
#include "insns.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void insn_table_init(struct insn_table *t)
{
	memset(t, 0, sizeof(*t));
	hashmap_init(&t->map);
	hashmap_init(&t->other);
}

void insn_table_release(struct insn_table *t)
{
	size_t i;

	for (i = 0; i < t->nr; i++) {
		free(t->items[i].object);
		free(t->items[i].function);
		free(t->items[i].file);
	}
	free(t->items);
	free(t->key);
	hashmap_release(&t->map);
	hashmap_release(&t->other);
	insn_table_init(t);
}

/* Append s (NULL: nothing) and a NUL to the key being built. */
static void key_add(char **key, size_t *len, size_t *alloc, const void *s,
		    size_t n)
{
	ALLOC_GROW(*key, *len + n + 1, *alloc);
	if (n)
		memcpy(*key + *len, s, n);
	*len += n;
	(*key)[(*len)++] = '\0';
}

static int same_str(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

/* Does counter c hold the description of sample s? */
static int describes(const struct insn_count *c, const struct sym_sample *s)
{
	return c->line == s->line && same_str(c->file, s->file) &&
	       same_str(c->function, s->function);
}

/* The index of a new counter for s, in *slot. */
static void add_counter(struct insn_table *t, const struct sym_sample *s,
			size_t *slot)
{
	struct insn_count *c;

	ALLOC_GROW(t->items, t->nr + 1, t->alloc);
	c = &t->items[t->nr];
	c->kind = s->kind;
	c->object = xstrdup(s->object);
	c->addr = s->raw.pc;
	c->function = xstrdup_or_null(s->function);
	c->file = xstrdup_or_null(s->file);
	c->line = s->line;
	c->samples = 0;
	*slot = t->nr++;
}

void insn_table_count(struct insn_table *t, const struct sym_sample *s)
{
	size_t len = 0, *slot;
	int added;

	if ((s->kind != KIND_JIT && s->kind != KIND_NATIVE) || !s->object)
		return;
	/* The key: PC and object; their description is checked on a hit. */
	key_add(&t->key, &len, &t->key_alloc, &s->raw.pc, 8);
	key_add(&t->key, &len, &t->key_alloc, s->object, strlen(s->object));
	slot = hashmap_insert(&t->map, t->key, len, &added);
	if (added)
		add_counter(t, s, slot);
	if (!added && !describes(&t->items[*slot], s)) {
		/*
		 * pf-symbolize gives every sample of a PC the same
		 * description; in a stream made otherwise, each description
		 * of a PC is an entry of its own (the description in the
		 * key), so that any order gives the same records.
		 */
		key_add(&t->key, &len, &t->key_alloc, s->function,
			s->function ? strlen(s->function) + 1 : 0);
		key_add(&t->key, &len, &t->key_alloc, s->file,
			s->file ? strlen(s->file) + 1 : 0);
		key_add(&t->key, &len, &t->key_alloc, &s->line,
			sizeof(s->line));
		slot = hashmap_insert(&t->other, t->key, len, &added);
		if (added)
			add_counter(t, s, slot);
	}
	t->items[*slot].samples++;
}

/* NULL (missing) before any string. */
static int cmp_str(const char *a, const char *b)
{
	if (a && b)
		return strcmp(a, b);
	if (!a && !b)
		return 0;
	return a ? 1 : -1;
}

static int cmp_insn(const void *a, const void *b)
{
	const struct insn_count *x = a, *y = b;
	int c;

	if (x->samples != y->samples)
		return x->samples > y->samples ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if ((c = strcmp(x->object, y->object)))
		return c;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if ((c = cmp_str(x->file, y->file)))
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return cmp_str(x->function, y->function);
}

void insn_table_sort(struct insn_table *t)
{
	if (t->nr)
		qsort(t->items, t->nr, sizeof(*t->items), cmp_insn);
	hashmap_release(&t->map);
	hashmap_release(&t->other);
	hashmap_init(&t->map);
	hashmap_init(&t->other);
}
