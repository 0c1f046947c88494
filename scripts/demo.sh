#!/bin/sh
# demo.sh - profile examples/simple.py with the whole pipeline and show
# the annotated source.  Run by `make demo` from the top of the tree.
set -eu
py=$(scripts/numba-python) || {
	echo "demo: no Python interpreter with numba found; run: sudo apt-get install -y python3-numba" >&2
	exit 1
}
out=${TMPDIR:-/tmp}/pf-demo.$$
mkdir -p "$out"
trap 'rm -rf "$out"' EXIT
echo "\$ pf-record -- $py examples/simple.py | pf-symbolize | pf-aggregate | pf-annotate" >&2
record/pf-record -o "$out/simple.rec" -- "$py" examples/simple.py
symbolize/pf-symbolize "$out/simple.rec" > "$out/simple.sym"
aggregate/pf-aggregate "$out/simple.sym" > "$out/simple.agg"
annotate/pf-annotate "$out/simple.agg"
