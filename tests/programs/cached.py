"""A cache=True function: a profiled run must get line tables for it even
when the user's cache already holds it, and must not touch that cache."""
import sys
import time

import numpy as np
from numba import njit


@njit(cache=True)
def cached_kernel(a, reps):
    s = 0.0
    for r in range(reps):
        for i in range(a.shape[0]):
            s += (a[i] + r) / (a[i] + 1.5)  # CACHED-HOT
    return s


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    a = np.random.default_rng(3).random(100_000)
    t0 = time.perf_counter()
    total = 0.0
    while time.perf_counter() - t0 < seconds:
        total += cached_kernel(a, 10)
    print(f"done {total:.1f}")


if __name__ == "__main__":
    main()
