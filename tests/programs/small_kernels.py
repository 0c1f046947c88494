"""Small kernels written the usual ways, whose code LLVM may inline into
the wrappers Numba generates around them: a one-loop prange kernel, an
element-wise parallel expression, a prange reduction, and a plain array
expression.  Each has its own marked line.

    small_kernels.py SECONDS
"""
import sys
import time

import numpy as np
from numba import njit, prange


@njit(parallel=True)
def one_loop(a, out):
    for i in prange(a.shape[0]):
        out[i] = np.sqrt(a[i]) * 2.0 + a[i] / (1.0 + a[i])  # ONE


@njit(parallel=True)
def elementwise(a, b):
    return np.sqrt(a) * b + a / (1.0 + b)  # ELEM


@njit(parallel=True)
def reduction(a):
    s = 0.0
    for i in prange(a.shape[0]):
        s += np.sqrt(a[i]) / (1.0 + a[i])  # RED
    return s


@njit
def expression(a, b):
    c = a * b + 2.0 * a  # EXPR
    return c[0]


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    a = np.random.default_rng(1).random(1_000_000)
    b = a.copy()
    out = np.empty_like(a)
    one_loop(a, out), elementwise(a, b), reduction(a), expression(a, b)
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        one_loop(a, out)
        elementwise(a, b)
        reduction(a)
        expression(a, b)
    print("done")


if __name__ == "__main__":
    main()
