/*
 * cs-remove - let clients go: pick them by the model's removal rules or
 * --where, archive every removed record, write the transition plan, and
 * stream the kept ones.
 *
 * Nothing leaves the process until every input has been read: --limit must
 * know the count before anything is written, and a bad row halfway through
 * must not leave half a book behind.  So the removed records are held in
 * memory (they are few; see lib/plan.c) and the kept ones are streamed to a
 * temporary file, so memory stays flat however large the book: for -i or
 * -o FILE the output's own (lib/file.c), for standard output or a device an
 * anonymous tmpfile(3) copied to it at the end.
 *
 * Then the order is what makes "lose nothing" hold at every instant:
 *   1. the archive is appended to, flushed and fsynced;
 *   2. the kept records go out (-i: the atomic rename; else the copy);
 *   3. the plan is committed (it was written to a temporary file beside it).
 * A failure in 2 takes the archive's new rows back, so a run either removed
 * the records and archived them, or changed nothing; only after the rename
 * has happened is the archive left alone, because then it is the only copy.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "archive.h"
#include "cli.h"
#include "error.h"
#include "expr.h"
#include "filter.h"
#include "model.h"
#include "plan.h"
#include "plan_render.h"
#include "record.h"
#include "stream.h"
#include "writer.h"

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
	char **inputs;
	int ninputs;
};

/* Everything one run holds; teardown frees it whatever happened. */
struct run {
	const struct options *o;
	struct date today;
	struct model *model;
	struct plan_script *script;
	struct expr *where;
	struct plan_selector selector;
	struct header *header;         /* the first input's: the kept stream's */
	struct header *archive_header; /* header + removed_on, reason, partner */
	struct archive *archive;
	struct plan *plan;
	struct file_output *plan_out; /* --plan, committed last */
	struct file_output *out;      /* the kept records: -i FILE, -o FILE or stdout */
	FILE *spool;                  /* the kept records when out is written directly */
	struct writer *kept;
	struct cli_warnings warnings;
	struct cli_warnings repairs; /* the archive's: not the input's, which --strict counts */
};

enum {
	OPT_WHERE = CLI_OPT_OWN,
	OPT_REASON,
	OPT_ARCHIVE,
	OPT_PLAN,
	OPT_PLAN_FORMAT,
	OPT_LIMIT,
	OPT_FORCE,
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
    CLI_COMMON_TODAY("take DATE as today (default: $CS_TODAY, the clock)"),
    CLI_COMMON_CSV(CLI_HELP_CSV),
    CLI_COMMON_JSON(CLI_HELP_JSON),
    CLI_COMMON_EXCEL,
    CLI_COMMON_OUTPUT(CLI_HELP_OUTPUT),
    {'i', "in-place", "FILE", "remove from FILE itself, atomically"},
    CLI_COMMON_HELP_VERSION,
    {0},
};

static void
usage(FILE *f)
{
	fprintf(f,
	        "usage: %s [-cjn] [-m MODEL] [--where EXPR [--reason TEXT]] [--archive FILE]\n"
	        "                 [--plan FILE [--plan-format md|csv]] [--limit N] [--force]\n"
	        "                 [--today DATE] [-o FILE | -i FILE] [FILE ...]\n",
	        prog);
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
		default:
			cli_common_option(c, &o->common, prog, usage);
		}
	}
	o->inputs = argv + optind;
	o->ninputs = argc - optind;
	if (o->reason && !o->where)
		cli_die(prog, CLI_USAGE,
		        "--reason goes with --where (the model's rules name their own)");
	if (!o->archive && !o->dry_run)
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

/* Load the model, its script and --where: every usage or model error comes out here. */
static int
setup(struct run *r, const struct options *o)
{
	struct cs_error err = {0};
	r->today = cli_today(prog, o->common.today);
	r->model = model_open(o->common.model, &err);
	if (!r->model || plan_script_parse(r->model, &r->script, &err) < 0) {
		cs_error_print(prog, &err, false);
		return CLI_USAGE;
	}
	if (o->where) {
		r->where = expr_parse(o->where, &err);
		if (!r->where) {
			fprintf(stderr, "%s: --where \"%s\": column %d: %s\n", prog, o->where,
			        err.col, err.msg);
			return CLI_USAGE;
		}
	} else if (r->model->nremoval == 0) {
		fprintf(stderr, "%s: %s: the model has no removal rules: give --where EXPR\n", prog,
		        r->model->path);
		return CLI_USAGE;
	}
	r->selector = (struct plan_selector){
	    .model = r->model,
	    .where = r->where,
	    .reason = o->reason ? o->reason : o->where,
	    .force = o->force,
	};
	r->warnings.prog = prog;
	r->repairs.prog = prog;
	/* The kept records (-i FILE or -o), or the dry run's table. */
	const char *out = o->in_place && !o->dry_run ? o->in_place : o->common.output;
	if (!(r->out = cli_output_open(prog, out)))
		return CLI_DATA;
	if (o->plan && !(r->plan_out = cli_output_open(prog, o->plan)))
		return CLI_DATA;
	return CLI_OK;
}

