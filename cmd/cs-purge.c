/*
 * cs-purge - delete what the firm no longer may keep: archive rows past
 * their retain_until, touch-log rows older than the model's retention.log.
 *
 * The rules are lib/purge.c's; this file reads the options, prepares each
 * file's rewrite (which locks it), commits the journal, then the files.
 * A failure before the first rename changes nothing; the journal's lines
 * may precede a rewrite, never follow one that did not happen.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "error.h"
#include "model.h"
#include "purge.h"

static const char prog[] = "cs-purge";

struct options {
	struct cli_common common;
	const char *archive;
	const char *log;
	bool dry_run;
};

enum { OPT_ARCHIVE = CLI_OPT_OWN, OPT_LOG };

static const struct cli_opt option_table[] = {
    {OPT_ARCHIVE, "archive", "FILE", "purge the archive rows past their retain_until"},
    {OPT_LOG, "log", "FILE", "purge the touch-log rows older than retention.log"},
    {'n', "dry-run", NULL, "count what would be purged; change nothing"},
    CLI_COMMON_MODEL(CLI_HELP_MODEL),
    CLI_COMMON_TODAY(CLI_HELP_TODAY),
    {CLI_OPT_JOURNAL, "journal", "FILE", "record each row purged in FILE (default: $CS_JOURNAL)"},
    CLI_COMMON_HELP_VERSION,
    {0},
};

static void
usage(FILE *f)
{
	fprintf(f,
	        "usage: %s [-n] [-m MODEL] [--today DATE] [--journal FILE] [--archive FILE]\n"
	        "                [--log FILE]\n",
	        prog);
	if (f != stdout)
		return;
	fputs("\nDelete archive and touch-log rows whose retention has ended.\n\n", f);
	cli_print_help(f, option_table, 22);
}

static void
parse_options(int argc, char **argv, struct options *o)
{
	int c;
	while ((c = cli_getopt(argc, argv, option_table)) != -1) {
		switch (c) {
		case OPT_ARCHIVE:
			o->archive = optarg;
			break;
		case OPT_LOG:
			o->log = optarg;
			break;
		case 'n':
			o->dry_run = true;
			break;
		default:
			cli_common_option(c, &o->common, prog, usage);
		}
	}
	if (optind < argc)
		cli_die(prog, CLI_USAGE, "unexpected argument \"%s\": name the files with --archive "
		                         "and --log",
		        argv[optind]);
	if (!o->archive && !o->log)
		cli_die(prog, CLI_USAGE, "nothing to purge: give --archive FILE, --log FILE or both");
	if ((o->archive && strcmp(o->archive, "-") == 0) || (o->log && strcmp(o->log, "-") == 0))
		cli_die(prog, CLI_USAGE, "standard input cannot be rewritten: name the file");
}

/* One file's purge, prepared: what it found, and its rewrite to commit. */
struct target {
	const char *path;
	const char *rule; /* for the report */
	struct purge_options po;
	struct purge p;
};

/* Say what a purge found, and the rule that decided it. */
static void
report(const struct options *o, const struct target *t)
{
	printf("%s: %ld of %ld row%s %s (%s)\n", t->path, t->p.purged, t->p.rows,
	       t->p.rows == 1 ? "" : "s", o->dry_run ? "would be purged" : "purged", t->rule);
}

int
main(int argc, char **argv)
{
	cli_std_fds();
	argv[0] = (char *)prog; /* getopt's messages name the tool, not its path */
	struct options o = {0};
	parse_options(argc, argv, &o);
	struct cli_paths paths = {0};
	cli_paths_add(&paths, o.archive, "--archive", CLI_OUT_OTHER);
	cli_paths_add(&paths, o.log, "--log", CLI_OUT_OTHER);
	cli_paths_add(&paths, o.common.model, "-m", CLI_IN_OTHER);
	cli_paths_add(&paths, cli_journal_path(&o.common), "--journal", CLI_OUT_OTHER);
	cli_paths_check(prog, &paths);

	struct cs_error err;
	struct model *m = model_open(o.common.model, &err);
	if (!m) {
		cs_error_print(prog, &err, false);
		return CLI_USAGE;
	}
	struct date today = cli_today(prog, o.common.today);
	struct journal *j =
	    o.dry_run ? NULL
	              : cli_journal_open(prog, &o.common, argc, argv, cli_model_path(&o.common));
	struct cli_warnings cw = {.prog = prog};
	char arule[96], lrule[96], dur[24], day[16];
	snprintf(arule, sizeof arule, "retain_until before %s%s", date_format(today, day),
	         m->retain_archive.amount > 0 ? ", else removed_on + retention.archive" : "");
	if (m->retain_log.amount > 0)
		snprintf(lrule, sizeof lrule, "dated before %s: retention.log %s",
		         date_format(purge_log_cutoff(today, m->retain_log), day),
		         duration_format(m->retain_log, dur));
	else
		snprintf(lrule, sizeof lrule, "the model gives no retention.log: all kept");
	struct target t[2] = {
	    {o.archive, arule, {.what = PURGE_ARCHIVE, .retain = m->retain_archive}, {0}},
	    {o.log, lrule, {.what = PURGE_LOG, .retain = m->retain_log}, {0}},
	};
	int status = CLI_OK;
	for (int i = 0; i < 2 && status == CLI_OK; i++) {
		if (!t[i].path)
			continue;
		t[i].po.today = today;
		t[i].po.dry_run = o.dry_run;
		t[i].po.journal = j;
		t[i].po.warn = cli_warn;
		t[i].po.warn_ctx = &cw;
		if (purge_prepare(t[i].path, &t[i].po, &t[i].p, &err) < 0) {
			cs_error_print(prog, &err, false);
			status = CLI_DATA;
		}
	}
	if (status == CLI_OK && j && journal_commit(j, &err) < 0) {
		cs_error_print(prog, &err, false);
		status = CLI_DATA;
	}
	bool landed = false;
	for (int i = 0; i < 2; i++) {
		if (!t[i].path)
			continue;
		if (status == CLI_OK)
			report(&o, &t[i]);
		/* The first file purged in place: the journal's lines stay, signal or not. */
		status = cli_output_finish_then(prog, t[i].p.out, status, j ? journal_lands : NULL, j);
		landed = landed || (status == CLI_OK && t[i].p.out);
	}
	if (j && (status == CLI_OK || landed)) {
		journal_landed(j);
	} else if (j && journal_rollback(j, &err) < 0) {
		cs_error_print(prog, &err, false);
		status = CLI_DATA;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("cs-purge: standard output");
		status = CLI_DATA;
	}
	journal_close(j);
	model_free(m);
	return status;
}
