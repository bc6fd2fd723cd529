/*
 * report_render_int.h - what the files of the report's text, Markdown and
 * HTML share: the renderer table (struct renderer), the output it draws on
 * (struct out), and the formatting of figures, so that every section writes
 * its numbers the same way.  Private to report_render.c (the renderers, the
 * page and the sections of the book) and the sections in files of their own,
 * report_render_capacity.c and report_render_delivery.c; nothing above them
 * sees these.
 *
 * A section is a function of (struct out *, const struct report_view *)
 * that draws through o->rd and never asks which format it writes.
 */
#ifndef CS_REPORT_RENDER_INT_H
#define CS_REPORT_RENDER_INT_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "html.h"
#include "report_render.h"
#include "table.h"

struct out;

/* Draws a section's charts from the view (HTML). */
typedef void chart_fn(FILE *f, const struct report_view *v);

/* struct renderer - how one output draws each part of the report. */
struct renderer {
	/* The report's title and the line under it; HTML adds the summary figures of v. */
	void (*begin)(struct out *o, const char *title, const char *subtitle,
	              const struct report_view *v);
	void (*end)(struct out *o);
	void (*section_begin)(struct out *o, const char *id, const char *title);
	void (*section_end)(struct out *o);
	/* A section's main table t, its key sentence lead (may be "") and charts. */
	void (*figure)(struct out *o, const char *lead, chart_fn *charts,
	               const struct report_view *v, const struct table *t);
	void (*table)(struct out *o, const struct table *t);
	/* A paragraph; nothing when text is "". */
	void (*note)(struct out *o, const char *text);
	/* Head what follows with text; returns the title a table under it still needs, or NULL. */
	const char *(*subheading)(struct out *o, const char *text);
};

/* struct out - where the report is drawn, and how: its renderer and its stream (borrowed). */
struct out {
	const struct renderer *rd;
	FILE *f;
	size_t width; /* text: display columns */
	bool ascii;   /* text: ASCII rules and bars */
	/* No title: the sections only (text, Markdown). */
	bool untitled;
};

/*
 * ---- formatting --------------------------------------------------------- *
 *
 * Each writes into buf and returns it, so a call can stand as an argument.
 */

/* A share as a percentage with one decimal ("12.5%"); "-" when there is none (NaN). */
static inline char *
pct(double fraction, char buf[48])
{
	if (isnan(fraction))
		strcpy(buf, "-");
	else
		snprintf(buf, 48, "%.1f%%", fraction * 100);
	return buf;
}

/* A number with decimals decimals, grouped as table_number does. */
static inline char *
num(double v, int decimals, char buf[48])
{
	return table_number(v, decimals, buf);
}

/* A count. */
static inline char *
count(long long n, char buf[48])
{
	return table_number((double)n, 0, buf);
}

/* Hours: whole above 100, else one decimal. */
static inline char *
hours_text(double h, char buf[48])
{
	return table_number(h, fabs(h) >= 100 ? 0 : 1, buf);
}

/* A table row's first cell: its tier's label, or "total" for the total row (no key). */
static inline const char *
row_label(const struct report_key *key)
{
	return key ? key->label : "total";
}

/* The chart colour of a tier: the model's in order, others after them, no tier grey. */
static inline size_t
key_color(const struct report_view *v, const struct report_key *key)
{
	if (key->none)
		return HTML_GREY;
	if (key->index < v->ntiers)
		return key->index % (HTML_COLORS - 1);
	return (v->ntiers + key->index) % (HTML_COLORS - 1);
}

/* ---- drawing ------------------------------------------------------------ */

/* Write t, which is stolen (freed). */
static inline void
put_table(struct out *o, struct table *t)
{
	o->rd->table(o, t);
	table_free(t);
}

/* Write a figure: its key sentence lead, its charts and its table t, which is stolen. */
static inline void
put_figure(struct out *o, const char *lead, chart_fn *charts, const struct report_view *v,
           struct table *t)
{
	o->rd->figure(o, lead, charts, v, t);
	table_free(t);
}

/* ---- the sections in files of their own ---------------------------------- */

/* The capacity section of v (report_render_capacity.c). */
void report_render_capacity(struct out *o, const struct report_view *v);

/* The delivery section of v, with every review not delivered (report_render_delivery.c). */
void report_render_delivery(struct out *o, const struct report_view *v);

#endif
