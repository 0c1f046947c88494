"""A call LLVM cannot inline away: a recursive function, called from a
driver that also does work of its own."""
import sys
import time

from numba import njit


@njit
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)  # RECURSE


@njit
def driver(reps):
    s = 0
    for r in range(reps):
        s += fib(20)  # DRIVE
        for i in range(20000):
            s += (i * r) % 7  # OWN-WORK
    return s


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    driver(1)
    t0 = time.perf_counter()
    total = 0
    while time.perf_counter() - t0 < seconds:
        total += driver(20)
    print(f"done {total}")


if __name__ == "__main__":
    main()
