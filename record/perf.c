/*
 * perf.c - sampling the program counter of every thread of a process.
 *
 * One software cpu-clock event per online CPU, opened for the child with
 * inherit=1 so that every thread it creates later is sampled too, each
 * with a ring buffer of its own (an inherited event cannot be mmapped
 * with cpu=-1).  The events start at the child's execve
 * (enable_on_exec) so pf-record's own set-up is never sampled.
 */
#include "recorder.h"
#include "escape.h"
#include "util.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Data pages per ring buffer (a power of two): 512 KiB, ~13k samples. */
#define RING_PAGES 128

struct ring {
	int fd;
	int cpu;
	struct perf_event_mmap_page *meta;
	unsigned char *data;	/* RING_PAGES pages after the meta page */
	size_t size;		/* bytes of data */
};

struct sampler {
	struct ring *rings;
	size_t nrings;
	int kernel_included;
	unsigned char *scratch;	/* a record that wraps the buffer end */
	uint64_t samples, lost, throttled;
};

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int perf_event_open(struct perf_event_attr *attr, pid_t pid, int cpu)
{
	return (int)syscall(SYS_perf_event_open, attr, pid, cpu, -1,
			    PERF_FLAG_FD_CLOEXEC);
}

static void init_attr(struct perf_event_attr *attr,
		      const struct perf_options *opt, int include_kernel)
{
	memset(attr, 0, sizeof(*attr));
	attr->size = sizeof(*attr);
	attr->type = PERF_TYPE_SOFTWARE;
	attr->config = PERF_COUNT_SW_CPU_CLOCK;
	/* cpu-clock counts nanoseconds: a fixed period is exact. */
	attr->sample_period = 1000000000u / opt->frequency;
	attr->sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID |
			    PERF_SAMPLE_TIME | PERF_SAMPLE_CPU;
	attr->disabled = 1;
	attr->inherit = 1;
	attr->enable_on_exec = 1;
	attr->exclude_kernel = !include_kernel;
	attr->exclude_hv = 1;
	attr->mmap = 1;
	attr->comm = 1;
	attr->comm_exec = 1;
	attr->task = 1;
	attr->sample_id_all = 1;
	attr->use_clockid = 1;
	attr->clockid = CLOCK_MONOTONIC;
	attr->watermark = 1;
	attr->wakeup_watermark = RING_PAGES * 4096 / 4;
}

static int perf_paranoid(void)
{
	FILE *fp = fopen("/proc/sys/kernel/perf_event_paranoid", "r");
	int level = -9;

	if (fp) {
		if (fscanf(fp, "%d", &level) != 1)
			level = -9;
		fclose(fp);
	}
	return level;
}

static int online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_CONF);

	return n > 0 ? (int)n : 1;
}

struct sampler *sampler_open(pid_t pid, const struct perf_options *opt)
{
	struct sampler *s = xcalloc(1, sizeof(*s));
	int ncpu = online_cpus(), cpu;
	long page = sysconf(_SC_PAGESIZE);

