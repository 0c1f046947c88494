#!/bin/sh
# The C unit tests of common/ (tests/unit/test-*.c): each binary prints
# TAP; one test here per binary, passing when it exits 0 and its TAP is
# complete and clean (known bugs are "not ok ... # TODO" and allowed).
# PF_VALGRIND=1 runs them under valgrind.
. "$(dirname "$0")/lib.sh"

# check_tap FILE: a plan 1..N, N results numbered in order, no failure
# outside TODO.
check_tap() {
	awk '
		/^1\.\.[0-9]+$/ { plans++; planned = substr($0, 4) + 0; next }
		/^(not )?ok [0-9]+/ {
			n++
			num = ($1 == "not") ? $3 : $2
			if (num + 0 != n) { print "result " n " is numbered " num; bad++ }
			if ($1 == "not" && $0 !~ /# TODO /) { print "failed: " $0; bad++ }
		}
		END {
			if (plans != 1) { print "want one plan, found " plans + 0; bad++ }
			else if (planned != n) { print "planned " planned ", ran " n; bad++ }
			if (n == 0) { print "no tests ran"; bad++ }
			exit bad > 0
		}' "$1"
}

run_unit() {
	if [ "${PF_VALGRIND:-0}" = 1 ]; then
		valgrind -q --leak-check=full --errors-for-leak-kinds=definite \
			--error-exitcode=99 "$@"
	else
		"$@"
	fi
}

found=0
for src in "$TOP"/tests/unit/*.c; do
	[ -f "$src" ] || continue
	found=$((found + 1))
	bin=${src%.c}
	name=$(basename "$bin")
	test_expect "unit $name" '
		if ! [ -x "$bin" ]; then
			echo "$bin is not built: make $(echo "$bin" | sed "s|^$TOP/||")"
			exit 1
		fi
		run_unit "$bin" >"$T/$name.tap" 2>"$T/$name.err"
		rc=$?
		cat "$T/$name.tap" "$T/$name.err"
		echo "exit status $rc"
		test "$rc" -eq 0 && check_tap "$T/$name.tap"
	'
done
test_expect 'there are unit tests' 'test "$found" -ge 1'
done_testing
