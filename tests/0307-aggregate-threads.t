#!/bin/sh
# pf-aggregate: thread records always; threadline records with -T.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/golden.sh"

D=$TOP/tests/data
sed "s|@DATA@|/d|g" "$D/agg-callsite.sym" >"$T/in.sym"

test_expect 'thread records are written without asking, as with -g thread' '
	pf-aggregate "$T/in.sym" >"$T/plain" &&
	grep "^threadtotal " "$T/plain" >"$T/plain.threads" &&
	printf "%s\n" "threadtotal 8 61.54 7 53.85 10 10 python3" \
		"threadtotal 5 38.46 5 38.46 10 11 numba-worker" >"$T/threads.expected" &&
	test_cmp "$T/threads.expected" "$T/plain.threads" &&
	pf-aggregate -g line,thread "$T/in.sym" >"$T/asked" &&
	test_cmp "$T/plain" "$T/asked" &&
	pf-aggregate -g function "$T/in.sym" >"$T/func" &&
	grep "^threadtotal " "$T/func" >"$T/func.threads" &&
	test_cmp "$T/threads.expected" "$T/func.threads"
'

test_expect '-g thread alone still writes no line records' '
	pf-aggregate -g thread "$T/in.sym" >"$T/thread" &&
	! grep "^line \|^callsite " "$T/thread" &&
	grep -c "^threadtotal " "$T/thread" | grep -x 2
'

test_expect 'no threadline records without -T' '
	! grep "^threadline" "$T/plain"
'

test_expect '-T: threadline records (golden)' '
	pf-aggregate -T "$T/in.sym" >"$T/per" 2>"$T/err" &&
	test_golden agg-threadline.out "$T/per" &&
	test ! -s "$T/err" &&
	pf-aggregate --per-thread "$T/in.sym" >"$T/per2" &&
	test_cmp "$T/per" "$T/per2"
'

test_expect '-T adds threadline records and changes nothing else' '
	grep -v "^threadline " "$T/per" >"$T/per.rest" &&
	test_cmp "$T/plain" "$T/per.rest"
'

test_expect 'threadline: percentages of all samples, SELF and TOTAL per thread' '
	grep -x "threadline 2 15.38 2 15.38 10 11 /d/calls.py 12 helper" "$T/per" &&
	grep -x "threadline 0 0.00 4 30.77 10 11 /d/calls.py 25 caller" "$T/per" &&
	grep -x "threadline 0 0.00 2 15.38 10 10 /d/calls.py 25 caller" "$T/per"
'

test_expect 'threadline SELF and TOTAL summed over threads give the line records' '
	awk "\$1 == \"line\" { print \$2, \$4, \$6, \$7, \$8 }" "$T/per" | sort >"$T/lines" &&
	awk "\$1 == \"threadline\" { k = \$8 \" \" \$9 \" \" \$10; s[k] += \$2; t[k] += \$4 }
	     END { for (k in s) print s[k], t[k], k }" "$T/per" | sort >"$T/summed" &&
	test_cmp "$T/lines" "$T/summed"
'

test_expect 'threadline SELF of a thread is at most its JIT samples' '
	awk "\$1 == \"threadtotal\" { jit[\$7] = \$4 }
	     \$1 == \"threadline\" { self[\$7] += \$2 }
	     END { for (t in self) if (self[t] > jit[t]) exit 1 }" "$T/per"
'

test_expect '-T with -g function: threadline records without line records' '
	pf-aggregate -T -g function "$T/in.sym" >"$T/tf" &&
	! grep "^line \|^callsite " "$T/tf" &&
	grep "^threadline " "$T/per" >"$T/per.tl" &&
	grep "^threadline " "$T/tf" >"$T/tf.tl" &&
	test_cmp "$T/per.tl" "$T/tf.tl"
'

test_expect 'a thread named but never sampled gets no record' '
	printf "%s\n" "# pf-symbolize 2" "thread 1 5 5 main" "thread 2 5 6 idle" \
		"sample 3 5 5 0 a jit jit:1 f /a.py 1 -" >"$T/idle.sym" &&
	pf-aggregate -T "$T/idle.sym" >"$T/idle.out" &&
	grep -x "threadtotal 1 100.00 1 100.00 5 5 main" "$T/idle.out" &&
	! grep "idle\| 5 6 " "$T/idle.out"
'

test_expect 'help and the man page name -T' '
	pf-aggregate --help | grep "^  -T, --per-thread " &&
	grep -q "per\\\\-thread" "$TOP/aggregate/pf-aggregate.1"
'

done_testing
