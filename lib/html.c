/*
 * html.c - a standalone HTML page with inline CSS and SVG charts.
 *
 * The charts are drawn by hand in SVG rather than by a library or a script:
 * a donut, horizontal bars and 100% bars are a few dozen lines each, and
 * hand-drawn SVG keeps the page self-contained, scriptless and printable.
 * Every chart has a fixed viewBox and scales to its box with CSS, so the
 * geometry below is in viewBox units, not pixels.
 *
 * One escaper (html_escape) serves text and attributes alike, escaping the
 * five characters that matter in either; labels reach the SVG only through
 * it.  Colors and sizes are produced here, never taken from data.
 */
#include "html.h"

#include <math.h>
#include <string.h>

#include "utf8.h"

#define PI 3.14159265358979323846

static const char *const palette[HTML_COLORS] = {
    "#2f5fd0",                                             /* A: blue */
    "#2e9e6b",                                             /* B: green */
    "#e0a526",                                             /* C: amber */
    "#c2456d", "#7a52c7", "#1d9bb2", "#a0643a", "#9aa3ad", /* grey: no tier, other */
};

const char *
html_color(size_t i)
{
	return palette[i % HTML_COLORS];
}

void
html_escape(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&#39;", out);
			break;
		default:
			fputc(*s, out);
		}
	}
}

static const char style[] =
    ":root{--fg:#1d2430;--muted:#5b6675;--line:#dde2e8;--panel:#fff;--page:#f3f5f8}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;background:var(--page);color:var(--fg);"
    "font:14px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,"
    "sans-serif}\n"
    "main{max-width:1120px;margin:0 auto;padding:24px}\n"
    "header h1{font-size:26px;margin:0 0 2px}\n"
    "header p{margin:0;color:var(--muted)}\n"
    "section{background:var(--panel);border:1px solid var(--line);border-radius:10px;"
    "padding:16px 20px;margin:16px 0}\n"
    "h2{font-size:19px;margin:0 0 12px}\n"
    "h3{font-size:12px;margin:18px 0 6px;color:var(--muted);text-transform:uppercase;"
    "letter-spacing:.05em}\n"
    "p.note{color:var(--muted);margin:8px 0}\n"
    "p.lead{font-size:15px;margin:4px 0 12px}\n"
    ".stats{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:12px;"
    "margin:16px 0}\n"
    ".stat{background:var(--panel);border:1px solid var(--line);"
    "border-radius:10px;padding:10px 14px}\n"
    ".stat b{display:block;font-size:22px;font-variant-numeric:tabular-nums}\n"
    ".stat span{color:var(--muted);font-size:12px}\n"
    ".charts{display:flex;flex-wrap:wrap;gap:20px;margin:4px 0 12px}\n"
    "figure{margin:0;flex:1 1 300px;min-width:0}\n"
    "figcaption{font-weight:600;margin-bottom:6px}\n"
    "figure svg{width:100%;height:auto;display:block}\n"
    "svg text{font:12px system-ui,-apple-system,\"Segoe UI\",Roboto,Arial,sans-serif;"
    "fill:var(--fg)}\n"
    "svg text.in{fill:#fff;font-weight:600}\n"
    "ul.legend{list-style:none;padding:0;margin:6px 0 0;display:flex;flex-wrap:wrap;"
    "gap:4px 14px;font-size:12px}\n"
    "ul.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;"
    "margin-right:5px;vertical-align:-1px}\n"
    ".table{overflow-x:auto}\n"
    "table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums;"
    "margin:4px 0 8px}\n"
    "caption{text-align:left;font-weight:600;padding:6px 0}\n"
    "th,td{padding:4px 8px;border-bottom:1px solid var(--line);text-align:left;"
    "vertical-align:middle}\n"
    "th{font-size:12px;font-weight:600;color:var(--muted);white-space:nowrap}\n"
    ".num{text-align:right;white-space:nowrap}\n"
    "tr.total td{font-weight:600;border-top:2px solid var(--fg)}\n"
    "td.bar{width:22%;min-width:90px}\n"
    "td.bar span{display:block;height:10px;border-radius:2px;background:#2f5fd0}\n"
    "@media print{\n"
    "  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    "  body{background:#fff;font-size:11px}\n"
    "  main{max-width:none;padding:0}\n"
    "  section{border:none;border-top:1px solid #999;border-radius:0;padding:8px 0;"
    "break-inside:avoid}\n"
    "  figure,table,.stats{break-inside:avoid}\n"
    "  .table{overflow:visible}\n"
    "}\n";

void
html_begin(FILE *out, const char *title, const char *subtitle)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'\">\n"
	      "<meta name=\"generator\" content=\"cs-report\">\n<title>",
	      out);
	html_escape(out, title);
	fputs("</title>\n<style>\n", out);
	fputs(style, out);
	fputs("</style>\n</head>\n<body>\n<main>\n<header>\n<h1>", out);
	html_escape(out, title);
	fputs("</h1>\n", out);
	if (subtitle && *subtitle) {
		fputs("<p>", out);
		html_escape(out, subtitle);
		fputs("</p>\n", out);
	}
	fputs("</header>\n", out);
}

