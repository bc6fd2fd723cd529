/*
 * due_driver.h - one run of cs-due over the library, in the mode its options
 * chose: the due list (text, CSV, NDJSON, iCalendar or a workbook,
 * optionally planned into weeks), --merge of lists made from shards, --mail
 * of each person's list, or --client's page.
 *
 * cmd/cs-due.c parses and checks the options, opens the model and hands the
 * rest here, as cs-tier hands its inputs to lib/filter: like filter, this
 * is tool support (layer 6), so it prints its errors and warnings as
 * "prog: file:row: msg" and returns an exit status (cli.h).  What it does,
 * in order: open the output, read the touch logs (a log that does not exist
 * yet is an empty one, with a note) and the archives of removed clients,
 * then for the list read every book into a due list (lib/due), spilling
 * sorted runs past the memory budget (lib/due_runs), warn about log rows
 * of clients no book or archive has, and write the list (lib/due_render)
 * or mail it (lib/due_mail).
 */
#ifndef CS_DUE_DRIVER_H
#define CS_DUE_DRIVER_H

#include <stdbool.h>
#include <stddef.h>

#include "cadence.h"
#include "cli.h"
#include "date.h"
#include "due.h"
#include "due_render.h"
#include "model.h"

enum due_mode {
	DUE_MODE_LIST,   /* the books' due list, in format */
	DUE_MODE_MERGE,  /* the operands are lists cs-due wrote: merge them */
	DUE_MODE_MAIL,   /* each person their list, by mail (or to the output with dry_run) */
	DUE_MODE_CLIENT, /* one client's page */
};

/*
 * struct due_driver_options - a checked run; everything is borrowed for
 * the call.  The options cs-due refuses together (cmd/cs-due.c) must not
 * come here together: --merge has no logs, filter, shard or budget, --mail
 * writes text, --client text or JSON.
 */
struct due_driver_options {
	const char *prog;
	enum due_mode mode;
	const struct cli_common *common; /* -o, --shard, --sheet, --excel-safe */
	char *const *paths;              /* the books (with --merge: the lists); none: stdin */
	size_t npaths;
	const char *const *logs; /* --log, each */
	size_t nlogs;
	const char *const *archives; /* --archive (else $CS_ARCHIVE), each: removed clients */
	size_t narchives;
	const struct model *model;
	struct date today;
	struct cadence_window window;
	struct due_filter filter;
	enum due_format format;
	const char *client;   /* DUE_MODE_CLIENT: the id, email or name */
	bool dry_run;         /* DUE_MODE_MAIL: write the messages, do not send them */
	int plan_weeks;       /* --plan WEEKS; 0: no plan */
	int plan_days;        /* with it: working days a week, 1 to 7 */
	size_t memory;        /* -c, -j: the budget in bytes past which runs spill; 0: none */
	bool sorted_by_owner; /* -c, -j: the books are in owner order; hold one owner's items */
	bool strict;          /* any warning fails the run (exit 1) */
};

/*
 * The window of a plan of weeks weeks (cs-due --plan): from today to the
 * Sunday of the last week, the week of today being the first.
 */
struct cadence_window due_plan_window(struct date today, int weeks);

/*
 * Parse a memory budget (cs-due --memory): a whole number of bytes, or of
 * kibibytes, mebibytes or gibibytes with K, M or G after it ("65536K",
 * "256M", "1G"), or "unlimited" (0: no budget).  Returns 0 with *bytes
 * set, or -1 (*bytes unchanged) for anything else, 0 and a size past
 * SIZE_MAX among them.
 */
int due_budget_parse(const char *s, size_t *bytes);

/*
 * Run o and return its exit status (enum cli_status): CLI_DATA when a
 * book, log or list could not be read, a list could not be written or
 * mailed to everyone, or (strict) anything was warned about.  The output
 * (-o) is replaced only on CLI_OK; a failed run still shows its list on
 * standard output.  CLI_USAGE, before anything is read, when a tier or
 * touch of the filter is not the model's (a typo would list nothing).
 */
int due_driver_run(const struct due_driver_options *o);

#endif
