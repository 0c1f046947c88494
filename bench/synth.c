/*
 * synth - a long recording made from a short real one, to measure the
 * pipe on hours of samples without running for hours.
 *
 *	synth RECORDING SECONDS THREADS HZ
 *
 * Writes a "pf-record 1" stream to standard output: RECORDING's
 * records other than its samples, syncs, lost, throttle and exit (its
 * meta, map, thread, jit, jitdata, compile records: the real JIT
 * objects and libraries), then SECONDS of samples of THREADS threads at
 * HZ each, after everything RECORDING holds, with a sync record every
 * 50 ms, as pf-record writes them, and an exit record.  Each sample's
 * PC is one of RECORDING's sample PCs, drawn at random (a fixed seed:
 * the same arguments give the same stream), so the mix of JIT, native
 * and kernel code and the number of distinct addresses are the real
 * program's.  The threads are new ones of RECORDING's process.
 */

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SYNC_NS 50000000ull

static void die(const char *msg)
{
	fprintf(stderr, "synth: %s\n", msg);
	exit(2);
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int skipped(const char *line)
{
	static const char *const kinds[] = {
		"sample ", "sync ", "lost ", "throttle ", "exit ",
	};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strncmp(line, kinds[i], strlen(kinds[i])))
			return 1;
	return 0;
}

/* The TIME field (after the kind word) of records that have one first. */
static uint64_t record_time(const char *line)
{
	static const char *const kinds[] = {
		"map ", "thread ", "sample ", "compile ", "exit ", "sync ",
	};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strncmp(line, kinds[i], strlen(kinds[i])))
			return strtoull(line + strlen(kinds[i]), NULL, 10);
	if (!strncmp(line, "jit ", 4)) {
		const char *sp = strchr(line + 4, ' ');

		return sp ? strtoull(sp + 1, NULL, 10) : 0;
	}
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t *pc = NULL, last = 0, pid = 0, seconds, threads, hz;
	uint64_t t, step, end, next_sync, i;
	size_t npc = 0, apc = 0, cap = 0;
	char *line = NULL;
	ssize_t len;
	FILE *in;

	if (argc != 5)
		die("usage: synth RECORDING SECONDS THREADS HZ");
	seconds = strtoull(argv[2], NULL, 10);
	threads = strtoull(argv[3], NULL, 10);
	hz = strtoull(argv[4], NULL, 10);
	if (!seconds || !threads || !hz || hz > 1000000000)
		die("SECONDS, THREADS and HZ must be positive");
	in = fopen(argv[1], "r");
	if (!in)
		die("cannot open the recording");
	while ((len = getline(&line, &cap, in)) > 0) {
		uint64_t time = record_time(line);

		if (time > last)
			last = time;
		if (!strncmp(line, "meta pid ", 9))
			pid = strtoull(line + 9, NULL, 10);
		if (!strncmp(line, "sample ", 7)) {
			const char *p = line + 7;
			int f;

			for (f = 0; f < 4 && p; f++) {
				p = strchr(p, ' ');
				p = p ? p + 1 : NULL;
			}
			if (!p)
				continue;
			if (npc == apc) {
				apc = apc ? 2 * apc : 4096;
				pc = realloc(pc, apc * sizeof(*pc));
				if (!pc)
					die("out of memory");
			}
			pc[npc++] = strtoull(p, NULL, 16);
		}
		if (!skipped(line))
			fwrite(line, 1, (size_t)len, stdout);
	}
	fclose(in);
	free(line);
	if (!npc || !pid)
		die("the recording has no samples, or no meta pid");

	t = last + 1000000;
	for (i = 0; i < threads; i++)
		printf("thread %" PRIu64 " %" PRIu64 " %" PRIu64 " synth%" PRIu64
		       "\n", t, pid, pid + 100000 + i, i);
	step = 1000000000ull / hz;
	end = t + seconds * 1000000000ull;
	next_sync = t + SYNC_NS;
	for (; t < end; t += step) {
		for (i = 0; i < threads; i++)
			printf("sample %" PRIu64 " %" PRIu64 " %" PRIu64
			       " %" PRIu64 " %" PRIx64 "\n", t + i, pid,
			       pid + 100000 + i, i % 2,
			       pc[next_random() % npc]);
		if (t >= next_sync) {
			printf("sync %" PRIu64 "\n", t + threads);
			next_sync += SYNC_NS;
		}
	}
	printf("exit %" PRIu64 " 0 exited\n", end);
	free(pc);
	if (fflush(stdout) || ferror(stdout))
		die("cannot write");
	return 0;
}
