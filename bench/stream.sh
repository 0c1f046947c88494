#!/bin/sh
# bench/stream.sh - the pipe on long recordings: pf-symbolize's speed
# on real Numba code with native frames, and the peak memory of each
# stage for one minute and one hour of 16 threads at 1 kHz (bench/synth
# makes them from a real recording: its JIT objects, its libraries, the
# PCs it sampled).  Run by make bench, or alone from the top of the
# tree: about 3 minutes (BENCH_QUICK=1: the hour becomes 10 minutes).
set -eu
LC_ALL=C
export LC_ALL
cd "$(dirname "$0")/.."

py=$(scripts/numba-python) || { echo "bench: no numba" >&2; exit 1; }
[ -x bench/synth ] || { echo "bench: make bench/synth first" >&2; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/pf-bench-stream.XXXXXX")
trap 'rm -rf "$W"' EXIT
long=3600
[ "${BENCH_QUICK:-}" = 1 ] && long=600

record/pf-record -q -F 4000 -o "$W/real.rec" -- "$py" tests/programs/compile_then_run.py 3 2>/dev/null
real=$(grep -c '^sample ' "$W/real.rec")
awk -v all="$(wc -c <"$W/real.rec")" -v obj="$(grep '^jitdata ' "$W/real.rec" | wc -c)" \
    -v code="$(grep '^jitcode ' "$W/real.rec" | wc -c)" 'BEGIN {
	printf "stream: the real recording: %d bytes, of which the JIT objects (jitdata) %d, the code that ran (jitcode) %d (%.1f%%)\n", all, obj, code, 100 * code / all
}'
distinct=$(awk '$1 == "sample" { print $6 }' "$W/real.rec" | sort -u | wc -l)

# Steady speed: 5 minutes of 16 threads at 1 kHz (4.8 M samples) from a
# file, best of 3.
bench/synth "$W/real.rec" 300 16 1000 >"$W/five.rec"
n=$(grep -c '^sample ' "$W/five.rec")
best=
for i in 1 2 3; do
	"$py" bench/maxrss.py "$W/t" symbolize/pf-symbolize "$W/five.rec" >"$W/five.sym"
	set -- $(cat "$W/t")
	best=$(echo "$2 ${best:-}" | awk '{ print ($2 != "" && $2 < $1) ? $2 : $1 }')
done
nat=$(grep -c ' native ' "$W/five.sym")
jit=$(grep -c ' jit jit:' "$W/five.sym")
# What the insn records (samples per instruction) add to pf-aggregate's stream.
aggregate/pf-aggregate "$W/five.sym" >"$W/five.agg"
awk -v n="$(grep -c '^insn ' "$W/five.agg")" -v ib="$(grep '^insn ' "$W/five.agg" | wc -c)" \
    -v all="$(wc -c <"$W/five.agg")" -v t="$(grep -v '^insn ' "$W/five.agg" | wc -c)" 'BEGIN {
	printf "stream: pf-aggregate of those samples: %d bytes, of which %d insn records (samples per instruction) %d bytes; without them %d bytes\n", all, n, ib, t
}'
# What the instruction view costs: the code records pf-symbolize writes
# (once per function a sample hit) and pf-annotate --asm, on the same
# five minutes.  Alternated, best of 2.
tcode= tnocode=
for i in 1 2; do
	"$py" bench/maxrss.py "$W/t" symbolize/pf-symbolize --no-code "$W/five.rec" >"$W/five0.sym"
	set -- $(cat "$W/t"); tnocode=$(echo "$2 ${tnocode:-}" | awk '{ print ($2 != "" && $2 < $1) ? $2 : $1 }')
	"$py" bench/maxrss.py "$W/t" symbolize/pf-symbolize "$W/five.rec" >"$W/five.sym"
	set -- $(cat "$W/t"); tcode=$(echo "$2 ${tcode:-}" | awk '{ print ($2 != "" && $2 < $1) ? $2 : $1 }')
