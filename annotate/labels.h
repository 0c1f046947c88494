/*
 * labels.h - names, for people, of well-known code outside JIT code.
 *
 * Samples outside JIT code fall in objects whose file names say little
 * to someone who wrote a Numba function: libgomp.so.1.0.0 is Numba's
 * OpenMP threading layer waiting for work, libLLVM-14.so.1 is Numba
 * compiling.  object_label() recognises such objects by their path.
 * Objects with the same label are shown as one entry.
 */
#ifndef PF_ANNOTATE_LABELS_H
#define PF_ANNOTATE_LABELS_H

#include "record.h"

struct object_label {
	const char *name;	/* "Python interpreter" */
	const char *hint;	/* what the time there usually is, or NULL */
	int show_object;	/* worth naming the object too */
};

/* The label of libLLVM and libllvmlite: "Numba compiling". */
const struct object_label *compiler_label(void);

/* The label of the object at path (NULL for kernel and unknown). */
const struct object_label *object_label(enum sample_kind kind,
					const char *path);

#endif
