#!/bin/sh
# pf-symbolize with broken JIT objects: each is warned about with the
# line of its jit record and the reason, counted, and its samples left
# without a function; everything else is still symbolized; exit 1.
# Damaged objects never crash it.
. "$(dirname "$0")/lib.sh"

PFS=$TOP/symbolize/pf-symbolize
[ -x "$PFS" ] || { echo "Bail out! build it: make symbolize/pf-symbolize"; exit 1; }
for tool in cc objcopy nm base64 od; do
	command -v $tool >/dev/null || skip_all "no $tool"
done
cd "$T" || exit 1
JIT_RECORDS="sh $TOP/tests/jit-records.sh"

hot_object hot.o 0x7f0000001000 && hot_object hot2.o 0x7f0000101000 ||
	{ echo "Bail out! cannot make the test objects"; exit 1; }
SIZE=$(wc -c <hot.o)
CHEAP=$(nm hot.o | awk '$3 == "cheap_loop" { sub(/^0+/, "", $1); print $1 }')

# A good object 1 at 7f0000001000, then broken ones; object 6 is good
# and lies at 7f0000101000.
{
	echo "# pf-record 2"
	$JIT_RECORDS 1 10 hot.o				# lines 2-4
	# 2: a jitdata record with bad base64 (so bytes missing)
	$JIT_RECORDS 2 10 hot.o | sed '3s/^\(jitdata 2 [0-9]* \)..../\1!!!!/'
	# 3: the object's second chunk missing
	$JIT_RECORDS 3 10 hot.o | sed 3d
	# 4: an ELF file cut short (its size says so too)
	head -c 1000 hot.o >cut.o
	$JIT_RECORDS 4 10 cut.o
	# 5: not ELF at all
	awk 'BEGIN { for (i = 0; i < 3000; i++) printf "%c", 65 + i % 26 }' >junk.o
	$JIT_RECORDS 5 10 junk.o
	$JIT_RECORDS 6 10 hot2.o
	echo "sample 20 7 7 0 $CHEAP"
	echo "sample 20 7 7 0 7f0000101000"
	echo "jitdata 99 0 AAAA"
	echo "jit 6 10 1000 16"
} >broken.rec
line_of() {
	grep -n "^jit $1 " broken.rec | head -1 | cut -d: -f1
}

test_expect 'the good objects are still symbolized; exit 1' '
	test_must_fail 1 "$PFS" broken.rec >broken.out 2>broken.err &&
	cat broken.err &&
	grep -q "^sample 20 7 7 0 $CHEAP jit jit:1 cheap_loop " broken.out &&
	grep -q "^sample 20 7 7 0 7f0000101000 jit jit:6 cheap_loop " broken.out
'
test_expect 'bad base64: the line, then the object as incomplete' '
	bad=$(( $(line_of 2) + 2 )) &&
	grep "^pf-symbolize: line $bad: bad jitdata record" broken.err &&
	grep "^pf-symbolize: line $(line_of 2): jit object 2 unusable: bytes 3072 to " broken.err
'
test_expect 'a missing chunk' '
	grep -x "pf-symbolize: line $(line_of 3): jit object 3 unusable: bytes 3072 to $((SIZE - 1)) of $SIZE missing" broken.err
'
test_expect 'a truncated ELF file' '
	grep -x "pf-symbolize: line $(line_of 4): jit object 4 unusable: truncated: section headers missing" broken.err
'
test_expect 'bytes that are not ELF' '
	grep -x "pf-symbolize: line $(line_of 5): jit object 5 unusable: not an ELF object" broken.err
'
test_expect 'jitdata for no object, and an ID used twice' '
	n=$(grep -n "^jitdata 99 " broken.rec | cut -d: -f1) &&
	grep -x "pf-symbolize: line $n: jitdata for unknown jit object 99" broken.err &&
	n=$(grep -n "^jit 6 10 1000 16" broken.rec | cut -d: -f1) &&
	grep -x "pf-symbolize: line $n: jit object 6 already defined at line $(line_of 6)" broken.err
'
test_expect 'the summary counts bad lines and unusable objects' '
	grep -x "pf-symbolize: ignored 3 bad lines" broken.err &&
	grep -x "pf-symbolize: 4 jit objects unusable" broken.err
'

