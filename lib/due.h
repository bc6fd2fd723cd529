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
#include <stdint.h>

#include <stdio.h>

#include "cadence.h"
#include "date.h"
#include "error.h"
#include "model.h"
#include "record.h"
#include "stream.h"
#include "strtab.h"
#include "touchlog.h"
#include "util.h"
#include "weekplan.h"

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

/*
 * Where a client's strings are in the list's arena: three offsets, not six,
 * for a list of millions of items must fit its memory budget.  The id is
 * followed by the email, phone and household, each NUL-terminated, which
 * due_str finds by walking past the ones before.
 */
struct due_strings {
	size_t id; /* then email, phone, household */
	size_t name;
	size_t owner;
};

/*
 * struct due_item - one touch due for one client: 104 bytes on a 64-bit
 * machine, kept small (the due date packed in 4 bytes) because a list
 * of millions of them is sorted, and held under cs-due's memory budget.
 */
struct due_item {
	struct due_strings str;  /* offsets into the list's strings */
	const struct tier *tier; /* borrowed from the model */
	const struct touch *touch;
	const char *channel; /* the channel it goes by (the fallback when the client refused) */
	long overdue_days;
	int32_t due_days;   /* the day it is due (date_to_days), for sorting */
	uint32_t due_ymd;   /* the same day as year << 9 | month << 5 | day (due_item_due) */
	uint32_t tier_rank; /* the tier's place in the model */
	enum cadence_status_kind status;
	/*
	 * Set by due_list_plan: the day it is planned on (date_to_days), -1
	 * over capacity; and its week (0: today's), the plan's weeks when over
	 * capacity.  0 and 0 without a plan, so the orders stay the same.
	 */
	int32_t planned;
	int week;
	/* Set by due_list_sort, when the strings no longer move. */
	const char *by;   /* the touch's "by", else the client's owner ("" for none) */
	const char *name; /* the client's name, else its id */
	const char *id;
};

/* The date item d is due. */
static inline struct date
due_item_due(const struct due_item *d)
{
	return (struct date){(int)(d->due_ymd >> 9), (int)(d->due_ymd >> 5 & 15),
	                     (int)(d->due_ymd & 31)};
}

/* A due date (with a year, 1 to 9999) as due_ymd. */
static inline uint32_t
due_ymd(struct date d)
{
	return (uint32_t)d.year << 9 | (uint32_t)d.month << 5 | (uint32_t)d.day;
}

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
	struct weekplan *plan; /* due_list_plan's plan, or NULL; owned */
	bool households;       /* the model has a "per": "household" touch: a household column */
	bool colour;           /* text: late and overdue in colour (the caller's choice) */
	bool excel_safe;       /* CSV: writer_options' excel_safe (the caller's choice) */
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

/*
 * The owner of the last record due_book_add took (borrowed: valid until the
 * next due_book_add), with its spreadsheet row in *row and the book's name
 * in *name: for a caller that checks the book's order (due_runs.h).
 */
const char *due_book_last_owner(const struct due_book *b, long *row, const char **name);

enum due_order {
	DUE_ORDER_STREAM, /* CSV, NDJSON, iCalendar: by, tier, due, name (DESIGN section 4) */
	DUE_ORDER_TEXT,   /* text: by (no one last), due (overdue first), tier, name */
};

/*
 * Point every item's by, name and id into the list, then sort the items in
 * order.  Call it once every book is in; call it again for another order.
 * Equal keys fall back on name, id and touch, then on every other column
 * written, so the order is total: items that compare equal write the same
 * row, and the output is the same bytes on every run, and through a merge.
 */
void due_list_sort(struct due_list *l, enum due_order order);

/*
 * Plan the items of l (every book in) into weeks: the week of today and
 * weeks-1 after it, each person (the item's by) holding at most their hours
 * a week from the model's team, the week of today only the share of its
 * working_days (1..7, from Monday) left (lib/weekplan.h).  Sets each item's
 * planned and week and keeps the plan in l->plan for the writers.  The
 * same items in any order give the same plan.
 */
