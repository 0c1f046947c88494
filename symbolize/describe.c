/* describe.c - see describe.h */
#include "describe.h"
#include "escape.h"
#include "util.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Scopes deeper than this are not followed (corrupt or absurd DWARF). */
#define MAX_SCOPES 64
#define MAX_DEPTH 256

/*
 * Find the compilation unit DIE whose ranges contain addr: the one found
 * last (addresses come sorted, so usually the same), the .debug_aranges
 * one, or the first whose own ranges say so.
 */
static int find_cu(struct describe_state *st, Dwfl_Module *mod,
		   Dwarf_Addr addr, Dwarf_Die *cudie, Dwarf_Addr *bias)
{
	Dwarf_Die *found;
	Dwarf *dw;
	Dwarf_CU *cu = NULL;
	Dwarf_Half version;
	uint8_t unit_type;
	Dwarf_Die sub;

	if (st->have_cu && dwarf_haspc(&st->cu, addr - st->bias) > 0) {
		*cudie = st->cu;
		*bias = st->bias;
		return 0;
	}
	found = dwfl_module_addrdie(mod, addr, bias);
	if (found) {
		*cudie = *found;
		goto remember;
	}
	/* No .debug_aranges (Numba): try each CU's own ranges. */
	dw = dwfl_module_getdwarf(mod, bias);
	if (!dw)
		return -1;
	while (dwarf_get_units(dw, cu, &cu, &version, &unit_type, cudie,
			       &sub) == 0) {
		if (unit_type != DW_UT_compile && unit_type != DW_UT_partial)
			continue;
		if (dwarf_haspc(cudie, addr - *bias) > 0)
			goto remember;
	}
	return -1;
remember:
	st->cu = *cudie;
	st->bias = *bias;
	st->have_cu = 1;
	return 0;
}

/*
 * Append to scopes the subprogram and inlined_subroutine DIEs under
 * parent that contain pc, outermost first.  Returns the new count.
 */
static int find_scopes(Dwarf_Die *parent, Dwarf_Addr pc, Dwarf_Die *scopes,
		       int n, int depth)
{
	Dwarf_Die child;

	if (depth > MAX_DEPTH || dwarf_child(parent, &child) != 0)
		return n;
	do {
		int tag = dwarf_tag(&child), m;

		switch (tag) {
		case DW_TAG_subprogram:
		case DW_TAG_inlined_subroutine:
		case DW_TAG_entry_point:
		case DW_TAG_lexical_block:
		case DW_TAG_try_block:
		case DW_TAG_catch_block:
			if (dwarf_haspc(&child, pc) <= 0)
				break;
			if (tag == DW_TAG_subprogram ||
			    tag == DW_TAG_inlined_subroutine ||
			    tag == DW_TAG_entry_point) {
				if (n == MAX_SCOPES)
					return n;
				scopes[n++] = child;
			}
			return find_scopes(&child, pc, scopes, n, depth + 1);
		case DW_TAG_namespace:
		case DW_TAG_module:
			/* C++ and Fortran put definitions in these. */
			m = find_scopes(&child, pc, scopes, n, depth + 1);
			if (m > n)
				return m;
			break;
		default:
			break;
		}
	} while (dwarf_siblingof(&child, &child) == 0);
	return n;
}

static const char *die_string(Dwarf_Die *die, unsigned int name)
{
	Dwarf_Attribute attr;

	if (!dwarf_attr_integrate(die, name, &attr))
		return NULL;
	return dwarf_formstring(&attr);
}

/* The function's name as source prefers, malloc'd, or NULL. */
static char *die_function_name(Dwarf_Die *die, enum name_source source,
			       enum name_style style)
{
	const char *name = NULL;

	if (source == NAME_FROM_SYMBOL) {
		name = die_string(die, DW_AT_linkage_name);
		if (!name)
			name = die_string(die, DW_AT_MIPS_linkage_name);
	}
	if (!name)
		name = die_string(die, DW_AT_name);
	return name ? readable_name(name, style) : NULL;
}

/* The ELF symbol containing addr, readable, malloc'd, or NULL. */
static char *symbol_name(Dwfl_Module *mod, Dwarf_Addr addr,
			 enum name_style style)
{
	GElf_Off offset;
	GElf_Sym sym;
	const char *name;

	char *plain, *readable;

	name = dwfl_module_addrinfo(mod, addr, &offset, &sym, NULL, NULL,
				    NULL);
	if (!name || !*name || *name == '@')
		return NULL;
	/* libdwfl names versioned symbols "memcpy@GLIBC_2.2.5". */
	plain = xstrndup(name, strcspn(name, "@"));
	readable = readable_name(plain, style);
	free(plain);
	return readable;
}

/* DW_AT_call_file of an inlined_subroutine as a path, or NULL. */
static const char *call_file(Dwarf_Die *die, Dwarf_Die *cudie)
{
	Dwarf_Attribute attr;
	Dwarf_Word idx;
	Dwarf_Files *files;
	size_t nfiles;

	if (!dwarf_attr(die, DW_AT_call_file, &attr) ||
	    dwarf_formudata(&attr, &idx) != 0 ||
	    dwarf_getsrcfiles(cudie, &files, &nfiles) != 0 || idx >= nfiles)
		return NULL;
	return dwarf_filesrc(files, idx, NULL, NULL);
}

