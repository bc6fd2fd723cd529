/*
 * report_json.c - the report as one JSON object, from its view.
 *
 * JSON is for programs, so it gives the figures, not their text: counts as
 * integers, amounts exactly (an integer when whole), ratios rounded to a
 * fixed number of places, and null where the text shows "-".  Names keep
 * their empty values as null rather than the text's "(none)" or "(no
 * owner)".  It is built with jansson from the same struct report_view the
 * text, Markdown and HTML renderers read; this and report_partial.c are the
 * report's only users of jansson.
 */
#include "report_render.h"

#include <jansson.h>
#include <math.h>

#include "report_jansson.h"

#define JSON_FLAGS (JSON_INDENT(2) | JSON_REAL_PRECISION(15))

/* v rounded to places decimals: an integer when whole, null when not a number. */
static json_t *
jnum(double v, int places)
{
	if (!isfinite(v))
		return json_null();
	double p = pow(10, places);
	v = round(v * p) / p;
	if (v == trunc(v) && fabs(v) < 9e15)
		return json_integer((json_int_t)v);
	return json_real(v);
}

static json_t *
jamount(long long scaled)
{
	if (scaled % REPORT_SCALE == 0)
		return json_integer(scaled / REPORT_SCALE);
	return json_real(report_amount(scaled));
}

/* A name, or null when it is empty (no tier, no owner, an empty group value). */
static json_t *
jname(const char *name)
{
	return *name ? report_json_string(name) : json_null();
}

static json_t *
jtier(const struct report_key *key)
{
	return key->none ? json_null() : report_json_string(key->name);
}

static json_t *
tier_row_json(const struct report_tier_row *row)
{
	json_t *o = json_object();
	if (row->key) {
		json_object_set_new(o, "tier", jtier(row->key));
		json_object_set_new(o, "label",
		                    row->key->model_label
		                        ? report_json_string(row->key->model_label)
		                        : json_null());
		json_object_set_new(o, "in_model", json_boolean(row->key->model_label != NULL));
	}
	json_object_set_new(o, "records", json_integer(row->records));
	json_object_set_new(o, "clients", json_integer(row->clients));
	json_object_set_new(o, "prospects", json_integer(row->prospects));
	json_object_set_new(o, "share", jnum(row->share, 4));
	json_object_set_new(o, "revenue", jamount(row->revenue));
	json_object_set_new(o, "revenue_share", jnum(row->revenue_share, 4));
	json_object_set_new(o, "revenue_mean", jnum(row->revenue_mean, 2));
	json_object_set_new(o, "assets", jamount(row->assets));
	json_object_set_new(o, "referrals", json_integer(row->referrals));
	json_object_set_new(o, "coi", json_integer(row->coi));
	return o;
}

/* The rows and total of t into o. */
static void
tier_table_json(json_t *o, const struct report_tier_table *t)
{
	json_t *rows = json_array();
	for (size_t i = 0; i < t->nrows; i++)
		json_array_append_new(rows, tier_row_json(&t->rows[i]));
	json_object_set_new(o, "rows", rows);
	json_object_set_new(o, "total", tier_row_json(&t->total));
}

static json_t *
tiers_json(const struct report_view *v)
{
	const struct report_tiers *t = &v->tiers;
	json_t *o = json_object();
	json_object_set_new(o, "by", v->by ? report_json_string(v->by) : json_null());
	tier_table_json(o, &t->all);
	if (v->by) {
		json_t *groups = json_array();
		for (size_t i = 0; i < t->ngroups; i++) {
			json_t *grp = json_object();
			tier_table_json(grp, &t->groups[i]);
			json_object_set_new(grp, "value", jname(t->groups[i].value));
			json_array_append_new(groups, grp);
		}
		json_object_set_new(o, "groups", groups);
	}
	return o;
}

static json_t *
time_row_json(const struct report_time_row *row)
{
	json_t *o = json_object();
	if (row->key)
		json_object_set_new(o, "tier", jtier(row->key));
	json_object_set_new(o, "records", json_integer(row->records));
	json_object_set_new(o, "touches_per_year", jnum(row->touches, 2));
	json_object_set_new(o, "planned_hours", jnum(row->hours, 2));
	json_object_set_new(o, "planned_hours_per_client", jnum(row->hours_per_client, 2));
	json_object_set_new(o, "logged_hours", jamount(row->logged));
	json_object_set_new(o, "logged_clients", json_integer(row->logged_n));
	json_object_set_new(o, "time_share", jnum(row->time_share, 4));
	json_object_set_new(o, "revenue_share", jnum(row->revenue_share, 4));
	json_object_set_new(o, "hours_per_1k_revenue", jnum(row->hours_per_1k, 4));
	return o;
}

static json_t *
time_json(const struct report_view *v)
{
	json_t *o = json_object(), *rows = json_array();
	for (size_t i = 0; i < v->time.nrows; i++)
		json_array_append_new(rows, time_row_json(&v->time.rows[i]));
	json_object_set_new(o, "total", time_row_json(&v->time.total));
	json_object_set_new(o, "rows", rows);
	return o;
}

