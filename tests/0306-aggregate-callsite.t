#!/bin/sh
# pf-aggregate: callsite records, the calls the compiler inlined, by
# call site and callee.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/golden.sh"

D=$TOP/tests/data

# agg-callsite.sym: helper and other inlined at caller's line 25; leaf
# inlined into helper at line 13, helper at caller's line 26; a chain
# entry without a file; a recursive chain; native code with a chain.
sed "s|@DATA@|/d|g" "$D/agg-callsite.sym" >"$T/in.sym"

test_expect 'line and callsite records (golden)' '
	pf-aggregate "$T/in.sym" >"$T/out" 2>"$T/err" &&
	test_golden agg-callsite.out "$T/out" &&
	test ! -s "$T/err"
'

test_expect 'two callees at one site: a record each' '
	grep -x "callsite 4 30.77 /d/calls.py 25 caller helper" "$T/out" &&
	grep -x "callsite 2 15.38 /d/calls.py 25 caller other" "$T/out" &&
	test "$(grep -c "^callsite [0-9]* [0-9.]* /d/calls.py 25 " "$T/out")" -eq 2
'

test_expect 'nested chains: every site, with the function called there' '
	grep -x "callsite 2 15.38 /d/calls.py 13 helper leaf" "$T/out" &&
	grep -x "callsite 3 23.08 /d/calls.py 26 caller helper" "$T/out"
'

test_expect 'callsite counts the callee code (TOTAL), not the line own (SELF)' '
	grep -x "line 0 0.00 6 46.15 /d/calls.py 25 caller" "$T/out" &&
	grep -x "line 1 7.69 3 23.08 /d/calls.py 13 helper" "$T/out" &&
	grep -x "line 1 7.69 1 7.69 /d/calls.py 24 caller" "$T/out" &&
	! grep "^callsite [0-9]* [0-9.]* /d/calls.py 24 " "$T/out" &&
	! grep "^callsite [0-9]* [0-9.]* /d/calls.py 12 " "$T/out"
'

test_expect 'an entry without a file is no site; the next site calls -' '
	grep -x "callsite 1 7.69 /d/calls.py 26 caller -" "$T/out" &&
	! grep "^callsite [0-9]* [0-9.]* - " "$T/out"
'

test_expect 'the same site and callee twice in a sample count once' '
	grep -x "callsite 1 7.69 /src/r.py 4 rec rec" "$T/out"
'

test_expect 'native samples make no callsite records' '
	! grep "^callsite.*dl-machine" "$T/out"
'

test_expect 'every callsite count is within the TOTAL of its line' '
	awk "\$1 == \"line\" { t[\$6 \" \" \$7 \" \" \$8] = \$4 }
	     \$1 == \"callsite\" { k = \$4 \" \" \$5 \" \" \$6
		if (!(k in t) || \$2 > t[k]) { print \"bad:\", \$0; bad = 1 } }
	     END { exit bad }" "$T/out"
'

test_expect 'sorted by count, ties by file, line, caller, callee' '
	awk "\$1 == \"callsite\" { print \$2, \$4, \$5, \$6, \$7 }" "$T/out" >"$T/order" &&
	sort -k1,1nr -k2,2 -k3,3n -k4,4 -k5,5 "$T/order" >"$T/order.sorted" &&
	test_cmp "$T/order.sorted" "$T/order" &&
	test "$(wc -l <"$T/order")" -eq 6
'

test_expect 'written with line records only (-g line, the default)' '
	pf-aggregate -g function "$T/in.sym" >"$T/func" &&
	! grep "^callsite" "$T/func" &&
	pf-aggregate -g line,function "$T/in.sym" >"$T/both" &&
	grep "^callsite" "$T/both" >"$T/both.cs" &&
	grep "^callsite" "$T/out" >"$T/out.cs" &&
	test_cmp "$T/out.cs" "$T/both.cs"
'

test_expect 'callsite and threadline records in the input are bad lines' '
	{ cat "$T/in.sym"; echo "callsite 1 7.69 /d/calls.py 25 caller helper";
	  echo "threadline 1 7.69 1 7.69 10 10 /d/calls.py 12 helper"; } >"$T/own.sym" &&
	test_must_fail 1 pf-aggregate "$T/own.sym" >"$T/own.out" 2>"$T/own.err" &&
	grep "line 25: pf-aggregate record in a pf-symbolize stream .callsite" "$T/own.err" &&
	grep "line 26: pf-aggregate record in a pf-symbolize stream .threadline" "$T/own.err" &&
	grep -x "pf-aggregate: ignored 2 bad lines" "$T/own.err" &&
	grep "^callsite" "$T/own.out" >"$T/own.cs" &&
	test_cmp "$T/out.cs" "$T/own.cs"
'

done_testing
