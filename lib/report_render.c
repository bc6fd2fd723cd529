/*
 * report_render.c - the report as text, Markdown or HTML, from its view.
 *
 * Each section is written once, in terms of what it shows: a heading, its
 * main table with a key sentence and charts (a "figure"), more tables and
 * notes.  How each of those looks is the business of a renderer, a table of
 * functions, one per output (text, Markdown, HTML), as mandoc has one
 * renderer per output for one parsed tree.  So the sections hold no
 * `switch` on the format, and a new output is a new renderer, not an edit
 * of every section.  The differences that remain are each renderer's own:
 * HTML leads a figure with its key sentence and charts where text and
 * Markdown end it with the sentence and draw no charts, and HTML heads a
 * list with a sub-heading where the others give the table a title.
 *
 * Tables are struct tables (table.h), drawn by table.c and html.c; the
 * figures come formatted from the view as they are, so every format shows
 * the same numbers.  JSON is report_json.c, from the same view.
 *
 * This file holds the three renderers, the page and the sections of the
 * book (tiers, time, team, adherence, data quality); capacity and delivery,
 * which have their own reckoning (report_capacity.c, report_delivery.c),
 * have their own sections too (report_render_capacity.c,
 * report_render_delivery.c).  What they share is report_render_int.h.
 */
#include "report_render_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "table.h"
#include "utf8.h"

/* ---- text --------------------------------------------------------------- */

/* Write text word-wrapped to o->width, indented by two spaces. */
static void
text_wrap(struct out *o, const char *text)
{
	size_t width = o->width > 20 ? o->width - 2 : 18, col = 0;
	const char *p = text;
	fputs("  ", o->f);
	while (*p) {
		size_t wlen = strcspn(p, " ");
		size_t ww = utf8_width(p, wlen);
		if (col && col + 1 + ww > width) {
			fputs("\n  ", o->f);
			col = 0;
		} else if (col) {
			fputc(' ', o->f);
			col++;
		}
		for (size_t i = 0; i < wlen; i++)
			fputc((unsigned char)p[i] < 0x20 ? ' ' : p[i], o->f);
		col += ww;
		p += wlen;
		while (*p == ' ')
			p++;
	}
	fputc('\n', o->f);
}

static void
text_begin(struct out *o, const char *title, const char *subtitle, const struct report_view *v)
{
	(void)v;
	fprintf(o->f, "%s\n", title);
	text_wrap(o, subtitle);
}

static void
nothing(struct out *o)
{
	(void)o;
}

static void
text_section_begin(struct out *o, const char *id, const char *title)
{
	(void)id;
	fprintf(o->f, "\n%s\n", title);
	for (size_t i = utf8_width(title, strlen(title)); i > 0; i--)
		fputc('=', o->f);
	fputc('\n', o->f);
}

static void
text_table(struct out *o, const struct table *t)
{
	fputc('\n', o->f);
	table_write_text(o->f, t, o->width, o->ascii ? TABLE_ASCII : 0);
}

static void
text_note(struct out *o, const char *text)
{
	if (!*text)
		return;
	fputc('\n', o->f);
	text_wrap(o, text);
}

/* Text and Markdown: the table, then its key sentence; no charts. */
static void
plain_figure(struct out *o, const char *lead, chart_fn *charts, const struct report_view *v,
             const struct table *t)
{
	(void)charts;
	(void)v;
	o->rd->table(o, t);
	o->rd->note(o, lead);
}

/* Text and Markdown: no sub-heading; the table under it takes the text as its title. */
static const char *
plain_subheading(struct out *o, const char *text)
{
	(void)o;
	return text;
}

static const struct renderer text_renderer = {
    .begin = text_begin,
    .end = nothing,
    .section_begin = text_section_begin,
    .section_end = nothing,
    .figure = plain_figure,
    .table = text_table,
    .note = text_note,
    .subheading = plain_subheading,
};

/* ---- Markdown ----------------------------------------------------------- */

