/*
 * cs-remove - let clients go: pick them by the model's removal rules or
 * --where, archive every removed record (or, with --erase, suppress and
 * tombstone it), write the transition plan, and stream the kept ones.
 *
 * The tool parses and checks its options and opens the journal; the run
 * itself, from the first record to the plan, is lib/remove_driver.h.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "journal.h"
#include "removal.h"
#include "remove_driver.h"

static const char prog[] = "cs-remove";

enum {
	OPT_WHERE = CLI_OPT_OWN,
	OPT_REASON,
	OPT_ARCHIVE,
	OPT_PLAN,
	OPT_PLAN_FORMAT,
	OPT_LIMIT,
	OPT_FORCE,
	OPT_ERASE,
	OPT_LOG,
	OPT_SUPPRESS,
};

static const struct cli_opt option_table[] = {
    CLI_COMMON_MODEL("the service model (default: $CS_MODEL, built-in)"),
    {OPT_WHERE, "where", "EXPR", "remove the records EXPR matches, not the model's"},
    {OPT_REASON, "reason", "TEXT", "the reason archived with --where (default: EXPR)"},
    {OPT_ARCHIVE, "archive", "FILE", "append removed records here (default: $CS_ARCHIVE)"},
    {'n', "dry-run", NULL, "only show who would be removed and why"},
    {OPT_PLAN, "plan", "FILE", "write the transition plan to FILE"},
    {OPT_PLAN_FORMAT, "plan-format", "F", "md (Markdown, the default) or csv (mail merge)"},
    {OPT_LIMIT, "limit", "N", "refuse to remove more than N records"},
    {OPT_FORCE, "force", NULL, "remove tier_locked A clients too"},
    {OPT_ERASE, "erase", NULL, "an erasure request: archive nothing, suppress, tombstone"},
    {OPT_LOG, "log", "FILE", "with --erase: remove the client from the touch log FILE"},
    {OPT_SUPPRESS, "suppress", "FILE", "with --erase: add the keyed hashes to FILE"},
    CLI_COMMON_TODAY("take DATE as today (default: $CS_TODAY, the clock)"),
    CLI_COMMON_CSV(CLI_HELP_CSV),
    CLI_COMMON_JSON(CLI_HELP_JSON),
    CLI_COMMON_SHARD,
    CLI_COMMON_EXCEL,
    CLI_COMMON_OUTPUT(CLI_HELP_OUTPUT),
    {'i', "in-place", "FILE", "remove from FILE itself, atomically"},
    CLI_COMMON_JOURNAL,
    CLI_COMMON_HELP_VERSION,
    {0},
};

static void
usage(FILE *f)
{
	fprintf(f,
	        "usage: %s [-cjn] [-m MODEL] [--where EXPR [--reason TEXT]] [--archive FILE]\n"
	        "                 [--plan FILE [--plan-format md|csv]] [--limit N] [--force]\n"
	        "                 [--today DATE] [--journal FILE] [--shard K/N [--shard-by FIELD]]\n"
	        "                 [-o FILE | -i FILE] [FILE ...]\n"
	        "       %s --erase --where EXPR --suppress FILE [--reason TEXT] [--log FILE]\n"
	        "                 [-n] [--journal FILE] [-o FILE | -i FILE] [FILE ...]\n",
	        prog, prog);
	if (f != stdout)
		return;
	fputs("\n"
	      "Remove clients by the model's removal rules or --where, archive them and\n"
	      "write the transition plan; the kept records go to standard output.\n"
	      "\n",
	      f);
	cli_print_help(f, option_table, 25);
}

static unsigned long
parse_limit(const char *s)
{
	char *end;
	if (s[0] < '0' || s[0] > '9')
		cli_die(prog, CLI_USAGE, "--limit \"%s\" is not a number of records", s);
	unsigned long n = strtoul(s, &end, 10);
	if (*end)
		cli_die(prog, CLI_USAGE, "--limit \"%s\" is not a number of records", s);
	return n;
}

/* The combinations --erase refuses: it names one person, and keeps nothing about them. */
static void
check_erase(const struct remove_options *o)
{
	if (!o->where)
		cli_die(prog, CLI_USAGE,
		        "--erase needs --where EXPR naming the client (not the model's rules)");
	if (o->archive || o->plan)
		cli_die(prog, CLI_USAGE,
		        "--erase keeps no copy of the client: it takes no --archive or --plan");
	if (!o->suppress && !o->dry_run)
		cli_die(prog, CLI_USAGE,
		        "--erase needs --suppress FILE, or the next import brings the client back");
}

