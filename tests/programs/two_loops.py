"""Two loops of known relative cost: the first does 8x the work.  Plain
arithmetic, so that the time is in the JIT code and not in libm."""
import sys

import numpy as np
from numba import njit


@njit
def two_loops(a, reps):
    s = 0.0
    for r in range(reps):
        for i in range(a.shape[0]):
            # a comment line: never any samples
            s += (a[i] * 1.0001 + r) / (a[i] + 1.5) / (a[i] + 2.5 + r)
        for i in range(a.shape[0] // 8):
            s += (a[i] * 1.0001 + r) / (a[i] + 1.5) / (a[i] + 2.5 + r)
    return s


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    a = np.random.default_rng(1).random(200_000)
    two_loops(a, 1)
    import time
    t0 = time.perf_counter()
    total = 0.0
    while time.perf_counter() - t0 < seconds:
        total += two_loops(a, 10)
    print("sample 1 2 3 4 deadbeef")  # record-like junk on stdout
    print(f"done {total:.1f}")


if __name__ == "__main__":
    main()
