"""pf's line tables for Numba, without changing its code.

Imported by pf's start-up shim (sitecustomize.py, which pf-record puts
on the profiled program's PYTHONPATH), by `python3 -m pf`, and by the
IPython extension (`%load_ext pf`).  install() waits for Numba's
modules and, once they are imported, makes Numba emit line tables
(DWARF subprograms and .debug_line, no variables) for code compiled
exactly as it is without debug info: the compilation flags stay those
of a plain run, so inlining, bounds checking, variable lifetimes and
Numba's own SROA-like pass are untouched.

Full debug info (NUMBA_DEBUGINFO=1, or debug=True) marks every function
noinline (numba <= 0.56 in DIBuilder.mark_subprogram, >= 0.57 in
Lower.pre_lower), extends variable lifetimes, turns on bounds checking
and keeps variables in memory: a different, slower program.  Here the
flags keep debuginfo off and only the target context used for lowering
is told to emit line information, with a DIBuilder that neither adds
noinline nor describes variables (what numba >= 0.57 calls
dbg_directives_only).  Functions the user compiles with debug=True keep
their full debug info.

Feature detection, not version checks: if Numba's internals are not as
expected, say so on stderr and change nothing; pf still profiles, at
function level.
"""
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys

# The mode install() was called with, once it was.
_INSTALLED = []
# Empty while line tables are off for a while (%%pf --no-lines).
_ENABLED = [True]


class lines_off:
    """with lines_off(): Numba code compiled inside has no line tables,
    exactly as without pf."""

    def __enter__(self):
        _ENABLED.clear()

    def __exit__(self, *exc):
        _ENABLED.append(True)


def _warn(msg):
    sys.stderr.write("pf: %s\n" % msg)


def _lines_only_dibuilder(debuginfo):
    base = debuginfo.DIBuilder

    class LinesOnlyDIBuilder(base):
        """Line tables only, and no inlining changes."""

        def mark_variable(self, *args, **kwargs):
            return None

        def mark_subprogram(self, function, *args, **kwargs):
            had_noinline = "noinline" in function.attributes
            result = base.mark_subprogram(self, function, *args, **kwargs)
            if not had_noinline:
                function.attributes.discard("noinline")
            return result

    LinesOnlyDIBuilder.__name__ = "LinesOnlyDIBuilder"
    return LinesOnlyDIBuilder


def _patch(compiler):
    """Make lowering emit line tables for plainly compiled functions."""
    try:
        from numba.core import debuginfo
        make_subtarget = compiler._make_subtarget
        base = debuginfo.DIBuilder
        for name in ("mark_subprogram", "mark_variable", "mark_location"):
            if not callable(getattr(base, name, None)):
                raise AttributeError("DIBuilder.%s" % name)
    except (ImportError, AttributeError) as e:
        _warn("cannot add line tables to this numba (%s); "
              "the profile will be at function level" % e)
        return
    builder = _lines_only_dibuilder(debuginfo)

    def _make_subtarget(targetctx, flags):
        ctx = make_subtarget(targetctx, flags)
        if getattr(flags, "debuginfo", False) or not _ENABLED:
            return ctx  # debug=True or NUMBA_DEBUGINFO: leave it alone
        try:
            return ctx.subtarget(enable_debuginfo=True, DIBuilder=builder)
        except (NameError, AttributeError, TypeError) as e:
            _warn("cannot add line tables to this numba (%s)" % e)
            return ctx

    compiler._make_subtarget = _make_subtarget
    _quiet_missing_source()
    _index_first_lines()
    _describe_generated_code()


