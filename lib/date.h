/*
 * date.h - calendar dates: parse, format, arithmetic, durations.
 *
 * A date is a proleptic Gregorian (year, month, day).  year == 0 means the
 * year is not known ("--03-15", a birthday given without a year): such a date
 * can be formatted and its next occurrence found, but not counted from.
 * Day arithmetic goes through a day number (days since 1970-01-01), so
 * differences and additions are exact across month and year ends.
 */
#ifndef CS_DATE_H
#define CS_DATE_H

#include <stdbool.h>
#include <stddef.h>

struct date {
	int year;  /* 0: no year */
	int month; /* 1..12 */
	int day;   /* 1..31 */
};

/* The order of an all-numeric date such as 1/2/2024. */
enum date_order {
	DATE_ORDER_MDY, /* US: 1/2/2024 is 2 January */
	DATE_ORDER_DMY, /* European: 1 February */
	DATE_ORDER_YMD, /* 2024/1/2 */
};

/* Flags for date_parse. */
enum {
	DATE_SERIAL = 1 << 0, /* accept Excel serial day numbers (60000 -> 2064-04-08) */
};

bool date_is_leap(int year);
/* Days in month of year; for year 0, February has 29. */
int date_days_in_month(int year, int month);
/* True if (year, month, day) is a real date (year 0: any year). */
bool date_valid(int year, int month, int day);

/* Day number of d (days since 1970-01-01).  d must have a year. */
long date_to_days(struct date d);
struct date date_from_days(long days);

/*
 * Parse s[0..len) into *out.  Leading and trailing spaces are ignored.
 * Accepted: ISO 8601 "2024-03-05" (a time after it, "T14:22:00Z" or
 * " 14:22", is ignored), "2024/3/5"; numeric d/m/y, m/d/y with separators
 * / - . in the given order (two-digit years: 00-69 -> 20xx, 70-99 -> 19xx);
 * "5.3.1980" is always day.month.year; month names in English, full or
 * abbreviated, any case ("Mar 5, 1980", "5 March 1980", "March 5 1980",
 * "5-Mar-1980"); year-less "--03-05", "--0305"; with DATE_SERIAL, an Excel
 * serial day number (1..2958465, 1900 date system, a fraction ignored).
 * Returns 0, or -1 with a short reason in why[0..whylen) written for a
 * person ("day 31 in February", "month 13", "not a date").
 */
int date_parse(const char *s, size_t len, enum date_order order, unsigned flags, struct date *out,
               char *why, size_t whylen);

/*
 * For an all-numeric a/b/yyyy date, which orders could read it: a bit mask
 * of (1 << DATE_ORDER_MDY) and (1 << DATE_ORDER_DMY).  0 for anything else
 * (including ISO dates, which are never ambiguous).  Used to settle a
 * column's order from its values: a day above 12 settles it.
 */
unsigned date_orders_possible(const char *s, size_t len);

/* Write d as "YYYY-MM-DD" or "--MM-DD" (no year) into buf; returns buf. */
char *date_format(struct date d, char buf[16]);
/* The same, returning its length: for a writer that appends it (no strlen). */
size_t date_put(struct date d, char buf[16]);

/*
 * The years cs reads, writes and counts in: 4 digits, as every format it
 * writes (ISO dates, .ics) has.  Arithmetic never leaves them: a result
 * past 9999-12-31 is 9999-12-31, one before 0001-01-01 is 0001-01-01
 * (a due date that far is as good as never); date_add_checked refuses it.
 */
enum { DATE_YEAR_MIN = 1, DATE_YEAR_MAX = 9999 };
/* True if d has no year or a year in DATE_YEAR_MIN..DATE_YEAR_MAX. */
bool date_in_range(struct date d);

struct date date_add_days(struct date d, long days);
/* Add months (negative to subtract), clamping the day to the month's end: Jan 31 + 1 = Feb 28/29.
 */
struct date date_add_months(struct date d, long months);
/* Add years; 29 February becomes 28 February in a year that has none. */
struct date date_add_years(struct date d, long years);
/* a - b in days. */
long date_diff_days(struct date a, struct date b);
/* <0, 0, >0 as a is before, equal to, after b. */
int date_cmp(struct date a, struct date b);

/*
 * The first occurrence of month/day of d on or after from (d's year is
 * ignored); 29 February falls on 28 February in years without one.
 */
struct date date_next_occurrence(struct date d, struct date from);

/*
 * Today: from override if not NULL/empty, else $CS_TODAY if set and not empty,
 * else the local date.  Returns 0, or -1 with why filled if the given value is
 * not a date.
 */
int date_today(const char *override, struct date *out, char *why, size_t whylen);

/* struct duration - an amount of days, weeks, months or years. */
enum duration_unit { DUR_DAYS, DUR_WEEKS, DUR_MONTHS, DUR_YEARS };
struct duration {
	long amount;
	enum duration_unit unit;
};

/*
 * Parse "7d", "2w", "3m", "18m", "1y" (no space, no sign) or the words weekly,
 * biweekly, monthly, quarterly, semiannually, yearly (also annually).
 * Returns 0, or -1 with why ("\"3 weeks\" is not an interval: use 3w").
 */
int duration_parse(const char *s, struct duration *out, char *why, size_t whylen);
/* d + sign * dur (sign is 1 or -1); months and years clamp as above. */
struct date date_add_duration(struct date d, struct duration dur, int sign);
/*
 * The same, refusing a result past 9999-12-31 or before 0001-01-01:
 * returns 0 with *out set, or -1 (*out then holds the clamped end).
 */
int date_add_checked(struct date d, struct duration dur, int sign, struct date *out);
/* Approximate length in days (months 30.44, years 365.25): for sorting and per-year rates. */
double duration_days(struct duration dur);
/* How many times a year an interval recurs (monthly -> 12, 2w -> 26.07...). */
double duration_per_year(struct duration dur);
/* Format as "7d", "3m"... into buf; returns buf. */
char *duration_format(struct duration dur, char buf[24]);

#endif
