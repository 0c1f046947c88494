/* native.c - see native.h */
#include "native.h"
#include "escape.h"
#include "elfmap.h"
#include "util.h"

#include <gelf.h>
#include <stdlib.h>
#include <string.h>

void native_set_init(struct native_set *ns)
{
	memset(ns, 0, sizeof(*ns));
}

void native_set_release(struct native_set *ns)
{
	size_t i;

	for (i = 0; i < ns->nr; i++)
		free(ns->map[i].path);
	free(ns->map);
	free(ns->file);
	native_set_init(ns);
}

int native_add_map(struct native_set *ns, char **f, size_t n)
{
	struct native_map m;
	uint64_t pid;
	char *path;

	memset(&m, 0, sizeof(m));
	if (n < 7 || parse_u64(f[1], 10, 0, UINT64_MAX, &m.time) ||
	    parse_u64(f[2], 10, 0, UINT32_MAX, &pid) ||
	    parse_u64(f[3], 16, 0, UINT64_MAX, &m.start) ||
	    parse_u64(f[4], 16, 0, UINT64_MAX, &m.end) ||
	    parse_u64(f[5], 16, 0, UINT64_MAX, &m.offset) ||
	    m.end <= m.start)
		return -1;
	f[6][strcspn(f[6], " ")] = '\0';	/* ignore later fields */
	if (unescape_field(f[6], &path) || !path)
		return -1;
	m.pid = (uint32_t)pid;
	m.path = xstrdup(path);
	ALLOC_GROW(ns->map, ns->nr + 1, ns->alloc);
	ns->map[ns->nr++] = m;
	return 0;
}

static int cmp_path(const void *a, const void *b)
{
	const struct native_map *const *x = a, *const *y = b;

	return strcmp((*x)->path, (*y)->path);
}

void native_set_finish(struct native_set *ns, struct range_index *maps)
{
	struct native_map **bypath;
	size_t i;

	bypath = xreallocarray(NULL, ns->nr, sizeof(*bypath));
	for (i = 0; i < ns->nr; i++)
		bypath[i] = &ns->map[i];
	qsort(bypath, ns->nr, sizeof(*bypath), cmp_path);
	ns->file = xcalloc(ns->nr, sizeof(*ns->file));
	for (i = 0; i < ns->nr; i++) {
		if (i == 0 || strcmp(bypath[i - 1]->path, bypath[i]->path))
			ns->file[ns->file_nr++].path = bypath[i]->path;
		bypath[i]->file = (uint32_t)(ns->file_nr - 1);
	}
	free(bypath);
	for (i = 0; i < ns->nr; i++)
		range_index_add(maps, ns->map[i].start, ns->map[i].end,
				ns->map[i].time, ns->map[i].pid, (uint32_t)i);
}

static const Dwfl_Callbacks native_callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

/* Bias of map m relative to the module reported at modbias. */
static int map_bias(Elf *elf, GElf_Addr modbias, struct native_map *m)
{
	uint64_t bias;

	if (elf_load_bias(elf, m->start, m->offset, &bias))
		return -1;
	m->bias = bias - modbias;
	m->bias_ok = 1;
	return 0;
}

Dwfl *native_open(struct native_set *ns, uint32_t i, Dwfl_Module **mod)
{
	struct native_file *file = &ns->file[i];
	GElf_Addr modbias;
	Dwfl *dwfl;
	Elf *elf;
	size_t m;

	/* [vdso] and the like are not files. */
	if (file->warned || file->path[0] != '/')
		return NULL;
	dwfl = dwfl_begin(&native_callbacks);
	if (!dwfl)
		die(EXIT_FATAL, "%s", dwfl_errmsg(-1));
	dwfl_report_begin(dwfl);
	*mod = dwfl_report_elf(dwfl, file->path, file->path, -1, 0, true);
	if (!*mod || dwfl_report_end(dwfl, NULL, NULL) != 0 ||
	    !(elf = dwfl_module_getelf(*mod, &modbias))) {
		warn("cannot read %s: %s (no function names for it)",
		     file->path, dwfl_errmsg(-1));
		file->warned = 1;
		ns->nr_missing++;
		dwfl_end(dwfl);
		return NULL;
	}
	for (m = 0; m < ns->nr; m++)
		if (ns->map[m].file == i)
			map_bias(elf, modbias, &ns->map[m]);
	return dwfl;
}

int native_address(const struct native_set *ns, uint32_t m, uint64_t pc,
		   Dwarf_Addr *addr)
{
	if (!ns->map[m].bias_ok)
		return -1;
	*addr = pc - ns->map[m].bias;
	return 0;
}