static Dwarf_Word call_line(Dwarf_Die *die)
{
	Dwarf_Attribute attr;
	Dwarf_Word line;

	if (!dwarf_attr(die, DW_AT_call_line, &attr) ||
	    dwarf_formudata(&attr, &line) != 0 || line > UINT32_MAX)
		return 0;
	return line;
}

/* The pseudo file of a unit, and the function its code belongs to. */
struct pseudo {
	const char *name;	/* the unit's name ("<string>"), or NULL */
	const struct region_owner *owner;	/* or NULL: not found */
};

/* Is path the unit's pseudo file, alone or after a directory? */
static int is_unit_file(const struct pseudo *ps, const char *path)
{
	size_t n = strlen(path), m = strlen(ps->name);

	return n >= m && !strcmp(path + n - m, ps->name) &&
	       (n == m || path[n - m - 1] == '/');
}

/* The file to write for path, a file of the unit, at line. */
static const char *map_file(const struct pseudo *ps, const char *path,
			    uint64_t line)
{
	if (!ps->name || !path || !is_unit_file(ps, path))
		return path;
	if (ps->owner && line > 0 && line >= (uint64_t)ps->owner->first_line)
		return ps->owner->file;
	return ps->name;
}

/*
 * Set up ps for code of function fn in unit cudie: nothing unless the
 * unit is a pseudo file.
 */
static void find_pseudo(struct describe_state *st, Dwfl_Module *mod,
			Dwarf_Die *cudie, Dwarf_Die *fn, struct pseudo *ps)
{
	const char *name = dwarf_diename(cudie), *linkage = NULL;

	if (!st->regions || !name || !is_pseudo_file(name))
		return;
	ps->name = name;
	if (fn) {
		linkage = die_string(fn, DW_AT_linkage_name);
		if (!linkage)
			linkage = die_string(fn, DW_AT_MIPS_linkage_name);
		if (!linkage)
			linkage = die_string(fn, DW_AT_name);
	}
	if (linkage && *linkage)
		ps->owner = region_find(st->regions, st->self, mod, linkage);
}

/*
 * Write the call sites of scopes[first+1 .. n-1], innermost first;
 * scopes[first] is the real function, called outer.
 */
static void write_chain(FILE *fp, Dwarf_Die *scopes, int first, int n,
			const char *outer, Dwarf_Die *cudie,
			const struct pseudo *ps, enum name_source source,
			enum name_style style)
{
	int i;

	if (n - first < 2) {
		fputc('-', fp);
		return;
	}
	for (i = n - 1; i > first; i--) {
		char *caller = NULL;
		uint64_t line = call_line(&scopes[i]);

		if (i - 1 > first)
			caller = die_function_name(&scopes[i - 1], source,
						   style);
		if (i < n - 1)
			fputc(';', fp);
		fput_field(fp, caller ? caller : outer);
		fputc('@', fp);
		fput_field(fp, map_file(ps, call_file(&scopes[i], cudie),
					line));
		fprintf(fp, ":%" PRIu64, line);
		free(caller);
	}
}

void describe_address(FILE *fp, struct describe_state *st,
		      Dwfl_Module *mod, Dwarf_Addr addr,
		      enum name_source source, enum name_style style)
{
	Dwarf_Die cudie, scopes[MAX_SCOPES];
	Dwarf_Addr bias = 0;
	Dwarf_Line *line = NULL;
	const char *file = NULL;
	char *outer = NULL, *inner = NULL;
	int lineno = 0, n = 0, first, have_cu;
	struct pseudo ps = { NULL, NULL };

	have_cu = find_cu(st, mod, addr, &cudie, &bias) == 0;
	if (have_cu) {
		line = dwarf_getsrc_die(&cudie, addr - bias);
		if (line && dwarf_lineno(line, &lineno) == 0 && lineno > 0)
			file = dwarf_linesrc(line, NULL, NULL);
		if (!file)
			lineno = 0;
		n = find_scopes(&cudie, addr - bias, scopes, 0, 0);
	}
	/* The real (not inlined) function the address is in. */
	for (first = n - 1; first > 0; first--)
		if (dwarf_tag(&scopes[first]) != DW_TAG_inlined_subroutine)
			break;
	if (n > 0 && source == NAME_FROM_DWARF)
		outer = die_function_name(&scopes[first], source, style);
	if (!outer)
		outer = symbol_name(mod, addr, style);
	if (!outer && n > 0)
		outer = die_function_name(&scopes[first], source, style);
	if (n > 0 && first < n - 1)
		inner = die_function_name(&scopes[n - 1], source, style);
	if (have_cu)
		find_pseudo(st, mod, &cudie, n > 0 ? &scopes[first] : NULL,
			    &ps);
	if (ps.owner) {
		free(outer);
		outer = xstrdup(ps.owner->function);
	}

	fput_field(fp, inner ? inner : outer);
	fputc(' ', fp);
	fput_field(fp, map_file(&ps, file, (uint64_t)lineno));
	fprintf(fp, " %d ", lineno);
	write_chain(fp, scopes, first < 0 ? 0 : first, n, outer, &cudie,
		    &ps, source, style);
	free(inner);
	free(outer);
}
