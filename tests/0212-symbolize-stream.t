#!/bin/sh
# pf-symbolize is a stream: a sample is written once a sync record says
# every object made before it is in the recording (not at the end of
# the input), in the order of the input, and memory does not grow with
# the number of samples.
. "$(dirname "$0")/lib.sh"

PFS=$TOP/symbolize/pf-symbolize
SYNTH=$TOP/bench/synth
[ -x "$PFS" ] || { echo "Bail out! build it: make symbolize/pf-symbolize"; exit 1; }
[ -x "$SYNTH" ] || { echo "Bail out! build it: make bench/synth"; exit 1; }
for tool in cc objcopy nm base64 mkfifo timeout; do
	command -v $tool >/dev/null || skip_all "no $tool"
done
cd "$T" || exit 1

hot_object hot.o 0x7f0000001000 ||
	{ echo "Bail out! cannot make the test object"; exit 1; }
CHEAP=$(nm hot.o | awk '$3 == "cheap_loop" { sub(/^0+/, "", $1); print $1 }')
LIBC=$(ldd /bin/sh 2>/dev/null | awk '$1 ~ /^libc\.so/ { print $3 }')

# The writer keeps the pipe open until the test says so: what comes out
# before that was decided without the end of the input.  Samples at 20
# hit object 1, whose jit record comes after them but before sync 30;
# those at 40 come after the sync and must wait.
mkfifo in.fifo
{
	echo "# pf-record 2"
	echo "meta pid 7"
	for i in 1 2 3 4 5; do echo "sample 20 7 7 0 $CHEAP"; done
	echo "thread 21 7 7 worker"
	sh "$TOP/tests/jit-records.sh" 1 10 hot.o
	echo "sync 30"
	for i in 1 2 3; do echo "sample 40 7 7 0 $CHEAP"; done
	n=0
	while [ ! -e release ] && [ $n -lt 600 ]; do sleep 0.1; n=$((n + 1)); done
	echo "sync 50"
} >in.fifo &
writer=$!
"$PFS" in.fifo >live.out 2>live.err &
reader=$!
n=0
while [ "$(grep -c '^sample ' live.out)" -lt 5 ] && [ $n -lt 600 ]; do
	sleep 0.1
	n=$((n + 1))
done
cp live.out before-end.out
touch release
wait $writer
wait $reader
status=$?

test_expect 'the samples before a sync are written while the input goes on' '
	cat before-end.out &&
	test "$(grep -c "^sample 20 7 7 0 $CHEAP jit jit:1 cheap_loop " before-end.out)" -eq 5
'
test_expect 'those after it wait for the next sync' '
	! grep -q "^sample 40 " before-end.out &&
	test $status -eq 0 && ! test -s live.err &&
	test "$(grep -c "^sample 40 7 7 0 $CHEAP jit jit:1 cheap_loop " live.out)" -eq 3
'
test_expect 'the order of the input is kept: thread and object records in place' '
	grep -v "^#\|^code\|^span" live.out | cut -d" " -f1,2 >order &&
	printf "%s\n" "meta pid" "sample 20" "sample 20" "sample 20" "sample 20" \
		"sample 20" "thread 21" "object jit:1" "sample 40" "sample 40" \
		"sample 40" >order.want &&
	test_cmp order.want order
'

# 3.2 million samples (200 s of 16 threads at 1 kHz) from a small real
# recording, with sync records as pf-record writes them, in an address
# space of 100 MB: the queue only ever holds the samples since the last
# sync.  The same samples without sync records must all wait for the
# end of the input: they do not fit, which shows the limit bites.
{
	echo "# pf-record 2"
	echo "meta pid 7"
	echo "map 1 7 7f5500026000 7f550017c000 26000 $LIBC"
	sh "$TOP/tests/jit-records.sh" 1 10 hot.o
	for a in 1000 1004 1010 1020 1030; do echo "sample 20 7 7 0 7f000000$a"; done
	echo "sample 21 7 7 0 7f5500090000"
	echo "sample 22 7 7 0 ffffffff81000000"
} >tiny.rec
if ldd "$PFS" | grep -q 'libasan'; then
	echo "# skipped: memory limits do not apply to a sanitizer build"
else
	test_expect '3.2 million samples in 100 MB of address space' '
		"$SYNTH" tiny.rec 200 16 1000 >long.rec &&
		test "$(grep -c "^sample " long.rec)" -eq 3200000 &&
		(ulimit -v 100000 && "$PFS" long.rec >long.out 2>long.err) &&
		! test -s long.err &&
		test "$(grep -c "^sample .* jit jit:1 " long.out)" -gt 2000000
	'
	test_expect 'without sync records they wait for the end, and do not fit' '
		sed "/^sync /d" long.rec >nosync.rec &&
		(ulimit -v 100000 && test_must_fail 2 "$PFS" nosync.rec >/dev/null 2>nosync.err) &&
		grep "out of memory" nosync.err
	'
	rm -f long.rec nosync.rec long.out
fi
done_testing
