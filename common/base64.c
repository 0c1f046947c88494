/* base64.c - see base64.h */
#include "base64.h"

static const char alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t base64_encode(const unsigned char *d, size_t len, char *out)
{
	char *w = out;
	size_t i;

	for (i = 0; i + 2 < len; i += 3) {
		unsigned v = (unsigned)d[i] << 16 | (unsigned)d[i + 1] << 8 |
			     d[i + 2];

		*w++ = alphabet[v >> 18];
		*w++ = alphabet[v >> 12 & 63];
		*w++ = alphabet[v >> 6 & 63];
		*w++ = alphabet[v & 63];
	}
	if (len - i == 1) {
		unsigned v = (unsigned)d[i] << 16;

		*w++ = alphabet[v >> 18];
		*w++ = alphabet[v >> 12 & 63];
		*w++ = '=';
		*w++ = '=';
	} else if (len - i == 2) {
		unsigned v = (unsigned)d[i] << 16 | (unsigned)d[i + 1] << 8;

		*w++ = alphabet[v >> 18];
		*w++ = alphabet[v >> 12 & 63];
		*w++ = alphabet[v >> 6 & 63];
		*w++ = '=';
	}
	*w = '\0';
	return (size_t)(w - out);
}

void base64_write(FILE *fp, const unsigned char *d, size_t len)
{
	/* A multiple of 3 bytes a piece: padding only at the very end. */
	enum { PIECE = 3 * 1024 };
	char text[BASE64_ENCODED_LEN(PIECE) + 1];
	size_t off, n;

	for (off = 0; off < len; off += n) {
		n = len - off < PIECE ? len - off : PIECE;
		fwrite(text, 1, base64_encode(d + off, n, text), fp);
	}
}

static int value_of(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

long base64_decode(const char *text, size_t n, unsigned char *out)
{
	size_t i, o = 0;

	if (n % 4)
		return -1;
	for (i = 0; i < n; i += 4) {
		int v[4], k, pad = 0;

		for (k = 0; k < 4; k++) {
			unsigned char c = (unsigned char)text[i + k];

			if (c == '=' && i + 4 == n && k >= 2) {
				v[k] = 0;
				pad++;
			} else if (pad || (v[k] = value_of(c)) < 0) {
				return -1;
			}
		}
		out[o++] = (unsigned char)(v[0] << 2 | v[1] >> 4);
		if (pad < 2)
			out[o++] = (unsigned char)(v[1] << 4 | v[2] >> 2);
		if (pad < 1)
			out[o++] = (unsigned char)(v[2] << 6 | v[3]);
	}
	return (long)o;
}
