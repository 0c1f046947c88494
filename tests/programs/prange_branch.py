"""A parallel=True kernel whose time is 90% on one inner line and 10% on
another, chosen by a branch: 9 of every 10 outer iterations run the
NINETY loop, the tenth the TEN loop, two loops of the same length and
cost (they differ in a constant, so that LLVM cannot merge them).  A
kernel this small is inlined into Numba's gufunc wrapper on some
machines and not on others; its lines must be the same either way.

    prange_branch.py SECONDS
"""
from numba import njit, prange

from prange import main as run  # tests/programs/prange.py's driver


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


if __name__ == "__main__":
    run(kernel)
