/*
 * cs-log - append touches to the touch log safely, and fold the log back
 * into the book's last_contact.
 *
 * Appending: every row is checked first (a bad date or, with --book, an
 * unknown client refuses the whole batch), then touchlog_append adds the
 * rows under a lock in one write, or nothing.  --apply is a filter
 * (filter.h) that raises last_contact record by record.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "filter.h"
#include "model.h"
#include "record.h"
#include "stream.h"
#include "touchlog.h"
#include "writer.h"

static const char prog[] = "cs-log";

struct options {
	const char *log;
	const char *date, *channel, *by, *note;
	const char *book;
	const char *from;
	struct strlist apply; /* --apply LOG, repeatable */
	struct cli_common common;
	bool in_place;
};

enum {
	OPT_DATE = CLI_OPT_OWN,
	OPT_CHANNEL,
	OPT_BY,
	OPT_NOTE,
	OPT_BOOK,
	OPT_FROM,
	OPT_APPLY,
};

static const struct cli_opt option_table[] = {
    {'f', "file", "LOG", "the touch log (default: $CS_LOG, else touches.csv)"},
    {OPT_DATE, "date", "DATE", "when the touch was done (default: today)"},
    {OPT_CHANNEL, "channel", "C", "how (default: the model's channel for the touch)"},
    {OPT_BY, "by", "WHO", "who did it"},
    {OPT_NOTE, "note", "TEXT", "a note"},
    {OPT_BOOK, "book", "FILE", "refuse client ids that FILE does not have"},
    {OPT_FROM, "from", "FILE",
     "append every row of FILE (CSV or NDJSON with id, touch\n"
     "and optionally date, channel, by, note)"},
    {OPT_APPLY, "apply", "LOG",
     "write the book with last_contact raised to the latest\n"
     "touch in LOG; repeatable"},
    {'i', "in-place", NULL, "with --apply: rewrite each FILE atomically"},
    CLI_COMMON_OUTPUT("with --apply: write to FILE instead of standard output"),
    CLI_COMMON_CSV("with --apply: write CSV"),
    CLI_COMMON_JSON("with --apply: write NDJSON"),
    CLI_COMMON_MODEL(CLI_HELP_MODEL),
    CLI_COMMON_TODAY("take DATE as today (default: $CS_TODAY, else clock)"),
    CLI_COMMON_HELP_VERSION,
    {0},
};

static void
usage(FILE *f)
{
	fprintf(f,
	        "usage: %s [-f LOG] [--date DATE] [--channel C] [--by WHO] [--note TEXT]\n"
	        "              [--book FILE] [-m MODEL] [--today DATE] ID TOUCH\n"
	        "       %s [-f LOG] [--date DATE] [--channel C] [--by WHO] [--note TEXT]\n"
	        "              [--book FILE] [-m MODEL] [--today DATE] --from FILE\n"
	        "       %s --apply LOG [-cj] [-i | -o FILE] [FILE ...]\n",
	        prog, prog, prog);
	if (f != stdout)
		return;
	fputs("\nAppend touches to the touch log, or raise the book's last_contact from it.\n\n",
	      f);
	cli_print_help(f, option_table, 22);
}

