/*
 * test_cadence.c - unit tests for lib/cadence.c and lib/touchlog.c.
 *
 * Each rule of DESIGN section 4 is walked at its edges: month ends, 29
 * February, year ends, never-contacted clients, logged touches, the last day
 * of the window and the first day after it.  Dates are compared as text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cadence.h"
#include "error.h"
#include "model.h"
#include "touchlog.h"
#include "unit.h"

static struct date
D(const char *s) {
	struct date d = {0, 0, 0};
	char why[64];
	if (date_parse(s, strlen(s), DATE_ORDER_YMD, 0, &d, why, sizeof why) < 0)
		fprintf(stderr, "bad test date %s: %s\n", s, why);
	return d;
}

static const char *
fmt(struct date d)
{
	static char bufs[4][16];
	static int next;
	next = (next + 1) % 4;
	return date_format(d, bufs[next]);
}

static struct duration
dur(const char *s)
{
	struct duration d = {0, DUR_DAYS};
	if (duration_parse(s, &d, NULL, 0) < 0)
		fprintf(stderr, "bad test duration %s\n", s);
	return d;
}

static struct touch
every(const char *interval)
{
	return (struct touch){.name = "call", .kind = TOUCH_EVERY, .every = dur(interval)};
}

static struct touch
on(const char *lead)
{
	return (struct touch){
	    .name = "birthday greeting", .kind = TOUCH_ON, .on = "birthday", .lead = dur(lead)};
}

static struct touch
once_after(const char *after, const char *expires)
{
	return (struct touch){.name = "housewarming gift",
	                      .kind = TOUCH_ONCE_AFTER,
	                      .on = "home_purchase",
	                      .after = dur(after),
	                      .expires = dur(expires)};
}

static struct touch
once_within(const char *within)
{
	return (struct touch){.name = "new baby gift",
	                      .kind = TOUCH_ONCE_WITHIN,
	                      .on = "child_birth",
	                      .within = dur(within)};
}

/*
 * Run touch t with the given dates (NULL: absent) on today; the result as
 * "due=YYYY-MM-DD over=N" plus " done", " expired", " listed" (7-day window,
 * or the one given) -- or "none" when the client gets no such touch.
 */
static const char *
run_w(const struct touch *t, const char *field, const char *last_contact, const char *logged,
      const char *today, const char *window)
{
	static char out[128];
	struct date f, lc, lg;
	struct cadence_facts facts = {0};
	if (field) {
		f = D(field);
		facts.field = &f;
	}
	if (last_contact) {
		lc = D(last_contact);
		facts.last_contact = &lc;
	}
	if (logged) {
		lg = D(logged);
		facts.logged = &lg;
	}
	struct cadence_item it;
	struct date T = D(today);
	if (!cadence_due(t, &facts, T, &it))
		return "none";
	struct cadence_window w = cadence_window(T, dur(window));
	snprintf(out, sizeof out, "due=%s over=%ld%s%s%s", fmt(it.due), it.overdue_days,
	         it.done ? " done" : "", it.expired ? " expired" : "",
	         cadence_listed(&it, &w) ? " listed" : "");
	return out;
}

static const char *
run(const struct touch *t, const char *field, const char *last_contact, const char *logged,
    const char *today)
{
	return run_w(t, field, last_contact, logged, today, "7d");
}

static void
test_every(void)
{
	struct touch monthly = every("monthly"), quarterly = every("quarterly");
	struct touch yearly = every("yearly"), weekly = every("7d"), twoweeks = every("2w");

	/* Never contacted: due today, listed, not overdue. */
	CHECK_STR(run(&monthly, NULL, NULL, NULL, "2026-11-26"), "due=2026-11-26 over=0 listed");
	/* From last_contact; month-end clamping, leap and common years. */
	CHECK_STR(run(&monthly, NULL, "2026-01-31", NULL, "2026-02-01"), "due=2026-02-28 over=-27");
	CHECK_STR(run(&monthly, NULL, "2024-01-31", NULL, "2024-02-01"), "due=2024-02-29 over=-28");
	CHECK_STR(run(&monthly, NULL, "2026-03-31", NULL, "2026-04-25"),
	          "due=2026-04-30 over=-5 listed");
	CHECK_STR(run(&quarterly, NULL, "2026-11-30", NULL, "2026-11-26"),
	          "due=2027-02-28 over=-94");
	CHECK_STR(run(&quarterly, NULL, "2027-11-30", NULL, "2028-02-28"),
	          "due=2028-02-29 over=-1 listed");
	CHECK_STR(run(&yearly, NULL, "2024-02-29", NULL, "2025-03-01"),
	          "due=2025-02-28 over=1 listed");
	/* Across the year end. */
	CHECK_STR(run(&monthly, NULL, "2026-12-15", NULL, "2027-01-10"),
	          "due=2027-01-15 over=-5 listed");
	CHECK_STR(run(&weekly, NULL, "2026-12-28", NULL, "2026-12-30"),
	          "due=2027-01-04 over=-5 listed");
	CHECK_STR(run(&twoweeks, NULL, "2026-12-25", NULL, "2026-12-30"), "due=2027-01-08 over=-9");
	/* The window: today + 7d = 2026-12-03 is the first day outside it. */
	CHECK_STR(run(&monthly, NULL, "2026-11-02", NULL, "2026-11-26"),
	          "due=2026-12-02 over=-6 listed");
	CHECK_STR(run(&monthly, NULL, "2026-11-03", NULL, "2026-11-26"), "due=2026-12-03 over=-7");
	CHECK_STR(run_w(&monthly, NULL, "2026-11-03", NULL, "2026-11-26", "8d"),
	          "due=2026-12-03 over=-7 listed");
	/* Overdue. */
	CHECK_STR(run(&monthly, NULL, "2025-10-22", NULL, "2026-11-26"),
	          "due=2025-11-22 over=369 listed");
	/* The log comes first, even when last_contact is later (DESIGN: "else"). */
	CHECK_STR(run(&monthly, NULL, "2026-11-20", "2026-10-01", "2026-11-26"),
	          "due=2026-11-01 over=25 listed");
	CHECK_STR(run(&monthly, NULL, "2026-01-01", "2026-11-20", "2026-11-26"),
	          "due=2026-12-20 over=-24");
	CHECK_STR(run(&monthly, NULL, NULL, "2026-10-31", "2026-11-26"),
	          "due=2026-11-30 over=-4 listed");
	/* A year-less last_contact is no basis: never. */
	CHECK_STR(run(&monthly, NULL, "--11-20", NULL, "2026-11-26"),
	          "due=2026-11-26 over=0 listed");

	struct cadence_facts f = {0};
	struct date lc = D("2026-10-22"), lg = D("2026-11-01");
	struct cadence_item it;
	f.last_contact = &lc;
	cadence_due(&monthly, &f, D("2026-11-26"), &it);
	CHECK_INT(it.basis, CADENCE_LAST_CONTACT);
	CHECK(!it.logged);
	CHECK(cadence_missed(&it));
	f.logged = &lg;
	cadence_due(&monthly, &f, D("2026-11-26"), &it);
	CHECK_INT(it.basis, CADENCE_LOG);
	CHECK(it.logged);
	CHECK_STR(fmt(it.last_logged), "2026-11-01");
	CHECK(!cadence_missed(&it));
	f = (struct cadence_facts){0};
	cadence_due(&monthly, &f, D("2026-11-26"), &it);
	CHECK_INT(it.basis, CADENCE_NEVER);
	CHECK(!cadence_missed(&it));
}

