/* html.c - see html.h */
#include "html.h"
#include "record.h"
#include "tags.h"
#include "util.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

int listing_tags;

/* Functions of a view shown unfolded; the rest start folded. */
#define OPEN_FUNCTIONS 30

void capture_begin(struct capture *c)
{
	memset(c, 0, sizeof(*c));
	fflush(stdout);
	c->mem = open_memstream(&c->buf, &c->len);
	if (!c->mem)
		die(EXIT_FATAL, "open_memstream:");
	c->saved = stdout;
	stdout = c->mem;
	listing_tags = 1;
}

char *capture_end(struct capture *c, size_t *len)
{
	char *buf;

	listing_tags = 0;
	stdout = c->saved;
	if (fclose(c->mem))
		die(EXIT_FATAL, "cannot capture the listing:");
	buf = c->buf;
	*len = c->len;
	memset(c, 0, sizeof(*c));
	return buf;
}

/* text[0..len) as HTML text (or attribute value). */
static void put_escaped(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		switch (ch) {
		case '&': fputs("&amp;", stdout); break;
		case '<': fputs("&lt;", stdout); break;
		case '>': fputs("&gt;", stdout); break;
		case '"': fputs("&quot;", stdout); break;
		default:
			/* The listing's own marks never reach the page. */
			if (ch == TAG_ASM || ch == TAG_LABEL || ch == TAG_MARKS)
				break;
			putchar(ch);
		}
	}
}

static void put_escaped_str(const char *s)
{
	put_escaped(s, strlen(s));
}

/* A line of a captured listing. */
struct line {
	const char *s;
	size_t len;
};

static int next_line(const char *text, size_t len, size_t *at,
		     struct line *l)
{
	const char *nl;

	if (*at >= len)
		return 0;
	l->s = text + *at;
	nl = memchr(l->s, '\n', len - *at);
	l->len = nl ? (size_t)(nl - l->s) : len - *at;
	*at += l->len + (nl != NULL);
	return 1;
}

static int starts(const struct line *l, const char *prefix)
{
	size_t n = strlen(prefix);

	return l->len >= n && !memcmp(l->s, prefix, n);
}

static const char *trim(const char *s, const char *end, const char **out_end)
{
	while (s < end && *s == ' ')
		s++;
	while (end > s && end[-1] == ' ')
		end--;
	*out_end = end;
	return s;
}

/*
 * A source row: "SHARE | TEXT", TEXT maybe followed by TAG_MARKS and
 * "   total T  <- marks".  The share column holds only the share, so
 * the first '|' ends it.
 */
struct row {
	const char *share, *share_end;
	const char *text, *text_end;
	const char *total, *total_end;	/* empty without marks */
	const char *marks, *marks_end;
};

static int parse_row(const struct line *l, struct row *r)
{
	const char *end = l->s + l->len, *bar = memchr(l->s, '|', l->len);
	const char *m;

	if (!bar)
		return -1;
	r->share = trim(l->s, bar, &r->share_end);
	r->text = bar + 1;
	if (r->text < end && *r->text == ' ')
		r->text++;
	m = memchr(r->text, TAG_MARKS, (size_t)(end - r->text));
	r->text_end = m ? m : end;
	r->total = r->total_end = r->marks = r->marks_end = end;
	if (m) {
		const char *p = m + 1, *e;

		while (p < end && *p == ' ')
			p++;
		if ((size_t)(end - p) > 6 && !memcmp(p, "total ", 6)) {
			r->total = p + 6;
			for (e = r->total; e < end && *e != ' '; e++)
				;
			r->total_end = e;
			p = e;
		}
		r->marks = trim(p, end, &r->marks_end);
	}
	return 0;
}

static double share_value(const char *s, const char *end)
{
	char buf[32];
	size_t n = (size_t)(end - s);

	if (!n || n >= sizeof(buf))
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return strtod(buf, NULL);
}

/* The largest share of a source row in a view: the heat scale's top. */
static double view_max(const struct html_view *v)
{
	struct line l;
	size_t at = 0;
	double max = 0, x;
	struct row r;

	while (next_line(v->text, v->len, &at, &l)) {
		if (!l.len || l.s[0] == '#' || l.s[0] == ':' ||
		    l.s[0] == TAG_ASM || l.s[0] == TAG_LABEL ||
		    parse_row(&l, &r))
			continue;
		x = share_value(r.share, r.share_end);
		if (x > max)
			max = x;
	}
	return max;
}

