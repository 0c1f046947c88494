/* describe.c - see describe.h */
#include "describe.h"
#include "escape.h"
#include "objinfo.h"
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
	st->have_sub = 0;
	return 0;
}

/* DIEs with address ranges that may hold a function's frames. */
static int is_scope(int tag)
{
	switch (tag) {
	case DW_TAG_subprogram:
	case DW_TAG_inlined_subroutine:
	case DW_TAG_entry_point:
	case DW_TAG_lexical_block:
	case DW_TAG_try_block:
	case DW_TAG_catch_block:
		return 1;
	}
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

		if (is_scope(tag)) {
			if (dwarf_haspc(&child, pc) <= 0)
				continue;
			if (tag == DW_TAG_subprogram ||
			    tag == DW_TAG_inlined_subroutine ||
			    tag == DW_TAG_entry_point) {
				if (n == MAX_SCOPES)
					return n;
				scopes[n++] = child;
			}
			return find_scopes(&child, pc, scopes, n, depth + 1);
		}
		if (tag == DW_TAG_namespace || tag == DW_TAG_module) {
			/* C++ and Fortran put definitions in these. */
			m = find_scopes(&child, pc, scopes, n, depth + 1);
			if (m > n)
				return m;
		}
	} while (dwarf_siblingof(&child, &child) == 0);
	return n;
}

/*
 * find_scopes() from the compilation unit cudie, the one find_cu() gave:
 * first in the subprogram that held the last address, as the spans of
 * a function and the samples in it come one after the other (a unit
 * may hold thousands of functions, all looked at otherwise).
 */
static int unit_scopes(struct describe_state *st, Dwarf_Die *cudie,
		       Dwarf_Addr pc, Dwarf_Die *scopes)
{
	int n;

	if (st->have_sub && dwarf_haspc(&st->sub, pc) > 0) {
		scopes[0] = st->sub;
		return find_scopes(&st->sub, pc, scopes, 1, 1);
	}
	n = find_scopes(cudie, pc, scopes, 0, 0);
	if (n > 0 && dwarf_tag(&scopes[0]) == DW_TAG_subprogram) {
		st->sub = scopes[0];
		st->have_sub = 1;
	}
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
	const char *name = source == NAME_FROM_SYMBOL ? die_linkage_name(die)
						       : die_string(die, DW_AT_name);

	return name ? readable_name(name, style) : NULL;
}

