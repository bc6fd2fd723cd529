/*
 * touchlog.h - the touch log: when each touch was last done for each client.
 *
 * The log is a CSV (or NDJSON) stream with the header
 *
 *	date,id,touch,channel,by,note,outcome,until
 *
 * one row per touch done or tried, appended by cs-log.  Logs written before
 * the outcome and until columns existed lack them, and read as all "done".
 * An entry's outcome (DESIGN section 4):
 *
 *	(empty), done   the touch was done
 *	declined        the client declined it: counts as done for cadence
 *	no-answer       tried: defers the touch for its "retry" (cadence)
 *	scheduled       booked for "until": defers the touch until then
 *	snoozed         put off until "until" (a client abroad)
 *
 * Per (client, touch) the index keeps the latest done (or declined) entry
 * and the latest deferring entry (no-answer, scheduled, snoozed).  A struct touchlog reads one or
 * more logs into an index that answers, in O(1):
 *
 *	touchlog_last(log, "c001", "call", &d)     latest "call" done for c001
 *	touchlog_last_any(log, "c001", &d)         latest touch of any kind for c001
 *
 * so a tool can stream the book past it: memory grows with the log (one
 * entry per client and per (client, touch) pair in it), never with the book.
 *
 * Matching: client ids match byte for byte; touch names match without
 * regard to ASCII case ("Call" in a hand-edited log is the model's "call").
 * Spaces and tabs around the id and the touch in the log are ignored.
 *
 * Ownership: a struct touchlog owns copies of every id and touch name it
 * holds; nothing it returns is borrowed from the caller.
 */
#ifndef CS_TOUCHLOG_H
#define CS_TOUCHLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "error.h"
#include "stream.h"
#include "util.h"

/*
 * The header cs-log writes to a new log, and the one of logs written before
 * outcomes (TOUCHLOG_HEADER_OLD), which cs-log appends to as they are.
 * touchlog_read needs date, id and touch at least.
 */
#define TOUCHLOG_HEADER "date,id,touch,channel,by,note,outcome,until"
#define TOUCHLOG_HEADER_OLD "date,id,touch,channel,by,note"

/* An entry's outcome.  Empty reads as TOUCHLOG_DONE. */
enum touchlog_outcome {
	TOUCHLOG_DONE,
	TOUCHLOG_NO_ANSWER,
	TOUCHLOG_SCHEDULED,
	TOUCHLOG_SNOOZED,
	TOUCHLOG_DECLINED,
	TOUCHLOG_OUTCOMES
};

/* Their names in the log: "done", "no-answer", "scheduled", "snoozed", "declined". */
extern const char *const touchlog_outcome_names[TOUCHLOG_OUTCOMES];

/*
 * The outcome named s[0..len) (spaces around it and ASCII case ignored; empty:
 * done).  Returns 0, or -1 when it is none of them.
 */
int touchlog_outcome_parse(const char *s, size_t len, enum touchlog_outcome *out);

/* True for the outcomes that need an "until" date: scheduled and snoozed. */
bool touchlog_outcome_needs_until(enum touchlog_outcome o);

struct touchlog;

/* A new empty index.  Free with touchlog_free. */
struct touchlog *touchlog_new(void);

/* Free log and everything it owns.  NULL is fine. */
void touchlog_free(struct touchlog *log);

/*
 * Record that touch (touch[0..touch_len)) was done for client id
 * (id[0..id_len)) on date, which must have a year (a year-less date is
 * ignored).  Keeps the latest date per (id, touch) and per id.  Both strings
 * are copied.
 */
void touchlog_add(struct touchlog *log, const char *id, size_t id_len, const char *touch,
                  size_t touch_len, struct date date);

/*
 * As touchlog_add, for an entry with an outcome: done and declined count
 * as done (declined is remembered when it is the latest); no-answer,
 * scheduled and snoozed are kept as the pair's deferral when they are its
 * latest (until: the date a scheduled or snoozed entry defers to; ignored
 * for the others).  A later entry of the same date wins.
 */
void touchlog_add_entry(struct touchlog *log, const char *id, size_t id_len, const char *touch,
                        size_t touch_len, struct date date, enum touchlog_outcome outcome,
                        struct date until);

/*
 * struct touchlog_state - what the log says about one touch of one client.
 */
struct touchlog_state {
	bool done;                   /* a done (or declined) entry exists */
	struct date last_done;       /* the latest of them */
	bool declined;               /* and the latest was declined */
	bool deferred;               /* a no-answer, scheduled or snoozed entry exists */
	enum touchlog_outcome defer; /* the latest of them */
	struct date defer_date;      /* its date */
	struct date until;           /* scheduled, snoozed: until when */
};

