/*
 * test_report_capacity.c - unit tests for lib/report_capacity.c (the capacity
 * section's figures) and model.c's tier_minutes_per_year.
 *
 * A small book is fed to a report as records made by hand, and the capacity
 * view is checked figure by figure: each person's planned hours (the team
 * section's, with the credit of "satisfies"), capacity, load and hours over,
 * who has no capacity, the pooled figures, --weeks, and a model without a
 * team.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "model.h"
#include "record.h"
#include "report.h"
#include "report_view.h"
#include "unit.h"

/* A: calls 12 a year, 4 of them done as the review: 8 x 30 + 4 x 60 + a card of 12 = 492 min. */
static const char model_json[] =
    "{\"name\": \"t\", \"team\": {\"ana\": {\"hours\": 2}, \"ben\": {\"hours\": 0.25}, "
    "\"cy\": {\"hours\": 1}},\n"
    " \"tiers\": {\n"
    "  \"A\": {\"touches\": [\n"
    "    {\"touch\": \"call\", \"every\": \"monthly\", \"minutes\": 30},\n"
    "    {\"touch\": \"review\", \"every\": \"quarterly\", \"minutes\": 60, "
    "\"satisfies\": [\"call\"]},\n"
    "    {\"touch\": \"card\", \"every\": \"yearly\", \"minutes\": 12, \"by\": \"assistant\"}]},\n"
    "  \"B\": {\"touches\": [{\"touch\": \"call\", \"every\": \"quarterly\", \"minutes\": "
    "15}]}}}\n";

static const char *const columns[] = {"id", "owner", "tier"};
enum { NCOLUMNS = sizeof columns / sizeof columns[0] };

static const char *const book[][NCOLUMNS] = {
    {"1", "ana", "A"}, /* ana 8.0 h, assistant 0.2 h */
    {"2", "ana", "B"}, /* ana 1.0 h */
    {"3", "ben", "A"}, /* ben 8.0 h, assistant 0.2 h */
    {"4", "ben", "A"}, /* ben 8.0 h, assistant 0.2 h */
    {"5", "", "B"},    /* (no owner) 1.0 h */
    {"6", "ana", ""},  /* no tier: no hours, and not in the model's tiers */
};
enum { NBOOK = sizeof book / sizeof book[0] };

static bool
near(double got, double want)
{
	return fabs(got - want) < 1e-9;
}

/* A report over the book; *h gets its header, which the report borrows: free it after. */
static struct report *
fill(struct model *m, struct header **h)
{
	struct report *r = report_new(m, NULL, (struct date){2026, 11, 26});
	*h = header_new();
	for (size_t c = 0; c < NCOLUMNS; c++)
		header_add(*h, columns[c]);
	struct cs_error err;
	CHECK(report_bind(r, *h, &err) == 0);
	struct record rec;
	record_init(&rec);
	for (size_t i = 0; i < NBOOK; i++) {
		record_clear(&rec);
		for (size_t c = 0; c < NCOLUMNS; c++)
			record_push(&rec, book[i][c], strlen(book[i][c]));
		report_add(r, &rec, NULL);
	}
	record_free(&rec);
	return r;
}

static const struct report_capacity_row *
row_of(const struct report_capacity *c, const char *member)
{
	for (size_t i = 0; i < c->nrows; i++)
		if (strcmp(c->rows[i].member, member) == 0)
			return &c->rows[i];
	return NULL;
}

static void
test_minutes(const struct model *m)
{
	CHECK(near(tier_minutes_per_year(&m->tiers[0]), 8 * 30 + 4 * 60 + 12));
	CHECK(near(tier_minutes_per_year(&m->tiers[1]), 4 * 15));
}

