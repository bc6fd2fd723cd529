/*
 * cs-remove - let clients go: pick them by the model's removal rules or
 * --where, archive every removed record (or, with --erase, suppress and
 * tombstone it), write the transition plan, and stream the kept ones.
 *
 * The tool parses its options, judges each record (lib/plan.h) and hands
 * it to the removal (lib/removal.h), which holds the kept records back
 * until every input is read and then commits the archive, the journal and
 * the book in the order that loses nothing; the plan (lib/plan_render.h)
 * is written last, once the records are safe.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "error.h"
#include "expr.h"
#include "filter.h"
#include "model.h"
#include "plan.h"
#include "plan_render.h"
#include "record.h"
#include "removal.h"
#include "stream.h"
#include "suppress.h"

static const char prog[] = "cs-remove";

struct options {
	struct cli_common common; /* format STREAM_AUTO: the input's (dry run: text) */
	const char *where;
	const char *reason;
	const char *archive;
	const char *plan;
	bool plan_csv;
	const char *in_place;
	bool dry_run;
	bool force;
	bool has_limit;
	unsigned long limit;
	bool erase;
	const char *log;      /* --erase: the touch log to rewrite */
	const char *suppress; /* --erase: the suppression list */
	char **inputs;
	int ninputs;
};

/* Everything one run holds; teardown frees it whatever happened. */
struct run {
	const struct options *o;
	struct date today;
	struct model *model;
	struct plan_script *script;
	struct plan_selector selector;
	struct header *header; /* the first input's: the kept stream's */
	struct plan *plan;
	struct removal *removal;      /* the kept records and the commit (not a dry run) */
	struct file_output *table;    /* a dry run's table */
	struct file_output *plan_out; /* --plan, committed last */
	struct cli_warnings warnings;
	struct cli_warnings repairs; /* the archive's: not the input's, which --strict counts */
	struct journal *journal;
	struct suppress_key *key;
};

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
    {OPT_ARCHIVE, "archive", "FILE", "append removed records here (required to remove)"},
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
check_erase(const struct options *o)
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
parse_options(int argc, char **argv, struct options *o)
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
	if (o->erase)
		check_erase(o);
	else if (o->log || o->suppress)
		cli_die(prog, CLI_USAGE, "%s goes with --erase", o->log ? "--log" : "--suppress");
	else if (!o->archive && !o->dry_run)
		cli_die(prog, CLI_USAGE,
		        "--archive FILE is required: removed records must go "
		        "somewhere (or use --dry-run)");
	if (o->in_place && (o->ninputs > 0 || o->common.output))
		cli_die(prog, CLI_USAGE, "-i FILE rewrites FILE: give no other input and no -o");
	/* Standard output carries the kept stream or the dry-run table unless -o or -i moves it. */
	bool stdout_busy = o->dry_run ? !o->common.output : !o->in_place && !o->common.output;
	if (o->plan && strcmp(o->plan, "-") == 0 && stdout_busy)
		cli_die(prog, CLI_USAGE,
		        "--plan - needs standard output free: use -o FILE or -i FILE");
}

/* A removal's errors and notes, printed as they come (none is a warning about the data). */
static void
say(void *ctx, const struct cs_error *e)
{
	(void)ctx;
	cs_error_print(prog, e, false);
}

/* Where the kept records go, and what the removal commits: o's choices. */
static struct removal *
new_removal(struct run *r, const struct options *o, struct file_output *out)
{
	struct removal_options ro = {
	    .today = r->today,
	    .book = o->in_place ? o->in_place : o->common.output,
	    .in_place = o->in_place != NULL,
	    .journal = r->journal,
	    .writer_flags = o->common.writer_flags,
	    .archive = o->archive,
	    .retain = r->model->retain_archive,
	    .erase = o->erase,
	    .cause = r->selector.reason,
	    .suppress = o->suppress,
	    .key = r->key,
	    .log = o->log,
	    .repair = cli_warn,
	    .repair_ctx = &r->repairs,
	    .report = say,
	};
	return removal_new(&ro, out);
}

