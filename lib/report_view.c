/*
 * report_view.c - the figures each section of the report shows, derived
 * once from a struct report's sums and counts.
 *
 * This is the one place where the report divides: shares, means, planned
 * hours (per-touch client counts times the model's touches a year and
 * minutes), totals, and the order rows are shown in.  The renderers only
 * format what they find here, so text, Markdown, HTML and JSON show the
 * same numbers.  Each figure is computed exactly as it always was (the same
 * operations in the same order), because the outputs are compared byte for
 * byte and a double summed in another order may differ in its last digit.
 */
#include "report_view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_delivery.h"
#include "report_int.h"

_Static_assert((int)REPORT_NMISSING == (int)NMISSING, "the view shows every missing-field count");

unsigned
report_section_parse(const char *name)
{
	/* In bit order: REPORT_TIERS is bit 0, REPORT_DELIVERY bit 6. */
	static const char *const names[] = {"tiers",   "time",     "team",    "adherence",
	                                    "quality", "capacity", "delivery"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strcmp(name, names[i]) == 0)
			return 1u << i;
	return 0;
}

int
report_weeks_parse(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);
	return *s >= '0' && *s <= '9' && !*end && n >= 1 && n <= 52 ? (int)n : 0;
}

double
report_amount(long long scaled)
{
	return (double)scaled / SCALE;
}

static double
ratio(double part, double whole)
{
	return whole != 0 ? part / whole : NAN;
}

void
report_planned(const struct report *r, const struct ll_vec *lv, long ti_only, double *touches,
               double *hours)
{
	double t = 0, h = 0;
	for (size_t f = 0; f < r->ntouches; f++) {
		if (ti_only >= 0 && (f < r->touch_first[ti_only] ||
		                     f >= r->touch_first[ti_only] + r->m->tiers[ti_only].ntouches))
			continue;
		/* The credit of "satisfies": a call done as the review is not a call's time. */
		size_t ti = 0;
		while (ti + 1 < r->m->ntiers && f >= r->touch_first[ti + 1])
			ti++;
		double n = (double)ll_get(lv, f),
		       per_year = touch_per_year_credited(&r->m->tiers[ti], f - r->touch_first[ti]);
		t += n * per_year;
		h += n * per_year * r->touch[f]->minutes / 60;
	}
	if (touches)
		*touches = t;
	if (hours)
		*hours = h;
}

/* The sum of cv over every tier key, or over the model's tiers only. */
static struct counts
counts_total(const struct report *r, const struct counts_vec *cv, bool model_only)
{
	struct counts total = {0};
	for (size_t k = 0; k < strtab_count(&r->tiers); k++)
		if (!model_only || k < r->m->ntiers) {
			struct counts c = counts_get(cv, k);
			counts_add(&total, &c);
		}
	return total;
}

/*
 * The tier keys to show, in order, into keys (room for strtab_count(&r->tiers)): the
 * model's tiers always, then tiers the model lacks by name, then no tier;
 * those two only when cv has records for them.  Returns how many.
 */
static size_t
display_keys(const struct report *r, const struct counts_vec *cv, size_t *keys)
{
	size_t n = 0;
	for (size_t k = 0; k < r->m->ntiers; k++)
		keys[n++] = k;
	size_t *order = report_sorted(&r->tiers);
	for (size_t i = 0; i < strtab_count(&r->tiers); i++) {
		size_t k = order[i];
		if (k >= r->m->ntiers && counts_get(cv, k).records)
			keys[n++] = k;
	}
	free(order);
	return n;
}

/* ---- keys and the whole book -------------------------------------------- */

/* The row label of key: "A Prime" (name and the model's label), "X", "(none)". */
static char *
key_label(const struct report *r, size_t key)
{
	if (key == r->none_key)
		return xstrdup("(none)");
	if (key < r->m->ntiers && *r->m->tiers[key].label) {
		char buf[128];
		snprintf(buf, sizeof buf, "%s %s", strtab_key(&r->tiers, key, NULL),
		         r->m->tiers[key].label);
		return xstrdup(buf);
	}
	return xstrdup(strtab_key(&r->tiers, key, NULL));
}

