#!/bin/sh
# pf-symbolize's object records: one in place of each jit record, saying
# whether the object has line tables (lines, nolines, bad) and naming
# its main function; then the whole pipeline on JIT code without line
# tables, as Numba code compiled without debug info gives.  The objects
# are made at test time: C compiled with and without -g, .text given a
# process address with objcopy, as in 0201.
. "$(dirname "$0")/lib.sh"

PFS=$TOP/symbolize/pf-symbolize
[ -x "$PFS" ] || { echo "Bail out! build it: make symbolize/pf-symbolize"; exit 1; }
for tool in cc objcopy nm base64; do
	command -v $tool >/dev/null || skip_all "no $tool"
done
cd "$T" || exit 1
JIT_RECORDS="sh $TOP/tests/jit-records.sh"

# good.c: DWARF with a line table; its first subprogram (twice) is
# inlined only, so the first one with code is good_main.
cat >good.c <<'EOC'
static inline __attribute__((always_inline)) int twice(int x)
{
	return 2 * x;
}

int good_main(int x)
{
	return twice(x) + 1;
}
EOC
# plain.c, without -g: Numba's wrappers, a run-time helper and a local
# function come before the plain global function in the symbol table.
cat >plain.c <<'EOC'
static __attribute__((used, noinline)) int local_first(int x)
{
	return x * 3 + 1;
}
int wrap_c(int x) __asm__("cfunc._ZN8__main__1fB2v1B4abcdE5ArrayIdLi1E1C7mutable7alignedE");
int wrap_c(int x) { return x * 5 + 2; }
int wrap_py(int x) __asm__("_ZN7cpython8__main__1fB2v1B4abcdE5ArrayIdLi1E1C7mutable7alignedE");
int wrap_py(int x) { return x * 7 + 3; }
int NRT_incref(int x) { return x * 9 + 4; }
int plain_main(int x) __asm__("_ZN8__main__1fB2v1B4abcdE5ArrayIdLi1E1C7mutable7alignedE");
int plain_main(int x) { return x * 11 + 5; }
EOC
# helpers.c, without -g: nothing but Numba's run-time helpers.
cat >helpers.c <<'EOC'
int nrt_atomic_add(int x) { return x + 1; }
int NRT_decref(int x) { return x - 1; }
EOC
PLAIN=__main__.f\(Array\<double,1,C,mutable,aligned\>\)
PLAIN_RAW=_ZN8__main__1fB2v1B4abcdE5ArrayIdLi1E1C7mutable7alignedE

# place SOURCE OUTPUT ADDR CFLAGS...: compile, give .text address ADDR.
place() {
	src=$1 out=$2 addr=$3
	shift 3
	cc -O1 -fno-pic "$@" -c -o "$out.tmp.o" "$src" &&
	objcopy --change-section-address .text=0x$addr "$out.tmp.o" "$out"
}
# sym_addr OBJECT SYMBOL: its address, hex without leading zeros.
sym_addr() {
	nm "$1" | awk -v s="$2" '$3 == s { sub(/^0+/, "", $1); print $1 }'
}
place good.c good.o 7f0000001000 -g &&
place plain.c plain.o 7f0000002000 &&
place helpers.c helpers.o 7f0000003000 &&
# DWARF whose line table is gone (the CU's DW_AT_stmt_list points to
# nothing): no line table, but the function is named from DWARF
objcopy --rename-section .debug_line=.not_debug_line good.o.tmp.o nl.tmp.o &&
objcopy --change-section-address .text=0x7f0000004000 nl.tmp.o nl.o &&
printf "" >empty.c && place empty.c empty.o 7f0000005000 &&
# at odd addresses, off libdwfl's layout grid: placed where they ran
place good.c odd.o 7f0000006001 -g &&
place good.c odd2.o 7f0000007001 -g &&
head -c 1000 good.o >cut.o &&
awk 'BEGIN { for (i = 0; i < 3000; i++) printf "%c", 65 + i % 26 }' >junk.o ||
	{ echo "Bail out! cannot make the test objects"; exit 1; }
GOOD=$(sym_addr good.o good_main)
MAIN=$(sym_addr plain.o $PLAIN_RAW)
WRAP=$(sym_addr plain.o cfunc.$PLAIN_RAW)
HELP=$(sym_addr helpers.o NRT_decref)
NL=$(sym_addr nl.o good_main)
ODD=$(sym_addr odd.o good_main)

