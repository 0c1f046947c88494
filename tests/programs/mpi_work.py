"""An MPI job whose ranks do different amounts of Numba work (issue
12): rank 0 calls the kernel twice as often as every other rank, so its
share of the job's JIT samples is 2/(N+1).  Run under mpirun, each rank
under its own pf-record (-o prof.%r.rec)."""
import sys

import numpy as np
from mpi4py import MPI
from numba import njit


@njit
def kernel(n):
    s = 0.0
    for i in range(n):
        s += np.sqrt(i * 1.5 + 2.0)  # HOT
    return s


def main():
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    comm = MPI.COMM_WORLD
    rank = comm.Get_rank()
    kernel(10)
    total = 0.0
    for _ in range(calls * (2 if rank == 0 else 1)):
        total += kernel(10_000_000)
    total = comm.reduce(total, root=0)
    if rank == 0:
        print(f"total {total:.6g}")


if __name__ == "__main__":
    main()