def _index_first_lines():
    """With line information on, Numba looks up the first body line of
    each function it lowers by parsing that function's whole source
    file (numba.misc.firstlinefinder), again for every function: with
    Numba's own large modules that doubled compile time.  Parse only the
    function's own block instead (as inspect.getsource finds it), from
    the file's lines read once while its size and mtime stay the same;
    where that does not give a `def` of that name, fall back to Numba's
    own look-up.  Same answers, a fraction of the time."""
    import ast
    import inspect
    import textwrap
    try:
        from numba.core import lowering
        from numba.misc import firstlinefinder
        is_docstring = firstlinefinder._is_docstring
        original = lowering.get_func_body_first_lineno
    except (ImportError, AttributeError):
        return
    files = {}

    def source_lines(path):
        st = os.stat(path)
        key = (st.st_size, st.st_mtime_ns)
        entry = files.get(path)
        if entry is None or entry[0] != key:
            with open(path) as fin:
                entry = (key, fin.readlines())
            files[path] = entry
        return entry[1]

    def get_func_body_first_lineno(pyfunc):
        co = pyfunc.__code__
        if co.co_name.startswith(ARRAY_EXPR_PREFIX):
            # Generated by Numba for one expression, at its line (see
            # _array_exprs_at_their_lines): the body is that line, and
            # Numba takes the line before it as the `def`.
            return co.co_firstlineno + 1
        try:
            lines = source_lines(co.co_filename)
            start = co.co_firstlineno - 1
            block = inspect.getblock(lines[start:])
            tree = ast.parse(textwrap.dedent("".join(block)))
        except (OSError, SyntaxError, ValueError, IndexError):
            return original(pyfunc)
        node = tree.body[0] if tree.body else None
        if (not isinstance(node, ast.FunctionDef) or node.name != co.co_name
                or not node.body):
            return original(pyfunc)
        first = node.body[0]
        if is_docstring(first):
            if len(node.body) < 2:
                return original(pyfunc)
            first = node.body[1]
        return start + first.lineno

    lowering.get_func_body_first_lineno = get_func_body_first_lineno


# The file of the subprograms given to Numba's generated code, which has
# no source; pf-symbolize knows these by DW_AT_artificial, not by name.
GENERATED_FILE = "<numba-generated>"


def _describe_generated_code():
    """Numba wraps user code in functions it builds directly in LLVM IR,
    without debug information: the gufunc wrapper and the launcher of a
    prange loop, the cpython and cfunc wrappers, ufunc loops.  A function
    without a DISubprogram gets no line table at all, so when LLVM inlines
    the user's code into one (whether it does depends on the machine), the
    user's lines are gone.  Give each such function that calls something
    (only calls can bring in inlined code) a subprogram of its own, marked
    artificial (DW_AT_artificial: compiler-generated, no source), and
    line 0 on each of its instructions: inlined code then keeps its lines
    and its inline chain, under a caller that says it is generated.  This
    is metadata only: the machine code stays the same (bench/ checks)."""
    try:
        from llvmlite import ir
        from numba.core import codegen, config
        add = codegen.CPUCodeLibrary.add_ir_module
        ir.CallInstr, ir.DIToken  # noqa: B018 (features used below)
    except (ImportError, AttributeError):
        return
    optimized = getattr(config, "OPT", 3) != 0
    failed = []

    def add_ir_module(self, ir_module):
        undo = _mark_generated(ir, ir_module, optimized)
        if undo is None:
            return add(self, ir_module)
        try:
            return add(self, ir_module)
        except Exception as e:  # never fail a compilation for a profile
            undo()
            if not failed:
                failed.append(e)
                _warn("cannot describe Numba's generated code (%s: %s); "
                      "code inlined into it has no line table"
                      % (type(e).__name__, e))
            return add(self, ir_module)

    codegen.CPUCodeLibrary.add_ir_module = add_ir_module


def _is_call(ir, instr):
    """A call LLVM might inline: not one to an intrinsic."""
    if not isinstance(instr, ir.CallInstr):
        return False
    callee = getattr(instr, "callee", None)
    return not (isinstance(callee, ir.Function)
                and getattr(callee, "name", "").startswith("llvm."))


def _calls(ir, fn, unlocated_only):
    """Whether fn has a call LLVM might inline (one without a location,
    with unlocated_only)."""
    return any(_is_call(ir, instr)
               and not (unlocated_only and "dbg" in instr.metadata)
               for block in fn.blocks for instr in block.instructions)


def _operand(di, name, default=None):
    for key, value in getattr(di, "operands", ()):
        if key == name:
            return value
    return default


