/*
 * paths.h - samples counted by their whole path: the sample's own frame
 * (with its inline chain), its callers (a stack frame, stacks.h), and
 * its thread; what the folded stacks and pprof profiles are made of.
 *
 * The frames of a sample are written outermost first: the caller
 * frames from the outermost, then the sample's own; each frame expands
 * into its inline chain, outermost first, then its innermost function.
 */
#ifndef PF_AGGREGATE_PATHS_H
#define PF_AGGREGATE_PATHS_H

#include "hash.h"
#include "record.h"
#include "stacks.h"

#include <stddef.h>
#include <stdint.h>

/* One place in the code: what a sample or a caller frame is at. */
struct place {
	enum sample_kind kind;
	const char *object, *function, *file;	/* NULL when "-" */
	uint32_t line;
	const struct inline_entry *chain;	/* innermost caller first */
	size_t chain_nr;
	int cut;		/* the callers an unwind did not find */
	uint64_t addr;		/* a PC there (the first one seen) */
};

struct leaf {
	struct place at;
	char *object, *function, *file, *chain_text;	/* owned */
	struct inline_entry *chain;
};

struct path_count {
	size_t leaf;		/* index into leaves */
	size_t frame;		/* index + 1 into the stack table; 0 none */
	uint32_t pid, tid;	/* 0 unless by thread */
	uint64_t samples;
};

struct path_table {
	int by_thread;
	struct hashmap leaf_map, path_map;
	struct leaf *leaves;
	size_t nleaves, leaves_alloc;
	struct path_count *paths;
	size_t npaths, paths_alloc;
	char *key;		/* scratch for building keys */
	size_t key_alloc;
};

void path_table_init(struct path_table *t, int by_thread);
void path_table_release(struct path_table *t);

/* Count a sample: its own place s, its decoded chain, its callers. */
void path_table_count(struct path_table *t, const struct sym_sample *s,
		      const struct inline_entry *chain, size_t chain_nr,
		      size_t frame);

/* The place of stack frame f. */
void frame_place(const struct stack_frame *f, struct place *p);

/*
 * The frames of path c, outermost first, into *out (grown as needed,
 * *alloc its size): each a place whose chain is empty (an inline
 * chain is expanded into places of their own).  Returns the count.
 */
size_t path_frames(const struct path_table *t, const struct stack_table *st,
		   const struct path_count *c, struct place **out,
		   size_t *alloc);

#endif
