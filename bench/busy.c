/*
 * busy - THREADS threads share a fixed amount of arithmetic, to measure
 * what sampling costs a program: the work is the same however many
 * threads do it, so the wall time under pf-record against plain is the
 * cost, and dividing the difference by the samples taken gives the cost
 * of one sample.
 *
 *	busy THREADS MILLIONS
 *
 * Prints the wall seconds from the start of the first thread to the end
 * of the last.  Each thread does MILLIONS/THREADS million steps of a
 * dependent floating-point chain (no memory traffic: nothing else is
 * measured).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static volatile double sink;

static void *work(void *arg)
{
	long n = *(long *)arg, i;
	double x = 1.0;

	for (i = 0; i < n; i++)
		x = x * 1.0000001 + 1e-9;
	sink = x;
	return NULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	pthread_t tid[256];
	long threads, each, i;
	double start;

	if (argc != 3 || (threads = atol(argv[1])) < 1 || threads > 256) {
		fprintf(stderr, "usage: busy THREADS MILLIONS (1-256 threads)\n");
		return 64;
	}
	each = atol(argv[2]) * 1000000 / threads;
	start = now();
	for (i = 0; i < threads; i++)
		if (pthread_create(&tid[i], NULL, work, &each)) {
			perror("busy: pthread_create");
			return 2;
		}
	for (i = 0; i < threads; i++)
		pthread_join(tid[i], NULL);
	printf("%.6f\n", now() - start);
	return 0;
}
