"""A loop whose time goes outside Numba's code, as in an orbit
propagator (poliastro): small arrays (Numba's runtime allocates and
reference-counts them), a matrix product on 3-vectors (BLAS) and
transcendental functions (libm).  With call stacks, the loop's lines
carry that time as their total (issue 10)."""
import sys
import time

import numpy as np
from numba import njit


@njit
def rotate(r, v):
    m = np.outer(r, v)
    return m @ v  # BLAS


@njit
def wave(x):
    return np.sin(x) * np.exp(-x)  # LIBM


@njit
def propagate(n, r, v):
    s = 0.0
    for i in range(n):
        w = rotate(r, v)  # ROTATE
        s += wave(w[0] * 1e-3 + i * 1e-9)  # WAVE
    return s


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    r = np.array([7000.0, 10.0, 20.0])
    v = np.array([0.1, 7.5, 0.3])
    propagate(1, r, v)
    t0 = time.perf_counter()
    total = 0.0
    while time.perf_counter() - t0 < seconds:
        total += propagate(20000, r, v)
    print(f"done {total:.3f}")


if __name__ == "__main__":
    main()
