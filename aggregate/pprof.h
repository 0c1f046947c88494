/*
 * pprof.h - pf-aggregate -f pprof: the paths of a profile as a
 * gzip-compressed profile.proto (github.com/google/pprof), the format
 * `go tool pprof` reads.
 */
#ifndef PF_AGGREGATE_PPROF_H
#define PF_AGGREGATE_PPROF_H

#include "folded.h"
#include "paths.h"
#include "stacks.h"

#include <stdint.h>
#include <stdio.h>

struct pprof_info {
	uint64_t period_ns;	/* between two samples of a busy thread */
	uint64_t duration_ns;	/* from the first sample to the last */
	const char *comment;	/* the command, or NULL */
};

/*
 * Write t (counted by thread) to fp.  -1 on a write or zlib error,
 * with errno or a message already given.
 */
int write_pprof(FILE *fp, const struct path_table *t,
		const struct stack_table *st, const struct pprof_info *info,
		thread_name_fn *name, void *arg);

#endif
