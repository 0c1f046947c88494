/*
 * jit.c - copying the objects a process registers through the GDB JIT
 * interface (GDB manual, "JIT Compilation Interface").
 *
 * LLVM (and so Numba) keeps a global `__jit_debug_descriptor` whose
 * `first_entry` heads a doubly linked list of in-memory ELF objects, new
 * ones added at the head.  Debian exports the descriptor from
 * libLLVM-14.so; pip wheels link LLVM into libllvmlite.so where it is a
 * local symbol in .symtab only, so both symbol tables are searched.  We
 * read the list with process_vm_readv without stopping the process: a
 * half-updated list is simply read again at the next poll.
 */
#include "recorder.h"
#include "base64.h"
#include "escape.h"
#include "util.h"

#include <gelf.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#define DESCRIPTOR_SYMBOL "__jit_debug_descriptor"
/* Bytes of object per jitdata line: 4096 characters of base64. */
#define CHUNK 3072
/* Bounds that protect us from a corrupt list or entry. */
#define MAX_WALK 1000000
#define MAX_OBJECT_SIZE (1ull << 30)

struct jit_descriptor_image {
	uint32_t version;
	uint32_t action_flag;
	uint64_t relevant_entry;
	uint64_t first_entry;
};

struct jit_entry_image {
	uint64_t next_entry;
	uint64_t prev_entry;
	uint64_t symfile_addr;
	uint64_t symfile_size;
};

struct watched {
	uint64_t addr;		/* of the descriptor in the process */
	uint64_t last_head;	/* first_entry at the last poll */
	uint64_t found;		/* the TIME of the mapping it was found in */
};

/* An object already copied, so that it is written only once. */
struct seen_entry {
	uint64_t entry, symfile_addr, symfile_size;
};

/*
 * What is known of one process: the descriptors it has (where they are
 * depends on where it mapped the library), the files examined for them,
 * and the objects of its list already written.  A forked child starts
 * with a copy of its parent's: it has the same memory, so the same
 * list, whose objects are its parent's until it registers its own.
 */
struct jit_proc {
	pid_t pid;
	int gone;		/* it exited */
	struct watched *watch;
	size_t nwatch, walloc;
	char **checked;		/* paths already examined */
	uint64_t *checked_time;	/* when each was mapped */
	size_t nchecked, calloc_;
	struct seen_entry *seen; /* open-addressing hash set */
	size_t seen_nr, seen_alloc;
};

struct jit_capture {
	FILE *out;
	struct jit_proc *procs;
	size_t nprocs, palloc;
	uint64_t next_id, errors;	/* IDs are unique in the stream */
	uint64_t descriptors;
	uint64_t with_code, with_lines;	/* objects with code; and lines */
	unsigned char *buf;
	size_t buf_alloc;
	struct unwinder *unwinder;
};

static void proc_release(struct jit_proc *p)
{
	size_t i;

	for (i = 0; i < p->nchecked; i++)
		free(p->checked[i]);
	free(p->checked);
	free(p->checked_time);
	free(p->watch);
	free(p->seen);
	memset(p, 0, sizeof(*p));
}

/* The live state of process pid, or NULL. */
static struct jit_proc *find_proc(struct jit_capture *jc, pid_t pid)
{
	size_t i;

	for (i = jc->nprocs; i-- > 0;)
		if (jc->procs[i].pid == pid && !jc->procs[i].gone)
			return &jc->procs[i];
	return NULL;
}

static void add_checked(struct jit_proc *p, const char *path, uint64_t time)
{
	size_t alloc = p->calloc_;

	ALLOC_GROW(p->checked, p->nchecked + 1, p->calloc_);
	if (p->calloc_ != alloc)
		p->checked_time = xreallocarray(p->checked_time, p->calloc_,
						sizeof(*p->checked_time));
	p->checked_time[p->nchecked] = time;
	p->checked[p->nchecked++] = xstrdup(path);
}

