#!/bin/sh
# pf-aggregate on a hand-made stream with call stacks: a function's
# total counts every sample with a frame of it, also the frames of it
# at no line (LLVM gives some calls line 0, as poliastro's rv2coe's
# call to atan2), once per sample however many.
. "$(dirname "$0")/lib.sh"

D=$TOP/tests/data
sed "s|@DATA@|/d|g" "$D/agg-stacks.sym" >"$T/in.sym"

test_expect 'aggregates the stream without a warning' '
	pf-aggregate "$T/in.sym" >"$T/out" 2>"$T/err" && cat "$T/out" &&
	test ! -s "$T/err"
'

# rv2coe: 3 samples under it at no line, 3 of its own (2 at 385, 1 at
# no line), 2 under its line 384, 1 under 384 and no line, 2 under two
# frames at no line: 11, all called from sweep.
test_expect 'frames at no line count in their function total, once a sample' '
	grep -x "call 11 91.67 jit jit:1 sweep /d/orbit.py 14 jit jit:2 rv2coe" "$T/out" &&
	grep -x "functiontotal 11 91.67 /d/elements.py rv2coe" "$T/out" &&
	grep -x "functiontotal 12 100.00 /d/orbit.py sweep" "$T/out"
'

test_expect 'a function that no sample names with a file has no total' '
	grep -x "call 1 8.33 jit jit:1 sweep /d/orbit.py 14 jit jit:3 nolinefn" "$T/out" &&
	! grep -q "^functiontotal .* nolinefn$" "$T/out"
'

test_expect 'no call into a JIT function counts more than its total' '
	calls_within_totals "$T/out"
'

# (rv2coe at no line calling rv2coe reads as its wrapper, the way in
# from Python: the call pf-annotate shows as "Python".)
test_expect 'pf-annotate: rv2coe is called from sweep in all of its total' '
	pf-annotate "$T/out" >"$T/ann" 2>&1; cat "$T/ann" &&
	grep -q "^## /d/elements.py.*, rv2coe (33.3%, total 91.7%)" "$T/ann" &&
	grep -q "^#   called from sweep (orbit.py:14) 91.7%[,;]" "$T/ann"
'

done_testing
