/*
 * cfi.c - the call frame information of every address of a process.
 *
 * Three kinds of code: files mapped from disk (their .eh_frame, found
 * through .eh_frame_hdr, else their .debug_frame), the vDSO (the same
 * image in every process of this kernel, so pf-record's own), and the
 * JIT objects pf-record captures.  A JIT object is relocatable: its
 * .eh_frame (LLVM's, for Numba) or .debug_frame (the test fixture's)
 * names its functions by relocations that the JIT applied in the
 * process, not in the object.  We apply them to a copy, with the
 * symbols' sections at the sh_addr the JIT wrote into the object, so
 * that libdw reads process addresses.
 *
 * The rules of an address (where the caller's CFA, return address and
 * saved registers are) come from dwarf_cfi_addrframe() the first time
 * the address is unwound, and are kept in a table keyed by address:
 * a program's stacks pass through the same return addresses again and
 * again, so nearly every frame of an unwind is one hash lookup.
 */
#include "cfi.h"
#include "elfmap.h"
#include "hash.h"
#include "util.h"

#include <dwarf.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

struct source {
	char *name;		/* the path, "[vdso]" or "jit:ID" */
	int fd;
	unsigned char *image;	/* owned bytes: the vDSO, a JIT object */
	size_t size;
	Elf *elf;
	Dwarf *dwarf;		/* for .debug_frame */
	Dwarf_CFI *eh, *debug;
	int opened;		/* tried to open (elf may still be NULL) */
};

struct range {
	uint64_t start, end;
	uint64_t offset;	/* of the file mapping at start */
	int64_t bias;		/* process address - address in the CFI */
	int bias_known;
	size_t source;
};

struct cfi_table {
	struct source *src;
	size_t nsrc, src_alloc;
	struct hashmap by_name;	/* file path -> source */
	struct range *ranges;	/* sorted by start, disjoint */
	size_t nranges, ranges_alloc;
	struct hashmap rules;	/* pc -> index in rule, or 0: none */
	struct cfi_rule **rule;	/* [0] unused */
	size_t nrule, rule_alloc;
};

struct cfi_table *cfi_table_new(void)
{
	struct cfi_table *t = xcalloc(1, sizeof(*t));

	elf_version(EV_CURRENT);
	hashmap_init(&t->by_name);
	hashmap_init(&t->rules);
	ALLOC_GROW(t->rule, 1, t->rule_alloc);
	t->nrule = 1;
	return t;
}

static void free_rule(struct cfi_rule *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nregs; i++)
		free(r->regs[i].ops);
	free(r->cfa_ops);
	free(r);
}

static void forget_rules(struct cfi_table *t)
{
	size_t i;

	for (i = 1; i < t->nrule; i++)
		free_rule(t->rule[i]);
	t->nrule = 1;
	hashmap_release(&t->rules);
	hashmap_init(&t->rules);
}

void cfi_table_free(struct cfi_table *t)
{
	size_t i;

	if (!t)
		return;
	forget_rules(t);
	free(t->rule);
	hashmap_release(&t->rules);
	for (i = 0; i < t->nsrc; i++) {
		struct source *s = &t->src[i];

		/* dwarf_end frees the CFI of .debug_frame with the Dwarf. */
		if (s->eh)
			dwarf_cfi_end(s->eh);
		if (s->dwarf)
			dwarf_end(s->dwarf);
		if (s->elf)
			elf_end(s->elf);
		if (s->fd >= 0)
			close(s->fd);
		free(s->image);
		free(s->name);
	}
	free(t->src);
	hashmap_release(&t->by_name);
	free(t->ranges);
	free(t);
}

static size_t new_source(struct cfi_table *t, const char *name)
{
	struct source *s;

	ALLOC_GROW(t->src, t->nsrc + 1, t->src_alloc);
	s = &t->src[t->nsrc];
	memset(s, 0, sizeof(*s));
	s->name = xstrdup(name);
	s->fd = -1;
	return t->nsrc++;
}

