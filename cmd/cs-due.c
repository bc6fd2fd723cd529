/*
 * cs-due - which touches of the service model are due or overdue in a
 * window (default: the 7 days from today), for each person who delivers them.
 *
 * The book is streamed: each client's touches are computed by lib/cadence
 * against the touch log's index and dropped unless listed.  Only the listed
 * items are kept (with the few strings they print), because they must be
 * sorted before anything is written.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cadence.h"
#include "cli.h"
#include "ics.h"
#include "jsonio.h"
#include "model.h"
#include "record.h"
#include "stream.h"
#include "table.h"
#include "touchlog.h"

static const char prog[] = "cs-due";

enum output_format { OUT_TEXT, OUT_CSV, OUT_JSON, OUT_ICS };

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
	enum output_format format; /* -c, -j or --ics, the last given */
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

static bool
list_has(const struct list *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (ascii_casecmp_eq(l->v[i], s))
			return true;
	return false;
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
			o->format = OUT_CSV;
			break;
		case 'j':
			o->format = OUT_JSON;
			break;
		case OPT_ICS:
			o->format = OUT_ICS;
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

/* ---- the listed items ---------------------------------------------------- */

/* The client strings an item prints, as offsets into due_list.strings. */
enum { S_ID, S_NAME, S_OWNER, S_EMAIL, S_PHONE, S_COUNT };

struct due_item {
	size_t str[S_COUNT];
	const struct tier *tier;
	const struct touch *touch;
	struct date due;
	long due_days; /* date_to_days(due), for sorting */
	long overdue_days;
	size_t tier_rank;  /* the tier's place in the model */
	size_t name_width; /* on screen, measured while the name is at hand */
	/* Set once every item is in, when strings no longer moves. */
	const char *by;
	const char *name;
	const char *id;
};

struct due_list {
	struct due_item *items;
	size_t n, cap;
	struct buf strings;
	struct buf scratch; /* a name built from its parts */
	/*
	 * Owners repeat: the last string kept for each of a few hash buckets is
	 * reused (offset + 1; 0: empty), so equal owners mostly share one copy,
	 * which keeps sorting by them cheap and the arena small.
	 */
	size_t owners[256];
};

/* Where the book's columns are (-1: absent). */
struct book_columns {
	long id, name, first_name, last_name, owner, email, phone;
};

static struct book_columns
find_columns(const struct header *h)
{
	return (struct book_columns){
	    .id = header_find(h, "id"),
	    .name = header_find(h, "name"),
	    .first_name = header_find(h, "first_name"),
	    .last_name = header_find(h, "last_name"),
	    .owner = header_find(h, "owner"),
	    .email = header_find(h, "email"),
	    .phone = header_find(h, "phone"),
	};
}

static const char *
field(const struct record *rec, long col)
{
	return col >= 0 ? record_get(rec, (size_t)col, NULL) : "";
}

/* Copy s into the string arena without its surrounding spaces; returns its offset. */
static size_t
keep(struct buf *b, const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	size_t off = b->len;
	buf_append(b, s, len);
	buf_putc(b, '\0');
	return off;
}

static size_t
keep_owner(struct due_list *l, const char *owner)
{
	unsigned h = 0;
	for (const char *p = owner; *p; p++)
		h = h * 31 + (unsigned char)*p;
	size_t *slot = &l->owners[h % (sizeof l->owners / sizeof l->owners[0])];
	if (*slot && strcmp(l->strings.data + *slot - 1, owner) == 0)
		return *slot - 1;
	size_t off = keep(&l->strings, owner);
	/* Kept as given when it had spaces around it: then it does not compare equal. */
	if (strcmp(l->strings.data + off, owner) == 0)
		*slot = off + 1;
	return off;
}

/*
 * Store the client's strings once; every item of the client shares them.
 * The name is name, else first and last name (as cs-import builds it).
 */
static void
keep_client(struct due_list *l, const struct record *rec, const struct book_columns *col,
            size_t str[S_COUNT])
{
	str[S_ID] = keep(&l->strings, field(rec, col->id));
	str[S_OWNER] = keep_owner(l, field(rec, col->owner));
	str[S_EMAIL] = keep(&l->strings, field(rec, col->email));
	str[S_PHONE] = keep(&l->strings, field(rec, col->phone));
	const char *name = field(rec, col->name);
	if (*name == '\0') {
		const char *first = field(rec, col->first_name), *last = field(rec, col->last_name);
		buf_reset(&l->scratch);
		buf_printf(&l->scratch, "%s%s%s", first, *first && *last ? " " : "", last);
		name = buf_str(&l->scratch);
	}
	str[S_NAME] = keep(&l->strings, name);
}

static bool
wanted(const struct options *o, const struct cadence_item *it, const char *owner)
{
	if (o->overdue && it->overdue_days <= 0)
		return false;
	if (o->tiers.n && !list_has(&o->tiers, it->tier->name))
		return false;
	if (o->touches.n && !list_has(&o->touches, it->touch->name))
		return false;
	if (o->owners.n) {
		const char *by = it->touch->by ? it->touch->by : owner;
		if (!list_has(&o->owners, by) && !list_has(&o->owners, owner))
			return false;
	}
	return true;
}

/* What the warnings of one input count. */
struct tally {
	long no_tier, unknown_tier, bad_date;
	long no_tier_row, unknown_tier_row, bad_date_row;
	char unknown_tier_value[32];
	char bad_date_text[160];
};

static void
tally_client(struct tally *t, const struct cadence_client *info, const struct record *rec,
             long tier_col)
{
	if (info->status == CADENCE_NO_TIER && t->no_tier++ == 0)
		t->no_tier_row = rec->row;
	if (info->status == CADENCE_UNKNOWN_TIER && t->unknown_tier++ == 0) {
		t->unknown_tier_row = rec->row;
		snprintf(t->unknown_tier_value, sizeof t->unknown_tier_value, "%s",
		         field(rec, tier_col));
	}
	if (info->bad_field && t->bad_date++ == 0) {
		t->bad_date_row = rec->row;
		snprintf(t->bad_date_text, sizeof t->bad_date_text, "%s \"%.40s\": %s",
		         info->bad_field, info->bad_value, info->bad_why);
	}
}

/* "1 client has" / "2 clients have" */
static const char *
clients_have(long n)
{
	return n == 1 ? "client has" : "clients have";
}

static void
report_tally(const struct tally *t, const char *name, struct cli_warnings *cw)
{
	struct cs_error w = {.file = name};
	if (t->no_tier) {
		snprintf(w.msg, sizeof w.msg,
		         "%ld %s no tier and no touches (first: row %ld; cs-tier sets tiers)",
		         t->no_tier, clients_have(t->no_tier), t->no_tier_row);
		cli_warn(cw, &w);
	}
	if (t->unknown_tier) {
		snprintf(w.msg, sizeof w.msg,
		         "%ld %s a tier the model does not define and no touches "
		         "(first: row %ld, tier \"%s\")",
		         t->unknown_tier, clients_have(t->unknown_tier), t->unknown_tier_row,
		         t->unknown_tier_value);
		cli_warn(cw, &w);
	}
	if (t->bad_date) {
		snprintf(w.msg, sizeof w.msg,
		         "%ld %s a date that does not parse, taken as missing (first: row %ld, %s)",
		         t->bad_date, clients_have(t->bad_date), t->bad_date_row, t->bad_date_text);
		cli_warn(cw, &w);
	}
}

/* Read one book and keep its listed items.  Returns the exit status for it. */
static int
collect(const char *path, const struct options *o, const struct model *m,
        const struct touchlog *log, const struct cadence_window *win, struct due_list *l,
        struct cli_warnings *cw)
{
	struct cs_error err;
	struct stream_options so = {.warn = cli_warn, .warn_ctx = cw};
	struct stream *s = stream_open(path, &so, &err);
	if (!s) {
		cs_error_print(prog, &err, false);
		return CLI_DATA;
	}
	const struct header *h = stream_header(s);
	struct book_columns col = find_columns(h);
	if (col.id < 0) {
		fprintf(stderr, "%s: %s: no \"id\" column (cs-import gives every client one)\n",
		        prog, stream_name(s));
		stream_close(s);
		return CLI_DATA;
	}
	struct cadence *cad = cadence_new(m, h);
	struct cadence_item *items = xcalloc(cadence_max_items(cad), sizeof *items);
	long tier_col = header_find(h, "tier");
	struct tally tally = {0};
	struct record rec = {0};
	int got;
	while ((got = stream_next(s, &rec, &err)) == 1) {
		struct cadence_client info;
		size_t n = cadence_record(cad, &rec, log, win->today, items, &info);
		tally_client(&tally, &info, &rec, tier_col);
		size_t client[S_COUNT];
		bool kept = false;
		const char *owner = field(&rec, col.owner);
		for (size_t i = 0; i < n; i++) {
			if (!cadence_listed(&items[i], win) || !wanted(o, &items[i], owner))
				continue;
			if (!kept)
				keep_client(l, &rec, &col, client);
			kept = true;
			l->items = xgrow(l->items, &l->cap, l->n + 1, sizeof *l->items);
			struct due_item *d = &l->items[l->n++];
			*d = (struct due_item){
			    .tier = items[i].tier,
			    .touch = items[i].touch,
			    .due = items[i].due,
			    .due_days = date_to_days(items[i].due),
			    .overdue_days = items[i].overdue_days,
			    .tier_rank = (size_t)(items[i].tier - m->tiers),
			};
			memcpy(d->str, client, sizeof client);
		}
	}
	int status = CLI_OK;
	if (got < 0) {
		cs_error_print(prog, &err, false);
		status = CLI_DATA;
	}
	report_tally(&tally, stream_name(s), cw);
	record_free(&rec);
	free(items);
	cadence_free(cad);
	stream_close(s);
	return status;
}

/* Columns on screen (UTF-8, wide characters count 2). */
static size_t
display_width(const char *s)
{
	return utf8_width(s, strlen(s));
}

/* Point each item at its strings, now that the arena stops moving. */
static void
resolve(struct due_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct due_item *d = &l->items[i];
		d->by = d->touch->by ? d->touch->by : l->strings.data + d->str[S_OWNER];
		d->id = l->strings.data + d->str[S_ID];
		/* For people: a client without any name goes by its id. */
		d->name = l->strings.data + d->str[S_NAME];
		if (*d->name == '\0')
			d->name = d->id;
		d->name_width = display_width(d->name);
	}
}

