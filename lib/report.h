/*
 * report.h - the book at a glance (cs-report): aggregate a client stream,
 * and write or merge partial aggregates (report_partial.c).  The figures
 * each section shows are report_view.h; the output is report_render.h.
 *
 * Sections (each selectable):
 *   tiers      records, clients and prospects per tier, revenue (sum, share,
 *              mean), referrals, centres of influence; with a group-by
 *              field, the same per value of that field
 *   time       planned hours a year per tier from the model (touches a year
 *              x minutes) against the tier's revenue share, hours per 1,000
 *              of revenue, and clients' logged `hours`
 *   team       per team member: clients by tier, planned hours, touches due
 *              in the next 30 days, overdue touches (a touch with `by`
 *              counts for that person, else for the client's owner)
 *   adherence  per tier, the share of clients whose every recurring touch is
 *              on schedule; the ten most overdue clients of the first
 *              (top) tier; clients never contacted
 *   delivery   (with a touch log) per tier and touch, the occurrences planned
 *              in the 12 months before today against those logged done and
 *              declined; the clients whose review was not delivered (all of
 *              them: this list grows with the book, the one exception)
 *   quality    missing email, phone, birthday, owner, tier; untiered
 *              clients; tiers the model lacks; removal candidates by the
 *              model's rules; values that do not read (a revenue of "n/a")
 *
 * Everything is kept as sums and counts (amounts as integers in 1/10,000
 * units), never as ratios, so that a report over a book is exactly the merge
 * of reports over its parts: `--json --partial` writes the aggregates and
 * report_merge adds them back up.  Memory does not grow with the number of
 * records: only with the distinct values of the group-by field, of owners,
 * and of unknown tiers, plus a fixed top-10 list.
 *
 * Ownership: report_new and report_new_merge return a new report freed with
 * report_free.  The model is borrowed (it must outlive the report) and is
 * bound by report_bind (its removal rules); the header given to report_bind
 * is borrowed until the next report_bind or report_free.
 */
#ifndef CS_REPORT_H
#define CS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "date.h"
#include "error.h"
#include "model.h"
#include "record.h"
#include "touchlog.h"
#include "util.h"

/* Amounts (revenue, assets, hours) are kept as integers in 1/REPORT_SCALE units. */
enum { REPORT_SCALE = 10000 };

/* struct report_overdue - one entry of the most overdue list. */
struct report_overdue {
	char *id, *name, *owner, *touch; /* the client's fields, the touch's name */
	struct date due;
	long days; /* overdue by */
};

/*
 * struct report_undelivered - a client whose review (report_delivery.h) has
 * no done entry in the touch log in the 12 months before today.
 */
struct report_undelivered {
	char *id, *name, *owner, *tier, *touch;
	bool has_last_done;    /* a done entry of the review exists at all */
	struct date last_done; /* the latest (on or before today) */
	bool has_declined;     /* the client declined it in the period */
	struct date declined;  /* the latest such entry */
};

struct report;

/*
 * A new empty report over model m (borrowed), grouping the tiers section by
 * the column named by (copied; NULL: no grouping), for today (which must
 * have a year).
 */
struct report *report_new(struct model *m, const char *by, struct date today);

/*
 * A new empty report to merge partials into: the first report_merge sets
 * its group-by field and today, and every later one must agree.
 */
struct report *report_new_merge(struct model *m);

/* Free r and everything it owns.  NULL is fine. */
void report_free(struct report *r);

/*
 * Get ready for records with header h (borrowed until the next report_bind
 * or report_free): find the columns, bind the model's removal rules.
 * Returns 0, or -1 with err filled: the group-by column is missing, or a
 * removal rule names a column the stream lacks (a model error).
 */
int report_bind(struct report *r, const struct header *h, struct cs_error *err);

/*
 * Count rec (a record of the header last bound).  log (borrowed, may be
 * NULL) gives the touches done, for due dates and "never contacted".
 */
void report_add(struct report *r, const struct record *rec, const struct touchlog *log);

/*
 * Count the touch log's entries for the delivery section: pass as
 * touchlog_read_each's each with r as ctx, after report_new and before the
 * first report_add; report_use_log(r) first, so that an empty log still
 * gives the section.
 */
void report_use_log(struct report *r);
void report_log_entry(void *r, const char *id, size_t id_len, const char *touch, size_t touch_len,
                      struct date date, enum touchlog_outcome outcome);

/* True if r counts delivery: a touch log was read, or the partials merged had one. */
bool report_has_delivery(const struct report *r);

/* How many records r has counted (merged partials included). */
long long report_records(const struct report *r);

/*
 * Write r's raw aggregates as one JSON object (a partial) on out, for
 * report_merge.  Write errors are the caller's to check on out.
 */
void report_write_partial(const struct report *r, FILE *out);

/*
 * Add the partial in the file at path ("-": standard input) to r.  Returns
 * 0, or -1 with err filled (err->file borrows path): the file cannot be
 * read or is not a partial, or it was made with another model, another
 * group-by field or another today than the partials merged before it.
 * After an error r may hold part of the file: report no further.
 */
int report_merge(struct report *r, const char *path, struct cs_error *err);

#endif
