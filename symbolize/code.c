/* code.c - see code.h */
#include "code.h"
#include "aggrec.h"
#include "base64.h"
#include "record.h"
#include "elfmap.h"
#include "escape.h"
#include "util.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Bytes a codedata record carries at most (4096 base64 characters). */
#define CODE_CHUNK 3072

void code_writer_init(struct code_writer *w)
{
	memset(w, 0, sizeof(*w));
	hashmap_init(&w->done);
}

void code_writer_release(struct code_writer *w)
{
	hashmap_release(&w->done);
	memset(w, 0, sizeof(*w));
}

/*
 * The function symbol around module address maddr: [*start, *end) and
 * its name as libdwfl or the index has it.  0, or -1 when there is none.
 */
static int find_function(const struct code_place *p, Dwarf_Addr maddr,
			 Dwarf_Addr *start, Dwarf_Addr *end,
			 const char **name)
{
	const struct symindex_entry *e;
	GElf_Off off;
	GElf_Sym sym;

	if (p->st->symbols) {
		if (!(e = symindex_find(p->st->symbols, maddr)))
			return -1;
		*start = e->start;
		*end = e->end;
		*name = e->alias ? e->alias : e->name;
		return 0;
	}
	*name = dwfl_module_addrinfo(p->mod, maddr, &off, &sym, NULL, NULL,
				     NULL);
	if (!*name || sym.st_size == 0 || off >= sym.st_size)
		return -1;
	*start = maddr - off;
	*end = *start + sym.st_size;
	return 0;
}

/* A native function's bytes from its file: CODE_FILE, or CODE_NONE. */
static enum code_source file_bytes(Elf *elf, GElf_Addr modbias,
				   Dwarf_Addr maddr, size_t len,
				   unsigned char *out)
{
	GElf_Shdr sh;
	GElf_Addr a = maddr - modbias;
	Elf_Scn *scn = elf_code_section(elf, a, len, &sh);
	Elf_Data *d;

	if (!scn || !(d = elf_getdata(scn, NULL)) || !d->d_buf ||
	    d->d_size < sh.sh_size)
		return CODE_NONE;
	memcpy(out, (const char *)d->d_buf + (a - sh.sh_addr), len);
	return CODE_FILE;
}

/* "FUNCTION FILE LINE INLINED" of module address a, malloc'd. */
static char *describe(const struct code_place *p, Dwarf_Addr a, size_t *len)
{
	char *text = NULL;
	FILE *fp = open_memstream(&text, len);

	if (!fp)
		die(EXIT_FATAL, "open_memstream:");
	describe_address(fp, p->st, p->mod, a, p->source, p->style);
	if (fclose(fp) != 0)
		die(EXIT_FATAL, "out of memory describing an address");
	return text;
}

/*
 * span OBJECT START END FUNCTION FILE LINE INLINED, from the escaped
 * "FUNCTION FILE LINE INLINED" describe_address() wrote.
 */
static void write_span(FILE *fp, const struct code_place *p, uint64_t start,
		       uint64_t end, const char *text)
{
	union agg_value v[7];
	char *copy = xstrdup(text), *f[5];
	size_t n = split_fields(copy, f, 5);
	uint64_t line;

	if (n != 4 || unescape_field(f[0], (char **)&v[3].s) ||
	    unescape_field(f[1], (char **)&v[4].s) ||
	    parse_u64(f[2], 10, 0, UINT32_MAX, &line))
		die(EXIT_FATAL, "internal error: description '%s'", text);
	v[0].s = p->object;
	v[1].u = start;
	v[2].u = end;
	v[5].u = line;
	v[6].s = f[3];
	agg_write(fp, &agg_span, v, 0);
	free(copy);
}

/*
 * The span records of [start, end) (module addresses): each stretch
 * where the description stays the same, in process addresses.
 */
static void write_spans(FILE *fp, const struct code_place *p,
			Dwarf_Addr start, Dwarf_Addr end)
{
	uint64_t *b, from = 0;
	size_t nr = describe_boundaries(p->st, p->mod, start, end, &b), i;
	size_t len, prev_len = 0;
	char *prev = NULL;

	for (i = 0; i < nr; i++) {
		char *text = describe(p, b[i], &len);

		if (prev && len == prev_len && !memcmp(text, prev, len)) {
			free(text);
			continue;
		}
		if (prev)
			write_span(fp, p, from - p->shift, b[i] - p->shift,
				   prev);
		free(prev);
		prev = text;
		prev_len = len;
		from = b[i];
	}
	if (prev)
		write_span(fp, p, from - p->shift, end - p->shift, prev);
	free(prev);
	free(b);
}

void code_write(struct code_writer *w, FILE *fp, const struct code_place *p)
{
	Dwarf_Addr maddr = p->pc + p->shift, start, end;
	enum code_source how = CODE_NONE;
	unsigned char *bytes = NULL;
	const char *name;
	char *plain, *readable;
	union agg_value v[5];
	char b64[BASE64_ENCODED_LEN(CODE_CHUNK) + 1];
	uint64_t key[3];
	size_t len, off;
	int added;

	if (find_function(p, maddr, &start, &end, &name))
		return;
	key[0] = p->kind;
	key[1] = p->owner;
	key[2] = start;
	hashmap_insert(&w->done, key, sizeof(key), &added);
	if (!added)
		return;
	len = end - start;
	if (len <= (p->jit ? CODE_JIT_MAX : CODE_NATIVE_MAX)) {
		bytes = xmalloc(len ? len : 1);
		if (p->jit)
			how = jit_code_bytes(p->jit, start - p->shift, len,
					     bytes);
		else if (p->elf)
			how = file_bytes(p->elf, p->modbias, start, len, bytes);
	}
	/* libdwfl names versioned symbols "memcpy@GLIBC_2.2.5". */
	plain = xstrndup(name, strcspn(name, "@"));
	readable = readable_name(plain, p->style);
	v[0].s = p->object;
	v[1].u = start - p->shift;
	v[2].u = end - p->shift;
	v[3].s = code_source_names[how];
	v[4].s = readable;
	agg_write(fp, &agg_code, v, 0);
	free(readable);
	free(plain);
	w->functions++;
	if (how != CODE_NONE) {
		for (off = 0; off < len; off += CODE_CHUNK) {
			size_t n = len - off < CODE_CHUNK ? len - off
							  : CODE_CHUNK;

			base64_encode(bytes + off, n, b64);
			v[0].s = p->object;
			v[1].u = start - p->shift + off;
			v[2].s = b64;
			agg_write(fp, &agg_codedata, v, 0);
		}
		w->bytes += len;
		write_spans(fp, p, start, end);
	}
	free(bytes);
}