	s->rings = xcalloc((size_t)ncpu, sizeof(*s->rings));
	s->kernel_included = opt->include_kernel;
	for (cpu = 0; cpu < ncpu; cpu++) {
		struct perf_event_attr attr;
		struct ring *r = &s->rings[s->nrings];
		size_t len = (size_t)(RING_PAGES + 1) * (size_t)page;
		void *p;
		int fd;

		init_attr(&attr, opt, s->kernel_included);
		fd = perf_event_open(&attr, pid, cpu);
		if (fd < 0 && s->kernel_included &&
		    (errno == EACCES || errno == EPERM)) {
			/* perf_event_paranoid >= 2 without privileges */
			s->kernel_included = 0;
			init_attr(&attr, opt, 0);
			fd = perf_event_open(&attr, pid, cpu);
		}
		if (fd < 0 && errno == ENODEV)
			continue;	/* CPU not online */
		if (fd < 0) {
			if (errno == EACCES || errno == EPERM)
				die(EXIT_FATAL,
				    "perf events are not permitted "
				    "(kernel.perf_event_paranoid is %d); try: "
				    "sudo sysctl kernel.perf_event_paranoid=2",
				    perf_paranoid());
			die(EXIT_FATAL, "perf_event_open cpu-clock on cpu %d:",
			    cpu);
		}
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			die(EXIT_FATAL,
			    "cannot map the ring buffer of cpu %d (try raising "
			    "kernel.perf_event_mlock_kb):", cpu);
		r->fd = fd;
		r->cpu = cpu;
		r->meta = p;
		r->data = (unsigned char *)p + page;
		r->size = (size_t)RING_PAGES * (size_t)page;
		s->nrings++;
	}
	if (s->nrings == 0)
		die(EXIT_FATAL, "no CPU could be sampled");
	s->scratch = xmalloc(65536);
	return s;
}

void sampler_free(struct sampler *s)
{
	size_t i;
	long page = sysconf(_SC_PAGESIZE);

	if (!s)
		return;
	for (i = 0; i < s->nrings; i++) {
		munmap(s->rings[i].meta, s->rings[i].size + (size_t)page);
		close(s->rings[i].fd);
	}
	free(s->rings);
	free(s->scratch);
	free(s);
}

size_t sampler_pollfds(struct sampler *s, int *fds, size_t max)
{
	size_t i;

	for (i = 0; i < s->nrings && i < max; i++)
		fds[i] = s->rings[i].fd;
	return i;
}

int sampler_kernel_included(const struct sampler *s)
{
	return s->kernel_included;
}

void sampler_totals(const struct sampler *s, uint64_t *samples,
		    uint64_t *lost, uint64_t *throttled)
{
	*samples = s->samples;
	*lost = s->lost;
	*throttled = s->throttled;
}

/* The sample_id trailer of non-sample records (sample_id_all). */
struct sample_id {
	uint32_t pid, tid;
	uint64_t time;
	uint32_t cpu, res;
};

static uint64_t trailer_time(const unsigned char *rec, size_t size)
{
	struct sample_id id;

	if (size < sizeof(struct perf_event_header) + sizeof(id))
		return 0;
	memcpy(&id, rec + size - sizeof(id), sizeof(id));
	return id.time;
}

