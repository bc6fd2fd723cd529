/*
 * cadence.h - when each touch of the service model is due for a client
 * (DESIGN section 4).
 *
 * Two levels:
 *
 *  - cadence_due: one touch, given the dates it depends on (the client's
 *    field for "on" touches, last_contact, the latest log entry).  Pure: no
 *    record, no header, no model.  This is where the rules live.
 *  - struct cadence: a model bound to a stream's header, which reads those
 *    dates out of each record and runs cadence_due for every touch of the
 *    record's tier (cadence_record).
 *
 * Every item carries its due date whether or not it falls in a window;
 * cadence_listed says whether cs-due lists it for a given today and window.
 * So cs-due lists `cadence_listed` items, and cs-report can measure
 * adherence from the same items:
 *
 *	struct cadence_window w = cadence_window(today, (struct duration){30, DUR_DAYS});
 *	n = cadence_record(c, rec, log, today, items, &info);
 *	for (i = 0; i < n; i++) {
 *		on_schedule = !cadence_missed(&items[i]);      adherence
 *		if (cadence_listed(&items[i], &w))             due in the next 30 days,
 *			items[i].overdue_days > 0 ? overdue++ : due++;   or overdue
 *	}
 *
 * The rules, with T = today and W = the window (an item is listed when its
 * start date is before T + W; overdue_days = T - due, negative when ahead):
 *
 *  every      Last done = the latest log entry of this touch for the client,
 *             else last_contact, else never.  Due = last done + interval
 *             (months clamp to the month's end: Jan 31 + 1m = Feb 28/29);
 *             never done: due T.
 *  on         Due = the next occurrence of the field's month and day on or
 *             after T (29 February is 28 February in other years; a
 *             year-less "--MM-DD" date works).  Listed when due - lead <
 *             T + W, unless done: logged after the previous occurrence (the
 *             same month and day a year before due).
 *  on+after   Due = the field's date + after.  Done once logged on or after
 *             the field's date; expired when T >= due + expires (default
 *             90d).  Listed when neither, and due < T + W.
 *  on+within  Due = the field's date.  Done as above; expired when
 *             T >= date + within.  Listed when neither, and due < T + W.
 *
 * A client with no tier, a tier the model lacks, or without the field an
 * "on" touch needs, gets no such touch.  A date that does not parse counts
 * as absent and is reported (cadence_client.bad_field) for the caller to
 * warn about.
 *
 * A note on "once" touches: DESIGN says "never listed again once logged".
 * We count only log entries on or after the field's date, so a housewarming
 * gift logged for an earlier home does not cancel the one for a new
 * home_purchase date.
 *
 * Ownership: cadence_new returns a new struct cadence (free it with
 * cadence_free) that borrows the model.  Items borrow their tier and touch
 * from the model (valid until model_free); a cadence_client's bad_value
 * borrows from the record (valid until it changes).  Nothing else is kept.
 */
#ifndef CS_CADENCE_H
#define CS_CADENCE_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "model.h"
#include "record.h"
#include "touchlog.h"

/* What an "every" touch's due date was counted from. */
enum cadence_basis {
	CADENCE_NEVER,        /* never done: due today */
	CADENCE_LAST_CONTACT, /* the record's last_contact */
	CADENCE_LOG,          /* the latest log entry of the touch */
	CADENCE_FIELD,        /* on / once touches: the date field */
};

/*
 * struct cadence_item - one touch of one client.  tier and touch are
 * borrowed from the model (valid until model_free).
 */
struct cadence_item {
	const struct tier *tier;
	const struct touch *touch;
	struct date due;   /* always has a year */
	struct date start; /* when it starts being listed: due - lead for "on", else due */
	long overdue_days; /* today - due: > 0 overdue, 0 due today, < 0 ahead */
	enum cadence_basis basis;
	bool logged;             /* the log has this touch for the client */
	struct date last_logged; /* the latest log entry of it (when logged) */
	bool done;               /* on: logged after the previous occurrence; once: logged */
	bool expired;            /* once: not done, and past its expiry or within-window */
};

/*
 * The dates one touch depends on.  Each pointer is NULL when the client has
 * no such date.  A date without a year is treated as absent for
 * last_contact and logged, and for the field of a "once" touch.
 */
struct cadence_facts {
	const struct date *field;        /* the date in touch->on (on / once touches) */
	const struct date *last_contact; /* every touches */
	const struct date *logged;       /* the latest log entry of this touch for the client */
};

/*
 * Compute touch t for a client with facts f on today (which must have a
 * year).  Returns true with *out filled (out->tier is left NULL), or false
 * when the client gets no such touch (no field, or a year-less field for a
 * "once" touch).  Listed or not is cadence_listed's question.
 */
bool cadence_due(const struct touch *t, const struct cadence_facts *f, struct date today,
                 struct cadence_item *out);

/* A window: today and its end, T + W (exclusive). */
struct cadence_window {
	struct date today;
	struct date end;
	long end_days; /* date_to_days(end) */
};

/* The window of width w from today: [today, today + w).  w = 7d: today and the next 6 days. */
struct cadence_window cadence_window(struct date today, struct duration w);

/* True if cs-due lists item in window w: not done, not expired, start < end. */
bool cadence_listed(const struct cadence_item *item, const struct cadence_window *w);

/*
 * True if item shows the model is not being followed: an "every" touch
 * overdue (overdue_days > 0), or a "once" touch expired without being
 * logged.  An "on" touch is never missed by this test (its due date is
 * always today or later), nor is an "every" touch never done (it is due
 * today: basis CADENCE_NEVER tells it apart, for a report that counts it).
 */
bool cadence_missed(const struct cadence_item *item);

/* ---- records ----------------------------------------------------------- */

/*
 * struct cadence - a model bound to a header: the columns of id, tier,
 * last_contact and of every touch's "on" field.  Borrows the model (which
 * must outlive it); the header is only read during cadence_new.
 */
struct cadence;

/* A new binding of m to h.  Never fails: absent columns read as empty. */
struct cadence *cadence_new(const struct model *m, const struct header *h);
void cadence_free(struct cadence *c);

/* The most items cadence_record can return: the largest tier's touch count. */
size_t cadence_max_items(const struct cadence *c);

/* Why a client got no touches, or got them with a date left out. */
enum cadence_status {
	CADENCE_OK,
	CADENCE_NO_TIER,      /* the tier field is empty (or there is no tier column) */
	CADENCE_UNKNOWN_TIER, /* the model has no such tier */
};

/* struct cadence_client - what cadence_record found about the record. */
struct cadence_client {
	enum cadence_status status;
	const struct tier *tier; /* borrowed from the model; NULL unless CADENCE_OK */
	const char *bad_field;   /* the first date field needed that did not parse
	                            (borrowed from the model, or "last_contact"), or NULL */
	const char *bad_value;   /* its text, borrowed from the record */
	char bad_why[64];        /* date_parse's reason */
};

/*
 * Every touch of rec's tier that applies to it, in the tier's order, into
 * items (room for cadence_max_items(c)).  Log entries are looked up by the
 * record's id; log may be NULL.  today must have a year.  info (may be NULL)
 * gets the client's status and the first bad date.  Returns the number of
 * items; 0 for a client with no (known) tier.  Nothing is allocated.
 */
size_t cadence_record(const struct cadence *c, const struct record *rec, const struct touchlog *log,
                      struct date today, struct cadence_item *items, struct cadence_client *info);

#endif