static void
test_on(void)
{
	struct touch bday = on("0d"), card = on("7d"), early = on("1m");

	/* The day before, the day of, the day after. */
	CHECK_STR(run(&bday, "1980-03-15", NULL, NULL, "2026-03-14"),
	          "due=2026-03-15 over=-1 listed");
	CHECK_STR(run(&bday, "1980-03-15", NULL, NULL, "2026-03-15"),
	          "due=2026-03-15 over=0 listed");
	CHECK_STR(run(&bday, "1980-03-15", NULL, NULL, "2026-03-16"), "due=2027-03-15 over=-364");
	/* 29 February: the 28th in common years, the 29th in leap years. */
	CHECK_STR(run(&bday, "1984-02-29", NULL, NULL, "2026-02-27"),
	          "due=2026-02-28 over=-1 listed");
	CHECK_STR(run(&bday, "1984-02-29", NULL, NULL, "2028-02-27"),
	          "due=2028-02-29 over=-2 listed");
	CHECK_STR(run(&bday, "1984-02-29", NULL, NULL, "2026-03-01"), "due=2027-02-28 over=-364");
	CHECK_STR(run(&bday, "1984-02-29", NULL, NULL, "2028-02-29"),
	          "due=2028-02-29 over=0 listed");
	/* A birthday on 28 February stays there in leap years. */
	CHECK_STR(run(&bday, "1990-02-28", NULL, NULL, "2028-02-28"),
	          "due=2028-02-28 over=0 listed");
	/* Across the year end, and a year-less birthday. */
	CHECK_STR(run(&bday, "--01-02", NULL, NULL, "2026-12-30"), "due=2027-01-02 over=-3 listed");
	CHECK_STR(run(&bday, "--12-02", NULL, NULL, "2026-11-26"), "due=2026-12-02 over=-6 listed");
	CHECK_STR(run(&bday, "--02-29", NULL, NULL, "2027-02-01"), "due=2027-02-28 over=-27");
	/* The window edge: due on its last day, then the first day after. */
	CHECK_STR(run(&bday, "1970-12-02", NULL, NULL, "2026-11-26"),
	          "due=2026-12-02 over=-6 listed");
	CHECK_STR(run(&bday, "1970-12-03", NULL, NULL, "2026-11-26"), "due=2026-12-03 over=-7");
	/* Lead: listed when due - 7d < today + 7d, i.e. due before 2026-12-10. */
	CHECK_STR(run(&card, "1970-12-09", NULL, NULL, "2026-11-26"),
	          "due=2026-12-09 over=-13 listed");
	CHECK_STR(run(&card, "1970-12-10", NULL, NULL, "2026-11-26"), "due=2026-12-10 over=-14");
	/* A month's lead from 31 March starts on 28 February... or the 29th. */
	CHECK_STR(run_w(&early, "1970-03-31", NULL, NULL, "2027-02-27", "1d"),
	          "due=2027-03-31 over=-32");
	CHECK_STR(run_w(&early, "1970-03-31", NULL, NULL, "2027-02-28", "1d"),
	          "due=2027-03-31 over=-31 listed");
	CHECK_STR(run_w(&early, "1970-03-31", NULL, NULL, "2028-02-28", "1d"),
	          "due=2028-03-31 over=-32");
	/* No field: no touch. */
	CHECK_STR(run(&bday, NULL, "2026-01-01", NULL, "2026-11-26"), "none");

	/* Logged the day before, on, and the day after the previous occurrence (2025-12-02). */
	CHECK_STR(run(&bday, "1970-12-02", NULL, "2025-12-01", "2026-11-26"),
	          "due=2026-12-02 over=-6 listed");
	CHECK_STR(run(&bday, "1970-12-02", NULL, "2025-12-02", "2026-11-26"),
	          "due=2026-12-02 over=-6 listed");
	CHECK_STR(run(&bday, "1970-12-02", NULL, "2025-12-03", "2026-11-26"),
	          "due=2026-12-02 over=-6 done");
	/* Sent early, inside the lead: done for this year's. */
	CHECK_STR(run(&card, "1970-12-02", NULL, "2026-11-25", "2026-11-26"),
	          "due=2026-12-02 over=-6 done");
	/* Sent on the day: the next day, next year's is not done. */
	CHECK_STR(run(&bday, "1970-12-02", NULL, "2026-12-02", "2026-12-02"),
	          "due=2026-12-02 over=0 done");
	CHECK_STR(run(&bday, "1970-12-02", NULL, "2026-12-02", "2026-12-03"),
	          "due=2027-12-02 over=-364");
	/* The previous occurrence of 29 February in a common year is the 28th. */
	CHECK_STR(run_w(&bday, "1984-02-29", NULL, "2027-02-28", "2028-02-20", "10d"),
	          "due=2028-02-29 over=-9 listed");
	CHECK_STR(run_w(&bday, "1984-02-29", NULL, "2027-03-01", "2028-02-20", "10d"),
	          "due=2028-02-29 over=-9 done");
	/* Across the year end: previous occurrence 2026-01-02. */
	CHECK_STR(run(&bday, "1975-01-02", NULL, "2026-01-02", "2026-12-30"),
	          "due=2027-01-02 over=-3 listed");
	CHECK_STR(run(&bday, "1975-01-02", NULL, "2026-01-03", "2026-12-30"),
	          "due=2027-01-02 over=-3 done");

	struct cadence_item it;
	struct date f = D("1980-03-15");
	struct cadence_facts facts = {.field = &f};
	cadence_due(&bday, &facts, D("2026-03-15"), &it);
	CHECK(!cadence_missed(&it));
	CHECK_INT(it.basis, CADENCE_FIELD);
}

