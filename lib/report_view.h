/*
 * report_view.h - what each section of the report shows, as plain data.
 *
 * A struct report holds sums and counts; a view holds the figures derived
 * from them (shares, means, planned hours, totals) and the rows in the
 * order they are shown, built once.  Every output (text, Markdown, HTML in
 * report_render.c; JSON in report_json.c) reads the same view, so they
 * cannot disagree, and none of them does arithmetic of its own.
 *
 * Ratios are NAN where there is nothing to divide by ("-" in text, null in
 * JSON).  Amounts stay integers in 1/REPORT_SCALE units, so that JSON can
 * write them exactly.
 *
 * Ownership: report_view_new returns a new view freed with
 * report_view_free.  It borrows strings from the report and from its model:
 * free the view before either.
 */
#ifndef CS_REPORT_VIEW_H
#define CS_REPORT_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "report.h"

enum report_section {
	REPORT_TIERS = 1 << 0,
	REPORT_TIME = 1 << 1,
	REPORT_TEAM = 1 << 2,
	REPORT_ADHERENCE = 1 << 3,
	REPORT_QUALITY = 1 << 4,
	REPORT_CAPACITY = 1 << 5,
	REPORT_DELIVERY = 1 << 6, /* only with a touch log */
	REPORT_ALL = (1 << 7) - 1,
};

/* Capacity: working weeks a year when not told (--weeks). */
enum { REPORT_WEEKS = 46 };

/*
 * The section called name ("tiers", "time", "team", "capacity", "adherence",
 * "delivery", "quality"), or 0.
 */
unsigned report_section_parse(const char *name);

/* Working weeks a year from s (--weeks): a whole number from 1 to 52, else 0. */
int report_weeks_parse(const char *s);

/* An amount in 1/REPORT_SCALE units as a number of whole units. */
double report_amount(long long scaled);

/* A tier as the report names it: a tier of the model, one it lacks, or no tier. */
struct report_key {
	size_t index;            /* the model's tiers are 0 to ntiers - 1, in order */
	const char *name;        /* the tier's name; "" for no tier */
	const char *model_label; /* the model's label for it (may be ""); NULL: not a model tier */
	char *label;             /* the row label: "A Prime", "X", "(none)" (new) */
	bool none;               /* the no-tier key (a model tier named "" is it too) */
};

/* One row of a tiers table, or its total (key NULL). */
struct report_tier_row {
	const struct report_key *key;
	long long records, clients, prospects;
	long long revenue, revenue_n; /* revenue (1/REPORT_SCALE); records that have one */
	long long assets;             /* 1/REPORT_SCALE */
	long long referrals, coi;
	double share;         /* of the table's records */
	double revenue_share; /* of the table's revenue */
	double revenue_mean;  /* per record with a revenue, in whole units */
};

/* A tiers table: the model's tiers always, then others by name, then no tier; a total. */
struct report_tier_table {
	const char *value; /* the group's value (may be ""); NULL: the whole book */
	size_t nrows;
	struct report_tier_row *rows;
	struct report_tier_row total;
};

struct report_tiers {
	struct report_tier_table all;
	size_t ngroups;
	struct report_tier_table *groups; /* by value, "" last; none without a group-by field */
	/* The first tier's share of clients and of revenue (NAN: no tier or no client). */
	double top_client_share, top_revenue_share;
};

/* One row of the time table, or its total (key NULL). */
struct report_time_row {
	const struct report_key *key;
	long long records;
	double touches, hours;      /* planned a year */
	double hours_per_client;    /* planned */
	long long logged, logged_n; /* logged hours (1/REPORT_SCALE); records with some */
	double time_share, revenue_share;
	double hours_per_1k; /* planned hours per 1,000 of revenue; NAN: no revenue */
};

/* Rows in the tiers table's order: rows[0 .. ntiers) are the model's tiers. */
struct report_time {
	size_t nrows;
	struct report_time_row *rows;
	struct report_time_row total;
};

/* One team member (or the total: member NULL). */
struct report_team_row {
	const char *member; /* "": no owner */
	long long *clients; /* owned, per model tier (view->ntiers entries) */
	long long other;    /* owned, in tiers the model lacks */
	double hours;       /* planned a year */
	long long due, overdue;
	double workload; /* hours against the busiest member's */
};

struct report_team {
	bool other; /* some member owns clients in tiers the model lacks */
	size_t nrows;
	struct report_team_row *rows; /* by member, "" last */
	struct report_team_row total;
	struct date window_end; /* the last day of "due in 30 days" */
};

/* Adherence of one model tier, or of them all (key NULL). */
struct report_adherence_row {
	const struct report_key *key;
	/* The partition: never_contacted + on_schedule + late + behind (overdue) = records. */
	long long records, on_schedule, late, behind, never_contacted;
	double share; /* on schedule */
	/* Apart from the partition: clients who declined a touch in the 12 months before today. */
	long long declined;
};