/*
 * Read the log at path ("-": standard input) into log; may be called for
 * several files, which then count as one log.  The header must name the
 * columns date, id and touch (in any order); outcome and until are read
 * when present, others ignored.  A row with an empty id or touch, a date
 * that does not parse (date_parse, YMD order, a year required), an unknown
 * outcome, or a scheduled or snoozed entry without an until date, is
 * reported through opts->warn (when set) as "FILE:ROW: ..." and skipped.  opts (may be NULL) is
 * passed to stream_open. Returns 0, or -1 with err filled when the file cannot be read, is not a
 * touch log, or is malformed (rows before the bad one are kept).  err->file
 * borrows path.
 */
int touchlog_read(struct touchlog *log, const char *path, const struct stream_options *opts,
                  struct cs_error *err);

/*
 * As touchlog_read, and each entry it keeps is also handed to each (when
 * not NULL) with ctx: the id and touch trimmed (borrowed for the call), the
 * date (with a year) and the outcome.  For a reader that needs every entry,
 * not only the latest (cs-report's delivery counts), in the same one pass.
 */
typedef void touchlog_entry_fn(void *ctx, const char *id, size_t id_len, const char *touch,
                               size_t touch_len, struct date date, enum touchlog_outcome outcome);
int touchlog_read_each(struct touchlog *log, const char *path, const struct stream_options *opts,
                       touchlog_entry_fn *each, void *ctx, struct cs_error *err);

/*
 * The latest date touch was logged for client id.  Returns true and sets
 * *out, or false when the log has no such touch for that client.  log may
 * be NULL (an empty log).
 */
bool touchlog_last(const struct touchlog *log, const char *id, const char *touch, struct date *out);

/* The latest date any touch was logged for client id, as touchlog_last. */
bool touchlog_last_any(const struct touchlog *log, const char *id, struct date *out);

/*
 * The same questions by a client's handle, for a caller that asks about
 * several touches of one client: touchlog_client finds the client once (a
 * handle >= 0, or -1 when the log has nothing for id or log is NULL); a
 * handle never changes while the log lives, whatever is added to it.  A
 * handle of -1 answers false.
 */
long touchlog_client(const struct touchlog *log, const char *id);
bool touchlog_client_last(const struct touchlog *log, long client, const char *touch,
                          struct date *out);
bool touchlog_client_any(const struct touchlog *log, long client, struct date *out);

/*
 * touchlog_client of many clients at once, for a caller that reads a book
 * in batches: clients[i] is the handle of ids[i][0..lens[i]) (blanks
 * around it ignored, as touchlog_see ignores them), or -1.  In a large log
 * each lookup is cache misses (the id's slot, then its record, then the
 * client's entry and pairs); here the batch's misses overlap, and what the
 * questions about each client will read is on its way.  At most
 * TOUCHLOG_FIND_MAX ids a call (more are not looked at).
 */
enum { TOUCHLOG_FIND_MAX = 64 };
void touchlog_find_clients(const struct touchlog *log, const char *const *ids, const size_t *lens,
                           size_t n, long *clients);

/* Everything the log has on touch for client: false (and *out empty) when nothing. */
bool touchlog_client_state(const struct touchlog *log, long client, const char *touch,
                           struct touchlog_state *out);

/* The columns of TOUCHLOG_HEADER, in its order. */
enum touchlog_column {
	TOUCHLOG_DATE,
	TOUCHLOG_ID,
	TOUCHLOG_TOUCH,
	TOUCHLOG_CHANNEL,
	TOUCHLOG_BY,
	TOUCHLOG_NOTE,
	TOUCHLOG_OUTCOME,
	TOUCHLOG_UNTIL,
	TOUCHLOG_COLUMNS
};

/* The columns of TOUCHLOG_HEADER_OLD: the first six. */
#define TOUCHLOG_COLUMNS_OLD TOUCHLOG_OUTCOME

/* Their names, by enum touchlog_column ("date", "id", ...). */
extern const char *const touchlog_column_names[TOUCHLOG_COLUMNS];

