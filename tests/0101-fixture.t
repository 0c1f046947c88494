#!/bin/sh
# jitfixture, the stand-in for Numba's JIT used by the pf-record tests:
# where its GDB JIT symbols live, its modes and their exit statuses.
. "$(dirname "$0")/lib.sh"

FIX=$TOP/tests/fixtures
JF=$FIX/jitfixture
if ! [ -x "$JF" ] || ! [ -f "$FIX/hot.o" ]; then
	echo "Bail out! build the fixture: make tests/fixtures/jitfixture tests/fixtures/hot.o"
	exit 1
fi
cd "$T" || exit 1
# No core files from the signal modes.
# shellcheck disable=SC3045
ulimit -c 0 2>/dev/null

# syms FILE: "TABLE BIND TYPE NAME" for the GDB JIT symbols of FILE.
syms() {
	readelf -sW --dyn-syms "$1" | awk '
		/^Symbol table/ { table = $3; gsub(/[^a-z.]/, "", table) }
		$8 ~ /^__jit_debug_/ { print table, $5, $4, $8 }'
}

# number_only FILE: FILE is one line holding a decimal number.
number_only() {
	test "$(wc -l <"$1")" -eq 1 && grep -Eq '^[0-9]+$' "$1"
}

test_expect '__jit_debug_descriptor is LOCAL, in .symtab only, like llvmlite wheels' '
	command -v readelf &&
	syms "$JF" >syms &&
	cat syms &&
	grep -Fx ".symtab LOCAL OBJECT __jit_debug_descriptor" syms &&
	grep -Fx ".symtab GLOBAL FUNC __jit_debug_register_code" syms &&
	! grep "^\.dynsym" syms
'
test_expect 'run prints only a number and exits 0 (hot.o found next to it)' '
	"$JF" run 0.2 >run.out 2>run.err &&
	number_only run.out && ! test -s run.err
'
test_expect 'run takes about SECONDS of CPU time' '
	start=$(date +%s%N) && "$JF" run 0.5 >/dev/null && end=$(date +%s%N) &&
	ms=$(( (end - start) / 1000000 )) && echo "$ms ms" &&
	test "$ms" -ge 450 && test "$ms" -lt 5000
'
test_expect 'threads N SECONDS exits 0 with a number' '
	"$JF" threads 2 0.2 >threads.out && number_only threads.out
'
test_expect 'unregister exits 0 with a number' '
	"$JF" unregister 0.2 >unreg.out && number_only unreg.out
'
test_expect 'exit CODE ends with CODE after printing a number' '
	test_must_fail 3 "$JF" exit 3 >exit.out && number_only exit.out
'
test_expect 'thread-exit CODE ends with CODE' '
	test_must_fail 4 "$JF" thread-exit 4 >texit.out && number_only texit.out
'
test_expect 'signal SIGTERM dies by SIGTERM' '
	test_must_fail 143 "$JF" signal SIGTERM >sig.out && number_only sig.out
'
test_expect 'signal SIGSEGV dies by SIGSEGV' '
	test_must_fail 139 "$JF" signal SIGSEGV >/dev/null
'
test_expect 'signal KILL dies by SIGKILL' '
	test_must_fail 137 "$JF" signal KILL >/dev/null
'
test_expect 'a missing hot.o is a clean error, exit 2' '
	test_must_fail 2 "$JF" -o "$T/nonexistent.o" run 1 >miss.out 2>miss.err &&
	! test -s miss.out && grep "nonexistent.o" miss.err
'
test_expect 'a file that is not ELF is a clean error, exit 2' '
	test_must_fail 2 "$JF" -o "$FIX/hot.c" run 1 2>notelf.err &&
	grep "not an ELF file" notelf.err
'
test_expect 'bad usage exits 64' '
	test_must_fail 64 "$JF" bogus 1 2>/dev/null &&
	test_must_fail 64 "$JF" run 2>/dev/null &&
	test_must_fail 64 "$JF" run soon 2>/dev/null &&
	test_must_fail 64 "$JF" signal SIGNOPE 2>/dev/null
'
done_testing
