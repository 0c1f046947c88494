#!/bin/sh
# pf-annotate.1 renders without warnings, its synopsis is usage(), and
# its examples run.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/man.sh"

test_man_page pf-annotate "$TOP/annotate/pf-annotate.1" '
	sed "s|@DATA@|$TOP/tests/data|g" "$TOP/tests/data/ann-basic.agg" >"$T/prof.agg" &&
	cp "$TOP/tests/data/agg-basic.sym" "$T/prof.sym"
'

done_testing
