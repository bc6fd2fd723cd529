/*
 * cs-due - which touches of the service model are due or overdue in a
 * window (default: the 7 days from today), for each person who delivers them.
 *
 * The books are streamed into a due list (lib/due), which is sorted and
 * written as text, CSV, NDJSON or iCalendar (lib/due_render).
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "client_page.h"
#include "clientfind.h"
#include "due.h"
#include "due_mail.h"
#include "due_render.h"
#include "due_runs.h"
#include "error.h"
#include "model.h"
#include "record.h"
#include "stream.h"
#include "touchlog.h"
#include "weekplan.h"

static const char prog[] = "cs-due";

struct options {
	struct cli_common common; /* not its format: that is format below */
	const char *within;
	int plan, days; /* --plan WEEKS (0: no plan), --days N (0: not given) */
	struct strlist logs, owners, tiers, touches; /* repeatable */
	bool overdue, strict;
	const char *status;     /* --status LIST */
	const char *client;      /* --client NAME-OR-ID: that client's page */
	bool mail, dry_run;      /* --mail: each person their list; -n: print, do not send */
	enum due_format format; /* -c, -j or --ics, the last given */
	bool merge;             /* --merge: the operands are lists cs-due wrote */
	const char *memory;     /* --memory SIZE */
	bool sorted_by_owner;   /* --sorted-by owner */
};

enum {
	OPT_WITHIN = CLI_OPT_OWN,
	OPT_LOG,
	OPT_OWNER,
	OPT_TIER,
	OPT_TOUCH,
	OPT_OVERDUE,
	OPT_STATUS,
	OPT_ICS,
	OPT_STRICT,
	OPT_PLAN,
	OPT_DAYS,
	OPT_MERGE,
	OPT_MEMORY,
	OPT_CLIENT,
	OPT_MAIL,
	OPT_SORTED_BY,
};

static const struct cli_opt option_table[] = {
    {OPT_WITHIN, "within", "DUR", "the window: 7d, 2w, 1m... (default 7d: today + 6 days)"},
    {OPT_LOG, "log", "FILE", "the touch log (date,id,touch,...); repeatable"},
    {OPT_OWNER, "owner", "NAME", "only what NAME delivers or NAME's clients; repeatable"},
    {OPT_TIER, "tier", "TIER", "only clients of TIER; repeatable"},
    {OPT_TOUCH, "touch", "NAME", "only this touch; repeatable"},
    {OPT_OVERDUE, "overdue", NULL, "only touches past due (late or overdue)"},
    {OPT_STATUS, "status", "LIST", "only these: upcoming,due,late,overdue"},
    {OPT_PLAN, "plan", "WEEKS", "plan this week and WEEKS-1 more in each person's hours"},
    {OPT_DAYS, "days", "N", "with --plan: working days a week, from Monday (default 5)"},
    {OPT_CLIENT, "client", "CLIENT",
     "one client's page (by id, email or name): its record,\n"
     "its logged touches and every touch's next due date"},
    {OPT_MAIL, "mail", NULL,
     "mail each person their list and its .ics (sendmail; the\n"
     "model's team gives the addresses)"},
    {'n', "dry-run", NULL, "with --mail: print the messages instead of sending them"},
    CLI_COMMON_CSV("write CSV: id,name,owner,by,tier,touch,channel,due,..."),
    CLI_COMMON_JSON("write the same as NDJSON"),
    {OPT_ICS | CLI_FORMAT, "ics", NULL, "write an iCalendar file: one all-day event per touch"},
    CLI_COMMON_EXCEL,
    CLI_COMMON_MODEL(CLI_HELP_MODEL),
    CLI_COMMON_TODAY("take DATE as today (default: $CS_TODAY, else clock)"),
    {OPT_STRICT, "strict", NULL, "treat warnings as errors (exit 1)"},
    CLI_COMMON_SHARD,
    {OPT_MERGE, "merge", NULL, "the operands are lists cs-due -c or -j wrote: merge them"},
    {OPT_MEMORY, "memory", "SIZE",
     "-c, -j: sort in SIZE (256M; K, M, G; unlimited),\n"
     "spilling sorted runs to $TMPDIR past it"},
    {OPT_SORTED_BY, "sorted-by", "owner",
     "the books are sorted by owner: -c, -j hold one owner's\n"
     "items at a time (a book out of order is refused)"},
    CLI_COMMON_OUTPUT(CLI_HELP_OUTPUT),
    CLI_COMMON_HELP_VERSION,
    {0},
};

