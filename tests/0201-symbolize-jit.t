#!/bin/sh
# pf-symbolize on JIT objects made at test time: a C file compiled to an
# ELF relocatable object whose .text is given a process address, as
# LLVM's GDB JIT listener registers Numba's code.  The expected function,
# file and line of each address come from GNU objdump -dl, which does
# not share code with libdw.
. "$(dirname "$0")/lib.sh"

PFS=$TOP/symbolize/pf-symbolize
[ -x "$PFS" ] || { echo "Bail out! build it: make symbolize/pf-symbolize"; exit 1; }
for tool in cc objcopy objdump readelf nm base64; do
	command -v $tool >/dev/null || skip_all "no $tool"
done
cd "$T" || exit 1
HOT=$TOP/tests/fixtures/hot.c
JIT_RECORDS="sh $TOP/tests/jit-records.sh"
CHEAP=$(grep -n 'CHEAP \*/' "$HOT" | cut -d: -f1)
DEAR=$(grep -n 'DEAR \*/' "$HOT" | cut -d: -f1)
MIX=$(grep -n 'MIX \*/' "$HOT" | cut -d: -f1)

# jit_object SOURCE OUTPUT ADDR [CC FLAGS...]: compile SOURCE and give
# its .text the process address ADDR (hex).
jit_object() {
	src=$1 out=$2 addr=$3
	shift 3
	"${@:-cc}" -O1 -g -fno-pic -c -o "$out.tmp.o" "$src" &&
	objcopy --change-section-address .text=0x$addr "$out.tmp.o" "$out"
}

test_expect 'objcopy gives .text of an ET_REL object a process address' '
	jit_object "$HOT" hot.o 7f0000001000 &&
	readelf -h hot.o | grep -E "Type: +REL " &&
	readelf -SW hot.o | grep -E " \.text +PROGBITS +00007f0000001000 "
'
test_expect 'objdump sees inlined mix in both loops (else nothing is tested)' '
	sh "$TOP/tests/objdump-lines.sh" hot.o >rows &&
	cat rows &&
	grep -q "^[0-9a-f]* cheap_loop mix .*/hot.c $MIX$" rows &&
	grep -q "^[0-9a-f]* dear_loop mix .*/hot.c $MIX$" rows &&
	grep -q "^[0-9a-f]* cheap_loop cheap_loop " rows &&
	test "$(wc -l <rows)" -ge 8
'

# Samples first, the jit records after them (pf-record polls for new
# objects), the object split over several jitdata records, shuffled.
{
	echo "# pf-record 2"
	echo "meta pid 7"
	awk '{ print "sample 200 7 7 0", $1 }' rows
	echo "sample 200 7 7 0 7f0000000fff"
	$JIT_RECORDS 1 100 hot.o 55d0c1a00000 >hot.jit
	sed -n 1p hot.jit
	sed 1d hot.jit | sort -r
} >hot.rec
awk -v cheap="$CHEAP" -v dear="$DEAR" '
	BEGIN { print "# pf-symbolize 2"; print "meta pid 7" }
	{
		inl = "-"
		if ($2 != $3)
			inl = $2 "@" $4 ":" ($2 == "cheap_loop" ? cheap : dear)
		print "sample 200 7 7 0", $1, "jit jit:1", $3, $4, $5, inl
	}
	END {
		print "sample 200 7 7 0 7f0000000fff unknown - - - 0 -"
		# in place of the jit record: line tables, first function
		print "object jit:1 100 lines hot_entry"
	}
' rows >hot.want

test_expect 'the object is split over several jitdata records' '
	test "$(grep -c "^jitdata 1 " hot.rec)" -ge 2
'
test_expect 'function, file, line and inline chain match objdump -dl' '
	"$PFS" --no-code hot.rec >hot.out 2>hot.err &&
	test_cmp hot.want hot.out && ! test -s hot.err
'
test_expect 'inlined mix names its caller and the line of the call' '
	grep -q " jit jit:1 mix [^ ]*/hot.c $MIX cheap_loop@[^ ]*/hot.c:$CHEAP$" hot.out &&
	grep -q " jit jit:1 mix [^ ]*/hot.c $MIX dear_loop@[^ ]*/hot.c:$DEAR$" hot.out
'
test_expect 'an address inside an instruction gets its row' '
	row=$(grep " cheap_loop mix " rows | head -1) &&
	addr=$(echo "$row" | cut -d" " -f1) &&
	next=$(printf "%x" $((0x$addr + 1))) &&
	! grep -q "^$next " rows &&
	{ echo "# pf-record 2"; cat hot.jit;
	  echo "sample 1 7 7 0 $next"; } >mid.rec &&
	"$PFS" --no-code mid.rec >mid.out &&
	grep -q "^sample 1 7 7 0 $next jit jit:1 mix .*/hot.c $MIX cheap_loop@" mid.out