static void
markdown_begin(struct out *o, const char *title, const char *subtitle, const struct report_view *v)
{
	(void)v;
	fprintf(o->f, "# %s\n\n", title);
	table_markdown_escape(o->f, subtitle);
	fputc('\n', o->f);
}

static void
markdown_section_begin(struct out *o, const char *id, const char *title)
{
	(void)id;
	fputs("\n## ", o->f);
	table_markdown_escape(o->f, title);
	fputc('\n', o->f);
}

static void
markdown_table(struct out *o, const struct table *t)
{
	fputc('\n', o->f);
	table_write_markdown(o->f, t);
}

static void
markdown_note(struct out *o, const char *text)
{
	if (!*text)
		return;
	fputc('\n', o->f);
	table_markdown_escape(o->f, text);
	fputc('\n', o->f);
}

static const struct renderer markdown_renderer = {
    .begin = markdown_begin,
    .end = nothing,
    .section_begin = markdown_section_begin,
    .section_end = nothing,
    .figure = plain_figure,
    .table = markdown_table,
    .note = markdown_note,
    .subheading = plain_subheading,
};

/* ---- HTML --------------------------------------------------------------- */

/* The figures at the top of the page, for the sections shown. */
static void
html_summary(FILE *out, const struct report_view *v)
{
	const struct report_summary *s = &v->summary;
	char b[48], label[160];
	html_stats_begin(out);
	snprintf(label, sizeof label, "record%s (%s client%s, ", v->records == 1 ? "" : "s",
	         count(v->clients, b), v->clients == 1 ? "" : "s");
	snprintf(label + strlen(label), sizeof label - strlen(label), "%s prospect%s)",
	         count(v->prospects, b), v->prospects == 1 ? "" : "s");
	html_stat(out, label, count(v->records, b));
	if (v->sections & REPORT_TIERS) {
		html_stat(out, "revenue a year", num(report_amount(v->revenue), 0, b));
		if (v->ntiers) {
			snprintf(label, sizeof label, "of the revenue from %s", v->top_prose);
			html_stat(out, label, pct(s->top_revenue_share, b));
		}
	}
	if (v->sections & REPORT_TIME)
		html_stat(out, "planned hours a year", hours_text(s->planned_hours, b));
	if (v->sections & REPORT_TEAM) {
		html_stat(out, "touches due in 30 days", count(s->due, b));
		html_stat(out, "overdue touches", count(s->overdue, b));
	}
	if (v->sections & REPORT_ADHERENCE)
		html_stat(out, "clients on schedule", pct(s->on_schedule_share, b));
	if (v->sections & REPORT_DELIVERY)
		html_stat(out, "reviews not delivered",
		          count((long long)v->delivery.nundelivered, b));
	if (v->sections & REPORT_QUALITY)
		html_stat(out, "removal candidates", count(s->removal, b));
	if ((v->sections & REPORT_CAPACITY) && v->capacity.team)
		html_stat(out, "over capacity", count((long long)v->capacity.nover, b));
	html_stats_end(out);
}

static void
html_begin_page(struct out *o, const char *title, const char *subtitle, const struct report_view *v)
{
	html_begin(o->f, title, subtitle);
	html_summary(o->f, v);
}

static void
html_end_page(struct out *o)
{
	html_end(o->f);
}

static void
html_begin_section(struct out *o, const char *id, const char *title)
{
	html_section_begin(o->f, id, title);
}

static void
html_end_section(struct out *o)
{
	html_section_end(o->f);
}

/* HTML: the key sentence first, then the charts, then the table. */
static void
html_figure(struct out *o, const char *lead, chart_fn *charts, const struct report_view *v,
            const struct table *t)
{
	if (*lead)
		html_paragraph(o->f, "lead", lead);
	html_charts_begin(o->f);
	charts(o->f, v);
	html_charts_end(o->f);
	html_table(o->f, t);
}

static void
html_put_table(struct out *o, const struct table *t)
{
	html_table(o->f, t);
}

