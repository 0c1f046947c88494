"""A parallel=True kernel whose time is 90% on one inner line and 10% on
another: the same inner loop, run 9 times and once per outer iteration,
so the split holds whatever code LLVM makes of the loop."""
import sys
import time

import numpy as np
from numba import njit, prange


@njit(parallel=True)
def kernel(a, out):
    for j in prange(a.shape[0]):
        s = 0.0
        x = a[j]
        for r in range(9):
            for k in range(100):
                s += (x + k) / (x + 1.5 + k)  # NINETY
        for k in range(100):
            s += (x + k) / (x + 1.5 + k)  # TEN
        out[j] = s


def main(kernel=kernel):
    """Call kernel for argv[1] seconds (prange_branch.py's too)."""
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
