/*
 * pf-record - run a command and sample the program counter of all its
 * threads, capturing the JIT objects it registers.  See pf-record.1.
 *
 * The child is forked and held on a pipe while we PTRACE_SEIZE it and
 * open the perf events (enable_on_exec), then released to execvp.  We
 * trace it only to get the PTRACE_EVENT_EXIT stop of its threads: in that
 * stop the process memory is still there, so objects registered just
 * before exit are still copied.  Every other stop is resumed at once,
 * signals re-injected, group-stops kept with PTRACE_LISTEN.
 *
 * The child's environment is decided in one place,
 * set_child_environment(): by default the start-up shim (shim/) makes
 * Numba emit line tables for unchanged machine code.
 */
#include "recorder.h"
#include "record.h"
#include "escape.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEFAULT_FREQUENCY 250
#define MAX_FREQUENCY 100000
#define TICK_MS 10
#define SYNC_NS 50000000ull	/* at most 20 sync records a second */
#define DEFAULT_OUTPUT "pf.rec"
/* -g: bytes of stack each sample copies (perf's sample_stack_user). */
#define DEFAULT_STACK_SIZE 16384
#define MAX_STACK_SIZE 65528

/* Signals passed on to the command when sent to pf-record. */
static const int forwarded[4] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

/* Everything the main loop needs, in one place. */
struct session {
	pid_t child;
	FILE *out;
	int traced;		/* PTRACE_SEIZE worked */
	int exited;		/* the child (thread-group leader) is gone */
	int status;		/* its wait status */
	int exit_maps_read;
	/* pf-record -p: attached to the running process `child` */
	int attached;
	int pidfd;		/* readable once it ended; -1: none */
	uint64_t deadline;	/* -d: when to detach; 0: never */
	const char *detach_why;	/* why the loop ended */
	struct sampler *sampler;
	struct mapping_table *maps;
	struct jit_capture *jit;
	struct compile_events *compile;
	struct unwinder *unwinder;	/* -g, else NULL */
	uint64_t synced_samples, synced_time;	/* at the last sync record */
	pid_t *procs;		/* the processes seen start (the child too) */
	size_t nprocs, procs_alloc;
	uint32_t *tids;		/* threads already named */
	char (*names)[16];
	size_t ntids, tids_alloc;
};

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: pf-record [-gq] [-F HZ] [-o FILE] [--stack-size BYTES] [--no-kernel]\n"
		"                 [--raw-debuginfo | --no-lines] -- COMMAND [ARG...]\n"
		"       pf-record [-gq] [-F HZ] [-o FILE] [--stack-size BYTES] [--no-kernel]\n"
		"                 -p PID [-d SECONDS]\n");
}

static void help(void)
{
	usage(stdout);
	printf("\nRun COMMAND and sample the program counter of every thread, capturing the\n"
	       "JIT objects it registers.  Writes a pf-record stream (docs/FORMAT.md).\n\n"
	       "  -p, --pid=PID       attach to the running process PID instead: its\n"
	       "                      threads and JIT objects, until Ctrl-C\n"
	       "  -d, --duration=SECONDS  with -p: detach after SECONDS\n"
	       "  -F, --frequency=HZ  samples per second per busy thread (default %d)\n"
	       "  -o, --output=FILE   write the recording to FILE (default: standard\n"
	       "                      output, or %s when that is a terminal); %%p,\n"
	       "                      %%r, %%h: pid, MPI/Slurm rank, host name\n"
	       "  -g, --call-graph    record each sample's call stack, unwound through\n"
	       "                      JIT and native code with their frame information\n"
	       "      --stack-size=BYTES  of the stack each sample copies for -g\n"
	       "                      (default %d, at most %d)\n"
	       "      --no-kernel     do not sample kernel addresses\n"
	       "      --raw-debuginfo compile Numba code with NUMBA_DEBUGINFO=1 (full\n"
	       "                      debug info: slower, different machine code)\n"
	       "      --no-lines      no line tables: Numba code exactly as without pf,\n"
	       "                      user's cache included; a function-level profile\n"
	       "  -q, --quiet         no summary on standard error\n"
	       "  -h, --help          show this help\n"
	       "  -V, --version       show the version\n\n"
	       "When the recording goes to standard output, COMMAND's standard output\n"
	       "goes to standard error, so the two never mix.\n\n"
	       "Exit status: COMMAND's (128+N when a signal N killed it); 2 when\n"
	       "pf-record itself fails; 64 usage; 126/127 when COMMAND cannot be run.\n",
	       DEFAULT_FREQUENCY, DEFAULT_OUTPUT, DEFAULT_STACK_SIZE,
	       MAX_STACK_SIZE);
}

/* How Numba is made to emit line tables (--raw-debuginfo, --no-lines). */
enum lines_mode { LINES_FAITHFUL, LINES_DEBUGINFO, LINES_NONE,
		  LINES_ATTACHED };

/*
 * LINES_ATTACHED: pf-record -p on a process started without pf's shim
 * or NUMBA_DEBUGINFO, whose Numba code has line tables only if it
 * asked for them itself (debug=True).
 */
static const char *const lines_mode_names[] = {
	"numba-faithful", "numba-debuginfo", "none", "attached",
};

/*
 * The start-up shim (shim/sitecustomize.py): $PF_SHIM_DIR, then next to
 * the executable (the build tree), then ../share/pf/shim beside it (an
 * installed tree), then where `make install` put it.
 */
static char *find_shim_dir(void)
{
	char exe[4096], path[4200];
	const char *env = getenv("PF_SHIM_DIR");
	const char *const rel[] = { "shim", "../share/pf/shim" };
	ssize_t n;
	size_t i;

	if (env && *env)
		return xstrdup(env);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		*strrchr(exe, '/') = '\0';
		for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
			snprintf(path, sizeof(path), "%s/%s/sitecustomize.py", exe,
				 rel[i]);
			if (access(path, R_OK) == 0) {
				path[strlen(path) - strlen("/sitecustomize.py")] = '\0';
				return xstrdup(path);
			}
		}
	}
#ifdef PF_SHIMDIR
	snprintf(path, sizeof(path), "%s/sitecustomize.py", PF_SHIMDIR);
	if (access(path, R_OK) == 0)
		return xstrdup(PF_SHIMDIR);
