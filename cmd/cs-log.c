/*
 * cs-log - append touches to the touch log safely, and fold the log back
 * into the book's last_contact.
 *
 * Appending: every row is checked first (touchlog_batch.h: a bad date, a
 * touch the model lacks without --force or, with --book, a client that is
 * not found or not alone refuses the whole batch), then the rows
 * are added under a lock in one write, or nothing.  --apply is a filter
 * (filter.h) that raises last_contact record by record
 * (touchlog_raise_last_contact).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "error.h"
#include "filter.h"
#include "model.h"
#include "touchlog.h"
#include "touchlog_batch.h"

static const char prog[] = "cs-log";

struct options {
	const char *log;
	const char *date, *channel, *by, *note, *outcome, *until;
	bool snooze, scheduled; /* --snooze / --scheduled: ID TOUCH DATE */
	const char *book;
	const char *from;
	struct strlist apply; /* --apply LOG, repeatable */
	struct cli_common common;
	bool in_place;
	bool force; /* log a touch the model lacks */
};

enum {
	OPT_DATE = CLI_OPT_OWN,
	OPT_CHANNEL,
	OPT_BY,
	OPT_NOTE,
	OPT_BOOK,
	OPT_FROM,
	OPT_APPLY,
	OPT_OUTCOME,
	OPT_UNTIL,
	OPT_SNOOZE,
	OPT_SCHEDULED,
	OPT_FORCE,
};

static const struct cli_opt option_table[] = {
    {'f', "file", "LOG", "the touch log (default: $CS_LOG, else touches.csv)"},
    {OPT_DATE, "date", "DATE", "when the touch was done (default: today)"},
    {OPT_CHANNEL, "channel", "C", "how (default: the model's channel for the touch)"},
    {OPT_BY, "by", "WHO", "who did it"},
    {OPT_NOTE, "note", "TEXT", "a note"},
    {OPT_OUTCOME, "outcome", "O", "done, no-answer, scheduled, snoozed or declined"},
    {OPT_UNTIL, "until", "DATE", "with --outcome scheduled or snoozed: until when"},
    {OPT_SNOOZE, "snooze", NULL, "CLIENT TOUCH UNTIL: put the touch off until UNTIL"},
    {OPT_SCHEDULED, "scheduled", NULL, "CLIENT TOUCH DATE: the touch is booked for DATE"},
    {OPT_BOOK, "book", "FILE",
     "find each CLIENT in FILE by id, email or name, and refuse\n"
     "one it does not have (default: $CS_BOOK)"},
    {OPT_FORCE, "force", NULL, "log a touch the model does not have"},
    {OPT_FROM, "from", "FILE",
     "append every row of FILE (CSV or NDJSON with id, touch\n"
     "and optionally date, channel, by, note)"},
    {OPT_APPLY, "apply", "LOG",
     "write the book with last_contact raised to the latest\n"
     "touch in LOG; repeatable"},
    {'i', "in-place", NULL, "with --apply: rewrite each FILE atomically"},
    CLI_COMMON_OUTPUT("with --apply: write to FILE instead of standard output"),
    CLI_COMMON_CSV("with --apply: write CSV"),
    CLI_COMMON_JSON("with --apply: write NDJSON"),
    {CLI_OPT_JOURNAL, "journal", "FILE", "with --apply: " CLI_HELP_JOURNAL},
    CLI_COMMON_EXCEL,
    CLI_COMMON_MODEL(CLI_HELP_MODEL),
    CLI_COMMON_TODAY("take DATE as today (default: $CS_TODAY, else clock)"),
    CLI_COMMON_HELP_VERSION,
    {0},
};

static void
usage(FILE *f)
{
	fprintf(f,
	        "usage: %s [-f LOG] [--date DATE] [--channel C] [--by WHO] [--note TEXT]\n"
	        "              [--outcome O [--until DATE]] [--book FILE] [--force] [-m MODEL]\n"
	        "              [--today DATE] CLIENT TOUCH\n"
	        "       %s [-f LOG] [--book FILE] [--force] [-m MODEL] [--today DATE]\n"
	        "              --snooze CLIENT TOUCH UNTIL\n"
	        "       %s [-f LOG] [--book FILE] [--force] [-m MODEL] [--today DATE]\n"
	        "              --scheduled CLIENT TOUCH DATE\n"
	        "       %s [-f LOG] [--date DATE] [--channel C] [--by WHO] [--note TEXT]\n"
	        "              [--book FILE] [--force] [-m MODEL] [--today DATE] --from FILE\n"
	        "       %s --apply LOG [-cj] [--journal FILE] [-i | -o FILE] [FILE ...]\n",
	        prog, prog, prog, prog, prog);
	if (f != stdout)
		return;
	fputs("\nAppend touches to the touch log, or raise the book's last_contact from it.\n"
	      "CLIENT is an id, or with --book an email or a name (\"Ana Silva\", \"Silva, "
	      "Ana\").\n\n",
	      f);
	cli_print_help(f, option_table, 22);
}