/* The ELF symbol containing addr, readable, malloc'd, or NULL. */
static char *symbol_name(const struct describe_state *st, Dwfl_Module *mod,
			 Dwarf_Addr addr, enum name_style style)
{
	GElf_Off offset;
	GElf_Sym sym;
	const char *name;

	char *plain, *readable;

	if (st->symbols)
		name = symindex_lookup(st->symbols, addr);
	else
		name = dwfl_module_addrinfo(mod, addr, &offset, &sym, NULL,
					    NULL, NULL);
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

/* The name of the unit that defines the function of scope die. */
static const char *unit_name(Dwarf_Die *die, Dwarf_Die *cudie)
{
	Dwarf_Attribute attr;
	Dwarf_Die origin = *die, cu;
	int hops;

	/* An inlined copy names its function through abstract_origin. */
	for (hops = 0; hops < 8; hops++) {
		if (!dwarf_attr(&origin, DW_AT_abstract_origin, &attr) ||
		    !dwarf_formref_die(&attr, &origin))
			break;
	}
	if (hops == 0)
		return dwarf_diename(cudie);
	return dwarf_diecu(&origin, &cu, NULL, NULL) ? dwarf_diename(&cu)
						      : NULL;
}

/*
 * Set up ps for code whose outermost own function is scopes[real] (of
 * unit cudie), called from the generated functions scopes[0..real):
 * nothing unless that function's unit is a pseudo file.  The owner is
 * found by the function's linkage name, else by those of the generated
 * functions around it (a wrapper that inlined it holds its symbol).
 */
static void find_pseudo(struct describe_state *st, Dwfl_Module *mod,
			Dwarf_Die *cudie, Dwarf_Die *scopes, int outer,
			int real, struct pseudo *ps)
{
	const char *name = unit_name(&scopes[real], cudie), *linkage;
	int i;

	if (!st->regions || !name || !is_pseudo_file(name))
		return;
	ps->name = name;
	for (i = real; i >= outer && !ps->owner; i--)
		if ((linkage = die_linkage_name(&scopes[i])))
			ps->owner = region_find(st->regions, st->self, mod,
						linkage);
}

/* Where in its code a frame is: a file and a line. */
struct place {
	const char *file;
	uint64_t line;
};

/*
 * Where frame i of scopes[0..n) is: in the innermost, the line table's
 * place; in the others, the call site of the frame inside it.
 */
static struct place frame_place(Dwarf_Die *scopes, int i, int n,
				Dwarf_Die *cudie, struct place innermost)
{
	struct place p = innermost;

	if (i < n - 1) {
		p.line = call_line(&scopes[i + 1]);
		p.file = p.line ? call_file(&scopes[i + 1], cudie) : NULL;
	}
	return p;
}

/*
 * Write the call sites of the frames own[0..nown-1] but the innermost
 * (own[nown - 1]), innermost first: each is the function of own[j]
 * (outer's name for the first) at its place.
 */
static void write_chain(FILE *fp, Dwarf_Die *scopes, int n, const int *own,
			int nown, const char *outer, Dwarf_Die *cudie,
			struct place innermost, const struct pseudo *ps,
			enum name_source source, enum name_style style)
{
	int j;

	if (nown < 2) {
		fputc('-', fp);
		return;
	}
	for (j = nown - 2; j >= 0; j--) {
		struct place p = frame_place(scopes, own[j], n, cudie,
					     innermost);
		char *caller = j > 0 ? die_function_name(&scopes[own[j]],
							 source, style)
				     : NULL;

		if (j < nown - 2)
			fputc(';', fp);
		fput_field(fp, caller ? caller : outer);
		fputc('@', fp);
		fput_field(fp, map_file(ps, p.file, p.line));
		fprintf(fp, ":%" PRIu64, p.line);
		free(caller);
	}
}

/* Does the JIT object described hold user code (a line table)? */
static int holds_user_code(const struct describe_state *st)
{
	const struct jit_object *o;

	if (!st->regions)
		return 0;
	o = &st->regions->js->obj[st->self];
	return o->examined && o->lines == OBJECT_LINES;
}

/*
 * Frames of functions the compiler generated (DW_AT_artificial: Numba's
 * wrappers, whose code is no one's source) are left out: a sample is
 * written as the user's own functions see it, the innermost of them
 * with its place (in a generated function it called, the call site).
 * When every frame is generated, the outermost names the code.
 */
void describe_address(FILE *fp, struct describe_state *st,
		      Dwfl_Module *mod, Dwarf_Addr addr,
		      enum name_source source, enum name_style style)
{
	Dwarf_Die cudie, scopes[MAX_SCOPES];
	Dwarf_Addr bias = 0;
	Dwarf_Line *line = NULL;
	struct place innermost = { NULL, 0 }, here;
	char *outer = NULL, *inner = NULL;
	int lineno = 0, n = 0, first, have_cu, own[MAX_SCOPES], nown = 0, i;
	struct pseudo ps = { NULL, NULL };

	have_cu = find_cu(st, mod, addr, &cudie, &bias) == 0;
	if (have_cu) {
		line = dwarf_getsrc_die(&cudie, addr - bias);
		if (line && dwarf_lineno(line, &lineno) == 0 && lineno > 0)
			innermost.file = dwarf_linesrc(line, NULL, NULL);
		if (innermost.file)
			innermost.line = (uint64_t)lineno;
		n = unit_scopes(st, &cudie, addr - bias, scopes);
	}
	/* The real (not inlined) function the address is in. */
	for (first = n - 1; first > 0; first--)
		if (dwarf_tag(&scopes[first]) != DW_TAG_inlined_subroutine)
			break;
	for (i = first < 0 ? 0 : first; i < n; i++)
		if (!die_is_artificial(&scopes[i]))
			own[nown++] = i;
	if (nown == 0 && n > 0)
		own[nown++] = first;	/* all generated: the outermost */
	here = nown ? frame_place(scopes, own[nown - 1], n, &cudie, innermost)
		    : innermost;
	if (nown && source == NAME_FROM_DWARF)
		outer = die_function_name(&scopes[own[0]], source, style);
	if (!outer && (!nown || own[0] == first))
		outer = symbol_name(st, mod, addr, style);
	if (!outer && nown)
		outer = die_function_name(&scopes[own[0]], source, style);
	if (nown > 1)
		inner = die_function_name(&scopes[own[nown - 1]], source,
					  style);
	/*
	 * Generated code in an object of generated code only (Numba's
	 * runtime) is no one's region, though its unit's name looks like
	 * one: the functions that call it do not enclose it.
	 */
	if (have_cu && nown &&
	    (holds_user_code(st) || !die_is_artificial(&scopes[own[0]])))
		find_pseudo(st, mod, &cudie, scopes, first, own[0], &ps);
	else if (have_cu && !nown && st->regions && dwarf_diename(&cudie) &&
		 is_pseudo_file(dwarf_diename(&cudie)))
		ps.name = dwarf_diename(&cudie);
	if (ps.owner) {
		free(outer);
		outer = xstrdup(ps.owner->function);
	}

	fput_field(fp, inner ? inner : outer);
	fputc(' ', fp);
	fput_field(fp, map_file(&ps, here.file, here.line));
	fprintf(fp, " %" PRIu64 " ", here.line);
	write_chain(fp, scopes, n, own, nown, outer, &cudie, innermost, &ps,
		    source, style);
	free(inner);
	free(outer);
}

struct bounds {
	uint64_t start, end;	/* module addresses */
	uint64_t *addr;
	size_t nr, alloc;
};

static void add_bound(struct bounds *b, uint64_t a)
{
	if (a <= b->start || a >= b->end)
		return;
	ALLOC_GROW(b->addr, b->nr + 1, b->alloc);
	b->addr[b->nr++] = a;
}

/*
 * Add the starts and ends of the scopes under parent that overlap
 * [b->start, b->end): where describe_address() may find other frames.
 */
static void scope_bounds(Dwarf_Die *parent, Dwarf_Addr bias,
			 struct bounds *b, int depth)
{
	Dwarf_Die child;

	if (depth > MAX_DEPTH || dwarf_child(parent, &child) != 0)
		return;
	do {
		Dwarf_Addr base, lo, hi;
		ptrdiff_t off = 0;
		int overlaps = 0, tag = dwarf_tag(&child);

		if (is_scope(tag)) {
			while ((off = dwarf_ranges(&child, off, &base, &lo,
						   &hi)) > 0) {
				if (lo + bias >= b->end || hi + bias <= b->start)
					continue;
				overlaps = 1;
				add_bound(b, lo + bias);
				add_bound(b, hi + bias);
			}
			if (overlaps)
				scope_bounds(&child, bias, b, depth + 1);
		} else if (tag == DW_TAG_namespace || tag == DW_TAG_module) {
			scope_bounds(&child, bias, b, depth + 1);
		}
	} while (dwarf_siblingof(&child, &child) == 0);
}

static int cmp_u64(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	return (a > b) - (a < b);
}

size_t describe_boundaries(struct describe_state *st, Dwfl_Module *mod,
			   Dwarf_Addr start, Dwarf_Addr end, uint64_t **out)
{
	struct bounds b = { start, end, NULL, 0, 0 };
	Dwarf_Lines *lines;
	Dwarf_Die cudie;
	Dwarf_Addr bias;
	size_t nlines, i, nr;

	ALLOC_GROW(b.addr, 1, b.alloc);
	b.addr[b.nr++] = start;
	if (find_cu(st, mod, start, &cudie, &bias) == 0) {
		if (dwarf_getsrclines(&cudie, &lines, &nlines) == 0)
			for (i = 0; i < nlines; i++) {
				Dwarf_Line *l = dwarf_onesrcline(lines, i);
				Dwarf_Addr a;

				if (l && dwarf_lineaddr(l, &a) == 0)
					add_bound(&b, a + bias);
			}
		scope_bounds(&cudie, bias, &b, 0);
	}
	qsort(b.addr, b.nr, sizeof(*b.addr), cmp_u64);
	for (i = nr = 0; i < b.nr; i++)
		if (!nr || b.addr[nr - 1] != b.addr[i])
			b.addr[nr++] = b.addr[i];
	*out = b.addr;
	return nr;
}
