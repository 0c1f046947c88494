/*
 * objinfo.h - what a JIT object holds, for its object record: whether
 * it has line tables, and the name of its main function; and where its
 * main function is, for region.h.
 */
#ifndef PF_SYMBOLIZE_OBJINFO_H
#define PF_SYMBOLIZE_OBJINFO_H

#include "demangle.h"
#include "jit.h"

#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>

/*
 * Set o->lines, o->name and o->examined from mod, the object opened by
 * jit_open().  LINES is OBJECT_LINES when a compilation unit has a line
 * table with a row above line 0 (the table the samples' lines come
 * from; generated code alone has rows at line 0 only), else
 * OBJECT_NOLINES.  NAME is the DW_AT_name of the first
 * DW_TAG_subprogram with code (for Numba the Python name), one that is
 * not generated (die_is_artificial) if there is one; without one
 * the first FUNC symbol, preferring global functions, and plain
 * functions to Numba's wrappers (cpython.*, cfunc.*) and run-time
 * helpers (NRT_*, nrt_*), written in style; else NULL.  For the
 * main function from DWARF, also o->main_linkage (DW_AT_linkage_name,
 * else DW_AT_name as C has it), o->main_line (DW_AT_decl_line) and,
 * when its compile unit is a real file, not a pseudo file like
 * "<string>", o->main_file (the declaration file, else the file of its
 * first line, written as the line table writes it).
 */
void jit_examine(struct jit_object *o, Dwfl_Module *mod,
		 enum name_style style);

/*
 * Whether the function of DIE (through DW_AT_abstract_origin and
 * DW_AT_specification) is DW_AT_artificial: made by the compiler, as
 * pf's shim marks Numba's wrappers.
 */
int die_is_artificial(Dwarf_Die *die);

/* DW_AT_linkage_name (or the MIPS one), else DW_AT_name; NULL if none. */
const char *die_linkage_name(Dwarf_Die *die);

#endif