static void
parse_options(int argc, char **argv, struct options *o)
{
	int c;
	while ((c = cli_getopt(argc, argv, option_table)) != -1) {
		switch (c) {
		case 'f':
			o->log = optarg;
			break;
		case OPT_DATE:
			o->date = optarg;
			break;
		case OPT_CHANNEL:
			o->channel = optarg;
			break;
		case OPT_BY:
			o->by = optarg;
			break;
		case OPT_NOTE:
			o->note = optarg;
			break;
		case OPT_BOOK:
			o->book = optarg;
			break;
		case OPT_FROM:
			o->from = optarg;
			break;
		case OPT_APPLY:
			strlist_add(&o->apply, optarg);
			break;
		case 'i':
			o->in_place = true;
			break;
		default:
			cli_common_option(c, &o->common, prog, usage);
		}
	}
	int operands = argc - optind;
	if (o->apply.n) {
		if (o->from || o->book || o->log || o->date || o->channel || o->by || o->note)
			cli_die(prog, CLI_USAGE,
			        "--apply reads the log: it takes no -f, --from, "
			        "--book, --date, --channel, --by or --note");
		if (o->in_place && o->common.output)
			cli_die(prog, CLI_USAGE, "-i and -o cannot go together");
		if (o->in_place && operands == 0)
			cli_die(prog, CLI_USAGE, "-i needs the files to rewrite");
		for (int i = optind; o->in_place && i < argc; i++)
			if (strcmp(argv[i], "-") == 0)
				cli_die(prog, CLI_USAGE, "-i cannot rewrite standard input");
		return;
	}
	if (o->in_place || o->common.output || o->common.format)
		cli_die(prog, CLI_USAGE, "-i, -o, -c and -j go with --apply");
	if (o->from ? operands != 0 : operands != 2) {
		usage(stderr);
		exit(CLI_USAGE);
	}
	if (!o->log) {
		const char *env = getenv("CS_LOG");
		o->log = env && *env ? env : "touches.csv";
	}
}

/* ---- rows to append --------------------------------------------------------- */

enum { F_DATE, F_ID, F_TOUCH, F_CHANNEL, F_BY, F_NOTE, NFIELDS };

struct row {
	char *f[NFIELDS]; /* owned; F_CHANNEL may be NULL until defaulted */
	long line;        /* the --from row it came from, 0 for the command line */
};

struct batch {
	struct row *rows;
	size_t n, cap;
	const char *source; /* for messages: the --from file, or NULL */
	int errors;
};

static void
batch_free(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		for (int j = 0; j < NFIELDS; j++)
			free(b->rows[i].f[j]);
	free(b->rows);
}

