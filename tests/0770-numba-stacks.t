#!/bin/sh
# pf-record -g on real Numba code: a recursive fib called three times
# as often from three() as from one().  The stacks unwind through
# Numba's code (its .eh_frame), the dispatcher and libpython to _start,
# and pf-aggregate splits fib's time 3:1 between the two call sites.
. "$(dirname "$0")/lib.sh"

py=$(find_numba_python) || skip_all "no Python interpreter with numba (apt-get install python3-numba)"
src=$TOP/tests/programs/fib_callers.py
three=$(grep -n '# THREE' "$src" | cut -d: -f1)
one=$(grep -n '# ONE' "$src" | cut -d: -f1)

test_expect 'record, symbolize and aggregate with call stacks' '
	pf-record -q -g -F 1000 -o "$T/f.rec" -- "$py" "$src" 3 >/dev/null &&
	pf-symbolize "$T/f.rec" >"$T/f.sym" &&
	pf-aggregate "$T/f.sym" >"$T/f.agg"
'

# The work is 3:1 by construction (fib(k) three times, then once);
# the split is exact but for the samples' own noise.
share_ok() {
	awk -v a="$1" -v b="$2" "BEGIN { s = a / (a + b); print a, b, s; exit !(a + b > 500 && s > 0.70 && s < 0.80) }"
}

test_expect 'the JIT samples unwind to _start, nearly all' '
	awk "\$1 == \"sample\" && \$7 == \"jit\" { print; next } \$1 != \"sample\"" "$T/f.sym" >"$T/f.jit" &&
	stack_chains "$T/f.jit" >"$T/f.chains" &&
	awk "{ n++ } / _start:0$/ { whole++ } END { print whole, \"of\", n; exit !(n > 1000 && whole >= 0.95 * n) }" "$T/f.chains"
'

test_expect 'every fib sample that unwound has three or one among its callers' '
	awk "\$1 == \"fib\" && / _start:0$/ { n++; if (/ (three|one):/) ok++ } END { print ok, \"of\", n; exit !(n > 500 && ok == n) }" "$T/f.chains"
'

# When LLVM inlined a level of fib into three or one, the call into fib
# is made from fib's inlined code, and the call site is an inlined one.
test_expect 'call records: three calls fib 3 times as much as one does' '
	calls() {
		awk -v c="$1" -v f="$src" -v l="$2" "\$1 == \"call\" && \$6 == c && \$7 == f && \$8 == l && \$11 == \"fib\" { n += \$2 }
			\$1 == \"callsite\" && \$6 == c && \$4 == f && \$5 == l && \$7 == \"fib\" { n += \$2 } END { print n + 0 }" "$T/f.agg"
	}
	share_ok "$(calls three "$three")" "$(calls one "$one")"
'

test_expect 'no call into a JIT function counts more than its total' '
	calls_within_totals "$T/f.agg"
'

test_expect 'line totals of the two call sites split 3:1 too' '
	a=$(awk -v f="$src" -v l="$three" "\$1 == \"line\" && \$6 == f && \$7 == l { print \$4 }" "$T/f.agg") &&
	b=$(awk -v f="$src" -v l="$one" "\$1 == \"line\" && \$6 == f && \$7 == l { print \$4 }" "$T/f.agg") &&
	share_ok "$a" "$b"
'

test_expect 'pf-annotate: the totals at the two call sites split 3:1' '
	(cd "$T" && pf-annotate f.agg) >"$T/f.txt" && cat "$T/f.txt" &&
	a=$(grep "# THREE   total" "$T/f.txt" | sed "s/.*total \([0-9.]*\)%.*/\1/") &&
	b=$(grep "# ONE   total" "$T/f.txt" | sed "s/.*total \([0-9.]*\)%.*/\1/") &&
	awk -v a="$a" -v b="$b" "BEGIN { s = a / (a + b); print a, b, s; exit !(s > 0.70 && s < 0.80) }" &&
	grep -q "^## .*fib_callers.py, lines [0-9-]*, fib (" "$T/f.txt" &&
	! grep "total [0-9][0-9][0-9]" "$T/f.txt"
