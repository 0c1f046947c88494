"""maxrss.py OUT CMD...: run CMD (standard input and output passed on)
and write its peak resident set size in KiB and its wall and CPU
seconds to OUT as 'KIB WALL CPU'; exit with CMD's status."""
import os
import resource
import subprocess
import sys
import time

start = time.monotonic()
status = subprocess.call(sys.argv[2:])
wall = time.monotonic() - start
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as f:
    f.write("%d %.3f %.3f\n" % (ru.ru_maxrss, wall, ru.ru_utime + ru.ru_stime))
sys.exit(status)
