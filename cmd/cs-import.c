/*
 * cs-import - any client spreadsheet in, the canonical stream out.
 *
 * The full import (lib/import) maps headers, normalises values, gives ids
 * and finds duplicates; --update applies it to a book (lib/import_update);
 * lib/import_driver runs both.  With --raw it only converts between the
 * encodings (CSV and NDJSON), with no mapping: every value is carried byte
 * for byte (lib/filter).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "error.h"
#include "import_driver.h"
#include "input.h"
#include "record.h"
#include "stream.h"
#include "suppress.h"

static const char prog[] = "cs-import";

struct options {
	struct cli_common common; /* no -m; format STREAM_AUTO: the input's */
	/* The runs' options, read into the driver's (and the importer's) as they are given. */
	struct import_driver run;
	bool raw;
	bool full_only; /* an option --raw does not take was given */
	/* Repeatable options, handed to run once read. */
	struct strlist maps, keeps, takes, archives;
	bool in_place;
	const char *update_only; /* an option that needs --update, for the message */
};

/* Numbered so that every option from OPT_MAP on is one --raw does not take. */
enum {
	OPT_RAW = CLI_OPT_OWN,
	OPT_LENIENT,
	OPT_STRICT,
	OPT_ENCODING,
	OPT_MAP,
	OPT_SHOW_MAPPING,
	OPT_DATE_ORDER,
	OPT_DECIMAL_COMMA,
	OPT_DECIMAL_POINT,
	OPT_DEDUPE,
	OPT_REVIEW,
	OPT_REJECT,
	OPT_SUPPRESS,
	OPT_UPDATE,
	OPT_KEEP,
	OPT_TAKE,
	OPT_GONE,
	OPT_ARCHIVE,
	OPT_DIFF,
};

static const struct cli_opt option_table[] = {
    CLI_COMMON_CSV(CLI_HELP_CSV),
    CLI_COMMON_JSON(CLI_HELP_JSON),
    CLI_COMMON_EXCEL,
    {OPT_RAW, "raw", NULL, "only convert CSV <-> NDJSON: no mapping, bytes kept"},
    {'d', "delimiter", "C", "read CSV with delimiter C (, ; | or 'tab'); default: detect"},
    {OPT_ENCODING, "encoding", "ENC",
     "read ENC (utf8, cp1252, latin1, utf16); default: UTF-8,\n"
     "or Windows-1252 when the bytes are not UTF-8 (not --raw)"},
    {OPT_MAP, "map", "H=FIELD", "read column H as FIELD (H= keeps it as it is); repeatable"},
    {OPT_SHOW_MAPPING, "show-mapping", NULL, "print how each column is read, and exit"},
    {OPT_DATE_ORDER, "date-order", "O",
     "read dates like 3/4/2024 as mdy, dmy or ymd;\n"
     "default: per column, from its values"},
    {OPT_DECIMAL_COMMA, "decimal-comma", NULL, "read 1.234,56 style numbers (default for ;-files)"},
    {OPT_DECIMAL_POINT, "decimal-point", NULL, "read 1,234.56 style numbers (default otherwise)"},
    {OPT_DEDUPE, "dedupe", NULL, "merge duplicates (same email, or name and phone)"},
    {OPT_REVIEW, "review", NULL, "print a summary for the person cleaning the list"},
    {OPT_REJECT, "reject", "FILE", "write rows that cannot be imported to FILE"},
    {OPT_SUPPRESS, "suppress", "LIST",
     "leave out (and count) rows whose email or phone is on\n"
     "the suppression LIST (cs-remove --erase)"},
    CLI_COMMON_SHEET,
    {OPT_LENIENT, "lenient", NULL, "drop extra fields of long rows with a warning"},
    {OPT_STRICT, "strict", NULL, "treat warnings as errors (exit 1)"},
    /* --update: cs-import(1) UPDATING. */
    {OPT_UPDATE, "update", "BOOK", "update BOOK from the export: match, take, add, report"},
    {'i', "in-place", NULL, "with --update: rewrite BOOK (atomically)"},
    {OPT_TAKE, "take", "[F=]RULE",
     "take the export's value always, if-not-empty (default)\n"
     "or if-book-empty; F=: for field F only; repeatable"},
    {OPT_KEEP, "keep", "COL,...", "the book's values of COL win, as tier and owner do"},
    {OPT_GONE, "gone", "HOW",
     "book records not in the export: keep (default), or mark\n"
     "them with gone_since"},
    {OPT_ARCHIVE, "archive", "FILE", "never re-add a client archived in FILE; repeatable"},
    {OPT_DIFF, "diff", "FILE", "write what changed (id,field,old,new,action) to FILE"},
    {'n', "dry-run", NULL, "write only the diff (to --diff FILE or standard output)"},
    CLI_COMMON_TODAY("today's date (default: $CS_TODAY or the clock)"),
    CLI_COMMON_OUTPUT(CLI_HELP_OUTPUT),
    CLI_COMMON_JOURNAL,
    CLI_COMMON_HELP_VERSION,
    {0},
};

