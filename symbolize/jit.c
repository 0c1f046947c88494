/* jit.c - see jit.h */
#include "jit.h"
#include "base64.h"
#include "elfmap.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* pf-record copies objects of up to 1 GiB. */
#define MAX_OBJECT_SIZE (1ull << 30)
/* A jitdata record carries at most this many bytes. */
#define MAX_CHUNK 3072

void jit_set_init(struct jit_set *js, struct range_index *code)
{
	memset(js, 0, sizeof(*js));
	hashmap_init(&js->byid);
	js->code = code;
	elf_version(EV_CURRENT);
}

static void free_chunks(struct jit_chunk *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(c[i].data);
	free(c);
}

void jit_set_release(struct jit_set *js)
{
	size_t i, j;

	for (i = 0; i < js->nr; i++) {
		free_chunks(js->obj[i].chunk, js->obj[i].chunk_nr);
		free(js->obj[i].image);
		free(js->obj[i].name);
		free(js->obj[i].main_file);
		free(js->obj[i].main_linkage);
		for (j = 0; j < js->obj[i].live_nr; j++)
			free(js->obj[i].live[j].bytes);
		free(js->obj[i].live);
	}
	free_chunks(js->orphan, js->orphan_nr);
	free(js->obj);
	hashmap_release(&js->byid);
	memset(js, 0, sizeof(*js));
}

static void add_to(struct jit_object *o, const struct jit_chunk *c)
{
	ALLOC_GROW(o->chunk, o->chunk_nr + 1, o->chunk_alloc);
	o->chunk[o->chunk_nr++] = *c;
	o->received += c->len;
}

static void try_complete(struct jit_set *js, struct jit_object *o, int last);

int jit_add_object(struct jit_set *js, char **f, size_t n, uint64_t lineno)
{
	struct jit_object o;
	size_t *slot, i, kept;
	int added;

	memset(&o, 0, sizeof(o));
	if (n < 5 || parse_u64(f[1], 10, 1, UINT64_MAX, &o.id) ||
	    parse_u64(f[2], 10, 0, UINT64_MAX, &o.time) ||
	    parse_u64(f[3], 16, 0, UINT64_MAX, &o.addr) ||
	    parse_u64(f[4], 10, 1, MAX_OBJECT_SIZE, &o.size))
		return -1;
	/* PID: the process it is of (pf-record since issue 12). */
	if (n > 5) {
		uint64_t pid;

		if (parse_u64(f[5], 10, 1, UINT32_MAX, &pid))
			return -1;
		o.pid = (uint32_t)pid;
	}
	o.lineno = lineno;
	slot = hashmap_insert(&js->byid, &o.id, sizeof(o.id), &added);
	if (!added) {
		warn("line %" PRIu64 ": jit object %" PRIu64
		     " already defined at line %" PRIu64, lineno, o.id,
		     js->obj[*slot].lineno);
		js->nr_bad_lines++;
		o.unusable = 1;		/* never opened, not counted */
		o.duplicate = 1;	/* and gets no object record */
		o.complete = 1;
	} else {
		*slot = js->nr;
	}
	ALLOC_GROW(js->obj, js->nr + 1, js->alloc);
	js->obj[js->nr++] = o;
	if (o.duplicate || !js->orphan_nr)
		return 0;
	/* Chunks that came before their jit record are its own. */
	for (i = kept = 0; i < js->orphan_nr; i++) {
		if (js->orphan[i].id == o.id)
			add_to(&js->obj[js->nr - 1], &js->orphan[i]);
		else
			js->orphan[kept++] = js->orphan[i];
	}
	js->orphan_nr = kept;
	try_complete(js, &js->obj[js->nr - 1], 0);
	return 0;
}

