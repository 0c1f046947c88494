#!/bin/sh
# pf-symbolize with several processes (issue 12): a sample of process P
# is named from P's own JIT objects and mappings, and from those its
# parent had when it forked it, until it execs; never from another
# process's.  What pf cannot name is unknown (unresolved), not filed
# under what some other process had at that address.
. "$(dirname "$0")/lib.sh"

for tool in cc objcopy nm readelf; do
	command -v $tool >/dev/null || skip_all "no $tool"
done
cd "$T" || exit 1
BASE=7f0000001000
LIB=7f2000000000

# A library mapped by process 7 (the fixture's hot.c as a .so).
test_expect 'a recording of process 7, its child 8 (forked) and 9 (exec'"'"'d)' '
	hot_object hot.o 0x$BASE &&
	cc -O1 -g -shared -fPIC -o libhot.so "$TOP/tests/fixtures/hot.c" &&
	set -- $(readelf -lW libhot.so | awk "\$1 == \"LOAD\" && / R E / { print \$2, \$3, \$6; exit }") &&
	off=$(($1 - $1 % 4096)) &&
	jitpc=$(sym_at dear_loop 0x29) &&
	libpc=$(printf "%x" $((0x$LIB + 0x40))) &&
	{ echo "# pf-record 2"; echo "meta pid 7"
	  objcopy -O binary --only-section=.text hot.o text.bin
	  sh "$TOP/tests/jit-records.sh" 1 10 hot.o | sed "1s/\$/ 7/"
	  echo "jitcode 1 $BASE $(base64 -w 0 text.bin)"
	  printf "map 5 7 %x %x %x %s\n" $((0x$LIB)) $((0x$LIB + 0x100000)) $off "$T/libhot.so"
	  echo "fork 20 8 7"
	  echo "exec 30 9 /bin/other"
	  echo "sample 40 7 7 0 $jitpc"
	  echo "sample 41 8 8 0 $jitpc"
	  echo "sample 42 9 9 0 $jitpc"
	  echo "sample 43 8 8 0 $libpc"
	  echo "sample 44 9 9 0 $libpc"
	  echo "exec 50 8 /bin/other"
	  echo "sample 60 8 8 0 $jitpc"
	  echo "sample 61 8 8 0 $libpc"; } >procs.rec &&
	pf-symbolize procs.rec >procs.sym && cat procs.sym | grep -v "^code\|^span"
'
test_expect 'its own and its parent'"'"'s objects and mappings; not another process'"'"'s' '
	awk "\$1 == \"sample\" { print \$2, \$3, \$7 }" procs.sym >kinds &&
	printf "%s\n" "40 7 jit" "41 8 jit" "42 9 unknown" "43 8 native" \
		"44 9 unknown" "60 8 unknown" "61 8 unknown" >kinds.want &&
	test_cmp kinds.want kinds &&
	grep -q "^sample 41 8 8 0 $(sym_at dear_loop 0x29) jit jit:1 " procs.sym &&
	grep -q "^sample 43 8 8 0 [0-9a-f]* native [^ ]*/libhot.so " procs.sym
'
test_expect 'fork and exec records are copied, and bad ones said' '
	grep -q "^fork 20 8 7$" procs.sym && grep -q "^exec 30 9 /bin/other$" procs.sym &&
	{ cat procs.rec; echo "fork 70 8"; echo "fork 71 8 8"; echo "exec x 9 a"; } >bad.rec &&
	test_must_fail 1 pf-symbolize bad.rec >bad.sym 2>bad.err && cat bad.err &&
	test "$(grep -c "bad fork record\|bad exec record" bad.err)" -eq 3
'
test_expect 'the unknown samples are unresolved in the profile, not in a library' '
	pf-aggregate procs.sym >procs.agg &&
	grep "^total " procs.agg &&
	awk "\$1 == \"total\" { exit !(\$2 == 7 && \$3 == 2 && \$4 == 1 && \$6 == 4 && \$7 == 4) }" procs.agg
'
done_testing
