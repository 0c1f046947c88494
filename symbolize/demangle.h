/*
 * demangle.h - readable function names from symbol names.
 */
#ifndef PF_SYMBOLIZE_DEMANGLE_H
#define PF_SYMBOLIZE_DEMANGLE_H

enum name_style {
	NAMES_NATIVE,	/* C++ demangling only */
	NAMES_NUMBA,	/* also undo Numba's mangling conventions */
	NAMES_RAW,	/* leave symbols as they are (--no-demangle) */
};

/*
 * Return a readable form of symbol name sym, allocated with malloc.
 * NAMES_NUMBA recognises Numba's names (those with an [abi:vN] tag) and
 * writes them as Python names: the tags dropped, Numba's _XX escapes
 * decoded, "::" written as "." and ", " as "," (a space would be
 * escaped as %20 in the stream), the parameter list kept; an escaped
 * space in a type of the list is dropped after a comma and written as
 * '_' elsewhere ("reflected list(int64)" -> "reflected_list(int64)").
 *
 *   _ZN8__main__1fB2v1B54c8tJ...E5ArrayIdLi1E1C7mutable7alignedE
 *   -> __main__.f(Array<double,1,C,mutable,aligned>)
 *
 * A prefix before an embedded "._Z" (Numba's "cfunc._ZN...") is kept.
 */
char *readable_name(const char *sym, enum name_style style);

#endif
