#!/bin/sh
# pf-annotate: the per-thread summary, -t TID and --each-thread.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/golden.sh"

D=$TOP/tests/data

# agg() BODY: a pf-aggregate stream with the given records.
agg() {
	printf "# pf-aggregate 2\n%s\n" "$1"
}

# Thread 10 (python3): 8 samples, 7 in JIT code; 11 (numba-worker): 5.
sed "s|@DATA@|$D|g" "$D/agg-callsite.sym" >"$T/in.sym"
pf-aggregate -T "$T/in.sym" >"$T/per.agg"
pf-aggregate "$T/in.sym" >"$T/plain.agg"

test_expect 'more than one thread: a line each, hottest first, after the header' '
	(cd "$TOP" && pf-annotate "$T/per.agg") >"$T/out" 2>"$T/err" &&
	test ! -s "$T/err" &&
	sed -n 3,5p "$T/out" >"$T/head" &&
	cat >"$T/head.expected" <<-\EOT &&
	# outside JIT code: 7.7% ld-linux-x86-64.so.2 (elf_machine_rela 7.7%)
	# thread 10 python3: 8 samples, 87.5% in JIT code
	# thread 11 numba-worker: 5 samples, 100.0% in JIT code
	EOT
	test_cmp "$T/head.expected" "$T/head" &&
	sed -n 6p "$T/out" | grep "^## "
'

test_expect 'threadline records change nothing without -t or --each-thread' '
	(cd "$TOP" && pf-annotate "$T/plain.agg") >"$T/plain.out" &&
	test_cmp "$T/out" "$T/plain.out"
'

test_expect 'one thread with samples: no thread summary' '
	grep -v "^sample [0-9]* 10 11 \|^thread 2 " "$T/in.sym" >"$T/one.sym" &&
	pf-aggregate -T "$T/one.sym" >"$T/one.agg" &&
	grep -c "^threadtotal " "$T/one.agg" | grep -x 1 &&
	pf-annotate "$T/one.agg" >"$T/one.out" &&
	! grep "^# thread" "$T/one.out" &&
	agg "total 3 3 0 0 0 0 0 0 0
threadtotal 3 100.00 3 100.00 1 1 main
threadtotal 0 0.00 0 0.00 1 2 idle
line 3 100.00 3 100.00 /a.py 1 f" >"$T/idle.agg" &&
	pf-annotate "$T/idle.agg" >"$T/idle.out" &&
	! grep "^# thread" "$T/idle.out"
'

test_expect 'many threads: at most 16 lines, the rest summed' '
	{ echo "total 390 195 195 0 0 195 0 0 0"
	  for i in $(seq 1 20); do
		echo "threadtotal $((30 - i)) 0.00 $((i % 2 * (30 - i))) 0.00 7 $((100 + i)) w%20$i"
	  done; } >"$T/many.body" &&
	agg "$(cat "$T/many.body")" >"$T/many.agg" &&
	pf-annotate "$T/many.agg" >"$T/many.out" &&
	grep "^# thread\|^# and" "$T/many.out" >"$T/many.threads" &&
	test "$(wc -l <"$T/many.threads")" -eq 16 &&
	head -n 2 "$T/many.threads" >"$T/many.head" &&
	printf "%s\n" "# thread 101 w 1: 29 samples, 100.0% in JIT code" \
		"# thread 102 w 2: 28 samples, 0.0% in JIT code" >"$T/many.head.expected" &&
	test_cmp "$T/many.head.expected" "$T/many.head" &&
	tail -n 1 "$T/many.threads" | grep -x "# and 5 more threads: 60 samples, 40.0% in JIT code"
'

test_expect '-t TID: that thread only, percentages of its samples (golden)' '
	(cd "$TOP" && pf-annotate -t 11 "$T/per.agg") >"$T/t11" 2>"$T/t11.err" &&
	test ! -s "$T/t11.err" &&
	test_golden ann-thread.out "$T/t11" &&
	grep -x "# listing of thread 11 numba-worker only: 5 samples, percentages of these" "$T/t11" &&
	grep -x " 40.0% |     y = x \* 2.0" "$T/t11" &&
	grep -x "## tests/data/calls.py, lines 25-26, caller (0.0%, total 100.0%)" "$T/t11" &&
	! grep "rec\|for v in a" "$T/t11"
