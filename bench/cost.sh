#!/bin/sh
# bench/cost.sh - what a sample costs the program: bench/busy (a fixed
# amount of arithmetic shared by 1, 2 or 16 threads) plain and under
# pf-record at several rates, alternated, median of the repetitions.
# Cost per sample = (wall under pf - wall plain) x busy CPUs / samples:
# the CPU time the program lost, pf-record's own work included, per
# sample taken.  Run by make bench, or alone from the top of the tree
# (~3 minutes; BENCH_QUICK=1: ~1.5 minutes).
set -eu
LC_ALL=C
export LC_ALL
cd "$(dirname "$0")/.."

[ -x bench/busy ] || { echo "bench: make bench/busy first" >&2; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/pf-bench-cost.XXXXXX")
trap 'rm -rf "$W"' EXIT
reps=3
[ "${BENCH_QUICK:-}" = 1 ] && reps=2
rates="250 1000 2000 4000 10000"
ncpu=$(getconf _NPROCESSORS_ONLN)

for threads in 1 2 16; do
	# About 2.5 s of work on this VM whatever the thread count.
	work=$((threads == 1 ? 1000 : 2000))
	variants="plain $rates"
	r=0
	while [ $r -lt $reps ]; do
		for v in $variants; do
			if [ "$v" = plain ]; then
				bench/busy $threads $work >>"$W/$threads.plain"
			else
				record/pf-record -q -F "$v" -o "$W/rec" -- bench/busy $threads $work >>"$W/$threads.$v"
				grep -c '^sample ' "$W/rec" >>"$W/$threads.$v.n"
			fi
		done
		# Rotate the order: each variant takes each place in turn.
		variants="$(echo "$variants" | cut -d' ' -f2-) $(echo "$variants" | cut -d' ' -f1)"
		r=$((r + 1))
	done
done

median() { sort -g "$1" | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "cost: what a sample costs on this machine ($ncpu CPUs; $reps runs each, medians; bench/busy, ~2.5 s of work)"
printf "cost: %-8s %8s %12s %12s %14s\n" threads rate slowdown samples/s "us per sample"
for threads in 1 2 16; do
	busy=$((threads < ncpu ? threads : ncpu))
	plain=$(median "$W/$threads.plain")
	for v in $rates; do
		t=$(median "$W/$threads.$v")
		n=$(median "$W/$threads.$v.n")
		awk -v th="$threads" -v v="$v" -v t="$t" -v p="$plain" -v n="$n" -v b="$busy" 'BEGIN {
			printf "cost: %-8d %8d %11.3fx %12.0f %14.1f\n", th, v, t / p, n / t, (t - p) * b / n * 1e6
		}'
	done
done
