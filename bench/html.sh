#!/bin/sh
# bench/html.sh - what pf-annotate --html costs against the text view:
# profiles of 100, 1000 and 5000 functions of 20 lines each (a
# synthetic pf-aggregate stream, sources not on disk), best of 3 runs
# of each, side by side, and the page's size; with Chromium, how long
# headless Chromium takes to load and render each page (its own start
# included: the 100-function page says what that is).  Run by make
# bench, or alone from the top of the tree (~30 seconds).
set -eu
LC_ALL=C
export LC_ALL
cd "$(dirname "$0")/.."

W=$(mktemp -d "${TMPDIR:-/tmp}/pf-bench-html.XXXXXX")
trap 'rm -rf "$W"' EXIT

# best SECONDS of 3 runs of pf-annotate ARGS... on stdin file $1
best() {
	f=$1
	shift
	b=
	for i in 1 2 3; do
		s=$(date +%s.%N)
		annotate/pf-annotate "$@" "$f" >"$W/out"
		e=$(date +%s.%N)
		b=$(echo "$s $e ${b:-}" | awk '{ t = $2 - $1; if ($3 != "" && $3 < t) t = $3; print t }')
	done
	echo "$b"
}

chrome=$(command -v chromium || command -v chromium-browser) || chrome=
echo "html: functions  text (s)  html (s)  html/text  page (KB)  chromium (s)"
for n in 100 1000 5000; do
	awk -v n="$n" 'BEGIN { print "# pf-aggregate 2"; total = 0
		for (f = 1; f <= n; f++)
			for (l = 1; l <= 20; l++) { c = (n - f + 1) * l; total += c
				printf "line %d 0 %d 0 /bench/f%d.py %d fn%d\n", c, c, f % 50, f * 20 + l, f }
		printf "total %d %d 0 0 0 0 0 0 0 0\n", total, total }' >"$W/p$n.agg"
	t=$(best "$W/p$n.agg" -m 0)
	h=$(best "$W/p$n.agg" -m 0 --html)
	kb=$(($(wc -c <"$W/out") / 1024))
	c=-
	if [ -n "$chrome" ]; then
		cp "$W/out" "$W/p$n.html"
		s=$(date +%s.%N)
		timeout 300 "$chrome" --headless --no-sandbox --disable-gpu \
			--user-data-dir="$W/chrome" --dump-dom "file://$W/p$n.html" \
			>"$W/dom" 2>/dev/null
		e=$(date +%s.%N)
		grep -q "<section class=\"view\" id=\"all\">" "$W/dom" ||
			{ echo "html: chromium did not render p$n.html" >&2; exit 1; }
		c=$(echo "$s $e" | awk '{ printf "%.2f", $2 - $1 }')
	fi
	awk -v n="$n" -v t="$t" -v h="$h" -v kb="$kb" -v c="$c" 'BEGIN {
		printf "html: %9d  %8.3f  %8.3f  %8.2fx  %9d  %12s\n", n, t, h, h / t, kb, c }'
done
