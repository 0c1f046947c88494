"""Shared by the bench workloads: per-thread CPU time and the result file.

A workload measures its own work loop (after import and compilation) and
writes one `key value...` line per fact to the result file named on its
command line; bench/report.py reads those files.
"""
import os
import time


def thread_cpu_ns():
    """CPU time (user + system, ns) of every thread of this process.

    Uses the per-thread CPU clock of each task in /proc/self/task
    (clockid = (~tid << 3) | 6, CPUCLOCK_SCHED | CPUCLOCK_PERTHREAD), which
    also works for threads Python did not start (Numba's workers)."""
    cpu = {}
    for name in os.listdir("/proc/self/task"):
        tid = int(name)
        try:
            cpu[tid] = time.clock_gettime_ns((~tid << 3) | 6)
        except OSError:  # the thread ended meanwhile
            pass
    return cpu


class Window:
    """CLOCK_MONOTONIC bounds and per-thread CPU time of the work loop
    (CLOCK_MONOTONIC is the clock of pf-record's sample times)."""

    def start(self):
        self.cpu0 = thread_cpu_ns()
        self.t0 = time.monotonic_ns()
        self.p0 = time.perf_counter()

    def stop(self):
        self.p1 = time.perf_counter()
        self.t1 = time.monotonic_ns()
        self.cpu1 = thread_cpu_ns()

    def lines(self):
        out = ["inside %.6f" % (self.p1 - self.p0),
               "window %d %d" % (self.t0, self.t1),
               "pid %d" % os.getpid()]
        for tid in sorted(self.cpu1):
            used = self.cpu1[tid] - self.cpu0.get(tid, 0)
            out.append("thread %d %d" % (tid, used))
        return out


def write_result(path, lines):
    with open(path, "w") as f:
        for line in lines:
            f.write(line + "\n")
