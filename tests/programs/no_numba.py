"""No Numba at all: every sample must be outside JIT code."""
import time

t0 = time.perf_counter()
s = 0
while time.perf_counter() - t0 < 1.0:
    s += sum(i * i for i in range(1000))
print(s > 0)
