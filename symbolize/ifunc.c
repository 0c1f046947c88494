/* ifunc.c - see ifunc.h */
#include "ifunc.h"
#include "util.h"

#include <capstone.h>
#include <stdlib.h>
#include <string.h>

/* Resolvers are short; what is longer is not read past this. */
#define RESOLVER_MAX 512
/* Exported functions read for calls into the PLT: their first bytes. */
#define CALLER_MAX 4096
#define TARGETS_MAX 16

/* The code bytes at file address vaddr, and how many follow, or NULL. */
static const uint8_t *code_at(Elf *elf, uint64_t vaddr, size_t *len)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS ||
		    !(sh.sh_flags & SHF_EXECINSTR) || vaddr < sh.sh_addr ||
		    vaddr >= sh.sh_addr + sh.sh_size)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data || !data->d_buf || data->d_size < sh.sh_size)
			return NULL;
		*len = (size_t)(sh.sh_addr + sh.sh_size - vaddr);
		return (const uint8_t *)data->d_buf + (vaddr - sh.sh_addr);
	}
	return NULL;
}

/* The entries that start at addr: [*first, return value). */
static size_t entries_at(const struct symindex *ix, uint64_t addr,
			 size_t *first)
{
	size_t lo = 0, hi = ix->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ix->e[mid].start < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	while (hi < ix->nr && ix->e[hi].start == addr)
		hi++;
	return hi;
}

/* Whether a and b name one function: "pow@@GLIBC_2.29", "pow@GLIBC_2.2.5". */
static int same_function(const char *a, const char *b)
{
	size_t n = strcspn(a, "@");

	return n == strcspn(b, "@") && !strncmp(a, b, n);
}

/* Whether name (without its version) is part of hay. */
static int within(const char *hay, const char *name)
{
	size_t n = strcspn(name, "@"), h = strlen(hay), i;

	for (i = 0; n && i + n <= h; i++)
		if (!strncmp(hay + i, name, n))
			return 1;
	return 0;
}

/* Whether exported name a reads better than b: exp, not __exp_finite. */
static int plainer(const char *a, const char *b)
{
	size_t ua = strspn(a, "_"), ub = strspn(b, "_");

	if (ua != ub)
		return ua < ub;
	return strcspn(a, "@") < strcspn(b, "@");
}

/*
 * Of two exported names for one implementation, the one in its own
 * name (__ieee754_exp_fma: exp), else the plainer one.
 */
static const char *choose(const char *own, const char *had, const char *name)
{
	int in_had, in_name;

	if (!had || same_function(had, name))
		return name;
	in_had = own && within(own, had);
	in_name = own && within(own, name);
	if (in_had != in_name)
		return in_name ? name : had;
	return plainer(name, had) ? name : had;
}

/* An implementation without a symbol (no debug symbols). */
struct unnamed {
	uint64_t addr;
	const char *alias;
};

/* One file's walk: its code, and what it found without symbols. */
struct walk {
	csh cs;
	Elf *elf;
	uint64_t bias;
	struct unnamed *unnamed;
	size_t unnamed_nr, unnamed_alloc;
};

static void set_alias(struct walk *w, struct symindex *ix, uint64_t addr,
		      const char *name)
{
	size_t i, end = entries_at(ix, addr, &i);

	if (i == end) {
		struct unnamed *u = w->unnamed;

		for (i = 0; i < w->unnamed_nr && u[i].addr != addr; i++)
			;
		if (i == w->unnamed_nr) {
			ALLOC_GROW(w->unnamed, w->unnamed_nr + 1,
				   w->unnamed_alloc);
			u = w->unnamed;
			u[i].addr = addr;
			u[i].alias = NULL;
			w->unnamed_nr++;
		}
		u[i].alias = choose(NULL, u[i].alias, name);
		return;
	}
	for (; i < end; i++) {
		struct symindex_entry *e = &ix->e[i];

		if (e->rank < 2)
			continue;	/* exported: keeps its own name */
		e->alias = choose(e->name, e->alias, name);
	}
}

/*
 * An implementation that has no symbol gets an entry of its own, from
 * its start to the next symbol (or the end of its section).
 */
