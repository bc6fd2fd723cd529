/*
 * cs-report - the book at a glance: tiers, time, team, capacity, adherence
 * and data quality, as text, Markdown, JSON or a standalone HTML page.
 *
 * The inputs are streamed through lib/report, which keeps only sums and
 * counts; --json --partial writes those, and --merge adds partials made on
 * parts of a book back into the report of the whole.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "cli.h"
#include "error.h"
#include "idtab.h"
#include "model.h"
#include "record.h"
#include "report_book.h"
#include "report_render.h"
#include "stream.h"
#include "touchlog.h"

static const char prog[] = "cs-report";

struct options {
	struct cli_common common; /* no -c; not its format: that is format below */
	int format;               /* --format or -j, the last given; -1: neither */
	unsigned sections;
	int weeks; /* capacity: working weeks a year; 0: REPORT_WEEKS */
	const char *by;
	bool ascii, partial, merge, strict;
	struct strlist logs;     /* --log, repeatable */
	struct strlist archives; /* --archive, repeatable; else $CS_ARCHIVE */
};

enum {
	OPT_FORMAT = CLI_OPT_OWN,
	OPT_SECTION,
	OPT_BY,
	OPT_ASCII,
	OPT_PARTIAL,
	OPT_MERGE,
	OPT_LOG,
	OPT_ARCHIVE,
	OPT_STRICT,
	OPT_WEEKS,
};

static const struct cli_opt option_table[] = {
    {OPT_FORMAT | CLI_FORMAT, "format", "FMT", "text (default), markdown, json or html"},
    CLI_COMMON_JSON("the same as --format json"),
    {OPT_SECTION, "section", "NAME",
     "tiers, time, team, capacity, adherence, delivery or quality\n"
     "(repeatable; default: all, delivery when --log is given)"},
    {OPT_BY, "by", "FIELD", "break the tiers section down by FIELD (city, owner...)"},
    {OPT_WEEKS, "weeks", "N", "capacity: working weeks a year, 1 to 52 (default 46)"},
    {OPT_ASCII, "ascii", NULL, "text: plain ASCII rules and bars"},
    {OPT_PARTIAL, "partial", NULL, "write the raw sums and counts as JSON, for --merge"},
    {OPT_MERGE, "merge", NULL, "the operands are partials: add them up and report"},
    CLI_COMMON_MODEL(CLI_HELP_MODEL),
    {OPT_LOG, "log", "FILE", "the touch log (date,id,touch,...); repeatable"},
    {OPT_ARCHIVE, "archive", "FILE",
     "cs-remove's archive: the log rows of its clients are\n"
     "no orphans (default: $CS_ARCHIVE); repeatable"},
    CLI_COMMON_TODAY(CLI_HELP_TODAY),
    {OPT_STRICT, "strict", NULL, "treat warnings as errors (exit 1)"},
    CLI_COMMON_SHARD,
    CLI_COMMON_OUTPUT(CLI_HELP_OUTPUT),
    CLI_COMMON_HELP_VERSION,
    {0},
};

static void
usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: %s [-j] [--format FMT] [--section NAME] [--by FIELD] [--weeks N] [--ascii]\n"
	    "                 [--partial] [-m MODEL] [--log FILE [--archive FILE]] [--today DATE]\n"
	    "                 [--strict] [--shard K/N [--shard-by FIELD]] [-o FILE] [FILE ...]\n"
	    "       %s --merge [-j] [--format FMT] [--section NAME] [--weeks N] [--ascii]\n"
	    "                 [--partial] [-m MODEL] [-o FILE] PARTIAL ...\n",
	    prog, prog);
	if (f != stdout)
		return;
	fputs("\nThe book at a glance: tiers, time, team, capacity, adherence, delivery, data "
	      "quality.\n\n",
	      f);
	cli_print_help(f, option_table, 22);
	fputs("\nText is as wide as $COLUMNS, else 80 columns.\n", f);
}

/* --merge reads partials: it takes none of the options that made them. */
static void
check_merge(const struct options *o, int operands)
{
	if (operands == 0)
		cli_die(prog, CLI_USAGE, "--merge needs the partials to merge");
	if (o->by)
		cli_die(prog, CLI_USAGE,
		        "--by cannot go with --merge: the partials say how "
		        "they are grouped");
	if (o->logs.n || o->archives.n)
		cli_die(prog, CLI_USAGE,
		        "%s cannot go with --merge: the partials were "
		        "made with it",
		        o->logs.n ? "--log" : "--archive");
	if (o->common.today)
		cli_die(prog, CLI_USAGE,
		        "--today cannot go with --merge: the partials say "
		        "which day they were made for");
	if (o->common.shard_n || o->common.shard_by)
		cli_die(prog, CLI_USAGE,
		        "--shard cannot go with --merge: give it when making the partials");
}

