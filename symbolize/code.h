/*
 * code.h - the code of the sampled functions, for the instruction view.
 *
 * The first time a sample falls in a function (the ELF symbol around
 * its PC: the machine code's own unit, whatever was inlined into it),
 * pf-symbolize writes, before that sample, the function's bytes and
 * what each stretch of them is: a code record naming the function's
 * range, codedata records with the bytes that ran there (a JIT
 * object's live code from the jitcode records, else its own before
 * relocation; a native function's from its mapped file), and span
 * records giving each stretch the FUNCTION FILE LINE INLINED a sample
 * there gets (docs/FORMAT.md).  A function is written once per object
 * (JIT object or mapping); a record of what was written stays for each.
 */
#ifndef PF_SYMBOLIZE_CODE_H
#define PF_SYMBOLIZE_CODE_H

#include "describe.h"
#include "hash.h"
#include "jit.h"
#include "symindex.h"

#include <elfutils/libdwfl.h>
#include <gelf.h>
#include <stdint.h>
#include <stdio.h>

/* Native functions larger than this get a code record without bytes. */
#define CODE_NATIVE_MAX (256u << 10)
/* Nor do JIT functions larger than this (a corrupt symbol). */
#define CODE_JIT_MAX (64u << 20)

struct code_writer {
	struct hashmap done;	/* (kind, owner, function start) */
	uint64_t functions, bytes;	/* written so far */
};

/* Where a sampled address is, for code_write(). */
struct code_place {
	enum sample_kind kind;	/* KIND_JIT or KIND_NATIVE */
	uint32_t owner;		/* the JIT object or the native map */
	const char *object;	/* OBJECT as samples name it (decoded) */
	Dwfl_Module *mod;
	struct describe_state *st;	/* the session's */
	uint64_t pc;		/* the sampled process address */
	int64_t shift;		/* module address minus process address */
	const struct jit_object *jit;	/* JIT code: its object */
	Elf *elf;		/* native code: the file, its ELF */
	GElf_Addr modbias;	/* and its module bias */
	enum name_source source;
	enum name_style style;
};

void code_writer_init(struct code_writer *w);
void code_writer_release(struct code_writer *w);

/*
 * Write the code, codedata and span records of the function at p->pc
 * to fp, unless they were written before (or there is no function
 * symbol there: nothing).
 */
void code_write(struct code_writer *w, FILE *fp, const struct code_place *p);

#endif