int jit_add_chunk(struct jit_set *js, char **f, size_t n, uint64_t lineno)
{
	struct jit_object *o;
	struct jit_chunk c;
	size_t len, *slot;
	long got;

	memset(&c, 0, sizeof(c));
	if (n < 4 || parse_u64(f[1], 10, 1, UINT64_MAX, &c.id) ||
	    parse_u64(f[2], 10, 0, MAX_OBJECT_SIZE, &c.offset))
		return -1;
	f[3][strcspn(f[3], " ")] = '\0';	/* ignore later fields */
	len = strlen(f[3]);
	if (len == 0 || len > MAX_CHUNK / 3 * 4)
		return -1;
	c.data = xmalloc(BASE64_DECODED_MAX(len));
	got = base64_decode(f[3], len, c.data);
	if (got <= 0 || got > MAX_CHUNK) {
		free(c.data);
		return -1;
	}
	c.len = (size_t)got;
	c.lineno = lineno;
	slot = hashmap_find(&js->byid, &c.id, sizeof(c.id));
	if (!slot) {
		ALLOC_GROW(js->orphan, js->orphan_nr + 1, js->orphan_alloc);
		js->orphan[js->orphan_nr++] = c;
		return 0;
	}
	o = &js->obj[*slot];
	if (o->complete) {
		free(c.data);
		if (o->unusable)
			return 0;	/* said so already */
		warn("line %" PRIu64 ": jitdata for jit object %" PRIu64
		     " after it was complete", lineno, c.id);
		js->nr_bad_lines++;
		return 0;
	}
	add_to(o, &c);
	try_complete(js, o, 0);
	return 0;
}

static void unusable(struct jit_set *js, struct jit_object *o,
		     const char *fmt, ...) PF_PRINTF(3, 4);

static void unusable(struct jit_set *js, struct jit_object *o,
		     const char *fmt, ...)
{
	char reason[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	warn("line %" PRIu64 ": jit object %" PRIu64 " unusable: %s",
	     o->lineno, o->id, reason);
	if (!o->unusable)
		js->nr_unusable++;
	o->unusable = 1;
}

static int cmp_chunk(const void *a, const void *b)
{
	const struct jit_chunk *x = a, *y = b;

	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return x->lineno < y->lineno ? -1 : x->lineno > y->lineno;
}

/*
 * Copy o's chunks (sorted by offset) into o->image, or say why not;
 * 1 when bytes are missing and more may come (not last).
 */
static int assemble(struct jit_set *js, struct jit_object *o, int last)
{
	const struct jit_chunk *chunks = o->chunk;
	size_t i, n = o->chunk_nr;
	uint64_t covered = 0;

	if (n)
		qsort(o->chunk, n, sizeof(*o->chunk), cmp_chunk);
	for (i = 0; i < n; i++) {
		const struct jit_chunk *c = &chunks[i];

		if (c->offset > covered)
			break;
		if (c->offset + c->len > o->size) {
			unusable(js, o, "jitdata at line %" PRIu64
				 " goes past its size %" PRIu64,
				 c->lineno, o->size);
			return 0;
		}
		if (c->offset + c->len > covered)
			covered = c->offset + c->len;
	}
	if (covered < o->size) {
		if (!last)
			return 1;
		unusable(js, o, "bytes %" PRIu64 " to %" PRIu64
			 " of %" PRIu64 " missing", covered,
			 (i < n ? chunks[i].offset : o->size) - 1, o->size);
		return 0;
	}
	o->image = xmalloc(o->size);
	for (i = 0; i < n; i++)
		memcpy(o->image + chunks[i].offset, chunks[i].data,
		       chunks[i].len);
	return 0;
}

/*
 * Check the ELF image of o, find its base, and add its executable
 * sections to code.  Trusts nothing in the image: every section must
 * lie inside it.
 */
static void index_object(struct jit_set *js, struct jit_object *o,
			 uint32_t owner, struct range_index *code)
{
	Elf *elf = elf_memory((char *)o->image, o->size);
	GElf_Ehdr ehdr;
	uint64_t base = UINT64_MAX;
	size_t i, nsec;

	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		unusable(js, o, "not an ELF object");
		goto out;
	}
	if (!gelf_getehdr(elf, &ehdr)) {
		unusable(js, o, "bad ELF header: %s", elf_errmsg(-1));
		goto out;
	}
	if (ehdr.e_type != ET_REL) {
		unusable(js, o, "ELF type %u, expected a relocatable object",
			 (unsigned)ehdr.e_type);
		goto out;
	}
	if (elf_getshdrnum(elf, &nsec)) {
		unusable(js, o, "bad section headers: %s", elf_errmsg(-1));
		goto out;
	}
	/* libelf quietly ignores section headers past the end. */
	if (nsec < 2 || ehdr.e_shentsize == 0 || ehdr.e_shoff > o->size ||
	    (o->size - ehdr.e_shoff) / ehdr.e_shentsize < nsec) {
		unusable(js, o, "truncated: section headers missing");
		goto out;
	}
	for (i = 1; i < nsec; i++) {
		Elf_Scn *scn = elf_getscn(elf, i);
		GElf_Shdr sh;

		if (!scn || !gelf_getshdr(scn, &sh)) {
			unusable(js, o, "bad section header %zu: %s", i,
				 elf_errmsg(-1));
			goto out;
		}
		if (sh.sh_type != SHT_NOBITS &&
		    (sh.sh_offset > o->size ||
		     sh.sh_size > o->size - sh.sh_offset)) {
			unusable(js, o, "truncated: section %zu goes past the "
				 "end", i);
			goto out;
		}
		if (!(sh.sh_flags & SHF_ALLOC) || sh.sh_addr == 0)
			continue;
		if (sh.sh_addr + sh.sh_size < sh.sh_addr) {
			unusable(js, o, "section %zu wraps around", i);
			goto out;
		}
		if (sh.sh_addr < base)
			base = sh.sh_addr;
		/* An object without code (Numba makes some) is no error. */
		if ((sh.sh_flags & SHF_EXECINSTR) && sh.sh_size > 0)
			range_index_add(code, sh.sh_addr,
					sh.sh_addr + sh.sh_size, o->time, o->pid,
					owner);
	}
	/* No section at an address: opened only to read its names. */
	o->base = base == UINT64_MAX ? 0 : base;
out:
	elf_end(elf);
}

