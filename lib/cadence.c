/*
 * cadence.c - due dates of the model's touches (DESIGN section 4).
 *
 * The rules sit in one pure function, cadence_due, which sees only dates: no
 * record, no header, no log format.  That keeps the day-exact rules (month
 * ends, 29 February, lead, expiry) testable one by one, and lets cs-due and
 * cs-report share them without sharing anything else.
 *
 * cadence_record is the glue for a stream: the columns are resolved once per
 * header (cadence_new), so per record it only reads the few fields a tier's
 * touches need, parses each date at most once, and asks the log only when
 * the client appears in it.  It allocates nothing: the caller gives it room
 * for cadence_max_items items, which a streaming tool reuses record after
 * record.
 */
#include "cadence.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "schema.h"

const char *const cadence_status_names[4] = {"upcoming", "due", "late", "overdue"};

unsigned
cadence_channel_consent(const char *channel)
{
	const char *field = model_channel_consent(channel);
	if (!field)
		return 0;
	return strcmp(field, "do_not_call") == 0    ? CADENCE_NO_CALL
	       : strcmp(field, "do_not_email") == 0 ? CADENCE_NO_EMAIL
	                                            : CADENCE_NO_MAIL;
}

void
cadence_set_due(struct cadence_item *item, struct date due, struct date today)
{
	const struct touch *t = item->touch;
	item->due = due;
	item->start = t->kind == TOUCH_ON ? date_add_duration(due, t->lead, -1) : due;
	item->overdue_days = date_diff_days(today, due);
	if (item->overdue_days < 0)
		item->status = CADENCE_UPCOMING;
	else if (item->overdue_days == 0)
		item->status = CADENCE_DUE;
	else if (t->grace.amount &&
	         date_cmp(today, date_add_duration(due, t->grace, 1)) <= 0)
		item->status = CADENCE_LATE;
	else
		item->status = CADENCE_OVERDUE;
}

struct date
cadence_first_due(const struct touch *t, struct date start, bool stagger, const struct date *since,
                  const char *id, size_t id_len)
{
	struct date s = start;
	if (since && since->year && date_cmp(*since, s) > 0)
		s = *since;
	if (!stagger)
		return s;
	long n = date_diff_days(date_add_duration(s, t->every, 1), s);
	if (n <= 0)
		return s;
	static const unsigned char unit_separator = 0x1f;
	uint64_t h = hash_fnv1a(id, id_len, HASH_FNV64_BASIS);
	h = hash_fnv1a(&unit_separator, 1, h);
	h = hash_fnv1a(t->name, strlen(t->name), h);
	return date_from_days(date_to_days(s) + (long)(h % (uint64_t)n));
}

/* Consent: the channel item is listed on, or refused. */
static void
apply_consent(struct cadence_item *item, unsigned refused)
{
	const struct touch *t = item->touch;
	item->channel = t->channel;
	if (!refused || !(cadence_channel_consent(t->channel) & refused))
		return;
	if (t->fallback && !(cadence_channel_consent(t->fallback) & refused)) {
		item->channel = t->fallback;
		item->fallback = true;
	} else {
		item->refused = true;
	}
}

/* A deferral that applies: later than the last done, and still running on today. */
static bool
deferred(const struct touch *t, const struct touchlog_state *d, const struct date *last_done,
         struct date today)
{
	if (!d || !d->deferred)
		return false;
	if (last_done && date_cmp(d->defer_date, *last_done) <= 0)
		return false;
	struct date end = d->defer == TOUCHLOG_NO_ANSWER ? date_add_duration(d->defer_date, t->retry, 1)
	                                                 : d->until;
	return date_cmp(today, end) < 0;
}

