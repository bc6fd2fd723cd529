/*
 * fuzz_date.c - dates and durations (lib/date.c).
 *
 * The bytes are parsed as a date in every order, with and without Excel
 * serials.  A date that parses must be valid, must format and parse back
 * to itself, and must survive the arithmetic the tools do with it (a day
 * number and back, days, months and years added, the next occurrence)
 * with valid dates and consistent differences.  The bytes are also parsed
 * as a duration, which must format and parse back to itself.
 */
#include "fuzz.h"

#include "date.h"

static void
check_valid(struct date d, const char *what)
{
	FUZZ_CHECK(date_valid(d.year, d.month, d.day), "%s gave %d-%d-%d", what, d.year, d.month,
	           d.day);
}

/*
 * A date computed from another: month and day must be real for its year.
 * The year may leave 1..9999 (99999y is a duration): date_format clamps it
 * by design.
 */
static void
check_computed(struct date d, const char *what)
{
	FUZZ_CHECK(d.month >= 1 && d.month <= 12 && d.day >= 1 &&
	               d.day <= date_days_in_month(d.year, d.month),
	           "%s gave %d-%d-%d", what, d.year, d.month, d.day);
}

static void
check_arithmetic(struct date d, long amount)
{
	long n = date_to_days(d);
	struct date back = date_from_days(n);
	FUZZ_CHECK(date_cmp(back, d) == 0, "day number %ld of %d-%d-%d", n, d.year, d.month, d.day);
	struct date plus = date_add_days(d, amount);
	check_computed(plus, "date_add_days");
	/* Exact within the years cs counts in, clamped at their ends past them. */
	struct date last = {DATE_YEAR_MAX, 12, 31}, first = {DATE_YEAR_MIN, 1, 1};
	long exact = n + amount;
	if (exact > date_to_days(last))
		FUZZ_CHECK(date_cmp(plus, last) == 0, "adding %ld days did not clamp", amount);
	else if (exact < date_to_days(first))
		FUZZ_CHECK(date_cmp(plus, first) == 0, "subtracting %ld days did not clamp", -amount);
	else
		FUZZ_CHECK(date_diff_days(plus, d) == amount, "adding %ld days", amount);
	FUZZ_CHECK(date_in_range(plus), "date_add_days left the years 1..9999");
	check_computed(date_add_months(d, amount), "date_add_months");
	check_computed(date_add_years(d, amount), "date_add_years");
	struct date from = {2026, 11, 26};
	struct date next = date_next_occurrence(d, from);
	check_valid(next, "date_next_occurrence");
	FUZZ_CHECK(date_cmp(next, from) >= 0, "the next occurrence is in the past");
	FUZZ_CHECK(date_diff_days(next, from) <= 366, "the next occurrence is over a year away");
}

static void
check_date(const char *s, size_t len, long amount)
{
	static const enum date_order orders[] = {DATE_ORDER_MDY, DATE_ORDER_DMY, DATE_ORDER_YMD};
	static const unsigned flags[] = {0, DATE_SERIAL};
	for (size_t o = 0; o < 3; o++) {
		for (size_t f = 0; f < 2; f++) {
			struct date d;
			char why[128] = "";
			if (date_parse(s, len, orders[o], flags[f], &d, why, sizeof why) != 0) {
				FUZZ_CHECK(why[0] != '\0', "a date refused without a reason");
				continue;
			}
			check_valid(d, "date_parse");
			char text[16];
			date_format(d, text);
			struct date again;
			FUZZ_CHECK(date_parse(text, strlen(text), DATE_ORDER_YMD, 0, &again, why,
			                      sizeof why) == 0 &&
			               date_cmp(again, d) == 0 && again.year == d.year,
			           "%s does not parse back (%s)", text, why);
			if (d.year != 0)
				check_arithmetic(d, amount);
		}
	}
	unsigned possible = date_orders_possible(s, len);
	FUZZ_CHECK((possible & ~((1u << DATE_ORDER_MDY) | (1u << DATE_ORDER_DMY))) == 0,
	           "orders %#x", possible);
}

static void
check_duration(const char *s)
{
	struct duration dur;
	char why[128] = "";
	if (duration_parse(s, &dur, why, sizeof why) != 0) {
		FUZZ_CHECK(why[0] != '\0', "a duration refused without a reason");
		return;
	}
	char text[24];
	duration_format(dur, text);
	struct duration again;
	FUZZ_CHECK(duration_parse(text, &again, why, sizeof why) == 0 &&
	               again.amount == dur.amount && again.unit == dur.unit,
	           "duration %s does not parse back", text);
	(void)duration_days(dur);
	(void)duration_per_year(dur);
	struct date d = {2024, 2, 29};
	check_computed(date_add_duration(d, dur, 1), "date_add_duration");
	check_computed(date_add_duration(d, dur, -1), "date_add_duration");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An amount to add from the last two bytes: small, as the tools' amounts are. */
	long amount = size >= 2 ? (long)(int16_t)(data[size - 2] << 8 | data[size - 1]) : 1;
	check_date((const char *)data, size, amount);
	char *s = fuzz_string(data, size);
	check_duration(s);
	struct date today;
	char why[128];
	if (s[0] && date_today(s, &today, why, sizeof why) == 0)
		check_valid(today, "date_today");
	free(s);
	return 0;
}
