/*
 * jit.h - JIT objects carried in the recording (jit, jitdata records).
 *
 * Each object is the in-memory ELF relocatable file that LLVM registers
 * through the GDB JIT interface: its SHF_ALLOC sections already carry
 * their process addresses, its .debug_* sections still need their
 * .rela.debug_* relocations.  jit_set takes the records as the input
 * is read: an object is assembled and checked as soon as its chunks
 * cover it, and its executable sections are then added to the set's
 * range index (so samples after it can be decided while the rest of the
 * stream is still to come); jit_set_finish() at the end of the input
 * says what never became whole.  jit_open() hands one object to
 * libdwfl, which places it at its process addresses and applies the
 * relocations.  The set owns everything it holds.
 */
#ifndef PF_SYMBOLIZE_JIT_H
#define PF_SYMBOLIZE_JIT_H

#include "hash.h"
#include "ranges.h"
#include "record.h"

#include <elfutils/libdwfl.h>
#include <stddef.h>
#include <stdint.h>

struct jit_chunk {
	uint64_t id, offset;
	uint64_t lineno;
	size_t len;
	unsigned char *data;
};

/* Code as it lay in the process (a jitcode record). */
struct jit_live {
	uint64_t addr;
	size_t len;
	unsigned char *bytes;
};

struct jit_object {
	uint64_t id, time, addr, size;
	uint32_t pid;		/* its process; 0 (any) in older streams */
	uint64_t lineno;	/* of its jit record, for messages */
	struct jit_chunk *chunk;	/* received, until assembled */
	size_t chunk_nr, chunk_alloc;
	uint64_t received;	/* bytes in chunk[], overlaps counted twice */
	unsigned char *image;	/* size bytes once assembled and valid */
	uint64_t base;		/* lowest allocated section address */
	uint64_t shift;		/* libdwfl's address minus the process's */
	int unusable;		/* warned about: no symbols from it */
	int duplicate;		/* its ID was used before: ignored */
	int complete;		/* assembled and checked: image or unusable */
	int symbols_indexed;	/* by the region finder (region.h) */
	int code_differs;	/* its live code differed: said so */
	int examined;		/* lines and name are known */
	enum object_lines lines;	/* for its object record */
	char *name;		/* its main function, readable, or NULL */
	char *main_file;	/* the main function's source file, when
				   its compile unit is a real file */
	char *main_linkage;	/* the main function's linkage name */
	int main_line;		/* the main function's declaration line */
	struct jit_live *live;	/* its jitcode records, in their order */
	size_t live_nr, live_alloc;
};

struct jit_set {
	struct jit_object *obj;
	size_t nr, alloc;
	struct hashmap byid;	/* ID -> index of its first object */
	struct jit_chunk *orphan;	/* jitdata before any jit record */
	size_t orphan_nr, orphan_alloc;
	struct range_index *code;	/* gets the objects' code */
	size_t nr_complete;	/* objects assembled (usable or not) */
	size_t nr_unusable;	/* objects warned about */
	size_t nr_bad_lines;	/* jitdata for no object, IDs used twice */
};

/* The executable sections of each good object go to code (owner: the
 * object's index in obj). */
void jit_set_init(struct jit_set *js, struct range_index *code);
void jit_set_release(struct jit_set *js);

/*
 * Take a jit or jitdata record split into n fields f (f[0] is the
 * kind).  Returns 0, or -1 for a malformed record (the caller warns).
 * A jit record whose ID was used before is warned about and counted
 * here (it returns 0: its object is marked duplicate).  The chunk that
 * makes an object whole assembles and checks it.
 */
int jit_add_object(struct jit_set *js, char **f, size_t n, uint64_t lineno);
int jit_add_chunk(struct jit_set *js, char **f, size_t n, uint64_t lineno);

/*
 * Take a jitcode record (the object's code as it lay in memory, from
 * pf-record) and check it against the object: outside the bytes its
 * relocations patch, the code that ran must be the object's own; where
 * it is not, warn (once per object).
 * Returns 0, or -1 for a malformed record or one outside the object's
 * code (the caller warns).  The bytes are kept for jit_code_bytes().
 */
int jit_add_code(struct jit_set *js, char **f, size_t n, uint64_t lineno);

/* Where the bytes jit_code_bytes() gave came from. */
enum code_source {
	CODE_LIVE,	/* as they lay in the process (jitcode records) */
	CODE_OBJECT,	/* the object's, before relocation: no jitcode */
	CODE_FILE,	/* a mapped file's (native code) */
	CODE_NONE,	/* not available */
};

extern const char *const code_source_names[];

/*
 * The len bytes of code that ran at process address addr in object o,
 * into out: the live code where jitcode records cover them, else the
 * object's own.  Returns CODE_LIVE when the live code covered all of
 * them, CODE_OBJECT when some came from the object, CODE_NONE when
 * [addr, addr + len) is not all in one executable section of o.
 */
enum code_source jit_code_bytes(const struct jit_object *o, uint64_t addr,
				size_t len, unsigned char *out);

/*
 * At the end of the input: warn about (and count) the objects that
 * never became whole and the chunks that belong to no object.
 */
void jit_set_finish(struct jit_set *js);

/*
 * Report object i to a new Dwfl, so that the code that ran at address A
 * is at A + shift in the module (the object's shift: see jit.c for why
 * it is not always 0), whatever the order and alignment of its
 * sections.  Returns the Dwfl (the caller calls dwfl_end) and sets *mod
 * and the object's shift; on failure warns, marks the object unusable
 * and returns NULL.
 */
Dwfl *jit_open(struct jit_set *js, size_t i, Dwfl_Module **mod);

#endif
