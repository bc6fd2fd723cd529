/*
 * test_date.c - unit tests for lib/date.c.
 *
 * Parse results are compared as text: a date as date_format writes it, a
 * failure as "!" followed by the reason, so a wrong answer reads plainly.
 */
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "unit.h"

#define MDY DATE_ORDER_MDY
#define DMY DATE_ORDER_DMY
#define YMD DATE_ORDER_YMD

static struct date
ymd(int year, int month, int day)
{
	struct date d = {year, month, day};
	return d;
}

static const char *
fmt(struct date d)
{
	static char buf[16];
	return date_format(d, buf);
}

/* Parse s; the date as text, or "!why". */
static const char *
parse_as(const char *s, enum date_order order, unsigned flags)
{
	static char out[160];
	char why[128] = "";
	struct date d = {-1, -1, -1};
	if (date_parse(s, strlen(s), order, flags, &d, why, sizeof why) < 0) {
		snprintf(out, sizeof out, "!%s", why);
		return out;
	}
	return date_format(d, out);
}

static const char *
P(const char *s)
{
	return parse_as(s, MDY, 0);
}

static const char *
add_months(struct date d, long n)
{
	return fmt(date_add_months(d, n));
}

static const char *
next_occ(struct date d, struct date from)
{
	return fmt(date_next_occurrence(d, from));
}

/* The interval as "7d", or "!why". */
static const char *
dur(const char *s)
{
	static char out[200];
	char why[160] = "";
	struct duration d;
	if (duration_parse(s, &d, why, sizeof why) < 0) {
		snprintf(out, sizeof out, "!%s", why);
		return out;
	}
	char buf[24];
	snprintf(out, sizeof out, "%s", duration_format(d, buf));
	return out;
}

static bool
near(double a, double b)
{
	return a - b < 1e-6 && b - a < 1e-6;
}

static void
test_leap_and_months(void)
{
	CHECK(!date_is_leap(1900));
	CHECK(date_is_leap(2000));
	CHECK(date_is_leap(2024));
	CHECK(!date_is_leap(2023));
	CHECK(!date_is_leap(2100));
	CHECK(date_is_leap(2400));
	CHECK(date_is_leap(1996));
	CHECK_INT(date_days_in_month(2023, 2), 28);
	CHECK_INT(date_days_in_month(2024, 2), 29);
	CHECK_INT(date_days_in_month(1900, 2), 28);
	CHECK_INT(date_days_in_month(2000, 2), 29);
	CHECK_INT(date_days_in_month(0, 2), 29);
	CHECK_INT(date_days_in_month(2023, 1), 31);
	CHECK_INT(date_days_in_month(2023, 4), 30);
	CHECK_INT(date_days_in_month(2023, 12), 31);
	CHECK_INT(date_days_in_month(2023, 0), 0);
	CHECK_INT(date_days_in_month(2023, 13), 0);
	CHECK(date_valid(2024, 2, 29));
	CHECK(!date_valid(2023, 2, 29));
	CHECK(date_valid(0, 2, 29));
	CHECK(!date_valid(2024, 4, 31));
	CHECK(!date_valid(2024, 1, 0));
	CHECK(!date_valid(2024, 13, 1));
	CHECK(!date_valid(-1, 1, 1));
}

static void
test_day_numbers(void)
{
	CHECK_INT(date_to_days(ymd(1970, 1, 1)), 0);
	CHECK_INT(date_to_days(ymd(1970, 1, 2)), 1);
	CHECK_INT(date_to_days(ymd(1969, 12, 31)), -1);
	CHECK_INT(date_to_days(ymd(2000, 3, 1)), 11017);
	CHECK_INT(date_to_days(ymd(2024, 1, 1)), 19723);
	CHECK_INT(date_to_days(ymd(1900, 1, 1)), -25567);
	CHECK_STR(fmt(date_from_days(0)), "1970-01-01");
	CHECK_STR(fmt(date_from_days(-1)), "1969-12-31");
	CHECK_STR(fmt(date_from_days(19723)), "2024-01-01");
	CHECK_STR(fmt(date_from_days(date_to_days(ymd(9999, 12, 31)))), "9999-12-31");
	CHECK_STR(fmt(date_from_days(date_to_days(ymd(1, 1, 1)))), "0001-01-01");

	/* Every day of 1900..2100: a round trip, and each day follows the last. */
	long bad = 0;
	long days = date_to_days(ymd(1900, 1, 1));
	struct date prev = ymd(1899, 12, 31);
	for (int y = 1900; y <= 2100; y++) {
		for (int m = 1; m <= 12; m++) {
			for (int d = 1; d <= date_days_in_month(y, m); d++, days++) {
				struct date cur = ymd(y, m, d);
				struct date back = date_from_days(date_to_days(cur));
				if (date_to_days(cur) != days || date_cmp(back, cur) != 0 ||
				    date_diff_days(cur, prev) != 1 || date_cmp(prev, cur) >= 0 ||
				    date_cmp(date_add_days(prev, 1), cur) != 0) {
					if (bad++ == 0)
						fprintf(stderr, "day numbers: first bad day %s\n",
						        fmt(cur));
				}
				prev = cur;
			}
		}
	}
	CHECK_INT(bad, 0);
	CHECK_INT(days, date_to_days(ymd(2101, 1, 1)));
	CHECK_INT(date_diff_days(ymd(2101, 1, 1), ymd(1900, 1, 1)), 73414);
}

