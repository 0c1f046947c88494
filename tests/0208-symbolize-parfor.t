#!/bin/sh
# pf-symbolize on code compiled from a pseudo file: Numba's prange loops
# (@njit(parallel=True)) run in a "gufunc" whose DWARF compile unit is
# "<string>" while its lines are those of the user's file (numba issue
# 9412).  Their samples must name the enclosing function and its file.
# First objects made at test time from C (a source file literally
# called "<string>" gives such a unit), checking each rule of region.h;
# then a real Numba prange loop.
. "$(dirname "$0")/lib.sh"

PFS=$TOP/symbolize/pf-symbolize
[ -x "$PFS" ] || { echo "Bail out! build it: make symbolize/pf-symbolize"; exit 1; }
for tool in cc ld objcopy objdump base64; do
	command -v $tool >/dev/null || skip_all "no $tool"
done
cd "$T" || exit 1
JIT_RECORDS="sh $TOP/tests/jit-records.sh"
mkdir a w

# The region: GUFUNC, with code at line 4 (before the line the
# enclosing functions are declared at, 5), lines 8 to 11 and an inlined
# function at line 12, called from line 10.
cat >'a/<string>' <<'EOC'
#line 2
static inline __attribute__((always_inline)) int sq(int i)
{
#line 12
	return i * i * 3 + (i >> 2);
}
#line 2
int GUFUNC(int n)
{
	volatile int t = n;
#line 8
	int s = t;
	for (int i = 0; i < n; i++)
#line 10
		s += sq(i);
#line 11
	return s;
}
EOC
# A wrapper from a pseudo file that calls the region (Numba's
# __gufunc__ objects): it is no enclosing function.
cat >'w/<string>' <<'EOC'
int GUFUNC(int n);
int WRAPPER(int n)
{
	return GUFUNC(n) * 2;
}
EOC
# real FILE FUNC CALLEE: FILE.c whose FUNC, declared at line 5, calls
# CALLEE.
real() {
	printf '%s\n' "/* $1.c */" "int $3(int n);" "" "" \
		"int $2(int n)" "{" "	return $3(n) + 1;" "}" >"$1.c"
}
# cc_pseudo DIR OUT GUFUNC [WRAPPER]: compile DIR/<string>.
cc_pseudo() {
	(cd "$1" && cc -O1 -g -fno-pic -DGUFUNC="$3" -DWRAPPER="${4:-w}" \
		-x c -c '<string>' -o "$T/$2")
}
# place IN OUT ADDR [WEAK]: give .text of IN the process address ADDR.
place() {
	objcopy --change-section-address .text=0x$3 \
		${4:+--weaken-symbol=$4} "$1" "$2"
}

real early early gufunc_a && real k kern gufunc_a &&
real caller outer kern && real m mfunc gufunc_b && real n nfunc gufunc_b &&
real p pfunc gufunc_d &&
# efunc calls a function named after the region gufunc_e, as Numba names
# the gufunc wrapper of region L "__gufunc__.L"; of the region, their
# object e.o holds that name only (as when L is inlined into it).
printf '%s\n' "/* e.c */" \
	"int wrapper_e(int n) __asm__(\"__gufunc__.gufunc_e\");" "" "" \
	"int efunc(int n)" "{" "	return wrapper_e(n) + 1;" "}" >e.c &&
printf '%s\n' "int wrapper_e(int n) __asm__(\"__gufunc__.gufunc_e\");" \
	"int wrapper_e(int n) { return n * 2; }" >ew.c &&
for f in early k caller m n p e ew; do
	cc -O1 -g -fno-pic -c -o $f.tmp.o $f.c || exit 1
done &&
cc_pseudo a ga.tmp.o gufunc_a && cc_pseudo w wa.tmp.o gufunc_a wrapper_a &&
cc_pseudo a gb.tmp.o gufunc_b && cc_pseudo a gc.tmp.o gufunc_c &&
cc_pseudo w wc.tmp.o gufunc_c wrapper_c && cc_pseudo a gd.tmp.o gufunc_d &&
cc_pseudo a ge.tmp.o gufunc_e &&
ld -r -o outer.tmp.o caller.tmp.o k.tmp.o &&
ld -r -o mb.tmp.o m.tmp.o gb.tmp.o &&
ld -r -o pd.tmp.o p.tmp.o gd.tmp.o &&
ld -r -o eo.tmp.o e.tmp.o ew.tmp.o &&
place early.tmp.o early.o 7f0000001000 &&
place ga.tmp.o ga.o 7f0000002000 &&
place wa.tmp.o wa.o 7f0000003000 &&
place k.tmp.o k.o 7f0000004000 &&
place outer.tmp.o outer.o 7f0000005000 &&
place mb.tmp.o mb.o 7f0000006000 gufunc_b &&
place n.tmp.o n.o 7f0000007000 &&
place gc.tmp.o gc.o 7f0000008000 &&
place wc.tmp.o wc.o 7f0000009000 &&
place pd.tmp.o pd.o 7f000000a000 gufunc_d &&
place gd.tmp.o gd.o 7f000000b000 &&
place ge.tmp.o ge.o 7f000000c000 &&
place eo.tmp.o e.o 7f000000d000 ||
	{ echo "Bail out! cannot make the test objects"; exit 1; }

