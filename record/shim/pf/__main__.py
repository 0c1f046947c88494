"""python3 -m pf [-m MODULE | SCRIPT] [ARGS...]

Run a Python program as python3 would, with pf's line tables for its
Numba code from the start, so that `pf-record -p PID` attached to it at
any time later sees source lines, not only functions.  Nothing is
sampled: the program runs at its normal speed with the machine code of
an unprofiled run (only debug metadata is added).
"""
import os
import runpy
import sys

USAGE = "usage: python3 -m pf [-m MODULE | SCRIPT] [ARGS...]\n"


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        (sys.stdout if argv else sys.stderr).write(USAGE + __doc__.split(
            "\n", 2)[2])
        return 0 if argv else 64
    import pf
    pf.enable_lines()
    if argv[0] == "-m":
        if len(argv) < 2:
            sys.stderr.write(USAGE)
            return 64
        sys.argv = [argv[1]] + argv[2:]
        runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
        return 0
    script = argv[0]
    if not os.path.exists(script):
        sys.stderr.write("python3 -m pf: can't open file '%s'\n" % script)
        return 2
    sys.argv = argv
    sys.path[0] = os.path.dirname(os.path.abspath(script))
    runpy.run_path(script, run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
