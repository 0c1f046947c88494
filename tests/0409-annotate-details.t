#!/bin/sh
# pf-annotate: a python -c program in the header, and inlining marks
# that only show when they say something.
. "$(dirname "$0")/lib.sh"

test_expect 'a -c program with newlines and tabs: one line, as $'"'"'...'"'"' a shell reads' '
	printf "# pf-aggregate 2\nmeta command python3 -c import%%20numba%%0Aprint(%%27a%%27)%%09#x\ntotal 0 0 0 0 0 0 0 0 0 0\n" |
		pf-annotate >"$T/c.txt" &&
	grep -Fx "# command: python3 -c \$'"'"'import numba\\nprint(\\'"'"'a\\'"'"')\\t#x'"'"'" "$T/c.txt" &&
	test "$(grep -c "^# command" "$T/c.txt")" = 1 &&
	bash -c "test \"\$(printf %s \$'"'"'import numba\\nprint(\\'"'"'a\\'"'"')\\t#x'"'"')\" = \"\$(printf \"import numba\\nprint('"'"'a'"'"')\\t#x\")\""
'

# Line 3 has 1 of 10000 samples, its total 2 (an inlined call): both
# show as 0.0%, so no "total" mark; line 4 has a total that shows.
cat >"$T/in.agg" <<'EOF2'
# pf-aggregate 2
total 10000 10000 0 0 0 0 0 0 0 0
line 9000 90.00 9000 90.00 /nonexistent/s.py 4 f
line 1 0.01 2 0.02 /nonexistent/s.py 3 f
line 999 9.99 2000 20.00 /nonexistent/s.py 5 f
callsite 2 0.02 /nonexistent/s.py 3 f g
callsite 1001 10.01 /nonexistent/s.py 5 f h
EOF2
test_expect 'a total that rounds to the line'"'"'s own share is not shown' '
	pf-annotate "$T/in.agg" >"$T/m.txt" &&
	cat "$T/m.txt" &&
	grep -q "^ *0.0% | .*line 3" "$T/m.txt" &&
	! grep "line 3" "$T/m.txt" | grep -q "total\|inlined" &&
	grep "line 5" "$T/m.txt" | grep -q "total 20.0%  <- inlined h()" &&
	pf-annotate -n "$T/in.agg" | grep "line 3" | grep -q "total 2  <- inlined g()"
'

done_testing
