"""Samples workload for threads: a parallel=True kernel on 2 threads.

    NUMBA_NUM_THREADS=2 parallel.py RESULT SECONDS

Calls a prange kernel for SECONDS and writes, besides the window, the
CPU time of every thread of the process in it, so that the samples of
each busy thread can be set against its own CPU time.
"""
import sys
import time

import numpy as np
from numba import njit, prange, threading_layer

from benchlib import Window, write_result


@njit(parallel=True)
def pkernel(x, out, reps):
    for r in range(reps):
        for i in prange(x.shape[0]):
            out[i] = (7 + x[i] / 9 + (x[i] ** 2) / 7) / 5 + r
    return out[0]


def main():
    result, seconds = sys.argv[1], float(sys.argv[2])
    x = np.linspace(0, 1000, 400_000)
    out = np.empty_like(x)
    pkernel(x, out, 1)  # compile, start the thread pool
    w = Window()
    calls = 0
    w.start()
    t_end = time.perf_counter() + seconds
    while time.perf_counter() < t_end:
        pkernel(x, out, 50)
        calls += 1
    w.stop()
    write_result(result, w.lines() + [
        "calls %d" % calls, "layer %s" % threading_layer()])


if __name__ == "__main__":
    main()