/* Does elf have a section of this name with contents? */
static int has_section(Elf *elf, const char *name)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return 0;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *n;

		if (gelf_getshdr(scn, &sh) && sh.sh_type != SHT_NOBITS &&
		    (n = elf_strptr(elf, shstrndx, sh.sh_name)) &&
		    !strcmp(n, name))
			return 1;
	}
	return 0;
}

/* Find the CFI of an ELF handle already open in s->elf. */
static void open_cfi(struct source *s)
{
	if (!s->elf || elf_kind(s->elf) != ELF_K_ELF)
		return;
	s->eh = dwarf_getcfi_elf(s->elf);
	if (has_section(s->elf, ".debug_frame")) {
		s->dwarf = dwarf_begin_elf(s->elf, DWARF_C_READ, NULL);
		if (s->dwarf)
			s->debug = dwarf_getcfi(s->dwarf);
	}
}

static void open_file(struct source *s)
{
	s->opened = 1;
	s->fd = open(s->name, O_RDONLY | O_CLOEXEC);
	if (s->fd < 0)
		return;
	s->elf = elf_begin(s->fd, ELF_C_READ_MMAP, NULL);
	open_cfi(s);
}

/*
 * Insert [start, end) of source, cutting away what it covers of older
 * ranges (a mapping over an old one replaces it).
 */
static void add_range(struct cfi_table *t, uint64_t start, uint64_t end,
		      uint64_t offset, size_t source, int64_t bias,
		      int bias_known)
{
	struct range *r, add = { start, end, offset, bias, bias_known,
				 source };
	size_t i, lo = 0, hi = t->nranges, at;
	int cut = 0;

	if (start >= end)
		return;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->ranges[mid].end <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	at = lo;
	/* Ranges from at on end after start; cut those that begin before end. */
	for (i = at; i < t->nranges && t->ranges[i].start < end;) {
		r = &t->ranges[i];
		cut = 1;
		if (r->start < start && r->end > end) {
			/* Split: the part after end becomes its own range. */
			struct range tail = *r;

			tail.offset += end - r->start;
			tail.start = end;
			r->end = start;
			ALLOC_GROW(t->ranges, t->nranges + 1, t->ranges_alloc);
			memmove(&t->ranges[i + 2], &t->ranges[i + 1],
				(t->nranges - i - 1) * sizeof(*t->ranges));
			t->ranges[i + 1] = tail;
			t->nranges++;
			at = i + 1;
			break;
		}
		if (r->start < start) {
			r->end = start;
			i++;
			at = i;
		} else if (r->end > end) {
			r->offset += end - r->start;
			r->start = end;
			break;
		} else {
			memmove(r, r + 1,
				(t->nranges - i - 1) * sizeof(*t->ranges));
			t->nranges--;
		}
	}
	ALLOC_GROW(t->ranges, t->nranges + 1, t->ranges_alloc);
	memmove(&t->ranges[at + 1], &t->ranges[at],
		(t->nranges - at) * sizeof(*t->ranges));
	t->ranges[at] = add;
	t->nranges++;
	if (cut)
		forget_rules(t);	/* old code's rules no longer hold */
}

void cfi_add_file(struct cfi_table *t, uint64_t start, uint64_t end,
		  uint64_t offset, const char *path)
{
	int added;
	size_t *slot = hashmap_insert(&t->by_name, path, strlen(path), &added);

	if (added)
		*slot = new_source(t, path);
	add_range(t, start, end, offset, *slot, 0, 0);
}

/* The size of the ELF image at p: its section headers come last. */
static size_t vdso_size(const unsigned char *p)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	size_t size, i;

	memcpy(&eh, p, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64)
		return 0;
	size = eh.e_shoff + (size_t)eh.e_shnum * eh.e_shentsize;
	for (i = 0; i < eh.e_phnum; i++) {
		memcpy(&ph, p + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type == PT_LOAD && ph.p_offset + ph.p_filesz > size)
			size = ph.p_offset + ph.p_filesz;
	}
	return size;
}

