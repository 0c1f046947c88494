/* escape.c - see escape.h */
#include "escape.h"

#include <string.h>

static int needs_escape(unsigned char c)
{
	return c <= 0x20 || c == 0x7f || c == '%' || c == ';' || c == '@';
}

void fput_fieldn(FILE *fp, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	if (!s || len == 0) {
		fputc('-', fp);
		return;
	}
	if (len == 1 && s[0] == '-') {
		fputs("%2D", fp);
		return;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (needs_escape(c)) {
			fputc('%', fp);
			fputc(hex[c >> 4], fp);
			fputc(hex[c & 15], fp);
		} else {
			fputc(c, fp);
		}
	}
}

void fput_field(FILE *fp, const char *s)
{
	fput_fieldn(fp, s, s ? strlen(s) : 0);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int unescape_field(char *field, char **out)
{
	char *r = field, *w = field;

	if (field[0] == '-' && field[1] == '\0') {
		*out = NULL;
		return 0;
	}
	while (*r) {
		if (*r == '%') {
			int hi = hexval(r[1]), lo = hi < 0 ? -1 : hexval(r[2]);

			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return -1;
			*w++ = (char)(hi << 4 | lo);
			r += 3;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	*out = field;
	return 0;
}
