#!/bin/sh
# pf-record -g: call stacks unwound with the frame information of the
# JIT fixture's object (.debug_frame as hot.o has it, .eh_frame as LLVM
# writes it) and of the native code around it, and how pf-symbolize
# describes them.  Real Numba stacks: 0770.
. "$(dirname "$0")/lib.sh"

fx=$TOP/tests/fixtures/jitfixture
hot=$TOP/tests/fixtures/hot.c
cheap_call=$(grep -n 'x = cheap_loop(n, x);' "$hot" | cut -d: -f1)
dear_call=$(grep -n 'return dear_loop(n, x);' "$hot" | cut -d: -f1)
run_call=$(grep -n 'x = fn(HOT_N, x);' "$TOP/tests/fixtures/jitfixture.c" | cut -d: -f1)

# jit_chains SYM: the chains of the samples in JIT code, counted.
jit_chains() {
	awk '$1 == "sample" && $7 == "jit" { print; next } $1 != "sample"' "$1" >"$1.jit"
	stack_chains "$1.jit" | sort | uniq -c | sort -rn
}

test_expect 'records samples with a STACK field and the stack records before them' '
	pf-record -q -g -F 1000 -o "$T/g.rec" -- "$fx" run 1 >/dev/null &&
	grep -q "^meta stacks dwarf 16384$" "$T/g.rec" &&
	awk "\$1 == \"stack\" { if (NF != 5 || (\$4 != 0 && !(\$4 in seen)) || \$2 in seen) bad++; seen[\$2] = 1 }
	     \$1 == \"sample\" { n++; if (NF != 7 || (\$7 != 0 && !(\$7 in seen))) bad++ }
	     END { print n, \"samples\", bad + 0, \"bad\"; exit bad > 0 || n < 500 }" "$T/g.rec"
'

test_expect 'every JIT sample is called from hot_entry at the right line, up to _start' '
	pf-symbolize --no-code "$T/g.rec" >"$T/g.sym" &&
	jit_chains "$T/g.sym" >"$T/g.chains" && cat "$T/g.chains" &&
	tail="run_hot:$run_call main:[0-9]* __libc_start_call_main:[0-9]* __libc_start_main:[0-9]* _start:0" &&
	# hot_entry itself gets a sample now and then, between the loops
	! grep -v " \(mix\|cheap_loop\) hot_entry:$cheap_call $tail$\| \(mix\|dear_loop\) hot_entry:$dear_call $tail$\| hot_entry $tail$" "$T/g.chains" &&
	awk -v c=" hot_entry:$cheap_call " -v d=" hot_entry:$dear_call " \
		"index(\$0, c) { n1 += \$1 } index(\$0, d) { n3 += \$1 }
		 END { print n1, n3; exit !(n1 > 0 && n3 > 2 * n1) }" "$T/g.chains"
'

test_expect 'pf-aggregate: calls that were not inlined, and the lines that made them' '
	pf-aggregate "$T/g.sym" >"$T/g.agg" &&
	grep "^call \|^line " "$T/g.agg" &&
	jit=$(awk "\$1 == \"sample\" && \$7 == \"jit\"" "$T/g.sym" | wc -l) &&
	dear=$(awk "\$1 == \"sample\" && \$7 == \"jit\" && (\$9 == \"dear_loop\" || \$12 ~ /^dear_loop@/)" "$T/g.sym" | wc -l) &&
	echo "$jit JIT samples, $dear in dear_loop" &&
	# kernel samples (interrupts) in the loops have these callers too
	near() { [ "$1" -ge $(($2 * 99 / 100)) ] && [ "$1" -le $(($2 * 103 / 100 + 2)) ]; } &&
	d=$(awk -v l="$dear_call" "\$1 == \"call\" && \$6 == \"hot_entry\" && \$8 == l && \$11 == \"dear_loop\" { print \$2 }" "$T/g.agg") &&
	near "$d" "$dear" &&
	grep -q "^call [0-9]* [0-9.]* jit jit:1 hot_entry [^ ]*/hot.c $cheap_call jit jit:1 cheap_loop$" "$T/g.agg" &&
	n=$(awk -v l="$run_call" "\$1 == \"call\" && \$6 == \"run_hot\" && \$7 ~ /jitfixture.c$/ && \$8 == l && \$11 == \"hot_entry\" { print \$2 }" "$T/g.agg") &&
	near "$n" "$jit" &&
	grep -q "^line [0-9]* [0-9.]* $d [0-9.]* [^ ]*/hot.c $dear_call hot_entry$" "$T/g.agg"
'

test_expect 'pf-annotate: callers under each function, calls beside their lines' '
	(cd "$TOP" && pf-annotate "$T/g.agg") >"$T/g.txt" && cat "$T/g.txt" &&
	grep -A1 "^## .*hot.c, lines [0-9-]*, dear_loop (" "$T/g.txt" |
		grep -q "^#   called from hot_entry (line $dear_call) [0-9.]*%$" &&
	grep -A1 "^## .*hot.c, lines [0-9-]*, hot_entry (" "$T/g.txt" |
		grep -q "^#   called from run_hot in jitfixture [0-9.]*%$" &&
	grep -q "return dear_loop(n, x);   total [0-9.]*%  <- calls dear_loop()$" "$T/g.txt" &&
	grep -q "x = cheap_loop(n, x);   total [0-9.]*%  <- calls cheap_loop()$" "$T/g.txt"
'

test_expect 'pf-aggregate: function totals with callees (-g function)' '
	pf-aggregate -g function "$T/g.sym" >"$T/gf.agg" &&
	jit=$(awk "\$1 == \"sample\" && \$7 == \"jit\"" "$T/g.sym" | wc -l) &&
	h=$(awk "\$1 == \"function\" && \$8 == \"hot_entry\" { print \$4 }" "$T/gf.agg") &&
	[ "$h" -ge "$jit" ] && [ "$h" -le $((jit + jit / 20)) ] &&
	# run_hot also calls clock_gettime: a sample or two more
	n=$(awk "\$1 == \"function\" && \$6 == \"native\" && \$8 == \"run_hot\" { print \$4 }" "$T/gf.agg") &&
	[ "$n" -ge "$jit" ] && [ "$n" -le $((jit + jit / 20)) ]
'

test_expect 'pf-aggregate: a sample naming an unknown STACK counts, without callers' '
	awk "\$1 == \"stack\" { next } { print }" "$T/g.sym" >"$T/nostack.sym" &&
	test_must_fail 1 pf-aggregate "$T/nostack.sym" >"$T/nostack.agg" 2>"$T/nostack.err" &&
	grep -q "line [0-9]*: sample names a STACK no stack record gave" "$T/nostack.err" &&
	[ "$(awk "\$1 == \"total\" { print \$2 }" "$T/nostack.agg")" -eq "$(grep -c "^sample" "$T/g.sym")" ] &&
	! grep -q "^call " "$T/nostack.agg"
'

test_expect 'pf-aggregate: bad stack records are warned about, the rest counted' '
	{ sed -n "1,/^stack/p" "$T/g.sym" | sed "\$d"
	  echo "stack 999999 1 999998 7f jit jit:1 f - 0 -"
	  echo "stack 1 1 0 7f jit"
	  sed -n "/^stack/,\$p" "$T/g.sym"; } >"$T/badst.sym" &&
	test_must_fail 1 pf-aggregate "$T/badst.sym" >"$T/badst.agg" 2>"$T/badst.err" &&
	cat "$T/badst.err" &&
	grep -q "line [0-9]*: stack record with a taken ID, an unknown PARENT" "$T/badst.err" &&
	grep -q "line [0-9]*: bad stack record" "$T/badst.err" &&
	grep "^call " "$T/g.agg" >"$T/calls.want" && grep "^call " "$T/badst.agg" >"$T/calls.got" &&
	test_cmp "$T/calls.want" "$T/calls.got"
'

test_expect 'an object with .eh_frame, as LLVM writes, unwinds the same' '
	cc -O1 -g -fno-pic -fasynchronous-unwind-tables -c -o "$T/hot-eh.o" "$hot" &&
	readelf -SW "$T/hot-eh.o" | grep -q " \.eh_frame " &&
	! readelf -SW "$T/hot-eh.o" | grep -q " \.debug_frame " &&
	pf-record -q -g -F 1000 -o "$T/eh.rec" -- "$fx" -o "$T/hot-eh.o" run 0.5 >/dev/null &&
	pf-symbolize --no-code "$T/eh.rec" >"$T/eh.sym" &&
	jit_chains "$T/eh.sym" >"$T/eh.chains" && cat "$T/eh.chains" &&
	grep -q " hot_entry:$dear_call run_hot:$run_call main:" "$T/eh.chains" &&
	! grep -v " run_hot:$run_call main:[0-9]* .* _start:0$" "$T/eh.chains"
'

test_expect 'threads unwind to their start (clone3), every one' '
	pf-record -q -g -F 1000 -o "$T/t.rec" -- "$fx" threads 2 0.5 >/dev/null &&
	pf-symbolize --no-code "$T/t.rec" >"$T/t.sym" &&
	jit_chains "$T/t.sym" >"$T/t.chains" && cat "$T/t.chains" &&
	[ "$(awk "{ n += \$1 } END { print n }" "$T/t.chains")" -gt 300 ] &&
	grep -q "dear_loop hot_entry:$dear_call run_hot:" "$T/t.chains" &&
	! grep -v " run_hot:$run_call hot_worker:[0-9]* start_thread:[0-9]* clone3:[0-9]*$" "$T/t.chains"
'

test_expect 'a stack deeper than the copy: the callers found, then ..., and a hint' '
	pf-record -g --stack-size 64 -F 1000 -o "$T/s.rec" -- "$fx" run 0.3 >/dev/null 2>"$T/s.err" &&
	cat "$T/s.err" &&
	grep -q "stacks are deeper than the 64 bytes copied: try --stack-size 128" "$T/s.err" &&
	pf-symbolize --no-code "$T/s.rec" >"$T/s.sym" &&
	jit_chains "$T/s.sym" >"$T/s.chains" && cat "$T/s.chains" &&
	grep -q " hot_entry:[0-9]* .*\.\.\.$" "$T/s.chains" &&
	! grep -q "_start" "$T/s.chains"
'

test_expect 'a sample in a system call: the user frames after the kernel PC' '
	pf-record -q -g -F 1000 -o "$T/k.rec" -- dd if=/dev/zero of=/dev/null bs=1 count=400000 2>/dev/null &&
	if grep -q "^meta kernel included" "$T/k.rec"; then
		pf-symbolize --no-code "$T/k.rec" >"$T/k.sym" &&
		awk "\$1 == \"sample\" && \$7 == \"kernel\" { print; next } \$1 != \"sample\"" "$T/k.sym" >"$T/k.ksym" &&
		stack_chains "$T/k.ksym" | sort | uniq -c | sort -rn >"$T/k.chains" && head "$T/k.chains" &&
		# dd is stripped: its own frames are "-", up to its _start
		awk "/ (read|write):[0-9]* .* __libc_start_main:[0-9]* [^ ]*$/ { n += \$1 } { all += \$1 }
		     END { print n, \"of\", all; exit !(all > 50 && n > all / 2) }" "$T/k.chains"
	else
		echo "kernel samples not permitted here: nothing to check"
	fi
'

test_expect 'without -g, samples have six fields and there are no stack records' '
	pf-record -q -F 1000 -o "$T/n.rec" -- "$fx" run 0.2 >/dev/null &&
	! grep -q "^stack \|^meta stacks" "$T/n.rec" &&
	awk "\$1 == \"sample\" && NF != 6 { bad++ } END { exit bad > 0 }" "$T/n.rec"
'

test_expect '--stack-size out of range: usage error' '
	test_must_fail 64 pf-record -g --stack-size 0 -- true 2>/dev/null &&
	test_must_fail 64 pf-record -g --stack-size 65536 -- true 2>"$T/u.err" &&
	grep -q "stack-size" "$T/u.err"
'

test_expect 'pf-symbolize: bad stack records are warned about by line, the rest kept' '
	{ sed -n "1,/^sample/p" "$T/g.rec" | sed "\$d"
	  echo "stack 999999 1 999999 7f"
	  echo "stack x"
	  sed -n "/^sample/,\$p" "$T/g.rec"; } >"$T/bad.rec" &&
	test_must_fail 1 pf-symbolize --no-code "$T/bad.rec" >"$T/bad.sym" 2>"$T/bad.err" &&
	cat "$T/bad.err" &&
	grep -q "line [0-9]*: bad stack record .stack 999999 1 999999 7f." "$T/bad.err" &&
	grep -q "line [0-9]*: bad stack record .stack x." "$T/bad.err" &&
	[ "$(grep -c "^sample" "$T/bad.sym")" -eq "$(grep -c "^sample" "$T/g.rec")" ]
'

test_expect 'pf-symbolize: a STACK field is read only in a stream that says meta stacks' '
	grep -v "^meta stacks" "$T/g.rec" >"$T/nometa.rec" &&
	pf-symbolize --no-code "$T/nometa.rec" >"$T/nometa.sym" &&
	awk "\$1 == \"sample\" && NF != 12 { bad++ } END { exit bad > 0 }" "$T/nometa.sym" &&
	awk "\$1 == \"sample\" && NF != 13 { bad++ } END { exit bad > 0 }" "$T/g.sym"
'

test_expect 'folded stacks: outermost first, one line per stack, the counts add up' '
	pf-aggregate -f folded "$T/g.sym" >"$T/g.folded" && cat "$T/g.folded" &&
	! grep -v "^[^ ;][^;]*\(;[^;]*\)* [1-9][0-9]*$" "$T/g.folded" &&
	! grep -q "^# pf-aggregate\|;;" "$T/g.folded" &&
	[ "$(awk "{ n += \$NF } END { print n }" "$T/g.folded")" -eq "$(grep -c "^sample" "$T/g.sym")" ] &&
	grep -q "^_start (jitfixture);.*;main (jitfixture.c:[0-9]*);run_hot (jitfixture.c:$run_call);hot_entry (hot.c:$dear_call);dear_loop (hot.c:[0-9]*);mix (hot.c:[0-9]*) [0-9]*$" "$T/g.folded" &&
	[ "$(sed "s/ [0-9]*$//" "$T/g.folded" | sort | uniq -d | wc -l)" -eq 0 ] &&
	LC_ALL=C sort -c "$T/g.folded"
'

test_expect 'folded stacks with -T are rooted at their thread' '
	pf-aggregate -T -f folded "$T/t.sym" >"$T/t.folded" &&
	[ "$(cut -d";" -f1 "$T/t.folded" | sort -u | grep -c "^jitfixture \[tid [0-9]*\]$")" -ge 3 ] &&
	! grep -v "^jitfixture \[tid [0-9]*\];" "$T/t.folded"
'

# Every stack is the inline chain alone: one frame, or the loop and
# the mix() inlined into it; never a caller (hot_entry, _start).  A
# sample may land in native code, whose own inline chains (ld.so's
# relocation code named with libc6-dbg, cpu_seconds() inlined into the
# fixture's run_hot()) are stacks of several frames too: only the
# stacks with a frame of the JIT code (hot.c) are checked.
test_expect 'folded stacks without -g: the inline chain is the stack' '
	pf-symbolize "$T/n.rec" >"$T/n.sym" &&
	pf-aggregate -f folded "$T/n.sym" >"$T/n.folded" && cat "$T/n.folded" &&
	grep -q "^dear_loop (hot.c:[0-9]*);mix (hot.c:[0-9]*) [0-9]*$" "$T/n.folded" &&
	! grep ";" "$T/n.folded" | grep "hot\.c" | grep -v "^\(dear\|cheap\)_loop (hot.c:[0-9]*);mix (hot.c:[0-9]*) [0-9]*$" &&
	! grep -q "hot_entry (hot.c:" "$T/n.folded"
'

test_expect 'pprof: go tool pprof reads it, with callers, inlining and threads' '
	command -v go >/dev/null || { echo "go is not installed (apt-get install golang-go)"; exit 1; } &&
	pf-aggregate -f pprof "$T/g.sym" >"$T/g.pb.gz" &&
	gzip -t "$T/g.pb.gz" &&
	(cd "$TOP" && go tool pprof -traces "$T/g.pb.gz") >"$T/g.traces" 2>"$T/g.pprof-err" &&
	cat "$T/g.pprof-err" && ! grep -v "^Main binary filename not available" "$T/g.pprof-err" | grep -q . &&
	awk "/^ +[0-9.]+m?s +mix \(inline\)$/ { m = 1; next }
	     m == 1 && /^ +dear_loop$/ { m = 2; next } m == 2 && /^ +hot_entry$/ { m = 3; next }
	     m == 3 && /^ +run_hot$/ { ok = 1 } { m = 0 } END { exit !ok }" "$T/g.traces" &&
	grep -q "^ *thread: *jitfixture$" "$T/g.traces" &&
	(cd "$TOP" && go tool pprof -top "$T/g.pb.gz") >"$T/g.top" 2>/dev/null &&
	grep -q "^File: jitfixture$" "$T/g.top" &&
	grep -q "Total samples = $(grep -c "^sample" "$T/g.sym")ms" "$T/g.top" || grep -q "Total samples = [0-9.]*s" "$T/g.top"
'

test_expect 'pprof: -list shows the source lines with their samples' '
	(cd "$TOP" && go tool pprof -list "^dear_loop$" "$T/g.pb.gz") >"$T/g.list" 2>&1 && cat "$T/g.list" &&
	grep -q "ROUTINE =* dear_loop in .*hot.c" "$T/g.list" &&
	# DEAR is all inlined mix: no time of its own (.), all of it cum
	grep -q "^ *\. *[0-9.]*m\?s *$(grep -n "DEAR \*/" "$hot" | cut -d: -f1):.*DEAR" "$T/g.list"
'

test_expect 'a bad -f value is a usage error' '
	test_must_fail 64 pf-aggregate -f svg "$T/g.sym" 2>"$T/f.err" &&
	grep -q "unknown format .svg." "$T/f.err"
'

done_testing
