"""Overhead workload: a fixed number of calls of a Numba kernel.

    kernel.py RESULT NCALLS

The kernel is examples/simple.py's moving_average, called REPS times by
an @njit driver, so that one call from Python takes ~30 ms in the plain
build on the bench machine.  It has `x ** 2`, which Numba lowers to an
int_power helper: inlined (and the loop vectorized) in the plain build,
a real call under NUMBA_DEBUGINFO=1 (pf-record --raw-debuginfo), which
marks every function noinline.  The work loop is timed from inside,
after import and compilation; the first call, which compiles, is timed
on its own.
"""
import statistics
import sys
import time

import numpy as np
from numba import njit

from benchlib import Window, write_result

REPS = 150  # moving_average calls per kernel call: ~30 ms plainly


@njit
def moving_average(timeseries):
    result = np.empty_like(timeseries)
    for i in range(len(timeseries)):
        result[i] = (7 + timeseries[i] / 9 + (timeseries[i] ** 2) / 7) / 5  # POWER
    for i in range(len(result)):
        result[i] -= 1
    return result


@njit
def kernel(x, reps):
    s = 0.0
    for r in range(reps):
        s += moving_average(x)[-1]
    return s


def main():
    result, ncalls = sys.argv[1], int(sys.argv[2])
    x = np.linspace(0, 1000, 200_000)
    t = time.perf_counter()
    kernel(x, 1)  # compile
    compile_s = time.perf_counter() - t
    w = Window()
    per_call = []
    check = 0.0
    w.start()
    for _ in range(ncalls):
        t = time.perf_counter()
        check += kernel(x, REPS)
        per_call.append(time.perf_counter() - t)
    w.stop()
    write_result(result, w.lines() + [
        "ncalls %d" % ncalls,
        "compile %.6f" % compile_s,
        "per_call_median %.9f" % statistics.median(per_call),
        "per_call_min %.9f" % min(per_call),
        "checksum %.6f" % check])


if __name__ == "__main__":
    main()
