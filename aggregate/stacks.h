/*
 * stacks.h - the caller frames of a pf-symbolize stream (stack records,
 * from pf-record -g), by ID.
 *
 * A frame owns copies of its strings and of its decoded INLINED chain.
 * What pf-aggregate counts for a frame whatever sample it is in (the
 * lines of its call, its function, the call it makes) is kept with it
 * as references to counters, computed once (`refs`), so that a sample
 * costs one visit per frame that counts something, not a hash lookup
 * per frame.
 */
#ifndef PF_AGGREGATE_STACKS_H
#define PF_AGGREGATE_STACKS_H

#include "hash.h"
#include "record.h"

#include <stddef.h>
#include <stdint.h>

struct stack_frame {
	uint64_t id;
	uint32_t pid;
	size_t parent;		/* index + 1 of the caller's frame; 0: none */
	uint64_t pc;		/* 0: the callers an unwind did not find */
	enum sample_kind kind;
	char *object, *function, *file;	/* NULL when "-" */
	uint32_t line;
	struct inline_entry *chain;	/* innermost caller first */
	size_t chain_nr;
	char *chain_text;	/* what chain points into */
	const char *outer;	/* the function called: outermost of the chain */
	/* Filled by the counting code (pf-aggregate.c). */
	int prepared;
	uint64_t *refs;		/* table << 48 | counter index */
	size_t nrefs;
	size_t up;		/* index + 1 of the nearest caller with refs */
	size_t lineless;	/* index + 1 of the nearest frame, this one or a
				   caller, in a JIT function at no line */
};

struct stack_table {
	struct hashmap by_id;
	struct stack_frame *items;
	size_t nr, alloc;
};

void stack_table_init(struct stack_table *t);
void stack_table_release(struct stack_table *t);

/*
 * Add the frame of a parsed stack record.  -1 when its ID is taken,
 * its PARENT unknown, or its INLINED chain malformed.
 */
int stack_table_add(struct stack_table *t, const struct sym_stack *s);

/* The index + 1 of frame id, or 0 when there is none. */
size_t stack_table_find(const struct stack_table *t, uint64_t id);

#endif