static void
test_arithmetic(void)
{
	CHECK_STR(fmt(date_add_days(ymd(2023, 12, 31), 1)), "2024-01-01");
	CHECK_STR(fmt(date_add_days(ymd(2024, 1, 1), -1)), "2023-12-31");
	CHECK_STR(fmt(date_add_days(ymd(2024, 2, 28), 1)), "2024-02-29");
	CHECK_STR(fmt(date_add_days(ymd(2023, 2, 28), 1)), "2023-03-01");
	CHECK_STR(fmt(date_add_days(ymd(2024, 3, 5), 365)), "2025-03-05");
	CHECK_STR(fmt(date_add_days(ymd(2024, 3, 5), 0)), "2024-03-05");
	CHECK_STR(fmt(date_add_days(ymd(0, 12, 31), 1)), "--01-01");
	CHECK_STR(fmt(date_add_days(ymd(0, 3, 15), -7)), "--03-08");
	CHECK_STR(fmt(date_add_days(ymd(0, 1, 3), -7)), "--12-27");
	CHECK_STR(fmt(date_add_days(ymd(0, 2, 28), 1)), "--02-29");

	CHECK_STR(add_months(ymd(2024, 1, 31), 1), "2024-02-29");
	CHECK_STR(add_months(ymd(2023, 1, 31), 1), "2023-02-28");
	CHECK_STR(add_months(ymd(2024, 3, 31), -1), "2024-02-29");
	CHECK_STR(add_months(ymd(2023, 3, 31), -1), "2023-02-28");
	CHECK_STR(add_months(ymd(2024, 8, 31), 1), "2024-09-30");
	CHECK_STR(add_months(ymd(2024, 5, 31), 1), "2024-06-30");
	CHECK_STR(add_months(ymd(2024, 11, 15), 2), "2025-01-15");
	CHECK_STR(add_months(ymd(2024, 1, 15), -1), "2023-12-15");
	CHECK_STR(add_months(ymd(2024, 1, 15), -13), "2022-12-15");
	CHECK_STR(add_months(ymd(2024, 1, 15), -24), "2022-01-15");
	CHECK_STR(add_months(ymd(2024, 3, 5), 18), "2025-09-05");
	CHECK_STR(add_months(ymd(2024, 12, 31), 12), "2025-12-31");
	CHECK_STR(add_months(ymd(2024, 3, 5), 0), "2024-03-05");
	CHECK_STR(add_months(ymd(0, 12, 10), 1), "--01-10");
	CHECK_STR(add_months(ymd(0, 1, 31), 1), "--02-29");
	CHECK_STR(add_months(ymd(0, 1, 10), -1), "--12-10");

	CHECK_STR(fmt(date_add_years(ymd(2024, 2, 29), 1)), "2025-02-28");
	CHECK_STR(fmt(date_add_years(ymd(2024, 2, 29), 4)), "2028-02-29");
	CHECK_STR(fmt(date_add_years(ymd(2024, 2, 29), -1)), "2023-02-28");
	CHECK_STR(fmt(date_add_years(ymd(2000, 2, 29), 100)), "2100-02-28");
	CHECK_STR(fmt(date_add_years(ymd(2023, 3, 5), 1)), "2024-03-05");
	CHECK_STR(fmt(date_add_years(ymd(0, 3, 5), 1)), "--03-05");

	CHECK_INT(date_diff_days(ymd(2024, 1, 1), ymd(2023, 1, 1)), 365);
	CHECK_INT(date_diff_days(ymd(2025, 1, 1), ymd(2024, 1, 1)), 366);
	CHECK_INT(date_diff_days(ymd(2023, 1, 1), ymd(2024, 1, 1)), -365);
	CHECK_INT(date_diff_days(ymd(2024, 3, 1), ymd(2024, 2, 28)), 2);
	CHECK_INT(date_diff_days(ymd(2023, 3, 1), ymd(2023, 2, 28)), 1);
	CHECK_INT(date_diff_days(ymd(2024, 3, 5), ymd(2024, 3, 5)), 0);
	CHECK_INT(date_diff_days(ymd(2000, 1, 1), ymd(1900, 1, 1)), 36524);
	CHECK_INT(date_diff_days(ymd(2024, 1, 2), ymd(2023, 12, 30)), 3);

	CHECK(date_cmp(ymd(2024, 3, 5), ymd(2024, 3, 5)) == 0);
	CHECK(date_cmp(ymd(2024, 3, 5), ymd(2024, 3, 6)) < 0);
	CHECK(date_cmp(ymd(2024, 4, 1), ymd(2024, 3, 31)) > 0);
	CHECK(date_cmp(ymd(2023, 12, 31), ymd(2024, 1, 1)) < 0);
	CHECK(date_cmp(ymd(0, 12, 31), ymd(1900, 1, 1)) < 0);
}

