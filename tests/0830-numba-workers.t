#!/bin/sh
# Worker processes (issue 12): a multiprocessing Pool(2) of workers that
# run an @njit loop, started by fork (running the code they inherited
# from the parent) and by spawn (each compiling its own, in a new
# program).  pf-record follows every process: their JIT objects, with
# the process they belong to, fork and exec records, exit statuses; the
# workers' loop line carries the JIT samples, and the per-process
# summary names the workers.
. "$(dirname "$0")/lib.sh"

py=$(find_numba_python) || skip_all "no Python with numba"
prog=$TOP/tests/programs/workers.py

# check METHOD: the recording and listing of workers.py METHOD.
record_workers() {
	pf-record -F 1000 -o "$T/$1.rec" -- "$py" "$prog" "$1" 16 >"$T/$1.out" 2>"$T/$1.err" &&
	cat "$T/$1.err" && grep -q "^total " "$T/$1.out" &&
	pf-symbolize "$T/$1.rec" >"$T/$1.sym" &&
	pf-aggregate --per-thread "$T/$1.sym" >"$T/$1.agg" &&
	pf-annotate "$T/$1.agg" >"$T/$1.txt" && cat "$T/$1.txt" &&
	main=$(sed -n "s/^meta pid //p" "$T/$1.rec") &&
	# the two workers: the processes with the most JIT samples
	awk "\$1 == \"sample\" && \$7 == \"jit\" { n[\$3]++ }
	     END { for (p in n) print n[p], p }" "$T/$1.sym" | sort -nr | head -2 |
		awk "{ print \$2 }" >"$T/$1.workers" &&
	test "$(wc -l <"$T/$1.workers")" -eq 2 && ! grep -qx "$main" "$T/$1.workers"
}

# The kernel's lines carry nearly all JIT samples, the HOT line most,
# and each worker is in the per-process summary.
check_workers() {
	awk "\$1 == \"line\" && \$8 == \"kernel\" { k += \$2 }
	     \$1 == \"total\" { jit = \$3 }
	     END { print k, jit; exit !(jit > 200 && k >= 0.9 * jit) }" "$T/$1.agg" &&
	hottest_line "$T/$1.txt" | grep -q "# HOT$" &&
	for w in $(cat "$T/$1.workers"); do
		grep "^# process $w .*: [0-9]* samples ([0-9.]*%), [0-9.]*% in JIT code" "$T/$1.txt" || exit 1
		awk -v w="$w" "\$1 == \"sample\" && \$3 == w { n++; if (\$7 == \"jit\") j++ }
			END { print w, j, n; exit !(j > 20 && j >= 0.1 * n) }" "$T/$1.sym" || exit 1
	done
}

test_expect 'Pool(2) with fork: the workers run the inherited code, and it is named' '
	record_workers fork &&
	for w in $(cat "$T/fork.workers"); do
		grep -q "^fork [0-9]* $w $main$" "$T/fork.rec" &&
		grep -q "^# process $w (forked from $main): " "$T/fork.txt" || exit 1
	done &&
	# the code they ran is the parent one: no JIT object of their own
	! awk "\$1 == \"jit\" { print \$6 }" "$T/fork.rec" | grep -qxf "$T/fork.workers" &&
	check_workers fork
'
test_expect 'Pool(2) with spawn: each worker is a new program with objects of its own' '
	record_workers spawn &&
	for w in $(cat "$T/spawn.workers"); do
		grep -q "^exec [0-9]* $w [^ ]*python[^ ]* .*spawn_main" "$T/spawn.rec" &&
		awk -v w="$w" "\$1 == \"jit\" && \$6 == w { n++ } END { exit !n }" "$T/spawn.rec" &&
		grep -q "^# process $w [^ ]*python.*spawn_main.*: " "$T/spawn.txt" || exit 1
	done &&
	check_workers spawn
'
# forkserver: the workers are forked from a server that was spawned;
# both workers map libLLVM at the same address (forked from one
# process), each its own mapping, its own descriptor, its own objects.
test_expect 'Pool(2) with forkserver: the server'"'"'s children, each with its own objects' '
	record_workers forkserver &&
	for w in $(cat "$T/forkserver.workers"); do
		grep -q "^fork [0-9]* $w [0-9]*$" "$T/forkserver.rec" &&
		awk -v w="$w" "\$1 == \"jit\" && \$6 == w { n++ } END { exit !n }" "$T/forkserver.rec" &&
		grep -q "^meta jit-descriptor [0-9a-f]* [^ ]* $w$" "$T/forkserver.rec" || exit 1
	done &&
	check_workers forkserver
'
# A spawned worker does not inherit the shim's pipe descriptor: it
# opens it again through the first process, so its compile times count.
test_expect 'spawned workers report their Numba compilations too' '
	for w in $(cat "$T/spawn.workers"); do
		grep -q "^compile [0-9]* $w [0-9]* begin - __main__.kernel$" "$T/spawn.rec" ||
		grep -q "^compile [0-9]* $w [0-9]* begin - __mp_main__.kernel$" "$T/spawn.rec" || exit 1
	done
'
test_expect 'every process ended is in the recording with its status' '
	for w in $(cat "$T/fork.workers") $(cat "$T/spawn.workers"); do
		grep -q "^procexit [0-9]* $w [0-9]* [A-Z0-9a-z]*$" "$T/fork.rec" "$T/spawn.rec" || exit 1
	done &&
	tail -n 1 "$T/fork.rec" | grep -q "^exit [0-9]* 0 exited$"
'
test_expect 'pf-annotate -p PID: one worker'"'"'s listing, in percentages of its samples' '
	w=$(head -n 1 "$T/fork.workers") &&
	pf-annotate -p "$w" "$T/fork.agg" >"$T/one.txt" && cat "$T/one.txt" &&
	grep -q "^# listing of process $w only: [0-9]* samples, percentages of these$" "$T/one.txt" &&
	hottest_line "$T/one.txt" | grep -q "# HOT$" &&
	test_must_fail 1 pf-annotate -p 1 "$T/fork.agg" >/dev/null 2>"$T/none.err" &&
	grep -q "no samples of process 1" "$T/none.err" &&
	test_must_fail 64 pf-annotate -p "$w" -t "$w" "$T/fork.agg" 2>/dev/null
'
test_expect 'the HTML report has a listing of each worker process' '
	pf-annotate --html "$T/fork.agg" >"$T/fork.html" &&
	for w in $(cat "$T/fork.workers"); do
		grep -q "<option value=\"p$w\">process $w: [0-9]* samples</option>" "$T/fork.html" &&
		sed -n "/<section class=\"view\" id=\"p$w\"/,/<\/section>/p" "$T/fork.html" >"$T/p$w.html" &&
		grep -q "# listing of process $w only" "$T/p$w.html" &&
		grep -q "<td class=\"code\">.*# HOT</td>" "$T/p$w.html" || exit 1
	done
'
test_expect 'pf-annotate --each-process: each process'"'"'s listing, the busiest first' '
	pf-annotate --each-process "$T/spawn.agg" >"$T/each.txt" &&
	grep "^### process " "$T/each.txt" >"$T/each.heads" && cat "$T/each.heads" &&
	for w in $(cat "$T/spawn.workers"); do
		grep -q "^### process $w: [0-9]* samples, percentages of these$" "$T/each.heads" || exit 1
	done &&
	awk "{ n = \$4 + 0; if (NR > 1 && n > last) bad = 1; last = n } END { exit bad }" "$T/each.heads"
'

done_testing
