/*
 * purge.c - the archive and the touch log, rewritten without the rows
 * whose retention has ended (or an erased client's).
 *
 * The one decision that shaped it: a purge deletes, so it must never guess.
 * A date it cannot read keeps its row (and says so), a row is compared
 * with its own retain_until before any rule of today's model, and the
 * rewrite goes through file.h's output (a temporary file beside the target,
 * renamed over it only when the caller commits), so a failure anywhere
 * leaves the file as it was.
 */
#include "purge.h"

#include <string.h>
#include <unistd.h>

#include "stream.h"
#include "writer.h"

bool
purge_expired(struct date until, struct date today)
{
	return date_cmp(today, until) > 0;
}

struct date
purge_log_cutoff(struct date today, struct duration retain)
{
	return date_add_duration(today, retain, -1);
}

/* The columns a purge reads. */
struct cols {
	long id, date, removed_on;
};

static const char *
field(const struct record *r, long col, size_t *len)
{
	*len = 0;
	return col >= 0 && (size_t)col < r->n ? record_get(r, (size_t)col, len) : "";
}

static void
warn_row(const struct purge_options *o, const char *path, long row, const char *fmt,
         const char *col, size_t len, const char *v)
{
	if (o->warn)
		cs_warn(o->warn, o->warn_ctx, path, row, fmt, col, (int)len, v);
}

/* Read column col of r as a date into *d: false (warned) when it is not one. */
static bool
row_date(const struct purge_options *o, const char *path, const struct record *r,
         const struct header *h, long col, struct date *d)
{
	size_t len;
	const char *v = field(r, col, &len);
	char why[64];
	if (date_parse(v, len, DATE_ORDER_YMD, 0, d, why, sizeof why) == 0 && d->year)
		return true;
	warn_row(o, path, r->row, "%s \"%.*s\" is not a date: row kept", h->names[col], len, v);
	return false;
}

/* True if o purges r; *col and *len tell the journal which date decided it. */
static bool
purged(const struct purge_options *o, const char *path, const struct header *h,
       const struct cols *c, const struct record *r, long *col)
{
	size_t len;
	struct date d;
	*col = c->date;
	switch (o->what) {
	case PURGE_IDS: {
		const char *id = field(r, c->id, &len);
		return len && strtab_find(o->ids, id, len) >= 0;
	}
	case PURGE_LOG:
		return o->retain.amount > 0 && row_date(o, path, r, h, c->date, &d) &&
		       date_cmp(d, purge_log_cutoff(o->today, o->retain)) < 0;
	case PURGE_ARCHIVE:
		if (c->date >= 0 && (field(r, c->date, &len), len))
			return row_date(o, path, r, h, c->date, &d) && purge_expired(d, o->today);
		*col = c->removed_on;
		if (o->retain.amount <= 0 || c->removed_on < 0 || (field(r, c->removed_on, &len), !len))
			return false;
		return row_date(o, path, r, h, c->removed_on, &d) &&
		       purge_expired(date_add_duration(d, o->retain, 1), o->today);
	}
	return false;
}

/* The columns of h the purge needs: 0, or -1 with err filled when one is missing. */
static int
bind(const struct purge_options *o, const char *path, const struct header *h, struct cols *c,
     struct cs_error *err)
{
	c->id = header_find(h, "id");
	c->date = header_find(h, o->what == PURGE_ARCHIVE ? "retain_until" : "date");
	c->removed_on = header_find(h, "removed_on");
	if (o->what == PURGE_IDS && c->id < 0)
		return cs_error_set(err, path, 1, "it has no \"id\" column");
	if (o->what == PURGE_LOG && c->date < 0)
		return cs_error_set(err, path, 1, "not a touch log: it has no \"date\" column");
	if (o->what == PURGE_ARCHIVE && c->removed_on < 0)
		return cs_error_set(err, path, 1,
		                    "not a cs-remove archive: it has no \"removed_on\" column");
	return 0;
}

/* Read s through the rule, writing what is kept to w (NULL: count only). */
static int
sift(const struct purge_options *o, const char *path, struct stream *s, struct writer *w,
     struct purge *p, struct cs_error *err)
{
	const struct header *h = stream_header(s);
	struct cols c;
	if (bind(o, path, h, &c, err) < 0)
		return -1;
	if (o->journal && o->what != PURGE_IDS) {
		journal_file(o->journal, path);
		journal_cause(o->journal, o->what == PURGE_LOG ? "retention.log" : "retention.archive");
	}
	struct record r = {0};
	int got;
	while ((got = stream_next(s, &r, err)) == 1) {
		long col;
		if (!purged(o, path, h, &c, &r, &col)) {
			if (w)
				writer_put(w, &r);
			p->rows++;
			continue;
		}
		if (o->journal && o->what != PURGE_IDS) {
			size_t idlen, len;
			const char *id = field(&r, c.id, &idlen);
			const char *v = field(&r, col, &len);
			journal_event(o->journal, JOURNAL_PURGE, id, idlen, col >= 0 ? h->names[col] : "",
			              v, len, p->rows);
		}
		p->rows++;
		p->purged++;
	}
	record_free(&r);
	return got < 0 ? -1 : 0;
}

int
purge_prepare(const char *path, const struct purge_options *o, struct purge *p,
              struct cs_error *err)
{
	*p = (struct purge){0};
	struct file_output *out = NULL;
	/* The output first: it locks the file, so an append waits until the purge is done. */
	if (!o->dry_run && !(out = file_output_open(path, err)))
		return -1;
	if (out && file_output_kind(out) != FILE_OUTPUT_REPLACES) {
		file_output_abort(out);
		return cs_error_set(err, path, 0, "%s",
		                    access(path, F_OK) == 0 ? "not a regular file: cannot rewrite it"
		                                            : "no such file");
	}
	struct stream_options so = {.warn = o->warn, .warn_ctx = o->warn_ctx};
	struct stream *s = stream_open(path, &so, err);
	if (!s) {
		file_output_abort(out);
		return -1;
	}
	struct writer *w = out ? writer_new(file_output_stream(out), stream_format(s),
	                                    stream_header(s), STREAM_RAW)
	                       : NULL;
	int rc = sift(o, path, s, w, p, err);
	struct cs_error werr;
	if (w && writer_close(w, path, &werr) < 0 && rc == 0) {
		*err = werr;
		rc = -1;
	}
	stream_close(s);
	if (rc < 0 || p->purged == 0) {
		file_output_abort(out);
		out = NULL;
	}
	p->out = out;
	return rc;
}