static struct jit_proc *add_proc(struct jit_capture *jc, pid_t pid)
{
	struct jit_proc *p;

	ALLOC_GROW(jc->procs, jc->nprocs + 1, jc->palloc);
	p = &jc->procs[jc->nprocs++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->seen_alloc = 1024;
	p->seen = xcalloc(p->seen_alloc, sizeof(*p->seen));
	return p;
}

struct jit_capture *jit_capture_new(pid_t pid, FILE *out)
{
	struct jit_capture *jc = xcalloc(1, sizeof(*jc));

	jc->out = out;
	elf_version(EV_CURRENT);
	jc->next_id = 1;
	add_proc(jc, pid);
	return jc;
}

void jit_capture_free(struct jit_capture *jc)
{
	size_t i;

	if (!jc)
		return;
	for (i = 0; i < jc->nprocs; i++)
		proc_release(&jc->procs[i]);
	free(jc->procs);
	free(jc->buf);
	free(jc);
}

void jit_capture_fork(struct jit_capture *jc, pid_t parent, pid_t child)
{
	struct jit_proc *from, *to;
	size_t i;

	if (find_proc(jc, child))
		return;
	to = add_proc(jc, child);
	from = find_proc(jc, parent);	/* after add_proc: it may move */
	if (!from)
		return;
	free(to->seen);
	to->seen_alloc = from->seen_alloc;
	to->seen_nr = from->seen_nr;
	to->seen = xmalloc(from->seen_alloc * sizeof(*to->seen));
	memcpy(to->seen, from->seen, from->seen_alloc * sizeof(*to->seen));
	to->walloc = to->nwatch = from->nwatch;
	to->watch = xmalloc((from->nwatch + 1) * sizeof(*to->watch));
	memcpy(to->watch, from->watch, from->nwatch * sizeof(*to->watch));
	for (i = 0; i < from->nchecked; i++)
		add_checked(to, from->checked[i], from->checked_time[i]);
}

/*
 * The files examined and descriptors found from mappings made at time
 * or later are the new program's (pf-record may read its mappings
 * before the exec event): they stay; the older ones go.
 */
void jit_capture_exec(struct jit_capture *jc, pid_t pid, uint64_t time)
{
	struct jit_proc *p = find_proc(jc, pid);
	size_t i, kept;

	if (!p) {
		add_proc(jc, pid);
		return;
	}
	for (i = kept = 0; i < p->nwatch; i++)
		if (p->watch[i].found >= time)
			p->watch[kept++] = p->watch[i];
	p->nwatch = kept;
	for (i = kept = 0; i < p->nchecked; i++) {
		if (p->checked_time[i] >= time) {
			p->checked_time[kept] = p->checked_time[i];
			p->checked[kept++] = p->checked[i];
		} else {
			free(p->checked[i]);
		}
	}
	p->nchecked = kept;
}

void jit_capture_exit(struct jit_capture *jc, pid_t pid)
{
	struct jit_proc *p = find_proc(jc, pid);

	if (p)
		p->gone = 1;
}

void jit_capture_totals(const struct jit_capture *jc, uint64_t *objects,
			uint64_t *descriptors, uint64_t *errors)
{
	*objects = jc->next_id - 1;
	*descriptors = jc->descriptors;
	*errors = jc->errors;
}

void jit_capture_lines(const struct jit_capture *jc, uint64_t *with_code,
		       uint64_t *with_lines)
{
	*with_code = jc->with_code;
	*with_lines = jc->with_lines;
}

void jit_capture_check_file(struct jit_capture *jc, pid_t pid,
			    const char *path, uint64_t start, uint64_t offset,
			    uint64_t time)
{
	struct jit_proc *p = find_proc(jc, pid);
	uint64_t addr;
	size_t i;

	if (!p)
		p = add_proc(jc, pid);	/* a process we did not see start */
	for (i = 0; i < p->nchecked; i++)
		if (!strcmp(p->checked[i], path))
			return;
	add_checked(p, path, time);
	addr = elf_symbol_address(path, start, offset, DESCRIPTOR_SYMBOL);
	if (!addr)
		return;
	for (i = 0; i < p->nwatch; i++)
		if (p->watch[i].addr == addr)
			return;
	ALLOC_GROW(p->watch, p->nwatch + 1, p->walloc);
	p->watch[p->nwatch].addr = addr;
	p->watch[p->nwatch].last_head = 0;
	p->watch[p->nwatch].found = time;
	p->nwatch++;
	jc->descriptors++;
	fprintf(jc->out, "meta jit-descriptor %" PRIx64 " ", addr);
	fput_field(jc->out, path);
	fprintf(jc->out, " %d\n", (int)pid);
}

static int read_memory(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };

