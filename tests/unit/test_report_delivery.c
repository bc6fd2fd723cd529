/*
 * test_report_delivery.c - unit tests for lib/report_delivery.c: the
 * period, intervals that fit (months clamped, leap years, boundaries),
 * planned counts per kind of touch with since and refusals, the credit of
 * "satisfies", what a review is, and the counting of log entries by
 * outcome through a report.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "record.h"
#include "report.h"
#include "report_delivery.h"
#include "report_view.h"
#include "unit.h"

static struct date
D(const char *s) {
	struct date d = {0, 0, 0};
	if (date_parse(s, strlen(s), DATE_ORDER_YMD, 0, &d, NULL, 0) < 0)
		abort();
	return d;
}

static struct duration
every(long amount, enum duration_unit unit)
{
	return (struct duration){amount, unit};
}

static const struct date T = {2026, 11, 26};

static void
test_period(void)
{
	char buf[16];
	CHECK_STR(date_format(delivery_period_start(T), buf), "2025-11-26");
	CHECK_STR(date_format(delivery_period_start(D("2028-02-29")), buf), "2027-02-28");
}

static void
test_fits(void)
{
	struct date start = delivery_period_start(T);
	CHECK_INT(delivery_fits(start, every(1, DUR_MONTHS), T), 12);
	CHECK_INT(delivery_fits(start, every(3, DUR_MONTHS), T), 4);
	CHECK_INT(delivery_fits(start, every(1, DUR_YEARS), T), 1);
	CHECK_INT(delivery_fits(start, every(1, DUR_WEEKS), T), 52);
	CHECK_INT(delivery_fits(start, every(2, DUR_WEEKS), T), 26);
	CHECK_INT(delivery_fits(start, every(1, DUR_DAYS), T), 365);
	CHECK_INT(delivery_fits(D("2027-11-26"), every(1, DUR_DAYS), D("2028-11-26")), 366);
	CHECK_INT(delivery_fits(start, every(18, DUR_MONTHS), T), 0);
	/* Months clamp: Jan 31 + 1 month is Feb 28, so one fits by Feb 28, none by Feb 27. */
	CHECK_INT(delivery_fits(D("2026-01-31"), every(1, DUR_MONTHS), D("2026-02-28")), 1);
	CHECK_INT(delivery_fits(D("2026-01-31"), every(1, DUR_MONTHS), D("2026-02-27")), 0);
	/* A quarter from Aug 26 ends on Nov 26 (fits), from Aug 27 on Nov 27 (does not). */
	CHECK_INT(delivery_fits(D("2026-08-26"), every(3, DUR_MONTHS), T), 1);
	CHECK_INT(delivery_fits(D("2026-08-27"), every(3, DUR_MONTHS), T), 0);
	CHECK_INT(delivery_fits(T, every(1, DUR_DAYS), T), 0);
	CHECK_INT(delivery_fits(D("2027-01-01"), every(1, DUR_DAYS), T), 0);
}

/* The item of touch j of tier t, due on due (for "on" and "once" touches). */
static struct cadence_item
item_of(const struct tier *t, size_t j, const char *due)
{
	struct cadence_item it = {.tier = t, .touch = &t->touches[j]};
	it.due = due ? D(due) : T;
	return it;
}

static void
test_planned(const struct model *m)
{
	const struct tier *a = model_tier(m, "A");
	/* A: call, review meeting, birthday greeting, housewarming gift, new baby gift. */
	struct cadence_item call = item_of(a, 0, NULL);
	struct date since = D("2026-05-26"), later = D("2027-01-01"), noyear = {0, 3, 1};
	CHECK_INT(delivery_planned(&call, T, NULL), 12);
	CHECK_INT(delivery_planned(&call, T, &since), 6);
	CHECK_INT(delivery_planned(&call, T, &later), 0);
	CHECK_INT(delivery_planned(&call, T, &noyear), 12);
	call.refused = true;
	CHECK_INT(delivery_planned(&call, T, NULL), 0);

	/* "on": the day today or the day after the period's first bound count; since first. */
	struct cadence_item birthday = item_of(a, 2, "2026-11-26");
	CHECK_INT(delivery_planned(&birthday, T, NULL), 1);
	birthday = item_of(a, 2, "2026-11-27"); /* last occurrence 2025-11-27: in */
	CHECK_INT(delivery_planned(&birthday, T, NULL), 1);
	birthday = item_of(a, 2, "2026-12-01"); /* last occurrence 2025-12-01 */
	CHECK_INT(delivery_planned(&birthday, T, &since), 0);
	struct date before = D("2025-12-01");
	CHECK_INT(delivery_planned(&birthday, T, &before), 1);

	/* "once": due in (today - 12 months, today]. */
	struct cadence_item gift = item_of(a, 3, "2025-11-26");
	CHECK_INT(delivery_planned(&gift, T, NULL), 0);
	gift = item_of(a, 3, "2025-11-27");
	CHECK_INT(delivery_planned(&gift, T, NULL), 1);
	gift = item_of(a, 3, "2026-11-27");
	CHECK_INT(delivery_planned(&gift, T, NULL), 0);
}

