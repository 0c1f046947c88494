#!/bin/sh
# pf-symbolize on native code: map records of real files, the PC
# translated through the mapping's PT_LOAD segment, the symbol and (with
# DWARF) the line and the inline chain.
. "$(dirname "$0")/lib.sh"

PFS=$TOP/symbolize/pf-symbolize
[ -x "$PFS" ] || { echo "Bail out! build it: make symbolize/pf-symbolize"; exit 1; }
for tool in cc objdump readelf nm; do
	command -v $tool >/dev/null || skip_all "no $tool"
done
cd "$T" || exit 1
HOT=$TOP/tests/fixtures/hot.c
CHEAP=$(grep -n 'CHEAP \*/' "$HOT" | cut -d: -f1)
DEAR=$(grep -n 'DEAR \*/' "$HOT" | cut -d: -f1)

# text_map TIME PID BASE FILE: the map record of FILE's executable
# segment as the kernel maps it when FILE is loaded at BASE (hex).
text_map() {
	set -- "$1" "$2" "$3" "$4" $(readelf -lW "$4" |
		awk '$1 == "LOAD" && / R E / { print $2, $3, $6; exit }')
	[ $# -eq 7 ] || return 1
	printf "map %s %s %x %x %x %s\n" "$1" "$2" \
		$((0x$3 + $6 - $5 % 4096)) \
		$(((0x$3 + $6 + $7 + 4095) / 4096 * 4096)) \
		$(($5 - $5 % 4096)) "$4"
}
# at BASE VADDR: the run-time address of VADDR (both hex).
at() {
	printf "%x" $((0x$1 + 0x$2))
}

test_expect 'a shared library with DWARF: lines and inline chains' '
	cc -O1 -g -shared -fPIC -o libhot.so "$HOT" &&
	sh "$TOP/tests/objdump-lines.sh" libhot.so >rows &&
	grep -q " cheap_loop mix " rows &&
	{ echo "# pf-record 2"; text_map 10 7 7f1200000000 "$T/libhot.so"; } >lib.rec &&
	echo "# pf-symbolize 2" >lib.want &&
	while read addr sym fn file line; do
		pc=$(at 7f1200000000 $addr)
		inl=-
		[ "$sym" = "$fn" ] || inl="$sym@$file:$CHEAP"
		[ "$sym" != dear_loop ] || [ "$inl" = - ] || inl="$sym@$file:$DEAR"
		echo "sample 20 7 7 0 $pc" >>lib.rec
		echo "sample 20 7 7 0 $pc native $T/libhot.so $fn $file $line $inl" >>lib.want
	done <rows &&
	cat lib.rec &&
	"$PFS" --no-code lib.rec >lib.out 2>lib.err && ! test -s lib.err &&
	test_cmp lib.want lib.out
'

LIBC=$(ldd /bin/sh 2>/dev/null | awk '$1 ~ /^libc\.so/ { print $3 }')
[ -f "${LIBC:-}" ] || LIBC=$(ls /lib/*/libc.so.6 /lib64/libc.so.6 2>/dev/null | head -1)
# up to 8 functions of libc alone at their address: "VADDR NAME"
nm -D --defined-only "$LIBC" 2>/dev/null | awk '
	{ sub(/@.*/, "", $3); names[$1] = names[$1] " " $3; count[$1]++
	  if ($2 == "T") text[$1] = $3 }
	END { for (a in text) if (count[a] == 1) print a, text[a] }' |
	sort -k2 | head -8 >libc.syms