static void
test_once_after(void)
{
	struct touch gift = once_after("1y", "90d"), soon = once_after("30d", "14d");

	/* Due a year after the purchase; the window edge. */
	CHECK_STR(run(&gift, "2025-12-02", NULL, NULL, "2026-11-26"),
	          "due=2026-12-02 over=-6 listed");
	CHECK_STR(run(&gift, "2025-12-03", NULL, NULL, "2026-11-26"), "due=2026-12-03 over=-7");
	/* 29 February + 1y. */
	CHECK_STR(run(&gift, "2024-02-29", NULL, NULL, "2025-02-27"),
	          "due=2025-02-28 over=-1 listed");
	/* Listed while overdue until due + 90d: the last day, then gone. */
	CHECK_STR(run(&gift, "2025-12-01", NULL, NULL, "2027-02-28"),
	          "due=2026-12-01 over=89 listed");
	CHECK_STR(run(&gift, "2025-12-01", NULL, NULL, "2027-03-01"),
	          "due=2026-12-01 over=90 expired");
	/* A custom expiry across the year end: due 2026-12-22, gone from 2027-01-05. */
	CHECK_STR(run(&soon, "2026-11-22", NULL, NULL, "2027-01-04"),
	          "due=2026-12-22 over=13 listed");
	CHECK_STR(run(&soon, "2026-11-22", NULL, NULL, "2027-01-05"),
	          "due=2026-12-22 over=14 expired");
	/* Logged on or after the purchase: done for good.  Before it: an older home. */
	CHECK_STR(run(&gift, "2025-12-01", NULL, "2026-11-20", "2026-11-26"),
	          "due=2026-12-01 over=-5 done");
	CHECK_STR(run(&gift, "2025-12-01", NULL, "2025-12-01", "2026-11-26"),
	          "due=2026-12-01 over=-5 done");
	CHECK_STR(run(&gift, "2025-12-01", NULL, "2025-11-30", "2026-11-26"),
	          "due=2026-12-01 over=-5 listed");
	CHECK_STR(run(&gift, "2025-12-01", NULL, "2027-01-10", "2027-06-01"),
	          "due=2026-12-01 over=182 done");
	/* No date, or a year-less one: no touch. */
	CHECK_STR(run(&gift, NULL, NULL, NULL, "2026-11-26"), "none");
	CHECK_STR(run(&gift, "--12-01", NULL, NULL, "2026-11-26"), "none");

	struct cadence_item it;
	struct date f = D("2025-12-01");
	struct cadence_facts facts = {.field = &f};
	cadence_due(&gift, &facts, D("2027-03-01"), &it);
	CHECK(cadence_missed(&it));
	cadence_due(&gift, &facts, D("2027-02-28"), &it);
	CHECK(!cadence_missed(&it));
}

static void
test_once_within(void)
{
	struct touch baby = once_within("60d");

	/* Due on the birth date; listed until the 60th day after it, exclusive. */
	CHECK_STR(run(&baby, "2026-10-15", NULL, NULL, "2026-11-26"),
	          "due=2026-10-15 over=42 listed");
	CHECK_STR(run(&baby, "2026-10-15", NULL, NULL, "2026-12-13"),
	          "due=2026-10-15 over=59 listed");
	CHECK_STR(run(&baby, "2026-10-15", NULL, NULL, "2026-12-14"),
	          "due=2026-10-15 over=60 expired");
	/* A birth ahead: at the window's last day, and the first day after it. */
	CHECK_STR(run(&baby, "2026-12-02", NULL, NULL, "2026-11-26"),
	          "due=2026-12-02 over=-6 listed");
	CHECK_STR(run(&baby, "2026-12-03", NULL, NULL, "2026-11-26"), "due=2026-12-03 over=-7");
	/* Across the year end and 29 February. */
	CHECK_STR(run(&baby, "2027-12-31", NULL, NULL, "2028-02-28"),
	          "due=2027-12-31 over=59 listed");
	CHECK_STR(run(&baby, "2027-12-31", NULL, NULL, "2028-02-29"),
	          "due=2027-12-31 over=60 expired");
	/* Logged. */
	CHECK_STR(run(&baby, "2026-10-15", NULL, "2026-10-20", "2026-11-26"),
	          "due=2026-10-15 over=42 done");
	CHECK_STR(run(&baby, "2026-10-15", NULL, "2024-05-01", "2026-11-26"),
	          "due=2026-10-15 over=42 listed");
	CHECK_STR(run(&baby, NULL, NULL, NULL, "2026-11-26"), "none");
}

static void
test_window(void)
{
	struct cadence_window w = cadence_window(D("2026-11-26"), dur("7d"));
	CHECK_STR(fmt(w.end), "2026-12-03");
	w = cadence_window(D("2026-01-31"), dur("1m"));
	CHECK_STR(fmt(w.end), "2026-02-28");
	w = cadence_window(D("2026-12-30"), dur("2w"));
	CHECK_STR(fmt(w.end), "2027-01-13");
	w = cadence_window(D("2026-11-26"), dur("0d"));
	CHECK_STR(fmt(w.end), "2026-11-26");
	/* An empty window lists nothing, not even what is overdue today... */
	struct touch monthly = every("monthly");
	CHECK_STR(run_w(&monthly, NULL, NULL, NULL, "2026-11-26", "0d"), "due=2026-11-26 over=0");
	/* ...but a 1-day window lists today. */
	CHECK_STR(run_w(&monthly, NULL, NULL, NULL, "2026-11-26", "1d"),
	          "due=2026-11-26 over=0 listed");
}

static const char model_json[] =
    "{\"tiers\": {\n"
    "  \"A\": {\"touches\": [\n"
    "    {\"touch\": \"call\", \"every\": \"monthly\", \"channel\": \"phone\"},\n"
    "    {\"touch\": \"birthday greeting\", \"on\": \"birthday\", \"lead\": \"7d\", "
    "\"channel\": \"card\", \"by\": \"assistant\"},\n"
    "    {\"touch\": \"housewarming gift\", \"on\": \"home_purchase\", \"after\": \"1y\", "
    "\"once\": true},\n"
    "    {\"touch\": \"new baby gift\", \"on\": \"child_birth\", \"within\": \"60d\", "
    "\"once\": true}\n"
    "  ]},\n"
    "  \"B\": {\"touches\": [\n"
    "    {\"touch\": \"call\", \"every\": \"quarterly\"}\n"
    "  ]}\n"
    "},\n"
    "\"tiering\": [{\"tier\": \"B\"}]}\n";

static struct header *
make_header(const char *names)
{
	struct header *h = header_new();
	char *copy = xstrdup(names), *save = NULL;
	for (char *p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save))
		header_add(h, p);
	free(copy);
	return h;
}

static void
make_record(struct record *r, const char *const *values, size_t n)
{
	record_clear(r);
	for (size_t i = 0; i < n; i++)
		record_push(r, values[i], strlen(values[i]));
}

