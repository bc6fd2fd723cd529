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
 * The journal (--journal) is committed between 1 and 2 and taken back with
 * the archive.
 *
 * --erase answers an erasure request: nothing is archived, and in its
 * place the client's email and phone go to the suppression list as keyed
 * hashes (lib/suppress.h), the touch log is rewritten without the client,
 * and the journal gets a tombstone, so none of the three holds the
 * client's personal data.  The order: the suppression list, the journal,
 * the log, then the book; a failure before the log's rename takes the
 * first two back.
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
#include "purge.h"
#include "record.h"
#include "stream.h"
#include "strtab.h"
#include "suppress.h"
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
	struct journal *journal;
	long at; /* records read: the journal's positions */
	struct suppress_key *key;
	struct suppress_append *suppressed; /* --erase: committed, until the book lands */
	bool log_landed;                    /* --erase: the touch log was rewritten */
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
	    /* An erasure's --where names the client: it goes nowhere, not even the journal. */
	    .reason = o->reason ? o->reason : o->erase ? "erasure request" : o->where,
	    .force = o->force,
	};
	if (o->erase && !o->dry_run && !(r->key = suppress_key_load(&err))) {
		cs_error_print(prog, &err, false);
		return CLI_USAGE;
	}
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
	const char *book = o->in_place ? o->in_place : o->common.output;
	if (r->journal)
		journal_file(r->journal, book ? book : "-");
	if (!o->erase && (!(r->archive_header = archive_header(r->header, stream_name(s), &err)) ||
	                  !(r->archive = archive_open(o->archive, r->archive_header, cli_warn,
	                                              &r->repairs, &err)))) {
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
	long at = r->at++;
	if (v == PLAN_REMOVE && r->journal && !r->o->erase) {
		const char *reason;
		const struct partner *partner;
		plan_record(r->plan, plan_count(r->plan) - 1, &reason, &partner);
		long id = header_find(r->header, "id");
		journal_cause(r->journal, reason);
		journal_record(r->journal, JOURNAL_REMOVE, at, r->header, rec,
		               id >= 0 ? (size_t)id : r->header->n);
	}
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
	cli_stream_shard(&o->common, &fo.stream);
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

/*
 * Take back what was committed before the book (the archive's new rows,
 * the suppression list's, the journal's) after a failure, and say so if
 * even that fails.  Once an erasure's touch log is rewritten, nothing is
 * taken back: the lines and hashes describe a change that happened.
 */
static void
undo_archive(struct run *r)
{
	struct cs_error err = {0};
	if (r->log_landed)
		return;
	if (r->archive && archive_rollback(r->archive, &err) < 0)
		cs_error_print(prog, &err, false);
	if (r->suppressed && suppress_append_rollback(r->suppressed, &err) < 0)
		cs_error_print(prog, &err, false);
	if (r->journal && journal_rollback(r->journal, &err) < 0)
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

/* The kept records out after the journal: the journal lands with them or is taken back. */
static int
deliver_journalled(struct run *r, const struct options *o)
{
	struct cs_error err = {0};
	if (r->journal && journal_commit(r->journal, &err) < 0) {
		cs_error_print(prog, &err, false);
		undo_archive(r);
		cli_output_finish(prog, r->out, CLI_DATA);
		r->out = NULL;
		return CLI_DATA;
	}
	int status = deliver(r, o);
	if (r->journal && (status == CLI_OK || r->log_landed))
		journal_landed(r->journal);
	return status;
}

static int
commit(struct run *r, const struct options *o)
{
	struct cs_error err = {0};
	size_t already = 0;
	struct archive_stamp stamp = {
	    .today = r->today, .retain = r->model->retain_archive, .journal = r->journal};
	if (plan_count(r->plan) > 0 && archive_append(r->archive, r->plan, &stamp, &already, &err) < 0) {
		cs_error_print(prog, &err, false);
		return CLI_DATA;
	}
	if (already > 0)
		fprintf(stderr,
		        "%s: %s: %zu of the %zu records removed were in it already, "
		        "identical (archived by a run that stopped before it rewrote the "
		        "book?): not archived twice\n",
		        prog, o->archive, already, plan_count(r->plan));
	int status = deliver_journalled(r, o);
	if (status == CLI_OK && o->plan && (status = write_plan(r, o)) != CLI_OK)
		fprintf(stderr, "%s: the removal itself is complete; only the plan is missing\n",
		        prog);
	return status;
}

/*
 * --erase, once every input is read: the tombstones, the suppression
 * list's hashes and the log without the client, then the book.
 */
static int
erase_prepare(struct run *r, const struct options *o, struct strtab *ids, struct purge *log)
{
	struct cs_error err = {0};
	long id_col = header_find(r->header, "id");
	if (!(r->suppressed = suppress_append_open(o->suppress, r->key, &err)))
		goto fail;
	size_t keys = 0;
	if (r->journal)
		journal_cause(r->journal, r->selector.reason);
	for (size_t i = 0; i < plan_count(r->plan); i++) {
		const char *reason;
		const struct partner *partner;
		const struct record *rec = plan_record(r->plan, i, &reason, &partner);
		keys += (size_t)suppress_append_record(r->suppressed, r->header, rec, r->today);
		size_t len = 0;
		const char *id = id_col >= 0 && (size_t)id_col < rec->n
		                     ? record_get(rec, (size_t)id_col, &len)
		                     : "";
		char hash[65];
		strtab_intern(ids, id, len, NULL);
		if (r->journal && suppress_hash(r->key, SUPPRESS_ID, id, len, hash))
			journal_event(r->journal, JOURNAL_ERASE, hash, 64, "", "", 0, -1);
	}
	struct purge_options po = {.what = PURGE_IDS, .today = r->today, .ids = ids};
	if (o->log && purge_prepare(o->log, &po, log, &err) < 0)
		goto fail;
	if (suppress_append_commit(r->suppressed, &err) < 0)
		goto fail;
	fprintf(stderr, "%s: %zu client%s erased: %ld touch-log row%s removed, %zu key%s added to %s\n",
	        prog, plan_count(r->plan), plan_count(r->plan) == 1 ? "" : "s", log->purged,
	        log->purged == 1 ? "" : "s", keys, keys == 1 ? "" : "s", o->suppress);
	return CLI_OK;
fail:
	cs_error_print(prog, &err, false);
	return CLI_DATA;
}

static int
commit_erase(struct run *r, const struct options *o)
{
	struct cs_error err = {0};
	struct strtab ids;
	strtab_init(&ids, false);
	struct purge log = {0};
	int status = plan_count(r->plan) ? erase_prepare(r, o, &ids, &log) : CLI_OK;
	if (!plan_count(r->plan))
		fprintf(stderr, "%s: --erase: no record matches: nothing erased\n", prog);
	if (status == CLI_OK && r->journal && journal_commit(r->journal, &err) < 0) {
		cs_error_print(prog, &err, false);
		status = CLI_DATA;
	}
	if (status == CLI_OK && log.out) {
		struct file_output *out = log.out;
		log.out = NULL;
		status = cli_output_finish(prog, out, CLI_OK);
		r->log_landed = status == CLI_OK;
	}
	if (status != CLI_OK) {
		undo_archive(r);
		cli_output_finish(prog, log.out, CLI_DATA);
		strtab_free(&ids);
		return status;
	}
	strtab_free(&ids);
	status = deliver(r, o);
	if (r->journal && (status == CLI_OK || r->log_landed))
		journal_landed(r->journal);
	if (status != CLI_OK && r->log_landed)
		fprintf(stderr,
		        "%s: the touch log no longer has the client, but the book still does: run "
		        "the same command again\n",
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
	suppress_append_close(r->suppressed);
	suppress_key_free(r->key);
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
	cli_paths_add(&p, o->log, "--log", CLI_OUT_OTHER);
	cli_paths_add(&p, o->suppress, "--suppress", CLI_OUT_OTHER);
	cli_paths_add(&p, cli_journal_path(&o->common), "--journal", CLI_OUT_OTHER);
	cli_paths_check(prog, &p);
}

/*
 * The arguments the journal records: for an erasure, --where's expression
 * (it names the client) is replaced by "(erased)".  A new array of
 * borrowed or new strings; *owned is the one new string, or NULL.
 */
static char **
journal_args(const struct options *o, int argc, char **argv, char **owned)
{
	char **v = xcalloc((size_t)argc + 1, sizeof *v);
	*owned = NULL;
	for (int i = 0; i < argc; i++) {
		v[i] = argv[i];
		const char *w = o->erase ? o->where : NULL;
		if (!w || w < argv[i] || w > argv[i] + strlen(argv[i]))
			continue;
		if (w == argv[i]) {
			v[i] = (char *)"(erased)";
		} else { /* --where=EXPR */
			struct buf b = {0};
			buf_printf(&b, "%.*s(erased)", (int)(w - argv[i]), argv[i]);
			v[i] = *owned = b.data;
		}
	}
	return v;
}

int
main(int argc, char **argv)
{
	argv[0] = (char *)prog; /* getopt's messages name the tool, not its path */
	struct options o = {0};
	parse_options(argc, argv, &o);
	check_paths(&o);
	struct run r = {.o = &o};
	char *owned = NULL, **args = journal_args(&o, argc, argv, &owned);
	if (!o.dry_run)
		r.journal = cli_journal_open(prog, &o.common, argc, args, cli_model_path(&o.common));
	free(args);
	free(owned);
	int status = setup(&r, &o);
	if (status == CLI_OK)
		status = sift(&r, &o);
	if (status == CLI_OK && o.dry_run) {
		status = report(&r, &o, over_limit(&r, &o) ? CLI_DATA : CLI_OK);
	} else if (status == CLI_OK) {
		status = over_limit(&r, &o) ? CLI_DATA : o.erase ? commit_erase(&r, &o) : commit(&r, &o);
	}
	teardown(&r);
	journal_close(r.journal);
	return status;
}