static const char *
str(const struct due_list *l, const struct due_item *d, int which)
{
	return l->strings.data + d->str[which];
}

static int
cmp_long(long a, long b)
{
	return a < b ? -1 : a > b;
}

/* The rest of both orders: name, then id and touch so equal keys sort the same every run. */
static int
cmp_tail(const struct due_item *a, const struct due_item *b)
{
	int c = strcmp(a->name, b->name);
	if (!c)
		c = strcmp(a->id, b->id);
	if (!c && a->touch != b->touch)
		c = strcmp(a->touch->name, b->touch->name);
	return c;
}

/* The stream order of DESIGN section 4: by, tier, due, name. */
static int
cmp_stream(const void *pa, const void *pb)
{
	const struct due_item *a = pa, *b = pb;
	int c = a->by == b->by ? 0 : strcmp(a->by, b->by);
	if (!c)
		c = cmp_long((long)a->tier_rank, (long)b->tier_rank);
	if (!c)
		c = cmp_long(a->due_days, b->due_days);
	return c ? c : cmp_tail(a, b);
}

/* The text order: by (no one last), then day (overdue first), tier, name. */
static int
cmp_text(const void *pa, const void *pb)
{
	const struct due_item *a = pa, *b = pb;
	int c = 0;
	if (a->by != b->by) {
		c = (*a->by == '\0') - (*b->by == '\0');
		if (!c)
			c = strcmp(a->by, b->by);
	}
	if (!c)
		c = cmp_long(a->due_days, b->due_days);
	if (!c)
		c = cmp_long((long)a->tier_rank, (long)b->tier_rank);
	return c ? c : cmp_tail(a, b);
}

