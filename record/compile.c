/*
 * compile.c - when the program is in Numba's compiler, from the shim.
 *
 * The start-up shim (shim/sitecustomize.py) listens to Numba's own
 * events and writes a line to a pipe each time a thread takes or
 * releases Numba's compiler lock, starts or ends compiling a function,
 * or loads one from Numba's cache.  The pipe's write end is the only
 * descriptor pf-record leaves open across the command's execve; its
 * number and identity (device:inode, so that the shim never writes to
 * another file that got the same number in some later process) are in
 * PF_EVENTS_FD and PF_EVENTS_ID.  Each line is checked and written out
 * as a compile record (docs/FORMAT.md), its NAME escaped.
 */
#include "recorder.h"
#include "escape.h"
#include "lineio.h"
#include "record.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The shim's lines are shorter than PIPE_BUF; anything longer is bad. */
#define LINE_MAX_BYTES 4096

struct compile_events {
	int rfd, wfd;
	FILE *out;
	char buf[LINE_MAX_BYTES];
	size_t len;
	int skipping;		/* inside an over-long line */
	uint64_t bad;		/* lines that were not compile records */
};

struct compile_events *compile_events_open(FILE *out)
{
	struct compile_events *ce = xcalloc(1, sizeof(*ce));
	struct stat st;
	char num[32];
	int fds[2];

	ce->out = out;
	if (pipe2(fds, O_CLOEXEC) || fstat(fds[0], &st))
		die(EXIT_FATAL, "pipe:");
	ce->rfd = fds[0];
	ce->wfd = fds[1];
	if (fcntl(ce->rfd, F_SETFL, O_NONBLOCK))
		die(EXIT_FATAL, "fcntl:");
	snprintf(num, sizeof(num), "%d", ce->wfd);
	setenv("PF_EVENTS_FD", num, 1);
	snprintf(num, sizeof(num), "%ju:%ju", (uintmax_t)st.st_dev,
		 (uintmax_t)st.st_ino);
	setenv("PF_EVENTS_ID", num, 1);
	return ce;
}

void compile_events_in_child(struct compile_events *ce)
{
	/* Kept open across execve, for the shim. */
	if (ce && fcntl(ce->wfd, F_SETFD, 0))
		_exit(127);
}

void compile_events_started(struct compile_events *ce)
{
	if (ce && ce->wfd >= 0) {
		close(ce->wfd);
		ce->wfd = -1;
	}
}

static void write_event(struct compile_events *ce, char *line)
{
	struct compile_record c;
	char *f[7];
	size_t n = split_fields(line, f, 7);

	if (strcmp(f[0], "compile") || parse_compile_record(f, n, &c)) {
		if (!ce->bad++)
			warn("ignoring a bad line from the start-up shim: '%.60s'",
			     line);
		return;
	}
	fprintf(ce->out, "compile %" PRIu64 " %" PRIu32 " %" PRIu32 " %s %s ",
		c.time, c.pid, c.tid, compile_what_names[c.what],
		c.cache ? "cache" : "-");
	fput_field(ce->out, strcmp(c.name, "-") ? c.name : NULL);
	fputc('\n', ce->out);
}

void compile_events_read(struct compile_events *ce)
{
	char chunk[8192];
	ssize_t got;

	if (!ce)
		return;
	while ((got = read(ce->rfd, chunk, sizeof(chunk))) > 0) {
		ssize_t i;

		for (i = 0; i < got; i++) {
			char c = chunk[i];

			if (c == '\n') {
				if (!ce->skipping) {
					ce->buf[ce->len] = '\0';
					write_event(ce, ce->buf);
				}
				ce->len = 0;
				ce->skipping = 0;
			} else if (ce->skipping) {
				continue;
			} else if (ce->len + 1 >= sizeof(ce->buf) || !c) {
				if (!ce->bad++)
					warn("ignoring a bad line from the "
					     "start-up shim");
				ce->skipping = 1;
			} else {
				ce->buf[ce->len++] = c;
			}
		}
	}
	if (got < 0 && errno != EAGAIN && errno != EINTR)
		warn("reading the start-up shim's events:");
}

void compile_events_free(struct compile_events *ce)
{
	if (!ce)
		return;
	close(ce->rfd);
	if (ce->wfd >= 0)
		close(ce->wfd);
	free(ce);
}
