"""Compile a function and leave at once: with os._exit (status 3), from
a thread, or by a signal.  The object exists for a few microseconds
before the process is gone, so only pf-record's exit-time read can
catch it."""
import os
import signal
import sys
import threading

from numba import njit

mode = sys.argv[1]


def busy():
    s = 0
    for i in range(3_000_000):
        s += i
    return s


def compile_and_leave():
    @njit
    def compiled_at_the_last_moment(n):
        s = 0
        for i in range(n):
            s += i * 3
        return s

    compiled_at_the_last_moment(10)
    if mode in ("exit", "thread"):
        os._exit(3)
    if mode == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    if mode == "segv":
        os.kill(os.getpid(), signal.SIGSEGV)
    if mode == "exception":
        raise RuntimeError("uncaught, on purpose")


busy()
if mode == "thread":
    t = threading.Thread(target=compile_and_leave)
    t.start()
    t.join()
else:
    compile_and_leave()
