/*
 * pf-aggregate - count symbolized samples per source line, call site
 * of inlined code, function and thread.
 *
 * Reads a "# pf-symbolize" stream (version 1 or 2) and writes a "# pf-aggregate 2"
 * stream (docs/FORMAT.md).  Record kinds it does not use, and meta and
 * exit records, are copied out as they come, right after the header;
 * the counts follow at the end of the input, sorted.  Each sample costs
 * a few hash lookups, so the run time grows linearly with the input.
 * JIT samples are also counted per object, so that the object records
 * (which may come after the samples) can tell at the end how many were
 * in code without line tables.  The samples of each thread are counted
 * always (there are few threads); per thread and line with -T.  JIT
 * samples at no source line are counted on line 0 of their function's
 * file at the end, when it is known (lineless.c).
 */
#include "aggrec.h"
#include "compiling.h"
#include "counter.h"
#include "insns.h"
#include "escape.h"
#include "folded.h"
#include "lineio.h"
#include "lineless.h"
#include "objects.h"
#include "paths.h"
#include "pprof.h"
#include "record.h"
#include "stacks.h"
#include "util.h"

#include <getopt.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

/* What pf-aggregate writes (-f). */
enum { FORMAT_PF, FORMAT_FOLDED, FORMAT_PPROF };

enum {
	GROUP_LINE = 1,
	GROUP_FUNCTION = 2,
	GROUP_THREAD = 4,
	GROUP_INSN = 8,
};

/* Bad lines reported one by one; the rest only in the summary. */
#define MAX_REPORTED 20
/* How much of a bad line a message quotes. */
#define SHOWN_MAX 72

/*
 * Several inputs (the recordings of the ranks of a job, of several
 * hosts) are counted as one.  Their JIT objects are each recording's
 * own ("jit:7" of two recordings are two objects), and so are their
 * stack IDs: from the second input on, when there are several, a JIT
 * object "jit:N" of input K is named "jit:K.N" (so that its code
 * records, instructions and stacks stay apart), and stack IDs are moved
 * past those of the inputs before.
 */
struct merge {
	int on;			/* more than one input */
	unsigned input;		/* from 1 */
	uint64_t stack_base;	/* added to this input's stack IDs */
	uint64_t stack_max;	/* the largest ID given so far */
	char *buf;		/* the rewritten line */
	size_t alloc;
};

struct aggregate {
	unsigned groups;
	struct merge merge;
	int format;			/* FORMAT_*: -f */
	struct path_table paths;	/* -f folded, pprof: whole stacks */
	struct line_reader lr;
	int per_thread;			/* -T: threadline records */
	struct counter_table lines, callsites, functions, threads;
	struct counter_table threadlines, outside;
	struct counter_table calls;	/* calls that were not inlined */
	struct counter_table functotals; /* with stacks: FILE FUNCTION */
	struct stack_table stacks;	/* caller frames (pf-record -g) */
	int stacks_meta;		/* the input says meta stacks */
	uint64_t frequency;		/* meta frequency, or 0 */
	char *command;			/* meta command, decoded, or NULL */
	uint64_t first_time, last_time;	/* of the samples */
	struct object_table objects;	/* JIT objects */
	struct compiling_table compiling;	/* Numba's compiler at work */
	struct insn_table insns;	/* samples per instruction */
	struct lineless_table placed;	/* samples at no line, to place */
	uint64_t samples, by_kind[4], unresolved, lost, throttled;
	uint64_t lineless;	/* JIT samples without a source line */
	struct inline_entry *chain;	/* the current sample's, reused */
	size_t chain_alloc;
	uint64_t bad_lines;
	char shown[SHOWN_MAX + 4];	/* the current line, for messages */
};

static const char usage_text[] =
	"usage: pf-aggregate [-T] [-g line|function|thread[,...]] [-f pf|folded|pprof] [FILE...]\n";

static PF_NORETURN void usage(int code)
{
	FILE *fp = code ? stderr : stdout;

	fputs(usage_text, fp);
	if (!code)
		fputs("\n"
		      "Count the samples of a pf-symbolize stream (FILE or standard input)\n"
		      "and write a pf-aggregate stream to standard output.  Several FILEs\n"
		      "(the ranks of a job, other hosts) are counted as one profile.\n"
		      "\n"
		      "  -g, --group=KIND  write KIND records: line (the default; with the\n"
		      "                    call sites of inlined code and the samples per\n"
		      "                    instruction, insn), insn alone, function; repeat\n"
		      "                    or separate with commas (thread records are\n"
		      "                    always written, -g thread is accepted)\n"
		      "  -T, --per-thread  also count the lines of each thread (threadline);\n"
		      "                    with -f folded or pprof, root the stacks at their\n"
		      "                    thread\n"
		      "  -f, --format=FMT  pf (the default: a pf-aggregate stream), folded\n"
		      "                    (a line per stack, for flamegraph.pl, inferno,\n"
		      "                    speedscope) or pprof (a gzipped profile.proto,\n"
		      "                    for go tool pprof); without call stacks the\n"
		      "                    stack is the inline chain\n"
		      "  -h, --help        show this help and exit\n"
		      "  -V, --version     show the version and exit\n"
		      "\n"
		      "Exit status: 0 ok, 1 some input lines were bad and skipped,\n"
		      "2 fatal error, 64 usage error, 65 input is not a pf-symbolize stream.\n",
		      fp);
	exit(code);
}

