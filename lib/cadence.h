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
 * The refinements of DESIGN section 4 (each optional):
 *
 *  grace      status: upcoming (due > T), due (due = T), late (0 < T - due
 *             <= grace), overdue (past due + grace).  No grace: past due is
 *             overdue.
 *  satisfies  last done of a touch = the latest of its own entries and of
 *             the entries of the tier's touches that satisfy it (a
 *             satisfier's entry older than last_contact does not count for
 *             a touch with no entry of its own).  (Not
 *             listing a touch when one that satisfies it is listed is the
 *             due list's job: cadence_hide_satisfied.)
 *  start      a touch never done (no log entry, no last_contact) is due at S
 *             + (h mod n) with "stagger", else at S: S = the later of start
 *             and since, n = the interval in days from S, h = FNV-1a 64 of
 *             id, 0x1F, touch.  Without start: due T.
 *  consent    a touch on a channel the client refused (cadence_facts.
 *             refused) is listed on its fallback channel when the client
 *             allows that, else marked refused and never listed.
 *  outcomes   only done (and declined) entries count as done.  The latest
 *             no-answer, scheduled or snoozed entry, when later than the
 *             last done, defers the touch: while T < its date + retry, or
 *             T < until.  A deferred item is not listed; its due date and
 *             status stay those of the last done.
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

/* Where an item stands on today (DESIGN section 4). */
enum cadence_status_kind {
	CADENCE_UPCOMING, /* due after today */
	CADENCE_DUE,      /* due today */
	CADENCE_LATE,     /* past due, within the touch's grace */
	CADENCE_OVERDUE,  /* past due and past any grace */
};

/* Their names in cs-due's status column: "upcoming", "due", "late", "overdue". */
extern const char *const cadence_status_names[4];

/* The consent flags of a client (cadence_facts.refused). */
enum cadence_consent {
	CADENCE_NO_CALL = 1 << 0,  /* do_not_call: phone, call */
	CADENCE_NO_EMAIL = 1 << 1, /* do_not_email: email */
	CADENCE_NO_MAIL = 1 << 2,  /* do_not_mail: card, gift, letter */
};

/* The consent flag channel needs (model_channel_consent), or 0 for none. */
unsigned cadence_channel_consent(const char *channel);

/*
 * struct cadence_item - one touch of one client.  tier and touch are
 * borrowed from the model (valid until model_free), and so is channel.
 */
struct cadence_item {
	const struct tier *tier;
	const struct touch *touch;
	const char *channel; /* the touch's channel, or its fallback when the client refused it */
	struct date due;     /* always has a year */
	struct date start;   /* when it starts being listed: due - lead for "on", else due */
	long overdue_days;   /* today - due: > 0 past due, 0 due today, < 0 ahead */
	enum cadence_status_kind status;
	enum cadence_basis basis;
	bool logged;             /* the log has this touch done for the client (or a satisfier) */
	struct date last_logged; /* the latest such entry (when logged) */
	bool done;               /* on: logged after the previous occurrence; once: logged */
	bool expired;            /* once: not done, and past its expiry or within-window */
	bool declined;           /* the latest done entry of the touch itself was "declined" */
	bool deferred;           /* a no-answer, scheduled or snoozed entry holds it back */
	bool refused;            /* the client refused its channel, and any fallback's */
	bool fallback;           /* listed on the touch's fallback channel */
	bool has_last_done;      /* every: last done known (log, satisfier or last_contact) */
	struct date last_done;   /* that date */
};

/*
 * The dates one touch depends on.  Each pointer is NULL when the client has
 * no such date.  A date without a year is treated as absent for
 * last_contact and logged, and for the field of a "once" touch.
 */
struct cadence_facts {
	const struct date *field;        /* the date in touch->on (on / once touches) */
	const struct date *last_contact; /* every touches */
	const struct date *logged; /* the latest done entry of this touch or a satisfier */
	bool declined;             /* the touch's own latest done entry was declined */
	/* The latest deferring entry of the touch (NULL: none). */
	const struct touchlog_state *deferral;
	/* Never-done every touches: the model's start (NULL: none), stagger, since. */
	const struct date *start;
	bool stagger;
	const struct date *since;
	const char *id; /* the client's id, for the stagger hash (NULL: "") */
	size_t id_len;
	unsigned refused; /* enum cadence_consent flags */
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

/*
 * True if cs-due lists item in window w: not done, expired, refused or
 * deferred, and start < end.
 */
bool cadence_listed(const struct cadence_item *item, const struct cadence_window *w);

/*
 * True if item shows the model is not being followed: an "every" touch
 * overdue (past its due date and its grace), or a "once" touch expired
 * without being logged.  An "on" touch is never missed by this test (its
 * due date is always today or later), nor is a touch the client refused,
 * nor an "every" touch never done (basis CADENCE_NEVER tells it apart, for
 * a report that counts it).
 */
bool cadence_missed(const struct cadence_item *item);

/* True if item is late: past due but within its grace (and not refused). */
bool cadence_late(const struct cadence_item *item);

/* Set item's due date to due and its start, overdue_days and status for today. */
void cadence_set_due(struct cadence_item *item, struct date due, struct date today);

/*
 * The first occurrence of an "every" touch t for a client never contacted,
 * when the model has a start (DESIGN section 4): S + (h mod n) with
 * stagger, else S, where S = the later of start and since (NULL: none).
 * id[0..id_len) is the client's id.
 */
struct date cadence_first_due(const struct touch *t, struct date start, bool stagger,
                              const struct date *since, const char *id, size_t id_len);

/*
 * For one client (or household) whose items are items[0..n), clear
 * listed[i] for each listed item that a listed item of the same tier
 * satisfies ("satisfies": the review is that month's call).  Returns how
 * many were cleared.
 */
size_t cadence_hide_satisfied(const struct cadence_item *items, size_t n, bool *listed);

/*
 * struct cadence_member - one client's item of a "per": "household" touch,
 * for cadence_household.  tier_rank is the tier's place in the model (0:
 * best); id is borrowed.
 */
struct cadence_member {
	struct cadence_item item;
	size_t tier_rank;
	const char *id;
};

/*
 * The household's item of one touch from its members' items m[0..n) (n >=
 * 1; the same touch name, each computed for its member alone).  Returns the
 * index of the member who stands for the household - the best tier, then
 * the smallest id (strcmp) - and fills *out from that member's item, with:
 * every touches: last done the latest over the members, due the earliest
 * over the members of last done + each member's interval (or each one's
 * first due, when no member was ever done); once and on touches: done when
 * any member's is done, due the earliest of the others'.  Members who
 * refused the channel are left out (all refused: *out is refused).  A
 * deferral of any member defers the household's touch.
 */
size_t cadence_household(const struct cadence_member *m, size_t n, struct date today,
                         struct cadence_item *out);

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
	unsigned refused;        /* the client's consent flags (enum cadence_consent) */
	const char *bad_field;   /* the first date field needed that did not parse
	                            (borrowed from the model, or "last_contact"), or NULL */
	const char *bad_value;   /* its text, borrowed from the record */
	char bad_why[64];        /* date_parse's reason */
};

/*
 * Every touch of rec's tier that applies to it, in the tier's order, into
 * items (room for cadence_max_items(c)).  Log entries are looked up by the
 * record's id; log may be NULL.  today must have a year.  info (may be NULL)
 * gets the client's status, consent and the first bad date.  The record's
 * do_not_call, do_not_email and do_not_mail are read as booleans (any
 * other value: allowed), since as the stagger's start.  Returns the number of
 * items; 0 for a client with no (known) tier.  Nothing is allocated.
 */
size_t cadence_record(const struct cadence *c, const struct record *rec, const struct touchlog *log,
                      struct date today, struct cadence_item *items, struct cadence_client *info);

#endif
