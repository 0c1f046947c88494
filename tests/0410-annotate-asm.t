#!/bin/sh
# pf-annotate --asm on the JIT fixture's code, where the bytes and their
# disassembly are known exactly: a recording made by hand (hot.c
# compiled here, its .text at a process address, samples at chosen
# instructions), symbolized and aggregated for real.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/golden.sh"

for tool in cc objcopy objdump nm; do
	command -v $tool >/dev/null || skip_all "no $tool"
done
cd "$T" || exit 1
BASE=7f0000001000

test_expect 'a recording of the fixture with samples on known instructions' '
	hot_object hot.o 0x$BASE &&
	{ hot_records $BASE
	  samples 6 7 $(sym_at dear_loop 0x29)
	  samples 2 7 $(sym_at dear_loop 0x22)
	  samples 3 7 $(sym_at dear_loop 0x2d)
	  samples 2 7 $(sym_at cheap_loop 0x25)
	  samples 1 7 $(sym_at cheap_loop 0x29); } >hot.rec &&
	pf-symbolize hot.rec >hot.sym && pf-aggregate hot.sym >hot.agg &&
	grep -q "^code jit:1 [0-9a-f]* [0-9a-f]* live dear_loop$" hot.agg
'
test_expect '--asm: the instructions under each line (golden)' '
	(cd "$TOP" && pf-annotate --asm "$T/hot.agg") >asm.out 2>asm.err &&
	test ! -s asm.err && test_golden ann-asm.out asm.out
'
test_expect '--asm=att: AT&T syntax (golden)' '
	(cd "$TOP" && pf-annotate -n --asm=att "$T/hot.agg") >att.out 2>att.err &&
	test ! -s att.err && test_golden ann-asm-att.out att.out
'
test_expect '--function dear_loop: the whole function, lines without samples too (golden)' '
	(cd "$TOP" && pf-annotate --function dear_loop "$T/hot.agg") >fn.out 2>fn.err &&
	test ! -s fn.err && test_golden ann-asm-function.out fn.out