static void
usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: %s [-cj] [--ics] [-m MODEL] [--today DATE] [--within DURATION]\n"
	    "              [--log FILE] [--owner NAME] [--tier TIER] [--touch NAME] [--overdue]\n"
	    "              [--status LIST] [--plan WEEKS [--days N]] [--strict]\n"
	    "              [--shard K/N [--shard-by FIELD]] [--memory SIZE] [--sorted-by owner]\n"
	    "              [-o FILE] [FILE ...]\n"
	    "       %s --merge [-cj] [--ics] [-m MODEL] [--today DATE] [-o FILE] LIST ...\n"
	    "       %s --client CLIENT [-j] [-m MODEL] [--today DATE] [--log FILE] [-o FILE]\n"
	    "              [FILE ...]\n"
	    "       %s --mail [-n] [-m MODEL] [--today DATE] [--within DURATION] [--log FILE]\n"
	    "              [--owner NAME] [...] [FILE ...]\n",
	    prog, prog, prog, prog);
	if (f != stdout)
		return;
	fputs("\n"
	      "List the touches of the service model that are due or overdue, grouped by\n"
	      "the person who delivers them (the touch's \"by\", else the client's owner).\n"
	      "\n",
	      f);
	cli_print_help(f, option_table, 22);
}

/* A whole number from lo to hi for option name; exits 2 when s is not one. */
static int
count_arg(const char *name, const char *s, int lo, int hi)
{
	char *end;
	long n = strtol(s, &end, 10);
	if (end == s || *end || n < lo || n > hi)
		cli_die(prog, CLI_USAGE, "--%s %s: give a whole number from %d to %d", name, s, lo,
		        hi);
	return (int)n;
}

static void
parse_options(int argc, char **argv, struct options *o)
{
	int c;
	while ((c = cli_getopt(argc, argv, option_table)) != -1) {
		switch (c) {
		case OPT_WITHIN:
			o->within = optarg;
			break;
		case OPT_LOG:
			strlist_add(&o->logs, optarg);
			break;
		case OPT_OWNER:
			strlist_add(&o->owners, optarg);
			break;
		case OPT_TIER:
			strlist_add(&o->tiers, optarg);
			break;
		case OPT_TOUCH:
			strlist_add(&o->touches, optarg);
			break;
		case OPT_OVERDUE:
			o->overdue = true;
			break;
		case OPT_STATUS:
			o->status = optarg;
			break;
		case 'c': /* cs-due's own formats, not common.format: the last given wins */
			o->format = DUE_CSV;
			break;
		case 'j':
			o->format = DUE_JSON;
			break;
		case OPT_ICS:
			o->format = DUE_ICS;
			break;
		case CLI_OPT_XLSX:
			o->format = DUE_XLSX;
			break;
		case OPT_STRICT:
			o->strict = true;
			break;
		case OPT_PLAN:
			o->plan = count_arg("plan", optarg, 1, 52);
			break;
		case OPT_DAYS:
			o->days = count_arg("days", optarg, 1, 7);
			break;
		case OPT_MERGE:
			o->merge = true;
			break;
		case OPT_MEMORY:
			o->memory = optarg;
			break;
		case OPT_SORTED_BY:
			if (strcmp(optarg, "owner") != 0)
				cli_die(prog, CLI_USAGE, "--sorted-by %s: only owner", optarg);
			o->sorted_by_owner = true;
			break;
		case OPT_MAIL:
			o->mail = true;
			break;
		case 'n':
			o->dry_run = true;
			break;
		case OPT_CLIENT:
			o->client = optarg;
			break;
		default:
			cli_common_option(c, &o->common, prog, usage);
		}
	}
}

/* Refuse a --tier or --touch the model does not have: a typo would list nothing. */
static void
check_filters(const struct options *o, const struct model *m)
{
	char tiers[256];
	for (size_t i = 0; i < o->tiers.n; i++)
		if (!model_has_tier(m, o->tiers.v[i]))
			cli_die(prog, CLI_USAGE,
			        "--tier %s: the model has no such tier (it has %s)", o->tiers.v[i],
			        model_tier_list(m, tiers, sizeof tiers));
	for (size_t i = 0; i < o->touches.n; i++)
		if (!model_find_touch(m, NULL, o->touches.v[i]))
			cli_die(prog, CLI_USAGE,
			        "--touch \"%s\": no tier of the model has such a touch",
			        o->touches.v[i]);
}