static void
html_note(struct out *o, const char *text)
{
	if (*text)
		html_paragraph(o->f, "note", text);
}

static const char *
html_put_subheading(struct out *o, const char *text)
{
	html_subheading(o->f, text);
	return NULL;
}

static const struct renderer html_renderer = {
    .begin = html_begin_page,
    .end = html_end_page,
    .section_begin = html_begin_section,
    .section_end = html_end_section,
    .figure = html_figure,
    .table = html_put_table,
    .note = html_note,
    .subheading = html_put_subheading,
};

/* The renderer of each format but JSON. */
static const struct renderer *const renderers[] = {
    [REPORT_TEXT] = &text_renderer,
    [REPORT_MARKDOWN] = &markdown_renderer,
    [REPORT_HTML] = &html_renderer,
};

/* ---- tiers -------------------------------------------------------------- */

static void
tier_cells(struct table *t, size_t row, const struct report_tier_row *tr)
{
	enum { TIER, CLIENTS, PROSPECTS, BOOK, REVENUE, REVSHARE, MEAN, REFS, COI, BAR };
	char b[48];
	table_set(t, row, TIER, row_label(tr->key));
	table_set(t, row, CLIENTS, count(tr->clients, b));
	table_set(t, row, PROSPECTS, count(tr->prospects, b));
	table_set(t, row, BOOK, pct(tr->share, b));
	table_set(t, row, REVENUE, num(report_amount(tr->revenue), 0, b));
	table_set(t, row, REVSHARE, pct(tr->revenue_share, b));
	table_set(t, row, MEAN, isnan(tr->revenue_mean) ? "-" : num(tr->revenue_mean, 0, b));
	table_set(t, row, REFS, count(tr->referrals, b));
	table_set(t, row, COI, count(tr->coi, b));
	if (tr->key)
		table_set_bar(t, row, BAR, tr->revenue_share);
}

static struct table *
tiers_table(const struct report_tier_table *tt, const char *title)
{
	struct table *t = table_new(title);
	table_add_column(t, "tier", TABLE_LEFT);
	table_add_column(t, "clients", TABLE_RIGHT);
	table_add_column(t, "prosp.", TABLE_RIGHT);
	table_add_column(t, "% book", TABLE_RIGHT);
	table_add_column(t, "revenue", TABLE_RIGHT);
	table_add_column(t, "% rev.", TABLE_RIGHT);
	table_add_column(t, "mean", TABLE_RIGHT);
	table_add_column(t, "refs", TABLE_RIGHT);
	table_add_column(t, "COI", TABLE_RIGHT);
	table_add_bar(t, "");
	for (size_t i = 0; i < tt->nrows; i++)
		tier_cells(t, table_add_row(t), &tt->rows[i]);
	size_t row = table_add_row(t);
	table_set_total(t, row);
	tier_cells(t, row, &tt->total);
	return t;
}

static void
tiers_charts(FILE *f, const struct report_view *v)
{
	const struct report_tier_table *all = &v->tiers.all;
	size_t n = all->nrows;
	const char **labels = xcalloc(n + 1, sizeof *labels);
	double *records = xcalloc(n + 1, sizeof *records);
	double *shares = xcalloc(2 * n + 1, sizeof *shares);
	size_t *colors = xcalloc(n + 1, sizeof *colors);
	for (size_t i = 0; i < n; i++) {
		const struct report_tier_row *row = &all->rows[i];
		labels[i] = row->key->label;
		records[i] = (double)row->records;
		shares[i] = (double)row->clients;
		shares[n + i] = report_amount(row->revenue);
		colors[i] = key_color(v, row->key);
	}
	html_chart_pie(f, "Clients and prospects by tier", n, labels, records, NULL, colors);
	static const char *const rows[] = {"clients", "revenue"};
	html_chart_shares(f, "Share of clients against share of revenue", 2, rows, n, labels,
	                  shares, colors);
	free(labels);
	free(records);
	free(shares);
	free(colors);
}