#endif
	return NULL;
}

/*
 * Numba's cache key ignores debug flags: a profiled run must neither
 * load cached code without line tables nor write its code into the
 * user's cache.  Each mode gets a cache of its own under
 * $XDG_CACHE_HOME/pf/GENERATION (~/.cache/pf/3), kept between runs.
 * The generation moves when the shim changes the debug information it
 * makes Numba emit, so that code cached by an older pf is not loaded
 * (2: line tables for Numba's generated wrappers too; 3: a prange
 * region's function at its loop's line)
 */
#define CACHE_GENERATION "3"

static char *numba_cache_dir(enum lines_mode mode)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	char path[4096];

	if (xdg && *xdg)
		snprintf(path, sizeof(path), "%s/pf/" CACHE_GENERATION "/%s",
			 xdg, lines_mode_names[mode]);
	else if (home && *home)
		snprintf(path, sizeof(path),
			 "%s/.cache/pf/" CACHE_GENERATION "/%s", home,
			 lines_mode_names[mode]);
	else
		snprintf(path, sizeof(path), "/tmp/pf-%u/" CACHE_GENERATION "/%s",
			 (unsigned)getuid(), lines_mode_names[mode]);
	return xstrdup(path);
}

/*
 * The one place that decides the profiled program's environment.  Run
 * in the parent, before fork, so that problems can be reported.
 */
static void set_child_environment(enum lines_mode mode, const char *shim,
				  const char *cache)
{
	static const char *const shim_modes[] = { "lines", "debuginfo",
						  "none" };

	if (mode != LINES_NONE)
		setenv("NUMBA_CACHE_DIR", cache, 1);
	if (mode == LINES_DEBUGINFO)
		setenv("NUMBA_DEBUGINFO", "1", 1);
	/*
	 * In every mode the shim reports when Numba compiles; only with
	 * line tables (the default) does it change what Numba emits.
	 */
	if (shim) {
		const char *old = getenv("PYTHONPATH");
		char *path = xmalloc(strlen(shim) + (old ? strlen(old) : 0) + 2);

		sprintf(path, "%s%s%s", shim, old && *old ? ":" : "",
			old ? old : "");
		setenv("PYTHONPATH", path, 1);
		setenv("PF_SHIM_MODE", shim_modes[mode], 1);
		free(path);
	}
}

/*
 * python -E and -I ignore PYTHONPATH, -S skips sitecustomize: then the
 * shim cannot run.  Look at the flags of a command that is a Python
 * interpreter, up to the script, -c or -m.
 */
static const char *python_flag_defeating_shim(char **argv)
{
	const char *base = strrchr(argv[0], '/');
	int i;

	base = base ? base + 1 : argv[0];
	if (strncmp(base, "python", 6))
		return NULL;
	for (i = 1; argv[i] && argv[i][0] == '-' && argv[i][1] != '-'; i++) {
		const char *f;

		for (f = argv[i] + 1; *f; f++) {
			if (*f == 'E' || *f == 'I' || *f == 'S') {
				static char flag[3] = "-?";

				flag[1] = *f;
				return flag;
			}
			if (*f == 'c' || *f == 'm')
				return NULL;	/* the rest is the program */
			if (*f == 'W' || *f == 'X') {
				if (!f[1] && argv[i + 1])
					i++;	/* the option's argument */
				break;
			}
		}
	}
	return NULL;
}

static void note_thread(struct session *s, uint64_t time, uint32_t pid,
			uint32_t tid, const char *name)
{
	size_t i;

	for (i = 0; i < s->ntids; i++)
		if (s->tids[i] == tid)
			break;
	if (i < s->ntids && !strncmp(s->names[i], name, 15))
		return;
	if (i == s->ntids) {
		ALLOC_GROW(s->tids, s->ntids + 1, s->tids_alloc);
		s->names = xreallocarray(s->names, s->tids_alloc,
					 sizeof(*s->names));
		s->tids[s->ntids++] = tid;
	}
	snprintf(s->names[i], sizeof(s->names[i]), "%s", name);
	fprintf(s->out, "thread %" PRIu64 " %" PRIu32 " %" PRIu32 " ", time,
		pid, tid);
	fput_field(s->out, name);
	fputc('\n', s->out);
}

static int read_comm(pid_t pid, pid_t tid, char *buf, size_t len)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", (int)pid,
		 (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static void on_mmap(void *arg, uint64_t time, uint32_t pid, uint64_t start,
		    uint64_t len, uint64_t pgoff, const char *path)
{
	struct session *s = arg;

	if (s->unwinder && !strcmp(path, "[vdso]"))
		unwinder_add_file(s->unwinder, start, start + len, pgoff, path);
	if (!mapped_file(path))
		return;	/* [vdso], anonymous memory, memfd: no file */
	if (mappings_add(s->maps, time, pid, start, start + len, pgoff,
			 path)) {
		jit_capture_check_file(s->jit, (pid_t)pid, path, start, pgoff,
				       time);
		if (s->unwinder)
			unwinder_add_file(s->unwinder, start, start + len,
					  pgoff, path);
	}
}

static int known_process(const struct session *s, pid_t pid)
{
	size_t i;

	for (i = 0; i < s->nprocs; i++)
		if (s->procs[i] == pid)
			return 1;
	return 0;
}

/*
 * "fork TIME PID PPID": process PID was made by PPID (fork, vfork, a
 * spawn's clone): it has PPID's mappings and JIT objects until it
 * execs or registers its own.  Once a process, from whichever source
 * tells first (the perf event, the ptrace fork stop).
 */
static void note_process(struct session *s, uint64_t time, pid_t pid,
			 pid_t ppid)
{
	if (known_process(s, pid))
		return;
	ALLOC_GROW(s->procs, s->nprocs + 1, s->procs_alloc);
	s->procs[s->nprocs++] = pid;
	fprintf(s->out, "fork %" PRIu64 " %d %d\n", time, (int)pid,
		(int)ppid);
	jit_capture_fork(s->jit, ppid, pid);
}

static void scan_proc_maps(struct session *s, pid_t pid);

/*
 * Whether process pid still runs: its /proc/PID/stat state is neither
 * zombie nor dead.
 */
static int process_alive(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n = -1;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	if (!(p = strrchr(buf, ')')) || p[1] != ' ')
		return 0;
	return p[2] != 'Z' && p[2] != 'X' && p[2] != 'x';
}

/*
 * Process pid's argv after its exec, NUL-separated, in buf; its length,
 * or <= 0 when there is none.  The exec's comm event comes before the
 * kernel has set out the new argv: a /proc/PID/cmdline read in between
 * is empty.  The rest of the exec is in the kernel, so wait for it a
 * little (at most ~100 ms, backing off) while the process lives.
 */
static ssize_t read_exec_cmdline(pid_t pid, char *buf, size_t len)
{
	char path[64];
	ssize_t n;
	long wait_us = 50, waited = 0;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	for (;;) {
		n = -1;
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
			n = read(fd, buf, len - 1);
			close(fd);
		}
		if (n > 0 || waited >= 100000 || !process_alive(pid))
			return n;
		usleep((useconds_t)wait_us);
		waited += wait_us;
		wait_us = wait_us * 2 > 20000 ? 20000 : wait_us * 2;
	}
}

