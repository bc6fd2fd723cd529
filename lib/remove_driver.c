/*
 * remove_driver.c - one run of cs-remove (remove_driver.h): setup, the
 * inputs through lib/filter, then the dry run's table or the commit.
 */
#include "remove_driver.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "expr.h"
#include "filter.h"
#include "model.h"
#include "plan.h"
#include "plan_render.h"
#include "record.h"
#include "removal.h"
#include "spool.h"
#include "stream.h"
#include "suppress.h"

/* Everything one run holds; teardown frees it whatever happened. */
struct run {
	const struct remove_options *o;
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

/* A removal's errors and notes, printed as they come (none is a warning about the data). */
static void
say(void *ctx, const struct cs_error *e)
{
	const struct remove_options *o = ctx;
	cs_error_print(o->prog, e, false);
}

/* Where the kept records go, and what the removal commits: o's choices. */
static struct removal *
new_removal(struct run *r, const struct remove_options *o, struct file_output *out)
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
	    .report_ctx = (void *)o,
	};
	return removal_new(&ro, out);
}

/* Load the model, its script and --where: every usage or model error comes out here. */
static int
setup(struct run *r, const struct remove_options *o)
{
	struct cs_error err = {0};
	/* An erasure's --where names the client: it goes nowhere, not even the journal. */
	const char *reason = o->reason ? o->reason : o->erase ? "erasure request" : o->where;
	r->today = cli_today(o->prog, o->common.today);
	r->model = model_open(o->common.model, &err);
	if (!r->model || plan_script_parse(r->model, &r->script, &err) < 0 ||
	    plan_selector_init(&r->selector, r->model, o->where, reason, o->force, &err) < 0 ||
	    (o->erase && !o->dry_run && !(r->key = suppress_key_load(&err)))) {
		cs_error_print(o->prog, &err, false);
		return CLI_USAGE;
	}
	r->warnings.prog = o->prog;
	r->repairs.prog = o->prog;
	/* The kept records (-i FILE or -o), or the dry run's table. */
	struct file_output *out =
	    cli_output_open(o->prog, o->in_place && !o->dry_run ? o->in_place : o->common.output);
	if (!out)
		return CLI_DATA;
	if (o->dry_run)
		r->table = out;
	else
		r->removal = new_removal(r, o, out);
	if (o->plan && !(r->plan_out = cli_output_open(o->prog, o->plan)))
		return CLI_DATA;
	return CLI_OK;
}

/*
 * CS_SPOOL_AFTER: the bytes of removed records held in memory before they
 * go to a temporary file (a test's way to the file with a small book); a
 * value that is not a number of bytes is ignored, as CS_PROGRESS_AFTER's.
 */
static size_t
spool_after(void)
{
	const char *env = getenv("CS_SPOOL_AFTER");
	char *end;
	if (!env || *env < '0' || *env > '9')
		return SPOOL_BUDGET;
	errno = 0;
	unsigned long long v = strtoull(env, &end, 10);
	return *end || errno || v > SIZE_MAX ? SPOOL_BUDGET : (size_t)v;
}

/*
 * filter_ops.start, for the first input: bind the rules and the script to
 * its columns, start the removal (the archive, the kept records' sink).
 */
