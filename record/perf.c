/*
 * perf.c - sampling the program counter of every thread of a process.
 *
 * One software cpu-clock event per online CPU, opened for the child with
 * inherit=1 so that every thread it creates later is sampled too, each
 * with a ring buffer of its own (an inherited event cannot be mmapped
 * with cpu=-1).  The events start at the child's execve
 * (enable_on_exec) so pf-record's own set-up is never sampled.
 *
 * Attached to a running process (pf-record -p), each of its threads has
 * events of its own, inherited by the threads it creates, and they all
 * write to the first one's ring on each CPU (PERF_EVENT_IOC_SET_OUTPUT).
 */
#include "recorder.h"
#include "escape.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Data pages per ring buffer (a power of two): 512 KiB, ~13k samples. */
#define RING_PAGES 128
/*
 * With call stacks a sample carries its stack (KiBs): a ring holds at
 * least RING_STACK_SAMPLES of them, and no more memory than that, which
 * the kernel's writes would cycle through and take from the program's
 * caches (8 MiB rings cost a program working in its L2 cache a fifth
 * of its speed at 1 kHz on the bench VM, 512 KiB ones 3%).  Less when
 * the kernel's limit on locked memory for an unprivileged user
 * (kernel.perf_event_mlock_kb) says no.
 */
#define RING_STACK_SAMPLES 32
#define RING_PAGES_MAX 2048

struct ring {
	int fd;
	int cpu;
	struct perf_event_mmap_page *meta;
	unsigned char *data;	/* RING_PAGES pages after the meta page */
	size_t size;		/* bytes of data */
};

struct sampler {
	struct ring *rings;	/* one a CPU, in CPU order */
	size_t nrings;
	int ncpu;
	size_t pages;		/* data pages of each ring */
	int *extra;		/* -p: the events of the other threads,
				   whose samples go to the rings */
	size_t nextra, extra_alloc;
	int kernel_included;
	int stacks;		/* samples carry registers and stack */
	unsigned char *scratch;	/* a record that wraps the buffer end */
	uint64_t samples, lost, throttled;
	/* Samples kept for sampler_flush(): struct pending, then stack. */
	unsigned char *pending;
	size_t npending, pending_alloc;
};

