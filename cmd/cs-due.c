/*
 * cs-due - which touches of the service model are due or overdue in a
 * window (default: the 7 days from today), for each person who delivers them.
 *
 * The books are streamed into a due list (lib/due), which is sorted and
 * written as text, CSV, NDJSON or iCalendar (lib/due_render).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "due.h"
#include "ics.h"
#include "jsonio.h"
#include "model.h"
#include "record.h"
#include "stream.h"
#include "table.h"
#include "touchlog.h"

static const char prog[] = "cs-due";

enum due_format { DUE_TEXT, DUE_CSV, DUE_JSON, DUE_ICS };

/* A repeatable option's values. */
struct list {
	const char **v;
	size_t n, cap;
};

struct options {
	struct cli_common common; /* not its format: that is format below */
	const char *within;
	struct list logs, owners, tiers, touches;
	bool overdue, strict;
	enum due_format format; /* -c, -j or --ics, the last given */
};

static void
usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: %s [-cj] [--ics] [-m MODEL] [--today DATE] [--within DURATION]\n"
	    "              [--log FILE] [--owner NAME] [--tier TIER] [--touch NAME] [--overdue]\n"
	    "              [--strict] [-o FILE] [FILE ...]\n",
	    prog);
	if (f == stdout)
		fputs(
		    "\n"
		    "List the touches of the service model that are due or overdue, grouped by\n"
		    "the person who delivers them (the touch's \"by\", else the client's owner).\n"
		    "\n"
		    "      --within DUR    the window: 7d, 2w, 1m... (default 7d: today + 6 days)\n"
		    "      --log FILE      the touch log (date,id,touch,...); repeatable\n"
		    "      --owner NAME    only what NAME delivers or NAME's clients; repeatable\n"
		    "      --tier TIER     only clients of TIER; repeatable\n"
		    "      --touch NAME    only this touch; repeatable\n"
		    "      --overdue       only touches already overdue\n"
		    "  -c, --csv           write CSV: id,name,owner,by,tier,touch,channel,due,...\n"
		    "  -j, --json          write the same as NDJSON\n"
		    "      --ics           write an iCalendar file: one all-day event per touch\n"
		    "  -m, --model FILE    the service model (default: $CS_MODEL, else built in)\n"
		    "      --today DATE    take DATE as today (default: $CS_TODAY, else clock)\n"
		    "      --strict        treat warnings as errors (exit 1)\n"
		    "  -o, --output FILE   write to FILE instead of standard output\n"
		    "  -h, --help          show this help\n"
		    "      --version       show the version\n",
		    f);
}

static void
list_add(struct list *l, const char *s)
{
	l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
	l->v[l->n++] = s;
}

