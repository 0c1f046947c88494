"""A recursive function called from two places, three times as often
from one as from the other: with call stacks, the time in fib splits
3:1 between the two call sites (issue 10).

Each round draws fib's argument at random, so that the rounds are not
all of one length: a loop of fixed period (here about 200 us) can beat
with the sampling period (1 ms) and put the samples in one phase of it,
one caller's, for seconds at a time."""
import random
import sys
import time

from numba import njit


@njit
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)  # RECURSE


@njit
def three(k):
    s = 0
    for i in range(3):
        s += fib(k + i - i)  # THREE
    return s


@njit
def one(k):
    return fib(k)  # ONE


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    three(2)
    one(2)
    rounds = random.Random(1)
    t0 = time.perf_counter()
    total = 0
    while time.perf_counter() - t0 < seconds:
        k = rounds.randint(18, 22)
        total += three(k) + one(k)
    print(f"done {total}")


if __name__ == "__main__":
    main()
