#!/bin/sh
# pf-aggregate on 200000 generated samples: every count is checked
# against one computed independently with awk from the same input.
. "$(dirname "$0")/lib.sh"

N=200000

# A linear congruential generator picks each sample's kind, thread,
# JIT object, function, file, line and inline chain (entries may
# repeat).  Some JIT samples have no line (file -): most in functions
# whose other samples name files (they are counted on line 0 of the
# file most of them name, ties by name), some of no function, some in
# z, which never has a file.  The object records come after the samples, as pf-symbolize
# writes them in place of pf-record's jit records: every third object
# has no line tables (nolines), every fifth is bad.
awk -v n=$N 'BEGIN {
	print "# pf-symbolize 2"
	print "meta command python3 big.py"
	x = 1
	for (i = 0; i < n; i++) {
		x = (x * 69069 + 1) % 4294967296
		k = x % 100
		tid = 100 + int(x / 32) % 4
		head = "sample " i " 99 " tid " " (i % 2) " " sprintf("%x", x)
		if (k < 70) {
			file = "/src/m" int(x / 4096) % 3 ".py"
			line = int(x / 65536) % 40
			fn = "f" int(x / 256) % 5
			s = int(x / 1048576) % 50
			if (s == 0) { file = "-"; line = 0 }
			if (s == 1) { file = "-"; line = 0; fn = "-" }
			if (s == 2) { file = "-"; line = 0; fn = "z" }
			chain = ""
			for (c = 0; c < int(x / 4194304) % 4; c++)
				chain = chain (c ? ";" : "") "g" c % 2 "@/src/m" c % 2 ".py:" \
					int(x / (2 ^ (c + 3))) % 3 + 1
			print head " jit jit:" 1 + int(x / 128) % 20 " " fn " " file " " line " " (chain == "" ? "-" : chain)
		} else if (k < 85) {
			print head " native /usr/lib/libm.so.6 " (k < 80 ? "pow" : "-") " - 0 -"
		} else if (k < 93) {
			print head " kernel [kernel] - - 0 -"
		} else {
			print head " unknown - - - 0 -"
		}
		if (i % 10000 == 0)
			print "lost " i " 3"
		if (i % 25000 == 0)
			print "throttle " i
		if (i == n / 2)
			print "object jit:7 1 lines f1"
	}
	print "thread 1 99 100 main"
	for (o = 1; o <= 21; o++)
		print "object jit:" o " 1 " (o % 3 == 0 ? "nolines" : o % 5 == 0 ? "bad" : "lines") " f" o % 5
}' >"$T/big.sym"

test_expect 'it runs without complaint' '
	pf-aggregate -g line,function,thread "$T/big.sym" >"$T/big.agg" 2>"$T/err" &&
	test ! -s "$T/err"
'

