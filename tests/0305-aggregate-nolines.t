#!/bin/sh
# pf-aggregate: object and throttle records.  JIT samples in objects
# whose object record says nolines are counted in NOLINES (and, having
# no line, in LINELESS, not in UNRESOLVED unless of no known function)
# and per object in nolines records; throttle records are counted in
# THROTTLED.  Neither kind is copied.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/golden.sh"

D=$TOP/tests/data

test_expect 'object and throttle records (golden)' '
	pf-aggregate -g line,function "$D/agg-nolines.sym" >"$T/out" 2>"$T/err" &&
	test_golden agg-nolines.out "$T/out" &&
	test ! -s "$T/err"
'

# UNRESOLVED: the JIT samples of no function (jit:4, jit:9); LINELESS:
# every JIT sample but the one of jit:1, the nine of NOLINES among them.
test_expect 'total: NOLINES, THROTTLED, LINELESS appended, NOLINES inside LINELESS' '
	grep -x "total 13 12 1 0 0 2 3 9 3 11" "$T/out"
'

test_expect 'nolines records: objects without line tables that got samples' '
	grep "^nolines " "$T/out" >"$T/nolines" &&
	cat >"$T/nolines.expected" <<-\EOT &&
	nolines 4 30.77 jit:2 __main__.g(double)
	nolines 2 15.38 jit:3 __main__.h(long%20long)
	nolines 1 7.69 jit:5 nrt_atomic_add
	nolines 1 7.69 jit:6 k
	nolines 1 7.69 jit:9 -
	EOT
	test_cmp "$T/nolines.expected" "$T/nolines"
'

test_expect 'the samples before the object record count; the last record wins' '
	grep -q "^nolines 4 [0-9.]* jit:2 " "$T/out" &&
	grep -q "^nolines 1 [0-9.]* jit:6 k$" "$T/out"
'

test_expect 'objects with lines, bad ones, unsampled and unknown ones: no record' '
	! grep -q "^nolines [0-9]* [0-9.]* jit:[1478] " "$T/out"
'

test_expect 'object and throttle records are not copied' '
	! grep -q "^object \|^throttle " "$T/out"
'

test_expect 'nolines records are written with every grouping, sorted' '
	pf-aggregate -g thread "$D/agg-nolines.sym" >"$T/thread" &&
	grep "^nolines " "$T/thread" >"$T/nolines2" &&
	test_cmp "$T/nolines" "$T/nolines2"
'

test_expect 'bad object, throttle and nolines records: reported, skipped' '
	cat >"$T/bad.sym" <<-\EOT &&
	# pf-symbolize 2
	sample 1 7 7 0 10 jit jit:1 f - 0 -
	object jit:1 5 nolines
	object jit:1 5 partial f
	object jit:1 x nolines f
	object - 5 nolines f
	object jit:1 5 nolines f%ZZ
	throttle
	throttle x
	nolines 1 100.00 jit:1 f
	object jit:1 5 nolines f more fields
	EOT
	test_must_fail 1 pf-aggregate "$T/bad.sym" >"$T/bad.out" 2>"$T/bad.err" &&
	cat "$T/bad.err" &&
	for n in 3 4 5 6 7; do
		grep -x "pf-aggregate: .*bad.sym: line $n: bad object record .*" "$T/bad.err" || exit 1
	done &&
	grep -x "pf-aggregate: .*bad.sym: line 8: bad throttle record .throttle." "$T/bad.err" &&
	grep -x "pf-aggregate: .*bad.sym: line 9: bad throttle record .throttle x." "$T/bad.err" &&
	grep -x "pf-aggregate: .*bad.sym: line 10: pf-aggregate record in a pf-symbolize stream .*" "$T/bad.err" &&
	grep -x "pf-aggregate: ignored 8 bad lines" "$T/bad.err" &&
	grep -x "total 1 1 0 0 0 0 0 1 0 1" "$T/bad.out" &&
	grep -x "nolines 1 100.00 jit:1 f" "$T/bad.out"
'

done_testing