static json_t *
team_row_json(const struct report_view *v, const struct report_team_row *row)
{
	json_t *o = json_object(), *clients = json_object();
	json_object_set_new(o, "member", jname(row->member));
	for (size_t k = 0; k < v->ntiers; k++)
		json_object_set_new(clients, v->keys[k].name, json_integer(row->clients[k]));
	if (v->team.other)
		json_object_set_new(clients, "other", json_integer(row->other));
	json_object_set_new(o, "clients", clients);
	json_object_set_new(o, "planned_hours", jnum(row->hours, 2));
	json_object_set_new(o, "due_30", json_integer(row->due));
	json_object_set_new(o, "overdue", json_integer(row->overdue));
	return o;
}

static json_t *
team_json(const struct report_view *v)
{
	const struct report_team *t = &v->team;
	json_t *o = json_object(), *rows = json_array(), *total = json_object();
	for (size_t i = 0; i < t->nrows; i++)
		json_array_append_new(rows, team_row_json(v, &t->rows[i]));
	char day[16];
	json_object_set_new(o, "window_end", json_string(date_format(t->window_end, day)));
	json_object_set_new(o, "rows", rows);
	json_object_set_new(total, "planned_hours", jnum(t->total.hours, 2));
	json_object_set_new(total, "due_30", json_integer(t->total.due));
	json_object_set_new(total, "overdue", json_integer(t->total.overdue));
	json_object_set_new(o, "total", total);
	return o;
}

/* A row; with a touch log, its clients who declined a touch too (apart from the partition). */
static json_t *
capacity_row_json(const struct report_capacity_row *row)
{
	json_t *o = json_object();
	if (row->member)
		json_object_set_new(o, "member", jname(row->member));
	json_object_set_new(o, "planned_hours", jnum(row->hours, 2));
	json_object_set_new(o, "hours_per_week",
	                    row->has_capacity ? jnum(row->per_week, 2) : json_null());
	json_object_set_new(o, "capacity_hours",
	                    row->has_capacity ? jnum(row->capacity, 2) : json_null());
	json_object_set_new(o, "load", jnum(row->load, 4));
	json_object_set_new(o, "over_hours", jnum(row->over, 2));
	return o;
}

static json_t *
capacity_json(const struct report_view *v)
{
	const struct report_capacity *c = &v->capacity;
	json_t *o = json_object();
	json_object_set_new(o, "weeks", json_integer(c->weeks));
	json_object_set_new(o, "team", json_boolean(c->team));
	if (!c->team) {
		json_object_set_new(o, "hint", report_json_string(c->hint));
		return o;
	}
	json_t *rows = json_array(), *over = json_array(), *missing = json_array();
	for (size_t i = 0; i < c->nrows; i++) {
		const struct report_capacity_row *row = &c->rows[i];
		json_array_append_new(rows, capacity_row_json(row));
		if (row->over > 0)
			json_array_append_new(over, jname(row->member));
		if (!row->has_capacity)
			json_array_append_new(missing, jname(row->member));
	}
	json_object_set_new(o, "rows", rows);
	json_object_set_new(o, "total", capacity_row_json(&c->total));
	json_object_set_new(o, "over_capacity", over);
	json_object_set_new(o, "no_capacity", missing);
	json_object_set_new(o, "top_tier",
	                    v->ntiers ? report_json_string(v->keys[0].name) : json_null());
	json_object_set_new(o, "top_tier_hours_per_client", jnum(c->top_hours, 2));
	json_object_set_new(o, "top_tier_clients", jnum(c->top_clients, 0));
	json_object_set_new(o, "model_records", json_integer(c->records));
	json_object_set_new(o, "planned_hours_per_record", jnum(c->hours_per_record, 2));
	json_object_set_new(o, "fit_records", jnum(c->fit_records, 0));
	return o;
}

static json_t *
adherence_row_json(const struct report_adherence *a, const struct report_adherence_row *row)
{
	json_t *o = json_object();
	if (row->key)
		json_object_set_new(o, "tier", jtier(row->key));
	json_object_set_new(o, "records", json_integer(row->records));
	json_object_set_new(o, "on_schedule", json_integer(row->on_schedule));
	json_object_set_new(o, "on_schedule_share", jnum(row->share, 4));
	json_object_set_new(o, "late", json_integer(row->late));
	json_object_set_new(o, "behind", json_integer(row->behind));
	json_object_set_new(o, "never_contacted", json_integer(row->never_contacted));
	if (a->declined)
		json_object_set_new(o, "declined", json_integer(row->declined));
	return o;
}

