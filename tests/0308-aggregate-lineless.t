#!/bin/sh
# pf-aggregate: samples nothing could be named for are unresolved (the
# unknown ones, JIT ones of no function); JIT samples at no source line
# are lineless, and when their function is known, its time: they count
# on line 0 of the file its other samples in the same object name.
. "$(dirname "$0")/lib.sh"

# jit:1: f, 4 samples at lines of /s/a.py, 3 at no line (one in thread
# 11, one inlined into g at /s/a.py:20), 1 at line 0 of /s/a.py.
# jit:2: f again, of another file: its own file, not jit:1's.
# jit:3: h, 2 samples of /s/b.py, 2 of /s/c.py: a tie, the first by
# name wins; k, 3 of /s/c.py and 1 of /s/d.py: the most samples win.
# jit:4: n, never at a line: no line record.  jit:5: no function.
cat >"$T/in.sym" <<\EOT
# pf-symbolize 2
sample 1 10 10 0 a jit jit:1 f /s/a.py 3 -
sample 2 10 10 0 a jit jit:1 f /s/a.py 3 -
sample 3 10 10 0 a jit jit:1 f - 0 -
sample 4 10 11 0 a jit jit:1 f - 0 -
sample 5 10 10 0 a jit jit:1 f /s/a.py 4 -
sample 6 10 10 0 a jit jit:1 f - 0 g@/s/a.py:20
sample 7 10 10 0 a jit jit:1 f /s/a.py 0 -
sample 8 10 10 0 a jit jit:1 f /s/a.py 5 -
sample 9 10 10 0 a jit jit:2 f /s/other.py 7 -
sample 10 10 10 0 a jit jit:2 f - 0 -
sample 11 10 10 0 a jit jit:3 h /s/c.py 1 -
sample 12 10 10 0 a jit jit:3 h /s/b.py 1 -
sample 13 10 10 0 a jit jit:3 h /s/c.py 2 -
sample 14 10 10 0 a jit jit:3 h /s/b.py 2 -
sample 15 10 10 0 a jit jit:3 h - 0 -
sample 16 10 10 0 a jit jit:3 k /s/d.py 1 -
sample 17 10 10 0 a jit jit:3 k /s/c.py 9 -
sample 18 10 10 0 a jit jit:3 k /s/c.py 9 -
sample 19 10 10 0 a jit jit:3 k - 0 -
sample 20 10 10 0 a jit jit:3 k /s/c.py 8 -
sample 21 10 10 0 a jit jit:4 n - 0 -
sample 22 10 10 0 a jit jit:4 n - 0 -
sample 23 10 10 0 a jit jit:5 - - 0 -
sample 24 10 10 0 a unknown - - - 0 -
sample 25 10 10 0 a native /lib/libm.so.6 - - 0 -
object jit:4 9 lines n
EOT

# 25 samples: 23 JIT, 1 native, 1 unknown.  Unresolved: jit:5's and the
# unknown one.  Lineless: 3 + 1 (jit:1), 1 (jit:2), 1 + 1 (jit:3), 2
# (jit:4), 1 (jit:5).
test_expect 'total: unresolved are the unknown and function-less samples' '
	pf-aggregate -T "$T/in.sym" >"$T/out" 2>"$T/err" &&
	test ! -s "$T/err" &&
	cat "$T/out" &&
	grep -x "total 25 23 1 0 1 2 0 0 0 10" "$T/out"
'

test_expect 'a function at no line: on line 0 of its file, SELF and TOTAL' '
	grep -x "line 4 16.00 4 16.00 /s/a.py 0 f" "$T/out" &&
	grep -x "line 2 8.00 2 8.00 /s/a.py 3 f" "$T/out"
'

test_expect 'its inline chain still counts at the call site' '
	grep -x "line 0 0.00 1 4.00 /s/a.py 20 g" "$T/out" &&
	grep -x "callsite 1 4.00 /s/a.py 20 g f" "$T/out"
'

test_expect 'the file is that of the same function in the same object' '
	grep -x "line 1 4.00 1 4.00 /s/other.py 0 f" "$T/out" &&
	grep -x "line 1 4.00 1 4.00 /s/other.py 7 f" "$T/out"
'

test_expect 'the file most samples name; ties by name' '
	grep -x "line 1 4.00 1 4.00 /s/b.py 0 h" "$T/out" &&
	! grep -q " /s/c.py 0 h$" "$T/out" &&
	grep -x "line 1 4.00 1 4.00 /s/c.py 0 k" "$T/out" &&
	! grep -q " /s/d.py 0 k$" "$T/out"
'

test_expect 'no file known, or no function: no line record' '
	! grep -q "^line .* n$" "$T/out" &&
	! grep -q "^line .* - 0 " "$T/out" &&
	awk "\$1 == \"line\" { n += \$2 } END { exit n != 20 }" "$T/out"
'

test_expect 'per thread the same: threadline records' '
	grep -x "threadline 3 12.00 3 12.00 10 10 /s/a.py 0 f" "$T/out" &&
	grep -x "threadline 1 4.00 1 4.00 10 11 /s/a.py 0 f" "$T/out" &&
	awk "\$1 == \"threadline\" { n += \$2 } END { exit n != 20 }" "$T/out"
'

test_expect 'the function records count every sample, with or without a line' '
	pf-aggregate -g function "$T/in.sym" >"$T/func" &&
	grep -x "total 25 23 1 0 1 2 0 0 0 10" "$T/func" &&
	grep -x "function 8 32.00 8 32.00 jit jit:1 f" "$T/func" &&
	grep -x "function 2 8.00 2 8.00 jit jit:4 n" "$T/func" &&
	! grep -q "^line \|^threadline " "$T/func"
'

test_expect 'the order of the input does not matter' '
	{ head -n 1 "$T/in.sym"; tail -n +2 "$T/in.sym" | sort -r; } >"$T/rev.sym" &&
	pf-aggregate -T "$T/rev.sym" >"$T/rev" &&
	test_cmp "$T/out" "$T/rev"
'

done_testing