/* The tier in prose: "tier A (Prime)", or "tier A" without a label. */
static char *
key_prose(const struct report *r, size_t key)
{
	char buf[128];
	if (key < r->m->ntiers && *r->m->tiers[key].label)
		snprintf(buf, sizeof buf, "tier %s (%s)", strtab_key(&r->tiers, key, NULL),
		         r->m->tiers[key].label);
	else
		snprintf(buf, sizeof buf, "tier %s", strtab_key(&r->tiers, key, NULL));
	return xstrdup(buf);
}

static void
view_keys(struct report_view *v, const struct report *r)
{
	v->ntiers = r->m->ntiers;
	v->nkeys = strtab_count(&r->tiers);
	v->keys = xcalloc(v->nkeys + 1, sizeof *v->keys);
	for (size_t k = 0; k < v->nkeys; k++)
		v->keys[k] = (struct report_key){
		    .index = k,
		    .name = strtab_key(&r->tiers, k, NULL),
		    .model_label = k < r->m->ntiers ? r->m->tiers[k].label : NULL,
		    .label = key_label(r, k),
		    .none = k == r->none_key,
		};
	v->top_prose = r->m->ntiers ? key_prose(r, 0) : NULL;
}

static void
view_summary(struct report_view *v, const struct report *r)
{
	struct counts all = counts_total(r, &r->all, false), model = counts_total(r, &r->all, true);
	struct report_summary *s = &v->summary;
	v->records = all.records;
	v->clients = all.clients;
	v->prospects = all.prospects;
	v->revenue = all.revenue;
	s->top_revenue_share =
	    r->m->ntiers ? ratio((double)counts_get(&r->all, 0).revenue, (double)all.revenue) : NAN;
	report_planned(r, &r->planned, -1, NULL, &s->planned_hours);
	s->due = model.due;
	s->overdue = model.overdue;
	s->on_schedule_share = ratio((double)model.on_schedule, (double)model.records);
	for (size_t i = 0; i < r->m->nremoval; i++)
		s->removal += r->removal[i];
}

/* ---- tiers -------------------------------------------------------------- */

static struct report_tier_row
tier_row(const struct report_key *key, struct counts c, struct counts total)
{
	return (struct report_tier_row){
	    .key = key,
	    .records = c.records,
	    .clients = c.clients,
	    .prospects = c.prospects,
	    .revenue = c.revenue,
	    .revenue_n = c.revenue_n,
	    .assets = c.assets,
	    .referrals = c.referrals,
	    .coi = c.coi,
	    .share = ratio((double)c.records, (double)total.records),
	    .revenue_share = ratio((double)c.revenue, (double)total.revenue),
	    .revenue_mean = ratio(report_amount(c.revenue), (double)c.revenue_n),
	};
}

static struct report_tier_table
tier_table(const struct report_view *v, const struct report *r, const struct counts_vec *cv,
           const char *value)
{
	struct report_tier_table t = {.value = value};
	size_t *keys = xcalloc(strtab_count(&r->tiers), sizeof *keys);
	t.nrows = display_keys(r, cv, keys);
	struct counts total = counts_total(r, cv, false);
	t.rows = xcalloc(t.nrows + 1, sizeof *t.rows);
	for (size_t i = 0; i < t.nrows; i++)
		t.rows[i] = tier_row(&v->keys[keys[i]], counts_get(cv, keys[i]), total);
	t.total = tier_row(NULL, total, total);
	free(keys);
	return t;
}

static void
view_tiers(struct report_view *v, const struct report *r)
{
	struct report_tiers *t = &v->tiers;
	t->all = tier_table(v, r, &r->all, NULL);
	if (r->by) {
		size_t *order = report_sorted(&r->groups);
		t->ngroups = strtab_count(&r->groups);
		t->groups = xcalloc(t->ngroups + 1, sizeof *t->groups);
		for (size_t i = 0; i < t->ngroups; i++)
			t->groups[i] = tier_table(v, r, &r->group[order[i]],
			                          strtab_key(&r->groups, order[i], NULL));
		free(order);
	}
	struct counts top = counts_get(&r->all, 0), total = counts_total(r, &r->all, false);
	t->top_client_share = t->top_revenue_share = NAN;
	if (r->m->ntiers && total.clients) {
		t->top_client_share = ratio((double)top.clients, (double)total.clients);
		t->top_revenue_share = ratio((double)top.revenue, (double)total.revenue);
	}
}

/* ---- time --------------------------------------------------------------- */

