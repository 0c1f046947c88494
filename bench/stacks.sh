#!/bin/sh
# bench/stacks.sh - what call stacks (pf-record -g) cost: the work loop
# of fixed work plain, sampled at 1 kHz, and sampled at 1 kHz with -g,
# alternated, medians; and what a recording with stacks takes per
# sample, against one without, with the ten-minute size that follows.
# Workloads: bench/kernel.py (a loop calling a Numba function from
# Python), bench/stackwork.py deep (recursion, ~30 JIT frames) and
# parallel (a parallel=True kernel on the 2 CPUs: pf-record's own work
# then takes CPU from the program).  Run by make bench, or alone from
# the top of the tree (~4 minutes; BENCH_QUICK=1: ~2 minutes).
set -eu
LC_ALL=C
export LC_ALL
cd "$(dirname "$0")/.."

py=$(scripts/numba-python) || { echo "bench: no numba" >&2; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/pf-bench-stacks.XXXXXX")
trap 'rm -rf "$W"' EXIT
reps=3
[ "${BENCH_QUICK:-}" = 1 ] && reps=2

# run WORKLOAD VARIANT REP: one run, its inside time and recording.
run() {
	case $1 in
	kernel) set -- "$@" bench/kernel.py "$W/res" 40 ;;
	deep) set -- "$@" bench/stackwork.py deep "$W/res" 300 ;;
	parallel) set -- "$@" bench/stackwork.py parallel "$W/res" 90 ;;
	esac
	w=$1 v=$2 r=$3
	shift 3
	case $v in
	plain) NUMBA_NUM_THREADS=2 "$py" "$@" >/dev/null ;;
	F1000) NUMBA_NUM_THREADS=2 record/pf-record -q -F 1000 -o "$W/rec" -- "$py" "$@" >/dev/null ;;
	g1000) NUMBA_NUM_THREADS=2 record/pf-record -g -F 1000 -o "$W/rec" -- "$py" "$@" \
		>/dev/null 2>"$W/$w.$v.$r.err" ;;
	esac
	awk '$1 == "inside" { print $2 }' "$W/res" >>"$W/$w.$v.inside"
	if [ "$v" != plain ]; then
		# Bytes of the whole recording, and of the sample and stack
		# records of the work loop (its window: after compiling, whose
		# deep stacks are each new); a stack record is written right
		# before the first sample that needs it.
		set -- $(awk '$1 == "window" { print $2, $3 }' "$W/res")
		awk -v t0="$1" -v t1="$2" -v out="$W/$w.$v.size" '
			{ all += length($0) + 1 }
			$1 == "stack" { pend += length($0) + 1 }
			$1 == "sample" { n++
				if ($2 >= t0 && $2 <= t1) { nw++; sw += length($0) + 1; stw += pend }
				pend = 0 }
			END { print n, all, nw, sw, stw >>out }' "$W/rec"
	fi
}

for w in kernel deep parallel; do
	variants="plain F1000 g1000"
	r=0
	while [ $r -lt $reps ]; do
		for v in $variants; do
			run "$w" "$v" "$r"
		done
		variants="$(echo "$variants" | cut -d' ' -f2-) $(echo "$variants" | cut -d' ' -f1)"
		r=$((r + 1))
	done
done

median() { sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "stacks: what pf-record -g costs ($reps runs each, alternated, medians; work loop timed inside)"
printf "stacks: %-9s %-9s %9s %8s %8s %12s %12s %11s %8s\n" workload variant loop /plain "/-F 1000" bytes/sample "stack rec/s" "10 min" whole
for w in kernel deep parallel; do
	plain=$(median <"$W/$w.plain.inside")
	for v in plain F1000 g1000; do
		t=$(median <"$W/$w.$v.inside")
		if [ "$v" = plain ]; then
			printf "stacks: %-9s %-9s %8.3fs %8s\n" "$w" "$v" "$t" 1
			continue
		fi
		whole=-
		if [ "$v" = g1000 ]; then
			whole=$(cat "$W"/$w.$v.*.err | sed -n 's/.*call stacks: \([0-9.]*\)% whole.*/\1/p' | median)%
		fi
		# per sample: the whole recording (objects included) and, of it,
		# the sample and stack records; the 10-minute figure: one busy
		# thread at 1 kHz, the stack records growing with the samples as
		# in this run (they grow less: each distinct chain is written once)
		f=$(median <"$W/$w.F1000.inside")
		awk -v w="$w" -v v="$v" -v t="$t" -v p="$plain" -v f="$f" -v whole="$whole" '
			{ n += $1; all += $2; nw += $3; sw += $4; stw += $5 }
			END {
				per = (sw + stw) / nw
				printf "stacks: %-9s %-9s %8.3fs %7.3fx %7.3fx %12.1f %12.1f %8.0f MB %8s\n",
					w, v, t, t / p, t / f, all / n, stw / nw, per * 600000 / 1e6, whole
			}' "$W/$w.$v.size"
	done
done
echo "stacks: bytes/sample: the whole recording (JIT objects, compiling) over its samples;"
echo "stacks: stack rec/s: bytes of stack records per sample in the work loop; 10 min: the"
echo "stacks: sample and stack records of ten minutes of one busy thread at 1 kHz at the work"
echo "stacks: loop's rate (an upper bound: each distinct chain of callers is written once)"
