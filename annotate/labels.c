/* labels.c - see labels.h */
#include "labels.h"

#include <string.h>

enum {
	PYTHON, NUMPY, LIBM, LIBC, OPENMP, TBB, NUMBA_THREADS, NUMBA_HELPERS,
	LLVM, KERNEL,
};

static const struct object_label labels[] = {
	[PYTHON] = { "Python interpreter", NULL, 1 },
	[NUMPY] = { "NumPy", NULL, 1 },
	[LIBM] = { "libm", NULL, 0 },
	[LIBC] = { "libc", NULL, 0 },
	[OPENMP] = { "OpenMP runtime", "workers spinning or waiting", 1 },
	[TBB] = { "TBB runtime", "workers spinning or waiting", 1 },
	[NUMBA_THREADS] = { "Numba threading layer", NULL, 1 },
	[NUMBA_HELPERS] = { "Numba C helpers", NULL, 1 },
	[LLVM] = { "Numba compiling", NULL, 1 },
	[KERNEL] = { "kernel", "system calls, page faults", 0 },
};

const struct object_label *compiler_label(void)
{
	return &labels[LLVM];
}

static int prefix(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

/* A shared library: NAME.so or NAME.so.VERSION. */
static int is_shared(const char *base)
{
	const char *so = strstr(base, ".so");

	return so && (!so[3] || so[3] == '.');
}

/* python, python3, python3.11, python3.11d: the interpreter's binary. */
static int is_python(const char *base)
{
	if (prefix(base, "libpython"))
		return 1;
	if (!prefix(base, "python"))
		return 0;
	base += 6;
	return !*base || (*base >= '0' && *base <= '9' &&
			  !strchr(base, '-') && !is_shared(base));
}

const struct object_label *object_label(enum sample_kind kind,
					const char *path)
{
	const char *slash, *base;

	if (kind == KIND_KERNEL)
		return &labels[KERNEL];
	if (kind != KIND_NATIVE || !path)
		return NULL;
	slash = strrchr(path, '/');
	base = slash ? slash + 1 : path;
	if (is_python(base))
		return &labels[PYTHON];
	if (strstr(path, "/numpy/") || strstr(path, "/numpy.libs/") ||
	    prefix(base, "libopenblas") || prefix(base, "libblas") ||
	    prefix(base, "libcblas") || prefix(base, "liblapack"))
		return &labels[NUMPY];
	if (prefix(base, "libm.so") || prefix(base, "libm-"))
		return &labels[LIBM];
	if (prefix(base, "libc.so") || prefix(base, "libc-"))
		return &labels[LIBC];
	if (prefix(base, "libgomp") || prefix(base, "libiomp") ||
	    prefix(base, "libomp."))
		return &labels[OPENMP];
	if (prefix(base, "libtbb"))
		return &labels[TBB];
	if (prefix(base, "libLLVM") || prefix(base, "libllvmlite"))
		return &labels[LLVM];
	if (strstr(path, "/numba/") && is_shared(base)) {
		if (prefix(base, "workqueue") || prefix(base, "omppool") ||
		    prefix(base, "tbbpool"))
			return &labels[NUMBA_THREADS];
		return &labels[NUMBA_HELPERS];
	}
	return NULL;
}
