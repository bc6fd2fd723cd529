/*
 * report_delivery.c - cs-report's delivery section: the occurrences of each
 * touch the model planned in the 12 months before today, against those the
 * touch log has done and declined, and the clients whose review was not
 * delivered.  The rules are report_delivery.h's.
 *
 * Two decisions shape it.
 *
 * The log is counted in the one pass that reads it (touchlog_read_each):
 * the touch log index keeps only the latest entry per (client, touch),
 * while delivery needs how many there were in the period, so this file
 * keeps its own small table, keyed by the id and the touch's name in ASCII
 * lower case (touch names match without regard to case, as everywhere).
 * Memory grows with the log, never with the book.
 *
 * Planned, done and declined are counts per (tier, touch), so they add up
 * across partials like every other count of the report.  The reviews not
 * delivered are a list, kept whole: advisers charge for reviews and
 * regulators ask for proof, so the list is never cut; it is the one part
 * of the report that grows with the book (with the clients it names).
 */
#include "report_delivery.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

/* ---- the rules ---------------------------------------------------------- */

struct date
delivery_period_start(struct date today)
{
	return date_add_months(today, -12);
}

long
delivery_fits(struct date from, struct duration every, struct date to)
{
	if (every.amount <= 0 || date_cmp(from, to) >= 0)
		return 0;
	long days = date_diff_days(to, from);
	switch (every.unit) {
	case DUR_DAYS:
		return days / every.amount;
	case DUR_WEEKS:
		return days / (7 * every.amount);
	case DUR_MONTHS:
	case DUR_YEARS:
		break;
	}
	long step = every.unit == DUR_YEARS ? 12 * every.amount : every.amount;
	/* The most months m with from + m months <= to; adding months is monotone. */
	long months = (long)(to.year - from.year) * 12 + (to.month - from.month);
	while (months > 0 && date_cmp(date_add_months(from, months), to) > 0)
		months--;
	return months / step;
}

/* True if d is in the period (start, today] and on or after since (NULL: any). */
static bool
in_period(struct date d, struct date today, const struct date *since)
{
	struct date start = delivery_period_start(today);
	return date_cmp(d, start) > 0 && date_cmp(d, today) <= 0 &&
	       !(since && date_cmp(d, *since) < 0);
}

long
delivery_planned(const struct cadence_item *item, struct date today, const struct date *since)
{
	if (since && !since->year)
		since = NULL;
	if (item->refused)
		return 0;
	const struct touch *t = item->touch;
	switch (t->kind) {
	case TOUCH_EVERY: {
		struct date from = delivery_period_start(today);
		if (since && date_cmp(*since, from) > 0)
			from = *since;
		return delivery_fits(from, t->every, today);
	}
	case TOUCH_ON: {
		/* due is the next occurrence on or after today: the last one is a year before. */
		struct date last =
		    date_cmp(item->due, today) == 0 ? today : date_add_years(item->due, -1);
		return in_period(last, today, since);
	}
	case TOUCH_ONCE_AFTER:
	case TOUCH_ONCE_WITHIN:
		return in_period(item->due, today, since);
	}
	return 0;
}

void
delivery_planned_all(const struct cadence_item *items, size_t n, struct date today,
                     const struct date *since, long *planned)
{
	for (size_t i = 0; i < n; i++)
		planned[i] = delivery_planned(&items[i], today, since);
	/* The credit is taken from the counts before any credit, as model_summary does. */
	long *credited = xcalloc(n + 1, sizeof *credited);
	for (size_t i = 0; i < n; i++) {
		credited[i] = planned[i];
		for (size_t k = 0; k < n; k++)
			if (k != i &&
			    touch_satisfies(items[i].tier, items[k].touch, items[i].touch))
				credited[i] -= planned[k];
		if (credited[i] < 0)
			credited[i] = 0;
	}
	memcpy(planned, credited, n * sizeof *planned);
	free(credited);
}

