#!/bin/sh
# pf-record -p on real Numba: a process started without pf gives a
# profile by function (and pf says how to have lines); one started with
# `python3 -m pf` gives lines; both go on unharmed after pf detaches.
. "$(dirname "$0")/lib.sh"

py=$(find_numba_python) || skip_all "no Python with numba"
prog=$TOP/tests/programs/attach_target.py
# `import pf` finds the package alone, without the start-up shim beside
# it (which PYTHONPATH=record/shim would also run).
mkdir -p "$T/pkg" && ln -sfn "$TOP/record/shim/pf" "$T/pkg/pf"


test_expect 'started without pf: a profile by function, and how to have lines' '
	"$py" "$prog" 8 >"$T/plain.out" 2>"$T/plain.err" &
	pid=$! &&
	await_line "$T/plain.out" "^ready $pid$" 60 &&
	pf-record -p $pid -d 1.5 -o "$T/plain.rec" 2>"$T/plain.rec-err" &&
	cat "$T/plain.rec-err" &&
	grep -q "^pf-record: attached to process $pid (" "$T/plain.rec-err" &&
	grep -q "none of its [0-9]* JIT objects has line tables" "$T/plain.rec-err" &&
	grep -q "python3 -m pf SCRIPT" "$T/plain.rec-err" &&
	grep -q "^meta lines attached$" "$T/plain.rec" &&
	pf-symbolize "$T/plain.rec" | pf-aggregate | pf-annotate >"$T/plain.txt" &&
	cat "$T/plain.txt" &&
	grep -q "^# line tables: none (pf-record -p on a process started without pf" "$T/plain.txt" &&
	share=$(sed -n "s/^## .*kernel(.*) (no line table), \([0-9.]*\)%$/\1/p" "$T/plain.txt") &&
	echo "kernel: $share%" && [ "${share%.*}" -ge 50 ] &&
	kill -0 $pid && wait $pid && grep -q "^calls [0-9][0-9]*$" "$T/plain.out"
'

test_expect 'started with python3 -m pf: the hot line' '
	PYTHONPATH=$T/pkg "$py" -m pf "$prog" 8 >"$T/pf.out" 2>"$T/pf.err" &
	pid=$! &&
	await_line "$T/pf.out" "^ready $pid$" 60 &&
	pf-record -p $pid -d 1.5 -o "$T/pf.rec" 2>"$T/pf.rec-err" &&
	cat "$T/pf.rec-err" &&
	! grep -q "has line tables" "$T/pf.rec-err" &&
	grep -q "^meta lines numba-faithful$" "$T/pf.rec" &&
	pf-symbolize "$T/pf.rec" | pf-aggregate | pf-annotate >"$T/pf.txt" &&
	cat "$T/pf.txt" &&
	hottest_line "$T/pf.txt" | grep -q "# HOT$" &&
	! grep -q "^# line tables" "$T/pf.txt" &&
	wait $pid && grep -q "^calls [0-9][0-9]*$" "$T/pf.out" && test ! -s "$T/pf.err"
'

# python3 -m pf runs the program as python3 would: its arguments, its
# __main__, its directory on sys.path, -m MODULE; and pf's own cache.
test_expect 'python3 -m pf runs a program as python3 would, with pf'"'"'s Numba cache' '
	mkdir -p "$T/prog" &&
	printf "import sys, os\nimport helper\nprint(__name__, sys.argv[1:], os.environ.get(\"NUMBA_CACHE_DIR\"))\n" >"$T/prog/main.py" &&
	: >"$T/prog/helper.py" &&
	(cd "$T" && PYTHONPATH=$T/pkg "$py" -m pf prog/main.py a "b c") >"$T/main.out" &&
	cat "$T/main.out" &&
	pf-record -q -o "$T/cache.rec" -- true &&
	cache=$(sed -n "s/^meta numba-cache //p" "$T/cache.rec") &&
	grep -qx "__main__ \[.a., .b c.\] $cache" "$T/main.out" &&
	(cd "$T/prog" && PYTHONPATH=$T/pkg "$py" -m pf -m helper) &&
	test_must_fail 2 env PYTHONPATH=$T/pkg "$py" -m pf "$T/nosuch.py" 2>"$T/nosuch.err" &&
	grep -q "can.t open file" "$T/nosuch.err" &&
	test_must_fail 64 env PYTHONPATH=$T/pkg "$py" -m pf 2>/dev/null &&
	PYTHONPATH=$T/pkg "$py" -m pf --help | grep -q "^usage: python3 -m pf"
'

done_testing