static void
usage(FILE *f)
{
	fprintf(f,
	        "usage: %s [-cj] [--raw] [-d DELIM] [--encoding ENC] [--map HEADER=FIELD]\n"
	        "                 [--show-mapping] [--date-order ORDER] [--decimal-comma | "
	        "--decimal-point]\n"
	        "                 [--dedupe] [--review] [--reject FILE] [--suppress LIST]\n"
	        "                 [--lenient] [--strict] [--today DATE] [--journal FILE]\n"
	        "                 [-o FILE] [FILE ...]\n"
	        "       %s --update BOOK [-in] [--take [FIELD=]RULE] [--keep COL,...]\n"
	        "                 [--gone keep|mark] [--archive FILE] [--diff FILE]\n"
	        "                 [import options] [-o FILE] [EXPORT ...]\n",
	        prog, prog);
	if (f != stdout)
		return;
	fputs("\nTurn client spreadsheets (CSV, NDJSON, vCard) into the canonical stream.\n\n", f);
	cli_print_help(f, option_table, 23);
}

static int
parse_delimiter(const char *s)
{
	if (strcmp(s, "tab") == 0 || strcmp(s, "\\t") == 0)
		return '\t';
	if (strlen(s) == 1 && strchr(",;|\t", s[0]))
		return s[0];
	cli_die(prog, CLI_USAGE, "delimiter \"%s\" is not one of , ; | tab", s);
}

static int
parse_date_order(const char *s)
{
	if (ascii_casecmp_eq(s, "mdy"))
		return DATE_ORDER_MDY;
	if (ascii_casecmp_eq(s, "dmy"))
		return DATE_ORDER_DMY;
	if (ascii_casecmp_eq(s, "ymd"))
		return DATE_ORDER_YMD;
	cli_die(prog, CLI_USAGE, "date order \"%s\" is not one of mdy, dmy, ymd", s);
}

/* Take an option of --update: false if c is none. */
static bool
update_option(int c, struct options *o)
{
	const char *field;
	size_t flen;
	enum update_take rule;
	switch (c) {
	case OPT_UPDATE:
		o->run.update.book = optarg;
		return true;
	case 'i':
		o->in_place = true;
		o->update_only = "-i";
		return true;
	case 'n':
		o->run.dry_run = true;
		o->update_only = "-n";
		return true;
	case OPT_KEEP:
		strlist_add(&o->keeps, optarg);
		o->update_only = "--keep";
		return true;
	case OPT_TAKE:
		if (update_parse_take(optarg, &field, &flen, &rule) < 0)
			cli_die(prog, CLI_USAGE,
			        "--take \"%s\": not RULE or FIELD=RULE, with RULE one of always, "
			        "if-not-empty, if-book-empty",
			        optarg);
		if (field) /* a rule for one field: import_update reads it again */
			strlist_add(&o->takes, optarg);
		else
			o->run.update.take = rule;
		o->update_only = "--take";
		return true;
	case OPT_GONE:
		if (strcmp(optarg, "keep") == 0)
			o->run.update.gone = UPDATE_GONE_KEEP;
		else if (strcmp(optarg, "mark") == 0)
			o->run.update.gone = UPDATE_GONE_MARK;
		else
			cli_die(prog, CLI_USAGE, "--gone \"%s\": not keep or mark", optarg);
		o->update_only = "--gone";
		return true;
	case OPT_ARCHIVE:
		strlist_add(&o->archives, optarg);
		o->update_only = "--archive";
		return true;
	case OPT_DIFF:
		o->run.diff = optarg;
		o->update_only = "--diff";
		return true;
	}
	return false;
}

/* The combinations --update refuses. */
static void
check_update(struct options *o)
{
	const struct import_driver *r = &o->run;
	if (!r->update.book) {
		if (o->update_only)
			cli_die(prog, CLI_USAGE, "%s: only with --update BOOK", o->update_only);
		return;
	}
	if (r->show_mapping)
		cli_die(prog, CLI_USAGE,
		        "--show-mapping: run it without --update to see how the export is read");
	if (o->in_place && o->common.output)
		cli_die(prog, CLI_USAGE, "-i rewrites BOOK: it takes no -o");
	if (r->dry_run && (o->in_place || o->common.output))
		cli_die(prog, CLI_USAGE, "-n writes only the diff: it takes no -i or -o");
	bool diff_stdout = r->diff && strcmp(r->diff, "-") == 0;
	if (diff_stdout && !r->dry_run && !o->in_place &&
	    (!o->common.output || strcmp(o->common.output, "-") == 0))
		cli_die(prog, CLI_USAGE,
		        "--diff -: the book goes to standard output too (use -n, -o or -i)");
	if (o->in_place)
		o->common.output = r->update.book;
}

