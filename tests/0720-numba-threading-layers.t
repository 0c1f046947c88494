#!/bin/sh
# parallel=True under each threading layer this machine has: every
# worker thread is sampled, and the prange loop's lines are the user's,
# 90:10 within 3 points: tests/programs/prange.py runs the same inner
# loop 9 times and once, tests/programs/prange_branch.py one of two
# loops of the same cost in 9 of 10 outer iterations and the other in
# the tenth, so the split holds whatever LLVM makes of them, inlined
# into Numba's gufunc wrapper or not (the smaller branch kernel is on
# some machines and Numba versions, the other is not).
. "$(dirname "$0")/lib.sh"

py=$(find_numba_python) || skip_all "no Python interpreter with numba (apt-get install python3-numba)"

layer_works() {
	NUMBA_THREADING_LAYER=$1 "$py" -c "
from numba import njit, prange, threading_layer
import numpy as np
@njit(parallel=True)
def f(a):
    s = 0.0
    for i in prange(a.shape[0]):
        s += a[i]
    return s
f(np.ones(100))
assert threading_layer() == '$1'
" >/dev/null 2>&1
}

for layer in workqueue omp tbb; do
	if ! layer_works $layer; then
		echo "# threading layer $layer is not available here"
		continue
	fi
	for prog in prange prange_branch; do
		src=$TOP/tests/programs/$prog.py
		ninety=$(grep -n '# NINETY' "$src" | cut -d: -f1)
		ten=$(grep -n '# TEN' "$src" | cut -d: -f1)
		r=$T/$layer.$prog
		test_expect "$layer, $prog.py: all threads sampled, 90:10 lines in the user's file within 3 points" '
			NUMBA_THREADING_LAYER='$layer' NUMBA_NUM_THREADS=2 \
				pf-record -q -F 1000 -o "'$r'.rec" -- "$py" "'$src'" 2 >/dev/null &&
			pf-symbolize "'$r'.rec" >"'$r'.sym" &&
			pf-aggregate -g line,thread "'$r'.sym" >"'$r'.agg" &&
			awk "\$1 == \"threadtotal\" && \$4 > 200 { n++ } END { print n, \"busy threads\"; exit !(n >= 2) }" "'$r'.agg" &&
			awk -v a="'$ninety'" -v b="'$ten'" -v f="'$src'" "
				\$1 == \"line\" && \$6 == f && \$7 == a { n90 = \$2 }
				\$1 == \"line\" && \$6 == f && \$7 == b { n10 = \$2 }
				END { s = n90 + n10; print n90, n10, s ? 100 * n90 / s : 0
				      exit !(n10 > 0 && 100 * n90 >= 87 * s && 100 * n90 <= 93 * s) }
			" "'$r'.agg" &&
			! grep -q " <string> " "'$r'.sym"
		'
	done
done

[ "$test_count" -gt 0 ] || skip_all "no threading layer works"
done_testing
