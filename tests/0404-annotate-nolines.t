#!/bin/sh
# pf-annotate: lost and throttled samples, how line tables were
# obtained (meta lines), and JIT code without line tables (the NOLINES
# field of total, nolines records): said plainly in the summary, and
# the time of those functions shown.  Older streams, whose total record
# has seven fields, still work (see also 0408-annotate-lineless.t).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/golden.sh"

D=$TOP/tests/data

# agg STREAM-BODY: a pf-aggregate stream with the given records.
agg() {
	printf "# pf-aggregate 2\n%s\n" "$1"
}

test_expect 'the pipeline on code without line tables (golden)' '
	pf-aggregate "$D/agg-nolines.sym" >"$T/n.agg" &&
	pf-annotate --min-percent=0 "$T/n.agg" >"$T/n.out" 2>"$T/n.err" &&
	test_golden ann-nolines.out "$T/n.out" &&
	test ! -s "$T/n.err"
'

test_expect 'the summary: losses, then the code without line tables' '
	sed -n 2,6p "$T/n.out" >"$T/summary" &&
	cat >"$T/summary.expected" <<-\EOT &&
	# 3 samples lost (ring buffer full), sampling throttled 3 times by the kernel: shares may be skewed
	# command: /usr/bin/python3 cached.py
	# 69.2% of samples are in JIT code without line tables: __main__.g(double) 30.8%,
	#   __main__.h(long long) 15.4%, Numba runtime 7.7%, jit:9 7.7%, 1 other 7.7%
	#   (compiled without line tables: pf'"'"'s shim did not run or did not know this Numba, see pf-record'"'"'s warnings; or cache=True code from a cache other than pf'"'"'s)
	EOT
	test_cmp "$T/summary.expected" "$T/summary"
'

test_expect 'functions without line tables are listed by share among the files' '
	grep "^## " "$T/n.out" >"$T/sections" &&
	cat >"$T/sections.expected" <<-\EOT &&
	## __main__.g(double) (no line table), 30.8%
	## __main__.h(long long) (no line table), 15.4%
	## /src/c.py (source not found), f (7.7%)
	## Numba runtime (no line table), 7.7%
	## jit:9 (no line table), 7.7%
	## k (no line table), 7.7%
	EOT
	test_cmp "$T/sections.expected" "$T/sections"
'

test_expect 'objects of the same function are merged; -n shows counts' '
	agg "total 10 10 0 0 0 0 0 10 0 10
nolines 4 40.00 jit:1 f
nolines 3 30.00 jit:3 g
nolines 2 20.00 jit:2 f
nolines 1 10.00 jit:4 NRT_incref" >"$T/merge.agg" &&
	pf-annotate -n "$T/merge.agg" >"$T/merge.out" &&
	cat "$T/merge.out" &&
	cat >"$T/merge.expected" <<-\EOT &&
	# 10 samples, 0.0% outside JIT code, 0.0% unresolved
	# 100.0% of samples are in JIT code without line tables: f 60.0%, g 30.0%, Numba runtime 10.0%
	#   (compiled without debug info: cache=True code from an old cache, or pf-record --no-lines)
	## f (no line table), 6
	## g (no line table), 3
	## Numba runtime (no line table), 1
	EOT
	test_cmp "$T/merge.expected" "$T/merge.out"
'

test_expect '--min-percent hides them too, and counts them' '
	pf-annotate -m 25 "$T/merge.agg" >"$T/min.out" &&
	grep -x "## g (no line table), 30.0%" "$T/min.out" &&
	! grep -q "Numba runtime (no" "$T/min.out" &&
	tail -n 1 "$T/min.out" | grep -x "# 1 function below 25% not shown (see --min-percent)"
'

test_expect 'more than four functions: the rest summed' '
	agg "total 20 20 0 0 0 0 0 20 0 20
nolines 6 30.00 jit:1 a
nolines 5 25.00 jit:2 b
nolines 4 20.00 jit:3 c
nolines 3 15.00 jit:4 d
nolines 1 5.00 jit:5 e
nolines 1 5.00 jit:6 -" >"$T/many.agg" &&
	pf-annotate "$T/many.agg" >"$T/many.out" &&
	grep -x "# 100.0% of samples are in JIT code without line tables: a 30.0%, b 25.0%, c 20.0%, d 15.0%," "$T/many.out" &&
	grep -x "#   2 others 10.0% (compiled without debug info: cache=True code from an old cache, or pf-record --no-lines)" "$T/many.out" &&
	grep -x "## jit:6 (no line table), 5.0%" "$T/many.out"
'

test_expect 'all JIT samples without line tables: no other complaint' '
	! grep -q "no JIT sample has a source line" "$T/many.out" &&
	pf-annotate "$T/many.agg" 2>"$T/many.err" >/dev/null &&
	test ! -s "$T/many.err"
'

test_expect 'some JIT samples without a line for another reason: still said' '
	agg "total 10 10 0 0 0 0 0 4 0 10
