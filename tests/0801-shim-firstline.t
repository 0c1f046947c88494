#!/bin/sh
# The shim's faster first-body-line look-up gives Numba's own answers.
. "$(dirname "$0")/lib.sh"

py=$(find_numba_python) || skip_all "no Python interpreter with numba (apt-get install python3-numba)"

test_expect 'same first body line as numba.misc.firstlinefinder, for every function of two modules' '
	PF_SHIM_MODE=lines PYTHONPATH=$TOP/record/shim "$py" -c "
import importlib, types
import numba.core.compiler
from numba.core import lowering
from numba.misc import firstlinefinder
fast, orig = lowering.get_func_body_first_lineno, firstlinefinder.get_func_body_first_lineno
assert fast is not orig, \"the shim did not install its look-up\"
n = bad = 0
# numba >= 0.59 keeps these in old_*.py behind redirecting modules.
for names in ((\"numba.cpython.old_numbers\", \"numba.cpython.numbers\"),
              (\"numba.cpython.old_mathimpl\", \"numba.cpython.mathimpl\")):
    for m in names:
        try:
            mod = importlib.import_module(m)
            break
        except ImportError:
            pass
    for obj in list(vars(mod).values()):
        if isinstance(obj, types.FunctionType) and obj.__code__.co_filename == mod.__file__:
            n += 1
            if fast(obj) != orig(obj):
                bad += 1
                print(\"differs:\", obj, orig(obj), fast(obj))
print(n, \"functions,\", bad, \"differ\")
assert n > 50 and bad == 0
"
'

done_testing
