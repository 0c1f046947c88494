#!/bin/sh
# pf-annotate: the mark after a line where calls were inlined, from the
# callsite records; the inlined functions listed with their own share.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/golden.sh"

D=$TOP/tests/data

# agg() BODY: a pf-aggregate stream with the given records.
agg() {
	printf "# pf-aggregate 2\n%s\n" "$1"
}

sed "s|@DATA@|$D|g" "$D/agg-callsite.sym" >"$T/in.sym"

test_expect 'the pipeline on inlined calls (golden)' '
	pf-aggregate "$T/in.sym" >"$T/in.agg" &&
	(cd "$TOP" && pf-annotate "$T/in.agg") >"$T/out" 2>"$T/err" &&
	test_golden ann-callsite.out "$T/out" &&
	test ! -s "$T/err"
'

test_expect 'a call site: total share and the function inlined there' '
	grep -x "  7.7% |     return leaf(y) / 3.0   total 23.1%  <- inlined leaf()" "$T/out"
'

test_expect 'two callees at a site: biggest first' '
	grep -x "  0.0% |         s += helper(v) + other(v)   total 46.2%  <- inlined helper(), other()" "$T/out"
'

test_expect 'a callee without a name, in a nested chain' '
	grep -x "  0.0% |         s += helper(-v)   total 30.8%  <- inlined helper(), (unknown function)" "$T/out"
'

test_expect 'the inlined functions are listed with their own (SELF) share' '
	grep -x "## tests/data/calls.py, lines 12-13, helper (38.5%, total 53.8%)" "$T/out" &&
	grep -x " 30.8% |     y = x \* 2.0" "$T/out" &&
	grep -x "## tests/data/calls.py, line 7, leaf (23.1%)" "$T/out" &&
	grep -x " 23.1% |     return x + 1.0" "$T/out" &&
	grep -x " 15.4% |     return x - 1.0" "$T/out"
'

test_expect 'lines without inlined code get no mark' '
	grep -x "  7.7% |     for v in a:" "$T/out" &&
	test "$(grep -c "<- inlined" "$T/out")" -eq 4
'

test_expect '-n: counts in the mark too' '
	(cd "$TOP" && pf-annotate -n "$T/in.agg") >"$T/n" &&
	grep -x "     0 |         s += helper(v) + other(v)   total 6  <- inlined helper(), other()" "$T/n"
'

test_expect 'more than three callees: the rest counted' '
	agg "total 20 20 0 0 0 0 0 0 0
line 2 10.00 20 100.00 $D/calls.py 25 caller
callsite 2 10.00 $D/calls.py 25 caller e
callsite 6 30.00 $D/calls.py 25 caller b
callsite 5 25.00 $D/calls.py 25 caller c
callsite 2 10.00 $D/calls.py 25 caller d
callsite 2 10.00 $D/calls.py 25 caller a
callsite 3 15.00 $D/calls.py 25 other wrong-caller
callsite 3 15.00 $D/calls.py 24 caller wrong-line
callsite 3 15.00 $D/other.py 25 caller wrong-file" >"$T/many.agg" &&
	pf-annotate "$T/many.agg" >"$T/many.out" &&
	grep -x " 10.0% |         s += helper(v) + other(v)   total 100.0%  <- inlined b(), c(), a() and 2 more" "$T/many.out"
'

test_expect 'records naming the same call twice are merged' '
	agg "total 10 10 0 0 0 0 0 0 0
line 0 0.00 10 100.00 $D/calls.py 25 caller
callsite 3 30.00 $D/calls.py 25 caller a
callsite 4 40.00 $D/calls.py 25 caller b
callsite 2 20.00 $D/calls.py 25 caller a" >"$T/dup.agg" &&
	pf-annotate "$T/dup.agg" >"$T/dup.out" &&
	grep "<- inlined a(), b()$" "$T/dup.out"
'

test_expect 'no mark where TOTAL is not above SELF; none without callsite records' '
	agg "total 10 10 0 0 0 0 0 0 0
line 5 50.00 5 50.00 $D/calls.py 25 caller
line 5 50.00 10 100.00 $D/calls.py 26 caller
callsite 2 20.00 $D/calls.py 25 caller a" >"$T/same.agg" &&
	pf-annotate "$T/same.agg" >"$T/same.out" &&
	grep -x " 50.0% |         s += helper(v) + other(v)" "$T/same.out" &&
	grep -x " 50.0% |         s += helper(-v)   total 100.0%" "$T/same.out"
'

test_expect 'bad callsite records: named, skipped, exit 1' '
	agg "total 10 10 0 0 0 0 0 0 0
line 0 0.00 10 100.00 $D/calls.py 25 caller
callsite 3 30.00 $D/calls.py 25 caller
callsite x 30.00 $D/calls.py 25 caller a
callsite 3 30% $D/calls.py 25 caller a
callsite 3 30.00 $D/calls.py -1 caller a
callsite 3 30.00 $D/calls.py 25 caller %ZZ
callsite 4 40.00 $D/calls.py 25 caller good" >"$T/bad.agg" &&
	test_must_fail 1 pf-annotate "$T/bad.agg" >"$T/bad.out" 2>"$T/bad.err" &&
	for n in 4 5 6 7 8; do
		grep "bad.agg: line $n: bad callsite record" "$T/bad.err" || exit 1
	done &&
	grep -x "pf-annotate: ignored 5 bad lines" "$T/bad.err" &&
	grep "<- inlined good()$" "$T/bad.out"
'

done_testing
