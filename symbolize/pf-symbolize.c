/*
 * pf-symbolize - give each sample of a recording its function and
 * source line.
 *
 * Reads a "pf-record 1" stream and writes "pf-symbolize 1"
 * (docs/FORMAT.md).  jit records may come after the samples that hit
 * their objects, so the whole input is read first: samples as structs,
 * every other kept line as text, in order.  Then the JIT objects and
 * the mappings are indexed, each sample is mapped to an entry of the
 * symbol cache (one per distinct object and address), the entries are
 * described one object at a time (so only one libdwfl session is open
 * at once), every JIT object is examined for its object record (line
 * tables, main function: in the same session when it got samples), and
 * the stream is written out in its original order.  Code compiled from
 * a pseudo file (Numba's prange loops) is given to the function it was
 * made from (region.h), looked up among the other objects as needed.
 */
#include "describe.h"
#include "escape.h"
#include "jit.h"
#include "lineio.h"
#include "native.h"
#include "objinfo.h"
#include "ranges.h"
#include "record.h"
#include "region.h"
#include "symcache.h"
#include "util.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Addresses from here up are the kernel's (x86-64 canonical upper half). */
#define KERNEL_START 0xffff800000000000ull

struct sample_item {
	struct raw_sample raw;
	uint32_t entry;		/* index into the symbol cache */
};

/* What an item of the recording is: its low two bits. */
enum { ITEM_SAMPLE, ITEM_TEXT, ITEM_OBJECT, ITEM_BITS = 2 };

/* The input, in order: each item is a sample, text or a JIT object. */
struct recording {
	uint64_t *item;		/* index << ITEM_BITS | ITEM_* */
	size_t nr, alloc;
	struct sample_item *sample;
	size_t sample_nr, sample_alloc;
	char *text;		/* lines kept as they were, each ending '\n' */
	size_t text_len, text_alloc;
	size_t nr_bad;		/* lines warned about and skipped */
};

static enum name_style name_style_jit = NAMES_NUMBA;
static enum name_style name_style_native = NAMES_NATIVE;

static void usage(FILE *fp)
{
	fprintf(fp, "usage: %s [--no-demangle] [FILE]\n", progname);
}

static void help(void)
{
	usage(stdout);
	fputs("\n"
	      "Read a pf-record stream (FILE or standard input) and write it\n"
	      "with each sample symbolized: KIND OBJECT FUNCTION FILE LINE\n"
	      "INLINED, from the recorded JIT objects' DWARF and the mapped\n"
	      "files' symbols, and each jit record replaced by an object\n"
	      "record: OBJECT TIME LINES (lines, nolines, bad) NAME.\n"
	      "\n"
	      "  -n, --no-demangle  write symbol names as they are\n"
	      "  -h, --help         show this help\n"
	      "  -V, --version      show the version\n"
	      "\n"
	      "Exit status: 0 ok, 1 some records or JIT objects were bad,\n"
	      "2 fatal error, 64 usage error, 65 input is not a recording.\n",
	      stdout);
}

static void keep_item(struct recording *rec, size_t index, int kind)
{
	ALLOC_GROW(rec->item, rec->nr + 1, rec->alloc);
	rec->item[rec->nr++] = (uint64_t)index << ITEM_BITS | (uint64_t)kind;
}

static void keep_text(struct recording *rec, const char *line, size_t len)
{
	keep_item(rec, rec->text_len, ITEM_TEXT);
	ALLOC_GROW(rec->text, rec->text_len + len + 1, rec->text_alloc);
	memcpy(rec->text + rec->text_len, line, len);
	rec->text_len += len;
	rec->text[rec->text_len++] = '\n';
}

static void keep_sample(struct recording *rec, const struct raw_sample *s)
{
	keep_item(rec, rec->sample_nr, ITEM_SAMPLE);
	ALLOC_GROW(rec->sample, rec->sample_nr + 1, rec->sample_alloc);
	rec->sample[rec->sample_nr].raw = *s;
	rec->sample[rec->sample_nr++].entry = 0;
}