/*
 * filter_ops.start, for the first input: bind the rules and the script to
 * its columns, open the archive and the sink of the kept records.
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
	if (o->dry_run)
		return CLI_OK;
	r->archive_header = archive_header(r->header, stream_name(s), &err);
	if (!r->archive_header || !(r->archive = archive_open(o->archive, r->archive_header,
	                                                      cli_warn, &r->repairs, &err))) {
		cs_error_print(prog, &err, false);
		return CLI_DATA;
	}
	FILE *sink = file_output_stream(r->out);
	if (file_output_kind(r->out) == FILE_OUTPUT_DIRECT && !(sink = r->spool = tmpfile())) {
		perror("cs-remove: cannot create a temporary file");
		return CLI_DATA;
	}
	r->kept = writer_new(sink, cli_output_format(&o->common, stream_format(s)), r->header,
	                     o->common.writer_flags);
	return CLI_OK;
}

/* filter_ops.record: hold a removed record, spool a kept one. */
static int
sift_record(void *ctx, struct record *rec, const char *name, bool *write)
{
	struct run *r = ctx;
	struct expr_env env = {.today = r->today};
	struct cs_error w;
	(void)write;
	enum plan_verdict v = plan_sift(r->plan, &r->selector, rec, &env, name, &w);
	if (v == PLAN_PROTECTED)
		cli_warn(&r->warnings, &w);
	if (v != PLAN_REMOVE && r->kept)
		writer_put(r->kept, rec);
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
	static const struct filter_ops ops = {.start = start, .record = sift_record};
	int status = filter_read(&fo, &ops, r);
	if (r->kept) {
		struct cs_error err = {0};
		int rc =
		    writer_close(r->kept, o->in_place ? o->in_place : "(temporary file)", &err);
		r->kept = NULL;
		if (rc < 0 && status == CLI_OK) {
			cs_error_print(prog, &err, false);
			status = CLI_DATA;
		}
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

static int
write_plan(struct run *r, const struct options *o)
{
	struct cs_error err = {0};
	const char *name = strcmp(o->plan, "-") == 0 ? "<stdout>" : o->plan;
	FILE *f = file_output_stream(r->plan_out);
	if (o->plan_csv) {
		if (plan_write_csv(r->plan, r->script, f, name, &err) < 0) {
			cs_error_print(prog, &err, false);
			return CLI_DATA;
		}
	} else {
		plan_write_markdown(r->plan, r->script, r->model->name, r->today, f);
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
	struct file_output *output = r->out;
	r->out = NULL;
	if (plan_write_table(r->plan, o->common.format, cli_text_width(),
	                     file_output_stream(output), o->common.output, &err) < 0) {
		cs_error_print(prog, &err, false);
		status = CLI_DATA;
	}
	status = cli_output_finish(prog, output, status);
	return status == CLI_OK && o->plan ? write_plan(r, o) : status;
}

/* Take the archive's new rows back after a failure, and say so if even that fails. */
static void
undo_archive(struct run *r)
{
	struct cs_error err = {0};
	if (archive_rollback(r->archive, &err) < 0)
		cs_error_print(prog, &err, false);
}

/* Has path been replaced since before (st_ino of what it named then; known: it existed)? */
static bool
replaced(const char *path, bool known, const struct stat *before)
{
	struct stat now;
	if (stat(path, &now) != 0)
		return false;
	return !known || now.st_ino != before->st_ino || now.st_dev != before->st_dev;
}

/* The kept records out: the copy of the spool, then the commit.  Undoes the archive on failure. */
static int
deliver(struct run *r, const struct options *o)
{
	struct cs_error err = {0};
	struct file_output *out = r->out;
	r->out = NULL;
	if (o->in_place &&
	    plan_count(r->plan) == 0) { /* nothing removed: leave the file as it is */
		file_output_abort(out);
		return CLI_OK;
	}
	if (r->spool &&
	    file_copy_stream(r->spool, file_output_stream(out), file_output_name(out), &err) < 0) {
		cs_error_print(prog, &err, false);
		file_output_abort(out);
		undo_archive(r);
		return CLI_DATA;
	}
	const char *target = o->in_place ? o->in_place : o->common.output;
	struct stat before;
	bool known = target && stat(target, &before) == 0;
	bool direct = file_output_kind(out) == FILE_OUTPUT_DIRECT;
	if (file_output_commit(out, &err) == 0)
		return CLI_OK;
	cs_error_print(prog, &err, false);
	/* Once the rename is done (a failed directory sync), the archive is the only copy. */
	if (direct || !replaced(target, known, &before))
		undo_archive(r);
	return CLI_DATA;
}

static int
commit(struct run *r, const struct options *o)
{
	struct cs_error err = {0};
	size_t already = 0;
	if (plan_count(r->plan) > 0 &&
	    archive_append(r->archive, r->plan, r->today, &already, &err) < 0) {
		cs_error_print(prog, &err, false);
		return CLI_DATA;
	}
	if (already > 0)
		fprintf(stderr,
		        "%s: %s: %zu of the %zu records removed were in it already, "
		        "identical (archived by a run that stopped before it rewrote the "
		        "book?): not archived twice\n",
		        prog, o->archive, already, plan_count(r->plan));
	int status = deliver(r, o);
	if (status == CLI_OK && o->plan && (status = write_plan(r, o)) != CLI_OK)
		fprintf(stderr, "%s: the removal itself is complete; only the plan is missing\n",
		        prog);
	return status;
}

static void
teardown(struct run *r)
{
	if (r->kept) {
		struct cs_error ignored;
		writer_close(r->kept, NULL, &ignored);
	}
	/* Outputs still open were not committed: the run failed. */
	cli_output_finish(prog, r->out, CLI_DATA);
	cli_output_finish(prog, r->plan_out, CLI_DATA);
	if (r->spool)
		fclose(r->spool);
	archive_close(r->archive);
	plan_free(r->plan);
	header_free(r->archive_header);
	header_free(r->header);
	plan_script_free(r->script);
	expr_free(r->where);
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
	int status = setup(&r, &o);
	if (status == CLI_OK)
		status = sift(&r, &o);
	if (status == CLI_OK && o.dry_run) {
		status = report(&r, &o, over_limit(&r, &o) ? CLI_DATA : CLI_OK);
	} else if (status == CLI_OK) {
		status = over_limit(&r, &o) ? CLI_DATA : commit(&r, &o);
	}
	teardown(&r);
	return status;
}
