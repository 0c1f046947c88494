#!/bin/sh
# make install into a prefix, and the installed tree used as a user
# would: pf-record finds the shim beside it (line tables), the Python
# package runs `python3 -m pf` and finds the installed tools.
. "$(dirname "$0")/lib.sh"

py=$(find_numba_python) || skip_all "no Python with numba"
P=$T/prefix

test_expect 'make install PREFIX=... PYTHONDIR=...: tools, man pages, shim, package' '
	rm -rf "$P" &&
	make -s -C "$TOP" install PREFIX="$P" PYTHONDIR="$P/python" >"$T/install.log" 2>&1 &&
	for f in bin/pf-record bin/pf-symbolize bin/pf-aggregate bin/pf-annotate \
		share/man/man1/pf-record.1 share/pf/shim/sitecustomize.py \
		share/pf/shim/pf/_lines.py python/pf/__init__.py python/pf/__main__.py \
		python/pf/_magic.py python/pf/_installed.py; do
		test -f "$P/$f" || { echo "missing $f"; exit 1; }
	done
'
test_expect 'the installed pf-record gives line tables through the installed shim' '
	"$P/bin/pf-record" -q -o "$T/simple.rec" -- "$py" "$TOP/examples/simple.py" >/dev/null &&
	grep -q "^meta lines numba-faithful$" "$T/simple.rec" &&
	"$P/bin/pf-symbolize" "$T/simple.rec" | "$P/bin/pf-aggregate" | "$P/bin/pf-annotate" >"$T/simple.txt" &&
	grep -q "^## .*simple.py, lines" "$T/simple.txt" && ! grep -q "^# line tables" "$T/simple.txt"
'
test_expect 'the installed package: python3 -m pf, and the tools it runs are the installed ones' '
	echo "print(\"ran\")" >"$T/hello.py" &&
	test "$(PYTHONPATH=$P/python "$py" -m pf "$T/hello.py")" = ran &&
	test "$(PYTHONPATH=$P/python "$py" -c "import pf; print(pf.tool(\"pf-annotate\"))" 2>&1)" = "$P/bin/pf-annotate"
'
done_testing