static json_t *
adherence_json(const struct report_view *v)
{
	const struct report_adherence *a = &v->adherence;
	json_t *o = json_object(), *rows = json_array(), *top = json_array(),
	       *outside = json_object();
	for (size_t k = 0; k < a->nrows; k++)
		json_array_append_new(rows, adherence_row_json(a, &a->rows[k]));
	json_object_set_new(o, "rows", rows);
	json_object_set_new(o, "total", adherence_row_json(a, &a->total));
	json_object_set_new(outside, "records", json_integer(a->outside));
	json_object_set_new(outside, "never_contacted", json_integer(a->outside_never));
	json_object_set_new(o, "outside_model", outside);
	for (size_t i = 0; i < a->ntop; i++)
		json_array_append_new(top, report_json_overdue(&a->top[i]));
	json_object_set_new(o, "most_overdue_tier",
	                    v->ntiers ? report_json_string(v->keys[0].name) : json_null());
	json_object_set_new(o, "most_overdue", top);
	return o;
}

static json_t *
delivery_row_json(const struct report_delivery_row *row)
{
	json_t *o = json_object();
	if (row->key) {
		json_object_set_new(o, "tier", jtier(row->key));
		json_object_set_new(o, "touch", report_json_string(row->touch));
		json_object_set_new(o, "review", json_boolean(row->review));
	}
	json_object_set_new(o, "planned", json_integer(row->planned));
	json_object_set_new(o, "done", json_integer(row->done));
	json_object_set_new(o, "declined", json_integer(row->declined));
	json_object_set_new(o, "done_share", jnum(row->share, 4));
	return o;
}

static json_t *
delivery_json(const struct report_view *v)
{
	const struct report_delivery *d = &v->delivery;
	json_t *o = json_object(), *rows = json_array(), *list = json_array();
	char day[16];
	json_object_set_new(o, "from", json_string(date_format(d->first, day)));
	json_object_set_new(o, "to", json_string(date_format(d->last, day)));
	for (size_t i = 0; i < d->nrows; i++)
		json_array_append_new(rows, delivery_row_json(&d->rows[i]));
	json_object_set_new(o, "rows", rows);
	json_object_set_new(o, "total", delivery_row_json(&d->total));
	for (size_t i = 0; i < d->nundelivered; i++)
		json_array_append_new(list, report_json_undelivered(d->undelivered[i]));
	json_object_set_new(o, "reviews_not_delivered", list);
	return o;
}

static json_t *
quality_json(const struct report_view *v)
{
	const struct report_quality *q = &v->quality;
	json_t *o = json_object(), *missing = json_object(), *removal = json_array(),
	       *bad = json_object();
	json_object_set_new(o, "records", json_integer(v->records));
	for (size_t i = 0; i < REPORT_NMISSING; i++)
		json_object_set_new(missing, q->missing[i].name,
		                    json_integer(q->missing[i].records));
	json_object_set_new(o, "missing", missing);
	json_t *consent = json_object();
	for (size_t i = 0; i < REPORT_NCONSENT; i++)
		json_object_set_new(consent, q->refused[i].name, json_integer(q->refused[i].records));
	json_object_set_new(o, "consent", consent);
	json_object_set_new(o, "untiered_clients", json_integer(q->untiered.records));
	json_object_set_new(o, "unknown_tier", json_integer(q->unknown.records));
	for (size_t i = 0; i < q->nremoval; i++) {
		json_t *row = json_object();
		json_object_set_new(row, "reason", report_json_string(q->removal[i].name));
		json_object_set_new(row, "records", json_integer(q->removal[i].records));
		json_array_append_new(removal, row);
	}
	json_object_set_new(o, "removal", removal);
	for (size_t i = 0; i < q->nbad; i++)
		json_object_set_new(bad, q->bad[i].name, json_integer(q->bad[i].records));
	json_object_set_new(o, "unreadable", bad);
	return o;
}

void
report_write_json(const struct report_view *v, FILE *out)
{
	char day[16];
	json_t *root = json_object();
	json_object_set_new(root, "model", report_json_string(v->model));
	json_object_set_new(root, "today", json_string(date_format(v->today, day)));
	json_object_set_new(root, "records", json_integer(v->records));
	json_object_set_new(root, "clients", json_integer(v->clients));
	json_object_set_new(root, "prospects", json_integer(v->prospects));
	if (v->sections & REPORT_TIERS)
		json_object_set_new(root, "tiers", tiers_json(v));
	if (v->sections & REPORT_TIME)
		json_object_set_new(root, "time", time_json(v));
	if (v->sections & REPORT_TEAM)
		json_object_set_new(root, "team", team_json(v));
	if (v->sections & REPORT_CAPACITY)
		json_object_set_new(root, "capacity", capacity_json(v));
	if (v->sections & REPORT_ADHERENCE)
		json_object_set_new(root, "adherence", adherence_json(v));
	if (v->sections & REPORT_QUALITY)
		json_object_set_new(root, "quality", quality_json(v));
	if (v->sections & REPORT_DELIVERY)
		json_object_set_new(root, "delivery", delivery_json(v));
	json_dumpf(root, out, JSON_FLAGS);
	fputc('\n', out);
	json_decref(root);
}