/*
 * Assemble and check o once its chunks may cover it (at the end of the
 * input, last: whatever it has), then index its code.
 */
static void try_complete(struct jit_set *js, struct jit_object *o, int last)
{
	if (o->complete || (!last && o->received < o->size))
		return;
	if (assemble(js, o, last))
		return;		/* overlapping chunks: more to come */
	o->complete = 1;
	js->nr_complete++;
	free_chunks(o->chunk, o->chunk_nr);
	o->chunk = NULL;
	o->chunk_nr = o->chunk_alloc = 0;
	if (o->image)
		index_object(js, o, (uint32_t)(o - js->obj), js->code);
}

static int cmp_chunk_line(const void *a, const void *b)
{
	const struct jit_chunk *x = a, *y = b;

	return x->lineno < y->lineno ? -1 : x->lineno > y->lineno;
}

void jit_set_finish(struct jit_set *js)
{
	size_t i;

	for (i = 0; i < js->nr; i++)
		try_complete(js, &js->obj[i], 1);
	if (js->orphan_nr)
		qsort(js->orphan, js->orphan_nr, sizeof(*js->orphan),
		      cmp_chunk_line);
	for (i = 0; i < js->orphan_nr; i++) {
		warn("line %" PRIu64 ": jitdata for unknown jit object %" PRIu64,
		     js->orphan[i].lineno, js->orphan[i].id);
		js->nr_bad_lines++;
	}
	free_chunks(js->orphan, js->orphan_nr);
	js->orphan = NULL;
	js->orphan_nr = js->orphan_alloc = 0;
}

/* Bytes an x86-64 relocation of type t patches. */
static size_t reloc_width(uint32_t t)
{
	switch (t) {
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
	case R_X86_64_32:
	case R_X86_64_32S:
	case R_X86_64_GOTPCREL:
	case R_X86_64_GOTPCRELX:
	case R_X86_64_REX_GOTPCRELX:
		return 4;
	case R_X86_64_16:
	case R_X86_64_PC16:
		return 2;
	case R_X86_64_8:
	case R_X86_64_PC8:
		return 1;
	default:
		return 8;	/* 64-bit ones, and any other: the most */
	}
}