static unsigned parse_groups(char *arg)
{
	unsigned groups = 0;

	for (;;) {
		size_t len = strcspn(arg, ",");

		if (len == 4 && !strncmp(arg, "line", len))
			groups |= GROUP_LINE;
		else if (len == 8 && !strncmp(arg, "function", len))
			groups |= GROUP_FUNCTION;
		else if (len == 6 && !strncmp(arg, "thread", len))
			groups |= GROUP_THREAD;
		else if (len == 4 && !strncmp(arg, "insn", len))
			groups |= GROUP_INSN;
		else {
			warn("unknown group '%.*s' (expected line, insn, function or thread)",
			     (int)len, arg);
			usage(EXIT_USAGE);
		}
		if (!arg[len])
			return groups;
		arg += len + 1;
	}
}

static void bad_line(struct aggregate *ag, const char *what)
{
	if (++ag->bad_lines <= MAX_REPORTED)
		warn("%s: line %llu: %s%s%s%s", ag->lr.name,
		     (unsigned long long)ag->lr.lineno, what,
		     *ag->shown ? " '" : "", ag->shown, *ag->shown ? "'" : "");
	if (ag->bad_lines == MAX_REPORTED + 1)
		warn("%s: further bad lines are not reported one by one",
		     ag->lr.name);
}

/* Keep the start of the line for messages before it is split. */
static void save_shown(struct aggregate *ag)
{
	size_t len = ag->lr.len < SHOWN_MAX ? ag->lr.len : SHOWN_MAX;

	memcpy(ag->shown, ag->lr.buf, len);
	strcpy(ag->shown + len, ag->lr.len > SHOWN_MAX ? "..." : "");
}

/* Parse the INLINED chain into ag->chain; the count, or -1. */
static long parse_chain(struct aggregate *ag, char *inlined)
{
	struct inline_entry e;
	size_t nr = 0;
	int r;

	while ((r = parse_inline_entry(&inlined, &e)) > 0) {
		ALLOC_GROW(ag->chain, nr + 1, ag->chain_alloc);
		ag->chain[nr++] = e;
	}
	return r < 0 ? -1 : (long)nr;
}

/*
 * Count a JIT sample in a table of lines (line or threadline records,
 * as n2 and n3 are 0 or PID and TID): SELF on its own line, TOTAL on
 * that line and on every call site of its inline chain.
 */
static void count_lines(struct aggregate *ag, struct counter_table *t,
			const struct sym_sample *s, size_t chain_nr,
			uint32_t pid, uint32_t tid)
{
	struct counter_key k = { KIND_JIT, NULL, NULL, NULL, 0, pid, tid, KIND_JIT, NULL, NULL };
	struct counter *c;
	size_t i;

	if (s->file) {
		k.s1 = s->file;
		k.n1 = s->line;
		k.s2 = s->function;
		c = counter_get(t, &k);
		c->self++;
		counter_add_total(c, ag->samples);
	}
	for (i = 0; i < chain_nr; i++) {
		const struct inline_entry *e = &ag->chain[i];

		if (!e->file)
			continue;
		k.s1 = e->file;
		k.n1 = e->line;
		k.s2 = e->function;
		c = counter_get(t, &k);
		counter_add_total(c, ag->samples);
	}
}

/*
 * Each call site of the chain with the function called there: the
 * sample's own function at the innermost site, the function of the
 * entry before at the others.
 */
static void count_callsites(struct aggregate *ag, const struct sym_sample *s,
			    size_t chain_nr)
{
	struct counter_key k = { KIND_JIT, NULL, NULL, NULL, 0, 0, 0, KIND_JIT, NULL, NULL };
	size_t i;

	for (i = 0; i < chain_nr; i++) {
		const struct inline_entry *e = &ag->chain[i];

		if (!e->file)
			continue;
		k.s1 = e->file;
		k.n1 = e->line;
		k.s2 = e->function;
		k.s3 = i ? ag->chain[i - 1].function : s->function;
		counter_add_total(counter_get(&ag->callsites, &k), ag->samples);
	}
}

/* Which table a frame's counter reference is in (stacks.h). */
enum { REF_LINE, REF_CALLSITE, REF_FUNCTION, REF_CALL, REF_FUNCTOTAL };

static struct counter_table *ref_table(struct aggregate *ag, uint64_t ref)
{
	switch (ref >> 48) {
	case REF_LINE:
		return &ag->lines;
	case REF_CALLSITE:
		return &ag->callsites;
	case REF_FUNCTION:
		return &ag->functions;
	case REF_CALL:
		return &ag->calls;
	default:
		return &ag->functotals;
	}
}

static void add_ref(struct aggregate *ag, struct stack_frame *f, int table,
		    const struct counter_key *k)
{
	struct counter_table *t = ref_table(ag, (uint64_t)table << 48);
	struct counter *c = counter_get(t, k);

	f->refs = xreallocarray(f->refs, f->nrefs + 1, sizeof(*f->refs));
	f->refs[f->nrefs++] = (uint64_t)table << 48 | (uint64_t)(c - t->items);
}

/*
 * A call that was not inlined: at the frame caller (its FUNCTION, at its
 * FILE:LINE) into the function callee of kind and object.  Counted
 * where code of Numba's is on one side: the calls among the
 * interpreter's own functions say nothing a Numba user can act on.
 */
static int call_key(const struct stack_frame *caller, enum sample_kind kind,
		    const char *object, const char *callee,
		    struct counter_key *k)
{
	if (!caller->pc || (caller->kind != KIND_JIT && kind != KIND_JIT))
		return -1;
	memset(k, 0, sizeof(*k));
	k->kind = caller->kind;
	k->s1 = caller->object;
	k->s2 = caller->function;
	k->s3 = caller->file;
	k->n1 = caller->line;
	k->kind2 = kind;
	k->s4 = object;
	k->s5 = callee;
	return 0;
}

/*
 * What frame i (index + 1) counts in every sample it is in, once: the
 * lines of its call and of its inline chain, the inlined calls there,
 * its functions, and the call its caller made into it.
 */
