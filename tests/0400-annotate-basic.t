#!/bin/sh
# pf-annotate: options, the summary, the annotated source, paths.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/golden.sh"

D=$TOP/tests/data
# ann-basic.agg names its source files @DATA@/...: make them absolute.
sed "s|@DATA@|$D|g" "$D/ann-basic.agg" >"$T/basic.agg"

test_expect '--help prints the synopsis to stdout and exits 0' '
	pf-annotate --help >"$T/help" &&
	grep "^usage: pf-annotate \[-n\] \[--min-percent=P\] \[-t TID | --each-thread | -p PID | --each-process\] \[--asm\[=att\]\] \[-f NAME\] \[--html\] \[FILE\]$" "$T/help" &&
	grep "^Exit status" "$T/help"
'

test_expect '--version' '
	pf-annotate -V >"$T/version" &&
	echo "pf-annotate 0.1" >"$T/version.expected" &&
	test_cmp "$T/version.expected" "$T/version"
'

test_expect 'usage errors exit 64' '
	test_must_fail 64 pf-annotate --bogus "$T/basic.agg" >/dev/null 2>"$T/err" &&
	grep "^usage: pf-annotate" "$T/err" &&
	test_must_fail 64 pf-annotate --min-percent=abc "$T/basic.agg" >/dev/null 2>"$T/err" &&
	grep "min-percent: .abc. is not a number from 0 to 100" "$T/err" &&
	test_must_fail 64 pf-annotate --min-percent=101 "$T/basic.agg" >/dev/null 2>&1 &&
	test_must_fail 64 pf-annotate -m -1 "$T/basic.agg" >/dev/null 2>&1 &&
	test_must_fail 64 pf-annotate --min-percent= "$T/basic.agg" >/dev/null 2>&1 &&
	test_must_fail 64 pf-annotate "$T/basic.agg" "$T/basic.agg" >/dev/null 2>&1
'

test_expect 'a missing input file is a fatal error' '
	test_must_fail 2 pf-annotate "$T/no-such-file" >/dev/null 2>"$T/err" &&
	grep "cannot open" "$T/err"
'

test_expect 'annotated source, run from the top directory (golden)' '
	(cd "$TOP" && pf-annotate "$T/basic.agg") >"$T/out" 2>"$T/err" &&
	test_golden ann-basic.out "$T/out" &&
	test ! -s "$T/err"
'

# The total record is an older one, of seven fields: its UNRESOLVED
# (26) counted the unknown samples (10) and the 16 JIT samples without
# a line, 10 of them on line 0 of moving_average: 6 are not listed.
test_expect 'summary: samples, outside, unresolved, lost; the command' '
	sed -n 1,4p "$T/out" >"$T/summary" &&
	cat >"$T/summary.expected" <<-\EOT &&
	# 1030 samples, 9.7% outside JIT code, 1.0% unresolved
	# 3 samples lost (ring buffer full): shares may be skewed
	# command: python3 tests/data/simple.py --label '"'"'my run'"'"'
	# 0.6% of samples are in JIT code at no source line (not in the listing)
	EOT
	test_cmp "$T/summary.expected" "$T/summary"
'

test_expect 'the command line says how the command ended, if not well' '
	printf "# pf-aggregate 2\nmeta command ./prog it%%27s\nexit 1 139 SIGSEGV\ntotal 0 0 0 0 0 0 0\n" >"$T/segv.agg" &&
	pf-annotate "$T/segv.agg" >"$T/segv.out" &&
	printf "# command: ./prog \047it\047\\\\\047\047s\047 (killed by SIGSEGV)\n" >"$T/segv.expected" &&
	grep -F -x -f "$T/segv.expected" "$T/segv.out" &&
	printf "# pf-aggregate 2\nmeta command ./prog\nexit 1 3 exited\ntotal 0 0 0 0 0 0 0\n" >"$T/three.agg" &&
	pf-annotate "$T/three.agg" >"$T/three.out" &&
	grep -x "# command: ./prog (exit status 3)" "$T/three.out"
'

test_expect 'outside summary: well-known objects by label, top functions' '
	grep "^# outside JIT code: 4.4% Python interpreter (python3.11: _PyEval_EvalFrameDefault 2.9%, PyObject_Call 1.2%),$" "$T/out" &&
	grep "^#   2.4% kernel (system calls, page faults), 1.9% libm (pow 1.9%), 1.0% unknown$" "$T/out"
'

test_expect 'function header: file relative to cwd, range, self, total, at no line' '
	grep -x "## tests/data/simple.py, lines 15-19, moving_average (65.0%, total 82.5%) (1.0% at no source line)" "$T/out"
'

test_expect 'every line of the range, blank where no sample hit' '
	sed -n "/moving_average/,/^##/p" "$T/out" | sed "1d;\$d" >"$T/ma" &&
	cat >"$T/ma.expected" <<-\EOT &&
	  3.9% |     for i in range(len(timeseries)):
	       |         # This should be the most expensive line:
	 58.3% |         result[i] = (7 + timeseries[i] / 9 + (timeseries[i] ** 2) / 7) / 5
	  1.9% |     for i in range(len(result)):
	  0.0% |         result[i] -= helper(result[i])   total 17.5%
	EOT
	test_cmp "$T/ma.expected" "$T/ma"
