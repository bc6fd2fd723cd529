/*
 * spool.h - records set aside to be read back later, in memory while they
 * are few, in a nameless temporary file once they are not: memory stays
 * bounded however many are set aside (cs-remove's removed records, which
 * the archive and the transition plan read once the whole book is read).
 *
 * A record is put once and read back by the position spool_put gave it,
 * as often and in any order (reading on in order is the fast way).  The
 * records go to memory until they would take more than the budget; then
 * those held are written to a temporary file in TMPDIR (util.h's
 * tmp_nameless: nothing is left behind however the process ends), and so
 * on each time the budget fills again.  The last budget's worth stays in
 * memory.
 *
 * Ownership: spool_new returns a new spool (spool_free), which owns its
 * memory and its file.  Records given and filled are the caller's.
 */
#ifndef CS_SPOOL_H
#define CS_SPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "record.h"

struct spool;

/* The default budget: the bytes of records held in memory before a file is used. */
enum { SPOOL_BUDGET = 1 << 20 };

/*
 * A new empty spool holding up to budget bytes of records in memory (0:
 * every record goes to the file).  what (borrowed until spool_free) names
 * the records in messages: "the removed records".
 */
struct spool *spool_new(size_t budget, const char *what);

/*
 * Set rec aside (copied: its fields, their count and its row); *at gets
 * its position.  Returns 0, or -1 with err filled: the temporary file
 * could not be created or written (a missing TMPDIR, a full disk), or a
 * field is 4 GiB or more.  After a failure the spool takes nothing more:
 * every later spool_put fails with the same message.
 */
int spool_put(struct spool *s, const struct record *rec, uint64_t *at, struct cs_error *err);

/*
 * Make rec (the caller's, record_init'ed) a copy of the record spool_put
 * placed at at, row included.  The spool is read, not changed (it keeps a
 * window of the file to read on from, hence not const).  Returns 0, or -1
 * with err filled: the temporary file could not be read back.
 */
int spool_get(struct spool *s, uint64_t at, struct record *rec, struct cs_error *err);

/* True once the records have gone to a temporary file. */
bool spool_on_disk(const struct spool *s);

/* Free s and close its file (which disappears).  NULL is fine. */
void spool_free(struct spool *s);

#endif
