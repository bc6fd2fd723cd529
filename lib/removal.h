/*
 * removal.h - the book's side of cs-remove: the kept records held back
 * until every input has been read, then a removal or an erasure committed
 * in the order that loses nothing.  Who goes is lib/plan.h; the transition
 * plan is written by the tool once the book has landed (lib/plan_render.h).
 *
 * Nothing leaves the process until every input has been read: --limit must
 * know the count before anything is written, and a bad row halfway through
 * must not leave half a book behind.  So the kept records are written to a
 * temporary file: the output's own (lib/file.h) for a file, an anonymous
 * nameless file (tmp_nameless) copied at the end for standard output or a device.
 *
 * A removal (removal_commit), in this order:
 *   1. the archive is appended to, flushed and fsynced;
 *   2. the journal (if any) is committed;
 *   3. the kept records go out (a file: the atomic rename; else the copy).
 * A failure in 2 or 3 takes back what was committed before it, so a run
 * either removed the records and archived them, or changed nothing; only
 * once the rename has happened is the archive left alone, because then it
 * is the only copy: its rollback is dropped in the same step as the rename,
 * with signals held off, so not even a SIGTERM can cut it back after.
 *
 * An erasure (removal_erase) archives nothing: the client's email and
 * phone go to the suppression list as keyed hashes (lib/suppress.h), the
 * journal gets a tombstone (the keyed hash of the id), the touch log is
 * rewritten without the client (lib/purge.h), then the book goes out.  A
 * failure before the log's rename takes the list's and the journal's lines
 * back; after it nothing is taken back, because they describe a change that
 * happened, and the message says to run the same command again.
 *
 * Used in this order: removal_new, removal_start when the first input is
 * open, removal_record for each record read, removal_end_input, then
 * removal_commit or removal_erase (or neither: removal_free abandons the
 * book's output), removal_free.
 *
 * Messages: the library prints nothing.  Each error, and each note of what
 * happened (records found in the archive already, an erasure's summary, an
 * output left unchanged), is handed to the options' report function in
 * order, placed at a file where one is at fault; none is a warning about
 * the data.
 */
#ifndef CS_REMOVAL_H
#define CS_REMOVAL_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "error.h"
#include "file.h"
#include "journal.h"
#include "plan.h"
#include "record.h"
#include "stream.h"
#include "suppress.h"

/* struct removal_options - every pointer is borrowed until removal_free. */
struct removal_options {
	struct date today;
	const char *book;        /* the kept records' file (-i or -o), for messages; NULL: stdout */
	bool in_place;           /* book is the input: nothing removed leaves it as it was */
	struct journal *journal; /* NULL: none */
	unsigned writer_flags;   /* writer_new's, for the kept records */
	/* A removal: */
	const char *archive;    /* the archive file */
	struct duration retain; /* its retain_until: removed_on + retain ({0}: none) */
	/* An erasure (erase true: archive is not used): */
	bool erase;
	const char *cause;              /* the journal's cause of the tombstones */
	const char *suppress;           /* the suppression list */
	const struct suppress_key *key; /* its key */
	const char *log;                /* the touch log to rewrite; NULL: none */
	/* Where messages go: repair, an archive's torn tail cut off; report, the rest. */
	cs_warn_fn *repair;
	void *repair_ctx;
	cs_warn_fn *report;
	void *report_ctx;
};

struct removal;

/*
 * A new removal writing the kept records to out (stolen: committed by
 * removal_commit or removal_erase, else abandoned by removal_free).
 */
struct removal *removal_new(const struct removal_options *o, struct file_output *out);

/*
 * The first input is open, named name, with header h (borrowed until
 * removal_free) in format: journal against the book, open the archive
 * (a removal: lib/archive.h locks and checks it now, before any record is
 * read) and the temporary file of the kept records, written in format.
 * Returns 0, or -1 with err filled.
 */
int removal_start(struct removal *r, const struct header *h, const char *name,
                  enum stream_format format, struct cs_error *err);

/*
 * The next record read, judged: removed_for is the reason it was removed
 * (journalled as a removal at its position, unless an erasure), or NULL
 * when it is kept (written to the kept records).  Call only after
 * removal_start succeeded.
 */
void removal_record(struct removal *r, const struct record *rec, const char *removed_for);

/*
 * Every input has been read: flush the kept records.  Returns 0, or -1
 * with err filled on a write error (a full disk).
 */
int removal_end_input(struct removal *r, struct cs_error *err);

/*
 * Commit the removal of p's records (those removal_record was given a
 * reason for, in order): the archive, the journal, the book.  Returns 0,
 * or -1 when a step failed (reported, with what was taken back).
 */
int removal_commit(struct removal *r, const struct plan *p);

/*
 * Commit the erasure of p's records: the suppression list, the journal's
 * tombstones, the touch log, the book.  An empty p only writes the book,
 * with a note that nothing was erased.  Returns 0, or -1 when a step failed
 * (reported).
 */
int removal_erase(struct removal *r, const struct plan *p);

/*
 * Free r.  A book output not committed is abandoned (the file it would
 * have replaced is left as it was, and a note says so).  NULL is fine.
 */
void removal_free(struct removal *r);

/*
 * The arguments an erasure's journal may record: argv[0..argc) with the
 * argument holding where (the client's --where EXPR, a pointer into one of
 * argv's strings, or NULL: nothing is hidden) replaced by "(erased)", what
 * precedes where in it kept ("--where=(erased)").  Returns a new array of
 * argc + 1 pointers (free; the last NULL), each borrowed from argv except
 * *owned, the one new string (free), or NULL.
 */
char **removal_journal_args(const char *where, int argc, char **argv, char **owned);

#endif
