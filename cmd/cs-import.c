/*
 * cs-import - any client spreadsheet in, the canonical stream out.
 *
 * The full import (lib/import) maps headers, normalises values, gives ids
 * and finds duplicates.  With --raw it only converts between the encodings
 * (CSV and NDJSON), with no mapping: every value is carried byte for byte.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "error.h"
#include "filter.h"
#include "import.h"
#include "import_update.h"
#include "input.h"
#include "record.h"
#include "stream.h"
#include "suppress.h"
#include "writer.h"

static const char prog[] = "cs-import";

struct options {
	struct cli_common common; /* no -m; format STREAM_AUTO: the input's */
	bool raw;
	int delimiter;
	bool lenient;
	bool strict;
	const char *encoding;
	/* The full import only. */
	struct strlist maps; /* --map, repeatable */
	bool show_mapping;
	int date_order;    /* -1: from the values */
	int decimal_comma; /* -1: from the delimiter */
	bool dedupe;
	bool review;
	const char *reject;
	bool full_only; /* an option --raw does not take was given */
	/* --update only. */
	const char *update; /* the book */
	bool in_place, dry_run;
	struct strlist keeps, takes, archives;
	enum update_take take;
	enum update_gone gone;
	const char *diff;
	const char *update_only; /* an option that needs --update, for the message */
	const char *suppress;    /* --suppress LIST */
	/* Set up by main: the journal and the suppression list (NULL: none). */
	struct journal *journal;
	struct suppress_list *suppressed;
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
    {OPT_GONE, "gone", "HOW", "book records not in the export: keep (default), or mark\n"
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
		o->update = optarg;
		return true;
	case 'i':
		o->in_place = true;
		o->update_only = "-i";
		return true;
	case 'n':
		o->dry_run = true;
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
			o->take = rule;
		o->update_only = "--take";
		return true;
	case OPT_GONE:
		if (strcmp(optarg, "keep") == 0)
			o->gone = UPDATE_GONE_KEEP;
		else if (strcmp(optarg, "mark") == 0)
			o->gone = UPDATE_GONE_MARK;
		else
			cli_die(prog, CLI_USAGE, "--gone \"%s\": not keep or mark", optarg);
		o->update_only = "--gone";
		return true;
	case OPT_ARCHIVE:
		strlist_add(&o->archives, optarg);
		o->update_only = "--archive";
		return true;
	case OPT_DIFF:
		o->diff = optarg;
		o->update_only = "--diff";
		return true;
	}
	return false;
}

/* The combinations --update refuses. */
static void
check_update(struct options *o)
{
	if (!o->update) {
		if (o->update_only)
			cli_die(prog, CLI_USAGE, "%s: only with --update BOOK", o->update_only);
		return;
	}
	if (o->show_mapping)
		cli_die(prog, CLI_USAGE,
		        "--show-mapping: run it without --update to see how the export is read");
	if (o->in_place && o->common.output)
		cli_die(prog, CLI_USAGE, "-i rewrites BOOK: it takes no -o");
	if (o->dry_run && (o->in_place || o->common.output))
		cli_die(prog, CLI_USAGE, "-n writes only the diff: it takes no -i or -o");
	bool diff_stdout = o->diff && strcmp(o->diff, "-") == 0;
	if (diff_stdout && !o->dry_run && !o->in_place &&
	    (!o->common.output || strcmp(o->common.output, "-") == 0))
		cli_die(prog, CLI_USAGE,
		        "--diff -: the book goes to standard output too (use -n, -o or -i)");
	if (o->in_place)
		o->common.output = o->update;
}