/*
 * A --log that does not exist yet is an empty log, said once: on day one
 * nothing has been logged, and cs-log creates the file with the first
 * touch.  Any other trouble (a directory, no permission) stays an error.
 */
static bool
log_not_yet(const char *path)
{
	struct stat st;
	if (strcmp(path, "-") == 0 || stat(path, &st) == 0 || errno != ENOENT)
		return false;
	fprintf(stderr, "%s: note: %s does not exist yet: taken as an empty log (cs-log creates it)\n",
	        prog, path);
	return true;
}

/* Read every --log; CLI_DATA after one that cannot be read. */
static int
read_logs(const struct options *o, struct touchlog *log, struct cli_warnings *cw)
{
	struct stream_options so = {.warn = cli_warn, .warn_ctx = cw};
	for (size_t i = 0; i < o->logs.n; i++) {
		struct cs_error err;
		if (log_not_yet(o->logs.v[i]))
			continue;
		if (touchlog_read(log, o->logs.v[i], &so, &err) < 0) {
			/* A list made without the log would show done touches as due. */
			cs_error_print(prog, &err, false);
			return CLI_DATA;
		}
	}
	return CLI_OK;
}

/*
 * The window: --within from today, or with --plan the weeks of the plan
 * (today to the Sunday of its last week).  Exits 2 on --within with --plan
 * (two windows) and on --days without --plan.
 */
static struct cadence_window
plan_window(const struct options *o, struct date today, struct duration within)
{
	if (!o->plan) {
		if (o->days)
			cli_die(prog, CLI_USAGE,
			        "--days: working days of a plan: give --plan WEEKS");
		return cadence_window(today, within);
	}
	long days = date_to_days(today);
	long sunday = days - weekplan_weekday(days) + 7L * o->plan - 1;
	char end[16];
	if (o->within)
		cli_die(prog, CLI_USAGE,
		        "--within with --plan: the plan's weeks are its window (--plan %d: to "
		        "Sunday %s); give one or the other",
		        o->plan, date_format(date_from_days(sunday), end));
	return cadence_window(today, (struct duration){(int)(sunday - days + 1), DUR_DAYS});
}

/* --within as a duration; exits 2 when it is not one. */
static struct duration
within_duration(const char *s)
{
	struct duration within;
	char why[160];
	if (duration_parse(s, &within, why, sizeof why) < 0)
		cli_die(prog, CLI_USAGE, "--within: %s", why);
	return within;
}

/* The stream formats, for the lists that can be written as they are merged. */
static bool
stream_out(const struct options *o)
{
	return o->format == DUE_CSV || o->format == DUE_JSON;
}

/* --memory as bytes (0: no budget); exits 2 when it is not a size or cannot apply. */
static size_t
memory_budget(const struct options *o)
{
	if (!stream_out(o) || o->plan) {
		if (o->memory && o->plan)
			cli_die(prog, CLI_USAGE,
			        "--memory with --plan: a plan is made from the whole list");
		if (o->memory)
			cli_die(prog, CLI_USAGE,
			        "--memory: text and --ics are written from the whole list (the "
			        "text's columns fit its widest entry): give -c or -j");
		return 0;
	}
	const char *s = o->memory ? o->memory : "256M";
	if (strcmp(s, "unlimited") == 0)
		return 0;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	unsigned shift = *end == 'K' ? 10 : *end == 'M' ? 20 : *end == 'G' ? 30 : 0;
	if (shift)
		end++;
	if (*s < '0' || *s > '9' || errno || *end || v == 0 || v > (SIZE_MAX >> shift))
		cli_die(prog, CLI_USAGE, "--memory %s: not a size (65536K, 256M, 1G or unlimited)",
		        s);
	return (size_t)v << shift;
}

/* --merge reads lists already made: it takes none of the options that made them. */
static void
check_merge(const struct options *o, int operands)
{
	if (operands == 0)
		cli_die(prog, CLI_USAGE, "--merge needs the lists to merge (cs-due -c's outputs)");
	if (o->logs.n || o->owners.n || o->tiers.n || o->touches.n || o->overdue || o->status ||
	    o->common.shard_n || o->common.shard_by || o->memory || o->within)
		cli_die(prog, CLI_USAGE,
		        "--merge takes lists already made: give --log, --within, --owner, --tier, "
		        "--touch, --overdue, --status, --shard and --memory when making them");
	if (o->plan)
		cli_die(prog, CLI_USAGE,
		        "--merge with --plan: plan the whole book in one run (a plan weighs every "
		        "person's items together)");
}