void cfi_add_vdso(struct cfi_table *t, uint64_t start, uint64_t end)
{
	const unsigned char *ours =
		(const unsigned char *)(uintptr_t)getauxval(AT_SYSINFO_EHDR);
	int added;
	size_t *slot = hashmap_insert(&t->by_name, "[vdso]", 6, &added);
	struct source *s;

	if (added) {
		*slot = new_source(t, "[vdso]");
		s = &t->src[*slot];
		s->opened = 1;
		if (ours && (s->size = vdso_size(ours)) &&
		    s->size <= end - start) {
			s->image = xmalloc(s->size);
			memcpy(s->image, ours, s->size);
			s->elf = elf_memory((char *)s->image, s->size);
			open_cfi(s);
		}
	}
	add_range(t, start, end, 0, *slot, 0, 0);
}

/* The address an x86-64 relocation's symbol stands for, or -1. */
static int symbol_address(Elf *elf, Elf_Data *syms, size_t symndx,
			  uint64_t *value)
{
	GElf_Sym sym;
	GElf_Shdr sh;

	if (!gelf_getsym(syms, (int)symndx, &sym))
		return -1;
	if (sym.st_shndx == SHN_UNDEF)
		return -1;	/* a personality routine: not needed */
	if (sym.st_shndx == SHN_ABS) {
		*value = sym.st_value;
		return 0;
	}
	if (!gelf_getshdr(elf_getscn(elf, sym.st_shndx), &sh))
		return -1;
	*value = sh.sh_addr + sym.st_value;
	return 0;
}

/*
 * Apply the relocations of the sections called .eh_frame and
 * .debug_frame of the relocatable image (in place): S + A, or S + A - P
 * for the PC-relative ones, P the target's sh_addr plus the offset.
 */
static void relocate_frames(unsigned char *image, size_t size)
{
	Elf *elf = elf_memory((char *)image, size);
	size_t shstrndx;
	Elf_Scn *scn = NULL;

	if (!elf || elf_kind(elf) != ELF_K_ELF ||
	    elf_getshdrstrndx(elf, &shstrndx)) {
		elf_end(elf);
		return;
	}
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr rsh, tsh, ssh;
		Elf_Data *rel, *syms;
		const char *name;
		size_t i, n;

		if (!gelf_getshdr(scn, &rsh) || rsh.sh_type != SHT_RELA ||
		    !rsh.sh_entsize ||
		    !gelf_getshdr(elf_getscn(elf, rsh.sh_info), &tsh) ||
		    !(name = elf_strptr(elf, shstrndx, tsh.sh_name)) ||
		    (strcmp(name, ".eh_frame") && strcmp(name, ".debug_frame")) ||
		    tsh.sh_type == SHT_NOBITS || tsh.sh_offset > size ||
		    tsh.sh_size > size - tsh.sh_offset ||
		    !gelf_getshdr(elf_getscn(elf, rsh.sh_link), &ssh) ||
		    !(rel = elf_getdata(scn, NULL)) ||
		    !(syms = elf_getdata(elf_getscn(elf, rsh.sh_link), NULL)))
			continue;
		n = rsh.sh_size / rsh.sh_entsize;
		for (i = 0; i < n; i++) {
			GElf_Rela r;
			uint64_t s, p, v;
			size_t width;
			int pcrel;

			if (!gelf_getrela(rel, (int)i, &r) ||
			    symbol_address(elf, syms, GELF_R_SYM(r.r_info), &s))
				continue;
			switch (GELF_R_TYPE(r.r_info)) {
			case R_X86_64_64:	width = 8; pcrel = 0; break;
			case R_X86_64_PC64:	width = 8; pcrel = 1; break;
			case R_X86_64_32:
			case R_X86_64_32S:	width = 4; pcrel = 0; break;
			case R_X86_64_PC32:	width = 4; pcrel = 1; break;
			default:		continue;
			}
			if (r.r_offset > tsh.sh_size ||
			    width > tsh.sh_size - r.r_offset)
				continue;
			p = tsh.sh_addr + r.r_offset;
			v = s + (uint64_t)r.r_addend - (pcrel ? p : 0);
			/* x86-64 is little-endian, as the host. */
			memcpy(image + tsh.sh_offset + r.r_offset, &v, width);
		}
	}
	elf_end(elf);
}

