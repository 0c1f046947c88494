#!/bin/sh
# pf-annotate: unresolved samples (nothing could be named for them) and
# JIT samples at no source line.  Those of a function whose file is
# known are its time: shown in its header; the others are summed in
# the summary.  Older total records, whose UNRESOLVED counted the JIT
# samples without a line, are split into both.
. "$(dirname "$0")/lib.sh"

D=$TOP/tests/data

# agg STREAM-BODY: a pf-aggregate stream with the given records.
agg() {
	printf "# pf-aggregate 2\n%s\n" "$1"
}

# 20 samples: twice (other.py) at line 2 (6 in thread 10, 2 in 11), at
# line 3 (2 in 11), at no line (3 in 10, 1 in 11); n, never at a line
# (2); a JIT sample of no function, an unknown one, two in libm.
{
	echo "# pf-symbolize 2"
	echo "meta command python3 s.py"
	echo "thread 1 10 10 python3"
	echo "thread 2 10 11 worker"
	for i in 1 2 3 4 5 6; do
		echo "sample $i 10 10 0 a jit jit:1 twice $D/other.py 2 -"
	done
	for i in 1 2; do
		echo "sample $i 10 11 0 a jit jit:1 twice $D/other.py 2 -"
		echo "sample $i 10 11 0 a jit jit:1 twice $D/other.py 3 -"
		echo "sample $i 10 10 0 a jit jit:2 n - 0 -"
		echo "sample $i 10 10 0 a native /lib/libm.so.6 pow - 0 -"
	done
	for i in 1 2 3; do
		echo "sample $i 10 10 0 a jit jit:1 twice - 0 -"
	done
	echo "sample 4 10 11 0 a jit jit:1 twice - 0 -"
	echo "sample 5 10 10 0 a jit jit:3 - - 0 -"
	echo "sample 6 10 10 0 a unknown - - - 0 -"
} >"$T/in.sym"

test_expect 'the pipeline' '
	pf-aggregate -T "$T/in.sym" >"$T/in.agg" &&
	grep -x "total 20 17 2 0 1 2 0 0 0 7" "$T/in.agg" &&
	(cd "$T" && pf-annotate "$T/in.agg") >"$T/out" 2>"$T/err" &&
	cat "$T/out" && test ! -s "$T/err"
'

test_expect 'unresolved: the unknown sample and the one of no function' '
	sed -n 1p "$T/out" >"$T/head" &&
	echo "# 20 samples, 15.0% outside JIT code, 10.0% unresolved" >"$T/head.expected" &&
	test_cmp "$T/head.expected" "$T/head"
'

test_expect 'a function at no line: its share in its header, of all samples' '
	grep "^## " "$T/out" >"$T/sections" &&
	echo "## $D/other.py, lines 2-3, twice (70.0%) (20.0% at no source line)" >"$T/sections.expected" &&
	test_cmp "$T/sections.expected" "$T/sections" &&
	grep -x " 40.0% |     y = x + x" "$T/out" &&
	grep -x " 10.0% |     return y" "$T/out"
'

test_expect 'the rest at no line (n) in the summary; not below --min-percent' '
	grep -x "# 10.0% of samples are in JIT code at no source line (not in the listing)" "$T/out" &&
	(cd "$T" && pf-annotate -m 10.5 "$T/in.agg") >"$T/m" &&
	! grep -q "in JIT code at no source line" "$T/m" &&
	grep -q "^## .* (20.0% at no source line)$" "$T/m"
'

test_expect '-n: counts' '
	(cd "$T" && pf-annotate -n "$T/in.agg") >"$T/n" &&
	grep -x "## $D/other.py, lines 2-3, twice (14) (4 at no source line)" "$T/n" &&
	grep -x "# 10.0% of samples are in JIT code at no source line (not in the listing)" "$T/n"
'

test_expect '-t and --each-thread: the share of the thread at no line' '
	(cd "$T" && pf-annotate -t 11 "$T/in.agg") >"$T/t11" &&
	grep -x "# listing of thread 11 worker only: 5 samples, percentages of these" "$T/t11" &&
	grep -x "## $D/other.py, lines 2-3, twice (100.0%) (20.0% at no source line)" "$T/t11" &&
	(cd "$T" && pf-annotate --each-thread "$T/in.agg") >"$T/each" &&
	grep "^##" "$T/each" >"$T/each.sections" &&
	cat >"$T/each.expected" <<-EOT &&
	### thread 10 python3: 15 samples, percentages of these
	## $D/other.py, line 2, twice (60.0%) (20.0% at no source line)
	### thread 11 worker: 5 samples, percentages of these
	## $D/other.py, lines 2-3, twice (100.0%) (20.0% at no source line)
	EOT
	test_cmp "$T/each.expected" "$T/each.sections"