static void
render_tiers(struct out *o, const struct report_view *v)
{
	const struct report_tiers *tiers = &v->tiers;
	o->rd->section_begin(o, "tiers", "Tiers");
	char note[512] = "", a[48], b[48];
	if (!isnan(tiers->top_client_share))
		snprintf(note, sizeof note, "In %s, %s of the clients bring %s of the revenue.",
		         v->top_prose, pct(tiers->top_client_share, a),
		         pct(tiers->top_revenue_share, b));
	put_figure(o, note, tiers_charts, v, tiers_table(&tiers->all, v->by ? "All" : NULL));
	for (size_t i = 0; i < tiers->ngroups; i++) {
		const char *value = tiers->groups[i].value;
		struct buf title = {0};
		buf_printf(&title, "%s: %s", v->by, *value ? value : "(empty)");
		put_table(o, tiers_table(&tiers->groups[i], buf_str(&title)));
		buf_free(&title);
	}
	o->rd->section_end(o);
}

/* ---- time --------------------------------------------------------------- */

static void
time_cells(struct table *t, size_t row, const struct report_time_row *tr)
{
	enum { TIER, RECORDS, PER_CLIENT, PLANNED, LOGGED, TIME, REVENUE, PER_1K };
	char b[48];
	table_set(t, row, TIER, row_label(tr->key));
	table_set(t, row, RECORDS, count(tr->records, b));
	table_set(t, row, PER_CLIENT,
	          isnan(tr->hours_per_client) ? "-" : hours_text(tr->hours_per_client, b));
	table_set(t, row, PLANNED, hours_text(tr->hours, b));
	table_set(t, row, LOGGED, tr->logged_n ? hours_text(report_amount(tr->logged), b) : "-");
	table_set(t, row, TIME, pct(tr->time_share, b));
	table_set(t, row, REVENUE, pct(tr->revenue_share, b));
	table_set(t, row, PER_1K, isnan(tr->hours_per_1k) ? "-" : num(tr->hours_per_1k, 2, b));
}

static struct table *
time_table(const struct report_time *tm)
{
	struct table *t = table_new(NULL);
	table_add_column(t, "tier", TABLE_LEFT);
	table_add_column(t, "in tier", TABLE_RIGHT);
	table_add_column(t, "h/client", TABLE_RIGHT);
	table_add_column(t, "planned h", TABLE_RIGHT);
	table_add_column(t, "logged h", TABLE_RIGHT);
	table_add_column(t, "% time", TABLE_RIGHT);
	table_add_column(t, "% rev.", TABLE_RIGHT);
	table_add_column(t, "h/1k rev.", TABLE_RIGHT);
	for (size_t i = 0; i < tm->nrows; i++)
		time_cells(t, table_add_row(t), &tm->rows[i]);
	size_t row = table_add_row(t);
	table_set_total(t, row);
	time_cells(t, row, &tm->total);
	return t;
}

static void
time_charts(FILE *f, const struct report_view *v)
{
	size_t nt = v->ntiers;
	const char **labels = xcalloc(nt + 1, sizeof *labels);
	double *shares = xcalloc(nt * 2 + 1, sizeof *shares);
	for (size_t k = 0; k < nt; k++) {
		const struct report_time_row *row = &v->time.rows[k];
		labels[k] = row->key->label;
		shares[k * 2] = isnan(row->time_share) ? 0 : row->time_share;
		shares[k * 2 + 1] = isnan(row->revenue_share) ? 0 : row->revenue_share;
	}
	static const char *const series[] = {"planned time", "revenue"};
	static const size_t colors[] = {4, 1};
	html_chart_bars(f, "Share of planned time against share of revenue", nt, labels, 2, series,
	                colors, shares, true, NULL, false);
	free(labels);
	free(shares);
}

