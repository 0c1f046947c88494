/* base64.c - see base64.h */
#include "base64.h"

static const char alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void base64_write(FILE *fp, const unsigned char *d, size_t len)
{
	size_t i;

	for (i = 0; i + 2 < len; i += 3) {
		unsigned v = (unsigned)d[i] << 16 | (unsigned)d[i + 1] << 8 |
			     d[i + 2];

		fputc(alphabet[v >> 18], fp);
		fputc(alphabet[v >> 12 & 63], fp);
		fputc(alphabet[v >> 6 & 63], fp);
		fputc(alphabet[v & 63], fp);
	}
	if (len - i == 1) {
		unsigned v = (unsigned)d[i] << 16;

		fputc(alphabet[v >> 18], fp);
		fputc(alphabet[v >> 12 & 63], fp);
		fputs("==", fp);
	} else if (len - i == 2) {
		unsigned v = (unsigned)d[i] << 16 | (unsigned)d[i + 1] << 8;

		fputc(alphabet[v >> 18], fp);
		fputc(alphabet[v >> 12 & 63], fp);
		fputc(alphabet[v >> 6 & 63], fp);
		fputc('=', fp);
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