static void
test_credit(const struct model *m)
{
	const struct tier *a = model_tier(m, "A"), *b = model_tier(m, "B");
	struct cadence_item items[2] = {item_of(a, 0, NULL), item_of(a, 1, NULL)};
	long planned[2];
	/* A monthly call satisfied by a quarterly review: 12 - 4 = 8 calls, 4 reviews. */
	delivery_planned_all(items, 2, T, NULL, planned);
	CHECK_INT(planned[0], 8);
	CHECK_INT(planned[1], 4);
	struct date since = D("2026-05-26");
	delivery_planned_all(items, 2, T, &since, planned);
	CHECK_INT(planned[0], 4);
	CHECK_INT(planned[1], 2);
	/* A client who refused a satisfier gets no credit from it. */
	items[1].refused = true;
	delivery_planned_all(items, 2, T, NULL, planned);
	CHECK_INT(planned[0], 12);
	CHECK_INT(planned[1], 0);
	/* B: a quarterly call and a yearly review: 3 calls; never below 0. */
	struct cadence_item bitems[2] = {item_of(b, 0, NULL), item_of(b, 1, NULL)};
	delivery_planned_all(bitems, 2, T, NULL, planned);
	CHECK_INT(planned[0], 3);
	CHECK_INT(planned[1], 1);
	struct date recent = D("2026-09-01"); /* no quarter and no year fit */
	delivery_planned_all(bitems, 2, T, &recent, planned);
	CHECK_INT(planned[0], 0);
	CHECK_INT(planned[1], 0);
}

static void
test_review(const struct model *m)
{
	const struct tier *a = model_tier(m, "A"), *c = model_tier(m, "C");
	CHECK(!delivery_is_review(a, 0)); /* call: a phone call, satisfied by the review */
	CHECK(delivery_is_review(a, 1));  /* review meeting */
	CHECK(!delivery_is_review(a, 2)); /* birthday greeting: not recurring by interval */
	CHECK(!delivery_is_review(c, 0)); /* check-in by email */
	struct touch touches[3] = {
	    {.name = "Annual Review",
	     .kind = TOUCH_EVERY,
	     .every = {1, DUR_YEARS},
	     .channel = "email"},
	    {.name = "visit", .kind = TOUCH_EVERY, .every = {18, DUR_MONTHS}, .channel = "meeting"},
	    {.name = "lunch", .kind = TOUCH_EVERY, .every = {52, DUR_WEEKS}, .channel = "Meeting"},
	};
	struct tier t = {.name = "X", .touches = touches, .ntouches = 3};
	CHECK(delivery_is_review(&t, 0));  /* named with "review", any case */
	CHECK(!delivery_is_review(&t, 1)); /* longer than a year */
	CHECK(delivery_is_review(&t, 2));  /* a meeting of 52 weeks */
	size_t by[1] = {0};
	touches[2].satisfied_by = by;
	touches[2].nsatisfied_by = 1;
	CHECK(!delivery_is_review(&t, 2)); /* another touch satisfies it */
}

/* The delivery row of tier A's touch j in v. */
static const struct report_delivery_row *
row(const struct report_view *v, size_t j)
{
	return &v->delivery.rows[j];
}

static void
entry(struct report *r, const char *id, const char *touch, const char *date,
      enum touchlog_outcome outcome)
{
	report_log_entry(r, id, strlen(id), touch, strlen(touch), D(date), outcome);
}

