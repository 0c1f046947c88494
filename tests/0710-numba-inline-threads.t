#!/bin/sh
# The whole pipeline on real Numba code: a helper that LLVM inlines
# (tests/programs/inlined.py) and a parallel=True kernel run by two
# threads (tests/programs/prange.py): call sites, threads, labels.
. "$(dirname "$0")/lib.sh"

py=$(find_numba_python) || skip_all "no Python interpreter with numba (apt-get install python3-numba)"
[ -n "$py" ] || skip_all "no Python interpreter with numba (apt-get install python3-numba)"
prog=$TOP/tests/programs
inl=$prog/inlined.py
call=$(grep -n '# CALL' "$inl" | cut -d: -f1)
ninety=$(grep -n '# NINETY' "$prog/prange.py" | cut -d: -f1)
# A line of the NINETY loop in a listing: its source, or "line N" when
# the source file of the parfor code is not known.
hot="^ *[0-9.]*% | \(.*# NINETY\|line $ninety\)"

test_expect 'inlined.py: record, symbolize, aggregate, annotate' '
	pf-record -q -F 1000 -o "$T/inl.rec" -- "$py" "$inl" 1 >/dev/null 2>"$T/inl.err" &&
	pf-symbolize "$T/inl.rec" >"$T/inl.sym" &&
	pf-aggregate -T "$T/inl.sym" >"$T/inl.agg" &&
	(cd "$TOP" && pf-annotate "$T/inl.agg") >"$T/inl.txt" 2>"$T/inl.aerr" &&
	cat "$T/inl.txt" && test ! -s "$T/inl.aerr"
'

test_expect 'inlined.py: helper samples carry the call site (else nothing is tested)' '
	grep -q " jit jit:[0-9]* helper [^ ]*inlined.py [0-9]* caller@[^ ]*inlined.py:$call\$" "$T/inl.sym"
'

test_expect 'inlined.py: a callsite record, as many samples as the chains say' '
	n=$(grep "^sample " "$T/inl.sym" | grep -c " helper [^ ]*inlined.py [0-9]* caller@[^ ]*inlined.py:$call\$") &&
	grep "^callsite $n [0-9.]* [^ ]*inlined.py $call caller helper\$" "$T/inl.agg" &&
	awk -v c="$call" "\$1 == \"line\" && \$6 ~ /inlined.py\$/ && \$7 == c { t = \$4 }
		\$1 == \"callsite\" && \$4 ~ /inlined.py\$/ && \$5 == c { s = \$2 }
		END { exit !(s > 0 && t >= s) }" "$T/inl.agg"
'

test_expect 'inlined.py: the call line is marked, the helper listed by itself' '
	grep -q "^ *[0-9.]*% |.*helper(a\[i\] + r)  # CALL   total [0-9.]*%  <- inlined helper()\$" "$T/inl.txt" &&
	grep -q "^## tests/programs/inlined.py, lines* [0-9-]*, helper ([0-9.]*%)\$" "$T/inl.txt" &&
	grep -q "^ *[1-9][0-9.]*% | .*# HELPER-" "$T/inl.txt"
'

test_expect 'inlined.py: one thread, no thread summary; the interpreter by name' '
	! grep -q "^# thread " "$T/inl.txt" &&
	grep -q "^# outside JIT code: .*Python interpreter (python3" "$T/inl.txt"
'

test_expect 'inlined.py: labels for the compiler and the kernel when they have samples' '
	if grep -q "^compiling [1-9]" "$T/inl.agg"; then
		grep -q "Numba compiling ([0-9.]* s, [0-9]* functions\{0,1\}" "$T/inl.txt"
	fi &&
	! grep -q "^#.*\[kernel\]" "$T/inl.txt" &&
	! grep -q "^#.* python3\.[0-9]* (" "$T/inl.txt"
'

test_expect 'prange.py: record, symbolize, aggregate --per-thread' '
	pf-record -q -F 1000 -o "$T/par.rec" -- "$py" "$prog/prange.py" 1 >/dev/null 2>"$T/par.err" &&
	pf-symbolize "$T/par.rec" >"$T/par.sym" &&
	pf-aggregate --per-thread "$T/par.sym" >"$T/par.agg"
'
test_expect 'prange.py and inlined.py: spans say what the samples say' '
	spans_agree "$T/inl.sym" && spans_agree "$T/par.sym" >"$T/par.agree" &&
	cat "$T/par.agree" && test "$(cut -d" " -f1 "$T/par.agree")" -gt 0
'

test_expect 'prange.py: two threads ran JIT code' '
	awk "\$1 == \"threadtotal\" && \$4 > 20 { n++ } END { exit !(n >= 2) }" "$T/par.agg"
'

test_expect 'prange.py: thread records add up to the total' '
	awk "\$1 == \"total\" { n = \$2; j = \$3 } \$1 == \"threadtotal\" { s += \$2; sj += \$4 }
	     END { exit !(s == n && sj == j) }" "$T/par.agg"
'

test_expect 'prange.py: the summary has a line per thread' '
	(cd "$TOP" && pf-annotate "$T/par.agg") >"$T/par.txt" 2>"$T/par.aerr" &&
	cat "$T/par.txt" && test ! -s "$T/par.aerr" &&
	test "$(grep -c "^# thread [0-9]* .*: [0-9]* samples, [0-9.]*% in JIT code\$" "$T/par.txt")" -eq \
		"$(grep -c "^threadtotal " "$T/par.agg")"
'

# The summary names the four biggest groups only: whether libgomp is one
# of them depends on the run (0407 tests the labels on fixed data).
test_expect 'prange.py: the OpenMP runtime by name when the summary shows it' '
	if grep -q "^#.*libgomp" "$T/par.txt"; then
		grep -q "OpenMP runtime (libgomp[^ ]*; workers spinning or waiting)" "$T/par.txt"
	fi
'

test_expect 'prange.py: -t of the second thread, percentages of its samples' '
	tid=$(awk "\$1 == \"threadtotal\" { n++; if (n == 2) print \$7 }" "$T/par.agg") &&
	samples=$(awk "\$1 == \"threadtotal\" { n++; if (n == 2) print \$2 }" "$T/par.agg") &&
	(cd "$TOP" && pf-annotate -t "$tid" "$T/par.agg") >"$T/par.t" &&
	cat "$T/par.t" &&
	grep -q "^# listing of thread $tid .*only: $samples samples, percentages of these\$" "$T/par.t" &&
	grep -q "$hot" "$T/par.t"
'

test_expect 'prange.py: --each-thread, a heading and a listing per thread' '
	(cd "$TOP" && pf-annotate --each-thread "$T/par.agg") >"$T/par.each" &&
	test "$(grep -c "^### thread " "$T/par.each")" -eq "$(grep -c "^threadtotal " "$T/par.agg")" &&
	test "$(grep -c "$hot" "$T/par.each")" -ge 2
'

done_testing
