/*
 * file.h - the one place cs writes files, so that no output can ever damage
 * an input or an earlier output.
 *
 * Two ways to write, for two kinds of file:
 *
 *  - Outputs (-o, -i, --plan, --reject, an .ics file): file_output_open
 *    writes to a temporary file beside the target, and only
 *    file_output_commit, called when the run has succeeded, renames it over
 *    the target.  Until then the target is untouched, so a run that fails
 *    or is killed leaves it byte-identical, and `-o book.csv book.csv` works
 *    like `sort -o`: the input is read through the descriptor it was opened
 *    with, and replaced only at the end.  Standard output ("-" or NULL) and
 *    anything that is not a regular file (a terminal, /dev/null, a pipe) are
 *    written directly.
 *
 *  - Files that grow (the archive, the touch log): file_append_open takes an
 *    exclusive lock, so two runs never interleave, and remembers the length;
 *    file_append_write adds bytes and fsyncs, and file_append_rollback cuts
 *    the file back to that length (removes it if this run created it), so a
 *    run either appended all it meant to or nothing.
 *
 * Durability: data is fsynced before a rename, and the directory after it
 * (or after creating a file), so a crash cannot leave a name pointing at
 * empty blocks.
 */
#ifndef CS_FILE_H
#define CS_FILE_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "error.h"
#include "util.h"

/* ---- outputs --------------------------------------------------------------- */

struct file_output;

/*
 * Open the output path: NULL or "-" is standard output; a regular file, or
 * a name that does not exist yet, gets a temporary file beside it (a
 * symbolic link is followed: the file it names is replaced, the link kept);
 * anything else is opened for writing as it is.  The replacement keeps the
 * mode of the file it replaces (a new file: 0666 less the umask).  Returns a
 * new output, or NULL with err filled.  path is borrowed until the output is
 * committed or aborted.
 */
struct file_output *file_output_open(const char *path, struct cs_error *err);
/* Where to write: borrowed, valid until commit or abort. */
FILE *file_output_stream(const struct file_output *o);
/* The name for messages: the path, or "<stdout>". */
const char *file_output_name(const struct file_output *o);
/*
 * How committing o would change the file system: FILE_OUTPUT_DIRECT (written
 * as it goes: standard output, a device, a pipe), FILE_OUTPUT_CREATES (a
 * new file) or FILE_OUTPUT_REPLACES (an existing file, kept until commit).
 */
enum file_output_kind { FILE_OUTPUT_DIRECT, FILE_OUTPUT_CREATES, FILE_OUTPUT_REPLACES };
enum file_output_kind file_output_kind(const struct file_output *o);
/*
 * Finish: flush and check for write errors (a full disk), fsync, rename the
 * temporary file over the target and fsync its directory.  Frees o whatever
 * happens.  Returns 0, or -1 with err filled; the target is then unchanged
 * (except when only the directory sync failed, which the message says).
 */
int file_output_commit(struct file_output *o, struct cs_error *err);
/*
 * What stands or falls with an output: called once o's file is in place
 * (renamed over its target, or written whole when direct), before a
 * signal can stop the run, so that the appends of the same change (the
 * archive of the records a new book no longer holds, the journal's lines)
 * are kept with it, never cut back after it.
 */
typedef void file_landed_fn(void *ctx);
/* file_output_commit, calling landed(ctx) (NULL: nothing) as soon as o is in place. */
int file_output_commit_then(struct file_output *o, file_landed_fn *landed, void *ctx,
                            struct cs_error *err);
/*
 * Give up: remove the temporary file (the target stays as it was); standard
 * output is flushed.  Frees o.  NULL is fine.
 */
void file_output_abort(struct file_output *o);

/*
 * Copy all that was written to from, a stream open for update (a
 * tmpfile(3) spool), to to: from is flushed and read again from its start.
 * Returns 0, or -1 with err filled as "name: write error: ..." when reading
 * from or writing to fails.  Bytes stdio still buffers for to are written
 * (and their errors found) when to is flushed or committed.
 */
int file_copy_stream(FILE *from, FILE *to, const char *name, struct cs_error *err);