static void prepare_frame(struct aggregate *ag, size_t i)
{
	struct stack_frame *f = &ag->stacks.items[i - 1], *p = NULL;
	struct counter_key k;
	size_t j;

	if (f->prepared)
		return;
	f->prepared = 1;
	if (f->parent) {
		prepare_frame(ag, f->parent);
		p = &ag->stacks.items[f->parent - 1];
	}
	if (f->pc && (ag->groups & GROUP_LINE) && f->kind == KIND_JIT) {
		memset(&k, 0, sizeof(k));
		k.kind = KIND_JIT;
		lineless_frame(&ag->placed, f->object, f->function, f->file);
		if (f->file) {
			k.s1 = f->file;
			k.n1 = f->line;
			k.s2 = f->function;
			add_ref(ag, f, REF_LINE, &k);
			k.n1 = 0;
			add_ref(ag, f, REF_FUNCTOTAL, &k);
		}
		for (j = 0; j < f->chain_nr; j++) {
			const struct inline_entry *e = &f->chain[j];

			if (!e->file)
				continue;
			k.s1 = e->file;
			k.n1 = e->line;
			k.s2 = e->function;
			k.s3 = NULL;
			add_ref(ag, f, REF_LINE, &k);
			k.s3 = j ? f->chain[j - 1].function : f->function;
			add_ref(ag, f, REF_CALLSITE, &k);
			k.n1 = 0;
			k.s3 = NULL;
			add_ref(ag, f, REF_FUNCTOTAL, &k);
		}
	}
	if (f->pc && (ag->groups & GROUP_FUNCTION)) {
		memset(&k, 0, sizeof(k));
		k.kind = f->kind;
		k.s1 = f->object;
		k.s2 = f->function;
		add_ref(ag, f, REF_FUNCTION, &k);
		for (j = 0; j < f->chain_nr; j++) {
			k.s2 = f->chain[j].function;
			add_ref(ag, f, REF_FUNCTION, &k);
		}
	}
	if (f->pc && p && (ag->groups & GROUP_LINE) &&
	    call_key(p, f->kind, f->object, f->outer, &k) == 0)
		add_ref(ag, f, REF_CALL, &k);
	f->up = !p ? 0 : p->nrefs ? f->parent : p->up;
	f->lineless = f->pc && f->kind == KIND_JIT && f->function && !f->file
			      ? i
			      : p ? p->lineless : 0;
}

/*
 * The callers of a sample, frame i outwards: their totals, and the call
 * the innermost made into the sample's own function.  With -T the
 * lines per thread too (looked up: a frame's counters are the same in
 * every thread, these are not).
 */
static void count_stack(struct aggregate *ag, const struct sym_sample *s,
			size_t chain_nr, size_t i)
{
	struct stack_frame *f = &ag->stacks.items[i - 1];
	struct counter_key k;
	size_t j;

	prepare_frame(ag, i);
	if ((ag->groups & GROUP_LINE) &&
	    call_key(f, s->kind, s->object,
		     chain_nr ? ag->chain[chain_nr - 1].function : s->function,
		     &k) == 0)
		counter_add_total(counter_get(&ag->calls, &k), ag->samples);
	for (j = f->nrefs ? i : f->up; j; j = ag->stacks.items[j - 1].up) {
		const struct stack_frame *g = &ag->stacks.items[j - 1];
		size_t r;

		for (r = 0; r < g->nrefs; r++) {
			struct counter_table *t = ref_table(ag, g->refs[r]);

			counter_add_total(&t->items[g->refs[r] & 0xffffffffffffull],
					  ag->samples);
		}
	}
	if (!ag->per_thread)
		return;
	for (j = i; j; j = ag->stacks.items[j - 1].parent) {
		const struct stack_frame *g = &ag->stacks.items[j - 1];
		size_t e;

		if (!g->pc || g->kind != KIND_JIT)
			continue;
		memset(&k, 0, sizeof(k));
		k.kind = KIND_JIT;
		k.n2 = s->raw.pid;
		k.n3 = s->raw.tid;
		if (g->file) {
			k.s1 = g->file;
			k.n1 = g->line;
			k.s2 = g->function;
			counter_add_total(counter_get(&ag->threadlines, &k),
					  ag->samples);
		}
		for (e = 0; e < g->chain_nr; e++) {
			if (!g->chain[e].file)
				continue;
			k.s1 = g->chain[e].file;
			k.n1 = g->chain[e].line;
			k.s2 = g->chain[e].function;
			counter_add_total(counter_get(&ag->threadlines, &k),
					  ag->samples);
		}
	}
}

/*
 * In a stream with call stacks, the functions of a JIT sample's own
 * frame, for the functiontotal records (a line record's TOTAL can no
 * longer be summed into its function's: a recursive function has its
 * lines several times in one sample).
 */
static int has_function(const struct inline_entry *chain, size_t nr,
			const char *function)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if (chain[i].file && chain[i].function &&
		    !strcmp(chain[i].function, function))
			return 1;
	return 0;
}

/*
 * Whether a JIT frame of the sample, its own or a caller's, names
 * function with a file.
 */
static int names_function(struct aggregate *ag, const struct sym_sample *s,
			  size_t chain_nr, size_t frame, const char *function)
{
	size_t j;

	if ((s->kind == KIND_JIT && s->file && s->function &&
	     !strcmp(s->function, function)) ||
	    has_function(ag->chain, chain_nr, function))
		return 1;
	for (j = frame; j; j = ag->stacks.items[j - 1].parent) {
		const struct stack_frame *g = &ag->stacks.items[j - 1];

		if (g->pc && g->kind == KIND_JIT &&
		    ((g->file && g->function &&
		      !strcmp(g->function, function)) ||
		     has_function(g->chain, g->chain_nr, function)))
			return 1;
	}
	return 0;
}

static int same_function(const char *object1, const char *function1,
			 const char *object2, const char *function2)
{
	return object1 && object2 && !strcmp(object1, object2) &&
	       !strcmp(function1, function2);
}