bool
cadence_due(const struct touch *t, const struct cadence_facts *f, struct date today,
            struct cadence_item *out)
{
	*out = (struct cadence_item){.touch = t, .basis = CADENCE_FIELD};
	const struct date *logged = f->logged && f->logged->year ? f->logged : NULL;
	const struct date *field = f->field;
	if (logged) {
		out->logged = true;
		out->last_logged = *logged;
		out->declined = f->declined;
	}
	struct date due = today;
	switch (t->kind) {
	case TOUCH_EVERY: {
		const struct date *last_contact =
		    f->last_contact && f->last_contact->year ? f->last_contact : NULL;
		if (logged) {
			out->basis = CADENCE_LOG;
			due = date_add_duration(*logged, t->every, 1);
		} else if (last_contact) {
			out->basis = CADENCE_LAST_CONTACT;
			due = date_add_duration(*last_contact, t->every, 1);
		} else {
			out->basis = CADENCE_NEVER;
			if (f->start && f->start->year)
				due = cadence_first_due(t, *f->start, f->stagger, f->since,
				                        f->id ? f->id : "", f->id ? f->id_len : 0);
		}
		out->deferred = deferred(t, f->deferral,
		                         logged ? logged : last_contact, today);
		if (logged || last_contact) {
			out->has_last_done = true;
			out->last_done = logged ? *logged : *last_contact;
		}
		break;
	}
	case TOUCH_ON: {
		if (!field)
			return false;
		due = date_next_occurrence(*field, today);
		/* The occurrence a year before due: anything logged after it is for this one. */
		struct date previous = date_next_occurrence(*field, (struct date){due.year - 1, 1, 1});
		out->done = logged && date_cmp(*logged, previous) > 0;
		out->deferred = deferred(t, f->deferral, logged, today);
		break;
	}
	case TOUCH_ONCE_AFTER:
	case TOUCH_ONCE_WITHIN: {
		if (!field || field->year == 0)
			return false;
		out->done = logged && date_cmp(*logged, *field) >= 0;
		struct date end;
		if (t->kind == TOUCH_ONCE_AFTER) {
			due = date_add_duration(*field, t->after, 1);
			end = date_add_duration(due, t->expires, 1);
		} else {
			due = *field;
			end = date_add_duration(*field, t->within, 1);
		}
		out->expired = !out->done && date_cmp(today, end) >= 0;
		out->deferred = deferred(t, f->deferral, logged, today);
		break;
	}
	}
	cadence_set_due(out, due, today);
	apply_consent(out, f->refused);
	return true;
}

struct cadence_window
cadence_window(struct date today, struct duration w)
{
	struct cadence_window win = {.today = today, .end = date_add_duration(today, w, 1)};
	win.end_days = date_to_days(win.end);
	return win;
}

bool
cadence_listed(const struct cadence_item *item, const struct cadence_window *w)
{
	return !item->done && !item->expired && !item->refused && !item->deferred &&
	       date_to_days(item->start) < w->end_days;
}

bool
cadence_late(const struct cadence_item *item)
{
	return item->touch->kind == TOUCH_EVERY && !item->refused && item->status == CADENCE_LATE;
}

size_t
cadence_hide_satisfied(const struct cadence_item *items, size_t n, bool *listed)
{
	size_t hidden = 0;
	for (size_t i = 0; i < n; i++) {
		if (!listed[i] || !items[i].touch->nsatisfied_by)
			continue;
		for (size_t j = 0; j < n; j++)
			if (j != i && listed[j] && items[j].tier == items[i].tier &&
			    touch_satisfies(items[i].tier, items[j].touch, items[i].touch)) {
				listed[i] = false;
				hidden++;
				break;
			}
	}
	return hidden;
}

/* True if member a stands for a household before member b: better tier, then smaller id. */
static bool
member_before(const struct cadence_member *a, const struct cadence_member *b)
{
	if (a->tier_rank != b->tier_rank)
		return a->tier_rank < b->tier_rank;
	return strcmp(a->id, b->id) < 0;
}