# The records: ID TIME OBJECT, in the order of the recording.  outer,
# which calls kern, comes before it, as when pf-record finds both in
# one poll (it walks LLVM's list from the newest object).
cat >objects <<EOT
1 50 early.o
2 100 ga.o
3 150 wa.o
4 180 outer.o
5 200 k.o
6 400 mb.o
7 500 n.o
8 600 gc.o
9 650 wc.o
10 700 pd.o
11 800 gd.o
12 900 ge.o
13 950 e.o
EOT
# A sample at every line table row of the regions and of kern.
for o in ga.o k.o outer.o mb.o gc.o gd.o ge.o; do
	sh "$TOP/tests/objdump-lines.sh" $o >$o.rows || exit 1
done
{
	echo "# pf-record 2"
	cat ga.o.rows k.o.rows outer.o.rows mb.o.rows gc.o.rows gd.o.rows ge.o.rows |
		awk '{ print "sample 1000 7 7 0", $1 }'
	while read -r id time o; do
		$JIT_RECORDS $id $time $o
	done <objects
} >regions.rec

# want ID ROWS [FILE FUNCTION]: the samples of ROWS of object ID as
# pf-symbolize must write them, the region's lines given to FUNCTION
# declared at line 5 of FILE; without FILE, left in "<string>".
want() {
	awk -v id="$1" -v file="${3:-}" -v fn="${4:-}" '
		function map(path, line) {
			if (path !~ /\/<string>$/)
				return path
			return file != "" && line >= 5 ? file : "<string>"
		}
		{
			outer = $2
			if (fn != "" && $4 ~ /\/<string>$/)
				outer = fn
			func = $3 == $2 ? outer : $3
			inl = $3 == $2 ? "-" : outer "@" map($4, 10) ":10"
			print "sample 1000 7 7 0", $1, "jit jit:" id, func,
				map($4, $5), $5, inl
		}' "$2"
}

test_expect 'the objects are what the tests need' '
	readelf --debug-dump=info ga.o >ga.info &&
	grep -q "DW_AT_name .*: <string>$" ga.info &&
	grep -q "DW_AT_name .*: gufunc_a$" ga.info &&
	readelf --debug-dump=info mb.o >mb.info &&
	grep -q "DW_AT_name .*: m.c$" mb.info &&
	grep -q "DW_AT_name .*: <string>$" mb.info &&
	readelf -sW mb.o | grep -q " WEAK .* gufunc_b$" &&
	readelf -sW pd.o | grep -q " WEAK .* gufunc_d$" &&
	readelf -sW outer.o | grep -q " kern$" &&
	grep -q " gufunc_a /.*/a/<string> 4$" ga.o.rows &&
	grep -q " gufunc_a sq /.*/a/<string> 12$" ga.o.rows &&
	grep -q " gufunc_b /.*/a/<string> 9$" mb.o.rows &&
	grep -q " gufunc_d /.*/a/<string> 9$" gd.o.rows
'
test_expect 'pf-symbolize reads the recording' '
	"$PFS" regions.rec >regions.out 2>regions.err &&
	cat regions.err && ! test -s regions.err
'
test_expect 'a region of its own: the first function recorded after it, not its caller' '
	want 2 ga.o.rows "$T/k.c" kern >ga.want &&
	grep " jit jit:2 " regions.out >ga.got &&
	test_cmp ga.want ga.got &&
	grep -q " kern $T/k.c 9 -$" ga.got &&
	grep -q " sq $T/k.c 12 kern@$T/k.c:10$" ga.got
'
test_expect 'lines before the enclosing function stay "<string>", without the directory' '
	grep -q "^sample [^<]* jit jit:2 kern <string> 4 -$" regions.out &&
	! grep -q "/<string>" regions.out
'
test_expect 'code from real files is as before' '
	want 5 k.o.rows >k.want && grep " jit jit:5 " regions.out >k.got &&
	test_cmp k.want k.got &&
	want 4 outer.o.rows >outer.want && grep " jit jit:4 " regions.out >outer.got &&
	test_cmp outer.want outer.got && grep -q " jit jit:4 kern $T/k.c " outer.got
'
test_expect 'a linked-in copy of the region: the object'"'"'s own main function' '
	want 6 mb.o.rows "$T/m.c" mfunc >mb.want &&
	grep " jit jit:6 " regions.out >mb.got &&
	test_cmp mb.want mb.got &&
	grep -q " mfunc $T/m.c 9 -$" mb.got
'
test_expect 'no enclosing function found: "<string>" and the region'"'"'s own name' '
	want 8 gc.o.rows >gc.want && grep " jit jit:8 " regions.out >gc.got &&
	test_cmp gc.want gc.got &&
	grep -q " jit jit:8 gufunc_c <string> 9 -$" gc.got
'
test_expect 'a weak copy recorded before the region counts too' '
	want 11 gd.o.rows "$T/p.c" pfunc >gd.want &&
	grep " jit jit:11 " regions.out >gd.got &&
	test_cmp gd.want gd.got
