/*
 * cs-due - which touches of the service model are due or overdue in a
 * window (default: the 7 days from today), for each person who delivers them.
 *
 * This file parses and checks the options and opens the model; the run
 * itself, in whichever mode the options chose (the list, --merge, --mail,
 * --client), is lib/due_driver's: the books are streamed into a due list
 * (lib/due), which is sorted and written as text, CSV, NDJSON or
 * iCalendar (lib/due_render).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "due.h"
#include "due_driver.h"
#include "due_render.h"
#include "error.h"
#include "model.h"

static const char prog[] = "cs-due";

/*
 * The options: those the run takes as they are go straight into run (its
 * format, -c, -j or --ics, the last given; --client, -n, --plan, --strict),
 * the others are checked and turned into run's fields by main.
 */
struct options {
	struct cli_common common; /* not its format: that is run.format */
	struct due_driver_options run;
	const char *within;
	int days;                                              /* --days N (0: not given) */
	struct strlist logs, archives, owners, tiers, touches; /* repeatable */
	bool overdue, mail, merge;                             /* --merge: the operands are lists */
	const char *status;                                    /* --status LIST */
	const char *memory;                                    /* --memory SIZE */
};

enum {
	OPT_WITHIN = CLI_OPT_OWN,
	OPT_LOG,
	OPT_ARCHIVE,
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
    {OPT_ARCHIVE, "archive", "FILE",
     "cs-remove's archive: the log rows of its clients are\n"
     "no orphans (default: $CS_ARCHIVE); repeatable"},
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
	    "              [--log FILE [--archive FILE]] [--owner NAME] [--tier TIER]\n"
	    "              [--touch NAME] [--overdue] [--status LIST] [--plan WEEKS [--days N]]\n"
	    "              [--strict] [--shard K/N [--shard-by FIELD]] [--memory SIZE]\n"
	    "              [--sorted-by owner] [-o FILE] [FILE ...]\n"
	    "       %s --merge [-cj] [--ics] [-m MODEL] [--today DATE] [-o FILE] LIST ...\n"
	    "       %s --client CLIENT [-j] [-m MODEL] [--today DATE] [--log FILE] [-o FILE]\n"
	    "              [FILE ...]\n"
	    "       %s --mail [-n] [-m MODEL] [--today DATE] [--within DURATION]\n"
	    "              [--log FILE [--archive FILE]] [--owner NAME] [...] [FILE ...]\n",
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
		case OPT_ARCHIVE:
			strlist_add(&o->archives, optarg);
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
			o->run.format = DUE_CSV;
			break;
		case 'j':
			o->run.format = DUE_JSON;
			break;
		case OPT_ICS:
			o->run.format = DUE_ICS;
			break;
		case CLI_OPT_XLSX:
			o->run.format = DUE_XLSX;
			break;
		case OPT_STRICT:
			o->run.strict = true;
			break;
		case OPT_PLAN:
			o->run.plan_weeks = count_arg("plan", optarg, 1, 52);
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
			o->run.sorted_by_owner = true;
			break;
		case OPT_MAIL:
			o->mail = true;
			break;
		case 'n':
			o->run.dry_run = true;
			break;
		case OPT_CLIENT:
			o->run.client = optarg;
			break;
		default:
			cli_common_option(c, &o->common, prog, usage);
		}
	}
}

/* The --status list as due_filter's mask; exits 2 on a name that is not a status. */
static unsigned
status_mask(const struct options *o)
{
	long statuses = o->status ? due_status_mask(o->status) : 0;
	if (statuses < 0)
		cli_die(prog, CLI_USAGE,
		        "--status %s: give statuses from upcoming, due, late, overdue, "
		        "separated by commas",
		        o->status);
	return (unsigned)statuses;
}

/*
 * The window: --within from today, or with --plan the weeks of the plan
 * (today to the Sunday of its last week).  Exits 2 on --within with --plan
 * (two windows) and on --days without --plan.
 */
static struct cadence_window
plan_window(const struct options *o, struct date today)
{
	struct duration within;
	char why[160], end[16];
	int weeks = o->run.plan_weeks;
	if (duration_parse(o->within ? o->within : "7d", &within, why, sizeof why) < 0)
		cli_die(prog, CLI_USAGE, "--within: %s", why);
	if (o->days && !weeks)
		cli_die(prog, CLI_USAGE, "--days: working days of a plan: give --plan WEEKS");
	if (!weeks)
		return cadence_window(today, within);
	struct cadence_window w = due_plan_window(today, weeks);
	if (o->within)
		cli_die(prog, CLI_USAGE,
		        "--within with --plan: the plan's weeks are its window (--plan %d: to "
		        "Sunday %s); give one or the other",
		        weeks, date_format(date_from_days(w.end_days - 1), end));
	return w;
}

/*
 * The options that cannot go together, as data: the first rule that holds
 * exits 2 with its message.  --merge reads lists already made, so it takes
 * none of the options that made them; --mail sends the text list, and -n
 * goes with it; --client writes text or JSON; --memory bounds -c and -j.
 */
