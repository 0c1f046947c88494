/* stacks.c - see stacks.h */
#include "stacks.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void stack_table_init(struct stack_table *t)
{
	memset(t, 0, sizeof(*t));
	hashmap_init(&t->by_id);
}

void stack_table_release(struct stack_table *t)
{
	size_t i;

	for (i = 0; i < t->nr; i++) {
		struct stack_frame *f = &t->items[i];

		free(f->object);
		free(f->function);
		free(f->file);
		free(f->chain);
		free(f->chain_text);
		free(f->refs);
	}
	free(t->items);
	hashmap_release(&t->by_id);
	stack_table_init(t);
}

size_t stack_table_find(const struct stack_table *t, uint64_t id)
{
	const size_t *slot = hashmap_find(&t->by_id, &id, sizeof(id));

	return slot ? *slot + 1 : 0;
}

int stack_table_add(struct stack_table *t, const struct sym_stack *s)
{
	struct stack_frame f;
	struct inline_entry e;
	size_t alloc = 0, *slot;
	char *p;
	int added, r;

	memset(&f, 0, sizeof(f));
	f.id = s->raw.id;
	f.pid = s->raw.pid;
	f.pc = s->raw.pc;
	if (stack_table_find(t, f.id))
		return -1;
	if (s->raw.parent && !(f.parent = stack_table_find(t, s->raw.parent)))
		return -1;
	if (s->at.inlined) {
		f.chain_text = xstrdup(s->at.inlined);
		p = f.chain_text;
		while ((r = parse_inline_entry(&p, &e)) > 0) {
			ALLOC_GROW(f.chain, f.chain_nr + 1, alloc);
			f.chain[f.chain_nr++] = e;
		}
		if (r < 0) {
			free(f.chain);
			free(f.chain_text);
			return -1;
		}
	}
	f.kind = s->at.kind;
	f.object = xstrdup_or_null(s->at.object);
	f.function = xstrdup_or_null(s->at.function);
	f.file = xstrdup_or_null(s->at.file);
	f.line = s->at.line;
	f.outer = f.chain_nr ? f.chain[f.chain_nr - 1].function : f.function;
	slot = hashmap_insert(&t->by_id, &f.id, sizeof(f.id), &added);
	ALLOC_GROW(t->items, t->nr + 1, t->alloc);
	*slot = t->nr;
	t->items[t->nr++] = f;
	return 0;
}
