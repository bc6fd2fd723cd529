/*
 * journal.h - the record of every change a tool makes to a book.
 *
 * A journal is an NDJSON file, one line per changed field of a record (or
 * per field of a record added or removed), kept for the books-and-records
 * rules advisers live under: who changed what, when, with which tool and
 * rule, and what it was before.  Every line has the same keys, so the
 * journal is itself a cs stream that any tool can read:
 *
 *   time   UTC, 2026-11-26T09:30:00Z (midnight of a fixed --today)
 *   user   $CS_USER, else the login name
 *   tool, args   the program and its arguments, shell-quoted
 *   model  SHA-256 of the model file the run used ("" when it used none)
 *   file   the book, as an absolute path
 *   cause  the rule or option that made the change
 *   op     change | add | remove | column | erase | purge
 *   id, field, old, new   what changed (add/remove: one line a field)
 *   at     the record's position (add, remove) or column's (column), else null
 *   run    an id the lines of one run share (from the chain and the run's head)
 *   prev   SHA-256 (hex) of the previous line's bytes; 64 zeros on the first
 *
 * The prev chain makes an edit anywhere but the last line visible to
 * journal_verify; the head (the hash of the last line), kept elsewhere,
 * protects the last line too.
 *
 * Two lines record what cannot be undone, and journal_replay passes over
 * them: "erase", the tombstone of an erasure request (cs-remove --erase),
 * whose id is a keyed hash of the client's id and whose other values are
 * empty, so the line holds no personal data; and "purge", a row cs-purge
 * deleted at the end of its retention (field and old: the date that
 * decided it).
 *
 * A tool records its changes as it goes (they wait in memory up to a
 * budget, then in a temporary file, so memory stays bounded), commits the
 * journal just before it commits its output, and rolls the journal back if
 * that commit fails: a line may precede a change, never the reverse, and a
 * failed run (or one killed) leaves none.
 */
#ifndef CS_JOURNAL_H
#define CS_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "record.h"

enum journal_op {
	JOURNAL_CHANGE,
	JOURNAL_ADD,
	JOURNAL_REMOVE,
	JOURNAL_COLUMN,
	JOURNAL_ERASE,
	JOURNAL_PURGE
};

struct journal_options {
	const char *path; /* the journal file */
	const char *tool; /* "cs-tier" */
	int argc;         /* the arguments after the program name */
	char *const *argv;
	const char *today; /* a fixed today (YYYY-MM-DD), or NULL for the clock */
	const char *model; /* the model file; "" the built-in one; NULL none */
	size_t budget;     /* bytes of lines kept in memory; 0: 64 MiB */
};

struct journal;

/*
 * Start a journal for one run (nothing is written yet).  Returns NULL with
 * err filled when the model cannot be read for its hash.
 */
struct journal *journal_open(const struct journal_options *o, struct cs_error *err);
/* The journal's path, for messages and overlap checks. */
const char *journal_path(const struct journal *j);

/* The book the lines that follow are about. */
void journal_file(struct journal *j, const char *path);
/* The cause of the lines that follow (copied); NULL or "" for none. */
void journal_cause(struct journal *j, const char *cause);

/* A field of record id changed from old to new. */
void journal_change(struct journal *j, const char *id, size_t idlen, const char *field,
                    const char *old, size_t oldlen, const char *new, size_t newlen);
/*
 * A record added or removed at position at (0-based, among the book's
 * records): one line for its id field and one for each other non-empty
 * field.
 */
void journal_record(struct journal *j, enum journal_op op, long at, const struct header *h,
                    const struct record *r, size_t id_col);
/* A column added at position at. */
void journal_column(struct journal *j, const char *name, long at);
/*
 * A line of op with the given id, field and old value (new empty): an
 * erasure's tombstone (id the keyed hash, field and old "") or a purged row
 * (field and old the date that decided it), at position at (-1: null).
 */
void journal_event(struct journal *j, enum journal_op op, const char *id, size_t idlen,
                   const char *field, const char *old, size_t oldlen, long at);

/* Lines waiting to be committed. */
size_t journal_pending(const struct journal *j);

/*
 * Append the waiting lines to the journal file, fsynced (creating it mode
 * 0600), and keep it locked until journal_landed or journal_rollback says
 * whether the output they describe landed.  Nothing waiting: nothing is
 * done.  Returns 0, or -1 with err filled (the journal is then as it was).
 */
int journal_commit(struct journal *j, struct cs_error *err);
/* The output landed: the lines stay.  Releases the lock. */
void journal_landed(struct journal *j);
/* journal_landed(j) as a file_landed_fn: the lines stay with the output, signal or not. */
void journal_lands(void *j);
/*
 * The output did not land: take back what journal_commit appended and the
 * lines still waiting.  Returns 0, or -1 with err filled.
 */
int journal_rollback(struct journal *j, struct cs_error *err);
/* Free j (a commit not yet landed is kept).  NULL is fine. */
void journal_close(struct journal *j);

/* What journal_verify found. */
struct journal_check {
	long lines;    /* lines read */
	long broken;   /* the first line whose successor's prev does not match, or 0 */
	char head[65]; /* hash of the last line (hex) */
	char why[160]; /* what is wrong, when broken */
};

/* Check the chain of the journal read from f.  Returns 0 when intact, else 1. */
int journal_verify(FILE *f, struct journal_check *c);

/* SHA-256 of p[0..len) in lower-case hex. */
void journal_sha256_hex(const void *p, size_t len, char out[65]);
/*
 * HMAC-SHA-256 of p[0..len) under key[0..keylen) in lower-case hex: the
 * keyed hash of the suppression list and of erasure tombstones (a plain
 * hash of an email is reversed by hashing a list of addresses).
 */
void journal_hmac_hex(const void *key, size_t keylen, const void *p, size_t len, char out[65]);

#endif
