"""pf inside the profiled Python: line tables for Numba, from the start.

The C tools (pf-record, pf-symbolize, pf-aggregate, pf-annotate) do the
profiling; this package is only the part that must run inside the
interpreter:

  python3 -m pf SCRIPT [ARGS]     run SCRIPT with line tables for its
                                  Numba code, so that `pf-record -p`
                                  can attach to it later and see lines
  %load_ext pf                    in IPython or Jupyter: line tables for
                                  the Numba code compiled from then on,
                                  and the %pf / %%pf magics

See pf-record(1), section "Attaching", and README.md.
"""
import os
import shutil
import sys

from pf import _lines

# As pf-record's CACHE_GENERATION and lines mode (record/pf-record.c):
# code compiled with line tables goes to, and comes from, pf's own
# Numba cache, never the user's (Numba's cache key ignores debug info).
CACHE_GENERATION = "3"


# Where each tool lives in the source tree, from this file's
# record/shim/pf/ (a build tree used in place).
_TREE = {
    "pf-record": "record",
    "pf-symbolize": "symbolize",
    "pf-aggregate": "aggregate",
    "pf-annotate": "annotate",
}


class PfError(Exception):
    """A pf tool is missing or failed: the message says which, and why."""


def tool(name):
    """The path of a pf tool: $PF_BINDIR, else where make install put
    them, else the build tree this package sits in, else $PATH."""
    bindir = os.environ.get("PF_BINDIR")
    if bindir:
        return os.path.join(bindir, name)
    try:
        from pf._installed import BINDIR
        if os.access(os.path.join(BINDIR, name), os.X_OK):
            return os.path.join(BINDIR, name)
    except ImportError:
        pass
    here = os.path.dirname(os.path.realpath(__file__))
    top = os.path.dirname(os.path.dirname(os.path.dirname(here)))
    built = os.path.join(top, _TREE[name], name)
    if os.access(built, os.X_OK):
        return built
    found = shutil.which(name)
    if not found:
        raise PfError("%s not found: install pf (make install), or set "
                      "PF_BINDIR to where its tools are" % name)
    return found


def cache_dir():
    """pf's Numba cache for code with line tables, as pf-record's."""
    xdg = os.environ.get("XDG_CACHE_HOME")
    home = os.environ.get("HOME")
    if xdg:
        base = os.path.join(xdg, "pf")
    elif home:
        base = os.path.join(home, ".cache", "pf")
    else:
        base = "/tmp/pf-%d" % os.getuid()
    return os.path.join(base, CACHE_GENERATION, "numba-faithful")


def use_pf_cache():
    """Numba's cache=True functions defined from now on use pf's cache:
    before numba is imported through the environment, afterwards
    through its config."""
    path = cache_dir()
    config = sys.modules.get("numba.core.config")
    if config is None:
        os.environ.setdefault("NUMBA_CACHE_DIR", path)
    elif not getattr(config, "CACHE_DIR", ""):
        config.CACHE_DIR = path


def enable_lines():
    """Line tables for the Numba code compiled from now on."""
    use_pf_cache()
    _lines.install("lines")


def load_ipython_extension(ipython):
    """%load_ext pf: line tables from now on, and the %pf magics."""
    from pf._magic import PfMagics
    enable_lines()
    ipython.register_magics(PfMagics)
    if _lines.mode() != "lines":
        _lines._warn("line tables are off in this process (PF_SHIM_MODE "
                     "%s): profiles are by function" % _lines.mode())
