# tests/man.sh - sourced after lib.sh by the man-page tests.
#
# test_man_page TOOL MANFILE SETUP: MANFILE renders without warnings, its
# SYNOPSIS is the usage line of TOOL --help, every option of --help is in
# it, and its EXAMPLES run (pf-record ones left out) in $T after the
# shell code SETUP has put their input files there.

test_man_page() {
	man_tool=$1
	man_file=$2
	man_setup=$3
	command -v groff >/dev/null 2>&1 || skip_all 'groff is not installed'

	test_expect 'groff renders it without warnings' '
		groff -man -Tutf8 -ww -rLL=200n -P-cbou "$man_file" >"$T/man.txt" 2>"$T/groff.err" &&
		test ! -s "$T/groff.err" &&
		grep "^EXIT STATUS" "$T/man.txt" && grep "^SEE ALSO" "$T/man.txt"
	'

	test_expect 'SYNOPSIS is the usage line of --help' '
		sed -n "/^SYNOPSIS/{n;p;}" "$T/man.txt" | sed "s/^ *//; s/  */ /g" >"$T/synopsis" &&
		$man_tool --help | sed -n "1s/^usage: //p" >"$T/usage" &&
		test_cmp "$T/usage" "$T/synopsis"
	'

	test_expect 'every option of --help is in OPTIONS' '
		for opt in $($man_tool --help | grep -o "^  -[a-zA-Z], --[a-z-]*" | sed "s/,//"); do
			grep -q -- "$opt" "$T/man.txt" || { echo "missing $opt"; exit 1; }
		done
	'

	# The examples, as rendered: the lines indented 14 spaces in EXAMPLES.
	test_expect 'the examples run (pf-record ones are left out)' '
		sed -n "/^EXAMPLES/,/^SEE ALSO/p" "$T/man.txt" | sed -n "s/^              //p" |
			grep -v pf-record >"$T/examples" &&
		test "$(wc -l <"$T/examples")" -ge 2 &&
		eval "$man_setup" &&
		cd "$T" &&
		while read -r cmd; do
			echo "\$ $cmd"
			sh -c "$cmd" </dev/null >>"$T/example.out" || exit 1
		done <"$T/examples" &&
		cat "$T/example.out" &&
		test -s "$T/example.out"
	'
}