size_t
cadence_household(const struct cadence_member *m, size_t n, struct date today,
                  struct cadence_item *out)
{
	size_t rep = 0;
	for (size_t i = 1; i < n; i++)
		if (member_before(&m[i], &m[rep]))
			rep = i;
	*out = m[rep].item;
	bool any_allowed = false, deferred_any = false, done_any = false, has_last = false;
	struct date last = {0, 0, 0};
	for (size_t i = 0; i < n; i++) {
		const struct cadence_item *it = &m[i].item;
		if (it->refused)
			continue;
		any_allowed = true;
		deferred_any |= it->deferred;
		done_any |= it->done;
		if (it->has_last_done && (!has_last || date_cmp(it->last_done, last) > 0)) {
			last = it->last_done;
			has_last = true;
		}
	}
	if (!any_allowed)
		return rep;
	bool have_due = false;
	struct date due = today;
	const struct cadence_item *earliest = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct cadence_item *it = &m[i].item;
		if (it->refused || (it->done && it->touch->kind != TOUCH_EVERY))
			continue;
		struct date d = it->due;
		if (it->touch->kind == TOUCH_EVERY && has_last)
			d = date_add_duration(last, it->touch->every, 1);
		if (!have_due || date_cmp(d, due) < 0) {
			due = d;
			earliest = it;
			have_due = true;
		}
	}
	out->refused = false;
	out->deferred = deferred_any;
	out->done = done_any && out->touch->kind != TOUCH_EVERY;
	if (has_last) {
		out->has_last_done = true;
		out->last_done = last;
		if (out->basis == CADENCE_NEVER)
			out->basis = CADENCE_LOG;
	}
	if (!m[rep].item.refused)
		out->channel = m[rep].item.channel;
	else if (earliest)
		out->channel = earliest->channel;
	if (have_due) {
		out->expired = earliest->expired;
		cadence_set_due(out, due, today);
	}
	return rep;
}

bool
cadence_missed(const struct cadence_item *item)
{
	if (item->refused)
		return false;
	switch (item->touch->kind) {
	case TOUCH_EVERY:
		return item->status == CADENCE_OVERDUE;
	case TOUCH_ON:
		return false;
	case TOUCH_ONCE_AFTER:
	case TOUCH_ONCE_WITHIN:
		return item->expired;
	}
	return false;
}

/* ---- records ----------------------------------------------------------- */

struct cadence {
	const struct model *model;
	long id_col, tier_col, last_contact_col, since_col;
	long consent_col[3]; /* do_not_call, do_not_email, do_not_mail */
	size_t *tier_first; /* per tier: its first touch's index in on_col */
	long *on_col;       /* per touch of every tier: the column of its "on" field, or -1 */
	size_t max_items;
};

struct cadence *
cadence_new(const struct model *m, const struct header *h)
{
	struct cadence *c = xcalloc(1, sizeof *c);
	c->model = m;
	c->id_col = header_find(h, "id");
	c->tier_col = header_find(h, "tier");
	c->last_contact_col = header_find(h, "last_contact");
	c->since_col = m->has_start ? header_find(h, "since") : -1;
	c->consent_col[0] = header_find(h, "do_not_call");
	c->consent_col[1] = header_find(h, "do_not_email");
	c->consent_col[2] = header_find(h, "do_not_mail");
	c->tier_first = xcalloc(m->ntiers, sizeof *c->tier_first);
	size_t total = 0;
	for (size_t i = 0; i < m->ntiers; i++) {
		c->tier_first[i] = total;
		total += m->tiers[i].ntouches;
		if (m->tiers[i].ntouches > c->max_items)
			c->max_items = m->tiers[i].ntouches;
	}
	c->on_col = xcalloc(total, sizeof *c->on_col);
	for (size_t i = 0; i < m->ntiers; i++) {
		const struct tier *t = &m->tiers[i];
		for (size_t j = 0; j < t->ntouches; j++)
			c->on_col[c->tier_first[i] + j] =
			    t->touches[j].on ? header_find(h, t->touches[j].on) : -1;
	}
	return c;
}

void
cadence_free(struct cadence *c)
{
	if (!c)
		return;
	free(c->tier_first);
	free(c->on_col);
	free(c);
}

size_t
cadence_max_items(const struct cadence *c)
{
	return c->max_items;
}