/* No arithmetic leaves the years 1..9999: clamped, and refused by date_add_checked. */
static void
test_year_range(void)
{
	CHECK_STR(fmt(date_add_days(ymd(9999, 12, 31), 1)), "9999-12-31");
	CHECK_STR(fmt(date_add_days(ymd(9999, 12, 30), 1)), "9999-12-31");
	CHECK_STR(fmt(date_add_days(ymd(1, 1, 1), -1)), "0001-01-01");
	CHECK_STR(fmt(date_add_days(ymd(2026, 1, 1), 2147483647L)), "9999-12-31");
	CHECK_STR(fmt(date_add_days(ymd(2026, 1, 1), -2147483647L)), "0001-01-01");
	CHECK_STR(add_months(ymd(9999, 12, 1), 1), "9999-12-31");
	CHECK_STR(add_months(ymd(9999, 11, 30), 1), "9999-12-30");
	CHECK_STR(add_months(ymd(2026, 1, 1), 2147483647L), "9999-12-31");
	CHECK_STR(add_months(ymd(1, 1, 31), -1), "0001-01-01");
	CHECK_STR(fmt(date_add_years(ymd(9000, 6, 1), 1000)), "9999-12-31");
	CHECK_STR(fmt(date_add_years(ymd(9000, 6, 1), 999)), "9999-06-01");
	CHECK_STR(fmt(date_add_years(ymd(2026, 6, 1), -2147483647L)), "0001-01-01");
	CHECK_STR(next_occ(ymd(0, 3, 5), ymd(9999, 6, 1)), "9999-12-31");
	CHECK(date_in_range(ymd(9999, 12, 31)) && date_in_range(ymd(0, 2, 29)));
	CHECK(!date_in_range(ymd(10000, 1, 1)) && !date_in_range(ymd(-1, 1, 1)));

	struct date out;
	struct duration day = {1, DUR_DAYS}, week = {1, DUR_WEEKS}, month = {1, DUR_MONTHS},
	                year = {1, DUR_YEARS}, far = {99999, DUR_YEARS};
	CHECK_INT(date_add_checked(ymd(9999, 12, 30), day, 1, &out), 0);
	CHECK_STR(fmt(out), "9999-12-31");
	CHECK_INT(date_add_checked(ymd(9999, 12, 31), day, 1, &out), -1);
	CHECK_INT(date_add_checked(ymd(9999, 12, 25), week, 1, &out), -1);
	CHECK_INT(date_add_checked(ymd(9999, 12, 1), month, 1, &out), -1);
	CHECK_INT(date_add_checked(ymd(9999, 11, 30), month, 1, &out), 0);
	CHECK_INT(date_add_checked(ymd(9999, 1, 1), year, 1, &out), -1);
	CHECK_INT(date_add_checked(ymd(9999, 1, 1), year, -1, &out), 0);
	CHECK_INT(date_add_checked(ymd(1, 1, 1), day, -1, &out), -1);
	CHECK_INT(date_add_checked(ymd(2026, 1, 1), far, 1, &out), -1);
	CHECK_STR(fmt(out), "9999-12-31");
	CHECK_INT(date_add_checked(ymd(0, 12, 31), day, 1, &out), 0); /* no year: goes round */
	CHECK_STR(fmt(out), "--01-01");
	/* A year of five digits is not a date. */
	CHECK(date_parse("10000-01-01", 11, DATE_ORDER_YMD, 0, &out, NULL, 0) < 0);
	CHECK(date_parse("1/1/10000", 9, DATE_ORDER_MDY, 0, &out, NULL, 0) < 0);
}

