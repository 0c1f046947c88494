/*
 * folded.c - pf-aggregate -f folded: one line per distinct stack,
 * "frame;frame;...;frame COUNT", outermost first, as Brendan Gregg's
 * stackcollapse scripts write them for flamegraph.pl (and inferno,
 * speedscope, ...) to read.
 *
 * A frame is "FUNCTION (FILE:LINE)" with the file's last component,
 * where the sample or call was; "FUNCTION (LIBRARY)" for native code
 * without a line; "[LIBRARY]" when the function is unknown, "[kernel]",
 * "[unknown]", and "[truncated]" for the callers an unwind did not
 * find.  A function inlined into another is a frame of its own, above
 * its caller's frame at the call's line.  The lines are sorted by
 * their text, identical stacks merged.
 */
#include "folded.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static const char *last_part(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* Append s, with what would break the format (';', newlines) as '_'. */
static void put_text(char **buf, size_t *len, size_t *alloc, const char *s)
{
	size_t n = strlen(s), i;

	ALLOC_GROW(*buf, *len + n + 1, *alloc);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		(*buf)[(*len)++] = c == ';' || c < 0x20 || c == 0x7f ? '_' :
								       (char)c;
	}
	(*buf)[*len] = '\0';
}

void folded_frame_name(const struct place *p, char **buf, size_t *len,
		       size_t *alloc)
{
	char num[16];

	if (p->cut) {
		put_text(buf, len, alloc, "[truncated]");
	} else if (p->kind == KIND_KERNEL) {
		put_text(buf, len, alloc, "[kernel]");
	} else if (!p->function) {
		put_text(buf, len, alloc, "[");
		put_text(buf, len, alloc,
			 p->object ? last_part(p->object) : "unknown");
		put_text(buf, len, alloc, "]");
	} else {
		put_text(buf, len, alloc, p->function);
		if (p->file && p->line) {
			put_text(buf, len, alloc, " (");
			put_text(buf, len, alloc, last_part(p->file));
			snprintf(num, sizeof(num), ":%u)", p->line);
			put_text(buf, len, alloc, num);
		} else if (p->kind == KIND_NATIVE && p->object) {
			put_text(buf, len, alloc, " (");
			put_text(buf, len, alloc, last_part(p->object));
			put_text(buf, len, alloc, ")");
		}
	}
}

struct line {
	char *text;
	uint64_t samples;
};

static int cmp_line(const void *pa, const void *pb)
{
	const struct line *a = pa, *b = pb;

	return strcmp(a->text, b->text);
}

void write_folded(FILE *fp, const struct path_table *t,
		  const struct stack_table *st, thread_name_fn *name, void *arg)
{
	struct line *lines = xreallocarray(NULL, t->npaths ? t->npaths : 1,
					   sizeof(*lines));
	struct place *frames = NULL;
	size_t frames_alloc = 0, i, j, nr = 0;

	for (i = 0; i < t->npaths; i++) {
		const struct path_count *c = &t->paths[i];
		size_t n = path_frames(t, st, c, &frames, &frames_alloc);
		char *buf = NULL;
		size_t len = 0, alloc = 0;

		if (t->by_thread) {
			char root[64];
			const char *who = name(arg, c->pid, c->tid);

			put_text(&buf, &len, &alloc, who ? who : "thread");
			snprintf(root, sizeof(root), " [tid %u]", c->tid);
			put_text(&buf, &len, &alloc, root);
		}
		for (j = 0; j < n; j++) {
			if (j || t->by_thread) {
				ALLOC_GROW(buf, len + 2, alloc);
				buf[len++] = ';';
				buf[len] = '\0';
			}
			folded_frame_name(&frames[j], &buf, &len, &alloc);
		}
		lines[i].text = buf;
		lines[i].samples = c->samples;
	}
	qsort(lines, t->npaths, sizeof(*lines), cmp_line);
	for (i = 0; i < t->npaths; i++) {
		if (nr && !strcmp(lines[nr - 1].text, lines[i].text)) {
			lines[nr - 1].samples += lines[i].samples;
			free(lines[i].text);
		} else {
			lines[nr++] = lines[i];
		}
	}
	for (i = 0; i < nr; i++) {
		fprintf(fp, "%s %llu\n", lines[i].text,
			(unsigned long long)lines[i].samples);
		free(lines[i].text);
	}
	free(lines);
	free(frames);
}