/* Does line start with the record kind word? */
static int is_kind(const char *line, const char *word)
{
	size_t n = strlen(word);

	return !strncmp(line, word, n) && (line[n] == ' ' || !line[n]);
}

/* Is line a record that pf-symbolize reads (and does not copy)? */
static int is_consumed(const char *line)
{
	return is_kind(line, "sample") || is_kind(line, "map") ||
	       is_kind(line, "jit") || is_kind(line, "jitdata") ||
	       is_kind(line, "sync");
}

static void read_recording(struct line_reader *lr, struct recording *rec,
			   struct jit_set *jits, struct native_set *natives)
{
	char *f[PF_MAX_FIELDS];

	expect_header(lr, PF_FORMAT_RECORD);
	while (line_read(lr)) {
		char shown[64];
		struct raw_sample s;
		size_t n;
		int bad;

		if (lr->len == 0) {
			warn("line %" PRIu64 ": empty line", lr->lineno);
			rec->nr_bad++;
			continue;
		}
		if (is_kind(lr->buf, "object")) {
			/* Copied, it would pass for one of our own. */
			warn("line %" PRIu64 ": object record in a pf-record "
			     "stream", lr->lineno);
			rec->nr_bad++;
			continue;
		}
		if (lr->buf[0] == '#' || !is_consumed(lr->buf)) {
			keep_text(rec, lr->buf, lr->len);
			continue;
		}
		snprintf(shown, sizeof(shown), "%s", lr->buf);
		n = split_fields(lr->buf, f, PF_MAX_FIELDS);
		if (!strcmp(f[0], "sample")) {
			bad = parse_raw_sample(f, n, &s);
			if (!bad)
				keep_sample(rec, &s);
		} else if (!strcmp(f[0], "map")) {
			bad = native_add_map(natives, f, n);
		} else if (!strcmp(f[0], "sync")) {
			uint64_t time;

			/* Everything is read before any is written. */
			bad = n < 2 || parse_u64(f[1], 10, 0, UINT64_MAX, &time);
		} else if (!strcmp(f[0], "jit")) {
			bad = jit_add_object(jits, f, n, lr->lineno);
			if (!bad)	/* its object record goes here */
				keep_item(rec, jits->nr - 1, ITEM_OBJECT);
		} else {
			bad = jit_add_chunk(jits, f, n, lr->lineno);
		}
		if (bad) {
			warn("line %" PRIu64 ": bad %s record '%s%s'",
			     lr->lineno, f[0], shown,
			     lr->len >= sizeof(shown) ? "..." : "");
			rec->nr_bad++;
		}
	}
}

/* Which object each sample's PC is in: its symbol cache entry. */
static void classify(struct recording *rec, const struct range_index *code,
		     const struct range_index *maps,
		     const struct native_set *natives, struct sym_cache *cache)
{
	size_t i;

	for (i = 0; i < rec->sample_nr; i++) {
		const struct raw_sample *s = &rec->sample[i].raw;
		const struct addr_range *r;
		uint32_t e;

		if (s->pc >= KERNEL_START) {
			e = sym_cache_intern(cache, KIND_KERNEL, 0, 0);
		} else if ((r = range_lookup(code, s->pc, s->pid, s->time, 0))) {
			e = sym_cache_intern(cache, KIND_JIT, r->owner, s->pc);
			cache->entry[e].group = r->owner;
		} else if ((r = range_lookup(maps, s->pc, s->pid, s->time, 0)) ||
			   (r = range_lookup(maps, s->pc, s->pid, s->time,
					     RANGE_ANY_PID))) {
			/* A forked child shares its parent's mappings. */
			e = sym_cache_intern(cache, KIND_NATIVE, r->owner,
					     s->pc);
			cache->entry[e].group = natives->map[r->owner].file;
		} else {
			e = sym_cache_intern(cache, KIND_UNKNOWN, 0, 0);
		}
		rec->sample[i].entry = e;
	}
}