void
html_end(FILE *out)
{
	fputs("</main>\n</body>\n</html>\n", out);
}

void
html_section_begin(FILE *out, const char *id, const char *title)
{
	fputs("<section id=\"", out);
	html_escape(out, id);
	fputs("\">\n<h2>", out);
	html_escape(out, title);
	fputs("</h2>\n", out);
}

void
html_section_end(FILE *out)
{
	fputs("</section>\n", out);
}

void
html_paragraph(FILE *out, const char *cls, const char *text)
{
	fputs("<p", out);
	if (cls) {
		fputs(" class=\"", out);
		html_escape(out, cls);
		fputc('"', out);
	}
	fputc('>', out);
	html_escape(out, text);
	fputs("</p>\n", out);
}

void
html_subheading(FILE *out, const char *text)
{
	fputs("<h3>", out);
	html_escape(out, text);
	fputs("</h3>\n", out);
}

void
html_stats_begin(FILE *out)
{
	fputs("<div class=\"stats\">\n", out);
}

void
html_stat(FILE *out, const char *label, const char *value)
{
	fputs("<div class=\"stat\"><b>", out);
	html_escape(out, value);
	fputs("</b><span>", out);
	html_escape(out, label);
	fputs("</span></div>\n", out);
}

void
html_stats_end(FILE *out)
{
	fputs("</div>\n", out);
}

void
html_charts_begin(FILE *out)
{
	fputs("<div class=\"charts\">\n", out);
}

void
html_charts_end(FILE *out)
{
	fputs("</div>\n", out);
}

void
html_table(FILE *out, const struct table *t)
{
	size_t ncols = table_columns(t), nrows = table_rows(t);
	fputs("<div class=\"table\"><table>\n", out);
	if (*table_title(t)) {
		fputs("<caption>", out);
		html_escape(out, table_title(t));
		fputs("</caption>\n", out);
	}
	fputs("<thead><tr>", out);
	for (size_t c = 0; c < ncols; c++) {
		fputs(table_column_align(t, c) == TABLE_RIGHT ? "<th class=\"num\">" : "<th>", out);
		html_escape(out, table_column_title(t, c));
		fputs("</th>", out);
	}
	fputs("</tr></thead>\n<tbody>\n", out);
	for (size_t r = 0; r < nrows; r++) {
		fputs(table_row_is_total(t, r) ? "<tr class=\"total\">" : "<tr>", out);
		for (size_t c = 0; c < ncols; c++) {
			if (table_column_is_bar(t, c)) {
				double f = table_bar(t, r, c);
				if (isnan(f))
					fputs("<td class=\"bar\"></td>", out);
				else
					fprintf(out,
					        "<td class=\"bar\"><span "
					        "style=\"width:%.1f%%\"></span></td>",
					        f * 100);
				continue;
			}
			fputs(table_column_align(t, c) == TABLE_RIGHT ? "<td class=\"num\">"
			                                              : "<td>",
			      out);
			html_escape(out, table_cell(t, r, c));
			fputs("</td>", out);
		}
		fputs("</tr>\n", out);
	}
	fputs("</tbody>\n</table></div>\n", out);
}

/* ---- charts ------------------------------------------------------------ */

/* A figure never drawn larger than its viewBox, so text in it keeps its size. */
static void
figure_begin(FILE *out, const char *title, double w, double h)
{
	fprintf(out, "<figure style=\"max-width:%gpx\">\n<figcaption>", w);
	html_escape(out, title);
	fprintf(out,
	        "</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %g %g\" "
	        "role=\"img\" aria-label=\"",
	        w, h);
	html_escape(out, title);
	fputs("\">\n", out);
}

static void
legend_item(FILE *out, size_t color, const char *label, const char *detail)
{
	fprintf(out, "<li><i style=\"background:%s\"></i>", html_color(color));
	html_escape(out, label);
	if (detail && *detail) {
		fputc(' ', out);
		html_escape(out, detail);
	}
	fputs("</li>\n", out);
}

/* A chart's number: a share as "42.1%", else grouped with unit. */
static char *
chart_number(double v, bool percent, const char *unit, char buf[64])
{
	char num[48];
	if (percent)
		snprintf(buf, 64, "%.1f%%", v * 100);
	else
		snprintf(buf, 64, "%s%s", table_number(v, fabs(v) >= 100 ? 0 : 1, num),
		         unit ? unit : "");
	return buf;
}