/* The nearest frame at no line among the callers of frame i. */
static size_t next_lineless(const struct aggregate *ag, size_t i)
{
	size_t parent = ag->stacks.items[i - 1].parent;

	return parent ? ag->stacks.items[parent - 1].lineless : 0;
}

static void count_functotals(struct aggregate *ag, const struct sym_sample *s,
			     size_t chain_nr, size_t frame)
{
	struct counter_key k;
	size_t i, j;
	int own = 0;

	memset(&k, 0, sizeof(k));
	if (s->kind != KIND_JIT) {
		chain_nr = 0;	/* its own frame is no JIT function's */
	} else if (s->file) {
		k.s1 = s->file;
		k.s2 = s->function;
		counter_add_total(counter_get(&ag->functotals, &k),
				  ag->samples);
	}
	for (j = 0; j < chain_nr; j++) {
		if (!ag->chain[j].file)
			continue;
		k.s1 = ag->chain[j].file;
		k.s2 = ag->chain[j].function;
		counter_add_total(counter_get(&ag->functotals, &k),
				  ag->samples);
	}
	/*
	 * A frame at no line, the sample's own or a caller's (LLVM gives
	 * some calls line 0, as rv2coe's to atan2): its function's file is
	 * found at the end.  Once per function in the sample, and not when
	 * another frame of the same function names the file (recursion):
	 * the frames with a file were counted by name, here or in
	 * count_stack.
	 */
	if (s->kind == KIND_JIT && !s->file && s->function &&
	    !names_function(ag, s, chain_nr, frame, s->function)) {
		lineless_functotal(&ag->placed, s->object, s->function);
		own = 1;
	}
	if (!frame)
		return;
	prepare_frame(ag, frame);
	for (i = ag->stacks.items[frame - 1].lineless; i;
	     i = next_lineless(ag, i)) {
		const struct stack_frame *g = &ag->stacks.items[i - 1];

		if (own && same_function(g->object, g->function, s->object,
					 s->function))
			continue;
		for (j = ag->stacks.items[frame - 1].lineless; j != i;
		     j = next_lineless(ag, j))
			if (same_function(g->object, g->function,
					  ag->stacks.items[j - 1].object,
					  ag->stacks.items[j - 1].function))
				break;
		if (j != i ||
		    names_function(ag, s, chain_nr, frame, g->function))
			continue;
		lineless_functotal(&ag->placed, g->object, g->function);
	}
}

static void count_sample(struct aggregate *ag, const struct sym_sample *s,
			 size_t chain_nr, size_t frame)
{
	uint64_t seq = ++ag->samples;
	struct counter_key k = { s->kind, s->object, s->function, NULL,
				 0, 0, 0, KIND_JIT, NULL, NULL };
	struct counter *c;
	size_t i;

	ag->by_kind[s->kind]++;
	/*
	 * Unresolved: nothing could be named.  A JIT sample in a known
	 * function at no line (line 0, or no line table) is not: its time
	 * is the function's, and it is counted in LINELESS.
	 */
	if (s->kind == KIND_UNKNOWN || (s->kind == KIND_JIT && !s->function))
		ag->unresolved++;
	if (s->kind == KIND_JIT && (!s->file || !s->line))
		ag->lineless++;
	if (s->kind == KIND_JIT &&
	    ((ag->groups & GROUP_LINE) || ag->per_thread))
		lineless_sample(&ag->placed, s);

	if ((ag->groups & GROUP_LINE) && s->kind == KIND_JIT) {
		count_lines(ag, &ag->lines, s, chain_nr, 0, 0);
		count_callsites(ag, s, chain_nr);
	}
	if (ag->per_thread && s->kind == KIND_JIT)
		count_lines(ag, &ag->threadlines, s, chain_nr, s->raw.pid,
			    s->raw.tid);
	if (ag->groups & GROUP_INSN)
		insn_table_count(&ag->insns, s);
	if (ag->groups & GROUP_FUNCTION) {
		c = counter_get(&ag->functions, &k);
		c->self++;
		counter_add_total(c, seq);
		for (i = 0; i < chain_nr; i++) {
			k.s2 = ag->chain[i].function;
			counter_add_total(counter_get(&ag->functions, &k), seq);
		}
	}
	c = counter_get(&ag->threads, &(struct counter_key){
		KIND_JIT, NULL, NULL, NULL, 0, s->raw.pid, s->raw.tid,
		KIND_JIT, NULL, NULL });
	c->self++;
	if (s->kind == KIND_JIT)
		c->total++;
	compiling_time(&ag->compiling, s->raw.time);
	if (s->kind != KIND_JIT) {
		/* Numba's compiler, whatever code it ran, is compiling. */
		if (!compiling_sample(&ag->compiling, s->raw.pid, s->raw.tid,
				      s->raw.time)) {
			/*
			 * The function the code is in, not what was inlined
			 * there: pow, not its exp_inline (glibc with debug
			 * symbols).
			 */
			k.s2 = chain_nr ? ag->chain[chain_nr - 1].function
					: s->function;
			counter_get(&ag->outside, &k)->self++;
		}
	} else if (s->object) {
		object_table_sample(&ag->objects, s->object);
	}
	if (ag->stacks_meta && (ag->groups & GROUP_LINE))
		count_functotals(ag, s, chain_nr, frame);
	if (frame)
		count_stack(ag, s, chain_nr, frame);
	if (ag->format != FORMAT_PF) {
		path_table_count(&ag->paths, s, ag->chain, chain_nr, frame);
		if (!ag->first_time || s->raw.time < ag->first_time)
			ag->first_time = s->raw.time;
		if (s->raw.time > ag->last_time)
			ag->last_time = s->raw.time;
	}
}