/* The tier named by p[0..len) exactly, or -1. */
static long
find_tier(const struct model *m, const char *p, size_t len)
{
	for (size_t i = 0; i < m->ntiers; i++)
		if (strlen(m->tiers[i].name) == len && memcmp(m->tiers[i].name, p, len) == 0)
			return (long)i;
	return -1;
}

/* A date field read at most once per record. */
struct lazy_date {
	bool read;
	bool present;
	struct date date;
};

/*
 * Read column col of rec as a date.  Returns a pointer to the date, or NULL
 * when it is absent, blank or bad (the first bad one is noted in info).
 * year_needed: a year-less date is bad too.
 */
static const struct date *
read_date(const struct record *rec, long col, const char *name, bool year_needed,
          struct lazy_date *lz, struct cadence_client *info)
{
	if (lz->read)
		return lz->present ? &lz->date : NULL;
	lz->read = true;
	if (col < 0 || record_blank(rec, (size_t)col))
		return NULL;
	size_t len;
	const char *s = record_get(rec, (size_t)col, &len);
	char why[64];
	bool ok = date_parse(s, len, DATE_ORDER_YMD, 0, &lz->date, why, sizeof why) == 0;
	if (ok && year_needed && lz->date.year == 0) {
		ok = false;
		snprintf(why, sizeof why, "no year");
	}
	if (!ok) {
		if (info && !info->bad_field) {
			info->bad_field = name;
			info->bad_value = s;
			snprintf(info->bad_why, sizeof info->bad_why, "%s", why);
		}
		return NULL;
	}
	lz->present = true;
	return &lz->date;
}

/*
 * A birthday after today is not a birthday (a typo, or the date the record
 * was made): the record keeps it, but no touch reads it, and the client is
 * noted like one with an unreadable date.
 */
static bool
future_birthday(const struct touch *t, const struct date *d, struct date today,
                const struct record *rec, long col, struct cadence_client *info)
{
	if (strcmp(t->on, "birthday") != 0 || d->year == 0 || date_cmp(*d, today) <= 0)
		return false;
	if (!info->bad_field) {
		info->bad_field = "birthday";
		info->bad_value = record_get(rec, (size_t)col, NULL);
		snprintf(info->bad_why, sizeof info->bad_why, "in the future");
	}
	return true;
}

/* The tier of rec, into info (status, tier); -1 when it has none the model knows. */
static long
record_tier(const struct cadence *c, const struct record *rec, struct cadence_client *info)
{
	if (c->tier_col < 0 || record_blank(rec, (size_t)c->tier_col))
		return -1;
	size_t len;
	const char *name = record_get(rec, (size_t)c->tier_col, &len);
	str_trim(&name, &len);
	long ti = find_tier(c->model, name, len);
	if (ti < 0) {
		info->status = CADENCE_UNKNOWN_TIER;
		return -1;
	}
	info->status = CADENCE_OK;
	info->tier = &c->model->tiers[ti];
	return ti;
}

/* The consent flags rec refuses (enum cadence_consent): its do_not_* fields that read true. */
static unsigned
record_refusals(const struct cadence *c, const struct record *rec)
{
	unsigned refused = 0;
	for (int k = 0; k < 3; k++)
		if (c->consent_col[k] >= 0 &&
		    schema_parse_bool(record_get(rec, (size_t)c->consent_col[k], NULL)) == 1)
			refused |= 1u << k;
	return refused;
}

/*
 * One record being read, of tier ti.  The dates its touches share are
 * parsed at most once, into the caller's lazy dates (apart, so that the
 * struct itself stays in registers: the calls see only the dates).
 */
struct reading {
	const struct cadence *c;
	const struct record *rec;
	struct date today;
	struct cadence_client *info;
	const long *on_col; /* per touch of the tier: the column of its "on" field, or -1 */
	struct lazy_date *last_contact, *since;
};

/*
 * The dates of the record that touch t, the j-th of its tier, counts from,
 * into f; field is the caller's, for the touch's own "on" field (f points
 * into it).  False when the touch does not apply: it has no date, or the
 * date is a birthday in the future.
 */