/*
 * Read one book and keep its listed items, spilling runs; tell log (the
 * query's) each client the book has, for the orphan warning.  Returns the
 * exit status for it.
 */
static int
collect(const char *path, const struct stream_options *so, const struct due_query *q,
        struct touchlog *log, struct due_list *l, struct due_runs *runs)
{
	struct cs_error err;
	struct stream *s = stream_open(path, so, &err);
	struct due_book *book =
	    s ? due_book_new(l, q, stream_header(s), stream_name(s), &err) : NULL;
	if (!book) {
		cs_error_print(prog, &err, false);
		stream_close(s);
		return CLI_DATA;
	}
	struct record rec = {0};
	int got;
	long id_col = header_find(stream_header(s), "id");
	while ((got = stream_next(s, &rec, &err)) == 1) {
		due_book_add(book, &rec);
		size_t len = 0;
		const char *id = id_col >= 0 ? record_get(&rec, (size_t)id_col, &len) : "";
		touchlog_see(log, id, len);
		if (due_runs_check(runs, l, book, &err) < 0) {
			got = -1;
			break;
		}
	}
	if (got < 0)
		cs_error_print(prog, &err, false);
	due_book_end(book, so->warn, so->warn_ctx);
	record_free(&rec);
	stream_close(s);
	return got < 0 ? CLI_DATA : CLI_OK;
}

/*
 * --client: find the client in the books (clientfind.h) and write its page
 * (client_page.h).  A client not found, or not alone, is explained and
 * the status is CLI_DATA.
 */
static int
show_client(const struct options *o, char **paths, size_t npaths, const struct model *m,
            const struct touchlog *log, struct date today, struct file_output *out)
{
	if (o->format == DUE_CSV || o->format == DUE_ICS)
		cli_die(prog, CLI_USAGE, "--client writes text or JSON (-j): not %s",
		        o->format == DUE_CSV ? "CSV" : "iCalendar");
	struct clientfind *cf = clientfind_new(true);
	size_t q = clientfind_add(cf, o->client);
	char *stdin_path[] = {"-"};
	if (!npaths)
		paths = stdin_path, npaths = 1;
	int status = CLI_OK;
	const char *book = NULL;
	for (size_t i = 0; i < npaths && status == CLI_OK; i++) {
		struct cs_error err;
		struct stream *s = stream_open(paths[i], NULL, &err);
		if (!s || clientfind_bind(cf, stream_header(s), stream_name(s), &err) < 0) {
			cs_error_print(prog, &err, false);
			stream_close(s);
			status = CLI_DATA;
			break;
		}
		book = npaths == 1 ? stream_name(s) : "the books";
		struct record rec = {0};
		int got;
		while ((got = stream_next(s, &rec, &err)) == 1)
			clientfind_record(cf, &rec);
		if (got < 0) {
			cs_error_print(prog, &err, false);
			status = CLI_DATA;
		}
		record_free(&rec);
		const struct clientfind_answer *a = clientfind_answer(cf, q);
		if (status == CLI_OK && i + 1 == npaths && a->n != 1) {
			struct cs_error e = {0};
			clientfind_explain(a, book, e.msg, sizeof e.msg);
			cs_error_print(prog, &e, false);
			status = CLI_DATA;
		}
		stream_close(s); /* book borrows its name until here */
	}
	const struct clientfind_answer *a = clientfind_answer(cf, q);
	struct client_page page = {.header = a->header, .record = &a->record};
	for (size_t i = 0; status == CLI_OK && i < o->logs.n; i++) {
		struct cs_error err;
		if (log_not_yet(o->logs.v[i]))
			continue;
		if (client_page_read_log(&page, o->logs.v[i], &err) < 0) {
			cs_error_print(prog, &err, false);
			status = CLI_DATA;
		}
	}
	if (status == CLI_OK) {
		client_page_plan(&page, m, log, today);
		if (o->format == DUE_JSON)
			client_page_write_json(&page, file_output_stream(out));
		else
			client_page_write_text(&page, file_output_stream(out));
	}
	client_page_free(&page);
	clientfind_free(cf);
	return cli_output_finish(prog, out, status);
}

