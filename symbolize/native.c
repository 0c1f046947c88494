/* native.c - see native.h */
#include "native.h"
#include "escape.h"
#include "elfmap.h"
#include "util.h"

#include <gelf.h>
#include <stdlib.h>
#include <string.h>

void native_set_init(struct native_set *ns, struct range_index *maps)
{
	memset(ns, 0, sizeof(*ns));
	hashmap_init(&ns->bypath);
	ns->maps = maps;
}

void native_set_release(struct native_set *ns)
{
	size_t i;

	for (i = 0; i < ns->nr; i++)
		free(ns->map[i].path);
	free(ns->map);
	free(ns->file);
	hashmap_release(&ns->bypath);
	memset(ns, 0, sizeof(*ns));
}

int native_add_map(struct native_set *ns, char **f, size_t n)
{
	struct native_map m;
	uint64_t pid;
	size_t *slot;
	char *path;
	int added;

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
	slot = hashmap_insert(&ns->bypath, m.path, strlen(m.path), &added);
	if (added) {
		ALLOC_GROW(ns->file, ns->file_nr + 1, ns->file_alloc);
		memset(&ns->file[ns->file_nr], 0, sizeof(*ns->file));
		ns->file[ns->file_nr].path = m.path;
		*slot = ns->file_nr++;
	}
	m.file = (uint32_t)*slot;
	ALLOC_GROW(ns->map, ns->nr + 1, ns->alloc);
	ns->map[ns->nr] = m;
	range_index_add(ns->maps, m.start, m.end, m.time, m.pid,
			(uint32_t)ns->nr);
	ns->nr++;
	return 0;
}

static const Dwfl_Callbacks native_callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

Dwfl *native_open(struct native_set *ns, uint32_t i, Dwfl_Module **mod)
{
	struct native_file *file = &ns->file[i];
	GElf_Addr modbias;
	Dwfl *dwfl;
	Elf *elf;

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
	file->elf = elf;
	file->modbias = modbias;
	return dwfl;
}

void native_close(struct native_set *ns, uint32_t i)
{
	ns->file[i].elf = NULL;
}

int native_address(struct native_set *ns, uint32_t m, uint64_t pc,
		   Dwarf_Addr *addr)
{
	struct native_map *map = &ns->map[m];
	const struct native_file *file = &ns->file[map->file];
	uint64_t bias;

	if (!map->bias_tried && file->elf) {
		map->bias_tried = 1;
		if (!elf_load_bias(file->elf, map->start, map->offset, &bias)) {
			map->bias = bias - file->modbias;
			map->bias_ok = 1;
		}
	}
	if (!map->bias_ok)
		return -1;
	*addr = pc - map->bias;
	return 0;
}
