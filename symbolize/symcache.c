/* symcache.c - see symcache.h */
#include "symcache.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void sym_cache_init(struct sym_cache *c)
{
	memset(c, 0, sizeof(*c));
	hashmap_init(&c->index);
}

void sym_cache_release(struct sym_cache *c)
{
	size_t i;

	for (i = 0; i < c->nr; i++)
		free(c->entry[i].text);
	free(c->entry);
	hashmap_release(&c->index);
	sym_cache_init(c);
}

uint32_t sym_cache_intern(struct sym_cache *c, enum sample_kind kind,
			  uint32_t owner, uint64_t addr)
{
	struct { uint32_t kind, owner; uint64_t addr; } key;
	struct sym_entry *e;
	size_t *slot;
	int added;

	memset(&key, 0, sizeof(key));
	key.kind = (uint32_t)kind;
	key.owner = owner;
	key.addr = addr;
	slot = hashmap_insert(&c->index, &key, sizeof(key), &added);
	if (!added)
		return (uint32_t)*slot;
	if (c->nr >= UINT32_MAX)
		die(EXIT_FATAL, "too many distinct addresses");
	ALLOC_GROW(c->entry, c->nr + 1, c->alloc);
	e = &c->entry[c->nr];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->owner = owner;
	e->addr = addr;
	*slot = c->nr;
	return (uint32_t)c->nr++;
}
