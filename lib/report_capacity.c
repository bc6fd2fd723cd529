/*
 * report_capacity.c - the capacity section: the hours the model plans for
 * each person against the hours that person has.
 *
 * Two decisions shape it.
 *
 * Nothing new is counted.  A person's planned hours are the team section's,
 * computed by the same call (report_planned over the member's per-touch
 * client counts, the credit of "satisfies" applied), and capacity is the
 * model's "team" (hours a week) times the working weeks, both known only
 * when the view is built.  So a partial carries nothing for this section,
 * and partials merged with the same model give the section of the whole
 * book, byte for byte, for any --weeks.
 *
 * The pooled figures hold every planned hour, a person's without capacity
 * too, against the team's capacity: the model's work has to be done by
 * someone, and the team is whom we know the hours of.  "How many clients
 * of the first tier" takes the model's hours for a client who gets every
 * touch of that tier; "the book size that still fits" scales the book at
 * its current tier mix, so each record of a model tier brings the planned
 * hours it brings today.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"
#include "report_view.h"

static double
ratio(double part, double whole)
{
	return whole != 0 ? part / whole : NAN;
}

/* The people to show: everyone who acts and every team member, by name, "" last (new). */
static struct strtab
people(const struct report *r)
{
	struct strtab t = {0};
	for (size_t i = 0; i < strtab_count(&r->members); i++)
		report_intern(&t, strtab_key(&r->members, i, NULL));
	for (size_t i = 0; i < r->m->nteam; i++)
		report_intern(&t, r->m->team[i].name);
	return t;
}

/* The row of the person called name (borrowed from r or its model, not from name). */
static struct report_capacity_row
capacity_row(const struct report *r, const char *name, int weeks)
{
	struct report_capacity_row row = {.load = NAN};
	long mi = strtab_lookup(&r->members, name);
	const struct team_member *tm = model_team_member(r->m, name);
	row.member = tm ? tm->name : strtab_key(&r->members, (size_t)mi, NULL);
	if (mi >= 0)
		report_planned(r, &r->member[mi].touches, -1, NULL, &row.hours);
	if (tm) {
		row.has_capacity = true;
		row.per_week = tm->hours;
		row.capacity = tm->hours * weeks;
		row.load = ratio(row.hours, row.capacity);
		row.over = row.hours > row.capacity ? row.hours - row.capacity : 0;
	}
	return row;
}

/* A name fit for the example in the hint: no quote, backslash or control character. */
static bool
plain_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20)
			return false;
	return true;
}

/* Without a team: how to add one, with the names of up to three people who act. */
static char *
team_hint(const struct report *r)
{
	struct buf b = {0};
	buf_puts(&b, "The model has no team, so there is no capacity to plan against: add one "
	             "(hours a week for touches), e.g. \"team\": {");
	size_t *order = report_sorted(&r->members), named = 0;
	for (size_t i = 0; i < strtab_count(&r->members) && named < 3; i++) {
		const char *name = strtab_key(&r->members, order[i], NULL);
		if (plain_name(name))
			buf_printf(&b, "%s\"%s\": {\"hours\": 20}", named++ ? ", " : "", name);
	}
	if (!named)
		buf_puts(&b, "\"ana\": {\"hours\": 20}");
	buf_puts(&b, "}.");
	free(order);
	return b.data; /* never NULL: something was appended */
}

/* The pooled figures: clients of the first tier the team serves, and the book size that fits. */
static void
pooled(struct report_capacity *c, const struct report *r)
{
	const struct model *m = r->m;
	c->top_hours = c->top_clients = NAN;
	if (m->ntiers) {
		c->top_hours = tier_minutes_per_year(&m->tiers[0]) / 60;
		if (c->top_hours > 0)
			c->top_clients = floor(c->total.capacity / c->top_hours);
	}
	for (size_t k = 0; k < m->ntiers; k++)
		c->records += counts_get(&r->all, k).records;
	c->hours_per_record = ratio(c->total.hours, (double)c->records);
	c->fit_records = c->total.hours > 0
	                     ? floor((double)c->records * c->total.capacity / c->total.hours)
	                     : NAN;
}

void
report_view_capacity(struct report_view *v, const struct report *r, int weeks)
{
	struct report_capacity *c = &v->capacity;
	c->weeks = weeks;
	c->team = r->m->nteam > 0;
	if (!c->team) {
		c->hint = team_hint(r);
		return;
	}
	struct strtab names = people(r);
	size_t *order = report_sorted(&names);
	c->nrows = strtab_count(&names);
	c->rows = xcalloc(c->nrows + 1, sizeof *c->rows);
	c->total = (struct report_capacity_row){.has_capacity = true};
	for (size_t i = 0; i < c->nrows; i++) {
		struct report_capacity_row *row = &c->rows[i];
		*row = capacity_row(r, strtab_key(&names, order[i], NULL), weeks);
		c->nover += row->over > 0;
		c->nmissing += !row->has_capacity;
		c->total.hours += row->hours;
		c->total.per_week += row->per_week;
		c->total.capacity += row->capacity;
	}
	c->total.load = ratio(c->total.hours, c->total.capacity);
	c->total.over = c->total.hours > c->total.capacity ? c->total.hours - c->total.capacity : 0;
	pooled(c, r);
	free(order);
	strtab_free(&names);
}
