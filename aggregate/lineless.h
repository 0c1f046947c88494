/*
 * lineless.h - JIT samples at no source line, placed in their function.
 *
 * A JIT sample in a known function at no line (FILE "-", LINE 0: code
 * the compiler gave no line) took its time in that function, so it is
 * counted on line 0 of the function's file, which pf-annotate shows in
 * the function's header.  The sample does not name the file: it is the
 * one the function's other samples in the same JIT object name, or the
 * caller frames of it in call stacks (the one most of them name; ties
 * by name).  When none names a file (code
 * without line tables), the samples get no line record; they are still
 * in LINELESS of the total record.  The tables own their strings.
 */
#ifndef PF_AGGREGATE_LINELESS_H
#define PF_AGGREGATE_LINELESS_H

#include "counter.h"
#include "record.h"

struct lineless_table {
	struct counter_table files;	/* s1 OBJECT, s2 FUNCTION, s3 FILE */
	struct counter_table samples;	/* and n2 PID, n3 TID: no FILE */
	struct counter_table functotal;	/* s1 OBJECT, s2 FUNCTION */
};

void lineless_init(struct lineless_table *t);
void lineless_release(struct lineless_table *t);

/* Take a JIT sample: the file it names, or that it names none. */
void lineless_sample(struct lineless_table *t, const struct sym_sample *s);

/*
 * Take a caller frame (once per stack record) in function of object that
 * names file: a function whose samples are all in its callees still has
 * a file for its frames at no line.
 */
void lineless_frame(struct lineless_table *t, const char *object,
		    const char *function, const char *file);

/*
 * With call stacks: a JIT sample with a frame (its own or a caller's)
 * at no line in function of object, which no other frame of the
 * sample names with a file, to be counted once in the TOTAL of the
 * function's functiontotal record.
 */
void lineless_functotal(struct lineless_table *t, const char *object,
			const char *function);

/*
 * Count the samples without a file on line 0 of their function's file:
 * in lines (line records), threadlines (threadline records) and
 * functotals (functiontotal records: s1 FILE, s2 FUNCTION), each NULL
 * when not wanted.
 */
void lineless_place(struct lineless_table *t, struct counter_table *lines,
		    struct counter_table *threadlines,
		    struct counter_table *functotals);

#endif
