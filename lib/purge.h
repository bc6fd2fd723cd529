/*
 * purge.h - rewrite the archive or the touch log without the rows whose
 * time is up (cs-purge), or without an erased client's rows (cs-remove
 * --erase).
 *
 * The rules, one place for both tools and the tests:
 *  - an archive row is purged when today is after its retain_until; a row
 *    without one (an older archive, or a model that gave no retention when
 *    it was archived) counts from removed_on + the model's
 *    retention.archive, and is kept when the model gives none;
 *  - a touch-log row is purged when its date is before today - the model's
 *    retention.log, and kept when the model gives none;
 *  - a row whose date cannot be read is kept, with a warning: nothing is
 *    deleted on a guess.
 *
 * A purge is prepared (the file read, the rows kept written to a temporary
 * file beside it, which locks it: file.h) and committed by the caller when
 * every other step is ready, so the journal's lines can be committed first.
 */
#ifndef CS_PURGE_H
#define CS_PURGE_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "error.h"
#include "file.h"
#include "journal.h"
#include "strtab.h"

/* The archive rule: true when a row retained until until is past it today. */
bool purge_expired(struct date until, struct date today);
/* The log rule: the first date kept (today - retain); a row dated before it is purged. */
struct date purge_log_cutoff(struct date today, struct duration retain);

enum purge_what {
	PURGE_ARCHIVE, /* by retain_until, else removed_on + retain */
	PURGE_LOG,     /* by date, before today - retain */
	PURGE_IDS      /* every row whose id is in ids (an erasure) */
};

struct purge_options {
	enum purge_what what;
	struct date today;
	struct duration retain;   /* {0}: none */
	const struct strtab *ids; /* PURGE_IDS (borrowed) */
	bool dry_run;             /* count only: nothing is opened for writing */
	/* Each row purged, journalled as op purge (not for PURGE_IDS); may be NULL. */
	struct journal *journal;
	cs_warn_fn *warn; /* a row kept because its date cannot be read */
	void *warn_ctx;
};

struct purge {
	long rows;   /* rows read */
	long purged; /* rows left out */
	/* The file without them, to commit (cli_output_finish); NULL when dry or nothing purged. */
	struct file_output *out;
};

/*
 * Read the file at path (a cs stream: CSV or NDJSON, kept in its format)
 * and prepare it without the rows o purges: p->out, open, when any is (the
 * caller commits or aborts it).  A file that does not exist is an error.
 * Returns 0, or -1 with err filled (nothing is left open).
 */
int purge_prepare(const char *path, const struct purge_options *o, struct purge *p,
                  struct cs_error *err);

#endif
