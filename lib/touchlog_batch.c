/*
 * touchlog_batch.c - checking the rows cs-log appends, before any is
 * written.
 *
 * Two decisions shape it.  Every row is checked, and every problem
 * reported, before the batch is refused: a person fixing a --from file
 * wants the whole list at once, not one error per run.  And the book is
 * only ever streamed past the batch's client references (clientfind: by
 * id, email or name), so a batch of one against a book of a million holds
 * one reference in memory.
 */
#include "touchlog_batch.h"

#include "clientfind.h"
#include "utf8.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- one row ---------------------------------------------------------------- */

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
 * The value s (may be NULL) of column j is stored and shown again (cs-due's
 * lists, cron mail), so it must be UTF-8 without control characters, as
 * cli_check_text asks of --note, --by and --channel: a note may have line
 * feeds, and the spaces and tabs trimmed around the other values do not
 * count.  Returns 0, or -1 with err naming the column and the byte.
 */
static int
check_text(int j, const char *s, struct cs_error *err)
{
	if (!s)
		return 0;
	size_t skip = 0, len = strlen(s);
	bool note = j == TOUCHLOG_NOTE;
	while (!note && skip < len && (s[skip] == ' ' || s[skip] == '\t'))
		skip++;
	while (!note && len > skip && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	size_t at = skip + utf8_clean_prefix(s + skip, len - skip, note);
	if (at == len)
		return 0;
	unsigned char c = (unsigned char)s[at];
	if (at == skip + utf8_valid_prefix(s + skip, len - skip))
		return cs_error_set(
		    err, NULL, 0, "the %s: byte %zu (0x%02x) is not UTF-8: give the text in UTF-8",
		    touchlog_column_names[j], at + 1, c);
	unsigned cp = c == 0xc2 ? (unsigned char)s[at + 1] : c; /* C1 is U+0080..U+009F */
	return cs_error_set(err, NULL, 0,
	                    "the %s: byte %zu is a control character (U+%04X): it would be "
	                    "stored and shown again; leave it out",
	                    touchlog_column_names[j], at + 1, cp);
}

/* v[j] when it is given and not empty, else fallback (may be NULL). */
static const char *
given(const char *const v[TOUCHLOG_COLUMNS], int j, const char *fallback)
{
	return v[j] && *v[j] ? v[j] : fallback;
}

static void
row_clear(struct touchlog_row *r)
{
	for (int j = 0; j < TOUCHLOG_COLUMNS; j++)
		free(r->value[j]);
	free(r->tier);
	*r = (struct touchlog_row){0};
}

/* The date rules: date (may be NULL or "": today) parses, has a year, is not after today. */
static int
check_date(const char *date, struct date today, struct date *out, struct cs_error *err)
{
	*out = today;
	if (!date || !*date)
		return 0;
	char why[128], buf[16];
	if (date_parse(date, strlen(date), DATE_ORDER_YMD, 0, out, why, sizeof why) < 0) {
		bool plain = strcmp(why, "not a date") == 0;
		return cs_error_set(err, NULL, 0, "date \"%s\" is not a date%s%s%s", date,
		                    plain ? "" : " (", plain ? "" : why, plain ? "" : ")");
	}
	if (out->year == 0)
		return cs_error_set(err, NULL, 0, "date \"%s\" has no year", date);
	if (date_cmp(*out, today) > 0)
		return cs_error_set(err, NULL, 0,
		                    "date %s is after today (%s): the log records touches done",
		                    date_format(*out, buf), date_format(today, why));
	return 0;
}

/*
 * The outcome and until rules of touchlog_check_row: fills out->value's
 * outcome and until, or returns -1 with err filled.
 */
static int
check_outcome(const char *outcome, const char *until, struct date when, struct touchlog_row *out,
              struct cs_error *err)
{
	enum touchlog_outcome o = TOUCHLOG_DONE;
	if (outcome && touchlog_outcome_parse(outcome, strlen(outcome), &o) < 0)
		return cs_error_set(err, NULL, 0,
		                    "outcome \"%s\" is not one of done, no-answer, scheduled, "
		                    "snoozed, declined",
		                    outcome);
	bool has_until = until && *until;
	if (touchlog_outcome_needs_until(o) && !has_until)
		return cs_error_set(err, NULL, 0, "%s needs an until date (--until DATE)",
		                    touchlog_outcome_names[o]);
	if (!touchlog_outcome_needs_until(o) && has_until)
		return cs_error_set(err, NULL, 0,
		                    "until \"%s\" goes only with a scheduled or snoozed outcome",
		                    until);
	char buf[16], why[128];
	struct date u = {0, 0, 0};
	if (has_until) {
		if (date_parse(until, strlen(until), DATE_ORDER_YMD, 0, &u, why, sizeof why) < 0 ||
		    u.year == 0)
			return cs_error_set(err, NULL, 0, "until \"%s\" is not a date with a year",
			                    until);
		if (date_cmp(u, when) <= 0)
			return cs_error_set(err, NULL, 0, "until %s is not after the date %s",
			                    date_format(u, buf), date_format(when, why));
	}
	out->value[TOUCHLOG_OUTCOME] =
	    xstrdup(outcome && *outcome ? touchlog_outcome_names[o] : "");
	out->value[TOUCHLOG_UNTIL] = xstrdup(has_until ? date_format(u, buf) : "");
	return 0;
}

int
touchlog_check_row(const struct touchlog_defaults *d, const char *const v[TOUCHLOG_COLUMNS],
                   struct touchlog_row *out, struct cs_error *err)
{
	const char *date = given(v, TOUCHLOG_DATE, d->date);
	*out = (struct touchlog_row){0};
	for (int j = 0; j < TOUCHLOG_COLUMNS; j++)
		if (check_text(j, j == TOUCHLOG_DATE ? date : v[j], err) < 0)
			return -1;
	char *id = trimmed(v[TOUCHLOG_ID]), *touch = trimmed(v[TOUCHLOG_TOUCH]);
	struct date when;
	int rc = 0;
	if (!id || !*id)
		rc = cs_error_set(err, NULL, 0, "no client id");
	else if (!touch || !*touch)
		rc = cs_error_set(err, NULL, 0, "%s: no touch", id);
	else
		rc = check_date(date, d->today, &when, err);
	if (rc == 0)
		rc = check_outcome(given(v, TOUCHLOG_OUTCOME, d->outcome),
		                   given(v, TOUCHLOG_UNTIL, d->until), when, out, err);
	if (rc < 0) {
		free(id);
		free(touch);
		row_clear(out);
		return -1;
	}
	char buf[16];
	const char *channel = given(v, TOUCHLOG_CHANNEL, d->channel);
	out->value[TOUCHLOG_DATE] = xstrdup(date_format(when, buf));
	out->value[TOUCHLOG_ID] = id;
	out->value[TOUCHLOG_TOUCH] = touch;
	out->value[TOUCHLOG_CHANNEL] = channel ? trimmed(channel) : NULL;
	out->value[TOUCHLOG_BY] = trimmed(given(v, TOUCHLOG_BY, d->by ? d->by : ""));
	out->value[TOUCHLOG_NOTE] = xstrdup(given(v, TOUCHLOG_NOTE, d->note ? d->note : ""));
	return 0;
}

/* ---- the batch ------------------------------------------------------------------ */

/* Report a problem with the row at line (0: none) of b->source, or with the whole input. */
static void report(struct touchlog_batch *b, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
report(struct touchlog_batch *b, long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cs_vwarn(b->report, b->report_ctx, b->source, line, fmt, ap);
	va_end(ap);
	b->errors++;
}

/* Report err, an error of a stream. */
static void
report_error(struct touchlog_batch *b, const struct cs_error *err)
{
	b->errors++;
	if (b->report)
		b->report(b->report_ctx, err);
}

int
touchlog_batch_add(struct touchlog_batch *b, long line, const char *const v[TOUCHLOG_COLUMNS])
{
	struct touchlog_row r;
	struct cs_error err;
	if (touchlog_check_row(b->defaults, v, &r, &err) < 0) {
		report(b, line, "%s", err.msg);
		return -1;
	}
	r.line = line;
	b->rows = xgrow(b->rows, &b->cap, b->n + 1, sizeof *b->rows);
	b->rows[b->n++] = r;
	return 0;
}

int
touchlog_batch_read(struct touchlog_batch *b, const char *path)
{
	long errors = b->errors;
	struct cs_error err;
	struct stream *s = stream_open(path, NULL, &err);
	b->source = strcmp(path, "-") == 0 ? "<stdin>" : path;
	if (!s) {
		report_error(b, &err);
		return -1;
	}
	const struct header *h = stream_header(s);
	long col[TOUCHLOG_COLUMNS];
	for (int j = 0; j < TOUCHLOG_COLUMNS; j++)
		col[j] = header_find(h, touchlog_column_names[j]);
	if (col[TOUCHLOG_ID] < 0 || col[TOUCHLOG_TOUCH] < 0) {
		report(b, 0, "needs \"id\" and \"touch\" columns");
		stream_close(s);
		return -1;
	}
	struct record rec = {0};
	int got;
	while ((got = stream_next(s, &rec, &err)) == 1) {
		const char *v[TOUCHLOG_COLUMNS];
		for (int j = 0; j < TOUCHLOG_COLUMNS; j++)
			v[j] = col[j] >= 0 ? record_get(&rec, (size_t)col[j], NULL) : NULL;
		touchlog_batch_add(b, rec.row, v);
	}
	if (got < 0)
		report_error(b, &err);
	record_free(&rec);
	stream_close(s);
	return b->errors > errors ? -1 : 0;
}

/* ---- the book ---------------------------------------------------------------------- */

/*
 * Stream the book at path past cf.  Returns 0 when the whole book was
 * read, else -1 (reported).
 */
static int
scan_book(struct touchlog_batch *b, const char *path, struct clientfind *cf)
{
	struct cs_error err;
	if (clientfind_scan(cf, path, NULL, &err) == 0)
		return 0;
	report_error(b, &err);
	return -1;
}

int
touchlog_batch_check_book(struct touchlog_batch *b, const char *path)
{
	long errors = b->errors;
	struct clientfind *cf = clientfind_new(false);
	size_t *handle = xcalloc(b->n ? b->n : 1, sizeof *handle);
	for (size_t i = 0; i < b->n; i++)
		handle[i] = clientfind_add(cf, b->rows[i].value[TOUCHLOG_ID]);
	const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	if (scan_book(b, path, cf) == 0) {
		for (size_t i = 0; i < b->n; i++) {
			struct touchlog_row *r = &b->rows[i];
			const struct clientfind_answer *a = clientfind_answer(cf, handle[i]);
			if (a->n != 1) {
				char why[sizeof((struct cs_error *)0)->msg];
				clientfind_explain(a, name, why, sizeof why);
				report(b, r->line, "%s", why);
				continue;
			}
			/* The log keeps the book's id, whatever the person typed. */
			free(r->value[TOUCHLOG_ID]);
			r->value[TOUCHLOG_ID] = xstrdup(a->match[0].id);
			if (*a->match[0].tier)
				r->tier = xstrdup(a->match[0].tier);
		}
	}
	free(handle);
	clientfind_free(cf);
	return b->errors > errors ? -1 : 0;
}

/* ---- the model, and the append ------------------------------------------------------ */

/*
 * The model's touch closest to touch, for "did you mean": the touches of
 * tier (may be NULL) first, then every other tier's.  NULL when none is
 * close.  Borrowed from m.
 */
static const char *
nearest_touch(const struct model *m, const char *tier, const char *touch)
{
	const struct tier *own = tier ? model_tier(m, tier) : NULL;
	size_t n = 0, cap = 0;
	const char **names = NULL;
	for (size_t j = 0; own && j < own->ntouches; j++) {
		names = xgrow(names, &cap, n + 1, sizeof *names);
		names[n++] = own->touches[j].name;
	}
	for (size_t i = 0; i < m->ntiers; i++)
		for (size_t j = 0; &m->tiers[i] != own && j < m->tiers[i].ntouches; j++) {
			names = xgrow(names, &cap, n + 1, sizeof *names);
			names[n++] = m->tiers[i].touches[j].name;
		}
	struct buf lower = {0};
	for (const char *p = touch; *p; p++)
		buf_putc(&lower, (char)ascii_lower((unsigned char)*p));
	const char *near = str_suggest(buf_str(&lower), names, n);
	buf_free(&lower);
	free(names);
	return near;
}

int
touchlog_batch_apply_model(struct touchlog_batch *b, const struct model *m, bool force,
                           cs_warn_fn *warn, void *warn_ctx)
{
	long errors = b->errors;
	for (size_t i = 0; i < b->n; i++) {
		struct touchlog_row *r = &b->rows[i];
		const struct touch *t = model_find_touch(m, r->tier, r->value[TOUCHLOG_TOUCH]);
		if (t) {
			free(r->value[TOUCHLOG_TOUCH]);
			r->value[TOUCHLOG_TOUCH] = xstrdup(t->name);
		} else if (force) {
			cs_warn(warn, warn_ctx, b->source, b->source ? r->line : 0,
			        "touch \"%.100s\" is not in the model: logged as given (--force)",
			        r->value[TOUCHLOG_TOUCH]);
		} else {
			const char *near = nearest_touch(m, r->tier, r->value[TOUCHLOG_TOUCH]);
			report(b, r->line,
			       "touch \"%.100s\" is not in the model%s%.100s%s "
			       "(--force logs it as given)",
			       r->value[TOUCHLOG_TOUCH], near ? "; did you mean \"" : "",
			       near ? near : "", near ? "\"?" : "");
		}
		if (!r->value[TOUCHLOG_CHANNEL])
			r->value[TOUCHLOG_CHANNEL] = xstrdup(t ? t->channel : "");
	}
	return b->errors > errors ? -1 : 0;
}

int
touchlog_batch_append(const struct touchlog_batch *b, const char *path, cs_warn_fn *warn,
                      void *warn_ctx, struct cs_error *err)
{
	const char **rows = xcalloc(b->n ? b->n * TOUCHLOG_COLUMNS : 1, sizeof *rows);
	for (size_t i = 0; i < b->n; i++)
		for (int j = 0; j < TOUCHLOG_COLUMNS; j++)
			rows[i * TOUCHLOG_COLUMNS + (size_t)j] = b->rows[i].value[j];
	int rc = touchlog_append(path, rows, b->n, warn, warn_ctx, err);
	free(rows);
	return rc;
}

void
touchlog_batch_free(struct touchlog_batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		row_clear(&b->rows[i]);
	free(b->rows);
	b->rows = NULL;
	b->n = b->cap = 0;
}
