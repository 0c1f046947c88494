"""A caller and an @njit helper that LLVM inlines in the plain build."""
import sys
import time

import numpy as np
from numba import njit


@njit
def helper(x):
    y = x * 1.0001 + 0.5  # HELPER-MUL
    return y / (x + 2.0) / (y + 3.0)  # HELPER-DIV


@njit
def caller(a, reps):
    s = 0.0
    for r in range(reps):
        for i in range(a.shape[0]):
            s += helper(a[i] + r)  # CALL
    return s


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    a = np.random.default_rng(2).random(100_000)
    caller(a, 1)
    t0 = time.perf_counter()
    total = 0.0
    while time.perf_counter() - t0 < seconds:
        total += caller(a, 10)
    print(f"done {total:.1f}")


if __name__ == "__main__":
    main()