/* Store an option of cs-log's own in o; false when c is not one. */
static bool
own_option(int c, struct options *o)
{
	/* By c - CLI_OPT_OWN: where the options with a value, and the flags, go. */
	const char **value[] = {
	    [OPT_DATE - CLI_OPT_OWN] = &o->date,       [OPT_CHANNEL - CLI_OPT_OWN] = &o->channel,
	    [OPT_BY - CLI_OPT_OWN] = &o->by,           [OPT_NOTE - CLI_OPT_OWN] = &o->note,
	    [OPT_BOOK - CLI_OPT_OWN] = &o->book,       [OPT_FROM - CLI_OPT_OWN] = &o->from,
	    [OPT_OUTCOME - CLI_OPT_OWN] = &o->outcome, [OPT_UNTIL - CLI_OPT_OWN] = &o->until,
	};
	bool *flag[] = {[OPT_SNOOZE - CLI_OPT_OWN] = &o->snooze,
	                [OPT_SCHEDULED - CLI_OPT_OWN] = &o->scheduled,
	                [OPT_FORCE - CLI_OPT_OWN] = &o->force};
	size_t k = (size_t)c - CLI_OPT_OWN;
	if (c == 'f')
		o->log = optarg;
	else if (c == 'i')
		o->in_place = true;
	else if (c == OPT_APPLY)
		strlist_add(&o->apply, optarg);
	else if (c >= CLI_OPT_OWN && k < sizeof value / sizeof *value && value[k])
		*value[k] = optarg;
	else if (c >= CLI_OPT_OWN && k < sizeof flag / sizeof *flag && flag[k])
		*flag[k] = true;
	else
		return false;
	return true;
}

/* --apply: only the options that go with it, and -i with files to rewrite. */
static void
check_apply(const struct options *o, int argc, char **argv)
{
	if (o->from || o->book || o->log || o->date || o->channel || o->by || o->note || o->force)
		cli_die(prog, CLI_USAGE,
		        "--apply reads the log: it takes no -f, --from, "
		        "--book, --force, --date, --channel, --by or --note");
	if (o->in_place && o->common.output)
		cli_die(prog, CLI_USAGE, "-i and -o cannot go together");
	if (o->in_place && optind == argc)
		cli_die(prog, CLI_USAGE, "-i needs the files to rewrite");
	for (int i = optind; o->in_place && i < argc; i++)
		if (strcmp(argv[i], "-") == 0)
			cli_die(prog, CLI_USAGE, "-i cannot rewrite standard input");
}

/* Appending: the operands each form takes, the text options, the log and the book. */
static void
check_append(struct options *o, int argc, char **argv)
{
	if (o->in_place || o->common.output || o->common.format || o->common.journal ||
	    o->common.writer_flags)
		cli_die(prog, CLI_USAGE,
		        "-i, -o, -c, -j, --xlsx, --excel-safe and --journal go with --apply");
	bool dated = o->snooze || o->scheduled; /* CLIENT TOUCH DATE */
	if (o->snooze && o->scheduled)
		cli_die(prog, CLI_USAGE, "--snooze and --scheduled cannot go together");
	if (dated && (o->outcome || o->until || o->from))
		cli_die(prog, CLI_USAGE,
		        "--%s takes CLIENT TOUCH DATE: no --outcome, --until or --from",
		        o->snooze ? "snooze" : "scheduled");
	if (argc - optind != (o->from ? 0 : dated ? 3 : 2)) {
		usage(stderr);
		exit(CLI_USAGE);
	}
	if (dated) {
		o->outcome = o->snooze ? "snoozed" : "scheduled";
		o->until = argv[argc - 1];
	}
	cli_check_text(prog, "--channel", o->channel, false);
	cli_check_text(prog, "--by", o->by, false);
	cli_check_text(prog, "--note", o->note, true);
	const char *log = getenv("CS_LOG"), *book = getenv("CS_BOOK");
	o->log = o->log ? o->log : log && *log ? log : "touches.csv";
	o->book = o->book ? o->book : book && *book ? book : NULL;
}

static void
parse_options(int argc, char **argv, struct options *o)
{
	int c;
	while ((c = cli_getopt(argc, argv, option_table)) != -1)
		if (!own_option(c, o))
			cli_common_option(c, &o->common, prog, usage);
	if (o->apply.n)
		check_apply(o, argc, argv);
	else
		check_append(o, argc, argv);
}

/* cs_warn_fn for the batch: each bad row, printed as an error. */
static void
print_error(void *ctx, const struct cs_error *e)
{
	(void)ctx;
	cs_error_print(prog, e, false);
}

