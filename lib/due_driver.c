/*
 * due_driver.c - cs-due's modes, run over the library.
 *
 * Each mode is one function below, and due_driver_run picks it: what they
 * share is the start (the output, then the touch logs, which every mode
 * but --merge reads before any book) and the end (the output committed
 * only when the run succeeded).  The list is made once whatever its format:
 * books are collected into a due list, and only the writing differs; -c
 * and -j under a memory budget write the spilled runs merged, in the same
 * order as the list in memory would have been.
 */
#include "due_driver.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive.h"
#include "due_client.h"
#include "due_mail.h"
#include "due_runs.h"
#include "idtab.h"
#include "stream.h"
#include "touchlog.h"
#include "util.h"
#include "weekplan.h"

/* Never-contacted clients due today at least this many: say how to spread them. */
enum { START_HINT_AT = 20 };

/* What a run holds while it reads; freed by run_free. */
struct run {
	const struct due_driver_options *o;
	struct cli_warnings cw;
	struct file_output *out;
	struct touchlog *log;
	struct strlist logs;   /* the logs that exist (see log_not_yet) */
	struct idtab archived; /* the ids of the archives' removed clients */
};

struct cadence_window
due_plan_window(struct date today, int weeks)
{
	long days = date_to_days(today);
	long sunday = days - weekplan_weekday(days) + 7L * weeks - 1;
	return cadence_window(today, (struct duration){(int)(sunday - days + 1), DUR_DAYS});
}

int
due_budget_parse(const char *s, size_t *bytes)
{
	if (strcmp(s, "unlimited") == 0) {
		*bytes = 0;
		return 0;
	}
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	unsigned shift = *end == 'K' ? 10 : *end == 'M' ? 20 : *end == 'G' ? 30 : 0;
	if (shift)
		end++;
	if (*s < '0' || *s > '9' || errno || *end || v == 0 || v > (SIZE_MAX >> shift))
		return -1;
	*bytes = (size_t)v << shift;
	return 0;
}

/* A --tier or --touch the model does not have: CLI_USAGE, said, since a typo would list nothing. */
static int
check_filter(const struct due_driver_options *o)
{
	char tiers[256];
	const struct due_filter *f = &o->filter;
	for (size_t i = 0; i < f->ntiers; i++)
		if (!model_has_tier(o->model, f->tiers[i])) {
			fprintf(stderr, "%s: --tier %s: the model has no such tier (it has %s)\n",
			        o->prog, f->tiers[i],
			        model_tier_list(o->model, tiers, sizeof tiers));
			return CLI_USAGE;
		}
	for (size_t i = 0; i < f->ntouches; i++)
		if (!model_find_touch(o->model, NULL, f->touches[i])) {
			fprintf(stderr,
			        "%s: --touch \"%s\": no tier of the model has such a touch\n",
			        o->prog, f->touches[i]);
			return CLI_USAGE;
		}
	return CLI_OK;
}

/*
 * A --log that does not exist yet is an empty log, said once: on day one
 * nothing has been logged, and cs-log creates the file with the first
 * touch.  Any other trouble (a directory, no permission) stays an error.
 */
static bool
log_not_yet(const char *prog, const char *path)
{
	struct stat st;
	if (strcmp(path, "-") == 0 || stat(path, &st) == 0 || errno != ENOENT)
		return false;
	fprintf(stderr,
	        "%s: note: %s does not exist yet: taken as an empty log (cs-log creates it)\n",
	        prog, path);
	return true;
}

/* Read every --log into r->log; CLI_DATA after one that cannot be read. */
static int
read_logs(struct run *r)
{
	struct stream_options so = {.warn = cli_warn, .warn_ctx = &r->cw};
	for (size_t i = 0; i < r->o->nlogs; i++) {
		const char *path = r->o->logs[i];
		struct cs_error err;
		if (log_not_yet(r->o->prog, path))
			continue;
		strlist_add(&r->logs, path);
		if (touchlog_read(r->log, path, &so, &err) < 0) {
			/* A list made without the log would show done touches as due. */
			cs_error_print(r->o->prog, &err, false);
			return CLI_DATA;
		}
	}
	return CLI_OK;
}