done
"$py" bench/maxrss.py "$W/t0" annotate/pf-annotate "$W/five.agg" >/dev/null
"$py" bench/maxrss.py "$W/t1" annotate/pf-annotate --asm "$W/five.agg" >"$W/five.asm"
awk -v tc="$tcode" -v tn="$tnocode" -v all="$(wc -c <"$W/five.sym")" \
    -v code="$(grep -E '^(code|codedata|span) ' "$W/five.sym" | wc -c)" \
    -v fns="$(grep -c '^code ' "$W/five.sym")" -v agg="$(wc -c <"$W/five.agg")" \
    -v a0="$(cat "$W/t0")" -v a1="$(cat "$W/t1")" -v lines="$(wc -l <"$W/five.asm")" 'BEGIN {
	split(a0, x, " "); split(a1, y, " ")
	printf "stream: --asm: code records of %d functions, %d bytes (%.2f%% of pf-symbolize'"'"'s %d-byte stream, %.2f%% of pf-aggregate'"'"'s %d bytes); pf-symbolize %.2f s with them, %.2f s with --no-code (%.3fx)\n",
		fns, code, 100 * code / all, all, 100 * code / agg, agg, tc, tn, tc / tn
	printf "stream: --asm: pf-annotate %.2f s (%.1f MB) against %.2f s (%.1f MB) without, %d lines of output\n",
		y[2], y[1] / 1024, x[2], x[1] / 1024, lines
}'
rm -f "$W/five.sym" "$W/five0.sym" "$W/five.agg" "$W/five.asm"
awk -v n="$n" -v t="$best" -v nat="$nat" -v jit="$jit" -v real="$real" -v d="$distinct" 'BEGIN {
	printf "stream: pf-symbolize: %d samples (%.0f%% JIT, %.0f%% native; PCs of a real recording of %d samples, %d distinct) in %.2f s: %.2f M samples/s (target: >= 1 M/s: %s)\n",
		n, 100 * jit / n, 100 * nat / n, real, d, t, n / t / 1e6, (n / t >= 1e6 ? "met" : "MISS")
}'

# The whole pipe, each stage's peak memory, for 60 s and for $long s.
pipe() {
	bench/synth "$W/real.rec" "$1" 16 1000 |
		"$py" bench/maxrss.py "$W/sym.$1" symbolize/pf-symbolize |
		"$py" bench/maxrss.py "$W/agg.$1" aggregate/pf-aggregate |
		"$py" bench/maxrss.py "$W/ann.$1" annotate/pf-annotate >"$W/out.$1"
}
pipe 60
pipe "$long"
for s in 60 "$long"; do
	awk -v s="$s" -v n=$((s * 16000)) -v sym="$(cat "$W/sym.$s")" \
		-v agg="$(cat "$W/agg.$s")" -v ann="$(cat "$W/ann.$s")" 'BEGIN {
		split(sym, a, " "); split(agg, b, " "); split(ann, c, " ")
		printf "stream: %5d s of 16 threads at 1 kHz (%.1f M samples) through the pipe in %.0f s: peak memory pf-symbolize %.1f MB, pf-aggregate %.1f MB, pf-annotate %.1f MB\n",
			s, n / 1e6, a[2], a[1] / 1024, b[1] / 1024, c[1] / 1024
	}'
done
awk -v a="$(cut -d' ' -f1 "$W/sym.60")" -v b="$(cut -d' ' -f1 "$W/sym.$long")" \
    -v c="$(cut -d' ' -f1 "$W/agg.60")" -v d="$(cut -d' ' -f1 "$W/agg.$long")" -v long="$long" 'BEGIN {
	printf "stream: peak memory, %d s against 60 s: pf-symbolize %.2fx, pf-aggregate %.2fx (target: flat, <= 1.10x: %s)\n",
		long, b / a, d / c, (b / a <= 1.10 && d / c <= 1.10) ? "met" : "MISS"
}'
