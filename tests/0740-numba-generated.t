#!/bin/sh
# Code Numba generates around the user's keeps the user's lines: small
# kernels written the usual ways (one prange loop, a parallel element-wise
# expression, a prange reduction), whose code LLVM may inline into
# Numba's gufunc wrapper, and an array expression, which Numba compiles
# as a function of its own.  Whether LLVM inlines depends on the machine;
# the lines must be there either way (tests/programs/small_kernels.py).
. "$(dirname "$0")/lib.sh"

py=$(find_numba_python) || skip_all "no Python interpreter with numba (apt-get install python3-numba)"
src=$TOP/tests/programs/small_kernels.py
line_of() {
	grep -n "# $1\$" "$src" | cut -d: -f1
}
for m in ONE ELEM RED EXPR; do
	eval "$m=$(line_of $m)"
done

test_expect 'record, symbolize, aggregate, annotate the small kernels' '
	NUMBA_NUM_THREADS=2 pf-record -q -F 1000 -o "$T/k.rec" -- "$py" "$src" 2 >/dev/null 2>"$T/k.err" &&
	pf-symbolize "$T/k.rec" >"$T/k.sym" 2>"$T/k.sym-err" &&
	! test -s "$T/k.sym-err" &&
	pf-aggregate "$T/k.sym" >"$T/k.agg" &&
	pf-annotate "$T/k.agg" >"$T/k.txt" && cat "$T/k.txt"
'

# Fewer than 10% of the JIT samples in code without line tables (the
# NOLINES field): Numba's runtime at most, not the kernels.
test_expect 'under 10% of the JIT samples are in code without line tables' '
	awk "\$1 == \"total\" { print \$3, \$9; exit !(\$3 > 500 && \$9 * 10 < \$3) }" "$T/k.agg" &&
	! grep "^nolines " "$T/k.agg" | grep -v " NRT_\| nrt_" | grep -q .
'

test_expect 'each kernel has samples at its own line in the user file' '
	for l in $ONE $ELEM $RED $EXPR; do
		awk -v f="$src" -v l=$l "\$1 == \"line\" && \$6 == f && \$7 == l && \$2 > 0 { ok = 1 }
			END { print l, ok ? \"has samples\" : \"has none\"; exit !ok }" "$T/k.agg" || return 1
	done
'

test_expect 'the kernels are named, none of Numba.s wrappers is' '
	for f in one_loop elementwise reduction expression; do
		grep -q " jit jit:[0-9]* $f $src [0-9]* " "$T/k.sym" || { echo "no $f"; return 1; }
	done &&
	! grep " jit jit:" "$T/k.sym" | grep -q " jit:[0-9]* \(__gufunc__\|cpython\.\|\.kernel\.\)"
'

test_expect 'the array expression is at its line, nothing at line 1 of the file' '
	grep -q " jit jit:[0-9]* __numba_array_expr_[0-9a-fx_]* $src $EXPR " "$T/k.sym" &&
	! awk -v f="$src" "\$7 == \"jit\" && \$10 == f && \$11 == 1" "$T/k.sym" | grep -q . &&
	! grep -q "^line [0-9]* [0-9.]* [0-9]* [0-9.]* $src 1 " "$T/k.agg"
'

test_expect 'no time left at the pseudo file of a prange stub' '
	! grep " jit jit:" "$T/k.sym" | grep -q " <string> "
'

done_testing
