/*
 * pprof.c - see pprof.h.
 *
 * The protocol buffer is written by hand (varints and length-prefixed
 * fields: all profile.proto needs), then gzip-compressed with zlib, as
 * pprof writes its own files.
 *
 * A Location is a place in the code (the sample's own, or a caller's
 * call), its Lines the place's inline chain, innermost first, the last
 * the function the others were inlined into, as profile.proto says.
 * Two samples at different PCs of the same line share a Location: the
 * profile is of lines, which is what -list and -top show; the address
 * is the first PC seen there.  Each object (a JIT object, a library) is
 * a Mapping, marked as already symbolized so that pprof looks for no
 * binaries.  A Sample per path and thread, with the labels "thread"
 * (the name) and "tid", and two values: samples, and CPU nanoseconds
 * (samples times the sampling period).
 */
#include "pprof.h"
#include "hash.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

struct buf {
	unsigned char *p;
	size_t len, alloc;
};

static void put_byte(struct buf *b, unsigned char c)
{
	ALLOC_GROW(b->p, b->len + 1, b->alloc);
	b->p[b->len++] = c;
}

static void put_varint(struct buf *b, uint64_t v)
{
	while (v >= 0x80) {
		put_byte(b, (unsigned char)(v | 0x80));
		v >>= 7;
	}
	put_byte(b, (unsigned char)v);
}

/* A varint field (wire type 0); zero is the default and left out. */
static void put_uint(struct buf *b, unsigned field, uint64_t v)
{
	if (!v)
		return;
	put_varint(b, (uint64_t)field << 3);
	put_varint(b, v);
}

/* A length-delimited field (wire type 2). */
static void put_bytes(struct buf *b, unsigned field, const void *p, size_t n)
{
	put_varint(b, (uint64_t)field << 3 | 2);
	put_varint(b, n);
	ALLOC_GROW(b->p, b->len + n, b->alloc);
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
}

static void put_message(struct buf *b, unsigned field, struct buf *m)
{
	put_bytes(b, field, m->p, m->len);
	m->len = 0;
}

struct writer {
	struct buf out, msg, sub;
	struct hashmap strings;		/* string -> index */
	size_t nstrings;
	struct hashmap functions;	/* name, file -> id */
	size_t nfunctions;
	struct hashmap locations;	/* place -> id */
	size_t nlocations;
	struct hashmap mappings;	/* object -> index in maps */
	struct mapping {
		uint64_t name, low, high;
	} *maps;
	size_t nmaps, maps_alloc;
	char *key;
	size_t key_len, key_alloc;
	char *name;
	size_t name_len, name_alloc;
};

static uint64_t str(struct writer *w, const char *s)
{
	int added;
	size_t *slot;

	if (!s)
		s = "";
	slot = hashmap_insert(&w->strings, s, strlen(s), &added);
	if (added) {
		*slot = w->nstrings++;
		put_bytes(&w->out, 6, s, strlen(s));	/* string_table */
	}
	return *slot;
}

static void key_reset(struct writer *w)
{
	w->key_len = 0;
}

static void key_add(struct writer *w, const void *p, size_t n)
{
	ALLOC_GROW(w->key, w->key_len + n, w->key_alloc);
	memcpy(w->key + w->key_len, p, n);
	w->key_len += n;
}

static void key_str(struct writer *w, const char *s)
{
	char there = s != NULL;

	key_add(w, &there, 1);
	if (s)
		key_add(w, s, strlen(s) + 1);
}

/* The Function of a name in a file, written when new. */
static uint64_t function_id(struct writer *w, const char *name,
			    const char *file)
{
	int added;
	size_t *slot;

	key_reset(w);
	key_str(w, name);
	key_str(w, file);
	slot = hashmap_insert(&w->functions, w->key, w->key_len, &added);
	if (added) {
		*slot = ++w->nfunctions;
		put_uint(&w->sub, 1, *slot);
		put_uint(&w->sub, 2, str(w, name));
		put_uint(&w->sub, 3, str(w, name));
		put_uint(&w->sub, 4, str(w, file));
		put_message(&w->out, 5, &w->sub);
	}
	return *slot;
}