static void
test_next_occurrence(void)
{
	struct date leapling = ymd(1980, 2, 29);
	CHECK_STR(next_occ(leapling, ymd(2023, 1, 10)), "2023-02-28");
	CHECK_STR(next_occ(leapling, ymd(2023, 2, 28)), "2023-02-28");
	CHECK_STR(next_occ(leapling, ymd(2023, 3, 1)), "2024-02-29");
	CHECK_STR(next_occ(leapling, ymd(2024, 2, 29)), "2024-02-29");
	CHECK_STR(next_occ(leapling, ymd(2024, 3, 1)), "2025-02-28");
	CHECK_STR(next_occ(leapling, ymd(2099, 3, 1)), "2100-02-28");
	CHECK_STR(next_occ(ymd(0, 2, 29), ymd(2024, 1, 1)), "2024-02-29");
	CHECK_STR(next_occ(ymd(1975, 1, 2), ymd(2023, 12, 30)), "2024-01-02");
	CHECK_STR(next_occ(ymd(1975, 12, 31), ymd(2023, 12, 30)), "2023-12-31");
	CHECK_STR(next_occ(ymd(1975, 3, 15), ymd(2024, 3, 15)), "2024-03-15");
	CHECK_STR(next_occ(ymd(1975, 3, 15), ymd(2024, 3, 16)), "2025-03-15");
	CHECK_STR(next_occ(ymd(0, 3, 15), ymd(2024, 3, 14)), "2024-03-15");
	CHECK_STR(next_occ(ymd(2030, 6, 1), ymd(2024, 1, 1)), "2024-06-01");
}

static void
test_format(void)
{
	char buf[16];
	CHECK_STR(date_format(ymd(2024, 3, 5), buf), "2024-03-05");
	CHECK_STR(date_format(ymd(0, 3, 5), buf), "--03-05");
	/* date_put writes the same and says how long it is. */
	CHECK_INT(date_put(ymd(2024, 3, 5), buf), 10);
	CHECK_STR(buf, "2024-03-05");
	CHECK_INT(date_put(ymd(0, 12, 31), buf), 7);
	CHECK_STR(buf, "--12-31");
	CHECK_STR(date_format(ymd(0, 12, 31), buf), "--12-31");
	CHECK_STR(date_format(ymd(987, 1, 2), buf), "0987-01-02");
	CHECK_STR(date_format(ymd(9999, 12, 31), buf), "9999-12-31");
	CHECK(date_format(ymd(2024, 3, 5), buf) == buf);
}

static void
test_parse_iso(void)
{
	CHECK_STR(P("2024-03-05"), "2024-03-05");
	CHECK_STR(P("  2024-03-05\t"), "2024-03-05");
	CHECK_STR(P("2024-3-5"), "2024-03-05");
	CHECK_STR(P("2024/3/5"), "2024-03-05");
	CHECK_STR(P("2024/03/05"), "2024-03-05");
	CHECK_STR(P("2024.03.05"), "2024-03-05");
	CHECK_STR(parse_as("2024-03-05", DMY, 0), "2024-03-05");
	CHECK_STR(parse_as("2024/3/5", YMD, 0), "2024-03-05");
	CHECK_STR(P("2024-03-05 14:22"), "2024-03-05");
	CHECK_STR(P("2024-03-05 14:22:07"), "2024-03-05");
	CHECK_STR(P("2024-03-05T14:22:00Z"), "2024-03-05");
	CHECK_STR(P("2024-03-05T14:22:00.000+01:00"), "2024-03-05");
	CHECK_STR(P("2024-03-05T14:22:00-0500"), "2024-03-05");
	CHECK_STR(P("2024-03-05T14:22"), "2024-03-05");
	CHECK_STR(P("2024-03-05T14"), "2024-03-05");
	CHECK_STR(P("2024-03-05 00:00:00 UTC"), "2024-03-05");
	CHECK_STR(P("2024-02-29"), "2024-02-29");
	CHECK_STR(P("2000-02-29"), "2000-02-29");

	CHECK_STR(P("2023-02-29"), "!day 29 in February 2023 (not a leap year)");
	CHECK_STR(P("1900-02-29"), "!day 29 in February 1900 (not a leap year)");
	CHECK_STR(P("2024-02-30"), "!day 30 in February");
	CHECK_STR(P("2024-04-31"), "!day 31 in April");
	CHECK_STR(P("2024-13-01"), "!month 13");
	CHECK_STR(P("2024-00-10"), "!month 0");
	CHECK_STR(P("2024-01-00"), "!day 0");
	CHECK_STR(P("2024-01-32"), "!day 32 in January");
	CHECK_STR(P("0000-01-01"), "!year 0");
	CHECK_STR(P("2024-03-05 25:00"), "!bad time \"25:00\"");
	CHECK_STR(P("2024-03-05T14:61"), "!bad time \"14:61\"");
	CHECK_STR(P("2024-03-05 14"), "!bad time \"14\"");
	CHECK_STR(P("2024-03-05 junk"), "!not a date");
	CHECK_STR(P("2024-03-05x"), "!not a date");
	CHECK_STR(P("2024-03"), "!not a date");
	CHECK_STR(P("2024-003-05"), "!not a date");
	CHECK_STR(P("2024-03/05"), "!not a date");
	CHECK_STR(P("20240305"), "!not a date");
}

