#!/bin/sh
# pf-record -g on a loop whose time goes outside Numba's code (Numba's
# runtime, BLAS, libm, the allocator), as in an orbit propagator: the
# user's loop lines carry that time as their total, and say what they
# called.
. "$(dirname "$0")/lib.sh"

py=$(find_numba_python) || skip_all "no Python interpreter with numba (apt-get install python3-numba)"
src=$TOP/tests/programs/outside_calls.py
rotate=$(grep -n '# ROTATE' "$src" | cut -d: -f1)
wave=$(grep -n '# WAVE' "$src" | cut -d: -f1)

test_expect 'record, symbolize and aggregate with call stacks' '
	pf-record -q -g -F 1000 -o "$T/o.rec" -- "$py" "$src" 3 >/dev/null &&
	pf-symbolize "$T/o.rec" >"$T/o.sym" &&
	pf-aggregate "$T/o.sym" >"$T/o.agg"
'

# Each sample under propagate, as "KIND OBJECT": where its time went.
under_propagate() {
	awk "\$1 == \"stack\" { par[\$2] = \$4; fn[\$2] = \$8; inl[\$2] = \$11; next }
	     \$1 == \"sample\" { hit = (\$9 == \"propagate\" || \$12 ~ /propagate@/)
		for (n = \$13; n != 0 && !hit; n = par[n]) hit = (fn[n] == \"propagate\" || inl[n] ~ /propagate@/)
		if (hit) print \$7, \$8 }" "$T/o.sym"
}

test_expect 'much of the loop is outside JIT code with lines: runtime, libraries' '
	under_propagate >"$T/under" &&
	awk "{ n++ } \$1 != \"jit\" { out++ } END { print out, \"of\", n, \"outside JIT code\"; exit !(n > 1000 && out > 0.1 * n) }" "$T/under"
'

test_expect 'the loop lines carry all the time of the loop as their total' '
	p=$(awk -v f="$src" "\$1 == \"functiontotal\" && \$4 == f && \$5 == \"propagate\" { print \$2 }" "$T/o.agg") &&
	a=$(awk -v f="$src" -v l="$rotate" "\$1 == \"line\" && \$6 == f && \$7 == l { print \$4 }" "$T/o.agg") &&
	b=$(awk -v f="$src" -v l="$wave" "\$1 == \"line\" && \$6 == f && \$7 == l { print \$4 }" "$T/o.agg") &&
	n=$(wc -l <"$T/under") &&
	echo "propagate $p (samples under it: $n), ROTATE $a, WAVE $b" &&
	# a sample in propagate'"'"'s wrapper alone has no line: not its total
	[ "$p" -le "$n" ] && [ "$p" -ge $((n * 99 / 100)) ] &&
	[ $((a + b)) -ge $((p * 95 / 100)) ] && [ $((a + b)) -le "$p" ]
'

test_expect 'no call into a JIT function counts more than its total' '
	calls_within_totals "$T/o.agg"
'

test_expect 'pf-annotate: the loop first, its lines with their totals and calls' '
	(cd "$TOP" && pf-annotate "$T/o.agg") >"$T/o.txt" && cat "$T/o.txt" &&
	grep "^## " "$T/o.txt" | grep -v "no line table" | head -1 | grep -q "outside_calls.py, lines [0-9-]*, propagate (" &&
	grep -q "# ROTATE   total [0-9.]*%  <- \\(inlined\\|calls\\) " "$T/o.txt"
'

done_testing
