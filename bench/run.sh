#!/bin/sh
# bench/run.sh - pf's performance figures: overhead, distortion, accuracy,
# samples delivered, and what --raw-debuginfo costs.  Run by `make bench`
# from the top of the tree (~3.5 minutes); BENCH_QUICK=1 for ~70 seconds.
#
# Every figure comes from runs made side by side in this one run, the
# variants alternated (A B C .. B C A .. C A B ..), and is reported as a
# median with its spread; see bench/README.md for what each number means.
#
# Environment: BENCH_QUICK=1 (short version), BENCH_REPS=N (repetitions
# of the overhead runs), BENCH_RATE=HZ (the base rate; default: what
# pf-record uses without -F), BENCH_KEEP=1 (keep the work directory).
set -eu
LC_ALL=C
PYTHONDONTWRITEBYTECODE=1  # no bench/__pycache__ in the tree
export LC_ALL PYTHONDONTWRITEBYTECODE
cd "$(dirname "$0")/.."

say() { echo "bench: $*" >&2; }
die() { say "$*"; exit 1; }

py=$(scripts/numba-python) ||
	die "no Python interpreter with numba; run: sudo apt-get install -y python3-numba"
for tool in record/pf-record symbolize/pf-symbolize aggregate/pf-aggregate; do
	[ -x "$tool" ] || die "$tool is not built; run make"
done

if [ "${BENCH_QUICK:-0}" = 1 ]; then
	ncalls=33 reps=2 raw_reps=1 acc_reps=2 raw_acc_reps=1 calib=1.5 par_s=1.5
else
	ncalls=100 reps=4 raw_reps=2 acc_reps=5 raw_acc_reps=3 calib=4 par_s=3
fi
reps=${BENCH_REPS:-$reps}
[ "$raw_reps" -le "$reps" ] || raw_reps=$reps

W=$(mktemp -d "${TMPDIR:-/tmp}/pf-bench.XXXXXX")
keep=${BENCH_KEEP:-0}
cleanup() {
	if [ "$keep" = 1 ]; then say "work directory kept: $W"; else rm -rf "$W"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# pf-record's own Numba cache (for cache=True functions) goes here too.
XDG_CACHE_HOME=$W/cache
export XDG_CACHE_HOME

# fail NAME WHAT: run NAME went wrong; show its output and stop.
fail() {
	say "$1 failed: $2"
	if [ -s "$W/$1.log" ]; then
		say "last lines of its output ($W/$1.log):"
		tail -n 20 "$W/$1.log" | sed 's/^/    /' >&2
	fi
	keep=1
	exit 1
}

# run_pf NAME PF-RECORD-ARGS...: record into $W/NAME.rec, whole-process
# wall time into $W/NAME.wall, output into $W/NAME.log.
run_pf() {
	name=$1
	shift
	st=0
	"$py" bench/timed.py "$W/$name.wall" \
		record/pf-record -q -o "$W/$name.rec" "$@" >"$W/$name.log" 2>&1 || st=$?
	[ "$st" -eq 0 ] || fail "$name" "pf-record $* (exit status $st)"
	tail -n 1 "$W/$name.rec" | grep -q '^exit [0-9]* 0 exited$' ||
		fail "$name" "$W/$name.rec does not end with a clean exit record"
	[ -s "$W/$name.res" ] || fail "$name" "the workload wrote no result"
}

# run_plain NAME COMMAND...: the same without pf-record.
run_plain() {
	name=$1
	shift
	st=0
	"$py" bench/timed.py "$W/$name.wall" "$@" >"$W/$name.log" 2>&1 || st=$?
	[ "$st" -eq 0 ] || fail "$name" "$* (exit status $st)"
	[ -s "$W/$name.res" ] || fail "$name" "the workload wrote no result"
}

# rotate N WORD...: the words, rotated left N times.
rotate() {
	n=$1
	shift
	while [ "$n" -gt 0 ]; do
		x=$1
		shift
		set -- "$@" "$x"
		n=$((n - 1))
	done
	echo "$@"
}

# The base rate: pf-record's default unless BENCH_RATE says otherwise.
st=0
record/pf-record -q -o "$W/probe.rec" -- true >"$W/probe.log" 2>&1 || st=$?
[ "$st" -eq 0 ] || fail probe "pf-record -- true (exit status $st; perf events allowed? see kernel.perf_event_paranoid)"
rate=$(awk '$1 == "meta" && $2 == "frequency" { print $3 }' "$W/probe.rec")
case $rate in '' | *[!0-9]*) die "no 'meta frequency' in a pf-record recording" ;; esac
default_rate=$rate
rate=${BENCH_RATE:-$rate}
case $rate in '' | 0* | *[!0-9]*) die "BENCH_RATE: '$rate' is not a rate in Hz" ;; esac
rates=$(printf '%s\n' "$rate" $((2 * rate)) $((4 * rate)) 20000 | awk '!seen[$0]++')
# Accuracy runs long enough for 3000 samples at the base rate.
acc_s=$(( (3000 + rate - 1) / rate ))

