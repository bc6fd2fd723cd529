/*
 * report_render_delivery.c - the report's delivery section as text,
 * Markdown or HTML: per tier and touch, the occurrences planned in the 12
 * months before today against those logged done and declined, and every
 * client whose review was not delivered, never cut (the list is the proof
 * an adviser is asked for).  The figures are report_delivery.c's, in the
 * view; how each part looks is the renderer's (report_render_int.h).
 */
#include <math.h>
#include <stdlib.h>

#include "report_render_int.h"

static void
delivery_cells(struct table *t, size_t row, const struct report_delivery_row *dr)
{
	enum { TIER, TOUCH, PLANNED, DONE, DECLINED, SHARE, BAR };
	char b[48];
	table_set(t, row, TIER, row_label(dr->key));
	if (dr->touch) {
		struct buf touch = {0};
		buf_printf(&touch, "%s%s", dr->touch, dr->review ? " (review)" : "");
		table_set(t, row, TOUCH, buf_str(&touch));
		buf_free(&touch);
	}
	table_set(t, row, PLANNED, count(dr->planned, b));
	table_set(t, row, DONE, count(dr->done, b));
	table_set(t, row, DECLINED, count(dr->declined, b));
	table_set(t, row, SHARE, pct(dr->share, b));
	/* No bar where nothing was planned; more done than planned is a full bar. */
	if (dr->key && !isnan(dr->share))
		table_set_bar(t, row, BAR, dr->share > 1 ? 1 : dr->share);
}

static struct table *
delivery_table(const struct report_delivery *d)
{
	struct table *t = table_new(NULL);
	table_add_column(t, "tier", TABLE_LEFT);
	table_add_column(t, "touch", TABLE_LEFT);
	table_add_column(t, "planned", TABLE_RIGHT);
	table_add_column(t, "done", TABLE_RIGHT);
	table_add_column(t, "declined", TABLE_RIGHT);
	table_add_column(t, "% done", TABLE_RIGHT);
	table_add_bar(t, "");
	for (size_t i = 0; i < d->nrows; i++)
		delivery_cells(t, table_add_row(t), &d->rows[i]);
	size_t row = table_add_row(t);
	table_set_total(t, row);
	delivery_cells(t, row, &d->total);
	return t;
}

static void
delivery_charts(FILE *f, const struct report_view *v)
{
	const struct report_delivery *d = &v->delivery;
	const char **labels = xcalloc(d->nrows + 1, sizeof *labels);
	char **owned = xcalloc(d->nrows + 1, sizeof *owned);
	double *values = xcalloc(2 * d->nrows + 1, sizeof *values);
	for (size_t i = 0; i < d->nrows; i++) {
		struct buf label = {0};
		buf_printf(&label, "%s %s", d->rows[i].key->name, d->rows[i].touch);
		owned[i] = xstrdup(buf_str(&label));
		buf_free(&label);
		labels[i] = owned[i];
		values[i * 2] = (double)d->rows[i].planned;
		values[i * 2 + 1] = (double)d->rows[i].done;
	}
	static const char *const series[] = {"planned", "done"};
	static const size_t colors[] = {4, 1};
	html_chart_bars(f, "Touches planned and done in the last 12 months", d->nrows, labels, 2,
	                series, colors, values, false, NULL, false);
	for (size_t i = 0; i < d->nrows; i++)
		free(owned[i]);
	free(owned);
	free(labels);
	free(values);
}

static const char *
date_or(bool has, struct date d, const char *none, char buf[16])
{
	return has ? date_format(d, buf) : none;
}

/* The reviews not delivered, every one of them. */
static void
render_undelivered(struct out *o, const struct report_delivery *d)
{
	char b[48];
	struct buf title = {0};
	buf_printf(&title, "Reviews not delivered (%s client%s)",
	           count((long long)d->nundelivered, b), d->nundelivered == 1 ? "" : "s");
	const char *caption = o->rd->subheading(o, buf_str(&title));
	if (d->nundelivered == 0) {
		o->rd->note(o, "Every client of the whole period had each review done.");
		buf_free(&title);
		return;
	}
	struct table *t = table_new(caption);
	static const char *const cols[] = {"client", "id",        "owner",   "tier",
	                                   "touch",  "last done", "declined"};
	for (size_t c = 0; c < sizeof cols / sizeof *cols; c++)
		table_add_column(t, cols[c], TABLE_LEFT);
	for (size_t i = 0; i < d->nundelivered; i++) {
		const struct report_undelivered *u = d->undelivered[i];
		size_t row = table_add_row(t);
		char last[16], declined[16];
		table_set(t, row, 0, *u->name ? u->name : u->id);
		table_set(t, row, 1, u->id);
		table_set(t, row, 2, u->owner);
		table_set(t, row, 3, u->tier);
		table_set(t, row, 4, u->touch);
		table_set(t, row, 5, date_or(u->has_last_done, u->last_done, "never", last));
		table_set(t, row, 6, date_or(u->has_declined, u->declined, "", declined));
	}
	put_table(o, t);
	buf_free(&title);
}

void
report_render_delivery(struct out *o, const struct report_view *v)
{
	const struct report_delivery *d = &v->delivery;
	o->rd->section_begin(o, "delivery", "Delivery");
	char lead[256] = "", from[16], to[16], a[48];
	if (d->total.planned)
		snprintf(
		    lead, sizeof lead, "From %s to %s, %s of the planned touches were logged done.",
		    date_format(d->first, from), date_format(d->last, to), pct(d->total.share, a));
	put_figure(o, lead, delivery_charts, v, delivery_table(d));
	o->rd->note(o,
	            "Planned: per client, the times each touch's interval fits into the 12 months "
	            "before today (or the part since the client's since date), one for a dated "
	            "touch whose day fell in them, less the touches that satisfy it. Done: touch "
	            "log entries in those months with outcome done (or none); declined counted "
	            "apart; no-answer, scheduled and snoozed are not done.");
	o->rd->note(o, "A review: a recurring touch of a year or less on the channel meeting, or "
	               "named with \"review\", that no other touch satisfies. Listed: clients of "
	               "the whole 12 months (since empty or before them) with no done entry of it "
	               "in them.");
	render_undelivered(o, d);
	o->rd->section_end(o);
}