test_expect 'libc: the dynamic symbols at their run-time addresses' '
	test -s libc.syms &&
	{ echo "# pf-record 2"
	  text_map 10 7 7f5500000000 "$LIBC"
	  while read addr name; do
		echo "sample 20 7 7 0 $(at 7f5500000000 $addr)"; done <libc.syms
	} >libc.rec &&
	"$PFS" --no-code libc.rec >libc.out 2>libc.err && ! test -s libc.err &&
	cat libc.out &&
	awk "{ print \$2 }" libc.syms >libc.want &&
	# the symbol is FUNCTION, or the outermost caller when inlined
	awk "\$1 == \"sample\" {
		if (\$7 != \"native\" || \$8 != \"$LIBC\") { print \"bad\"; next }
		if (\$12 == \"-\") { print \$9; next }
		n = split(\$12, chain, \";\"); sub(/@.*/, \"\", chain[n]); print chain[n]
	}" libc.out >libc.got &&
	test_cmp libc.want libc.got
'

CXXLIB=$(ls /usr/lib/*/libstdc++.so.6 /usr/lib64/libstdc++.so.6 2>/dev/null | head -1)
test_expect 'C++ symbols are demangled (libstdc++)' '
	test -n "$CXXLIB" || { echo "no libstdc++"; return 0; }
	a=$(nm -D --defined-only "$CXXLIB" | awk "\$2 == \"T\" && \$3 ~ /^_ZNSt6thread6detachEv/ { print \$1; exit }") &&
	test -n "$a" &&
	{ echo "# pf-record 2"; text_map 10 7 7f6600000000 "$CXXLIB"
	  echo "sample 20 7 7 0 $(at 7f6600000000 $a)"; } >cxx.rec &&
	"$PFS" --no-code cxx.rec >cxx.out && cat cxx.out &&
	grep -q " native $CXXLIB std::thread::detach() " cxx.out &&
	"$PFS" --no-code --no-demangle cxx.rec >cxxraw.out &&
	grep -q " native $CXXLIB _ZNSt6thread6detachEv " cxxraw.out
'

# Mappings per process and over time: libc mapped over libhot.so at
# time 500 in process 7; process 8 has libc elsewhere and no libhot.so.
test_expect 'the mapping of the sample'"'"'s process, alive at its time' '
	a=$(at 7f1200000000 "$(grep " cheap_loop cheap_loop " rows | head -1 | cut -d" " -f1)") &&
	over=$(printf "%x" $((0x7f1200000000 - 0x26000))) &&
	text_map 500 7 $over "$LIBC" >over.map &&
	start=$(cut -d" " -f4 over.map) && end=$(cut -d" " -f5 over.map) &&
	test $((0x$start)) -le $((0x$a)) && test $((0x$end)) -gt $((0x$a)) &&
	l=$(at 7f3300000000 "$(head -1 libc.syms | cut -d" " -f1)") &&
	{ echo "# pf-record 2"
	  text_map 10 7 7f1200000000 "$T/libhot.so"
	  cat over.map
	  text_map 10 8 7f3300000000 "$LIBC"
	  echo "sample 20 7 7 0 $a"
	  echo "sample 600 7 7 0 $a"
	  echo "sample 5 7 7 0 $a"
	  echo "sample 20 8 8 0 $l"
	  echo "sample 20 8 8 0 $a"; } >time.rec &&
	"$PFS" --no-code time.rec >time.out && cat time.out &&
	grep -q "^sample 20 7 7 0 $a native $T/libhot.so cheap_loop " time.out &&
	grep -q "^sample 600 7 7 0 $a native $LIBC " time.out &&
	grep -q "^sample 5 7 7 0 $a native $T/libhot.so cheap_loop " time.out &&
	grep -q "^sample 20 8 8 0 $l native $LIBC " time.out &&
	grep -q "^sample 20 8 8 0 $a native $T/libhot.so cheap_loop " time.out
'

test_expect 'a file that is gone: its path, no function, one warning' '
	{ echo "# pf-record 2"
	  echo "map 10 7 400000 401000 0 /nonexistent/lib%20x.so"
	  echo "map 10 7 500000 501000 0 /nonexistent/lib%20x.so"
	  echo "map 10 7 600000 601000 0 [vdso]"
	  echo "sample 20 7 7 0 400010"
	  echo "sample 20 7 7 0 500020"
	  echo "sample 20 7 7 0 600030"; } >gone.rec &&
	"$PFS" --no-code gone.rec >gone.out 2>gone.err &&
	cat gone.out gone.err &&
	printf "%s\n" "# pf-symbolize 2" \
		"sample 20 7 7 0 400010 native /nonexistent/lib%20x.so - - 0 -" \
		"sample 20 7 7 0 500020 native /nonexistent/lib%20x.so - - 0 -" \
		"sample 20 7 7 0 600030 native [vdso] - - 0 -" >gone.want &&
	test_cmp gone.want gone.out &&
	test "$(wc -l <gone.err)" -eq 1 &&
	grep "^pf-symbolize: cannot read /nonexistent/lib x.so: " gone.err
'
test_expect 'JIT code wins over a mapping that covers it' '
	hot_object hot.o 0x7f1200001000 &&
	{ echo "# pf-record 2"; text_map 10 7 7f1200000000 "$T/libhot.so"
	  sh "$TOP/tests/jit-records.sh" 1 10 hot.o
	  echo "sample 20 7 7 0 7f1200001000"; } >both.rec &&
	"$PFS" --no-code both.rec >both.out &&
	grep -q "^sample 20 7 7 0 7f1200001000 jit jit:1 cheap_loop " both.out
'
done_testing
