#!/bin/sh
# pf-annotate --html on the JIT fixture's code (known bytes and lines,
# two threads of known samples): one self-contained page, the text
# view's numbers row for row, each thread's listing, escaping; then the
# page in a real browser (headless Chromium): the rendered DOM, the
# thread chosen by the address, and a screenshot kept for review.
. "$(dirname "$0")/lib.sh"

for tool in cc objcopy nm; do
	command -v $tool >/dev/null || skip_all "no $tool"
done
PY=$(command -v python3 || command -v /usr/bin/python3) || skip_all "no python3"
cd "$T" || exit 1
BASE=7f0000001000

test_expect 'a recording of two threads on the fixture, aggregated per thread' '
	hot_object hot.o 0x$BASE &&
	{ hot_records $BASE
	  echo "meta command ./jitfixture threads 2 1"
	  echo "thread 1 7 7 main"; echo "thread 1 7 8 worker"
	  samples 6 7 $(sym_at dear_loop 0x29)
	  samples 3 7 $(sym_at dear_loop 0x2d)
	  samples 2 7 $(sym_at cheap_loop 0x25)
	  samples 9 8 $(sym_at cheap_loop 0x25)
	  samples 1 8 $(sym_at dear_loop 0x29); } >hot.rec &&
	pf-symbolize hot.rec >hot.sym && pf-aggregate --per-thread hot.sym >hot.agg &&
	grep -q "^threadline " hot.agg
'
test_expect '--html: one page, nothing from outside it' '
	(cd "$TOP" && pf-annotate --html "$T/hot.agg") >page.html 2>page.err &&
	test ! -s page.err &&
	head -n 1 page.html | grep -qx "<!DOCTYPE html>" &&
	tail -n 1 page.html | grep -qx "</body></html>" &&
	! grep -qi "<link\|<img\|<iframe\| src=\|url(\|@import\|https\?:" page.html &&
	grep -q "<style>" page.html && grep -q "<script>" page.html
'
# Every row of the text listing is a row of the page's first view,
# in the same order, with the same self and total and source text.
test_expect 'the page shows the text view'"'"'s numbers, row for row' '
	(cd "$TOP" && pf-annotate "$T/hot.agg") >text.out &&
	awk -F" [|] ?" "/^ *[0-9.]*%? [|]/ { s = \$1; gsub(/ /, \"\", s); t = \$2;
		tot = \"\"; if (match(t, /   total [0-9.]+%/)) { tot = substr(t, RSTART + 9, RLENGTH - 9); t = substr(t, 1, RSTART - 1) }
		print s \"|\" tot \"|\" t }" text.out >text.rows &&
	"$PY" - page.html >page.rows <<-EOF &&
	import html.parser, sys
	class P(html.parser.HTMLParser):
	    def __init__(self):
	        super().__init__(); self.view = None; self.row = None; self.cell = None; self.rows = []
	    def handle_starttag(self, tag, attrs):
	        a = dict(attrs)
	        if tag == "section": self.view = a.get("id")
	        if self.view == "all" and tag == "tr" and a.get("class", "").startswith(("line", "label")):
	            self.row = {}
	        if self.row is not None and tag == "td": self.cell = a.get("class"); self.row[self.cell] = ""
	    def handle_endtag(self, tag):
	        if tag == "td": self.cell = None
	        if tag == "tr" and self.row is not None:
	            r = self.row; self.rows.append("%s|%s|%s" % (r["self"], r["total"], r["code"])); self.row = None
	    def handle_data(self, d):
	        if self.row is not None and self.cell: self.row[self.cell] += d
	p = P(); p.feed(open(sys.argv[1]).read())
	print("\n".join(r for r in p.rows if not r.startswith("||(at no source line)")))
	EOF
	cat text.rows && test "$(wc -l <text.rows)" -ge 4 && test_cmp text.rows page.rows
'
test_expect 'a listing per thread, in percentages of its samples, and the instructions folded under lines' '
	grep -q "<option value=\"t8\">thread 8 worker: 10 samples</option>" page.html &&
	grep -q "<section class=\"view\" id=\"t8\" hidden>" page.html &&
	(cd "$TOP" && pf-annotate -t 8 "$T/hot.agg") >t8.out &&
	grep -q "^100.0% |.*MIX" t8.out && grep -q "CHEAP.*total 90.0%" t8.out &&
	sed -n "/<section class=\"view\" id=\"t8\"/,/<\/section>/p" page.html >t8.html &&
	grep -q "data-self=\"100.0%\"><td class=\"self\">100.0%</td><td class=\"total\"></td><td class=\"code\">.*MIX" t8.html &&
	grep -q "data-self=\"0.0%\"><td class=\"self\">0.0%</td><td class=\"total\">90.0%</td><td class=\"code\">.*CHEAP.*<td class=\"marks\">&lt;- inlined mix()</td>" t8.html &&
	grep -q "<tr class=\"asm\">.*<details><summary>[0-9]* instruction rows*" page.html &&
	grep -q "lea " page.html