/* Never-contacted clients due today at least this many: say how to spread them. */
enum { START_HINT_AT = 20 };

/* The hint of issue 13, said once a run: many first touches due today, and no "start". */
static void
start_hint(const struct due_list *l, const struct model *m, struct cli_warnings *cw)
{
	if (m->has_start || l->never_today < START_HINT_AT)
		return;
	struct cs_error w = {0};
	snprintf(w.msg, sizeof w.msg,
	         "%ld touches of never-contacted clients fall due today: set \"start\" in the "
	         "model (with \"stagger\": true) to spread them (cs-model(5))",
	         l->never_today);
	cli_warn(cw, &w);
}

/*
 * Write l in the output format, then commit the output when status is
 * CLI_OK (a failed run still shows its list on standard output, but never
 * replaces a file with it).  Returns the status.
 */
static int
write_list(struct file_output *out, struct due_list *l, struct due_runs *runs,
           const struct options *o, struct date today, int status)
{
	struct cs_error err;
	FILE *f = file_output_stream(out);
	enum stream_format sf = o->format == DUE_JSON ? STREAM_NDJSON : STREAM_CSV;
	int rc = due_runs_count(runs) && stream_out(o)
	             ? due_runs_write(runs, l, f, sf, o->common.output, &err)
	             : due_write(f, l, o->format, today, o->common.output, &err);
	if (rc < 0) {
		cs_error_print(prog, &err, false);
		status = CLI_DATA;
	}
	return cli_output_finish(prog, out, status);
}

/* --mail sends the text list; -n goes with it. */
static void
check_mail(const struct options *o)
{
	if (o->dry_run && !o->mail)
		cli_die(prog, CLI_USAGE, "-n (--dry-run) goes with --mail");
	if (!o->mail)
		return;
	if (o->format != DUE_TEXT)
		cli_die(prog, CLI_USAGE,
		        "--mail sends each person their list as text with its .ics: not with -c, -j, "
		        "--ics or --xlsx");
	if (o->client || o->plan)
		cli_die(prog, CLI_USAGE, "--mail sends the week's lists: not with %s",
		        o->client ? "--client" : "--plan");
	if (o->common.output && !o->dry_run)
		cli_die(prog, CLI_USAGE, "--mail sends the lists: -o goes with --dry-run");
}

/* --mail: each person their list; with -n, the messages to out. */
static int
mail_lists(struct file_output *out, struct due_list *l, const struct model *m,
           const struct options *o, struct date today, struct cli_warnings *cw, int status)
{
	struct cs_error err;
	struct due_mail_result res;
	const char *from = getenv("CS_MAIL_FROM");
	FILE *dry = o->dry_run ? file_output_stream(out) : NULL;
	if (due_mail(l, m, today, from && *from ? from : NULL, dry, &res, cli_warn, cw, &err) < 0) {
		cs_error_print(prog, &err, false);
		status = CLI_DATA;
	}
	if (res.unaddressed && status == CLI_OK)
		status = CLI_DATA; /* a list that was not delivered */
	return cli_output_finish(prog, out, status);
}

/*
 * --merge: the lists, merged, to out (-c, -j) or into l (text, --ics, which
 * need the whole list).  Returns the exit status; a merged stream is
 * finished here.
 */
static int
merge_lists(const struct options *o, char *const *paths, size_t n, const struct model *m,
            struct due_list *l, struct file_output *out)
{
	struct cs_error err;
	int rc = stream_out(o) ? due_merge_write(paths, n, m, file_output_stream(out),
	                                         o->format == DUE_JSON ? STREAM_NDJSON : STREAM_CSV,
	                                         o->common.output, &err)
	                       : due_merge_load(paths, n, m, l, &err);
	if (rc < 0)
		cs_error_print(prog, &err, false);
	return rc < 0 ? CLI_DATA : CLI_OK;
}

static void
options_free(struct options *o)
{
	strlist_free(&o->logs);
	strlist_free(&o->owners);
	strlist_free(&o->tiers);
	strlist_free(&o->touches);
}