/*
 * Mark in patched[0..len) the bytes of [start, start + len) of section
 * shndx that a relocation of the object patches.
 */
static void mark_relocated(Elf *elf, size_t shndx, uint64_t start,
			   size_t len, unsigned char *patched)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;
		size_t i, nrel;

		if (!gelf_getshdr(scn, &sh) ||
		    (sh.sh_type != SHT_RELA && sh.sh_type != SHT_REL) ||
		    sh.sh_info != shndx || !sh.sh_entsize ||
		    !(data = elf_getdata(scn, NULL)))
			continue;
		nrel = sh.sh_size / sh.sh_entsize;
		for (i = 0; i < nrel; i++) {
			GElf_Rela rela;
			GElf_Rel rel;
			uint64_t off, w, b;

			if (sh.sh_type == SHT_RELA) {
				if (!gelf_getrela(data, (int)i, &rela))
					break;
				off = rela.r_offset;
				w = reloc_width(GELF_R_TYPE(rela.r_info));
			} else {
				if (!gelf_getrel(data, (int)i, &rel))
					break;
				off = rel.r_offset;
				w = reloc_width(GELF_R_TYPE(rel.r_info));
			}
			for (b = off; b < off + w; b++)
				if (b >= start && b - start < len)
					patched[b - start] = 1;
		}
	}
}

/*
 * Compare len bytes of code that ran at addr with object o: 0 when they
 * agree outside relocations, 1 when they do not, -1 when addr is not in
 * an executable section of o.
 */
static int check_code(const struct jit_object *o, uint64_t addr,
		      const unsigned char *live, size_t len)
{
	Elf *elf = elf_memory((char *)o->image, o->size);
	unsigned char *patched;
	Elf_Scn *scn;
	GElf_Shdr sh;
	uint64_t start;
	size_t i;
	int ret = 0;

	if (!elf)
		return -1;
	if (!(scn = elf_code_section(elf, addr, len, &sh))) {
		elf_end(elf);
		return -1;
	}
	/* index_object() checked the section lies in the image. */
	start = addr - sh.sh_addr;
	patched = xcalloc(len ? len : 1, 1);
	mark_relocated(elf, elf_ndxscn(scn), start, len, patched);
	for (i = 0; i < len; i++)
		if (!patched[i] && live[i] != o->image[sh.sh_offset + start + i]) {
			ret = 1;
			break;
		}
	free(patched);
	elf_end(elf);
	return ret;
}

int jit_add_code(struct jit_set *js, char **f, size_t n, uint64_t lineno)
{
	unsigned char live[MAX_CHUNK];
	struct jit_object *o;
	uint64_t id, addr;
	size_t len, *slot;
	long got;
	int r;

	if (n < 4 || parse_u64(f[1], 10, 1, UINT64_MAX, &id) ||
	    parse_u64(f[2], 16, 0, UINT64_MAX, &addr))
		return -1;
	f[3][strcspn(f[3], " ")] = '\0';	/* ignore later fields */
	len = strlen(f[3]);
	if (len == 0 || len > MAX_CHUNK / 3 * 4)
		return -1;
	got = base64_decode(f[3], len, live);
	if (got <= 0 || got > MAX_CHUNK)
		return -1;
	slot = hashmap_find(&js->byid, &id, sizeof(id));
	if (!slot)
		return -1;
	o = &js->obj[*slot];
	if (!o->complete || o->unusable)
		return 0;	/* nothing to compare with (said elsewhere) */
	r = check_code(o, addr, live, (size_t)got);
	if (r < 0)
		return -1;
	ALLOC_GROW(o->live, o->live_nr + 1, o->live_alloc);
	o->live[o->live_nr].addr = addr;
	o->live[o->live_nr].len = (size_t)got;
	o->live[o->live_nr].bytes = xmalloc((size_t)got);
	memcpy(o->live[o->live_nr].bytes, live, (size_t)got);
	o->live_nr++;
	if (r > 0 && !o->code_differs) {
		o->code_differs = 1;
		warn("line %" PRIu64 ": jit object %" PRIu64 ": the code that "
		     "ran at %" PRIx64 " is not the object's, outside its "
		     "relocations", lineno, id, addr);
	}
	return 0;
}

