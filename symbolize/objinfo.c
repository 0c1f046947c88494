/* objinfo.c - see objinfo.h */
#include "objinfo.h"
#include "region.h"
#include "util.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <gelf.h>
#include <stdbool.h>
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
		size_t i, n;
		int line;

		if (unit_type != DW_UT_compile && unit_type != DW_UT_partial)
			continue;
		if (dwarf_getsrclines(&cudie, &lines, &n) != 0)
			continue;
		/* Generated code has rows at line 0 only. */
		for (i = 0; i < n; i++)
			if (dwarf_lineno(dwarf_onesrcline(lines, i), &line) == 0 &&
			    line > 0)
				return 1;
	}
	return 0;
}

static const char *die_string(Dwarf_Die *die, unsigned int name)
{
	Dwarf_Attribute attr;

	if (!dwarf_attr_integrate(die, name, &attr))
		return NULL;
	return dwarf_formstring(&attr);
}

static const char *die_name(Dwarf_Die *die)
{
	return die_string(die, DW_AT_name);
}

const char *die_linkage_name(Dwarf_Die *die)
{
	const char *name = die_string(die, DW_AT_linkage_name);

	if (!name)
		name = die_string(die, DW_AT_MIPS_linkage_name);
	if (!name)
		name = die_name(die);
	return name && *name ? name : NULL;
}

int die_is_artificial(Dwarf_Die *die)
{
	Dwarf_Attribute attr;
	bool flag;

	return dwarf_attr_integrate(die, DW_AT_artificial, &attr) &&
	       dwarf_formflag(&attr, &flag) == 0 && flag;
}

/*
 * Find the first subprogram with code and a name under parent; with
 * own set, the first that the compiler did not generate (Numba's
 * wrappers are DW_AT_artificial).
 */
static int first_function(Dwarf_Die *parent, int depth, int own,
			  Dwarf_Die *fn)
{
	Dwarf_Die child;
	const char *name;

	if (depth > MAX_DEPTH || dwarf_child(parent, &child) != 0)
		return -1;
	do {
		switch (dwarf_tag(&child)) {
		case DW_TAG_subprogram:
			if ((dwarf_hasattr(&child, DW_AT_low_pc) ||
			     dwarf_hasattr(&child, DW_AT_ranges)) &&
			    (name = die_name(&child)) && *name &&
			    !(own && die_is_artificial(&child))) {
				*fn = child;
				return 0;
			}
			break;
		case DW_TAG_namespace:
		case DW_TAG_module:
			if (first_function(&child, depth + 1, own, fn) == 0)
				return 0;
			break;
		default:
			break;
		}
	} while (dwarf_siblingof(&child, &child) == 0);
	return -1;
}

/*
 * The first subprogram with code of the first unit that has one: one of
 * the user's if there is one, else a generated one.
 */
static int dwarf_main_function(Dwarf *dw, Dwarf_Die *cudie, Dwarf_Die *fn)
{
	Dwarf_Half version;
	uint8_t unit_type;
	Dwarf_Die sub;
	int own;

	for (own = 1; own >= 0; own--) {
		Dwarf_CU *cu = NULL;

		while (dwarf_get_units(dw, cu, &cu, &version, &unit_type,
				       cudie, &sub) == 0) {
			if (unit_type != DW_UT_compile &&
			    unit_type != DW_UT_partial)
				continue;
			if (first_function(cudie, 0, own, fn) == 0)
				return 0;
		}
	}
	return -1;
}

/*
 * The source file of function fn of unit cudie as its lines give it:
 * its declaration file, else the file of its first line.
 */
static const char *function_file(Dwarf_Die *cudie, Dwarf_Die *fn)
{
	const char *file = dwarf_decl_file(fn);
	Dwarf_Addr low;
	Dwarf_Line *line;

	if (!file && dwarf_lowpc(fn, &low) == 0 &&
	    (line = dwarf_getsrc_die(cudie, low)))
		file = dwarf_linesrc(line, NULL, NULL);
	return file;
}

/* Set the main_* fields of o from its main function fn of unit cudie. */
static void main_source(struct jit_object *o, Dwarf_Die *cudie,
			Dwarf_Die *fn)
{
	const char *cu_name = dwarf_diename(cudie), *file, *linkage;
	int line;

	linkage = die_linkage_name(fn);
	if (linkage)
		o->main_linkage = xstrdup(linkage);
	if (dwarf_decl_line(fn, &line) == 0 && line > 0)
		o->main_line = line;
	if (!cu_name || is_pseudo_file(cu_name))
		return;
	file = function_file(cudie, fn);
	if (file && !is_pseudo_file(file))
		o->main_file = xstrdup(file);
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
	Dwarf_Die cudie, fn;

	o->lines = dw && has_line_table(dw) ? OBJECT_LINES : OBJECT_NOLINES;
	free(o->name);
	free(o->main_file);
	free(o->main_linkage);
	o->main_file = o->main_linkage = NULL;
	o->main_line = 0;
	if (dw && dwarf_main_function(dw, &cudie, &fn) == 0) {
		o->name = readable_name(die_name(&fn), style);
		main_source(o, &cudie, &fn);
	} else {
		o->name = symtab_main_function(mod, style);
	}
	o->examined = 1;
}
