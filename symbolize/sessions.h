/*
 * sessions.h - the libdwfl sessions pf-symbolize keeps open.
 *
 * Describing an address needs its JIT object or file open with libdwfl
 * (and, for a file, its symbols indexed: symindex.h).  A stream brings
 * new addresses of the same objects all along, so each session stays
 * open for the next: every native file's until the end (few files,
 * some large to open), JIT objects' up to a limit, the least recently
 * used closed first (there may be thousands; each holds a memfd).  A
 * session that could not be opened is remembered as such, and never
 * tried again.
 */
#ifndef PF_SYMBOLIZE_SESSIONS_H
#define PF_SYMBOLIZE_SESSIONS_H

#include "describe.h"
#include "hash.h"
#include "jit.h"
#include "native.h"
#include "record.h"
#include "region.h"
#include "symindex.h"

#include <elfutils/libdwfl.h>
#include <stddef.h>
#include <stdint.h>

struct session {
	enum sample_kind kind;	/* KIND_JIT or KIND_NATIVE */
	uint32_t group;		/* the JIT object, or the native file */
	Dwfl *dwfl;		/* NULL: closed, or could not be opened */
	Dwfl_Module *mod;
	int failed;		/* could not be opened: mod stays NULL */
	struct symindex symbols;	/* a native file's */
	struct describe_state st;
	uint64_t used;		/* when last asked for, for the LRU */
};

struct session_cache {
	struct session **s;	/* each apart: describe_state points into it */
	size_t nr, alloc;
	struct hashmap index;	/* (kind, group) -> index into s */
	uint64_t clock;
	size_t jit_open, jit_max;
	struct jit_set *jits;
	struct native_set *natives;
	struct region_finder *regions;
	enum name_style style;	/* of JIT names, for jit_examine */
};

void session_cache_init(struct session_cache *c, struct jit_set *jits,
			struct native_set *natives,
			struct region_finder *regions, enum name_style style,
			size_t jit_max);
void session_cache_release(struct session_cache *c);

/*
 * The open session for JIT object or native file group, opened if it
 * is not; its mod is NULL when it cannot be.  A JIT object is examined
 * (objinfo.h) when first opened.  The session lives as long as the
 * cache.
 */
struct session *session_get(struct session_cache *c, enum sample_kind kind,
			    uint32_t group);

#endif
