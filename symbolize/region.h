/*
 * region.h - code compiled from a pseudo file, given to the function
 * it was made from.
 *
 * Numba compiles the body of a prange loop (@njit(parallel=True)) as a
 * function of its own, a "gufunc" (__numba_parfor_gufunc_0x...), from
 * generated source: the DWARF compile unit is a pseudo file
 * ("<string>", comp_dir the working directory), while the line numbers
 * are those of the user's file (numba issue 9412).  The function the
 * loop is in is compiled after it, into an object that links in a copy
 * of the gufunc or refers to its symbol, with a compile unit for the
 * real file.
 *
 * region_find() looks for that enclosing function, by the linkage name
 * of the pseudo-file function: among the JIT objects that hold a symbol
 * of that name (defined, weak or undefined; or a function symbol
 * PREFIX.NAME, as Numba names the gufunc wrapper of NAME,
 * "__gufunc__.NAME", which may be all an object holds of NAME once it
 * is inlined there), the object itself included, those whose main
 * function (objinfo.h) is in a real file.
 * One that also holds the main function of another is a caller of it
 * and is passed over.  Of the rest: the object itself, else the first
 * recorded after it (by TIME, then ID), else the last before it.
 * Objects are examined (objinfo.h) the first time they are needed; the
 * symbol tables are indexed, by hashes of the names, as the objects
 * become whole: the candidates are the objects recorded up to the
 * question (pf-symbolize asks once the recording has said that every
 * object made before the sample is in it, docs/FORMAT.md "sync"), and
 * the answer, once given, is kept.
 */
#ifndef PF_SYMBOLIZE_REGION_H
#define PF_SYMBOLIZE_REGION_H

#include "demangle.h"
#include "hash.h"
#include "jit.h"

#include <elfutils/libdwfl.h>
#include <stddef.h>
#include <stdint.h>

/* Is the last component of path a pseudo file name ("<string>")? */
int is_pseudo_file(const char *path);

struct region_owner {
	char *file;		/* the real source file, as its lines give it */
	char *function;		/* the enclosing function, readable */
	int first_line;		/* its declaration line: none of its lines
				   comes before it */
};

struct symbol_hash {
	uint64_t hash;		/* of a symbol's name */
	uint32_t obj;		/* index of the object that holds it */
};

struct object_list {
	uint32_t *obj;		/* ascending */
	size_t nr;
};

struct region_finder {
	struct jit_set *js;
	enum name_style style;
	size_t complete_seen;	/* js->nr_complete when last indexed */
	size_t first_unindexed;	/* objects before it are all indexed */
	struct symbol_hash *sym;	/* sorted, no duplicates */
	size_t sym_nr, sym_alloc;
	struct hashmap holders;	/* symbol name -> index into list */
	struct object_list *list;
	size_t list_nr, list_alloc;
	struct hashmap found;	/* object index and linkage name -> owner */
	struct region_owner *owner;
	size_t owner_nr, owner_alloc;
};

void region_finder_init(struct region_finder *rf, struct jit_set *js,
			enum name_style style);
void region_finder_release(struct region_finder *rf);

/*
 * The function that the pseudo-file function with linkage name linkage,
 * in JIT object self (open as mod), belongs to; NULL when none is
 * found.  The answer is kept for the next call with the same question.
 */
const struct region_owner *region_find(struct region_finder *rf,
				       size_t self, Dwfl_Module *mod,
				       const char *linkage);

#endif
