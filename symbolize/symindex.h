/*
 * symindex.h - the function symbols of a module, sorted, for look-ups in
 * O(log n).
 *
 * dwfl_module_addrinfo() scans the whole symbol table on every call: in
 * libLLVM (over 100,000 symbols) that is about a millisecond and a half
 * per address, and a recording of real Numba code hits tens of
 * thousands of distinct libLLVM addresses.  The index is built once per
 * module from the same table (.symtab, else .dynsym; libdwfl merges the
 * debug file's) and answers the same question: the symbol whose
 * [value, value + size) holds the address, the one starting last when
 * several do; at the same start a global one before a weak one before a
 * local one, then the name with fewer leading underscores (free before
 * __libc_free), then the shorter (sin before its alias sinf32x), then
 * the first in the table; else the nearest sizeless symbol below it.
 */
#ifndef PF_SYMBOLIZE_SYMINDEX_H
#define PF_SYMBOLIZE_SYMINDEX_H

#include <elfutils/libdwfl.h>
#include <stddef.h>
#include <stdint.h>

struct symindex_entry {
	uint64_t start, end;	/* a sizeless symbol: to the next one */
	uint64_t section_end;	/* of a sizeless symbol's section */
	uint64_t max_end;	/* the largest end of this and those before */
	const char *name;	/* libdwfl's; lives as long as the module */
	int rank;		/* 0 global, 1 weak, 2 local */
	int order;		/* in the symbol table, for ties */
	int ifunc;		/* STT_GNU_IFUNC: start is its resolver */
	const char *alias;	/* the exported function it implements */
};

struct symindex {
	struct symindex_entry *e;
	size_t nr;
};

/*
 * Index the function symbols of mod (none: an empty index), and find
 * the exported functions behind IFUNC implementations.
 */
void symindex_build(struct symindex *ix, Dwfl_Module *mod);
void symindex_release(struct symindex *ix);

/*
 * The name of the symbol for addr (module address), or NULL: the
 * exported function it implements (ifunc.h) when known.
 */
const char *symindex_lookup(const struct symindex *ix, uint64_t addr);

/* The entry whose symbol symindex_lookup() names for addr, or NULL. */
const struct symindex_entry *symindex_find(const struct symindex *ix,
					    uint64_t addr);

#endif
