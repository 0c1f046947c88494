#!/bin/sh
# pf-symbolize: the stream around the samples - header, options, records
# passed through in order, bad lines, kernel and unknown addresses.
. "$(dirname "$0")/lib.sh"

PFS=$TOP/symbolize/pf-symbolize
[ -x "$PFS" ] || { echo "Bail out! build it: make symbolize/pf-symbolize"; exit 1; }
cd "$T" || exit 1

cat >plain.rec <<'EOR'
# pf-record 2
meta version 0.1
meta command /usr/bin/python3 x.py
thread 10 41 41 python3
# a comment
sample 20 41 41 0 ffffffff81000010
future 1 2 3 with more fields
sample 21 41 42 3 1234
lost 30 12
sample 22 41 41 1 ffff800000000000 extra fields ignored
exit 40 0 exited
EOR
cat >plain.want <<'EOR'
# pf-symbolize 2
meta version 0.1
meta command /usr/bin/python3 x.py
thread 10 41 41 python3
# a comment
sample 20 41 41 0 ffffffff81000010 kernel [kernel] - - 0 -
future 1 2 3 with more fields
sample 21 41 42 3 1234 unknown - - - 0 -
lost 30 12
sample 22 41 41 1 ffff800000000000 kernel [kernel] - - 0 -
exit 40 0 exited
EOR

test_expect 'other records are copied in order, samples symbolized' '
	"$PFS" plain.rec >plain.out 2>plain.err &&
	test_cmp plain.want plain.out && ! test -s plain.err
'
test_expect 'reads standard input, and "-"' '
	"$PFS" <plain.rec >stdin.out && test_cmp plain.want stdin.out &&
	"$PFS" - <plain.rec >dash.out && test_cmp plain.want dash.out
'
test_expect 'the largest user address below the kernel half is unknown' '
	printf "# pf-record 2\nsample 1 2 2 0 7fffffffffff\n" >edge.rec &&
	"$PFS" edge.rec >edge.out &&
	grep -Fx "sample 1 2 2 0 7fffffffffff unknown - - - 0 -" edge.out
'
test_expect 'a file without a final newline still ends with one' '
	printf "# pf-record 2\nsample 1 2 2 0 10" >nonl.rec &&
	"$PFS" nonl.rec >nonl.out &&
	printf "# pf-symbolize 2\nsample 1 2 2 0 10 unknown - - - 0 -\n" >nonl.want &&
	test_cmp nonl.want nonl.out
'

cat >bad.rec <<'EOR'
# pf-record 2
sample 1 2 2 0 10
sample 1 2 2 0
sample x 2 2 0 10
sample 1 2 2 0 zz

map 1 2 zz 20 0 /bin/true
map 1 2 30 20 0 /bin/true
jit 0 1 1000 10
jit 1 1 1000 0
jitdata 1 x AAAA
jitdata 1 0 A%AA
sync 1x
sync 2
sample 3 2 2 0 20
EOR
test_expect 'bad lines: warned with their number, skipped, exit 1' '
	test_must_fail 1 "$PFS" bad.rec >bad.out 2>bad.err &&
	cat bad.err &&
	printf "%s\n" "# pf-symbolize 2" \
		"sample 1 2 2 0 10 unknown - - - 0 -" \
		"sample 3 2 2 0 20 unknown - - - 0 -" >bad.want &&
	test_cmp bad.want bad.out &&
	for n in 3 4 5 7 8 9 10 11 12 13; do
		grep "^pf-symbolize: line $n: bad [a-z]* record" bad.err || return 1
	done &&
	grep -Fx "pf-symbolize: line 6: empty line" bad.err &&
	grep -Fx "pf-symbolize: ignored 11 bad lines" bad.err &&
	test "$(wc -l <bad.err)" -eq 12
'
test_expect 'a bad line is quoted in the message' '
	grep -F "line 5: bad sample record '\''sample 1 2 2 0 zz'\''" bad.err
'

test_expect 'wrong header: exit 65' '
	printf "# pf-symbolize 2\nsample 1 2 2 0 10\n" >wrong.rec &&
	test_must_fail 65 "$PFS" wrong.rec >wrong.out 2>wrong.err &&
	grep "line 1: not a pf-record stream" wrong.err
'
test_expect 'unknown version: exit 65' '
	printf "# pf-record 3\n" >v2.rec &&
	test_must_fail 65 "$PFS" v2.rec 2>v2.err && grep "version" v2.err
'
test_expect 'empty input: exit 65' '
	test_must_fail 65 "$PFS" </dev/null 2>empty.err && grep empty empty.err
'
test_expect 'a file that cannot be opened: exit 2' '
	test_must_fail 2 "$PFS" "$T/no-such-file" 2>nofile.err &&
	grep "cannot open .*no-such-file" nofile.err
'
test_expect 'usage errors: exit 64, synopsis on stderr' '
	test_must_fail 64 "$PFS" --bogus 2>u1.err &&
	grep "^usage: pf-symbolize " u1.err &&
	test_must_fail 64 "$PFS" a b 2>u2.err && grep "^usage:" u2.err
'
test_expect '--help on stdout, exit 0; --version' '
	"$PFS" --help >help.out && grep "^usage: pf-symbolize" help.out &&
	grep -- "--no-demangle" help.out &&
	"$PFS" --version >version.out && grep -x "pf-symbolize [0-9.]*" version.out
'
test_expect 'a write error is an error (exit 2)' '
	! test -w /dev/full || test_must_fail 2 "$PFS" plain.rec >/dev/full
'
test_expect 'the man page renders without warnings' '
	if command -v groff >/dev/null; then
		groff -man -ww -z "$TOP/symbolize/pf-symbolize.1" 2>man.err &&
		! test -s man.err
	fi
'
test_expect 'the man page documents every option of --help' '
	"$PFS" --help | grep -o -- "--[a-z-]*" | sort -u >opts &&
	test "$(wc -l <opts)" -ge 3 &&
	sed "s/\\\\-/-/g" "$TOP/symbolize/pf-symbolize.1" >man.txt &&
	while read opt; do
		grep -qF -- "$opt" man.txt || { echo "missing $opt"; return 1; }
	done <opts
'
done_testing