def _mark_generated(ir, module, optimized):
    """Give the functions of module that call something and have no
    DISubprogram an artificial one.  LLVM then wants every call that
    could be inlined, in a function with a subprogram, to have a
    location ("inlinable function call in a function with debug info
    must have a !dbg location"), and Numba leaves some of its calls in
    functions with line tables without one (reference counting in a
    function's prologue): give those the location before them, as the
    line table shows them anyway.  Return a function that takes it all
    back, or None when there was nothing to do."""
    fns, unlocated = [], []
    for fn in module.functions:
        if not fn.blocks:
            continue
        described = "dbg" in fn.metadata
        if _calls(ir, fn, described):
            (unlocated if described else fns).append(fn)
    if not fns and not unlocated:
        return None
    metadata_nr = len(module.metadata)
    named = {k: list(v.operands) for k, v in module.namedmetadata.items()}
    marked = []

    def undo():
        for obj in marked:
            obj.metadata.pop("dbg", None)
        kept = module.metadata[:metadata_nr]
        del module.metadata[metadata_nr:]
        ids = set(map(id, kept))
        cache = module._metadatacache
        for key in [k for k, v in cache.items() if id(v) not in ids]:
            del cache[key]
        for key in list(module.namedmetadata):
            if key in named:
                module.namedmetadata[key].operands[:] = named[key]
            else:
                del module.namedmetadata[key]

    if unlocated:
        _locate_calls(ir, module, unlocated, marked)
    if fns:
        _describe_functions(ir, module, fns, optimized, marked)
    return undo


def _locate_calls(ir, module, fns, marked):
    """Give each call without a location in fns the location before it,
    in block order, else the function's own line."""
    for fn in fns:
        last = None
        for block in fn.blocks:
            for instr in block.instructions:
                if "dbg" not in instr.metadata and _is_call(ir, instr):
                    if last is None:
                        sub = fn.metadata["dbg"]
                        last = module.add_debug_info("DILocation", {
                            "line": _operand(sub, "line", 0),
                            "column": 0, "scope": sub})
                    instr.set_metadata("dbg", last)
                    marked.append(instr)
                elif "dbg" in instr.metadata:
                    last = instr.metadata["dbg"]


def _describe_functions(ir, module, fns, optimized, marked):
    """An artificial subprogram, and line 0, for each function of fns."""
    from numba.core import debuginfo
    difile = module.add_debug_info("DIFile", {
        "filename": GENERATED_FILE, "directory": ""})
    unit = module.add_debug_info("DICompileUnit", {
        "language": ir.DIToken("DW_LANG_C_plus_plus"),
        "file": difile,
        "producer": "clang (Numba)",  # as Numba's own, for gdb
        "runtimeVersion": 0,
        "isOptimized": optimized,
        "emissionKind": 1,
    }, is_distinct=True)
    fntype = module.add_debug_info("DISubroutineType", {
        "types": module.add_metadata([])})
    for fn in fns:
        sub = module.add_debug_info("DISubprogram", {
            "name": fn.name,
            "linkageName": fn.name,
            "scope": difile,
            "file": difile,
            "line": 0,
            "type": fntype,
            "isLocal": False,
            "isDefinition": True,
            "scopeLine": 0,
            "flags": ir.DIToken("DIFlagArtificial"),
            "isOptimized": optimized,
            "unit": unit,
        }, is_distinct=True)
        loc = module.add_debug_info("DILocation", {
            "line": 0, "column": 0, "scope": sub})
        fn.set_metadata("dbg", sub)
        marked.append(fn)
        for block in fn.blocks:
            for instr in block.instructions:
                if "dbg" not in instr.metadata:
                    instr.set_metadata("dbg", loc)
                    marked.append(instr)
    module.add_named_metadata("llvm.dbg.cu", unit)
    flags = module.add_named_metadata("llvm.module.flags")
    have = " ".join(str(op) for op in flags.operands)
    versions = (("Dwarf Version", getattr(debuginfo.DIBuilder, "DWARF_VERSION", 4)),
                ("Debug Info Version",
                 getattr(debuginfo.DIBuilder, "DEBUG_INFO_VERSION", 3)))
    for name, value in versions:
        if value is not None and '"%s"' % name not in have:
            flags.add(module.add_metadata(
                [ir.IntType(32)(2), name, ir.IntType(32)(value)]))