/* "exec TIME PID ARGV...": process PID is now this program. */
static void note_exec(struct session *s, uint64_t time, pid_t pid,
		      const char *comm)
{
	char buf[8192];
	ssize_t n = read_exec_cmdline(pid, buf, sizeof(buf)), off;

	fprintf(s->out, "exec %" PRIu64 " %d", time, (int)pid);
	if (n <= 0) {		/* gone already: its name is all there is */
		fputc(' ', s->out);
		fput_field(s->out, comm);
	}
	for (off = 0; n > 0 && off < n; off += (ssize_t)strlen(buf + off) + 1) {
		buf[n] = '\0';
		fputc(' ', s->out);
		fput_field(s->out, buf + off);
	}
	fputc('\n', s->out);
	jit_capture_exec(s->jit, pid, time);
	/*
	 * Its mappings may have come before this event, and been taken for
	 * the old program's files: look at them again, as they are now.
	 */
	scan_proc_maps(s, pid);
}

static void on_comm(void *arg, uint64_t time, uint32_t pid, uint32_t tid,
		    const char *name, int exec)
{
	struct session *s = arg;

	if (exec && pid == tid)
		note_exec(s, time, (pid_t)pid, name);
	note_thread(s, time, pid, tid, name);
}

static void on_fork(void *arg, uint64_t time, uint32_t pid, uint32_t ppid,
		    uint32_t tid)
{
	struct session *s = arg;
	char name[64];

	if (pid == tid && pid != ppid)
		note_process(s, time, (pid_t)pid, (pid_t)ppid);
	if (read_comm((pid_t)pid, (pid_t)tid, name, sizeof(name)) == 0)
		note_thread(s, time, pid, tid, name);
}

/*
 * A process ended (its perf exit event): stop polling it.  Under
 * ptrace its objects were copied in its exit stop, before.
 */
static void on_exit_event(void *arg, uint64_t time, uint32_t pid,
			  uint32_t tid)
{
	struct session *s = arg;

	(void)time;
	if (pid == tid && (pid_t)pid != s->child)
		jit_capture_exit(s->jit, (pid_t)pid);
}

static const struct sampler_events *session_events(struct session *s)
{
	static struct sampler_events ev = { on_mmap, on_comm, on_fork,
					    on_exit_event, NULL };

	ev.arg = s;
	return &ev;
}

/*
 * Read /proc/PID/maps for what perf's mmap events may have missed (the
 * mappings made before sampling started): each executable mapping goes
 * the way of an mmap event, so it is recorded and examined for the JIT
 * descriptor only the first time it is seen.
 */
static void scan_proc_maps(struct session *s, pid_t pid)
{
	char name[64], *line = NULL;
	size_t alloc = 0;
	uint64_t time = now_ns();
	FILE *fp;

	snprintf(name, sizeof(name), "/proc/%d/maps", (int)pid);
	fp = fopen(name, "r");
	if (!fp)
		return;
	while (getline(&line, &alloc, fp) > 0) {
		unsigned long long start, end, offset;
		char perms[8];
		int pathpos = 0;

		if (sscanf(line, "%llx-%llx %7s %llx %*s %*s %n", &start, &end,
			   perms, &offset, &pathpos) < 4 || pathpos == 0 ||
		    perms[2] != 'x')
			continue;
		line[strcspn(line, "\n")] = '\0';
		on_mmap(s, time, (uint32_t)pid, start, end - start, offset,
			line + pathpos);
		/* Known or not, the file may be new to this program (exec). */
		if (mapped_file(line + pathpos))
			jit_capture_check_file(s->jit, pid, line + pathpos,
					       start, offset, time);
	}
	free(line);
	fclose(fp);
}

static const char *signal_name(int sig);

/* The process (thread group) of thread tid, from /proc; or -1. */
static pid_t tgid_of(pid_t tid)
{
	char path[64], line[128];
	FILE *fp;
	int tgid = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	if (!(fp = fopen(path, "r")))
		return -1;
	while (fgets(line, sizeof(line), fp))
		if (sscanf(line, "Tgid: %d", &tgid) == 1)
			break;
	fclose(fp);
	return (pid_t)tgid;
}

static void handle_stop(struct session *s, pid_t tid, int status)
{
	int sig = WSTOPSIG(status), event = status >> 16;
	unsigned long msg;
	pid_t pid;

	switch (event) {
	case PTRACE_EVENT_EXIT:
		/* Memory is still readable: take what was registered last. */
		pid = tgid_of(tid);
		if (pid <= 0)
			pid = s->child;
		if (pid == s->child && !s->exit_maps_read) {
			scan_proc_maps(s, s->child);
			s->exit_maps_read = 1;
		}
		jit_capture_poll(s->jit, pid, tid);
		ptrace(PTRACE_CONT, tid, 0, 0);
		break;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
		/* A new process, told before it runs. */
		if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg) == 0 &&
		    (pid = tgid_of(tid)) > 0)
			note_process(s, now_ns(), (pid_t)msg, pid);
		ptrace(PTRACE_CONT, tid, 0, 0);
		break;
	case PTRACE_EVENT_STOP:
		if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
		    sig == SIGTTOU)
			ptrace(PTRACE_LISTEN, tid, 0, 0); /* group-stop */
		else
			ptrace(PTRACE_CONT, tid, 0, 0);	/* new thread */
		break;
	case 0:
		/* signal-delivery-stop: deliver the signal as it was */
		ptrace(PTRACE_CONT, tid, 0, (void *)(uintptr_t)sig);
		break;
	default:
		ptrace(PTRACE_CONT, tid, 0, 0);	/* clone, ... */
		break;
	}
}