/*
 * A JIT that does not load .eh_frame (leaves its sh_addr 0) still has
 * it name the code PC-relatively: give it, in our copy, an address near
 * the code, the lowest of the executable sections, so that its 32-bit
 * fields can reach the code and libdw reads them right.
 */
static void place_eh_frame(unsigned char *image, size_t size)
{
	Elf *elf = elf_memory((char *)image, size);
	Elf_Scn *scn = NULL, *eh = NULL;
	size_t shstrndx;
	uint64_t low = 0;
	Elf64_Ehdr ehdr;
	Elf64_Shdr raw;
	size_t at;

	if (!elf || elf_kind(elf) != ELF_K_ELF ||
	    gelf_getclass(elf) != ELFCLASS64 || elf_getshdrstrndx(elf, &shstrndx))
		goto out;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *name;

		if (!gelf_getshdr(scn, &sh))
			continue;
		if ((sh.sh_flags & SHF_EXECINSTR) && sh.sh_addr &&
		    (!low || sh.sh_addr < low))
			low = sh.sh_addr;
		if (!sh.sh_addr && (name = elf_strptr(elf, shstrndx, sh.sh_name)) &&
		    !strcmp(name, ".eh_frame"))
			eh = scn;
	}
	if (!eh || !low)
		goto out;
	memcpy(&ehdr, image, sizeof(ehdr));
	at = ehdr.e_shoff + elf_ndxscn(eh) * sizeof(raw);
	if (ehdr.e_shentsize != sizeof(raw) || at > size ||
	    sizeof(raw) > size - at)
		goto out;
	elf_end(elf);
	elf = NULL;
	memcpy(&raw, image + at, sizeof(raw));
	raw.sh_addr = low;
	memcpy(image + at, &raw, sizeof(raw));
out:
	elf_end(elf);
}

void cfi_add_jit(struct cfi_table *t, uint64_t id, const unsigned char *image,
		 size_t size)
{
	char name[32];
	struct source *s;
	Elf_Scn *scn = NULL;
	size_t i;

	snprintf(name, sizeof(name), "jit:%" PRIu64, id);
	i = new_source(t, name);
	s = &t->src[i];
	s->opened = 1;
	s->image = xmalloc(size ? size : 1);
	memcpy(s->image, image, size);
	s->size = size;
	place_eh_frame(s->image, size);
	relocate_frames(s->image, size);
	s->elf = elf_memory((char *)s->image, size);
	if (!s->elf || elf_kind(s->elf) != ELF_K_ELF)
		return;
	open_cfi(s);
	while ((scn = elf_nextscn(s->elf, scn))) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) && (sh.sh_flags & SHF_EXECINSTR) &&
		    (sh.sh_flags & SHF_ALLOC) && sh.sh_addr && sh.sh_size)
			add_range(t, sh.sh_addr, sh.sh_addr + sh.sh_size, 0, i,
				  0, 1);
	}
}

static struct range *find_range(struct cfi_table *t, uint64_t pc)
{
	size_t lo = 0, hi = t->nranges;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->ranges[mid].end <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < t->nranges && t->ranges[lo].start <= pc)
		return &t->ranges[lo];
	return NULL;
}

const char *cfi_code_name(struct cfi_table *t, uint64_t pc)
{
	struct range *r = find_range(t, pc);

	return r ? t->src[r->source].name : NULL;
}

static Dwarf_Op *copy_ops(const Dwarf_Op *ops, size_t nops)
{
	Dwarf_Op *c = xcalloc(nops ? nops : 1, sizeof(*c));

	memcpy(c, ops, nops * sizeof(*c));
	return c;
}

/* Registers the x86-64 psABI has a callee keep: rbx rbp r12-r15. */
static int callee_saved(int reg)
{
	return reg == 3 || reg == 6 || (reg >= 12 && reg <= 15);
}

/* Turn libdw's frame state at one address into a rule of our own. */
static struct cfi_rule *make_rule(Dwarf_Frame *f)
{
	struct cfi_rule *r = xcalloc(1, sizeof(*r));
	Dwarf_Op *ops, mem[3];
	size_t nops;
	bool signal = false;
	int reg, ra;

