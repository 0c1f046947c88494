/*
 * summary.h - the summary lines at the top of pf-annotate's output:
 * helpers to write them, and where the samples outside JIT code went.
 */
#ifndef PF_ANNOTATE_SUMMARY_H
#define PF_ANNOTATE_SUMMARY_H

#include "profile.h"

#include <stddef.h>
#include <stdint.h>

/* The summary wraps before this column. */
#define SUMMARY_WIDTH 100

/* 100 * count / all, 0 when all is 0. */
double percent(uint64_t count, uint64_t all);

/*
 * Print part of a summary line, after *column columns, starting a new
 * "#   " line before it when it would pass SUMMARY_WIDTH.
 */
void print_wrapped(size_t *column, const char *part, size_t len);

/* Print s with control characters as '?': one line a record. */
void print_sanitized(const char *s);

/*
 * "# outside JIT code: ...": the groups outside JIT code with the most
 * samples, well-known objects by what they are (labels.h), with their
 * top functions; sorts p->outside.  Nothing when there is none.
 */
void print_outside(struct profile *p);

#endif
