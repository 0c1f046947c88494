/* record.c - see record.h */
#include "record.h"
#include "escape.h"
#include "util.h"

#include <string.h>

const char *const sample_kind_names[4] = { "jit", "native", "kernel",
					   "unknown" };
const char *const object_lines_names[3] = { "lines", "nolines", "bad" };
const char *const compiling_kind_names[3] = { "compile", "cache", "load" };
const char *const compile_what_names[COMPILE_WHAT_NR] = {
	"enter", "leave", "begin", "end", "loaded", "saved",
};

int expect_header(struct line_reader *lr, const char *format)
{
	size_t flen = strlen(format);
	uint64_t version;

	if (!line_read(lr))
		die(EXIT_DATAERR, "%s: empty input, expected a '# %s %d' header",
		    lr->name, format, PF_FORMAT_VERSION);
	if (strncmp(lr->buf, "# ", 2) || strncmp(lr->buf + 2, format, flen) ||
	    lr->buf[2 + flen] != ' ')
		die(EXIT_DATAERR, "%s: line 1: not a %s stream: '%.60s'",
		    lr->name, format, lr->buf);
	if (parse_u64(lr->buf + 3 + flen, 10, 1, PF_FORMAT_VERSION, &version))
		die(EXIT_DATAERR,
		    "%s: line 1: unsupported %s version '%s' (this is version %d)",
		    lr->name, format, lr->buf + 3 + flen, PF_FORMAT_VERSION);
	return (int)version;
}

void write_header(FILE *fp, const char *format)
{
	fprintf(fp, "# %s %d\n", format, PF_FORMAT_VERSION);
}

static int parse_u32(const char *s, uint32_t *out)
{
	uint64_t v;

	if (parse_u64(s, 10, 0, UINT32_MAX, &v))
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int parse_raw_sample(char **f, size_t n, size_t stack_field,
		     struct raw_sample *s)
{
	if (n < 6 || parse_u64(f[1], 10, 0, UINT64_MAX, &s->time) ||
	    parse_u32(f[2], &s->pid) || parse_u32(f[3], &s->tid) ||
	    parse_u32(f[4], &s->cpu) ||
	    parse_u64(f[5], 16, 0, UINT64_MAX, &s->pc))
		return -1;
	s->stack = 0;
	s->has_stack = stack_field != NO_STACK_FIELD && n > stack_field;
	if (s->has_stack) {
		/* The last field may hold the rest of the line. */
		f[stack_field][strcspn(f[stack_field], " ")] = '\0';
		if (parse_u64(f[stack_field], 10, 0, UINT64_MAX, &s->stack))
			return -1;
	}
	return 0;
}

int parse_raw_stack(char **f, size_t n, struct raw_stack *s)
{
	if (n < 5 || parse_u64(f[1], 10, 1, UINT64_MAX, &s->id) ||
	    parse_u32(f[2], &s->pid) ||
	    parse_u64(f[3], 10, 0, UINT64_MAX, &s->parent) ||
	    parse_u64(f[4], 16, 0, UINT64_MAX, &s->pc) ||
	    s->parent >= s->id)
		return -1;	/* a parent is always written first */
	return 0;
}

int parse_sample_kind(const char *s, enum sample_kind *kind)
{
	int i;

	for (i = 0; i < 4; i++)
		if (!strcmp(s, sample_kind_names[i])) {
			*kind = (enum sample_kind)i;
			return 0;
		}
	return -1;
}

int parse_sym_sample(char **f, size_t n, int stacks, struct sym_sample *s)
{
	if (n < 12 ||
	    parse_raw_sample(f, n, stacks ? 12 : NO_STACK_FIELD, &s->raw) ||
	    parse_sample_kind(f[6], &s->kind) ||
	    unescape_field(f[7], &s->object) ||
	    unescape_field(f[8], &s->function) ||
	    unescape_field(f[9], &s->file) || parse_u32(f[10], &s->line))
		return -1;
	/* INLINED may be the rest of the line if more fields follow. */
	f[11][strcspn(f[11], " ")] = '\0';
	s->inlined = strcmp(f[11], "-") ? f[11] : NULL;
	return 0;
}

int parse_inline_entry(char **chain, struct inline_entry *e)
{
	char *p = *chain, *end, *at, *colon;

	if (!p || !*p)
		return 0;
	end = p + strcspn(p, ";");
	if (*end)
		*end++ = '\0';
	at = strchr(p, '@');
	colon = strrchr(p, ':');
	if (!at || !colon || colon < at)
		return -1;
	*at = '\0';
	*colon = '\0';
	if (unescape_field(p, &e->function) ||
	    unescape_field(at + 1, &e->file) || parse_u32(colon + 1, &e->line))
		return -1;
	*chain = end;
	return 1;
}

int parse_object_lines(const char *s, enum object_lines *lines)
{
	int i;

	for (i = 0; i < 3; i++)
		if (!strcmp(s, object_lines_names[i])) {
			*lines = (enum object_lines)i;
			return 0;
		}
	return -1;
}

int parse_object_record(char **f, size_t n, struct object_record *o)
{
	if (n < 5 || unescape_field(f[1], &o->object) || !o->object ||
	    parse_u64(f[2], 10, 0, UINT64_MAX, &o->time) ||
	    parse_object_lines(f[3], &o->lines))
		return -1;
	/* NAME may be the rest of the line if more fields follow. */
	f[4][strcspn(f[4], " ")] = '\0';
	return unescape_field(f[4], &o->name);
}

int parse_compile_record(char **f, size_t n, struct compile_record *c)
{
	int i;

	if (n < 7 || parse_u64(f[1], 10, 0, UINT64_MAX, &c->time) ||
	    parse_u32(f[2], &c->pid) || parse_u32(f[3], &c->tid))
		return -1;
	for (i = 0; i < COMPILE_WHAT_NR; i++)
		if (!strcmp(f[4], compile_what_names[i]))
			break;
	if (i == COMPILE_WHAT_NR || (strcmp(f[5], "cache") && strcmp(f[5], "-")) || !*f[6])
		return -1;
	c->what = (enum compile_what)i;
	c->cache = !strcmp(f[5], "cache");
	c->name = f[6];
	return 0;
}

int parse_compiling_kind(const char *s, enum compiling_kind *kind)
{
	int i;

	for (i = 0; i < 3; i++)
		if (!strcmp(s, compiling_kind_names[i])) {
			*kind = (enum compiling_kind)i;
			return 0;
		}
	return -1;
}

int parse_sym_stack(char **f, size_t n, struct sym_stack *s)
{
	if (n < 11 || parse_raw_stack(f, n, &s->raw) ||
	    parse_sample_kind(f[5], &s->at.kind) ||
	    unescape_field(f[6], &s->at.object) ||
	    unescape_field(f[7], &s->at.function) ||
	    unescape_field(f[8], &s->at.file) || parse_u32(f[9], &s->at.line))
		return -1;
	f[10][strcspn(f[10], " ")] = '\0';
	s->at.inlined = strcmp(f[10], "-") ? f[10] : NULL;
	memset(&s->at.raw, 0, sizeof(s->at.raw));
	return 0;
}