/* The folded instructions under a row, written when the next row comes. */
struct asm_group {
	char *rows, *verdicts;
	size_t rows_len, verdicts_len;
	FILE *rows_fp, *verdicts_fp;
	size_t n;		/* instruction rows */
};

static void group_open(struct asm_group *g)
{
	memset(g, 0, sizeof(*g));
	g->rows_fp = open_memstream(&g->rows, &g->rows_len);
	g->verdicts_fp = open_memstream(&g->verdicts, &g->verdicts_len);
	if (!g->rows_fp || !g->verdicts_fp)
		die(EXIT_FATAL, "open_memstream:");
}

static void group_add(struct asm_group *g, const struct line *l)
{
	const char *end = l->s + l->len;
	const char *bar = memchr(l->s, '|', l->len), *p;

	p = bar ? bar + 1 : l->s + 1;
	while (p < end && *p == ' ')
		p++;
	if (p < end && *p == '[') {
		fwrite(p, 1, (size_t)(end - p), g->verdicts_fp);
		fputc('\n', g->verdicts_fp);
		return;
	}
	/* The row as the text view has it, from after the bar. */
	p = bar ? bar + 1 : l->s + 1;
	fwrite(p, 1, (size_t)(end - p), g->rows_fp);
	fputc('\n', g->rows_fp);
	g->n++;
}

static void group_flush(struct asm_group *g)
{
	fclose(g->rows_fp);
	fclose(g->verdicts_fp);
	if (g->n || g->verdicts_len) {
		char *v = g->verdicts, *nl;

		fputs("<tr class=\"asm\"><td></td><td></td><td colspan=\"2\">"
		      "<details><summary>", stdout);
		printf("%zu instruction row%s", g->n, g->n == 1 ? "" : "s");
		for (; v && *v; v = nl + 1) {
			nl = strchr(v, '\n');
			if (!nl)
				break;
			fputs(" <span class=\"verdict\">", stdout);
			put_escaped(v, (size_t)(nl - v));
			fputs("</span>", stdout);
		}
		fputs("</summary><pre>", stdout);
		put_escaped(g->rows ? g->rows : "", g->rows_len);
		fputs("</pre></details></td></tr>\n", stdout);
	}
	free(g->rows);
	free(g->verdicts);
	memset(g, 0, sizeof(*g));
}

static void put_row(const struct row *r, double max, int label)
{
	double x = share_value(r->share, r->share_end);

	fputs("<tr class=\"", stdout);
	fputs(label ? "label" : x > 0 ? "line hot" : "line", stdout);
	putchar('"');
	if (x > 0 && max > 0)
		printf(" style=\"background:rgba(230,70,0,%.3f)\"",
		       0.06 + 0.6 * x / max);
	fputs(" data-self=\"", stdout);
	put_escaped(r->share, (size_t)(r->share_end - r->share));
	fputs("\"><td class=\"self\">", stdout);
	put_escaped(r->share, (size_t)(r->share_end - r->share));
	fputs("</td><td class=\"total\">", stdout);
	put_escaped(r->total, (size_t)(r->total_end - r->total));
	fputs("</td><td class=\"code\">", stdout);
	put_escaped(r->text, (size_t)(r->text_end - r->text));
	fputs("</td><td class=\"marks\">", stdout);
	put_escaped(r->marks, (size_t)(r->marks_end - r->marks));
	fputs("</td></tr>\n", stdout);
}

/* Per view: its functions' headers, for the table of contents. */
static void put_toc(const struct html_view *v)
{
	struct line l;
	size_t at = 0, n = 0;

	while (next_line(v->text, v->len, &at, &l)) {
		if (!starts(&l, "## "))
			continue;
		if (!n++)
			fputs("<nav class=\"toc\"><ol>\n", stdout);
		printf("<li><a href=\"#%s-f%zu\">", v->id, n);
		put_escaped(l.s + 3, l.len - 3);
		fputs("</a></li>\n", stdout);
	}
	if (n)
		fputs("</ol></nav>\n", stdout);
}

