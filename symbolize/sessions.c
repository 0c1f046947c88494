/* sessions.c - see sessions.h */
#include "sessions.h"
#include "objinfo.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void session_cache_init(struct session_cache *c, struct jit_set *jits,
			struct native_set *natives,
			struct region_finder *regions, enum name_style style,
			size_t jit_max)
{
	memset(c, 0, sizeof(*c));
	hashmap_init(&c->index);
	c->jits = jits;
	c->natives = natives;
	c->regions = regions;
	c->style = style;
	c->jit_max = jit_max ? jit_max : 1;
}

static void session_close(struct session_cache *c, struct session *s)
{
	if (!s->dwfl)
		return;
	if (s->kind == KIND_NATIVE)
		native_close(c->natives, s->group);
	else
		c->jit_open--;
	symindex_release(&s->symbols);
	dwfl_end(s->dwfl);
	s->dwfl = NULL;
	s->mod = NULL;
}

void session_cache_release(struct session_cache *c)
{
	size_t i;

	for (i = 0; i < c->nr; i++) {
		session_close(c, c->s[i]);
		free(c->s[i]);
	}
	free(c->s);
	hashmap_release(&c->index);
	memset(c, 0, sizeof(*c));
}

/* Close the JIT session used least recently. */
static void close_oldest_jit(struct session_cache *c)
{
	struct session *oldest = NULL;
	size_t i;

	for (i = 0; i < c->nr; i++) {
		struct session *s = c->s[i];

		if (s->kind == KIND_JIT && s->dwfl &&
		    (!oldest || s->used < oldest->used))
			oldest = s;
	}
	if (oldest)
		session_close(c, oldest);
}

static void session_open(struct session_cache *c, struct session *s)
{
	Dwfl_Module *mod = NULL;

	memset(&s->st, 0, sizeof(s->st));
	if (s->kind == KIND_NATIVE) {
		s->dwfl = native_open(c->natives, s->group, &mod);
		if (s->dwfl) {
			/* Native files can be large: index their symbols once. */
			symindex_build(&s->symbols, mod);
			s->st.symbols = &s->symbols;
		}
	} else {
		if (c->jit_open >= c->jit_max)
			close_oldest_jit(c);
		s->dwfl = jit_open(c->jits, s->group, &mod);
		if (s->dwfl) {
			struct jit_object *o = &c->jits->obj[s->group];

			c->jit_open++;
			/* Before its samples: describe_address() asks. */
			if (!o->examined)
				jit_examine(o, mod, c->style);
			s->st.regions = c->regions;
			s->st.self = s->group;
		}
	}
	s->mod = s->dwfl ? mod : NULL;
	s->failed = !s->dwfl;
}

struct session *session_get(struct session_cache *c, enum sample_kind kind,
			    uint32_t group)
{
	struct { uint32_t kind, group; } key;
	struct session *s;
	size_t *slot;
	int added;

	key.kind = (uint32_t)kind;
	key.group = group;
	slot = hashmap_insert(&c->index, &key, sizeof(key), &added);
	if (added) {
		ALLOC_GROW(c->s, c->nr + 1, c->alloc);
		s = xcalloc(1, sizeof(*s));
		s->kind = kind;
		s->group = group;
		c->s[c->nr] = s;
		*slot = c->nr++;
	}
	s = c->s[*slot];
	s->used = ++c->clock;
	if (!s->dwfl && !s->failed)
		session_open(c, s);
	return s;
}