/* Items as "touch=due[*]" joined by spaces; * marks a listed item (7-day window). */
static const char *
items_text(const struct cadence_item *items, size_t n, struct date today)
{
	static char out[512];
	struct cadence_window w = cadence_window(today, dur("7d"));
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(out);
		snprintf(out + len, sizeof out - len, "%s%s=%s%s", i ? " " : "",
		         items[i].touch->name, fmt(items[i].due),
		         cadence_listed(&items[i], &w) ? "*" : "");
	}
	return out;
}

static void
test_records(void)
{
	struct cs_error err;
	struct model *m = model_parse(model_json, strlen(model_json), "test", &err);
	CHECK(m != NULL);
	if (!m) {
		fprintf(stderr, "model: %d:%d: %s\n", (int)err.row, err.col, err.msg);
		return;
	}
	struct header *h =
	    make_header("id,name,tier,last_contact,birthday,home_purchase,child_birth");
	struct cadence *c = cadence_new(m, h);
	CHECK_INT(cadence_max_items(c), 4);
	struct cadence_item items[4];
	struct cadence_client info;
	struct record rec = {0};
	struct date T = D("2026-11-26");
	struct touchlog *log = touchlog_new();
	touchlog_add(log, "c2", 2, "Call", 4, D("2026-11-20"));
	touchlog_add(log, "c2", 2, "birthday greeting", 17, D("2026-11-24"));
	touchlog_add(log, "c9", 2, "call", 4, D("2026-11-25"));

	/* Every touch of tier A that applies. */
	const char *a[] = {"c1", "Ana", "A", "2025-10-22", "1987-12-05", "2025-12-01", ""};
	make_record(&rec, a, 7);
	size_t n = cadence_record(c, &rec, log, T, items, &info);
	CHECK_INT(info.status, CADENCE_OK);
	CHECK_STR(info.tier->name, "A");
	CHECK(info.bad_field == NULL);
	CHECK_STR(items_text(items, n, T),
	          "call=2025-11-22* birthday greeting=2026-12-05* housewarming gift=2026-12-01*");
	CHECK(items[0].tier == info.tier);

	/* Logged touches (touch names without regard to case). */
	const char *b[] = {"c2", "Ben", "A", "2025-10-22", "1987-12-05", "", "2026-10-15"};
	make_record(&rec, b, 7);
	n = cadence_record(c, &rec, log, T, items, &info);
	CHECK_STR(items_text(items, n, T),
	          "call=2026-12-20 birthday greeting=2026-12-05 new baby gift=2026-10-15*");
	CHECK_INT(items[0].basis, CADENCE_LOG);
	CHECK(items[1].done);

	/* Never contacted, tier written with spaces; tier B. */
	const char *c3[] = {"c3", "Cy", " B ", "", "", "", ""};
	make_record(&rec, c3, 7);
	n = cadence_record(c, &rec, log, T, items, &info);
	CHECK_STR(items_text(items, n, T), "call=2026-11-26*");
	CHECK_INT(items[0].basis, CADENCE_NEVER);

	/* No tier, an unknown tier, a lower-case tier (tiers match exactly). */
	const char *d[] = {"c4", "Di", "", "2026-01-01", "", "", ""};
	make_record(&rec, d, 7);
	CHECK_INT(cadence_record(c, &rec, log, T, items, &info), 0);
	CHECK_INT(info.status, CADENCE_NO_TIER);
	CHECK(info.tier == NULL);
	const char *e[] = {"c5", "Ed", "Z", "2026-01-01", "", "", ""};
	make_record(&rec, e, 7);
	CHECK_INT(cadence_record(c, &rec, log, T, items, &info), 0);
	CHECK_INT(info.status, CADENCE_UNKNOWN_TIER);
	const char *e2[] = {"c5", "Ed", "a", "2026-01-01", "", "", ""};
	make_record(&rec, e2, 7);
	CHECK_INT(cadence_record(c, &rec, log, T, items, NULL), 0);

	/* Bad dates: reported, and the touch left out (every: counted as never). */
	const char *f[] = {"c6", "Flo", "A", "2026-13-01", "31/02/1980", "--06-01", ""};
	make_record(&rec, f, 7);
	n = cadence_record(c, &rec, log, T, items, &info);
	CHECK_STR(items_text(items, n, T), "call=2026-11-26*");
	CHECK_STR(info.bad_field, "last_contact");
	CHECK_STR(info.bad_value, "2026-13-01");
	CHECK(info.bad_why[0] != '\0');
	const char *g[] = {"c7", "Gil", "A", "2026-11-01", "1980-02-30", "--06-01", ""};
	make_record(&rec, g, 7);
	n = cadence_record(c, &rec, log, T, items, &info);
	CHECK_STR(items_text(items, n, T), "call=2026-12-01*");
	CHECK_STR(info.bad_field, "birthday");
	const char *g2[] = {"c7", "Gil", "A", "2026-11-01", "", "--06-01", ""};
	make_record(&rec, g2, 7);
	n = cadence_record(c, &rec, log, T, items, &info);
	CHECK_STR(info.bad_field, "home_purchase");
	CHECK_STR(info.bad_why, "no year");

	/* A year-less birthday works. */
	const char *y[] = {"c8", "Yu", "A", "2026-11-20", "--11-30", "", ""};
	make_record(&rec, y, 7);
	n = cadence_record(c, &rec, NULL, T, items, &info);
	CHECK_STR(items_text(items, n, T), "call=2026-12-20 birthday greeting=2026-11-30*");
	CHECK(info.bad_field == NULL);

	cadence_free(c);
	header_free(h);

	/* A book without the optional columns: only the recurring touch, counted as never. */
	h = make_header("id,tier");
	c = cadence_new(m, h);
	const char *k[] = {"c9", "A"};
	make_record(&rec, k, 2);
	n = cadence_record(c, &rec, log, T, items, &info);
	CHECK_STR(items_text(items, n, T), "call=2026-12-25");
	cadence_free(c);
	header_free(h);

	/* No tier column at all. */
	h = make_header("id,name");
	c = cadence_new(m, h);
	CHECK_INT(cadence_record(c, &rec, log, T, items, &info), 0);
	CHECK_INT(info.status, CADENCE_NO_TIER);
	cadence_free(c);
	header_free(h);

	record_free(&rec);
	touchlog_free(log);
	model_free(m);
}


/* ---- the refinements of DESIGN section 4 ---------------------------------- */

/* Status of a monthly call with grace (NULL: none), last done on logged, on today. */
static const char *
status_of(const char *grace, const char *logged, const char *today)
{
	struct touch t = every("monthly");
	if (grace)
		t.grace = dur(grace);
	struct date lg = D(logged);
	struct cadence_facts f = {.logged = &lg};
	struct cadence_item it;
	if (!cadence_due(&t, &f, D(today), &it))
		return "none";
	return cadence_status_names[it.status];
}