	ra = dwarf_frame_info(f, NULL, NULL, &signal);
	if (ra < 0 || ra >= CFI_NREGS)
		goto bad;
	r->ra_reg = (uint8_t)ra;
	r->signal = signal;
	if (dwarf_frame_cfa(f, &ops, &nops) || nops == 0)
		goto bad;
	if (nops == 1 && ops[0].atom == DW_OP_bregx &&
	    ops[0].number < CFI_NREGS) {
		r->cfa_reg = (uint8_t)ops[0].number;
		r->cfa_off = (int64_t)ops[0].number2;
	} else {
		r->cfa_is_expr = 1;
		r->cfa_ops = copy_ops(ops, nops);
		r->cfa_nops = nops;
	}
	for (reg = 0; reg < CFI_NREGS; reg++) {
		struct cfi_reg_rule *rr = &r->regs[r->nregs];

		if (reg == CFI_REG_SP)
			continue;	/* the caller's SP is the CFA */
		if (dwarf_frame_register(f, reg, mem, &ops, &nops))
			goto bad;
		rr->reg = (uint8_t)reg;
		if (nops == 0 && !ops)
			continue;			/* same value */
		if (nops == 0) {
			if (callee_saved(reg) && reg != ra)
				continue;	/* libdw's default: same */
			rr->kind = RULE_UNDEF;
		} else if (ops == mem && mem[0].atom == DW_OP_regx) {
			rr->kind = RULE_REGISTER;
			rr->value = (int64_t)mem[0].number;
		} else if (ops == mem && mem[0].atom == DW_OP_call_frame_cfa) {
			int val = mem[nops - 1].atom == DW_OP_stack_value;

			rr->kind = val ? RULE_VAL_OFFSET : RULE_OFFSET;
			rr->value = nops > (size_t)(1 + val) ?
					    (int64_t)mem[1].number : 0;
		} else {
			int val = ops[nops - 1].atom == DW_OP_stack_value;

			rr->kind = val ? RULE_VAL_EXPR : RULE_EXPR;
			rr->ops = copy_ops(ops, nops - (size_t)val);
			rr->nops = nops - (size_t)val;
		}
		r->nregs++;
	}
	return r;
bad:
	free_rule(r);
	return NULL;
}

static struct cfi_rule *rule_at(struct source *s, uint64_t addr)
{
	Dwarf_Frame *f = NULL;
	struct cfi_rule *r = NULL;

	if (s->eh && dwarf_cfi_addrframe(s->eh, addr, &f) == 0) {
		r = make_rule(f);
		free(f);
		f = NULL;
	}
	if (!r && s->debug && dwarf_cfi_addrframe(s->debug, addr, &f) == 0) {
		r = make_rule(f);
		free(f);
	}
	return r;
}

enum cfi_status cfi_lookup(struct cfi_table *t, uint64_t pc,
			   const struct cfi_rule **rule)
{
	size_t *slot = hashmap_find(&t->rules, &pc, sizeof(pc));
	struct range *rg;
	struct source *s;
	struct cfi_rule *r;
	int added;

	if (slot) {
		*rule = t->rule[*slot];
		return *slot ? CFI_FOUND : CFI_NO_RULE;
	}
	rg = find_range(t, pc);
	if (!rg)
		return CFI_NO_CODE;	/* not cached: the code may come */
	s = &t->src[rg->source];
	if (!s->opened)
		open_file(s);
	if (!rg->bias_known) {
		uint64_t bias = 0;

		rg->bias_known = 1;
		if (s->elf && !elf_load_bias(s->elf, rg->start, rg->offset,
					     &bias))
			rg->bias = (int64_t)bias;
	}
	r = rule_at(s, pc - (uint64_t)rg->bias);
	slot = hashmap_insert(&t->rules, &pc, sizeof(pc), &added);
	if (!r) {
		*slot = 0;
		return CFI_NO_RULE;
	}
	ALLOC_GROW(t->rule, t->nrule + 1, t->rule_alloc);
	t->rule[t->nrule] = r;
	*slot = t->nrule++;
	*rule = r;
	return CFI_FOUND;
}
