"""Compile for a while, then run: for pf's "Numba compiling" share.

Compiles one function for several signatures (each a compilation of its
own), then runs the float64 version for about RUN seconds, and prints the
CPU seconds of each phase, measured here, as "compile C total T" on
stderr: the share pf reports must be close to C / T.
"""
import sys
import time

t0 = time.process_time()
import numpy as np  # noqa: E402
from numba import njit  # noqa: E402


@njit
def poly(a, n):
    s = a[0] * 0
    for _ in range(n):
        for i in range(a.shape[0]):
            x = a[i]
            s += ((x * 3 + 1) * x - 2) * x + 5
    return s


def main(run):
    arrays = [np.ones(1000, dtype=t) for t in (np.int8, np.int16, np.int32,
                                              np.int64, np.uint8, np.uint16,
                                              np.uint32, np.uint64,
                                              np.float32, np.float64)]
    c0 = time.process_time()
    for a in arrays:
        poly(a, 1)
    compile_cpu = time.process_time() - c0
    a = np.linspace(0, 1, 100000)
    end = time.monotonic() + run
    n = 0
    while time.monotonic() < end:
        poly(a, 10)
        n += 1
    total = time.process_time() - t0
    sys.stderr.write("compile %.3f total %.3f\n" % (compile_cpu, total))


main(float(sys.argv[1]) if len(sys.argv) > 1 else 1.0)
