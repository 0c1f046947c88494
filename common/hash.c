/* hash.c - see hash.h */
#include "hash.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* The finalizer of MurmurHash3: every input bit affects every output bit. */
static uint64_t avalanche(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

static uint64_t rotl(uint64_t x, int r)
{
	return x << r | x >> (64 - r);
}

uint64_t hash_bytes(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = len * 0x9e3779b97f4a7c15ULL, w;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, 8);
		h ^= rotl(w * 0x87c37b91114253d5ULL, 31) * 0x4cf5ad432745937fULL;
		h = rotl(h, 27) * 5 + 0x52dce729;
	}
	if (len) {
		w = 0;
		memcpy(&w, p, len);
		h ^= rotl(w * 0x87c37b91114253d5ULL, 31) * 0x4cf5ad432745937fULL;
	}
	return avalanche(h);
}

void hashmap_init(struct hashmap *map)
{
	map->slots = NULL;
	map->alloc = 0;
	map->nr = 0;
}

void hashmap_release(struct hashmap *map)
{
	size_t i;

	for (i = 0; i < map->alloc; i++)
		free(map->slots[i].key);
	free(map->slots);
	hashmap_init(map);
}

/* The slot holding key, or the free slot where it would go. */
static struct hashmap_entry *probe(const struct hashmap *map, uint64_t hash,
				   const void *key, size_t len)
{
	size_t mask = map->alloc - 1, i = hash & mask;

	for (;; i = (i + 1) & mask) {
		struct hashmap_entry *e = &map->slots[i];

		if (!e->key)
			return e;
		if (e->hash == hash && e->len == len && !memcmp(e->key, key, len))
			return e;
	}
}

static void grow(struct hashmap *map)
{
	struct hashmap old = *map;
	size_t i;

	map->alloc = old.alloc ? old.alloc * 2 : 64;
	if (map->alloc < old.alloc)
		die(EXIT_FATAL, "hash table too large");
	map->slots = xcalloc(map->alloc, sizeof(*map->slots));
	for (i = 0; i < old.alloc; i++) {
		struct hashmap_entry *e = &old.slots[i];

		if (e->key)
			*probe(map, e->hash, e->key, e->len) = *e;
	}
	free(old.slots);
}

size_t *hashmap_find(const struct hashmap *map, const void *key, size_t len)
{
	struct hashmap_entry *e;

	if (!map->alloc)
		return NULL;
	e = probe(map, hash_bytes(key, len), key, len);
	return e->key ? &e->value : NULL;
}

size_t *hashmap_insert(struct hashmap *map, const void *key, size_t len,
		       int *added)
{
	uint64_t hash = hash_bytes(key, len);
	struct hashmap_entry *e;

	if ((map->nr + 1) * 4 > map->alloc * 3)
		grow(map);
	e = probe(map, hash, key, len);
	if (added)
		*added = !e->key;
	if (!e->key) {
		e->hash = hash;
		/* One byte more so that an empty key is not a NULL pointer. */
		e->key = xmalloc(len + 1);
		memcpy(e->key, key, len);
		e->key[len] = '\0';
		e->len = len;
		e->value = 0;
		map->nr++;
	}
	return &e->value;
}
