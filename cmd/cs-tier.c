/*
 * cs-tier - set each client's tier (A, B, C...) by the model's tiering rules,
 * or bulk re-tier the records an expression selects; explain, list the
 * changes, rewrite a file in place atomically.
 *
 * Each record is decided on its own (DESIGN section 8) by lib/tiering.c;
 * this file parses the options, opens the inputs and the output, and prints
 * what the library reports.  --check-model --book holds the hours the model
 * asks of each person against their capacity (lib/tier_capacity.c), before
 * anyone commits to it.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "error.h"
#include "expr.h"
#include "filter.h"
#include "model.h"
#include "record.h"
#include "report_render.h"
#include "stream.h"
#include "tier_capacity.h"
#include "tiering.h"
#include "writer.h"

static const char prog[] = "cs-tier";

struct options {
	struct cli_common common;  /* format STREAM_AUTO: the input's */
	struct tiering_options to; /* --set, --lock, --force, --explain, --changes, --score */
	struct strlist rules;      /* --rule, in order */
	const char *where;
	const char *book; /* --check-model --book */
	int weeks;        /* with --book: working weeks a year; 0: the default */
	bool summary, in_place, check_model, strict;
};

enum {
	OPT_RULE = CLI_OPT_OWN,
	OPT_WHERE,
	OPT_SET,
	OPT_LOCK,
	OPT_FORCE,
	OPT_EXPLAIN,
	OPT_CHANGES,
	OPT_SUMMARY,
	OPT_SCORE,
	OPT_CHECK_MODEL,
	OPT_BOOK,
	OPT_WEEKS,
	OPT_STRICT
};

static const struct cli_opt option_table[] = {
    CLI_COMMON_MODEL(CLI_HELP_MODEL),
    {OPT_RULE, "rule", "'T: E'", "tier T when E; repeatable; replaces the model's rules"},
    {OPT_WHERE, "where", "EXPR", "re-tier only the records EXPR selects"},
    {OPT_SET, "set", "TIER", "give the selected records TIER instead of a rule's"},
    {OPT_LOCK, "lock", NULL, "mark the tiers this run sets as tier_locked"},
    {OPT_FORCE, "force", NULL, "re-tier locked records too"},
    {OPT_EXPLAIN, "explain", NULL, "add a tier_reason column naming the rule that matched"},
    {OPT_CHANGES, "changes", NULL, "write only records whose tier changed, with old_tier"},
    {OPT_SUMMARY, "summary", NULL, "print how many moved between which tiers on stderr"},
    {OPT_SCORE, "score", NULL, "add a score column from the model's score weights"},
    {OPT_CHECK_MODEL, "check-model", NULL, "check the model, print a summary of it and exit"},
    {OPT_BOOK, "book", "FILE", "with --check-model: FILE's planned hours against capacity"},
    {OPT_WEEKS, "weeks", "N", "with --book: working weeks a year, 1 to 52 (default 46)"},
    {'i', "in-place", NULL, "rewrite each FILE atomically instead of writing stdout"},
    CLI_COMMON_OUTPUT(CLI_HELP_OUTPUT),
    CLI_COMMON_CSV(CLI_HELP_CSV),
    CLI_COMMON_JSON(CLI_HELP_JSON),
    CLI_COMMON_EXCEL,
    CLI_COMMON_SHEET,
    {OPT_STRICT, "strict", NULL, "treat warnings as errors (exit 1)"},
    CLI_COMMON_TODAY(CLI_HELP_TODAY),
    CLI_COMMON_JOURNAL,
    CLI_COMMON_SHARD,
    CLI_COMMON_HELP_VERSION,
    {0},
};

static void
usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: %s [-cj] [-m MODEL] [--rule 'TIER: EXPR'] [--where EXPR] [--set TIER]\n"
	    "               [--lock] [--force] [--explain] [--changes] [--summary] [--score]\n"
	    "               [--strict] [--today DATE] [--journal FILE]\n"
	    "               [--shard K/N [--shard-by FIELD]] [-i | -o FILE] [FILE ...]\n"
	    "       %s [-m MODEL] [--rule 'TIER: EXPR'] --check-model [--book FILE [--weeks N]]\n",
	    prog, prog);
	if (f != stdout)
		return;
	fputs("\nSet each client's tier by the model's tiering rules (first match wins).\n\n", f);
	cli_print_help(f, option_table, 22);
}