/* --weeks N: a whole number of working weeks in a year. */
static int
parse_weeks(const char *s)
{
	int n = report_weeks_parse(s);
	if (!n)
		cli_die(prog, CLI_USAGE, "--weeks \"%s\": a number of working weeks from 1 to 52",
		        s);
	return n;
}

static void
parse_options(int argc, char **argv, struct options *o)
{
	o->format = -1;
	int c;
	unsigned s;
	while ((c = cli_getopt(argc, argv, option_table)) != -1) {
		switch (c) {
		case OPT_FORMAT:
			if ((o->format = report_format_parse(optarg)) < 0)
				cli_die(prog, CLI_USAGE,
				        "format \"%s\" is not one of text, markdown, json, html",
				        optarg);
			break;
		case 'j': /* --format json, not common.format: the last of them wins */
			o->format = REPORT_JSON;
			break;
		case OPT_SECTION:
			if (!(s = report_section_parse(optarg)))
				cli_die(prog, CLI_USAGE,
				        "section \"%s\" is not one of tiers, time, "
				        "team, capacity, adherence, delivery, quality",
				        optarg);
			o->sections |= s;
			break;
		case OPT_BY:
			o->by = optarg;
			break;
		case OPT_WEEKS:
			o->weeks = parse_weeks(optarg);
			break;
		case OPT_ASCII:
			o->ascii = true;
			break;
		case OPT_PARTIAL:
			o->partial = true;
			break;
		case OPT_MERGE:
			o->merge = true;
			break;
		case OPT_LOG:
			strlist_add(&o->logs, optarg);
			break;
		case OPT_ARCHIVE:
			strlist_add(&o->archives, optarg);
			break;
		case OPT_STRICT:
			o->strict = true;
			break;
		default:
			cli_common_option(c, &o->common, prog, usage);
		}
	}
	if (o->partial && o->format >= 0 && o->format != REPORT_JSON)
		cli_die(prog, CLI_USAGE, "--partial writes JSON: it cannot go with --format %s",
		        o->format == REPORT_HTML   ? "html"
		        : o->format == REPORT_TEXT ? "text"
		                                   : "markdown");
	if (o->partial)
		o->format = REPORT_JSON;
	if (o->format < 0)
		o->format = REPORT_TEXT;
	if (o->merge)
		check_merge(o, argc - optind);
	else if ((o->sections & REPORT_DELIVERY) && !o->logs.n)
		cli_die(prog, CLI_USAGE,
		        "the delivery section needs the touch log: give it with --log FILE");
	const char *env = getenv("CS_ARCHIVE");
	if (!o->archives.n && !o->merge && env && *env)
		strlist_add(&o->archives, env);
}

/* Count every input into r (standard input when there is none); stops at a usage error. */
static int
report_files(struct report *r, char *const *paths, int npaths, struct touchlog *log,
             const struct stream_options *so)
{
	char *stdin_path[] = {"-"};
	if (npaths == 0)
		paths = stdin_path, npaths = 1;
	int status = CLI_OK;
	for (int i = 0; i < npaths && status != CLI_USAGE; i++) {
		struct cs_error err;
		int rc = report_read_book(r, paths[i], log, so, &err);
		if (rc < 0)
			cs_error_print(prog, &err, false);
		if (rc == REPORT_BOOK_MODEL)
			status = CLI_USAGE;
		else if (rc < 0)
			status = CLI_DATA;
	}
	return status;
}

/*
 * Read every --archive's ids into ids (with a log only: without one there
 * are no orphans); one that does not exist yet is an empty one, with a
 * note.  Returns false, said, after one that cannot be read.
 */
static bool
read_archives(const struct options *o, const struct stream_options *so, struct idtab *ids)
{
	for (size_t i = 0; o->logs.n && i < o->archives.n; i++) {
		struct cs_error err;
		int rc = archive_read_ids(o->archives.v[i], so, ids, &err);
		if (rc == ARCHIVE_NOT_YET)
			fprintf(stderr,
			        "%s: note: %s does not exist yet: no client removed (cs-remove "
			        "creates it)\n",
			        prog, o->archives.v[i]);
		if (rc < 0) {
			cs_error_print(prog, &err, false);
			return false;
		}
	}
	return true;
}

/*
 * Read the logs and the archives, count the books into r, then warn about
 * the log rows no book has.  Returns false when a log or an archive cannot
 * be read (said): a report without them would mislead, so none is
 * written.  Else *status is the books' (report_files).
 */