'

test_expect 'folded stacks: the samples under the two call sites split 3:1' '
	pf-aggregate -f folded "$T/f.sym" >"$T/f.folded" &&
	a=$(awk -v p="three (fib_callers.py:$three);" "index(\$0, p) { n += \$NF } END { print n + 0 }" "$T/f.folded") &&
	b=$(awk -v p="one (fib_callers.py:$one);" "index(\$0, p) { n += \$NF } END { print n + 0 }" "$T/f.folded") &&
	share_ok "$a" "$b" &&
	grep -q "^_start (python3[.0-9]*);.*;fib (fib_callers.py:[0-9]*) [0-9]*$" "$T/f.folded"
'

test_expect 'pprof: go tool pprof -top -cum splits them 3:1, -list shows the lines' '
	command -v go >/dev/null || { echo "go is not installed (apt-get install golang-go)"; exit 1; } &&
	pf-aggregate -f pprof "$T/f.sym" >"$T/f.pb.gz" &&
	go tool pprof -unit ms -top -cum -nodecount 200 "$T/f.pb.gz" >"$T/f.top" 2>"$T/f.err" &&
	! grep -q . "$T/f.err" &&
	a=$(awk "\$NF == \"three\" { sub(/ms/, \"\", \$4); print \$4 }" "$T/f.top") &&
	b=$(awk "\$NF == \"one\" { sub(/ms/, \"\", \$4); print \$4 }" "$T/f.top") &&
	share_ok "$a" "$b" &&
	go tool pprof -list "^three$" "$T/f.pb.gz" >"$T/f.list" 2>&1 && cat "$T/f.list" &&
	grep -q "^ *[.0-9]*m\\?s\\? *[0-9.]*m\\?s *$three: .*# THREE$" "$T/f.list"
'

test_expect 'parallel=True: the worker threads unwind to clone3, the main thread to _start' '
	NUMBA_NUM_THREADS=2 pf-record -q -g -F 1000 -o "$T/p.rec" -- "$py" "$TOP/tests/programs/prange.py" 1 >/dev/null &&
	pf-symbolize --no-code "$T/p.rec" >"$T/p.sym" &&
	pf-aggregate -T -f folded "$T/p.sym" >"$T/p.folded" &&
	grep "kernel (prange.py:" "$T/p.folded" |
		awk -F";" "{ n = \$NF; sub(/.* /, \"\", n); all += n; if (\$2 ~ /^(_start|clone3) /) whole += n
			if (\$2 ~ /^clone3 /) workers += n }
		END { print whole, \"of\", all, \"whole,\", workers, \"in workers\"; exit !(all > 500 && whole >= 0.95 * all && workers > 0.2 * all) }"
'

test_expect 'NumPy called from Python: its native frames unwind to _start' '
	pf-record -q -g -F 1000 -o "$T/n.rec" -- "$py" -c "import numpy as np; a = np.random.default_rng(1).random(1000000); [np.sort(a) for _ in range(15)]" &&
	pf-symbolize --no-code "$T/n.rec" >"$T/n.sym" &&
	pf-aggregate -f folded "$T/n.sym" >"$T/n.folded" &&
	grep "(_multiarray_umath[^;]*) [0-9]*$\|\[_multiarray_umath[^;]*\] [0-9]*$" "$T/n.folded" >"$T/n.numpy" &&
	awk "{ n = \$NF; all += n; if (/^_start /) whole += n } END { print whole, \"of\", all; exit !(all > 200 && whole >= 0.95 * all) }" "$T/n.numpy"
'

test_expect 'a line total never exceeds the samples' '
	awk "\$1 == \"total\" { all = \$2 } \$1 == \"line\" || \$1 == \"call\" || \$1 == \"callsite\" { t = (\$1 == \"line\") ? \$4 : \$2; if (t > all) bad++ }
	     END { exit bad > 0 || !all }" "$T/f.agg"
'

done_testing
