#!/bin/sh
# The records of a pf-aggregate stream have one definition
# (common/aggrec.c) that pf-aggregate writes with and pf-annotate reads
# with; docs/FORMAT.md must give the same fields for each.
. "$(dirname "$0")/lib.sh"

LIST=$TOP/tests/unit/test-aggrec
[ -x "$LIST" ] || { echo "Bail out! build it: make tests/unit/test-aggrec"; exit 1; }
DOC=$TOP/docs/FORMAT.md

test_expect 'every record kind of the definitions is in FORMAT.md with the same fields' '
	"$LIST" --list >"$T/defs" && test "$(wc -l <"$T/defs")" -ge 9 &&
	sed -n "/^## .pf-aggregate [0-9]/,/^## /p" "$DOC" >"$T/section" &&
	test -s "$T/section" &&
	while IFS="	" read -r kind names; do
		grep -qF "| \`$kind\` | \`$names\` |" "$T/section" ||
			{ echo "FORMAT.md: no row | \`$kind\` | \`$names\` |"; exit 1; }
	done <"$T/defs"
'
test_expect 'and FORMAT.md documents no pf-aggregate record the definitions lack' '
	grep -o "^| \`[a-z]*\` | \`[A-Z][A-Z0-9%_ ]*\` |" "$T/section" |
		sed "s/^| \`\([a-z]*\)\` | \`\(.*\)\` |$/\1	\2/" | sort >"$T/documented" &&
	sort "$T/defs" >"$T/defined" &&
	test_cmp "$T/defined" "$T/documented"
'
test_expect 'what pf-aggregate writes has exactly the defined number of fields' '
	pf-aggregate -T -g line,function "$TOP/tests/data/agg-nolines.sym" >"$T/a.agg" &&
	awk -v defs="$T/defs" "BEGIN { while ((getline l < defs) > 0) { split(l, p, \"\\t\"); n[p[1]] = split(p[2], x, \" \") } }
	     \$1 in n { seen[\$1]++; if (NF - 1 != n[\$1]) { print \"bad: \" \$0; bad++ } }
	     END { exit bad > 0 || !seen[\"total\"] || !seen[\"line\"] }" "$T/a.agg"
'
test_expect 'the code records pf-symbolize writes are in its section of FORMAT.md' '
	"$LIST" --list-code >"$T/cdefs" && test "$(wc -l <"$T/cdefs")" -eq 3 &&
	sed -n "/^## .pf-symbolize [0-9]/,/^## /p" "$DOC" >"$T/symsection" &&
	while IFS="	" read -r kind names; do
		grep -qF "| \`$kind\` | \`$names\` |" "$T/symsection" ||
			{ echo "FORMAT.md: no row | \`$kind\` | \`$names\` |"; exit 1; }
	done <"$T/cdefs"
'
test_expect 'what pf-symbolize writes of them has exactly the defined fields' '
	pf-record -q -F 1000 -o "$T/fx.rec" -- "$TOP/tests/fixtures/jitfixture" run 0.3 >/dev/null &&
	pf-symbolize "$T/fx.rec" >"$T/fx.sym" &&
	awk -v defs="$T/cdefs" "BEGIN { while ((getline l < defs) > 0) { split(l, p, \"\\t\"); n[p[1]] = split(p[2], x, \" \") } }
	     \$1 in n { seen[\$1]++; if (NF - 1 != n[\$1]) { print \"bad: \" \$0; bad++ } }
	     END { exit bad > 0 || !seen[\"code\"] || !seen[\"codedata\"] || !seen[\"span\"] }" "$T/fx.sym"
'
done_testing
