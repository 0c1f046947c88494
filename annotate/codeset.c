/* codeset.c - see codeset.h */
#include "codeset.h"
#include "aggrec.h"
#include "base64.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void code_set_init(struct code_set *cs)
{
	memset(cs, 0, sizeof(*cs));
	hashmap_init(&cs->byobject);
	hashmap_init(&cs->insn);
}

void code_set_release(struct code_set *cs)
{
	size_t i;

	for (i = 0; i < cs->fn_nr; i++) {
		free(cs->fn[i].object);
		free(cs->fn[i].how);
		free(cs->fn[i].name);
		free(cs->fn[i].bytes);
		free(cs->fn[i].have);
	}
	free(cs->fn);
	for (i = 0; i < cs->span_nr; i++) {
		free(cs->span[i].function);
		free(cs->span[i].file);
		free(cs->span[i].inlined);
	}
	free(cs->span);
	hashmap_release(&cs->byobject);
	hashmap_release(&cs->insn);
	memset(cs, 0, sizeof(*cs));
}

/* A pf-aggregate stream has no code record this big (a corrupt one). */
#define FUNCTION_MAX (64ull << 20)

static int take_code(struct code_set *cs, const union agg_value *v,
		     const char **why)
{
	struct code_function fn;
	size_t *slot, len;

	if (!v[0].s || !v[3].s) {
		*why = "no OBJECT or HOW";
		return -1;
	}
	if (v[2].u <= v[1].u || v[2].u - v[1].u > FUNCTION_MAX) {
		*why = "END not above START, or too far";
		return -1;
	}
	memset(&fn, 0, sizeof(fn));
	fn.object = xstrdup(v[0].s);
	fn.how = xstrdup(v[3].s);
	fn.name = xstrdup_or_null(v[4].s);
	fn.start = v[1].u;
	fn.end = v[2].u;
	fn.native = strncmp(fn.object, "jit:", 4) != 0;
	len = (size_t)(fn.end - fn.start);
	if (strcmp(fn.how, "none")) {
		fn.bytes = xcalloc(len, 1);
		fn.have = xcalloc(len, 1);
	}
	slot = hashmap_insert(&cs->byobject, fn.object, strlen(fn.object),
			      NULL);
	*slot = cs->fn_nr;
	ALLOC_GROW(cs->fn, cs->fn_nr + 1, cs->fn_alloc);
	cs->fn[cs->fn_nr++] = fn;
	return 0;
}

/* The last code record of object, when it holds [start, end). */
static struct code_function *owner(struct code_set *cs, const char *object,
				   uint64_t start, uint64_t end)
{
	size_t *slot;
	struct code_function *fn;

	if (!object ||
	    !(slot = hashmap_find(&cs->byobject, object, strlen(object))))
		return NULL;
	fn = &cs->fn[*slot];
	if (start < fn->start || end > fn->end || end < start)
		return NULL;
	return fn;
}

static int take_codedata(struct code_set *cs, const union agg_value *v,
			 const char **why)
{
	size_t n = strlen(v[2].s);
	unsigned char *buf = xmalloc(BASE64_DECODED_MAX(n) + 1);
	struct code_function *fn;
	long got = base64_decode(v[2].s, n, buf);
	int ret = -1;

	if (got <= 0) {
		*why = "bad base64";
	} else if (!(fn = owner(cs, v[0].s, v[1].u, v[1].u + (uint64_t)got))) {
		*why = "not inside the last code record of its object";
	} else if (!fn->bytes) {
		*why = "bytes for a code record that says none";
	} else {
		memcpy(fn->bytes + (v[1].u - fn->start), buf, (size_t)got);
		memset(fn->have + (v[1].u - fn->start), 1, (size_t)got);
		ret = 0;
	}
	free(buf);
	return ret;
}

static int take_span(struct code_set *cs, const union agg_value *v,
		     const char **why)
{
	struct code_function *fn = owner(cs, v[0].s, v[1].u, v[2].u);
	struct code_span sp;

	if (!fn || v[2].u <= v[1].u) {
		*why = "not inside the last code record of its object";
		return -1;
	}
	sp.fn = (size_t)(fn - cs->fn);
	sp.start = v[1].u;
	sp.end = v[2].u;
	sp.function = xstrdup_or_null(v[3].s);
	sp.file = xstrdup_or_null(v[4].s);
	sp.line = (uint32_t)v[5].u;
	sp.inlined = strcmp(v[6].s, "-") ? xstrdup(v[6].s) : NULL;
	ALLOC_GROW(cs->span, cs->span_nr + 1, cs->span_alloc);
	cs->span[cs->span_nr++] = sp;
	return 0;
}

/* The insn table's key: OBJECT, a NUL, the 8 bytes of ADDR. */
static size_t insn_key(char *buf, size_t size, const char *object,
		       uint64_t addr)
{
	size_t n = strlen(object);

	if (n + 1 + sizeof(addr) > size)
		return 0;
	memcpy(buf, object, n + 1);
	memcpy(buf + n + 1, &addr, sizeof(addr));
	return n + 1 + sizeof(addr);
}

static int take_insn(struct code_set *cs, const union agg_value *v,
		     const char **why)
{
	char key[4096];
	size_t len;

	if (!v[3].s || !(len = insn_key(key, sizeof(key), v[3].s, v[4].u))) {
		*why = "no OBJECT";
		return -1;
	}
	*hashmap_insert(&cs->insn, key, len, NULL) += v[0].u;
	cs->insn_samples += v[0].u;
	return 0;
}

/* The record kinds of the set, and what takes each. */
static const struct {
	const struct agg_def *def;
	int (*take)(struct code_set *cs, const union agg_value *v,
		    const char **why);
} kinds[] = {
	{ &agg_insn, take_insn },
	{ &agg_code, take_code },
	{ &agg_codedata, take_codedata },
	{ &agg_span, take_span },
};

int code_set_take(struct code_set *cs, char **f, size_t n, const char **why)
{
	union agg_value v[AGG_MAX_FIELDS];
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strcmp(f[0], kinds[i].def->kind))
			continue;
		if (agg_parse(kinds[i].def, f, n, v) < 0) {
			*why = "bad fields";
			return -1;
		}
		return kinds[i].take(cs, v, why);
	}
	return 1;
}

uint64_t code_set_samples(const struct code_set *cs, const char *object,
			  uint64_t addr)
{
	char key[4096];
	size_t len = insn_key(key, sizeof(key), object, addr);
	size_t *slot = len ? hashmap_find(&cs->insn, key, len) : NULL;

	return slot ? *slot : 0;
}

const struct code_function *code_set_function_at(const struct code_set *cs,
						 const char *object,
						 uint64_t addr)
{
	size_t i;

	for (i = 0; i < cs->fn_nr; i++)
		if (cs->fn[i].start <= addr && addr < cs->fn[i].end &&
		    !strcmp(cs->fn[i].object, object))
			return &cs->fn[i];
	return NULL;
}