	return process_vm_readv(tid, &local, 1, &remote, 1, 0) ==
		       (ssize_t)len ? 0 : -1;
}

static size_t seen_slot(const struct jit_proc *p, uint64_t entry,
			uint64_t symfile_addr)
{
	uint64_t h = (entry ^ (symfile_addr * 0x9e3779b97f4a7c15ull)) *
		     0xff51afd7ed558ccdull;

	return (size_t)(h >> 20) & (p->seen_alloc - 1);
}

static int seen_lookup(const struct jit_proc *p,
		       const struct seen_entry *e)
{
	size_t i = seen_slot(p, e->entry, e->symfile_addr);

	while (p->seen[i].entry) {
		if (!memcmp(&p->seen[i], e, sizeof(*e)))
			return 1;
		i = (i + 1) & (p->seen_alloc - 1);
	}
	return 0;
}

static void seen_insert(struct jit_proc *p, const struct seen_entry *e)
{
	size_t i;

	if (2 * (p->seen_nr + 1) > p->seen_alloc) {
		struct seen_entry *old = p->seen;
		size_t n = p->seen_alloc, k;

		p->seen_alloc *= 2;
		p->seen = xcalloc(p->seen_alloc, sizeof(*p->seen));
		p->seen_nr = 0;
		for (k = 0; k < n; k++)
			if (old[k].entry)
				seen_insert(p, &old[k]);
		free(old);
	}
	i = seen_slot(p, e->entry, e->symfile_addr);
	while (p->seen[i].entry)
		i = (i + 1) & (p->seen_alloc - 1);
	p->seen[i] = *e;
	p->seen_nr++;
}

static void write_object(struct jit_capture *jc, uint64_t id, uint64_t addr,
			 const unsigned char *data, size_t size, pid_t pid)
{
	size_t off;

	fprintf(jc->out, "jit %" PRIu64 " %" PRIu64 " %" PRIx64 " %zu %d\n",
		id, now_ns(), addr, size, (int)pid);
	for (off = 0; off < size; off += CHUNK) {
		size_t n = size - off < CHUNK ? size - off : CHUNK;

		fprintf(jc->out, "jitdata %" PRIu64 " %zu ", id, off);
		base64_write(jc->out, data + off, n);
		fputc('\n', jc->out);
	}
}

/*
 * jitcode ID ADDR BASE64: the code of the object's executable sections
 * as it lies in memory, where it runs.  The object carries its code
 * before relocation (calls, constant-pool loads); these are the bytes
 * that ran, for the instruction view.  A section that cannot be read
 * is skipped (pf-symbolize then has the object's bytes only).
 */
