/*
 * client_page.h - one client's page, as cs-due --client shows it before a
 * call: the record's summary, every logged touch newest first, and every
 * touch of its tier with its next due date and status, whatever the window.
 *
 *	struct client_page p = {.header = h, .record = &rec};
 *	client_page_read_log(&p, "touches.csv", &err);     for each log
 *	client_page_plan(&p, model, index, today);
 *	client_page_write_text(&p, stdout);                 or _json
 *	client_page_free(&p);
 *
 * Ownership: header and record are borrowed until client_page_free; the
 * page owns its log entries and items (whose tier and touch are borrowed
 * from the model, valid until model_free).
 */
#ifndef CS_CLIENT_PAGE_H
#define CS_CLIENT_PAGE_H

#include <stdio.h>

#include "cadence.h"
#include "date.h"
#include "error.h"
#include "model.h"
#include "record.h"
#include "touchlog.h"

/* One row of the log about the client: new strings ("" when empty). */
struct client_page_entry {
	char *value[TOUCHLOG_COLUMNS]; /* by enum touchlog_column; id too */
	struct date date;
	size_t order; /* the row's place among every log row read, for ties */
};

struct client_page {
	const struct header *header; /* the client's book's */
	const struct record *record;
	struct client_page_entry *log;
	size_t nlog, cap, rows_read;
	/* Set by client_page_plan. */
	struct cadence_item *items;
	size_t nitems;
	struct cadence_client info;
};

/*
 * Add the rows of the touch log at path whose id is the client's (blanks
 * around it ignored); rows whose date does not parse are left out (cs-due
 * warns about them when it reads the log).  Returns 0, or -1 with err
 * filled when the log cannot be read or is not a touch log.
 */
int client_page_read_log(struct client_page *p, const char *path, struct cs_error *err);

/*
 * Every touch of the client's tier that applies to it, from m and the log
 * index (may be NULL), on today: cadence_record, whatever the window.
 */
void client_page_plan(struct client_page *p, const struct model *m, const struct touchlog *log,
                      struct date today);

/* The page as text for a person (control characters shown as '?'). */
void client_page_write_text(const struct client_page *p, FILE *out);

/*
 * The page as one JSON object: {"client": {COLUMN: value, ...}, "log":
 * [{"date", "touch", "channel", "by", "note", "outcome", "until"}, ...],
 * "touches": [{"touch", "channel", "by", "due", "overdue_days", "status",
 * "last_done"}, ...]}, newest log entry first, touches in the tier's order;
 * empty values are null.
 */
void client_page_write_json(const struct client_page *p, FILE *out);

void client_page_free(struct client_page *p);

#endif
