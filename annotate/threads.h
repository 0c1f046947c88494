/*
 * threads.h - the threads of a profile, for the per-thread summary and
 * the listings of single threads.
 *
 * pf-aggregate writes a thread record for every thread with samples
 * and, with --per-thread, threadline records: the line records of each
 * thread.  The strings of what these functions return point into the
 * profile.
 */
#ifndef PF_ANNOTATE_THREADS_H
#define PF_ANNOTATE_THREADS_H

#include "profile.h"

#include <stddef.h>
#include <stdint.h>

struct thread_info {
	uint32_t pid, tid;
	const char *name;	/* NULL when unnamed */
	uint64_t samples, jit;	/* from its thread records */
	uint64_t line_self;	/* the SELF of its threadline records */
};

/*
 * The threads of p's thread and threadline records, the most samples
 * first (ties by TID, then PID), in a malloc'd array of *nr entries.
 */
struct thread_info *thread_list(const struct profile *p, size_t *nr);

/*
 * The threads with tid (of any process) merged into *out; 0, or -1
 * when there is none.
 */
int thread_find(const struct thread_info *t, size_t nr, uint32_t tid,
		struct thread_info *out);

/* What the percentages of a thread's listing are of: its samples. */
uint64_t thread_samples(const struct thread_info *t);

/*
 * "# thread TID NAME: N samples, P% in JIT code" for each thread, when
 * more than one has samples; at most about 16 lines.
 */
void print_thread_summary(const struct thread_info *t, size_t nr);

/*
 * With samples of more than one process (a command that starts worker
 * processes): a line for each, the busiest first, "# process PID
 * COMMAND: N samples (P%), J% in JIT code, exit 0", from the samples of
 * its threads and p's process records.
 */
void print_process_summary(const struct profile *p,
			   const struct thread_info *t, size_t nr);

/* The processes with samples, the busiest first; *nr of them. */
uint32_t *process_list(const struct thread_info *t, size_t nr, size_t *n);

/*
 * The threadline records of every thread of process pid, as line
 * records, the threads' counts of a line summed; *samples: the
 * process's samples.
 */
struct line_count *process_lines(const struct profile *p,
				 const struct thread_info *t, size_t nr,
				 uint32_t pid, size_t *lines_nr,
				 uint64_t *samples);

/* "TID NAME" or "TID" for an unnamed thread. */
void print_thread_name(const struct thread_info *t);

/*
 * The threadline records of thread t as line records, in a malloc'd
 * array of *nr entries (of any process when any_pid is set).
 */
struct line_count *thread_lines(const struct profile *p,
				const struct thread_info *t, int any_pid,
				size_t *nr);

#endif
