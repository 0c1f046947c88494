/*
 * pf-symbolize - give each sample of a recording its function and
 * source line.
 *
 * Reads a "pf-record 1" stream and writes "pf-symbolize 1"
 * (docs/FORMAT.md), as a stream: memory grows with the code the
 * program ran (JIT objects, files, distinct addresses), not with the
 * number of samples.  jit records may come after the samples that hit
 * their objects, so the records wait in a queue, in order, until they
 * can be decided: a sample once a sync record says every object and
 * mapping made before it is in (a kernel sample at once; a recording
 * without sync records waits for its end), an object record once its
 * object is whole.  Each sample is mapped to an entry of the symbol
 * cache (one per distinct object and address), described the first
 * time it is seen, in a libdwfl session kept open for the next ones
 * (sessions.h).  Code compiled from a pseudo file (Numba's prange
 * loops) is given to the function it was made from (region.h), looked
 * up among the objects recorded so far.
 */
#include "code.h"
#include "describe.h"
#include "escape.h"
#include "jit.h"
#include "lineio.h"
#include "native.h"
#include "objinfo.h"
#include "ranges.h"
#include "record.h"
#include "region.h"
#include "sessions.h"
#include "symcache.h"
#include "util.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Addresses from here up are the kernel's (x86-64 canonical upper half). */
#define KERNEL_START 0xffff800000000000ull

/* JIT objects kept open with libdwfl at once (each holds a memfd). */
#define JIT_SESSIONS 64

/* What an item of the queue is. */
enum item_kind { ITEM_SAMPLE, ITEM_TEXT, ITEM_OBJECT, ITEM_STACK };

/*
 * A caller frame, described as of the first sample after it (the one
 * pf-record wrote it for): it waits for what that sample waits for.
 */
struct stack_item {
	struct raw_stack node;
	uint64_t time;
};

struct item {
	enum item_kind kind;
	union {
		struct raw_sample sample;
		char *text;	/* a line kept as it was, with its '\n' */
		size_t object;	/* index into the JIT set */
		struct stack_item stack;
	} u;
};

/* The records read and not yet written, in order: item[head..nr). */
struct queue {
	struct item *item;
	size_t head, nr, alloc;
};

/*
 * A process of the recording, from its fork and exec records: a child
 * has its parent's JIT objects as of the fork, until it execs.
 */
struct proc_info {
	uint32_t pid, parent;	/* parent 0: none known */
	uint64_t fork_time, exec_time;	/* 0: none */
};

struct symbolizer {
	struct queue q;
	struct proc_info *procs;
	size_t procs_nr, procs_alloc;
	struct jit_set jits;
	struct native_set natives;
	struct range_index code, maps;
	struct sym_cache cache;
	struct region_finder regions;
	struct session_cache sessions;
	struct code_writer code_out;
	uint64_t synced;	/* samples before it can be decided */
	int stacks;		/* `meta stacks`: samples have STACK */
	int synced_now;		/* a sync record came: pass the output on */
	int at_end;		/* the input is over: decide everything */
	size_t nr_bad;		/* lines warned about and skipped */
};

static enum name_style name_style_jit = NAMES_NUMBA;
static enum name_style name_style_native = NAMES_NATIVE;
static int write_code = 1;	/* --no-code clears it */

static void usage(FILE *fp)
{
	fprintf(fp, "usage: %s [--no-demangle] [--no-code] [FILE]\n", progname);
}

static void help(void)
{
	usage(stdout);
	fputs("\n"
	      "Read a pf-record stream (FILE or standard input) and write it\n"
	      "with each sample symbolized: KIND OBJECT FUNCTION FILE LINE\n"
	      "INLINED, from the recorded JIT objects' DWARF and the mapped\n"
	      "files' symbols, and each jit record replaced by an object\n"
	      "record: OBJECT TIME LINES (lines, nolines, bad) NAME.  Before\n"
	      "the first sample in a function come its code, codedata and\n"
	      "span records: its machine code and each stretch's line.\n"
	      "\n"
	      "  -n, --no-demangle  write symbol names as they are\n"
	      "      --no-code      write no code, codedata or span records\n"
	      "  -h, --help         show this help\n"
	      "  -V, --version      show the version\n"
	      "\n"
	      "Exit status: 0 ok, 1 some records or JIT objects were bad,\n"
	      "2 fatal error, 64 usage error, 65 input is not a recording.\n",
	      stdout);
}