static void do_sample(struct aggregate *ag, char **f, size_t n)
{
	struct sym_sample s;
	long chain_nr = 0;
	size_t frame = 0;

	if (parse_sym_sample(f, n, ag->stacks_meta, &s)) {
		bad_line(ag, "bad sample record");
		return;
	}
	if (s.inlined && (chain_nr = parse_chain(ag, s.inlined)) < 0) {
		bad_line(ag, "bad INLINED field in sample record");
		return;
	}
	/* A sample whose callers are unknown still counts, without them. */
	if (s.raw.stack && !(frame = stack_table_find(&ag->stacks,
						       s.raw.stack)))
		bad_line(ag, "sample names a STACK no stack record gave");
	count_sample(ag, &s, (size_t)chain_nr, frame);
}

/* stack ID PID PARENT PC KIND OBJECT FUNCTION FILE LINE INLINED */
static void do_stack(struct aggregate *ag, char **f, size_t n)
{
	struct sym_stack st;

	if (parse_sym_stack(f, n, &st))
		bad_line(ag, "bad stack record");
	else if (stack_table_add(&ag->stacks, &st))
		bad_line(ag, "stack record with a taken ID, an unknown PARENT "
			     "or a bad INLINED field");
}

/* thread TIME PID TID NAME: the latest name of a thread wins. */
static void do_thread(struct aggregate *ag, char **f, size_t n)
{
	uint64_t time, pid, tid;
	char *name;
	struct counter *c;

	if (n < 5 || parse_u64(f[1], 10, 0, UINT64_MAX, &time) ||
	    parse_u64(f[2], 10, 0, UINT32_MAX, &pid) ||
	    parse_u64(f[3], 10, 0, UINT32_MAX, &tid)) {
		bad_line(ag, "bad thread record");
		return;
	}
	if (unescape_field(f[4], &name)) {
		bad_line(ag, "bad thread record");
		return;
	}
	c = counter_get(&ag->threads, &(struct counter_key){
		KIND_JIT, NULL, NULL, NULL, 0, (uint32_t)pid, (uint32_t)tid,
		KIND_JIT, NULL, NULL });
	free(c->s2);
	c->s2 = xstrdup_or_null(name);
}

/* lost TIME COUNT */
static void do_lost(struct aggregate *ag, char **f, size_t n)
{
	uint64_t time, count;

	if (n < 3 || parse_u64(f[1], 10, 0, UINT64_MAX, &time) ||
	    parse_u64(f[2], 10, 0, UINT64_MAX, &count)) {
		bad_line(ag, "bad lost record");
		return;
	}
	ag->lost += count;
}

/* throttle TIME */
static void do_throttle(struct aggregate *ag, char **f, size_t n)
{
	uint64_t time;

	if (n < 2 || parse_u64(f[1], 10, 0, UINT64_MAX, &time)) {
		bad_line(ag, "bad throttle record");
		return;
	}
	ag->throttled++;
}

/* object OBJECT TIME LINES NAME */
static void do_object(struct aggregate *ag, char **f, size_t n)
{
	struct object_record r;

	if (parse_object_record(f, n, &r)) {
		bad_line(ag, "bad object record");
		return;
	}
	object_table_record(&ag->objects, &r);
}

/* compile TIME PID TID WHAT CACHE NAME */
static void do_compile(struct aggregate *ag, char **f, size_t n)
{
	struct compile_record c;

	if (parse_compile_record(f, n, &c)) {
		bad_line(ag, "bad compile record");
		return;
	}
	if (compiling_record(&ag->compiling, &c))
		bad_line(ag, "compile record out of order for its thread");
}

/* Copy a record out unchanged (into a pf-aggregate stream only). */
static int copying = 1;

static void copy_line(const struct line_reader *lr)
{
	if (!copying)
		return;
	fwrite(lr->buf, 1, lr->len, stdout);
	putchar('\n');
}

/* meta KEY VALUE... and exit TIME STATUS HOW: checked, then copied. */
static void do_copied(struct aggregate *ag, int is_exit)
{
	char *f[5];
	size_t n;
	uint64_t v;

	n = split_fields(ag->lr.buf, f, 5);
	if (!is_exit && (n < 2 || !*f[1])) {
		bad_line(ag, "bad meta record");
		return;
	}
	if (is_exit && (n < 4 || parse_u64(f[1], 10, 0, UINT64_MAX, &v) ||
			parse_u64(f[2], 10, 0, UINT32_MAX, &v) || !*f[3])) {
		bad_line(ag, "bad exit record");
		return;
	}
	/* Undo the split: the fields were separated by single spaces. */
	for (size_t i = 1; i < n; i++)
		f[i][-1] = ' ';
	copy_line(&ag->lr);
}

/* meta command ARG...: the arguments decoded, joined by spaces. */
static void keep_command(struct aggregate *ag, const char *args)
{
	char *copy = xstrdup(args), *arg, *next, *decoded;
	size_t len = 0, alloc = 0;

	free(ag->command);
	ag->command = NULL;
	for (arg = copy; arg; arg = next) {
		next = strchr(arg, ' ');
		if (next)
			*next++ = '\0';
		if (unescape_field(arg, &decoded))
			decoded = arg;
		if (!decoded)
			decoded = "-";
		ALLOC_GROW(ag->command, len + strlen(decoded) + 2, alloc);
		if (len)
			ag->command[len++] = ' ';
		strcpy(ag->command + len, decoded);
		len += strlen(decoded);
	}
	free(copy);
}

static int is_kind(const char *line, size_t len, const char *kind)
{
	return len == strlen(kind) && !strncmp(line, kind, len);
}

