/*
 * recorder.h - the parts of pf-record: perf ring buffers (perf.c), the
 * process's file mappings (maps.c) and JIT object capture (jit.c).
 *
 * All of them write records to one stream, `out`, in the pf-record
 * format of docs/FORMAT.md.  pf-record.c owns the child process and the
 * main loop.
 */
#ifndef PF_RECORD_PARTS_H
#define PF_RECORD_PARTS_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* Monotonic nanoseconds, the clock of every TIME field. */
uint64_t now_ns(void);

/* ---- perf.c: sampling every thread of one process ---- */

struct perf_options {
	unsigned frequency;	/* samples per second per busy thread */
	int include_kernel;	/* try to sample kernel addresses too */
	unsigned stack_size;	/* -g: bytes of user stack a sample copies */
};

struct unwinder;

struct sampler;

/*
 * Open one cpu-clock event per online CPU for pid and its future
 * threads (inherit), enabled when pid calls execve (enable_on_exec).
 * Dies with a clear message when perf events are not permitted.
 */
struct sampler *sampler_open(pid_t pid, const struct perf_options *opt);

/*
 * pf-record -p: a sampler with no events yet; sampler_attach_thread()
 * then starts sampling thread tid of the running process at once, and
 * the threads it creates from then on.  Returns -1 when tid is gone.
 * Dies with a clear message when sampling it is not permitted.
 */
struct sampler *sampler_attach(const struct perf_options *opt);
int sampler_attach_thread(struct sampler *s, const struct perf_options *opt,
			  pid_t tid);
void sampler_free(struct sampler *s);

/* File descriptors to poll(2) for ring-buffer wake-ups. */
size_t sampler_pollfds(struct sampler *s, int *fds, size_t max);

/* Whether kernel addresses are sampled (after a fallback, maybe not). */
int sampler_kernel_included(const struct sampler *s);

/*
 * Callbacks for what the ring buffers carry besides samples, which are
 * written straight to out.
 */
struct sampler_events {
	void (*mmap)(void *arg, uint64_t time, uint32_t pid, uint64_t start,
		     uint64_t len, uint64_t pgoff, const char *path);
	/* exec: the comm changed because the process exec'd */
	void (*comm)(void *arg, uint64_t time, uint32_t pid, uint32_t tid,
		     const char *name, int exec);
	/* A new thread tid of pid; a new process when tid == pid, from ppid. */
	void (*fork)(void *arg, uint64_t time, uint32_t pid, uint32_t ppid,
		     uint32_t tid);
	/* Thread tid of pid ended; the process when tid == pid. */
	void (*exit)(void *arg, uint64_t time, uint32_t pid, uint32_t tid);
	void *arg;
};

/*
 * Read everything the ring buffers hold.  With call stacks (stack_size
 * set), the samples are kept until sampler_flush(): their stacks are
 * unwound only once every ring was drained and new JIT objects were
 * captured, so that the code of each frame is known.
 */
void sampler_drain(struct sampler *s, FILE *out,
		   const struct sampler_events *ev);
/* Unwind and write the samples the last drains kept. */
void sampler_flush(struct sampler *s, FILE *out, struct unwinder *u);

/* Totals for the summary: samples written, lost, throttle events. */
void sampler_totals(const struct sampler *s, uint64_t *samples,
		    uint64_t *lost, uint64_t *throttled);

/* ---- maps.c: executable file mappings and symbol lookup ---- */

struct mapping_table;

struct mapping_table *mappings_new(FILE *out);
void mappings_free(struct mapping_table *mt);

/*
 * Note a mapping; writes a `map` record the first time this exact
 * mapping is seen.  Returns 1 when it is new.
 */
int mappings_add(struct mapping_table *mt, uint64_t time, uint32_t pid,
		 uint64_t start, uint64_t end, uint64_t offset,
		 const char *path);

/*
 * Whether a mapping's path names a file that can be read later: not
 * anonymous memory ("//anon" in perf events), a memfd or a device.
 */
int mapped_file(const char *path);


/*
 * Look up a defined symbol in an ELF file, in .dynsym and .symtab, and
 * return its run-time address given one mapping of the file ([start,
 * ...) from file offset `offset`).  0 when absent or not ELF.
 */
uint64_t elf_symbol_address(const char *path, uint64_t start,
			    uint64_t offset, const char *symbol);

/* ---- jit.c: objects registered through the GDB JIT interface ---- */

struct jit_capture;

/*
 * The objects of process pid, and of the processes it starts, each
 * process apart (a `jit` record names its process).
 */
