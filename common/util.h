/*
 * util.h - error reporting, checked allocation, number parsing.
 *
 * Every tool sets progname once at the top of main().  die() exits with
 * the given code; warn() returns.  Both prefix "progname: " and, when the
 * format ends in ':', append strerror(errno).
 */
#ifndef PF_UTIL_H
#define PF_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Exit codes shared by all pf tools (documented in every man page). */
enum {
	EXIT_PARTIAL = 1,	/* some input was bad and skipped */
	EXIT_FATAL = 2,		/* could not do the job at all */
	EXIT_USAGE = 64,	/* EX_USAGE */
	EXIT_DATAERR = 65,	/* EX_DATAERR: input is not a pf stream */
};

extern const char *progname;

#if defined(__GNUC__)
#define PF_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define PF_NORETURN __attribute__((noreturn))
#else
#define PF_PRINTF(a, b)
#define PF_NORETURN
#endif

PF_NORETURN void die(int code, const char *fmt, ...) PF_PRINTF(2, 3);
void warn(const char *fmt, ...) PF_PRINTF(1, 2);

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
/* xstrdup(s), or NULL when s is NULL (a field written "-"). */
char *xstrdup_or_null(const char *s);
char *xstrndup(const char *s, size_t n);

/*
 * Grow array p (of *alloc elements) so that it holds at least n elements,
 * geometrically.  The caller keeps the element count.  Like git's
 * ALLOC_GROW: ALLOC_GROW(items, nr + 1, alloc); items[nr++] = x;
 */
#define ALLOC_GROW(p, n, alloc)                                          \
	do {                                                             \
		if ((size_t)(n) > (alloc)) {                             \
			size_t alloc_new_ = (alloc) < 8 ? 16 : (alloc) * 2; \
			if (alloc_new_ < (size_t)(n))                    \
				alloc_new_ = (n);                        \
			(p) = xreallocarray((p), alloc_new_, sizeof(*(p))); \
			(alloc) = alloc_new_;                            \
		}                                                        \
	} while (0)

/*
 * Parse a whole string as an unsigned number in base (10 or 16) within
 * [min, max].  Returns 0 on success, -1 when s is empty, has trailing
 * junk, or is out of range.
 */
int parse_u64(const char *s, int base, uint64_t min, uint64_t max,
	      uint64_t *out);

/* Parse a command-line number or die with a usage message naming opt. */
uint64_t parse_option_u64(const char *opt, const char *s, uint64_t min,
			  uint64_t max);

/* qsort helpers: strings with NULL first, counts largest first. */
static inline int cmp_string(const char *a, const char *b)
{
	if (!a || !b)
		return !!a - !!b;
	return __builtin_strcmp(a, b);
}

static inline int cmp_u64_desc(uint64_t a, uint64_t b)
{
	return (a < b) - (a > b);
}

/*
 * Flush and close stdout, dying with EXIT_FATAL if any write failed:
 * a full disk or closed pipe is a failure, not a silent truncation.
 */
void close_stdout(void);

#endif
