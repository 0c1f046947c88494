"""Accuracy workload: four loops of known relative cost, each one line.

    lines4.py calibrate RESULT SECONDS
    lines4.py profile RESULT SECONDS

`four` runs four loops with the same body and trip counts N, 2N, 3N, 4N.
Each loop is a single source line, so a sample in a loop can only be
given that line.  The body works on a 4096-element array (in L1 cache)
and sums serially, so its cost per trip does not depend on what ran
before: the loops' shares are close to 1:2:3:4.

`calibrate` measures the truth: the same compiled function called with
only one loop enabled (the other trip counts 0), the four variants
rotated, many rounds; it writes the median time per call of each.
`profile` calls four(a, N, 2N, 3N, 4N) for SECONDS, ~45 ms a call (long
calls: see bench/README.md on aliasing).
"""
import statistics
import sys
import time

import numpy as np
from numba import njit

from benchlib import Window, write_result

N = 3_500_000


@njit
def four(a, n1, n2, n3, n4):
    s = 0.0
    for i in range(n1): s += (a[i & 4095] * 1.0001 + 0.5) / (a[i & 4095] + 1.5)  # LOOP1
    for i in range(n2): s += (a[i & 4095] * 1.0001 + 0.5) / (a[i & 4095] + 1.5)  # LOOP2
    for i in range(n3): s += (a[i & 4095] * 1.0001 + 0.5) / (a[i & 4095] + 1.5)  # LOOP3
    for i in range(n4): s += (a[i & 4095] * 1.0001 + 0.5) / (a[i & 4095] + 1.5)  # LOOP4
    return s


def calibrate(a, seconds):
    trips = [(N, 0, 0, 0), (0, 2 * N, 0, 0), (0, 0, 3 * N, 0),
             (0, 0, 0, 4 * N)]
    times = [[] for _ in trips]
    t_end = time.perf_counter() + seconds
    while time.perf_counter() < t_end or len(times[0]) < 5:
        for k, n in enumerate(trips):
            t = time.perf_counter()
            four(a, *n)
            times[k].append(time.perf_counter() - t)
    med = [statistics.median(t) for t in times]
    spread = [(max(t) - min(t)) / statistics.median(t) for t in times]
    return ["calib %d %.9f %.4f %d" % (k + 1, med[k], spread[k],
                                       len(times[k]))
            for k in range(4)]


def profile(a, seconds, w):
    calls = 0
    w.start()
    t_end = time.perf_counter() + seconds
    while time.perf_counter() < t_end:
        four(a, N, 2 * N, 3 * N, 4 * N)
        calls += 1
    w.stop()
    return ["calls %d" % calls]


def main():
    mode, result, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    a = np.random.default_rng(4).random(4096)
    four(a, 1, 1, 1, 1)  # compile
    w = Window()
    if mode == "calibrate":
        w.start()
        lines = calibrate(a, seconds)
        w.stop()
    elif mode == "profile":
        lines = profile(a, seconds, w)
    else:
        sys.exit("lines4.py: unknown mode '%s'" % mode)
    write_result(result, w.lines() + lines)


if __name__ == "__main__":
    main()
