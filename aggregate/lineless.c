/* lineless.c - see lineless.h */
#include "lineless.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void lineless_init(struct lineless_table *t)
{
	counter_table_init(&t->files);
	counter_table_init(&t->samples);
	counter_table_init(&t->functotal);
}

void lineless_release(struct lineless_table *t)
{
	counter_table_release(&t->files);
	counter_table_release(&t->samples);
	counter_table_release(&t->functotal);
}

void lineless_sample(struct lineless_table *t, const struct sym_sample *s)
{
	struct counter_key k = { KIND_JIT, s->object, s->function, NULL,
				 0, 0, 0, KIND_JIT, NULL, NULL };

	if (!s->object || !s->function)
		return;
	if (s->file) {
		k.s3 = s->file;
		counter_get(&t->files, &k)->self++;
	} else {
		k.n2 = s->raw.pid;
		k.n3 = s->raw.tid;
		counter_get(&t->samples, &k)->self++;
	}
}

void lineless_frame(struct lineless_table *t, const char *object,
		    const char *function, const char *file)
{
	struct counter_key k = { KIND_JIT, object, function, file,
				 0, 0, 0, KIND_JIT, NULL, NULL };

	if (object && function && file)
		counter_get(&t->files, &k)->self++;
}

void lineless_functotal(struct lineless_table *t, const char *object,
			const char *function)
{
	struct counter_key k = { KIND_JIT, object, function, NULL,
				 0, 0, 0, KIND_JIT, NULL, NULL };

	if (object && function)
		counter_get(&t->functotal, &k)->self++;
}

static void count_on(struct counter_table *t, const struct counter_key *k,
		     uint64_t n)
{
	struct counter *c = counter_get(t, k);

	c->self += n;
	c->total += n;
}

/* Whether f->s3 has more samples than b->s3, or as many and sorts first. */
static int names_more(const struct counter *f, const struct counter *b)
{
	if (f->self != b->self)
		return f->self > b->self;
	return strcmp(f->s3, b->s3) < 0;
}

void lineless_place(struct lineless_table *t, struct counter_table *lines,
		    struct counter_table *threadlines,
		    struct counter_table *functotals)
{
	struct counter_table best;	/* s1 OBJECT, s2 FUNCTION; s3 FILE */
	struct counter_key k = { KIND_JIT, NULL, NULL, NULL, 0, 0, 0, KIND_JIT, NULL, NULL };
	size_t i;

	/* The file most samples of each function of each object name. */
	counter_table_init(&best);
	for (i = 0; i < t->files.nr; i++) {
		const struct counter *f = &t->files.items[i];
		struct counter *b;

		k.s1 = f->s1;
		k.s2 = f->s2;
		b = counter_get(&best, &k);
		/* s3 is not part of the key: the file found so far. */
		if (b->s3 && !names_more(f, b))
			continue;
		free(b->s3);
		b->s3 = xstrdup(f->s3);
		b->self = f->self;
	}
	for (i = 0; i < t->samples.nr; i++) {
		const struct counter *c = &t->samples.items[i];
		const struct counter *b;
		struct counter_key line = { KIND_JIT, NULL, c->s2, NULL,
					    0, 0, 0, KIND_JIT, NULL, NULL };

		k.s1 = c->s1;
		k.s2 = c->s2;
		b = counter_get(&best, &k);
		if (!b->s3)
			continue;	/* no sample of it names a file */
		line.s1 = b->s3;
		if (lines)
			count_on(lines, &line, c->self);
		line.n2 = c->n2;
		line.n3 = c->n3;
		if (threadlines)
			count_on(threadlines, &line, c->self);
	}
	for (i = 0; functotals && i < t->functotal.nr; i++) {
		const struct counter *c = &t->functotal.items[i];
		const struct counter *b;
		struct counter_key fn = { KIND_JIT, NULL, c->s2, NULL,
					  0, 0, 0, KIND_JIT, NULL, NULL };

		k.s1 = c->s1;
		k.s2 = c->s2;
		b = counter_get(&best, &k);
		if (!b->s3)
			continue;
		fn.s1 = b->s3;
		counter_get(functotals, &fn)->total += c->self;
	}
	counter_table_release(&best);
}