'

test_expect '-t: the header is the same as without' '
	sed -n 1,5p "$T/out" >"$T/all.head" &&
	sed -n 1,5p "$T/t11" >"$T/t11.head" &&
	test_cmp "$T/all.head" "$T/t11.head"
'

test_expect '-t with -n: counts, and no word of percentages' '
	(cd "$TOP" && pf-annotate -n --thread=10 "$T/per.agg") >"$T/t10n" &&
	grep -x "# listing of thread 10 python3 only: 8 samples" "$T/t10n" &&
	grep -x "     2 |     y = x \* 2.0" "$T/t10n"
'

test_expect '-t: --min-percent is of the thread samples too' '
	(cd "$TOP" && pf-annotate -t 10 -m 30 "$T/per.agg") >"$T/t10m" &&
	grep "^## " "$T/t10m" | sed "s/ (.*//; s/.*, //" >"$T/t10m.funcs" &&
	printf "%s\n" helper caller >"$T/t10m.funcs.expected" &&
	test_cmp "$T/t10m.funcs.expected" "$T/t10m.funcs" &&
	tail -n 1 "$T/t10m" | grep -x "# 2 functions below 30% not shown (see --min-percent)"
'

test_expect '--each-thread: every thread after a ### heading (golden)' '
	(cd "$TOP" && pf-annotate --each-thread "$T/per.agg") >"$T/each" 2>"$T/each.err" &&
	test ! -s "$T/each.err" &&
	test_golden ann-each-thread.out "$T/each" &&
	grep "^###" "$T/each" >"$T/each.heads" &&
	printf "%s\n" "### thread 10 python3: 8 samples, percentages of these" \
		"### thread 11 numba-worker: 5 samples, percentages of these" >"$T/each.heads.expected" &&
	test_cmp "$T/each.heads.expected" "$T/each.heads"
'

test_expect '--each-thread: each listing is the -t listing of its thread' '
	sed -n "/^### thread 11 /,\$p" "$T/each" | sed 1d >"$T/each.11" &&
	sed -n "/^# listing of thread 11 /,\$p" "$T/t11" | sed 1d >"$T/t11.listing" &&
	test_cmp "$T/t11.listing" "$T/each.11"
'

test_expect '--each-thread: a thread with no JIT sample says so' '
	agg "total 4 3 1 0 0 0 0 0 0
threadtotal 3 75.00 3 75.00 1 1 main
threadtotal 1 25.00 0 0.00 1 2 io
threadline 3 75.00 3 75.00 1 1 $D/calls.py 7 leaf
outside 1 25.00 kernel [kernel] -" >"$T/io.agg" &&
	pf-annotate --each-thread "$T/io.agg" >"$T/io.out" &&
	tail -n 2 "$T/io.out" >"$T/io.tail" &&
	printf "%s\n" "### thread 2 io: 1 sample, percentages of these" \
		"# no sample of this thread hit JIT code" >"$T/io.tail.expected" &&
	test_cmp "$T/io.tail.expected" "$T/io.tail"
'

test_expect 'no threadline records: a clear message, exit 1' '
	test_must_fail 1 pf-annotate -t 11 "$T/plain.agg" >"$T/no.out" 2>"$T/no.err" &&
	grep -x "pf-annotate: no threadline records: run pf-aggregate --per-thread" "$T/no.err" &&
	grep "^# thread 11 numba-worker" "$T/no.out" &&
	! grep "^## " "$T/no.out" &&
	test_must_fail 1 pf-annotate --each-thread "$T/plain.agg" >/dev/null 2>"$T/no2.err" &&
	test_cmp "$T/no.err" "$T/no2.err"
'

test_expect 'a thread without samples: exit 1' '
	test_must_fail 1 pf-annotate -t 12 "$T/per.agg" >"$T/t12.out" 2>"$T/t12.err" &&
	grep -x "pf-annotate: no samples of thread 12" "$T/t12.err" &&
	! grep "^## " "$T/t12.out"