'

test_expect 'tabs in the source are kept' '
	printf " 14.6%% | \treturn x * x + 1\n" >"$T/tab.expected" &&
	grep "return x \* x" "$T/out" >"$T/tab" &&
	test_cmp "$T/tab.expected" "$T/tab"
'

test_expect 'a missing source file: a note and the lines with samples' '
	grep -A2 -x "## /nonexistent/pf-test/gone.py (source not found), vanished (3.9%)" "$T/out" >"$T/gone" &&
	printf "%s\n" "## /nonexistent/pf-test/gone.py (source not found), vanished (3.9%)" \
		"  1.0% | line 4" "  2.9% | line 12" >"$T/gone.expected" &&
	test_cmp "$T/gone.expected" "$T/gone"
'

test_expect 'a line past the end of the source file is still shown' '
	grep -A1 -x "## tests/data/simple.py, line 40, stale (0.6%)" "$T/out" | grep -x "  0.6% | line 40 (past the end of the file)"
'

test_expect 'files hottest first, functions hottest first in each file' '
	grep "^## " "$T/out" | sed "s/,.*//; s/ (source not found)//" | uniq >"$T/files" &&
	printf "%s\n" "## tests/data/simple.py" "## /nonexistent/pf-test/gone.py" "## tests/data/other.py" >"$T/files.expected" &&
	test_cmp "$T/files.expected" "$T/files" &&
	grep "^## tests/data/simple.py" "$T/out" | sed "s/ (.*//; s/.*, //" >"$T/funcs" &&
	printf "%s\n" moving_average helper stale >"$T/funcs.expected" &&
	test_cmp "$T/funcs.expected" "$T/funcs"
'

test_expect 'functions below 0.5% are hidden by default, and counted' '
	! grep "tiny" "$T/out" &&
	tail -n 1 "$T/out" | grep -x "# 1 function below 0.5% not shown (see --min-percent)"
'

test_expect '--min-percent=0 shows every function' '
	(cd "$TOP" && pf-annotate --min-percent=0 "$T/basic.agg") >"$T/all" &&
	grep -x "## /nonexistent/pf-test/gone.py (source not found), tiny (0.3%)" "$T/all" &&
	! grep "not shown" "$T/all"
'

test_expect '--min-percent counts inlined code (total) too' '
	(cd "$TOP" && pf-annotate -m 70 "$T/basic.agg") >"$T/seventy" &&
	grep "^## " "$T/seventy" | sed "s/ (.*//; s/.*, //" >"$T/seventy.funcs" &&
	echo moving_average >"$T/seventy.funcs.expected" &&
	test_cmp "$T/seventy.funcs.expected" "$T/seventy.funcs" &&
	tail -n 1 "$T/seventy" | grep -x "# 5 functions below 70% not shown (see --min-percent)"
'

test_expect '-n shows counts (golden)' '
	(cd "$TOP" && pf-annotate -n "$T/basic.agg") >"$T/n" &&
	test_golden ann-basic-n.out "$T/n" &&
	grep -x "## tests/data/simple.py, lines 15-19, moving_average (670, total 850) (10 at no source line)" "$T/n" &&
	grep -x "   600 |         result\[i\] = (7 + timeseries\[i\] / 9 + (timeseries\[i\] \*\* 2) / 7) / 5" "$T/n"
'

test_expect 'standard input gives the same output' '
	(cd "$TOP" && pf-annotate <"$T/basic.agg") >"$T/stdin" &&
	test_cmp "$T/out" "$T/stdin"
'

test_expect 'outside the source tree: absolute paths as recorded' '
	(cd "$T" && pf-annotate "$T/basic.agg") >"$T/elsewhere" &&
	grep -x "## $D/simple.py, lines 15-19, moving_average (65.0%, total 82.5%) (1.0% at no source line)" "$T/elsewhere" &&
	grep -x "## tests/data/other.py (source not found), twice (2.4%)" "$T/elsewhere"
'

test_expect 'in the data directory: paths relative to it' '
	(cd "$D" && pf-annotate "$T/basic.agg") >"$T/indata" &&
	grep -x "## simple.py, lines 8-9, helper (17.5%)" "$T/indata"
'

test_expect 'a relative recorded path is read relative to the current directory' '
	grep -A1 -x "## tests/data/other.py, line 2, twice (2.4%)" "$T/out" | grep -x "  2.4% |     y = x + x"
'

test_expect 'paths under a symlinked current directory are shown relative' '
	ln -s "$TOP" "$T/link" &&
	sed "s|@DATA@|$T/link/tests/data|g" "$D/ann-basic.agg" >"$T/link.agg" &&
	(cd "$T/link" && pf-annotate "$T/link.agg") >"$T/link.out" &&
	test_cmp "$T/out" "$T/link.out"
'

done_testing