/* Load the model, its script and --where: every usage or model error comes out here. */
static int
setup(struct run *r, const struct options *o)
{
	struct cs_error err = {0};
	/* An erasure's --where names the client: it goes nowhere, not even the journal. */
	const char *reason = o->reason ? o->reason : o->erase ? "erasure request" : o->where;
	r->today = cli_today(prog, o->common.today);
	r->model = model_open(o->common.model, &err);
	if (!r->model || plan_script_parse(r->model, &r->script, &err) < 0 ||
	    plan_selector_init(&r->selector, r->model, o->where, reason, o->force, &err) < 0 ||
	    (o->erase && !o->dry_run && !(r->key = suppress_key_load(&err)))) {
		cs_error_print(prog, &err, false);
		return CLI_USAGE;
	}
	r->warnings.prog = prog;
	r->repairs.prog = prog;
	/* The kept records (-i FILE or -o), or the dry run's table. */
	struct file_output *out =
	    cli_output_open(prog, o->in_place && !o->dry_run ? o->in_place : o->common.output);
	if (!out)
		return CLI_DATA;
	if (o->dry_run)
		r->table = out;
	else
		r->removal = new_removal(r, o, out);
	if (o->plan && !(r->plan_out = cli_output_open(prog, o->plan)))
		return CLI_DATA;
	return CLI_OK;
}

/*
 * filter_ops.start, for the first input: bind the rules and the script to
 * its columns, start the removal (the archive, the kept records' sink).
 */
static int
start(void *ctx, const struct stream *s, struct header **unused)
{
	struct run *r = ctx;
	const struct options *o = r->o;
	struct cs_error err = {0};
	(void)unused;
	r->header = header_copy(stream_header(s));
	r->plan = plan_new(r->header);
	if (plan_selector_bind(&r->selector, r->header, &err) < 0 ||
	    (o->plan && r->script && plan_script_bind(r->script, r->header, &err) < 0)) {
		cs_error_print(prog, &err, false);
		return CLI_USAGE;
	}
	enum stream_format format = cli_output_format(&o->common, stream_format(s));
	if (r->removal && removal_start(r->removal, r->header, stream_name(s), format, &err) < 0) {
		cs_error_print(prog, &err, false);
		return CLI_DATA;
	}
	return CLI_OK;
}

/* filter_ops.record: judge the record; the removal holds it, removed or kept. */
static int
sift_record(void *ctx, struct record *rec, const char *name, bool *write)
{
	struct run *r = ctx;
	struct expr_env env = {.today = r->today};
	struct cs_error w;
	const char *reason = NULL;
	const struct partner *partner;
	(void)write;
	enum plan_verdict v = plan_sift(r->plan, &r->selector, rec, &env, name, &w);
	if (v == PLAN_PROTECTED)
		cli_warn(&r->warnings, &w);
	if (v == PLAN_REMOVE)
		plan_record(r->plan, plan_count(r->plan) - 1, &reason, &partner);
	if (r->removal)
		removal_record(r->removal, rec, reason);
	return 0;
}

/* Read every input; the kept stream is complete and flushed when this returns CLI_OK. */
static int
sift(struct run *r, const struct options *o)
{
	struct filter_options fo = {
	    .prog = prog,
	    .paths = o->in_place ? (char *const *)&o->in_place : o->inputs,
	    .npaths = o->in_place ? 1 : (size_t)o->ninputs,
	    .warnings = &r->warnings,
	};
	cli_stream_shard(&o->common, &fo.stream);
	static const struct filter_ops ops = {.start = start, .record = sift_record};
	int status = filter_read(&fo, &ops, r);
	struct cs_error err = {0};
	if (r->removal && removal_end_input(r->removal, &err) < 0 && status == CLI_OK) {
		cs_error_print(prog, &err, false);
		status = CLI_DATA;
	}
	return status;
}