test_expect 'total matches the samples by kind, unresolved, lost, nolines, throttled, lineless' '
	awk "\$1 == \"sample\" { n++; k[\$7]++; if (\$7 == \"jit\") obj[\$8]++
		if (\$7 == \"unknown\" || (\$7 == \"jit\" && \$9 == \"-\")) u++
		if (\$7 == \"jit\" && (\$10 == \"-\" || \$11 == 0)) ll++ }
	     \$1 == \"lost\" { l += \$3 }
	     \$1 == \"throttle\" { t++ }
	     \$1 == \"object\" { lines[\$2] = \$4 }
	     END { for (o in obj) if (lines[o] == \"nolines\") nl += obj[o]
		   print \"total\", n, k[\"jit\"] + 0, k[\"native\"] + 0, k[\"kernel\"] + 0, k[\"unknown\"] + 0, u, l, nl, t, ll }" \
		"$T/big.sym" >"$T/total.expected" &&
	grep "^total" "$T/big.agg" >"$T/total" &&
	test_cmp "$T/total.expected" "$T/total" &&
	grep -x "total $N [0-9]* [0-9]* [0-9]* [0-9]* [1-9][0-9]* 60 [1-9][0-9]* 8 [1-9][0-9]*" "$T/big.agg" &&
	awk "\$1 == \"total\" { exit !(\$7 > \$6 && \$11 > \$7 - \$6) }" "$T/big.agg"
'

test_expect 'nolines records: the samples of each object without line tables' '
	awk "\$1 == \"sample\" && \$7 == \"jit\" { obj[\$8]++ }
	     \$1 == \"object\" { lines[\$2] = \$4; name[\$2] = \$5 }
	     END { for (o in obj) if (lines[o] == \"nolines\")
			print obj[o], sprintf(\"%.2f\", 100 * obj[o] / $N), o, name[o] }" \
		"$T/big.sym" | sort -k1,1nr -k3,3 >"$T/nolines.expected" &&
	awk "\$1 == \"nolines\" { print \$2, \$3, \$4, \$5 }" "$T/big.agg" >"$T/nolines" &&
	test_cmp "$T/nolines.expected" "$T/nolines" &&
	test "$(wc -l <"$T/nolines")" -eq 6 &&
	! grep -q "^object \|^throttle " "$T/big.agg"
'

# A sample without a file, of a function whose samples in its object
# name files, counts on line 0 of the file most of them name.
test_expect 'line SELF and TOTAL match, key by key' '
	awk "\$1 == \"sample\" && \$7 == \"jit\" {
		delete seen
		if (\$10 != \"-\") { key = \$10 \" \" \$11 \" \" \$9; self[key]++; seen[key] = 1 }
		if (\$10 != \"-\" && \$9 != \"-\") files[\$8, \$9, \$10]++
		if (\$10 == \"-\" && \$9 != \"-\") nofile[\$8, \$9]++
		if (\$12 != \"-\") {
			m = split(\$12, e, \";\")
			for (j = 1; j <= m; j++) {
				split(e[j], a, \"[@:]\")
				key = a[2] \" \" a[3] \" \" a[1]
				if (!(key in seen)) { seen[key] = 1; self[key] += 0 }
			}
		}
		for (key in seen) total[key]++
	     }
	     END {
		for (k in files) {
			split(k, p, SUBSEP)
			f = p[1] SUBSEP p[2]
			if (!(f in best) || files[k] > most[f] ||
			    (files[k] == most[f] && p[3] < best[f])) {
				best[f] = p[3]; most[f] = files[k]
			}
		}
		for (f in nofile) {
			if (!(f in best)) { unplaced += nofile[f]; continue }
			split(f, p, SUBSEP)
			key = best[f] \" 0 \" p[2]
			self[key] += nofile[f]; total[key] += nofile[f]; placed += nofile[f]
		}
		for (key in total) print self[key] + 0, total[key], key
		print placed + 0, unplaced + 0 >\"$T/placed\"
	     }" \
		"$T/big.sym" | sort >"$T/lines.expected" &&
	awk "\$1 == \"line\" { print \$2, \$4, \$6, \$7, \$8 }" "$T/big.agg" | sort >"$T/lines" &&
	test_cmp "$T/lines.expected" "$T/lines" &&
	test "$(wc -l <"$T/lines")" -gt 100 &&
	read placed unplaced <"$T/placed" &&
	echo "placed $placed, unplaced $unplaced" &&
	test "$placed" -gt 100 && test "$unplaced" -gt 100
'

test_expect 'sum of line SELF is the JIT samples that have a file, or are placed' '
	jit_with_file=$(awk "\$1 == \"sample\" && \$7 == \"jit\" && \$10 != \"-\"" "$T/big.sym" | wc -l) &&
	read placed unplaced <"$T/placed" &&
	awk -v want="$((jit_with_file + placed))" "\$1 == \"line\" { n += \$2 } END { exit n != want }" "$T/big.agg"
'

test_expect 'function and thread records account for every sample' '
	awk -v want=$N "\$1 == \"function\" { n += \$2 } END { exit n != want }" "$T/big.agg" &&
	awk -v want=$N "\$1 == \"threadtotal\" { n += \$2 } END { exit n != want }" "$T/big.agg" &&
	grep -x "threadtotal [0-9]* [0-9.]* [0-9]* [0-9.]* 99 100 main" "$T/big.agg"
'

test_expect 'outside records: the non-JIT samples per object and function' '
	awk "\$1 == \"sample\" && \$7 != \"jit\" { n[\$7 \" \" \$8 \" \" \$9]++ }
	     END { for (k in n) print n[k], k }" "$T/big.sym" | sort >"$T/outside.expected" &&
	awk "\$1 == \"outside\" { print \$2, \$4, \$5, \$6 }" "$T/big.agg" | sort >"$T/outside" &&
	test_cmp "$T/outside.expected" "$T/outside"
'

test_expect 'percentages are of all samples, two decimals' '
	awk -v all=$N "\$1 == \"line\" || \$1 == \"function\" {
		if (\$3 != sprintf(\"%.2f\", 100 * \$2 / all) || \$5 != sprintf(\"%.2f\", 100 * \$4 / all)) exit 1
	}" "$T/big.agg"
'

done_testing