static void
test_grace(void)
{
	/* Due 2026-11-19; grace 1 week: late through 2026-11-26, overdue from 2026-11-27. */
	CHECK_STR(status_of("1w", "2026-10-19", "2026-11-18"), "upcoming");
	CHECK_STR(status_of("1w", "2026-10-19", "2026-11-19"), "due");
	CHECK_STR(status_of("1w", "2026-10-19", "2026-11-20"), "late");
	CHECK_STR(status_of("1w", "2026-10-19", "2026-11-26"), "late");    /* the last late day */
	CHECK_STR(status_of("1w", "2026-10-19", "2026-11-27"), "overdue"); /* the first overdue day */
	/* Without grace, a day past due is overdue. */
	CHECK_STR(status_of(NULL, "2026-10-19", "2026-11-20"), "overdue");
	/* A grace in months counts by the calendar: due 2027-01-31, grace 1m ends 2027-02-28. */
	CHECK_STR(status_of("1m", "2026-12-31", "2027-02-28"), "late");
	CHECK_STR(status_of("1m", "2026-12-31", "2027-03-01"), "overdue");
	/* late is not missed; overdue is. */
	struct touch t = every("monthly");
	t.grace = dur("2w");
	struct date lg = D("2026-10-19");
	struct cadence_facts f = {.logged = &lg};
	struct cadence_item it;
	cadence_due(&t, &f, D("2026-11-26"), &it);
	CHECK(cadence_late(&it));
	CHECK(!cadence_missed(&it));
	cadence_due(&t, &f, D("2026-12-04"), &it);
	CHECK(!cadence_late(&it));
	CHECK(cadence_missed(&it));
}

static const char satisfies_json[] =
    "{\"tiers\": {\"A\": {\"touches\": [\n"
    "  {\"touch\": \"call\", \"every\": \"monthly\", \"channel\": \"phone\"},\n"
    "  {\"touch\": \"review meeting\", \"every\": \"quarterly\", \"channel\": \"meeting\",\n"
    "   \"satisfies\": [\"call\"]}]}},\n"
    " \"tiering\": [{\"tier\": \"A\"}]}\n";

static void
test_satisfies(void)
{
	struct cs_error err;
	struct model *m = model_parse(satisfies_json, strlen(satisfies_json), "test", &err);
	CHECK(m != NULL);
	if (!m)
		return;
	const struct tier *a = model_tier(m, "A");
	CHECK(touch_satisfies(a, &a->touches[1], &a->touches[0]));
	CHECK(!touch_satisfies(a, &a->touches[0], &a->touches[1]));
	/* 12 calls a year, 4 of them done as the review: 8. */
	CHECK(touch_per_year_credited(a, 0) == 8);
	CHECK(touch_per_year_credited(a, 1) == 4);

	struct header *h = make_header("id,tier,last_contact");
	struct cadence *c = cadence_new(m, h);
	struct cadence_item items[2];
	struct record rec = {0};
	struct date T = D("2026-11-26");
	struct touchlog *log = touchlog_new();
	/* The call falls due on 2026-11-26; the review was held the day before. */
	touchlog_add(log, "c1", 2, "call", 4, D("2026-10-26"));
	touchlog_add(log, "c1", 2, "review meeting", 14, D("2026-11-25"));
	const char *r1[] = {"c1", "A", ""};
	make_record(&rec, r1, 3);
	size_t n = cadence_record(c, &rec, log, T, items, NULL);
	CHECK_STR(items_text(items, n, T), "call=2026-12-25 review meeting=2027-02-25");
	/* Without the review the call would be due today. */
	const char *r2[] = {"c2", "A", "2026-10-26"};
	make_record(&rec, r2, 3);
	n = cadence_record(c, &rec, log, T, items, NULL);
	CHECK_STR(items_text(items, n, T), "call=2026-11-26* review meeting=2027-01-26");
	/* A review two days before the last call does not move the call. */
	touchlog_add(log, "c3", 2, "call", 4, D("2026-10-26"));
	touchlog_add(log, "c3", 2, "review meeting", 14, D("2026-10-24"));
	const char *r3[] = {"c3", "A", ""};
	make_record(&rec, r3, 3);
	n = cadence_record(c, &rec, log, T, items, NULL);
	CHECK_STR(items_text(items, n, T), "call=2026-11-26* review meeting=2027-01-24");

	/* Never contacted: both due today, and the call is not listed beside the review. */
	const char *r4[] = {"c4", "A", ""};
	make_record(&rec, r4, 3);
	n = cadence_record(c, &rec, log, T, items, NULL);
	struct cadence_window w = cadence_window(T, dur("7d"));
	bool listed[2] = {cadence_listed(&items[0], &w), cadence_listed(&items[1], &w)};
	CHECK(listed[0] && listed[1]);
	CHECK_INT(cadence_hide_satisfied(items, n, listed), 1);
	CHECK(!listed[0] && listed[1]);
	/* A review not listed hides nothing. */
	listed[0] = true;
	listed[1] = false;
	CHECK_INT(cadence_hide_satisfied(items, n, listed), 0);
	CHECK(listed[0]);

	record_free(&rec);
	touchlog_free(log);
	cadence_free(c);
	header_free(h);
	model_free(m);
}

/* "due=... rep=ID" of a household of members (tier rank, id, last done or NULL). */
static const char *
household(const struct touch *const *touches, const size_t *ranks, const char *const *ids,
          const char *const *last, size_t n, const char *today)
{
	static char out[96];
	struct cadence_member m[3];
	struct date T = D(today), lg[3];
	for (size_t i = 0; i < n; i++) {
		struct cadence_facts f = {0};
		if (last[i]) {
			lg[i] = D(last[i]);
			f.logged = &lg[i];
		}
		m[i] = (struct cadence_member){.tier_rank = ranks[i], .id = ids[i]};
		cadence_due(touches[i], &f, T, &m[i].item);
	}
	struct cadence_item it;
	size_t rep = cadence_household(m, n, T, &it);
	snprintf(out, sizeof out, "due=%s rep=%s %s", fmt(it.due), ids[rep],
	         cadence_status_names[it.status]);
	return out;
}