/*
 * True when path names an NDJSON file by its extension: .ndjson, .jsonl or
 * .json, in any case.  The format of a file cs creates when nothing else
 * says (a new archive, cs-import --update's --diff); anything else is CSV.
 */
bool file_name_is_ndjson(const char *path);

/* ---- appends ---------------------------------------------------------------- */

/*
 * file_append_check_fn - look at an existing, locked, non-empty file before
 * anything is appended (fd is open for reading; size is its length).
 * Returns FILE_CHECK_CSV (0) when rows may be appended after its header and
 * its rows are CSV records (comma-separated), FILE_CHECK_LINES when they
 * may be and each of its rows is one line (NDJSON), FILE_CHECK_EMPTY (1)
 * when the file is as good as empty (blank lines only: the header must be
 * written first), -1 with err filled to refuse it.
 */
typedef int file_append_check_fn(void *ctx, const char *path, int fd, off_t size,
                                 struct cs_error *err);

enum file_check { FILE_CHECK_CSV = 0, FILE_CHECK_EMPTY = 1, FILE_CHECK_LINES = 2 };

/*
 * The end of the last complete row of the file fd (size bytes long): the
 * offset just past the line feed that ends it (outside quotes, for CSV;
 * csv false: any line feed, as in NDJSON), or 0 when no row is complete.
 * A row is complete only with its line end: cs ends every row it writes
 * with one, so bytes after the last are what an interrupted append left.
 * Reads only the file's last MiB unless that cannot decide (see file.c).
 * Returns the offset, or -1 with err filled (file = name) when reading fails.
 */
off_t file_rows_end(int fd, off_t size, bool csv, const char *name, struct cs_error *err);

struct file_append;

enum file_append_flags {
	FILE_APPEND_CREATE = 1 << 0, /* create the file now when it does not exist */
};

/*
 * Open path for appending and lock it (waiting while another run holds the
 * lock).  An existing file must be a regular file and is handed to check
 * (may be NULL) when not empty.  Then it must end in a complete row
 * (file_rows_end): a torn tail, what an append killed halfway left, is
 * appended to PATH.torn (never overwriting what an earlier repair kept
 * there), cut off, and reported through warn (may be NULL) with warn_ctx,
 * naming the file and the bytes; a file with no complete line at all is
 * refused.  Without FILE_APPEND_CREATE a missing file
 * is created only by the first file_append_write, so a run that appends
 * nothing leaves nothing behind (the directory is checked for write
 * permission now).  what names the file in messages ("the archive").
 * Returns a new handle, or NULL with err filled.  path, what and ctx are
 * borrowed until file_append_close.
 */
struct file_append *file_append_open(const char *path, const char *what, unsigned flags,
                                     file_append_check_fn *check, void *ctx, cs_warn_fn *warn,
                                     void *warn_ctx, struct cs_error *err);
/*
 * Create (if need be) and lock the file now, so that file_append_is_new is
 * final: a file another run created since file_append_open is checked like
 * any existing one.  Call before building rows that depend on it.  Returns
 * 0, or -1 with err filled.
 */
int file_append_ready(struct file_append *a, struct cs_error *err);
/*
 * True while the file is missing or empty (or blank): the header goes
 * first.  Final only after file_append_ready or a write.
 */
bool file_append_is_new(const struct file_append *a);
/*
 * Append p[0..len) (a line end first when the file's last line has none:
 * only a blank one can, by then),
 * in as few write(2) calls as the system allows, then fsync (and fsync the
 * directory of a file this handle created).  On failure what this call
 * wrote is cut off again and -1 is returned with err filled; else 0.  May
 * be called more than once.
 */
int file_append_write(struct file_append *a, const char *p, size_t len, struct cs_error *err);
/*
 * Take back everything this handle appended: truncate to the length the
 * file had when opened (remove it if this handle created it) and fsync.
 * Returns 0, or -1 with err (may be NULL) filled.
 */
int file_append_rollback(struct file_append *a, struct cs_error *err);
/*
 * Keep what a appended: a later rollback does nothing, and a signal no
 * longer cuts it back (call it from a file_landed_fn).  NULL is fine.
 */
void file_append_keep(struct file_append *a);
/* Release the lock and free a.  NULL is fine. */
void file_append_close(struct file_append *a);

#endif
