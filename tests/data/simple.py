# A small Numba program: the test data for pf-annotate.
import numpy as np
from numba import njit


@njit
def helper(x):
	# a tab-indented line, kept as it is
	return x * x + 1


@njit
def moving_average(timeseries):
    result = np.empty_like(timeseries)
    for i in range(len(timeseries)):
        # This should be the most expensive line:
        result[i] = (7 + timeseries[i] / 9 + (timeseries[i] ** 2) / 7) / 5
    for i in range(len(result)):
        result[i] -= helper(result[i])

    return result


if __name__ == "__main__":
    moving_average(np.arange(10_000_000.0))