static void reap(struct session *s)
{
	for (;;) {
		int status;
		pid_t w = waitpid(-1, &status, __WALL | WNOHANG);

		if (w <= 0)
			return;
		if (WIFSTOPPED(status)) {
			handle_stop(s, w, status);
		} else if (w == s->child) {
			s->exited = 1;
			s->status = status;
		} else if (known_process(s, w)) {
			/* A process the command started, traced as well. */
			fprintf(s->out, "procexit %" PRIu64 " %d %d %s\n",
				now_ns(), (int)w,
				WIFSIGNALED(status) ? 128 + WTERMSIG(status)
						    : WEXITSTATUS(status),
				WIFSIGNALED(status)
					? signal_name(WTERMSIG(status))
					: "exited");
			jit_capture_exit(s->jit, w);
		}
	}
}

static void forward_signal(struct session *s, const struct signalfd_siginfo *si)
{
	/*
	 * A signal typed at the terminal reached the child too (same
	 * process group); one sent to us by a process (kill, a job
	 * scheduler) is passed on so that the child can end cleanly.
	 */
	if (si->ssi_code == SI_USER || si->ssi_code == SI_QUEUE)
		kill(s->child, (int)si->ssi_signo);
}

/*
 * "sync TIME": every mapping and JIT object of the process made before
 * TIME is in the recording before this record.  The ring buffers were
 * drained after TIME, so every mmap event before it is written; the JIT
 * list was read after them, so every object registered before it is.
 * A reader can then decide each sample taken before TIME without waiting
 * for the end of the recording.  Written when samples came since the
 * last one, at most every SYNC_NS.
 */
static void write_sync(struct session *s, uint64_t time)
{
	uint64_t samples, lost, throttled;

	sampler_totals(s->sampler, &samples, &lost, &throttled);
	if (samples == s->synced_samples || time < s->synced_time + SYNC_NS)
		return;
	fprintf(s->out, "sync %" PRIu64 "\n", time);
	s->synced_samples = samples;
	s->synced_time = time;
}

/* pf-record -p: whether to detach now (-d), or the process ended. */
static void check_attached(struct session *s)
{
	struct pollfd p = { s->pidfd, POLLIN, 0 };
	char path[64];

	if (s->exited)
		return;
	if (s->pidfd >= 0 ? poll(&p, 1, 0) > 0
			  : (snprintf(path, sizeof(path), "/proc/%d",
				      (int)s->child),
			     access(path, F_OK) != 0)) {
		s->exited = 1;
		s->detach_why = "ended";
	} else if (s->deadline && now_ns() >= s->deadline) {
		s->exited = 1;
		s->detach_why = "duration";
	}
}

