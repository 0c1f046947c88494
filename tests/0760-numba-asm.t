#!/bin/sh
# pf-annotate --asm on real Numba code (examples/vector.py): a fastmath
# dot product, which LLVM vectorizes, and a chain of square roots, which
# it cannot.  What is checked holds for any x86-64 LLVM target: packed
# instructions (xmm at least) on the dot product's line, scalar ones on
# the chain's, whose hottest instruction is a square root or the one
# right after one (skid); and the shares add up.
. "$(dirname "$0")/lib.sh"

py=$(find_numba_python) || skip_all "no Python interpreter with numba (apt-get install python3-numba)"
[ -n "$py" ] || skip_all "no Python interpreter with numba (apt-get install python3-numba)"
prog=$TOP/examples/vector.py
sqrt=$(grep -n '# SQRT' "$prog" | cut -d: -f1)

test_expect 'vector.py: record, symbolize, aggregate, annotate --asm' '
	pf-record -q -F 1000 -o "$T/v.rec" -- "$py" "$prog" 1.5 >/dev/null &&
	pf-symbolize "$T/v.rec" >"$T/v.sym" &&
	pf-aggregate "$T/v.sym" >"$T/v.agg" &&
	(cd "$TOP" && pf-annotate --asm "$T/v.agg") >"$T/asm.out" 2>"$T/asm.err" &&
	cat "$T/asm.out" | head -n 80 && test ! -s "$T/asm.err"
'
test_expect 'the spans of the recorded code say what its samples say' '
	spans_agree "$T/v.sym" >"$T/agree" && cat "$T/agree" &&
	test "$(cut -d" " -f1 "$T/agree")" -gt 500
'
test_expect 'the dot product'"'"'s line: vectorized, doubles in xmm, ymm or zmm' '
	grep -A1 "# DOT$" "$T/asm.out" |
		grep -q "\[vectorized: [248] doubles per instruction ([xyz]mm)"
'
test_expect 'the square root chain'"'"'s line: scalar' '
	grep -A1 "# SQRT$" "$T/asm.out" | grep -q "\[scalar: "
'
# The rows of the listing of one function (-n): "S N COUNT SQRT" for
# each source line with a count (SQRT 1 on the chain's line; COUNT -1
# for the code at no source line, whose count is in the heading), then
# "I N COUNT MNEMONIC" for each of its instructions.
rows() {
	awk "/^ *[0-9]+ \\| / { src++; print \"S\", src, \$1, (index(\$0, \"# SQRT\") > 0); next }
	     /^ *\\| \\(at no source line\\)/ { src++; print \"S\", src, -1, 0; next }
	     /^ *\\| *([0-9]+ )?[* ] +\\+[0-9a-f]+  / {
	         c = (\$2 ~ /^[0-9]+\$/) ? \$2 : 0
	         for (i = 2; i <= NF; i++) if (\$i ~ /^\\+[0-9a-f]+\$/) { m = \$(i + 1); break }
	         print \"I\", src, c, m }" "$1"
}
test_expect 'the chain'"'"'s hottest instruction is a square root or right after one' '
	(cd "$TOP" && pf-annotate -n --function chain "$T/v.agg") >"$T/chain.out" &&
	rows "$T/chain.out" >"$T/chain.rows" &&
	awk "\$1 == \"S\" && \$4 == 1 { want = \$2 }
	     \$1 == \"I\" && \$2 == want { n++; c[n] = \$3; m[n] = \$4 }
	     END { best = 0
	           for (i = 1; i <= n; i++) if (c[i] > c[best] || !best) best = i
	           print \"hottest:\", m[best], c[best], \"after:\", m[best - 1]
	           exit !(n > 0 && c[best] > 0 && (m[best] ~ /sqrt/ || m[best - 1] ~ /sqrt/)) }" "$T/chain.rows"
'
test_expect 'the instruction counts of each line add up to the line'"'"'s' '
	for fn in chain dot; do
		(cd "$TOP" && pf-annotate -n --function $fn "$T/v.agg") >"$T/$fn.n" &&
		rows "$T/$fn.n" |
		awk "\$1 == \"S\" { n[\$2] = \$3 } \$1 == \"I\" { s[\$2] += \$3 }
		     END { for (k in n) if (n[k] >= 0 && n[k] != s[k] + 0) { print \"line\", k, n[k], s[k]; bad++ }
		           exit bad > 0 }" || exit 1
	done &&
	grep -q "vsqrtsd\|sqrtsd" "$T/chain.n"
'
done_testing
