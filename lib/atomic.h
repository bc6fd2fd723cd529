/*
 * atomic.h - rewrite a file so that readers see the old bytes or the new
 * ones, never a half-written mix, and a failure leaves the original intact.
 *
 *	struct atomic_file *af = atomic_open("book.csv", &err);
 *	... write to atomic_stream(af) ...
 *	if (ok) rc = atomic_commit(af, &err); else atomic_abort(af);
 *
 * The new contents go to a temporary file in the same directory (so the
 * final rename(2) stays within one file system and is atomic), created with
 * mkstemp(3) and given the original's permission bits.  atomic_commit
 * flushes and fsyncs it, renames it over the original and fsyncs the
 * directory, so the change survives a crash.  A path that is a symbolic link
 * is resolved first: the file it points to is replaced, the link kept.
 */
#ifndef CS_ATOMIC_H
#define CS_ATOMIC_H

#include <stdio.h>

#include "util.h"

struct atomic_file;

/*
 * Start rewriting path, which must be a regular file or not exist (it is
 * created then, with the permissions a new file would get).  Returns a new
 * handle, finished by exactly one of atomic_commit or atomic_abort; or NULL
 * with err filled (err->file = path, which is borrowed).
 */
struct atomic_file *atomic_open(const char *path, struct cs_error *err);

/* The stream to write the new contents to.  Borrowed: do not fclose it. */
FILE *atomic_stream(struct atomic_file *af);

/*
 * Flush, fsync and close the temporary file, rename it over the original and
 * fsync the directory.  On any failure before the rename the temporary file
 * is removed and the original is left as it was.  Frees af either way.
 * Returns 0, or -1 with err filled (a full disk, a read-only directory...).
 */
int atomic_commit(struct atomic_file *af, struct cs_error *err);

/* Throw the new contents away: close and remove the temporary file, free af.  NULL is fine. */
void atomic_abort(struct atomic_file *af);

#endif
