/*
 * remove_driver.h - one run of cs-remove over the library: judge each
 * record of the inputs by the model's removal rules or --where (lib/plan),
 * hand it to the removal (lib/removal), which holds the kept records back
 * until every input is read and then commits the archive, the journal and
 * the book in the order that loses nothing, and write the transition plan
 * (lib/plan_render) last, once the records are safe.  A dry run writes the
 * table of who would go instead.
 *
 * cmd/cs-remove.c parses and checks the options and opens the journal; the
 * rest is here.  Like lib/filter this is tool support (layer 6): it prints
 * its errors as "prog: file:row: msg" and returns an exit status (cli.h).
 */
#ifndef CS_REMOVE_DRIVER_H
#define CS_REMOVE_DRIVER_H

#include <stdbool.h>

#include "cli.h"
#include "journal.h"

/*
 * struct remove_options - a checked run (cmd/cs-remove.c refuses the
 * combinations that do not go together); everything is borrowed.
 */
struct remove_options {
	const char *prog;
	struct cli_common common; /* format STREAM_AUTO: the input's (dry run: text) */
	const char *where;        /* --where EXPR, instead of the model's rules */
	const char *reason;       /* --reason TEXT (default: EXPR) */
	const char *archive;      /* --archive FILE */
	const char *plan;         /* --plan FILE */
	bool plan_csv;            /* --plan-format csv */
	const char *in_place;     /* -i FILE */
	bool dry_run;             /* -n */
	bool force;               /* --force: tier_locked A clients too */
	bool has_limit;           /* --limit N */
	unsigned long limit;
	bool erase;           /* --erase: suppress and tombstone, archive nothing */
	const char *log;      /* --erase: the touch log to rewrite */
	const char *suppress; /* --erase: the suppression list */
	char **inputs;        /* none: standard input */
	int ninputs;
};

/*
 * Run the removal o describes, journalling to journal (NULL: none; a dry
 * run takes none).  Returns the exit status: CLI_OK, CLI_DATA (bad input,
 * over --limit, a failed write: nothing that was there is changed) or
 * CLI_USAGE (the model, its script or --where).
 */
int remove_run(const struct remove_options *o, struct journal *journal);

#endif
