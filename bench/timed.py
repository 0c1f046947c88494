"""timed.py OUT COMMAND [ARG...]: run COMMAND, write its wall time in
seconds to OUT, exit with its status (128+N when signal N killed it).

The whole-process wall time of a bench run: from just before the fork
to the end of the wait, so pf-record's start-up and its writing of the
recording are included, and this script's own start-up is not."""
import subprocess
import sys
import time


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: timed.py OUT COMMAND [ARG...]")
    t0 = time.perf_counter()
    try:
        status = subprocess.call(sys.argv[2:])
    except OSError as e:
        sys.exit("timed.py: cannot run '%s': %s" % (sys.argv[2], e.strerror))
    wall = time.perf_counter() - t0
    with open(sys.argv[1], "w") as f:
        f.write("%.6f\n" % wall)
    sys.exit(128 - status if status < 0 else status)


if __name__ == "__main__":
    main()
