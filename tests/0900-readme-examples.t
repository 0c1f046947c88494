#!/bin/sh
# The command lines of README.md's "Using the tools", run as written
# (with the JIT fixture in place of "python3 my_script.py args..."), so
# that the README cannot drift from the tools.
. "$(dirname "$0")/lib.sh"

# The indented lines of the section, up to the next paragraph.
sed -n '/^## Using the tools/,/^Every stream is text/p' "$TOP/README.md" |
	sed -n 's/^    //p' | sed 's/ *# .*//' >"$T/commands"
# The hot-lines example given a few paragraphs later.
grep "^    pf-aggregate run.sym | awk" "$TOP/README.md" | sed 's/^    //' >>"$T/commands"

test_expect 'the README lists the commands this test runs' '
	[ "$(wc -l <"$T/commands")" -ge 7 ] &&
	grep -q "^pf-record -o run.rec -- python3 my_script.py args...$" "$T/commands"
'

cd "$T" || exit 1
n=0
while IFS= read -r cmd; do
	n=$((n + 1))
	run=$(printf "%s" "$cmd" | sed "s|python3 my_script.py args...|$TOP/tests/fixtures/jitfixture run 1|")
	printf "%s\n" "$run" >"cmd.$n"
	test_expect "README: $cmd" '
		sh -e "cmd.'$n'" >"out.'$n'" 2>"err.'$n'"
		status=$?
		cat "out.'$n'" "err.'$n'"
		[ $status -eq 0 ] && { [ -s "out.'$n'" ] || [ -s run.rec ]; } &&
		! grep -v "^pf-record: [0-9]* samples at" "err.'$n'" |
			grep -q "^pf-[a-z]*: \|usage:"
	'
done <"$T/commands"

done_testing
