/*
 * test_weekplan.c - unit tests for lib/weekplan.c: weeks filled exactly,
 * the part of the week left, items too big, priority order, people without
 * a limit and a plan that does not depend on the order of the input.
 */
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "unit.h"
#include "weekplan.h"

static long
day(int y, int m, int d)
{
	return date_to_days((struct date){y, m, d});
}

static const char *
fmt(long days)
{
	static char bufs[4][16];
	static int next;
	if (days < 0)
		return "-";
	next = (next + 1) % 4;
	return date_format(date_from_days(days), bufs[next]);
}

static struct weekplan_item
item(const char *by, int rank, long due, const char *name, long minutes)
{
	return (struct weekplan_item){by, rank, due, name, "call", minutes};
}

static void
test_weekday(void)
{
	CHECK_INT(weekplan_weekday(0), 3); /* 1970-01-01, a Thursday */
	CHECK_INT(weekplan_weekday(day(2026, 11, 23)), 0);
	CHECK_INT(weekplan_weekday(day(2026, 11, 26)), 3);
	CHECK_INT(weekplan_weekday(day(2026, 11, 29)), 6);
	CHECK_INT(weekplan_weekday(day(1969, 12, 29)), 0);
	CHECK_INT(weekplan_weekday(day(1969, 12, 28)), 6);
}

/* One hour a week on a Monday: three 20-minute calls fill it, the fourth waits a week. */
static void
test_exactly_filled(void)
{
	struct weekplan_person team[] = {{"ana", 1}};
	struct weekplan_options o = {day(2026, 11, 23), 2, 5};
	long due = day(2026, 11, 1);
	struct weekplan_item it[] = {
	    item("ana", 0, due, "A1", 20), item("ana", 0, due, "A2", 20),
	    item("ana", 0, due, "A3", 20), item("ana", 0, due, "A4", 20),
	};
	struct weekplan p;
	weekplan_run(it, 4, team, 1, &o, &p);
	CHECK_STR(fmt(p.planned[0]), "2026-11-23");
	CHECK_STR(fmt(p.planned[2]), "2026-11-23");
	CHECK_STR(fmt(p.planned[3]), "2026-11-30");
	CHECK_INT(p.load[0].capacity, 60);
	CHECK_INT(p.load[0].used, 60);
	CHECK_INT(p.load[1].used, 20);
	CHECK_INT(p.over[0], 0);
	weekplan_free(&p);
}

/* On a Thursday two of five working days are left: 24 of 60 minutes. */
static void
test_week_part_left(void)
{
	struct weekplan_person team[] = {{"ana", 1}};
	struct weekplan_options o = {day(2026, 11, 26), 2, 5};
	long due = day(2026, 11, 20);
	struct weekplan_item it[] = {item("ana", 0, due, "A1", 20), item("ana", 0, due, "A2", 20)};
	struct weekplan p;
	weekplan_run(it, 2, team, 1, &o, &p);
	CHECK_INT(p.load[0].capacity, 24);
	CHECK_STR(fmt(p.planned[0]), "2026-11-26");
	CHECK_STR(fmt(p.planned[1]), "2026-11-30");
	weekplan_free(&p);

	/* A Saturday of a five-day week has no working day left: even a free item waits. */
	o.today = day(2026, 11, 28);
	struct weekplan_item free_item = item("ana", 0, due, "A1", 0);
	weekplan_run(&free_item, 1, team, 1, &o, &p);
	CHECK_INT(p.load[0].capacity, 0);
	CHECK_STR(fmt(p.planned[0]), "2026-11-30");
	weekplan_free(&p);

	/* A six-day week: the Saturday is a working day with a sixth of the hours. */
	o.working_days = 6;
	weekplan_run(&free_item, 1, team, 1, &o, &p);
	CHECK_INT(p.load[0].capacity, 10);
	CHECK_STR(fmt(p.planned[0]), "2026-11-28");
	weekplan_free(&p);
}

/* An item bigger than any week is over capacity and never split. */
static void
test_too_big(void)
{
	struct weekplan_person team[] = {{"ana", 1}};
	struct weekplan_options o = {day(2026, 11, 23), 4, 5};
	struct weekplan_item it[] = {item("ana", 0, day(2026, 11, 23), "Big review", 90),
	                             item("ana", 1, day(2026, 11, 23), "Small call", 15)};
	struct weekplan p;
	weekplan_run(it, 2, team, 1, &o, &p);
	CHECK_INT(p.planned[0], -1);
	CHECK_INT(p.week[0], -1);
	CHECK_INT(p.over[0], 90);
	CHECK_STR(fmt(p.planned[1]), "2026-11-23");
	for (int w = 0; w < 4; w++)
		CHECK(p.load[w].used <= p.load[w].capacity);
	weekplan_free(&p);
}

