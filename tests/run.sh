#!/bin/sh
# tests/run.sh - run by `make check`: every test script with prove, then
# the scripts that profile real Numba again with each further interpreter
# in PF_TEST_PYTHONS (space-separated; default: the one
# scripts/numba-python finds), e.g.
#
#   PF_TEST_PYTHONS="/usr/bin/python3 /opt/numba-modern/bin/python" make check
#
# An interpreter named there must import numba: a test run that was
# asked for and cannot happen is a failure, not a skip.
set -u
cd "$(dirname "$0")/.."
prove=${PROVE:-prove}
pythons=${PF_TEST_PYTHONS:-}
if [ -z "$pythons" ]; then
	pythons=$(scripts/numba-python) || pythons=
fi
for py in $pythons; do
	if ! "$py" -c 'import numba' >/dev/null 2>&1; then
		echo "tests/run.sh: PF_TEST_PYTHONS: '$py' cannot import numba" >&2
		exit 2
	fi
done
status=0
first=1
for py in ${pythons:-none}; do
	if [ "$first" = 1 ]; then
		set -- tests/*.t
	else
		# Only the scripts that run Numba depend on the interpreter.
		set -- $(grep -l find_numba_python tests/*.t)
	fi
	if [ "$py" != none ]; then
		echo "# Numba tests with $py ($("$py" -c 'import numba; print("numba", numba.__version__)'))"
		export PF_PYTHON="$py"
	fi
	LC_ALL=C $prove -f --exec 'timeout 300 sh' "$@" || status=1
	first=0
done
exit $status