static void add_unnamed(struct walk *w, struct symindex *ix)
{
	size_t i, first;

	if (!w->unnamed_nr)
		return;
	ix->e = xreallocarray(ix->e, ix->nr + w->unnamed_nr, sizeof(*ix->e));
	for (i = 0; i < w->unnamed_nr; i++) {
		struct symindex_entry *e = &ix->e[ix->nr + i];
		size_t len = 0;

		entries_at(ix, w->unnamed[i].addr + 1, &first);
		memset(e, 0, sizeof(*e));
		e->start = w->unnamed[i].addr;
		e->end = first < ix->nr ? ix->e[first].start : e->start;
		if (code_at(w->elf, e->start - w->bias, &len) &&
		    (e->end == e->start || e->end > e->start + len))
			e->end = e->start + len;
		e->name = e->alias = w->unnamed[i].alias;
		e->rank = 2;
		e->order = -1;
	}
	ix->nr += w->unnamed_nr;
}

/* Whether entry i is the one named at its start (the preferred one). */
static int named_at_start(const struct symindex *ix, size_t i)
{
	return i + 1 == ix->nr || ix->e[i + 1].start != ix->e[i].start;
}

/* Disassemble at most max bytes from addr (a module address). */
static size_t disasm(struct walk *w, uint64_t addr, size_t max, cs_insn **insn)
{
	size_t len;
	const uint8_t *code = code_at(w->elf, addr - w->bias, &len);

	if (!code)
		return 0;
	return cs_disasm(w->cs, code, len < max ? len : max, addr, 0, insn);
}

/* The RIP-relative lea targets of the resolver at addr. */
static size_t resolver_targets(struct walk *w, const struct symindex *ix,
			       uint64_t addr, uint64_t *targets)
{
	size_t i, first, end = entries_at(ix, addr, &first), n, nr = 0;
	size_t max = RESOLVER_MAX;
	cs_insn *insn;

	if (first < end && ix->e[first].end > addr &&
	    ix->e[first].end - addr < max)
		max = (size_t)(ix->e[first].end - addr);
	n = disasm(w, addr, max, &insn);
	for (i = 0; i < n; i++) {
		const cs_x86 *x = &insn[i].detail->x86;

		if (insn[i].id == X86_INS_RET && !(first < end))
			break;	/* no size known: the first return ends it */
		if (insn[i].id != X86_INS_LEA || x->op_count != 2 ||
		    x->operands[1].type != X86_OP_MEM ||
		    x->operands[1].mem.base != X86_REG_RIP)
			continue;
		if (nr < TARGETS_MAX)
			targets[nr++] = insn[i].address + insn[i].size +
					(uint64_t)x->operands[1].mem.disp;
	}
	if (n)
		cs_free(insn, n);
	return nr;
}

/*
 * A PLT stub, the resolver of the GOT slot it jumps through, and the
 * implementations that resolver chooses from.
 */
struct stub {
	uint64_t addr, slot, resolver;
	uint64_t targets[TARGETS_MAX];
	size_t targets_nr;
};

