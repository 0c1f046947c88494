/* elfmap.c - see elfmap.h */
#include "elfmap.h"

int elf_load_bias(Elf *elf, uint64_t start, uint64_t offset, uint64_t *bias)
{
	size_t i, n;

	if (elf_getphdrnum(elf, &n))
		return -1;
	for (i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (offset >= (ph.p_offset & ~(uint64_t)0xfff) &&
		    offset < ph.p_offset + ph.p_filesz) {
			*bias = start - (ph.p_vaddr + (offset - ph.p_offset));
			return 0;
		}
	}
	return -1;
}

Elf_Scn *elf_code_section(Elf *elf, uint64_t addr, size_t len,
			  GElf_Shdr *sh)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn)))
		if (gelf_getshdr(scn, sh) && sh->sh_type != SHT_NOBITS &&
		    (sh->sh_flags & SHF_EXECINSTR) && addr >= sh->sh_addr &&
		    addr - sh->sh_addr <= sh->sh_size &&
		    len <= sh->sh_size - (addr - sh->sh_addr))
			return scn;
	return NULL;
}