static void
test_parse_numeric(void)
{
	CHECK_STR(parse_as("3/5/2024", MDY, 0), "2024-03-05");
	CHECK_STR(parse_as("3/5/2024", DMY, 0), "2024-05-03");
	CHECK_STR(parse_as("03/05/2024", MDY, 0), "2024-03-05");
	CHECK_STR(parse_as("3-5-2024", MDY, 0), "2024-03-05");
	CHECK_STR(parse_as("05-03-2024", DMY, 0), "2024-03-05");
	CHECK_STR(parse_as("3/5/24", MDY, 0), "2024-03-05");
	CHECK_STR(parse_as("3/5/69", MDY, 0), "2069-03-05");
	CHECK_STR(parse_as("3/5/70", MDY, 0), "1970-03-05");
	CHECK_STR(parse_as("3/5/99", MDY, 0), "1999-03-05");
	CHECK_STR(parse_as("3/5/00", MDY, 0), "2000-03-05");
	CHECK_STR(parse_as("3/5/2024 14:22", MDY, 0), "2024-03-05");
	CHECK_STR(parse_as("3/5/2024 2:22 PM", MDY, 0), "2024-03-05");
	CHECK_STR(parse_as("3/5/2024 12:00:00 am", MDY, 0), "2024-03-05");
	CHECK_STR(parse_as("24/3/5", YMD, 0), "2024-03-05");
	CHECK_STR(parse_as("24-03-05", YMD, 0), "2024-03-05");

	/* Dots are day.month.year whatever the order. */
	CHECK_STR(parse_as("5.3.1980", MDY, 0), "1980-03-05");
	CHECK_STR(parse_as("5.3.1980", DMY, 0), "1980-03-05");
	CHECK_STR(parse_as("05.03.80", MDY, 0), "1980-03-05");
	CHECK_STR(parse_as("31.12.2023", MDY, 0), "2023-12-31");

	CHECK_STR(parse_as("31/02/1980", DMY, 0), "!day 31 in February");
	CHECK_STR(parse_as("29/02/2023", DMY, 0), "!day 29 in February 2023 (not a leap year)");
	CHECK_STR(parse_as("13/5/2024", MDY, 0), "!month 13");
	CHECK_STR(parse_as("5/13/2024", DMY, 0), "!month 13");
	CHECK_STR(parse_as("0/5/2024", MDY, 0), "!month 0");
	CHECK_STR(parse_as("3/5/0000", MDY, 0), "!year 0");
	CHECK_STR(parse_as("3/5/024", MDY, 0), "!not a date");
	CHECK_STR(parse_as("3/5/2", MDY, 0), "!not a date");
	CHECK_STR(parse_as("3/5/20245", MDY, 0), "!not a date");
	CHECK_STR(parse_as("123/5/2024", MDY, 0), "!not a date");
	CHECK_STR(parse_as("3/5-2024", MDY, 0), "!not a date");
	CHECK_STR(parse_as("3/5", MDY, 0), "!not a date");
	CHECK_STR(parse_as("3/5/2024/1", MDY, 0), "!not a date");
	CHECK_STR(parse_as("5/3/1980", YMD, 0), "!not a date");
	CHECK_STR(parse_as("1.2.3.4", DMY, 0), "!not a date");
}

static void
test_parse_names(void)
{
	CHECK_STR(P("Mar 5, 1980"), "1980-03-05");
	CHECK_STR(P("March 5 1980"), "1980-03-05");
	CHECK_STR(P("march 5, 1980"), "1980-03-05");
	CHECK_STR(P("MARCH 5 1980"), "1980-03-05");
	CHECK_STR(P("Mar. 5, 1980"), "1980-03-05");
	CHECK_STR(P("Sept 5, 1980"), "1980-09-05");
	CHECK_STR(P("Sep 5, 1980"), "1980-09-05");
	CHECK_STR(P("September 5th, 1980"), "1980-09-05");
	CHECK_STR(P("5 March 1980"), "1980-03-05");
	CHECK_STR(P("5-Mar-1980"), "1980-03-05");
	CHECK_STR(P("05-mar-80"), "1980-03-05");
	CHECK_STR(P("5 Mar 80"), "1980-03-05");
	CHECK_STR(P("5 Mar 24"), "2024-03-05");
	CHECK_STR(P("1st January 2024"), "2024-01-01");
	CHECK_STR(P("05MAR1980"), "1980-03-05");
	CHECK_STR(P("Mar 5"), "--03-05");
	CHECK_STR(P("5 Mar"), "--03-05");
	CHECK_STR(P("Feb 29"), "--02-29");
	CHECK_STR(P("Mar 5, 1980 14:22"), "1980-03-05");
	CHECK_STR(P("Mar 5 14:22"), "--03-05");
	CHECK_STR(P("5/Mar/1980"), "1980-03-05");
	CHECK_STR(P("Dec 25 2023"), "2023-12-25");
	CHECK_STR(P("jan 1 2024"), "2024-01-01");
	CHECK_STR(P("June 30, 2024"), "2024-06-30");
	CHECK_STR(P("July 4 1976"), "1976-07-04");
	CHECK_STR(P("Aug 31 2024"), "2024-08-31");
	CHECK_STR(P("Oct 1 2024"), "2024-10-01");
	CHECK_STR(P("Nov 11 1918"), "1918-11-11");
	CHECK_STR(P("Apr 1 2024"), "2024-04-01");
	CHECK_STR(P("May 1 2024"), "2024-05-01");

	CHECK_STR(P("Feb 31, 1980"), "!day 31 in February");
	CHECK_STR(P("29 Feb 2023"), "!day 29 in February 2023 (not a leap year)");
	CHECK_STR(P("Feb 30"), "!day 30 in February");
	CHECK_STR(P("Mar 0, 1980"), "!day 0");
	CHECK_STR(P("March 2024"), "!no day");
	CHECK_STR(P("Foo 5, 1980"), "!unknown month \"Foo\"");
	CHECK_STR(P("5 Mrz 1980"), "!unknown month \"Mrz\"");
	CHECK_STR(P("Ma 5 1980"), "!unknown month \"Ma\"");
	CHECK_STR(P("Mar 5, 198"), "!not a date");
	CHECK_STR(P("5 Mar 0000"), "!year 0");
	CHECK_STR(P("123 Mar 1980"), "!not a date");
	CHECK_STR(P("Mar 5 1980 foo"), "!not a date");
	CHECK_STR(P("Mar 5xx 1980"), "!not a date");
	CHECK_STR(P("March"), "!not a date");
	CHECK_STR(P("Marching 5 1980"), "!unknown month \"Marching\"");
}

