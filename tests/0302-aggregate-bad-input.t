#!/bin/sh
# pf-aggregate: bad lines are reported, skipped and counted; the rest is
# still counted; input that is not a pf-symbolize stream exits 65.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/golden.sh"

D=$TOP/tests/data

test_expect 'bad lines: exit 1, the valid records before and after counted' '
	test_must_fail 1 pf-aggregate -g line,thread <"$D/agg-bad.sym" >"$T/out" 2>"$T/err" &&
	test_golden agg-bad.out "$T/out" &&
	grep -x "total 2 2 0 0 0 0 2 0 0 0" "$T/out" &&
	grep -x "line 1 50.00 1 50.00 /src/a.py 3 f" "$T/out" &&
	grep -x "line 1 50.00 1 50.00 /src/a.py 4 f" "$T/out" &&
	grep -x "threadtotal 2 100.00 2 100.00 10 10 good%20name" "$T/out"
'

test_expect 'each bad line is named on stderr with its number (golden)' '
	test_golden agg-bad.err "$T/err"
'

test_expect 'the message names the line number and quotes the line' '
	grep -x "pf-aggregate: stdin: line 3: bad sample record .sample 2 10 10 0 a0 jit jit:1 f /src/a.py." "$T/err" &&
	grep "^pf-aggregate: stdin: line 4: bad sample record" "$T/err" &&
	grep "^pf-aggregate: stdin: line 8: bad INLINED field" "$T/err" &&
	grep "^pf-aggregate: stdin: line 15: empty line" "$T/err" &&
	grep "^pf-aggregate: stdin: line 21: truncated record" "$T/err" &&
	grep -x "pf-aggregate: ignored 15 bad lines" "$T/err"
'

test_expect 'a file argument is named in messages' '
	test_must_fail 1 pf-aggregate "$D/agg-bad.sym" >/dev/null 2>"$T/err2" &&
	grep "^pf-aggregate: .*/agg-bad.sym: line 3: bad sample record" "$T/err2"
'

test_expect 'unknown record kinds pass, even with odd contents' '
	grep -x "mystery 1 2 3 with %ZZ bad escapes, copied as it is" "$T/out" &&
	printf "# pf-symbolize 2\nfuture 1 2\nsample 1 1 1 0 a jit jit:1 f /a.py 1 - more fields\n" >"$T/future.sym" &&
	pf-aggregate "$T/future.sym" >"$T/future.out" 2>"$T/future.err" &&
	test ! -s "$T/future.err" &&
	grep -x "future 1 2" "$T/future.out" &&
	grep -x "line 1 100.00 1 100.00 /a.py 1 f" "$T/future.out"
'

test_expect 'only the first 20 bad lines are reported one by one' '
	{ echo "# pf-symbolize 2"; i=0; while [ $i -lt 50 ]; do echo "sample x"; i=$((i + 1)); done; } >"$T/many.sym" &&
	test_must_fail 1 pf-aggregate "$T/many.sym" >"$T/many.out" 2>"$T/many.err" &&
	test "$(grep -c "bad sample record" "$T/many.err")" -eq 20 &&
	grep "line 21: bad sample" "$T/many.err" &&
	! grep "line 22: bad sample" "$T/many.err" &&
	grep -x "pf-aggregate: ignored 50 bad lines" "$T/many.err"
'

test_expect 'a pf-record stream is refused with exit 65' '
	printf "# pf-record 2\nsample 1 2 3 4 5\n" >"$T/rec" &&
	test_must_fail 65 pf-aggregate "$T/rec" >"$T/rec.out" 2>"$T/rec.err" &&
	grep "line 1: not a pf-symbolize stream" "$T/rec.err" &&
	test ! -s "$T/rec.out"
'

test_expect 'a missing header, an unknown version, empty input: exit 65' '
	sed 1d "$D/agg-basic.sym" >"$T/nohead" &&
	test_must_fail 65 pf-aggregate "$T/nohead" >/dev/null 2>"$T/err3" &&
	grep "line 1: not a pf-symbolize stream" "$T/err3" &&
	printf "# pf-symbolize 3\n" >"$T/v2" &&
	test_must_fail 65 pf-aggregate "$T/v2" >/dev/null 2>"$T/err4" &&
	grep "unsupported pf-symbolize version" "$T/err4" &&
	test_must_fail 65 pf-aggregate </dev/null >/dev/null 2>"$T/err5" &&
	grep "empty input" "$T/err5"
'

test_expect 'a pf-aggregate stream is not taken for input' '
	pf-aggregate "$D/agg-basic.sym" >"$T/agg" &&
	test_must_fail 65 pf-aggregate "$T/agg" >/dev/null 2>&1
'

test_expect 'binary garbage does not crash it' '
	{ echo "# pf-symbolize 2"; head -c 20000 /dev/urandom; echo; } >"$T/garbage" &&
	pf-aggregate -g line,function,thread "$T/garbage" >"$T/garbage.out" 2>/dev/null;
	test $? -eq 0 -o $? -eq 1
'

test_expect 'a write error is reported (exit 2)' '
	if [ -w /dev/full ]; then
		test_must_fail 2 pf-aggregate "$D/agg-basic.sym" >/dev/full 2>"$T/full.err" &&
		grep "write error" "$T/full.err"
	fi
'

done_testing
