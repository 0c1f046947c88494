"""Two loops for the instruction view (pf-annotate --asm).

dot() is a fastmath dot product: LLVM vectorizes it, so its loop line
runs packed instructions (vfmadd231pd or vmulpd/vaddpd on xmm or ymm
registers, several doubles each).  chain() is a chain of square roots,
each waiting for the one before: no vectorizing is possible, its line
runs scalar vsqrtsd (or sqrtsd) and the samples pile up on it, or on the
instruction right after it (skid).
"""
import math
import sys
import time

import numpy as np
from numba import njit


@njit(fastmath=True)
def dot(a, b):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * b[i]  # DOT
    return s


@njit
def chain(x, n):
    for _ in range(n):
        x = math.sqrt(x + 1.0)  # SQRT
    return x


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    a = np.random.default_rng(1).random(4096)
    b = np.random.default_rng(2).random(4096)
    dot(a, b)
    chain(2.0, 10)
    t0 = time.perf_counter()
    total = 0.0
    while time.perf_counter() - t0 < seconds:
        for _ in range(200):
            total += dot(a, b)
        total += chain(total % 7.0, 200_000)
    print(f"{total:.3f}")


if __name__ == "__main__":
    main()