static size_t mapping_of(struct writer *w, const char *object, uint64_t addr)
{
	int added;
	size_t *slot;
	struct mapping *m;

	if (!object)
		object = "[unknown]";
	slot = hashmap_insert(&w->mappings, object, strlen(object), &added);
	if (added) {
		ALLOC_GROW(w->maps, w->nmaps + 1, w->maps_alloc);
		w->maps[w->nmaps] = (struct mapping){ str(w, object), addr,
						      addr + 1 };
		*slot = w->nmaps++;
	}
	m = &w->maps[*slot];
	if (addr && (addr < m->low || !m->low))
		m->low = addr;
	if (addr >= m->high)
		m->high = addr + 1;
	return *slot;
}

/* The name a place's function is shown by (as in folded stacks). */
static const char *place_name(struct writer *w, const struct place *p)
{
	struct place bare = *p;

	if (p->function && !p->cut && p->kind != KIND_KERNEL)
		return p->function;
	bare.file = NULL;
	w->name_len = 0;
	folded_frame_name(&bare, &w->name, &w->name_len, &w->name_alloc);
	return w->name;
}

/* One Line: function_id, line. */
static void put_line(struct writer *w, struct buf *loc, const char *name,
		     const char *file, uint32_t line)
{
	struct buf l = { NULL, 0, 0 };

	put_uint(&l, 1, function_id(w, name, file));
	put_uint(&l, 2, line);
	put_bytes(loc, 4, l.p, l.len);
	free(l.p);
}

/* The Location of place p, written when new. */
static uint64_t location_id(struct writer *w, const struct place *p)
{
	struct buf loc = { NULL, 0, 0 };
	char kind = (char)p->kind, cut = (char)p->cut;
	int added;
	size_t *slot, i, map;

	key_reset(w);
	key_add(w, &kind, 1);
	key_add(w, &cut, 1);
	key_add(w, &p->line, 4);
	key_str(w, p->object);
	key_str(w, p->function);
	key_str(w, p->file);
	for (i = 0; i < p->chain_nr; i++) {
		key_str(w, p->chain[i].function);
		key_str(w, p->chain[i].file);
		key_add(w, &p->chain[i].line, 4);
	}
	slot = hashmap_insert(&w->locations, w->key, w->key_len, &added);
	if (!added)
		return *slot;
	*slot = ++w->nlocations;
	map = mapping_of(w, p->cut ? "[truncated]" : p->object, p->addr);
	put_uint(&loc, 1, *slot);
	put_uint(&loc, 2, map + 1);
	put_uint(&loc, 3, p->addr);
	put_line(w, &loc, place_name(w, p), p->file, p->line);
	for (i = 0; i < p->chain_nr; i++)
		put_line(w, &loc, p->chain[i].function ? p->chain[i].function
						       : "[unknown]",
			 p->chain[i].file, p->chain[i].line);
	put_bytes(&w->out, 4, loc.p, loc.len);
	free(loc.p);
	return *slot;
}

static void put_label(struct buf *b, uint64_t key, uint64_t s, uint64_t num)
{
	struct buf l = { NULL, 0, 0 };

	put_uint(&l, 1, key);
	put_uint(&l, 2, s);
	put_uint(&l, 3, num);
	put_bytes(b, 3, l.p, l.len);
	free(l.p);
}

static void put_value_type(struct writer *w, unsigned field, const char *type,
			   const char *unit)
{
	put_uint(&w->sub, 1, str(w, type));
	put_uint(&w->sub, 2, str(w, unit));
	put_message(&w->out, field, &w->sub);
}

static int gzip_write(FILE *fp, const struct buf *b)
{
	z_stream z;
	unsigned char chunk[65536];
	int r;

	memset(&z, 0, sizeof(z));
	/* 15 + 16: a gzip header and trailer around the deflate stream. */
	if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK) {
		warn("zlib: %s", z.msg ? z.msg : "cannot start compressing");
		return -1;
	}
	z.next_in = b->p;
	z.avail_in = (uInt)b->len;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		r = deflate(&z, Z_FINISH);
		if (r == Z_STREAM_ERROR) {
			deflateEnd(&z);
			warn("zlib: %s", z.msg ? z.msg : "cannot compress");
			return -1;
		}
		if (fwrite(chunk, 1, sizeof(chunk) - z.avail_out, fp) !=
		    sizeof(chunk) - z.avail_out) {
			deflateEnd(&z);
			return -1;
		}
	} while (r != Z_STREAM_END);
	deflateEnd(&z);
	return 0;
}

