/* nolines.c - see nolines.h */
#include "nolines.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static int is_runtime(const char *name)
{
	return name && (!strncmp(name, "NRT_", 4) || !strncmp(name, "nrt_", 4));
}

/*
 * Code Numba generates around the user's: the cpython and cfunc
 * wrappers, a prange loop's gufunc wrapper and its launcher.
 */
static int is_wrapper(const char *name)
{
	static const char *const prefix[] = {
		"cpython.", "cfunc.", "__gufunc__.", ".kernel.",
	};
	size_t i;

	for (i = 0; name && i < sizeof(prefix) / sizeof(prefix[0]); i++)
		if (!strncmp(name, prefix[i], strlen(prefix[i])))
			return 1;
	return 0;
}

static int cmp_function(const void *pa, const void *pb)
{
	const struct noline_function *a = pa, *b = pb;

	if (a->samples != b->samples)
		return a->samples > b->samples ? -1 : 1;
	return strcmp(a->name, b->name);
}

struct noline_function *noline_functions(const struct profile *p, size_t *nr)
{
	struct noline_function *f = NULL;
	size_t i, j, alloc = 0;

	*nr = 0;
	for (i = 0; i < p->noline_objects_nr; i++) {
		const struct nolines_count *c = &p->noline_objects[i];
		int runtime = is_runtime(c->name);
		/* Without a name, the object is all there is to show. */
		const char *name = runtime ? "Numba runtime"
				   : c->name ? c->name : c->object;

		for (j = 0; j < *nr; j++)
			if (f[j].runtime == runtime && !strcmp(f[j].name, name))
				break;
		if (j == *nr) {
			ALLOC_GROW(f, *nr + 1, alloc);
			f[j].name = name;
			f[j].runtime = runtime;
			f[j].wrapper = !runtime && is_wrapper(name);
			f[j].samples = 0;
			(*nr)++;
		}
		f[j].samples += c->samples;
	}
	if (*nr > 1)
		qsort(f, *nr, sizeof(*f), cmp_function);
	return f;
}