static void
parse_options(int argc, char **argv, struct options *o)
{
	o->run.import.date_order = o->run.import.decimal_comma = -1;
	int c;
	while ((c = cli_getopt(argc, argv, option_table)) != -1) {
		/* --today too: --raw reads no dates. */
		if (c >= OPT_MAP || c == CLI_OPT_TODAY)
			o->full_only = true;
		switch (c) {
		case OPT_RAW:
			o->raw = true;
			break;
		case 'd':
			o->run.import.delimiter = parse_delimiter(optarg);
			break;
		case OPT_LENIENT:
			o->run.import.lenient = true;
			break;
		case OPT_STRICT:
			o->run.strict = true;
			break;
		case OPT_ENCODING:
			if (!input_encoding_known(optarg))
				cli_die(prog, CLI_USAGE,
				        "--encoding \"%s\": not an encoding this system knows",
				        optarg);
			o->run.import.encoding = optarg;
			break;
		case OPT_MAP:
			strlist_add(&o->maps, optarg);
			break;
		case OPT_SHOW_MAPPING:
			o->run.show_mapping = true;
			break;
		case OPT_DATE_ORDER:
			o->run.import.date_order = parse_date_order(optarg);
			break;
		case OPT_DECIMAL_COMMA:
			o->run.import.decimal_comma = 1;
			break;
		case OPT_DECIMAL_POINT:
			o->run.import.decimal_comma = 0;
			break;
		case OPT_DEDUPE:
			o->run.import.dedupe = true;
			break;
		case OPT_REVIEW:
			o->run.import.review = true;
			break;
		case OPT_REJECT:
			o->run.reject = optarg;
			break;
		case OPT_SUPPRESS:
			o->run.suppress = optarg;
			break;
		default:
			if (update_option(c, o))
				break;
			cli_common_option(c, &o->common, prog, usage);
		}
	}
	if (o->raw && o->full_only)
		cli_die(prog, CLI_USAGE, "--raw converts only: it takes no mapping options");
	check_update(o);
}

int
main(int argc, char **argv)
{
	cli_std_fds();
	argv[0] = (char *)prog; /* getopt's messages name the tool, not its path */
	struct options o = {0};
	parse_options(argc, argv, &o);
	struct import_driver *r = &o.run;
	struct cli_paths paths = {0};
	/* With --update the book is the input -o and -i may replace; an export is not. */
	cli_paths_add_all(&paths, argv + optind, (size_t)(argc - optind),
	                  r->update.book ? CLI_IN_OTHER : CLI_IN_BOOK);
	cli_paths_add(&paths, r->update.book, "--update", CLI_IN_BOOK);
	for (size_t i = 0; i < o.archives.n; i++)
		cli_paths_add(&paths, o.archives.v[i], "--archive", CLI_IN_OTHER);
	cli_paths_add(&paths, o.common.output, o.in_place ? "-i" : "-o", CLI_OUT_BOOK);
	cli_paths_add(&paths, r->reject, "--reject", CLI_OUT_OTHER);
	cli_paths_add(&paths, r->diff, "--diff", CLI_OUT_OTHER);
	cli_paths_add(&paths, r->suppress, "--suppress", CLI_IN_OTHER);
	cli_paths_add(&paths, cli_journal_path(&o.common), "--journal", CLI_OUT_OTHER);
	cli_paths_check(prog, &paths);
	struct suppress_key *key = NULL;
	if (r->suppress) {
		struct cs_error err;
		if (!(key = suppress_key_load(&err)) ||
		    !(r->suppressed = suppress_load(r->suppress, key, &err))) {
			cs_error_print(prog, &err, false);
			suppress_key_free(key);
			return CLI_USAGE;
		}
	}
	/* Nothing is written by a dry run or --show-mapping: nothing to journal. */
	if (!r->dry_run && !r->show_mapping)
		r->journal = cli_journal_open(prog, &o.common, argc, argv, NULL);
	if (r->journal && !r->update.book)
		journal_file(r->journal, o.common.output ? o.common.output : "-");
	struct cli_warnings cw = {.prog = prog};
	r->prog = prog;
	r->paths = argv + optind;
	r->npaths = (size_t)(argc - optind);
	r->common = &o.common;
	r->warnings = &cw;
	r->import.maps = o.maps.v;
	r->import.nmaps = o.maps.n;
	r->update.takes = o.takes.v;
	r->update.ntakes = o.takes.n;
	r->update.keeps = o.keeps.v;
	r->update.nkeeps = o.keeps.n;
	r->update.archives = o.archives.v;
	r->update.narchives = o.archives.n;
	int status = o.raw            ? import_driver_raw(r)
	             : r->update.book ? import_driver_update(r)
	                              : import_driver_full(r);
	strlist_free(&o.maps);
	strlist_free(&o.keeps);
	strlist_free(&o.takes);
	strlist_free(&o.archives);
	journal_close(r->journal);
	suppress_free(r->suppressed);
	suppress_key_free(key);
	return status;
}
