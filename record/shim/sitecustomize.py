"""pf start-up shim: line tables for Numba without changing its code.

pf-record puts this directory first on the child's PYTHONPATH, so Python
imports this file as `sitecustomize` at start-up (the way ddtrace-run and
opentelemetry-instrument do it).  It

  1. takes itself off sys.path and runs the `sitecustomize` that would
     have run without pf (the user's, or the system's), and
  2. once numba.core.compiler is imported, makes Numba emit line tables
     (DWARF subprograms and .debug_line, no variables) for code compiled
     exactly as it is without debug info: the compilation flags stay
     those of a plain run, so inlining, bounds checking, variable
     lifetimes and Numba's own SROA-like pass are untouched.

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

_HERE = os.path.dirname(os.path.abspath(__file__))
_MODE = os.environ.get("PF_SHIM_MODE", "lines")
_TARGET = "numba.core.compiler"


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
        if getattr(flags, "debuginfo", False):
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
    _array_exprs_at_their_lines()


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


def _calls_something(ir, fn):
    for block in fn.blocks:
        for instr in block.instructions:
            if isinstance(instr, ir.CallInstr):
                callee = getattr(instr, "callee", None)
                name = getattr(callee, "name", "")
                if not (isinstance(callee, ir.Function)
                        and name.startswith("llvm.")):
                    return True
    return False


def _mark_generated(ir, module, optimized):
    """Give the functions of module that call something and have no
    DISubprogram an artificial one; return a function that takes it all
    back, or None when there was nothing to do."""
    fns = [fn for fn in module.functions
           if fn.blocks and "dbg" not in fn.metadata
           and _calls_something(ir, fn)]
    if not fns:
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
    have = {str(op.operands[1]) for op in flags.operands
            if len(getattr(op, "operands", ())) > 1}
    for name, value in (("Dwarf Version", 4), ("Debug Info Version", 3)):
        if not any(name in h for h in have):
            flags.add(module.add_metadata(
                [ir.IntType(32)(2), name, ir.IntType(32)(value)]))
    return undo


ARRAY_EXPR_PREFIX = "__numba_array_expr_"


def _array_exprs_at_their_lines():
    """Numba compiles an array expression (`a * b + c` on arrays) as a
    function of its own, built from an AST parsed from a one-line stub:
    its code says line 1 of the user's file, the docstring or import
    there.  Move that AST to the line of the expression before Numba
    compiles it, so the expression's samples are at its own line.  Only
    line numbers change."""
    import ast
    try:
        from numba.np.ufunc import array_exprs
        lower = array_exprs._lower_array_expr
    except (ImportError, AttributeError):
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


class _Loader(importlib.abc.Loader):
    def __init__(self, loader):
        self._loader = loader

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        _patch(module)


class _Finder(importlib.abc.MetaPathFinder):
    """Waits for numba.core.compiler and patches it once loaded."""

    def find_spec(self, name, path, target=None):
        if name != _TARGET:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.loader is not None:
            spec.loader = _Loader(spec.loader)
        return spec


def _install():
    if _MODE != "lines":
        return
    if _TARGET in sys.modules:
        _patch(sys.modules[_TARGET])
    else:
        sys.meta_path.insert(0, _Finder())


_chain_sitecustomize()
_install()