/* The contact to act on: the email for an email touch, else the phone; either if one is missing. */
static const char *
contact(const struct due_list *l, const struct due_item *d)
{
	const char *email = str(l, d, S_EMAIL), *phone = str(l, d, S_PHONE);
	bool by_email = ascii_casecmp_eq(d->touch->channel, "email");
	if (by_email)
		return *email ? email : phone;
	return *phone ? phone : email;
}

/* ---- text ----------------------------------------------------------------- */

/* Append s, which takes w columns, and spaces up to width. */
static void
pad(struct buf *b, const char *s, size_t w, size_t width)
{
	buf_puts(b, s);
	for (; w < width; w++)
		buf_putc(b, ' ');
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

static const char *
weekday(struct date d)
{
	static const char *const names[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
	return names[((date_to_days(d) % 7) + 7) % 7];
}

/*
 * ana: 3 touches, 1 overdue
 *   Tue 2026-11-24
 *     A  Evan Price    call    phone    2 days overdue  +1 555 0130 776
 */
static void
write_text(FILE *out, const struct due_list *l)
{
	size_t wtier = 0, wname = 0, wtouch = 0, wchannel = 0, wwhen = 0;
	char when[48];
	for (size_t i = 0; i < l->n; i++) {
		const struct due_item *d = &l->items[i];
		when_text(d->overdue_days, when, sizeof when);
		size_t w;
		if ((w = display_width(d->tier->name)) > wtier)
			wtier = w;
		if (d->name_width > wname)
			wname = d->name_width;
		if ((w = display_width(d->touch->name)) > wtouch)
			wtouch = w;
		if ((w = display_width(d->touch->channel)) > wchannel)
			wchannel = w;
		if ((w = strlen(when)) > wwhen)
			wwhen = w;
	}
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
			when_text(d->overdue_days, when, sizeof when);
			buf_puts(&b, "    ");
			pad(&b, d->tier->name, display_width(d->tier->name), wtier + 2);
			pad(&b, d->name, d->name_width, wname + 2);
			pad(&b, d->touch->name, display_width(d->touch->name), wtouch + 2);
			pad(&b, d->touch->channel, display_width(d->touch->channel), wchannel + 2);
			const char *how = contact(l, d);
			pad(&b, when, strlen(when), *how ? wwhen + 2 : 0);
			buf_puts(&b, how);
			buf_putc(&b, '\n');
			if (b.len >= 65536) {
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

/* ---- CSV and NDJSON --------------------------------------------------------- */

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
	    str(l, d, S_ID), str(l, d, S_NAME),  str(l, d, S_OWNER), d->by,
	    d->tier->name,   d->touch->name,     d->touch->channel,  date_format(d->due, due),
	    number,          str(l, d, S_EMAIL), str(l, d, S_PHONE),
	};
	memcpy(v, values, sizeof values);
}

static int
write_csv(FILE *out, const struct due_list *l, const char *name, struct cs_error *err)
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

/*
 * NDJSON by hand: the stream writer types only canonical fields, and
 * overdue_days should be a number for jq and friends.  Empty is null.
 */
static void
write_json(FILE *out, const struct due_list *l)
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
		if (b.len >= 65536) {
			fwrite(b.data, 1, b.len, out);
			buf_reset(&b);
		}
	}
	fwrite(b.data ? b.data : "", 1, b.len, out);
	buf_free(&b);
}