static void run_loop(struct session *s, int sigfd)
{
	struct pollfd *pfd;
	int fds[1024];
	size_t n = sampler_pollfds(s->sampler, fds, 1024), i;

	pfd = xcalloc(n + 1, sizeof(*pfd));
	pfd[0].fd = sigfd;
	pfd[0].events = POLLIN;
	for (i = 0; i < n; i++) {
		pfd[i + 1].fd = fds[i];
		pfd[i + 1].events = POLLIN;
	}
	while (!s->exited) {
		struct signalfd_siginfo si;
		uint64_t drain_time;

		if (poll(pfd, n + 1, TICK_MS) < 0 && errno != EINTR)
			die(EXIT_FATAL, "poll:");
		while (read(sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
			if (si.ssi_signo == SIGCHLD)
				continue;
			if (!s->attached) {
				forward_signal(s, &si);
				continue;
			}
			/* Ctrl-C, kill: detach, leaving the process be. */
			s->exited = 1;
			s->detach_why = "interrupted";
		}
		if (s->attached)
			check_attached(s);
		/*
		 * Compile events first: one written before this read then
		 * precedes every sample taken after it, so readers that
		 * compare TIMEs classify each sample right.
		 */
		compile_events_read(s->compile);
		if (!s->attached)
			reap(s);
		drain_time = now_ns();
		sampler_drain(s->sampler, s->out, session_events(s));
		jit_capture_poll_all(s->jit);
		if (s->unwinder)
			sampler_flush(s->sampler, s->out, s->unwinder);
		write_sync(s, drain_time);
		if (fflush(s->out) || ferror(s->out))
			die(EXIT_FATAL, "cannot write the recording:");
	}
	compile_events_read(s->compile);
	sampler_drain(s->sampler, s->out, session_events(s));
	if (s->unwinder)
		sampler_flush(s->sampler, s->out, s->unwinder);
	free(pfd);
}

static const char *signal_name(int sig)
{
	static char buf[32];
	const char *abbrev = sigabbrev_np(sig);

	if (abbrev)
		snprintf(buf, sizeof(buf), "SIG%s", abbrev);
	else
		snprintf(buf, sizeof(buf), "SIG%d", sig);
	return buf;
}

/*
 * The rank of this process in a parallel job, from its launcher's
 * environment (Open MPI, MPICH and Intel MPI, PMIx, Slurm), or NULL.
 */
static const char *job_rank(void)
{
	static const char *const vars[] = {
		"OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK",
		"MV2_COMM_WORLD_RANK", "SLURM_PROCID",
	};
	size_t i;
	const char *v;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if ((v = getenv(vars[i])) && *v &&
		    strspn(v, "0123456789") == strlen(v))
			return v;
	return NULL;
}

/*
 * argv: the command run; or, attached (argv NULL), the process's command
 * line from /proc/PID/cmdline (a NUL-separated argv).
 */
static void write_meta(struct session *s, char **argv,
		       const struct perf_options *opt, enum lines_mode mode,
		       const char *cache, const char *cmdline, size_t cmdlen)
{
	size_t off;
	int i;

	write_header(s->out, PF_FORMAT_RECORD);
	fprintf(s->out, "meta version %s\nmeta command", PF_VERSION);
	for (i = 0; argv && argv[i]; i++) {
		fputc(' ', s->out);
		fput_field(s->out, argv[i]);
	}
	for (off = 0; !argv && off < cmdlen; off += strlen(cmdline + off) + 1) {
		fputc(' ', s->out);
		fput_field(s->out, cmdline + off);
	}
	fprintf(s->out, "\nmeta pid %d\nmeta event cpu-clock\n"
		"meta frequency %u\nmeta kernel %s\nmeta lines %s\n"
		"meta start %" PRIu64 "\n", (int)s->child, opt->frequency,
		sampler_kernel_included(s->sampler) ? "included" : "excluded",
		lines_mode_names[mode], now_ns());
	if (s->attached)
		fputs("meta attached yes\n", s->out);
	if (opt->stack_size)
		fprintf(s->out, "meta stacks dwarf %u\n", opt->stack_size);
	{
		char host[256];
		const char *rank = job_rank();

		if (gethostname(host, sizeof(host)) == 0) {
			host[sizeof(host) - 1] = '\0';
			fputs("meta host ", s->out);
			fput_field(s->out, host);
			fputc('\n', s->out);
		}
		if (rank)
			fprintf(s->out, "meta rank %s\n", rank);
	}
	if (mode != LINES_NONE && !s->attached) {
		fputs("meta numba-cache ", s->out);
		fput_field(s->out, cache);
		fputc('\n', s->out);
	}
}

/* The child: wait for the go byte, then become COMMAND. */
static void PF_NORETURN run_child(int go_fd, int err_fd, int to_stderr,
				  const sigset_t *oldmask,
				  const struct sigaction *saved,
				  struct compile_events *ce, char **argv)
{
	char c;
	int e, i;

	for (i = 0; i < (int)(sizeof(forwarded) / sizeof(forwarded[0])); i++)
		sigaction(forwarded[i], &saved[i], NULL);
	sigprocmask(SIG_SETMASK, oldmask, NULL);
	signal(SIGPIPE, SIG_DFL);
	if (to_stderr && dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
		_exit(127);
	if (read(go_fd, &c, 1) != 1)
		_exit(127);	/* pf-record failed before the start */
	close(go_fd);
	compile_events_in_child(ce);
	execvp(argv[0], argv);
	e = errno;
	if (write(err_fd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(e == ENOENT ? 127 : 126);
}

static double percent(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

/*
 * How far the stacks went, said so that a user can act on it: a bigger
 * --stack-size, or the code that has no frame information.
 */
static void stack_summary(const struct unwinder *u, unsigned stack_size)
{
	struct unwind_totals t;
	const char *nocfi;
	uint64_t n = 0;

	unwinder_totals(u, &t);
	if (!t.stacks)
		return;
	fprintf(stderr, "pf-record: call stacks: %.1f%% whole, %.1f frames "
		"deep on average, %" PRIu64 " distinct frames\n",
		percent(t.why[UNWIND_COMPLETE], t.stacks),
		(double)t.frames / (double)t.stacks, t.nodes);
	if (t.why[UNWIND_STACK_END] * 100 >= t.stacks &&
	    stack_size < MAX_STACK_SIZE)
		fprintf(stderr, "pf-record: %.1f%% of the stacks are deeper "
			"than the %u bytes copied: try --stack-size %u\n",
			percent(t.why[UNWIND_STACK_END], t.stacks),
			stack_size, stack_size * 2 > MAX_STACK_SIZE ?
					    MAX_STACK_SIZE : stack_size * 2);
	else if (t.why[UNWIND_STACK_END] * 100 >= t.stacks)
		fprintf(stderr, "pf-record: %.1f%% of the stacks are deeper "
			"than the %u bytes the kernel copies at most: their "
			"outer callers are unknown\n",
			percent(t.why[UNWIND_STACK_END], t.stacks), stack_size);
	nocfi = unwinder_worst_nocfi(u, &n);
	if (nocfi && n * 100 >= t.stacks)
		fprintf(stderr, "pf-record: %.1f%% of the stacks end in code "
			"without frame information, most in %s\n",
			percent(t.why[UNWIND_NO_CFI], t.stacks), nocfi);
	if ((t.why[UNWIND_NO_CODE] + t.why[UNWIND_BAD]) * 100 >= t.stacks)
		fprintf(stderr, "pf-record: %.1f%% of the stacks end at an "
			"address in no known code or a frame that makes no "
			"sense\n",
			percent(t.why[UNWIND_NO_CODE] + t.why[UNWIND_BAD],
				t.stacks));
}

/*
 * -o FILE with %p (pf-record's pid), %r (the job rank), %h (the host
 * name) and %% expanded, so that each rank of `mpirun pf-record ...`
 * writes a file of its own.  Dies on an unknown %x, or %r outside a job.
 */
static char *expand_output(const char *pattern)
{
	char *out = NULL, host[256];
	size_t len = 0, alloc = 0;
	const char *p, *add;
	char num[32];

	for (p = pattern; *p; p++) {
		if (*p != '%') {
			ALLOC_GROW(out, len + 2, alloc);
			out[len++] = *p;
			continue;
		}
		switch (*++p) {
		case 'p':
			snprintf(num, sizeof(num), "%d", (int)getpid());
			add = num;
			break;
		case 'r':
			if (!(add = job_rank()))
				die(EXIT_USAGE, "-o %s: %%r, but no job rank in the "
				    "environment (OMPI_COMM_WORLD_RANK, PMI_RANK, "
				    "PMIX_RANK, SLURM_PROCID)", pattern);
			break;
		case 'h':
			if (gethostname(host, sizeof(host)))
				snprintf(host, sizeof(host), "unknown");
			host[sizeof(host) - 1] = '\0';
			add = host;
			break;
		case '%':
			add = "%";
			break;
		default:
			die(EXIT_USAGE, "-o %s: %%%c is not %%p, %%r, %%h or %%%%",
			    pattern, *p ? *p : ' ');
			return NULL;
		}
		ALLOC_GROW(out, len + strlen(add) + 1, alloc);
		memcpy(out + len, add, strlen(add));
		len += strlen(add);
	}
	ALLOC_GROW(out, len + 1, alloc);
	out[len] = '\0';
	return out;
}

/* -d SECONDS: a positive number of seconds, fractions allowed. */
static double parse_duration(const char *arg)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(arg, &end);
	if (errno || end == arg || *end || !(d > 0) || d > 1e7) {
		warn("option -d: '%s' is not a number of seconds", arg);
		exit(EXIT_USAGE);
	}
	return d;
}

static int read_file_int(const char *path, int *value)
{
	FILE *fp = fopen(path, "r");
	int ok;

	if (!fp)
		return -1;
	ok = fscanf(fp, "%d", value) == 1;
	fclose(fp);
	return ok ? 0 : -1;
}

/*
 * Before anything is written: the process exists, and we may read its
 * memory (the JIT objects are copied from it) -- what ptrace's checks
 * allow, and Yama's ptrace_scope restricts.  Dies with the fix.
 */
static void check_attach(pid_t pid)
{
	char path[64];
	int fd, scope = -1;

	if (pid == getpid())
		die(EXIT_USAGE, "-p %d is pf-record itself", (int)pid);
	if (kill(pid, 0) && errno == ESRCH)
		die(EXIT_FATAL, "no process %d", (int)pid);
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		return;
	}
	if (errno != EACCES && errno != EPERM)
		die(EXIT_FATAL, "cannot open %s:", path);
	if (read_file_int("/proc/sys/kernel/yama/ptrace_scope", &scope) == 0 &&
	    scope == 3)
		die(EXIT_FATAL, "cannot read the memory of process %d: "
		    "kernel.yama.ptrace_scope is 3, no process may (until a "
		    "reboot)", (int)pid);
	if (scope >= 1)
		die(EXIT_FATAL, "cannot read the memory of process %d: "
		    "kernel.yama.ptrace_scope is %d (%s); run pf-record as "
		    "root, or: sudo sysctl kernel.yama.ptrace_scope=0",
		    (int)pid, scope,
		    scope == 1 ? "only a process's ancestors may"
			       : "only root may");
	die(EXIT_FATAL, "cannot read the memory of process %d: it is "
	    "another user's (run pf-record as that user, or as root)",
	    (int)pid);
}

/*
 * The whole of a small /proc file (cmdline, environ) in a new buffer,
 * NUL-terminated; *len is its length.  NULL when it cannot be read.
 */
static char *read_proc_file(pid_t pid, const char *what, size_t *len)
{
	char path[64], *buf = NULL;
	size_t alloc = 0, n = 0;
	ssize_t r;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, what);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	do {
		ALLOC_GROW(buf, n + 4097, alloc);
		r = read(fd, buf + n, 4096);
		if (r > 0)
			n += (size_t)r;
	} while (r > 0 || (r < 0 && errno == EINTR));
	close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* The value of variable name in a NUL-separated environ, or NULL. */
static const char *environ_value(const char *env, size_t len,
				 const char *name)
{
	size_t off, nl = strlen(name);

	for (off = 0; off < len; off += strlen(env + off) + 1)
		if (!strncmp(env + off, name, nl) && env[off + nl] == '=')
			return env + off + nl + 1;
	return NULL;
}

/* Whether a NUL-separated argv runs `python3 ... -m pf ...`. */
static int runs_pf_main(const char *cmd, size_t len)
{
	size_t off;

	for (off = 0; off < len; off += strlen(cmd + off) + 1)
		if (!strcmp(cmd + off, "-m") && off + 3 < len &&
		    !strcmp(cmd + off + 3, "pf"))
			return 1;
	return 0;
}

/*
 * How the running process's Numba code got its line tables, from how
 * it was started: pf's shim (`python3 -m pf`, or PF_SHIM_MODE=lines as
 * pf-record sets it), NUMBA_DEBUGINFO=1, or neither.
 * A guess (the environment may have changed since), said in the meta
 * record; the summary says what the captured objects hold.
 */
static enum lines_mode attached_lines_mode(pid_t pid)
{
	size_t len = 0, clen = 0;
	char *env = read_proc_file(pid, "environ", &len);
	char *cmd = read_proc_file(pid, "cmdline", &clen);
	const char *v;
	enum lines_mode mode = LINES_ATTACHED;

	if ((cmd && runs_pf_main(cmd, clen)) ||
	    (env && (v = environ_value(env, len, "PF_SHIM_MODE")) &&
	     !strcmp(v, "lines")))
		mode = LINES_FAITHFUL;
	else if (env && (v = environ_value(env, len, "NUMBA_DEBUGINFO")) &&
		 strcmp(v, "0") && *v)
		mode = LINES_DEBUGINFO;
	free(env);
	free(cmd);
	return mode;
}

/*
 * Sample every thread of s->child, those there now and (inherited) those
 * they create; until a scan of /proc/PID/task finds none new, as threads
 * may start while we open the events.
 */
static size_t attach_threads(struct session *s,
			     const struct perf_options *opt, pid_t **tids)
{
	size_t n = 0, alloc = 0, i;
	int pass, added = 1;
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/task", (int)s->child);
	for (pass = 0; added && pass < 100; pass++) {
		DIR *d = opendir(path);
		struct dirent *e;

		if (!d)
			die(EXIT_FATAL, "process %d ended", (int)s->child);
		added = 0;
		while ((e = readdir(d))) {
			char *end;
			long tid = strtol(e->d_name, &end, 10);

			if (*end || tid <= 0)
				continue;
			for (i = 0; i < n && (*tids)[i] != (pid_t)tid; i++)
				;
			if (i < n)
				continue;
			if (sampler_attach_thread(s->sampler, opt,
						  (pid_t)tid))
				continue;	/* ended meanwhile */
			ALLOC_GROW(*tids, n + 1, alloc);
			(*tids)[n++] = (pid_t)tid;
			added = 1;
		}
		closedir(d);
	}
	if (!n)
		die(EXIT_FATAL, "process %d has no thread to sample",
		    (int)s->child);
	return n;
}

/*
 * pf-record -p: sample the running process pid from now on and copy
 * the JIT objects it registered and registers.  Nothing is done to the
 * process: no ptrace, no write to its memory; closing the events is
 * the detach.
 */
static void attach(struct session *s, pid_t pid,
		   const struct perf_options *opt, int stacks,
		   double duration, enum lines_mode mode, int quiet)
{
	pid_t *tids = NULL;
	size_t ntids, i, cmdlen = 0;
	char *cmdline = read_proc_file(pid, "cmdline", &cmdlen);
	char name[64];

	s->child = pid;
	s->attached = 1;
	s->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (duration > 0)
		s->deadline = now_ns() + (uint64_t)(duration * 1e9);
	s->sampler = sampler_attach(opt);
	ntids = attach_threads(s, opt, &tids);
	s->maps = mappings_new(s->out);
	s->jit = jit_capture_new(pid, s->out);
	ALLOC_GROW(s->procs, 1, s->procs_alloc);
	s->procs[s->nprocs++] = pid;
	if (stacks) {
		s->unwinder = unwinder_new(s->out);
		jit_capture_unwind(s->jit, s->unwinder);
	}
	write_meta(s, NULL, opt, mode, NULL, cmdline ? cmdline : "",
		   cmdline ? cmdlen : 0);
	for (i = 0; i < ntids; i++)
		if (read_comm(pid, tids[i], name, sizeof(name)) == 0)
			note_thread(s, now_ns(), (uint32_t)pid,
				    (uint32_t)tids[i], name);
	/* Its mappings, the JIT descriptor, and what it registered. */
	scan_proc_maps(s, pid);
	jit_capture_poll(s->jit, pid, pid);
	fflush(s->out);
	/* Sampling from here on: a program waiting for it can go on. */
	if (!quiet)
		fprintf(stderr, "pf-record: attached to process %d (%zu "
			"thread%s)\n", (int)pid, ntids, ntids == 1 ? "" : "s");
	free(tids);
	free(cmdline);
}

/*
 * After an attach: how long, how it ended, and whether the objects the
 * process registered have line tables (only with pf's shim loaded from
 * its start, or NUMBA_DEBUGINFO); if none do, how to get them.
 */
static void attach_summary(const struct session *s, uint64_t start)
{
	uint64_t code, lines;
	const char *why = s->detach_why ? s->detach_why : "interrupted";

	fprintf(stderr, "pf-record: %s process %d after %.1f s%s\n",
		strcmp(why, "ended") ? "detached from" : "followed",
		(int)s->child, (double)(now_ns() - start) / 1e9,
		!strcmp(why, "ended") ? ", when it ended" : "; it goes on");
	jit_capture_lines(s->jit, &code, &lines);
	if (code && !lines) {
		char *shim = find_shim_dir();

		fprintf(stderr, "pf-record: none of its %" PRIu64 " JIT "
			"objects has line tables (it was started without pf's "
			"shim): a profile by function; for one by line, start "
			"it with `python3 -m pf SCRIPT` (or with "
			"PYTHONPATH=%s)\n", code, shim ? shim : "SHIMDIR");
		free(shim);
	}
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "frequency", required_argument, NULL, 'F' },
		{ "pid", required_argument, NULL, 'p' },
		{ "duration", required_argument, NULL, 'd' },
		{ "call-graph", no_argument, NULL, 'g' },
		{ "stack-size", required_argument, NULL, 'S' },
		{ "output", required_argument, NULL, 'o' },
		{ "no-kernel", no_argument, NULL, 'K' },
		{ "raw-debuginfo", no_argument, NULL, 'R' },
		{ "no-lines", no_argument, NULL, 'N' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct perf_options opt = { DEFAULT_FREQUENCY, 1, 0 };
	unsigned stack_size = DEFAULT_STACK_SIZE;
	int stacks = 0;
	struct session s = { .pidfd = -1 };
	const char *output = NULL, *flag;
	enum lines_mode mode = LINES_FAITHFUL;
	char *shim = NULL, *cache = NULL;
	int go[2], err[2], c, quiet = 0, sigfd, exec_errno = 0, code;
	sigset_t mask, oldmask;
	struct sigaction dfl = { .sa_handler = SIG_DFL }, saved[4];
	uint64_t nsamples, nlost, nthrottled, nobj, ndesc, nerr;
	pid_t attach_pid = 0;
	double duration = 0;
	int lines_option = 0;
	uint64_t attach_start = 0;
	char *output_expanded = NULL;

	progname = "pf-record";
	while ((c = getopt_long(argc, argv, "+F:gp:d:o:qhV", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'p':
			attach_pid = (pid_t)parse_option_u64("-p", optarg, 1,
							     INT32_MAX);
			break;
		case 'd':
			duration = parse_duration(optarg);
			break;
		case 'F':
			opt.frequency = (unsigned)parse_option_u64(
				"-F", optarg, 1, MAX_FREQUENCY);
			break;
		case 'g':
			stacks = 1;
			break;
		case 'S':
			stack_size = (unsigned)parse_option_u64(
				"--stack-size", optarg, 8, MAX_STACK_SIZE);
			stack_size &= ~7u;	/* the kernel wants 8-byte units */
			break;
		case 'o':
			output = optarg;
			break;
		case 'K':
			opt.include_kernel = 0;
			break;
		case 'R':
			mode = LINES_DEBUGINFO;
			lines_option = 1;
			break;
		case 'N':
			mode = LINES_NONE;
			lines_option = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			help();
			return 0;
		case 'V':
			printf("pf-record %s\n", PF_VERSION);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argv += optind;
	if (stacks)
		opt.stack_size = stack_size;
	if (attach_pid && (argv[0] || lines_option)) {
		warn(argv[0] ? "-p attaches to a running process: no COMMAND "
			       "with it"
			     : "--raw-debuginfo and --no-lines say how a "
			       "COMMAND starts: not with -p");
		usage(stderr);
		return EXIT_USAGE;
	}
	if (duration > 0 && !attach_pid) {
		warn("-d is for -p: a COMMAND is recorded until it ends");
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!argv[0] && !attach_pid) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (attach_pid) {
		check_attach(attach_pid);
		mode = attached_lines_mode(attach_pid);
	}
	shim = attach_pid ? NULL : find_shim_dir();
	if (mode == LINES_FAITHFUL && !attach_pid) {
		if (!shim) {
			warn("cannot find the start-up shim (shim/sitecustomize.py; "
			     "set PF_SHIM_DIR): using --raw-debuginfo");
			mode = LINES_DEBUGINFO;
		} else if ((flag = python_flag_defeating_shim(argv))) {
			warn("python %s ignores PYTHONPATH or site: Numba code "
			     "gets no line tables (drop %s, or use --raw-debuginfo)",
			     flag, flag);
		}
	}
	cache = numba_cache_dir(mode);
	if (!attach_pid)
		set_child_environment(mode, shim, cache);
	if (!output && isatty(STDOUT_FILENO))
		output = DEFAULT_OUTPUT;
	if (output && strchr(output, '%'))
		output = output_expanded = expand_output(output);
	if (output) {
		s.out = fopen(output, "w");
		if (!s.out)
			die(EXIT_FATAL, "cannot create '%s':", output);
	} else {
		s.out = stdout;
	}
	setvbuf(s.out, NULL, _IOFBF, 1 << 20);
	if (shim)
		s.compile = compile_events_open(s.out);
	signal(SIGPIPE, SIG_IGN);

	/*
	 * A shell starts background jobs with SIGINT and SIGQUIT ignored,
	 * and an ignored signal never reaches a signalfd: take the default
	 * disposition (the signals are blocked below, so it never acts)
	 * and give the child back the one we were started with.
	 */
	for (c = 0; c < (int)(sizeof(forwarded) / sizeof(forwarded[0])); c++)
		sigaction(forwarded[c], &dfl, &saved[c]);
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	for (c = 0; c < (int)(sizeof(forwarded) / sizeof(forwarded[0])); c++)
		sigaddset(&mask, forwarded[c]);
	sigprocmask(SIG_BLOCK, &mask, &oldmask);
	sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sigfd < 0)
		die(EXIT_FATAL, "signalfd:");
	if (attach_pid) {
		attach_start = now_ns();
		attach(&s, attach_pid, &opt, stacks, duration, mode, quiet);
		goto loop;
	}
	if (pipe2(go, O_CLOEXEC) || pipe2(err, O_CLOEXEC))
		die(EXIT_FATAL, "pipe:");
	fflush(NULL);
	s.child = fork();
	if (s.child < 0)
		die(EXIT_FATAL, "fork:");
	if (s.child == 0)
		run_child(go[0], err[1], s.out == stdout, &oldmask, saved,
			  s.compile, argv);
	close(go[0]);
	close(err[1]);
	compile_events_started(s.compile);

	if (ptrace(PTRACE_SEIZE, s.child, 0,
		   (void *)(uintptr_t)(PTRACE_O_TRACEEXIT |
				       PTRACE_O_TRACECLONE |
				       PTRACE_O_TRACEFORK |
				       PTRACE_O_TRACEVFORK)) == 0)
		s.traced = 1;
	else
		warn("cannot trace the command (%s): JIT objects registered "
		     "right before it exits may be missed", strerror(errno));
	s.sampler = sampler_open(s.child, &opt);
	s.maps = mappings_new(s.out);
	s.jit = jit_capture_new(s.child, s.out);
	ALLOC_GROW(s.procs, 1, s.procs_alloc);
	s.procs[s.nprocs++] = s.child;
	if (stacks) {
		s.unwinder = unwinder_new(s.out);
		jit_capture_unwind(s.jit, s.unwinder);
	}
	write_meta(&s, argv, &opt, mode, cache, NULL, 0);

	if (write(go[1], "g", 1) != 1)
		die(EXIT_FATAL, "cannot start the command:");
	close(go[1]);
	if (read(err[0], &exec_errno, sizeof(exec_errno)) ==
	    (ssize_t)sizeof(exec_errno)) {
		errno = exec_errno;
		warn("cannot run '%s':", argv[0]);
	} else {
		char name[64];

		scan_proc_maps(&s, s.child);
		if (read_comm(s.child, s.child, name, sizeof(name)) == 0)
			note_thread(&s, now_ns(), (uint32_t)s.child,
				    (uint32_t)s.child, name);
	}
	close(err[0]);

loop:
	run_loop(&s, sigfd);

	if (s.attached) {
		code = 0;
		fprintf(s.out, "detach %" PRIu64 " %s\n", now_ns(),
			s.detach_why ? s.detach_why : "interrupted");
	} else {
		if (WIFSIGNALED(s.status))
			code = 128 + WTERMSIG(s.status);
		else
			code = WEXITSTATUS(s.status);
		fprintf(s.out, "exit %" PRIu64 " %d %s\n", now_ns(), code,
			WIFSIGNALED(s.status) ? signal_name(WTERMSIG(s.status))
					      : "exited");
	}
	sampler_totals(s.sampler, &nsamples, &nlost, &nthrottled);
	jit_capture_totals(s.jit, &nobj, &ndesc, &nerr);
	if (!quiet && !exec_errno) {
		fprintf(stderr,
			"pf-record: %" PRIu64 " samples at %u Hz, %" PRIu64
			" JIT objects", nsamples, opt.frequency, nobj);
		if (nlost)
			fprintf(stderr, ", %" PRIu64 " samples LOST", nlost);
		if (nthrottled)
			fprintf(stderr, ", throttled %" PRIu64 " times",
				nthrottled);
		if (ndesc == 0)
			fprintf(stderr, ", no JIT interface found");
		if (nerr)
			fprintf(stderr, ", %" PRIu64 " unreadable JIT entries",
				nerr);
		fprintf(stderr, "%s%s\n", output ? " -> " : "",
			output ? output : "");
		if (s.unwinder)
			stack_summary(s.unwinder, opt.stack_size);
		if (s.attached)
			attach_summary(&s, attach_start);
	}
	sampler_free(s.sampler);
	mappings_free(s.maps);
	jit_capture_free(s.jit);
	unwinder_free(s.unwinder);
	compile_events_free(s.compile);
	if (s.pidfd >= 0)
		close(s.pidfd);
	free(s.procs);
	free(s.tids);
	free(s.names);
	free(shim);
	free(cache);
	if (s.out == stdout)
		close_stdout();
	else if (fclose(s.out))
		die(EXIT_FATAL, "cannot write '%s':", output);
	free(output_expanded);
	return code;
}