test_expect 'the objects are what the tests need' '
	test -n "$GOOD" && test -n "$MAIN" && test -n "$WRAP" &&
	test -n "$HELP" && test -n "$NL" && test -n "$ODD" &&
	readelf -SW good.o | grep -q " \.debug_line " &&
	! readelf -SW plain.o | grep -q " \.debug_" &&
	readelf -SW nl.o | grep -q " \.debug_info " &&
	! readelf -SW nl.o | grep -q " \.debug_line " &&
	readelf -sW plain.o | awk "\$4 == \"FUNC\" { print \$8 }" >order &&
	test "$(tail -n 1 order)" = "$PLAIN_RAW"
'

# Object records replace the jit records where they were; samples of
# each object come before and after it.
{
	echo "# pf-record 2"
	echo "meta lines numba-faithful"
	echo "sample 10 7 7 0 $GOOD"
	$JIT_RECORDS 1 100 good.o
	echo "mark after-1"
	$JIT_RECORDS 2 200 plain.o
	echo "sample 300 7 7 0 $MAIN"
	$JIT_RECORDS 3 300 helpers.o
	$JIT_RECORDS 4 400 nl.o
	$JIT_RECORDS 5 500 empty.o
	echo "mark before-6"
	$JIT_RECORDS 6 600 odd.o
	$JIT_RECORDS 7 700 odd2.o
	$JIT_RECORDS 8 800 cut.o
	$JIT_RECORDS 9 900 junk.o
	$JIT_RECORDS 10 1000 good.o | sed 3d
	echo "jit 1 1100 1000 16"
	echo "sample 1200 7 7 0 $ODD"
	echo "exit 1300 0 exited"
} >all.rec

test_expect 'each jit record becomes an object record, in place' '
	test_must_fail 1 "$PFS" --no-code all.rec >all.out 2>all.err &&
	cat all.err &&
	grep -v "^sample " all.out >objects &&
	cat >objects.want <<-EOT &&
	# pf-symbolize 2
	meta lines numba-faithful
	object jit:1 100 lines good_main
	mark after-1
	object jit:2 200 nolines $PLAIN
	object jit:3 300 nolines nrt_atomic_add
	object jit:4 400 nolines good_main
	object jit:5 500 nolines -
	mark before-6
	object jit:6 600 lines good_main
	object jit:7 700 lines good_main
	object jit:8 800 bad -
	object jit:9 900 bad -
	object jit:10 1000 bad -
	exit 1300 0 exited
	EOT
	test_cmp objects.want objects
'
test_expect 'bad objects are the ones warned about; no record for a reused ID' '
	! grep -q "jit object 6 " all.err &&
	grep "^pf-symbolize: line [0-9]*: jit object 8 unusable: truncated" all.err &&
	grep "^pf-symbolize: line [0-9]*: jit object 9 unusable: not an ELF object" all.err &&
	grep "^pf-symbolize: line [0-9]*: jit object 10 unusable: bytes " all.err &&
	grep "^pf-symbolize: line [0-9]*: jit object 1 already defined" all.err &&
	grep -x "pf-symbolize: 3 jit objects unusable" all.err &&
	test "$(grep -c "^object jit:1 " all.out)" -eq 1
'
test_expect 'an object nobody sampled is examined too, wherever it lies' '
	! grep -q "jit object 7 " all.err &&
	! grep -q " jit jit:7 " all.out
'
test_expect 'the samples are symbolized as before' '
	grep -x "sample 10 7 7 0 $GOOD jit jit:1 good_main $T/good.c 8 -" all.out &&
	grep -x "sample 300 7 7 0 $MAIN jit jit:2 $PLAIN - 0 -" all.out &&
	grep -x "sample 1200 7 7 0 $ODD jit jit:6 good_main $T/good.c 8 -" all.out
'
test_expect '--no-demangle: NAME as in the symbol table' '
	test_must_fail 1 "$PFS" --no-code --no-demangle all.rec >raw.out 2>/dev/null &&
	grep -x "object jit:2 200 nolines $PLAIN_RAW" raw.out &&
	grep -x "object jit:1 100 lines good_main" raw.out
'
test_expect 'an object record in a recording is a bad line' '
	printf "%s\n" "# pf-record 2" "object jit:1 1 nolines f" "meta pid 1" >obj.rec &&
	test_must_fail 1 "$PFS" --no-code obj.rec >obj.out 2>obj.err &&
	grep -x "pf-symbolize: line 2: object record in a pf-record stream" obj.err &&
	printf "%s\n" "# pf-symbolize 2" "meta pid 1" >obj.want &&
	test_cmp obj.want obj.out
