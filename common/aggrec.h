/*
 * aggrec.h - the records of a pf-aggregate stream, defined once for the
 * tool that writes them (pf-aggregate; pf-symbolize for the code
 * records) and the tools that read them (pf-annotate), so that a field
 * cannot mean one thing to one and another to the other.
 *
 * Each kind is a list of fields (docs/FORMAT.md shows the same names):
 *
 *   count    'c'  a decimal count
 *   percent  '%'  the count before it as a share of all samples, "%.2f";
 *                 written from the count, only checked on reading
 *   number   'u'  a decimal number below 2^32 (a PID, a line)
 *   address  'x'  lower-case hex without 0x (a PC)
 *   text     't'  an escaped field (escape.h); NULL for "-"
 *   raw      'r'  a field written and read as it is (base64, an inline
 *                 chain whose entries are escaped already)
 *   kind     'k'  a sample kind (jit native kernel unknown)
 *   ckind    'K'  a compiling kind (compile cache load)
 *
 * A record's values are an array of union agg_value, one per field in
 * order (a percent field has one too, unused).  agg_parse() reads the
 * fields of a record split by split_fields() (f[0] the kind) and
 * unescapes the text fields in place: the strings point into the line.
 */
#ifndef PF_AGGREC_H
#define PF_AGGREC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define AGG_MAX_FIELDS 12

struct agg_def {
	const char *kind;	/* "line" */
	const char *types;	/* "c%c%tut" */
	const char *names;	/* "SELF SELF% TOTAL TOTAL% FILE LINE FUNCTION" */
	size_t required;	/* fields an older stream may stop after */
};

union agg_value {
	uint64_t u;		/* count, number, address, kind */
	const char *s;		/* text, NULL for "-" */
};

extern const struct agg_def agg_total, agg_line, agg_callsite, agg_call,
	agg_functiontotal, agg_function, agg_thread, agg_threadline, agg_outside,
	agg_compiling, agg_nolines, agg_insn;

/* agg_thread as version 1 streams named it ("thread"). */
extern const struct agg_def agg_thread_v1;

/* Every kind above, in the order pf-aggregate writes them. */
extern const struct agg_def *const agg_defs[];
extern const size_t agg_defs_nr;

/*
 * The code of the sampled functions: written by pf-symbolize, passed
 * on by pf-aggregate, read by pf-annotate --asm.
 */
extern const struct agg_def agg_code, agg_codedata, agg_span;
extern const struct agg_def *const code_defs[];
extern const size_t code_defs_nr;

/* The definition of kind, or NULL. */
const struct agg_def *agg_find(const char *kind);

/* Write one record; percent fields are counts out of all. */
void agg_write(FILE *fp, const struct agg_def *d, const union agg_value *v,
	       uint64_t all);

/*
 * Read the n fields f (f[0] is the kind) into v; fields after the last
 * one defined are ignored, fields an older stream did not have (from
 * d->required on) are 0.  Returns the number of fields read, or -1 when
 * the record is bad.
 */
int agg_parse(const struct agg_def *d, char **f, size_t n,
	      union agg_value *v);

#endif
