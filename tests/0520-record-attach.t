#!/bin/sh
# pf-record -p PID: attaching to a running process (the JIT fixture, so
# that the objects and the code are known), detaching by -d, by Ctrl-C
# and when the process ends, and leaving it to go on as it was.
. "$(dirname "$0")/lib.sh"

fx=$TOP/tests/fixtures/jitfixture
[ -x "$fx" ] || skip_all "no $fx (make tests/fixtures/jitfixture)"


# The fixture waits 2 s, then registers its object and starts its two
# threads: pf-record, attached while it waits, sees both happen, and
# follows it until it ends.
test_expect 'attached while it waits: the object it registers, the threads it starts, until it ends' '
	"$fx" -w 2 threads 2 0.5 >"$T/w.out" 2>"$T/w.err" &
	pid=$! &&
	await_line "$T/w.err" "^waiting $pid$" &&
	pf-record -g -p $pid -d 60 -o "$T/w.rec" 2>"$T/w.rec-err" &&
	wait $pid && grep -q "^[0-9][0-9]*$" "$T/w.out" &&
	cat "$T/w.rec-err" &&
	head -n 1 "$T/w.rec" | grep -qx "# pf-record 2" &&
	grep -q "^meta attached yes$" "$T/w.rec" &&
	grep -q "^meta pid $pid$" "$T/w.rec" &&
	grep -q "^meta command [^ ]*jitfixture -w 2 threads 2 0.5$" "$T/w.rec" &&
	grep -q "^meta jit-descriptor " "$T/w.rec" &&
	grep -q "^jit 1 " "$T/w.rec" &&
	tail -n 1 "$T/w.rec" | grep -q "^detach [0-9]* ended$" &&
	grep -q "followed process $pid after [0-9.]* s, when it ended" "$T/w.rec-err" &&
	threads=$(awk "\$1 == \"sample\" && \$4 != $pid { print \$4 }" "$T/w.rec" | sort -u | wc -l) &&
	echo "$threads threads besides the main one sampled" && [ "$threads" -eq 2 ] &&
	grep -q "^stack " "$T/w.rec"
'
test_expect 'the attached recording goes through the pipe: the fixture'"'"'s hot lines' '
	pf-symbolize "$T/w.rec" >"$T/w.sym" && pf-aggregate "$T/w.sym" >"$T/w.agg" &&
	awk "\$1 == \"sample\" { n++; if (\$7 == \"jit\") j++ } END { print j, n; exit !(j * 2 > n) }" "$T/w.sym" &&
	pf-annotate "$T/w.agg" >"$T/w.txt" &&
	grep -q "DEAR" "$T/w.txt" && ! grep -q "^# line tables" "$T/w.txt"
'

# Registered before pf-record came: copied from the list at once; -d
# ends the recording while the process goes on, and it ends as it would
# have.
test_expect 'attached after it registered, detached by -d: it goes on and ends well' '
	"$fx" -w 0.01 run 3 >"$T/r.out" 2>"$T/r.err" &
	pid=$! &&
	await_line "$T/r.err" "^waiting $pid$" && sleep 0.3 &&
	pf-record -p $pid -d 0.5 -o "$T/r.rec" 2>"$T/r.rec-err" &&
	cat "$T/r.rec-err" &&
	kill -0 $pid &&
	grep -q "detached from process $pid after 0.[5-9] s; it goes on" "$T/r.rec-err" &&
	tail -n 1 "$T/r.rec" | grep -q "^detach [0-9]* duration$" &&
	grep -q "^jit 1 " "$T/r.rec" &&
	n=$(grep -c "^sample " "$T/r.rec") && echo "$n samples" && [ "$n" -gt 10 ] &&
	wait $pid && grep -q "^[0-9][0-9]*$" "$T/r.out"
'

# Ctrl-C (or kill) ends the recording, not the process: the signal is
# not passed on as it is to a COMMAND.
test_expect 'SIGINT detaches, and the process does not get it' '
	"$fx" -w 0.01 run 4 >"$T/i.out" 2>"$T/i.err" &
	pid=$! &&
	await_line "$T/i.err" "^waiting $pid$" &&
	{ pf-record -p $pid -o "$T/i.rec" 2>"$T/i.rec-err" & } &&
	rec=$! &&
	await_line "$T/i.rec" "^jit 1 " && sleep 0.3 &&
	kill -INT $rec && wait $rec &&
	kill -0 $pid &&
	tail -n 1 "$T/i.rec" | grep -q "^detach [0-9]* interrupted$" &&
	wait $pid && grep -q "^[0-9][0-9]*$" "$T/i.out"
'

test_expect 'no such process: exit 2 and a message' '
	sh -c "exit 0" & gone=$! && wait $gone &&
	test_must_fail 2 pf-record -p $gone -o "$T/n.rec" 2>"$T/n.err" &&
	grep -q "no process $gone" "$T/n.err"
'

test_expect '-p with a COMMAND, -d without -p, bad -d: usage errors' '
	test_must_fail 64 pf-record -p 1 -- true 2>"$T/u1.err" &&
	grep -q "no COMMAND with it" "$T/u1.err" &&
	test_must_fail 64 pf-record -d 1 -- true 2>"$T/u2.err" &&
	grep -q "\-d is for -p" "$T/u2.err" &&
	test_must_fail 64 pf-record -p 1 -d 0 2>/dev/null &&
	test_must_fail 64 pf-record -p 1 -d soon 2>"$T/u3.err" &&
	grep -q "not a number of seconds" "$T/u3.err" &&
	test_must_fail 64 pf-record -p 1 --no-lines 2>/dev/null &&
	test_must_fail 64 pf-record -p 12x 2>/dev/null
'

# Another user's process: the message says what to do.  Needs root to
# start one as another user.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
	test_expect 'another user'"'"'s process: exit 2 and how to be allowed' '
		sleep 30 & victim=$! &&
		test_must_fail 2 setpriv --reuid=nobody --regid=nogroup --clear-groups \
			"$TOP/record/pf-record" -p $victim -o /dev/null 2>"$T/perm.err";
		st=$?; kill $victim; wait $victim 2>/dev/null; cat "$T/perm.err";
		[ $st = 0 ] && grep -q "cannot read the memory of process $victim" "$T/perm.err" &&
		grep -q "run pf-record as that user, or as root\|ptrace_scope" "$T/perm.err"
	'
fi

done_testing