ARRAY_EXPR_PREFIX = "__numba_array_expr_"


def _array_exprs_at_their_lines(array_exprs):
    """Numba compiles an array expression (`a * b + c` on arrays) as a
    function of its own, built from an AST parsed from a one-line stub:
    its code says line 1 of the user's file, the docstring or import
    there.  Move that AST to the line of the expression before Numba
    compiles it, so the expression's samples are at its own line.  Only
    line numbers change."""
    import ast
    lower = getattr(array_exprs, "_lower_array_expr", None)
    if not callable(lower):
        return
    lines = []

    def _lower_array_expr(lowerer, expr):
        loc = getattr(expr, "loc", None)
        lines.append(getattr(loc, "line", None))
        try:
            return lower(lowerer, expr)
        finally:
            lines.pop()

    def compile_at_line(source, filename, mode, *args, **kwargs):
        line = lines[-1] if lines else None
        if (isinstance(line, int) and line > 1
                and isinstance(source, ast.Module) and source.body
                and isinstance(source.body[0], ast.FunctionDef)
                and source.body[0].name.startswith(ARRAY_EXPR_PREFIX)):
            ast.increment_lineno(source, line - source.body[0].lineno)
        return compile(source, filename, mode, *args, **kwargs)

    array_exprs._lower_array_expr = _lower_array_expr
    array_exprs.compile = compile_at_line


def _parfor_stubs_at_their_loops(parfor_lowering):
    """Numba compiles the body of a prange loop into a function built
    from a stub of Python text (the schedule loop, the reduction
    variables), whose statements are at lines 1-8 of "<string>"; the
    loop's counter, compare and branch are there, and with them the
    samples that skid onto them, and the function's prologue is at its
    "def".  Put those statements and the function itself at the line of
    the prange loop (or of the parallel expression) instead, so that
    their time is the loop's.  Only line numbers change."""
    create = getattr(parfor_lowering, "_create_gufunc_for_parfor_body", None)
    if not callable(create):
        return

    def at_line(run_frontend, line):
        def run_frontend_at_loop(func, *args, **kwargs):
            func_ir = run_frontend(func, *args, **kwargs)
            code = getattr(func, "__code__", None)
            if (code is None
                    or not code.co_name.startswith("__numba_parfor_gufunc")):
                return func_ir
            for block in func_ir.blocks.values():
                for stmt in block.body:
                    loc = getattr(stmt, "loc", None)
                    if getattr(loc, "filename", None) == code.co_filename:
                        stmt.loc = loc.with_lineno(line)
            # The function's own line: its subprogram's, and that of its
            # prologue, which would stay at the stub's "def".
            loc = getattr(func_ir, "loc", None)
            if getattr(loc, "filename", None) == code.co_filename:
                func_ir.loc = loc.with_lineno(line)
            return func_ir
        return run_frontend_at_loop

    # numba.core.compiler may be half-imported when this module is: look
    # run_frontend up at each call (under Numba's compiler lock).
    def _create_gufunc_for_parfor_body(lowerer, parfor, *args, **kwargs):
        compiler = getattr(parfor_lowering, "compiler", None)
        run_frontend = getattr(compiler, "run_frontend", None)
        line = getattr(getattr(parfor, "loc", None), "line", None)
        if not callable(run_frontend) or not isinstance(line, int) or line < 1:
            return create(lowerer, parfor, *args, **kwargs)
        compiler.run_frontend = at_line(run_frontend, line)
        try:
            return create(lowerer, parfor, *args, **kwargs)
        finally:
            compiler.run_frontend = run_frontend

    parfor_lowering._create_gufunc_for_parfor_body = \
        _create_gufunc_for_parfor_body