static int
start(void *ctx, const struct stream *s, struct header **unused)
{
	struct run *r = ctx;
	const struct remove_options *o = r->o;
	struct cs_error err = {0};
	(void)unused;
	r->header = header_copy(stream_header(s));
	r->plan = plan_new(r->header);
	plan_spool_after(r->plan, spool_after());
	if (plan_selector_bind(&r->selector, r->header, &err) < 0 ||
	    (o->plan && r->script && plan_script_bind(r->script, r->header, &err) < 0)) {
		cs_error_print(o->prog, &err, false);
		return CLI_USAGE;
	}
	enum stream_format format = cli_output_format(&o->common, stream_format(s));
	if (r->removal && removal_start(r->removal, r->header, stream_name(s), format, &err) < 0) {
		cs_error_print(o->prog, &err, false);
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
	(void)write;
	enum plan_verdict v = plan_sift(r->plan, &r->selector, rec, &env, name, &w);
	if (v == PLAN_PROTECTED)
		cli_warn(&r->warnings, &w);
	if (v == PLAN_REMOVE) {
		/* Once the plan has failed, so will the run: any reason will do. */
		reason = "";
		if (plan_end_input(r->plan, NULL) == 0)
			plan_why(r->plan, plan_count(r->plan) - 1, &reason, NULL);
	}
	if (r->removal)
		removal_record(r->removal, rec, reason);
	return 0;
}

/* Read every input; the kept stream is complete and flushed when this returns CLI_OK. */
static int
sift(struct run *r, const struct remove_options *o)
{
	struct filter_options fo = {
	    .prog = o->prog,
	    .paths = o->in_place ? (char *const *)&o->in_place : o->inputs,
	    .npaths = o->in_place ? 1 : (size_t)o->ninputs,
	    .warnings = &r->warnings,
	};
	cli_stream_shard(&o->common, &fo.stream);
	static const struct filter_ops ops = {.start = start, .record = sift_record};
	int status = filter_read(&fo, &ops, r);
	struct cs_error err = {0};
	if (r->removal && removal_end_input(r->removal, &err) < 0 && status == CLI_OK) {
		cs_error_print(o->prog, &err, false);
		status = CLI_DATA;
	}
	/* A record the plan could not keep: nothing may go out without it. */
	if (r->plan && plan_end_input(r->plan, &err) < 0 && status == CLI_OK) {
		cs_error_print(o->prog, &err, false);
		status = CLI_DATA;
	}
	return status;
}

/* --limit: a guard against a wrong rule, checked before anything is written. */
static bool
over_limit(const struct run *r, const struct remove_options *o)
{
	if (!o->has_limit || plan_count(r->plan) <= o->limit)
		return false;
	fprintf(stderr,
	        "%s: %zu records match, more than --limit %lu: %s (check the rules, or "
	        "raise the limit)\n",
	        o->prog, plan_count(r->plan), o->limit,
	        o->dry_run ? "a real run would change nothing" : "nothing was changed");
	return true;
}

/* The plan, committed; on a write error it is left to teardown, after any message. */
static int
write_plan(struct run *r, const struct remove_options *o)
{
	struct cs_error err = {0};
	if (plan_write(r->plan, r->script, o->plan_csv, r->model->name, r->today,
	               file_output_stream(r->plan_out), file_output_name(r->plan_out), &err) < 0) {
		cs_error_print(o->prog, &err, false);
		return CLI_DATA;
	}
	struct file_output *out = r->plan_out;
	r->plan_out = NULL;
	return cli_output_finish(o->prog, out, CLI_OK);
}

/*
 * --dry-run: the table of who would go, and the plan if asked for.  The
 * table is shown on standard output whatever status (over --limit), but a
 * file is replaced only when status is CLI_OK.
 */
static int
report(struct run *r, const struct remove_options *o, int status)
{
	struct cs_error err = {0};
	struct file_output *table = r->table;
	r->table = NULL;
	if (plan_write_table(r->plan, o->common.format, cli_text_width(), file_output_stream(table),
	                     o->common.output, &err) < 0) {
		cs_error_print(o->prog, &err, false);
		status = CLI_DATA;
	}
	status = cli_output_finish(o->prog, table, status);
	return status == CLI_OK && o->plan ? write_plan(r, o) : status;
}

/* A real run, once every input is read: the removal or the erasure, then the plan. */
static int
commit(struct run *r, const struct remove_options *o)
{
	if (o->erase)
		return removal_erase(r->removal, r->plan) < 0 ? CLI_DATA : CLI_OK;
	if (removal_commit(r->removal, r->plan) < 0)
		return CLI_DATA;
	int status = o->plan ? write_plan(r, o) : CLI_OK;
	if (status != CLI_OK)
		fprintf(stderr, "%s: the removal itself is complete; only the plan is missing\n",
		        o->prog);
	return status;
}

static void
teardown(struct run *r)
{
	const struct remove_options *o = r->o;
	/* Outputs still open were not committed: the run failed. */
	removal_free(r->removal);
	cli_output_finish(o->prog, r->table, CLI_DATA);
	cli_output_finish(o->prog, r->plan_out, CLI_DATA);
	suppress_key_free(r->key);
	plan_free(r->plan);
	header_free(r->header);
	plan_script_free(r->script);
	plan_selector_free(&r->selector);
	model_free(r->model);
}

int
remove_run(const struct remove_options *o, struct journal *journal)
{
	struct run r = {.o = o, .journal = journal};
	int status = setup(&r, o);
	if (status == CLI_OK)
		status = sift(&r, o);
	if (status == CLI_OK && o->dry_run)
		status = report(&r, o, over_limit(&r, o) ? CLI_DATA : CLI_OK);
	else if (status == CLI_OK)
		status = over_limit(&r, o) ? CLI_DATA : commit(&r, o);
	teardown(&r);
	return status;
}