/* The input records that are counted, each parsed by its handler. */
static const struct {
	const char *kind;
	void (*fn)(struct aggregate *ag, char **f, size_t n);
} handlers[] = {
	{ "sample", do_sample },	 { "thread", do_thread },
	{ "lost", do_lost },	 { "throttle", do_throttle },
	{ "object", do_object },	 { "compile", do_compile },
	{ "stack", do_stack },
};

/*
 * Whether a record kind is one that pf-aggregate writes (aggrec.h);
 * "thread" is also an input kind, taken by its handler before this.
 */
static int is_own_kind(const char *line, size_t len)
{
	size_t i;

	for (i = 0; i < agg_defs_nr; i++)
		if (is_kind(line, len, agg_defs[i]->kind))
			return 1;
	return 0;
}

/* The fields of a record kind that name a JIT object or a stack. */
struct merge_fields {
	const char *kind;
	int object, stack_id, stack_parent, stack_ref;	/* -1: none */
};

static const struct merge_fields merge_fields[] = {
	{ "sample", 7, -1, -1, 12 },
	{ "stack", 6, 1, 3, -1 },
	{ "code", 1, -1, -1, -1 },
	{ "codedata", 1, -1, -1, -1 },
	{ "span", 1, -1, -1, -1 },
	{ "object", 1, -1, -1, -1 },
};

/* A stack ID field [p, p + n): 0, or -1 when it is not one. */
static int merge_id(const char *p, size_t n, unsigned long long *v)
{
	char buf[24], *e;

	if (!n || n >= sizeof(buf) || strspn(p, "0123456789") < n)
		return -1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	*v = strtoull(buf, &e, 10);
	return *e ? -1 : 0;
}

/* Append field [s, s + n) of a record, as merge_line() gives it. */
static void merge_put(struct merge *m, size_t *len, const char *s, size_t n)
{
	ALLOC_GROW(m->buf, *len + n + 1, m->alloc);
	memcpy(m->buf + *len, s, n);
	*len += n;
}

/*
 * Rewrite lr's record for the input it is of (struct merge); a field
 * that is not what it should be is left as it is, for the record's
 * own reader to find bad.
 */
static void merge_line(struct aggregate *ag)
{
	struct line_reader *lr = &ag->lr;
	struct merge *m = &ag->merge;
	const struct merge_fields *mf = NULL;
	size_t kind_len = strcspn(lr->buf, " "), i, len = 0;
	const char *p = lr->buf, *end = lr->buf + lr->len;
	int field;

	for (i = 0; i < sizeof(merge_fields) / sizeof(merge_fields[0]); i++)
		if (is_kind(lr->buf, kind_len, merge_fields[i].kind))
			mf = &merge_fields[i];
	if (!mf)
		return;
	for (field = 0; p < end; field++) {
		const char *q = memchr(p, ' ', (size_t)(end - p));
		size_t n = q ? (size_t)(q - p) : (size_t)(end - p);
		char num[32];
		unsigned long long v;

		if (field == mf->object && n > 4 && !memcmp(p, "jit:", 4)) {
			snprintf(num, sizeof(num), "jit:%u.", m->input);
			merge_put(m, &len, num, strlen(num));
			merge_put(m, &len, p + 4, n - 4);
		} else if ((field == mf->stack_id || field == mf->stack_parent ||
			    field == mf->stack_ref) && !merge_id(p, n, &v) &&
			   (v || field == mf->stack_id)) {
			v += m->stack_base;
			if (v > m->stack_max)
				m->stack_max = v;
			snprintf(num, sizeof(num), "%llu", v);
			merge_put(m, &len, num, strlen(num));
		} else {
			merge_put(m, &len, p, n);
		}
		if (q)
			merge_put(m, &len, " ", 1);
		p = q ? q + 1 : end;
	}
	ALLOC_GROW(lr->buf, len + 1, lr->alloc);
	memcpy(lr->buf, m->buf, len);
	lr->buf[len] = '\0';
	lr->len = len;
}

