/*
 * codeset.h - the code of the sampled functions and the samples of each
 * instruction, read from a pf-aggregate stream for pf-annotate --asm.
 *
 * pf-symbolize writes, for each function a sample fell in, a code record
 * (its range), codedata records (its bytes) and span records (the line
 * of each stretch); pf-aggregate passes them on and adds an insn record
 * per sampled instruction (docs/FORMAT.md).  The set keeps them all; a
 * record that does not fit (codedata or a span outside its function,
 * bad base64) is refused with a reason, and the rest still count.
 */
#ifndef PF_ANNOTATE_CODESET_H
#define PF_ANNOTATE_CODESET_H

#include "hash.h"

#include <stddef.h>
#include <stdint.h>

struct code_function {
	char *object, *how, *name;
	uint64_t start, end;	/* process addresses */
	unsigned char *bytes;	/* end - start of them, or NULL (HOW none) */
	unsigned char *have;	/* have[i]: bytes[i] came in a codedata record */
	int native;		/* OBJECT is a file, not jit:ID */
};

struct code_span {
	size_t fn;		/* index into functions */
	uint64_t start, end;
	char *function, *file;	/* NULL for "-" */
	uint32_t line;
	char *inlined;		/* as written, or NULL for "-" */
};

struct code_set {
	struct code_function *fn;
	size_t fn_nr, fn_alloc;
	struct code_span *span;
	size_t span_nr, span_alloc;
	struct hashmap byobject;	/* OBJECT -> its last code record */
	struct hashmap insn;	/* OBJECT NUL ADDR -> samples */
	uint64_t insn_samples;	/* in insn records */
};

void code_set_init(struct code_set *cs);
void code_set_release(struct code_set *cs);

/*
 * Take a code, codedata, span or insn record split into n fields f.
 * Returns 0, -1 with *why set to what is wrong with it, or 1 when f is
 * a record of another kind (not taken).
 */
int code_set_take(struct code_set *cs, char **f, size_t n, const char **why);

/* The samples of the instruction at addr of object, from insn records. */
uint64_t code_set_samples(const struct code_set *cs, const char *object,
			  uint64_t addr);

/* The function of the set that holds addr of object, or NULL. */
const struct code_function *code_set_function_at(const struct code_set *cs,
						 const char *object,
						 uint64_t addr);

#endif
