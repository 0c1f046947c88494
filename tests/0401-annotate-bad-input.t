#!/bin/sh
# pf-annotate: bad lines are reported, skipped and counted; input that
# is not a pf-aggregate stream exits 65; empty results are explained.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/golden.sh"

D=$TOP/tests/data
sed "s|@DATA@|$D|g" "$D/ann-bad.agg" >"$T/bad.agg"

test_expect 'bad lines: exit 1, the valid records before and after shown' '
	(cd "$TOP" && test_must_fail 1 pf-annotate "$T/bad.agg") >"$T/out" 2>"$T/err" &&
	test_golden ann-bad.out "$T/out" &&
	grep -x " 50.0% |         result\[i\] = (7 + timeseries\[i\] / 9 + (timeseries\[i\] \*\* 2) / 7) / 5" "$T/out" &&
	grep -x " 30.0% |         result\[i\] -= helper(result\[i\])" "$T/out" &&
	grep -x "## tests/data/simple.py, lines 17-19, moving_average (80.0%)" "$T/out"
'

test_expect 'each bad line is named on stderr with its number' '
	sed "s|$T/||" "$T/err" >"$T/err.relative" &&
	test_golden ann-bad.err "$T/err.relative" &&
	grep "^pf-annotate: .*bad.agg: line 4: bad line record .line 5x 5.00" "$T/err" &&
	grep "^pf-annotate: .*bad.agg: line 5: bad line record .line 10 10.00 10 10.00 /x%ZZ.py 3 f.$" "$T/err" &&
	grep "^pf-annotate: .*bad.agg: line 6: bad line record" "$T/err" &&
	grep "^pf-annotate: .*bad.agg: line 7: bad line record" "$T/err" &&
	grep "^pf-annotate: .*bad.agg: line 9: bad outside record" "$T/err" &&
	grep "^pf-annotate: .*bad.agg: line 10: second total record" "$T/err" &&
	grep "^pf-annotate: .*bad.agg: line 11: empty line$" "$T/err" &&
	grep "^pf-annotate: .*bad.agg: line 13: truncated record" "$T/err" &&
	grep -x "pf-annotate: ignored 8 bad lines" "$T/err" &&
	! grep "line 8:" "$T/err"
'

test_expect 'a pf-symbolize stream is refused with exit 65' '
	test_must_fail 65 pf-annotate "$D/agg-basic.sym" >"$T/sym.out" 2>"$T/sym.err" &&
	grep "line 1: not a pf-aggregate stream" "$T/sym.err" &&
	test ! -s "$T/sym.out"
'

test_expect 'empty input, unknown version: exit 65' '
	test_must_fail 65 pf-annotate </dev/null >/dev/null 2>"$T/err2" &&
	grep "empty input" "$T/err2" &&
	printf "# pf-aggregate 7\ntotal 0 0 0 0 0 0 0\n" >"$T/v7" &&
	test_must_fail 65 pf-annotate "$T/v7" >/dev/null 2>"$T/err3" &&
	grep "unsupported pf-aggregate version" "$T/err3"
'

test_expect 'no total record: exit 65' '
	printf "# pf-aggregate 2\nline 1 100.00 1 100.00 /a.py 1 f\n" >"$T/nototal" &&
	test_must_fail 65 pf-annotate "$T/nototal" >"$T/nototal.out" 2>"$T/nototal.err" &&
	grep "no total record" "$T/nototal.err"
'

test_expect 'JIT samples but no line records: exit 1, summary printed' '
	pf-aggregate -g function "$D/agg-basic.sym" >"$T/func.agg" &&
	test_must_fail 1 pf-annotate "$T/func.agg" >"$T/func.out" 2>"$T/func.err" &&
	grep -x "# 16 samples, 31.2% outside JIT code, 12.5% unresolved" "$T/func.out" &&
	grep -x "# 12 samples lost (ring buffer full): shares may be skewed" "$T/func.out" &&
	grep -x "pf-annotate: no line records: run pf-aggregate with -g line" "$T/func.err"
'

test_expect 'no JIT samples: exit 0, the summary says so' '
	cat >"$T/nojit.sym" <<-\EOT &&
	# pf-symbolize 2
	sample 1 1 1 0 a native /usr/lib/libm.so.6 pow - 0 -
	sample 2 1 1 0 a native /usr/lib/libm.so.6 exp - 0 -
	sample 3 1 1 0 a native /usr/bin/python3.11 PyObject_Call - 0 -
	sample 4 1 1 0 a kernel [kernel] - - 0 -
	EOT
	pf-aggregate "$T/nojit.sym" >"$T/nojit.agg" &&
	pf-annotate "$T/nojit.agg" >"$T/nojit.out" 2>"$T/nojit.err" &&
	test ! -s "$T/nojit.err" &&
	cat >"$T/nojit.expected" <<-\EOT &&
	# 4 samples, 100.0% outside JIT code, 0.0% unresolved
	# outside JIT code: 50.0% libm (exp 25.0%, pow 25.0%),
	#   25.0% Python interpreter (python3.11: PyObject_Call 25.0%),
	#   25.0% kernel (system calls, page faults)
	# no samples hit JIT code
	EOT
	test_cmp "$T/nojit.expected" "$T/nojit.out"
'

test_expect 'no JIT sample has a line: exit 0, the summary says so' '
	printf "# pf-symbolize 2\nsample 1 1 1 0 a jit jit:1 f - 0 -\n" >"$T/noline.sym" &&
	pf-aggregate "$T/noline.sym" >"$T/noline.agg" &&
	pf-annotate "$T/noline.agg" >"$T/noline.out" &&
	cat >"$T/noline.expected" <<-\EOT &&
	# 1 samples, 0.0% outside JIT code, 0.0% unresolved
	# 100.0% of samples are in JIT code at no source line (not in the listing)
	# no JIT sample has a source line (no line tables in the JIT code?)
	EOT
	test_cmp "$T/noline.expected" "$T/noline.out"
'

test_expect 'zero samples: exit 0' '
	printf "# pf-aggregate 2\ntotal 0 0 0 0 0 0 0\n" >"$T/zero" &&
	pf-annotate "$T/zero" >"$T/zero.out" &&
	printf "%s\n" "# 0 samples, 0.0% outside JIT code, 0.0% unresolved" "# no samples hit JIT code" >"$T/zero.expected" &&
	test_cmp "$T/zero.expected" "$T/zero.out"
'

test_expect 'binary garbage does not crash it' '
	{ echo "# pf-aggregate 2"; echo "total 9 9 0 0 0 0 0"; head -c 20000 /dev/urandom; echo; } >"$T/garbage" &&
	pf-annotate "$T/garbage" >"$T/garbage.out" 2>/dev/null;
	test $? -eq 0 -o $? -eq 1
'

test_expect 'a huge line number does not make it list billions of lines' '
	printf "# pf-aggregate 2\ntotal 2 2 0 0 0 0 0\nline 1 50.00 1 50.00 %s 1 f\nline 1 50.00 1 50.00 %s 4000000000 f\n" \
		"$D/other.py" "$D/other.py" >"$T/huge.agg" &&
	pf-annotate "$T/huge.agg" >"$T/huge.out" &&
	test "$(wc -l <"$T/huge.out")" -eq 6 &&
	grep -x " 50.0% | line 4000000000 (past the end of the file)" "$T/huge.out"
'

test_expect 'a write error is reported (exit 2)' '
	if [ -w /dev/full ]; then
		test_must_fail 2 pf-annotate "$T/func.agg" >/dev/full 2>"$T/full.err" &&
		grep "write error" "$T/full.err"
	fi
'

done_testing
