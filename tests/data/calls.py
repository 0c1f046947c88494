# Inlined calls: the test data for the call-site marks of pf-annotate.
from numba import njit


@njit
def leaf(x):
    return x + 1.0


@njit
def helper(x):
    y = x * 2.0
    return leaf(y) / 3.0


@njit
def other(x):
    return x - 1.0


@njit
def caller(a):
    s = 0.0
    for v in a:
        s += helper(v) + other(v)
        s += helper(-v)
    return s
