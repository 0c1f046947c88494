#!/bin/sh
# The IPython extension for real: a notebook with %load_ext pf and a
# %%pf cell, executed by jupyter nbconvert in a kernel of the Numba
# Python; its output must show the Numba function's hot line with the
# largest share.  Needs jupyter-nbconvert and ipykernel for that Python
# (Debian: jupyter-nbconvert python3-ipykernel).
. "$(dirname "$0")/lib.sh"

py=$(find_numba_python) || skip_all "no Python with numba"
command -v jupyter-nbconvert >/dev/null || skip_all "no jupyter-nbconvert"
"$py" -c "import ipykernel" 2>/dev/null || skip_all "no ipykernel for $py"

# A kernel of the Numba Python; `import pf` finds the package alone (no
# start-up shim: %load_ext must do all of it).
mkdir -p "$T/jupyter/kernels/pftest" "$T/pkg" &&
ln -sfn "$TOP/record/shim/pf" "$T/pkg/pf" &&
cat >"$T/jupyter/kernels/pftest/kernel.json" <<EOF
{"argv": ["$py", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
 "display_name": "pf test", "language": "python",
 "env": {"PYTHONPATH": "$T/pkg"}}
EOF

# notebook CELL...: a notebook whose code cells are the arguments.
notebook() {
	"$py" - "$@" <<'EOF'
import json, sys
cells = [{"cell_type": "code", "execution_count": None, "metadata": {},
          "outputs": [], "source": c} for c in sys.argv[1:]]
json.dump({"cells": cells, "metadata": {"kernelspec": {"name": "pftest",
           "display_name": "pf test", "language": "python"}},
           "nbformat": 4, "nbformat_minor": 5}, sys.stdout)
EOF
}

KERNEL='import numpy as np
from numba import njit

@njit
def kernel(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += np.sqrt(a[i] * 1.5 + 2.0)  # HOT
    return s

def run(seconds):
    import time
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        kernel(a)

a = np.arange(200_000, dtype=np.float64)
kernel(a)'

# execute NAME: run NAME.ipynb, outputs as text in NAME.out (one output
# a paragraph, text/plain or text/html).
execute() {
	(cd "$T" && JUPYTER_PATH=$T/jupyter timeout 240 jupyter-nbconvert \
		--to notebook --execute --ExecutePreprocessor.timeout=200 \
		--output "$1.done" "$1.ipynb") >"$T/$1.log" 2>&1 &&
	"$py" - "$T/$1.done.ipynb" >"$T/$1.out" <<'EOF'
import json, sys
for cell in json.load(open(sys.argv[1]))["cells"]:
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        text = out.get("text") or data.get("text/html") or data.get("text/plain") or ""
        print("".join(text) if isinstance(text, list) else text)
        print("----")
EOF
}

test_expect '%%pf in a notebook: the hot line of the Numba function, with the largest share' '
	notebook "%load_ext pf" "$KERNEL" "%%pf --text
run(1.5)" >"$T/cell.ipynb" &&
	execute cell && cat "$T/cell.out" &&
	grep -q "^## .*ipykernel_[0-9]*/[0-9]*.py, lines [0-9-]*, kernel (" "$T/cell.out" &&
	hottest_line "$T/cell.out" | grep -q "s += np.sqrt(a\[i\] \* 1.5 + 2.0)  # HOT"
'
# The page inline: the row with the largest self share is the hot line.
test_expect '%%pf shows the HTML report inline, the hot line hottest' '
	notebook "%load_ext pf" "$KERNEL" "%%pf
run(1.5)" >"$T/html.ipynb" &&
	execute html &&
	grep -q "<iframe class=\"pf-report\"" "$T/html.out" &&
	"$py" - "$T/html.out" <<-EOF
	import html, re, sys
	page = html.unescape(open(sys.argv[1]).read())
	assert "<section class=\"view\" id=\"all\">" in page
	rows = re.findall(r"<tr class=\"line[^\"]*\"[^>]*data-self=\"([0-9.]+)%\"><td class=\"self\">[^<]*</td><td class=\"total\">[^<]*</td><td class=\"code\">([^<]*)", page)
	best = max(rows, key=lambda r: float(r[0]))
	print(best)
	assert best[1].endswith("# HOT"), rows
	EOF
'
test_expect '%pf on one statement, -F, and -o keeps the recording' '
	notebook "%load_ext pf" "$KERNEL" "%pf --text -F 500 -o $T/line.rec run(1.0)" >"$T/line.ipynb" &&
	execute line && cat "$T/line.out" &&
	hottest_line "$T/line.out" | grep -q "# HOT" &&
	grep -q "^pf: recording kept in $T/line.rec" "$T/line.out" &&
	grep -q "^meta frequency 500$" "$T/line.rec" &&
	grep -q "^source [^ ]*ipykernel_[0-9]*/[0-9]*.py 8 %20%20%20%20%20%20%20%20s%20+=%20np.sqrt" "$T/line.rec"
'
test_expect '%%pf --no-lines: a function first compiled in the cell has no line table' '
	notebook "%load_ext pf" "$KERNEL" "%%pf --text --no-lines
@njit
def other(a):
    s = 0.0
    for x in a:
        s += x * x
    return s
import time
t0 = time.perf_counter()
while time.perf_counter() - t0 < 1.0:
    other(a)" >"$T/nolines.ipynb" &&
	execute nolines && cat "$T/nolines.out" &&
	grep -q "^## __main__.other(.*) (no line table), " "$T/nolines.out"
'

done_testing