int
main(int argc, char **argv)
{
	argv[0] = (char *)prog; /* getopt's messages name the tool, not its path */
	struct options o = {0};
	parse_options(argc, argv, &o);
	if (o.merge)
		check_merge(&o, argc - optind);
	check_mail(&o);
	struct cli_paths paths = {0};
	cli_paths_add_all(&paths, argv + optind, (size_t)(argc - optind), CLI_IN_OTHER);
	for (size_t i = 0; i < o.logs.n; i++)
		cli_paths_add(&paths, o.logs.v[i], "--log", CLI_IN_OTHER);
	cli_paths_add(&paths, o.common.model, "-m", CLI_IN_OTHER);
	cli_paths_add(&paths, o.common.output, "-o", CLI_OUT_OTHER);
	cli_paths_check(prog, &paths);
	struct date today = cli_today(prog, o.common.today);
	struct cadence_window win =
	    plan_window(&o, today, within_duration(o.within ? o.within : "7d"));
	struct cs_error err;
	struct model *m = model_open(o.common.model, &err);
	if (!m) {
		cs_error_print(prog, &err, false);
		options_free(&o);
		return CLI_USAGE;
	}
	check_filters(&o, m);
	long statuses = o.status ? due_status_mask(o.status) : 0;
	if (statuses < 0)
		cli_die(prog, CLI_USAGE,
		        "--status %s: give statuses from upcoming, due, late, overdue, "
		        "separated by commas",
		        o.status);
	struct cli_warnings cw = {.prog = prog};
	struct file_output *out = cli_output_open(prog, o.common.output);
	struct touchlog *log = touchlog_new();
	if (!out || read_logs(&o, log, &cw) != CLI_OK) {
		cli_output_finish(prog, out, CLI_DATA);
		touchlog_free(log);
		model_free(m);
		options_free(&o);
		return CLI_DATA;
	}
	struct due_query q = {
	    .model = m,
	    .log = log,
	    .window = win,
	    .filter = {.owners = o.owners.v,
	               .nowners = o.owners.n,
	               .tiers = o.tiers.v,
	               .ntiers = o.tiers.n,
	               .touches = o.touches.v,
	               .ntouches = o.touches.n,
	               .overdue = o.overdue,
	               .statuses = (unsigned)statuses},
	};
	if (o.client) {
		int st = show_client(&o, argv + optind, (size_t)(argc - optind), m, log, today, out);
		touchlog_free(log);
		model_free(m);
		options_free(&o);
		return st;
	}
	struct due_list l = {0};
	struct due_runs *runs = due_runs_new(memory_budget(&o), m, o.sorted_by_owner);
	struct stream_options so = {.warn = cli_warn, .warn_ctx = &cw};
	cli_stream_shard(&o.common, &so);
	int status = CLI_OK;
	if (o.merge) {
		status = merge_lists(&o, argv + optind, (size_t)(argc - optind), m, &l, out);
		if (stream_out(&o) || status != CLI_OK) {
			status = cli_output_finish(prog, out, status);
			out = NULL;
		}
	} else if (optind == argc) {
		status = collect("-", &so, &q, log, &l, runs);
	}
	for (int i = optind; i < argc && !o.merge; i++) {
		int st = collect(argv[i], &so, &q, log, &l, runs);
		if (st > status)
			status = st;
	}
	struct touchlog_orphans orphans = {
	    .name = o.logs.n == 1 ? o.logs.v[0] : NULL,
	    .check_ids = status == CLI_OK, /* a book that failed would make every id an orphan */
	    .shard_k = o.common.shard_k,
	    .shard_n = o.common.shard_n,
	    .shard_by = o.common.shard_by,
	    .model = m,
	};
	touchlog_warn_orphans(log, &orphans, cli_warn, &cw);
	if (o.strict && cw.count > 0 && status == CLI_OK)
		status = CLI_DATA;
	start_hint(&l, m, &cw); /* advice, not a problem: after --strict counts */
	if (o.plan)
		due_list_plan(&l, m, today, o.plan, o.days ? o.days : 5);
	const char *no_color = getenv("NO_COLOR");
	l.excel_safe = (o.common.writer_flags & STREAM_EXCEL_SAFE) != 0;
	l.colour = o.format == DUE_TEXT && !o.common.output && isatty(STDOUT_FILENO) &&
	           !(no_color && *no_color);
	if (out && o.mail)
		status = mail_lists(out, &l, m, &o, today, &cw, status);
	else if (out)
		status = write_list(out, &l, runs, &o, today, status);
	due_runs_free(runs);
	due_list_free(&l);
	touchlog_free(log);
	model_free(m);
	options_free(&o);
	return status;
}
