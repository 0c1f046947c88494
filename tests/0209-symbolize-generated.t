#!/bin/sh
# pf-symbolize leaves out the frames of generated functions
# (DW_AT_artificial, what pf's shim gives Numba's wrappers): the user's
# code inlined into a generated wrapper reads as if it had not been
# inlined, and a generated helper inlined into the user's code puts its
# samples at the call site.  The object is compiled by the LLVM of
# llvmlite (tests/programs/generated_frames.py), with alwaysinline, so
# the inlining does not depend on the machine; the expectations come
# from GNU objdump -dl reading the same DWARF.
. "$(dirname "$0")/lib.sh"

PFS=$TOP/symbolize/pf-symbolize
[ -x "$PFS" ] || { echo "Bail out! build it: make symbolize/pf-symbolize"; exit 1; }
PY=$(find_numba_python) || skip_all "no Python with numba (and llvmlite)"
for tool in cc objcopy objdump nm base64; do
	command -v $tool >/dev/null || skip_all "no $tool"
done
cd "$T" || exit 1
JIT_RECORDS="sh $TOP/tests/jit-records.sh"

"$PY" "$TOP/tests/programs/generated_frames.py" g.tmp.o rt.tmp.o &&
objcopy --change-section-address .text=0x7f0000001000 g.tmp.o g.o &&
objcopy --change-section-address .text=0x7f0000002000 rt.tmp.o rt.o ||
	{ echo "Bail out! cannot make the test object"; exit 1; }

# ADDR SYMBOL FUNCTION-MARK LINE for each instruction of wrapper and
# user (not the padding after them), as objdump -dl sees them: the
# innermost function and its line (0: none).
nm -S g.o | while read -r start size type name; do
	case $name in wrapper | user)
		printf "%s %x\n" "$name" $((0x$start + 0x$size)) ;;
	esac
done >ends
objdump -dl g.o | awk '
	FNR == NR { end[$1] = $2; next }
	/^[0-9a-f]+ <[a-z_]+>:$/ { sym = substr($2, 2, length($2) - 3); next }
	/^[a-z_]+\(\):$/ { fn = substr($1, 1, length($1) - 3); line = 0; next }
	/^\/src\/user\.py:[0-9]+/ { split($1, p, ":"); line = p[2]; next }
	/^ +[0-9a-f]+:\t/ && (sym in end) {
		a = $1; sub(/:$/, "", a)
		# as strings: both 12 hex digits
		if (length(a) == length(end[sym]) && a "" < end[sym] "")
			print a, sym, fn, line
	}' ends - >insns
{
	echo "# pf-record 2"
	$JIT_RECORDS 1 10 g.o
	awk '{ print "sample 20 7 7 0 " $1 }' insns
} >g.rec

test_expect 'the object and its inlining are what the test needs' '
	cat insns &&
	awk "\$2 == \"wrapper\" && \$3 == \"body\" { b++ }
	     \$2 == \"wrapper\" && \$3 == \"wrapper\" { w++ }
	     \$2 == \"user\" && \$3 == \"helper\" { h++ }
	     END { exit !(b > 3 && w > 0 && h > 0) }" insns &&
	readelf --debug-dump=info g.o | grep -q DW_AT_artificial
'

test_expect 'pf-symbolize: no warning, the object has lines, named by body' '
	"$PFS" g.rec >g.sym 2>g.err && ! test -s g.err &&
	grep -qx "object jit:1 10 lines body" g.sym
'

# What each sample must read: FUNCTION FILE LINE INLINED.
awk '
	$3 == "body" { print $1, "body /src/user.py", $4, "-" }
	$3 == "wrapper" { print $1, "body - 0 -" }
	$3 == "user" { print $1, "user /src/user.py", $4, "-" }
	$3 == "helper" { print $1, "user /src/user.py 21 -" }
' insns >want

test_expect 'user code in a generated wrapper: as if not inlined' '
	awk "\$1 == \"sample\" { print \$6, \$9, \$10, \$11, \$12 }" g.sym >got &&
	test_cmp want got &&
	! grep -q "wrapper /\|wrapper [^ ]* [1-9]" got
'

test_expect 'a generated helper in user code: at its call line, no chain' '
	! grep -q helper g.sym &&
	grep -q " jit jit:1 user /src/user.py 21 -$" g.sym
'

# Numba's runtime (NRT_incref and the like) is generated code with no
# user code in it, called by every function that counts references:
# its samples keep its own name.  (Its unit, "<numba-generated>", looks
# like the pseudo file of a prange region, "<string>", but is none: the
# functions that call it do not enclose it.)
printf '%s\n' "void rt_incref(long *p);" "" "void kern(long *p)" "{" \
	"	rt_incref(p);" "}" >k.c
{
	cc -O1 -g -fno-pic -c -o k.tmp.o k.c &&
	objcopy --change-section-address .text=0x7f0000003000 k.tmp.o k.o &&
	echo "# pf-record 2" &&
	$JIT_RECORDS 1 10 rt.o && $JIT_RECORDS 2 20 k.o &&
	echo "sample 30 7 7 0 7f0000002000" &&
	echo "sample 30 7 7 0 7f0000002005"
} >rt.rec || { echo "Bail out! cannot make the runtime test"; exit 1; }

test_expect 'generated code with no user code keeps its own name' '
	readelf -sW k.o | grep -q " UND rt_incref$" &&
	"$PFS" rt.rec >rt.sym 2>rt.err && ! test -s rt.err &&
	awk "\$1 == \"sample\" { print \$8, \$9, \$10, \$11, \$12 }" rt.sym >got &&
	printf "%s\n" "jit:1 rt_incref - 0 -" "jit:1 rt_incref - 0 -" >want &&
	test_cmp want got
'

done_testing