static void
parse_options(int argc, char **argv, struct options *o)
{
	o->date_order = o->decimal_comma = -1;
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
			o->delimiter = parse_delimiter(optarg);
			break;
		case OPT_LENIENT:
			o->lenient = true;
			break;
		case OPT_STRICT:
			o->strict = true;
			break;
		case OPT_ENCODING:
			if (!input_encoding_known(optarg))
				cli_die(prog, CLI_USAGE,
				        "--encoding \"%s\": not an encoding this system knows",
				        optarg);
			o->encoding = optarg;
			break;
		case OPT_MAP:
			strlist_add(&o->maps, optarg);
			break;
		case OPT_SHOW_MAPPING:
			o->show_mapping = true;
			break;
		case OPT_DATE_ORDER:
			o->date_order = parse_date_order(optarg);
			break;
		case OPT_DECIMAL_COMMA:
			o->decimal_comma = 1;
			break;
		case OPT_DECIMAL_POINT:
			o->decimal_comma = 0;
			break;
		case OPT_DEDUPE:
			o->dedupe = true;
			break;
		case OPT_REVIEW:
			o->review = true;
			break;
		case OPT_REJECT:
			o->reject = optarg;
			break;
		case OPT_SUPPRESS:
			o->suppress = optarg;
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

/* filter_ops for --raw: every column as it is, every record as it is. */
static int
raw_start(void *ctx, const struct stream *in, struct header **out)
{
	(void)ctx;
	*out = header_copy(stream_header(in));
	return CLI_OK;
}

static int
raw_record(void *ctx, struct record *rec, const char *name, bool *write)
{
	(void)ctx, (void)rec, (void)name, (void)write;
	return 0;
}

static int
raw_all(const struct options *o, int nfiles, char **files, struct cli_warnings *cw)
{
	struct filter_options fo = {
	    .prog = prog,
	    .paths = files,
	    .npaths = (size_t)nfiles,
	    .output = o->common.output,
	    .format = o->common.format,
	    .writer_flags = STREAM_RAW | o->common.writer_flags,
	    .stream = {.delimiter = o->delimiter,
	               .lenient = o->lenient,
	               .encoding = o->encoding,
	               .sheet = o->common.sheet},
	    .warnings = cw,
	    .strict = o->strict,
	    .journal = o->journal,
	};
	static const struct filter_ops ops = {.start = raw_start, .record = raw_record};
	return filter_run(&fo, &ops, NULL);
}

static void
print_error(void *ctx, const struct cs_error *e)
{
	(void)ctx;
	cs_error_print(prog, e, false);
}

/* The importer's options from the tool's. */
static struct import_options
import_options_of(const struct options *o, struct file_output *reject, struct cli_warnings *cw)
{
	return (struct import_options){
	    .delimiter = o->delimiter,
	    .lenient = o->lenient,
	    .encoding = o->encoding,
	    .sheet = o->common.sheet,
	    .decimal_comma = o->decimal_comma,
	    .date_order = o->date_order,
	    .dedupe = o->dedupe,
	    .review = o->review,
	    .maps = o->maps.v,
	    .nmaps = o->maps.n,
	    .today = cli_today(prog, o->common.today),
	    .reject = reject ? file_output_stream(reject) : NULL,
	    .reject_name = o->reject && strcmp(o->reject, "-") == 0 ? "standard output" : o->reject,
	    .warn = cli_warn,
	    .error = print_error,
	    .note = print_error,
	    .ctx = cw,
	};
}

/*
 * Between the import and the book (--suppress, --journal): each record is
 * left out when suppressed, else journalled as added and written.
 */
struct sink {
	struct writer *w;
	const struct options *o;
	const struct header *h;
	long id_col;
	long at;         /* records written */
	long suppressed; /* records left out */
};

static void
sink_put(void *ctx, const struct record *rec)
{
	struct sink *k = ctx;
	if (k->o->suppressed && suppress_match(k->o->suppressed, rec)) {
		k->suppressed++;
		return;
	}
	if (k->o->journal)
		journal_record(k->o->journal, JOURNAL_ADD, k->at, k->h, rec,
		               k->id_col >= 0 ? (size_t)k->id_col : k->h->n);
	k->at++;
	writer_put(k->w, rec);
}

/* The --suppress count: suppressed rows go nowhere, so they are at least counted. */
static void
say_suppressed(const struct options *o, long n)
{
	if (o->suppress)
		fprintf(stderr, "%s: %ld row%s suppressed (on %s)\n", prog, n, n == 1 ? "" : "s",
		        o->suppress);
}

/* The full import of every input; returns the exit status. */
static int
import_all(const struct options *o, int nfiles, char **files, struct cli_warnings *cw)
{
	struct cs_error err;
	struct file_output *reject = NULL, *output = NULL;
	if (o->reject && !(reject = cli_output_open(prog, o->reject)))
		return CLI_USAGE;
	if (!(output = cli_output_open(prog, o->common.output))) {
		file_output_abort(reject);
		return CLI_DATA;
	}
	FILE *out = file_output_stream(output);
	struct import_options io = import_options_of(o, reject, cw);
	struct importer *im = import_new(&io, &err);
	if (!im) {
		file_output_abort(reject);
		file_output_abort(output);
		cli_die(prog, CLI_USAGE, "%s", err.msg);
	}
	int status = CLI_OK;
	for (int i = 0; i < (nfiles ? nfiles : 1); i++)
		if (import_add(im, nfiles ? files[i] : "-", &err) < 0) {
			cs_error_print(prog, &err, false);
			status = CLI_DATA;
		}
	if (import_count(im) > 0 && import_check_maps(im, &err) < 0) {
		import_free(im);
		file_output_abort(reject);
		file_output_abort(output);
		cli_die(prog, CLI_USAGE, "%s", err.msg);
	}
	struct buf text = {0};
	if (o->show_mapping && import_count(im) > 0) {
		import_describe(im, &text);
		fwrite(text.data, 1, text.len, out);
	} else if (import_count(im) > 0) {
		const struct header *h = import_header(im);
		enum stream_format f = cli_output_format(&o->common, import_format(im));
		struct sink k = {.w = writer_new(out, f, h, o->common.writer_flags), .o = o, .h = h,
		                 .id_col = header_find(h, "id")};
		if (o->suppressed)
			suppress_bind(o->suppressed, h);
		struct writer_options each = {.each = sink_put, .each_ctx = &k};
		struct writer *in = writer_open(NULL, h, &each);
		if (import_run(im, in) != 0)
			status = CLI_DATA;
		writer_close(in, NULL, NULL);
		say_suppressed(o, k.suppressed);
		if (writer_close(k.w, o->common.output, &err) < 0) {
			cs_error_print(prog, &err, false);
			status = CLI_DATA;
		}
		struct import_totals t;
		import_totals(im, &t);
		if (o->dedupe)
			fprintf(stderr, "%s: %ld duplicate%s merged\n", prog, t.merged,
			        t.merged == 1 ? "" : "s");
		if (o->review) {
			import_review(im, &text);
			fwrite(text.data, 1, text.len, stderr);
		}
	}
	buf_free(&text);
	import_free(im);
	if (o->strict && cw->count > 0)
		status = status > CLI_DATA ? status : CLI_DATA;
	status = cli_output_finish(prog, reject, status);
	return filter_commit(prog, output, o->journal, status);
}

/* update_options.skip: an export record on the suppression list. */
static bool
suppressed(void *ctx, const struct record *rec)
{
	return suppress_match(ctx, rec);
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The --update summary line. */
static void
update_summary(const struct options *o, const struct update_totals *t)
{
	fprintf(stderr, "%s: %s: %ld changed (%ld field%s), %ld added, %ld unchanged, %ld gone", prog,
	        o->update, t->changed, t->fields, t->fields == 1 ? "" : "s", t->added, t->unchanged,
	        t->gone);
	if (o->gone == UPDATE_GONE_MARK)
		fprintf(stderr, " (marked), %ld gone before", t->still_gone);
	fprintf(stderr, ", %ld archived not re-added, %ld conflict%s%s\n", t->archived,
	        t->conflicts, t->conflicts == 1 ? "" : "s", o->dry_run ? " (dry run)" : "");
}

/* --update: the import of the exports, applied to the book; returns the exit status. */
static int
update_all(const struct options *o, int nfiles, char **files, struct cli_warnings *cw)
{
	struct cs_error err;
	struct file_output *reject = NULL, *output = NULL, *diff = NULL;
	int status = CLI_OK;
	if (o->reject && !(reject = cli_output_open(prog, o->reject)))
		return CLI_USAGE;
	if ((!o->dry_run && !(output = cli_output_open(prog, o->common.output))) ||
	    (o->diff && !(diff = cli_output_open(prog, o->diff)))) {
		file_output_abort(reject);
		file_output_abort(output);
		return CLI_DATA;
	}
	struct import_options io = import_options_of(o, reject, cw);
	struct importer *im = import_new(&io, &err);
	if (im) {
		for (int i = 0; i < (nfiles ? nfiles : 1); i++)
			if (import_add(im, nfiles ? files[i] : "-", &err) < 0) {
				cs_error_print(prog, &err, false);
				status = CLI_DATA;
			}
	}
	if (!im || (import_count(im) > 0 && import_check_maps(im, &err) < 0)) {
		/* A bad --map: nothing is written. */
		import_free(im);
		file_output_abort(reject);
		file_output_abort(diff);
		file_output_abort(output);
		cli_die(prog, CLI_USAGE, "%s", err.msg);
	}
	const char *diff_name = o->diff && strcmp(o->diff, "-") != 0 ? o->diff : NULL;
	bool diff_json = diff_name ? ends_with(diff_name, ".ndjson") ||
	                                 ends_with(diff_name, ".jsonl") || ends_with(diff_name, ".json")
	                           : o->common.format == STREAM_NDJSON;
	struct update_options uo = {
	    .book = o->update,
	    .export_name = nfiles == 0 ? "<stdin>" : nfiles == 1 ? files[0] : "the export",
	    .take = o->take,
	    .takes = o->takes.v,
	    .ntakes = o->takes.n,
	    .keeps = o->keeps.v,
	    .nkeeps = o->keeps.n,
	    .gone = o->gone,
	    .archives = o->archives.v,
	    .narchives = o->archives.n,
	    .today = io.today,
	    .format = o->common.format,
	    .excel_safe = (o->common.writer_flags & STREAM_EXCEL_SAFE) != 0,
	    .out = output ? file_output_stream(output) : NULL,
	    .out_name = o->common.output,
	    .diff = diff ? file_output_stream(diff) : o->dry_run ? stdout : NULL,
	    .diff_format = diff_json ? STREAM_NDJSON : STREAM_CSV,
	    .diff_name = diff_name,
	    .journal = o->dry_run ? NULL : o->journal,
	    .skip = o->suppressed ? suppressed : NULL,
	    .skip_ctx = o->suppressed,
	    .warn = cli_warn,
	    .note = print_error,
	    .ctx = cw,
	};
	if (o->suppressed)
		suppress_bind(o->suppressed, import_header(im));
	if (o->journal)
		journal_file(o->journal, o->common.output ? o->common.output : "-");
	struct update_totals t;
	int rc = status == CLI_OK && import_count(im) > 0 ? import_update(im, &uo, &t, &err) : 1;
	if (rc < 0)
		cs_error_print(prog, &err, false);
	if (rc != 0) {
		status = CLI_DATA;
	} else {
		update_summary(o, &t);
		say_suppressed(o, t.skipped);
	}
	if (o->review && rc == 0) {
		struct buf text = {0};
		import_review(im, &text);
		fwrite(text.data, 1, text.len, stderr);
		buf_free(&text);
	}
	import_free(im);
	if (o->strict && cw->count > 0)
		status = CLI_DATA;
	status = cli_output_finish(prog, reject, status);
	status = cli_output_finish(prog, diff, status);
	return filter_commit(prog, output, uo.journal, status);
}

int
main(int argc, char **argv)
{
	argv[0] = (char *)prog; /* getopt's messages name the tool, not its path */
	struct options o = {0};
	parse_options(argc, argv, &o);
	struct cli_paths paths = {0};
	/* With --update the book is the input -o and -i may replace; an export is not. */
	cli_paths_add_all(&paths, argv + optind, (size_t)(argc - optind),
	                  o.update ? CLI_IN_OTHER : CLI_IN_BOOK);
	cli_paths_add(&paths, o.update, "--update", CLI_IN_BOOK);
	for (size_t i = 0; i < o.archives.n; i++)
		cli_paths_add(&paths, o.archives.v[i], "--archive", CLI_IN_OTHER);
	cli_paths_add(&paths, o.common.output, o.in_place ? "-i" : "-o", CLI_OUT_BOOK);
	cli_paths_add(&paths, o.reject, "--reject", CLI_OUT_OTHER);
	cli_paths_add(&paths, o.diff, "--diff", CLI_OUT_OTHER);
	cli_paths_add(&paths, o.suppress, "--suppress", CLI_IN_OTHER);
	cli_paths_add(&paths, cli_journal_path(&o.common), "--journal", CLI_OUT_OTHER);
	cli_paths_check(prog, &paths);
	struct suppress_key *key = NULL;
	if (o.suppress) {
		struct cs_error err;
		if (!(key = suppress_key_load(&err)) ||
		    !(o.suppressed = suppress_load(o.suppress, key, &err))) {
			cs_error_print(prog, &err, false);
			suppress_key_free(key);
			return CLI_USAGE;
		}
	}
	/* Nothing is written by a dry run or --show-mapping: nothing to journal. */
	if (!o.dry_run && !o.show_mapping)
		o.journal = cli_journal_open(prog, &o.common, argc, argv, NULL);
	if (o.journal && !o.update)
		journal_file(o.journal, o.common.output ? o.common.output : "-");
	struct cli_warnings cw = {.prog = prog};
	int status = o.raw      ? raw_all(&o, argc - optind, argv + optind, &cw)
	             : o.update ? update_all(&o, argc - optind, argv + optind, &cw)
	                        : import_all(&o, argc - optind, argv + optind, &cw);
	strlist_free(&o.maps);
	strlist_free(&o.keeps);
	strlist_free(&o.takes);
	strlist_free(&o.archives);
	journal_close(o.journal);
	suppress_free(o.suppressed);
	suppress_key_free(key);
	return status;
}