nolines 4 40.00 jit:1 f" >"$T/some.agg" &&
	pf-annotate "$T/some.agg" >"$T/some.out" &&
	grep -x "# 40.0% of samples are in JIT code without line tables: f 40.0%" "$T/some.out" &&
	grep -q "^# no JIT sample has a source line" "$T/some.out" &&
	grep -x "## f (no line table), 40.0%" "$T/some.out"
'

test_expect 'Numba runtime alone: a note only from --min-percent on' '
	agg "total 1000 1000 0 0 0 0 0 1 0 1
line 999 99.90 999 99.90 $D/other.py 2 twice
nolines 1 0.10 jit:1 nrt_atomic_add" >"$T/rt.agg" &&
	pf-annotate "$T/rt.agg" >"$T/rt.out" &&
	! grep -q "without line tables\|no line table" "$T/rt.out" &&
	pf-annotate -m 0.1 "$T/rt.agg" >"$T/rt0.out" &&
	grep -x "# 0.1% of samples are in JIT code without line tables: Numba runtime 0.1%" "$T/rt0.out" &&
	grep -x "#   (Numba compiles its runtime without debug info)" "$T/rt0.out" &&
	grep -x "## Numba runtime (no line table), 0.1%" "$T/rt0.out"
'

# The cause, in words a user can act on, from what was recorded.
test_expect 'the cause: Numba wrappers without line tables, under the shim' '
	agg "meta lines numba-faithful
total 100 100 0 0 0 0 0 40 0 40
line 60 60.00 60 60.00 $D/other.py 2 twice
nolines 30 30.00 jit:1 __gufunc__.<dynamic>.__numba_parfor_gufunc_0x7f(Array<double,1,C,mutable,aligned>)
nolines 10 10.00 jit:2 cpython.__main__.f(double)" >"$T/wrap.agg" &&
	pf-annotate "$T/wrap.agg" >"$T/wrap.out" &&
	cat "$T/wrap.out" &&
	grep -q "^#   (Numba.s generated wrappers without line tables: code inlined into them lost its lines;" "$T/wrap.out" &&
	! grep -q "old cache" "$T/wrap.out"
'

test_expect 'the cause: the user functions without line tables, under the shim' '
	agg "meta lines numba-faithful
total 100 100 0 0 0 0 0 40 0 40
line 60 60.00 60 60.00 $D/other.py 2 twice
nolines 30 30.00 jit:1 __main__.g(double)
nolines 10 10.00 jit:2 cpython.__main__.g(double)" >"$T/user.agg" &&
	pf-annotate "$T/user.agg" >"$T/user.out" &&
	cat "$T/user.out" &&
	grep -q "(compiled without line tables: pf.s shim did not run or did not know this Numba, see pf-record.s warnings; or cache=True code from a cache other than pf.s)" "$T/user.out"
'

test_expect 'Numba wrappers alone are shown below --min-percent too' '
	agg "meta lines numba-faithful
total 1000 1000 0 0 0 0 0 1 0 1
line 999 99.90 999 99.90 $D/other.py 2 twice
nolines 1 0.10 jit:1 cfunc.__main__.f(double)" >"$T/wrap1.agg" &&
	pf-annotate "$T/wrap1.agg" >"$T/wrap1.out" &&
	grep -q "^# 0.1% of samples are in JIT code without line tables: cfunc" "$T/wrap1.out"
'

test_expect 'losses: lost only, throttled only, one of each' '
	agg "total 10 0 10 0 0 0 1 0 0 0" >"$T/l1.agg" &&
	pf-annotate "$T/l1.agg" | sed -n 2p >"$T/l1" &&
	agg "total 10 0 10 0 0 0 0 0 1 0" >"$T/t1.agg" &&
	pf-annotate "$T/t1.agg" | sed -n 2p >"$T/t1" &&
	agg "total 10 0 10 0 0 0 120 0 3 0" >"$T/lt.agg" &&
	pf-annotate "$T/lt.agg" | sed -n 2p >"$T/lt" &&
	cat "$T/l1" "$T/t1" "$T/lt" >"$T/losses" &&
	cat >"$T/losses.expected" <<-\EOT &&
	# 1 sample lost (ring buffer full): shares may be skewed
	# sampling throttled once by the kernel: shares may be skewed
	# 120 samples lost (ring buffer full), sampling throttled 3 times by the kernel: shares may be skewed
	EOT
	test_cmp "$T/losses.expected" "$T/losses"
'

test_expect 'an older total record with seven fields: no NOLINES notes, exit 0' '
	agg "meta command python3 s.py
total 4 4 0 0 0 1 0
line 3 75.00 3 75.00 $D/other.py 2 twice" >"$T/old.agg" &&
	(cd "$T" && pf-annotate "$T/old.agg") >"$T/old.out" 2>"$T/old.err" &&
	test ! -s "$T/old.err" &&
	cat >"$T/old.expected" <<-EOT &&
	# 4 samples, 0.0% outside JIT code, 0.0% unresolved
	# command: python3 s.py
	# 25.0% of samples are in JIT code at no source line (not in the listing)
	## $D/other.py, line 2, twice (75.0%)
	 75.0% |     y = x + x
	EOT
	test_cmp "$T/old.expected" "$T/old.out"