{
	echo "quick ${BENCH_QUICK:-0}"
	echo "rate $rate"
	echo "default_rate $default_rate"
	echo "rates" $rates
	echo "reps $reps"
	echo "raw_reps $raw_reps"
	echo "ncalls $ncalls"
	echo "acc_reps $acc_reps"
	echo "raw_acc_reps $raw_acc_reps"
	echo "acc_seconds $acc_s"
	echo "calib_seconds $calib"
	echo "par_seconds $par_s"
	echo "nproc $(nproc)"
	echo "cpu $(sed -n 's/^model name[^:]*: *//p' /proc/cpuinfo | head -n 1)"
	echo "kernel $(uname -sr)"
	echo "python $py $("$py" -c 'import sys; print(sys.version.split()[0])')"
	echo "numba $("$py" -c 'import numba; print(numba.__version__)')"
	echo "max_sample_rate $(cat /proc/sys/kernel/perf_event_max_sample_rate)"
	echo "load_before $(cut -d' ' -f1 /proc/loadavg)"
	echo "stat_before $(head -n 1 /proc/stat)"
	echo "start $(date +%s)"
} >"$W/params"
load=$(cut -d' ' -f1 /proc/loadavg)
case $load in
0.[0-4]*) ;;
*) say "the machine is busy (load average $load): the figures may be noisy" ;;
esac

# 1, 2, 4, 5: the fixed work of bench/kernel.py, plain and under pf-record
# at each rate, with --no-lines (same code, no line tables) and with
# --raw-debuginfo (~4x slower, so in the first $raw_reps repetitions only).
rep=1
while [ "$rep" -le "$reps" ]; do
	variants="plain"
	for hz in $rates; do variants="$variants F$hz"; done
	variants="$variants nl"
	[ "$rep" -le "$raw_reps" ] && variants="$variants raw"
	for v in $(rotate $((rep - 1)) $variants); do
		n=oh.$v.$rep
		say "overhead $rep/$reps: $v"
		case $v in
		plain) run_plain "$n" "$py" bench/kernel.py "$W/$n.res" "$ncalls" ;;
		nl) run_pf "$n" -F "$rate" --no-lines -- \
			"$py" bench/kernel.py "$W/$n.res" "$ncalls" ;;
		raw) run_pf "$n" -F "$rate" --raw-debuginfo -- \
			"$py" bench/kernel.py "$W/$n.res" "$ncalls" ;;
		*) run_pf "$n" -F "${v#F}" -- "$py" bench/kernel.py "$W/$n.res" "$ncalls" ;;
		esac
	done
	rep=$((rep + 1))
done

# 3, 5: the truth of the four loops, then profiles at 1x and 4x the rate
# and with --raw-debuginfo, alternated.
say "accuracy: calibrating (plain build)"
run_plain calib "$py" bench/lines4.py calibrate "$W/calib.res" "$calib"
rep=1
while [ "$rep" -le "$acc_reps" ]; do
	acc="x1 x4"
	[ "$rep" -le "$raw_acc_reps" ] && acc="$acc raw"
	for v in $(rotate $(((rep - 1) % 3)) $acc); do
		n=acc.$v.$rep
		say "accuracy $rep/$acc_reps: $v"
		case $v in
		x1) set -- -F "$rate" ;;
		x4) set -- -F $((4 * rate)) ;;
		raw) set -- -F "$rate" --raw-debuginfo ;;
		esac
		run_pf "$n" "$@" -- "$py" bench/lines4.py profile "$W/$n.res" "$acc_s"
	done
	rep=$((rep + 1))
done

# 4: two busy threads.
say "samples: parallel=True kernel on 2 threads"
run_pf par.1 -F "$rate" -- env NUMBA_NUM_THREADS=2 \
	"$py" bench/parallel.py "$W/par.1.res" "$par_s"

# 2: the same programs with --no-lines, for the .text comparison.
say "distortion: --no-lines recordings"
run_pf nl.lines4 --no-lines -- "$py" bench/lines4.py profile "$W/nl.lines4.res" 0.1
run_pf nl.par --no-lines -- env NUMBA_NUM_THREADS=2 \
	"$py" bench/parallel.py "$W/nl.par.res" 0.1

say "symbolizing, aggregating and digesting the recordings"
for r in "$W"/*.rec; do
	n=$(basename "$r" .rec)
	[ "$n" = probe ] && continue
	st=0
	symbolize/pf-symbolize "$r" >"$W/$n.sym" 2>"$W/$n.post.log" || st=$?
	[ "$st" -eq 0 ] || fail "$n.post" "pf-symbolize $r (exit status $st)"
	aggregate/pf-aggregate "$W/$n.sym" >"$W/$n.agg" 2>>"$W/$n.post.log" || st=$?
	[ "$st" -eq 0 ] || fail "$n.post" "pf-aggregate $W/$n.sym (exit status $st)"
	sh tests/text-digest.sh "$r" >"$W/$n.digest" 2>>"$W/$n.post.log" || st=$?
	[ "$st" -eq 0 ] || fail "$n.post" "tests/text-digest.sh $r (exit status $st)"
done

# What the machine did besides this bench: CPU time of all processes
# (/proc/stat) against that of this script and its children (times).
times >"$W/times"  # not in $(...): a subshell has no children yet
{
	echo "load_after $(cut -d' ' -f1 /proc/loadavg)"
	echo "stat_after $(head -n 1 /proc/stat)"
	echo "end $(date +%s)"
	echo "times" $(cat "$W/times")
} >>"$W/params"
"$py" bench/report.py "$W" || fail report "bench/report.py $W (exit status $?)"
sh bench/symbolize.sh || fail symbolize "bench/symbolize.sh (exit status $?)"
sh bench/stream.sh || fail stream "bench/stream.sh (exit status $?)"
sh bench/cost.sh || fail cost "bench/cost.sh (exit status $?)"
sh bench/stacks.sh || fail stacks "bench/stacks.sh (exit status $?)"
sh bench/html.sh || fail html "bench/html.sh (exit status $?)"
sh bench/workers.sh || fail workers "bench/workers.sh (exit status $?)"