# Code whose sections lie off libdwfl's layout grid (its lowest section
# at an odd address): placed where it ran all the same, so each sample
# is described as in the same object one byte lower.
test_expect 'an object at an odd address: the same as one byte lower' '
	objcopy --change-section-address .text=0x7f0000001001 hot.tmp.o odd.o &&
	objcopy --change-section-address .text=0x7f0000001000 hot.tmp.o even.o &&
	{ echo "# pf-record 2"; $JIT_RECORDS 1 10 odd.o;
	  echo "sample 20 7 7 0 7f0000001021"; } >odd.rec &&
	{ echo "# pf-record 2"; $JIT_RECORDS 1 10 even.o;
	  echo "sample 20 7 7 0 7f0000001020"; } >even.rec &&
	"$PFS" odd.rec >odd.out 2>odd.err && ! test -s odd.err &&
	"$PFS" even.rec >even.out &&
	grep "^sample " odd.out | cut -d" " -f7- >odd.desc &&
	grep "^sample " even.out | cut -d" " -f7- >even.desc &&
	cat odd.desc && test_cmp even.desc odd.desc &&
	grep -q " jit jit:1 [a-z_]* [^ ]*hot.c [1-9][0-9]* " odd.out
'

# Sections out of address order, the lowest on a page but not first, an
# 8-aligned one below .text followed by a 16-aligned one 24 bytes above
# it: libdwfl judged alignments against the lowest address seen so far,
# moved the object and lost its lines (a pynndescent object did this).
cat >order.c <<'EOC'
__attribute__((used, section(".rodata.c"), aligned(16))) static const long c[4] = { 6, 7, 8, 9 };
__attribute__((used, section(".rodata.b"), aligned(16))) static const long b[2] = { 4, 5 };
__attribute__((used, section(".rodata.a"), aligned(8))) static const long a[3] = { 1, 2, 3 };

int f(int x)
{
	int s = 0;
	for (int i = 0; i < x; i++)
		s += i * i;
	return s;
}
EOC
test_expect 'sections in another order than their addresses: placed all the same' '
	cc -O1 -g -fno-pic -c order.c -o order.tmp.o &&
	readelf -SW order.tmp.o | grep -o "\.rodata\.[abc]" | tr "\n" " " |
		grep -qx ".rodata.a .rodata.b .rodata.c " &&
	objcopy --change-section-address .text=0x7f0000100000 \
		--change-section-address .rodata.a=0x7f0000050948 \
		--change-section-address .rodata.b=0x7f0000050960 \
		--change-section-address .rodata.c=0x7f0000040000 order.tmp.o mixed.o &&
	objcopy --change-section-address .text=0x7f0000100000 \
		--change-section-address .rodata.a=0x7f0000101000 \
		--change-section-address .rodata.b=0x7f0000101020 \
		--change-section-address .rodata.c=0x7f0000101040 order.tmp.o ordered.o &&
	for o in mixed ordered; do
		{ echo "# pf-record 2"; $JIT_RECORDS 1 10 $o.o
		  for a in 0 4 8 c 10 14 18 1c; do echo "sample 20 7 7 0 7f00001000$a"; done
		} >$o.rec &&
		"$PFS" $o.rec >$o.out 2>$o.err && ! test -s $o.err &&
		grep "^sample " $o.out | cut -d" " -f7- >$o.desc || return 1
	done &&
	test_cmp ordered.desc mixed.desc &&
	grep -q "^jit jit:1 f [^ ]*order.c [1-9]" mixed.desc
'

# flip OBJECT SEED COUNT: OBJECT with COUNT bytes overwritten, chosen by
# SEED, on stdout.
flip() {
	od -An -v -tu1 "$1" | awk -v seed="$2" -v count="$3" '
		{ for (i = 1; i <= NF; i++) b[n++] = $i }
		END {
			srand(seed)
			for (k = 0; k < count; k++)
				b[int(rand() * n)] = int(rand() * 256)
			for (i = 0; i < n; i++) printf "%c", b[i]
		}'
}
test_expect 'damaged objects never crash it (60 variants)' '
	for seed in $(seq 1 60); do
		flip hot.o $seed $((seed % 7 + 1)) >flipped.o &&
		test "$(wc -c <flipped.o)" -eq "$SIZE" || return 1
		if [ $((seed % 3)) -eq 0 ]; then
			head -c $((seed * 97)) flipped.o >f.o && mv f.o flipped.o
		fi
		{ echo "# pf-record 2"; $JIT_RECORDS 1 10 flipped.o
		  for a in 1000 1010 1020 1030 1040 1050 1060 1070; do
			echo "sample 20 7 7 0 7f000000$a"; done; } >flip.rec
		"$PFS" flip.rec >flip.out 2>flip.err
		rc=$?
		if [ $rc -gt 1 ] || [ "$(grep -c "^sample " flip.out)" -ne 8 ]; then
			echo "seed $seed: exit $rc"; cat flip.err; return 1
		fi
	done
'
done_testing