/* True if needle (lower case) is in s[0..len) without regard to ASCII case. */
static bool
contains_nocase(const char *s, const char *needle)
{
	size_t n = strlen(needle), len = strlen(s);
	for (size_t i = 0; i + n <= len; i++) {
		size_t k = 0;
		while (k < n && ascii_lower((unsigned char)s[i + k]) == needle[k])
			k++;
		if (k == n)
			return true;
	}
	return false;
}

bool
delivery_is_review(const struct tier *t, size_t j)
{
	const struct touch *tc = &t->touches[j];
	if (tc->kind != TOUCH_EVERY || tc->nsatisfied_by > 0)
		return false;
	long a = tc->every.amount;
	bool yearly_or_less =
	    (tc->every.unit == DUR_DAYS && a <= 366) || (tc->every.unit == DUR_WEEKS && a <= 52) ||
	    (tc->every.unit == DUR_MONTHS && a <= 12) || (tc->every.unit == DUR_YEARS && a <= 1);
	return yearly_or_less &&
	       (ascii_casecmp_eq(tc->channel, "meeting") || contains_nocase(tc->name, "review"));
}

/* ---- the log ------------------------------------------------------------ */

/* What the log holds for one (client, touch). */
struct delivery_pair {
	long long done, declined; /* entries in the period */
	long last_done;           /* the latest done entry on or before today; LONG_MIN: none */
	long last_declined;       /* the latest declined entry in the period; LONG_MIN: none */
};

struct delivery_log {
	struct strtab pairs; /* id, 0x1F, the touch in ASCII lower case */
	struct delivery_pair *v;
	size_t cap;
	struct buf key;    /* scratch for pair keys */
	long first, today; /* the period as day numbers: first < day <= today */
};

/* The key of (id, touch) in dl->key (borrowed until the next call). */
static const char *
pair_key(struct delivery_log *dl, const char *id, size_t id_len, const char *touch,
         size_t touch_len)
{
	buf_reset(&dl->key);
	buf_append(&dl->key, id, id_len);
	buf_putc(&dl->key, 0x1F);
	for (size_t i = 0; i < touch_len; i++)
		buf_putc(&dl->key, (char)ascii_lower((unsigned char)touch[i]));
	return buf_str(&dl->key);
}

void
report_use_log(struct report *r)
{
	r->delivery = true;
	if (r->dlog)
		return;
	struct delivery_log *dl = xcalloc(1, sizeof *dl);
	dl->first = date_to_days(delivery_period_start(r->today));
	dl->today = date_to_days(r->today);
	r->dlog = dl;
}

void
report_log_entry(void *ctx, const char *id, size_t id_len, const char *touch, size_t touch_len,
                 struct date date, enum touchlog_outcome outcome)
{
	struct report *r = ctx;
	if (outcome != TOUCHLOG_DONE && outcome != TOUCHLOG_DECLINED)
		return; /* no-answer, scheduled, snoozed: not done */
	report_use_log(r);
	struct delivery_log *dl = r->dlog;
	long day = date_to_days(date);
	if (day > dl->today)
		return; /* dated after today: not done yet */
	pair_key(dl, id, id_len, touch, touch_len);
	bool added;
	long i = strtab_intern(&dl->pairs, dl->key.data, dl->key.len, &added);
	if (i < 0)
		return;
	if ((size_t)i >= dl->cap)
		dl->v = xgrow(dl->v, &dl->cap, (size_t)i + 1, sizeof *dl->v);
	struct delivery_pair *p = &dl->v[i];
	if (added)
		*p = (struct delivery_pair){0, 0, LONG_MIN, LONG_MIN};
	bool in = day > dl->first;
	if (outcome == TOUCHLOG_DONE) {
		p->done += in;
		if (day > p->last_done)
			p->last_done = day;
	} else if (in) {
		p->declined++;
		if (day > p->last_declined)
			p->last_declined = day;
	}
}

bool
report_has_delivery(const struct report *r)
{
	return r->delivery;
}

