/*
 * folded.h - folded stacks (pf-aggregate -f folded) and the names of
 * their frames, which pprof profiles use too.
 */
#ifndef PF_AGGREGATE_FOLDED_H
#define PF_AGGREGATE_FOLDED_H

#include "paths.h"

#include <stdio.h>

/* The name a thread is shown by, or NULL. */
typedef const char *thread_name_fn(void *arg, uint32_t pid, uint32_t tid);

/*
 * Append the name of a frame to *buf (a string of *len bytes in *alloc,
 * grown as needed): "FUNCTION (FILE:LINE)", "FUNCTION (LIBRARY)",
 * "[LIBRARY]", "[kernel]", "[truncated]".
 */
void folded_frame_name(const struct place *p, char **buf, size_t *len,
		       size_t *alloc);

/* Write every path of t as a folded stack; by thread, rooted at it. */
void write_folded(FILE *fp, const struct path_table *t,
		  const struct stack_table *st, thread_name_fn *name, void *arg);

#endif
