#!/bin/sh
# The whole pipeline on real Numba code (Debian's python3-numba).
. "$(dirname "$0")/lib.sh"

py=$(find_numba_python) || skip_all "no Python interpreter with numba (apt-get install python3-numba)"
prog=$TOP/tests/programs
src=$prog/two_loops.py
comment=$(grep -n '# a comment line' "$src" | cut -d: -f1)
hot=$((comment + 1))
cheap=$((comment + 3))

test_expect 'the pipeline runs on a two-loop Numba function' '
	pf-record -q -F 1000 -- "$py" "$src" 2 >"$T/two.rec" 2>"$T/two.err" &&
	pf-symbolize "$T/two.rec" >"$T/two.sym" &&
	pf-aggregate -g line,function,thread "$T/two.sym" >"$T/two.agg" &&
	pf-annotate "$T/two.agg" >"$T/two.txt"
'

test_expect 'the program output went to stderr, not into the recording' '
	grep -qx "sample 1 2 3 4 deadbeef" "$T/two.err" &&
	! grep -q "deadbeef" "$T/two.sym" &&
	grep -q "^done " "$T/two.err"
'

test_expect 'the Numba function is named and its file is the real one' '
	grep -q "^function [0-9]* [0-9.]* [0-9]* [0-9.]* jit jit:[0-9]* two_loops$" "$T/two.agg" &&
	grep -q " jit jit:[0-9]* two_loops /[^ ]*/tests/programs/two_loops.py [0-9]* " "$T/two.sym"
'

test_expect 'the hot line has several times the share of the cheap one' '
	awk -v h="$hot" -v c="$cheap" "
		\$1 == \"line\" && \$6 ~ /two_loops.py$/ && \$7 == h { th = \$4 }
		\$1 == \"line\" && \$6 ~ /two_loops.py$/ && \$7 == c { tc = \$4 }
		END { print \"hot\", th, \"cheap\", tc; exit !(tc > 0 && th / tc > 4) }
	" "$T/two.agg"
'

test_expect 'the comment line gets no samples' '
	! awk -v l="$comment" "\$1 == \"line\" && \$6 ~ /two_loops.py$/ && \$7 == l" "$T/two.agg" | grep -q .
'

test_expect 'the annotated source shows the hot line with its share' '
	grep -q "^## .*two_loops.py, lines [0-9]*-[0-9]*" "$T/two.txt" &&
	grep -q "^ *[0-9.]*% | *s += (a\[i\] \* 1.0001 + r)" "$T/two.txt" &&
	grep -q "^ *| *# a comment line" "$T/two.txt"
'

test_expect 'a program without Numba: every sample is outside JIT code' '
	pf-record -q -F 1000 -o "$T/none.rec" -- "$py" "$prog/no_numba.py" >/dev/null &&
	pf-symbolize "$T/none.rec" >"$T/none.sym" &&
	pf-aggregate "$T/none.sym" >"$T/none.agg" &&
	awk "\$1 == \"total\" { exit !(\$2 > 500 && \$3 == 0) }" "$T/none.agg" &&
	pf-annotate "$T/none.agg" >"$T/none.txt" &&
	grep -q "100.0% outside JIT code" "$T/none.txt"
'

test_expect 'status 3 from os._exit; the last-moment function is in the recording' '
	test_must_fail 3 pf-record -q -o "$T/exit.rec" -- "$py" "$prog/late_exit.py" exit &&
	strings_in_objects "$T/exit.rec" | grep -q compiled_at_the_last_moment &&
	pf-symbolize "$T/exit.rec" >"$T/exit.sym" 2>"$T/exit.err" && ! grep -q . "$T/exit.err"
'

test_expect 'os._exit from a thread: status 3 and the object captured' '
	test_must_fail 3 pf-record -q -o "$T/texit.rec" -- "$py" "$prog/late_exit.py" thread &&
	strings_in_objects "$T/texit.rec" | grep -q compiled_at_the_last_moment
'

test_expect 'killed by SIGKILL right after compiling: 137, object captured' '
	test_must_fail 137 pf-record -q -o "$T/kill.rec" -- "$py" "$prog/late_exit.py" kill &&
	grep -q "^exit [0-9]* 137 SIGKILL$" "$T/kill.rec" &&
	strings_in_objects "$T/kill.rec" | grep -q compiled_at_the_last_moment
'

test_expect 'an uncaught exception right after compiling: status 1, object captured' '
	test_must_fail 1 pf-record -q -o "$T/exc.rec" -- "$py" "$prog/late_exit.py" exception 2>/dev/null &&
	strings_in_objects "$T/exc.rec" | grep -q compiled_at_the_last_moment
'

test_expect 'insn records of real Numba code: every JIT sample, adding up to the lines at a source line' '
	awk "\$1 == \"insn\" && \$4 == \"jit\" && \$8 > 0 { s[\$7 \" \" \$8 \" \" \$9] += \$2 }
	     END { for (k in s) print k, s[k] }" "$T/two.agg" | sort >"$T/insn.lines" &&
	awk "\$1 == \"line\" && \$2 > 0 && \$7 > 0 { print \$6, \$7, \$8, \$2 }" "$T/two.agg" | sort >"$T/line.lines" &&
	test -s "$T/line.lines" && test_cmp "$T/line.lines" "$T/insn.lines" &&
	awk "\$1 == \"insn\" && \$4 == \"jit\" { n += \$2 } \$1 == \"total\" { jit = \$3 }
	     END { exit !(n == jit && n > 0) }" "$T/two.agg"
'

test_expect 'the code that ran is recorded, and is the objects'"'"' own outside relocations' '
	test "$(grep -c "^jitcode " "$T/two.rec")" -gt 0 &&
	awk "\$1 == \"jitcode\" { n[\$2]++ } END { for (id in n) print id }" "$T/two.rec" | sort -n >"$T/code.ids" &&
	awk "\$1 == \"jit\" { print \$2 }" "$T/two.rec" | sort -n >"$T/all.ids" &&
	test "$(wc -l <"$T/code.ids")" -ge 1 &&
	comm -23 "$T/code.ids" "$T/all.ids" | wc -l | grep -qx 0 &&
	pf-symbolize "$T/two.rec" 2>"$T/code.err" >/dev/null &&
	! grep -q "is not the object" "$T/code.err"
'

done_testing
