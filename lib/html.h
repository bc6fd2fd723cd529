/*
 * html.h - one standalone HTML page: inline CSS, tables and SVG charts.
 *
 * The page needs nothing from outside: the style sheet is inline, the
 * charts are inline SVG drawn here, there is no script, and a
 * Content-Security-Policy meta tag forbids every fetch, so a report mailed
 * or archived looks the same offline and cannot call home.  It prints on
 * paper (@media print: no backgrounds lost, no section split over a page).
 *
 * Every string given to these functions is data and is escaped (& < > " ')
 * wherever it lands, text or attribute; nothing here takes markup.
 *
 * Charts take plain arrays: labels (borrowed, only read during the call),
 * values, and color indices into a fixed palette (html_color), so the same
 * tier keeps the same color in every chart of a page.
 *
 * Writes go to a FILE the caller owns and checks for errors at the end.
 */
#ifndef CS_HTML_H
#define CS_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "table.h"

/* How many colors the palette has; a color index is taken modulo this. */
enum { HTML_COLORS = 8, HTML_GREY = HTML_COLORS - 1 };

/* The palette color i ("#rrggbb"), i modulo HTML_COLORS; the last is a neutral grey. */
const char *html_color(size_t i);

/* Write s escaped for HTML text and attribute values. */
void html_escape(FILE *out, const char *s);

/* Start the page: doctype, head (title, style, CSP), body, a header with title and subtitle. */
void html_begin(FILE *out, const char *title, const char *subtitle);
/* End the page (closes what html_begin opened). */
void html_end(FILE *out);

/* A section with an id (used as an anchor; must be [a-z-]) and a heading. */
void html_section_begin(FILE *out, const char *id, const char *title);
void html_section_end(FILE *out);
/* A paragraph of text; cls (a literal class name, or NULL) styles it ("note"). */
void html_paragraph(FILE *out, const char *cls, const char *text);
/* A smaller heading inside a section. */
void html_subheading(FILE *out, const char *text);

/* A row of summary figures: open, add (label and value), close. */
void html_stats_begin(FILE *out);
void html_stat(FILE *out, const char *label, const char *value);
void html_stats_end(FILE *out);

/* A row of charts side by side (wrapping on narrow pages and paper). */
void html_charts_begin(FILE *out);
void html_charts_end(FILE *out);

/* t as an HTML table; bar columns become CSS bars. */
void html_table(FILE *out, const struct table *t);

/*
 * A donut chart of n parts with a legend giving each label, value (as
 * value_labels[i], or the number when value_labels is NULL) and share.
 * colors[i] is the palette index of part i.  Parts of 0 are left out.
 */
void html_chart_pie(FILE *out, const char *title, size_t n, const char *const *labels,
                    const double *values, const char *const *value_labels, const size_t *colors);

/*
 * Horizontal bars: one group per category, one bar per series within it
 * (values[cat * nseries + s]), scaled to the largest value.  With percent,
 * values are fractions shown as "42.1%"; else numbers, with unit appended
 * (may be NULL).  With stacked, each category is one bar with its series
 * stacked in it.  Series s has palette color colors[s] (colors NULL: s).
 */
void html_chart_bars(FILE *out, const char *title, size_t ncats, const char *const *categories,
                     size_t nseries, const char *const *series, const size_t *colors,
                     const double *values, bool percent, const char *unit, bool stacked);

/*
 * 100% bars: one bar per row (labels rows[i]), split into nparts parts
 * (values[row * nparts + p], each row scaled to its own sum), part p drawn
 * in palette color colors[p] and named parts[p] in the legend.  For "share
 * of clients" against "share of revenue" by tier.
 */
void html_chart_shares(FILE *out, const char *title, size_t nrows, const char *const *rows,
                       size_t nparts, const char *const *parts, const double *values,
                       const size_t *colors);

#endif
