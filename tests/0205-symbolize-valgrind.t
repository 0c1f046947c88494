#!/bin/sh
# pf-symbolize under valgrind: no invalid reads or writes, nothing left
# allocated, no file descriptor left open, over a recording that takes
# every path: JIT objects good and broken, native files with and without
# DWARF or missing, kernel and unknown addresses, bad lines.
. "$(dirname "$0")/lib.sh"

PFS=$TOP/symbolize/pf-symbolize
[ -x "$PFS" ] || { echo "Bail out! build it: make symbolize/pf-symbolize"; exit 1; }
command -v valgrind >/dev/null || skip_all "no valgrind"
nm "$PFS" 2>/dev/null | grep -q __asan_init &&
	skip_all "built with AddressSanitizer, which does the same checks"
for tool in cc objcopy readelf; do
	command -v $tool >/dev/null || skip_all "no $tool"
done
cd "$T" || exit 1
JIT_RECORDS="sh $TOP/tests/jit-records.sh"
HOT=$TOP/tests/fixtures/hot.c

hot_object hot.o 0x7f0000001000 && hot_object odd.o 0x7f0000011001 &&
cc -O1 -fno-pic -c -o plain.tmp.o "$HOT" &&
objcopy --change-section-address .text=0x7f0000021000 plain.tmp.o plain.o &&
objcopy --change-section-address .text=0x7f0000031000 hot.tmp.o far.o &&
cc -O1 -g -shared -fPIC -o libhot.so "$HOT" ||
	{ echo "Bail out! cannot make the test objects"; exit 1; }
LIBC=$(ldd /bin/sh 2>/dev/null | awk '$1 ~ /^libc\.so/ { print $3 }')
text_line=$(readelf -lW libhot.so | awk '$1 == "LOAD" && / R E / { print $2; exit }')
{
	echo "# pf-record 2"
	echo "meta pid 7"
	echo "map 1 7 7f1200001000 7f1200002000 ${text_line#0x} $T/libhot.so" |
		sed 's/ 0*\([0-9a-f]\)/ \1/5'
	echo "map 1 7 7f5500026000 7f550017c000 26000 $LIBC"
	echo "map 1 7 400000 401000 0 /nonexistent/lib.so"
	for a in 1000 1003 100d 1020 1040 1058 106a 107e; do
		echo "sample 20 7 7 0 7f000000$a"
	done
	sh "$TOP/tests/objdump-lines.sh" libhot.so |
		while read addr rest; do
			printf "sample 20 7 7 0 %x\n" $((0x7f1200000000 + 0x$addr))
		done
	echo "sample 20 7 7 0 7f5500090000"
	echo "sample 20 7 7 0 400010"
	echo "sample 20 7 7 0 ffffffff81000000"
	echo "sample 20 7 7 0 1234"
	echo "sample 20 7 7 0 7f0000011021"
	$JIT_RECORDS 1 10 hot.o
	$JIT_RECORDS 2 10 hot.o | sed 3d
	head -c 1500 hot.o >cut.o
	$JIT_RECORDS 3 10 cut.o
	$JIT_RECORDS 4 10 odd.o
	# without DWARF, sampled; and an object nobody sampled
	$JIT_RECORDS 5 10 plain.o
	echo "sample 20 7 7 0 7f0000021000"
	$JIT_RECORDS 6 10 far.o
	echo "jitdata 9 0 AAAA"
	echo "sample bad"
	echo "future record"
} >all.rec

test_expect 'valgrind finds no errors and no leaks' '
	valgrind -q --leak-check=full --show-leak-kinds=all \
		--errors-for-leak-kinds=all --error-exitcode=99 \
		--track-fds=yes --log-file=vg.log \
		"$PFS" all.rec >all.out 2>all.err
	rc=$?
	cat vg.log all.err
	test $rc -eq 1 &&
	grep -q " jit jit:1 mix " all.out &&
	grep -q " native $T/libhot.so mix " all.out &&
	grep -qx "object jit:5 10 nolines hot_entry" all.out &&
	grep -qx "object jit:6 10 lines hot_entry" all.out &&
	! grep -q "Invalid\|uninitialised\|definitely\|indirectly\|possibly\|still reachable" vg.log
'
test_expect 'no file descriptor of its own left open' '
	awk "/Open (file descriptor|AF_UNIX)/ { open = \$0; next }
	     open && /inherited from parent/ { open = \"\"; next }
	     open && /^==[0-9]+== *$/ { print open; bad = 1; open = \"\" }
	     END { exit bad }" vg.log
'
done_testing