static struct report_time_row
time_row(const struct report_key *key, struct counts c, double touches, double hours,
         double all_hours, struct counts total)
{
	return (struct report_time_row){
	    .key = key,
	    .records = c.records,
	    .touches = touches,
	    .hours = hours,
	    .hours_per_client = ratio(hours, (double)c.records),
	    .logged = c.hours,
	    .logged_n = c.hours_n,
	    .time_share = ratio(hours, all_hours),
	    .revenue_share = ratio((double)c.revenue, (double)total.revenue),
	    .hours_per_1k = c.revenue > 0 ? hours / (report_amount(c.revenue) / 1000) : NAN,
	};
}

static void
view_time(struct report_view *v, const struct report *r)
{
	struct report_time *t = &v->time;
	size_t *keys = xcalloc(strtab_count(&r->tiers), sizeof *keys);
	t->nrows = display_keys(r, &r->all, keys);
	struct counts total = counts_total(r, &r->all, false);
	double all_touches, all_hours;
	report_planned(r, &r->planned, -1, &all_touches, &all_hours);
	t->rows = xcalloc(t->nrows + 1, sizeof *t->rows);
	for (size_t i = 0; i < t->nrows; i++) {
		size_t k = keys[i];
		double touches = 0, hours = 0;
		if (k < r->m->ntiers)
			report_planned(r, &r->planned, (long)k, &touches, &hours);
		t->rows[i] =
		    time_row(&v->keys[k], counts_get(&r->all, k), touches, hours, all_hours, total);
	}
	t->total = time_row(NULL, total, all_touches, all_hours, all_hours, total);
	free(keys);
}

/* ---- team --------------------------------------------------------------- */

/* Does any member own clients outside the model's tiers? */
static bool
team_has_other(const struct report *r)
{
	for (size_t i = 0; i < strtab_count(&r->members); i++)
		for (size_t k = r->m->ntiers; k < strtab_count(&r->tiers); k++)
			if (ll_get(&r->member[i].clients, k))
				return true;
	return false;
}

/* Row i of the team (member m), its clients array given; adds it into the total. */
static void
team_row(struct report_team *t, const struct report *r, size_t i, size_t m, long long *clients)
{
	const struct member *mb = &r->member[m];
	struct report_team_row *row = &t->rows[i];
	row->member = strtab_key(&r->members, m, NULL);
	row->clients = clients;
	for (size_t k = 0; k < r->m->ntiers; k++) {
		clients[k] = ll_get(&mb->clients, k);
		t->total.clients[k] += clients[k];
	}
	for (size_t k = r->m->ntiers; k < strtab_count(&r->tiers); k++)
		row->other += ll_get(&mb->clients, k);
	report_planned(r, &mb->touches, -1, NULL, &row->hours);
	row->due = mb->due;
	row->overdue = mb->overdue;
	t->total.other += row->other;
	t->total.hours += row->hours;
	t->total.due += row->due;
	t->total.overdue += row->overdue;
}

static void
view_team(struct report_view *v, const struct report *r)
{
	struct report_team *t = &v->team;
	size_t nt = r->m->ntiers;
	t->other = team_has_other(r);
	t->nrows = strtab_count(&r->members);
	t->rows = xcalloc(t->nrows + 1, sizeof *t->rows);
	/* One block for the clients of the total and of every row, the total's first. */
	t->total.clients = xcalloc((t->nrows + 1) * nt + 1, sizeof *t->total.clients);
	size_t *order = report_sorted(&r->members);
	double max = 0;
	for (size_t i = 0; i < t->nrows; i++) {
		team_row(t, r, i, order[i], t->total.clients + (i + 1) * nt);
		if (t->rows[i].hours > max)
			max = t->rows[i].hours;
	}
	for (size_t i = 0; i < t->nrows; i++)
		t->rows[i].workload = ratio(t->rows[i].hours, max);
	t->total.workload = NAN;
	t->window_end = date_add_days(r->today, WINDOW_DAYS - 1);
	free(order);
}

/* ---- adherence ---------------------------------------------------------- */

static struct report_adherence_row
adherence_row(const struct report_key *key, struct counts c)
{
	return (struct report_adherence_row){
	    .key = key,
	    .records = c.records,
	    .on_schedule = c.on_schedule,
	    .late = c.late,
	    .behind = c.records - c.on_schedule - c.late - c.never_contacted,
	    .never_contacted = c.never_contacted,
	    .share = ratio((double)c.on_schedule, (double)c.records),
	    .declined = c.declined,
	};
}