static const struct delivery_pair *
pair_find(struct delivery_log *dl, const char *id, size_t id_len, const char *touch)
{
	static const struct delivery_pair none = {0, 0, LONG_MIN, LONG_MIN};
	if (!dl)
		return &none;
	pair_key(dl, id, id_len, touch, strlen(touch));
	long i = strtab_find(&dl->pairs, dl->key.data, dl->key.len);
	return i < 0 ? &none : &dl->v[i];
}

/* ---- counting a client -------------------------------------------------- */

void
report_undelivered_add(struct report *r, struct report_undelivered *u)
{
	if (r->nundelivered == r->capundelivered)
		r->undelivered = xgrow(r->undelivered, &r->capundelivered, r->nundelivered + 1,
		                       sizeof *r->undelivered);
	r->undelivered[r->nundelivered++] = *u;
}

/* A field of rec by its column (-1: ""), trimmed, as a new string. */
static char *
field_dup(const struct report *r, const struct record *rec, enum column col)
{
	if (r->col[col] < 0)
		return xstrdup("");
	size_t len;
	const char *s = record_get(rec, (size_t)r->col[col], &len);
	str_trim(&s, &len);
	return xstrndup(s, len);
}

/* List the client's review touch item as not delivered; p is what the log has on it. */
static void
not_delivered(struct report *r, const struct record *rec, const struct cadence_item *item,
              const struct delivery_pair *p)
{
	struct report_undelivered u = {
	    .id = field_dup(r, rec, COL_ID),
	    .name = field_dup(r, rec, COL_NAME),
	    .owner = field_dup(r, rec, COL_OWNER),
	    .tier = xstrdup(item->tier->name),
	    .touch = xstrdup(item->touch->name),
	    .has_last_done = p->last_done != LONG_MIN,
	    .has_declined = p->last_declined != LONG_MIN,
	};
	if (u.has_last_done)
		u.last_done = date_from_days(p->last_done);
	if (u.has_declined)
		u.declined = date_from_days(p->last_declined);
	report_undelivered_add(r, &u);
}

void
report_delivery_add(struct report *r, const struct record *rec, size_t ti, size_t key,
                    const struct cadence_item *items, size_t n, const struct date *since)
{
	if (!r->delivery || n == 0)
		return;
	if (since && !since->year)
		since = NULL;
	size_t id_len = 0;
	const char *id = "";
	if (r->col[COL_ID] >= 0) {
		id = record_get(rec, (size_t)r->col[COL_ID], &id_len);
		str_trim(&id, &id_len);
	}
	long *planned = xcalloc(n + 1, sizeof *planned);
	delivery_planned_all(items, n, r->today, since, planned);
	/* A client of the whole period owes its review; one who joined within it not yet. */
	bool whole = !since || date_cmp(*since, delivery_period_start(r->today)) <= 0;
	bool declined = false;
	for (size_t i = 0; i < n; i++) {
		const struct cadence_item *it = &items[i];
		size_t j = (size_t)(it->touch - it->tier->touches), f = r->touch_first[ti] + j;
		const struct delivery_pair *p = pair_find(r->dlog, id, id_len, it->touch->name);
		long long *c = ll_at(&r->d_planned, f);
		*c = sat_add(*c, planned[i]);
		c = ll_at(&r->d_done, f);
		*c = sat_add(*c, p->done);
		c = ll_at(&r->d_declined, f);
		*c = sat_add(*c, p->declined);
		declined |= p->declined > 0;
		if (whole && !it->refused && p->done == 0 && delivery_is_review(it->tier, j))
			not_delivered(r, rec, it, p);
	}
	counts_at(&r->all, key)->declined += declined;
	free(planned);
}

void
report_delivery_free(struct report *r)
{
	if (r->dlog) {
		strtab_free(&r->dlog->pairs);
		free(r->dlog->v);
		buf_free(&r->dlog->key);
		free(r->dlog);
	}
	free(r->d_planned.v);
	free(r->d_done.v);
	free(r->d_declined.v);
	for (size_t i = 0; i < r->nundelivered; i++) {
		struct report_undelivered *u = &r->undelivered[i];
		free(u->id);
		free(u->name);
		free(u->owner);
		free(u->tier);
		free(u->touch);
	}
	free(r->undelivered);
}
