/*
 * report_render_capacity.c - the report's capacity section as text,
 * Markdown or HTML: per person, the planned hours a year against the hours
 * that person has, with a bar, the people over capacity named in the key
 * sentence and the team's capacity in clients of the first tier and in the
 * size of book that fits.  The figures are report_capacity.c's, in the view;
 * how each part looks is the renderer's (report_render_int.h).
 */
#include <math.h>
#include <stdlib.h>

#include "report_render_int.h"

static const char *
capacity_name(const struct report_capacity_row *cr)
{
	return !cr->member ? "total" : *cr->member ? cr->member : "(no owner)";
}

static void
capacity_cells(struct table *t, size_t row, const struct report_capacity_row *cr)
{
	enum { MEMBER, WEEK, CAPACITY, PLANNED, LOAD, BAR, STATUS };
	char b[48];
	table_set(t, row, MEMBER, capacity_name(cr));
	table_set(t, row, WEEK, cr->has_capacity ? num(cr->per_week, 2, b) : "-");
	table_set(t, row, CAPACITY, cr->has_capacity ? hours_text(cr->capacity, b) : "-");
	table_set(t, row, PLANNED, hours_text(cr->hours, b));
	table_set(t, row, LOAD, pct(cr->load, b));
	if (cr->member) /* over a capacity of 0 (no share to show) is a full bar too */
		table_set_bar(t, row, BAR, cr->over > 0 ? 1 : cr->load);
	if (cr->over > 0)
		table_setf(t, row, STATUS, "over by %s h", hours_text(cr->over, b));
	else if (!cr->has_capacity)
		table_set(t, row, STATUS, "no capacity");
}

static struct table *
capacity_table(const struct report_capacity *c)
{
	struct table *t = table_new(NULL);
	table_add_column(t, "member", TABLE_LEFT);
	table_add_column(t, "h/week", TABLE_RIGHT);
	table_add_column(t, "capacity", TABLE_RIGHT);
	table_add_column(t, "planned h", TABLE_RIGHT);
	table_add_column(t, "% used", TABLE_RIGHT);
	table_add_bar(t, "of capacity");
	table_add_column(t, "status", TABLE_LEFT);
	for (size_t i = 0; i < c->nrows; i++)
		capacity_cells(t, table_add_row(t), &c->rows[i]);
	size_t row = table_add_row(t);
	table_set_total(t, row);
	capacity_cells(t, row, &c->total);
	return t;
}

static void
capacity_charts(FILE *f, const struct report_view *v)
{
	const struct report_capacity *c = &v->capacity;
	const char **names = xcalloc(c->nrows + 1, sizeof *names);
	double *hours = xcalloc(2 * c->nrows + 1, sizeof *hours);
	size_t n = 0; /* the team: the others have no capacity to draw */
	for (size_t i = 0; i < c->nrows; i++)
		if (c->rows[i].has_capacity) {
			names[n] = capacity_name(&c->rows[i]);
			hours[n * 2] = c->rows[i].hours;
			hours[n++ * 2 + 1] = c->rows[i].capacity;
		}
	static const char *const series[] = {"planned hours a year", "capacity"};
	static const size_t colors[] = {4, 1};
	html_chart_bars(f, "Planned hours a year against capacity", n, names, 2, series, colors,
	                hours, false, " h", false);
	free(names);
	free(hours);
}

/* Who is over capacity, and who acts without one: the section's key sentence. */
static void
capacity_lead(struct buf *b, const struct report_capacity *c)
{
	char h[48];
	for (size_t i = 0, n = 0; i < c->nrows; i++)
		if (c->rows[i].over > 0)
			buf_printf(b, "%s%s (%s h a year over)",
			           n++ ? ", " : "Over capacity: ", capacity_name(&c->rows[i]),
			           hours_text(c->rows[i].over, h));
	buf_puts(b, c->nover ? "." : "Everyone in the team is within capacity.");
	for (size_t i = 0, n = 0; i < c->nrows; i++)
		if (!c->rows[i].has_capacity)
			buf_printf(b, "%s%s",
			           n++ ? ", " : " No capacity given (not in the model's team): ",
			           capacity_name(&c->rows[i]));
	if (c->nmissing)
		buf_putc(b, '.');
}

/* The team as a whole: clients of the first tier it serves, and the book size that fits. */
static void
capacity_pooled(struct buf *b, const struct report_view *v)
{
	const struct report_capacity *c = &v->capacity;
	char x[48], y[48], z[48];
	if (!isnan(c->top_clients))
		buf_printf(
		    b,
		    "The team's %s hours a year would serve %s clients of %s at the model's %s "
		    "hours a year each.",
		    hours_text(c->total.capacity, x), num(c->top_clients, 0, y), v->top_prose,
		    hours_text(c->top_hours, z));
	if (!isnan(c->fit_records))
		buf_printf(b,
		           "%sAt the book's tier mix (%s planned hours a year for each of its %s "
		           "records in the model's tiers), the team's capacity holds a book of up "
		           "to %s such records; past that, the model stops fitting.",
		           b->len ? " " : "", hours_text(c->hours_per_record, x),
		           count(c->records, y), num(c->fit_records, 0, z));
}

void
report_render_capacity(struct out *o, const struct report_view *v)
{
	const struct report_capacity *c = &v->capacity;
	o->rd->section_begin(o, "capacity", "Capacity");
	if (!c->team) {
		o->rd->note(o, c->hint);
		o->rd->section_end(o);
		return;
	}
	struct buf b = {0};
	capacity_lead(&b, c);
	put_figure(o, buf_str(&b), capacity_charts, v, capacity_table(c));
	buf_reset(&b);
	capacity_pooled(&b, v);
	o->rd->note(o, buf_str(&b));
	buf_reset(&b);
	buf_printf(&b,
	           "Capacity: the model's team, hours a week for touches, times %d working "
	           "weeks. Planned hours a year: each touch's times a year (less those a "
	           "touch that satisfies it covers) times its minutes, for whoever delivers "
	           "it (\"by\", else the client's owner). The total holds everyone's planned "
	           "hours against the team's capacity.",
	           c->weeks);
	o->rd->note(o, buf_str(&b));
	buf_free(&b);
	o->rd->section_end(o);
}
