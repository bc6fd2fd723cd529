/*
 * import_driver.h - cs-import's three runs, from the tool's options to an
 * exit status: --raw (a filter_run that converts between the encodings),
 * the full import of the inputs into a new book, and --update of a book
 * from the next export.
 *
 * A run opens its outputs (the book, --reject, --diff) through file_output,
 * so none replaces its target unless the run succeeds; it leaves out the
 * records on the suppression list and counts them, journals what the book
 * gets, prints the totals (--dedupe's merges, --update's summary line,
 * --review) to standard error, and commits the journal with the book
 * (filter_commit).  Errors are printed as "prog: file:row: msg".
 */
#ifndef CS_IMPORT_DRIVER_H
#define CS_IMPORT_DRIVER_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"
#include "import.h"
#include "import_update.h"
#include "journal.h"
#include "suppress.h"

struct import_driver {
	const char *prog;
	char *const *paths; /* the inputs (the exports); none: standard input */
	size_t npaths;
	/*
	 * How to read, as the tool's options say; the driver sets today
	 * and sheet (from common), reject, reject_name and the callbacks (cli_warn to
	 * warnings).
	 */
	struct import_options import;
	/*
	 * -o (with -i, the book), -c and -j (STREAM_AUTO: the input's format;
	 * --update: the book's), --excel-safe, --today (borrowed)
	 */
	const struct cli_common *common;
	const char *reject; /* --reject FILE, or NULL */
	bool show_mapping;  /* print how each column is read instead of the book */
	bool strict;        /* any warning fails the run */
	struct cli_warnings *warnings;
	struct journal *journal;          /* NULL: none */
	struct suppress_list *suppressed; /* --suppress's list, or NULL */
	const char *suppress;             /* its path, for the count's message */
	/*
	 * --update: book, take, takes, keeps, gone and archives as the tool
	 * read them; the driver sets the rest.
	 */
	struct update_options update;
	const char *diff; /* --diff FILE ("-": standard output), or NULL */
	bool dry_run;     /* -n: write only the diff */
};

/*
 * --raw: every input converted to -o's format (-c, -j) with every value as
 * it is (filter_run); of the import options only delimiter, lenient and
 * encoding are read.  Returns the exit status.
 */
int import_driver_raw(const struct import_driver *d);

/*
 * The full import of d->paths to -o (or, with show_mapping, how
 * each column is read).  A --map that names no column of any input is
 * fatal: it exits 2 with nothing written.  Returns the exit status.
 */
int import_driver_full(const struct import_driver *d);

/*
 * cs-import --update d->update.book: the import of d->paths applied to the
 * book (import_update.h), the book written to -o unless dry_run,
 * the diff to d->diff (with dry_run and no --diff, to standard output).
 * A bad --map exits 2 as import_driver_full's does.  Returns the exit status.
 */
int import_driver_update(const struct import_driver *d);

#endif