static void
test_parse_other(void)
{
	CHECK_STR(P("--03-05"), "--03-05");
	CHECK_STR(P("--0305"), "--03-05");
	CHECK_STR(P(" --02-29 "), "--02-29");
	CHECK_STR(P("--02-30"), "!day 30 in February");
	CHECK_STR(P("--13-01"), "!month 13");
	CHECK_STR(P("--3-5"), "!not a date");
	CHECK_STR(P("--03-05x"), "!not a date");
	CHECK_STR(P("--030"), "!not a date");
	CHECK_STR(P("--"), "!not a date");

	CHECK_STR(P(""), "!not a date");
	CHECK_STR(P("   "), "!not a date");
	CHECK_STR(P("n/a"), "!not a date");
	CHECK_STR(P("TBD"), "!not a date");
	CHECK_STR(P("?"), "!not a date");
	CHECK_STR(P("-5"), "!not a date");
	CHECK_STR(P("45292"), "!not a date");

	/* Excel serials. */
	CHECK_STR(parse_as("45292", MDY, DATE_SERIAL), "2024-01-01");
	CHECK_STR(parse_as("45292.75", MDY, DATE_SERIAL), "2024-01-01");
	CHECK_STR(parse_as("1", MDY, DATE_SERIAL), "1900-01-01");
	CHECK_STR(parse_as("59", MDY, DATE_SERIAL), "1900-02-28");
	CHECK_STR(parse_as("61", MDY, DATE_SERIAL), "1900-03-01");
	CHECK_STR(parse_as("60000", MDY, DATE_SERIAL), "2064-04-08");
	CHECK_STR(parse_as("36526", MDY, DATE_SERIAL), "2000-01-01");
	CHECK_STR(parse_as("2958465", MDY, DATE_SERIAL), "9999-12-31");
	CHECK_STR(parse_as("60", MDY, DATE_SERIAL),
	          "!serial 60 is 29 February 1900, which did not exist");
	CHECK_STR(parse_as("0", MDY, DATE_SERIAL), "!serial number out of range (1 to 2958465)");
	CHECK_STR(parse_as("2958466", MDY, DATE_SERIAL),
	          "!serial number out of range (1 to 2958465)");
	CHECK_STR(parse_as("99999999999999999999", MDY, DATE_SERIAL),
	          "!serial number out of range (1 to 2958465)");
	CHECK_STR(parse_as("2024-03-05", MDY, DATE_SERIAL), "2024-03-05");

	/* The text need not be NUL-terminated: only len bytes are read. */
	struct date d;
	CHECK_INT(date_parse("2024-03-05junk", 10, MDY, 0, &d, NULL, 0), 0);
	CHECK_STR(fmt(d), "2024-03-05");
	/* A failure leaves *out alone and tolerates no why buffer. */
	d = ymd(1, 2, 3);
	CHECK_INT(date_parse("31/02/1980", 10, DMY, 0, &d, NULL, 0), -1);
	CHECK_STR(fmt(d), "0001-02-03");
	/* A short why buffer is truncated, not overrun. */
	char small[8];
	CHECK_INT(date_parse("31/02/1980", 10, DMY, 0, &d, small, sizeof small), -1);
	CHECK_STR(small, "day 31 ");
}

