#!/bin/sh
# A call LLVM does not inline (recursion): both functions appear with
# their own lines, and the callee's samples carry no inline chain.
. "$(dirname "$0")/lib.sh"

py=$(find_numba_python) || skip_all "no Python interpreter with numba (apt-get install python3-numba)"
src=$TOP/tests/programs/recursive.py
recurse=$(grep -n '# RECURSE' "$src" | cut -d: -f1)
own=$(grep -n '# OWN-WORK' "$src" | cut -d: -f1)

test_expect 'record and symbolize a recursive function and its driver' '
	pf-record -q -F 1000 -o "$T/r.rec" -- "$py" "$src" 1 >/dev/null &&
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

# Code the compiler gave no line (FILE -) is common in a recursive
# function: its time is fib's, counted on line 0 of fib's file, shown
# in fib's header; none of fib's samples is left out or unresolved.
test_expect 'fib at no source line: its time, in its header' '
	pf-aggregate "$T/r.sym" >"$T/r.agg" &&
	n=$(awk "\$7 == \"jit\" && \$9 == \"fib\" && \$10 == \"-\"" "$T/r.sym" | wc -l) &&
	fib=$(awk "\$7 == \"jit\" && \$9 == \"fib\"" "$T/r.sym" | wc -l) &&
	echo "$fib samples of fib, $n at no line" &&
	awk -v want="$fib" -v f="$src" "\$1 == \"line\" && \$6 == f && \$8 == \"fib\" { s += \$2 }
		END { exit s != want }" "$T/r.agg" &&
	(cd "$T" && pf-annotate "$T/r.agg") >"$T/r.txt" &&
	all=$(awk "\$1 == \"total\" { print \$2 }" "$T/r.agg") &&
	share=$(awk -v n="$fib" -v a="$all" "BEGIN { printf \"%.1f%%\", 100 * n / a }") &&
	if [ "$n" -gt 0 ]; then
		grep -q "^line $n [0-9.]* $n [0-9.]* $src 0 fib$" "$T/r.agg" &&
		noline=$(awk -v n="$n" -v a="$all" "BEGIN { printf \"%.1f%%\", 100 * n / a }") &&
		grep -x "## $src, lines [0-9-]*, fib ($share) ($noline at no source line, --asm shows it)" "$T/r.txt"
	else
		grep -x "## $src, lines [0-9-]*, fib ($share)" "$T/r.txt"
	fi &&
	! grep -q "(not in the listing)" "$T/r.txt"
'

done_testing
