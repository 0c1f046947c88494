"""A parallel=True kernel whose time is 90% on one inner line and 10% on
another, chosen by a branch: 9 of every 10 outer iterations run the
NINETY loop, the tenth the TEN loop, two loops of the same length and
cost (they differ in a constant, so that LLVM cannot merge them).  A
kernel this small is inlined into Numba's gufunc wrapper on some
machines and not on others; its lines must be the same either way.

    prange_branch.py SECONDS
"""
import sys
import time

import numpy as np
from numba import njit, prange


@njit(parallel=True)
def kernel(a, out):
    for j in prange(a.shape[0]):
        x = a[j]
        s = 0.0
        if j % 10 != 0:
            for k in range(1000):
                s += (x + k) / (x + 1.5 + k)  # NINETY
        else:
            for k in range(1000):
                s += (x + k) / (x + 2.5 + k)  # TEN
        out[j] = s


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    a = np.random.default_rng(4).random(20_000)
    out = np.empty_like(a)
    kernel(a, out)
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        kernel(a, out)
    print(f"done {out.sum():.1f}")


if __name__ == "__main__":
    main()
