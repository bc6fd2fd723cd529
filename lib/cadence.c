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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	}
	switch (t->kind) {
	case TOUCH_EVERY: {
		const struct date *last_contact =
		    f->last_contact && f->last_contact->year ? f->last_contact : NULL;
		if (logged) {
			out->basis = CADENCE_LOG;
			out->due = date_add_duration(*logged, t->every, 1);
		} else if (last_contact) {
			out->basis = CADENCE_LAST_CONTACT;
			out->due = date_add_duration(*last_contact, t->every, 1);
		} else {
			out->basis = CADENCE_NEVER;
			out->due = today;
		}
		out->start = out->due;
		break;
	}
	case TOUCH_ON: {
		if (!field)
			return false;
		out->due = date_next_occurrence(*field, today);
		/* The occurrence a year before due: anything logged after it is for this one. */
		struct date previous =
		    date_next_occurrence(*field, (struct date){out->due.year - 1, 1, 1});
		out->done = logged && date_cmp(*logged, previous) > 0;
		out->start = date_add_duration(out->due, t->lead, -1);
		break;
	}
	case TOUCH_ONCE_AFTER:
	case TOUCH_ONCE_WITHIN: {
		if (!field || field->year == 0)
			return false;
		out->done = logged && date_cmp(*logged, *field) >= 0;
		struct date end;
		if (t->kind == TOUCH_ONCE_AFTER) {
			out->due = date_add_duration(*field, t->after, 1);
			end = date_add_duration(out->due, t->expires, 1);
		} else {
			out->due = *field;
			end = date_add_duration(*field, t->within, 1);
		}
		out->expired = !out->done && date_cmp(today, end) >= 0;
		out->start = out->due;
		break;
	}
	}
	out->overdue_days = date_diff_days(today, out->due);
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
	return !item->done && !item->expired && date_to_days(item->start) < w->end_days;
}

bool
cadence_missed(const struct cadence_item *item)
{
	switch (item->touch->kind) {
	case TOUCH_EVERY:
		return item->overdue_days > 0;
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
	long id_col, tier_col, last_contact_col;
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

size_t
cadence_record(const struct cadence *c, const struct record *rec, const struct touchlog *log,
               struct date today, struct cadence_item *items, struct cadence_client *info)
{
	struct cadence_client scratch;
	if (!info)
		info = &scratch;
	*info = (struct cadence_client){.status = CADENCE_NO_TIER};
	if (c->tier_col < 0 || record_blank(rec, (size_t)c->tier_col))
		return 0;
	size_t len;
	const char *name = record_get(rec, (size_t)c->tier_col, &len);
	str_trim(&name, &len);
	long ti = find_tier(c->model, name, len);
	if (ti < 0) {
		info->status = CADENCE_UNKNOWN_TIER;
		return 0;
	}
	const struct tier *tier = &c->model->tiers[ti];
	info->status = CADENCE_OK;
	info->tier = tier;

	const char *id = c->id_col >= 0 ? record_get(rec, (size_t)c->id_col, NULL) : "";
	long client = *id ? touchlog_client(log, id) : -1;
	struct lazy_date last_contact = {0};
	size_t n = 0;
	for (size_t j = 0; j < tier->ntouches; j++) {
		const struct touch *t = &tier->touches[j];
		struct cadence_facts f = {0};
		struct date logged;
		struct lazy_date field = {0};
		if (t->kind == TOUCH_EVERY) {
			f.last_contact = read_date(rec, c->last_contact_col, "last_contact", true,
			                           &last_contact, info);
		} else {
			long col = c->on_col[c->tier_first[ti] + j];
			f.field = read_date(rec, col, t->on, t->kind != TOUCH_ON, &field, info);
			if (!f.field)
				continue;
		}
		if (client >= 0 && touchlog_client_last(log, client, t->name, &logged))
			f.logged = &logged;
		if (cadence_due(t, &f, today, &items[n])) {
			items[n].tier = tier;
			n++;
		}
	}
	return n;
}
