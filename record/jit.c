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
};

/* An object already copied, so that it is written only once. */
struct seen_entry {
	uint64_t entry, symfile_addr, symfile_size;
};

struct jit_capture {
	pid_t pid;
	FILE *out;
	struct watched *watch;
	size_t nwatch, walloc;
	char **checked;		/* paths already examined */
	size_t nchecked, calloc_;
	struct seen_entry *seen; /* open-addressing hash set */
	size_t seen_nr, seen_alloc;
	uint64_t next_id, errors;
	uint64_t with_code, with_lines;	/* objects with code; and lines */
	unsigned char *buf;
	size_t buf_alloc;
	struct unwinder *unwinder;
};

struct jit_capture *jit_capture_new(pid_t pid, FILE *out)
{
	struct jit_capture *jc = xcalloc(1, sizeof(*jc));

	jc->pid = pid;
	jc->out = out;
	elf_version(EV_CURRENT);
	jc->next_id = 1;
	jc->seen_alloc = 1024;
	jc->seen = xcalloc(jc->seen_alloc, sizeof(*jc->seen));
	return jc;
}

void jit_capture_free(struct jit_capture *jc)
{
	size_t i;

	if (!jc)
		return;
	for (i = 0; i < jc->nchecked; i++)
		free(jc->checked[i]);
	free(jc->checked);
	free(jc->watch);
	free(jc->seen);
	free(jc->buf);
	free(jc);
}

void jit_capture_totals(const struct jit_capture *jc, uint64_t *objects,
			uint64_t *descriptors, uint64_t *errors)
{
	*objects = jc->next_id - 1;
	*descriptors = jc->nwatch;
	*errors = jc->errors;
}

void jit_capture_lines(const struct jit_capture *jc, uint64_t *with_code,
		       uint64_t *with_lines)
{
	*with_code = jc->with_code;
	*with_lines = jc->with_lines;
}

void jit_capture_check_file(struct jit_capture *jc, const char *path,
			    uint64_t start, uint64_t offset)
{
	uint64_t addr;
	size_t i;

	for (i = 0; i < jc->nchecked; i++)
		if (!strcmp(jc->checked[i], path))
			return;
	ALLOC_GROW(jc->checked, jc->nchecked + 1, jc->calloc_);
	jc->checked[jc->nchecked++] = xstrdup(path);
	addr = elf_symbol_address(path, start, offset, DESCRIPTOR_SYMBOL);
	if (!addr)
		return;
	for (i = 0; i < jc->nwatch; i++)
		if (jc->watch[i].addr == addr)
			return;
	ALLOC_GROW(jc->watch, jc->nwatch + 1, jc->walloc);
	jc->watch[jc->nwatch].addr = addr;
	jc->watch[jc->nwatch].last_head = 0;
	jc->nwatch++;
	fprintf(jc->out, "meta jit-descriptor %" PRIx64 " ", addr);
	fput_field(jc->out, path);
	fputc('\n', jc->out);
}

static int read_memory(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };

	return process_vm_readv(tid, &local, 1, &remote, 1, 0) ==
		       (ssize_t)len ? 0 : -1;
}

static size_t seen_slot(const struct jit_capture *jc, uint64_t entry,
			uint64_t symfile_addr)
{
	uint64_t h = (entry ^ (symfile_addr * 0x9e3779b97f4a7c15ull)) *
		     0xff51afd7ed558ccdull;

	return (size_t)(h >> 20) & (jc->seen_alloc - 1);
}

static int seen_lookup(const struct jit_capture *jc,
		       const struct seen_entry *e)
{
	size_t i = seen_slot(jc, e->entry, e->symfile_addr);

	while (jc->seen[i].entry) {
		if (!memcmp(&jc->seen[i], e, sizeof(*e)))
			return 1;
		i = (i + 1) & (jc->seen_alloc - 1);
	}
	return 0;
}

static void seen_insert(struct jit_capture *jc, const struct seen_entry *e)
{
	size_t i;

	if (2 * (jc->seen_nr + 1) > jc->seen_alloc) {
		struct seen_entry *old = jc->seen;
		size_t n = jc->seen_alloc, k;

		jc->seen_alloc *= 2;
		jc->seen = xcalloc(jc->seen_alloc, sizeof(*jc->seen));
		jc->seen_nr = 0;
		for (k = 0; k < n; k++)
			if (old[k].entry)
				seen_insert(jc, &old[k]);
		free(old);
	}
	i = seen_slot(jc, e->entry, e->symfile_addr);
	while (jc->seen[i].entry)
		i = (i + 1) & (jc->seen_alloc - 1);
	jc->seen[i] = *e;
	jc->seen_nr++;
}

static void write_object(struct jit_capture *jc, uint64_t id, uint64_t addr,
			 const unsigned char *data, size_t size)
{
	size_t off;

	fprintf(jc->out, "jit %" PRIu64 " %" PRIu64 " %" PRIx64 " %zu\n", id,
		now_ns(), addr, size);
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
static int capture_entry(struct jit_capture *jc, pid_t tid,
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
	write_object(jc, jc->next_id, e->symfile_addr, jc->buf, size);
	if (jc->unwinder)
		unwinder_add_jit(jc->unwinder, jc->next_id, jc->buf, size);
	write_live_code(jc, tid, jc->next_id++, jc->buf, size);
	return 0;
}

static void poll_descriptor(struct jit_capture *jc, struct watched *w,
			    pid_t tid)
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
		if (seen_lookup(jc, &key))
			break;
		/* An unreadable object is counted and not tried again. */
		if (capture_entry(jc, tid, &e))
			jc->errors++;
		seen_insert(jc, &key);
		entry = e.next_entry;
	}
	w->last_head = d.first_entry;
}

void jit_capture_unwind(struct jit_capture *jc, struct unwinder *u)
{
	jc->unwinder = u;
}

void jit_capture_poll(struct jit_capture *jc, pid_t tid)
{
	size_t i;

	for (i = 0; i < jc->nwatch; i++)
		poll_descriptor(jc, &jc->watch[i], tid);
}