static void
view_adherence(struct report_view *v, const struct report *r)
{
	struct report_adherence *a = &v->adherence;
	a->declined = r->delivery;
	a->nrows = r->m->ntiers;
	a->rows = xcalloc(a->nrows + 1, sizeof *a->rows);
	for (size_t k = 0; k < a->nrows; k++)
		a->rows[k] = adherence_row(&v->keys[k], counts_get(&r->all, k));
	struct counts model = counts_total(r, &r->all, true), all = counts_total(r, &r->all, false);
	a->total = adherence_row(NULL, model);
	a->outside = all.records - model.records;
	a->outside_never = all.never_contacted - model.never_contacted;
	a->ntop = r->ntop;
	a->top = r->top;
}

/* ---- delivery ----------------------------------------------------------- */

/* The model's rank of tier name (the model's tiers first, in order), for sorting. */
static size_t
tier_rank(const struct model *m, const char *name)
{
	const struct tier *t = model_tier(m, name);
	return t ? (size_t)(t - m->tiers) : m->ntiers;
}

/* qsort's context: C11 qsort has none, so the rank travels in a pair. */
struct ranked {
	size_t rank;
	const struct report_undelivered *u;
};

static int
date_or_none_cmp(bool ha, struct date a, bool hb, struct date b)
{
	if (ha != hb)
		return ha ? 1 : -1;
	return ha ? date_cmp(a, b) : 0;
}

/* A total order, so that the list reads the same whatever the split of the book. */
static int
ranked_cmp(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	int c = strcmp(a->u->id, b->u->id);
	if (!c)
		c = strcmp(a->u->touch, b->u->touch);
	if (!c)
		c = strcmp(a->u->name, b->u->name);
	if (!c)
		c = strcmp(a->u->owner, b->u->owner);
	if (!c)
		c = strcmp(a->u->tier, b->u->tier);
	if (!c)
		c = date_or_none_cmp(a->u->has_last_done, a->u->last_done, b->u->has_last_done,
		                     b->u->last_done);
	if (!c)
		c = date_or_none_cmp(a->u->has_declined, a->u->declined, b->u->has_declined,
		                     b->u->declined);
	return c;
}

static struct report_delivery_row
delivery_row(const struct report_key *key, const char *touch, long long planned, long long done,
             long long declined)
{
	return (struct report_delivery_row){
	    .key = key,
	    .touch = touch,
	    .planned = planned,
	    .done = done,
	    .declined = declined,
	    .share = ratio((double)done, (double)planned),
	};
}

static void
view_delivery(struct report_view *v, const struct report *r)
{
	struct report_delivery *d = &v->delivery;
	d->first = date_add_days(delivery_period_start(r->today), 1);
	d->last = r->today;
	d->nrows = r->ntouches;
	d->rows = xcalloc(d->nrows + 1, sizeof *d->rows);
	long long planned = 0, done = 0, declined = 0;
	for (size_t ti = 0, f = 0; ti < r->m->ntiers; ti++)
		for (size_t j = 0; j < r->m->tiers[ti].ntouches; j++, f++) {
			d->rows[f] =
			    delivery_row(&v->keys[ti], r->touch[f]->name, ll_get(&r->d_planned, f),
			                 ll_get(&r->d_done, f), ll_get(&r->d_declined, f));
			d->rows[f].review = delivery_is_review(&r->m->tiers[ti], j);
			planned = sat_add(planned, d->rows[f].planned);
			done = sat_add(done, d->rows[f].done);
			declined = sat_add(declined, d->rows[f].declined);
		}
	d->total = delivery_row(NULL, NULL, planned, done, declined);
	d->nundelivered = r->nundelivered;
	struct ranked *rk = xcalloc(r->nundelivered + 1, sizeof *rk);
	for (size_t i = 0; i < r->nundelivered; i++)
		rk[i] =
		    (struct ranked){tier_rank(r->m, r->undelivered[i].tier), &r->undelivered[i]};
	qsort(rk, r->nundelivered, sizeof *rk, ranked_cmp);
	d->undelivered = xcalloc(r->nundelivered + 1, sizeof *d->undelivered);
	for (size_t i = 0; i < r->nundelivered; i++)
		d->undelivered[i] = rk[i].u;
	free(rk);
}

