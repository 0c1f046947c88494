"""pf start-up shim: line tables for Numba without changing its code.

pf-record puts this directory first on the child's PYTHONPATH, so Python
imports this file as `sitecustomize` at start-up (the way ddtrace-run and
opentelemetry-instrument do it).  It

  1. takes itself off sys.path and runs the `sitecustomize` that would
     have run without pf (the user's, or the system's), and
  2. installs pf._lines (the package beside it), which makes Numba emit
     line tables for code compiled exactly as it is without debug info
     once numba.core.compiler is imported (PF_SHIM_MODE "lines", the
     default), and reports Numba's compile times to pf-record in every
     mode.  See pf/_lines.py.

A launcher that cannot use pf-record can start Python with this
directory on PYTHONPATH for the same effect (or run `python3 -m pf`).
"""
import importlib.machinery
import importlib.util
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))


def _warn(msg):
    sys.stderr.write("pf: %s\n" % msg)


def _same_dir(entry):
    try:
        return os.path.samefile(entry or ".", _HERE)
    except OSError:
        return False


def _chain_sitecustomize():
    """Run the sitecustomize that Python would have found without us."""
    sys.path[:] = [p for p in sys.path if not _same_dir(p)]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize",
                                                    sys.path)
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    sys.modules["sitecustomize"] = module
    try:
        spec.loader.exec_module(module)
    except Exception as e:  # as site.py does for a failing sitecustomize
        _warn("error in the program's sitecustomize (%s: %s)"
              % (type(e).__name__, e))


def _load_lines():
    """pf._lines from beside this file (whatever else is called pf on
    sys.path), before this directory leaves sys.path."""
    import pf._lines as lines
    return lines


_lines = _load_lines()
_chain_sitecustomize()
_lines.install(os.environ.get("PF_SHIM_MODE", "lines"))