static void
test_households(void)
{
	struct touch monthly = every("monthly"), quarterly = every("quarterly");
	struct touch yearly = every("yearly");
	const struct touch *t1[] = {&quarterly};
	const size_t r1[] = {1};
	const char *i1[] = {"c1"}, *l1[] = {"2026-09-01"};
	/* One member: its own item. */
	CHECK_STR(household(t1, r1, i1, l1, 1, "2026-11-26"), "due=2026-12-01 rep=c1 upcoming");
	/* Two members, A (monthly) and B (quarterly): last done the latest over both, due the
	 * earliest (the A member's interval), and the A member stands for the household. */
	const struct touch *t2[] = {&quarterly, &monthly};
	const size_t r2[] = {1, 0};
	const char *i2[] = {"c1", "c2"}, *l2[] = {"2026-11-01", "2026-09-01"};
	CHECK_STR(household(t2, r2, i2, l2, 2, "2026-11-26"), "due=2026-12-01 rep=c2 upcoming");
	/* The B member was called last: that counts for the A member too. */
	const char *l2b[] = {"2026-11-20", NULL};
	CHECK_STR(household(t2, r2, i2, l2b, 2, "2026-11-26"), "due=2026-12-20 rep=c2 upcoming");
	/* Three members, B, C and B: the best tier, then the smallest id; none ever done. */
	const struct touch *t3[] = {&quarterly, &yearly, &quarterly};
	const size_t r3[] = {1, 2, 1};
	const char *i3[] = {"c9", "c1", "c5"}, *l3[] = {NULL, NULL, NULL};
	CHECK_STR(household(t3, r3, i3, l3, 3, "2026-11-26"), "due=2026-11-26 rep=c5 due");
	/* ... one of them done a year and a day ago: each interval from that date. */
	const char *l3b[] = {NULL, "2025-11-25", NULL};
	CHECK_STR(household(t3, r3, i3, l3b, 3, "2026-11-26"), "due=2026-02-25 rep=c5 overdue");
}

static void
test_stagger(void)
{
	struct touch monthly = every("monthly");
	struct date S = D("2027-01-01");
	/* The FNV-1a of "c1", 0x1F, "call" is 10316030673856430870: 8 mod 31. */
	CHECK_STR(fmt(cadence_first_due(&monthly, S, true, NULL, "c1", 2)), "2027-01-09");
	/* Without stagger: S; since after start: from since. */
	CHECK_STR(fmt(cadence_first_due(&monthly, S, false, NULL, "c1", 2)), "2027-01-01");
	struct date since = D("2027-03-10");
	CHECK_STR(fmt(cadence_first_due(&monthly, S, false, &since, "c1", 2)), "2027-03-10");
	struct date before = D("2020-01-01");
	CHECK_STR(fmt(cadence_first_due(&monthly, S, false, &before, "c1", 2)), "2027-01-01");

	/* 1,000 never-contacted clients spread over the first interval (31 days). */
	long count[31] = {0};
	bool inside = true;
	for (int i = 0; i < 1000; i++) {
		char id[16];
		int len = snprintf(id, sizeof id, "c%04d", i);
		long day = date_diff_days(cadence_first_due(&monthly, S, true, NULL, id, (size_t)len), S);
		if (day < 0 || day >= 31)
			inside = false;
		else
			count[day]++;
	}
	CHECK(inside);
	long most = 0, empty = 0;
	for (int d = 0; d < 31; d++) {
		most = count[d] > most ? count[d] : most;
		empty += count[d] == 0;
	}
	CHECK(most * 31 <= 2 * 1000); /* no day holds more than twice the mean */
	CHECK_INT(empty, 0);

	/* Through cadence_due: never done with a start; done clients keep their dates. */
	struct cadence_facts f = {.start = &S, .stagger = true, .id = "c1", .id_len = 2};
	struct cadence_item it;
	cadence_due(&monthly, &f, D("2026-11-26"), &it);
	CHECK_STR(fmt(it.due), "2027-01-09");
	CHECK_INT(it.basis, CADENCE_NEVER);
	struct date lc = D("2026-11-01");
	f.last_contact = &lc;
	cadence_due(&monthly, &f, D("2026-11-26"), &it);
	CHECK_STR(fmt(it.due), "2026-12-01");
}

/* An item of a monthly call last done 2026-10-01 (due 2026-11-01), given the log's entries. */
static const char *
outcome_of(struct touchlog *log, const char *id, const char *today)
{
	static char out[96];
	struct touch t = every("monthly");
	t.retry = dur("3d"); /* the model's default */
	struct touchlog_state st;
	struct cadence_facts f = {0};
	long client = touchlog_client(log, id);
	if (touchlog_client_state(log, client, "call", &st)) {
		if (st.done) {
			f.logged = &st.last_done;
			f.declined = st.declined;
		}
		f.deferral = &st;
	}
	struct cadence_item it;
	struct date T = D(today);
	cadence_due(&t, &f, T, &it);
	struct cadence_window w = cadence_window(T, dur("7d"));
	snprintf(out, sizeof out, "due=%s%s%s%s", fmt(it.due), it.deferred ? " deferred" : "",
	         it.declined ? " declined" : "", cadence_listed(&it, &w) ? " listed" : "");
	return out;
}

static void
add(struct touchlog *log, const char *id, const char *date, enum touchlog_outcome o,
    const char *until)
{
	touchlog_add_entry(log, id, strlen(id), "call", 4, D(date), o,
	                   until ? D(until) : (struct date){0, 0, 0});
}

static void
test_outcomes(void)
{
	struct touchlog *log = touchlog_new();
	/* done */
	add(log, "d", "2026-10-01", TOUCHLOG_DONE, NULL);
	CHECK_STR(outcome_of(log, "d", "2026-11-26"), "due=2026-11-01 listed");
	/* no-answer: deferred for retry (3 days) from its date, then listed at the old due date */
	add(log, "n", "2026-10-01", TOUCHLOG_DONE, NULL);
	add(log, "n", "2026-11-24", TOUCHLOG_NO_ANSWER, NULL);
	CHECK_STR(outcome_of(log, "n", "2026-11-26"), "due=2026-11-01 deferred");
	CHECK_STR(outcome_of(log, "n", "2026-11-27"), "due=2026-11-01 listed");
	/* a no-answer does not count as done, nor as a client contacted */
	struct date any;
	add(log, "n2", "2026-11-24", TOUCHLOG_NO_ANSWER, NULL);
	CHECK(!touchlog_last(log, "n2", "call", &any));
	CHECK(!touchlog_last_any(log, "n2", &any));
	CHECK_STR(outcome_of(log, "n2", "2026-11-26"), "due=2026-11-26 deferred");
	/* scheduled: deferred while today < until */
	add(log, "s", "2026-10-01", TOUCHLOG_DONE, NULL);
	add(log, "s", "2026-11-20", TOUCHLOG_SCHEDULED, "2026-12-01");
	CHECK_STR(outcome_of(log, "s", "2026-11-30"), "due=2026-11-01 deferred");
	CHECK_STR(outcome_of(log, "s", "2026-12-01"), "due=2026-11-01 listed");
	/* snoozed: the same */
	add(log, "z", "2026-10-01", TOUCHLOG_DONE, NULL);
	add(log, "z", "2026-11-02", TOUCHLOG_SNOOZED, "2027-02-01");
	CHECK_STR(outcome_of(log, "z", "2027-01-31"), "due=2026-11-01 deferred");
	CHECK_STR(outcome_of(log, "z", "2027-02-01"), "due=2026-11-01 listed");
	/* a deferral older than the last done does not apply */
	add(log, "o", "2026-09-20", TOUCHLOG_SNOOZED, "2027-02-01");
	add(log, "o", "2026-10-01", TOUCHLOG_DONE, NULL);
	CHECK_STR(outcome_of(log, "o", "2026-11-26"), "due=2026-11-01 listed");
	/* declined counts as done, and says so; a later done clears it */
	add(log, "x", "2026-10-01", TOUCHLOG_DECLINED, NULL);
	CHECK_STR(outcome_of(log, "x", "2026-11-26"), "due=2026-11-01 declined listed");
	CHECK(touchlog_last_any(log, "x", &any));
	add(log, "x", "2026-10-05", TOUCHLOG_DONE, NULL);
	CHECK_STR(outcome_of(log, "x", "2026-11-26"), "due=2026-11-05 listed");
	/* names */
	enum touchlog_outcome o;
	CHECK_INT(touchlog_outcome_parse(" No-Answer ", 11, &o), 0);
	CHECK_INT(o, TOUCHLOG_NO_ANSWER);
	CHECK_INT(touchlog_outcome_parse("", 0, &o), 0);
	CHECK_INT(o, TOUCHLOG_DONE);
	CHECK_INT(touchlog_outcome_parse("maybe", 5, &o), -1);
	touchlog_free(log);
}