static void
test_capacity(struct report *r)
{
	struct report_view *v = report_view_new(r, REPORT_CAPACITY | REPORT_TEAM, 0);
	const struct report_capacity *c = &v->capacity;
	CHECK(c->team);
	CHECK_INT(c->weeks, REPORT_WEEKS);
	CHECK(c->hint == NULL);
	/* Everyone who acts and every team member, by name, "" last. */
	CHECK_INT(c->nrows, 5);
	const char *order[] = {"ana", "assistant", "ben", "cy", ""};
	for (size_t i = 0; i < 5 && i < c->nrows; i++)
		CHECK_STR(c->rows[i].member, order[i]);

	const struct report_capacity_row *ana = row_of(c, "ana"), *ben = row_of(c, "ben"),
	                                 *asst = row_of(c, "assistant"), *cy = row_of(c, "cy"),
	                                 *none = row_of(c, "");
	CHECK(ana && ben && asst && cy && none);
	if (!(ana && ben && asst && cy && none)) {
		report_view_free(v);
		return;
	}
	CHECK(near(ana->hours, 9));
	CHECK(near(ana->capacity, 2 * 46.0));
	CHECK(near(ana->load, 9 / 92.0));
	CHECK(ana->over == 0);
	CHECK(near(ben->hours, 16));
	CHECK(near(ben->capacity, 11.5));
	CHECK(near(ben->over, 4.5));
	CHECK(!asst->has_capacity && isnan(asst->load) && asst->over == 0);
	CHECK(near(asst->hours, 3 * 12 / 60.0));
	CHECK(cy->has_capacity && cy->hours == 0 && cy->load == 0);
	CHECK(!none->has_capacity && near(none->hours, 1));
	CHECK_INT(c->nover, 1);
	CHECK_INT(c->nmissing, 2);

	/* The same planned hours as the team section, from the same computation. */
	for (size_t i = 0; i < v->team.nrows; i++) {
		const struct report_capacity_row *cr = row_of(c, v->team.rows[i].member);
		CHECK(cr && cr->hours == v->team.rows[i].hours);
	}

	/* The total: everyone's hours against the team's capacity. */
	CHECK(near(c->total.hours, 9 + 16 + 0.6 + 1));
	CHECK(near(c->total.per_week, 3.25));
	CHECK(near(c->total.capacity, 3.25 * 46));
	/* 149.5 h / (492 min / 60) = 18.2: 18 clients of A. */
	CHECK(near(c->top_hours, 492 / 60.0));
	CHECK(near(c->top_clients, 18));
	/* 5 records in the model's tiers, 26.6 h: 5 x 149.5 / 26.6 = 28.1. */
	CHECK_INT(c->records, 5);
	CHECK(near(c->hours_per_record, 26.6 / 5));
	CHECK(near(c->fit_records, 28));
	report_view_free(v);

	/* --weeks 4: capacity shrinks, ana (8 h) is over too; 5 x 13 / 26.6 = 2.4 records fit. */
	v = report_view_new(r, REPORT_CAPACITY, 4);
	CHECK_INT(v->capacity.weeks, 4);
	CHECK(near(v->capacity.total.capacity, 13));
	CHECK_INT(v->capacity.nover, 2);
	CHECK(near(v->capacity.fit_records, 2));
	report_view_free(v);
}

static void
test_no_team(void)
{
	struct cs_error err;
	const char *json = "{\"tiers\": {\"A\": {\"touches\": [{\"touch\": \"call\", "
	                   "\"every\": \"monthly\", \"minutes\": 10}]}}}";
	struct model *m = model_parse(json, strlen(json), "no-team.json", &err);
	CHECK(m != NULL);
	if (!m)
		return;
	struct report *r = report_new(m, NULL, (struct date){2026, 11, 26});
	struct report_view *v = report_view_new(r, REPORT_CAPACITY, 0);
	CHECK(!v->capacity.team);
	CHECK_INT(v->capacity.nrows, 0);
	CHECK(v->capacity.hint && strstr(v->capacity.hint, "\"team\": {\"ana\": {\"hours\": 20}}"));
	report_view_free(v);
	report_free(r);
	model_free(m);
}

static void
test_weeks_parse(void)
{
	CHECK_INT(report_weeks_parse("46"), 46);
	CHECK_INT(report_weeks_parse("1"), 1);
	CHECK_INT(report_weeks_parse("52"), 52);
	CHECK_INT(report_weeks_parse("0"), 0);
	CHECK_INT(report_weeks_parse("53"), 0);
	CHECK_INT(report_weeks_parse("-4"), 0);
	CHECK_INT(report_weeks_parse("4.5"), 0);
	CHECK_INT(report_weeks_parse(""), 0);
	CHECK_INT(report_weeks_parse(" 4"), 0);
}

int
main(void)
{
	struct cs_error err;
	struct model *m = model_parse(model_json, strlen(model_json), "team.json", &err);
	CHECK(m != NULL);
	if (!m) {
		cs_error_print("test_report_capacity", &err, false);
		return unit_report("report_capacity");
	}
	test_minutes(m);
	struct header *h;
	struct report *r = fill(m, &h);
	test_capacity(r);
	report_free(r);
	header_free(h);
	model_free(m);
	test_no_team();
	test_weeks_parse();
	return unit_report("report_capacity");
}
