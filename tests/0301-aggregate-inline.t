#!/bin/sh
# pf-aggregate: SELF and TOTAL with chains of inlined calls.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/golden.sh"

D=$TOP/tests/data

# agg-inline.sym: leaf inlined into mid inlined into outer (a.py), a
# self-recursive inlined rec (b.py), an entry with no file or function.
test_expect 'line and function records (golden)' '
	pf-aggregate -g line,function "$D/agg-inline.sym" >"$T/out" 2>"$T/err" &&
	test_golden agg-inline.out "$T/out" &&
	test ! -s "$T/err"
'

test_expect 'SELF counts the innermost line only' '
	grep -x "line 3 42.86 3 42.86 /src/a.py 3 leaf" "$T/out" &&
	grep -x "line 1 14.29 1 14.29 /src/a.py 12 mid" "$T/out"
'

test_expect 'TOTAL counts the call sites of the inline chain' '
	grep -x "line 0 0.00 2 28.57 /src/a.py 10 mid" "$T/out" &&
	grep -x "line 0 0.00 1 14.29 /src/a.py 11 mid" "$T/out" &&
	grep -x "line 0 0.00 5 71.43 /src/a.py 20 outer" "$T/out"
'

test_expect 'a line named twice in one sample is counted once' '
	grep -x "line 1 14.29 1 14.29 /src/b.py 5 rec" "$T/out" &&
	grep -x "line 0 0.00 1 14.29 /src/b.py 6 rec" "$T/out" &&
	grep -x "function 1 14.29 1 14.29 jit jit:1 rec" "$T/out"
'

test_expect 'function TOTAL includes the functions code was inlined into' '
	grep -x "function 4 57.14 4 57.14 jit jit:1 leaf" "$T/out" &&
	grep -x "function 1 14.29 4 57.14 jit jit:1 mid" "$T/out" &&
	grep -x "function 1 14.29 6 85.71 jit jit:1 outer" "$T/out"
'

test_expect 'an entry without a file makes no line record' '
	! grep "^line [^ ]* [^ ]* [^ ]* [^ ]* - " "$T/out" &&
	grep -x "function 0 0.00 1 14.29 jit jit:1 -" "$T/out"
'

test_expect 'TOTAL is never below SELF' '
	awk "\$1 == \"line\" || \$1 == \"function\" { if (\$4 < \$2) exit 1 }" "$T/out"
'

done_testing
