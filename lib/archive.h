/*
 * archive.h - the archive of removed clients (DESIGN section 4, cs-remove):
 * a file that every removed record is appended to, with the columns
 * removed_on, reason, partner and retain_until added, and that only
 * cs-purge rewrites (lib/purge.h), to drop rows whose retention has ended.
 * An archive written before retain_until existed (its columns end with
 * partner) is read and appended to as it is, without it.
 *
 * Used in this order: archive_header builds the archive's columns from the
 * book's, archive_open locks and checks the file before any record is read,
 * archive_append writes a plan's records once every input has been read, and
 * archive_rollback takes that append back if a later step fails, so a run
 * either archived and removed the records or changed nothing.
 *
 * Ownership: archive_header returns a new header (header_free); archive_open
 * a new archive (archive_close).  The path, header and plan given to these
 * functions are borrowed and must outlive the call (the path and header:
 * until archive_close).
 */
#ifndef CS_ARCHIVE_H
#define CS_ARCHIVE_H

#include "date.h"
#include "error.h"
#include "journal.h"
#include "plan.h"
#include "record.h"
#include "util.h"

/*
 * The archive's header: a new copy of h with the columns removed_on, reason,
 * partner and retain_until appended.  NULL with err filled (file = name) when h already
 * has one of them, since filling it in would lose the record's own value.
 */
struct header *archive_header(const struct header *h, const char *name, struct cs_error *err);

struct archive;

/*
 * Open the archive at path (borrowed, for messages too) for appending
 * records with header h (an archive_header; borrowed until archive_close).
 * An existing archive is locked (flock: a second cs-remove on it waits) and
 * checked: it must be a regular file, and when not empty its header must be
 * h, or h without retain_until (an older archive, appended to in its own
 * columns), and a CSV one comma-separated; it keeps its format.  (So an input can
 * never be its own archive: the archive has three more columns.)  A new
 * archive is NDJSON if the name ends in .ndjson, .jsonl or .json, else CSV;
 * it is created only by archive_append, but the directory is checked for
 * write permission now.  An existing archive whose last row is incomplete
 * (a run killed while appending) has that row cut off and kept in
 * PATH.torn, which is reported through warn (may be NULL) with warn_ctx.
 * Returns a new archive or NULL with err filled.
 */
struct archive *archive_open(const char *path, const struct header *h, cs_warn_fn *warn,
                             void *warn_ctx, struct cs_error *err);

/* What archive_append stamps on each row. */
struct archive_stamp {
	struct date today;      /* removed_on */
	struct duration retain; /* retain_until = today + retain; {0}: left empty */
	/*
	 * When not NULL, each row appended is journalled against the archive:
	 * its id and the columns the archive adds (op change, from "").
	 */
	struct journal *journal;
};

/*
 * Append every record of p (borrowed: only read during the call), with
 * removed_on, retain_until (stamp), its reason and partner, then flush and
 * fsync.  The header is written first only when the file is new or empty.
 * A record the archive already holds, identical in every column of the
 * book (what a run killed before it rewrote the book leaves), is not
 * appended again: *already gets how many were left out so.  The archive is
 * read whole for that.  On failure (also when the archive, or p's records
 * in their spool, cannot be read),
 * what was appended is cut off again (a file this call created is removed)
 * and -1 is returned with err filled; else 0.  Call at most once.
 */
int archive_append(struct archive *a, const struct plan *p, const struct archive_stamp *stamp,
                   size_t *already, struct cs_error *err);

/*
 * Take back a successful archive_append: truncate the file to its length
 * before it (remove it if the append created it) and fsync.  Nothing to take
 * back is fine.  Returns 0, or -1 with err (may be NULL) filled.
 */
int archive_rollback(struct archive *a, struct cs_error *err);
/* The book without the records is in place: what archive_append added stays, come what may. */
void archive_keep(struct archive *a);

/* Release the lock and free a.  NULL is fine. */
void archive_close(struct archive *a);

struct idtab;
struct stream_options;

/* What archive_read_ids returns for an archive that does not exist. */
enum { ARCHIVE_NOT_YET = 1 };

/*
 * Read the client ids of the archive at path ("-": standard input;
 * borrowed) into ids, each once (blanks around an id ignored, an empty one
 * skipped): the clients let go on purpose, whose touch-log rows are no
 * mistake (cs-due and cs-report --archive).  The archive is read as
 * cs-remove wrote it, CSV or NDJSON, through stream_open with so (borrowed,
 * may be NULL).  It must have the columns id and removed_on, so that a book
 * given by mistake cannot pass every client for a removed one.  Returns 0;
 * ARCHIVE_NOT_YET when path does not exist (no client removed yet:
 * cs-remove creates it), with ids unchanged; or -1 with err filled
 * (err->file borrows path) when it cannot be read or is not an archive
 * (the ids of the rows before a bad one are kept).
 */
int archive_read_ids(const char *path, const struct stream_options *so, struct idtab *ids,
                     struct cs_error *err);

#endif