'
# Every instruction of the function, with objdump's mnemonics at the
# same offsets, whatever line it is shown under.
test_expect 'the disassembly is objdump'"'"'s, instruction by instruction' '
	for fn in cheap_loop dear_loop; do
		(cd "$TOP" && pf-annotate --function $fn "$T/hot.agg") |
			sed -n "s/^ *| *[0-9.%]* [* ] *+\([0-9a-f]*\)  \([a-z0-9]*\)\( .*\)\{0,1\}$/\1 \2/p" |
			sort >got.$fn &&
		start=$(nm hot.o | awk -v n=$fn "\$3 == n { print \$1 }") &&
		objdump -d -M intel --no-show-raw-insn hot.o |
			awk -v n="<$fn>:" -v s=$((0x$start)) "
				\$2 == n { on = 1; next }
				/^$/ { on = 0 }
				on && /^ *[0-9a-f]+:/ { a = \$1; sub(/:/, \"\", a); print a, \$2 }" >raw.$fn &&
		while read a m; do printf "%x %s\n" $((0x$a - 0x$start)) "$m"; done <raw.$fn | sort >want.$fn &&
		test "$(wc -l <want.$fn)" -gt 8 && test_cmp want.$fn got.$fn || exit 1
	done
'
test_expect 'with -n the instruction counts of a line add up to the line'"'"'s' '
	(cd "$TOP" && pf-annotate -n --function dear_loop "$T/hot.agg") >n.out &&
	awk "function flush() { if (have && sum != line) bad++; have = 0; sum = 0 }
	     /^ *[0-9]+ \\|/ { flush(); line = \$1; have = 1; next }
	     /^ *\\| +[0-9]+ [* ] +\\+/ { sum += \$2 }
	     END { flush(); exit bad > 0 }" n.out &&
	grep -q "^ *3 |.*3 \* n" n.out && grep -q "^ *0 |.*DEAR.*total 8  <- inlined mix()$" n.out
'
test_expect 'jumps name their target and its line; the hottest is marked' '
	grep -q "  jb      +1b   (line [0-9]*)$" fn.out &&
	grep -q "^ *| *[0-9.]*% \* *+29  lea " fn.out
'

# Bad code records: a clear message with the line number, the rest shown.
test_expect 'bad code, codedata and span records: said, skipped, never a crash' '
	{ cat hot.agg
	  echo "codedata jit:1 $BASE !!!!"
	  echo "codedata jit:9 $BASE AAAA"
	  echo "span jit:1 1 2 f - 0 -"
	  echo "code jit:1 10 5 live f"; } >bad.agg &&
	test_must_fail 1 pf-annotate --asm bad.agg >bad.out 2>bad.err &&
	cat bad.err &&
	grep -q "line [0-9]*: bad codedata record (bad base64)" bad.err &&
	grep -q "line [0-9]*: bad codedata record (not inside the last code record of its object)" bad.err &&
	grep -q "line [0-9]*: bad span record (not inside" bad.err &&
	grep -q "line [0-9]*: bad code record (END not above START" bad.err &&
	grep -q "lea " bad.out
'
test_expect 'missing and undecodable bytes are said in place of the instructions' '
	start=$(grep "^code jit:1 .* dear_loop$" hot.agg | cut -d" " -f3) &&
	grep -v "^codedata jit:1 $start " hot.agg >missing.agg &&
	pf-annotate --asm missing.agg >missing.out 2>missing.err &&
	grep -q "(no code bytes for +[0-9a-f]*..+[0-9a-f]*: codedata missing)" missing.out &&
	awk -v s="$start" "\$1 == \"codedata\" && \$3 == s { \$4 = \"//////////\" substr(\$4, 11) } { print }" hot.agg >junk.agg &&
	pf-annotate --function dear_loop junk.agg >junk.out 2>junk.err &&
	grep -q "do not decode)" junk.out
'
test_expect '--asm on a stream without code records says so; --function of no such function is an error' '
	pf-symbolize --no-code hot.rec | pf-aggregate >nocode.agg &&
	pf-annotate --asm nocode.agg >nocode.out &&
	grep -q "^# --asm: the stream has no code records" nocode.out &&
	test_must_fail 1 pf-annotate --function nosuch hot.agg >/dev/null 2>nosuch.err &&
	grep -q "function nosuch: no such function" nosuch.err
'
test_expect 'time at no source line points at --asm when the stream has the code' '
	file=$(awk "\$1 == \"line\" && \$8 == \"dear_loop\" { print \$6; exit }" hot.agg) &&
	test -n "$file" &&
	{ cat hot.agg; echo "line 2 14.3 2 14.3 $file 0 dear_loop"; } >noline.agg &&
	pf-annotate noline.agg >noline.out &&
	grep -q "^## .*dear_loop .* (14.3% at no source line, --asm shows it)$" noline.out &&
	{ cat nocode.agg; echo "line 2 14.3 2 14.3 $file 0 dear_loop"; } >noline2.agg &&
	pf-annotate noline2.agg >noline2.out &&
	grep -q "^## .*dear_loop .* (14.3% at no source line)$" noline2.out
'
test_expect '--asm with -t is a usage error; --asm=foo too' '
	test_must_fail 64 pf-annotate --asm -t 7 hot.agg 2>/dev/null &&
	test_must_fail 64 pf-annotate --asm=foo hot.agg 2>/dev/null
'
# The call's entry and exit: samples on hot_entry's pushes, pops and
# ret are said to be what each call pays, where they are most of a
# line's; not where the line's own instructions hold more.  Offsets from
# objdump, so whatever code the compiler made.
test_expect 'a line whose samples are on push, pop and ret is said to be the call'"'"'s entry and exit' '
	objdump -d -M intel --no-show-raw-insn hot.o |
		awk "/<hot_entry>:/ { on = 1; next } /^\$/ { on = 0 }
		     on && /^ *[0-9a-f]+:/ { sub(/:/, \"\", \$1); print \$1, \$2 }" >entry.insns &&
	cat entry.insns &&
	pop=$(awk "\$2 == \"pop\" { print \$1; exit }" entry.insns) &&
	ret=$(awk "\$2 == \"ret\" { print \$1; exit }" entry.insns) &&
	push=$(awk "\$2 == \"push\" { print \$1; exit }" entry.insns) &&
	other=$(awk "\$2 == \"mov\" { print \$1; exit }" entry.insns) &&
	test -n "$pop" && test -n "$ret" && test -n "$push" && test -n "$other" &&
	{ sed "/^sample /d" hot.rec
	  samples 5 7 $pop; samples 2 7 $ret; samples 1 7 $other; } >frame.rec &&
	pf-symbolize frame.rec | pf-aggregate >frame.agg &&
	pf-annotate -n --function hot_entry frame.agg >frame.out &&
	cat frame.out &&
	grep -q "^ *| *\[7 on the call.s entry and exit (registers saved and restored, the frame, ret): paid once per call\]$" frame.out &&
	test "$(grep -c "entry and exit" frame.out)" -eq 1 &&
	{ sed "/^sample /d" hot.rec
	  samples 1 7 $push; samples 3 7 $other; } >body.rec &&
	pf-symbolize body.rec | pf-aggregate >body.agg &&
	pf-annotate -n --asm body.agg >body.out &&
	cat body.out && grep -q "^ *| *3 \* *+" body.out &&
	! grep -q "entry and exit" body.out
'
# Native code: a function of a mapped file, from the file's bytes.
test_expect '--function on a native function: its instructions from the mapped file' '
	fx=$TOP/tests/fixtures/jitfixture &&
	set -- $(readelf -lW "$fx" | awk "\$1 == \"LOAD\" && / R E / { print \$2, \$3; exit }") &&
	run=$(nm "$fx" | awk "\$3 == \"run_hot\" { print \$1 }") &&
	base=555500000000 &&
	fifth=$(objdump -d --no-show-raw-insn "$fx" |
		awk "/<run_hot>:/ { on = 1; next } on && /^ *[0-9a-f]+:/ { if (++n == 5) { sub(/:/, \"\", \$1); print \$1; exit } }") &&
	{ echo "# pf-record 2"; echo "meta pid 7"
	  printf "map 1 7 %x %x %x %s\n" $((0x$base + $2)) $((0x$base + $2 + 0x10000)) $(($1)) "$fx"
	  samples 3 7 $(printf "%x" $((0x$base + 0x$fifth))); } >native.rec &&
	pf-symbolize native.rec >native.sym &&
	grep -q "^code [^ ]*jitfixture [0-9a-f]* [0-9a-f]* file run_hot$" native.sym &&
	pf-aggregate native.sym >native.agg &&
	pf-annotate -n --function run_hot native.agg >native.out 2>native.err &&
	cat native.out && test ! -s native.err &&
	grep -q "^## run_hot ([^ ]*jitfixture, native code), 3$" native.out &&
	grep -q "^ *| *3 \* *+$(printf "%x" $((0x$fifth - 0x$run)))  " native.out &&
	end=$(grep "^code [^ ]*jitfixture " native.sym | cut -d" " -f4) &&
	objdump -d --no-show-raw-insn "$fx" |
		awk "/<run_hot>:/ { on = 1; next } /^\$/ { on = 0 }
			on && /^ *[0-9a-f]+:/ { sub(/:/, \"\", \$1); print \$1 }" >native.all &&
	while read a; do
		if [ $((0x$a)) -lt $((0x$end - 0x$base)) ]; then echo "$a"; fi
	done <native.all >native.want &&
	test "$(grep -c "^ *| *[0-9]* [* ] *+[0-9a-f]*  " native.out)" -eq "$(wc -l <native.want)"
'
done_testing
