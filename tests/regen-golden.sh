#!/bin/sh
# tests/regen-golden.sh - regenerate the golden files of tests/golden.
#
#   tests/regen-golden.sh [TEST.t...]      (default: every tests/*.t)
#
# Runs the tests with PF_REGEN_GOLDEN=1, which makes test_golden
# (tests/golden.sh) write what the tools print now into tests/golden/.
# Then review the intended changes, and only those, as a diff:
#
#   git diff tests/golden
#
# A test that fails in this mode fails for another reason than its
# golden files.
cd "$(dirname "$0")/.." || exit 2
[ $# -gt 0 ] || set -- tests/*.t
PF_REGEN_GOLDEN=1 LC_ALL=C ${PROVE:-prove} "$@"
status=$?
git status --short tests/golden 2>/dev/null
exit $status