'

# Two levels of inlining, every instruction, against binutils addr2line.
cat >deep.c <<'EOC'
static inline __attribute__((always_inline)) int leaf(int x)
{
	return x * x + 3;
}

static inline __attribute__((always_inline)) int mid(int x)
{
	return leaf(x) * 7 + leaf(x + 1);
}

int top(int x)
{
	return mid(x) * 2 + mid(x - 1);
}
EOC
test_expect 'nested inlining at every instruction, as addr2line -i says' '
	command -v addr2line >/dev/null || { echo "no addr2line"; return 0; }
	jit_object deep.c deep.o 7f0000005000 &&
	objdump -d deep.o | awk "/^ *[0-9a-f]+:\t/ { sub(/:/, \"\", \$1); print \$1 }" >deep.addrs &&
	sh "$TOP/tests/addr2line-expect.sh" deep.o <deep.addrs >deep.expect &&
	grep -q " leaf [^ ]*/deep.c [0-9]* mid@[^ ]*/deep.c:[0-9]*;top@[^ ]*/deep.c:[0-9]*$" deep.expect &&
	{ echo "# pf-record 2"; $JIT_RECORDS 1 10 deep.o
	  sed "s/^/sample 1 7 7 0 /" deep.addrs; } >deep.rec &&
	"$PFS" --no-code deep.rec >deep.out &&
	{ echo "# pf-symbolize 2"; echo "object jit:1 10 lines top"
	  sed "s/^\([^ ]*\) /sample 1 7 7 0 \1 jit jit:1 /" deep.expect; } >deep.want &&
	test_cmp deep.want deep.out
'
test_expect 'span records say of every instruction what its sample says' '
	"$PFS" deep.rec >deep.code &&
	grep -q "^code jit:1 " deep.code && grep -q "^span jit:1 " deep.code &&
	spans_agree deep.code >deep.agree && cat deep.agree &&
	test "$(cut -d" " -f1 deep.agree)" -eq "$(wc -l <deep.addrs)"
'

# Two objects at the same address, one after the other: samples go to
# the object registered last at or before their time, else the first.
cat >other.c <<'EOC'
int replacement(int x)
{
	return x * 3 + 1;	/* REPL */
}
EOC
REPL=$(grep -n REPL other.c | cut -d: -f1)
test_expect 'overlapping objects: the one alive at the sample time' '
	jit_object other.c other.o 7f0000001000 &&
	entry=$(nm hot.o | awk "\$3 == \"hot_entry\" { print \$1 }" | sed "s/^0*//") &&
	{ echo "# pf-record 2"
	  echo "sample 50 7 7 0 7f0000001000"
	  $JIT_RECORDS 1 100 hot.o
	  echo "sample 200 7 7 0 7f0000001000"
	  $JIT_RECORDS 2 500 other.o
	  echo "sample 600 7 7 0 7f0000001000"
	  echo "sample 600 7 7 0 $entry"
	  echo "sample 500 7 7 0 7f0000001000"; } >overlap.rec &&
	"$PFS" --no-code overlap.rec >overlap.out &&
	cat overlap.out &&
	grep -q "^sample 50 7 7 0 7f0000001000 jit jit:1 cheap_loop " overlap.out &&
	grep -q "^sample 200 7 7 0 7f0000001000 jit jit:1 cheap_loop " overlap.out &&
	grep -q "^sample 600 7 7 0 7f0000001000 jit jit:2 replacement [^ ]*/other.c $REPL -$" overlap.out &&
	grep -q "^sample 500 7 7 0 7f0000001000 jit jit:2 replacement " overlap.out &&
	grep -q "^sample 600 7 7 0 $entry jit jit:1 hot_entry " overlap.out
'

