/* source.c - see source.h */
#include "source.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_all(const char *path, size_t *size)
{
	FILE *fp = fopen(path, "r");
	char *data = NULL;
	size_t len = 0, alloc = 0, n;
	int saved;

	if (!fp)
		return NULL;
	do {
		ALLOC_GROW(data, len + 65536, alloc);
		n = fread(data + len, 1, alloc - len, fp);
		len += n;
	} while (n > 0);
	if (ferror(fp)) {
		saved = errno;
		fclose(fp);
		free(data);
		errno = saved;
		return NULL;
	}
	fclose(fp);
	*size = len;
	return data;
}

int source_load(struct source *s, const char *path)
{
	size_t size, start, end;

	memset(s, 0, sizeof(*s));
	s->data = read_all(path, &size);
	if (!s->data)
		return -1;
	for (start = 0; start < size; start = end + 1) {
		const char *nl = memchr(s->data + start, '\n', size - start);
		size_t len;

		end = nl ? (size_t)(nl - s->data) : size;
		len = end - start;
		if (len && s->data[start + len - 1] == '\r')
			len--;
		ALLOC_GROW(s->lines, s->nr + 1, s->alloc);
		s->lines[s->nr].text = s->data + start;
		s->lines[s->nr++].len = len;
	}
	return 0;
}

int source_from_texts(struct source *s, const struct source_text *t,
		      size_t nr, const char *path)
{
	size_t i, size = 0, at = 0;
	uint32_t last = 0;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < nr; i++)
		if (!strcmp(t[i].file, path)) {
			size += strlen(t[i].text);
			if (t[i].line > last)
				last = t[i].line;
		}
	if (!last)
		return -1;
	s->data = xmalloc(size + 1);
	s->lines = xcalloc(last, sizeof(*s->lines));
	s->nr = s->alloc = last;
	for (i = 0; i < last; i++)
		s->lines[i].text = s->data;	/* empty until given */
	for (i = 0; i < nr; i++) {
		size_t len;

		if (strcmp(t[i].file, path) || !t[i].line)
			continue;
		len = strlen(t[i].text);
		memcpy(s->data + at, t[i].text, len);
		s->lines[t[i].line - 1].text = s->data + at;
		s->lines[t[i].line - 1].len = len;
		at += len;
	}
	return 0;
}

void source_release(struct source *s)
{
	free(s->data);
	free(s->lines);
	memset(s, 0, sizeof(*s));
}
