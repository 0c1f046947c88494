#!/bin/sh
# bench/workers.sh - what following worker processes costs (issue 12):
# tests/programs/workers.py (a Pool of 2 running an @njit loop, by fork
# and by spawn) plain and under pf-record at the default rate,
# alternated, 3 runs each, median wall times and their ratio; and how
# much of the workers' samples pf named as JIT code.  Run by make bench,
# or alone from the top of the tree (~1 minute).
set -eu
LC_ALL=C
export LC_ALL
cd "$(dirname "$0")/.."

py=$(scripts/numba-python) || { echo "bench: no numba" >&2; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/pf-bench-workers.XXXXXX")
trap 'rm -rf "$W"' EXIT
TASKS=${BENCH_WORKER_TASKS:-16}

# wall SECONDS of COMMAND...
wall() {
	s=$(date +%s.%N)
	"$@" >/dev/null 2>&1
	e=$(date +%s.%N)
	echo "$s $e" | awk '{ printf "%.3f\n", $2 - $1 }'
}

median() {
	sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

echo "workers: method  plain (s)  pf-record (s)  ratio  worker samples in JIT code"
for method in fork spawn; do
	: >"$W/plain" && : >"$W/pf"
	for i in 1 2 3; do
		wall "$py" tests/programs/workers.py "$method" "$TASKS" >>"$W/plain"
		wall record/pf-record -q -o "$W/$method.rec" -- "$py" \
			tests/programs/workers.py "$method" "$TASKS" >>"$W/pf"
	done
	symbolize/pf-symbolize "$W/$method.rec" >"$W/$method.sym"
	main=$(sed -n 's/^meta pid //p' "$W/$method.rec")
	awk -v m="$method" -v p="$(median <"$W/plain")" -v r="$(median <"$W/pf")" \
	    -v main="$main" '
		$1 == "exec" && $0 ~ /resource_tracker|forkserver import main/ { helper[$3] = 1 }
		$1 == "sample" && $3 != main && !($3 in helper) { n++; if ($7 == "jit") j++ }
		END { printf "workers: %-6s  %9.3f  %13.3f  %5.3fx  %.1f%% of %d\n", m, p, r, r / p, 100 * j / n, n }' "$W/$method.sym"
done