static void
parse_options(int argc, char **argv, struct options *o)
{
	enum {
		OPT_WITHIN = CLI_OPT_OWN,
		OPT_LOG,
		OPT_OWNER,
		OPT_TIER,
		OPT_TOUCH,
		OPT_OVERDUE,
		OPT_ICS,
		OPT_STRICT,
	};
	static const struct option longopts[] = {
	    CLI_LONGOPT_MODEL,
	    CLI_LONGOPT_TODAY,
	    {"within", required_argument, NULL, OPT_WITHIN},
	    {"log", required_argument, NULL, OPT_LOG},
	    {"owner", required_argument, NULL, OPT_OWNER},
	    {"tier", required_argument, NULL, OPT_TIER},
	    {"touch", required_argument, NULL, OPT_TOUCH},
	    {"overdue", no_argument, NULL, OPT_OVERDUE},
	    CLI_LONGOPT_CSV,
	    CLI_LONGOPT_JSON,
	    {"ics", no_argument, NULL, OPT_ICS},
	    {"strict", no_argument, NULL, OPT_STRICT},
	    CLI_LONGOPT_OUTPUT,
	    CLI_LONGOPT_HELP_VERSION,
	    {NULL, 0, NULL, 0},
	};
	int c;
	while ((c = getopt_long(argc, argv, "cjm:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_WITHIN:
			o->within = optarg;
			break;
		case OPT_LOG:
			list_add(&o->logs, optarg);
			break;
		case OPT_OWNER:
			list_add(&o->owners, optarg);
			break;
		case OPT_TIER:
			list_add(&o->tiers, optarg);
			break;
		case OPT_TOUCH:
			list_add(&o->touches, optarg);
			break;
		case OPT_OVERDUE:
			o->overdue = true;
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

static void
read_logs(const struct options *o, struct touchlog *log, struct cli_warnings *cw)
{
	struct stream_options so = {.warn = cli_warn, .warn_ctx = cw};
	for (size_t i = 0; i < o->logs.n; i++) {
		struct cs_error err;
		if (touchlog_read(log, o->logs.v[i], &so, &err) < 0) {
			/* A list made without the log would show done touches as due. */
			cs_error_print(prog, &err, false);
			exit(CLI_DATA);
		}
	}
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

/* ---- output ------------------------------------------------------------------ */

enum { FLUSH_AT = 65536 };

/* Columns on screen (UTF-8, wide characters count 2). */
static size_t
display_width(const char *s)
{
	return utf8_width(s, strlen(s));
}

static void
when_text(long overdue_days, char *buf, size_t size)
{
	if (overdue_days == 0)
		snprintf(buf, size, "today");
	else if (overdue_days > 0)
		snprintf(buf, size, "%ld day%s overdue", overdue_days,
		         overdue_days == 1 ? "" : "s");
	else
		snprintf(buf, size, "in %ld day%s", -overdue_days, overdue_days == -1 ? "" : "s");
}

/* ---- text ------------------------------------------------------------------- */

/* The contact to act on: the email for an email touch, else the phone; either if one is missing. */
static const char *
contact(const struct due_list *l, const struct due_item *d)
{
	const char *email = due_str(l, d, DUE_EMAIL), *phone = due_str(l, d, DUE_PHONE);
	bool by_email = ascii_casecmp_eq(d->touch->channel, "email");
	if (by_email)
		return *email ? email : phone;
	return *phone ? phone : email;
}

/* Append s, which takes w columns, and spaces up to width. */
static void
pad(struct buf *b, const char *s, size_t w, size_t width)
{
	buf_puts(b, s);
	for (; w < width; w++)
		buf_putc(b, ' ');
}

static const char *
weekday(struct date d)
{
	static const char *const names[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
	return names[((date_to_days(d) % 7) + 7) % 7];
}

/* The widths of the text columns: the widest value of each. */
struct text_widths {
	size_t tier, name, touch, channel, when;
};

static void
grow(size_t *width, size_t w)
{
	if (w > *width)
		*width = w;
}

static struct text_widths
text_widths(const struct due_list *l)
{
	struct text_widths w = {0};
	char when[48];
	for (size_t i = 0; i < l->n; i++) {
		const struct due_item *d = &l->items[i];
		when_text(d->overdue_days, when, sizeof when);
		grow(&w.tier, display_width(d->tier->name));
		grow(&w.name, display_width(d->name));
		grow(&w.touch, display_width(d->touch->name));
		grow(&w.channel, display_width(d->touch->channel));
		grow(&w.when, strlen(when));
	}
	return w;
}

/* One item's line: tier, name, touch, channel, when, contact. */
static void
text_item(struct buf *b, const struct due_list *l, const struct due_item *d,
          const struct text_widths *w)
{
	char when[48];
	when_text(d->overdue_days, when, sizeof when);
	buf_puts(b, "    ");
	pad(b, d->tier->name, display_width(d->tier->name), w->tier + 2);
	pad(b, d->name, display_width(d->name), w->name + 2);
	pad(b, d->touch->name, display_width(d->touch->name), w->touch + 2);
	pad(b, d->touch->channel, display_width(d->touch->channel), w->channel + 2);
	const char *how = contact(l, d);
	pad(b, when, strlen(when), *how ? w->when + 2 : 0);
	buf_puts(b, how);
	buf_putc(b, '\n');
}

static void
due_write_text(FILE *out, const struct due_list *l)
{
	struct text_widths w = text_widths(l);
	struct buf b = {0};
	for (size_t i = 0; i < l->n;) {
		/* One person's group. */
		size_t end = i, overdue = 0;
		while (end < l->n && strcmp(l->items[end].by, l->items[i].by) == 0)
			overdue += l->items[end++].overdue_days > 0;
		const char *by = *l->items[i].by ? l->items[i].by : "(no owner)";
		buf_printf(&b, "%s%s: %zu touch%s", i ? "\n" : "", by, end - i,
		           end - i == 1 ? "" : "es");
		if (overdue)
			buf_printf(&b, ", %zu overdue", overdue);
		buf_putc(&b, '\n');
		for (size_t j = i; j < end; j++) {
			const struct due_item *d = &l->items[j];
			char day[16];
			if (j == i || date_cmp(d->due, l->items[j - 1].due) != 0)
				buf_printf(&b, "  %s %s\n", weekday(d->due),
				           date_format(d->due, day));
			text_item(&b, l, d, &w);
			if (b.len >= FLUSH_AT) {
				fwrite(b.data, 1, b.len, out);
				buf_reset(&b);
			}
		}
		fwrite(b.data ? b.data : "", 1, b.len, out);
		buf_reset(&b);
		i = end;
	}
	buf_free(&b);
}

/* ---- CSV and NDJSON ---------------------------------------------------------- */

static const char *const stream_columns[] = {
    "id",      "name", "owner",        "by",    "tier",  "touch",
    "channel", "due",  "overdue_days", "email", "phone",
};
enum { NCOLUMNS = sizeof stream_columns / sizeof stream_columns[0], COL_OVERDUE_DAYS = 8 };

/* The values of one item in stream_columns order; number is the overdue_days text. */
static void
stream_values(const struct due_list *l, const struct due_item *d, char due[16], char number[24],
              const char *v[NCOLUMNS])
{
	snprintf(number, 24, "%ld", d->overdue_days);
	const char *values[NCOLUMNS] = {
	    due_str(l, d, DUE_ID),
	    due_str(l, d, DUE_NAME),
	    due_str(l, d, DUE_OWNER),
	    d->by,
	    d->tier->name,
	    d->touch->name,
	    d->touch->channel,
	    date_format(d->due, due),
	    number,
	    due_str(l, d, DUE_EMAIL),
	    due_str(l, d, DUE_PHONE),
	};
	memcpy(v, values, sizeof values);
}

static int
due_write_csv(FILE *out, const struct due_list *l, const char *name, struct cs_error *err)
{
	struct header *h = header_new();
	for (size_t i = 0; i < NCOLUMNS; i++)
		header_add(h, stream_columns[i]);
	struct writer *w = writer_new(out, STREAM_CSV, h, 0);
	struct record rec = {0};
	for (size_t i = 0; i < l->n; i++) {
		const char *v[NCOLUMNS];
		char due[16], number[24];
		stream_values(l, &l->items[i], due, number, v);
		record_clear(&rec);
		for (size_t c = 0; c < NCOLUMNS; c++)
			record_push(&rec, v[c], strlen(v[c]));
		writer_put(w, &rec);
	}
	record_free(&rec);
	int rc = writer_close(w, name, err);
	header_free(h);
	return rc;
}

static void
due_write_json(FILE *out, const struct due_list *l)
{
	struct buf b = {0};
	for (size_t i = 0; i < l->n; i++) {
		const char *v[NCOLUMNS];
		char due[16], number[24];
		stream_values(l, &l->items[i], due, number, v);
		for (size_t c = 0; c < NCOLUMNS; c++) {
			buf_puts(&b, c ? ",\"" : "{\"");
			buf_puts(&b, stream_columns[c]);
			buf_puts(&b, "\":");
			if (c == COL_OVERDUE_DAYS)
				buf_puts(&b, number);
			else if (*v[c])
				json_put_string(&b, v[c], strlen(v[c]));
			else
				buf_puts(&b, "null");
		}
		buf_puts(&b, "}\n");
		if (b.len >= FLUSH_AT) {
			fwrite(b.data, 1, b.len, out);
			buf_reset(&b);
		}
	}
	fwrite(b.data ? b.data : "", 1, b.len, out);
	buf_free(&b);
}

/* ---- iCalendar ---------------------------------------------------------------- */

/*
 * The event of item d, built in the three buffers: the UID (DATE-ID-TOUCH,
 * percent-encoded), the summary ("touch: name") and a description that
 * says what, for whom, by whom, when and how to reach them.
 */
static struct ics_event
ics_item(const struct due_list *l, const struct due_item *d, struct buf *uid, struct buf *summary,
         struct buf *desc)
{
	char day[16], when[48];
	const char *id = due_str(l, d, DUE_ID), *phone = due_str(l, d, DUE_PHONE),
	           *email = due_str(l, d, DUE_EMAIL);
	buf_reset(uid);
	buf_printf(uid, "%04d%02d%02d-", d->due.year, d->due.month, d->due.day);
	ics_uid_part(uid, id);
	buf_putc(uid, '-');
	ics_uid_part(uid, d->touch->name);
	buf_puts(uid, "@cs-due");
	buf_reset(summary);
	buf_printf(summary, "%s: %s", d->touch->name, d->name);
	buf_reset(desc);
	buf_printf(desc, "%s for %s (%s, tier %s), by %s", d->touch->name, d->name, id,
	           d->tier->name, *d->by ? d->by : "(no owner)");
	if (*d->touch->channel)
		buf_printf(desc, " (%s)", d->touch->channel);
	when_text(d->overdue_days, when, sizeof when);
	buf_printf(desc, ".\nDue %s: %s.", date_format(d->due, day), when);
	if (*phone)
		buf_printf(desc, "\nPhone: %s", phone);
	if (*email)
		buf_printf(desc, "\nEmail: %s", email);
	return (struct ics_event){
	    .uid = buf_str(uid),
	    .date = d->due,
	    .summary = buf_str(summary),
	    .description = buf_str(desc),
	    .categories = d->by,
	};
}

static void
due_write_ics(FILE *out, const struct due_list *l, struct date today)
{
	struct ics_writer *w =
	    ics_begin(out, "-//cs//cs-due " CS_VERSION "//EN", "Client touches", today);
	struct buf uid = {0}, summary = {0}, desc = {0};
	for (size_t i = 0; i < l->n; i++) {
		struct ics_event e = ics_item(l, &l->items[i], &uid, &summary, &desc);
		ics_add_event(w, &e);
	}
	ics_end(w);
	buf_free(&uid);
	buf_free(&summary);
	buf_free(&desc);
}

static int
due_write(FILE *out, struct due_list *l, enum due_format format, struct date today,
          const char *name, struct cs_error *err)
{
	due_list_sort(l, format == DUE_TEXT ? DUE_ORDER_TEXT : DUE_ORDER_STREAM);
	if (l->n == 0)
		return 0;
	switch (format) {
	case DUE_TEXT:
		due_write_text(out, l);
		break;
	case DUE_CSV:
		return due_write_csv(out, l, name, err);
	case DUE_JSON:
		due_write_json(out, l);
		break;
	case DUE_ICS:
		due_write_ics(out, l, today);
		break;
	}
	return 0;
}

/* Write l to out for the output format, then close out; -1 after an error. */
static int
write_list(FILE *out, struct due_list *l, const struct options *o, struct date today)
{
	struct cs_error err;
	int rc = due_write(out, l, o->format, today, o->common.output, &err);
	if (rc < 0)
		cs_error_print(prog, &err, false);
	if (cli_close_output(out, o->common.output, &err) < 0) {
		cs_error_print(prog, &err, false);
		rc = -1;
	}
	return rc;
}

static void
options_free(struct options *o)
{
	free(o->logs.v);
	free(o->owners.v);
	free(o->tiers.v);
	free(o->touches.v);
}

int
main(int argc, char **argv)
{
	argv[0] = (char *)prog; /* getopt's messages name the tool, not its path */
	struct options o = {.within = "7d"};
	parse_options(argc, argv, &o);
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
	struct cli_warnings cw = {.prog = prog};
	struct touchlog *log = touchlog_new();
	read_logs(&o, log, &cw);

	FILE *out = cli_open_output(o.common.output, &err);
	if (!out) {
		cs_error_print(prog, &err, false);
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
	               .overdue = o.overdue},
	};
	struct due_list l = {0};
	int status = optind == argc ? collect("-", &q, &l, &cw) : CLI_OK;
	for (int i = optind; i < argc; i++) {
		int st = collect(argv[i], &q, &l, &cw);
		if (st > status)
			status = st;
	}
	if (write_list(out, &l, &o, today) < 0)
		status = CLI_DATA;
	if (o.strict && cw.count > 0 && status == CLI_OK)
		status = CLI_DATA;
	due_list_free(&l);
	touchlog_free(log);
	model_free(m);
	options_free(&o);
	return status;
}