struct pending {
	uint64_t time, ip;
	uint32_t pid, tid, cpu, has_regs;
	uint64_t regs[UNWIND_PERF_NREGS];
	uint64_t stack_size;	/* bytes that follow, padded to 8 */
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

/*
 * attach: the events of a running process's threads start at once;
 * those of a command start at its execve.
 */
static void init_attr(struct perf_event_attr *attr,
		      const struct perf_options *opt, int include_kernel,
		      int attach)
{
	memset(attr, 0, sizeof(*attr));
	attr->size = sizeof(*attr);
	attr->type = PERF_TYPE_SOFTWARE;
	attr->config = PERF_COUNT_SW_CPU_CLOCK;
	/* cpu-clock counts nanoseconds: a fixed period is exact. */
	attr->sample_period = 1000000000u / opt->frequency;
	attr->sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID |
			    PERF_SAMPLE_TIME | PERF_SAMPLE_CPU;
	attr->disabled = !attach;
	attr->inherit = 1;
	attr->enable_on_exec = !attach;
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
	if (opt->stack_size) {
		attr->sample_type |= PERF_SAMPLE_REGS_USER |
				     PERF_SAMPLE_STACK_USER;
		attr->sample_regs_user = UNWIND_PERF_REGS_MASK;
		attr->sample_stack_user = opt->stack_size;
		/* Wake up often: a ring holds fewer samples. */
		attr->wakeup_watermark = RING_PAGES * 4096 / 8;
	}
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

/*
 * Open the event of thread (or process) tid on cpu, falling back to
 * user addresses only where the kernel's are not permitted.  Dies with
 * a clear message when sampling is not permitted at all; returns -1
 * with errno ENODEV (CPU offline) or ESRCH (the thread is gone).
 */
static int open_event(struct sampler *s, const struct perf_options *opt,
		      pid_t tid, int cpu, int attach)
{
	struct perf_event_attr attr;
	int fd;

	init_attr(&attr, opt, s->kernel_included, attach);
	fd = perf_event_open(&attr, tid, cpu);
	if (fd < 0 && s->kernel_included &&
	    (errno == EACCES || errno == EPERM)) {
		/* perf_event_paranoid >= 2 without privileges */
		s->kernel_included = 0;
		init_attr(&attr, opt, 0, attach);
		fd = perf_event_open(&attr, tid, cpu);
	}
	if (fd >= 0 || errno == ENODEV || errno == ESRCH)
		return fd;
	if ((errno == EACCES || errno == EPERM) && attach)
		die(EXIT_FATAL,
		    "not permitted to sample process %d (it is another "
		    "user's, or kernel.perf_event_paranoid is %d): run "
		    "pf-record as its user or as root", (int)tid,
		    perf_paranoid());
	if (errno == EACCES || errno == EPERM)
		die(EXIT_FATAL,
		    "perf events are not permitted "
		    "(kernel.perf_event_paranoid is %d); try: "
		    "sudo sysctl kernel.perf_event_paranoid=2",
		    perf_paranoid());
	die(EXIT_FATAL, "perf_event_open cpu-clock on cpu %d:", cpu);
	return -1;
}

static struct sampler *sampler_new(const struct perf_options *opt)
{
	struct sampler *s = xcalloc(1, sizeof(*s));
	long page = sysconf(_SC_PAGESIZE);

	s->pages = RING_PAGES;
	while (opt->stack_size && s->pages < RING_PAGES_MAX &&
	       s->pages * (size_t)page <
		       RING_STACK_SAMPLES * ((size_t)opt->stack_size + 512))
		s->pages *= 2;
	s->ncpu = online_cpus();
	s->rings = xcalloc((size_t)s->ncpu, sizeof(*s->rings));
	s->kernel_included = opt->include_kernel;
	s->stacks = opt->stack_size != 0;
	s->scratch = xmalloc(65536);
	return s;
}

/* Map fd's ring buffer as the ring of cpu. */
static void add_ring(struct sampler *s, int fd, int cpu)
{
	struct ring *r = &s->rings[s->nrings];
	long page = sysconf(_SC_PAGESIZE);
	size_t len;
	void *p;

	for (;;) {
		len = (s->pages + 1) * (size_t)page;
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p != MAP_FAILED || s->pages <= RING_PAGES ||
		    (errno != EPERM && errno != ENOMEM))
			break;
		s->pages /= 2;	/* over the locked-memory limit */
	}
	if (p == MAP_FAILED)
		die(EXIT_FATAL,
		    "cannot map the ring buffer of cpu %d (try raising "
		    "kernel.perf_event_mlock_kb):", cpu);
	r->fd = fd;
	r->cpu = cpu;
	r->meta = p;
	r->data = (unsigned char *)p + page;
	r->size = s->pages * (size_t)page;
	s->nrings++;
}

struct sampler *sampler_open(pid_t pid, const struct perf_options *opt)
{
	struct sampler *s = sampler_new(opt);
	int cpu, fd;

	for (cpu = 0; cpu < s->ncpu; cpu++) {
		fd = open_event(s, opt, pid, cpu, 0);
		if (fd < 0)
			continue;	/* CPU not online */
		add_ring(s, fd, cpu);
	}
	if (s->nrings == 0)
		die(EXIT_FATAL, "no CPU could be sampled");
	return s;
}

/*
 * The ring of cpu, or NULL.  Rings are made in CPU order, at most one
 * a CPU.
 */
static struct ring *ring_of(struct sampler *s, int cpu)
{
	size_t i;

