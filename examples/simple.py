"""A moving-average-like kernel: the example profiled by `make demo`."""
import numpy as np
from numba import njit


@njit
def moving_average(timeseries):
    result = np.empty_like(timeseries)
    for i in range(len(timeseries)):
        # This should be the most expensive line:
        result[i] = (7 + timeseries[i] / 9 + (timeseries[i] ** 2) / 7) / 5
    for i in range(len(result)):
        result[i] -= 1
    return result


def main():
    timeseries = np.linspace(0, 1000, 1_000_000)
    total = 0.0
    for _ in range(3000):
        total += moving_average(timeseries)[-1]
    print(f"checksum {total:.3f}")


if __name__ == "__main__":
    main()
