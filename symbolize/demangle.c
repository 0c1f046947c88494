/* demangle.c - see demangle.h */
#include "demangle.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* From libstdc++ (the Makefile links -lstdc++). */
char *__cxa_demangle(const char *mangled, char *out, size_t *len,
		     int *status);

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * Numba escapes every byte of a name outside [A-Za-z0-9_] as _xx (lower
 * case hex) but leaves '_' itself alone, so the escape is ambiguous.
 * Decode only bytes that Numba would have escaped: an identifier that
 * really contains "_41" keeps it.
 */
static int escape_at(const char *r)
{
	int hi, lo;

	if (r[0] != '_' || (hi = hexval(r[1])) < 0 || (lo = hexval(r[2])) < 0)
		return -1;
	return hi << 4 | lo;
}

/*
 * The escapes at r that spell one non-ASCII character in UTF-8 (Numba
 * escapes each of its bytes): how many, or 0.  "_call" is not one: 0xca
 * must be followed by a continuation byte's escape.
 */
static int utf8_escapes(const char *r)
{
	int v = escape_at(r), n, i;

	if (v >= 0xc2 && v <= 0xdf)
		n = 2;
	else if (v >= 0xe0 && v <= 0xef)
		n = 3;
	else if (v >= 0xf0 && v <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++) {
		int c = escape_at(r + 3 * i);

		if (c < 0x80 || c > 0xbf)
			return 0;
	}
	return n;
}

static int numba_escaped(int v)
{
	if (v >= 0x80)
		return 0;	/* only as part of UTF-8: utf8_escapes() */
	if (v <= 0x20 || v == 0x7f || v == '_')
		return 0;
	return !((v >= '0' && v <= '9') || (v >= 'a' && v <= 'z') ||
		 (v >= 'A' && v <= 'Z'));
}

/* Rewrite a demangled Numba name in place (it only gets shorter). */
static void numba_cleanup(char *s)
{
	char *r = s, *w = s;
	int in_name = 1;	/* before the parameter list */

	while (*r) {
		int v, n;

		if (!strncmp(r, "[abi:", 5) && strchr(r, ']')) {
			r = strchr(r, ']') + 1;
		} else if ((n = utf8_escapes(r)) > 0) {
			while (n--) {
				*w++ = (char)escape_at(r);
				r += 3;
			}
		} else if ((v = escape_at(r)) >= 0 && numba_escaped(v)) {
			*w++ = (char)v;
			r += 3;
		} else if (in_name && r[0] == ':' && r[1] == ':') {
			*w++ = '.';
			r += 2;
		} else if (!in_name && !strncmp(r, "_20", 3)) {
			/*
			 * A space in a type ("array(int64, 1d, C)", "reflected
			 * list"): dropped after a comma, as ", " is, else '_'
			 * (a space would be written as %20 in the stream).
			 */
			if (w == s || w[-1] != ',')
				*w++ = '_';
			r += 3;
		} else if (r[0] == ',' && r[1] == ' ') {
			/* spaces would be written as %20 in the stream */
			*w++ = ',';
			r += 2;
		} else {
			if (*r == '(')
				in_name = 0;
			*w++ = *r++;
		}
	}
	*w = '\0';
}

/*
 * Numba tags every function it mangles with [abi:vN] (a version count)
 * and a hash of its flags; C++'s own tags ([abi:cxx11]) look different.
 */
static int is_numba(const char *s)
{
	const char *p = strstr(s, "[abi:v");

	if (!p)
		return 0;
	p += 6;
	if (*p < '0' || *p > '9')
		return 0;
	p += strspn(p, "0123456789");
	return *p == ']';
}

char *readable_name(const char *sym, enum name_style style)
{
	const char *mangled = sym;
	char *plain, *out;
	size_t prefix;
	int status;

	if (style == NAMES_RAW)
		return xstrdup(sym);
	if (strncmp(sym, "_Z", 2)) {
		const char *p = strstr(sym, "._Z");

		if (!p)
			return xstrdup(sym);
		mangled = p + 1;
	}
	plain = __cxa_demangle(mangled, NULL, NULL, &status);
	if (!plain || status != 0) {
		free(plain);
		return xstrdup(sym);
	}
	prefix = (size_t)(mangled - sym);
	out = xmalloc(prefix + strlen(plain) + 1);
	memcpy(out, sym, prefix);
	strcpy(out + prefix, plain);
	free(plain);
	if (style == NAMES_NUMBA && is_numba(out + prefix))
		numba_cleanup(out + prefix);
	return out;
}
