"""A long job to attach to (pf-record -p): compiles a kernel whose time
is in one line, says "ready PID" on stdout, then calls it until the
given number of seconds has passed, and prints how many calls it made
(so that a test can see it went on unharmed after pf detached)."""
import os
import sys
import time

import numpy as np
from numba import njit


@njit
def kernel(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += np.sqrt(a[i] * 1.5 + 2.0)  # HOT
    return s


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    a = np.arange(200_000, dtype=np.float64)
    kernel(a)
    print("ready", os.getpid(), flush=True)
    t0 = time.perf_counter()
    calls = 0
    while time.perf_counter() - t0 < seconds:
        kernel(a)
        calls += 1
    print("calls", calls, flush=True)


if __name__ == "__main__":
    main()
