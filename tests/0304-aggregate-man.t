#!/bin/sh
# pf-aggregate.1 renders without warnings, its synopsis is usage(), and
# its examples run.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/man.sh"

test_man_page pf-aggregate "$TOP/aggregate/pf-aggregate.1" '
	cp "$TOP/tests/data/agg-basic.sym" "$T/prof.sym"
'

done_testing
