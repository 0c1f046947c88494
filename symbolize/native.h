/*
 * native.h - code of mapped files (map records).
 *
 * Each file is opened once with libdwfl at its link-time addresses
 * (bias 0) and a sample's PC is translated through the mapping it fell
 * in: the PT_LOAD segment that holds the mapping's file offset gives
 * the mapping's load bias.  Maps are grouped by file, and added to the
 * set's range index, as they are taken.  The set owns its maps and
 * paths.
 */
#ifndef PF_SYMBOLIZE_NATIVE_H
#define PF_SYMBOLIZE_NATIVE_H

#include "hash.h"
#include "ranges.h"

#include <gelf.h>

#include <elfutils/libdwfl.h>
#include <stddef.h>
#include <stdint.h>

struct native_map {
	uint64_t time, start, end, offset;
	uint32_t pid;
	uint32_t file;		/* index into files */
	char *path;		/* decoded */
	uint64_t bias;		/* run-time minus link-time address */
	int bias_tried;		/* bias worked out, or found unknowable */
	int bias_ok;		/* bias is known */
};

struct native_file {
	const char *path;	/* owned by one of its maps */
	int warned;		/* could not be opened; said so once */
	Elf *elf;		/* while open (native_open to native_close) */
	GElf_Addr modbias;
};

struct native_set {
	struct native_map *map;
	size_t nr, alloc;
	struct native_file *file;
	size_t file_nr, file_alloc;
	struct hashmap bypath;	/* path -> index into file */
	struct range_index *maps;	/* gets the maps (owner: map index) */
	size_t nr_missing;	/* files that could not be opened */
};

void native_set_init(struct native_set *ns, struct range_index *maps);
void native_set_release(struct native_set *ns);

/* Take a map record; 0, or -1 when malformed (the caller warns). */
int native_add_map(struct native_set *ns, char **f, size_t n);

/*
 * Open file i with libdwfl, for native_address() on its maps until
 * native_close(ns, i).  Returns the Dwfl (the caller calls dwfl_end,
 * after native_close) and sets *mod, or NULL after warning once per
 * file.
 */
Dwfl *native_open(struct native_set *ns, uint32_t i, Dwfl_Module **mod);
void native_close(struct native_set *ns, uint32_t i);

/*
 * The module address of pc in map m, or -1 when its bias is unknown
 * (its file is not open, or the map is not one of its segments).
 */
int native_address(struct native_set *ns, uint32_t m, uint64_t pc,
		   Dwarf_Addr *addr);

#endif