static bool
report_inputs(struct report *r, const struct options *o, const struct model *m, char *const *paths,
              int npaths, struct cli_warnings *cw, int *status)
{
	struct stream_options so = {.warn = cli_warn, .warn_ctx = cw};
	struct cs_error err;
	struct idtab archived = {0};
	struct touchlog *log = NULL;
	bool read = true;
	if (o->logs.n && !(log = report_read_logs(r, o->logs.v, o->logs.n, &so, &err))) {
		cs_error_print(prog, &err, false);
		read = false;
	} else if (!read_archives(o, &so, &archived)) {
		read = false;
	} else {
		cli_stream_shard(&o->common, &so); /* the books only */
		*status = report_files(r, paths, npaths, log, &so);
		struct touchlog_orphans orphans = {
		    .name = o->logs.n == 1 ? o->logs.v[0] : NULL,
		    .check_ids = *status == CLI_OK,
		    .shard_k = o->common.shard_k,
		    .shard_n = o->common.shard_n,
		    .shard_by = o->common.shard_by,
		    .model = m,
		    .archived = o->archives.n ? &archived : NULL,
		};
		touchlog_warn_orphans(log, &orphans, cli_warn, cw);
	}
	idtab_free(&archived);
	touchlog_free(log);
	return read;
}

/* --merge: add the partials into r. */
static int
merge_partials(struct report *r, char *const *paths, int npaths)
{
	struct cs_error err;
	/* A report missing a part would pass for the whole: stop at a bad one. */
	for (int i = 0; i < npaths; i++)
		if (report_merge(r, paths[i], &err) < 0) {
			cs_error_print(prog, &err, false);
			return CLI_DATA;
		}
	return CLI_OK;
}

/* --merge --section delivery of partials made without a log. */
static int
no_delivery(void)
{
	fprintf(stderr,
	        "%s: the delivery section needs the touch log: the partials were made without "
	        "--log\n",
	        prog);
	return CLI_USAGE;
}

/*
 * Write the report (or the partial) to -o or stdout; returns the exit
 * status.  A run that already failed (status) still shows its report on
 * standard output, but never replaces a file with it.
 */
static int
write_report(const struct report *r, const struct options *o, struct file_output *output,
             int status)
{
	FILE *out = file_output_stream(output);
	if (o->partial) {
		report_write_partial(r, out);
	} else {
		struct report_style style = {
		    .format = (enum report_format)o->format,
		    .sections = o->sections,
		    .width = cli_text_width(),
		    .ascii = o->ascii,
		    .weeks = o->weeks,
		};
		report_write(r, &style, out);
	}
	return cli_output_finish(prog, output, status);
}

int
main(int argc, char **argv)
{
	cli_std_fds();
	struct options o = {0};
	argv[0] = (char *)prog; /* getopt's messages name the tool, not its path */
	parse_options(argc, argv, &o);
	struct cli_paths paths = {0};
	cli_paths_add_all(&paths, argv + optind, (size_t)(argc - optind), CLI_IN_OTHER);
	for (size_t i = 0; i < o.logs.n; i++)
		cli_paths_add(&paths, o.logs.v[i], "--log", CLI_IN_OTHER);
	for (size_t i = 0; i < o.archives.n; i++)
		cli_paths_add(&paths, o.archives.v[i], "--archive", CLI_IN_OTHER);
	cli_paths_add(&paths, o.common.model, "-m", CLI_IN_OTHER);
	cli_paths_add(&paths, o.common.output, "-o", CLI_OUT_OTHER);
	cli_paths_check(prog, &paths);
	struct cs_error err;
	struct model *m = model_open(o.common.model, &err);
	if (!m) {
		cs_error_print(prog, &err, false);
		strlist_free(&o.logs);
		strlist_free(&o.archives);
		return CLI_USAGE;
	}
	struct cli_warnings cw = {.prog = prog};
	struct report *r = NULL;
	struct file_output *out = cli_output_open(prog, o.common.output);
	int status = out ? CLI_OK : CLI_DATA;
	if (!out) {
		/* Nothing can be written. */
	} else if (o.merge) {
		r = report_new_merge(m);
		status = merge_partials(r, argv + optind, argc - optind);
	} else {
		struct date today = cli_today(prog, o.common.today);
		r = report_new(m, o.by, today);
		if (!report_inputs(r, &o, m, argv + optind, argc - optind, &cw, &status)) {
			status = CLI_DATA;
			report_free(r);
			r = NULL;
		}
	}
	if (o.merge && status == CLI_OK && (o.sections & REPORT_DELIVERY) &&
	    !report_has_delivery(r))
		status = no_delivery();
	/*
	 * A bad input file still gets its report (with exit 1); a bad model, log,
	 * archive or partial not.
	 */
	if (o.strict && cw.count > 0 && status == CLI_OK)
		status = CLI_DATA;
	if (r && status != CLI_USAGE && !(o.merge && status != CLI_OK))
		status = write_report(r, &o, out, status);
	else
		cli_output_finish(prog, out, status);
	report_free(r);
	model_free(m);
	strlist_free(&o.logs);
	strlist_free(&o.archives);
	return status;
}
