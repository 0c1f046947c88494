/*
 * hash.h - an open-addressing hash table from byte strings to indexes.
 *
 * A key is any byte string (pointer and length; NUL bytes allowed), so
 * a uint64_t key is simply its 8 bytes and a composite key is its
 * fields written one after the other.  The table copies each key it
 * adds and frees the copies in hashmap_release().  A value is a size_t,
 * typically an index into an array the caller owns:
 *
 *	int added;
 *	size_t *slot = hashmap_insert(&map, key, len, &added);
 *	if (added) {
 *		ALLOC_GROW(items, nr + 1, alloc);
 *		*slot = nr++;
 *	}
 *	items[*slot].count++;
 *
 * A pointer returned by hashmap_find() or hashmap_insert() stays valid
 * until the next hashmap_insert().  Lookups and inserts take constant
 * time on average: the table doubles when it is 3/4 full (linear
 * probing, the full hash kept beside each key so most mismatches cost
 * no memcmp).
 */
#ifndef PF_HASH_H
#define PF_HASH_H

#include <stddef.h>
#include <stdint.h>

struct hashmap_entry {
	uint64_t hash;
	char *key;		/* NULL: the slot is free */
	size_t len;
	size_t value;
};

struct hashmap {
	struct hashmap_entry *slots;
	size_t alloc;		/* a power of two, or 0 before the first insert */
	size_t nr;		/* keys in the table */
};

#define HASHMAP_INIT { NULL, 0, 0 }

void hashmap_init(struct hashmap *map);
void hashmap_release(struct hashmap *map);

/* The value stored for key, or NULL when key is not in the table. */
size_t *hashmap_find(const struct hashmap *map, const void *key, size_t len);

/*
 * The value stored for key, adding key with value 0 first when it is
 * not in the table; *added (may be NULL) tells which happened.
 */
size_t *hashmap_insert(struct hashmap *map, const void *key, size_t len,
		       int *added);

/* A 64-bit hash of len bytes, 8 at a time. */
uint64_t hash_bytes(const void *data, size_t len);

#endif