struct report_adherence {
	bool declined; /* the rows' declined counts mean something: a touch log was read */
	size_t nrows;  /* the model's tiers */
	struct report_adherence_row *rows;
	struct report_adherence_row total;
	long long outside, outside_never; /* records in no model tier; never contacted of them */
	size_t ntop;
	const struct report_overdue *top; /* the most overdue clients of the first tier */
};

/* Delivery of one touch of a model tier, or of them all (key and touch NULL). */
struct report_delivery_row {
	const struct report_key *key;
	const char *touch;
	bool review; /* the tier's review (report_delivery.h) */
	long long planned, done, declined;
	double share; /* done of planned */
};

struct report_delivery {
	struct date first, last; /* the period's first and last days */
	size_t nrows;            /* every touch of every model tier, in the model's order */
	struct report_delivery_row *rows;
	struct report_delivery_row total;
	size_t nundelivered;
	/* The reviews not delivered, by tier (the model's order), id, touch (borrowed). */
	const struct report_undelivered **undelivered;
};

enum { REPORT_NMISSING = 5, REPORT_NCONSENT = 3 };

/* A count of records and its share of the book. */
struct report_check {
	const char *name; /* what is counted, where rows need a name */
	long long records;
	double share;
};

struct report_quality {
	struct report_check missing[REPORT_NMISSING]; /* "email", "phone", ... */
	struct report_check refused[REPORT_NCONSENT]; /* "do_not_call", "do_not_email", ... */
	struct report_check untiered;                 /* clients without a tier */
	struct report_check unknown;                  /* records in a tier the model lacks */
	size_t nremoval;
	struct report_check *removal; /* per removal reason, in the model's order */
	struct report_check removal_total;
	size_t nbad;
	struct report_check *bad; /* fields with values that do not read, by name */
};

/* One person of the capacity section, or the total (member NULL). */
struct report_capacity_row {
	const char *member; /* "": no owner */
	double hours;       /* planned a year, as the team section has them */
	bool has_capacity;  /* in the model's team (the total: anyone is) */
	double per_week;    /* the team's hours a week; 0 without capacity */
	double capacity;    /* per_week x working weeks */
	double load;        /* hours against capacity; NAN without capacity or none */
	double over;        /* hours past capacity; 0 when within it or without capacity */
};

/*
 * The capacity section: the people who act (owners, `by` roles) and the
 * model's team, by name ("" last); the total sums every planned hour
 * against the team's capacity.  Without a team (team false) only hint is
 * set: how to add one.
 */
struct report_capacity {
	bool team;  /* the model has a team */
	int weeks;  /* working weeks a year */
	char *hint; /* without a team: a sentence with an example (new); else NULL */
	size_t nrows;
	struct report_capacity_row *rows;
	struct report_capacity_row total;
	size_t nover, nmissing; /* rows over capacity; rows without capacity */
	/* The model's first tier: planned hours a year per client (every touch), and how
	 * many such clients the team's capacity serves (NAN: no tier, or no hours). */
	double top_hours, top_clients;
	/* Records in the model's tiers, their planned hours each, and the book size (at
	 * the same tier mix) the team's capacity holds (NAN: nothing planned). */
	long long records;
	double hours_per_record, fit_records;
};

/* The figures the HTML summary shows at the top. */
struct report_summary {
	double top_revenue_share; /* the first tier's share of revenue */
	double planned_hours;     /* a year */
	long long due, overdue;   /* touches, of clients in the model's tiers */
	double on_schedule_share; /* of clients in the model's tiers */
	long long removal;        /* removal candidates */
};

struct report_view {
	unsigned sections; /* the sections built below (the others are zero) */
	const char *model; /* the model's name */
	struct date today;
	const char *by; /* the group-by field, or NULL */
	long long records, clients, prospects;
	long long revenue; /* 1/REPORT_SCALE */
	size_t ntiers;     /* the model's tiers: keys[0 .. ntiers) */
	size_t nkeys;
	struct report_key *keys;
	char *top_prose; /* "tier A (Prime)"; NULL when the model has no tier (new) */
	struct report_summary summary;
	struct report_tiers tiers;
	struct report_time time;
	struct report_team team;
	struct report_adherence adherence;
	struct report_delivery delivery;
	struct report_quality quality;
	struct report_capacity capacity;
};

/*
 * A new view of r (borrowed, see above) with the sections in the mask
 * sections (0: all); capacity counts weeks working weeks a year (0:
 * REPORT_WEEKS).
 */
struct report_view *report_view_new(const struct report *r, unsigned sections, int weeks);

/* Free v and what it owns.  NULL is fine. */
void report_view_free(struct report_view *v);

#endif