static void
test_counting(struct model *m)
{
	struct report *r = report_new(m, NULL, T);
	report_use_log(r);
	entry(r, "a1", "review meeting", "2026-02-01", TOUCHLOG_DONE);
	entry(r, "a1", "Review Meeting", "2026-05-01", TOUCHLOG_DONE); /* any case */
	entry(r, "a1", "review meeting", "2026-08-01", TOUCHLOG_DECLINED);
	entry(r, "a1", "review meeting", "2026-10-01", TOUCHLOG_NO_ANSWER);
	entry(r, "a1", "review meeting", "2026-11-01", TOUCHLOG_SCHEDULED);
	entry(r, "a1", "review meeting", "2026-11-02", TOUCHLOG_SNOOZED);
	entry(r, "a1", "review meeting", "2025-11-26", TOUCHLOG_DONE); /* the bound: out */
	entry(r, "a1", "review meeting", "2026-11-27", TOUCHLOG_DONE); /* after today */
	entry(r, "a1", "call", "2026-11-26", TOUCHLOG_DONE);           /* today: in */
	entry(r, "a2", "review meeting", "2024-06-01", TOUCHLOG_DONE); /* before: last done */
	entry(r, "a2", "review meeting", "2026-06-01", TOUCHLOG_DECLINED);

	struct header *h = header_new();
	header_add(h, "id");
	header_add(h, "name");
	header_add(h, "tier");
	header_add(h, "since");
	struct cs_error err;
	CHECK_INT(report_bind(r, h, &err), 0);
	static const char *const rows[][4] = {
	    {"a1", "One", "A", "2020-01-01"},
	    {"a2", "Two", "A", ""},
	    {"a3", "Three", "A", "2026-06-01"}, /* joined within the period: not listed */
	};
	struct record rec;
	record_init(&rec);
	for (size_t i = 0; i < 3; i++) {
		record_clear(&rec);
		for (size_t k = 0; k < 4; k++)
			record_push(&rec, rows[i][k], strlen(rows[i][k]));
		report_add(r, &rec, NULL);
	}
	record_free(&rec);

	struct report_view *v = report_view_new(r, REPORT_DELIVERY | REPORT_ADHERENCE, 0);
	CHECK(v->sections & REPORT_DELIVERY);
	/* Calls: 8 + 8 + (5 months since June 1: 5 - 1 review) 4 = 20; one done today. */
	CHECK_INT(row(v, 0)->planned, 20);
	CHECK_INT(row(v, 0)->done, 1);
	/* Reviews: 4 + 4 + 1 (June 1 + 3 months); two done, two declined. */
	CHECK_INT(row(v, 1)->planned, 9);
	CHECK_INT(row(v, 1)->done, 2);
	CHECK_INT(row(v, 1)->declined, 2);
	CHECK(row(v, 1)->review);
	CHECK(fabs(row(v, 1)->share - 2.0 / 9) < 1e-12);
	/* Only a2 is listed: a1 had a review done, a3 joined within the period. */
	CHECK_INT(v->delivery.nundelivered, 1);
	if (v->delivery.nundelivered == 1) {
		const struct report_undelivered *u = v->delivery.undelivered[0];
		char buf[16];
		CHECK_STR(u->id, "a2");
		CHECK_STR(u->touch, "review meeting");
		CHECK(u->has_last_done);
		CHECK_STR(date_format(u->last_done, buf), "2024-06-01");
		CHECK(u->has_declined);
		CHECK_STR(date_format(u->declined, buf), "2026-06-01");
	}
	/* Declined, apart from the partition: a1 and a2. */
	CHECK(v->adherence.declined);
	CHECK_INT(v->adherence.rows[0].declined, 2);
	report_view_free(v);
	report_free(r);
	header_free(h);
}

int
main(void)
{
	struct cs_error err;
	struct model *m = model_load_default(&err);
	if (!m) {
		fprintf(stderr, "the default model does not load\n");
		return 1;
	}
	test_period();
	test_fits();
	test_planned(m);
	test_credit(m);
	test_review(m);
	test_counting(m);
	model_free(m);
	return unit_report("report_delivery");
}
