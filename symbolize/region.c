/* region.c - see region.h */
#include "region.h"
#include "objinfo.h"
#include "util.h"

#include <gelf.h>
#include <stdlib.h>
#include <string.h>

/* No owner was found: the value kept in found. */
#define NO_OWNER SIZE_MAX

int is_pseudo_file(const char *path)
{
	const char *slash = strrchr(path, '/');

	return (slash ? slash[1] : path[0]) == '<';
}

void region_finder_init(struct region_finder *rf, struct jit_set *js,
			enum name_style style)
{
	memset(rf, 0, sizeof(*rf));
	rf->js = js;
	rf->style = style;
	hashmap_init(&rf->holders);
	hashmap_init(&rf->found);
}

void region_finder_release(struct region_finder *rf)
{
	size_t i;

	for (i = 0; i < rf->list_nr; i++)
		free(rf->list[i].obj);
	for (i = 0; i < rf->owner_nr; i++) {
		free(rf->owner[i].file);
		free(rf->owner[i].function);
	}
	free(rf->list);
	free(rf->owner);
	free(rf->sym);
	hashmap_release(&rf->holders);
	hashmap_release(&rf->found);
	memset(rf, 0, sizeof(*rf));
}

/*
 * Call fn with the name and type of every symbol of object o (not
 * sections and files) until it returns nonzero.  Returns that value,
 * else 0.
 */
static int each_symbol(const struct jit_object *o,
		       int (*fn)(void *ctx, const char *name, int type),
		       void *ctx)
{
	Elf *elf = elf_memory((char *)o->image, o->size);
	Elf_Scn *scn = NULL;
	int ret = 0;

	if (!elf)
		return 0;
	while (!ret && (scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;
		size_t i, n;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB ||
		    sh.sh_entsize == 0 || !(data = elf_getdata(scn, NULL)))
			continue;
		n = sh.sh_size / sh.sh_entsize;
		for (i = 1; i < n && !ret; i++) {
			GElf_Sym sym;
			const char *name;
			int type;

			if (!gelf_getsym(data, (int)i, &sym))
				break;
			type = GELF_ST_TYPE(sym.st_info);
			if (type == STT_SECTION || type == STT_FILE)
				continue;
			name = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (name && *name)
				ret = fn(ctx, name, type);
		}
	}
	elf_end(elf);
	return ret;
}

struct index_ctx {
	struct region_finder *rf;
	uint32_t obj;
};

/*
 * The NAME of a function symbol called PREFIX.NAME: Numba names code it
 * builds around a function after it (__gufunc__.NAME, the gufunc
 * wrapper of a prange region; cfunc.NAME), and an object may hold only
 * such a wrapper, with NAME inlined into it.  NULL for other symbols.
 */
static const char *wrapped_name(const char *name, int type)
{
	const char *dot = strrchr(name, '.');

	return type == STT_FUNC && dot && dot[1] ? dot + 1 : NULL;
}

static void add_hash(struct region_finder *rf, const char *name,
		     uint32_t obj)
{
	ALLOC_GROW(rf->sym, rf->sym_nr + 1, rf->sym_alloc);
	rf->sym[rf->sym_nr].hash = hash_bytes(name, strlen(name));
	rf->sym[rf->sym_nr++].obj = obj;
}

static int add_symbol(void *ctx, const char *name, int type)
{
	struct index_ctx *ic = ctx;
	const char *wrapped = wrapped_name(name, type);

	add_hash(ic->rf, name, ic->obj);
	if (wrapped)
		add_hash(ic->rf, wrapped, ic->obj);
	return 0;
}

static int cmp_symbol_hash(const void *a, const void *b)
{
	const struct symbol_hash *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->obj < y->obj ? -1 : x->obj > y->obj;
}

