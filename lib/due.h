/*
 * due.h - the due list of cs-due: the touches of the service model that are
 * due or overdue in a window, collected from one or more books, filtered,
 * and sorted for output.
 *
 * A book is fed record by record (the caller owns the stream), so only the
 * listed items are kept, each with the few client strings it prints:
 *
 *	struct due_list l = {0};
 *	struct due_book *b = due_book_new(&l, &query, stream_header(s), name, &err);
 *	while (stream_next(s, &rec, &err) == 1)
 *		due_book_add(b, &rec);
 *	due_book_end(b, warn, warn_ctx);        the book's warnings, then free
 *	... more books ...
 *	due_list_sort(&l, DUE_ORDER_TEXT);       once every book is in
 *	due_list_free(&l);
 *
 * Ownership: a due_list owns its items and their strings.  Items borrow
 * their tier and touch from the model (valid until model_free), and their
 * by, name and id point into the list (valid from due_list_sort until
 * due_list_free).
 */
#ifndef CS_DUE_H
#define CS_DUE_H

#include <stdbool.h>
#include <stddef.h>

#include "cadence.h"
#include "date.h"
#include "error.h"
#include "model.h"
#include "record.h"
#include "strtab.h"
#include "touchlog.h"
#include "util.h"

/*
 * struct due_filter - which items to list.  Names match in any ASCII case;
 * an empty set (n == 0) lets everything through.  The arrays are borrowed.
 */
struct due_filter {
	const char *const *owners; /* the item's "by", or the client's owner */
	size_t nowners;
	const char *const *tiers;
	size_t ntiers;
	const char *const *touches;
	size_t ntouches;
	bool overdue;      /* only items past due (late or overdue) */
	unsigned statuses; /* 1 << enum cadence_status_kind for each status wanted; 0: all */
};

/*
 * struct due_query - what to collect: every touch of model listed in window
 * (cadence_listed), done or not by log (may be NULL), that passes filter.
 * Borrowed by due_book_new: everything must outlive the book.
 */
struct due_query {
	const struct model *model;
	const struct touchlog *log;
	struct cadence_window window;
	struct due_filter filter;
};

/* The client strings an item prints, kept once per client (see due_str). */
enum due_string { DUE_ID, DUE_NAME, DUE_OWNER, DUE_EMAIL, DUE_PHONE, DUE_HOUSEHOLD, DUE_NSTRINGS };

/* struct due_item - one touch due for one client. */
struct due_item {
	size_t str[DUE_NSTRINGS]; /* offsets into the list's strings */
	const struct tier *tier;  /* borrowed from the model */
	const struct touch *touch;
	const char *channel; /* the channel it goes by (the fallback when the client refused) */
	struct date due;
	long due_days; /* date_to_days(due), for sorting */
	long overdue_days;
	enum cadence_status_kind status;
	size_t tier_rank; /* the tier's place in the model */
	/* Set by due_list_sort, when the strings no longer move. */
	const char *by;   /* the touch's "by", else the client's owner ("" for none) */
	const char *name; /* the client's name, else its id */
	const char *id;
};

struct due_list {
	struct due_item *items;
	size_t n, cap;
	struct buf strings;
	struct buf scratch; /* a name built from its parts */
	/*
	 * Owners repeat: each distinct owner is kept once (owner_off[i] is the
	 * offset of owner i of the table), which keeps the arena small.
	 */
	struct strtab owners;
	size_t *owner_off;
	size_t owner_cap;
	/* Listed "every" touches of clients never contacted, due today (the start hint). */
	long never_today;
	bool households; /* the model has a "per": "household" touch: a household column */
	bool colour;     /* text: late and overdue in colour (the caller's choice) */
	bool excel_safe; /* CSV: writer_options' excel_safe (the caller's choice) */
};

/* The status names a --status option takes, as a mask for due_filter.statuses: -1 if unknown. */
long due_status_mask(const char *list);

/* One book being read into a due list. */
struct due_book;

/*
 * Start reading a book with header h into l (an empty list: {0}, or one
 * that holds earlier books).  l, q and h are borrowed until due_book_end;
 * name (the book's name in messages) until then too, and by err->file.
 * Returns a new book, or NULL with err filled when h has no "id" column.
 */
struct due_book *due_book_new(struct due_list *l, const struct due_query *q, const struct header *h,
                              const char *name, struct cs_error *err);

/*
 * Add the listed touches of the client in rec to the book's list, and
 * count what is wrong with it (no tier, a tier the model lacks, a date that
 * does not parse) for due_book_end.  Nothing of rec is kept.
 */
void due_book_add(struct due_book *b, const struct record *rec);

/*
 * List the book's households (their "per": "household" touches, one item
 * each), then report what the book's clients had wrong, one warning for
 * each kind with the count and the first row - touches left out because the
 * client refused their channel among them - through warn (may be NULL);
 * then free b.  The items stay in the list.
 */
void due_book_end(struct due_book *b, cs_warn_fn *warn, void *warn_ctx);

enum due_order {
	DUE_ORDER_STREAM, /* CSV, NDJSON, iCalendar: by, tier, due, name (DESIGN section 4) */
	DUE_ORDER_TEXT,   /* text: by (no one last), due (overdue first), tier, name */
};

/*
 * Point every item's by, name and id into the list, then sort the items in
 * order.  Call it once every book is in; call it again for another order.
 * Equal keys fall back on name, id and touch, so the order is the same on
 * every run.
 */
void due_list_sort(struct due_list *l, enum due_order order);

/* The client string which of item d of l.  Borrowed: valid until l changes. */
const char *due_str(const struct due_list *l, const struct due_item *d, enum due_string which);

/* Free what l owns (not l itself); l may then be reused as an empty list {0}. */
void due_list_free(struct due_list *l);

#endif
