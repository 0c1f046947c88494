/* symindex.c - see symindex.h */
#include "symindex.h"
#include "ifunc.h"
#include "util.h"

#include <gelf.h>
#include <stdlib.h>
#include <string.h>

/* Where section shndx ends, as a module address; 0 when unknown. */
static uint64_t section_end(Elf *elf, GElf_Word shndx, Dwarf_Addr bias)
{
	GElf_Shdr shdr;
	Elf_Scn *scn = elf ? elf_getscn(elf, shndx) : NULL;

	if (!scn || !gelf_getshdr(scn, &shdr))
		return 0;
	return shdr.sh_addr + shdr.sh_size + bias;
}

static size_t underscores(const char *name)
{
	return strspn(name, "_");
}

/* By start; at one start, the preferred symbol last (found first). */
static int cmp_entry(const void *a, const void *b)
{
	const struct symindex_entry *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->rank != y->rank)	/* the preferred one last: found first */
		return x->rank > y->rank ? -1 : 1;
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1;
	if (underscores(x->name) != underscores(y->name))
		return underscores(x->name) > underscores(y->name) ? -1 : 1;
	if (strcspn(x->name, "@") != strcspn(y->name, "@"))
		return strcspn(x->name, "@") > strcspn(y->name, "@") ? -1 : 1;
	return (x->order < y->order) - (x->order > y->order);
}

void symindex_build(struct symindex *ix, Dwfl_Module *mod)
{
	int n = dwfl_module_getsymtab(mod), i;
	size_t nr = 0, j;
	uint64_t max_end = 0;

	memset(ix, 0, sizeof(*ix));
	if (n <= 1)
		return;
	ix->e = xreallocarray(NULL, (size_t)n, sizeof(*ix->e));
	for (i = 1; i < n; i++) {
		GElf_Sym sym;
		GElf_Addr addr;
		GElf_Word shndx;
		Elf *elf = NULL;
		Dwarf_Addr bias = 0;
		const char *name = dwfl_module_getsym_info(mod, i, &sym, &addr,
							   &shndx, &elf, &bias);
		int type = GELF_ST_TYPE(sym.st_info);
		int bind = GELF_ST_BIND(sym.st_info);

		if (!name || !*name || sym.st_shndx == SHN_UNDEF ||
		    (type != STT_FUNC && type != STT_GNU_IFUNC &&
		     type != STT_NOTYPE))
			continue;
		if (type == STT_NOTYPE && sym.st_shndx == SHN_ABS)
			continue;
		ix->e[nr].start = addr;
		ix->e[nr].end = addr + sym.st_size;
		ix->e[nr].section_end = 0;
		if (!sym.st_size)
			ix->e[nr].section_end = section_end(elf, shndx, bias);
		ix->e[nr].name = name;
		ix->e[nr].order = i;
		ix->e[nr].ifunc = type == STT_GNU_IFUNC;
		ix->e[nr].alias = NULL;
		ix->e[nr].rank = bind == STB_GLOBAL ? 0
				 : bind == STB_WEAK || bind == STB_GNU_UNIQUE ? 1
									     : 2;
		nr++;
	}
	qsort(ix->e, nr, sizeof(*ix->e), cmp_entry);
	ix->nr = nr;
	{
		GElf_Addr bias;
		Elf *elf = dwfl_module_getelf(mod, &bias);

		if (elf)
			ifunc_aliases(ix, elf, bias);
	}
	nr = ix->nr;
	qsort(ix->e, nr, sizeof(*ix->e), cmp_entry);
	/*
	 * A symbol without a size (assembly) reaches to the next symbol's
	 * start, within its own section: not into the PLT after .init.
	 */
	for (j = 0; j < nr; j++) {
		struct symindex_entry *e = &ix->e[j];
		size_t k;

		if (e->end != e->start)
			continue;
		for (k = j + 1; k < nr && ix->e[k].start == e->start; k++)
			;
		e->end = k < nr ? ix->e[k].start : e->section_end;
		if (e->end > e->section_end)
			e->end = e->section_end;
		if (e->end < e->start)
			e->end = e->start;
	}
	for (j = 0; j < nr; j++) {
		if (ix->e[j].end > max_end)
			max_end = ix->e[j].end;
		ix->e[j].max_end = max_end;
	}
	ix->nr = nr;
}

void symindex_release(struct symindex *ix)
{
	free(ix->e);
	memset(ix, 0, sizeof(*ix));
}

const struct symindex_entry *symindex_find(const struct symindex *ix,
					    uint64_t addr)
{
	size_t lo = 0, hi = ix->nr, i;

	/* The entries that start at or before addr: [0, lo). */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ix->e[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/*
	 * Walk down from the last start: the first entry that holds addr
	 * starts last (ties: sorted so the preferred comes first).  Once
	 * no entry this far down ends above addr, none can hold it.
	 */
	for (i = lo; i > 0; i--) {
		const struct symindex_entry *e = &ix->e[i - 1];

		if (e->max_end <= addr)
			break;
		if (e->end > addr)
			return e;
	}
	return NULL;
}

const char *symindex_lookup(const struct symindex *ix, uint64_t addr)
{
	const struct symindex_entry *e = symindex_find(ix, addr);

	if (!e)
		return NULL;
	return e->alias ? e->alias : e->name;
}