	for (i = 0; i < s->nrings; i++)
		if (s->rings[i].cpu == cpu)
			return &s->rings[i];
	return NULL;
}

int sampler_attach_thread(struct sampler *s, const struct perf_options *opt,
			  pid_t tid)
{
	int cpu, fd, opened = 0;

	for (cpu = 0; cpu < s->ncpu; cpu++) {
		struct ring *r;

		fd = open_event(s, opt, tid, cpu, 1);
		if (fd < 0 && errno == ESRCH)
			return opened ? 0 : -1;	/* it ended meanwhile */
		if (fd < 0)
			continue;	/* CPU not online */
		opened = 1;
		if (!(r = ring_of(s, cpu))) {
			add_ring(s, fd, cpu);
			continue;
		}
		/* The other threads' samples on cpu go to its one ring. */
		if (ioctl(fd, PERF_EVENT_IOC_SET_OUTPUT, r->fd) < 0)
			die(EXIT_FATAL, "cannot send thread %d's samples to "
			    "the ring of cpu %d:", (int)tid, cpu);
		ALLOC_GROW(s->extra, s->nextra + 1, s->extra_alloc);
		s->extra[s->nextra++] = fd;
	}
	return opened ? 0 : -1;
}

struct sampler *sampler_attach(const struct perf_options *opt)
{
	return sampler_new(opt);
}

void sampler_free(struct sampler *s)
{
	size_t i;
	long page = sysconf(_SC_PAGESIZE);

	if (!s)
		return;
	for (i = 0; i < s->nextra; i++)
		close(s->extra[i]);
	for (i = 0; i < s->nrings; i++) {
		munmap(s->rings[i].meta, s->rings[i].size + (size_t)page);
		close(s->rings[i].fd);
	}
	free(s->extra);
	free(s->rings);
	free(s->scratch);
	free(s->pending);
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

/*
 * Keep a sample with its user registers and stack (what follows the
 * fixed fields: abi, the registers unless abi is none, the stack size,
 * then that many bytes and the size the kernel filled).
 */
static void keep_sample(struct sampler *s, uint64_t time, uint64_t ip,
			uint32_t pid, uint32_t tid, uint32_t cpu,
			const unsigned char *p, size_t left)
{
	struct pending pd = { time, ip, pid, tid, cpu, 0, { 0 }, 0 };
	uint64_t abi = 0, size = 0, dyn = 0;
	const unsigned char *stack = NULL;
	size_t need;

	if (left >= 8) {
		memcpy(&abi, p, 8);
		p += 8;
		left -= 8;
	}
	if (abi != PERF_SAMPLE_REGS_ABI_NONE &&
	    left >= sizeof(pd.regs)) {
		memcpy(pd.regs, p, sizeof(pd.regs));
		p += sizeof(pd.regs);
		left -= sizeof(pd.regs);
		pd.has_regs = 1;
	}
	if (left >= 8) {
		memcpy(&size, p, 8);
		p += 8;
		left -= 8;
	}
	if (size && size <= left && left - size >= 8) {
		stack = p;
		memcpy(&dyn, p + size, 8);
		if (dyn > size)
			dyn = size;
	}
	pd.stack_size = (dyn + 7) & ~7ull;
	need = sizeof(pd) + pd.stack_size;
	ALLOC_GROW(s->pending, s->npending + need, s->pending_alloc);
	memcpy(s->pending + s->npending, &pd, sizeof(pd));
	if (dyn)
		memcpy(s->pending + s->npending + sizeof(pd), stack, dyn);
	s->npending += need;
}

void sampler_flush(struct sampler *s, FILE *out, struct unwinder *u)
{
	size_t at = 0;

	while (at < s->npending) {
		struct pending pd;
		uint64_t id = 0;

		memcpy(&pd, s->pending + at, sizeof(pd));
		at += sizeof(pd);
		if (pd.has_regs)
			id = unwinder_stack(u, pd.pid, pd.ip, pd.regs,
					    s->pending + at, pd.stack_size);
		at += pd.stack_size;
		fprintf(out, "sample %" PRIu64 " %" PRIu32 " %" PRIu32
			" %" PRIu32 " %" PRIx64 " %" PRIu64 "\n", pd.time,
			pd.pid, pd.tid, pd.cpu, pd.ip, id);
	}
	s->npending = 0;
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
		s->samples++;
		if (s->stacks) {
			keep_sample(s, smp.time, smp.ip, smp.pid, smp.tid,
				    smp.cpu, rec + sizeof(smp),
				    size - sizeof(smp));
			break;
		}
		fprintf(out, "sample %llu %u %u %u %llx\n",
			(unsigned long long)smp.time, smp.pid, smp.tid,
			smp.cpu, (unsigned long long)smp.ip);
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
				 ids[0], ids[1], name,
				 (hdr.misc & PERF_RECORD_MISC_COMM_EXEC) != 0);
		break;
	}
	case PERF_RECORD_FORK:
	case PERF_RECORD_EXIT: {
		struct {
			uint32_t pid, ppid, tid, ptid;
			uint64_t time;
		} f;

		if (size < sizeof(f))
			return;
		memcpy(&f, rec, sizeof(f));
		if (hdr.type == PERF_RECORD_FORK && ev->fork)
			ev->fork(ev->arg, f.time, f.pid, f.ppid, f.tid);
		else if (hdr.type == PERF_RECORD_EXIT && ev->exit)
			ev->exit(ev->arg, f.time, f.pid, f.tid);
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