static void
test_orders_possible(void)
{
	unsigned mdy = 1u << DATE_ORDER_MDY, dmy = 1u << DATE_ORDER_DMY;
#define ORDERS(s) date_orders_possible(s, strlen(s))
	CHECK_INT(ORDERS("1/2/2024"), mdy | dmy);
	CHECK_INT(ORDERS("13/2/2024"), dmy);
	CHECK_INT(ORDERS("2/13/2024"), mdy);
	CHECK_INT(ORDERS("13/13/2024"), 0);
	CHECK_INT(ORDERS("2/30/2024"), 0);
	CHECK_INT(ORDERS("30/2/2024"), 0);
	CHECK_INT(ORDERS("29/2/2024"), dmy);
	CHECK_INT(ORDERS("29/2/2023"), 0);
	CHECK_INT(ORDERS("1-2-24"), mdy | dmy);
	CHECK_INT(ORDERS(" 12/31/2023 14:22 "), mdy);
	CHECK_INT(ORDERS("5/5/2024"), mdy | dmy);
	CHECK_INT(ORDERS("2024-01-02"), 0);
	CHECK_INT(ORDERS("2024/1/2"), 0);
	CHECK_INT(ORDERS("1.2.2024"), 0);
	CHECK_INT(ORDERS("Mar 5, 1980"), 0);
	CHECK_INT(ORDERS("1/2"), 0);
	CHECK_INT(ORDERS("1/2/2024 junk"), 0);
	CHECK_INT(ORDERS(""), 0);
#undef ORDERS
}

static void
test_today(void)
{
	char why[128] = "";
	struct date d;
	CHECK_INT(date_today("2024-03-05", &d, why, sizeof why), 0);
	CHECK_STR(fmt(d), "2024-03-05");
	CHECK_INT(date_today("13/5/2024", &d, why, sizeof why), 0);
	CHECK_STR(fmt(d), "2024-05-13");
	CHECK_INT(date_today("5 Mar 2024", &d, why, sizeof why), 0);
	CHECK_STR(fmt(d), "2024-03-05");
	CHECK_INT(date_today("3/5/2024", &d, why, sizeof why), -1);
	CHECK_STR(why, "day or month first? (write YYYY-MM-DD)");
	CHECK_INT(date_today("--03-05", &d, why, sizeof why), -1);
	CHECK_STR(why, "no year");
	CHECK_INT(date_today("2023-02-29", &d, why, sizeof why), -1);
	CHECK_STR(why, "day 29 in February 2023 (not a leap year)");

	CHECK_INT(setenv("CS_TODAY", "2023-12-30", 1), 0);
	CHECK_INT(date_today(NULL, &d, why, sizeof why), 0);
	CHECK_STR(fmt(d), "2023-12-30");
	CHECK_INT(date_today("", &d, why, sizeof why), 0);
	CHECK_STR(fmt(d), "2023-12-30");
	CHECK_INT(date_today("2024-01-02", &d, why, sizeof why), 0);
	CHECK_STR(fmt(d), "2024-01-02");
	CHECK_INT(setenv("CS_TODAY", "soon", 1), 0);
	CHECK_INT(date_today(NULL, &d, why, sizeof why), -1);
	CHECK_STR(why, "CS_TODAY: not a date");

	CHECK_INT(setenv("CS_TODAY", "", 1), 0);
	CHECK_INT(date_today(NULL, &d, why, sizeof why), 0);
	CHECK(date_valid(d.year, d.month, d.day) && d.year >= 2024);
	CHECK_INT(unsetenv("CS_TODAY"), 0);
	CHECK_INT(date_today(NULL, &d, why, sizeof why), 0);
	CHECK(date_valid(d.year, d.month, d.day) && d.year >= 2024);
}