/* Forget the lists of holders: objects were added to the index. */
static void forget_holders(struct region_finder *rf)
{
	size_t i;

	for (i = 0; i < rf->list_nr; i++)
		free(rf->list[i].obj);
	rf->list_nr = 0;
	hashmap_release(&rf->holders);
	hashmap_init(&rf->holders);
}

/*
 * Index the symbols of the objects that became whole since the last
 * call: the recording is read as a stream, and a question is answered
 * from the objects recorded up to the sample that asks it.
 */
static void index_symbols(struct region_finder *rf)
{
	struct index_ctx ic;
	size_t i, n = 0, before = rf->sym_nr;

	if (rf->complete_seen == rf->js->nr_complete)
		return;
	rf->complete_seen = rf->js->nr_complete;
	ic.rf = rf;
	for (i = rf->first_unindexed; i < rf->js->nr; i++) {
		const struct jit_object *o = &rf->js->obj[i];

		if (!o->complete || o->symbols_indexed)
			continue;
		rf->js->obj[i].symbols_indexed = 1;
		if (o->unusable || !o->image)
			continue;
		ic.obj = (uint32_t)i;
		each_symbol(o, add_symbol, &ic);
	}
	while (rf->first_unindexed < rf->js->nr &&
	       rf->js->obj[rf->first_unindexed].symbols_indexed)
		rf->first_unindexed++;
	if (rf->sym_nr == before)
		return;
	forget_holders(rf);
	qsort(rf->sym, rf->sym_nr, sizeof(*rf->sym), cmp_symbol_hash);
	for (i = 0; i < rf->sym_nr; i++)
		if (n == 0 || rf->sym[n - 1].hash != rf->sym[i].hash ||
		    rf->sym[n - 1].obj != rf->sym[i].obj)
			rf->sym[n++] = rf->sym[i];
	rf->sym_nr = n;
}

static int same_name(void *ctx, const char *name, int type)
{
	const char *wrapped = wrapped_name(name, type);

	return !strcmp(ctx, name) || (wrapped && !strcmp(ctx, wrapped));
}

/*
 * The objects holding a symbol called name.  The list stays valid until
 * the next call (the array of lists may move; each list's own does not).
 */
static const struct object_list *holders(struct region_finder *rf,
					 const char *name)
{
	size_t len = strlen(name), lo = 0, hi, *slot;
	uint64_t hash = hash_bytes(name, len);
	struct object_list *l;
	int added;

	slot = hashmap_insert(&rf->holders, name, len, &added);
	if (!added)
		return &rf->list[*slot];
	ALLOC_GROW(rf->list, rf->list_nr + 1, rf->list_alloc);
	*slot = rf->list_nr;
	l = &rf->list[rf->list_nr++];
	memset(l, 0, sizeof(*l));
	for (hi = rf->sym_nr; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;

		if (rf->sym[mid].hash < hash)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Equal hashes are nearly always equal names: make sure. */
	for (; lo < rf->sym_nr && rf->sym[lo].hash == hash; lo++) {
		const struct jit_object *o = &rf->js->obj[rf->sym[lo].obj];

		if (!each_symbol(o, same_name, (void *)name))
			continue;
		l->obj = xreallocarray(l->obj, l->nr + 1, sizeof(*l->obj));
		l->obj[l->nr++] = rf->sym[lo].obj;
	}
	return l;
}

/* Examine object i (its main function) unless done; 0 if usable. */
static int examine(struct region_finder *rf, size_t i, size_t self,
		   Dwfl_Module *self_mod)
{
	struct jit_object *o = &rf->js->obj[i];
	Dwfl_Module *mod = NULL;
	Dwfl *dwfl;

	if (o->examined)
		return 0;
	if (i == self) {
		jit_examine(o, self_mod, rf->style);
		return 0;
	}
	dwfl = jit_open(rf->js, i, &mod);
	if (!dwfl)
		return -1;
	jit_examine(o, mod, rf->style);
	dwfl_end(dwfl);
	return 0;
}

/* Does object i come after object j in the recording (TIME, ID)? */
static int later(const struct jit_set *js, size_t i, size_t j)
{
	const struct jit_object *a = &js->obj[i], *b = &js->obj[j];

	if (a->time != b->time)
		return a->time > b->time;
	return a->id > b->id;
}

static int in_list(const uint32_t *v, size_t n, size_t x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == x)
			return 1;
	return 0;
}

