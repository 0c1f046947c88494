"""Worker processes running an @njit loop (issue 12): a Pool of 2 with
the start method given (fork, spawn or forkserver), each worker calling
the kernel until its share of the work is done.  With fork, the parent
compiles the kernel first, so the workers run code they inherited; with
spawn and forkserver, each worker compiles its own."""
import multiprocessing as mp
import sys

import numpy as np
from numba import njit


@njit
def kernel(n):
    s = 0.0
    for i in range(n):
        s += np.sqrt(i * 1.5 + 2.0)  # HOT
    return s


def task(n):
    return kernel(n)


def main():
    method = sys.argv[1] if len(sys.argv) > 1 else "fork"
    tasks = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    if method == "fork":
        kernel(10)
    ctx = mp.get_context(method)
    with ctx.Pool(2) as pool:
        total = sum(pool.map(task, [50_000_000] * tasks, chunksize=1))
    print(f"total {total:.6g}")


if __name__ == "__main__":
    main()