static bool
touch_dates(struct reading *rd, const struct touch *t, size_t j, struct cadence_facts *f,
            struct lazy_date *field)
{
	const struct cadence *c = rd->c;
	if (t->kind == TOUCH_EVERY) {
		f->last_contact = read_date(rd->rec, c->last_contact_col, "last_contact", true,
		                            rd->last_contact, rd->info);
		if (c->model->has_start) {
			f->start = &c->model->start;
			f->stagger = c->model->stagger;
			f->since =
			    read_date(rd->rec, c->since_col, "since", true, rd->since, rd->info);
		}
		return true;
	}
	long col = rd->on_col[j];
	f->field = read_date(rd->rec, col, t->on, t->kind != TOUCH_ON, field, rd->info);
	return f->field && !future_birthday(t, f->field, rd->today, rd->rec, col, rd->info);
}

/*
 * What the log says of touch t of tier for client, into f: its own entries
 * (*state, f->deferral) and the latest done, its own or that of a touch
 * that satisfies it (*logged, f->logged, f->declined).  state (zeroed) and
 * logged are the caller's, for f points at them.
 */
static void
log_facts(const struct touchlog *log, long client, const struct tier *tier, const struct touch *t,
          struct cadence_facts *f, struct touchlog_state *state, struct date *logged)
{
	if (touchlog_client_state(log, client, t->name, state)) {
		if (state->done) {
			*logged = state->last_done;
			f->declined = state->declined;
		}
		f->deferral = state;
	}
	/* satisfies: a touch that counts as this one, done later. */
	for (size_t k = 0; k < t->nsatisfied_by; k++) {
		struct date d;
		const struct touch *s = &tier->touches[t->satisfied_by[k]];
		if (touchlog_client_last(log, client, s->name, &d) &&
		    (!logged->year || date_cmp(d, *logged) > 0)) {
			*logged = d;
			f->declined = false;
		}
	}
	/*
	 * A satisfier's entry stands in for the touch's own log, but not
	 * against a later last_contact when the touch has no entry of its own:
	 * an old review must not make a call overdue that a recent contact
	 * keeps on schedule.
	 */
	if (logged->year && !state->done && f->last_contact &&
	    date_cmp(*logged, *f->last_contact) < 0)
		*logged = (struct date){0, 0, 0};
	if (logged->year)
		f->logged = logged;
}

size_t
cadence_record(const struct cadence *c, const struct record *rec, const struct touchlog *log,
               struct date today, struct cadence_item *items, struct cadence_client *info)
{
	struct cadence_client scratch;
	if (!info)
		info = &scratch;
	*info = (struct cadence_client){.status = CADENCE_NO_TIER};
	long ti = record_tier(c, rec, info);
	if (ti < 0)
		return 0;
	const struct tier *tier = &c->model->tiers[ti];
	size_t id_len = 0;
	const char *id = c->id_col >= 0 ? record_get(rec, (size_t)c->id_col, &id_len) : "";
	long client = *id ? touchlog_client(log, id) : -1;
	info->refused = record_refusals(c, rec);
	struct lazy_date last_contact = {0}, since = {0};
	struct reading rd = {.c = c,
	                     .rec = rec,
	                     .today = today,
	                     .info = info,
	                     .on_col = c->on_col + c->tier_first[ti],
	                     .last_contact = &last_contact,
	                     .since = &since};
	size_t n = 0;
	for (size_t j = 0; j < tier->ntouches; j++) {
		const struct touch *t = &tier->touches[j];
		struct cadence_facts f = {.id = id, .id_len = id_len, .refused = info->refused};
		struct lazy_date field = {0};
		if (!touch_dates(&rd, t, j, &f, &field))
			continue;
		struct touchlog_state state = {0};
		struct date logged = {0, 0, 0};
		if (client >= 0)
			log_facts(log, client, tier, t, &f, &state, &logged);
		if (cadence_due(t, &f, today, &items[n])) {
			items[n].tier = tier;
			n++;
		}
	}
	return n;
}
