#!/bin/sh
# gdb itself finds the code that jitfixture registers through the GDB JIT
# interface: proof that the fixture registers objects the way LLVM's
# GDBRegistrationListener does (static descriptor in .symtab only, list
# head, sh_addr of .text patched, .rela.debug_* left to the debugger).
. "$(dirname "$0")/lib.sh"

FIX=$TOP/tests/fixtures
JF=$FIX/jitfixture
command -v gdb >/dev/null 2>&1 || skip_all 'gdb is not installed'
if ! [ -x "$JF" ] || ! [ -f "$FIX/hot.o" ]; then
	echo "Bail out! build the fixture: make tests/fixtures/jitfixture tests/fixtures/hot.o"
	exit 1
fi
gdb -nx -batch -ex run --args /bin/true >"$T/probe" 2>&1 </dev/null
grep -q 'exited normally' "$T/probe" || skip_all 'gdb cannot run programs here'

# Line of hot_entry that calls dear_loop (used in a test below).
# shellcheck disable=SC2034
CALL=$(grep -n 'return dear_loop' "$FIX/hot.c" | cut -d: -f1)

# run_gdb OUT GDB-ARGS...: batch gdb, output to $T/OUT.
run_gdb() {
	out=$1
	shift
	timeout 120 gdb -nx -batch "$@" >"$T/$out" 2>&1 </dev/null
	return 0
}

cd "$T" || exit 1
run_gdb bt -ex 'set breakpoint pending on' -ex 'break dear_loop' -ex run \
	-ex bt -ex 'info symbol $pc' -ex kill --args "$JF" run 2
run_gdb run -ex 'break print_result' -ex run -ex 'info line cheap_loop' \
	-ex 'info symbol hot_entry' -ex kill --args "$JF" run 0.2
run_gdb unreg -ex 'break free_object' -ex run -ex 'info line dear_loop' \
	-ex kill --args "$JF" unregister 0.2
run_gdb exit -ex 'break _exit' -ex run -ex 'info line cheap_loop' \
	-ex kill --args "$JF" exit 3
run_gdb texit -ex 'break _exit' -ex run -ex 'info line cheap_loop' \
	-ex 'thread' -ex kill --args "$JF" thread-exit 3

test_expect 'a pending breakpoint on a function of the JIT object is hit' '
	grep "^Breakpoint 1, dear_loop (" bt
'
test_expect 'the backtrace names JIT functions with hot.c lines' '
	grep -E "^#0  dear_loop \(.*\) at (.*/)?hot\.c:[0-9]+\$" bt &&
	grep -E "^#1  0x[0-9a-f]+ in hot_entry \(.*\) at (.*/)?hot\.c:$CALL\$" bt
'
test_expect 'gdb unwinds from the JIT code into the fixture' '
	grep -E "^#2  0x[0-9a-f]+ in run_hot \(.*\) at .*jitfixture\.c:[0-9]+\$" bt
'
test_expect 'the code belongs to an in-memory object file' '
	grep "^dear_loop in section \.text of <in-memory@0x" bt &&
	grep "^hot_entry in section \.text of <in-memory@0x" run
'
test_expect 'line tables of the registered object resolve' '
	grep -E "^Line [0-9]+ of \"(.*/)?hot\.c\" starts at address 0x[0-9a-f]+ <cheap_loop>" run
'
test_expect 'an unregistered object is gone from gdb' '
	grep "^Breakpoint 1, free_object (" unreg &&
	grep "^Function \"dear_loop\" not defined\." unreg
'
test_expect 'an object registered just before _exit is seen' '
	grep -E "^Line [0-9]+ of \"(.*/)?hot\.c\" .*<cheap_loop>" exit
'
test_expect 'an object registered in a second thread is seen' '
	grep -E "hit Breakpoint 1.*_exit" texit &&
	grep -E "^\[Current thread is 2 " texit &&
	grep -E "^Line [0-9]+ of \"(.*/)?hot\.c\" .*<cheap_loop>" texit
'
done_testing