/* The PLT stubs whose slot an IRELATIVE relocation fills. */
static size_t irelative_stubs(struct walk *w, const struct symindex *ix,
			      struct stub **out)
{
	struct stub *stubs = NULL;
	size_t nr = 0, alloc = 0, i, j;
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	if (elf_getshdrstrndx(w->elf, &shstrndx))
		return 0;
	/* The slots first, from the relocations. */
	while ((scn = elf_nextscn(w->elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;
		size_t k;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_RELA ||
		    !(data = elf_getdata(scn, NULL)) || !sh.sh_entsize)
			continue;
		for (k = 0; k < sh.sh_size / sh.sh_entsize; k++) {
			GElf_Rela r;

			if (!gelf_getrela(data, (int)k, &r) ||
			    GELF_R_TYPE(r.r_info) != R_X86_64_IRELATIVE)
				continue;
			ALLOC_GROW(stubs, nr + 1, alloc);
			stubs[nr].addr = 0;
			stubs[nr].slot = r.r_offset + w->bias;
			stubs[nr++].resolver = (uint64_t)r.r_addend + w->bias;
		}
	}
	/* Then the stubs that jump through them. */
	scn = NULL;
	while (nr && (scn = elf_nextscn(w->elf, scn))) {
		GElf_Shdr sh;
		const char *name;
		cs_insn *insn;
		size_t n;

		if (!gelf_getshdr(scn, &sh) ||
		    !(name = elf_strptr(w->elf, shstrndx, sh.sh_name)) ||
		    strncmp(name, ".plt", 4))
			continue;
		n = disasm(w, sh.sh_addr + w->bias, sh.sh_size, &insn);
		for (i = 0; i < n; i++) {
			const cs_x86 *x = &insn[i].detail->x86;
			uint64_t slot;

			if (insn[i].id != X86_INS_JMP || x->op_count != 1 ||
			    x->operands[0].type != X86_OP_MEM ||
			    x->operands[0].mem.base != X86_REG_RIP)
				continue;
			slot = insn[i].address + insn[i].size +
			       (uint64_t)x->operands[0].mem.disp;
			for (j = 0; j < nr; j++)
				if (stubs[j].slot == slot && !stubs[j].addr)
					stubs[j].addr = insn[i].address & ~15ull;
		}
		if (n)
			cs_free(insn, n);
	}
	for (j = 0; j < nr; j++)
		if (stubs[j].addr)
			stubs[j].targets_nr = resolver_targets(
				w, ix, stubs[j].resolver, stubs[j].targets);
	*out = stubs;
	return nr;
}

void ifunc_aliases(struct symindex *ix, Elf *elf, uint64_t bias)
{
	struct walk w = { 0, elf, bias, NULL, 0, 0 };
	struct stub *stubs = NULL;
	uint64_t targets[TARGETS_MAX];
	size_t i, j, k, n, nstubs;
	GElf_Ehdr eh;

	if (!gelf_getehdr(elf, &eh) || eh.e_machine != EM_X86_64 ||
	    cs_open(CS_ARCH_X86, CS_MODE_64, &w.cs) != CS_ERR_OK)
		return;
	cs_option(w.cs, CS_OPT_DETAIL, CS_OPT_ON);
	/* sin: an exported IFUNC symbol, its value the resolver. */
	for (i = 0; i < ix->nr; i++) {
		if (!ix->e[i].ifunc || ix->e[i].rank == 2 ||
		    !named_at_start(ix, i))
			continue;
		n = resolver_targets(&w, ix, ix->e[i].start, targets);
		for (j = 0; j < n; j++)
			set_alias(&w, ix, targets[j], ix->e[i].name);
	}
	/* exp: an exported function calling a PLT slot an IRELATIVE fills. */
	nstubs = irelative_stubs(&w, ix, &stubs);
	for (i = 0; nstubs && i < ix->nr; i++) {
		const struct symindex_entry *e = &ix->e[i];
		cs_insn *insn;

		if (e->rank == 2 || e->ifunc || e->end <= e->start ||
		    !named_at_start(ix, i))
			continue;
		n = disasm(&w, e->start,
			   e->end - e->start < CALLER_MAX
				   ? (size_t)(e->end - e->start)
				   : CALLER_MAX,
			   &insn);
		for (j = 0; j < n; j++) {
			const cs_x86 *x = &insn[j].detail->x86;

			if ((insn[j].id != X86_INS_CALL &&
			     insn[j].id != X86_INS_JMP) ||
			    x->op_count != 1 || x->operands[0].type != X86_OP_IMM)
				continue;
			for (k = 0; k < nstubs; k++) {
				size_t t;

				if (!stubs[k].addr ||
				    stubs[k].addr != (uint64_t)x->operands[0].imm)
					continue;
				for (t = 0; t < stubs[k].targets_nr; t++)
					set_alias(&w, ix, stubs[k].targets[t],
						  e->name);
			}
		}
		if (n)
			cs_free(insn, n);
	}
	free(stubs);
	add_unnamed(&w, ix);
	free(w.unnamed);
	cs_close(&w.cs);
}
