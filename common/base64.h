/*
 * base64.h - RFC 4648 base64, used to carry JIT objects in a recording.
 */
#ifndef PF_BASE64_H
#define PF_BASE64_H

#include <stddef.h>
#include <stdio.h>

/* Characters that len bytes encode to (with '=' padding). */
#define BASE64_ENCODED_LEN(len) (((len) + 2) / 3 * 4)

/*
 * Encode len bytes of data into out, which holds BASE64_ENCODED_LEN(len)
 * + 1 characters, NUL-ended; returns the length of the text.
 */
size_t base64_encode(const unsigned char *data, size_t len, char *out);

/* Write len bytes of data to fp as base64 (with '=' padding). */
void base64_write(FILE *fp, const unsigned char *data, size_t len);

/* Bytes that base64 text of length n decodes to at most. */
#define BASE64_DECODED_MAX(n) (((n) + 3) / 4 * 3)

/*
 * Decode n characters of text into out, which holds
 * BASE64_DECODED_MAX(n) bytes.  Returns the number of bytes, or -1 for
 * a character outside the alphabet or bad padding.
 */
long base64_decode(const char *text, size_t n, unsigned char *out);

#endif
