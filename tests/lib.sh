# tests/lib.sh - sourced by every tests/NNNN-*.t script; prints TAP.
#
#   . "$(dirname "$0")/lib.sh"
#   test_expect 'what it checks' 'shell code that exits 0 on success'
#   done_testing
#
# Each test script gets a fresh scratch directory $T (tests/out/NAME).
# Save each stage's output to a file there instead of piping, so that an
# upstream crash shows up as its own exit code.

set -u
LC_ALL=C
export LC_ALL
TOP=$(cd "$(dirname "$0")/.." && pwd)
PATH=$TOP/record:$TOP/symbolize:$TOP/aggregate:$TOP/annotate:$PATH
export TOP PATH
T=$TOP/tests/out/$(basename "$0" .t)
rm -rf "$T"
mkdir -p "$T"

test_count=0
test_failed=0

# test_expect DESCRIPTION CODE: run CODE in a subshell, pass when it exits 0.
test_expect() {
	test_count=$((test_count + 1))
	if (eval "$2") >"$T/log.$test_count" 2>&1; then
		echo "ok $test_count - $1"
	else
		echo "not ok $test_count - $1"
		# On stderr, so that a CI log (prove without -v) keeps the reason.
		sed 's/^/# /' "$T/log.$test_count" >&2
		test_failed=$((test_failed + 1))
	fi
}

# test_must_fail CODE COMMAND...: COMMAND must exit with exactly CODE.
# A crash (signal) or any other status fails, with the status printed.
test_must_fail() {
	want=$1
	shift
	"$@"
	got=$?
	if [ "$got" -ne "$want" ]; then
		echo "expected exit $want from '$*', got $got" >&2
		return 1
	fi
	return 0
}

# test_cmp EXPECTED ACTUAL: files must be identical; shows the diff.
test_cmp() {
	diff -u "$1" "$2"
}

# skip_all REASON: the machine cannot run these tests at all.
skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

done_testing() {
	echo "1..$test_count"
	[ "$test_failed" -eq 0 ]
	exit $?
}

# find_numba_python: print the interpreter that can import numba, or
# nothing (see scripts/numba-python).
find_numba_python() {
	"$TOP/scripts/numba-python"
}

# strings_in_objects RECORDING: the printable strings of every JIT object
# captured in a pf-record stream (decoded from its jitdata records).
strings_in_objects() {
	for id in $(awk '$1 == "jit" { print $2 }' "$1"); do
		awk -v id="$id" '$1 == "jitdata" && $2 == id { print $4 }' "$1" |
			tr -d '\n' | base64 -d | strings -n 6
	done
}

# hot_object OUT ADDR: tests/fixtures/hot.c compiled (once per test,
# hot.tmp.o in the current directory) into the relocatable object OUT
# whose .text sits at ADDR (hex, 0x...), as a JIT object lies in memory.
hot_object() {
	{ [ -f hot.tmp.o ] || cc -O1 -g -fno-pic -c -o hot.tmp.o "$TOP/tests/fixtures/hot.c"; } &&
	objcopy --change-section-address .text="$2" hot.tmp.o "$1"
}

# hot_records ADDR: the start of a recording of process 7 whose JIT
# object 1 is hot.o of the current directory, made by hot_object at
# ADDR (hex, without 0x): header, the object and the code that ran.
hot_records() {
	objcopy -O binary --only-section=.text hot.o text.bin &&
	echo "# pf-record 2" && echo "meta pid 7" &&
	sh "$TOP/tests/jit-records.sh" 1 10 hot.o &&
	echo "jitcode 1 $1 $(base64 -w 0 text.bin)"
}

# sym_at NAME OFFSET: the address (hex) of symbol NAME of hot.o in the
# current directory plus OFFSET (nm shows where hot_object put .text).
sym_at() {
	printf "%x" $((0x$(nm hot.o | awk -v n="$1" '$3 == n { print $1 }') + $2))
}

# samples N TID ADDR: N sample records of thread TID of process 7 at ADDR.
samples() {
	i=0
	while [ $i -lt "$1" ]; do echo "sample 20 7 $2 0 $3"; i=$((i + 1)); done
}

# await_line FILE PATTERN [SECONDS]: wait until FILE has a line that
# matches PATTERN (grep); fails after SECONDS (default 10).
await_line() {
	await_i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		await_i=$((await_i + 1))
		[ $await_i -gt $((${3:-10} * 20)) ] && return 1
		sleep 0.05
	done
}

# hottest_line FILE: the row of pf-annotate's text listing FILE with the
# largest share (ties: the first).
hottest_line() {
	awk -F"|" '/^ *[0-9.]+% \|/ { v = $1 + 0; if (v > best) { best = v; text = $0 } }
		END { print text }' "$1"
}

# spans_agree SYM: every sample of pf-symbolize output SYM that lies in
# a span record's range is described by it exactly as the sample is
# (FUNCTION FILE LINE INLINED).  Prints "N samples in spans, M bad" and
# fails when M > 0; the caller checks N.  Addresses are padded to 16
# hex digits and prefixed with x, to be sorted and compared as text
# ("0000000000522e46" would otherwise be a number with an exponent).
spans_agree() {
	awk 'function h(x,  s) { s = sprintf("%16s", x); gsub(/ /, "0", s); return "x" s }
	     $1 == "span" { print $2, h($3), 0, h($4), $5, $6, $7, $8 }
	     $1 == "sample" && ($7 == "jit" || $7 == "native") { print $8, h($6), 1, $9, $10, $11, $12 }' "$1" |
	LC_ALL=C sort -s -k1,1 -k2,2 -k3,3n |
	awk '$3 == 0 { obj = $1; end = $4; d = $5 " " $6 " " $7 " " $8; next }
	     $1 == obj && $2 < end { n++; if ($4 " " $5 " " $6 " " $7 != d) { bad++; if (bad < 5) print "differs: " $0 " span: " d } }
	     END { print n + 0, "samples in spans,", bad + 0, "bad"; exit bad > 0 }'
}

# stack_chains SYM: each sample of pf-symbolize output SYM (recorded
# with -g) as one line: its FUNCTION, then each caller frame outwards
# as FUNCTION:LINE, and "..." for the callers an unwind did not find.
stack_chains() {
	awk '$1 == "stack" { par[$2] = $4; pc[$2] = $5; fn[$2] = $8; ln[$2] = $10; next }
	     $1 == "sample" { s = $9; k = 0
		for (n = $13; n != 0 && k < 1000; n = par[n]) { k++; s = s " " (pc[n] == "0" ? "..." : fn[n] ":" ln[n]) }
		print s }' "$1"
}

# calls_within_totals AGG: every call record into a JIT function of
# pf-aggregate output AGG counts at most the samples of the callee's
# functiontotal record (the largest one of that name: two files may
# have functions of one name); a callee without one is left out (no
# line tables).  Prints the calls it checked and those over.
calls_within_totals() {
	awk '$1 == "functiontotal" && $2 > ft[$5] { ft[$5] = $2 }
	     $1 == "call" && $9 == "jit" { c[NR] = $2; fn[NR] = $11 }
	     END { for (i in c) if (fn[i] in ft) { n++; if (c[i] > ft[fn[i]]) { bad++; print "over: call into " fn[i] " " c[i] " > total " ft[fn[i]] } }
		   print n + 0, "calls checked,", bad + 0, "over their callee'"'"'s total"; exit bad > 0 }' "$1"
}