'
test_expect 'source text and names are escaped' '
	file=$(awk "\$1 == \"line\" && \$8 == \"dear_loop\" { print \$6; exit }" hot.agg) &&
	line=$(awk "\$1 == \"line\" && \$8 == \"dear_loop\" && \$2 > 0 { print \$7; exit }" hot.agg) &&
	{ cat hot.agg; echo "source $file $line x%20=%20\"<script>alert(1)</script>\"%20&%20y"; } >esc.agg &&
	(cd "$TOP" && pf-annotate "$T/esc.agg") | grep -q "| x = \"<script>alert(1)</script>\" & y$" &&
	(cd "$TOP" && pf-annotate --html "$T/esc.agg") >esc.html &&
	grep -q "x = &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot; &amp; y" esc.html &&
	test "$(grep -c "<script>" esc.html)" -eq 1
'
test_expect 'a bad source record: said with its line number, the rest shown' '
	{ cat hot.agg; echo "source onlytwo 3"; echo "source f 0 x"; } >badsrc.agg &&
	test_must_fail 1 pf-annotate badsrc.agg >badsrc.out 2>badsrc.err &&
	cat badsrc.err &&
	test "$(grep -c "line [0-9]*: bad source record" badsrc.err)" -eq 2 &&
	grep -q "MIX" badsrc.out
'
test_expect 'hundreds of functions: a table of contents, the first thirty unfolded' '
	awk "BEGIN { print \"# pf-aggregate 2\"; n = 0
		for (f = 1; f <= 400; f++) { c = 401 - f; n += c
			printf \"line %d 0 %d 0 /nowhere/many.py %d fn%d\\n\", c, c, f * 3, f }
		printf \"total %d %d 0 0 0 0 0 0 0 0\\n\", n, n }" >many.agg &&
	pf-annotate --html -m 0 many.agg >many.html &&
	test "$(grep -c "<li><a href=\"#all-f" many.html)" -eq 400 &&
	test "$(grep -c "<article class=\"fn\" id=\"all-f[0-9]*\"><details open>" many.html)" -eq 30 &&
	test "$(grep -c "<article class=\"fn\"" many.html)" -eq 400
'
test_expect '--html with -t, --each-thread or --function: usage errors' '
	test_must_fail 64 pf-annotate --html -t 8 hot.agg 2>/dev/null &&
	test_must_fail 64 pf-annotate --html --each-thread hot.agg 2>/dev/null &&
	test_must_fail 64 pf-annotate --html -f dear_loop hot.agg 2>/dev/null
'

# The page in a browser: what it renders (the DOM after its script ran)
# and a screenshot for the eye.  Chromium is Debian's chromium package.
chrome=$(command -v chromium || command -v chromium-browser || command -v google-chrome) || chrome=
if [ -n "$chrome" ]; then
	# chrome URL FLAGS...: headless, no sandbox (as root), no GPU.
	chrome() {
		u=$1; shift
		timeout 120 "$chrome" --headless --no-sandbox --disable-gpu \
			--hide-scrollbars --user-data-dir="$T/chrome" "$@" "$u" 2>>chrome.err
	}
	test_expect 'Chromium renders it: the first view shown, the hot line first among rows' '
		chrome "file://$T/page.html" --dump-dom >dom.html &&
		grep -q "<section class=\"view\" id=\"all\">" dom.html &&
		grep -q "<section class=\"view\" id=\"t8\" hidden=\"\">" dom.html &&
		"$PY" - dom.html <<-EOF
		import re, sys
		dom = open(sys.argv[1]).read()
		view = dom[dom.index("id=\"all\""):dom.index("id=\"t7\"")]
		rows = re.findall(r"<tr class=\"line[^\"]*\"[^>]*data-self=\"([0-9.]+)%\"><td class=\"self\">[^<]*</td><td class=\"total\">[^<]*</td><td class=\"code\">([^<]*)", view)
		print(rows)
		best = max(rows, key=lambda r: float(r[0]))
		assert "MIX" in best[1], best
		EOF
	'
	test_expect 'Chromium: #t8 in the address shows thread 8'"'"'s listing; a screenshot' '
		chrome "file://$T/page.html#t8" --dump-dom >dom8.html &&
		grep -q "<section class=\"view\" id=\"t8\">" dom8.html &&
		grep -q "<section class=\"view\" id=\"all\" hidden=\"\">" dom8.html &&
		chrome "file://$T/page.html" --window-size=1200,900 --screenshot="$T/page.png" >/dev/null &&
		test -s "$T/page.png" && od -An -c -N 4 "$T/page.png" | grep -q "P   N   G"
	'
else
	echo "# no chromium: the browser tests are not run (Debian: apt-get install chromium)"
fi

done_testing
