/*
 * asm.h - the instruction view of pf-annotate (--asm).
 *
 * Under a source line, the instructions the line tables give it (span
 * records: the innermost line of each stretch, inlined code at its own
 * line), disassembled with capstone from the bytes that ran (codedata),
 * each with its share of the samples (insn records), its offset in its
 * function and its text; jumps and calls show their target.  The
 * stretches of a line are shown as contiguous blocks in address order;
 * in the default view a block without samples is folded to one line.
 * A verdict per line says whether its arithmetic is packed SIMD (and
 * how wide) or scalar.
 */
#ifndef PF_ANNOTATE_ASM_H
#define PF_ANNOTATE_ASM_H

#include "codeset.h"

#include <stddef.h>
#include <stdint.h>

struct asm_options {
	int att;		/* AT&T syntax instead of Intel */
	int full;		/* every block, none folded */
	int numbers;		/* counts instead of percentages */
	uint64_t samples;	/* what the percentages are of */
	int width;		/* of the listing's count column */
	const unsigned char *selected;	/* per function of the set: shown;
					   NULL: all */
};

struct asm_view;

/* NULL when capstone cannot be opened (after a warning). */
struct asm_view *asm_view_new(const struct code_set *cs,
			      const struct asm_options *opt);
void asm_view_free(struct asm_view *v);

/* The legend: what the shares and marks mean, and skid. */
void asm_print_legend(void);

/*
 * The instructions of FILE:LINE of FUNCTION (line 0: the function's
 * code at no source line, whatever its file), under its source row.
 * Returns how many instructions it showed or folded.
 */
size_t asm_print_line(struct asm_view *v, const char *file, uint32_t line,
		      const char *function);

/* Does the view have instructions for FILE:LINE of FUNCTION? */
int asm_has_line(const struct asm_view *v, const char *file, uint32_t line,
		 const char *function);

/*
 * Every instruction of function fn of the set (native code, which has
 * no source listing), with a "file:line" label where its line changes.
 */
void asm_print_function(struct asm_view *v, size_t fn);

/* The samples in span of the set, by the insn records. */
uint64_t asm_span_samples(struct asm_view *v, size_t span);

/* The samples in function fn of the set, by its insn records. */
uint64_t asm_function_samples(struct asm_view *v, size_t fn);

#endif