static void
parse_options(int argc, char **argv, struct options *o)
{
	int c;
	while ((c = cli_getopt(argc, argv, option_table)) != -1) {
		switch (c) {
		case OPT_RULE:
			strlist_add(&o->rules, optarg);
			break;
		case OPT_WHERE:
			o->where = optarg;
			break;
		case OPT_SET:
			o->to.set = optarg;
			break;
		case OPT_LOCK:
			o->to.lock = true;
			break;
		case OPT_FORCE:
			o->to.force = true;
			break;
		case OPT_EXPLAIN:
			o->to.explain = true;
			break;
		case OPT_CHANGES:
			o->to.changes = true;
			break;
		case OPT_SUMMARY:
			o->summary = true;
			break;
		case OPT_SCORE:
			o->to.score = true;
			break;
		case OPT_CHECK_MODEL:
			o->check_model = true;
			break;
		case OPT_BOOK:
			o->book = optarg;
			break;
		case OPT_WEEKS:
			if (!(o->weeks = report_weeks_parse(optarg)))
				cli_die(prog, CLI_USAGE,
				        "--weeks \"%s\": a number of working weeks from 1 to 52",
				        optarg);
			break;
		case 'i':
			o->in_place = true;
			break;
		case OPT_STRICT:
			o->strict = true;
			break;
		default:
			cli_common_option(c, &o->common, prog, usage);
		}
	}
	if (o->book && !o->check_model)
		cli_die(prog, CLI_USAGE, "--book goes with --check-model");
	if (o->weeks && !o->book)
		cli_die(prog, CLI_USAGE, "--weeks goes with --check-model --book");
	if (o->check_model)
		return;
	if (o->in_place && o->common.output)
		cli_die(prog, CLI_USAGE, "-i and -o cannot go together");
	if (o->in_place && optind == argc)
		cli_die(prog, CLI_USAGE, "-i needs the files to rewrite");
	if (o->in_place && o->to.changes)
		cli_die(prog, CLI_USAGE,
		        "-i and --changes cannot go together: the file would keep "
		        "only the changed records");
	for (int i = optind; o->in_place && i < argc; i++)
		if (strcmp(argv[i], "-") == 0)
			cli_die(prog, CLI_USAGE, "-i cannot rewrite standard input");
	if (o->rules.n && o->to.set)
		cli_die(prog, CLI_USAGE, "--rule and --set cannot go together");
	if (o->to.changes && cli_journal_path(&o->common))
		cli_die(prog, CLI_USAGE,
		        "--changes writes a list of changes, not a book: there is nothing to "
		        "journal (leave out --journal, or unset CS_JOURNAL)");
}

/* What one run holds, shared by every input; teardown frees it whatever happened. */
struct run {
	const struct options *o;
	struct model *m;
	struct expr *where;
	struct tiering *tiering;
	struct journal *journal;
	struct cli_warnings cw;
};

static int
expr_error(const char *what, const char *src, const struct cs_error *e)
{
	fprintf(stderr, "%s: %s \"%s\": column %d: %s\n", prog, what, src, e->col, e->msg);
	return CLI_USAGE;
}

/* Advice about the rules: printed, but not counted, so --strict does not fail on it. */
static void
advise(void *ctx, const struct cs_error *w)
{
	(void)ctx;
	cs_error_print(prog, w, true);
}

/* filter_ops.start: the output columns, and the rules bound to them. */
static int
start(void *ctx, const struct stream *in, struct header **out)
{
	struct run *r = ctx;
	struct cs_error err;
	int rc = tiering_start(r->tiering, stream_header(in), out, &err);
	if (rc == TIERING_WHERE_ERROR)
		return expr_error("--where", r->o->where, &err);
	if (rc < 0) {
		cs_error_print(prog, &err, false);
		return CLI_USAGE;
	}
	return CLI_OK;
}

/* filter_ops.record: re-tier one record; with --changes, write only the changed. */
static int
retier(void *ctx, struct record *rec, const char *name, bool *write)
{
	struct run *r = ctx;
	struct cs_error err;
	int changed = tiering_apply(r->tiering, rec, name, &err);
	if (r->journal)
		journal_cause(r->journal, tiering_reason(r->tiering));
	*write = !r->o->to.changes || changed > 0;
	if (changed < 0)
		cs_error_print(prog, &err, false);
	return changed < 0 ? -1 : 0;
}

