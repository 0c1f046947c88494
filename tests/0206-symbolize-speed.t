#!/bin/sh
# pf-symbolize keeps its cost per sample flat: a million samples of one
# hot loop (plus native, kernel and unknown ones) in well under a few
# seconds, since each distinct address is looked up once.
. "$(dirname "$0")/lib.sh"

PFS=$TOP/symbolize/pf-symbolize
[ -x "$PFS" ] || { echo "Bail out! build it: make symbolize/pf-symbolize"; exit 1; }
for tool in cc objcopy nm; do
	command -v $tool >/dev/null || skip_all "no $tool"
done
cd "$T" || exit 1

hot_object hot.o 0x7f0000001000 ||
	{ echo "Bail out! cannot make the test object"; exit 1; }
LIBC=$(ldd /bin/sh 2>/dev/null | awk '$1 ~ /^libc\.so/ { print $3 }')
{
	echo "# pf-record 2"
	echo "map 1 7 7f5500026000 7f550017c000 26000 $LIBC"
	# 7f0000001000-7f000000103f: cheap_loop with mix inlined
	awk 'BEGIN {
		for (i = 0; i < 1000000; i++) {
			if (i % 100 == 1)
				printf "sample %d 7 7 0 7f55000%05x\n", i, 589824 + i % 4096
			else if (i % 100 == 2)
				printf "sample %d 7 7 0 ffffffff81%06x\n", i, i % 65536
			else if (i % 100 == 3)
				printf "sample %d 7 7 0 %x\n", i, i
			else
				printf "sample %d 7 7 0 7f00000010%02x\n", i, i % 64
		}
	}'
	sh "$TOP/tests/jit-records.sh" 1 10 hot.o
} >big.rec

test_expect 'a million samples in under 5 seconds' '
	start=$(date +%s%N) &&
	"$PFS" big.rec >big.out 2>big.err &&
	end=$(date +%s%N) &&
	ms=$(( (end - start) / 1000000 )) && echo "$ms ms" &&
	! test -s big.err &&
	test "$(grep -c "^sample " big.out)" -eq 1000000 &&
	test "$ms" -lt 5000
'
test_expect 'all of them symbolized' '
	awk "/^sample / { n[\$7]++ } END { for (k in n) print k, n[k] }" big.out | sort >kinds &&
	cat kinds &&
	printf "%s\n" "jit 970000" "kernel 10000" "native 10000" \
		"unknown 10000" >kinds.want &&
	test_cmp kinds.want kinds &&
	! grep -q " jit jit:1 - " big.out
'
done_testing
