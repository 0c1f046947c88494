#!/bin/sh
# pf-aggregate: options, grouping, what is copied and what is counted.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/golden.sh"

D=$TOP/tests/data

test_expect '--help prints the synopsis to stdout and exits 0' '
	pf-aggregate --help >"$T/help" &&
	grep "^usage: pf-aggregate \[-T\] \[-g line|function|thread\[,...\]\] \[-f pf|folded|pprof\] \[FILE...\]$" "$T/help" &&
	grep "^Exit status" "$T/help"
'

test_expect '--version' '
	pf-aggregate --version >"$T/version" &&
	echo "pf-aggregate 0.1" >"$T/version.expected" &&
	test_cmp "$T/version.expected" "$T/version"
'

test_expect 'usage errors exit 64 with the synopsis on stderr' '
	test_must_fail 64 pf-aggregate --bogus <"$D/agg-basic.sym" >/dev/null 2>"$T/err" &&
	grep "^usage: pf-aggregate" "$T/err" &&
	test_must_fail 64 pf-aggregate -g lines "$D/agg-basic.sym" >/dev/null 2>"$T/err" &&
	grep "unknown group .lines." "$T/err" &&
	test_must_fail 64 pf-aggregate -g line, "$D/agg-basic.sym" >/dev/null 2>&1
'

# Several inputs are one profile: every count of X X is twice X's, and
# the JIT objects of each input are its own (the insn records of both).
test_expect 'two inputs are counted as one profile, their JIT objects apart' '
	pf-aggregate "$D/agg-basic.sym" >"$T/one.agg" &&
	pf-aggregate "$D/agg-basic.sym" "$D/agg-basic.sym" >"$T/two.agg" &&
	awk "\$1 == \"line\" { print \$2 * 2, \$4 * 2, \$6, \$7, \$8 }" "$T/one.agg" | sort >"$T/want" &&
	awk "\$1 == \"line\" { print \$2, \$4, \$6, \$7, \$8 }" "$T/two.agg" | sort >"$T/got" &&
	test_cmp "$T/want" "$T/got" &&
	test "$(awk "\$1 == \"total\" { print \$2 }" "$T/two.agg")" -eq \
	     $(($(awk "\$1 == \"total\" { print \$2 }" "$T/one.agg") * 2)) &&
	grep -q "^insn [0-9]* [0-9.]* jit jit:1\.1 " "$T/two.agg" &&
	grep -q "^insn [0-9]* [0-9.]* jit jit:2\.1 " "$T/two.agg" &&
	! grep -q " jit:1 " "$T/two.agg" &&
	sed "1s/.*/# pf-record 2/" "$D/agg-basic.sym" >"$T/not.sym" &&
	test_must_fail 65 pf-aggregate "$D/agg-basic.sym" "$T/not.sym" >/dev/null 2>"$T/not.err" &&
	grep -q "not.sym" "$T/not.err"
'
test_expect 'a missing input file is a fatal error' '
	test_must_fail 2 pf-aggregate "$T/no-such-file" >/dev/null 2>"$T/err" &&
	grep "cannot open .*no-such-file.: No such file" "$T/err"
'

test_expect 'default grouping is line (golden)' '
	pf-aggregate "$D/agg-basic.sym" >"$T/line.out" 2>"$T/err" &&
	test_golden agg-basic-line.out "$T/line.out" &&
	test ! -s "$T/err" &&
	! grep "^function\|^threadline" "$T/line.out" &&
	grep -c "^threadtotal " "$T/line.out" | grep -x 3
'

test_expect 'all groupings (golden)' '
	pf-aggregate -g line,function,thread "$D/agg-basic.sym" >"$T/all.out" &&
	test_golden agg-basic-all.out "$T/all.out"
'

test_expect 'repeated -g in any order, stdin and - give the same output' '
	pf-aggregate -g thread --group=function -g line <"$D/agg-basic.sym" >"$T/all2.out" &&
	test_cmp "$T/all.out" "$T/all2.out" &&
	pf-aggregate -g function,thread,line - <"$D/agg-basic.sym" >"$T/all3.out" &&
	test_cmp "$T/all.out" "$T/all3.out"
'

test_expect 'meta, exit and unknown kinds are copied first, in order' '
	sed -n 1,6p "$T/all.out" >"$T/head" &&
	cat >"$T/head.expected" <<-\EOT &&
	# pf-aggregate 2
	meta version 0.1
	meta command /usr/bin/python3 examples/simple.py --label my%20run
	meta frequency 4000
	newkind 1007 something new %20
	exit 1020 0 exited
	EOT
	test_cmp "$T/head.expected" "$T/head" &&
	sed -n 7p "$T/all.out" | grep "^total "
'

test_expect 'thread, lost and comment lines are not copied' '
	! grep "^thread 10[01]* 41234\|^lost\|^# a comment" "$T/all.out"
'

# Unresolved: the unknown sample and the JIT sample of no function
# (jit:2); lineless: that one and moving_average's sample at line 0.
test_expect 'total: samples by kind, unresolved, lost summed, lineless' '
	grep -x "total 16 11 3 1 1 2 12 0 0 2" "$T/all.out"
'

test_expect 'a JIT sample without a line is counted on line 0' '
	grep -x "line 1 6.25 1 6.25 /home/me/examples/simple.py 0 moving_average" "$T/all.out"
'

test_expect 'fields are escaped on output as in the input' '
	grep -x "line 1 6.25 1 6.25 /home/me/my%20dir/x%25.py 3 Outer.<locals>.f" "$T/all.out"
'

test_expect 'the latest thread name wins; unnamed threads get -' '
	grep -x "threadtotal 3 18.75 3 18.75 41234 41250 worker%202" "$T/all.out" &&
	grep -x "threadtotal 1 6.25 0 0.00 41234 41251 -" "$T/all.out"
'

test_expect 'outside records: every non-JIT sample, per object and function' '
	grep -x "outside 2 12.50 native /usr/bin/python3.11 _PyEval_EvalFrameDefault" "$T/all.out" &&
	grep -x "outside 1 6.25 kernel \[kernel\] -" "$T/all.out" &&
	grep -x "outside 1 6.25 unknown - -" "$T/all.out" &&
	awk "\$1 == \"outside\" { n += \$2 } END { exit n != 5 }" "$T/all.out"
'

test_expect 'no sample lost: function SELF sums to SAMPLES, thread too' '
	awk "\$1 == \"function\" { n += \$2 } END { exit n != 16 }" "$T/all.out" &&
	awk "\$1 == \"threadtotal\" { n += \$2; j += \$4 } END { exit n != 16 || j != 11 }" "$T/all.out"
'

test_expect 'line SELF sums to the JIT samples that have a file' '
	awk "\$1 == \"line\" { n += \$2 } END { exit n != 10 }" "$T/all.out"
'

test_expect 'records are sorted by count, ties by file, line, function' '
	awk "\$1 == \"line\" { print \$2, \$4, \$6, \$7 }" "$T/all.out" >"$T/order" &&
	sort -k1,1nr -k2,2nr -k3,3 -k4,4n "$T/order" >"$T/order.sorted" &&
	test_cmp "$T/order.sorted" "$T/order"
'

test_expect 'an input with only a header gives a zero total' '
	echo "# pf-symbolize 2" >"$T/empty.sym" &&
	pf-aggregate -g line,function,thread "$T/empty.sym" >"$T/empty.out" &&
	printf "# pf-aggregate 2\ntotal 0 0 0 0 0 0 0 0 0 0\n" >"$T/empty.expected" &&
	test_cmp "$T/empty.expected" "$T/empty.out"
'

done_testing
