/*
 * objects.h - the samples of each JIT object and what pf-symbolize's
 * object record says of it, to count the samples in code without line
 * tables.
 *
 * A sample may come before its object's record (pf-record writes a jit
 * record when it finds the object, after the first samples in it), so
 * both are kept until the end of the input.  When two records name the
 * same object, the last one counts.  The table owns its strings.
 */
#ifndef PF_AGGREGATE_OBJECTS_H
#define PF_AGGREGATE_OBJECTS_H

#include "hash.h"
#include "record.h"

#include <stddef.h>
#include <stdint.h>

struct object_count {
	char *object;		/* jit:ID */
	uint64_t samples;
	int have_record;
	enum object_lines lines;	/* from the record */
	char *name;		/* from the record; NULL when "-" */
};

struct object_table {
	struct hashmap map;	/* object -> index into items */
	struct object_count *items;
	size_t nr, alloc;
	size_t last;		/* the object of the last sample, or nr */
};

void object_table_init(struct object_table *t);
void object_table_release(struct object_table *t);

/* Count one sample in object. */
void object_table_sample(struct object_table *t, const char *object);

/* Take an object record. */
void object_table_record(struct object_table *t,
			 const struct object_record *r);

/*
 * The objects whose record says LINES is lines and that got samples,
 * most samples first (ties by OBJECT), in a malloc'd array of *nr
 * pointers into the table; *samples is set to the sum of their samples.
 */
const struct object_count **object_table_select(const struct object_table *t,
						enum object_lines lines,
						size_t *nr,
						uint64_t *samples);

#endif
