/*
 * record.h - the record kinds shared by several tools (docs/FORMAT.md).
 *
 * Parsers take a line already split by split_fields() and decode it in
 * place: strings in the result point into the line and live as long as
 * it does.  They return 0, or -1 when the record is malformed; the
 * caller reports the line number and goes on.
 */
#ifndef PF_RECORD_H
#define PF_RECORD_H

#include "lineio.h"

#include <stdint.h>
#include <stdio.h>

#define PF_FORMAT_RECORD "pf-record"
#define PF_FORMAT_SYMBOLIZE "pf-symbolize"
#define PF_FORMAT_AGGREGATE "pf-aggregate"
/*
 * The version every pf tool writes.  Readers take 1 too: version 2
 * renamed pf-aggregate's per-thread counts from thread to threadtotal
 * (a thread record of pf-record is TIME PID TID NAME) and came with the
 * code records (docs/FORMAT.md, "Versions").
 */
#define PF_FORMAT_VERSION 2
#define PF_VERSION "0.1"

/* Most fields any record has, plus one for the rest of the line. */
#define PF_MAX_FIELDS 16

/*
 * Read the first line of lr and check that it is "# FORMAT VERSION"
 * with a version this build knows.  Dies with EXIT_DATAERR otherwise,
 * naming what it found.
 */
int expect_header(struct line_reader *lr, const char *format);

/* Write "# FORMAT VERSION\n". */
void write_header(FILE *fp, const char *format);

/*
 * sample TIME PID TID CPU PC [STACK]: as pf-record writes it; STACK
 * (pf-record -g) names the sample's callers, a stack record.
 */
struct raw_sample {
	uint64_t time;
	uint32_t pid, tid, cpu;
	uint64_t pc;
	uint64_t stack;		/* 0: no callers known */
	int has_stack;		/* the record has a STACK field */
};

/*
 * f[0] is "sample"; n is the field count.  Extra fields are ignored.
 * stack_field: where STACK is (6 in pf-record's samples, 12 in
 * pf-symbolize's), read when the record has it; NO_STACK_FIELD in a
 * stream without `meta stacks`, where a field there is one this
 * version does not know, and ignored.
 */
#define NO_STACK_FIELD ((size_t)-1)
int parse_raw_sample(char **f, size_t n, size_t stack_field,
		     struct raw_sample *s);

/*
 * stack ID PID PARENT PC: a caller frame (pf-record -g).  PC is the
 * return address into the frame, PARENT the node of its own callers (0:
 * none); PC 0 stands for the callers an unwind could not find.
 */
struct raw_stack {
	uint64_t id;
	uint32_t pid;
	uint64_t parent, pc;
};

int parse_raw_stack(char **f, size_t n, struct raw_stack *s);

enum sample_kind { KIND_JIT, KIND_NATIVE, KIND_KERNEL, KIND_UNKNOWN };
extern const char *const sample_kind_names[4];
int parse_sample_kind(const char *s, enum sample_kind *kind);

/* sample ... KIND OBJECT FUNCTION FILE LINE INLINED: pf-symbolize's. */
struct sym_sample {
	struct raw_sample raw;
	enum sample_kind kind;
	char *object;		/* NULL when "-" */
	char *function;
	char *file;
	uint32_t line;
	char *inlined;		/* still escaped; see parse_inline_entry() */
};

/* stacks: the stream has `meta stacks` (STACK is field 12). */
int parse_sym_sample(char **f, size_t n, int stacks, struct sym_sample *s);

/*
 * stack ID PID PARENT PC KIND OBJECT FUNCTION FILE LINE INLINED:
 * pf-symbolize's, the frame described as a sample at PC - 1 is (the
 * call), or as unknown for PC 0.
 */
struct sym_stack {
	struct raw_stack raw;
	struct sym_sample at;	/* at.raw is unused */
};

int parse_sym_stack(char **f, size_t n, struct sym_stack *s);

/*
 * One entry of an INLINED chain: FUNCTION@FILE:LINE.  *chain points at
 * the text still to parse (as written, escaped); it is advanced past the
 * entry and its ';'.  Decodes in place.  Returns 1 with an entry, 0 at
 * the end of the chain, -1 when malformed.
 */
struct inline_entry {
	char *function, *file;
	uint32_t line;
};
int parse_inline_entry(char **chain, struct inline_entry *e);

/* LINES of an object record: what the JIT object has for line tables. */
enum object_lines { OBJECT_LINES, OBJECT_NOLINES, OBJECT_BAD };
extern const char *const object_lines_names[3];	/* lines nolines bad */
int parse_object_lines(const char *s, enum object_lines *lines);

/*
 * object OBJECT TIME LINES NAME: pf-symbolize's, in place of each jit
 * record.  OBJECT is never "-".
 */
struct object_record {
	char *object;
	uint64_t time;
	enum object_lines lines;
	char *name;		/* the object's main function; NULL when "-" */
};

int parse_object_record(char **f, size_t n, struct object_record *o);

/*
 * compile TIME PID TID WHAT CACHE NAME: when a thread is in Numba's
 * compiler (pf-record writes them from what its start-up shim reports).
 */
enum compile_what {
	COMPILE_ENTER,	/* the outermost hold of Numba's compiler lock */
	COMPILE_LEAVE,
	COMPILE_BEGIN,	/* Numba compiles NAME */
	COMPILE_END,
	COMPILE_LOADED,	/* NAME was loaded from Numba's cache */
	COMPILE_SAVED,	/* NAME was saved to Numba's cache */
};
#define COMPILE_WHAT_NR 6
extern const char *const compile_what_names[COMPILE_WHAT_NR];

struct compile_record {
	uint64_t time;
	uint32_t pid, tid;
	enum compile_what what;
	int cache;		/* CACHE "cache": a cache=True function */
	char *name;		/* as written (escaped in a stream); "-" none */
};

int parse_compile_record(char **f, size_t n, struct compile_record *c);

/*
 * KIND of pf-aggregate's compiling records: compiling for this run,
 * compiling cache=True functions into the cache, loading from it.
 */
enum compiling_kind { COMPILING_COMPILE, COMPILING_CACHE, COMPILING_LOAD };
extern const char *const compiling_kind_names[3];	/* compile cache load */
int parse_compiling_kind(const char *s, enum compiling_kind *kind);

#endif