'

# Older streams: UNRESOLVED held the unknown samples and the JIT samples
# without a line.  Here 2 unknown ones and 3 without a line, 1 of them
# on line 0 of twice (its header shows it): 2 are not listed.
test_expect 'an older total of seven fields: UNRESOLVED split' '
	agg "total 10 8 0 0 2 5 0
line 3 30.00 3 30.00 $D/other.py 2 twice
line 1 10.00 1 10.00 $D/other.py 0 twice" >"$T/seven.agg" &&
	(cd "$T" && pf-annotate "$T/seven.agg") >"$T/seven.out" 2>"$T/seven.err" &&
	test ! -s "$T/seven.err" &&
	cat >"$T/seven.expected" <<-EOT &&
	# 10 samples, 20.0% outside JIT code, 20.0% unresolved
	# 20.0% of samples are in JIT code at no source line (not in the listing)
	## $D/other.py, line 2, twice (40.0%) (10.0% at no source line)
	 30.0% |     y = x + x
	EOT
	test_cmp "$T/seven.expected" "$T/seven.out"
'

# The same with NOLINES (1, inside the old UNRESOLVED too) and
# THROTTLED: 6 = 2 unknown + 4 without a line, 1 of them of code
# without line tables and 1 on line 0 of twice.
test_expect 'an older total of nine fields: UNRESOLVED split' '
	agg "total 10 8 0 0 2 6 0 1 0
line 3 30.00 3 30.00 $D/other.py 2 twice
line 1 10.00 1 10.00 $D/other.py 0 twice
nolines 1 10.00 jit:5 f" >"$T/nine.agg" &&
	(cd "$T" && pf-annotate "$T/nine.agg") >"$T/nine.out" 2>"$T/nine.err" &&
	test ! -s "$T/nine.err" &&
	sed -n 1p "$T/nine.out" | grep -x "# 10 samples, 20.0% outside JIT code, 20.0% unresolved" &&
	grep -x "# 10.0% of samples are in JIT code without line tables: f 10.0%" "$T/nine.out" &&
	grep -x "# 20.0% of samples are in JIT code at no source line (not in the listing)" "$T/nine.out"
'

test_expect 'ten fields: UNRESOLVED and LINELESS as they are' '
	agg "total 10 8 0 0 2 3 0 1 0 4
line 3 30.00 3 30.00 $D/other.py 2 twice
line 1 10.00 1 10.00 $D/other.py 0 twice
nolines 1 10.00 jit:5 f" >"$T/ten.agg" &&
	pf-annotate "$T/ten.agg" >"$T/ten.out" &&
	sed -n 1p "$T/ten.out" | grep -x "# 10 samples, 20.0% outside JIT code, 30.0% unresolved" &&
	grep -x "# 10.0% of samples are in JIT code at no source line (not in the listing)" "$T/ten.out" &&
	agg "total 10 8 0 0 2 6 0 0 0 0
line 3 30.00 3 30.00 $D/other.py 2 twice" >"$T/zero.agg" &&
	pf-annotate "$T/zero.agg" >"$T/zero.out" &&
	sed -n 1p "$T/zero.out" | grep -x "# 10 samples, 20.0% outside JIT code, 60.0% unresolved" &&
	! grep -q "at no source line" "$T/zero.out"
'

# Under 0.05% the header would say "0.0% at no source line": no lead.
test_expect 'a share at no source line that rounds to 0.0% is not in the header' '
	agg "total 10000 10000 0 0 0 0 0 0 0 4
line 9996 99.96 9996 99.96 $D/other.py 2 twice
line 4 0.04 4 0.04 $D/other.py 0 twice" >"$T/tiny.agg" &&
	pf-annotate "$T/tiny.agg" >"$T/tiny.out" && cat "$T/tiny.out" &&
	grep -x "## [^ ]*other.py, line 2, twice (100.0%)" "$T/tiny.out" &&
	pf-annotate -n "$T/tiny.agg" | grep -x "## [^ ]*other.py, line 2, twice (10000) (4 at no source line)" &&
	agg "total 10000 10000 0 0 0 0 0 0 0 5
line 9995 99.95 9995 99.95 $D/other.py 2 twice
line 5 0.05 5 0.05 $D/other.py 0 twice" >"$T/small.agg" &&
	pf-annotate "$T/small.agg" | grep -x "## [^ ]*other.py, line 2, twice (100.0%) (0.1% at no source line)"
'

done_testing