void
html_chart_pie(FILE *out, const char *title, size_t n, const char *const *labels,
               const double *values, const char *const *value_labels, const size_t *colors)
{
	const double size = 240, cx = 120, cy = 120, r = 110, hole = 64;
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		if (values[i] > 0)
			sum += values[i];
	figure_begin(out, title, size, size);
	if (sum <= 0) {
		fprintf(out, "<circle cx=\"%g\" cy=\"%g\" r=\"%g\" fill=\"%s\"/>\n", cx, cy, r,
		        html_color(HTML_GREY));
	}
	double angle = -PI / 2;
	for (size_t i = 0; sum > 0 && i < n; i++) {
		if (!(values[i] > 0))
			continue;
		double share = values[i] / sum;
		const char *color = html_color(colors[i]);
		if (share >= 0.99999) {
			fprintf(out, "<circle cx=\"%g\" cy=\"%g\" r=\"%g\" fill=\"%s\"/>\n", cx, cy,
			        r, color);
			break;
		}
		double next = angle + share * 2 * PI;
		double x0 = cx + r * cos(angle), y0 = cy + r * sin(angle);
		double x1 = cx + r * cos(next), y1 = cy + r * sin(next);
		fprintf(out,
		        "<path d=\"M%.2f %.2f L%.2f %.2f A%g %g 0 %d 1 %.2f %.2f Z\" fill=\"%s\" "
		        "stroke=\"#fff\" stroke-width=\"1.5\"><title>",
		        cx, cy, x0, y0, r, r, share > 0.5, x1, y1, color);
		html_escape(out, labels[i]);
		fprintf(out, ": %.1f%%</title></path>\n", share * 100);
		if (share >= 0.06) {
			double mid = (angle + next) / 2, lr = (r + hole) / 2;
			fprintf(out,
			        "<text class=\"in\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\" "
			        "dominant-baseline=\"central\">%.0f%%</text>\n",
			        cx + lr * cos(mid), cy + lr * sin(mid), share * 100);
		}
		angle = next;
	}
	fprintf(out, "<circle cx=\"%g\" cy=\"%g\" r=\"%g\" fill=\"#fff\"/>\n", cx, cy, hole);
	char total[48];
	fprintf(out,
	        "<text x=\"%g\" y=\"%g\" text-anchor=\"middle\" style=\"font-size:22px;"
	        "font-weight:600\">%s</text>\n",
	        cx, cy + 4, table_number(sum, 1, total));
	fprintf(out,
	        "<text x=\"%g\" y=\"%g\" text-anchor=\"middle\" style=\"fill:#5b6675\">"
	        "total</text>\n",
	        cx, cy + 22);
	fputs("</svg>\n<ul class=\"legend\">\n", out);
	for (size_t i = 0; i < n; i++) {
		if (!(values[i] > 0))
			continue;
		char detail[160], num[48];
		snprintf(detail, sizeof detail, "%s (%.1f%%)",
		         value_labels ? value_labels[i] : table_number(values[i], 1, num),
		         values[i] / sum * 100);
		legend_item(out, colors[i], labels[i], detail);
	}
	fputs("</ul>\n</figure>\n", out);
}

/*
 * The width of a chart's label column: at least least, and enough for the
 * widest of labels[0..n) (about 7.8 px a character cell at the page's 14 px
 * font, a wide character two cells) up to most, so that a member named
 * "n@example.com" is not clipped.  The chart grows by what the column
 * gains, so its bars keep their length.
 */
static double
label_width(size_t n, const char *const *labels, double least, double most)
{
	size_t cells = 0;
	for (size_t i = 0; i < n; i++) {
		size_t w = utf8_width(labels[i], strlen(labels[i]));
		if (w > cells)
			cells = w;
	}
	double px = (double)cells * 7.8 + 12;
	return px < least ? least : px > most ? most : px;
}

