#!/bin/sh
# A call LLVM does not inline (recursion): both functions appear with
# their own lines, and the callee's samples carry no inline chain.
. "$(dirname "$0")/lib.sh"

py=$(find_numba_python) || skip_all "no Python interpreter with numba (apt-get install python3-numba)"
src=$TOP/tests/programs/recursive.py
recurse=$(grep -n '# RECURSE' "$src" | cut -d: -f1)
own=$(grep -n '# OWN-WORK' "$src" | cut -d: -f1)

test_expect 'record and symbolize a recursive function and its driver' '
	pf-record -q -o "$T/r.rec" -- "$py" "$src" 1 >/dev/null &&
	pf-symbolize "$T/r.rec" >"$T/r.sym"
'

test_expect 'fib has samples at its own recursive line, outside any chain' '
	n=$(grep -c " jit jit:[0-9]* fib $src $recurse -$" "$T/r.sym") &&
	echo "$n samples" && [ "$n" -gt 50 ]
'

test_expect 'the driver has samples at its own loop (header or body)' '
	n=$(awk -v f="$src" -v a=$((own - 1)) -v b="$own" \
		"\$9 == \"driver\" && \$10 == f && (\$11 == a || \$11 == b) && \$12 == \"-\"" \
		"$T/r.sym" | wc -l) &&
	echo "$n samples" && [ "$n" -gt 50 ]
'

test_expect 'fib is not credited to the driver'"'"'s lines' '
	! grep -q " jit jit:[0-9]* driver $src $recurse " "$T/r.sym"
'

done_testing
