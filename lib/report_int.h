/*
 * report_int.h - what report.c, report_partial.c, report_view.c and
 * report_capacity.c share: struct report itself, its counters, its interned
 * keys (strtab.h) and the growing vectors.  Private to those files; nothing above them
 * (report_render.c, report_json.c, cmd/) sees struct report's insides.
 *
 * The helpers and the vectors are defined once, in report.c.
 */
#ifndef CS_REPORT_INT_H
#define CS_REPORT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "cadence.h"
#include "report.h"
#include "strtab.h"

enum {
	SCALE = REPORT_SCALE, /* amounts are integers in 1/SCALE units */
	TOP = 10,             /* the most overdue list */
	WINDOW_DAYS = 30,     /* team: touches due within this many days */
};

/* ---- interned keys (report.c; the tables are strtab.h's) ---------------- */

/* The index of the C string s in t, added (copied) when new. */
size_t report_intern(struct strtab *t, const char *s);

/* The indices of t's keys in display order (by name, bytewise, "" last): new. */
size_t *report_sorted(const struct strtab *t);

/* ---- counters (report.c) ------------------------------------------------ */

/* Saturating addition: a sum past the range sticks at its end rather than wrap. */
long long sat_add(long long a, long long b);

/*
 * struct counts - what is counted per tier (and per group and tier).  The
 * follow-up fields (on_schedule...) are kept for the whole book only.
 */
struct counts {
	long long records, clients, prospects;
	long long revenue, revenue_n; /* revenue in 1/SCALE units; records that have one */
	long long assets, assets_n;
	long long hours, hours_n;
	long long referrals, coi;
	long long on_schedule;     /* contacted, and no recurring touch late or overdue */
	long long never_contacted; /* no last_contact and nothing in the log */
	long long due, overdue;    /* touches due in the window, overdue touches */
	long long late;            /* contacted, a recurring touch late, none overdue */
	long long declined;        /* a touch of the tier declined in the 12 months before today */
};

/* The fields of struct counts, numbered 0 to NCOUNT_FIELDS - 1. */
enum { NCOUNT_FIELDS = 17 };

/* The first NBASE count fields are kept per group too; the rest only per tier. */
enum { NBASE = 11 };

/* The name of count field i in a partial ("records", "due_30"...). */
const char *count_name(size_t i);

/* Count field i of c (borrowed from c). */
long long *count_field(struct counts *c, size_t i);

/* Add from to to, field by field (saturating). */
void counts_add(struct counts *to, const struct counts *from);

/* A zero-filled array of counts that grows when indexed past its end. */
struct counts_vec {
	struct counts *v;
	size_t cap;
};

/* Entry i of cv (borrowed until cv grows), grown into when past the end. */
struct counts *counts_at(struct counts_vec *cv, size_t i);

/* A copy of entry i of cv, zero past the end. */
struct counts counts_get(const struct counts_vec *cv, size_t i);

/* The same for plain counts. */
struct ll_vec {
	long long *v;
	size_t cap;
};

long long *ll_at(struct ll_vec *lv, size_t i);
long long ll_get(const struct ll_vec *lv, size_t i);

/* ---- the report --------------------------------------------------------- */

struct delivery_log; /* report_delivery.c: done and declined entries per (client, touch) */

/* struct member - a team member: an owner, or a touch's `by`. */
struct member {
	struct ll_vec clients;  /* records owned, per tier key */
	long long due, overdue; /* touches this member delivers */
	struct ll_vec touches;  /* per flat touch: clients it applies to */
};

enum quality_missing { MISS_EMAIL, MISS_PHONE, MISS_BIRTHDAY, MISS_OWNER, MISS_TIER, NMISSING };
extern const char *const missing_names[NMISSING];
/* Consent: clients who refused calls, email, post (do_not_call, ...). */
enum { NCONSENT = 3 };
extern const char *const consent_names[NCONSENT];

enum column {
	COL_ID,
	COL_NAME,
	COL_KIND,
	COL_TIER,
	COL_OWNER,
	COL_REVENUE,
	COL_ASSETS,
	COL_REFERRALS,
	COL_COI,
	COL_HOURS,
	COL_EMAIL,
	COL_PHONE,
	COL_BIRTHDAY,
	COL_LAST_CONTACT,
	COL_DO_NOT_CALL,
	COL_DO_NOT_EMAIL,
	COL_DO_NOT_MAIL,
	COL_SINCE,
	COL_BY,
	NCOLUMNS,
};

