/*
 * tap.h - a few TAP helpers for the C unit tests in tests/unit/.
 *
 * Each assertion prints "ok N - what" or "not ok N - what" with the
 * place and the values on "# " lines; done_testing() prints the plan and
 * returns the exit status (1 if anything failed).  tap_todo marks the
 * assertions that follow as known bugs ("# TODO why"), NULL ends that.
 * Header-only: every test is one .c file that includes this.
 */
#ifndef PF_TAP_H
#define PF_TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define TAP_FN static __attribute__((unused))

static int tap_count, tap_failed;
static const char *tap_todo __attribute__((unused));

TAP_FN int __attribute__((format(printf, 4, 5)))
tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fflush(stderr);
	printf("%sok %d - ", pass ? "" : "not ", ++tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (tap_todo)
		printf(" # TODO %s", tap_todo);
	putchar('\n');
	if (!pass) {
		printf("#   failed at %s:%d\n", file, line);
		if (!tap_todo)
			tap_failed++;
	}
	fflush(stdout);
	return pass;
}

/* ok(COND, "what %d", ...) */
#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

/* is_str(GOT, WANT, "what"): NULL is shown as (null) and equals NULL. */
#define is_str(got, want, ...)                                           \
	tap_is_str((got), (want), __FILE__, __LINE__, __VA_ARGS__)
TAP_FN int __attribute__((format(printf, 5, 6)))
tap_is_str(const char *got, const char *want, const char *file, int line,
	   const char *fmt, ...)
{
	char what[256];
	va_list ap;
	int pass = got && want ? !strcmp(got, want) : got == want;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	tap_ok(pass, file, line, "%s", what);
	if (!pass)
		printf("#   got '%s'\n#  want '%s'\n", got ? got : "(null)",
		       want ? want : "(null)");
	return pass;
}

/* is_u64(GOT, WANT, "what") */
#define is_u64(got, want, ...)                                           \
	tap_is_u64((uint64_t)(got), (uint64_t)(want), __FILE__, __LINE__, \
		   __VA_ARGS__)
TAP_FN int __attribute__((format(printf, 5, 6)))
tap_is_u64(uint64_t got, uint64_t want, const char *file, int line,
	   const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	tap_ok(got == want, file, line, "%s", what);
	if (got != want)
		printf("#   got %" PRIu64 "\n#  want %" PRIu64 "\n", got, want);
	return got == want;
}

/*
 * Run fn(arg) in a child with stderr going to a temporary file, for
 * code that exits (die).  Returns the wait status; the child's stderr,
 * up to size - 1 bytes, is in err.
 */
TAP_FN int tap_run_child(void (*fn)(void *), void *arg, char *err,
			 size_t size)
{
	FILE *tmp = tmpfile();
	int status = -1;
	size_t n = 0;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	if (!tmp || (pid = fork()) < 0) {
		perror("tap_run_child");
		err[0] = '\0';
		return -1;
	}
	if (pid == 0) {
		dup2(fileno(tmp), 2);
		fn(arg);
		fflush(NULL);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	rewind(tmp);
	n = fread(err, 1, size - 1, tmp);
	err[n] = '\0';
	fclose(tmp);
	return status;
}

/* exits(STATUS, CODE, "what"): the child exited with CODE. */
#define exits(status, code, ...)                                         \
	tap_exits((status), (code), __FILE__, __LINE__, __VA_ARGS__)
TAP_FN int __attribute__((format(printf, 5, 6)))
tap_exits(int status, int code, const char *file, int line,
	  const char *fmt, ...)
{
	char what[256];
	va_list ap;
	int pass = status != -1 && WIFEXITED(status) &&
		   WEXITSTATUS(status) == code;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	tap_ok(pass, file, line, "%s", what);
	if (!pass) {
		if (status != -1 && WIFSIGNALED(status))
			printf("#   killed by signal %d\n", WTERMSIG(status));
		else if (status != -1)
			printf("#   exit %d, want %d\n", WEXITSTATUS(status),
			       code);
	}
	return pass;
}

TAP_FN int done_testing(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif
