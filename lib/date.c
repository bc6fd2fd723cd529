/*
 * date.c - calendar dates for client books: parse what spreadsheets hold,
 * format as ISO 8601, and do the arithmetic a service calendar needs.
 *
 * Every sum and difference goes through a day number (days since
 * 1970-01-01) computed with Howard Hinnant's days_from_civil and
 * civil_from_days, which are exact for the whole proleptic Gregorian
 * calendar with no tables and no time_t, so no time zone or DST can shift a
 * date.  Months and years are added on (year, month) and the day clamped to
 * the month's end, as people expect (Jan 31 + 1 month = Feb 28 or 29).
 *
 * The parser is a hand-written scanner over the few shapes spreadsheets and
 * CRM exports really produce, not a general grammar: anything it does not
 * recognise is "not a date", and a recognised shape with a bad field gets a
 * reason a person can act on ("day 31 in February").  It uses no locale:
 * month names are English and case is folded with ascii_lower.
 *
 * A year-less date (year 0) stays year-less under arithmetic: year 0 of the
 * proleptic calendar is a leap year, so its days run --01-01 .. --12-31 with a
 * 29 February, and results that leave it wrap around into it again.
 */
#include "date.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"

/* Excel's largest serial, 9999-12-31. */
enum { SERIAL_MAX = 2958465 };
/* Longest interval amount duration_parse takes: 99999d is 273 years. */
enum { DURATION_MAX = 99999 };

static const char *const month_names[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December",
};