static void handle_record(struct sampler *s, const unsigned char *rec,
			  size_t size, FILE *out,
			  const struct sampler_events *ev)
{
	struct perf_event_header hdr;

	memcpy(&hdr, rec, sizeof(hdr));
	rec += sizeof(hdr);
	size -= sizeof(hdr);
	switch (hdr.type) {
	case PERF_RECORD_SAMPLE: {
		struct {
			uint64_t ip;
			uint32_t pid, tid;
			uint64_t time;
			uint32_t cpu, res;
		} smp;

		if (size < sizeof(smp))
			return;
		memcpy(&smp, rec, sizeof(smp));
		fprintf(out, "sample %llu %u %u %u %llx\n",
			(unsigned long long)smp.time, smp.pid, smp.tid,
			smp.cpu, (unsigned long long)smp.ip);
		s->samples++;
		break;
	}
	case PERF_RECORD_MMAP: {
		struct {
			uint32_t pid, tid;
			uint64_t addr, len, pgoff;
		} m;
		size_t fixed = sizeof(m), namemax;
		char path[4096];

		if (size < fixed + sizeof(struct sample_id))
			return;
		memcpy(&m, rec, fixed);
		namemax = size - fixed - sizeof(struct sample_id);
		if (namemax >= sizeof(path))
			namemax = sizeof(path) - 1;
		memcpy(path, rec + fixed, namemax);
		path[namemax] = '\0';
		if (ev->mmap)
			ev->mmap(ev->arg, trailer_time(rec - sizeof(hdr),
						       hdr.size),
				 m.pid, m.addr, m.len, m.pgoff, path);
		break;
	}
	case PERF_RECORD_COMM: {
		uint32_t ids[2];
		char name[64];
		size_t namemax;

		if (size < sizeof(ids) + sizeof(struct sample_id))
			return;
		memcpy(ids, rec, sizeof(ids));
		namemax = size - sizeof(ids) - sizeof(struct sample_id);
		if (namemax >= sizeof(name))
			namemax = sizeof(name) - 1;
		memcpy(name, rec + sizeof(ids), namemax);
		name[namemax] = '\0';
		if (ev->comm)
			ev->comm(ev->arg, trailer_time(rec - sizeof(hdr),
						       hdr.size),
				 ids[0], ids[1], name);
		break;
	}
	case PERF_RECORD_FORK: {
		struct {
			uint32_t pid, ppid, tid, ptid;
			uint64_t time;
		} f;

		if (size < sizeof(f))
			return;
		memcpy(&f, rec, sizeof(f));
		if (ev->fork)
			ev->fork(ev->arg, f.time, f.pid, f.tid);
		break;
	}
	case PERF_RECORD_LOST: {
		uint64_t idlost[2];

		if (size < sizeof(idlost))
			return;
		memcpy(idlost, rec, sizeof(idlost));
		s->lost += idlost[1];
		fprintf(out, "lost %llu %llu\n",
			(unsigned long long)trailer_time(rec - sizeof(hdr),
							 hdr.size),
			(unsigned long long)idlost[1]);
		break;
	}
	case PERF_RECORD_THROTTLE: {
		uint64_t t;

		if (size < sizeof(t))
			return;
		memcpy(&t, rec, sizeof(t));
		s->throttled++;
		fprintf(out, "throttle %llu\n", (unsigned long long)t);
		break;
	}
	default:
		break;	/* EXIT, UNTHROTTLE, ...: nothing to record */
	}
}

/*
 * The kernel writes records at data_head and we consume from data_tail.
 * The acquire load of data_head pairs with the kernel's release (smp_wmb
 * before it publishes a new head): every byte before head is visible
 * once we have read head.  The release store of data_tail tells the
 * kernel, after all our reads of the records, that it may overwrite
 * them (it pairs with the kernel's smp_mb before reading tail).
 */
static void drain_ring(struct sampler *s, struct ring *r, FILE *out,
		       const struct sampler_events *ev)
{
	uint64_t head = __atomic_load_n(&r->meta->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = r->meta->data_tail;

	while (tail < head) {
		size_t off = (size_t)(tail % r->size);
		struct perf_event_header hdr;
		const unsigned char *rec;

		if (r->size - off >= sizeof(hdr)) {
			memcpy(&hdr, r->data + off, sizeof(hdr));
		} else {
			size_t first = r->size - off;

			memcpy(&hdr, r->data + off, first);
			memcpy((unsigned char *)&hdr + first, r->data,
			       sizeof(hdr) - first);
		}
		if (hdr.size < sizeof(hdr) || tail + hdr.size > head)
			break;	/* corrupt or incomplete: resync below */
		if (off + hdr.size <= r->size) {
			rec = r->data + off;
		} else {
			size_t first = r->size - off;

			memcpy(s->scratch, r->data + off, first);
			memcpy(s->scratch + first, r->data, hdr.size - first);
			rec = s->scratch;
		}
		handle_record(s, rec, hdr.size, out, ev);
		tail += hdr.size;
	}
	if (tail < head)
		tail = head;
	__atomic_store_n(&r->meta->data_tail, tail, __ATOMIC_RELEASE);
}

void sampler_drain(struct sampler *s, FILE *out,
		   const struct sampler_events *ev)
{
	size_t i;

	for (i = 0; i < s->nrings; i++)
		drain_ring(s, &s->rings[i], out, ev);
}