static void queue_push(struct queue *q, const struct item *it)
{
	if (q->head == q->nr) {
		q->head = q->nr = 0;
	} else if (q->head >= 4096 && q->head * 2 >= q->nr) {
		/* What is left waits for a later sync: move it down. */
		memmove(q->item, q->item + q->head,
			(q->nr - q->head) * sizeof(*q->item));
		q->nr -= q->head;
		q->head = 0;
	}
	ALLOC_GROW(q->item, q->nr + 1, q->alloc);
	q->item[q->nr++] = *it;
}

static void keep_text(struct symbolizer *z, const char *line, size_t len)
{
	struct item it;

	it.kind = ITEM_TEXT;
	it.u.text = xmalloc(len + 1);
	memcpy(it.u.text, line, len);
	it.u.text[len] = '\n';
	queue_push(&z->q, &it);
}

/* Does line start with the record kind word? */
static int is_kind(const char *line, const char *word)
{
	size_t n = strlen(word);

	return !strncmp(line, word, n) && (line[n] == ' ' || !line[n]);
}

/* Is line a record that pf-symbolize reads (and does not copy)? */
static int is_consumed(const char *line)
{
	return is_kind(line, "sample") || is_kind(line, "stack") ||
	       is_kind(line, "map") ||
	       is_kind(line, "jit") || is_kind(line, "jitdata") ||
	       is_kind(line, "jitcode") || is_kind(line, "sync");
}

static struct proc_info *proc_find(struct symbolizer *z, uint32_t pid,
				   int create)
{
	size_t i;

	for (i = z->procs_nr; i-- > 0;)
		if (z->procs[i].pid == pid)
			return &z->procs[i];
	if (!create)
		return NULL;
	ALLOC_GROW(z->procs, z->procs_nr + 1, z->procs_alloc);
	memset(&z->procs[z->procs_nr], 0, sizeof(z->procs[0]));
	z->procs[z->procs_nr].pid = pid;
	return &z->procs[z->procs_nr++];
}

/*
 * "fork TIME PID PPID" and "exec TIME PID ARGV...": read (they are
 * copied through as well).  0, or -1 for a bad record.
 */
static int take_process_record(struct symbolizer *z, const char *line)
{
	char buf[256], *f[PF_MAX_FIELDS];
	uint64_t time, pid, ppid;
	struct proc_info *p;
	size_t n;

	snprintf(buf, sizeof(buf), "%s", line);
	n = split_fields(buf, f, PF_MAX_FIELDS);
	if (n < 3 || parse_u64(f[1], 10, 0, UINT64_MAX, &time) ||
	    parse_u64(f[2], 10, 1, UINT32_MAX, &pid))
		return -1;
	if (!strcmp(f[0], "exec")) {
		proc_find(z, (uint32_t)pid, 1)->exec_time = time;
		return 0;
	}
	if (n != 4 || parse_u64(f[3], 10, 1, UINT32_MAX, &ppid) ||
	    pid == ppid)
		return -1;
	p = proc_find(z, (uint32_t)pid, 1);
	p->parent = (uint32_t)ppid;
	p->fork_time = time;
	return 0;
}

/*
 * The range of ri (JIT objects, file mappings) that holds pc in process
 * pid at time: its own (since its last exec), else those it had from
 * its parent at the fork (and so on up), unless it exec'd since; never
 * another process's, so that what pf cannot name in one process is
 * unknown, not filed under what another had at that address.
 */