/* The channel a touch on channel (with fallback, may be NULL) goes by for refused flags. */
static const char *
consent(const char *channel, const char *fallback, unsigned refused)
{
	struct touch t = every("monthly");
	t.channel = (char *)channel;
	t.fallback = (char *)fallback;
	struct cadence_facts f = {.refused = refused};
	struct cadence_item it;
	cadence_due(&t, &f, D("2026-11-26"), &it);
	struct cadence_window w = cadence_window(D("2026-11-26"), dur("7d"));
	if (it.refused)
		return cadence_listed(&it, &w) || cadence_missed(&it) ? "refused but listed" : "refused";
	return it.channel;
}

static void
test_consent(void)
{
	/* Each flag, without a fallback. */
	CHECK_STR(consent("phone", NULL, CADENCE_NO_CALL), "refused");
	CHECK_STR(consent("call", NULL, CADENCE_NO_CALL), "refused");
	CHECK_STR(consent("email", NULL, CADENCE_NO_EMAIL), "refused");
	CHECK_STR(consent("card", NULL, CADENCE_NO_MAIL), "refused");
	CHECK_STR(consent("gift", NULL, CADENCE_NO_MAIL), "refused");
	CHECK_STR(consent("letter", NULL, CADENCE_NO_MAIL), "refused");
	/* ... with a fallback the client allows. */
	CHECK_STR(consent("phone", "letter", CADENCE_NO_CALL), "letter");
	CHECK_STR(consent("email", "card", CADENCE_NO_EMAIL), "card");
	CHECK_STR(consent("card", "email", CADENCE_NO_MAIL), "email");
	/* ... with a fallback the client refused too. */
	CHECK_STR(consent("phone", "email", CADENCE_NO_CALL | CADENCE_NO_EMAIL), "refused");
	/* A flag for another channel changes nothing; a meeting needs no consent. */
	CHECK_STR(consent("phone", NULL, CADENCE_NO_EMAIL | CADENCE_NO_MAIL), "phone");
	CHECK_STR(consent("meeting", NULL, CADENCE_NO_CALL | CADENCE_NO_EMAIL | CADENCE_NO_MAIL),
	          "meeting");
	CHECK_STR(consent("Phone", NULL, CADENCE_NO_CALL), "refused");

	/* From the record's columns. */
	static const char json[] = "{\"tiers\": {\"A\": {\"touches\": [\n"
	                           "  {\"touch\": \"call\", \"every\": \"monthly\", \"channel\": "
	                           "\"phone\", \"fallback\": \"letter\"},\n"
	                           "  {\"touch\": \"check-in\", \"every\": \"yearly\", \"channel\": "
	                           "\"email\"}]}}}\n";
	struct cs_error err;
	struct model *m = model_parse(json, strlen(json), "test", &err);
	CHECK(m != NULL);
	if (!m)
		return;
	struct header *h = make_header("id,tier,do_not_call,do_not_email,do_not_mail");
	struct cadence *c = cadence_new(m, h);
	struct cadence_item items[2];
	struct cadence_client info;
	struct record rec = {0};
	const char *r[] = {"c1", "A", "yes", "TRUE", ""};
	make_record(&rec, r, 5);
	size_t n = cadence_record(c, &rec, NULL, D("2026-11-26"), items, &info);
	CHECK_INT(n, 2);
	CHECK_INT(info.refused, CADENCE_NO_CALL | CADENCE_NO_EMAIL);
	CHECK_STR(items[0].channel, "letter");
	CHECK(items[0].fallback);
	CHECK(items[1].refused);
	const char *r2[] = {"c2", "A", "no", "", "x"};
	make_record(&rec, r2, 5);
	n = cadence_record(c, &rec, NULL, D("2026-11-26"), items, &info);
	CHECK_INT(info.refused, CADENCE_NO_MAIL);
	CHECK_STR(items[0].channel, "phone");
	CHECK(!items[1].refused);
	record_free(&rec);
	cadence_free(c);
	header_free(h);
	model_free(m);
}

