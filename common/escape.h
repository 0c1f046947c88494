/*
 * escape.h - one field of free text in a space-separated record.
 *
 * A field never contains a space, so names and paths are written with
 * these bytes as %XX (two upper-case hex digits): every byte <= 0x20,
 * 0x7f, '%', ';' and '@' (the last two separate inline-chain entries).
 * A missing value is written as "-"; a value that is literally "-" is
 * written as "%2D".  Everything else is copied, so ordinary names and
 * paths stay greppable.
 */
#ifndef PF_ESCAPE_H
#define PF_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* Write s (NULL or "" means missing) as one escaped field. */
void fput_field(FILE *fp, const char *s);

/* Same, for a string given by pointer and length. */
void fput_fieldn(FILE *fp, const char *s, size_t len);

/*
 * Decode field in place.  Returns 0 and sets *out to the decoded text
 * (NULL for the placeholder "-"), or -1 for a malformed %XX sequence or
 * an encoded NUL byte.
 */
int unescape_field(char *field, char **out);

#endif