static void
render_time(struct out *o, const struct report_view *v)
{
	o->rd->section_begin(o, "time", "Time");
	char note[512] = "", a[48], b[48];
	if (v->ntiers && v->time.total.hours > 0)
		snprintf(note, sizeof note,
		         "In %s, %s of the planned time goes to %s of the revenue.", v->top_prose,
		         pct(v->time.rows[0].time_share, a), pct(v->time.rows[0].revenue_share, b));
	put_figure(o, note, time_charts, v, time_table(&v->time));
	o->rd->note(o, "Planned hours a year: each client's touches a year times their minutes, "
	               "from the model (a touch without minutes counts none). Logged hours: the "
	               "clients' hours column.");
	o->rd->section_end(o);
}

/* ---- team --------------------------------------------------------------- */

static const char *
member_name(const struct report_team_row *tr)
{
	if (!tr->member)
		return "total";
	return *tr->member ? tr->member : "(no owner)";
}

static void
team_cells(struct table *t, size_t row, const struct report_view *v,
           const struct report_team_row *tr)
{
	const struct report_team *team = &v->team;
	size_t col = 0;
	char b[48];
	table_set(t, row, col++, member_name(tr));
	for (size_t k = 0; k < v->ntiers; k++)
		table_set(t, row, col++, count(tr->clients[k], b));
	if (team->other)
		table_set(t, row, col++, count(tr->other, b));
	table_set(t, row, col++, hours_text(tr->hours, b));
	table_set(t, row, col++, count(tr->due, b));
	table_set(t, row, col++, count(tr->overdue, b));
	if (tr->member)
		table_set_bar(t, row, col, tr->workload);
}

static struct table *
team_table(const struct report_view *v)
{
	const struct report_team *team = &v->team;
	struct table *t = table_new(NULL);
	table_add_column(t, "member", TABLE_LEFT);
	for (size_t k = 0; k < v->ntiers; k++)
		table_add_column(t, v->keys[k].name, TABLE_RIGHT);
	if (team->other)
		table_add_column(t, "other", TABLE_RIGHT);
	table_add_column(t, "planned h", TABLE_RIGHT);
	table_add_column(t, "due 30d", TABLE_RIGHT);
	table_add_column(t, "overdue", TABLE_RIGHT);
	table_add_bar(t, "workload");
	for (size_t i = 0; i < team->nrows; i++)
		team_cells(t, table_add_row(t), v, &team->rows[i]);
	size_t row = table_add_row(t);
	table_set_total(t, row);
	team_cells(t, row, v, &team->total);
	return t;
}

static void
team_charts(FILE *f, const struct report_view *v)
{
	size_t n = v->team.nrows;
	const char **names = xcalloc(n + 1, sizeof *names);
	double *work = xcalloc(2 * n + 1, sizeof *work), *hours = xcalloc(n + 1, sizeof *hours);
	for (size_t i = 0; i < n; i++) {
		const struct report_team_row *row = &v->team.rows[i];
		names[i] = member_name(row);
		work[i * 2] = (double)row->due;
		work[i * 2 + 1] = (double)row->overdue;
		hours[i] = row->hours;
	}
	static const char *const series[] = {"due in 30 days", "overdue"};
	static const size_t colors[] = {0, 3};
	static const char *const hseries[] = {"planned hours a year"};
	static const size_t hcolors[] = {4};
	html_chart_bars(f, "Touches per team member", n, names, 2, series, colors, work, false,
	                NULL, true);
	html_chart_bars(f, "Planned hours a year per team member", n, names, 1, hseries, hcolors,
	                hours, false, " h", false);
	free(names);
	free(work);
	free(hours);
}

static void
render_team(struct out *o, const struct report_view *v)
{
	o->rd->section_begin(o, "team", "Team");
	put_figure(o, "", team_charts, v, team_table(v));
	char day[16], note[512];
	snprintf(
	    note, sizeof note,
	    "Clients by the tier they are in; due 30d: touches due from today to %s; overdue: "
	    "due before today and not done. A touch the model gives to someone (\"by\") counts "
	    "for them, any other for the client's owner.",
	    date_format(v->team.window_end, day));
	o->rd->note(o, note);
	o->rd->section_end(o);
}

