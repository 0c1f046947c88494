/*
 * profile.h - a pf-aggregate stream read into memory, for pf-annotate.
 *
 * profile_read() keeps what pf-annotate shows: the total, the line,
 * callsite, call, functiontotal, threadtotal (thread in a version 1 stream), threadline,
 * outside and nolines records, the command that was profiled and how
 * line tables were obtained; for --asm also the insn and code records
 * (codeset.h).  Other record kinds are skipped.  Bad lines are reported on stderr with their
 * number and counted in bad_lines; input that is not a pf-aggregate
 * stream, or has no total record, is fatal (EXIT_DATAERR).  The profile
 * owns all its strings; profile_release() frees them.
 */
#ifndef PF_ANNOTATE_PROFILE_H
#define PF_ANNOTATE_PROFILE_H

#include "codeset.h"
#include "source.h"
#include "record.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* line SELF SELF% TOTAL TOTAL% FILE LINE FUNCTION */
struct line_count {
	char *file, *function;	/* NULL when missing */
	uint32_t line;
	uint64_t self, total;
};

/* callsite TOTAL TOTAL% FILE LINE CALLER CALLEE */
struct callsite_count {
	char *file, *caller, *callee;	/* NULL when missing */
	uint32_t line;
	uint64_t total;
};

/*
 * call TOTAL TOTAL% KIND OBJECT CALLER FILE LINE CALLEE_KIND
 * CALLEE_OBJECT CALLEE: a call that was not inlined (call stacks)
 */
struct call_count {
	enum sample_kind kind, callee_kind;
	char *object, *caller, *file;	/* NULL when missing */
	char *callee_object, *callee;
	uint32_t line;
	uint64_t total;
};

/* functiontotal TOTAL TOTAL% FILE FUNCTION */
struct functotal_count {
	char *file, *function;
	uint64_t total;
};

/* threadtotal SAMPLES SAMPLES% JIT JIT% PID TID NAME */
struct thread_count {
	uint32_t pid, tid;
	char *name;		/* NULL when missing */
	uint64_t samples, jit;
};

/*
 * A process of the recording (fork, exec and procexit records, and the
 * command's own meta pid and exit): what it ran and how it ended.
 */
struct process_count {
	uint32_t pid, ppid;	/* ppid 0: not known */
	char *command;		/* its exec's argv, for a shell; or NULL */
	char *how;		/* procexit/exit HOW, or NULL: not known */
	uint64_t status;
	char *rank, *host;	/* meta rank and host of its recording */
};

/* threadline SELF SELF% TOTAL TOTAL% PID TID FILE LINE FUNCTION */
struct threadline_count {
	uint32_t pid, tid;
	struct line_count line;
};

/* outside SAMPLES SAMPLES% KIND OBJECT FUNCTION */
struct outside_count {
	enum sample_kind kind;
	char *object, *function;
	uint64_t samples;
};

/* nolines SAMPLES SAMPLES% OBJECT NAME */
struct nolines_count {
	char *object, *name;	/* name NULL when missing */
	uint64_t samples;
};

/* compiling SAMPLES SAMPLES% NS FUNCTIONS KIND (compile, cache, load) */
struct compiling_count {
	uint64_t samples, ns, functions;
};

struct profile {
	/*
	 * total SAMPLES JIT NATIVE KERNEL UNKNOWN UNRESOLVED LOST NOLINES
	 * THROTTLED LINELESS; NOLINES and THROTTLED are 0 in older streams
	 * without them.  UNRESOLVED: samples of no known function (unknown
	 * ones, JIT ones without FUNCTION); LINELESS: JIT samples without a
	 * source line, NOLINES among them.  Streams without LINELESS
	 * counted those in UNRESOLVED: they are split out again on reading.
	 */
	uint64_t samples, by_kind[4], unresolved, lost, nolines, throttled;
	uint64_t lineless;
	struct line_count *lines;
	size_t lines_nr, lines_alloc;
	struct callsite_count *callsites;
	size_t callsites_nr, callsites_alloc;
	struct call_count *calls;
	size_t calls_nr, calls_alloc;
	struct functotal_count *functotals;
	size_t functotals_nr, functotals_alloc;
	struct thread_count *threads;
	size_t threads_nr, threads_alloc;
	struct threadline_count *threadlines;
	size_t threadlines_nr, threadlines_alloc;
	struct outside_count *outside;
	size_t outside_nr, outside_alloc;
	struct nolines_count *noline_objects;
	size_t noline_objects_nr, noline_objects_alloc;
	struct compiling_count compiling[3];	/* by enum compiling_kind */
	int have_compiling;	/* the stream had compiling records */
	char *command;		/* meta command, decoded for a shell; or NULL */
	char *lines_mode;	/* meta lines VALUE, or NULL */
	char *exit_how;		/* exit HOW, or NULL without an exit record */
	uint64_t exit_status;
	uint64_t bad_lines;
	int have_code;		/* code is read (want_code) */
	uint64_t code_seen;	/* code records, read or not */
	struct code_set code;	/* insn and code records, with want_code */
	struct process_count *procs;	/* in order of appearance */
	size_t procs_nr, procs_alloc;
	uint32_t pid;		/* meta pid: the command's process, or 0 */
	struct source_text *texts;	/* source records */
	size_t texts_nr, texts_alloc;
};

/* With want_code, also the insn, code, codedata and span records. */
void profile_read(struct profile *p, FILE *fp, const char *name,
		  int want_code);
void profile_release(struct profile *p);

#endif
