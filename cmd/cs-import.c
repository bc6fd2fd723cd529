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
#include "input.h"
#include "record.h"
#include "stream.h"
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
};

static const struct cli_opt option_table[] = {
    CLI_COMMON_CSV(CLI_HELP_CSV),
    CLI_COMMON_JSON(CLI_HELP_JSON),
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
    {OPT_LENIENT, "lenient", NULL, "drop extra fields of long rows with a warning"},
    {OPT_STRICT, "strict", NULL, "treat warnings as errors (exit 1)"},
    CLI_COMMON_TODAY("today's date (default: $CS_TODAY or the clock)"),
    CLI_COMMON_OUTPUT(CLI_HELP_OUTPUT),
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
	        "                 [--dedupe] [--review] [--reject FILE] [--lenient] [--strict]\n"
	        "                 [--today DATE] [-o FILE] [FILE ...]\n",
	        prog);
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
		default:
			cli_common_option(c, &o->common, prog, usage);
		}
	}
	if (o->raw && o->full_only)
		cli_die(prog, CLI_USAGE, "--raw converts only: it takes no mapping options");
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
	    .writer_flags = STREAM_RAW,
	    .stream = {.delimiter = o->delimiter, .lenient = o->lenient, .encoding = o->encoding},
	    .warnings = cw,
	    .strict = o->strict,
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
	struct import_options io = {
	    .delimiter = o->delimiter,
	    .lenient = o->lenient,
	    .encoding = o->encoding,
	    .decimal_comma = o->decimal_comma,
	    .date_order = o->date_order,
	    .dedupe = o->dedupe,
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
		struct writer *w = writer_new(out, f, h, 0);
		if (import_run(im, w) != 0)
			status = CLI_DATA;
		if (writer_close(w, o->common.output, &err) < 0) {
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
	return cli_output_finish(prog, output, status);
}

int
main(int argc, char **argv)
{
	argv[0] = (char *)prog; /* getopt's messages name the tool, not its path */
	struct options o = {0};
	parse_options(argc, argv, &o);
	struct cli_paths paths = {0};
	cli_paths_add_all(&paths, argv + optind, (size_t)(argc - optind), CLI_IN_BOOK);
	cli_paths_add(&paths, o.common.output, "-o", CLI_OUT_BOOK);
	cli_paths_add(&paths, o.reject, "--reject", CLI_OUT_OTHER);
	cli_paths_check(prog, &paths);
	struct cli_warnings cw = {.prog = prog};
	int status = o.raw ? raw_all(&o, argc - optind, argv + optind, &cw)
	                   : import_all(&o, argc - optind, argv + optind, &cw);
	strlist_free(&o.maps);
	return status;
}