static void
check_modes(const struct options *o, int operands)
{
	const struct due_driver_options *r = &o->run;
	bool making = o->logs.n || o->archives.n || o->owners.n || o->tiers.n || o->touches.n ||
	              o->overdue || o->status || o->common.shard_n || o->common.shard_by ||
	              o->memory || o->within;
	bool streams = due_format_stream(r->format) != STREAM_AUTO;
	const struct {
		bool holds;
		const char *msg;
	} rules[] = {
	    {o->merge && !operands, "--merge needs the lists to merge (cs-due -c's outputs)"},
	    {o->merge && making,
	     "--merge takes lists already made: give --log, --archive, --within, --owner, --tier, "
	     "--touch, --overdue, --status, --shard and --memory when making them"},
	    {o->merge && r->plan_weeks,
	     "--merge with --plan: plan the whole book in one run (a plan weighs every person's "
	     "items together)"},
	    {r->dry_run && !o->mail, "-n (--dry-run) goes with --mail"},
	    {o->mail && r->format != DUE_TEXT,
	     "--mail sends each person their list as text with its .ics: not with -c, -j, --ics or "
	     "--xlsx"},
	    {o->mail && r->client, "--mail sends the week's lists: not with --client"},
	    {o->mail && r->plan_weeks, "--mail sends the week's lists: not with --plan"},
	    {o->mail && o->common.output && !r->dry_run,
	     "--mail sends the lists: -o goes with --dry-run"},
	    {r->client && r->format == DUE_CSV, "--client writes text or JSON (-j): not CSV"},
	    {r->client && r->format == DUE_ICS, "--client writes text or JSON (-j): not iCalendar"},
	    {o->memory && !r->client && r->plan_weeks,
	     "--memory with --plan: a plan is made from the whole list"},
	    {o->memory && !r->client && !streams,
	     "--memory: text and --ics are written from the whole list (the text's columns fit its "
	     "widest entry): give -c or -j"},
	};
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
		if (rules[i].holds)
			cli_die(prog, CLI_USAGE, "%s", rules[i].msg);
}

/* --memory as bytes (0: no budget, and none for a list written whole); exits 2 on a bad size. */
static size_t
memory_budget(const struct options *o)
{
	size_t bytes = 0;
	bool streams = due_format_stream(o->run.format) != STREAM_AUTO;
	if (streams && !o->run.plan_weeks && !o->run.client && !o->merge &&
	    due_budget_parse(o->memory ? o->memory : "256M", &bytes) < 0)
		cli_die(prog, CLI_USAGE, "--memory %s: not a size (65536K, 256M, 1G or unlimited)",
		        o->memory);
	return bytes;
}

/* No --archive: $CS_ARCHIVE's, when set, for a run that reads logs (not --merge). */
static void
default_archive(struct options *o)
{
	const char *env = getenv("CS_ARCHIVE");
	if (!o->archives.n && !o->merge && env && *env)
		strlist_add(&o->archives, env);
}

/* Refuse an output that would overwrite an input, before anything is read. */
static void
check_paths(const struct options *o, char *const *operands, size_t n)
{
	struct cli_paths paths = {0};
	cli_paths_add_all(&paths, operands, n, CLI_IN_OTHER);
	for (size_t i = 0; i < o->logs.n; i++)
		cli_paths_add(&paths, o->logs.v[i], "--log", CLI_IN_OTHER);
	for (size_t i = 0; i < o->archives.n; i++)
		cli_paths_add(&paths, o->archives.v[i], "--archive", CLI_IN_OTHER);
	cli_paths_add(&paths, o->common.model, "-m", CLI_IN_OTHER);
	cli_paths_add(&paths, o->common.output, "-o", CLI_OUT_OTHER);
	cli_paths_check(prog, &paths);
}

static void
options_free(struct options *o)
{
	strlist_free(&o->logs);
	strlist_free(&o->archives);
	strlist_free(&o->owners);
	strlist_free(&o->tiers);
	strlist_free(&o->touches);
}

int
main(int argc, char **argv)
{
	cli_std_fds();
	argv[0] = (char *)prog; /* getopt's messages name the tool, not its path */
	struct options o = {0};
	parse_options(argc, argv, &o);
	check_modes(&o, argc - optind);
	default_archive(&o);
	check_paths(&o, argv + optind, (size_t)(argc - optind));
	struct due_driver_options *d = &o.run;
	d->prog = prog;
	d->mode = d->client ? DUE_MODE_CLIENT
	          : o.merge ? DUE_MODE_MERGE
	          : o.mail  ? DUE_MODE_MAIL
	                    : DUE_MODE_LIST;
	d->common = &o.common;
	d->paths = argv + optind;
	d->npaths = (size_t)(argc - optind);
	d->logs = o.logs.v;
	d->nlogs = o.logs.n;
	d->archives = o.archives.v;
	d->narchives = o.archives.n;
	d->plan_days = o.days ? o.days : 5;
	d->today = cli_today(prog, o.common.today);
	d->window = plan_window(&o, d->today);
	struct cs_error err;
	struct model *m = model_open(o.common.model, &err);
	if (!(d->model = m)) {
		cs_error_print(prog, &err, false);
		options_free(&o);
		return CLI_USAGE;
	}
	d->filter = (struct due_filter){
	    .owners = o.owners.v,
	    .nowners = o.owners.n,
	    .tiers = o.tiers.v,
	    .ntiers = o.tiers.n,
	    .touches = o.touches.v,
	    .ntouches = o.touches.n,
	    .overdue = o.overdue,
	    .statuses = status_mask(&o),
	};
	d->memory = memory_budget(&o);
	int status = due_driver_run(d);
	model_free(m);
	options_free(&o);
	return status;
}