static void
test_touchlog_index(void)
{
	struct touchlog *log = touchlog_new();
	struct date d;
	CHECK(!touchlog_last(log, "c1", "call", &d));
	CHECK(!touchlog_last_any(log, "c1", &d));
	CHECK(!touchlog_last(NULL, "c1", "call", &d));

	touchlog_add(log, "c1", 2, "call", 4, D("2026-03-01"));
	touchlog_add(log, " c1\t", 4, " CALL ", 6, D("2026-01-01"));
	touchlog_add(log, "c1", 2, "review meeting", 14, D("2026-05-01"));
	touchlog_add(log, "c1", 2, "call", 4, D("--05-01")); /* no year: ignored */
	CHECK(touchlog_last(log, "c1", "Call", &d));
	CHECK_STR(fmt(d), "2026-03-01");
	CHECK(touchlog_last_any(log, "c1", &d));
	CHECK_STR(fmt(d), "2026-05-01");
	CHECK(!touchlog_last(log, "C1", "call", &d)); /* ids match exactly */
	CHECK(!touchlog_last(log, "c1", "card", &d));
	CHECK_INT(touchlog_rows(log), 3);
	CHECK_INT(touchlog_clients(log), 1);
	CHECK_INT(touchlog_pairs(log), 2);

	/* By handle: one lookup of the client, then its touches. */
	long c1 = touchlog_client(log, "c1");
	CHECK(c1 >= 0);
	CHECK_INT(touchlog_client(log, "c2"), -1);
	CHECK_INT(touchlog_client(NULL, "c1"), -1);
	CHECK(touchlog_client_last(log, c1, "review MEETING", &d));
	CHECK_STR(fmt(d), "2026-05-01");
	CHECK(!touchlog_client_last(log, c1, "card", &d));
	CHECK(!touchlog_client_last(log, -1, "call", &d));
	CHECK(touchlog_client_any(log, c1, &d));
	CHECK_STR(fmt(d), "2026-05-01");
	CHECK(!touchlog_client_any(log, -1, &d));
	/* Long ids (not stored inline in the table) work the same. */
	const char *long_id = "client-with-a-rather-long-identifier-0001";
	touchlog_add(log, long_id, strlen(long_id), "call", 4, D("2026-02-02"));
	CHECK(touchlog_last(log, long_id, "call", &d));
	CHECK_STR(fmt(d), "2026-02-02");
	CHECK(!touchlog_last(log, "client-with-a-rather-long-identifier-0002", "call", &d));
	CHECK_INT(touchlog_clients(log), 2);

	/* Many clients: the tables grow and every entry survives the rehashing. */
	char id[32];
	long base = date_to_days(D("2020-01-01"));
	for (int i = 0; i < 50000; i++) {
		int len = snprintf(id, sizeof id, "client-%d", i);
		touchlog_add(log, id, (size_t)len, i % 2 ? "call" : "card", 4,
		             date_from_days(base + i % 1000));
		touchlog_add(log, id, (size_t)len, "call", 4, date_from_days(base + 500));
	}
	int bad = 0;
	for (int i = 0; i < 50000; i++) {
		snprintf(id, sizeof id, "client-%d", i);
		long want = i % 2 && i % 1000 > 500 ? base + i % 1000 : base + 500;
		if (!touchlog_last(log, id, "call", &d) || date_to_days(d) != want)
			bad++;
		want = i % 1000 > 500 ? base + i % 1000 : base + 500;
		if (!touchlog_last_any(log, id, &d) || date_to_days(d) != want)
			bad++;
		if (i % 2 == 0 &&
		    (!touchlog_last(log, id, "card", &d) || date_to_days(d) != base + i % 1000))
			bad++;
	}
	CHECK_INT(bad, 0);
	CHECK_INT(touchlog_clients(log), 50002);
	CHECK_INT(touchlog_pairs(log), 3 + 50000 + 25000);
	touchlog_free(log);
}

struct counted {
	int n;
	char last[600];
};

static void
count_warning(void *ctx, const struct cs_error *w)
{
	struct counted *c = ctx;
	c->n++;
	snprintf(c->last, sizeof c->last, "%s:%ld: %s", w->file, w->row, w->msg);
}

static void
test_touchlog_read(void)
{
	char path[200];
	unit_tmp_template(path, sizeof path, "test_cadence");
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	FILE *f = fdopen(fd, "w");
	fputs("date,id,touch,channel,by,note\n"
	      "2026-11-02,c001,call,phone,ana,\"left a message, will call back\"\n"
	      "2026-11-20,c001,call,phone,ana,\n"
	      "2026-11-10,c001,call,phone,ana,\n"
	      "2026-13-01,c002,call,phone,ben,\n"
	      ",c002,call,phone,ben,\n"
	      "2026-11-21,,call,phone,ben,\n"
	      "2026-11-21,c002,,phone,ben,\n"
	      "2026-11-22,c002,review meeting,meeting,ben,\n",
	      f);
	fclose(f);
	struct counted warned = {0};
	struct stream_options so = {.warn = count_warning, .warn_ctx = &warned};
	struct touchlog *log = touchlog_new();
	struct cs_error err;
	CHECK_INT(touchlog_read(log, path, &so, &err), 0);
	CHECK_INT(warned.n, 4);
	CHECK(strstr(warned.last, ":8: no touch") != NULL);
	struct date d;
	CHECK(touchlog_last(log, "c001", "call", &d));
	CHECK_STR(fmt(d), "2026-11-20");
	CHECK(!touchlog_last(log, "c002", "call", &d));
	CHECK(touchlog_last_any(log, "c002", &d));
	CHECK_STR(fmt(d), "2026-11-22");
	CHECK_INT(touchlog_rows(log), 4);

	/* NDJSON works too, and adds to what is there. */
	f = fopen(path, "w");
	fputs("{\"date\":\"2026-11-25\",\"id\":\"c001\",\"touch\":\"call\"}\n", f);
	fclose(f);
	CHECK_INT(touchlog_read(log, path, &so, &err), 0);
	CHECK(touchlog_last(log, "c001", "call", &d));
	CHECK_STR(fmt(d), "2026-11-25");

	/* The outcome and until columns; bad outcomes and a snooze without until are skipped. */
	f = fopen(path, "w");
	fputs("date,id,touch,channel,by,note,outcome,until\n"
	      "2026-11-01,c003,call,phone,ana,,,\n"
	      "2026-11-10,c003,call,phone,ana,,no-answer,\n"
	      "2026-11-11,c003,call,phone,ana,,maybe,\n"
	      "2026-11-12,c003,call,phone,ana,,snoozed,\n"
	      "2026-11-13,c003,call,phone,ana,,Scheduled,2026-12-02\n",
	      f);
	fclose(f);
	warned.n = 0;
	CHECK_INT(touchlog_read(log, path, &so, &err), 0);
	CHECK_INT(warned.n, 2);
	CHECK(strstr(warned.last, ":5: snoozed needs an until date") != NULL);
	struct touchlog_state st;
	CHECK(touchlog_client_state(log, touchlog_client(log, "c003"), "call", &st));
	CHECK(st.done && st.deferred);
	CHECK_STR(fmt(st.last_done), "2026-11-01");
	CHECK_INT(st.defer, TOUCHLOG_SCHEDULED);
	CHECK_STR(fmt(st.until), "2026-12-02");

	/* Not a touch log. */
	f = fopen(path, "w");
	fputs("id,name\nc001,Ana\n", f);
	fclose(f);
	CHECK_INT(touchlog_read(log, path, &so, &err), -1);
	CHECK(strstr(err.msg, "not a touch log: no \"date\" column") != NULL);
	CHECK_INT(err.row, 1);
	unlink(path);
	CHECK_INT(touchlog_read(log, path, &so, &err), -1);
	touchlog_free(log);
}

int
main(void)
{
	test_every();
	test_on();
	test_once_after();
	test_once_within();
	test_window();
	test_records();
	test_touchlog_index();
	test_touchlog_read();
	test_grace();
	test_satisfies();
	test_households();
	test_stagger();
	test_outcomes();
	test_consent();
	return unit_report("cadence");
}
