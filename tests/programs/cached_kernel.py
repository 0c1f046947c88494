"""A cache=True function called by a plain one: in a fresh cache, the
first profiled run compiles it into pf's cache, the next loads it."""
import numpy as np
from numba import njit


@njit(cache=True)
def cached_sum(x):
    s = 0.0
    for v in x:
        s += v * v
    return s


@njit
def caller(x):
    return cached_sum(x) + 1.0


print(caller(np.ones(1000)))