/*
 * Read every --archive's ids into r->archived, for the orphan warning; an
 * archive that does not exist yet is an empty one, with a note, as a log.
 * Only for a list with a log: --client warns about no orphans.  CLI_DATA
 * after one that cannot be read (its removed clients would be warned about).
 */
static int
read_archives(struct run *r)
{
	struct stream_options so = {.warn = cli_warn, .warn_ctx = &r->cw};
	bool orphans = r->o->nlogs && r->o->mode != DUE_MODE_CLIENT;
	for (size_t i = 0; orphans && i < r->o->narchives; i++) {
		const char *path = r->o->archives[i];
		struct cs_error err;
		int rc = archive_read_ids(path, &so, &r->archived, &err);
		if (rc == ARCHIVE_NOT_YET)
			fprintf(stderr,
			        "%s: note: %s does not exist yet: no client removed (cs-remove "
			        "creates it)\n",
			        r->o->prog, path);
		if (rc < 0) {
			cs_error_print(r->o->prog, &err, false);
			return CLI_DATA;
		}
	}
	return CLI_OK;
}

/* --client: the client's page (due_client.h) to the output. */
static int
run_client(struct run *r)
{
	const struct due_driver_options *o = r->o;
	struct due_client_query q = {
	    .ref = o->client,
	    .books = o->paths,
	    .nbooks = o->npaths,
	    .logs = r->logs.v,
	    .nlogs = r->logs.n,
	    .model = o->model,
	    .log = r->log,
	    .today = o->today,
	    .json = o->format == DUE_JSON,
	};
	struct cs_error err;
	int status = CLI_OK;
	if (due_client_write(&q, file_output_stream(r->out), &err) < 0) {
		cs_error_print(o->prog, &err, false);
		status = CLI_DATA;
	}
	return cli_output_finish(o->prog, r->out, status);
}

/*
 * A book is read in batches of BOOK_BATCH records: the batch's clients are
 * looked up in the log all at once (touchlog_find_clients), their cache
 * misses overlapping, and only then is each record added, in order.  In a
 * log of millions of clients every lookup misses, and a record no longer
 * waits for its own.  Messages stay in the order of a record-by-record
 * read: a warning that reading says (the stream's, through relay_warn)
 * first adds the records read before it, and after an error that adding
 * says nothing more is read or said.
 */
enum { BOOK_BATCH = 32 };

struct book_reader {
	struct run *r;
	struct due_book *book;
	struct due_list *l;
	struct due_runs *runs;
	long id_col;
	struct record rec[BOOK_BATCH];
	long client[BOOK_BATCH]; /* each record's client in the log (touchlog_find_clients) */
	size_t n, done;          /* records read, and added, of the batch */
	bool failed;             /* adding one failed: err says why */
	struct cs_error err;
	const struct stream_options *so; /* the caller's, whose warn relay_warn calls */
};

/* Look the batch's clients up, all at once. */
static void
find_clients(struct book_reader *br)
{
	const char *ids[BOOK_BATCH];
	size_t lens[BOOK_BATCH];
	for (size_t i = 0; i < br->n; i++) {
		lens[i] = 0;
		ids[i] =
		    br->id_col >= 0 ? record_get(&br->rec[i], (size_t)br->id_col, &lens[i]) : "";
	}
	touchlog_find_clients(br->r->log, ids, lens, br->n, br->client);
}

/* Add the records of the batch not added yet, in order, until one fails. */
static void
drain(struct book_reader *br)
{
	for (; br->done < br->n && !br->failed; br->done++) {
		due_book_add(br->book, &br->rec[br->done]);
		touchlog_see_client(br->r->log, br->client[br->done]);
		if (due_runs_check(br->runs, br->l, br->book, &br->err) < 0)
			br->failed = true;
	}
}

/* A stream's warning: after the records before it, and never after a failure. */
static void
relay_warn(void *ctx, const struct cs_error *w)
{
	struct book_reader *br = ctx;
	if (br->book) {
		if (br->done < br->n)
			find_clients(br); /* the lookups drain's records still need */
		drain(br);
	}
	if (!br->failed && br->so->warn)
		br->so->warn(br->so->warn_ctx, w);
}