static const struct addr_range *process_lookup(struct symbolizer *z,
					       const struct range_index *ri,
					       uint64_t pc, uint32_t pid,
					       uint64_t time)
{
	const struct addr_range *r;
	int depth;

	for (depth = 0; depth < 64; depth++) {
		const struct proc_info *p = proc_find(z, pid, 0);

		r = range_lookup(ri, pc, pid, time, 0);
		if (r && !(p && r->pid == pid && r->time < p->exec_time))
			return r;
		if (!p || !p->parent || (p->exec_time && time >= p->exec_time))
			return NULL;
		if (time > p->fork_time)
			time = p->fork_time;
		pid = p->parent;
	}
	return NULL;
}

/* Which object pc of process pid at time is in: its symbol cache entry. */
static uint32_t classify(struct symbolizer *z, uint64_t pc, uint32_t pid,
			 uint64_t time)
{
	struct sym_cache *cache = &z->cache;
	const struct addr_range *r;
	uint32_t e;

	if (pc >= KERNEL_START)
		return sym_cache_intern(cache, KIND_KERNEL, 0, 0);
	/* Objects and maps came since the last sample: index them. */
	range_index_finish(&z->code);
	range_index_finish(&z->maps);
	if ((r = process_lookup(z, &z->code, pc, pid, time))) {
		e = sym_cache_intern(cache, KIND_JIT, r->owner, pc);
		cache->entry[e].group = r->owner;
	} else if ((r = process_lookup(z, &z->maps, pc, pid, time)) ||
		   (!z->procs_nr &&
		    (r = range_lookup(&z->maps, pc, pid, time,
				      RANGE_ANY_PID)))) {
		/*
		 * A forked child shares its parent's mappings; a recording
		 * without fork records (before pf-record followed
		 * processes) does not say whose child is whose: any.
		 */
		e = sym_cache_intern(cache, KIND_NATIVE, r->owner, pc);
		cache->entry[e].group = z->natives.map[r->owner].file;
	} else {
		e = sym_cache_intern(cache, KIND_UNKNOWN, 0, 0);
	}
	return e;
}

/* The code records of the function at e's address, when first seen. */
static void write_function_code(struct symbolizer *z,
				const struct sym_entry *e, struct session *s)
{
	struct code_place p;
	char object[32];

	if (!write_code || !s->mod)
		return;
	memset(&p, 0, sizeof(p));
	p.kind = e->kind;
	p.owner = e->owner;
	p.mod = s->mod;
	p.st = &s->st;
	p.pc = e->addr;
	if (e->kind == KIND_JIT) {
		const struct jit_object *o = &z->jits.obj[e->owner];

		snprintf(object, sizeof(object), "jit:%" PRIu64, o->id);
		p.object = object;
		p.shift = (int64_t)o->shift;
		p.jit = o;
		p.source = NAME_FROM_DWARF;
		p.style = name_style_jit;
	} else {
		const struct native_map *m = &z->natives.map[e->owner];
		const struct native_file *f = &z->natives.file[m->file];
		Dwarf_Addr addr;

		if (native_address(&z->natives, e->owner, e->addr, &addr))
			return;
		p.object = m->path;
		p.shift = (int64_t)(addr - e->addr);
		p.elf = f->elf;
		p.modbias = f->modbias;
		p.source = NAME_FROM_SYMBOL;
		p.style = name_style_native;
	}
	code_write(&z->code_out, stdout, &p);
}

/*
 * Describe entry e ("KIND OBJECT FUNCTION FILE LINE INLINED").  A call
 * site (caller) gets the code of its function written only for JIT
 * code: native callers (the interpreter's functions) would add much and
 * show little.
 */
