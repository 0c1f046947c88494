/*
 * symcache.h - one symbolized description per (object, address).
 *
 * Samples of a hot loop hit the same few addresses over and over; each
 * distinct (kind, owner, addr) is an entry, described once, and every
 * sample refers to its entry by index.  The cache owns the entries and
 * their text.
 */
#ifndef PF_SYMBOLIZE_SYMCACHE_H
#define PF_SYMBOLIZE_SYMCACHE_H

#include "hash.h"
#include "record.h"

#include <stddef.h>
#include <stdint.h>

struct sym_entry {
	enum sample_kind kind;
	uint32_t owner;		/* JIT object or mapping index */
	uint64_t addr;		/* the PC */
	uint32_t group;		/* what to open to describe it: object, file */
	char *text;		/* "KIND OBJECT FUNCTION FILE LINE INLINED",
				   NULL until described */
	size_t len;		/* of text */
};

struct sym_cache {
	struct sym_entry *entry;
	size_t nr, alloc;
	struct hashmap index;	/* (kind, owner, addr) -> entry index */
};

void sym_cache_init(struct sym_cache *c);
void sym_cache_release(struct sym_cache *c);

/* The index of the entry for (kind, owner, addr), added if new. */
uint32_t sym_cache_intern(struct sym_cache *c, enum sample_kind kind,
			  uint32_t owner, uint64_t addr);

#endif