def _quiet_missing_source():
    """Numba warns when it cannot find the source of a function it emits
    debug info for; parfor gufuncs are generated code with no source, so
    a plain run never shows that warning and a profiled one must not."""
    import warnings
    try:
        from numba.core import lowering
        from numba.core.errors import NumbaDebugInfoWarning
        compute = lowering.Lower._compute_def_location
    except (ImportError, AttributeError):
        return

    def _compute_def_location(self):
        if getattr(self.flags, "debuginfo", True):
            return compute(self)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", NumbaDebugInfoWarning)
            return compute(self)

    lowering.Lower._compute_def_location = _compute_def_location


# The modules patched once Python has loaded them, and how; numba's own
# imports must run first (patching from here imports what they need).
_PATCHES = {
    "numba.core.compiler": _patch,
    "numba.np.ufunc.array_exprs": _array_exprs_at_their_lines,
    "numba.parfors.parfor_lowering": _parfor_stubs_at_their_loops,
}


class _Loader(importlib.abc.Loader):
    def __init__(self, loader, patch):
        self._loader = loader
        self._patch = patch

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        self._patch(module)


class _Finder(importlib.abc.MetaPathFinder):
    """Waits for the modules of _PATCHES and patches each once loaded."""

    def __init__(self, waiting):
        self._waiting = waiting

    def find_spec(self, name, path, target=None):
        patch = self._waiting.pop(name, None)
        if patch is None:
            return None
        if not self._waiting:
            sys.meta_path.remove(self)
        # Find it as Python would have, without this finder.
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                break
        else:
            return None
        if spec.loader is not None:
            spec.loader = _Loader(spec.loader, patch)
        return spec


def _events_fd():
    """The pipe pf-record reads compile times from, or None.  The number
    in PF_EVENTS_FD is only trusted while it is still that pipe (same
    device and inode as PF_EVENTS_ID): a process started by the program
    may have inherited the variable but not the descriptor, and the
    number may be another file there.  Such a process (a worker that
    multiprocessing spawns, with its descriptors closed) opens the pipe
    anew through the process that has it, PF_EVENTS_OWNER, which the
    first process to find the pipe sets for the processes it starts."""
    import stat
    try:
        fd = int(os.environ["PF_EVENTS_FD"])
        dev, ino = (int(x) for x in os.environ["PF_EVENTS_ID"].split(":"))
    except (KeyError, ValueError):
        return None

    def is_the_pipe(n):
        try:
            st = os.fstat(n)
        except OSError:
            return False
        return stat.S_ISFIFO(st.st_mode) and (st.st_dev, st.st_ino) == (dev, ino)

    if is_the_pipe(fd):
        os.environ["PF_EVENTS_OWNER"] = str(os.getpid())
        return fd
    owner = os.environ.get("PF_EVENTS_OWNER")
    if not owner:
        return None
    try:
        fd = os.open("/proc/%s/fd/%d" % (owner, fd),
                     os.O_WRONLY | os.O_CLOEXEC)
    except (OSError, ValueError):
        return None
    if not is_the_pipe(fd):
        os.close(fd)
        return None
    return fd


class _CompileTimes:
    """Tells pf-record when each thread is in Numba's compiler, on the
    clock of the samples (CLOCK_MONOTONIC), so that the samples taken
    there count as compiling whatever code they hit (mostly Numba's own
    Python).  One line per event, shorter than PIPE_BUF so that lines
    of several threads never mix, as the recording's compile records
    (docs/FORMAT.md) but with NAME not escaped:

        compile TIME PID TID WHAT CACHE NAME

    WHAT is enter or leave (the outermost hold of Numba's compiler lock,
    held to compile and to load from Numba's cache), begin or end (Numba
    compiles NAME; CACHE is "cache" for a cache=True function, else "-")
    loaded (NAME came from Numba's cache) or saved (NAME was written to
    it).
    """

    def __init__(self, fd):
        import threading
        import time
        self._fd = fd
        self._local = threading.local()
        self._native_id = threading.get_native_id
        self._now = time.clock_gettime_ns
        self._clock = time.CLOCK_MONOTONIC

    def send(self, what, cache="-", name="-"):
        fd = self._fd
        if fd is None:
            return
        name = " ".join(str(name).split())[:1000] or "-"
        line = "compile %d %d %d %s %s %s\n" % (
            self._now(self._clock), os.getpid(), self._native_id(), what,
            cache, name)
        try:
            os.write(fd, line.encode("utf-8", "replace"))
        except OSError:
            self._fd = None  # pf-record is gone: profile without them

    def depth(self, change):
        depth = getattr(self._local, "depth", 0) + change
        self._local.depth = depth
        return depth