void
html_chart_bars(FILE *out, const char *title, size_t ncats, const char *const *categories,
                size_t nseries, const char *const *series, const size_t *colors,
                const double *values, bool percent, const char *unit, bool stacked)
{
	const double value_w = 64, bar_h = 16, gap = 10, area = 326;
	const double label_w = label_width(ncats, categories, 110, 320);
	const double width = label_w + area + value_w;
	double max = 0;
	for (size_t c = 0; c < ncats; c++) {
		double sum = 0;
		for (size_t s = 0; s < nseries; s++) {
			double v = values[c * nseries + s];
			if (!(v > 0))
				continue;
			sum += v;
			if (!stacked && v > max)
				max = v;
		}
		if (stacked && sum > max)
			max = sum;
	}
	if (max <= 0)
		max = 1;
	double row_h = stacked ? bar_h : bar_h * (double)nseries;
	double height = (double)ncats * (row_h + gap) + gap;
	if (ncats == 0)
		height = 30;
	figure_begin(out, title, width, height);
	double y = gap;
	char num[64];
	for (size_t c = 0; c < ncats; c++) {
		fprintf(out,
		        "<text x=\"%g\" y=\"%.1f\" text-anchor=\"end\" "
		        "dominant-baseline=\"central\">",
		        label_w - 8, y + row_h / 2);
		html_escape(out, categories[c]);
		fputs("</text>\n", out);
		double x = label_w, sum = 0;
		for (size_t s = 0; s < nseries; s++) {
			double v = values[c * nseries + s];
			double len = v > 0 ? v / max * area : 0;
			double by = stacked ? y : y + bar_h * (double)s;
			if (len > 0) {
				fprintf(out,
				        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%g\" "
				        "fill=\"%s\"><title>",
				        x, by + 1, len, bar_h - 2,
				        html_color(colors ? colors[s] : s));
				html_escape(out, series[s]);
				fprintf(out, ": %s</title></rect>\n",
				        chart_number(v, percent, unit, num));
			}
			if (stacked) {
				x += len;
				sum += v > 0 ? v : 0;
			} else {
				fprintf(out,
				        "<text x=\"%.1f\" y=\"%.1f\" "
				        "dominant-baseline=\"central\">%s</text>\n",
				        x + len + 4, by + bar_h / 2,
				        chart_number(v > 0 ? v : 0, percent, unit, num));
			}
		}
		if (stacked)
			fprintf(
			    out,
			    "<text x=\"%.1f\" y=\"%.1f\" dominant-baseline=\"central\">%s</text>\n",
			    x + 4, y + bar_h / 2, chart_number(sum, percent, unit, num));
		y += row_h + gap;
	}
	fprintf(out, "<line x1=\"%g\" y1=\"%g\" x2=\"%g\" y2=\"%.1f\" stroke=\"#9aa3ad\"/>\n",
	        label_w, gap / 2, label_w, height - gap / 2);
	fputs("</svg>\n", out);
	if (nseries > 1) {
		fputs("<ul class=\"legend\">\n", out);
		for (size_t s = 0; s < nseries; s++)
			legend_item(out, colors ? colors[s] : s, series[s], NULL);
		fputs("</ul>\n", out);
	}
	fputs("</figure>\n", out);
}

void
html_chart_shares(FILE *out, const char *title, size_t nrows, const char *const *rows,
                  size_t nparts, const char *const *parts, const double *values,
                  const size_t *colors)
{
	const double bar_h = 30, gap = 12, area = 410;
	const double label_w = label_width(nrows, rows, 80, 320);
	const double width = label_w + area + 10;
	double height = (double)nrows * (bar_h + gap) + gap;
	figure_begin(out, title, width, height);
	double y = gap;
	for (size_t r = 0; r < nrows; r++) {
		double sum = 0;
		for (size_t p = 0; p < nparts; p++)
			if (values[r * nparts + p] > 0)
				sum += values[r * nparts + p];
		fprintf(out,
		        "<text x=\"%g\" y=\"%.1f\" text-anchor=\"end\" "
		        "dominant-baseline=\"central\">",
		        label_w - 8, y + bar_h / 2);
		html_escape(out, rows[r]);
		fputs("</text>\n", out);
		if (sum <= 0)
			fprintf(out,
			        "<rect x=\"%g\" y=\"%.1f\" width=\"%.1f\" height=\"%g\" "
			        "fill=\"%s\"/>\n",
			        label_w, y, area, bar_h, "#eef0f3");
		double x = label_w;
		for (size_t p = 0; sum > 0 && p < nparts; p++) {
			double v = values[r * nparts + p];
			if (!(v > 0))
				continue;
			double share = v / sum, len = share * area;
			fprintf(
			    out,
			    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%g\" fill=\"%s\" "
			    "stroke=\"#fff\" stroke-width=\"1\"><title>",
			    x, y, len, bar_h, html_color(colors[p]));
			html_escape(out, parts[p]);
			fprintf(out, ": %.1f%%</title></rect>\n", share * 100);
			if (len >= 34)
				fprintf(out,
				        "<text class=\"in\" x=\"%.1f\" y=\"%.1f\" "
				        "text-anchor=\"middle\" "
				        "dominant-baseline=\"central\">%.0f%%</text>\n",
				        x + len / 2, y + bar_h / 2, share * 100);
			x += len;
		}
		y += bar_h + gap;
	}
	fputs("</svg>\n<ul class=\"legend\">\n", out);
	for (size_t p = 0; p < nparts; p++)
		legend_item(out, colors[p], parts[p], NULL);
	fputs("</ul>\n</figure>\n", out);
}
