#!/bin/sh
# pf-aggregate | pf-annotate on a generated pf-symbolize stream of a run
# of tests/data/simple.py, each stage's output saved to a file.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/golden.sh"

D=$TOP/tests/data

# 10000 samples: moving_average's lines 15, 17, 18; helper (lines 8, 9)
# inlined at line 19; moving_average's code at no line (FILE -, as
# pf-symbolize writes it); python3.11, libm, kernel.
awk -v src="$D/simple.py" 'BEGIN {
	print "# pf-symbolize 2"
	print "meta command /usr/bin/python3 tests/data/simple.py"
	print "thread 1 500 500 python3"
	for (i = 0; i < 10000; i++) {
		r = i % 1000
		head = "sample " (1000 + i) " 500 500 0 7f00" sprintf("%04x", r)
		if (r < 787)
			print head " jit jit:1 moving_average " src " 17 -"
		else if (r < 790)
			print head " jit jit:1 moving_average " src " 15 -"
		else if (r < 810)
			print head " jit jit:1 moving_average " src " 18 -"
		else if (r < 900)
			print head " jit jit:1 helper " src " 9 moving_average@" src ":19"
		else if (r < 924)
			print head " jit jit:1 helper " src " 8 moving_average@" src ":19"
		else if (r < 930)
			print head " jit jit:1 moving_average - 0 -"
		else if (r < 960)
			print head " native /usr/bin/python3.11 _PyEval_EvalFrameDefault - 0 -"
		else if (r < 972)
			print head " native /usr/bin/python3.11 PyObject_Call - 0 -"
		else if (r < 990)
			print head " native /usr/lib/x86_64-linux-gnu/libm.so.6 pow - 0 -"
		else
			print head " kernel [kernel] - - 0 -"
	}
	print "lost 99999 17"
	print "exit 100000 0 exited"
}' >"$T/run.sym"

test_expect 'pf-aggregate' '
	pf-aggregate -g line,function "$T/run.sym" >"$T/run.agg" 2>"$T/agg.err" &&
	test ! -s "$T/agg.err" &&
	grep -x "total 10000 9300 600 100 0 0 17 0 0 60" "$T/run.agg" &&
	grep -x "line 60 0.60 60 0.60 $D/simple.py 0 moving_average" "$T/run.agg"
'

test_expect 'pf-annotate (golden)' '
	(cd "$TOP" && pf-annotate "$T/run.agg") >"$T/run.out" 2>"$T/ann.err" &&
	test ! -s "$T/ann.err" &&
	test_golden ann-pipeline.out "$T/run.out"
'

test_expect 'the lines add up: 78.7% + 0.3% + 2.0% self, 11.4% inlined' '
	grep -x " 78.7% |         result\[i\] = (7 + timeseries\[i\] / 9 + (timeseries\[i\] \*\* 2) / 7) / 5" "$T/run.out" &&
	grep -x "  0.3% |     for i in range(len(timeseries)):" "$T/run.out" &&
	grep -x "  2.0% |     for i in range(len(result)):" "$T/run.out" &&
	grep -x "  0.0% |         result\[i\] -= helper(result\[i\])   total 11.4%  <- inlined helper()" "$T/run.out" &&
	grep -x "## tests/data/simple.py, lines 15-19, moving_average (81.6%, total 93.0%) (0.6% at no source line)" "$T/run.out" &&
	grep -x "## tests/data/simple.py, lines 8-9, helper (11.4%)" "$T/run.out"
'

test_expect 'summary: outside JIT code, unresolved, lost' '
	sed -n 1,4p "$T/run.out" >"$T/summary" &&
	cat >"$T/summary.expected" <<-\EOT &&
	# 10000 samples, 7.0% outside JIT code, 0.0% unresolved
	# 17 samples lost (ring buffer full): shares may be skewed
	# command: /usr/bin/python3 tests/data/simple.py
	# outside JIT code: 4.2% Python interpreter (python3.11: _PyEval_EvalFrameDefault 3.0%, PyObject_Call 1.2%),
	EOT
	test_cmp "$T/summary.expected" "$T/summary"
'

test_expect 'the same with the stages piped, stdin to stdout' '
	(cd "$TOP" && pf-aggregate <"$T/run.sym" | pf-annotate) >"$T/piped.out" &&
	test_cmp "$T/run.out" "$T/piped.out"
'

done_testing