static void write_live_code(struct jit_capture *jc, pid_t tid, uint64_t id,
			    const unsigned char *image, size_t size)
{
	unsigned char chunk[CHUNK];
	Elf *elf = elf_memory((char *)image, size);
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	int code = 0, lines = 0;

	if (!elf)
		return;
	if (elf_getshdrstrndx(elf, &shstrndx))
		shstrndx = 0;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		uint64_t off;
		const char *name;

		if (gelf_getshdr(scn, &sh) && shstrndx &&
		    (name = elf_strptr(elf, shstrndx, sh.sh_name)) &&
		    !strcmp(name, ".debug_line"))
			lines = 1;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type == SHT_NOBITS ||
		    !(sh.sh_flags & SHF_EXECINSTR) ||
		    !(sh.sh_flags & SHF_ALLOC) || !sh.sh_addr ||
		    !sh.sh_size || sh.sh_size > MAX_OBJECT_SIZE)
			continue;
		for (off = 0; off < sh.sh_size; off += CHUNK) {
			size_t n = sh.sh_size - off < CHUNK ?
					   (size_t)(sh.sh_size - off) : CHUNK;

			if (read_memory(tid, sh.sh_addr + off, chunk, n)) {
				jc->errors++;
				break;
			}
			fprintf(jc->out, "jitcode %" PRIu64 " %" PRIx64 " ", id,
				sh.sh_addr + off);
			base64_write(jc->out, chunk, n);
			fputc('\n', jc->out);
		}
		code = 1;
	}
	jc->with_code += code;
	jc->with_lines += code && lines;
	elf_end(elf);
}

/* Copy one entry's object.  0, or -1 when its memory cannot be read. */
static int capture_entry(struct jit_capture *jc, pid_t pid, pid_t tid,
			 const struct jit_entry_image *e)
{
	size_t size = (size_t)e->symfile_size;

	if (e->symfile_size == 0 || e->symfile_size > MAX_OBJECT_SIZE)
		return -1;
	if (size > jc->buf_alloc) {
		free(jc->buf);
		jc->buf = xmalloc(size);
		jc->buf_alloc = size;
	}
	if (read_memory(tid, e->symfile_addr, jc->buf, size))
		return -1;
	write_object(jc, jc->next_id, e->symfile_addr, jc->buf, size, pid);
	if (jc->unwinder)
		unwinder_add_jit(jc->unwinder, jc->next_id, jc->buf, size);
	write_live_code(jc, tid, jc->next_id++, jc->buf, size);
	return 0;
}

static void poll_descriptor(struct jit_capture *jc, struct jit_proc *p,
			    struct watched *w, pid_t tid)
{
	struct jit_descriptor_image d;
	uint64_t entry;
	size_t walked = 0;

	if (read_memory(tid, w->addr, &d, sizeof(d)) || d.version != 1)
		return;
	if (d.first_entry == w->last_head)
		return;
	/*
	 * New objects are linked in at the head: walk until the first
	 * object we already have.
	 */
	for (entry = d.first_entry; entry && walked < MAX_WALK; walked++) {
		struct jit_entry_image e;
		struct seen_entry key;

		if (read_memory(tid, entry, &e, sizeof(e))) {
			jc->errors++;
			return;	/* unlinked under us: retry next poll */
		}
		key.entry = entry;
		key.symfile_addr = e.symfile_addr;
		key.symfile_size = e.symfile_size;
		if (seen_lookup(p, &key))
			break;
		/* An unreadable object is counted and not tried again. */
		if (capture_entry(jc, p->pid, tid, &e))
			jc->errors++;
		seen_insert(p, &key);
		entry = e.next_entry;
	}
	w->last_head = d.first_entry;
}

void jit_capture_unwind(struct jit_capture *jc, struct unwinder *u)
{
	jc->unwinder = u;
}

void jit_capture_poll(struct jit_capture *jc, pid_t pid, pid_t tid)
{
	struct jit_proc *p = find_proc(jc, pid);
	size_t i;

	for (i = 0; p && i < p->nwatch; i++)
		poll_descriptor(jc, p, &p->watch[i], tid);
}

void jit_capture_poll_all(struct jit_capture *jc)
{
	size_t i, j;

	for (i = 0; i < jc->nprocs; i++) {
		struct jit_proc *p = &jc->procs[i];

		for (j = 0; !p->gone && j < p->nwatch; j++)
			poll_descriptor(jc, p, &p->watch[j], p->pid);
	}
}
