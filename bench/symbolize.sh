#!/bin/sh
# bench/symbolize.sh - how fast pf-symbolize goes: samples per second on
# a recording of real Numba code with native frames (compiling: Python,
# libLLVM; running: the kernel), against the time it took to record, and
# distinct libLLVM addresses (native symbol look-ups).  Run by make bench
# after run.sh, or alone from the top of the tree (~20 seconds).
set -eu
LC_ALL=C
export LC_ALL
cd "$(dirname "$0")/.."

py=$(scripts/numba-python) || { echo "bench: no numba" >&2; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/pf-bench-sym.XXXXXX")
trap 'rm -rf "$W"' EXIT

# best SECONDS of 3 runs of pf-symbolize on FILE
best() {
	b=
	for i in 1 2 3; do
		s=$(date +%s.%N)
		symbolize/pf-symbolize "$1" >"$W/out.sym"
		e=$(date +%s.%N)
		b=$(echo "$s $e ${b:-}" | awk '{ t = $2 - $1; if ($3 != "" && $3 < t) t = $3; print t }')
	done
	echo "$b"
}

s=$(date +%s.%N)
record/pf-record -q -F 4000 -o "$W/real.rec" -- "$py" tests/programs/compile_then_run.py 3 2>/dev/null
e=$(date +%s.%N)
n=$(grep -c '^sample ' "$W/real.rec")
t=$(best "$W/real.rec")
awk -v n="$n" -v t="$t" -v r="$(echo "$s $e" | awk '{ print $2 - $1 }')" \
	-v nat="$(grep -c ' native ' "$W/out.sym")" 'BEGIN {
	printf "symbolize: real Numba recording: %d samples (%d native) recorded in %.2f s, symbolized in %.3f s: %.0f samples/s, %.1f%% of the recording time\n", n, nat, r, t, n / t, 100 * t / r
}'

llvm=$(ls /usr/lib/x86_64-linux-gnu/libLLVM-*.so.1 2>/dev/null | head -1)
if [ -n "$llvm" ]; then
	set -- $(readelf -lW "$llvm" | awk '$1 == "LOAD" && / R E / { print $2, $3, $6; exit }')
	start=$((0x7f6600000000 + $2 - $1 % 4096))
	end=$(((0x7f6600000000 + $2 + $3 + 4095) / 4096 * 4096))
	{
		echo "# pf-record 1"
		printf "map 1 7 %x %x %x %s\n" $start $end $(($1 - $1 % 4096)) "$llvm"
		awk -v n=$((end - start)) 'BEGIN { srand(1); for (i = 0; i < 50000; i++) printf "%d\n", int(rand() * n) }' |
			while read -r off; do printf "sample 1 7 7 0 %x\n" $((start + off)); done
	} >"$W/llvm.rec"
	t=$(best "$W/llvm.rec")
	awk -v t="$t" 'BEGIN { printf "symbolize: 50000 distinct libLLVM addresses in %.3f s (%.1f us each)\n", t, 1e6 * t / 50000 }'
fi
