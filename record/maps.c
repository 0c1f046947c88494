/*
 * maps.c - the executable file mappings of the profiled process, and
 * symbol look-up in the mapped files (to find __jit_debug_descriptor).
 */
#include "recorder.h"
#include "elfmap.h"
#include "escape.h"
#include "util.h"

#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A mapping of a process: two processes may map a file at one place. */
struct mapping {
	uint32_t pid;
	uint64_t start, end, offset;
	char *path;
};

struct mapping_table {
	FILE *out;
	struct mapping *items;
	size_t nr, alloc;
};

struct mapping_table *mappings_new(FILE *out)
{
	struct mapping_table *mt = xcalloc(1, sizeof(*mt));

	mt->out = out;
	return mt;
}

void mappings_free(struct mapping_table *mt)
{
	size_t i;

	if (!mt)
		return;
	for (i = 0; i < mt->nr; i++)
		free(mt->items[i].path);
	free(mt->items);
	free(mt);
}

int mappings_add(struct mapping_table *mt, uint64_t time, uint32_t pid,
		 uint64_t start, uint64_t end, uint64_t offset,
		 const char *path)
{
	struct mapping *m;
	size_t i;

	/* A few hundred mappings at most: a linear scan is enough. */
	for (i = mt->nr; i-- > 0;) {
		m = &mt->items[i];
		if (m->pid == pid && m->start == start && m->end == end &&
		    m->offset == offset && !strcmp(m->path, path))
			return 0;
	}
	ALLOC_GROW(mt->items, mt->nr + 1, mt->alloc);
	m = &mt->items[mt->nr++];
	m->pid = pid;
	m->start = start;
	m->end = end;
	m->offset = offset;
	m->path = xstrdup(path);
	fprintf(mt->out, "map %" PRIu64 " %" PRIu32 " %" PRIx64 " %" PRIx64
		" %" PRIx64 " ", time, pid, start, end, offset);
	fput_field(mt->out, path);
	fputc('\n', mt->out);
	return 1;
}

int mapped_file(const char *path)
{
	return path[0] == '/' && strncmp(path, "//anon", 6) &&
	       strncmp(path, "/memfd:", 7) && strncmp(path, "/dev/", 5);
}

static uint64_t find_symbol(Elf *elf, const char *symbol)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;
		size_t i, n;

		if (!gelf_getshdr(scn, &sh) ||
		    (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM) ||
		    !sh.sh_entsize || !(data = elf_getdata(scn, NULL)))
			continue;
		n = sh.sh_size / sh.sh_entsize;
		for (i = 0; i < n; i++) {
			GElf_Sym sym;
			const char *name;

			if (!gelf_getsym(data, (int)i, &sym) ||
			    sym.st_shndx == SHN_UNDEF || sym.st_value == 0)
				continue;
			name = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (name && !strcmp(name, symbol))
				return sym.st_value;
		}
	}
	return 0;
}

uint64_t elf_symbol_address(const char *path, uint64_t start,
			    uint64_t offset, const char *symbol)
{
	uint64_t addr = 0, bias;
	Elf *elf;
	int fd;

	elf_version(EV_CURRENT);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (elf && elf_kind(elf) == ELF_K_ELF &&
	    !elf_load_bias(elf, start, offset, &bias)) {
		uint64_t value = find_symbol(elf, symbol);

		if (value)
			addr = value + bias;
	}
	elf_end(elf);
	close(fd);
	return addr;
}
