/*
 * describe.h - function, source line and inline chain of an address.
 */
#ifndef PF_SYMBOLIZE_DESCRIBE_H
#define PF_SYMBOLIZE_DESCRIBE_H

#include "demangle.h"
#include "region.h"
#include "symindex.h"

#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <stdio.h>

enum name_source {
	NAME_FROM_SYMBOL,	/* native code: the ELF symbol, demangled */
	NAME_FROM_DWARF,	/* JIT code: DW_AT_name (Numba's Python name) */
};

/*
 * What describe_address() remembers between calls for one module; the
 * caller zeroes it before the first call for each module, and for JIT
 * code sets regions and self.
 */
struct describe_state {
	int have_cu;
	Dwarf_Die cu;		/* the compilation unit found last */
	Dwarf_Addr bias;
	int have_sub;
	Dwarf_Die sub;		/* the subprogram of cu found last */
	struct region_finder *regions;	/* or NULL: pseudo files as such */
	size_t self;		/* the JIT object described, for regions */
	const struct symindex *symbols;	/* or NULL: ask libdwfl */
};

/*
 * Write the fields "FUNCTION FILE LINE INLINED" (docs/FORMAT.md) for
 * addr, an address of module mod, to fp.  The innermost function
 * containing addr comes from the DWARF DIE tree (own walk: Numba's
 * objects have no .debug_aranges and cross-CU references), the line
 * from the CU's line table, the chain from the inlined_subroutine
 * DIEs' call sites.  Without DWARF, FUNCTION is the ELF symbol and the
 * rest unknown.  source says where a function that is not inlined gets
 * its name from; both fall back to the other.
 *
 * A function of a compile unit named as a pseudo file ("<string>")
 * belongs to the function region_find() names, when st->regions is
 * set and it finds one: that function is FUNCTION, and lines of the
 * pseudo file (also in INLINED) are lines of its file, except those
 * before its declaration line.  Lines of a pseudo file that stay so
 * are written with the unit's name alone, without the directory.
 * Generated code alone (every frame DW_AT_artificial) is treated so
 * only when its object holds user code (its lines are OBJECT_LINES,
 * so the caller examines it first): a wrapper
 * then belongs to the user's function, while Numba's runtime, an
 * object of generated code only, keeps its own names.
 */
void describe_address(FILE *fp, struct describe_state *st,
		      Dwfl_Module *mod, Dwarf_Addr addr,
		      enum name_source source, enum name_style style);

/*
 * The addresses in [start, end) (module addresses of mod) where what
 * describe_address() writes may change: start, the line table's rows
 * and the bounds of the DWARF scopes there, sorted, each once; in *out
 * (malloc'd).  Returns how many.  Between two of them (and from the
 * last to end) every address is described as the first.
 */
size_t describe_boundaries(struct describe_state *st, Dwfl_Module *mod,
			   Dwarf_Addr start, Dwarf_Addr end, uint64_t **out);

#endif