static void put_view(const struct html_view *v, int hidden)
{
	double max = view_max(v);
	struct asm_group g;
	struct line l;
	size_t at = 0, fn = 0;
	int in_fn = 0, in_table = 0, have_group = 0;
	struct row r;

	printf("<section class=\"view\" id=\"%s\"%s>\n<h2>", v->id,
	       hidden ? " hidden" : "");
	put_escaped_str(v->title);
	fputs("</h2>\n", stdout);
	put_toc(v);
	while (next_line(v->text, v->len, &at, &l)) {
		int is_asm = l.len && l.s[0] == TAG_ASM;

		if (have_group && !is_asm) {
			group_flush(&g);
			have_group = 0;
		}
		if (is_asm) {
			if (!in_table)
				continue;
			if (!have_group) {
				group_open(&g);
				have_group = 1;
			}
			group_add(&g, &l);
			continue;
		}
		if (starts(&l, "## ") || starts(&l, "# ") || starts(&l, ": ") ||
		    starts(&l, "### ") || !l.len) {
			if (in_table)
				fputs("</table>\n", stdout);
			if (in_fn && !starts(&l, "#   "))
				fputs("</details></article>\n", stdout);
			in_table = 0;
			if (!starts(&l, "#   "))
				in_fn = 0;
		}
		if (starts(&l, "## ")) {
			fn++;
			printf("<article class=\"fn\" id=\"%s-f%zu\"><details%s>"
			       "<summary><h3>", v->id, fn,
			       fn <= OPEN_FUNCTIONS ? " open" : "");
			put_escaped(l.s + 3, l.len - 3);
			fputs("</h3></summary>\n", stdout);
			in_fn = 1;
		} else if (starts(&l, "#   ") && in_fn && !in_table) {
			fputs("<p class=\"callers\">", stdout);
			put_escaped(l.s + 4, l.len - 4);
			fputs("</p>\n", stdout);
		} else if (l.len && (l.s[0] == '#' || l.s[0] == ':')) {
			fputs("<p class=\"note\">", stdout);
			put_escaped(l.s, l.len);
			fputs("</p>\n", stdout);
		} else if (l.len && in_fn && !parse_row(&l, &r)) {
			if (!in_table) {
				fputs("<table class=\"src\"><thead><tr><th>self</th>"
				      "<th>total</th><th>source</th><th></th></tr>"
				      "</thead>\n", stdout);
				in_table = 1;
			}
			if (l.s[0] == TAG_LABEL)
				r.share = r.share_end = r.text;	/* none */
			put_row(&r, max, l.s[0] == TAG_LABEL);
		}
	}
	if (have_group)
		group_flush(&g);
	if (in_table)
		fputs("</table>\n", stdout);
	if (in_fn)
		fputs("</details></article>\n", stdout);
	fputs("</section>\n", stdout);
}

static const char style[] =
	"body{font:14px/1.35 system-ui,sans-serif;margin:0 1.5em 3em;color:#222}\n"
	"h1{font-size:1.4em;margin:.8em 0 .2em}h2{font-size:1.15em}\n"
	"h3{display:inline;font:600 13px ui-monospace,monospace}\n"
	".cmd{font-family:ui-monospace,monospace;color:#555;margin:0 0 .6em}\n"
	".bar{display:flex;height:14px;max-width:60em;border:1px solid #999}\n"
	".bar span{display:block;height:100%}\n"
	".k-jit{background:#e64600}.k-native{background:#4a7fb5}"
	".k-kernel{background:#8a8a8a}.k-unknown{background:#d9c24a}\n"
	".legend span{display:inline-block;width:.8em;height:.8em;margin:0 .3em 0 .8em}\n"
	"pre{font:12px/1.3 ui-monospace,monospace;margin:0;tab-size:8}\n"
	"pre.summary{background:#f6f6f6;padding:.6em;overflow-x:auto}\n"
	"nav.select{margin:1em 0}\n"
	".toc ol{font:12px ui-monospace,monospace;columns:1;padding-left:2em}\n"
	"article.fn{margin:1.2em 0;border-top:1px solid #ccc;padding-top:.4em}\n"
	"summary{cursor:pointer}\n"
	".callers{margin:.2em 0 .4em 1.2em;color:#555;font-size:12px}\n"
	"table.src{border-collapse:collapse;font:12px/1.3 ui-monospace,monospace}\n"
	"table.src th{font-weight:normal;color:#777;text-align:right;padding:0 .6em}\n"
	"table.src td{padding:0 .6em;white-space:pre;vertical-align:top;tab-size:8}\n"
	"td.self,td.total{text-align:right;color:#333}\n"
	"td.total{color:#777}td.marks{color:#8a3b00}\n"
	"tr.label td.code{color:#777;font-style:italic}\n"
	"tr.asm summary{color:#777;font-size:11px}\n"
	".verdict{color:#225;background:#eef;padding:0 .3em}\n"
	"tr.asm pre{color:#333;background:#fafafa;padding:.3em 0}\n"
	".note{color:#555;font:12px ui-monospace,monospace;margin:.3em 0}\n";