struct report {
	struct model *m;
	char *by; /* the group-by column, or NULL */
	struct date today;
	bool settled; /* by and today are known (false before the first merge) */
	struct expr_env env;

	/* The model's touches, numbered across tiers ("flat"). */
	size_t ntouches;
	size_t *touch_first;        /* per model tier: its first flat index */
	const struct touch **touch; /* per flat index */
	long *touch_member;         /* per flat index: member of touch->by; -1: not yet */

	struct strtab tiers; /* tier keys: the model's, then "" (no tier), then others */
	size_t none_key;
	struct counts_vec all; /* per tier key */
	struct ll_vec planned; /* per flat touch: clients it applies to */

	struct strtab groups;     /* values of the group-by field */
	struct counts_vec *group; /* per group, per tier key */
	size_t capgroup;

	struct strtab members;
	struct member *member;
	size_t capmember;

	struct report_overdue top[TOP]; /* best first */
	size_t ntop;

	long long missing[NMISSING];
	long long refused[NCONSENT]; /* records with do_not_call, do_not_email, do_not_mail */
	long long untiered_clients;
	long long *removal; /* per removal rule */
	struct strtab bad;  /* fields with values that do not read */
	struct ll_vec bad_n;

	/*
	 * Delivery (report_delivery.c): on when a touch log was read or a
	 * partial merged had one.  Per flat touch, the occurrences planned,
	 * done and declined in the 12 months before today; the reviews not
	 * delivered, unsorted (the view sorts them).
	 */
	bool delivery;
	struct delivery_log *dlog;
	struct ll_vec d_planned, d_done, d_declined;
	struct report_undelivered *undelivered;
	size_t nundelivered, capundelivered;

	/* The binding to the current stream. */
	long col[NCOLUMNS];
	struct cadence *cadence;
	struct cadence_item *items;
	struct cadence_window window;
};

/*
 * Set r's group-by field (copied; NULL: none) and today: once, by
 * report_new or by the first partial merged.
 */
void report_settle(struct report *r, const char *by, struct date today);

/* The group of value s[0..len), added when new. */
size_t report_group(struct report *r, const char *s, size_t len);

/* The member named s[0..len), added when new. */
size_t report_member(struct report *r, const char *s, size_t len);

/* The tier key of the tier named s[0..len) ("": no tier), added when new. */
size_t report_tier_key(struct report *r, const char *s, size_t len);

/* Offer o (its strings new, stolen) to the most overdue list: kept if among the TOP best. */
void report_top_offer(struct report *r, struct report_overdue *o);

/* Count one more value of field (copied) that does not read. */
void report_bad_value(struct report *r, const char *field);

/* ---- delivery (report_delivery.c) --------------------------------------- */

/*
 * Count the delivery of the client rec (since: its since date, or NULL),
 * whose items[0..n) cadence_record gave for model tier ti, in tier key
 * key.  Nothing unless r->delivery.
 */
void report_delivery_add(struct report *r, const struct record *rec, size_t ti, size_t key,
                         const struct cadence_item *items, size_t n, const struct date *since);

/* Add u (its strings new, stolen) to the reviews not delivered. */
void report_undelivered_add(struct report *r, struct report_undelivered *u);

/* Free what delivery holds in r. */
void report_delivery_free(struct report *r);

/* ---- views (report_view.c, report_capacity.c) --------------------------- */

/*
 * Touches a year and planned hours a year from per-flat-touch client counts
 * lv, over model tier ti_only (-1: all tiers), the credit of "satisfies"
 * applied.  touches or hours may be NULL.  (report_view.c)
 */
void report_planned(const struct report *r, const struct ll_vec *lv, long ti_only, double *touches,
                    double *hours);

struct report_view;

/*
 * Fill v's capacity section from r, with weeks working weeks a year: the
 * rows, the total and the pooled figures.  (report_capacity.c)
 */
void report_view_capacity(struct report_view *v, const struct report *r, int weeks);

#endif