static int
log_touches(const struct options *o, char **argv)
{
	struct touchlog_defaults d = {
	    .today = cli_today(prog, o->common.today),
	    .date = o->date,
	    .channel = o->channel,
	    .by = o->by,
	    .note = o->note,
	    .outcome = o->outcome,
	    .until = o->until,
	};
	struct cs_error err;
	struct model *m = model_open(o->common.model, &err);
	if (!m) {
		cs_error_print(prog, &err, false);
		return CLI_USAGE;
	}
	struct touchlog_batch b = {.defaults = &d, .report = print_error};
	if (o->from) {
		touchlog_batch_read(&b, o->from);
	} else {
		const char *v[TOUCHLOG_COLUMNS] = {
		    [TOUCHLOG_ID] = argv[optind], [TOUCHLOG_TOUCH] = argv[optind + 1]};
		touchlog_batch_add(&b, 0, v);
	}
	if (!b.errors && o->book && b.n)
		touchlog_batch_check_book(&b, o->book);
	int status = CLI_DATA;
	struct cli_warnings cw = {.prog = prog};
	if (b.errors) {
		fprintf(stderr, "%s: %s: nothing logged\n", prog, o->log);
	} else if (b.n == 0) {
		status = CLI_OK; /* an empty --from file: nothing to do */
	} else if (touchlog_batch_apply_model(&b, m, o->force, cli_warn, &cw) < 0) {
		fprintf(stderr, "%s: %s: nothing logged\n", prog, o->log);
	} else {
		if (touchlog_batch_append(&b, o->log, cli_warn, &cw, &err) < 0)
			cs_error_print(prog, &err, false);
		else
			status = CLI_OK;
	}
	touchlog_batch_free(&b);
	model_free(m);
	return status;
}

/* ---- --apply ------------------------------------------------------------------ */

/* filter_ops.start: the book's columns, with last_contact added when missing. */
static int
apply_start(void *ctx, const struct stream *in, struct header **out)
{
	*out = touchlog_raise_bind(ctx, stream_header(in));
	return CLI_OK;
}

/* filter_ops.record: raise last_contact to the client's latest logged touch. */
static int
apply_record(void *ctx, struct record *rec, const char *name, bool *write)
{
	(void)write;
	touchlog_raise_last_contact(ctx, rec, name);
	return 0;
}

static int
apply_logs(const struct options *o, int argc, char **argv)
{
	struct cli_warnings cw = {.prog = prog};
	struct touchlog *log = touchlog_new();
	struct stream_options so = {.warn = cli_warn, .warn_ctx = &cw};
	struct cs_error err;
	for (size_t i = 0; i < o->apply.n; i++) {
		if (touchlog_read(log, o->apply.v[i], &so, &err) < 0) {
			cs_error_print(prog, &err, false);
			cli_output_untouched(prog, o->common.output);
			for (int k = optind; o->in_place && k < argc; k++)
				cli_output_untouched(prog, argv[k]);
			touchlog_free(log);
			return CLI_DATA;
		}
	}
	struct buf cause = {0}; /* the journal's: "cs-log --apply LOG" */
	buf_printf(&cause, "%s", prog);
	for (size_t i = 0; i < o->apply.n; i++)
		buf_printf(&cause, " --apply %s", o->apply.v[i]);
	struct filter_options fo = {
	    .prog = prog,
	    .paths = argv + optind,
	    .npaths = (size_t)(argc - optind),
	    .output = o->common.output,
	    .in_place = o->in_place,
	    .format = o->common.format,
	    .writer_flags = o->common.writer_flags,
	    .warnings = &cw,
	    .journal = cli_journal_open(prog, &o->common, argc, argv, NULL),
	    .cause = buf_str(&cause),
	};
	static const struct filter_ops ops = {.start = apply_start, .record = apply_record};
	struct touchlog_raise raiser = {.log = log, .warn = cli_warn, .warn_ctx = &cw};
	int status = filter_run(&fo, &ops, &raiser);
	journal_close(fo.journal);
	buf_free(&cause);
	touchlog_free(log);
	return status;
}

/* No output may overwrite an input: refused before anything is read. */
static void
check_paths(const struct options *o, int argc, char **argv)
{
	struct cli_paths p = {0};
	size_t nfiles = (size_t)(argc - optind);
	if (o->apply.n) {
		for (size_t i = 0; i < o->apply.n; i++)
			cli_paths_add(&p, o->apply.v[i], "--apply", CLI_IN_OTHER);
		cli_paths_add_all(&p, argv + optind, nfiles, CLI_IN_BOOK);
		for (size_t i = 0; o->in_place && i < nfiles; i++)
			cli_paths_add(&p, argv[optind + (int)i], "-i", CLI_OUT_BOOK);
		cli_paths_add(&p, o->common.output, "-o", CLI_OUT_BOOK);
		cli_paths_add(&p, cli_journal_path(&o->common), "--journal", CLI_OUT_OTHER);
	} else {
		cli_paths_add(&p, o->log, "-f", CLI_OUT_OTHER);
		cli_paths_add(&p, o->book, "--book", CLI_IN_OTHER);
		cli_paths_add(&p, o->from, "--from", CLI_IN_OTHER);
	}
	cli_paths_add(&p, o->common.model, "-m", CLI_IN_OTHER);
	cli_paths_check(prog, &p);
}

int
main(int argc, char **argv)
{
	cli_std_fds();
	argv[0] = (char *)prog; /* getopt's messages name the tool, not its path */
	struct options o = {0};
	parse_options(argc, argv, &o);
	check_paths(&o, argc, argv);
	int status = o.apply.n ? apply_logs(&o, argc, argv) : log_touches(&o, argv);
	strlist_free(&o.apply);
	return status;
}