const char *const code_source_names[] = {
	[CODE_LIVE] = "live",
	[CODE_OBJECT] = "object",
	[CODE_FILE] = "file",
	[CODE_NONE] = "none",
};

enum code_source jit_code_bytes(const struct jit_object *o, uint64_t addr,
				size_t len, unsigned char *out)
{
	Elf *elf;
	GElf_Shdr sh;
	unsigned char *covered;
	enum code_source ret = CODE_NONE;
	size_t i, j;

	if (!o->complete || o->unusable || !o->image ||
	    !(elf = elf_memory((char *)o->image, o->size)))
		return CODE_NONE;
	if (elf_code_section(elf, addr, len, &sh)) {
		/* index_object() checked the section lies in the image. */
		memcpy(out, o->image + sh.sh_offset + (addr - sh.sh_addr),
		       len);
		ret = CODE_OBJECT;
	}
	elf_end(elf);
	if (ret == CODE_NONE || !o->live_nr)
		return ret;
	covered = xcalloc(len ? len : 1, 1);
	for (i = 0; i < o->live_nr; i++) {
		const struct jit_live *l = &o->live[i];
		uint64_t lo = l->addr > addr ? l->addr : addr;
		uint64_t hi = l->addr + l->len < addr + len ? l->addr + l->len
							     : addr + len;

		if (lo >= hi)
			continue;
		memcpy(out + (lo - addr), l->bytes + (lo - l->addr), hi - lo);
		memset(covered + (lo - addr), 1, hi - lo);
	}
	ret = CODE_LIVE;
	for (j = 0; j < len; j++)
		if (!covered[j])
			ret = CODE_OBJECT;
	free(covered);
	return ret;
}

/* Sections of a JIT object are where their headers say. */
static int section_address(Dwfl_Module *mod, void **userdata,
			   const char *modname, Dwarf_Addr base,
			   const char *secname, GElf_Word shndx,
			   const GElf_Shdr *shdr, Dwarf_Addr *addr)
{
	(void)mod, (void)userdata, (void)modname, (void)base, (void)secname;
	(void)shndx;
	*addr = shdr->sh_addr ? shdr->sh_addr : (Dwarf_Addr)-1;
	return 0;
}

/* The object carries its own DWARF: never look elsewhere. */
static int no_debuginfo(Dwfl_Module *mod, void **userdata,
			const char *modname, Dwarf_Addr base,
			const char *file_name, const char *debuglink_file,
			GElf_Word debuglink_crc, char **debuginfo_file_name)
{
	(void)mod, (void)userdata, (void)modname, (void)base;
	(void)file_name, (void)debuglink_file, (void)debuglink_crc;
	(void)debuginfo_file_name;
	return -1;
}

static const Dwfl_Callbacks jit_callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = no_debuginfo,
	.section_address = section_address,
};

/*
 * libdwfl lays out a relocatable object from a base it first rounds up
 * to 256 bytes, and moves the base again for each section that its
 * running minimum of the addresses seen so far says is off its
 * alignment; after such a move it relocates the DWARF by the move as
 * well and then reports that bias once more (elfutils 0.188).  So an
 * object whose lowest section is off that grid, or whose sections come
 * in another order than their addresses (LLVM may put .rodata below
 * .text, at any alignment), lost its lines.  Hand libdwfl a copy whose
 * section headers need no move: every loaded section lower by the same
 * delta, which puts the lowest on the grid, and alignments of 1.  The
 * code that ran at A is then at A - delta for libdwfl, symbols and
 * DWARF alike.
 */
#define LAYOUT_GRID 256

