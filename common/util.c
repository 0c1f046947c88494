/* util.c - see util.h */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *progname = "pf";

static void vreport(const char *fmt, va_list ap)
{
	int saved = errno;
	size_t len = strlen(fmt);

	fprintf(stderr, "%s: ", progname);
	vfprintf(stderr, fmt, ap);
	if (len > 0 && fmt[len - 1] == ':')
		fprintf(stderr, " %s", strerror(saved));
	fputc('\n', stderr);
	errno = saved;
}

void die(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
	exit(code);
}

void warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		die(EXIT_FATAL, "out of memory allocating %zu bytes", size);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die(EXIT_FATAL, "out of memory allocating %zu x %zu bytes", n,
		    size);
	return p;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		die(EXIT_FATAL, "array size overflow (%zu x %zu)", n, size);
	p = realloc(p, n * size > 0 ? n * size : 1);
	if (!p)
		die(EXIT_FATAL, "out of memory allocating %zu x %zu bytes", n,
		    size);
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrdup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

int parse_u64(const char *s, int base, uint64_t min, uint64_t max,
	      uint64_t *out)
{
	unsigned long long v;
	char *end;

	/* strtoull would skip white space, a sign and (base 16) "0x" */
	if (!(base == 16 ? isxdigit((unsigned char)*s)
			 : isdigit((unsigned char)*s)))
		return -1;
	if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return -1;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

uint64_t parse_option_u64(const char *opt, const char *s, uint64_t min,
			  uint64_t max)
{
	uint64_t v;

	if (parse_u64(s, 10, min, max, &v))
		die(EXIT_USAGE, "option %s: '%s' is not a number from %llu to %llu",
		    opt, s, (unsigned long long)min, (unsigned long long)max);
	return v;
}

void close_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno == EPIPE)
			exit(EXIT_FATAL);
		die(EXIT_FATAL, "write error on standard output:");
	}
	if (fclose(stdout) != 0)
		die(EXIT_FATAL, "write error on standard output:");
}