/* Load the model and check the options against it: every usage or model error comes out here. */
static int
setup(struct run *r)
{
	const struct options *o = r->o;
	struct cs_error err;
	if (!(r->m = model_open(o->common.model, &err)) ||
	    (o->rules.n && model_set_tiering(r->m, o->rules.v, o->rules.n, &err) < 0) ||
	    tiering_check(r->m, &o->to, &err) < 0) {
		cs_error_print(prog, &err, false);
		return CLI_USAGE;
	}
	return CLI_OK;
}

/* A record --book cannot tier: an error about it, and the run goes on. */
static void
untiered(void *ctx, const struct cs_error *e)
{
	(void)ctx;
	cs_error_print(prog, e, false);
}

/* --check-model: the model's summary on standard output; with --book, capacity too. */
static int
check_model(struct run *r)
{
	struct cs_error err;
	int status = CLI_OK;
	model_summary(stdout, r->m);
	if (r->o->book) {
		struct tier_capacity_options to = {
		    .book = r->o->book,
		    .retier = r->o->rules.n > 0,
		    .weeks = r->o->weeks,
		    .width = cli_text_width(),
		    .today = cli_today(prog, r->o->common.today),
		    .warn = cli_warn,
		    .warn_ctx = &r->cw,
		    .advise = advise,
		    .untiered = untiered,
		};
		int rc = tier_capacity_write(r->m, &to, stdout, &err);
		if (rc < 0)
			cs_error_print(prog, &err, false);
		status = rc == TIER_CAPACITY_MODEL ? CLI_USAGE : rc ? CLI_DATA : CLI_OK;
	}
	if (cli_close_output(stdout, NULL, &err) < 0) {
		cs_error_print(prog, &err, false);
		return CLI_DATA;
	}
	return status;
}

/* Tier every input: in place one by one (-i), or all to one output. */
static int
tier_all(struct run *r, char *const *paths, int npaths)
{
	const struct options *o = r->o;
	struct tiering_options to = o->to;
	to.today = cli_today(prog, o->common.today);
	to.warn = advise;
	struct cs_error err;
	if (o->where && !(r->where = expr_parse(o->where, &err)))
		return expr_error("--where", o->where, &err);
	to.where = r->where;
	r->tiering = tiering_new(r->m, &to);
	struct filter_options fo = {
	    .prog = prog,
	    .paths = paths,
	    .npaths = (size_t)npaths,
	    .output = o->common.output,
	    .in_place = o->in_place,
	    .format = o->common.format,
	    .writer_flags = o->common.writer_flags,
	    .warnings = &r->cw,
	    .strict = o->strict,
	    .journal = r->journal,
	};
	/* All that tiering_apply sets: the journal looks at these alone. */
	static const char *const changes[] = {"tier",        "tier_locked", "score",
	                                      "tier_reason", "old_tier",    NULL};
	fo.changes = changes;
	cli_stream_shard(&o->common, &fo.stream);
	static const struct filter_ops ops = {.start = start, .record = retier};
	int status = filter_run(&fo, &ops, r);
	if (o->summary && status != CLI_USAGE)
		tiering_summary(r->tiering, stderr);
	return status;
}

static void
teardown(struct run *r)
{
	tiering_free(r->tiering);
	expr_free(r->where);
	model_free(r->m);
}

int
main(int argc, char **argv)
{
	cli_std_fds();
	argv[0] = (char *)prog; /* getopt's messages name the tool, not its path */
	struct options o = {0};
	parse_options(argc, argv, &o);
	struct cli_paths paths = {0};
	cli_paths_add_all(&paths, argv + optind, (size_t)(argc - optind), CLI_IN_BOOK);
	cli_paths_add(&paths, o.common.model, "-m", CLI_IN_OTHER);
	cli_paths_add(&paths, o.book, "--book", CLI_IN_OTHER);
	cli_paths_add(&paths, o.common.output, "-o", CLI_OUT_BOOK);
	cli_paths_add(&paths, cli_journal_path(&o.common), "--journal", CLI_OUT_OTHER);
	cli_paths_check(prog, &paths);
	struct run r = {.o = &o, .cw = {.prog = prog}};
	if (!o.check_model)
		r.journal =
		    cli_journal_open(prog, &o.common, argc, argv, cli_model_path(&o.common));
	int status = setup(&r);
	if (status == CLI_OK && o.check_model)
		status = check_model(&r);
	else if (status == CLI_OK)
		status = tier_all(&r, argv + optind, argc - optind);
	teardown(&r);
	journal_close(r.journal);
	strlist_free(&o.rules);
	return status;
}