/* Read the batch's records and add them; 1 while there are more, else what stream_next said. */
static int
read_batch(struct book_reader *br, struct stream *s, struct cs_error *err)
{
	int got = 1;
	br->n = br->done = 0;
	while (br->n < BOOK_BATCH && !br->failed &&
	       (got = stream_next(s, &br->rec[br->n], err)) == 1)
		br->n++;
	if (br->done < br->n) {
		find_clients(br);
		drain(br);
	}
	return got;
}

/*
 * Read one book and keep its listed items in l, spilling runs; tell the
 * log each client the book has, for the orphan warning.  Returns the exit
 * status for it.
 */
static int
collect(struct run *r, const char *path, const struct stream_options *so, const struct due_query *q,
        struct due_list *l, struct due_runs *runs)
{
	struct book_reader *br = xcalloc(1, sizeof *br);
	*br = (struct book_reader){.r = r, .l = l, .runs = runs, .so = so};
	struct stream_options relayed = *so;
	relayed.warn = relay_warn;
	relayed.warn_ctx = br;
	struct cs_error err;
	struct stream *s = stream_open(path, &relayed, &err);
	br->book = s ? due_book_new(l, q, stream_header(s), stream_name(s), &err) : NULL;
	int got = -1;
	if (br->book) {
		br->id_col = header_find(stream_header(s), "id");
		while ((got = read_batch(br, s, &err)) == 1 && !br->failed)
			;
	}
	if (br->failed)
		cs_error_print(r->o->prog, &br->err, false);
	else if (got < 0)
		cs_error_print(r->o->prog, &err, false);
	/* Its warnings after the error, as read. */
	due_book_end(br->book, so->warn, so->warn_ctx);
	for (size_t i = 0; i < BOOK_BATCH; i++)
		record_free(&br->rec[i]);
	int status = br->book && !br->failed && got >= 0 ? CLI_OK : CLI_DATA;
	stream_close(s);
	free(br);
	return status;
}

/* Read every book (standard input when there is none) into l; the worst status. */
static int
collect_all(struct run *r, struct due_list *l, struct due_runs *runs)
{
	const struct due_driver_options *o = r->o;
	struct stream_options so = {.warn = cli_warn, .warn_ctx = &r->cw};
	cli_stream_shard(o->common, &so);
	struct due_query q = {
	    .model = o->model, .log = r->log, .window = o->window, .filter = o->filter};
	if (o->npaths == 0)
		return collect(r, "-", &so, &q, l, runs);
	int status = CLI_OK;
	for (size_t i = 0; i < o->npaths; i++) {
		int st = collect(r, o->paths[i], &so, &q, l, runs);
		if (st > status)
			status = st;
	}
	return status;
}

/*
 * --merge: the lists, merged, to the output (-c, -j: then finished here,
 * and r->out is NULL) or into l (text, --ics, which need the whole list).
 */
static int
merge_lists(struct run *r, struct due_list *l)
{
	const struct due_driver_options *o = r->o;
	enum stream_format sf = due_format_stream(o->format);
	struct cs_error err;
	int rc = sf != STREAM_AUTO
	             ? due_merge_write(o->paths, o->npaths, o->model, file_output_stream(r->out),
	                               sf, o->common->output, &err)
	             : due_merge_load(o->paths, o->npaths, o->model, l, &err);
	if (rc < 0)
		cs_error_print(o->prog, &err, false);
	int status = rc < 0 ? CLI_DATA : CLI_OK;
	if (sf != STREAM_AUTO || status != CLI_OK) {
		status = cli_output_finish(o->prog, r->out, status);
		r->out = NULL;
	}
	return status;
}

/* The hint of issue 13, said once a run: many first touches due today, and no "start". */
static void
start_hint(struct run *r, const struct due_list *l)
{
	if (r->o->model->has_start || l->never_today < START_HINT_AT)
		return;
	struct cs_error w = {0};
	snprintf(w.msg, sizeof w.msg,
	         "%ld touches of never-contacted clients fall due today: set \"start\" in the "
	         "model (with \"stagger\": true) to spread them (cs-model(5))",
	         l->never_today);
	cli_warn(&r->cw, &w);
}