/* Describe entry e ("KIND OBJECT FUNCTION FILE LINE INLINED"). */
static void describe_entry(struct sym_entry *e, struct describe_state *st,
			   Dwfl_Module *mod, const struct jit_set *jits,
			   const struct native_set *natives)
{
	size_t len;
	FILE *fp = open_memstream(&e->text, &len);
	Dwarf_Addr addr;

	if (!fp)
		die(EXIT_FATAL, "open_memstream:");
	fputs(sample_kind_names[e->kind], fp);
	switch (e->kind) {
	case KIND_JIT:
		fprintf(fp, " jit:%" PRIu64 " ", jits->obj[e->owner].id);
		if (mod)
			describe_address(fp, st, mod,
					 e->addr + jits->obj[e->owner].shift,
					 NAME_FROM_DWARF, name_style_jit);
		else
			fputs("- - 0 -", fp);
		break;
	case KIND_NATIVE:
		fputc(' ', fp);
		fput_field(fp, natives->map[e->owner].path);
		fputc(' ', fp);
		if (mod && native_address(natives, e->owner, e->addr, &addr) == 0)
			describe_address(fp, st, mod, addr,
					 NAME_FROM_SYMBOL, name_style_native);
		else
			fputs("- - 0 -", fp);
		break;
	case KIND_KERNEL:
		fputs(" [kernel] - - 0 -", fp);
		break;
	case KIND_UNKNOWN:
		fputs(" - - - 0 -", fp);
		break;
	}
	if (fclose(fp) != 0)
		die(EXIT_FATAL, "out of memory describing an address");
}

/* The cache whose entries cmp_entry() compares (qsort has no context). */
static const struct sym_cache *sort_cache;

