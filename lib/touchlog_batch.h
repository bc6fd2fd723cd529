/*
 * touchlog_batch.h - the touches cs-log is about to append, every one
 * checked before any is written.
 *
 * A batch is appended whole or not at all.  Rows come from the command line
 * or a --from file: touchlog_batch_add checks each as it comes
 * (touchlog_check_row), touchlog_batch_check_book finds every client in
 * the book (by id, email or name), and touchlog_batch_apply_model gives
 * each touch the model's spelling and, when the row has none, the model's
 * channel.  Each problem
 * is reported through the batch's report function and counted, so one run
 * names them all; a batch with any error must not be appended.
 *
 * The book streams past the batch's references: memory grows with the
 * batch (one row, or a --from file's), never with the book.
 *
 * Ownership: a batch owns copies of every value in its rows; its defaults,
 * source and report context are borrowed until touchlog_batch_free.
 */
#ifndef CS_TOUCHLOG_BATCH_H
#define CS_TOUCHLOG_BATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "model.h"
#include "stream.h"
#include "touchlog.h"

/* What the command line gives for a value a row leaves empty; NULL: nothing. */
struct touchlog_defaults {
	struct date today;   /* a row without a date is today's; none may be later */
	const char *date;    /* --date */
	const char *channel; /* --channel; NULL: the model's for the touch */
	const char *by;      /* --by */
	const char *note;    /* --note */
	const char *outcome; /* --outcome */
	const char *until;   /* --until */
};

/* struct touchlog_row - one checked touch to append. */
struct touchlog_row {
	/* New, by enum touchlog_column; TOUCHLOG_CHANNEL is NULL until the model gives one. */
	char *value[TOUCHLOG_COLUMNS];
	char *tier; /* new: the client's tier in the book, or NULL (no --book, or none) */
	long line;  /* the --from file's row it came from; 0: the command line */
};

/*
 * Check one row: v holds a value per column (each may be NULL or empty, and
 * then d's applies).  The rules: every value UTF-8 without control
 * characters (C0, tab included, DEL, C1; a note may have line feeds; the
 * spaces and tabs trimmed around a value do not count), since the log's
 * values are shown again; an id and a touch; a
 * date that parses (YMD order), has a year and is not after d->today; an
 * outcome that is empty or one of touchlog_outcome_names; an until date
 * (any date with a year, after the entry's date) exactly when the outcome
 * is scheduled or snoozed.  On success fills *out with new copies - id,
 * touch, channel and by trimmed of spaces and tabs, the date as YYYY-MM-DD
 * (d->today when none), the note as given, the channel NULL when neither v
 * nor d has one, the outcome as its name ("" for none given) and until as
 * YYYY-MM-DD or "" - and returns 0.
 * Else returns -1 with err filled (file NULL, row 0: the caller places it)
 * and *out empty.
 */
int touchlog_check_row(const struct touchlog_defaults *d, const char *const v[TOUCHLOG_COLUMNS],
                       struct touchlog_row *out, struct cs_error *err);

/*
 * struct touchlog_batch - zero it, then set defaults and report (and
 * report_ctx).
 */
struct touchlog_batch {
	struct touchlog_row *rows; /* n of them, in the order added */
	size_t n, cap;
	long errors;        /* problems reported: any, and the batch must not be appended */
	const char *source; /* the --from file's name in messages (touchlog_batch_read), or NULL */
	const struct touchlog_defaults *defaults; /* borrowed */
	/*
	 * Each problem, with file and row set when a --from file's row is at
	 * fault (file alone for the whole file; neither for the command line).
	 */
	cs_warn_fn *report;
	void *report_ctx;
};

/*
 * Check v (as touchlog_check_row) and add it as row line of b->source (0:
 * the command line).  Returns 0, or -1 when the row was reported and left
 * out.
 */
int touchlog_batch_add(struct touchlog_batch *b, long line, const char *const v[TOUCHLOG_COLUMNS]);

/*
 * Add every row of path (CSV or NDJSON; "-": standard input), which must
 * have "id" and "touch" columns; "date", "channel", "by" and "note" are
 * optional and other columns ignored.  Sets b->source to path (borrowed) or
 * "<stdin>".  Returns 0, or -1 when anything was reported: a file that
 * cannot be read, a missing column, a bad row (the other rows are still
 * checked), or a malformed file.
 */
int touchlog_batch_read(struct touchlog_batch *b, const char *path);

/*
 * Find every row's client in the book at path (borrowed), which must have
 * an "id" column: the row's id is a reference (clientfind.h: an id, an
 * email or a name), and a row whose reference names one client gets that
 * client's id, and its tier (trimmed, when it has one) in row.tier for
 * touchlog_batch_apply_model.  A reference that names several clients
 * (listed) or none (with the closest names) is reported.  Returns 0, or -1
 * when anything was reported.
 */
int touchlog_batch_check_book(struct touchlog_batch *b, const char *path);

/*
 * Give each row's touch the model's spelling (model_find_touch, by the
 * row's tier), and a row without a channel the touch's ("" when the model
 * lacks the touch).  A touch the model lacks is reported as an error, with
 * the closest touch of the row's tier, else of any tier, as "did you
 * mean"; with force it is kept as given and warned about through warn (may
 * be NULL) with warn_ctx instead.  Returns 0, or -1 when anything was
 * reported.
 */
int touchlog_batch_apply_model(struct touchlog_batch *b, const struct model *m, bool force,
                               cs_warn_fn *warn, void *warn_ctx);

/*
 * Append the rows to the log at path, all or none (touchlog_append; a torn
 * last row a killed run left is reported through warn, may be NULL).
 * Returns 0, or -1 with err filled.
 */
int touchlog_batch_append(const struct touchlog_batch *b, const char *path, cs_warn_fn *warn,
                          void *warn_ctx, struct cs_error *err);

/* Free the rows and what they own; b is left empty.  The borrowed fields stay. */
void touchlog_batch_free(struct touchlog_batch *b);

#endif