/* The object whose main function the region belongs to, or NO_OWNER. */
static size_t choose(struct region_finder *rf, size_t self,
		     Dwfl_Module *self_mod, const char *linkage)
{
	const struct object_list *with;
	struct jit_object *objs = rf->js->obj;
	uint32_t *cand;
	char *caller = NULL;
	size_t i, j, n = 0, best = NO_OWNER, after = NO_OWNER;
	size_t before = NO_OWNER, callers = 0;

	index_symbols(rf);
	with = holders(rf, linkage);
	cand = xreallocarray(NULL, with->nr + 1, sizeof(*cand));

	for (i = 0; i <= with->nr; i++) {
		size_t k = i < with->nr ? with->obj[i] : self;
		const struct jit_object *o = &objs[k];

		if ((i == with->nr && in_list(with->obj, with->nr, self)) ||
		    examine(rf, k, self, self_mod) || o->unusable ||
		    !o->main_file ||
		    (o->main_linkage && !strcmp(o->main_linkage, linkage)))
			continue;
		cand[n++] = (uint32_t)k;
	}
	/* Holding another candidate's main function: a caller of it. */
	caller = xmalloc(n ? n : 1);
	memset(caller, 0, n ? n : 1);
	for (i = 0; i < n; i++) {
		const char *main_linkage = objs[cand[i]].main_linkage;
		const struct object_list *l;

		if (!main_linkage)
			continue;
		l = holders(rf, main_linkage);
		for (j = 0; j < n; j++)
			if (j != i && !caller[j] &&
			    in_list(l->obj, l->nr, cand[j])) {
				caller[j] = 1;
				callers++;
			}
	}
	for (i = 0; i < n; i++) {
		size_t k = cand[i];

		if (caller[i] && callers < n)
			continue;
		if (k == self) {
			best = k;
			break;
		}
		if (later(rf->js, k, self)) {
			if (after == NO_OWNER || later(rf->js, after, k))
				after = k;
		} else if (before == NO_OWNER || later(rf->js, k, before)) {
			before = k;
		}
	}
	if (best == NO_OWNER)
		best = after != NO_OWNER ? after : before;
	free(caller);
	free(cand);
	return best;
}

const struct region_owner *region_find(struct region_finder *rf,
				       size_t self, Dwfl_Module *mod,
				       const char *linkage)
{
	size_t len = strlen(linkage), *slot, k;
	uint64_t self64 = self;
	char *key = xmalloc(sizeof(self64) + len);
	struct region_owner *ow = NULL;

	memcpy(key, &self64, sizeof(self64));
	memcpy(key + sizeof(self64), linkage, len);
	slot = hashmap_find(&rf->found, key, sizeof(self64) + len);
	if (slot) {
		free(key);
		return *slot == NO_OWNER ? NULL : &rf->owner[*slot];
	}
	k = choose(rf, self, mod, linkage);
	if (k != NO_OWNER) {
		const struct jit_object *o = &rf->js->obj[k];

		ALLOC_GROW(rf->owner, rf->owner_nr + 1, rf->owner_alloc);
		ow = &rf->owner[rf->owner_nr];
		ow->file = xstrdup(o->main_file);
		ow->function = xstrdup(o->name ? o->name : "-");
		ow->first_line = o->main_line;
	}
	slot = hashmap_insert(&rf->found, key, sizeof(self64) + len, NULL);
	*slot = ow ? rf->owner_nr++ : NO_OWNER;
	free(key);
	return ow;
}