'
test_expect 'held only as the function PREFIX.NAME (Numba'"'"'s __gufunc__.NAME)' '
	readelf -sW e.o | grep -q " FUNC .* __gufunc__.gufunc_e$" &&
	! readelf -sW e.o | grep -q " gufunc_e$" &&
	want 12 ge.o.rows "$T/e.c" efunc >ge.want &&
	grep " jit jit:12 " regions.out >ge.got &&
	test_cmp ge.want ge.got
'
test_expect 'object records keep the regions'"'"' own names' '
	grep "^object " regions.out >objects.got &&
	cat >objects.want <<-EOT &&
	object jit:1 50 lines early
	object jit:2 100 lines gufunc_a
	object jit:3 150 lines wrapper_a
	object jit:4 180 lines outer
	object jit:5 200 lines kern
	object jit:6 400 lines mfunc
	object jit:7 500 lines nfunc
	object jit:8 600 lines gufunc_c
	object jit:9 650 lines wrapper_c
	object jit:10 700 lines pfunc
	object jit:11 800 lines gufunc_d
	object jit:12 900 lines gufunc_e
	object jit:13 950 lines efunc
	EOT
	test_cmp objects.want objects.got
'
test_expect 'the region and its function are one function in pf-aggregate' '
	pf-aggregate -g function regions.out >regions.agg &&
	! grep -q "^function .* gufunc_a$" regions.agg &&
	grep -q "^function .* jit jit:2 kern$" regions.agg
'
if command -v valgrind >/dev/null &&
   ! nm "$PFS" 2>/dev/null | grep -q __asan_init; then
	test_expect 'valgrind: no errors, no leaks, no descriptor left open' '
		valgrind -q --leak-check=full --show-leak-kinds=all \
			--errors-for-leak-kinds=all --error-exitcode=99 \
			--track-fds=yes --log-file=vg.log \
			"$PFS" regions.rec >vg.out 2>vg.err &&
		cat vg.log vg.err && test_cmp regions.out vg.out &&
		! grep -q "Invalid\|uninitialised\|definitely\|indirectly\|possibly\|still reachable" vg.log &&
		awk "/Open (file descriptor|AF_UNIX)/ { open = \$0; next }
		     open && /inherited from parent/ { open = \"\"; next }
		     open && /^==[0-9]+== *$/ { print open; bad = 1; open = \"\" }
		     END { exit bad }" vg.log
	'
else
	test_count=$((test_count + 1))
	echo "ok $test_count # SKIP no valgrind, or built with AddressSanitizer"
fi

# Real Numba: a prange loop, 90% of its time on one line, 10% on another.
PY=$(find_numba_python)
if [ -z "$PY" ]; then
	test_count=$((test_count + 1))
	echo "ok $test_count # SKIP no Python with numba: prange.py not recorded"
	done_testing
fi
SRC=$TOP/tests/programs/prange.py
NINETY=$(grep -n '# NINETY' "$SRC" | cut -d: -f1)
TEN=$(grep -n '# TEN' "$SRC" | cut -d: -f1)
DEF=$(grep -n '^def kernel' "$SRC" | cut -d: -f1)

test_expect 'record and symbolize a prange loop' '
	pf-record -q -F 1000 -o prange.rec -- "$PY" "$SRC" 2 >prange.log 2>&1 &&
	"$PFS" prange.rec >prange.sym 2>prange.err &&
	cat prange.err && ! test -s prange.err &&
	grep " jit " prange.sym >prange.jit &&
	test "$(wc -l <prange.jit)" -ge 200
'
test_expect 'the region is a gufunc in a "<string>" unit (else nothing is tested)' '
	grep -q "^object jit:[0-9]* [0-9]* lines __numba_parfor_gufunc_" prange.sym &&
	strings_in_objects prange.rec | grep -qx "<string>"
'
test_expect 'its samples name kernel and the real prange.py' '
	awk -v f="$SRC" "\$10 == f && \$9 == \"kernel\"" prange.jit >kernel.jit &&
	test "$(wc -l <kernel.jit)" -ge 200 &&
	! grep -q " __numba_parfor_gufunc_" prange.jit
'
test_expect 'the NINETY and TEN lines are there, about 9 to 1' '
	n=$(awk -v l="$NINETY" "\$11 == l" kernel.jit | wc -l) &&
	t=$(awk -v l="$TEN" "\$11 == l" kernel.jit | wc -l) &&
	echo "NINETY $n TEN $t" &&
	test "$t" -gt 0 && test "$((n * 10 / t))" -ge 60 &&
	test "$((n * 10 / t))" -le 130
'
test_expect 'no "<string>" left, but for the stub before def kernel' '
	! grep -q "/<string>" prange.jit &&
	awk -v d="$DEF" "\$10 == \"<string>\" && \$11 >= d" prange.jit >late &&
	! test -s late &&
	test "$(grep -c " <string> " prange.jit)" -le "$(($(wc -l <prange.jit) / 20))"
'
done_testing