/* ---- iCalendar -------------------------------------------------------------- */

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
	const char *id = str(l, d, S_ID), *phone = str(l, d, S_PHONE), *email = str(l, d, S_EMAIL);
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
write_ics(FILE *out, const struct due_list *l, struct date today)
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

/* ---- main ------------------------------------------------------------------ */

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

/* Every input's listed items into l (standard input when there is none); the worst status. */
static int
collect_all(char *const *paths, int npaths, const struct options *o, const struct model *m,
            const struct touchlog *log, const struct cadence_window *win, struct due_list *l,
            struct cli_warnings *cw)
{
	if (npaths == 0)
		return collect("-", o, m, log, win, l, cw);
	int status = CLI_OK;
	for (int i = 0; i < npaths; i++) {
		int st = collect(paths[i], o, m, log, win, l, cw);
		if (st > status)
			status = st;
	}
	return status;
}

/* Sort l for the output format and write it to out, then close out; -1 after an error. */
static int
write_list(FILE *out, struct due_list *l, const struct options *o, struct date today)
{
	struct cs_error err;
	int rc = 0;
	resolve(l);
	if (l->n > 0)
		qsort(l->items, l->n, sizeof *l->items,
		      o->format == OUT_TEXT ? cmp_text : cmp_stream);

	/* Nothing due: nothing at all on standard output, so cron mails nothing. */
	if (l->n > 0) {
		switch (o->format) {
		case OUT_TEXT:
			write_text(out, l);
			break;
		case OUT_JSON:
			write_json(out, l);
			break;
		case OUT_ICS:
			write_ics(out, l, today);
			break;
		case OUT_CSV:
			if (write_csv(out, l, o->common.output, &err) < 0) {
				cs_error_print(prog, &err, false);
				rc = -1;
			}
			break;
		}
	}
	if (cli_close_output(out, o->common.output, &err) < 0) {
		cs_error_print(prog, &err, false);
		rc = -1;
	}
	return rc;
}

static void
due_list_free(struct due_list *l)
{
	free(l->items);
	buf_free(&l->strings);
	buf_free(&l->scratch);
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
	struct due_list l = {0};
	int status = collect_all(argv + optind, argc - optind, &o, m, log, &win, &l, &cw);
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
