#!/bin/sh
# pf-record on its own: the stream, exit statuses, output separation,
# signals.  No JIT here: see 06xx and 07xx for the whole pipeline.
. "$(dirname "$0")/lib.sh"

busy='i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done'

test_expect 'records a busy shell loop with header, meta, samples, exit' '
	pf-record -q -o "$T/busy.rec" -- sh -c "$busy" &&
	head -n 1 "$T/busy.rec" | grep -qx "# pf-record 2" &&
	grep -q "^meta frequency 250$" "$T/busy.rec" &&
	grep -q "^meta command sh -c i=0%3B%20while" "$T/busy.rec" &&
	n=$(grep -c "^sample " "$T/busy.rec") && [ "$n" -gt 25 ] &&
	grep -q "^map [0-9]* [0-9]* [0-9a-f]* [0-9a-f]* [0-9a-f]* /" "$T/busy.rec" &&
	tail -n 1 "$T/busy.rec" | grep -q "^exit [0-9]* 0 exited$"
'

test_expect 'sample lines have six well-formed fields' '
	awk "\$1 == \"sample\" && !(NF == 6 && \$2 ~ /^[0-9]+$/ && \$6 ~ /^[0-9a-f]+$/) { bad++ }
	     END { exit bad > 0 }" "$T/busy.rec"
'

test_expect 'exit status of the command is passed on' '
	test_must_fail 3 pf-record -q -o "$T/x.rec" -- sh -c "exit 3" &&
	grep -q "^exit [0-9]* 3 exited$" "$T/x.rec"
'

test_expect 'death by signal gives 128+N and the signal name' '
	test_must_fail 137 pf-record -q -o "$T/k.rec" -- sh -c "kill -9 \$\$" &&
	grep -q "^exit [0-9]* 137 SIGKILL$" "$T/k.rec"
'

test_expect 'a command that does not exist: 127 and a message' '
	test_must_fail 127 pf-record -q -o "$T/n.rec" -- /nonexistent/cmd 2>"$T/n.err" &&
	grep -q "cannot run ./nonexistent/cmd.: No such file or directory" "$T/n.err"
'

test_expect 'usage errors exit 64' '
	test_must_fail 64 pf-record 2>/dev/null &&
	test_must_fail 64 pf-record -F 0 -- true 2>/dev/null &&
	test_must_fail 64 pf-record -F 12x -- true 2>"$T/u.err" &&
	grep -q "option -F: .12x. is not a number" "$T/u.err" &&
	test_must_fail 64 pf-record --bogus -- true 2>/dev/null
'

test_expect '--help and --version exit 0 on stdout' '
	pf-record --help | grep -q "^usage: pf-record" &&
	pf-record --version | grep -q "^pf-record "
'

test_expect 'the command output never mixes into a recording on stdout' '
	pf-record -q -- sh -c "echo sample 1 2 3 4 deadbeef; echo jit 1 2 3 4; $busy" \
		>"$T/mix.rec" 2>"$T/mix.err" &&
	! grep -q "^sample 1 2 3 4 deadbeef" "$T/mix.rec" &&
	! grep -q "^jit 1 2 3 4" "$T/mix.rec" &&
	grep -q "^sample 1 2 3 4 deadbeef$" "$T/mix.err" &&
	pf-record -q -- sh -c "echo sample 1 2 3 4 deadbeef" >"$T/mix2.rec" 2>"$T/mix2.err" &&
	! grep -q "^sample 1 2 3 4 deadbeef" "$T/mix2.rec" &&
	grep -q "^sample 1 2 3 4 deadbeef$" "$T/mix2.err" &&
	pf-symbolize "$T/mix2.rec" >/dev/null 2>"$T/mix2.sym-err" &&
	! test -s "$T/mix2.sym-err"
'

test_expect 'with -o the command keeps its standard output' '
	pf-record -q -o "$T/o.rec" -- echo hello >"$T/o.out" &&
	grep -qx hello "$T/o.out" && ! grep -qx hello "$T/o.rec"
'

test_expect 'SIGTERM sent to pf-record reaches the command; recording completes' '
	pf-record -q -o "$T/term.rec" -- sh -c "while :; do :; done" &
	pid=$!
	sleep 1
	kill -TERM $pid
	wait $pid
	[ $? -eq 143 ] &&
	tail -n 1 "$T/term.rec" | grep -q "^exit [0-9]* 143 SIGTERM$" &&
	[ "$(grep -c "^sample " "$T/term.rec")" -gt 100 ]
'

test_expect 'processes forked later are sampled and named' '
	pf-record -q -F 1000 -o "$T/thr.rec" -- sh -c "($busy) & ($busy) & wait" &&
	tids=$(awk "\$1 == \"sample\" { t[\$4] = 1 } END { print length(t) }" "$T/thr.rec") &&
	[ "$tids" -ge 2 ] &&
	[ "$(grep -c "^thread " "$T/thr.rec")" -ge 3 ]
'

# An exec's comm event comes before the kernel has set out the new
# argv (an empty /proc/PID/cmdline): 3% of these exec records used to
# hold the comm name alone.  Each sleep lives a second: its argv can be
# read, however late.
test_expect 'every exec record holds the argv of the process, not its name' '
	pf-record -q -o "$T/exec.rec" -- sh -c "i=0; while [ \$i -lt 200 ]; do i=\$((i+1)); sleep 1.\$i & done; wait" &&
	[ "$(grep -c "^exec [0-9]* [0-9]* [^ ]*sleep 1\.[0-9]*$" "$T/exec.rec")" -eq 200 ] &&
	[ "$(grep -c "^procexit [0-9]* [0-9]* 0 exited$" "$T/exec.rec")" -eq 200 ]
'

test_expect 'a command that stops itself stays stopped until SIGCONT, then ends' '
	pf-record -q -o "$T/stop.rec" -- sh -c "kill -STOP \$\$; echo resumed" >"$T/stop.out" &
	pid=$!
	sleep 1
	child=$(awk "\$1 == \"meta\" && \$2 == \"pid\" { print \$3 }" "$T/stop.rec")
	state=$(awk "{ print \$3 }" /proc/$child/stat)
	kill -CONT "$child"
	wait $pid
	rc=$?
	echo "state $state rc $rc"
	[ "$state" = "t" ] || [ "$state" = "T" ] || exit 1
	[ $rc -eq 0 ] && grep -qx resumed "$T/stop.out"
'

test_expect 'SIGINT sent to pf-record reaches the command' '
	pf-record -q -o "$T/int.rec" -- perl -e "\$SIG{INT} = sub { exit 42 }; 1 while 1" &
	pid=$!
	sleep 1
	kill -INT $pid
	wait $pid
	[ $? -eq 42 ] && tail -n 1 "$T/int.rec" | grep -q "^exit [0-9]* 42 exited$"
'

test_expect 'if pf-record dies, the command is not left stopped' '
	rm -f "$T/alive"
	pf-record -q -o "$T/dead.rec" -- sh -c "sleep 1; echo yes >\"$T/alive\"" &
	pid=$!
	sleep 0.3
	kill -KILL $pid
	wait $pid
	for i in 1 2 3 4 5 6 7 8 9 10; do
		[ -s "$T/alive" ] && break
		sleep 0.3
	done
	grep -qx yes "$T/alive"
'

test_expect 'a summary line on stderr unless -q' '
	pf-record -o "$T/s.rec" -- sh -c "$busy" 2>"$T/s.err" &&
	grep -q "^pf-record: [0-9]* samples at 250 Hz, 0 JIT objects" "$T/s.err"
'

done_testing