/* Report a bad row; the batch is refused once any is found. */
static void row_error(struct batch *b, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
row_error(struct batch *b, long line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (b->source)
		fprintf(stderr, "%s: %s:%ld: %s\n", prog, b->source, line, msg);
	else
		fprintf(stderr, "%s: %s\n", prog, msg);
	b->errors++;
}

static char *
trimmed(const char *s)
{
	if (!s)
		return NULL;
	while (*s == ' ' || *s == '\t')
		s++;
	size_t len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	return xstrndup(s, len);
}

/*
 * Check one row and add it.  Values may be NULL or empty (then the options'
 * apply).  The date is rewritten as YYYY-MM-DD.
 */
static void
batch_add(struct batch *b, const struct options *o, struct date today, long line,
          const char *const v[NFIELDS])
{
	const char *date = v[F_DATE] && *v[F_DATE] ? v[F_DATE] : o->date;
	const char *const names[NFIELDS] = {"date", "id", "touch", "channel", "by", "note"};
	struct row r = {.line = line};
	for (int j = 0; j < NFIELDS; j++) {
		const char *s = j == F_DATE ? date : v[j];
		if (s && utf8_valid_prefix(s, strlen(s)) != strlen(s)) {
			row_error(b, line, "the %s is not UTF-8", names[j]);
			return;
		}
	}
	r.f[F_ID] = trimmed(v[F_ID]);
	r.f[F_TOUCH] = trimmed(v[F_TOUCH]);
	if (!r.f[F_ID] || !*r.f[F_ID]) {
		row_error(b, line, "no client id");
		goto bad;
	}
	if (!r.f[F_TOUCH] || !*r.f[F_TOUCH]) {
		row_error(b, line, "%s: no touch", r.f[F_ID]);
		goto bad;
	}
	struct date d = today;
	char why[128], buf[16];
	if (date && *date) {
		if (date_parse(date, strlen(date), DATE_ORDER_YMD, 0, &d, why, sizeof why) < 0) {
			bool plain = strcmp(why, "not a date") == 0;
			row_error(b, line, "date \"%s\" is not a date%s%s%s", date,
			          plain ? "" : " (", plain ? "" : why, plain ? "" : ")");
			goto bad;
		}
		if (d.year == 0) {
			row_error(b, line, "date \"%s\" has no year", date);
			goto bad;
		}
		if (date_cmp(d, today) > 0) {
			row_error(b, line,
			          "date %s is after today (%s): the log records touches done",
			          date_format(d, buf), date_format(today, why));
			goto bad;
		}
	}
	r.f[F_DATE] = xstrdup(date_format(d, buf));
	const char *channel = v[F_CHANNEL] && *v[F_CHANNEL] ? v[F_CHANNEL] : o->channel;
	r.f[F_CHANNEL] = channel ? trimmed(channel) : NULL;
	r.f[F_BY] = trimmed(v[F_BY] && *v[F_BY] ? v[F_BY] : o->by ? o->by : "");
	r.f[F_NOTE] = xstrdup(v[F_NOTE] && *v[F_NOTE] ? v[F_NOTE] : o->note ? o->note : "");
	b->rows = xgrow(b->rows, &b->cap, b->n + 1, sizeof *b->rows);
	b->rows[b->n++] = r;
	return;
bad:
	for (int j = 0; j < NFIELDS; j++)
		free(r.f[j]);
}

/* The rows of --from FILE. */
static void
batch_read(struct batch *b, const struct options *o, struct date today)
{
	struct cs_error err;
	struct stream *s = stream_open(o->from, NULL, &err);
	b->source = strcmp(o->from, "-") == 0 ? "<stdin>" : o->from;
	if (!s) {
		cs_error_print(prog, &err, false);
		b->errors++;
		return;
	}
	const struct header *h = stream_header(s);
	static const char *const names[NFIELDS] = {"date", "id", "touch", "channel", "by", "note"};
	long col[NFIELDS];
	for (int j = 0; j < NFIELDS; j++)
		col[j] = header_find(h, names[j]);
	if (col[F_ID] < 0 || col[F_TOUCH] < 0) {
		fprintf(stderr, "%s: %s: needs \"id\" and \"touch\" columns\n", prog, b->source);
		b->errors++;
		stream_close(s);
		return;
	}
	struct record rec = {0};
	int got;
	while ((got = stream_next(s, &rec, &err)) == 1) {
		const char *v[NFIELDS];
		for (int j = 0; j < NFIELDS; j++)
			v[j] = col[j] >= 0 ? record_get(&rec, (size_t)col[j], NULL) : NULL;
		batch_add(b, o, today, rec.row, v);
	}
	if (got < 0) {
		cs_error_print(prog, &err, false);
		b->errors++;
	}
	record_free(&rec);
	stream_close(s);
}

static int
cmp_str_ptr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * --book: every id must be in the book.  The ids are few (one, or a --from
 * file's): sort them and look each book record up, so the book streams past.
 * tiers[i] gets the book's tier of the row i's client (for the channel).
 */
static void
check_book(struct batch *b, const char *book, char **tiers)
{
	size_t n = b->n;
	const char **ids = xcalloc(n, sizeof *ids);
	for (size_t i = 0; i < n; i++)
		ids[i] = b->rows[i].f[F_ID];
	qsort(ids, n, sizeof *ids, cmp_str_ptr);
	bool *found = xcalloc(n, sizeof *found);
	char **tier_of = xcalloc(n, sizeof *tier_of);
	struct cs_error err;
	struct stream *s = stream_open(book, NULL, &err);
	if (!s) {
		cs_error_print(prog, &err, false);
		b->errors++;
		goto out;
	}
	long id_col = header_find(stream_header(s), "id");
	long tier_col = header_find(stream_header(s), "tier");
	if (id_col < 0) {
		fprintf(stderr, "%s: %s: no \"id\" column\n", prog, stream_name(s));
		b->errors++;
		stream_close(s);
		goto out;
	}
	struct record rec = {0};
	int got;
	while ((got = stream_next(s, &rec, &err)) == 1) {
		const char *id = record_get(&rec, (size_t)id_col, NULL);
		const char **hit = bsearch(&id, ids, n, sizeof *ids, cmp_str_ptr);
		if (!hit)
			continue;
		size_t k = (size_t)(hit - ids);
		while (k > 0 && strcmp(ids[k - 1], id) == 0)
			k--;
		if (!found[k] && tier_col >= 0)
			tier_of[k] = trimmed(record_get(&rec, (size_t)tier_col, NULL));
		found[k] = true;
	}
	if (got < 0) {
		cs_error_print(prog, &err, false);
		b->errors++;
	}
	record_free(&rec);
	stream_close(s);
	for (size_t i = 0; got == 0 && i < n; i++) {
		const char *id = b->rows[i].f[F_ID];
		const char **hit = bsearch(&id, ids, n, sizeof *ids, cmp_str_ptr);
		size_t k = (size_t)(hit - ids);
		while (k > 0 && strcmp(ids[k - 1], id) == 0)
			k--;
		if (!found[k])
			row_error(b, b->rows[i].line, "%s: no client with this id in %s", id, book);
		else if (tier_of[k])
			tiers[i] = xstrdup(tier_of[k]);
	}
out:
	for (size_t i = 0; i < n; i++)
		free(tier_of[i]);
	free(tier_of);
	free(found);
	free(ids);
}

/* Give each row the model's spelling of its touch, and its channel when none was given. */
static void
apply_model(struct batch *b, const struct model *m, char **tiers, struct cli_warnings *cw)
{
	for (size_t i = 0; i < b->n; i++) {
		struct row *r = &b->rows[i];
		const struct touch *t = model_find_touch(m, tiers[i], r->f[F_TOUCH]);
		if (t) {
			free(r->f[F_TOUCH]);
			r->f[F_TOUCH] = xstrdup(t->name);
		} else {
			struct cs_error w = {.file = b->source, .row = b->source ? r->line : 0};
			snprintf(w.msg, sizeof w.msg,
			         "touch \"%.100s\" is not in the model: logged as given",
			         r->f[F_TOUCH]);
			cli_warn(cw, &w);
		}
		if (!r->f[F_CHANNEL])
			r->f[F_CHANNEL] = xstrdup(t ? t->channel : "");
	}
}

/* ---- appending ---------------------------------------------------------------- */

/* Append the batch to the log; returns an exit status. */
static int
append(const char *path, const struct batch *b)
{
	const char **rows = xcalloc(b->n * NFIELDS, sizeof *rows);
	for (size_t i = 0; i < b->n; i++)
		for (int j = 0; j < NFIELDS; j++)
			rows[i * NFIELDS + (size_t)j] = b->rows[i].f[j];
	struct cs_error err;
	int rc = touchlog_append(path, rows, b->n, &err);
	if (rc < 0)
		cs_error_print(prog, &err, false);
	free(rows);
	return rc < 0 ? CLI_DATA : CLI_OK;
}

static int
log_touches(const struct options *o, char **argv)
{
	struct date today = cli_today(prog, o->common.today);
	struct cs_error err;
	struct model *m = model_open(o->common.model, &err);
	if (!m) {
		cs_error_print(prog, &err, false);
		return CLI_USAGE;
	}
	struct batch b = {0};
	if (o->from) {
		batch_read(&b, o, today);
	} else {
		const char *v[NFIELDS] = {NULL, argv[optind], argv[optind + 1], NULL, NULL, NULL};
		batch_add(&b, o, today, 0, v);
	}
	char **tiers = xcalloc(b.n ? b.n : 1, sizeof *tiers);
	if (!b.errors && o->book && b.n)
		check_book(&b, o->book, tiers);
	int status = CLI_DATA;
	struct cli_warnings cw = {.prog = prog};
	if (b.errors) {
		fprintf(stderr, "%s: %s: nothing logged\n", prog, o->log);
	} else if (b.n == 0) {
		status = CLI_OK; /* an empty --from file: nothing to do */
	} else {
		apply_model(&b, m, tiers, &cw);
		status = append(o->log, &b);
	}
	for (size_t i = 0; i < b.n; i++)
		free(tiers[i]);
	free(tiers);
	batch_free(&b);
	model_free(m);
	return status;
}

/* ---- --apply ------------------------------------------------------------------ */

struct applier {
	struct touchlog *log;
	struct cli_warnings cw;
	size_t width;  /* the output's columns */
	long id_col;   /* -1: the book has no id column */
	size_t lc_col; /* last_contact */
	long raised;
};

/* filter_ops.start: the book's columns, with last_contact added when missing. */
static int
apply_start(void *ctx, const struct header *in, struct header **out)
{
	struct applier *a = ctx;
	*out = header_copy(in);
	a->lc_col = header_ensure(*out, "last_contact");
	a->id_col = header_find(*out, "id");
	a->width = (*out)->n;
	return CLI_OK;
}

/* filter_ops.record: raise last_contact to the client's latest logged touch. */
static int
apply_record(void *ctx, struct record *rec, const char *name, bool *write)
{
	struct applier *a = ctx;
	(void)write;
	record_resize(rec, a->width);
	struct date logged, current;
	const char *id = a->id_col >= 0 ? record_get(rec, (size_t)a->id_col, NULL) : "";
	if (!*id || !touchlog_last_any(a->log, id, &logged))
		return 0;
	size_t len;
	const char *s_lc = record_get(rec, a->lc_col, &len);
	char why[128], buf[16];
	bool blank = record_blank(rec, a->lc_col);
	bool ok = !blank &&
	          date_parse(s_lc, len, DATE_ORDER_YMD, 0, &current, why, sizeof why) == 0 &&
	          current.year != 0;
	if (!blank && !ok) {
		struct cs_error warn = {.file = name, .row = rec->row};
		snprintf(warn.msg, sizeof warn.msg,
		         "last_contact \"%.40s\" is not a date: replaced by %s from the log", s_lc,
		         date_format(logged, buf));
		cli_warn(&a->cw, &warn);
	}
	if (!ok || date_cmp(logged, current) > 0) {
		record_set_str(rec, a->lc_col, date_format(logged, buf));
		a->raised++;
	}
	return 0;
}

static int
apply_logs(const struct options *o, int argc, char **argv)
{
	struct applier a = {.log = touchlog_new(), .cw = {.prog = prog}};
	struct stream_options so = {.warn = cli_warn, .warn_ctx = &a.cw};
	struct cs_error err;
	for (size_t i = 0; i < o->apply.n; i++) {
		if (touchlog_read(a.log, o->apply.v[i], &so, &err) < 0) {
			cs_error_print(prog, &err, false);
			cli_output_untouched(prog, o->common.output);
			for (int k = optind; o->in_place && k < argc; k++)
				cli_output_untouched(prog, argv[k]);
			touchlog_free(a.log);
			return CLI_DATA;
		}
	}
	struct filter_options fo = {
	    .prog = prog,
	    .paths = argv + optind,
	    .npaths = (size_t)(argc - optind),
	    .output = o->common.output,
	    .in_place = o->in_place,
	    .format = o->common.format,
	    .warnings = &a.cw,
	};
	static const struct filter_ops ops = {.start = apply_start, .record = apply_record};
	int status = filter_run(&fo, &ops, &a);
	touchlog_free(a.log);
	return status;
}

int
main(int argc, char **argv)
{
	argv[0] = (char *)prog; /* getopt's messages name the tool, not its path */
	struct options o = {0};
	parse_options(argc, argv, &o);
	int status = o.apply.n ? apply_logs(&o, argc, argv) : log_touches(&o, argv);
	strlist_free(&o.apply);
	return status;
}