def _function_name(func):
    return (getattr(func, "__module__", None) or "?") + "." + \
        getattr(func, "__qualname__", getattr(func, "__name__", "?"))


def _compiled(ev):
    """CACHE and NAME of a numba:compile event."""
    data = ev.data if isinstance(ev.data, dict) else {}
    dispatcher = data.get("dispatcher")
    cache = getattr(dispatcher, "_cache", None)
    cached = cache is not None and type(cache).__name__ != "NullCache"
    return ("cache" if cached else "-",
            _function_name(getattr(dispatcher, "py_func", None)))


def _mark_compile_times(event):
    """Listen to Numba's own events (numba.core.event): the compiler
    lock, held while compiling and loading from the cache, and each
    function's compilation.  Without them, pf counts compiling by
    library (libLLVM) only."""
    fd = _events_fd()
    listener_base = getattr(event, "Listener", None)
    if fd is None or listener_base is None or \
            not callable(getattr(event, "register", None)):
        return
    times = _CompileTimes(fd)

    class Listener(listener_base):
        def on_start(self, ev):
            if ev.kind == "numba:compiler_lock":
                if times.depth(1) == 1:
                    times.send("enter")
                return
            times.send("begin", *_compiled(ev))

        def on_end(self, ev):
            if ev.kind == "numba:compiler_lock":
                if times.depth(-1) == 0:
                    times.send("leave")
                return
            times.send("end", *_compiled(ev))

    try:
        listener = Listener()
        event.register("numba:compiler_lock", listener)
        event.register("numba:compile", listener)
    except Exception as e:  # never fail an import for a profile
        _warn("cannot follow Numba's compilations (%s: %s); compile "
              "time is counted by library" % (type(e).__name__, e))
        return
    _TIMES.append(times)


# The _CompileTimes in use, once numba.core.event is loaded.
_TIMES = []


def _mark_cache_loads(caching):
    """A hold of the compiler lock that loaded code from Numba's cache
    and compiled nothing is loading, not compiling; the time from the
    end of a cache=True function's compilation until it is saved is
    compiling it into the cache."""
    cache = getattr(caching, "Cache", None)
    load = getattr(cache, "load_overload", None)
    if not callable(load):
        return

    def load_overload(self, sig, target_context):
        cres = load(self, sig, target_context)
        if cres is not None and _TIMES:
            _TIMES[0].send("loaded", "cache",
                           _function_name(getattr(self, "_py_func", None)))
        return cres

    cache.load_overload = load_overload
    save = getattr(cache, "save_overload", None)
    if not callable(save):
        return

    def save_overload(self, sig, data):
        try:
            return save(self, sig, data)
        finally:
            if _TIMES:
                _TIMES[0].send("saved", "cache",
                               _function_name(getattr(self, "_py_func",
                                                      None)))

    cache.save_overload = save_overload


# What runs in every mode: none of it changes compiled code.
_ALWAYS = {
    "numba.core.event": _mark_compile_times,
    "numba.core.caching": _mark_cache_loads,
}


def mode():
    """The mode install() was called with, or None."""
    return _INSTALLED[0] if _INSTALLED else None


def install(mode="lines"):
    """Patch Numba's modules as they are imported (those already
    imported at once): with mode "lines", for line tables on unchanged
    machine code; in every mode, for the compile times pf-record reads
    (when it started the process).  Once per process; later calls do
    nothing."""
    if _INSTALLED:
        return
    _INSTALLED.append(mode)
    patches = dict(_ALWAYS)
    if mode == "lines":
        patches.update(_PATCHES)
    waiting = {}
    for name, patch in patches.items():
        if name in sys.modules:
            patch(sys.modules[name])
        else:
            waiting[name] = patch
    if waiting:
        sys.meta_path.insert(0, _Finder(waiting))