struct jit_capture *jit_capture_new(pid_t pid, FILE *out);
void jit_capture_free(struct jit_capture *jc);

/*
 * Process child was forked from parent: it has the same descriptors and
 * objects, the parent's, until it registers its own.  exec: pid is a
 * new program, with nothing registered.  exit: it is gone.
 */
void jit_capture_fork(struct jit_capture *jc, pid_t parent, pid_t child);
void jit_capture_exec(struct jit_capture *jc, pid_t pid, uint64_t time);
void jit_capture_exit(struct jit_capture *jc, pid_t pid);

/*
 * Process pid mapped a file at time: look in it for
 * __jit_debug_descriptor and watch it when found.  Each path is
 * examined once a process (and program).
 */
void jit_capture_check_file(struct jit_capture *jc, pid_t pid,
			    const char *path, uint64_t start, uint64_t offset,
			    uint64_t time);

/*
 * Copy every object process pid registered since the last call into
 * out.  tid is a thread of it whose memory can be read (a thread in its
 * exit stop).  Cheap when nothing changed: one read of the list head.
 */
void jit_capture_poll(struct jit_capture *jc, pid_t pid, pid_t tid);
/* The same for every process still there. */
void jit_capture_poll_all(struct jit_capture *jc);

/* Objects captured, descriptors watched, and read errors so far. */
/* Hand each object captured from now on to the unwinder too. */
void jit_capture_unwind(struct jit_capture *jc, struct unwinder *u);

void jit_capture_totals(const struct jit_capture *jc, uint64_t *objects,
			uint64_t *descriptors, uint64_t *errors);
/* Objects captured with code, and of those with line tables (.debug_line). */
void jit_capture_lines(const struct jit_capture *jc, uint64_t *with_code,
		       uint64_t *with_lines);

/* ---- unwind.c: the call stack of each sample (-g) ---- */

/* Why an unwind stopped (UNWIND_MORE: it did not, yet). */
enum {
	UNWIND_MORE,
	UNWIND_COMPLETE,	/* at the outermost frame */
	UNWIND_NO_CODE,		/* at an address in no known code */
	UNWIND_NO_CFI,		/* in code without call frame information */
	UNWIND_STACK_END,	/* the frame lies beyond the copied stack */
	UNWIND_BAD,		/* a frame that makes no sense */
	UNWIND_DEPTH,		/* too many frames */
	UNWIND_NREASONS
};

struct unwind_totals {
	uint64_t stacks, frames, nodes;
	uint64_t why[UNWIND_NREASONS];
};

/* The user registers a sample carries, in perf_regs order (x86-64). */
#define UNWIND_PERF_NREGS 17
/* AX BX CX DX SI DI BP SP IP, then R8-R15. */
#define UNWIND_PERF_REGS_MASK 0xff01ffull

struct unwinder *unwinder_new(FILE *out);
void unwinder_free(struct unwinder *u);
/* Code the process maps: files, and "[vdso]". */
void unwinder_add_file(struct unwinder *u, uint64_t start, uint64_t end,
		       uint64_t offset, const char *path);
void unwinder_add_jit(struct unwinder *u, uint64_t id,
		      const unsigned char *image, size_t size);
/*
 * The callers of a sample taken at ip in process pid, from its user
 * registers and the stack copied from their SP: the id of their
 * `stack` node, written to out with every node before it that is new.
 * 0: none found.
 */
uint64_t unwinder_stack(struct unwinder *u, uint32_t pid, uint64_t ip,
			const uint64_t *perf_regs, const unsigned char *stack,
			uint64_t stack_size);
void unwinder_totals(const struct unwinder *u, struct unwind_totals *t);
/* The code most unwinds stopped in for want of CFI, or NULL. */
const char *unwinder_worst_nocfi(const struct unwinder *u, uint64_t *count);

/* ---- compile.c: when the program is in Numba's compiler ---- */

struct compile_events;

/*
 * Make the pipe the start-up shim reports to, and put its descriptor in
 * the environment (PF_EVENTS_FD, PF_EVENTS_ID) before the fork.
 */
struct compile_events *compile_events_open(FILE *out);
/* In the child before execve: keep the write end open.  NULL is none. */
void compile_events_in_child(struct compile_events *ce);
/* In pf-record once the child runs: close our copy of the write end. */
void compile_events_started(struct compile_events *ce);
/* Write a compile record for each whole line the pipe holds now. */
void compile_events_read(struct compile_events *ce);
void compile_events_free(struct compile_events *ce);

#endif
