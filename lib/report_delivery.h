/*
 * report_delivery.h - the rules of cs-report's delivery section: how many
 * occurrences of a touch the model planned for one client in the 12 months
 * before today, and which touches are a tier's review.
 *
 * The period is (today - 12 months, today]: a log entry counts when it is
 * dated after its first bound and on or before today.  Planned, for one
 * client who has been a client since A (the later of the period's first
 * bound and the client's `since`):
 *
 *	every      the intervals that fit: the k >= 1 with A + k x interval <= today
 *	           (monthly over a whole year: 12; quarterly: 4; weekly: 52)
 *	on         1 when the field's month and day fell in the period on or
 *	           after since, else 0 (a full year always holds one)
 *	once       1 when the touch's due date (the field's date + after, or the
 *	           field's date) fell in the period on or after since
 *
 * then the credit of "satisfies" as model_summary counts it: a touch's
 * planned count less the planned counts of the touches that satisfy it,
 * never below 0 (a monthly call satisfied by a quarterly review: 12 - 4 =
 * 8).  A touch the client refused (and any fallback) is planned 0 times.
 *
 * A review is an "every" touch of at most a year whose channel is
 * "meeting" or whose name holds "review" (ASCII case ignored), and that no
 * other touch of its tier satisfies.
 *
 * Everything here is pure: no record, no log.  The counting over a book is
 * report_delivery.c's.
 */
#ifndef CS_REPORT_DELIVERY_H
#define CS_REPORT_DELIVERY_H

#include <stdbool.h>

#include "cadence.h"
#include "date.h"
#include "model.h"

/* The period's first bound (exclusive): today - 12 months. */
struct date delivery_period_start(struct date today);

/* The k >= 1 with from + k x every <= to (every has a positive amount); 0 when none. */
long delivery_fits(struct date from, struct duration every, struct date to);

/*
 * The occurrences of item's touch planned in the period for a client since
 * since (NULL or year-less: a client for the whole period), before the
 * credit of "satisfies".  item is cadence_record's (its due date locates
 * "on" and "once" touches).
 */
long delivery_planned(const struct cadence_item *item, struct date today, const struct date *since);

/*
 * The planned counts of the items[0..n) of one client, the credit of
 * "satisfies" applied, into planned[0..n).
 */
void delivery_planned_all(const struct cadence_item *items, size_t n, struct date today,
                          const struct date *since, long *planned);

/* True if touch j of tier t is a review (see above). */
bool delivery_is_review(const struct tier *t, size_t j);

#endif
