/*
 * test_purge.c - the retention rules cs-purge applies: an archive row is
 * kept on its retain_until day and purged the day after; a touch-log row
 * dated on the cutoff is kept, the day before it purged; months clamp.
 */
#include "purge.h"
#include "unit.h"

static struct date
d(int y, int m, int day)
{
	return (struct date){y, m, day};
}

static void
test_expired(void)
{
	struct date today = d(2026, 11, 26);
	CHECK(!purge_expired(d(2026, 11, 27), today)); /* one day inside */
	CHECK(!purge_expired(d(2026, 11, 26), today)); /* its last day */
	CHECK(purge_expired(d(2026, 11, 25), today));  /* one day past */
	CHECK(purge_expired(d(2020, 1, 1), today));
}

static void
test_cutoff(void)
{
	char buf[16];
	struct duration six_years = {6, DUR_YEARS}, month = {1, DUR_MONTHS}, days = {30, DUR_DAYS};
	CHECK_STR(date_format(purge_log_cutoff(d(2026, 11, 26), six_years), buf), "2020-11-26");
	/* 29 February less a year: 28 February. */
	CHECK_STR(date_format(purge_log_cutoff(d(2028, 2, 29), (struct duration){1, DUR_YEARS}),
	                      buf),
	          "2027-02-28");
	/* 31 March less a month clamps to the end of February. */
	CHECK_STR(date_format(purge_log_cutoff(d(2026, 3, 31), month), buf), "2026-02-28");
	CHECK_STR(date_format(purge_log_cutoff(d(2026, 11, 26), days), buf), "2026-10-27");
	/* retain_until = removed_on + retention; a row so made is kept through that day. */
	struct date until = date_add_duration(d(2020, 11, 26), six_years, 1);
	CHECK(!purge_expired(until, d(2026, 11, 26)));
	CHECK(purge_expired(until, d(2026, 11, 27)));
}

int
main(void)
{
	test_expired();
	test_cutoff();
	return unit_report("purge");
}
