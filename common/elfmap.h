/*
 * elfmap.h - where a mapped ELF file sits in a process.
 */
#ifndef PF_ELFMAP_H
#define PF_ELFMAP_H

#include <gelf.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The load bias of an ELF file (run-time address minus file address)
 * given one of its mappings: [start, ...) maps the file from offset.
 * Uses the PT_LOAD segment holding offset; the kernel maps whole pages,
 * so the segment's offset is rounded down to a page.  0, or -1 when no
 * segment holds offset.
 */
int elf_load_bias(Elf *elf, uint64_t start, uint64_t offset, uint64_t *bias);

/*
 * The executable section with contents that holds all of [addr, addr +
 * len) (section addresses), with its header in *sh; NULL when none does.
 */
Elf_Scn *elf_code_section(Elf *elf, uint64_t addr, size_t len,
			  GElf_Shdr *sh);

#endif