/* ---- adherence ---------------------------------------------------------- */

static void
adherence_cells(struct table *t, size_t row, const struct report_adherence *a,
                const struct report_adherence_row *ar)
{
	enum { TIER, CLIENTS, NEVER, ON, SHARE, LATE, BEHIND, DECLINED };
	size_t bar = a->declined ? DECLINED + 1 : DECLINED;
	char b[48];
	table_set(t, row, TIER, row_label(ar->key));
	if (a->declined)
		table_set(t, row, DECLINED, count(ar->declined, b));
	table_set(t, row, CLIENTS, count(ar->records, b));
	table_set(t, row, ON, count(ar->on_schedule, b));
	table_set(t, row, SHARE, pct(ar->share, b));
	table_set(t, row, LATE, count(ar->late, b));
	table_set(t, row, BEHIND, count(ar->behind, b));
	table_set(t, row, NEVER, count(ar->never_contacted, b));
	if (ar->key)
		table_set_bar(t, row, bar, ar->share);
}

static struct table *
adherence_table(const struct report_adherence *a)
{
	struct table *t = table_new(NULL);
	table_add_column(t, "tier", TABLE_LEFT);
	table_add_column(t, "in tier", TABLE_RIGHT);
	table_add_column(t, "never", TABLE_RIGHT);
	table_add_column(t, "on schedule", TABLE_RIGHT);
	table_add_column(t, "share", TABLE_RIGHT);
	table_add_column(t, "late", TABLE_RIGHT);
	table_add_column(t, "overdue", TABLE_RIGHT);
	if (a->declined)
		table_add_column(t, "declined", TABLE_RIGHT);
	table_add_bar(t, "on schedule");
	for (size_t k = 0; k < a->nrows; k++)
		adherence_cells(t, table_add_row(t), a, &a->rows[k]);
	size_t row = table_add_row(t);
	table_set_total(t, row);
	adherence_cells(t, row, a, &a->total);
	return t;
}

static void
adherence_charts(FILE *f, const struct report_view *v)
{
	size_t nt = v->adherence.nrows;
	const char **labels = xcalloc(nt + 1, sizeof *labels);
	double *shares = xcalloc(nt + 1, sizeof *shares);
	for (size_t k = 0; k < nt; k++) {
		labels[k] = v->adherence.rows[k].key->label;
		shares[k] = isnan(v->adherence.rows[k].share) ? 0 : v->adherence.rows[k].share;
	}
	static const char *const series[] = {"on schedule"};
	static const size_t colors[] = {1};
	html_chart_bars(f, "Clients contacted and with every recurring touch on schedule", nt, labels, 1, series,
	                colors, shares, true, NULL, false);
	free(labels);
	free(shares);
}

/* The most overdue clients of the first tier, under a title saying so. */
static void
render_most_overdue(struct out *o, const struct report_view *v)
{
	const struct report_adherence *a = &v->adherence;
	struct buf title = {0};
	buf_printf(&title, "Most overdue clients in %s", v->top_prose);
	const char *caption = o->rd->subheading(o, buf_str(&title));
	if (a->ntop == 0) {
		buf_printf(&title, ": none overdue.");
		o->rd->note(o, buf_str(&title));
		buf_free(&title);
		return;
	}
	struct table *t = table_new(caption);
	table_add_column(t, "client", TABLE_LEFT);
	table_add_column(t, "id", TABLE_LEFT);
	table_add_column(t, "owner", TABLE_LEFT);
	table_add_column(t, "touch", TABLE_LEFT);
	table_add_column(t, "due", TABLE_RIGHT);
	table_add_column(t, "days", TABLE_RIGHT);
	for (size_t i = 0; i < a->ntop; i++) {
		const struct report_overdue *e = &a->top[i];
		size_t row = table_add_row(t);
		char due[16], b[48];
		table_set(t, row, 0, *e->name ? e->name : e->id);
		table_set(t, row, 1, e->id);
		table_set(t, row, 2, e->owner);
		table_set(t, row, 3, e->touch);
		table_set(t, row, 4, date_format(e->due, due));
		table_set(t, row, 5, count(e->days, b));
	}
	put_table(o, t);
	buf_free(&title);
}