/* A before B whatever the overdue days; within a tier the most overdue first. */
static void
test_priority(void)
{
	struct weekplan_person team[] = {{"ana", 0.5}, {"ben", 0.5}};
	struct weekplan_options o = {day(2026, 11, 23), 1, 5};
	struct weekplan_item it[] = {
	    item("ana", 1, day(2025, 1, 1), "B very overdue", 30),
	    item("ana", 0, day(2026, 11, 20), "A a little overdue", 30),
	    item("ben", 0, day(2026, 11, 20), "A later", 30),
	    item("ben", 0, day(2026, 10, 1), "A earlier", 30),
	};
	struct weekplan p;
	weekplan_run(it, 4, team, 2, &o, &p);
	CHECK_INT(p.planned[0], -1);
	CHECK_STR(fmt(p.planned[1]), "2026-11-23");
	CHECK_INT(p.planned[2], -1);
	CHECK_STR(fmt(p.planned[3]), "2026-11-23");
	CHECK_INT(p.npeople, 2);
	CHECK_STR(p.people[0], "ana");
	CHECK_STR(p.people[1], "ben");
	CHECK_INT(p.over[0], 30);
	CHECK_INT(p.over[1], 30);
	CHECK_INT(weekplan_person_index(&p, "ben"), 1);
	CHECK_INT(weekplan_person_index(&p, "cy"), -1);
	weekplan_free(&p);
}

/* An item is planned from the week it falls due in, not before. */
static void
test_not_before_due(void)
{
	struct weekplan_person team[] = {{"ana", 10}};
	struct weekplan_options o = {day(2026, 11, 26), 3, 5};
	struct weekplan_item it[] = {item("ana", 0, day(2026, 12, 9), "Next-next week", 20),
	                             item("ana", 0, day(2027, 3, 1), "Past the horizon", 20)};
	struct weekplan p;
	weekplan_run(it, 2, team, 1, &o, &p);
	CHECK_STR(fmt(p.planned[0]), "2026-12-07");
	CHECK_INT(p.week[0], 2);
	CHECK_STR(fmt(p.planned[1]), "2026-12-07"); /* clamped to the last week */
	weekplan_free(&p);
}

/* Someone the team does not name has no limit. */
static void
test_no_limit(void)
{
	struct weekplan_options o = {day(2026, 11, 23), 1, 5};
	struct weekplan_item it[] = {item("assistant", 0, day(2026, 11, 1), "X", 6000)};
	struct weekplan p;
	weekplan_run(it, 1, NULL, 0, &o, &p);
	CHECK_STR(fmt(p.planned[0]), "2026-11-23");
	CHECK_INT(p.load[0].capacity, -1);
	CHECK_INT(p.load[0].used, 6000);
	weekplan_free(&p);

	weekplan_run(NULL, 0, NULL, 0, &o, &p);
	CHECK_INT(p.npeople, 0);
	weekplan_free(&p);
}

/* The same items in another order give the same plan, item for item. */
static void
test_deterministic(void)
{
	enum { N = 200 };
	static const char *names[] = {"Ana", "Ben", "Cy", "Dee", "Eve", "Flo", "Gus"};
	static char keys[N][8];
	struct weekplan_person team[] = {{"ana", 3}, {"ben", 2}};
	struct weekplan_options o = {day(2026, 11, 26), 4, 5};
	struct weekplan_item it[N], shuffled[N];
	size_t pos[N];
	unsigned seed = 20261202;
	for (size_t i = 0; i < N; i++) {
		seed = seed * 1103515245 + 12345;
		snprintf(keys[i], sizeof keys[i], "%zu", i);
		it[i] = (struct weekplan_item){i % 3 ? "ana" : "ben", (int)(seed >> 8) % 3,
		                               day(2026, 11, 1) + (long)(seed >> 12) % 60,
		                               names[(seed >> 4) % 7], keys[i], 15 + (long)(seed >> 16) % 4 * 15};
		pos[i] = i;
	}
	for (size_t i = N - 1; i > 0; i--) {
		seed = seed * 1103515245 + 12345;
		size_t j = (seed >> 8) % (i + 1), t = pos[i];
		pos[i] = pos[j];
		pos[j] = t;
	}
	for (size_t i = 0; i < N; i++)
		shuffled[i] = it[pos[i]];
	struct weekplan a, b;
	weekplan_run(it, N, team, 2, &o, &a);
	weekplan_run(shuffled, N, team, 2, &o, &b);
	int same = 1, placed = 0;
	for (size_t i = 0; i < N; i++) {
		same &= a.planned[pos[i]] == b.planned[i];
		placed += a.planned[pos[i]] >= 0;
	}
	CHECK(same);
	CHECK(placed > 0 && placed < N);
	for (size_t k = 0; k < a.npeople * 4; k++)
		CHECK(a.load[k].used <= a.load[k].capacity);
	weekplan_free(&a);
	weekplan_free(&b);
}

int
main(void)
{
	test_weekday();
	test_exactly_filled();
	test_week_part_left();
	test_too_big();
	test_priority();
	test_not_before_due();
	test_no_limit();
	test_deterministic();
	return unit_report("weekplan");
}
