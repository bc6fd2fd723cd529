/*
 * touchlog_batch.c - checking the rows cs-log appends, before any is
 * written.
 *
 * Two decisions shape it.  Every row is checked, and every problem
 * reported, before the batch is refused: a person fixing a --from file
 * wants the whole list at once, not one error per run.  And the book is
 * only ever streamed: the batch's ids are sorted once, and each book
 * record is a binary search, so a batch of one against a book of a million
 * holds one id in memory.
 */
#include "touchlog_batch.h"

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
	out->value[TOUCHLOG_OUTCOME] = xstrdup(outcome && *outcome ? touchlog_outcome_names[o] : "");
	out->value[TOUCHLOG_UNTIL] = xstrdup(has_until ? date_format(u, buf) : "");
	return 0;
}

int
touchlog_check_row(const struct touchlog_defaults *d, const char *const v[TOUCHLOG_COLUMNS],
                   struct touchlog_row *out, struct cs_error *err)
{
	const char *date = given(v, TOUCHLOG_DATE, d->date);
	*out = (struct touchlog_row){0};
	for (int j = 0; j < TOUCHLOG_COLUMNS; j++) {
		const char *s = j == TOUCHLOG_DATE ? date : v[j];
		if (s && utf8_valid_prefix(s, strlen(s)) != strlen(s))
			return cs_error_set(err, NULL, 0, "the %s is not UTF-8",
			                    touchlog_column_names[j]);
	}
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

static int
cmp_str_ptr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The first index of id in the sorted ids[0..n), or -1. */
static long
find_id(const char **ids, size_t n, const char *id)
{
	const char **hit = bsearch(&id, ids, n, sizeof *ids, cmp_str_ptr);
	if (!hit)
		return -1;
	size_t k = (size_t)(hit - ids);
	while (k > 0 && strcmp(ids[k - 1], id) == 0)
		k--;
	return (long)k;
}

/*
 * Stream the book at path past the sorted ids[0..n): found[k] for each id
 * it has, and tier_of[k] its first record's tier (new) when it has a tier
 * column.  Returns 0 when the whole book was read, else -1 (reported).
 */
static int
scan_book(struct touchlog_batch *b, const char *path, const char **ids, size_t n, bool *found,
          char **tier_of)
{
	struct cs_error err;
	struct stream *s = stream_open(path, NULL, &err);
	if (!s) {
		report_error(b, &err);
		return -1;
	}
	long id_col = header_find(stream_header(s), "id");
	long tier_col = header_find(stream_header(s), "tier");
	if (id_col < 0) {
		cs_error_set(&err, stream_name(s), 0, "no \"id\" column");
		report_error(b, &err);
		stream_close(s);
		return -1;
	}
	struct record rec = {0};
	int got;
	while ((got = stream_next(s, &rec, &err)) == 1) {
		long k = find_id(ids, n, record_get(&rec, (size_t)id_col, NULL));
		if (k < 0)
			continue;
		if (!found[k] && tier_col >= 0)
			tier_of[k] = trimmed(record_get(&rec, (size_t)tier_col, NULL));
		found[k] = true;
	}
	if (got < 0)
		report_error(b, &err);
	record_free(&rec);
	stream_close(s);
	return got < 0 ? -1 : 0;
}

int
touchlog_batch_check_book(struct touchlog_batch *b, const char *path)
{
	long errors = b->errors;
	size_t n = b->n;
	const char **ids = xcalloc(n ? n : 1, sizeof *ids);
	for (size_t i = 0; i < n; i++)
		ids[i] = b->rows[i].value[TOUCHLOG_ID];
	qsort(ids, n, sizeof *ids, cmp_str_ptr);
	bool *found = xcalloc(n ? n : 1, sizeof *found);
	char **tier_of = xcalloc(n ? n : 1, sizeof *tier_of);
	if (scan_book(b, path, ids, n, found, tier_of) == 0) {
		for (size_t i = 0; i < n; i++) {
			struct touchlog_row *r = &b->rows[i];
			long k = find_id(ids, n, r->value[TOUCHLOG_ID]);
			if (!found[k])
				report(b, r->line, "%s: no client with this id in %s",
				       r->value[TOUCHLOG_ID], path);
			else if (tier_of[k])
				r->tier = xstrdup(tier_of[k]);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(tier_of[i]);
	free(tier_of);
	free(found);
	free(ids);
	return b->errors > errors ? -1 : 0;
}

/* ---- the model, and the append ------------------------------------------------------ */

void
touchlog_batch_apply_model(struct touchlog_batch *b, const struct model *m, cs_warn_fn *warn,
                           void *warn_ctx)
{
	for (size_t i = 0; i < b->n; i++) {
		struct touchlog_row *r = &b->rows[i];
		const struct touch *t = model_find_touch(m, r->tier, r->value[TOUCHLOG_TOUCH]);
		if (t) {
			free(r->value[TOUCHLOG_TOUCH]);
			r->value[TOUCHLOG_TOUCH] = xstrdup(t->name);
		} else if (warn) {
			struct cs_error w = {.file = b->source, .row = b->source ? r->line : 0};
			snprintf(w.msg, sizeof w.msg,
			         "touch \"%.100s\" is not in the model: logged as given",
			         r->value[TOUCHLOG_TOUCH]);
			warn(warn_ctx, &w);
		}
		if (!r->value[TOUCHLOG_CHANNEL])
			r->value[TOUCHLOG_CHANNEL] = xstrdup(t ? t->channel : "");
	}
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