'

test_expect 'eight fields (no THROTTLED), and fields after the tenth, are read' '
	agg "total 4 4 0 0 0 4 0 4" >"$T/eight.agg" &&
	pf-annotate "$T/eight.agg" >"$T/eight.out" 2>"$T/eight.err" &&
	test ! -s "$T/eight.err" &&
	grep -q "^# 100.0% of samples are in JIT code without line tables" "$T/eight.out" &&
	grep -q "^# 4 samples, 0.0% outside JIT code, 0.0% unresolved$" "$T/eight.out" &&
	! grep -q "at no source line" "$T/eight.out" &&
	agg "total 4 0 4 0 0 0 0 0 2 0 99 future" >"$T/ten.agg" &&
	pf-annotate "$T/ten.agg" >"$T/ten.out" 2>"$T/ten.err" &&
	test ! -s "$T/ten.err" &&
	grep -x "# sampling throttled 2 times by the kernel: shares may be skewed" "$T/ten.out"
'

test_expect 'meta lines: a note for anything but the default' '
	for mode in numba-faithful numba-debuginfo none strange%20mode; do
		agg "meta lines $mode
total 0 0 0 0 0 0 0 0 0 0" >"$T/mode.agg" &&
		pf-annotate "$T/mode.agg" | grep "^# line tables" || echo "(none)"
	done >"$T/modes" &&
	cat >"$T/modes.expected" <<-\EOT &&
	(none)
	# line tables: numba-debuginfo (pf-record --raw-debuginfo): Numba inlines nothing, so the code may be slower than unprofiled
	# line tables: none (pf-record --no-lines): function-level profile
	# line tables: strange%20mode
	EOT
	test_cmp "$T/modes.expected" "$T/modes"
'

test_expect 'meta lines none: the reason for the missing line tables is known' '
	agg "meta lines none
total 2 2 0 0 0 0 0 2 0 2
nolines 2 100.00 jit:1 f" >"$T/none.agg" &&
	pf-annotate "$T/none.agg" >"$T/none.out" &&
	cat >"$T/none.expected" <<-\EOT &&
	# 2 samples, 0.0% outside JIT code, 0.0% unresolved
	# line tables: none (pf-record --no-lines): function-level profile
	# 100.0% of samples are in JIT code without line tables: f 100.0%
	#   (recorded with pf-record --no-lines)
	## f (no line table), 100.0%
	EOT
	test_cmp "$T/none.expected" "$T/none.out"
'

test_expect 'bad nolines and total records: reported with their line' '
	agg "nolines 1 x jit:1 f
nolines 1 10.00 - f
nolines 1 10.00 jit:1
nolines 1 10.00 jit:1 f%ZZ
total 1 1 0 0 0 0 0 x 0 1
total 1 1 0 0 0 0 0 1 0 1
nolines 1 100.00 jit:1 f" >"$T/bad.agg" &&
	test_must_fail 1 pf-annotate "$T/bad.agg" >"$T/bad.out" 2>"$T/bad.err" &&
	cat "$T/bad.err" &&
	for n in 2 3 4 5; do
		grep "^pf-annotate: .*bad.agg: line $n: bad nolines record" "$T/bad.err" || exit 1
	done &&
	grep "^pf-annotate: .*bad.agg: line 6: bad total record" "$T/bad.err" &&
	grep -x "pf-annotate: ignored 5 bad lines" "$T/bad.err" &&
	grep -x "## f (no line table), 100.0%" "$T/bad.out"
'

# A function of many arrays without line tables (--no-lines names it
# from its symbol, the whole signature): its heading is cut at 120
# characters, the summary at its own width; the stream keeps the name.
test_expect 'a long signature is cut in the heading, ended "...)"' '
	arg="Array<double,2,C,mutable,aligned>" &&
	name="__main__.many($arg,$arg,$arg,$arg,$arg,$arg,$arg,$arg)" &&
	{ echo "# pf-symbolize 2"; echo "meta lines none"
	  echo "object jit:2 900 nolines $name"
	  for i in 1 2 3; do echo "sample 100$i 7 7 0 7f0000002010 jit jit:2 $name - 0 -"; done
	} >"$T/long.sym" &&
	pf-aggregate "$T/long.sym" >"$T/long.agg" &&
	grep -q "$name" "$T/long.agg" &&
	pf-annotate "$T/long.agg" >"$T/long.out" &&
	grep "^## " "$T/long.out" >"$T/long.h" && cat "$T/long.h" &&
	printf "## %.116s...) (no line table), 100.0%%\n" "$name" >"$T/long.want" &&
	test_cmp "$T/long.want" "$T/long.h" &&
	awk "length > 160 { bad++ } END { exit bad > 0 }" "$T/long.out"
'

done_testing