/* --limit: a guard against a wrong rule, checked before anything is written. */
static bool
over_limit(const struct run *r, const struct options *o)
{
	if (!o->has_limit || plan_count(r->plan) <= o->limit)
		return false;
	fprintf(stderr,
	        "%s: %zu records match, more than --limit %lu: %s (check the rules, or "
	        "raise the limit)\n",
	        prog, plan_count(r->plan), o->limit,
	        o->dry_run ? "a real run would change nothing" : "nothing was changed");
	return true;
}

/* The plan, committed; on a write error it is left to teardown, after any message. */
static int
write_plan(struct run *r, const struct options *o)
{
	struct cs_error err = {0};
	if (plan_write(r->plan, r->script, o->plan_csv, r->model->name, r->today,
	               file_output_stream(r->plan_out), file_output_name(r->plan_out), &err) < 0) {
		cs_error_print(prog, &err, false);
		return CLI_DATA;
	}
	struct file_output *out = r->plan_out;
	r->plan_out = NULL;
	return cli_output_finish(prog, out, CLI_OK);
}

/*
 * --dry-run: the table of who would go, and the plan if asked for.  The
 * table is shown on standard output whatever status (over --limit), but a
 * file is replaced only when status is CLI_OK.
 */
static int
report(struct run *r, const struct options *o, int status)
{
	struct cs_error err = {0};
	struct file_output *table = r->table;
	r->table = NULL;
	if (plan_write_table(r->plan, o->common.format, cli_text_width(), file_output_stream(table),
	                     o->common.output, &err) < 0) {
		cs_error_print(prog, &err, false);
		status = CLI_DATA;
	}
	status = cli_output_finish(prog, table, status);
	return status == CLI_OK && o->plan ? write_plan(r, o) : status;
}

/* A real run, once every input is read: the removal or the erasure, then the plan. */
static int
commit(struct run *r, const struct options *o)
{
	if (o->erase)
		return removal_erase(r->removal, r->plan) < 0 ? CLI_DATA : CLI_OK;
	if (removal_commit(r->removal, r->plan) < 0)
		return CLI_DATA;
	int status = o->plan ? write_plan(r, o) : CLI_OK;
	if (status != CLI_OK)
		fprintf(stderr, "%s: the removal itself is complete; only the plan is missing\n",
		        prog);
	return status;
}

static void
teardown(struct run *r)
{
	/* Outputs still open were not committed: the run failed. */
	removal_free(r->removal);
	cli_output_finish(prog, r->table, CLI_DATA);
	cli_output_finish(prog, r->plan_out, CLI_DATA);
	suppress_key_free(r->key);
	plan_free(r->plan);
	header_free(r->header);
	plan_script_free(r->script);
	plan_selector_free(&r->selector);
	model_free(r->model);
}

/* No output may overwrite an input or another output: refused before anything is read. */
static void
check_paths(const struct options *o)
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
	argv[0] = (char *)prog; /* getopt's messages name the tool, not its path */
	struct options o = {0};
	parse_options(argc, argv, &o);
	check_paths(&o);
	struct run r = {.o = &o};
	/* An erasure's --where names the client: the journal records "(erased)" instead. */
	char *owned = NULL;
	char **args = removal_journal_args(o.erase ? o.where : NULL, argc, argv, &owned);
	const char *model = cli_model_path(&o.common);
	if (!o.dry_run)
		r.journal = cli_journal_open(prog, &o.common, argc, args, model);
	free(args);
	free(owned);
	int status = setup(&r, &o);
	if (status == CLI_OK)
		status = sift(&r, &o);
	if (status == CLI_OK && o.dry_run)
		status = report(&r, &o, over_limit(&r, &o) ? CLI_DATA : CLI_OK);
	else if (status == CLI_OK)
		status = over_limit(&r, &o) ? CLI_DATA : commit(&r, &o);
	teardown(&r);
	journal_close(r.journal);
	return status;
}
