/* test-base64.c - base64_write / base64_decode (common/base64.h) */
#include "base64.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

/* base64_write's text for data, malloc'ed. */
static char *encode(const unsigned char *data, size_t len, size_t *n)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&buf, &size);

	base64_write(fp, data, len);
	fclose(fp);
	*n = size;
	return buf;
}

/* Decode text into a buffer of exactly BASE64_DECODED_MAX(n) bytes. */
static long decode(const char *text, size_t n, unsigned char **out)
{
	*out = malloc(BASE64_DECODED_MAX(n) + 1);
	return base64_decode(text, n, *out);
}

static void test_rfc4648(void)
{
	static const char *const vec[][2] = {
		{ "", "" },	      { "f", "Zg==" },	    { "fo", "Zm8=" },
		{ "foo", "Zm9v" },    { "foob", "Zm9vYg==" },
		{ "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" },
	};
	size_t i, n;

	for (i = 0; i < sizeof(vec) / sizeof(vec[0]); i++) {
		const char *plain = vec[i][0], *b64 = vec[i][1];
		char *text = encode((const unsigned char *)plain, strlen(plain), &n);
		unsigned char *out;
		long got = decode(b64, strlen(b64), &out);

		is_str(text, b64, "RFC 4648: BASE64(\"%s\") = \"%s\"", plain, b64);
		ok(got == (long)strlen(plain) && !memcmp(out, plain, strlen(plain)),
		   "RFC 4648: \"%s\" decodes to \"%s\"", b64, plain);
		free(text);
		free(out);
	}
}

static uint64_t rng = 0x853c49e6748fea9bULL;

static unsigned char random_byte(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned char)(rng >> 24);
}

static void test_round_trip(void)
{
	unsigned char data[256];
	int bad_len = 0, bad_data = 0, bad_alpha = 0;
	size_t len, i, n;

	for (len = 0; len <= 100; len++) {
		for (int rep = 0; rep < 20; rep++) {
			unsigned char *out;
			char *text;
			long got;

			for (i = 0; i < len; i++)
				data[i] = random_byte();
			text = encode(data, len, &n);
			if (n != (len + 2) / 3 * 4 || strlen(text) != n)
				bad_len++;
			if (strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
					 "abcdefghijklmnopqrstuvwxyz"
					 "0123456789+/=") != n)
				bad_alpha++;
			/* One canary byte after the largest possible output. */
			out = malloc(BASE64_DECODED_MAX(n) + 1);
			out[BASE64_DECODED_MAX(n)] = 0xa5;
			got = base64_decode(text, n, out);
			if (got != (long)len || memcmp(out, data, len) ||
			    out[BASE64_DECODED_MAX(n)] != 0xa5) {
				printf("# length %zu: '%s' decodes to %ld bytes\n",
				       len, text, got);
				bad_data++;
			}
			free(text);
			free(out);
		}
	}
	ok(bad_len == 0, "encoded length is 4 * ceil(len / 3), lengths 0..100");
	ok(bad_alpha == 0, "only the RFC 4648 alphabet and '=' are written");
	ok(bad_data == 0, "random buffers of lengths 0..100 round-trip, "
	   "within BASE64_DECODED_MAX");

	for (i = 0; i < 256; i++)
		data[i] = (unsigned char)i;
	{
		char *text = encode(data, 256, &n);
		unsigned char *out;
		long got = decode(text, n, &out);

		ok(got == 256 && !memcmp(out, data, 256),
		   "all 256 byte values round-trip");
		ok(strchr(text, '+') && strchr(text, '/'),
		   "'+' and '/' are the last two letters");
		free(text);
		free(out);
	}
}

static void test_bad_input(void)
{
	static const char *const bad[][2] = {
		{ "Zm9", "length 3, not a multiple of 4" },
		{ "Zm9vY", "length 5" },
		{ "Zm9v!A==", "'!' is not in the alphabet" },
		{ "Zm 9", "a space" },
		{ "Zm9-", "'-' of the URL-safe alphabet" },
		{ "Zm9_", "'_' of the URL-safe alphabet" },
		{ "Zm9v\nZm9v", "a newline inside" },
		{ "Zm9v\r\n", "a CR LF at the end" },
		{ "\x80xyz", "a byte above 0x7f" },
		{ "Zg=", "padding cut short" },
		{ "Zm9v=", "padding after a full group" },
		{ "Z===", "three padding characters" },
		{ "====", "only padding" },
		{ "=Zm9", "padding first" },
		{ "Zm=v", "a letter after padding" },
		{ "Zg=A", "a letter after one '='" },
		{ "Zg==Zg==", "padding in the middle" },
		{ "Zm9=Zm9v", "padding in the first group" },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unsigned char *out;

		ok(decode(bad[i][0], strlen(bad[i][0]), &out) == -1,
		   "rejected: %s", bad[i][1]);
		free(out);
	}
	{
		unsigned char *out;

		ok(decode("Zm\0v", 4, &out) == -1, "a NUL byte is rejected");
		free(out);
		ok(decode("", 0, &out) == 0, "empty text decodes to 0 bytes");
		free(out);
	}
}

/*
 * base64_encode gives base64_write's text, with its length and a NUL;
 * base64_write in pieces, past the first one included.
 */
static void test_encode(void)
{
	static unsigned char data[7000];
	static char text[BASE64_ENCODED_LEN(sizeof(data)) + 2];
	size_t lens[] = { 0, 1, 2, 3, 4, 3071, 3072, 3073, 6144, 7000 };
	size_t i, bad = 0;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 37 + 11);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		size_t n, got;
		char *want = encode(data, lens[i], &n);

		text[BASE64_ENCODED_LEN(lens[i]) + 1] = 'x';
		got = base64_encode(data, lens[i], text);
		if (got != n || got != BASE64_ENCODED_LEN(lens[i]) ||
		    memcmp(text, want, n) || text[n] != '\0' ||
		    text[n + 1] != 'x')
			bad++;
		free(want);
	}
	ok(bad == 0, "base64_encode writes base64_write's text, NUL-ended, "
		     "and no further; lengths around the pieces");
}

int main(void)
{
	test_rfc4648();
	test_encode();
	test_round_trip();
	test_bad_input();
	return done_testing();
}