void due_list_plan(struct due_list *l, const struct model *m, struct date today, int weeks,
                   int working_days);

/*
 * The stream order of two items (DUE_ORDER_STREAM, with its tie-breaks):
 * the one comparison that due_list_sort and every merge of sorted items
 * (due_runs.h) use.  Both items must have by, name and id set.
 */
int due_item_cmp(const struct due_item *a, const struct due_item *b);

/*
 * How much of memory l's items and strings hold, in bytes: what a budget
 * (cs-due --memory) is checked against.
 */
size_t due_list_bytes(const struct due_list *l);

/*
 * Empty l of its items and of the strings only they use, after they were
 * written elsewhere (a spilled run): the strings of b's household members,
 * still to be listed at the book's end, are kept.  b may be NULL.  The
 * list's counts (never_today) and flags stay.
 */
void due_list_clear(struct due_list *l, struct due_book *b);

/*
 * Append a copy of item d of list from (its strings included) to l.
 * d must have by, name and id set (due_list_sort, or a due_reader's item).
 */
void due_list_append(struct due_list *l, const struct due_list *from, const struct due_item *d);

/* ---- cs-due's stream rows ------------------------------------------------------ */

/*
 * The columns of the stream output, in order; the last, household, is
 * written only for a model with "per": "household" touches.
 */
enum { DUE_NCOLUMNS = 13 };
extern const char *const due_columns[DUE_NCOLUMNS];

/* Writes items as rows of due_columns, CSV or NDJSON (overdue_days a number). */
struct due_rows;

/*
 * Start writing rows to out (borrowed, not closed); households: with the
 * household column; planned: then a "planned" column (cs-due --plan; not
 * one of due_columns, so due_reader does not read it back); excel_safe:
 * formula-like values get a leading ' (writer.h).  The CSV header is
 * written with the first row, or at the close when there was none.
 */
struct due_rows *due_rows_open(FILE *out, enum stream_format format, bool households, bool planned,
                               bool excel_safe);
/* Write item d of l (by set by due_list_sort). */
void due_rows_put(struct due_rows *r, const struct due_list *l, const struct due_item *d);
/* Flush and free r; returns 0, or -1 with err filled (name: out's name) when writing failed. */
int due_rows_close(struct due_rows *r, const char *name, struct cs_error *err);

/*
 * Reads rows that cs-due wrote (CSV or NDJSON, with due_columns for its
 * header) back into items, one at a time, against the model that listed
 * them: the tier, touch and channel must be the model's, and "by" the
 * touch's or the owner.  An empty file is a list with no items (cs-due
 * writes nothing when nothing is due).
 */
struct due_reader;

/*
 * Open path ("-": standard input; borrowed, for messages) with model m
 * (borrowed).  Returns a new reader, or NULL with err filled when the file
 * cannot be read or its header is not cs-due's.
 */
struct due_reader *due_reader_open(const char *path, const struct model *m, struct cs_error *err);
/*
 * Read the next row: returns 1 and makes it the reader's item, 0 at the
 * end, -1 with err filled (naming the file and row) when the row is not an
 * item of the model.
 */
int due_reader_next(struct due_reader *r, struct cs_error *err);
/*
 * The list that holds the reader's item, items[0] (with by, name and id
 * set).  Borrowed: valid until the next due_reader_next.
 */
const struct due_list *due_reader_list(const struct due_reader *r);
/* The format read (STREAM_AUTO for an empty file), and whether it had the household column. */
enum stream_format due_reader_format(const struct due_reader *r);
bool due_reader_households(const struct due_reader *r);
/* The spreadsheet row (NDJSON: line) of the reader's item, for messages. */
long due_reader_row(const struct due_reader *r);
void due_reader_close(struct due_reader *r);

/* The client string which of item d of l.  Borrowed: valid until l changes. */
const char *due_str(const struct due_list *l, const struct due_item *d, enum due_string which);

/* Free what l owns (not l itself); l may then be reused as an empty list {0}. */
void due_list_free(struct due_list *l);

#endif