static void
render_adherence(struct out *o, const struct report_view *v)
{
	const struct report_adherence *a = &v->adherence;
	o->rd->section_begin(o, "adherence", "Adherence");
	put_figure(o, "", adherence_charts, v, adherence_table(a));
	o->rd->note(o, "Each client in one column: never (contacted: no last_contact and nothing "
	               "done in the touch log), on schedule (no recurring touch past due beyond "
	               "today), late (a touch past due within its grace, none overdue), overdue. "
	               "Due dates come from the touch log, else last_contact.");
	if (a->declined)
		o->rd->note(o,
		            "Declined, apart from the columns before it: clients who declined a "
		            "touch in the 12 months before today (a declined touch counts as done "
		            "for the schedule, so they may be on schedule without being served).");
	if (a->outside) {
		char note[256];
		snprintf(note, sizeof note,
		         "%lld record%s without a tier of the model %s left out; %lld of them %s "
		         "never contacted.",
		         a->outside, a->outside == 1 ? "" : "s", a->outside == 1 ? "is" : "are",
		         a->outside_never, a->outside_never == 1 ? "was" : "were");
		o->rd->note(o, note);
	}
	if (v->ntiers)
		render_most_overdue(o, v);
	o->rd->section_end(o);
}

/* ---- quality ------------------------------------------------------------ */

enum { NGAPS = REPORT_NMISSING + 2 + REPORT_NCONSENT };

/* The gaps the quality table counts: gap i, its row label (in what) and chart name. */
static const struct report_check *
quality_gap(const struct report_quality *q, size_t i, char what[64], const char **name)
{
	if (i < REPORT_NMISSING) {
		snprintf(what, 64, "missing %s", q->missing[i].name);
		*name = q->missing[i].name;
		return &q->missing[i];
	}
	if (i == REPORT_NMISSING) {
		snprintf(what, 64, "clients without a tier");
		*name = "no tier";
		return &q->untiered;
	}
	if (i > REPORT_NMISSING + 1) {
		static const char *const refusals[REPORT_NCONSENT] = {"calls", "email", "post"};
		size_t k = i - REPORT_NMISSING - 2;
		snprintf(what, 64, "refuse %s (%s)", refusals[k], q->refused[k].name);
		*name = q->refused[k].name;
		return &q->refused[k];
	}
	snprintf(what, 64, "tier not in the model");
	*name = "unknown tier";
	return &q->unknown;
}

static struct table *
gaps_table(const struct report_quality *q)
{
	struct table *t = table_new(NULL);
	table_add_column(t, "check", TABLE_LEFT);
	table_add_column(t, "records", TABLE_RIGHT);
	table_add_column(t, "% book", TABLE_RIGHT);
	table_add_bar(t, "share of the book");
	for (size_t i = 0; i < NGAPS; i++) {
		char b[48], what[64];
		const char *name;
		const struct report_check *c = quality_gap(q, i, what, &name);
		size_t row = table_add_row(t);
		table_set(t, row, 0, what);
		table_set(t, row, 1, count(c->records, b));
		table_set(t, row, 2, pct(c->share, b));
		table_set_bar(t, row, 3, c->share);
	}
	return t;
}

static void
quality_charts(FILE *f, const struct report_view *v)
{
	const char *names[NGAPS];
	double values[NGAPS];
	for (size_t i = 0; i < NGAPS; i++) {
		char what[64];
		values[i] = (double)quality_gap(&v->quality, i, what, &names[i])->records;
	}
	static const char *const series[] = {"records"};
	static const size_t colors[] = {2};
	html_chart_bars(f, "Records with a gap", NGAPS, names, 1, series, colors, values, false,
	                NULL, false);
}