/* Write the section headers of the copy into fd; 0 or -1. */
static int write_moved_headers(const struct jit_object *o, int fd,
			       uint64_t delta)
{
	Elf64_Ehdr eh;
	size_t i;

	if (o->size < sizeof(eh) || o->image[EI_CLASS] != ELFCLASS64)
		return -1;
	memcpy(&eh, o->image, sizeof(eh));
	if (eh.e_shentsize != sizeof(Elf64_Shdr))
		return -1;
	/* index_object() checked that the headers lie inside the image. */
	for (i = 1; i < eh.e_shnum; i++) {
		off_t at = (off_t)(eh.e_shoff + i * sizeof(Elf64_Shdr));
		Elf64_Shdr sh;

		memcpy(&sh, o->image + at, sizeof(sh));
		if (!(sh.sh_flags & SHF_ALLOC))
			continue;
		if (sh.sh_addr)
			sh.sh_addr -= delta;
		sh.sh_addralign = 1;
		if (pwrite(fd, &sh, sizeof(sh), at) != (ssize_t)sizeof(sh))
			return -1;
	}
	return 0;
}

/* Did libdwfl put everything at its address less delta, and no more? */
static int placed_as_asked(struct jit_object *o, Dwfl_Module *mod,
			   uint64_t delta)
{
	GElf_Addr bias;
	Dwarf_Addr dwbias;
	Elf *placed = dwfl_module_getelf(mod, &bias);
	Elf *orig = elf_memory((char *)o->image, o->size);
	Elf_Scn *a = NULL, *b = NULL;
	int ret = -1;

	if (!placed || !orig || bias != 0)
		goto out;
	/* No DWARF is fine (symbols only); DWARF elsewhere is not. */
	if (dwfl_module_getdwarf(mod, &dwbias) && dwbias != 0)
		goto out;
	while ((a = elf_nextscn(orig, a))) {
		GElf_Shdr sa, sb;

		b = elf_nextscn(placed, b);
		if (!b || !gelf_getshdr(a, &sa) || !gelf_getshdr(b, &sb))
			goto out;
		if ((sa.sh_flags & SHF_EXECINSTR) && sa.sh_addr &&
		    sa.sh_addr - delta != sb.sh_addr)
			goto out;
	}
	ret = 0;
out:
	elf_end(orig);
	return ret;
}

Dwfl *jit_open(struct jit_set *js, size_t i, Dwfl_Module **mod)
{
	struct jit_object *o = &js->obj[i];
	char name[32];
	Dwfl *dwfl = NULL;
	uint64_t delta;
	size_t done;
	int fd;

	if (o->unusable || !o->image)
		return NULL;
	snprintf(name, sizeof(name), "jit:%" PRIu64, o->id);
	fd = memfd_create(name, MFD_CLOEXEC);
	if (fd < 0) {
		unusable(js, o, "memfd_create: %s", strerror(errno));
		return NULL;
	}
	for (done = 0; done < o->size;) {
		ssize_t w = write(fd, o->image + done, o->size - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			unusable(js, o, "writing to memfd: %s",
				 strerror(errno));
			close(fd);
			return NULL;
		}
		done += (size_t)w;
	}
	delta = o->base % LAYOUT_GRID;
	if (write_moved_headers(o, fd, delta)) {
		unusable(js, o, "cannot lay out its sections for libdwfl");
		close(fd);
		return NULL;
	}
	dwfl = dwfl_begin(&jit_callbacks);
	if (!dwfl) {
		close(fd);
		unusable(js, o, "%s", dwfl_errmsg(-1));
		return NULL;
	}
	dwfl_report_begin(dwfl);
	/* On success the module owns fd; on failure it is still ours. */
	*mod = dwfl_report_elf(dwfl, name, name, fd, o->base - delta, false);
	if (!*mod) {
		close(fd);
		unusable(js, o, "%s", dwfl_errmsg(-1));
		goto fail;
	}
	if (dwfl_report_end(dwfl, NULL, NULL) != 0) {
		unusable(js, o, "%s", dwfl_errmsg(-1));
		goto fail;
	}
	if (placed_as_asked(o, *mod, delta)) {
		unusable(js, o, "libdwfl would not place it at its addresses");
		goto fail;
	}
	o->shift = -delta;
	return dwfl;
fail:
	dwfl_end(dwfl);
	return NULL;
}
