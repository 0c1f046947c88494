#!/bin/sh
# Time in Numba's compiler, by interval (the shim's compile records):
# counted as compiling whatever code it ran, on real Numba.
. "$(dirname "$0")/lib.sh"

py=$(find_numba_python) || skip_all "no Python interpreter with numba (apt-get install python3-numba)"
prog=$TOP/tests/programs
export XDG_CACHE_HOME="$T/cache"

test_expect 'a program that compiles, then runs: compile records' '
	pf-record -q -F 1000 -o "$T/ctr.rec" -- "$py" "$prog/compile_then_run.py" 1 2>"$T/ctr.err" &&
	grep -q "^compile [0-9]* [0-9]* [0-9]* enter - -$" "$T/ctr.rec" &&
	grep -q "^compile [0-9]* [0-9]* [0-9]* begin - __main__.poly$" "$T/ctr.rec" &&
	test "$(grep -c "^compile .* begin - __main__.poly$" "$T/ctr.rec")" = 10 &&
	test "$(grep -c " end - __main__.poly$" "$T/ctr.rec")" = 10 &&
	grep -q "^sync [0-9]*$" "$T/ctr.rec" &&
	pf-symbolize "$T/ctr.rec" >"$T/ctr.sym" &&
	! grep -q "^sync" "$T/ctr.sym" &&
	pf-aggregate "$T/ctr.sym" >"$T/ctr.agg" &&
	pf-annotate "$T/ctr.agg" >"$T/ctr.txt" &&
	! grep -q "^compile " "$T/ctr.agg" &&
	grep -q "^compiling [0-9]* [0-9.]* [0-9]* 10 compile$" "$T/ctr.agg"
'

test_expect '"Numba compiling" is within 8 points of the share measured in the program' '
	awk -v F=1000 "
		FILENAME ~ /err\$/ && \$1 == \"compile\" { cpu = \$2 }
		\$1 == \"total\" { all = \$2 }
		\$1 == \"compiling\" && \$6 == \"compile\" { got = \$3; ns = \$4 }
		END {
			want = 100 * cpu * F / all
			printf \"pf %.1f%%, measured %.1f%% (%.3f s of %d samples), %.3f s in the compiler\\n\", got, want, cpu, all, ns / 1e9
			exit !(cpu > 0.3 && got - want <= 8 && want - got <= 8 && ns / 1e9 >= cpu / 2)
		}" "$T/ctr.err" "$T/ctr.agg" &&
	grep -q "^# outside JIT code: [0-9.]*% Numba compiling ([0-9.]* s, 10 functions)" "$T/ctr.txt"
'

test_expect 'the samples in the compiler are not also in the outside records' '
	awk "
		\$1 == \"total\" { outside = \$4 + \$5 + \$6 }
		\$1 == \"outside\" { sum += \$2 }
		\$1 == \"compiling\" { sum += \$2 }
		END { exit !(sum == outside) }" "$T/ctr.agg"
'

test_expect 'the kernel keeps its line: profiles of the code that runs stay the same' '
	line=$(grep -n "s += ((x \* 3" "$prog/compile_then_run.py" | cut -d: -f1) &&
	awk -v l="$line" "\$1 == \"line\" && \$6 ~ /compile_then_run.py\$/ && \$7 == l { print; found = 1 } END { exit !found }" "$T/ctr.agg"
'

test_expect 'a fresh cache: cache=True code is compiled into pf'"'"'s cache, and said so' '
	pf-record -q -o "$T/c1.rec" -- "$py" "$prog/cached_kernel.py" >/dev/null 2>&1 &&
	grep -q "^compile .* begin cache __main__.cached_sum$" "$T/c1.rec" &&
	grep -q "^compile .* saved cache __main__.cached_sum$" "$T/c1.rec" &&
	grep -q "^compile .* begin - __main__.caller$" "$T/c1.rec" &&
	pf-symbolize "$T/c1.rec" | pf-aggregate >"$T/c1.agg" &&
	grep -q "^compiling [0-9]* [0-9.]* [1-9][0-9]* 1 cache$" "$T/c1.agg" &&
	pf-annotate "$T/c1.agg" >"$T/c1.txt" &&
	tr -d "\n#" <"$T/c1.txt" | grep -q "of it compiling cache=True functions into pf.s cache: once per cache, the next *profiled run loads them"
'

test_expect 'the next run loads it from pf'"'"'s cache' '
	pf-record -q -o "$T/c2.rec" -- "$py" "$prog/cached_kernel.py" >/dev/null 2>&1 &&
	grep -q "^compile .* loaded cache __main__.cached_sum$" "$T/c2.rec" &&
	! grep -q "^compile .* begin cache " "$T/c2.rec" &&
	pf-symbolize "$T/c2.rec" | pf-aggregate >"$T/c2.agg" &&
	grep -q "^compiling [0-9]* [0-9.]* [0-9]* 1 load$" "$T/c2.agg" &&
	! grep -q "^compiling .* cache$" "$T/c2.agg" &&
	pf-annotate "$T/c2.agg" >"$T/c2.txt" &&
	! grep -q "pf.s cache: once" "$T/c2.txt"
'

test_expect '--no-lines and --raw-debuginfo: compile records too' '
	pf-record -q --no-lines -o "$T/nl.rec" -- "$py" "$prog/cached_kernel.py" >/dev/null 2>&1 &&
	grep -q "^compile .* begin - __main__.caller$" "$T/nl.rec" &&
	pf-record -q --raw-debuginfo -o "$T/rd.rec" -- "$py" "$prog/cached_kernel.py" >/dev/null 2>&1 &&
	grep -q "^compile .* begin - __main__.caller$" "$T/rd.rec"
'

test_expect 'a process the program starts does not write into an inherited descriptor number' '
	cat >"$T/child.py" <<-EOF &&
	import os, subprocess, sys
	# The child has the variables but not the pipe: it puts another
	# file at that number before it imports numba.
	code = """
	import os
	fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
	os.dup2(fd, int(os.environ["PF_EVENTS_FD"]))
	from numba import njit
	f = njit(lambda x: x + 1)
	print(f(1))
	"""
	subprocess.run([sys.executable, "-c", "import sys\n" + code.replace("\n\t", "\n"),
	                "$T/victim"], check=True)
	EOF
	pf-record -q -o "$T/sub.rec" -- "$py" "$T/child.py" >"$T/sub.out" 2>&1 &&
	grep -qx 2 "$T/sub.out" &&
	test -f "$T/victim" && test ! -s "$T/victim"
'

done_testing