static void
removal_cells(struct table *t, size_t row, const char *reason, const struct report_check *c)
{
	char b[48];
	table_set(t, row, 0, reason);
	table_set(t, row, 1, count(c->records, b));
	table_set(t, row, 2, pct(c->share, b));
}

static struct table *
removal_table(const struct report_quality *q)
{
	struct table *t = table_new("Removal candidates (the model's rules)");
	table_add_column(t, "reason", TABLE_LEFT);
	table_add_column(t, "records", TABLE_RIGHT);
	table_add_column(t, "% book", TABLE_RIGHT);
	for (size_t i = 0; i < q->nremoval; i++)
		removal_cells(t, table_add_row(t), q->removal[i].name, &q->removal[i]);
	size_t row = table_add_row(t);
	table_set_total(t, row);
	removal_cells(t, row, "total", &q->removal_total);
	return t;
}

static struct table *
unreadable_table(const struct report_quality *q)
{
	struct table *t = table_new("Values that do not read");
	table_add_column(t, "field", TABLE_LEFT);
	table_add_column(t, "records", TABLE_RIGHT);
	for (size_t i = 0; i < q->nbad; i++) {
		char b[48];
		size_t row = table_add_row(t);
		table_set(t, row, 0, q->bad[i].name);
		table_set(t, row, 1, count(q->bad[i].records, b));
	}
	return t;
}

static void
render_quality(struct out *o, const struct report_view *v)
{
	o->rd->section_begin(o, "quality", "Data quality");
	put_figure(o, "", quality_charts, v, gaps_table(&v->quality));
	put_table(o, removal_table(&v->quality));
	if (v->quality.nbad)
		put_table(o, unreadable_table(&v->quality));
	o->rd->section_end(o);
}

/* ---- the report --------------------------------------------------------- */

int
report_format_parse(const char *name)
{
	if (strcmp(name, "text") == 0)
		return REPORT_TEXT;
	if (strcmp(name, "markdown") == 0 || strcmp(name, "md") == 0)
		return REPORT_MARKDOWN;
	if (strcmp(name, "json") == 0)
		return REPORT_JSON;
	if (strcmp(name, "html") == 0)
		return REPORT_HTML;
	return -1;
}

static void
render(struct out *o, const struct report_view *v)
{
	char day[16], a[48], b[48], c[48];
	struct buf sub = {0};
	buf_printf(&sub, "%s, %s: %s record%s (%s client%s, %s prospect%s)", v->model,
	           date_format(v->today, day), count(v->records, a), v->records == 1 ? "" : "s",
	           count(v->clients, b), v->clients == 1 ? "" : "s", count(v->prospects, c),
	           v->prospects == 1 ? "" : "s");
	if (v->by)
		buf_printf(&sub, "; tiers by %s", v->by);
	if (!o->untitled)
		o->rd->begin(o, "Book report", buf_str(&sub), v);
	buf_free(&sub);
	if (v->sections & REPORT_TIERS)
		render_tiers(o, v);
	if (v->sections & REPORT_TIME)
		render_time(o, v);
	if (v->sections & REPORT_TEAM)
		render_team(o, v);
	if (v->sections & REPORT_CAPACITY)
		report_render_capacity(o, v);
	if (v->sections & REPORT_ADHERENCE)
		render_adherence(o, v);
	if (v->sections & REPORT_DELIVERY)
		report_render_delivery(o, v);
	if (v->sections & REPORT_QUALITY)
		render_quality(o, v);
	o->rd->end(o);
}

void
report_write(const struct report *r, const struct report_style *style, FILE *out)
{
	struct report_view *v = report_view_new(r, style->sections, style->weeks);
	if (style->format == REPORT_JSON) {
		report_write_json(v, out);
	} else {
		struct out o = {renderers[style->format], out, style->width ? style->width : 80,
		                style->ascii, style->untitled && style->format != REPORT_HTML};
		render(&o, v);
	}
	report_view_free(v);
}
