"""%pf and %%pf: profile a line or a cell of this IPython kernel.

The magic starts `pf-record -p` on this very process, waits until it
samples, runs the code, stops it with SIGINT, and shows what
`pf-symbolize | pf-aggregate | pf-annotate` make of the recording: the
HTML report inline in a notebook, the text listing in a terminal.  All
the work is the C tools'; this is only the glue.

    %%pf [-F HZ] [-g] [--no-lines] [--asm] [--text] [-o FILE]
    %pf [options] STATEMENT
"""
import argparse
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import time

from IPython.core.magic import Magics, line_cell_magic, magics_class

from pf import PfError, _lines, tool

# Fewer samples than this get a word on how to have more.
MIN_SAMPLES = 50

PR_SET_PTRACER = 0x59616D61
PR_SET_PTRACER_ANY = -1


def _allow_ptracer(allow):
    """Yama's ptrace_scope 1 lets only ancestors read a process's
    memory; pf-record is this kernel's child: allow it (PR_SET_PTRACER),
    and take it back after."""
    if not os.path.exists("/proc/sys/kernel/yama/ptrace_scope"):
        return
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PTRACER,
                   ctypes.c_ulong(PR_SET_PTRACER_ANY if allow else 0),
                   0, 0, 0)
    except (OSError, AttributeError):
        pass


def _parser():
    p = argparse.ArgumentParser(prog="%%pf", add_help=False)
    p.add_argument("-F", "--frequency", type=int, default=None)
    p.add_argument("-g", "--call-graph", action="store_true")
    p.add_argument("--no-lines", action="store_true")
    p.add_argument("--asm", action="store_true")
    p.add_argument("--text", action="store_true")
    p.add_argument("-o", "--output", default=None)
    p.add_argument("-h", "--help", action="store_true")
    return p


class Recording:
    """pf-record -p on this process, from start() to stop()."""

    def __init__(self, path, frequency=None, stacks=False):
        self.path = path
        cmd = [tool("pf-record"), "-p", str(os.getpid()), "-o", path]
        if frequency:
            cmd += ["-F", str(frequency)]
        if stacks:
            cmd.append("-g")
        self.cmd = cmd
        self.proc = None
        self.messages = []

    def start(self):
        _allow_ptracer(True)
        self.proc = subprocess.Popen(self.cmd, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True)
        # pf-record says when it samples; anything else before is an error.
        for line in self.proc.stderr:
            if line.startswith("pf-record: attached to process"):
                return
            self.messages.append(line.rstrip("\n"))
        self.proc.wait()
        _allow_ptracer(False)
        raise PfError("\n".join(self.messages) or
                      "pf-record ended with status %d" % self.proc.returncode)

    def stop(self):
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGINT)
        rest = self.proc.stderr.read()
        self.proc.wait()
        _allow_ptracer(False)
        self.messages += [l for l in rest.splitlines() if l]
        if self.proc.returncode != 0:
            raise PfError("\n".join(self.messages))


def escape_field(text):
    """A field of pf's streams (docs/FORMAT.md, "Escaping")."""
    if not text:
        return "-"
    if text == "-":
        return "%2D"
    out = []
    for b in text.encode("utf-8", "surrogateescape"):
        if b <= 0x20 or b == 0x7F or b in b"%;@":
            out.append("%%%02X" % b)
        else:
            out.append(chr(b))
    return "".join(out)


def complete(path, lines):
    """Append to recording path what only this process knows: how its
    Numba code got line tables (a meta lines record, which pf-record
    could only guess from the environment: "numba-faithful" with %load_ext
    pf, "none" with --no-lines), and the text of the code IPython ran
    that is in no file (cells: linecache has them under names like
    /tmp/ipykernel_PID/NNN.py), as source records, so that the listing
    shows their lines, now and when the recording is read later.
    Returns the number of samples in the recording."""
    import linecache
    with open(path, encoding="utf-8", errors="replace") as rec:
        samples = sum(1 for line in rec if line.startswith("sample "))
    with open(path, "a", encoding="ascii") as out:
        out.write("meta lines %s\n" % ("numba-faithful" if lines else "none"))
        for name, entry in list(linecache.cache.items()):
            if (not isinstance(entry, tuple) or len(entry) < 3 or
                    not isinstance(name, str) or os.path.exists(name)):
                continue
            for number, text in enumerate(entry[2], 1):
                out.write("source %s %d %s\n" % (
                    escape_field(name), number,
                    escape_field(text.rstrip("\r\n"))))
    return samples