/* What the whole run found once every book is in: log rows of no client, --strict, the hint. */
static int
after_books(struct run *r, const struct due_list *l, int status)
{
	const struct due_driver_options *o = r->o;
	struct touchlog_orphans orphans = {
	    .name = o->nlogs == 1 ? o->logs[0] : NULL,
	    .check_ids = status == CLI_OK, /* a book that failed would make every id an orphan */
	    .shard_k = o->common->shard_k,
	    .shard_n = o->common->shard_n,
	    .shard_by = o->common->shard_by,
	    .model = o->model,
	    .archived = o->narchives ? &r->archived : NULL,
	};
	touchlog_warn_orphans(r->log, &orphans, cli_warn, &r->cw);
	if (o->strict && r->cw.count > 0 && status == CLI_OK)
		status = CLI_DATA;
	start_hint(r, l); /* advice, not a problem: after --strict counts */
	return status;
}

/* --mail: each person their list; with a dry run, the messages to the output. */
static int
mail_lists(struct run *r, struct due_list *l, int status)
{
	const struct due_driver_options *o = r->o;
	struct cs_error err;
	struct due_mail_result res;
	const char *from = getenv("CS_MAIL_FROM");
	FILE *dry = o->dry_run ? file_output_stream(r->out) : NULL;
	if (due_mail(l, o->model, o->today, from && *from ? from : NULL, dry, &res, cli_warn,
	             &r->cw, &err) < 0) {
		cs_error_print(o->prog, &err, false);
		status = CLI_DATA;
	}
	if (res.unaddressed && status == CLI_OK)
		status = CLI_DATA; /* a list that was not delivered */
	return cli_output_finish(o->prog, r->out, status);
}

/*
 * Write l in the output format, then commit the output when status is
 * CLI_OK (a failed run still shows its list on standard output, but never
 * replaces a file with it).  Returns the status.
 */
static int
write_list(struct run *r, struct due_list *l, struct due_runs *runs, int status)
{
	const struct due_driver_options *o = r->o;
	struct cs_error err;
	FILE *f = file_output_stream(r->out);
	enum stream_format sf = due_format_stream(o->format);
	int rc = due_runs_count(runs) && sf != STREAM_AUTO
	             ? due_runs_write(runs, l, f, sf, o->common->output, &err)
	             : due_write(f, l, o->format, o->today, o->common->output, &err);
	if (rc < 0) {
		cs_error_print(o->prog, &err, false);
		status = CLI_DATA;
	}
	return cli_output_finish(o->prog, r->out, status);
}

/* The list, the merged lists or the mail: every mode that makes a due list. */
static int
run_list(struct run *r)
{
	const struct due_driver_options *o = r->o;
	struct due_list l = {0};
	struct due_runs *runs = due_runs_new(o->memory, o->model, o->sorted_by_owner);
	int status = o->mode == DUE_MODE_MERGE ? merge_lists(r, &l) : collect_all(r, &l, runs);
	status = after_books(r, &l, status);
	if (o->plan_weeks)
		due_list_plan(&l, o->model, o->today, o->plan_weeks, o->plan_days);
	const char *no_color = getenv("NO_COLOR");
	l.excel_safe = (o->common->writer_flags & STREAM_EXCEL_SAFE) != 0;
	l.colour = o->format == DUE_TEXT && !o->common->output && isatty(STDOUT_FILENO) &&
	           !(no_color && *no_color);
	if (r->out && o->mode == DUE_MODE_MAIL)
		status = mail_lists(r, &l, status);
	else if (r->out)
		status = write_list(r, &l, runs, status);
	due_runs_free(runs);
	due_list_free(&l);
	return status;
}

int
due_driver_run(const struct due_driver_options *o)
{
	if (check_filter(o) != CLI_OK)
		return CLI_USAGE;
	struct run r = {.o = o, .cw = {.prog = o->prog}};
	r.out = cli_output_open(o->prog, o->common->output);
	r.log = touchlog_new();
	int status;
	if (!r.out || read_logs(&r) != CLI_OK || read_archives(&r) != CLI_OK)
		status = cli_output_finish(o->prog, r.out, CLI_DATA);
	else if (o->mode == DUE_MODE_CLIENT)
		status = run_client(&r);
	else
		status = run_list(&r);
	strlist_free(&r.logs);
	idtab_free(&r.archived);
	touchlog_free(r.log);
	return status;
}