'

# The pipeline on code with and without line tables: 60 samples with a
# line in good_main, 30 in the plain function and 5 in a wrapper of the
# object without DWARF, 5 in the helpers; the kernel lost samples and
# throttled sampling twice.
{
	echo "# pf-record 2"
	echo "meta command python3 s.py"
	echo "meta lines numba-faithful"
	i=0
	while [ $i -lt 100 ]; do
		if [ $i -lt 60 ]; then a=$GOOD
		elif [ $i -lt 90 ]; then a=$MAIN
		elif [ $i -lt 95 ]; then a=$WRAP
		else a=$HELP
		fi
		echo "sample $((1000 + i)) 7 7 0 $a"
		i=$((i + 1))
	done
	echo "throttle 1050"
	echo "lost 1060 4"
	echo "throttle 1070"
	$JIT_RECORDS 1 100 good.o
	$JIT_RECORDS 2 100 plain.o
	$JIT_RECORDS 3 100 helpers.o
	echo "exit 2000 0 exited"
} >run.rec

test_expect 'pipeline: every stage exits 0' '
	"$PFS" run.rec >run.sym &&
	pf-aggregate -g line,function run.sym >run.agg &&
	(cd "$T" && pf-annotate run.agg) >run.txt 2>run.err &&
	cat run.agg run.txt && ! test -s run.err
'
test_expect 'pf-aggregate: NOLINES, THROTTLED, LINELESS, the nolines records' '
	grep -x "total 100 100 0 0 0 0 4 40 2 40" run.agg &&
	awk "\$1 == \"nolines\"" run.agg >nolines &&
	printf "%s\n" "nolines 35 35.00 jit:2 $PLAIN" \
		"nolines 5 5.00 jit:3 nrt_atomic_add" >nolines.want &&
	test_cmp nolines.want nolines &&
	! grep -q "^object \|^throttle \|^lost " run.agg
'
test_expect 'pf-annotate: losses, the code without line tables and why' '
	sed -n 2,6p run.txt >notes &&
	cat >notes.want <<-EOT &&
	# 4 samples lost (ring buffer full), sampling throttled 2 times by the kernel: shares may be skewed
	# command: python3 s.py
	# 40.0% of samples are in JIT code without line tables:
	#   $PLAIN 35.0%, Numba runtime 5.0%
	#   (compiled without line tables: pf'"'"'s shim did not run or did not know this Numba, see pf-record'"'"'s warnings; or cache=True code from a cache other than pf'"'"'s)
	EOT
	test_cmp notes.want notes &&
	! grep -q "^# line tables" run.txt &&
	! grep -q "at no source line" run.txt
'
test_expect 'pf-annotate: their time is shown after the listing' '
	grep -A20 "^## good.c, line 8, good_main (60.0%)" run.txt >listing &&
	grep -x "## $PLAIN (no line table), 35.0%" listing &&
	grep -x "## Numba runtime (no line table), 5.0%" listing &&
	tail -n 2 run.txt >last &&
	printf "%s\n" "## $PLAIN (no line table), 35.0%" \
		"## Numba runtime (no line table), 5.0%" >last.want &&
	test_cmp last.want last
'
test_expect 'only the runtime without line tables: the note says so' '
	grep -v "^object jit:2 " run.sym >rt.sym &&
	pf-aggregate rt.sym >rt.agg &&
	grep -x "total 100 100 0 0 0 0 4 5 2 40" rt.agg &&
	pf-annotate rt.agg >rt.txt &&
	grep -A1 -x "# 5.0% of samples are in JIT code without line tables: Numba runtime 5.0%" rt.txt |
		grep -x "#   (Numba compiles its runtime without debug info)" &&
	! grep -q "cache=True" rt.txt &&
	grep -x "# 35.0% of samples are in JIT code at no source line (not in the listing)" rt.txt
'
test_expect 'without object records (older pf-symbolize), no NOLINES' '
	grep -v "^object " run.sym >old.sym &&
	pf-aggregate old.sym >old.agg &&
	grep -x "total 100 100 0 0 0 0 4 0 2 40" old.agg &&
	! grep -q "^nolines " old.agg &&
	pf-annotate old.agg >old.txt &&
	! grep -q "without line tables\|no line table" old.txt &&
	grep -x "# 40.0% of samples are in JIT code at no source line (not in the listing)" old.txt
'
done_testing
