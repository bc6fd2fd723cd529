/*
 * filter.h - the one driver for tools that read books and write a book:
 * cs-import --raw, cs-tier, cs-log --apply (and cs-remove's reading).
 *
 * A filter reads every input in turn and hands each record to the tool,
 * which changes it in place and says whether to write it.  Where the records
 * go:
 *
 *  - without -i, every input to one output (-o FILE or standard output),
 *    with the first input's columns; an input whose columns differ from the
 *    first input's is skipped with a message naming it (exit 1) - the one
 *    header rule of every tool, documented in cs(1);
 *  - with -i, each input rewritten in place, with its own columns.
 *
 * Every file output goes through file_output (file.h): it replaces its
 * target only when the run has succeeded, so a bad input, a full disk or a
 * kill leaves an existing file byte-identical, and `-o book.csv book.csv`
 * works like `sort -o`.
 */
#ifndef CS_FILTER_H
#define CS_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"
#include "journal.h"
#include "record.h"
#include "stream.h"

struct filter_ops {
	/*
	 * An input opened (its header is stream_header(in)): fill *out with a
	 * new header of the columns to write (the filter frees it; filter_read
	 * ignores it).  Called for the first input, and for each input with -i.
	 * Returns a cli_status: CLI_USAGE (reported by the callback) stops the
	 * whole run, CLI_DATA skips this input.
	 */
	int (*start)(void *ctx, const struct stream *in, struct header **out);
	/*
	 * One record of the input named name, to change in place (it may be
	 * given fields up to the output header's width).  *write comes in true;
	 * set it false to leave the record out.  Returns 0, or -1 when it
	 * reported an error about the record (the run goes on and exits 1).
	 * It changes fields only with record_set and record_resize, which keep
	 * the bytes read: the journal finds the old values there.
	 */
	int (*record)(void *ctx, struct record *rec, const char *name, bool *write);
};

struct filter_options {
	const char *prog;
	char *const *paths; /* the inputs; none: standard input */
	size_t npaths;
	const char *output;        /* -o FILE; NULL or "-": standard output */
	bool in_place;             /* -i: rewrite each input */
	enum stream_format format; /* STREAM_AUTO: the (first) input's */
	unsigned writer_flags;     /* writer_new's: STREAM_RAW */
	/* How to read; its warn and warn_ctx are set to cli_warn and warnings. */
	struct stream_options stream;
	struct cli_warnings *warnings; /* counted, for strict */
	bool strict;                   /* any warning fails the run (and its output) */
	/*
	 * When set, every field a callback changes, every record it leaves out
	 * and every column the output adds is journalled against the output
	 * (journal.h), committed just before the output and taken back if the
	 * output does not land.
	 */
	struct journal *journal;
	/* Their cause (journal_cause; borrowed); NULL: none, or the callbacks set it. */
	const char *cause;
	/*
	 * The only output columns the record callback changes (names, NULL
	 * last; borrowed), so the journal notes and compares those fields
	 * alone; NULL: it may change any.
	 */
	const char *const *changes;
};

/*
 * Run the filter.  Errors are printed as "prog: file:row: msg".  Returns the
 * worst cli_status of the run; an output file is replaced only when it is
 * CLI_OK.
 */
int filter_run(const struct filter_options *o, const struct filter_ops *ops, void *ctx);

/*
 * End a run's book output with its journal (NULL: none): when status is
 * CLI_OK, commit the journal, then the output (cli_output_finish), then
 * keep the journal's lines if the output landed, or take them back if it
 * did not.  For a tool that writes its book without filter_run (cs-import).
 * Returns status, made CLI_DATA by a failure (printed as "prog: ...").
 */
int filter_commit(const char *prog, struct file_output *out, struct journal *j, int status);

/*
 * Read every input through ops and write nothing: for a tool that writes
 * only once every input has been read (cs-remove), so it stops at the first
 * input that fails (one that cannot be read, or whose columns differ from
 * the first input's).  o->output, in_place and format are not used.
 * Returns the worst cli_status.
 */
int filter_read(const struct filter_options *o, const struct filter_ops *ops, void *ctx);

#endif
