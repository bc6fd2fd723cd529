/*
 * cs-due - which touches of the service model are due or overdue in a
 * window (default: the 7 days from today), for each person who delivers them.
 *
 * The books are streamed into a due list (lib/due), which is sorted and
 * written as text, CSV, NDJSON or iCalendar (lib/due_render).
 */
#include <getopt.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"
#include "due.h"
#include "due_render.h"
#include "error.h"
#include "model.h"
#include "record.h"
#include "stream.h"
#include "touchlog.h"

static const char prog[] = "cs-due";

struct options {
	struct cli_common common; /* not its format: that is format below */
	const char *within;
	struct strlist logs, owners, tiers, touches; /* repeatable */
	bool overdue, strict;
	const char *status; /* --status LIST */
	enum due_format format; /* -c, -j or --ics, the last given */
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
};

static const struct cli_opt option_table[] = {
    {OPT_WITHIN, "within", "DUR", "the window: 7d, 2w, 1m... (default 7d: today + 6 days)"},
    {OPT_LOG, "log", "FILE", "the touch log (date,id,touch,...); repeatable"},
    {OPT_OWNER, "owner", "NAME", "only what NAME delivers or NAME's clients; repeatable"},
    {OPT_TIER, "tier", "TIER", "only clients of TIER; repeatable"},
    {OPT_TOUCH, "touch", "NAME", "only this touch; repeatable"},
    {OPT_OVERDUE, "overdue", NULL, "only touches past due (late or overdue)"},
    {OPT_STATUS, "status", "LIST", "only these: upcoming,due,late,overdue"},
    CLI_COMMON_CSV("write CSV: id,name,owner,by,tier,touch,channel,due,..."),
    CLI_COMMON_JSON("write the same as NDJSON"),
    {OPT_ICS | CLI_FORMAT, "ics", NULL, "write an iCalendar file: one all-day event per touch"},
    CLI_COMMON_EXCEL,
    CLI_COMMON_MODEL(CLI_HELP_MODEL),
    CLI_COMMON_TODAY("take DATE as today (default: $CS_TODAY, else clock)"),
    {OPT_STRICT, "strict", NULL, "treat warnings as errors (exit 1)"},
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
	    "              [--status LIST] [--strict] [-o FILE] [FILE ...]\n",
	    prog);
	if (f != stdout)
		return;
	fputs("\n"
	      "List the touches of the service model that are due or overdue, grouped by\n"
	      "the person who delivers them (the touch's \"by\", else the client's owner).\n"
	      "\n",
	      f);
	cli_print_help(f, option_table, 22);
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

/* Read every --log; CLI_DATA after one that cannot be read. */
static int
read_logs(const struct options *o, struct touchlog *log, struct cli_warnings *cw)
{
	struct stream_options so = {.warn = cli_warn, .warn_ctx = cw};
	for (size_t i = 0; i < o->logs.n; i++) {
		struct cs_error err;
		if (touchlog_read(log, o->logs.v[i], &so, &err) < 0) {
			/* A list made without the log would show done touches as due. */
			cs_error_print(prog, &err, false);
			return CLI_DATA;
		}
	}
	return CLI_OK;
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

/* Read one book and keep its listed items.  Returns the exit status for it. */
static int
collect(const char *path, const struct due_query *q, struct due_list *l, struct cli_warnings *cw)
{
	struct cs_error err;
	struct stream_options so = {.warn = cli_warn, .warn_ctx = cw};
	struct stream *s = stream_open(path, &so, &err);
	struct due_book *book =
	    s ? due_book_new(l, q, stream_header(s), stream_name(s), &err) : NULL;
	if (!book) {
		cs_error_print(prog, &err, false);
		stream_close(s);
		return CLI_DATA;
	}
	struct record rec = {0};
	int got;
	while ((got = stream_next(s, &rec, &err)) == 1)
		due_book_add(book, &rec);
	if (got < 0)
		cs_error_print(prog, &err, false);
	due_book_end(book, cli_warn, cw);
	record_free(&rec);
	stream_close(s);
	return got < 0 ? CLI_DATA : CLI_OK;
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
write_list(struct file_output *out, struct due_list *l, const struct options *o, struct date today,
           int status)
{
	struct cs_error err;
	if (due_write(file_output_stream(out), l, o->format, today, o->common.output, &err) < 0) {
		cs_error_print(prog, &err, false);
		status = CLI_DATA;
	}
	return cli_output_finish(prog, out, status);
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
	struct options o = {.within = "7d"};
	parse_options(argc, argv, &o);
	struct cli_paths paths = {0};
	cli_paths_add_all(&paths, argv + optind, (size_t)(argc - optind), CLI_IN_OTHER);
	for (size_t i = 0; i < o.logs.n; i++)
		cli_paths_add(&paths, o.logs.v[i], "--log", CLI_IN_OTHER);
	cli_paths_add(&paths, o.common.model, "-m", CLI_IN_OTHER);
	cli_paths_add(&paths, o.common.output, "-o", CLI_OUT_OTHER);
	cli_paths_check(prog, &paths);
	struct date today = cli_today(prog, o.common.today);
	struct cadence_window win = cadence_window(today, within_duration(o.within));
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
	struct due_list l = {0};
	int status = optind == argc ? collect("-", &q, &l, &cw) : CLI_OK;
	for (int i = optind; i < argc; i++) {
		int st = collect(argv[i], &q, &l, &cw);
		if (st > status)
			status = st;
	}
	if (o.strict && cw.count > 0 && status == CLI_OK)
		status = CLI_DATA;
	start_hint(&l, m, &cw); /* advice, not a problem: after --strict counts */
	const char *no_color = getenv("NO_COLOR");
	l.excel_safe = (o.common.writer_flags & STREAM_EXCEL_SAFE) != 0;
	l.colour = o.format == DUE_TEXT && !o.common.output && isatty(STDOUT_FILENO) &&
	           !(no_color && *no_color);
	status = write_list(out, &l, &o, today, status);
	due_list_free(&l);
	touchlog_free(log);
	model_free(m);
	options_free(&o);
	return status;
}