static void process_line(struct aggregate *ag)
{
	struct line_reader *lr = &ag->lr;
	char *f[PF_MAX_FIELDS];
	size_t kind_len = strcspn(lr->buf, " "), n, i;

	if (lr->buf[0] == '#')
		return;
	if (ag->merge.on)
		merge_line(ag);
	save_shown(ag);
	if (lr->unterminated) {
		bad_line(ag, "truncated record (no newline at the end)");
		return;
	}
	if (kind_len == 0) {
		bad_line(ag, lr->len ? "record without a kind" : "empty line");
		return;
	}
	for (i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		if (is_kind(lr->buf, kind_len, handlers[i].kind)) {
			n = split_fields(lr->buf, f, PF_MAX_FIELDS);
			handlers[i].fn(ag, f, n);
			return;
		}
	if (is_kind(lr->buf, kind_len, "meta")) {
		if (!strncmp(lr->buf, "meta stacks ", 12))
			ag->stacks_meta = 1;
		if (!strncmp(lr->buf, "meta frequency ", 15) &&
		    parse_u64(lr->buf + 15, 10, 1, UINT32_MAX, &ag->frequency))
			ag->frequency = 0;
		if (!strncmp(lr->buf, "meta command ", 13))
			keep_command(ag, lr->buf + 13);
		do_copied(ag, 0);
	}
	else if (is_kind(lr->buf, kind_len, "exit"))
		do_copied(ag, 1);
	else if (is_own_kind(lr->buf, kind_len))
		/* Copied, it would pass for one of our own counts. */
		bad_line(ag, "pf-aggregate record in a pf-symbolize stream");
	else
		copy_line(lr);
}

/* The record of counter c, in the layout of d (aggrec.h). */
static void write_counter(const struct agg_def *d, const struct counter *c,
			  uint64_t all)
{
	union agg_value v[AGG_MAX_FIELDS];

	memset(v, 0, sizeof(v));
	if (d == &agg_call) {
		/* TOTAL TOTAL% KIND OBJECT CALLER FILE LINE, the callee's
		 * KIND OBJECT FUNCTION */
		v[0].u = c->total;
		v[2].u = (uint64_t)c->kind;
		v[3].s = c->s1;
		v[4].s = c->s2;
		v[5].s = c->s3;
		v[6].u = c->n1;
		v[7].u = (uint64_t)c->kind2;
		v[8].s = c->s4;
		v[9].s = c->s5;
	} else if (d == &agg_functiontotal) {
		/* TOTAL TOTAL% FILE FUNCTION */
		v[0].u = c->total;
		v[2].s = c->s1;
		v[3].s = c->s2;
	} else if (d == &agg_callsite) {
		/* TOTAL TOTAL% FILE LINE CALLER CALLEE */
		v[0].u = c->total;
		v[2].s = c->s1;
		v[3].u = c->n1;
		v[4].s = c->s2;
		v[5].s = c->s3;
	} else if (d == &agg_outside) {
		/* SAMPLES SAMPLES% KIND OBJECT FUNCTION */
		v[0].u = c->self;
		v[2].u = (uint64_t)c->kind;
		v[3].s = c->s1;
		v[4].s = c->s2;
	} else {
		v[0].u = c->self;
		v[2].u = c->total;
		if (d == &agg_function) {
			/* KIND OBJECT FUNCTION */
			v[4].u = (uint64_t)c->kind;
			v[5].s = c->s1;
			v[6].s = c->s2;
		} else if (d == &agg_thread) {
			/* PID TID NAME */
			v[4].u = c->n2;
			v[5].u = c->n3;
			v[6].s = c->s2;
		} else if (d == &agg_threadline) {
			/* PID TID FILE LINE FUNCTION */
			v[4].u = c->n2;
			v[5].u = c->n3;
			v[6].s = c->s1;
			v[7].u = c->n1;
			v[8].s = c->s2;
		} else {
			/* line: FILE LINE FUNCTION */
			v[4].s = c->s1;
			v[5].u = c->n1;
			v[6].s = c->s2;
		}
	}
	agg_write(stdout, d, v, all);
}

static void print_counts(const struct agg_def *d, struct counter_table *t,
			 uint64_t all)
{
	size_t i;

	counter_table_sort(t);
	for (i = 0; i < t->nr; i++) {
		const struct counter *c = &t->items[i];

		if (d != &agg_outside && !c->self && !c->total)
			continue;	/* a thread that was named, never sampled */
		write_counter(d, c, all);
	}
}

/*
 * compiling SAMPLES SAMPLES% NS FUNCTIONS KIND, for each kind of time
 * in Numba's compiler, when the input says when that was.
 */
static void print_compiling(struct compiling_table *t, uint64_t all)
{
	struct compiling_summary sum[3];
	int i;

	if (!t->records)
		return;
	compiling_summarize(t, sum);
	for (i = 0; i < 3; i++) {
		union agg_value v[5];

		if (!sum[i].ns && !sum[i].samples && !sum[i].functions &&
		    i != COMPILING_COMPILE)
			continue;
		memset(v, 0, sizeof(v));
		v[0].u = sum[i].samples;
		v[2].u = sum[i].ns;
		v[3].u = sum[i].functions;
		v[4].u = (uint64_t)i;
		agg_write(stdout, &agg_compiling, v, all);
	}
}

/* nolines SAMPLES SAMPLES% OBJECT NAME, for each object in nolines. */
static void print_nolines(const struct object_count **nolines, size_t nr,
			  uint64_t all)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		union agg_value v[4];

		memset(v, 0, sizeof(v));
		v[0].u = nolines[i]->samples;
		v[2].s = nolines[i]->object;
		v[3].s = nolines[i]->name;
		agg_write(stdout, &agg_nolines, v, all);
	}
}

/* insn SAMPLES SAMPLES% KIND OBJECT ADDR FILE LINE FUNCTION */
static void print_insns(struct insn_table *t, uint64_t all)
{
	size_t i;

	insn_table_sort(t);
	for (i = 0; i < t->nr; i++) {
		const struct insn_count *c = &t->items[i];
		union agg_value v[8];

		v[0].u = c->samples;
		v[1].u = 0;
		v[2].u = (uint64_t)c->kind;
		v[3].s = c->object;
		v[4].u = c->addr;
		v[5].s = c->file;
		v[6].u = c->line;
		v[7].s = c->function;
		agg_write(stdout, &agg_insn, v, all);
	}
}

static void print_results(struct aggregate *ag)
{
	const struct object_count **nolines;
	uint64_t nolines_samples;
	size_t nolines_nr;

	nolines = object_table_select(&ag->objects, OBJECT_NOLINES,
				      &nolines_nr, &nolines_samples);
	{
		union agg_value v[10];

		v[0].u = ag->samples;
		v[1].u = ag->by_kind[KIND_JIT];
		v[2].u = ag->by_kind[KIND_NATIVE];
		v[3].u = ag->by_kind[KIND_KERNEL];
		v[4].u = ag->by_kind[KIND_UNKNOWN];
		v[5].u = ag->unresolved;
		v[6].u = ag->lost;
		v[7].u = nolines_samples;
		v[8].u = ag->throttled;
		v[9].u = ag->lineless;
		agg_write(stdout, &agg_total, v, ag->samples);
	}
	lineless_place(&ag->placed,
		       ag->groups & GROUP_LINE ? &ag->lines : NULL,
		       ag->per_thread ? &ag->threadlines : NULL,
		       ag->groups & GROUP_LINE ? &ag->functotals : NULL);
	if (ag->groups & GROUP_LINE) {
		print_counts(&agg_line, &ag->lines, ag->samples);
		print_counts(&agg_callsite, &ag->callsites, ag->samples);
		print_counts(&agg_call, &ag->calls, ag->samples);
		print_counts(&agg_functiontotal, &ag->functotals, ag->samples);
	}
	if (ag->groups & GROUP_FUNCTION)
		print_counts(&agg_function, &ag->functions, ag->samples);
	print_counts(&agg_thread, &ag->threads, ag->samples);
	if (ag->per_thread)
		print_counts(&agg_threadline, &ag->threadlines, ag->samples);
	print_counts(&agg_outside, &ag->outside, ag->samples);
	print_compiling(&ag->compiling, ag->samples);
	print_nolines(nolines, nolines_nr, ag->samples);
	if (ag->groups & GROUP_INSN)
		print_insns(&ag->insns, ag->samples);
	free(nolines);
}