/*
 * Append n rows to the log at path, each TOUCHLOG_COLUMNS strings in the
 * header's order (rows[i * TOUCHLOG_COLUMNS + column]; borrowed; NULL reads
 * as empty), under an exclusive lock, in one write: a missing or empty log
 * gets TOUCHLOG_HEADER first, and an existing one must start with it or
 * with TOUCHLOG_HEADER_OLD (a BOM and CRLF line ends are accepted), so a
 * slip onto the book cannot corrupt it.  A log with the old header is never
 * rewritten: its rows get its six columns, and a row with an outcome other
 * than done, or an until date, is refused (nothing is written) with a
 * message saying to start a new log.  A write that
 * fails is cut back off, so the log only ever holds whole rows; an
 * incomplete last row a killed run left is cut off first, kept in PATH.torn
 * and reported through warn (may be NULL) with warn_ctx.  Returns 0, or -1
 * with err filled (err->file borrows path).
 */
int touchlog_append(const char *path, const char *const *rows, size_t n, cs_warn_fn *warn,
                    void *warn_ctx, struct cs_error *err);

/*
 * struct touchlog_raise - raising a book's last_contact to the latest touch
 * the log has for each client, record by record (cs-log --apply).  Set log
 * (borrowed until the last call) and warn, then touchlog_raise_bind each
 * input's header before its records.
 */
struct touchlog_raise {
	const struct touchlog *log;
	cs_warn_fn *warn; /* a last_contact that is not a date; NULL: not reported */
	void *warn_ctx;
	long raised; /* records raised so far */
	/* Set by touchlog_raise_bind. */
	long id_col; /* -1: the book has no id column, and nothing is raised */
	size_t lc_col, width;
};

/*
 * The columns to write for a book whose header is in: a new copy of it
 * (header_free), with last_contact added at the end when it has none.
 * Binds r to it.
 */
struct header *touchlog_raise_bind(struct touchlog_raise *r, const struct header *in);

/*
 * Give rec (a record of the bound input; it is made as wide as the header
 * touchlog_raise_bind returned) the latest date the log has for its
 * client's id as last_contact, when that is later than the one it has, or
 * the one it has is empty or not a date with a year.  A last_contact that
 * is not a date is warned about (named name and rec->row) before it is
 * replaced.  Returns true when rec was changed.
 */
bool touchlog_raise_last_contact(struct touchlog_raise *r, struct record *rec, const char *name);

/*
 * Orphans: log rows no client of the book has, or whose touch no tier of
 * the model has, which cs-due and cs-report would otherwise pass over
 * without a word (a spreadsheet that turned the ids 007 into 7 loses every
 * client's history).  Only the reader of the book knows its ids, so it
 * tells the log each one as it streams the book (touchlog_see: one hash
 * lookup a record, nothing kept), and afterwards touchlog_warn_orphans
 * reports the clients never seen.
 */

/* Mark the client id[0..len) (blanks around it ignored) as one the book has. */
void touchlog_see(struct touchlog *log, const char *id, size_t len);
/* The same by its handle (touchlog_client, touchlog_find_clients); -1 does nothing. */
void touchlog_see_client(struct touchlog *log, long client);

struct idtab;
struct model;

/* struct touchlog_orphans - what touchlog_warn_orphans checks; everything borrowed. */
struct touchlog_orphans {
	const char *name;          /* the log in messages; NULL: "the touch logs" */
	bool check_ids;            /* the whole book was read and seen: report unseen ids */
	uint32_t shard_k, shard_n; /* only shard k of n of the book was read (n 0: all) */
	const char *shard_by;      /* ... by this field; a field other than id: no id check */
	const struct model *model; /* NULL: no touch check */
	/*
	 * The ids of the clients removed on purpose (archive_read_ids), whose
	 * rows are no orphans; NULL: no archive was given (the warning then
	 * says to give one).
	 */
	const struct idtab *archived;
};

/*
 * Warn through warn (may be NULL) with warn_ctx, once each: the count of
 * rows, and the first three ids, of the clients touchlog_see never saw and
 * o->archived does not hold (with a shard, only those of the shard read);
 * and the count of rows, and the first three names, of the touches that
 * model_find_touch finds in no tier.  Nothing when there are none.  The
 * rows of archived clients are left out without a word: a client let go
 * on purpose is no mistake, and is in the log every week after.
 */
void touchlog_warn_orphans(const struct touchlog *log, const struct touchlog_orphans *o,
                           cs_warn_fn *warn, void *warn_ctx);

/* How many rows were added (touchlog_add calls and rows read), distinct clients, distinct pairs. */
size_t touchlog_rows(const struct touchlog *log);
size_t touchlog_clients(const struct touchlog *log);
size_t touchlog_pairs(const struct touchlog *log);

#endif