static void describe_entry(struct symbolizer *z, struct sym_entry *e,
			   int caller)
{
	FILE *fp = open_memstream(&e->text, &e->len);
	struct session *s = NULL;
	Dwarf_Addr addr;

	if (!fp)
		die(EXIT_FATAL, "open_memstream:");
	fputs(sample_kind_names[e->kind], fp);
	switch (e->kind) {
	case KIND_JIT:
		s = session_get(&z->sessions, KIND_JIT, e->group);
		fprintf(fp, " jit:%" PRIu64 " ", z->jits.obj[e->owner].id);
		if (s->mod)
			describe_address(fp, &s->st, s->mod,
					 e->addr + z->jits.obj[e->owner].shift,
					 NAME_FROM_DWARF, name_style_jit);
		else
			fputs("- - 0 -", fp);
		break;
	case KIND_NATIVE:
		s = session_get(&z->sessions, KIND_NATIVE, e->group);
		fputc(' ', fp);
		fput_field(fp, z->natives.map[e->owner].path);
		fputc(' ', fp);
		if (s->mod &&
		    native_address(&z->natives, e->owner, e->addr, &addr) == 0)
			describe_address(fp, &s->st, s->mod, addr,
					 NAME_FROM_SYMBOL, name_style_native);
		else
			fputs("- - 0 -", fp);
		break;
	case KIND_KERNEL:
		fputs(" [kernel] - - 0 -", fp);
		break;
	case KIND_UNKNOWN:
		fputs(" - - - 0 -", fp);
		break;
	}
	if (fclose(fp) != 0)
		die(EXIT_FATAL, "out of memory describing an address");
	if (s && (!caller || e->kind == KIND_JIT))
		write_function_code(z, e, s);
}