int write_pprof(FILE *fp, const struct path_table *t,
		const struct stack_table *st, const struct pprof_info *info,
		thread_name_fn *name, void *arg)
{
	struct writer w;
	struct buf sample = { NULL, 0, 0 }, packed = { NULL, 0, 0 };
	struct place p;
	size_t i, j, k;
	uint64_t *frame_loc;
	uint64_t k_thread, k_tid;
	int ret;

	memset(&w, 0, sizeof(w));
	hashmap_init(&w.strings);
	hashmap_init(&w.functions);
	hashmap_init(&w.locations);
	hashmap_init(&w.mappings);
	str(&w, "");	/* string_table[0] is always "" */
	put_value_type(&w, 1, "samples", "count");
	put_value_type(&w, 1, "cpu", "nanoseconds");
	k_thread = str(&w, "thread");
	k_tid = str(&w, "tid");
	/*
	 * pprof takes the first Mapping for the program: the object of the
	 * outermost frame of the most samples (the executable, _start).
	 */
	for (i = 0, k = 0; i < t->npaths; i++)
		if (t->paths[i].samples > t->paths[k].samples)
			k = i;
	if (t->npaths) {
		const char *main_object = t->leaves[t->paths[k].leaf].at.object;

		for (j = t->paths[k].frame; j; j = st->items[j - 1].parent)
			if (st->items[j - 1].pc)
				main_object = st->items[j - 1].object;
		mapping_of(&w, main_object, 0);
	}
	/* The Location of each caller frame, found once. */
	frame_loc = xcalloc(st->nr ? st->nr : 1, sizeof(*frame_loc));
	for (i = 0; i < t->npaths; i++) {
		const struct path_count *c = &t->paths[i];
		const char *who = name(arg, c->pid, c->tid);

		put_varint(&packed, location_id(&w, &t->leaves[c->leaf].at));
		for (j = c->frame; j; j = st->items[j - 1].parent) {
			if (!frame_loc[j - 1]) {
				frame_place(&st->items[j - 1], &p);
				frame_loc[j - 1] = location_id(&w, &p);
			}
			put_varint(&packed, frame_loc[j - 1]);
		}
		put_bytes(&sample, 1, packed.p, packed.len);
		packed.len = 0;
		put_varint(&packed, c->samples);
		put_varint(&packed, c->samples * info->period_ns);
		put_bytes(&sample, 2, packed.p, packed.len);
		packed.len = 0;
		put_label(&sample, k_thread, str(&w, who ? who : "-"), 0);
		put_label(&sample, k_tid, 0, c->tid);
		put_message(&w.msg, 2, &sample);
	}
	/* Samples go after the tables they name: order does not matter. */
	ALLOC_GROW(w.out.p, w.out.len + w.msg.len, w.out.alloc);
	memcpy(w.out.p + w.out.len, w.msg.p, w.msg.len);
	w.out.len += w.msg.len;
	for (k = 0; k < w.nmaps; k++) {
		put_uint(&w.sub, 1, k + 1);
		put_uint(&w.sub, 2, w.maps[k].low);
		put_uint(&w.sub, 3, w.maps[k].high);
		put_uint(&w.sub, 5, w.maps[k].name);
		put_uint(&w.sub, 7, 1);		/* has_functions */
		put_uint(&w.sub, 8, 1);		/* has_filenames */
		put_uint(&w.sub, 9, 1);		/* has_line_numbers */
		put_uint(&w.sub, 10, 1);	/* has_inline_frames */
		put_message(&w.out, 3, &w.sub);
	}
	put_uint(&w.out, 10, info->duration_ns);
	{
		uint64_t cpu = str(&w, "cpu"), ns = str(&w, "nanoseconds");

		put_uint(&w.sub, 1, cpu);
		put_uint(&w.sub, 2, ns);
		put_message(&w.out, 11, &w.sub);	/* period_type */
	}
	put_uint(&w.out, 12, info->period_ns);
	if (info->comment)
		put_uint(&w.out, 13, str(&w, info->comment));
	put_uint(&w.out, 14, str(&w, "cpu"));	/* default_sample_type */
	ret = gzip_write(fp, &w.out);
	free(frame_loc);
	free(sample.p);
	free(packed.p);
	free(w.out.p);
	free(w.msg.p);
	free(w.sub.p);
	free(w.maps);
	free(w.key);
	free(w.name);
	hashmap_release(&w.strings);
	hashmap_release(&w.functions);
	hashmap_release(&w.locations);
	hashmap_release(&w.mappings);
	return ret;
}
