/* test-hash.c - the open-addressing hash table (common/hash.h) */
#include "hash.h"
#include "tap.h"

#include <stdlib.h>

#define KEYS 100000

static void test_u64_keys(void)
{
	struct hashmap map = HASHMAP_INIT;
	uint64_t k = 0;
	size_t *v;
	int added, all_added = 1, all_found = 1, none_added = 1;

	ok(hashmap_find(&map, &k, sizeof(k)) == NULL, "find in an empty table");
	for (k = 0; k < KEYS; k++) {
		uint64_t key = k * 0x10001;	/* not consecutive */

		v = hashmap_insert(&map, &key, sizeof(key), &added);
		all_added &= added && *v == 0;
		*v = (size_t)k + 1;
	}
	ok(all_added, "%d new keys are added with value 0", KEYS);
	is_u64(map.nr, KEYS, "count of keys");
	ok(map.nr * 4 <= map.alloc * 3, "the table is at most 3/4 full");
	for (k = 0; k < KEYS; k++) {
		uint64_t key = k * 0x10001;

		v = hashmap_find(&map, &key, sizeof(key));
		all_found &= v && *v == k + 1;
		v = hashmap_insert(&map, &key, sizeof(key), &added);
		none_added &= !added && *v == k + 1;
	}
	ok(all_found, "every key is found with its value");
	ok(none_added, "inserting a key again finds it");
	k = 3;	/* 3 is not a multiple of 0x10001 */
	ok(hashmap_find(&map, &k, sizeof(k)) == NULL, "an absent key");
	hashmap_release(&map);
	is_u64(map.nr, 0, "released");
}

static void test_byte_keys(void)
{
	struct hashmap map;
	size_t *v;
	int added;

	hashmap_init(&map);
	v = hashmap_insert(&map, "", 0, &added);
	ok(added && v, "the empty key");
	*v = 7;
	v = hashmap_insert(&map, "a\0b", 3, &added);
	ok(added, "a key with a NUL byte");
	*v = 8;
	v = hashmap_insert(&map, "a\0c", 3, NULL);
	*v = 9;
	v = hashmap_find(&map, "a\0b", 3);
	ok(v && *v == 8, "keys differ after a NUL byte");
	v = hashmap_find(&map, "a", 1);
	ok(v == NULL, "a prefix is another key");
	v = hashmap_find(&map, "", 0);
	ok(v && *v == 7, "the empty key is found");
	hashmap_release(&map);
}

static void test_hash_bytes(void)
{
	char a[32] = "0123456789abcdefghijklmnopqrstu";
	char b[32];

	memcpy(b, a, sizeof(a));
	is_u64(hash_bytes(a, 31), hash_bytes(b, 31), "equal bytes, equal hash");
	b[30] = 'x';
	ok(hash_bytes(a, 31) != hash_bytes(b, 31), "the last byte counts");
	ok(hash_bytes(a, 8) != hash_bytes(a, 9), "the length counts");
	ok(hash_bytes("", 0) != hash_bytes("\0", 1), "a NUL byte counts");
}

int main(void)
{
	test_u64_keys();
	test_byte_keys();
	test_hash_bytes();
	return done_testing();
}