# Code without DWARF (Numba's helpers): the symbol, no file or line.
cat >nodebug.c <<'EOC'
int plain_helper(int x) { return x * 7 + 3; }
int numba_named(int x) __asm__("_ZN8__main__5outer12_3clocals_3e5innerB2v3B54c8tJTC_2fWwKbcFpQAdBTgEQrlo6UyVFGMNAWVBgYHmKUJAA_3d_3dE5ArrayIdLi1E1C7mutable7alignedE");
int numba_named(int x) { return x * 5 + 1; }
int cfunc_named(int x) __asm__("cfunc._ZN8__main__1fB2v1B54c8tJTC_2fWwKbcFpQAdBTgEQrlo6UyVFGMNAWVBgYHmKUJAA_3d_3dE5ArrayIdLi1E1C7mutable7alignedE");
int cfunc_named(int x) { return x * 9 + 2; }
int under_41(int x) __asm__("_ZN8__main__6my_41xB2v1B4abcdEx");
int under_41(int x) { return x * 11 + 2; }
EOC
cat >cxx.cc <<'EOC'
#include <string>
namespace ns {
int twice(int x) { return 2 * x + 1; }
std::string tagged(int x) { return std::string(x, 'a'); }
}
EOC
# sym_addr OBJECT SYMBOL: its address, hex without leading zeros.
sym_addr() {
	nm "$1" | awk -v s="$2" '$3 == s { sub(/^0+/, "", $1); print $1 }'
}
test_expect 'no DWARF: the demangled symbol, FILE - and LINE 0' '
	cc -O1 -fno-pic -c -o nodebug.tmp.o nodebug.c &&
	objcopy --change-section-address .text=0x7f0000200000 nodebug.tmp.o nodebug.o &&
	c++ -O1 -fno-pic -c -o cxx.tmp.o cxx.cc &&
	objcopy --change-section-address .text=0x7f0000300000 cxx.tmp.o cxx.o &&
	p=$(sym_addr nodebug.o plain_helper) &&
	n=$(sym_addr nodebug.o _ZN8__main__5outer12_3clocals_3e5innerB2v3B54c8tJTC_2fWwKbcFpQAdBTgEQrlo6UyVFGMNAWVBgYHmKUJAA_3d_3dE5ArrayIdLi1E1C7mutable7alignedE) &&
	f=$(sym_addr nodebug.o cfunc._ZN8__main__1fB2v1B54c8tJTC_2fWwKbcFpQAdBTgEQrlo6UyVFGMNAWVBgYHmKUJAA_3d_3dE5ArrayIdLi1E1C7mutable7alignedE) &&
	u=$(sym_addr nodebug.o _ZN8__main__6my_41xB2v1B4abcdEx) &&
	x=$(sym_addr cxx.o _ZN2ns5twiceEi) &&
	t=$(sym_addr cxx.o _ZN2ns6taggedB5cxx11Ei) &&
	test -n "$p" && test -n "$n" && test -n "$f" && test -n "$u" &&
	test -n "$x" && test -n "$t" &&
	{ echo "# pf-record 2"
	  $JIT_RECORDS 3 10 nodebug.o
	  $JIT_RECORDS 4 10 cxx.o
	  for a in $p $n $f $u $x $t; do echo "sample 20 7 7 0 $a"; done
	} >nodebug.rec &&
	"$PFS" --no-code nodebug.rec >nodebug.out &&
	"$PFS" --no-code --no-demangle nodebug.rec >raw.out &&
	cat nodebug.out raw.out &&
	printf "%s\n" "# pf-symbolize 2" \
		"object jit:3 10 nolines plain_helper" \
		"object jit:4 10 nolines ns::twice(int)" \
		"sample 20 7 7 0 $p jit jit:3 plain_helper - 0 -" \
		"sample 20 7 7 0 $n jit jit:3 __main__.outer.<locals>.inner(Array<double,1,C,mutable,aligned>) - 0 -" \
		"sample 20 7 7 0 $f jit jit:3 cfunc.__main__.f(Array<double,1,C,mutable,aligned>) - 0 -" \
		"sample 20 7 7 0 $u jit jit:3 __main__.my_41x(long%20long) - 0 -" \
		"sample 20 7 7 0 $x jit jit:4 ns::twice(int) - 0 -" \
		"sample 20 7 7 0 $t jit jit:4 ns::tagged[abi:cxx11](int) - 0 -" \
		>nodebug.want &&
	test_cmp nodebug.want nodebug.out &&
	grep -q "^sample 20 7 7 0 $n jit jit:3 _ZN8__main__5outer12_3clocals_3e5innerB2v3B54c8tJTC_2fWwKbcFpQAdBTgEQrlo6UyVFGMNAWVBgYHmKUJAA_3d_3dE5ArrayIdLi1E1C7mutable7alignedE - 0 -$" raw.out &&
	grep -q "^sample 20 7 7 0 $x jit jit:4 _ZN2ns5twiceEi - 0 -$" raw.out
'
test_expect 'an empty object (Numba registers some) is no error' '
	printf "" >empty.c && cc -c -o empty.o empty.c &&
	{ echo "# pf-record 2"; $JIT_RECORDS 5 10 empty.o;
	  echo "sample 20 7 7 0 7f0000001000"; } >empty.rec &&
	"$PFS" empty.rec >empty.out 2>empty.err && ! test -s empty.err &&
	grep -q " unknown - - - 0 -$" empty.out
'
done_testing
