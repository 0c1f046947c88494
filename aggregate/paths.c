/* paths.c - see paths.h */
#include "paths.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void path_table_init(struct path_table *t, int by_thread)
{
	memset(t, 0, sizeof(*t));
	t->by_thread = by_thread;
	hashmap_init(&t->leaf_map);
	hashmap_init(&t->path_map);
}

void path_table_release(struct path_table *t)
{
	size_t i;

	for (i = 0; i < t->nleaves; i++) {
		free(t->leaves[i].object);
		free(t->leaves[i].function);
		free(t->leaves[i].file);
		free(t->leaves[i].chain_text);
		free(t->leaves[i].chain);
	}
	free(t->leaves);
	free(t->paths);
	free(t->key);
	hashmap_release(&t->leaf_map);
	hashmap_release(&t->path_map);
	path_table_init(t, 0);
}

/* A key of strings: each with a byte saying whether it is there. */
static void key_string(char **key, size_t *len, size_t *alloc, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	ALLOC_GROW(*key, *len + n + 2, *alloc);
	(*key)[(*len)++] = s ? 1 : 0;
	memcpy(*key + *len, s ? s : "", n + 1);
	*len += n + 1;
}

static size_t intern_leaf(struct path_table *t, const struct sym_sample *s,
			  const struct inline_entry *chain, size_t chain_nr)
{
	size_t len = 0, *slot, i;
	struct leaf *l;
	char kind = (char)s->kind;
	int added;

	ALLOC_GROW(t->key, 5, t->key_alloc);
	t->key[len++] = kind;
	memcpy(t->key + len, &s->line, 4);
	len += 4;
	key_string(&t->key, &len, &t->key_alloc, s->object);
	key_string(&t->key, &len, &t->key_alloc, s->function);
	key_string(&t->key, &len, &t->key_alloc, s->file);
	/* The chain as decoded: FUNCTION FILE LINE of each entry. */
	for (i = 0; i < chain_nr; i++) {
		key_string(&t->key, &len, &t->key_alloc, chain[i].function);
		key_string(&t->key, &len, &t->key_alloc, chain[i].file);
		ALLOC_GROW(t->key, len + 4, t->key_alloc);
		memcpy(t->key + len, &chain[i].line, 4);
		len += 4;
	}
	slot = hashmap_insert(&t->leaf_map, t->key, len, &added);
	if (!added)
		return *slot;
	ALLOC_GROW(t->leaves, t->nleaves + 1, t->leaves_alloc);
	l = &t->leaves[t->nleaves];
	memset(l, 0, sizeof(*l));
	l->object = xstrdup_or_null(s->object);
	l->function = xstrdup_or_null(s->function);
	l->file = xstrdup_or_null(s->file);
	if (chain_nr) {
		size_t text = 0, at = 0;

		for (i = 0; i < chain_nr; i++)
			text += (chain[i].function ? strlen(chain[i].function) : 0) +
				(chain[i].file ? strlen(chain[i].file) : 0) + 2;
		l->chain_text = xmalloc(text);
		l->chain = xreallocarray(NULL, chain_nr, sizeof(*l->chain));
		for (i = 0; i < chain_nr; i++) {
			const char *src[2] = { chain[i].function, chain[i].file };
			char *dst[2] = { NULL, NULL };
			int k;

			for (k = 0; k < 2; k++) {
				if (!src[k])
					continue;
				dst[k] = l->chain_text + at;
				strcpy(dst[k], src[k]);
				at += strlen(src[k]) + 1;
			}
			l->chain[i].function = dst[0];
			l->chain[i].file = dst[1];
			l->chain[i].line = chain[i].line;
		}
	}
	l->at.kind = s->kind;
	l->at.object = l->object;
	l->at.function = l->function;
	l->at.file = l->file;
	l->at.line = s->line;
	l->at.chain = l->chain;
	l->at.chain_nr = chain_nr;
	l->at.addr = s->raw.pc;
	*slot = t->nleaves;
	return t->nleaves++;
}

void path_table_count(struct path_table *t, const struct sym_sample *s,
		      const struct inline_entry *chain, size_t chain_nr,
		      size_t frame)
{
	struct path_count c = { intern_leaf(t, s, chain, chain_nr), frame,
				t->by_thread ? s->raw.pid : 0,
				t->by_thread ? s->raw.tid : 0, 0 };
	uint64_t key[4] = { c.leaf, c.frame, c.pid, c.tid };
	int added;
	size_t *slot = hashmap_insert(&t->path_map, key, sizeof(key), &added);

	if (added) {
		ALLOC_GROW(t->paths, t->npaths + 1, t->paths_alloc);
		t->paths[t->npaths] = c;
		*slot = t->npaths++;
	}
	t->paths[*slot].samples++;
}

void frame_place(const struct stack_frame *f, struct place *p)
{
	memset(p, 0, sizeof(*p));
	p->kind = f->kind;
	p->object = f->object;
	p->function = f->function;
	p->file = f->file;
	p->line = f->line;
	p->chain = f->chain;
	p->chain_nr = f->chain_nr;
	p->cut = f->pc == 0;
	p->addr = f->pc ? f->pc - 1 : 0;	/* the call */
}

/* Append place p, its inline chain expanded, outermost first. */
static size_t expand(const struct place *p, struct place **out, size_t n,
		     size_t *alloc)
{
	size_t i;

	ALLOC_GROW(*out, n + p->chain_nr + 1, *alloc);
	for (i = p->chain_nr; i-- > 0;) {
		struct place *q = &(*out)[n++];

		*q = *p;
		q->function = p->chain[i].function;
		q->file = p->chain[i].file;
		q->line = p->chain[i].line;
		q->chain = NULL;
		q->chain_nr = 0;
	}
	(*out)[n] = *p;
	(*out)[n].chain = NULL;
	(*out)[n].chain_nr = 0;
	return n + 1;
}

size_t path_frames(const struct path_table *t, const struct stack_table *st,
		   const struct path_count *c, struct place **out,
		   size_t *alloc)
{
	size_t n = 0, depth = 0, i, j;
	size_t *up = NULL;

	for (j = c->frame; j; j = st->items[j - 1].parent)
		depth++;
	up = xreallocarray(NULL, depth ? depth : 1, sizeof(*up));
	for (i = 0, j = c->frame; j; j = st->items[j - 1].parent)
		up[i++] = j;
	for (i = depth; i-- > 0;) {
		struct place p;

		frame_place(&st->items[up[i] - 1], &p);
		n = expand(&p, out, n, alloc);
	}
	free(up);
	return expand(&t->leaves[c->leaf].at, out, n, alloc);
}