static void
test_durations(void)
{
	CHECK_STR(dur("7d"), "7d");
	CHECK_STR(dur("2w"), "2w");
	CHECK_STR(dur("3m"), "3m");
	CHECK_STR(dur("18m"), "18m");
	CHECK_STR(dur("1y"), "1y");
	CHECK_STR(dur("0d"), "0d");
	CHECK_STR(dur("60D"), "60d");
	CHECK_STR(dur(" 90d "), "90d");
	CHECK_STR(dur("daily"), "1d");
	CHECK_STR(dur("weekly"), "1w");
	CHECK_STR(dur("biweekly"), "2w");
	CHECK_STR(dur("fortnightly"), "2w");
	CHECK_STR(dur("monthly"), "1m");
	CHECK_STR(dur("Monthly"), "1m");
	CHECK_STR(dur("QUARTERLY"), "3m");
	CHECK_STR(dur("semiannually"), "6m");
	CHECK_STR(dur("semi-annually"), "6m");
	CHECK_STR(dur("yearly"), "1y");
	CHECK_STR(dur("annually"), "1y");

	CHECK_STR(dur("3 weeks"), "!\"3 weeks\" is not an interval (write 3w)");
	CHECK_STR(dur("18 Months"), "!\"18 Months\" is not an interval (write 18m)");
	CHECK_STR(dur("1 yr"), "!\"1 yr\" is not an interval (write 1y)");
	CHECK_STR(dur("7 d"), "!\"7 d\" is not an interval (write 7d)");
	CHECK_STR(dur(""), "!\"\" is not an interval (write 7d, 2w, 3m, 1y or weekly, monthly, "
	                   "quarterly, yearly)");
	CHECK_STR(dur("-1m"), "!\"-1m\" is not an interval (write 7d, 2w, 3m, 1y or weekly, "
	                      "monthly, quarterly, yearly)");
	CHECK_STR(dur("m"), "!\"m\" is not an interval (write 7d, 2w, 3m, 1y or weekly, monthly, "
	                    "quarterly, yearly)");
	CHECK_STR(dur("3"), "!\"3\" is not an interval (write 7d, 2w, 3m, 1y or weekly, monthly, "
	                    "quarterly, yearly)");
	CHECK_STR(dur("3x"), "!\"3x\" is not an interval (write 7d, 2w, 3m, 1y or weekly, "
	                     "monthly, quarterly, yearly)");
	CHECK_STR(dur("3mm"), "!\"3mm\" is not an interval (write 7d, 2w, 3m, 1y or weekly, "
	                      "monthly, quarterly, yearly)");
	CHECK_STR(dur("1.5m"), "!\"1.5m\" is not an interval (write 7d, 2w, 3m, 1y or weekly, "
	                       "monthly, quarterly, yearly)");
	CHECK_STR(dur("every month"), "!\"every month\" is not an interval (write 7d, 2w, 3m, 1y "
	                              "or weekly, monthly, quarterly, yearly)");
	CHECK_STR(dur("100000d"), "!\"100000d\" is too long an interval");
	CHECK_STR(dur(NULL), "!\"\" is not an interval (write 7d, 2w, 3m, 1y or weekly, monthly, "
	                     "quarterly, yearly)");

	struct duration monthly = {1, DUR_MONTHS}, quarterly = {3, DUR_MONTHS};
	struct duration weekly = {1, DUR_WEEKS}, biweekly = {2, DUR_WEEKS};
	struct duration yearly = {1, DUR_YEARS}, week_in_days = {7, DUR_DAYS};
	struct duration zero = {0, DUR_DAYS};
	CHECK(near(duration_per_year(monthly), 12));
	CHECK(near(duration_per_year(quarterly), 4));
	CHECK(near(duration_per_year((struct duration){18, DUR_MONTHS}), 12.0 / 18));
	CHECK(near(duration_per_year(yearly), 1));
	CHECK(near(duration_per_year(weekly), 365.25 / 7));
	CHECK(duration_per_year(weekly) > 52.17 && duration_per_year(weekly) < 52.19);
	CHECK(near(duration_per_year(biweekly), 365.25 / 14));
	CHECK(near(duration_per_year(week_in_days), duration_per_year(weekly)));
	CHECK(near(duration_per_year(zero), 0));
	CHECK(near(duration_days(week_in_days), 7));
	CHECK(near(duration_days(biweekly), 14));
	CHECK(near(duration_days(monthly), 30.4375));
	CHECK(near(duration_days(yearly), 365.25));
	CHECK(duration_days(quarterly) < duration_days(yearly));

	struct date jan31 = ymd(2024, 1, 31);
	CHECK_STR(fmt(date_add_duration(jan31, monthly, 1)), "2024-02-29");
	CHECK_STR(fmt(date_add_duration(ymd(2024, 3, 31), monthly, -1)), "2024-02-29");
	CHECK_STR(fmt(date_add_duration(jan31, quarterly, 1)), "2024-04-30");
	CHECK_STR(fmt(date_add_duration(jan31, biweekly, 1)), "2024-02-14");
	CHECK_STR(fmt(date_add_duration(jan31, week_in_days, -1)), "2024-01-24");
	CHECK_STR(fmt(date_add_duration(ymd(2024, 2, 29), yearly, 1)), "2025-02-28");
	CHECK_STR(fmt(date_add_duration(ymd(0, 3, 15), week_in_days, -1)), "--03-08");

	char buf[24];
	CHECK_STR(duration_format(quarterly, buf), "3m");
	CHECK_STR(duration_format(yearly, buf), "1y");
	CHECK_STR(duration_format(week_in_days, buf), "7d");
	CHECK_STR(duration_format(biweekly, buf), "2w");
}

int
main(void)
{
	test_leap_and_months();
	test_day_numbers();
	test_arithmetic();
	test_year_range();
	test_next_occurrence();
	test_format();
	test_parse_iso();
	test_parse_numeric();
	test_parse_names();
	test_parse_other();
	test_orders_possible();
	test_today();
	test_durations();
	return unit_report("date");
}