/* Decimal digits of v, ending at end; returns where they start. */
static char *format_dec(char *end, uint64_t v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

static char *format_hex(char *end, uint64_t v)
{
	do {
		*--end = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	return end;
}

/* sample TIME PID TID CPU PC KIND OBJECT FUNCTION FILE LINE INLINED */
static void write_sample(struct symbolizer *z, const struct raw_sample *s)
{
	uint32_t i = classify(z, s->pc, s->pid, s->time); /* may move them */
	struct sym_entry *e = &z->cache.entry[i];
	char buf[128], *end = buf + sizeof(buf), *p = end;

	if (!e->text)
		describe_entry(z, e, 0);
	*--p = ' ';
	p = format_hex(p, s->pc);
	*--p = ' ';
	p = format_dec(p, s->cpu);
	*--p = ' ';
	p = format_dec(p, s->tid);
	*--p = ' ';
	p = format_dec(p, s->pid);
	*--p = ' ';
	p = format_dec(p, s->time);
	p -= 7;
	memcpy(p, "sample ", 7);
	fwrite_unlocked(p, 1, (size_t)(end - p), stdout);
	fwrite_unlocked(e->text, 1, e->len, stdout);
	if (s->has_stack) {
		p = format_dec(end, s->stack);
		*--p = ' ';
		fwrite_unlocked(p, 1, (size_t)(end - p), stdout);
	}
	putchar_unlocked('\n');
}

/*
 * stack ID PID PARENT PC KIND OBJECT FUNCTION FILE LINE INLINED: the
 * frame described where its call is, at PC - 1 (the return address is
 * the next instruction, maybe on another line or in another function).
 */
static void write_stack(struct symbolizer *z, const struct stack_item *st)
{
	const struct raw_stack *n = &st->node;
	struct sym_entry *e = NULL;

	if (n->pc) {
		uint32_t i = classify(z, n->pc - 1, n->pid, st->time);

		e = &z->cache.entry[i];
		if (!e->text)
			describe_entry(z, e, 1);
	}
	printf("stack %" PRIu64 " %" PRIu32 " %" PRIu64 " %" PRIx64 " ", n->id,
	       n->pid, n->parent, n->pc);
	if (e)
		fwrite_unlocked(e->text, 1, e->len, stdout);
	else
		fputs("unknown - - - 0 -", stdout);
	putchar_unlocked('\n');
}

/* object jit:ID TIME LINES NAME, for the jit record of object i. */
static void write_object(struct symbolizer *z, size_t i)
{
	struct jit_object *o = &z->jits.obj[i];
	enum object_lines lines;

	if (o->duplicate)
		return;	/* a bad line: warned about, dropped */
	if (!o->unusable && !o->examined)
		session_get(&z->sessions, KIND_JIT, (uint32_t)i);
	lines = o->unusable || !o->examined ? OBJECT_BAD : o->lines;
	printf("object jit:%" PRIu64 " %" PRIu64 " %s ", o->id, o->time,
	       object_lines_names[lines]);
	fput_field(stdout, lines == OBJECT_BAD ? NULL : o->name);
	putchar('\n');
}

/* Can the item be written now? */
static int ready(const struct symbolizer *z, const struct item *it)
{
	if (z->at_end)
		return 1;
	switch (it->kind) {
	case ITEM_SAMPLE:
		return it->u.sample.pc >= KERNEL_START ||
		       it->u.sample.time < z->synced;
	case ITEM_OBJECT:
		return z->jits.obj[it->u.object].complete;
	case ITEM_STACK:
		return it->u.stack.time < z->synced;
	case ITEM_TEXT:
		break;
	}
	return 1;
}

/* Write the items at the head of the queue that can be decided. */
static void flush(struct symbolizer *z)
{
	struct queue *q = &z->q;

	while (q->head < q->nr && ready(z, &q->item[q->head])) {
		struct item *it = &q->item[q->head++];
		const char *end;

		switch (it->kind) {
		case ITEM_SAMPLE:
			write_sample(z, &it->u.sample);
			break;
		case ITEM_OBJECT:
			write_object(z, it->u.object);
			break;
		case ITEM_STACK:
			write_stack(z, &it->u.stack);
			break;
		case ITEM_TEXT:
			end = strchr(it->u.text, '\n');
			fwrite_unlocked(it->u.text, 1,
					(size_t)(end - it->u.text) + 1, stdout);
			free(it->u.text);
			break;
		}
	}
}

/* The stack records since the last sample are as of this sample's time. */
static void give_time(struct symbolizer *z, uint64_t time)
{
	struct queue *q = &z->q;
	size_t i;

	for (i = q->nr; i-- > q->head && q->item[i].kind != ITEM_SAMPLE;)
		if (q->item[i].kind == ITEM_STACK)
			q->item[i].u.stack.time = time;
}

/* Take one consumed record, split into n fields f. */
static int take_record(struct symbolizer *z, char **f, size_t n,
		       uint64_t lineno)
{
	struct item it;
	uint64_t time;

	if (!strcmp(f[0], "sample")) {
		it.kind = ITEM_SAMPLE;
		if (parse_raw_sample(f, n, z->stacks ? 6 : NO_STACK_FIELD,
				     &it.u.sample))
			return -1;
		give_time(z, it.u.sample.time);
		queue_push(&z->q, &it);
		return 0;
	}
	if (!strcmp(f[0], "stack")) {
		it.kind = ITEM_STACK;
		if (parse_raw_stack(f, n, &it.u.stack.node))
			return -1;
		it.u.stack.time = UINT64_MAX;	/* until its sample comes */
		queue_push(&z->q, &it);
		return 0;
	}
	if (!strcmp(f[0], "map"))
		return native_add_map(&z->natives, f, n);
	if (!strcmp(f[0], "sync")) {
		if (n < 2 || parse_u64(f[1], 10, 0, UINT64_MAX, &time))
			return -1;
		if (time > z->synced)
			z->synced = time;
		z->synced_now = 1;
		return 0;
	}
	if (!strcmp(f[0], "jit")) {
		if (jit_add_object(&z->jits, f, n, lineno))
			return -1;
		it.kind = ITEM_OBJECT;	/* its object record goes here */
		it.u.object = z->jits.nr - 1;
		queue_push(&z->q, &it);
		return 0;
	}
	if (!strcmp(f[0], "jitcode"))
		return jit_add_code(&z->jits, f, n, lineno);
	return jit_add_chunk(&z->jits, f, n, lineno);
}

static void symbolize(struct line_reader *lr, struct symbolizer *z)
{
	char *f[PF_MAX_FIELDS];

	expect_header(lr, PF_FORMAT_RECORD);
	write_header(stdout, PF_FORMAT_SYMBOLIZE);
	while (line_read(lr)) {
		char shown[64];
		size_t n;

		if (lr->len == 0) {
			warn("line %" PRIu64 ": empty line", lr->lineno);
			z->nr_bad++;
			continue;
		}
		if (is_kind(lr->buf, "object")) {
			/* Copied, it would pass for one of our own. */
			warn("line %" PRIu64 ": object record in a pf-record "
			     "stream", lr->lineno);
			z->nr_bad++;
			continue;
		}
		if (!strncmp(lr->buf, "meta stacks ", 12))
			z->stacks = 1;
		if ((is_kind(lr->buf, "fork") || is_kind(lr->buf, "exec")) &&
		    take_process_record(z, lr->buf)) {
			warn("line %" PRIu64 ": bad %.4s record '%.200s'",
			     lr->lineno, lr->buf, lr->buf);
			z->nr_bad++;
		}
		if (lr->buf[0] == '#' || !is_consumed(lr->buf)) {
			keep_text(z, lr->buf, lr->len);
			flush(z);
			continue;
		}
		snprintf(shown, sizeof(shown), "%s", lr->buf);
		n = split_fields(lr->buf, f, PF_MAX_FIELDS);
		if (take_record(z, f, n, lr->lineno)) {
			warn("line %" PRIu64 ": bad %s record '%s%s'",
			     lr->lineno, f[0], shown,
			     lr->len >= sizeof(shown) ? "..." : "");
			z->nr_bad++;
		}
		flush(z);
		if (z->synced_now) {
			/* A live pipe gets each sync's worth at once. */
			z->synced_now = 0;
			if (fflush(stdout))
				die(EXIT_FATAL, "cannot write:");
		}
	}
	/* What never became whole is said now; then all is decided. */
	jit_set_finish(&z->jits);
	z->at_end = 1;
	flush(z);
}

static void symbolizer_init(struct symbolizer *z)
{
	memset(z, 0, sizeof(*z));
	range_index_init(&z->code);
	range_index_init(&z->maps);
	jit_set_init(&z->jits, &z->code);
	native_set_init(&z->natives, &z->maps);
	sym_cache_init(&z->cache);
	region_finder_init(&z->regions, &z->jits, name_style_jit);
	session_cache_init(&z->sessions, &z->jits, &z->natives, &z->regions,
			   name_style_jit, JIT_SESSIONS);
	code_writer_init(&z->code_out);
}

static void symbolizer_release(struct symbolizer *z)
{
	code_writer_release(&z->code_out);
	session_cache_release(&z->sessions);
	region_finder_release(&z->regions);
	sym_cache_release(&z->cache);
	jit_set_release(&z->jits);
	native_set_release(&z->natives);
	range_index_release(&z->code);
	range_index_release(&z->maps);
	free(z->q.item);
	free(z->procs);
	memset(z, 0, sizeof(*z));
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "no-demangle", no_argument, NULL, 'n' },
		{ "no-code", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	static char outbuf[1 << 16];
	struct symbolizer z;
	struct line_reader lr;
	const char *name;
	FILE *in;
	int c, status = 0;

	progname = "pf-symbolize";
	while ((c = getopt_long(argc, argv, "nhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			name_style_jit = name_style_native = NAMES_RAW;
			break;
		case 'C':
			write_code = 0;
			break;
		case 'h':
			help();
			close_stdout();
			return 0;
		case 'V':
			printf("pf-symbolize %s\n", PF_VERSION);
			close_stdout();
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind > 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	in = input_open(argv[optind], &name);
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));

	symbolizer_init(&z);
	line_reader_init(&lr, in, name);
	symbolize(&lr, &z);
	line_reader_release(&lr);
	input_close(in);

	z.nr_bad += z.jits.nr_bad_lines;
	if (z.nr_bad) {
		warn("ignored %zu bad line%s", z.nr_bad,
		     z.nr_bad == 1 ? "" : "s");
		status = EXIT_PARTIAL;
	}
	if (z.jits.nr_unusable) {
		warn("%zu jit object%s unusable", z.jits.nr_unusable,
		     z.jits.nr_unusable == 1 ? "" : "s");
		status = EXIT_PARTIAL;
	}
	symbolizer_release(&z);
	close_stdout();
	return status;
}