'

test_expect 'no JIT samples: no complaint about threadline records' '
	printf "%s\n" "# pf-symbolize 2" "sample 1 1 1 0 a kernel [kernel] - - 0 -" >"$T/k.sym" &&
	pf-aggregate "$T/k.sym" >"$T/k.agg" &&
	pf-annotate -t 1 "$T/k.agg" >"$T/k.out" 2>"$T/k.err" &&
	test ! -s "$T/k.err" &&
	grep -x "# no samples hit JIT code" "$T/k.out"
'

test_expect 'usage: -t takes a number; -t and --each-thread exclude each other' '
	test_must_fail 64 pf-annotate -t x "$T/per.agg" >/dev/null 2>"$T/u1" &&
	grep "option --thread: .x. is not a number" "$T/u1" &&
	test_must_fail 64 pf-annotate -t 4294967296 "$T/per.agg" >/dev/null 2>&1 &&
	test_must_fail 64 pf-annotate -t 10 --each-thread "$T/per.agg" >/dev/null 2>"$T/u2" &&
	grep "exclude each other" "$T/u2" && grep "^usage: pf-annotate" "$T/u2"
'

test_expect 'bad thread and threadline records: named, skipped, exit 1' '
	agg "total 10 10 0 0 0 0 0 0 0
threadtotal 10 100.00 10 100.00 1 1
threadtotal 10 100.00 11 110.00 1 1 jit-above-samples
threadtotal 10 100.00 x 100.00 1 1 t
threadtotal 10 100.00 10 100.00 1 99999999999 t
threadline 5 50.00 5 50.00 1 1 $D/calls.py 7
threadline 5 50.00 5 50.00 1 x $D/calls.py 7 leaf
threadline 5 50% 5 50.00 1 1 $D/calls.py 7 leaf
threadline 5 50.00 5 50.00 1 1 %Z $D/calls.py 7 leaf
threadtotal 10 100.00 10 100.00 1 1 good
threadline 10 100.00 10 100.00 1 1 $D/calls.py 7 leaf" >"$T/bad.agg" &&
	test_must_fail 1 pf-annotate -t 1 "$T/bad.agg" >"$T/bad.out" 2>"$T/bad.err" &&
	for n in 3 4 5 6; do
		grep "bad.agg: line $n: bad threadtotal record" "$T/bad.err" || exit 1
	done &&
	for n in 7 8 9 10; do
		grep "bad.agg: line $n: bad threadline record" "$T/bad.err" || exit 1
	done &&
	grep -x "pf-annotate: ignored 8 bad lines" "$T/bad.err" &&
	grep -x "# listing of thread 1 good only: 10 samples, percentages of these" "$T/bad.out" &&
	grep -x "100.0% |     return x + 1.0" "$T/bad.out"
'

# Version 1 streams named pf-aggregate's per-thread records "thread";
# in a version 2 stream that kind is pf-record's and is not read.
test_expect 'a version 1 stream: its thread records are the threads'"'"' counts' '
	sed "1s/ 2\$/ 1/; s/^threadtotal /thread /" "$T/plain.agg" >"$T/v1.agg" &&
	head -n 1 "$T/v1.agg" | grep -qx "# pf-aggregate 1" && grep -q "^thread " "$T/v1.agg" &&
	(cd "$TOP" && pf-annotate "$T/plain.agg") >"$T/v2.out" &&
	(cd "$TOP" && pf-annotate "$T/v1.agg") >"$T/v1.out" 2>"$T/v1.err" &&
	test ! -s "$T/v1.err" && test_cmp "$T/v2.out" "$T/v1.out" &&
	grep -q "^# thread 11 numba-worker" "$T/v1.out" &&
	sed "s/^threadtotal /thread /" "$T/plain.agg" >"$T/v2thread.agg" &&
	(cd "$TOP" && pf-annotate "$T/v2thread.agg") >"$T/v2thread.out" &&
	! grep -q "^# thread 11" "$T/v2thread.out"
'
done_testing
