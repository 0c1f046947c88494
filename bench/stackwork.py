"""Call-stack workloads of bench/stacks.sh: fixed work, timed inside.

    stackwork.py deep RESULT NCALLS       recursion: fib(30) from an @njit
                                          caller, ~30 JIT frames deep
    stackwork.py parallel RESULT NCALLS   a parallel=True kernel (run it
                                          with NUMBA_NUM_THREADS=2)
"""
import sys

import numpy as np
from numba import njit, prange

from benchlib import Window, write_result


@njit
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


@njit
def deep(k):
    return fib(k)


@njit(parallel=True)
def wide(x, out, reps):
    for r in range(reps):
        for i in prange(x.shape[0]):
            out[i] = (7 + x[i] / 9 + (x[i] ** 2) / 7) / 5 + r
    return out[0]


def main():
    mode, result, ncalls = sys.argv[1], sys.argv[2], int(sys.argv[3])
    x = np.linspace(0, 1000, 400_000)
    out = np.empty_like(x)
    if mode == "deep":
        deep(2)
        call = lambda: deep(30)
    else:
        wide(x, out, 1)
        call = lambda: wide(x, out, 50)
    w = Window()
    w.start()
    for _ in range(ncalls):
        call()
    w.stop()
    write_result(result, w.lines() + ["ncalls %d" % ncalls])


if __name__ == "__main__":
    main()