static int fail(char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(char *why, size_t whylen, const char *fmt, ...)
{
	if (why && whylen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Read a run of digits at *p, advancing past it.  Returns how many there
 * were; *val saturates rather than overflows, callers check the count.
 */
static int
read_digits(const char **p, const char *end, long *val)
{
	int n = 0;
	long v = 0;
	for (; *p < end && ascii_digit(**p); (*p)++, n++)
		if (v < 100000000L)
			v = v * 10 + (**p - '0');
	*val = v;
	return n;
}

/* A two-digit year: 00-69 is 2000-2069, 70-99 is 1970-1999. */
static int
expand_year(long y, int digits)
{
	if (digits == 2)
		return (int)(y < 70 ? 2000 + y : 1900 + y);
	return (int)y;
}

bool
date_is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int
date_days_in_month(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && date_is_leap(year))
		return 29;
	return days[month - 1];
}

bool
date_valid(int year, int month, int day)
{
	return year >= 0 && day >= 1 && day <= date_days_in_month(year, month);
}

/*
 * Why (year, month, day) is not a date, or 0 if it is one.  year 0 is a
 * year-less date, which may be 29 February.
 */
static int
check_fields(int year, long month, long day, char *why, size_t whylen)
{
	if (month < 1 || month > 12)
		return fail(why, whylen, "month %ld", month);
	if (day < 1)
		return fail(why, whylen, "day %ld", day);
	if (day > date_days_in_month(year, (int)month)) {
		if (month == 2 && day == 29)
			return fail(why, whylen, "day 29 in February %d (not a leap year)", year);
		return fail(why, whylen, "day %ld in %s", day, month_names[month - 1]);
	}
	return 0;
}

/* Hinnant's days_from_civil: eras of 400 years, March-based years. */
long
date_to_days(struct date d)
{
	long y = (long)d.year - (d.month <= 2);
	long era = (y >= 0 ? y : y - 399) / 400;
	long year_of_era = y - era * 400;
	long day_of_year = (153L * (d.month > 2 ? d.month - 3 : d.month + 9) + 2) / 5 + d.day - 1;
	long day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
	return era * 146097 + day_of_era - 719468;
}

/* Hinnant's civil_from_days, the inverse of date_to_days. */
struct date
date_from_days(long days)
{
	long z = days + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long day_of_era = z - era * 146097;
	long year_of_era =
	    (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
	long day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
	long mp = (5 * day_of_year + 2) / 153;
	long month = mp < 10 ? mp + 3 : mp - 9;
	struct date d = {
	    .year = (int)(year_of_era + era * 400 + (month <= 2)),
	    .month = (int)month,
	    .day = (int)(day_of_year - (153 * mp + 2) / 5 + 1),
	};
	return d;
}

/*
 * The month named by the letters p[0..len): a full English name or any
 * prefix of at least three letters ("Mar", "Sept"), in any case.  0 if none.
 */
static int
month_from_name(const char *p, size_t len)
{
	if (len < 3)
		return 0;
	for (int m = 0; m < 12; m++) {
		const char *name = month_names[m];
		if (len > strlen(name))
			continue;
		size_t i = 0;
		while (i < len && ascii_lower((unsigned char)p[i]) == ascii_lower(name[i]))
			i++;
		if (i == len)
			return m + 1;
	}
	return 0;
}

static bool
is_ordinal_suffix(const char *p, size_t len)
{
	if (len != 2)
		return false;
	char a = (char)ascii_lower((unsigned char)p[0]), b = (char)ascii_lower((unsigned char)p[1]);
	return (a == 's' && b == 't') || (a == 'n' && b == 'd') || (a == 'r' && b == 'd') ||
	       (a == 't' && b == 'h');
}

static const char *
skip_alpha(const char *p, const char *end)
{
	while (p < end && ascii_alpha(*p))
		p++;
	return p;
}

/* Separators between the parts of "Mar 5, 1980" or "5-Mar-1980". */
static const char *
skip_name_seps(const char *p, const char *end)
{
	while (p < end && (is_space(*p) || *p == ',' || *p == '-' || *p == '/' || *p == '.'))
		p++;
	return p;
}

/* "Z", "UTC" or "GMT", in any case, before an optional offset. */
static bool
is_zone_name(const char *p, size_t len)
{
	static const char *const names[] = {"z", "utc", "gmt"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		size_t j = 0;
		while (j < len && names[i][j] && ascii_lower((unsigned char)p[j]) == names[i][j])
			j++;
		if (j == len && !names[i][j])
			return true;
	}
	return false;
}

/*
 * True if [p, end) is empty or a time of day that exports put after a date:
 * "T14:22:00Z", "T14:22:00.000+01:00", " 14:22", " 2:22 PM".  After a space
 * the minutes are required, so "5 Mar 1980 12" is not taken for a time.
 */
static bool
is_time_tail(const char *p, const char *end)
{
	if (p == end)
		return true;
	bool after_t = *p == 'T' || *p == 't';
	if (!after_t && !is_space(*p))
		return false;
	p++;
	while (!after_t && p < end && is_space(*p))
		p++;
	long hour, min, sec;
	int n = read_digits(&p, end, &hour);
	if (n < 1 || n > 2 || hour > 24)
		return false;
	if (p < end && *p == ':') {
		p++;
		if (read_digits(&p, end, &min) != 2 || min > 59)
			return false;
		if (p < end && *p == ':') {
			p++;
			if (read_digits(&p, end, &sec) != 2 || sec > 60)
				return false;
			if (p < end && (*p == '.' || *p == ',')) {
				p++;
				if (read_digits(&p, end, &sec) < 1)
					return false;
			}
		}
	} else if (!after_t) {
		return false;
	}
	while (p < end && is_space(*p))
		p++;
	const char *word = p;
	p = skip_alpha(p, end);
	if (p - word == 2 &&
	    (ascii_lower((unsigned char)word[0]) == 'a' ||
	     ascii_lower((unsigned char)word[0]) == 'p') &&
	    ascii_lower((unsigned char)word[1]) == 'm') {
		if (hour < 1 || hour > 12)
			return false;
		while (p < end && is_space(*p))
			p++;
		word = p;
		p = skip_alpha(p, end);
	}
	if (p != word && !is_zone_name(word, (size_t)(p - word)))
		return false;
	if (p < end && (*p == '+' || *p == '-')) {
		p++;
		long zone;
		n = read_digits(&p, end, &zone);
		if (n == 2 && p < end && *p == ':') {
			p++;
			n = read_digits(&p, end, &zone);
		} else if (n == 4) {
			n = 2;
		}
		if (n != 2)
			return false;
	}
	return p == end;
}

/*
 * What follows a date that parsed: nothing, a time, or something that makes
 * the whole text not a date.
 */
static int
check_tail(const char *p, const char *end, char *why, size_t whylen)
{
	if (is_time_tail(p, end))
		return 0;
	const char *t = p;
	if (*t == 'T' || *t == 't' || is_space(*t)) {
		t++;
		while (t < end && is_space(*t))
			t++;
		if (t < end && ascii_digit(*t))
			return fail(why, whylen, "bad time \"%.*s\"",
			            (int)(end - t > 20 ? 20 : end - t), t);
	}
	return fail(why, whylen, "not a date");
}

/* "--03-05" or "--0305" (vCard), a date without a year. */
static int
parse_yearless(const char *p, const char *end, struct date *out, char *why, size_t whylen)
{
	long month, day;
	p += 2;
	int n = read_digits(&p, end, &month);
	if (n == 4) {
		day = month % 100;
		month /= 100;
	} else if (n == 2 && p < end && *p == '-') {
		p++;
		if (read_digits(&p, end, &day) != 2)
			return fail(why, whylen, "not a date");
	} else {
		return fail(why, whylen, "not a date");
	}
	if (p != end)
		return fail(why, whylen, "not a date");
	if (check_fields(0, month, day, why, whylen) < 0)
		return -1;
	*out = (struct date){.year = 0, .month = (int)month, .day = (int)day};
	return 0;
}

/* True if [p, end) is a plain number, digits with an optional fraction. */
static bool
is_number(const char *p, const char *end)
{
	const char *start = p;
	while (p < end && ascii_digit(*p))
		p++;
	if (p == start)
		return false;
	if (p < end && *p == '.') {
		p++;
		while (p < end && ascii_digit(*p))
			p++;
	}
	return p == end;
}

/*
 * An Excel serial day number in the 1900 date system.  Excel counts the
 * 29 February 1900 that never was (serial 60, a Lotus 1-2-3 bug kept for
 * compatibility), so serials from 61 on are days since 1899-12-30 and those
 * below 60 days since 1899-12-31.  The fraction is a time of day.
 */
static int
parse_serial(const char *p, const char *end, struct date *out, char *why, size_t whylen)
{
	long serial;
	int n = read_digits(&p, end, &serial);
	if (n > 7 || serial < 1 || serial > SERIAL_MAX)
		return fail(why, whylen, "serial number out of range (1 to %d)", SERIAL_MAX);
	if (serial == 60)
		return fail(why, whylen, "serial 60 is 29 February 1900, which did not exist");
	long epoch = date_to_days((struct date){1899, 12, serial < 60 ? 31 : 30});
	*out = date_from_days(epoch + serial);
	return 0;
}

/* Three numbers with the same separator between them: "3/5/2024", "2024-03-05". */
struct triple {
	long n[3];
	int digits[3];
	char sep;
	const char *rest;
};

static bool
scan_triple(const char *p, const char *end, struct triple *t)
{
	for (int i = 0; i < 3; i++) {
		if (i > 0) {
			if (p == end || (i == 1 && *p != '/' && *p != '-' && *p != '.') ||
			    (i == 2 && *p != t->sep))
				return false;
			t->sep = *p++;
		}
		t->digits[i] = read_digits(&p, end, &t->n[i]);
		if (t->digits[i] == 0)
			return false;
	}
	t->rest = p;
	return true;
}

/*
 * Read a triple as a date.  A four-digit first number is always
 * year-month-day; dots are always day.month.year; otherwise order decides.
 * Fails with *why already filled; on success the fields are unchecked.
 */
static int
triple_fields(const struct triple *t, enum date_order order, long f[3], char *why, size_t whylen)
{
	int year_at, month_at, day_at;
	if (t->digits[0] == 4) {
		year_at = 0, month_at = 1, day_at = 2;
	} else if (t->sep == '.' || order == DATE_ORDER_DMY) {
		day_at = 0, month_at = 1, year_at = 2;
	} else if (order == DATE_ORDER_MDY) {
		month_at = 0, day_at = 1, year_at = 2;
	} else {
		year_at = 0, month_at = 1, day_at = 2;
	}
	if (t->digits[month_at] > 2 || t->digits[day_at] > 2 ||
	    (t->digits[year_at] != 2 && t->digits[year_at] != 4))
		return fail(why, whylen, "not a date");
	if (t->digits[year_at] == 4 && t->n[year_at] == 0)
		return fail(why, whylen, "year 0");
	f[0] = expand_year(t->n[year_at], t->digits[year_at]);
	f[1] = t->n[month_at];
	f[2] = t->n[day_at];
	return 0;
}

/*
 * The year after a month-name date, if there is one: 2 or 4 digits, but not
 * the hour of a time after a year-less date ("Mar 5 14:22").  Sets *year (0
 * if none) and advances *p past it.
 */
static int
read_name_year(const char **p, const char *end, long *year, char *why, size_t whylen)
{
	const char *q = skip_name_seps(*p, end);
	long y;
	*year = 0;
	if (q == end || !ascii_digit(*q))
		return 0;
	int n = read_digits(&q, end, &y);
	if (q < end && *q == ':')
		return 0;
	if (n != 2 && n != 4)
		return fail(why, whylen, "not a date");
	if (n == 4 && y == 0)
		return fail(why, whylen, "year 0");
	*year = expand_year(y, n);
	*p = q;
	return 0;
}

/* "Mar 5, 1980", "March 5 1980", "Sept 5th", "Mar 5" (no year). */
static int
parse_name_first(const char *p, const char *end, long f[3], const char **rest, char *why,
                 size_t whylen)
{
	const char *word = p;
	p = skip_alpha(p, end);
	int month = month_from_name(word, (size_t)(p - word));
	if (month && p < end && *p == '.')
		p++;
	const char *q = skip_name_seps(p, end);
	if (q == p || q == end || !ascii_digit(*q))
		return fail(why, whylen, "not a date");
	if (!month)
		return fail(why, whylen, "unknown month \"%.*s\"",
		            (int)(p - word > 20 ? 20 : p - word), word);
	long day;
	int n = read_digits(&q, end, &day);
	if (n == 4)
		return fail(why, whylen, "no day");
	if (n > 2)
		return fail(why, whylen, "not a date");
	const char *suffix = q;
	q = skip_alpha(q, end);
	if (q != suffix && !is_ordinal_suffix(suffix, (size_t)(q - suffix)))
		return fail(why, whylen, "not a date");
	if (read_name_year(&q, end, &f[0], why, whylen) < 0)
		return -1;
	f[1] = month;
	f[2] = day;
	*rest = q;
	return 0;
}

/* "5 March 1980", "5-Mar-1980", "5 Mar 80", "05MAR1980", "5th March". */
static int
parse_day_first(const char *p, const char *end, long f[3], const char **rest, char *why,
                size_t whylen)
{
	long day;
	int n = read_digits(&p, end, &day);
	if (n > 2)
		return fail(why, whylen, "not a date");
	const char *word = p;
	p = skip_alpha(p, end);
	if (is_ordinal_suffix(word, (size_t)(p - word)))
		word = p;
	else
		p = word;
	p = skip_name_seps(p, end);
	word = p;
	p = skip_alpha(p, end);
	if (p == word)
		return fail(why, whylen, "not a date");
	int month = month_from_name(word, (size_t)(p - word));
	if (!month)
		return fail(why, whylen, "unknown month \"%.*s\"",
		            (int)(p - word > 20 ? 20 : p - word), word);
	if (p < end && *p == '.')
		p++;
	if (read_name_year(&p, end, &f[0], why, whylen) < 0)
		return -1;
	f[1] = month;
	f[2] = day;
	*rest = p;
	return 0;
}

int
date_parse(const char *s, size_t len, enum date_order order, unsigned flags, struct date *out,
           char *why, size_t whylen)
{
	const char *p = s, *end = s + len;
	while (p < end && is_space(*p))
		p++;
	while (end > p && is_space(end[-1]))
		end--;
	if (p == end)
		return fail(why, whylen, "not a date");
	if (end - p >= 2 && p[0] == '-' && p[1] == '-')
		return parse_yearless(p, end, out, why, whylen);
	if (is_number(p, end)) {
		if (flags & DATE_SERIAL)
			return parse_serial(p, end, out, why, whylen);
		return fail(why, whylen, "not a date");
	}

	long f[3] = {0, 0, 0}; /* year (0: none), month, day */
	const char *rest = end;
	struct triple t;
	if (ascii_digit(*p) && scan_triple(p, end, &t)) {
		if (triple_fields(&t, order, f, why, whylen) < 0)
			return -1;
		rest = t.rest;
	} else if (ascii_digit(*p)) {
		if (parse_day_first(p, end, f, &rest, why, whylen) < 0)
			return -1;
	} else if (ascii_alpha(*p)) {
		if (parse_name_first(p, end, f, &rest, why, whylen) < 0)
			return -1;
	} else {
		return fail(why, whylen, "not a date");
	}
	if (check_fields((int)f[0], f[1], f[2], why, whylen) < 0 ||
	    check_tail(rest, end, why, whylen) < 0)
		return -1;
	*out = (struct date){.year = (int)f[0], .month = (int)f[1], .day = (int)f[2]};
	return 0;
}

unsigned
date_orders_possible(const char *s, size_t len)
{
	const char *p = s, *end = s + len;
	while (p < end && is_space(*p))
		p++;
	while (end > p && is_space(end[-1]))
		end--;
	struct triple t;
	/* Dots and a leading year are read one way only, so they settle nothing. */
	if (!scan_triple(p, end, &t) || t.sep == '.' || t.digits[0] > 2 || t.digits[1] > 2 ||
	    (t.digits[2] != 2 && t.digits[2] != 4) || (t.digits[2] == 4 && t.n[2] == 0) ||
	    !is_time_tail(t.rest, end))
		return 0;
	int year = expand_year(t.n[2], t.digits[2]);
	unsigned mask = 0;
	if (check_fields(year, t.n[0], t.n[1], NULL, 0) == 0)
		mask |= 1u << DATE_ORDER_MDY;
	if (check_fields(year, t.n[1], t.n[0], NULL, 0) == 0)
		mask |= 1u << DATE_ORDER_DMY;
	return mask;
}

size_t
date_put(struct date d, char buf[16])
{
	/* Clamped only so a corrupt date cannot overflow buf; real dates are unchanged. */
	unsigned year = d.year < 0 ? 0 : d.year > 9999 ? 9999 : (unsigned)d.year;
	unsigned month = d.month < 0 ? 0 : d.month > 99 ? 99 : (unsigned)d.month;
	unsigned day = d.day < 0 ? 0 : d.day > 99 ? 99 : (unsigned)d.day;
	/* By hand, not snprintf: importers format a date per field of a large book. */
	char *p = buf;
	if (d.year == 0) {
		*p++ = '-';
		*p++ = '-';
	} else {
		*p++ = (char)('0' + year / 1000);
		*p++ = (char)('0' + year / 100 % 10);
		*p++ = (char)('0' + year / 10 % 10);
		*p++ = (char)('0' + year % 10);
		*p++ = '-';
	}
	*p++ = (char)('0' + month / 10);
	*p++ = (char)('0' + month % 10);
	*p++ = '-';
	*p++ = (char)('0' + day / 10);
	*p++ = (char)('0' + day % 10);
	*p = '\0';
	return (size_t)(p - buf);
}

char *
date_format(struct date d, char buf[16])
{
	date_put(d, buf);
	return buf;
}

bool
date_in_range(struct date d)
{
	return d.year == 0 || (d.year >= DATE_YEAR_MIN && d.year <= DATE_YEAR_MAX);
}

static const struct date date_first = {DATE_YEAR_MIN, 1, 1}, date_last = {DATE_YEAR_MAX, 12, 31};

/* The date of day number days, kept within the years cs can write. */
static struct date
from_days_in_range(long days)
{
	if (days < date_to_days(date_first))
		return date_first;
	if (days > date_to_days(date_last))
		return date_last;
	return date_from_days(days);
}

struct date
date_add_days(struct date d, long days)
{
	/* Far past any real date (and LONG_MAX cannot overflow a sum with it). */
	if (days > 4000000L)
		days = 4000000L;
	if (days < -4000000L)
		days = -4000000L;
	if (d.year != 0)
		return from_days_in_range(date_to_days(d) + days);
	/* Year-less: go round the leap year 0 (a 366-day cycle). */
	long day_of_year = date_to_days(d) - date_to_days((struct date){0, 1, 1});
	day_of_year = ((day_of_year + days) % 366 + 366) % 366;
	struct date r = date_from_days(date_to_days((struct date){0, 1, 1}) + day_of_year);
	r.year = 0;
	return r;
}

struct date
date_add_months(struct date d, long months)
{
	if (months > 240000L)
		months = 240000L;
	if (months < -240000L)
		months = -240000L;
	long total = (long)d.year * 12 + (d.month - 1) + months;
	long year = total >= 0 ? total / 12 : (total - 11) / 12;
	if (d.year != 0 && year > DATE_YEAR_MAX)
		return date_last;
	if (d.year != 0 && year < DATE_YEAR_MIN)
		return date_first;
	struct date r = {.year = (int)year, .month = (int)(total - year * 12 + 1), .day = d.day};
	if (d.year == 0)
		r.year = 0;
	int last = date_days_in_month(r.year, r.month);
	if (r.day > last)
		r.day = last;
	return r;
}

struct date
date_add_years(struct date d, long years)
{
	if (d.year == 0)
		return d;
	if (years > DATE_YEAR_MAX - (long)d.year)
		return date_last;
	if (years < DATE_YEAR_MIN - (long)d.year)
		return date_first;
	struct date r = {.year = (int)(d.year + years), .month = d.month, .day = d.day};
	if (r.month == 2 && r.day == 29 && !date_is_leap(r.year))
		r.day = 28;
	return r;
}

long
date_diff_days(struct date a, struct date b)
{
	return date_to_days(a) - date_to_days(b);
}

int
date_cmp(struct date a, struct date b)
{
	if (a.year != b.year)
		return a.year < b.year ? -1 : 1;
	if (a.month != b.month)
		return a.month < b.month ? -1 : 1;
	if (a.day != b.day)
		return a.day < b.day ? -1 : 1;
	return 0;
}

/* d's month and day in year, 29 February falling on the 28th when year has none. */
static struct date
in_year(struct date d, int year)
{
	struct date r = {.year = year, .month = d.month, .day = d.day};
	if (r.month == 2 && r.day == 29 && !date_is_leap(year))
		r.day = 28;
	return r;
}

struct date
date_next_occurrence(struct date d, struct date from)
{
	struct date r = in_year(d, from.year);
	if (date_cmp(r, from) < 0)
		r = from.year >= DATE_YEAR_MAX ? date_last : in_year(d, from.year + 1);
	return r;
}

/*
 * A date given for today: it must have a year, and an all-numeric one must
 * read the same day-first and month-first, since nothing says which it is.
 */
static int
parse_today(const char *s, struct date *out, char *why, size_t whylen)
{
	size_t len = strlen(s);
	struct date mdy, dmy;
	int mdy_ok = date_parse(s, len, DATE_ORDER_MDY, 0, &mdy, NULL, 0) == 0;
	int dmy_ok = date_parse(s, len, DATE_ORDER_DMY, 0, &dmy, why, whylen) == 0;
	if (mdy_ok && dmy_ok && date_cmp(mdy, dmy) != 0)
		return fail(why, whylen, "day or month first? (write YYYY-MM-DD)");
	if (!mdy_ok && !dmy_ok)
		return -1;
	struct date d = dmy_ok ? dmy : mdy;
	if (d.year == 0)
		return fail(why, whylen, "no year");
	*out = d;
	return 0;
}

int
date_today(const char *override, struct date *out, char *why, size_t whylen)
{
	if (override && *override)
		return parse_today(override, out, why, whylen);
	const char *env = getenv("CS_TODAY");
	if (env && *env) {
		char reason[128];
		if (parse_today(env, out, reason, sizeof reason) < 0)
			return fail(why, whylen, "CS_TODAY: %s", reason);
		return 0;
	}
	time_t now = time(NULL);
	struct tm tm;
	if (now == (time_t)-1 || !localtime_r(&now, &tm))
		return fail(why, whylen, "cannot read the clock");
	*out = (struct date){.year = tm.tm_year + 1900, .month = tm.tm_mon + 1, .day = tm.tm_mday};
	return 0;
}

static const struct {
	const char *word;
	struct duration dur;
} duration_words[] = {
    {"daily", {1, DUR_DAYS}},          {"weekly", {1, DUR_WEEKS}},
    {"biweekly", {2, DUR_WEEKS}},      {"fortnightly", {2, DUR_WEEKS}},
    {"monthly", {1, DUR_MONTHS}},      {"quarterly", {3, DUR_MONTHS}},
    {"semiannually", {6, DUR_MONTHS}}, {"semi-annually", {6, DUR_MONTHS}},
    {"yearly", {1, DUR_YEARS}},        {"annually", {1, DUR_YEARS}},
};

static int
unit_from_letter(char c, enum duration_unit *unit)
{
	switch (ascii_lower((unsigned char)c)) {
	case 'd':
		*unit = DUR_DAYS;
		return 0;
	case 'w':
		*unit = DUR_WEEKS;
		return 0;
	case 'm':
		*unit = DUR_MONTHS;
		return 0;
	case 'y':
		*unit = DUR_YEARS;
		return 0;
	}
	return -1;
}

/* The unit letter for "days", "week", "mos", "yrs"...: what "3 weeks" meant. */
static char
unit_word_letter(const char *p, size_t len)
{
	static const char *const words[] = {
	    "d",  "day", "days",  "w",      "wk", "wks", "week", "weeks", "m",
	    "mo", "mos", "month", "months", "y",  "yr",  "yrs",  "year",  "years",
	};
	char lower[8];
	if (len == 0 || len >= sizeof lower)
		return 0;
	for (size_t i = 0; i < len; i++)
		lower[i] = (char)ascii_lower((unsigned char)p[i]);
	lower[len] = '\0';
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(lower, words[i]) == 0)
			return lower[0];
	return 0;
}

int
duration_parse(const char *s, struct duration *out, char *why, size_t whylen)
{
	if (!s)
		s = "";
	const char *p = s, *end = s + strlen(s);
	while (p < end && is_space(*p))
		p++;
	while (end > p && is_space(end[-1]))
		end--;
	int shown = (int)(end - p > 40 ? 40 : end - p);

	const char *q = p;
	long amount;
	int n = read_digits(&q, end, &amount);
	enum duration_unit unit;
	if (n > 0 && end - q == 1 && unit_from_letter(*q, &unit) == 0) {
		if (n > 5 || amount > DURATION_MAX)
			return fail(why, whylen, "\"%.*s\" is too long an interval", shown, p);
		*out = (struct duration){.amount = amount, .unit = unit};
		return 0;
	}
	for (size_t i = 0; i < sizeof duration_words / sizeof duration_words[0]; i++) {
		const char *w = duration_words[i].word;
		size_t wlen = strlen(w), j = 0;
		if ((size_t)(end - p) != wlen)
			continue;
		while (j < wlen && ascii_lower((unsigned char)p[j]) == w[j])
			j++;
		if (j == wlen) {
			*out = duration_words[i].dur;
			return 0;
		}
	}
	/* "3 weeks": say what to write instead. */
	if (n > 0 && n <= 5 && q < end && is_space(*q)) {
		const char *word = q;
		while (word < end && is_space(*word))
			word++;
		char letter = unit_word_letter(word, (size_t)(end - word));
		if (letter)
			return fail(why, whylen, "\"%.*s\" is not an interval (write %ld%c)", shown,
			            p, amount, letter);
	}
	return fail(
	    why, whylen,
	    "\"%.*s\" is not an interval (write 7d, 2w, 3m, 1y or weekly, monthly, quarterly, "
	    "yearly)",
	    shown, p);
}

int
date_add_checked(struct date d, struct duration dur, int sign, struct date *out)
{
	*out = date_add_duration(d, dur, sign);
	if (d.year == 0)
		return 0;
	/* Where the sum would land without the clamp; far out is out either way. */
	long amount = sign < 0 ? -dur.amount : dur.amount;
	if (amount > 4000000L)
		amount = 4000000L;
	if (amount < -4000000L)
		amount = -4000000L;
	long year = d.year;
	switch (dur.unit) {
	case DUR_DAYS:
	case DUR_WEEKS: {
		long n = date_to_days(d) + amount * (dur.unit == DUR_WEEKS ? 7 : 1);
		return n < date_to_days(date_first) || n > date_to_days(date_last) ? -1 : 0;
	}
	case DUR_MONTHS: {
		long total = (long)d.year * 12 + (d.month - 1) + amount;
		year = total >= 0 ? total / 12 : (total - 11) / 12;
		break;
	}
	case DUR_YEARS:
		year += amount;
		break;
	}
	return year < DATE_YEAR_MIN || year > DATE_YEAR_MAX ? -1 : 0;
}

struct date
date_add_duration(struct date d, struct duration dur, int sign)
{
	long amount = sign < 0 ? -dur.amount : dur.amount;
	switch (dur.unit) {
	case DUR_DAYS:
		return date_add_days(d, amount);
	case DUR_WEEKS:
		return date_add_days(d, amount * 7);
	case DUR_MONTHS:
		return date_add_months(d, amount);
	case DUR_YEARS:
		return date_add_years(d, amount);
	}
	return d;
}

double
duration_days(struct duration dur)
{
	switch (dur.unit) {
	case DUR_DAYS:
		return (double)dur.amount;
	case DUR_WEEKS:
		return dur.amount * 7.0;
	case DUR_MONTHS:
		return dur.amount * (365.25 / 12);
	case DUR_YEARS:
		return dur.amount * 365.25;
	}
	return 0;
}

double
duration_per_year(struct duration dur)
{
	/* A zero interval does not recur; 0 keeps inf out of reports. */
	if (dur.amount <= 0)
		return 0;
	switch (dur.unit) {
	case DUR_MONTHS:
		return 12.0 / dur.amount;
	case DUR_YEARS:
		return 1.0 / dur.amount;
	default:
		return 365.25 / duration_days(dur);
	}
}

char *
duration_format(struct duration dur, char buf[24])
{
	static const char letters[] = "dwmy";
	unsigned unit = (unsigned)dur.unit < 4 ? (unsigned)dur.unit : 0;
	snprintf(buf, 24, "%ld%c", dur.amount, letters[unit]);
	return buf;
}