static const char *thread_name(void *arg, uint32_t pid, uint32_t tid)
{
	struct aggregate *ag = arg;
	struct counter_key k;

	memset(&k, 0, sizeof(k));
	k.n2 = pid;
	k.n3 = tid;
	return counter_get(&ag->threads, &k)->s2;
}

static void write_pprof_or_die(struct aggregate *ag)
{
	struct pprof_info info;

	info.period_ns = ag->frequency ? 1000000000u / ag->frequency : 0;
	info.duration_ns = ag->last_time - ag->first_time;
	info.comment = ag->command;
	if (write_pprof(stdout, &ag->paths, &ag->stacks, &info, thread_name,
			ag))
		die(EXIT_FATAL, "cannot write the pprof profile:");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "group", required_argument, NULL, 'g' },
		{ "per-thread", no_argument, NULL, 'T' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct aggregate ag;
	const char *path;
	FILE *fp = NULL;
	int ninputs, input;
	int opt;

	progname = "pf-aggregate";
	memset(&ag, 0, sizeof(ag));
	while ((opt = getopt_long(argc, argv, "g:Tf:hV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'g':
			ag.groups |= parse_groups(optarg);
			break;
		case 'T':
			ag.per_thread = 1;
			break;
		case 'f':
			if (!strcmp(optarg, "pf"))
				ag.format = FORMAT_PF;
			else if (!strcmp(optarg, "folded"))
				ag.format = FORMAT_FOLDED;
			else if (!strcmp(optarg, "pprof"))
				ag.format = FORMAT_PPROF;
			else {
				warn("unknown format '%s' (expected pf, folded or pprof)",
				     optarg);
				usage(EXIT_USAGE);
			}
			break;
		case 'h':
			usage(0);
		case 'V':
			puts("pf-aggregate " PF_VERSION);
			close_stdout();
			return 0;
		default:
			usage(EXIT_USAGE);
		}
	}
	ninputs = argc - optind;
	/* The instructions behind the lines come with them. */
	if (!ag.groups || (ag.groups & GROUP_LINE))
		ag.groups |= GROUP_LINE | GROUP_INSN;
	counter_table_init(&ag.lines);
	counter_table_init(&ag.callsites);
	counter_table_init(&ag.threadlines);
	counter_table_init(&ag.functions);
	counter_table_init(&ag.threads);
	counter_table_init(&ag.outside);
	counter_table_init(&ag.calls);
	counter_table_init(&ag.functotals);
	stack_table_init(&ag.stacks);
	object_table_init(&ag.objects);
	compiling_init(&ag.compiling);
	insn_table_init(&ag.insns);
	lineless_init(&ag.placed);

	/* pprof's samples carry their thread as labels. */
	path_table_init(&ag.paths, ag.per_thread || ag.format == FORMAT_PPROF);
	if (ag.format == FORMAT_PPROF && isatty(STDOUT_FILENO))
		die(EXIT_USAGE, "a pprof profile is binary: redirect it to a "
			       "file (pf-aggregate -f pprof prof.sym > prof.pb.gz)");
	copying = ag.format == FORMAT_PF;
	ag.merge.on = ninputs > 1;
	for (input = 0; input < (ninputs ? ninputs : 1); input++) {
		fp = input_open(ninputs ? argv[optind + input] : NULL, &path);
		line_reader_init(&ag.lr, fp, path);
		expect_header(&ag.lr, PF_FORMAT_SYMBOLIZE);
		/* Nothing is written for an input that is not ours. */
		if (!input && ag.format == FORMAT_PF)
			write_header(stdout, PF_FORMAT_AGGREGATE);
		ag.merge.input = (unsigned)input + 1;
		ag.merge.stack_base = ag.merge.stack_max;
		while (line_read(&ag.lr))
			process_line(&ag);
		if (input + 1 < ninputs) {
			line_reader_release(&ag.lr);
			input_close(fp);
		}
	}
	if (ag.format == FORMAT_PF)
		print_results(&ag);
	else if (ag.format == FORMAT_FOLDED)
		write_folded(stdout, &ag.paths, &ag.stacks, thread_name, &ag);
	else
		write_pprof_or_die(&ag);

	line_reader_release(&ag.lr);
	input_close(fp);
	counter_table_release(&ag.lines);
	counter_table_release(&ag.callsites);
	counter_table_release(&ag.threadlines);
	counter_table_release(&ag.functions);
	counter_table_release(&ag.threads);
	counter_table_release(&ag.outside);
	counter_table_release(&ag.calls);
	counter_table_release(&ag.functotals);
	stack_table_release(&ag.stacks);
	object_table_release(&ag.objects);
	free(ag.merge.buf);
	compiling_release(&ag.compiling);
	insn_table_release(&ag.insns);
	lineless_release(&ag.placed);
	path_table_release(&ag.paths);
	free(ag.command);
	free(ag.chain);
	close_stdout();
	if (ag.bad_lines) {
		warn("ignored %llu bad line%s", (unsigned long long)ag.bad_lines,
		     ag.bad_lines == 1 ? "" : "s");
		return EXIT_PARTIAL;
	}
	return 0;
}