static int cmp_entry(const void *a, const void *b)
{
	const struct sym_entry *x = &sort_cache->entry[*(const uint32_t *)a];
	const struct sym_entry *y = &sort_cache->entry[*(const uint32_t *)b];

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Describe every entry, opening each object or file once. */
static void describe_all(struct sym_cache *cache, struct jit_set *jits,
			 struct native_set *natives)
{
	uint32_t *order = xreallocarray(NULL, cache->nr, sizeof(*order));
	struct region_finder regions;
	size_t i, j;

	region_finder_init(&regions, jits, name_style_jit);
	for (i = 0; i < cache->nr; i++)
		order[i] = (uint32_t)i;
	sort_cache = cache;
	qsort(order, cache->nr, sizeof(*order), cmp_entry);
	for (i = 0; i < cache->nr; i = j) {
		struct sym_entry *first = &cache->entry[order[i]];
		struct describe_state st;
		struct symindex symbols;
		Dwfl_Module *mod = NULL;
		Dwfl *dwfl = NULL;

		if (first->kind == KIND_JIT)
			dwfl = jit_open(jits, first->group, &mod);
		else if (first->kind == KIND_NATIVE)
			dwfl = native_open(natives, first->group, &mod);
		if (!dwfl)
			mod = NULL;
		memset(&st, 0, sizeof(st));
		/* Native files can be large: index their symbols once. */
		memset(&symbols, 0, sizeof(symbols));
		if (first->kind == KIND_NATIVE && mod) {
			symindex_build(&symbols, mod);
			st.symbols = &symbols;
		}
		if (first->kind == KIND_JIT) {
			struct jit_object *o = &jits->obj[first->group];

			/* Before its samples: describe_address() asks. */
			if (dwfl && !o->examined)
				jit_examine(o, mod, name_style_jit);
			st.regions = &regions;
			st.self = first->group;
		}
		for (j = i; j < cache->nr; j++) {
			struct sym_entry *e = &cache->entry[order[j]];

			if (e->kind != first->kind || e->group != first->group)
				break;
			describe_entry(e, &st, mod, jits, natives);
		}
		symindex_release(&symbols);
		dwfl_end(dwfl);
	}
	region_finder_release(&regions);
	free(order);
}

/* Examine the JIT objects that got no samples, for their records. */
static void examine_rest(struct jit_set *jits)
{
	size_t i;

	for (i = 0; i < jits->nr; i++) {
		struct jit_object *o = &jits->obj[i];
		Dwfl_Module *mod = NULL;
		Dwfl *dwfl;

		if (o->examined || o->unusable)
			continue;
		dwfl = jit_open(jits, i, &mod);
		if (dwfl)
			jit_examine(o, mod, name_style_jit);
		dwfl_end(dwfl);
	}
}

/* object jit:ID TIME LINES NAME, for the jit record of object o. */
static void write_object(const struct jit_object *o)
{
	enum object_lines lines = o->unusable || !o->examined ? OBJECT_BAD
							       : o->lines;

	if (o->duplicate)
		return;	/* a bad line: warned about, dropped */
	printf("object jit:%" PRIu64 " %" PRIu64 " %s ", o->id, o->time,
	       object_lines_names[lines]);
	fput_field(stdout, lines == OBJECT_BAD ? NULL : o->name);
	putchar('\n');
}

static void write_symbolized(const struct recording *rec,
			     const struct sym_cache *cache,
			     const struct jit_set *jits)
{
	size_t i;

	write_header(stdout, PF_FORMAT_SYMBOLIZE);
	for (i = 0; i < rec->nr; i++) {
		size_t idx = (size_t)(rec->item[i] >> ITEM_BITS);
		int kind = (int)(rec->item[i] & ((1u << ITEM_BITS) - 1));

		if (kind == ITEM_OBJECT) {
			write_object(&jits->obj[idx]);
		} else if (kind == ITEM_TEXT) {
			const char *line = rec->text + idx;
			const char *end = memchr(line, '\n',
						 rec->text_len - idx);

			fwrite(line, 1, (size_t)(end - line) + 1, stdout);
		} else {
			const struct sample_item *s = &rec->sample[idx];

			printf("sample %" PRIu64 " %" PRIu32 " %" PRIu32
			       " %" PRIu32 " %" PRIx64 " %s\n", s->raw.time,
			       s->raw.pid, s->raw.tid, s->raw.cpu, s->raw.pc,
			       cache->entry[s->entry].text);
		}
	}
}

static void recording_release(struct recording *rec)
{
	free(rec->item);
	free(rec->sample);
	free(rec->text);
	memset(rec, 0, sizeof(*rec));
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "no-demangle", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct recording rec;
	struct jit_set jits;
	struct native_set natives;
	struct range_index code, maps;
	struct sym_cache cache;
	struct line_reader lr;
	const char *name;
	FILE *in;
	int c, status = 0;

	progname = "pf-symbolize";
	while ((c = getopt_long(argc, argv, "nhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			name_style_jit = name_style_native = NAMES_RAW;
			break;
		case 'h':
			help();
			close_stdout();
			return 0;
		case 'V':
			printf("pf-symbolize %s\n", PF_VERSION);
			close_stdout();
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind > 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	in = input_open(argv[optind], &name);

	memset(&rec, 0, sizeof(rec));
	jit_set_init(&jits);
	native_set_init(&natives);
	range_index_init(&code);
	range_index_init(&maps);
	sym_cache_init(&cache);
	line_reader_init(&lr, in, name);
	read_recording(&lr, &rec, &jits, &natives);
	line_reader_release(&lr);
	input_close(in);

	jit_set_finish(&jits, &code);
	native_set_finish(&natives, &maps);
	range_index_finish(&code);
	range_index_finish(&maps);
	classify(&rec, &code, &maps, &natives, &cache);
	describe_all(&cache, &jits, &natives);
	examine_rest(&jits);
	write_symbolized(&rec, &cache, &jits);

	rec.nr_bad += jits.nr_bad_lines;
	if (rec.nr_bad) {
		warn("ignored %zu bad line%s", rec.nr_bad,
		     rec.nr_bad == 1 ? "" : "s");
		status = EXIT_PARTIAL;
	}
	if (jits.nr_unusable) {
		warn("%zu jit object%s unusable", jits.nr_unusable,
		     jits.nr_unusable == 1 ? "" : "s");
		status = EXIT_PARTIAL;
	}
	recording_release(&rec);
	jit_set_release(&jits);
	native_set_release(&natives);
	range_index_release(&code);
	range_index_release(&maps);
	sym_cache_release(&cache);
	close_stdout();
	return status;
}