def report(path, html, asm=False):
    """The pipeline on recording path: pf-annotate's HTML or text, and
    what the tools said on stderr."""
    args = [tool("pf-annotate")]
    if html:
        args.append("--html")
    if asm:
        args.append("--asm")
    with tempfile.TemporaryFile() as err:
        sym = subprocess.Popen([tool("pf-symbolize"), path],
                               stdout=subprocess.PIPE, stderr=err)
        # Per thread too: the page has each thread's listing.
        agg = subprocess.Popen([tool("pf-aggregate")] +
                               (["--per-thread"] if html else []),
                               stdin=sym.stdout,
                               stdout=subprocess.PIPE, stderr=err)
        sym.stdout.close()
        ann = subprocess.run(args, stdin=agg.stdout, stdout=subprocess.PIPE,
                             stderr=err)
        agg.stdout.close()
        sym.wait()
        agg.wait()
        err.seek(0)
        errors = err.read().decode("utf-8", "replace")
    if ann.returncode not in (0, 1):
        raise PfError(errors or "pf-annotate failed")
    return ann.stdout.decode("utf-8", "replace"), errors


def _in_notebook(shell):
    return type(shell).__name__ == "ZMQInteractiveShell"


def _html_supported():
    try:
        out = subprocess.run([tool("pf-annotate"), "--help"],
                             capture_output=True, text=True).stdout
    except (OSError, PfError):
        return False
    return "--html" in out


@magics_class
class PfMagics(Magics):
    @line_cell_magic
    def pf(self, line, cell=None):
        """Profile the cell (%%pf) or the statement (%pf) with pf.

        Options: -F HZ (samples per second), -g (call stacks), --no-lines
        (Numba code compiled in it gets no line tables), --asm (the
        instructions of each line), --text (the text listing, also in a
        notebook), -o FILE (keep the recording)."""
        parser = _parser()
        try:
            opts, rest = parser.parse_known_args(shlex.split(line))
        except SystemExit:
            print(self.pf.__doc__)
            return
        if opts.help:
            print(self.pf.__doc__)
            return
        code = cell if cell is not None else " ".join(rest)
        if not code.strip():
            print("usage: %%pf [options] on a cell, or %pf [options] "
                  "STATEMENT")
            return
        keep = opts.output is not None
        path = opts.output or tempfile.mkstemp(prefix="pf-", suffix=".rec")[1]
        rec = Recording(path, opts.frequency, opts.call_graph)
        started = time.perf_counter()
        try:
            rec.start()
        except PfError as e:
            print("pf: cannot profile: %s" % e, file=sys.stderr)
            return
        try:
            if opts.no_lines:
                with _lines.lines_off():
                    result = self.shell.run_cell(code)
            else:
                result = self.shell.run_cell(code)
        finally:
            try:
                rec.stop()
            except PfError as e:
                print("pf: %s" % e, file=sys.stderr)
        elapsed = time.perf_counter() - started
        samples = complete(path, not opts.no_lines and
                           _lines.mode() == "lines")
        html = (_in_notebook(self.shell) and not opts.text and
                _html_supported())
        try:
            out, errors = report(path, html, opts.asm)
        except PfError as e:
            print("pf: %s" % e, file=sys.stderr)
            return
        finally:
            if not keep:
                os.unlink(path)
        if errors.strip():
            print(errors.strip(), file=sys.stderr)
        self._show(out, html)
        if samples < MIN_SAMPLES:
            print("pf: %d sample%s in %.3f s: too few to tell lines apart; "
                  "run the code longer (in a loop), or sample faster (-F)"
                  % (samples, "" if samples == 1 else "s", elapsed),
                  file=sys.stderr)
        if keep:
            print("pf: recording kept in %s" % path)
        if result is not None and not result.success:
            return None

    def _show(self, out, html):
        if html:
            # In a frame of its own: the page's style and script stay
            # out of the notebook's, and the notebook's out of it.
            import html as html_text
            from IPython.display import display
            display({"text/html": '<iframe class="pf-report" style="width:'
                     '100%%;height:640px;border:1px solid #ccc" srcdoc="%s">'
                     '</iframe>' % html_text.escape(out, quote=True)},
                    raw=True)
        elif _in_notebook(self.shell):
            from IPython.display import display
            display({"text/plain": out}, raw=True)
        else:
            sys.stdout.write(out)