static void
parse_options(int argc, char **argv, struct remove_options *o)
{
	int c;
	while ((c = cli_getopt(argc, argv, option_table)) != -1) {
		switch (c) {
		case OPT_WHERE:
			o->where = optarg;
			break;
		case OPT_REASON:
			o->reason = optarg;
			break;
		case OPT_ARCHIVE:
			o->archive = optarg;
			break;
		case 'n':
			o->dry_run = true;
			break;
		case OPT_PLAN:
			o->plan = optarg;
			break;
		case OPT_PLAN_FORMAT:
			if (strcmp(optarg, "csv") == 0)
				o->plan_csv = true;
			else if (strcmp(optarg, "md") == 0 || strcmp(optarg, "markdown") == 0)
				o->plan_csv = false;
			else
				cli_die(prog, CLI_USAGE, "--plan-format \"%s\": use md or csv",
				        optarg);
			break;
		case OPT_LIMIT:
			o->limit = parse_limit(optarg);
			o->has_limit = true;
			break;
		case OPT_FORCE:
			o->force = true;
			break;
		case 'i':
			o->in_place = optarg;
			break;
		case OPT_ERASE:
			o->erase = true;
			break;
		case OPT_LOG:
			o->log = optarg;
			break;
		case OPT_SUPPRESS:
			o->suppress = optarg;
			break;
		default:
			cli_common_option(c, &o->common, prog, usage);
		}
	}
	o->inputs = argv + optind;
	o->ninputs = argc - optind;
	if (o->reason && !o->where)
		cli_die(prog, CLI_USAGE,
		        "--reason goes with --where (the model's rules name their own)");
	/* $CS_ARCHIVE is the archive cs-due and cs-report read back; an erasure keeps none. */
	const char *env = getenv("CS_ARCHIVE");
	if (!o->archive && !o->erase && env && *env)
		o->archive = env;
	if (o->erase)
		check_erase(o);
	else if (o->log || o->suppress)
		cli_die(prog, CLI_USAGE, "%s goes with --erase", o->log ? "--log" : "--suppress");
	else if (!o->archive && !o->dry_run)
		cli_die(prog, CLI_USAGE,
		        "--archive FILE (or $CS_ARCHIVE) is required: removed records "
		        "must go somewhere (or use --dry-run)");
	if (o->in_place && (o->ninputs > 0 || o->common.output))
		cli_die(prog, CLI_USAGE, "-i FILE rewrites FILE: give no other input and no -o");
	/* Standard output carries the kept stream or the dry-run table unless -o or -i moves it. */
	bool stdout_busy = o->dry_run ? !o->common.output : !o->in_place && !o->common.output;
	if (o->plan && strcmp(o->plan, "-") == 0 && stdout_busy)
		cli_die(prog, CLI_USAGE,
		        "--plan - needs standard output free: use -o FILE or -i FILE");
}

/* No output may overwrite an input or another output: refused before anything is read. */
static void
check_paths(const struct remove_options *o)
{
	struct cli_paths p = {0};
	cli_paths_add_all(&p, o->inputs, (size_t)o->ninputs, CLI_IN_BOOK);
	cli_paths_add(&p, o->in_place, "-i", CLI_IN_BOOK);
	cli_paths_add(&p, o->in_place, "-i", CLI_OUT_BOOK);
	/* A dry run's -o is a table of who would go, not the book. */
	cli_paths_add(&p, o->common.output, "-o", o->dry_run ? CLI_OUT_OTHER : CLI_OUT_BOOK);
	cli_paths_add(&p, o->archive, "--archive", CLI_OUT_OTHER);
	cli_paths_add(&p, o->plan, "--plan", CLI_OUT_OTHER);
	cli_paths_add(&p, o->common.model, "-m", CLI_IN_OTHER);
	cli_paths_add(&p, o->log, "--log", CLI_OUT_OTHER);
	cli_paths_add(&p, o->suppress, "--suppress", CLI_OUT_OTHER);
	cli_paths_add(&p, cli_journal_path(&o->common), "--journal", CLI_OUT_OTHER);
	cli_paths_check(prog, &p);
}

int
main(int argc, char **argv)
{
	cli_std_fds();
	argv[0] = (char *)prog; /* getopt's messages name the tool, not its path */
	struct remove_options o = {.prog = prog};
	parse_options(argc, argv, &o);
	check_paths(&o);
	struct journal *journal = NULL;
	if (!o.dry_run) {
		/* An erasure's --where names the client: the journal records "(erased)" instead. */
		char *owned = NULL;
		char **args = removal_journal_args(o.erase ? o.where : NULL, argc, argv, &owned);
		journal = cli_journal_open(prog, &o.common, argc, args, cli_model_path(&o.common));
		free(args);
		free(owned);
	}
	int status = remove_run(&o, journal);
	journal_close(journal);
	return status;
}