/* Views by the selector and #ID in the address: no other script. */
static const char script[] =
	"(function(){\n"
	"var sel=document.getElementById('view');\n"
	"function show(id){var vs=document.querySelectorAll('section.view');\n"
	" var found=false;for(var i=0;i<vs.length;i++)if(vs[i].id===id)found=true;\n"
	" if(!found)return;for(i=0;i<vs.length;i++)vs[i].hidden=vs[i].id!==id;\n"
	" if(sel)sel.value=id;}\n"
	"if(sel)sel.addEventListener('change',function(){show(sel.value);\n"
	" history.replaceState(null,'','#'+sel.value);});\n"
	"var h=location.hash.slice(1);if(h)show(h.split('-f')[0]);\n"
	"})();\n";

static void put_bar(const struct html_report *r)
{
	static const char *const kinds[] = { "jit", "native", "kernel",
					     "unknown" };
	static const char *const names[] = { "JIT code", "native code",
					     "kernel", "unknown" };
	uint64_t n[4] = { r->jit, r->native, r->kernel, r->unknown };
	size_t i;

	if (!r->samples)
		return;
	fputs("<div class=\"bar\">", stdout);
	for (i = 0; i < 4; i++)
		if (n[i])
			printf("<span class=\"k-%s\" style=\"width:%.2f%%\" "
			       "title=\"%s %.1f%%\"></span>", kinds[i],
			       100.0 * (double)n[i] / (double)r->samples,
			       names[i],
			       100.0 * (double)n[i] / (double)r->samples);
	fputs("</div>\n<p class=\"legend\">", stdout);
	for (i = 0; i < 4; i++)
		printf("<span class=\"k-%s\"></span>%s %.1f%%", kinds[i],
		       names[i], 100.0 * (double)n[i] / (double)r->samples);
	fputs("</p>\n", stdout);
}

void html_write(const struct html_report *r)
{
	size_t i;

	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	      "<meta name=\"viewport\" content=\"width=device-width\">\n"
	      "<meta name=\"generator\" content=\"pf-annotate " PF_VERSION
	      "\">\n<title>pf: ", stdout);
	put_escaped_str(r->command ? r->command : "profile");
	printf("</title>\n<style>\n%s</style></head>\n<body>\n"
	       "<header><h1>pf profile</h1>\n", style);
	if (r->command) {
		fputs("<p class=\"cmd\">", stdout);
		put_escaped_str(r->command);
		fputs("</p>\n", stdout);
	}
	put_bar(r);
	fputs("<pre class=\"summary\">", stdout);
	put_escaped(r->summary, r->summary_len);
	fputs("</pre></header>\n", stdout);
	if (r->views_nr > 1) {
		fputs("<nav class=\"select\"><label>Listing of <select "
		      "id=\"view\">\n", stdout);
		for (i = 0; i < r->views_nr; i++) {
			printf("<option value=\"%s\">", r->views[i].id);
			put_escaped_str(r->views[i].title);
			fputs("</option>\n", stdout);
		}
		fputs("</select></label></nav>\n", stdout);
	}
	for (i = 0; i < r->views_nr; i++)
		put_view(&r->views[i], i > 0);
	printf("<script>\n%s</script>\n</body></html>\n", script);
}
