/* objinfo.c - see objinfo.h */
#include "objinfo.h"
#include "util.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>

/* Namespaces nested deeper than this are not searched. */
#define MAX_DEPTH 16

static int has_line_table(Dwarf *dw)
{
	Dwarf_CU *cu = NULL;
	Dwarf_Half version;
	uint8_t unit_type;
	Dwarf_Die cudie, sub;

	while (dwarf_get_units(dw, cu, &cu, &version, &unit_type, &cudie,
			       &sub) == 0) {
		Dwarf_Lines *lines;
		size_t n;

		if (unit_type != DW_UT_compile && unit_type != DW_UT_partial)
			continue;
		if (dwarf_getsrclines(&cudie, &lines, &n) == 0 && n > 0)
			return 1;
	}
	return 0;
}

static const char *die_name(Dwarf_Die *die)
{
	Dwarf_Attribute attr;

	if (!dwarf_attr_integrate(die, DW_AT_name, &attr))
		return NULL;
	return dwarf_formstring(&attr);
}

/* The name of the first subprogram with code under parent, or NULL. */
static const char *first_function(Dwarf_Die *parent, int depth)
{
	Dwarf_Die child;
	const char *name;

	if (depth > MAX_DEPTH || dwarf_child(parent, &child) != 0)
		return NULL;
	do {
		switch (dwarf_tag(&child)) {
		case DW_TAG_subprogram:
			if ((dwarf_hasattr(&child, DW_AT_low_pc) ||
			     dwarf_hasattr(&child, DW_AT_ranges)) &&
			    (name = die_name(&child)) && *name)
				return name;
			break;
		case DW_TAG_namespace:
		case DW_TAG_module:
			if ((name = first_function(&child, depth + 1)))
				return name;
			break;
		default:
			break;
		}
	} while (dwarf_siblingof(&child, &child) == 0);
	return NULL;
}

static const char *dwarf_main_function(Dwarf *dw)
{
	Dwarf_CU *cu = NULL;
	Dwarf_Half version;
	uint8_t unit_type;
	Dwarf_Die cudie, sub;
	const char *name;

	while (dwarf_get_units(dw, cu, &cu, &version, &unit_type, &cudie,
			       &sub) == 0) {
		if (unit_type != DW_UT_compile && unit_type != DW_UT_partial)
			continue;
		if ((name = first_function(&cudie, 0)))
			return name;
	}
	return NULL;
}

/* 0 a global plain function, 1 another plain one, 2 wrapper or helper. */
static int symbol_rank(const char *sym, const GElf_Sym *s)
{
	char *readable = readable_name(sym, NAMES_NUMBA);
	int helper = !strncmp(readable, "cpython.", 8) ||
		     !strncmp(readable, "cfunc.", 6) ||
		     !strncmp(sym, "NRT_", 4) || !strncmp(sym, "nrt_", 4);

	free(readable);
	if (helper)
		return 2;
	return GELF_ST_BIND(s->st_info) == STB_GLOBAL ? 0 : 1;
}

static char *symtab_main_function(Dwfl_Module *mod, enum name_style style)
{
	int i, n = dwfl_module_getsymtab(mod), best_rank = 3;
	const char *best = NULL;

	for (i = 1; i < n && best_rank > 0; i++) {
		GElf_Sym sym;
		GElf_Addr addr;
		GElf_Word shndx;
		Elf *elf;
		Dwarf_Addr bias;
		const char *name;
		int rank;

		name = dwfl_module_getsym_info(mod, i, &sym, &addr, &shndx,
					       &elf, &bias);
		if (!name || !*name || GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
		    shndx == SHN_UNDEF)
			continue;
		rank = symbol_rank(name, &sym);
		if (rank < best_rank) {
			best = name;
			best_rank = rank;
		}
	}
	return best ? readable_name(best, style) : NULL;
}

void jit_examine(struct jit_object *o, Dwfl_Module *mod,
		 enum name_style style)
{
	Dwarf_Addr bias;
	Dwarf *dw = dwfl_module_getdwarf(mod, &bias);
	const char *name = dw ? dwarf_main_function(dw) : NULL;

	o->lines = dw && has_line_table(dw) ? OBJECT_LINES : OBJECT_NOLINES;
	free(o->name);
	if (name)
		o->name = readable_name(name, style);
	else
		o->name = symtab_main_function(mod, style);
	o->examined = 1;
}
