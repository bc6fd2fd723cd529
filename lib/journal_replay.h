/*
 * journal_replay.h - rebuild a book as it was on a date, from the book as
 * it is and its journal (journal.h): cs-journal replay.
 */
#ifndef CS_JOURNAL_REPLAY_H
#define CS_JOURNAL_REPLAY_H

#include <stdio.h>

#include "error.h"
#include "stream.h"

struct journal_replay_options {
	const char *file;         /* the book as the journal names it: an absolute path */
	const char *as_of;        /* YYYY-MM-DD (the end of that day) or a journal time */
	enum stream_format format; /* STREAM_AUTO: the book's */
	const char *journal_name; /* for warnings */
	const char *output_name;  /* for errors; NULL: standard output */
	cs_warn_fn *warn;         /* a change that cannot be undone cleanly; may be NULL */
	void *warn_ctx;
};

/*
 * Read book whole, undo every line of journal about o->file later than
 * o->as_of (the last run first), and write the book that results to out.
 * Returns the number of lines undone, or -1 with err filled.
 */
long journal_replay(struct stream *journal, struct stream *book,
                    const struct journal_replay_options *o, FILE *out, struct cs_error *err);

#endif