/* ---- quality ------------------------------------------------------------ */

/*
 * The removal reasons, each once in the model's order, with the records of
 * every rule that gives it (a record counts for its first matching rule, so
 * the sums do not overlap).
 */
static void
removal_reasons(struct report_quality *q, const struct report *r)
{
	size_t n = 0;
	q->removal = xcalloc(r->m->nremoval + 1, sizeof *q->removal);
	for (size_t i = 0; i < r->m->nremoval; i++) {
		size_t j = 0;
		while (j < n && strcmp(q->removal[j].name, r->m->removal[i].name) != 0)
			j++;
		if (j == n)
			q->removal[n++].name = r->m->removal[i].name;
		q->removal[j].records += r->removal[i];
	}
	q->nremoval = n;
}

static struct report_check
check(const char *name, long long records, long long book)
{
	return (struct report_check){name, records, ratio((double)records, (double)book)};
}

static void
view_quality(struct report_view *v, const struct report *r)
{
	struct report_quality *q = &v->quality;
	struct counts all = counts_total(r, &r->all, false), model = counts_total(r, &r->all, true);
	/* A model tier named "" is the no-tier key: then there is no "none" of its own. */
	long long none = r->none_key < r->m->ntiers ? 0 : counts_get(&r->all, r->none_key).records;
	for (size_t i = 0; i < NMISSING; i++)
		q->missing[i] = check(missing_names[i], r->missing[i], all.records);
	for (size_t i = 0; i < NCONSENT; i++)
		q->refused[i] = check(consent_names[i], r->refused[i], all.records);
	q->untiered = check(NULL, r->untiered_clients, all.records);
	q->unknown = check(NULL, all.records - model.records - none, all.records);
	removal_reasons(q, r);
	long long total = 0;
	for (size_t i = 0; i < q->nremoval; i++) {
		q->removal[i].share = ratio((double)q->removal[i].records, (double)all.records);
		total += q->removal[i].records;
	}
	q->removal_total = check(NULL, total, all.records);
	size_t *order = report_sorted(&r->bad);
	q->nbad = strtab_count(&r->bad);
	q->bad = xcalloc(q->nbad + 1, sizeof *q->bad);
	for (size_t i = 0; i < q->nbad; i++)
		q->bad[i] = check(strtab_key(&r->bad, order[i], NULL), ll_get(&r->bad_n, order[i]),
		                  all.records);
	free(order);
}

/* ---- the view ----------------------------------------------------------- */

struct report_view *
report_view_new(const struct report *r, unsigned sections, int weeks)
{
	struct report_view *v = xcalloc(1, sizeof *v);
	v->sections = sections ? sections : REPORT_ALL;
	v->model = r->m->name;
	v->today = r->today;
	v->by = r->by;
	view_keys(v, r);
	view_summary(v, r);
	if (v->sections & REPORT_TIERS)
		view_tiers(v, r);
	if (v->sections & REPORT_TIME)
		view_time(v, r);
	if (v->sections & REPORT_TEAM)
		view_team(v, r);
	if (v->sections & REPORT_ADHERENCE)
		view_adherence(v, r);
	if (v->sections & REPORT_QUALITY)
		view_quality(v, r);
	if ((v->sections & REPORT_DELIVERY) && r->delivery)
		view_delivery(v, r);
	else
		v->sections &= ~(unsigned)REPORT_DELIVERY; /* no touch log: nothing to show */
	if (v->sections & REPORT_CAPACITY)
		report_view_capacity(v, r, weeks > 0 ? weeks : REPORT_WEEKS);
	return v;
}

void
report_view_free(struct report_view *v)
{
	if (!v)
		return;
	for (size_t k = 0; k < v->nkeys; k++)
		free(v->keys[k].label);
	free(v->keys);
	free(v->top_prose);
	free(v->tiers.all.rows);
	for (size_t i = 0; i < v->tiers.ngroups; i++)
		free(v->tiers.groups[i].rows);
	free(v->tiers.groups);
	free(v->time.rows);
	free(v->team.total.clients); /* and every row's */
	free(v->team.rows);
	free(v->adherence.rows);
	free(v->delivery.rows);
	free(v->delivery.undelivered);
	free(v->quality.removal);
	free(v->quality.bad);
	free(v->capacity.hint);
	free(v->capacity.rows);
	free(v);
}
