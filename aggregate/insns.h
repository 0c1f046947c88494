/*
 * insns.h - samples per instruction: each distinct (object, PC) of a
 * JIT or native sample, with the function and line its sample named.
 *
 * What pf-annotate --asm shows under each line, and what `awk '$1 ==
 * "insn"'` sorts for the hottest instructions.  pf-symbolize gives
 * every sample of a PC the same description; a stream made otherwise
 * gets an entry per description of a PC, so that any stream gives the
 * same records whatever its order.  Kernel and unknown samples have no
 * instruction to show.  The table owns copies of the strings.
 */
#ifndef PF_AGGREGATE_INSNS_H
#define PF_AGGREGATE_INSNS_H

#include "hash.h"
#include "record.h"

#include <stddef.h>
#include <stdint.h>

struct insn_count {
	enum sample_kind kind;
	char *object;		/* jit:ID or the mapped file */
	uint64_t addr;		/* the PC, a process address */
	char *function, *file;	/* NULL when missing */
	uint32_t line;
	uint64_t samples;
};

struct insn_table {
	struct hashmap map;	/* addr and object -> index into items */
	struct hashmap other;	/* and description, for a second one */
	struct insn_count *items;
	size_t nr, alloc;
	char *key;		/* scratch buffer for building keys */
	size_t key_alloc;
};

void insn_table_init(struct insn_table *t);
void insn_table_release(struct insn_table *t);

/* Count sample s (a JIT or native one with an object; others are not). */
void insn_table_count(struct insn_table *t, const struct sym_sample *s);

/*
 * Sort for output: samples, largest first; ties by kind, object,
 * address, file, line and function.  The table can then only be read and released.
 */
void insn_table_sort(struct insn_table *t);

#endif
