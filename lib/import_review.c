/*
 * import_review.c - what --review lists: per input, the rows read, written,
 * rejected and merged, the mapping, the duplicates, the values missing and
 * the values that did not parse.
 *
 * The tally is kept as the import runs, in each source's stats, and stays
 * small whatever the input's size: counts, and the first few rows or events
 * of each kind (ROWS_MAX, EVENTS_MAX, PROBLEMS_MAX) to show.
 */
#include <string.h>

#include "import_int.h"

/* The fields --review counts missing values of. */
static const int missing_fields[NMISSING] = {CANON_EMAIL, CANON_PHONE, CANON_BIRTHDAY, CANON_OWNER};

/* The tally. */

void
import_add_event(struct events *ev, long row, const char *text)
{
	if (ev->count < EVENTS_MAX) {
		ev->e[ev->count].row = row;
		snprintf(ev->e[ev->count].text, sizeof ev->e[ev->count].text, "%s", text);
	}
	ev->count++;
}

static void
add_row(struct rowlist *l, long row)
{
	if (l->count < ROWS_MAX)
		l->rows[l->count] = row;
	l->count++;
}

/* Count what the record written lacks. */
void
import_count_missing(struct importer *im, struct source *s, const struct record *rec)
{
	for (size_t i = 0; i < NMISSING; i++) {
		long at = im->field_out[missing_fields[i]];
		if (at < 0 || record_get(rec, (size_t)at, NULL)[0] == '\0')
			add_row(&s->st.missing[i], rec->row);
	}
	s->st.written++;
}

/* The summary. */

static void
review_rows(const struct rowlist *l, struct buf *out)
{
	buf_printf(out, "%ld row%s (", l->count, l->count == 1 ? "" : "s");
	for (long i = 0; i < l->count && i < ROWS_MAX; i++)
		buf_printf(out, "%s%ld", i ? ", " : "", l->rows[i]);
	if (l->count > ROWS_MAX)
		buf_printf(out, ", and %ld more", l->count - ROWS_MAX);
	buf_puts(out, ")\n");
}

static void
review_events(const char *title, const struct events *ev, struct buf *out)
{
	if (!ev->count)
		return;
	buf_printf(out, "  %s: %ld\n", title, ev->count);
	for (long i = 0; i < ev->count && i < EVENTS_MAX; i++)
		buf_printf(out, "    row %ld: %s\n", ev->e[i].row, ev->e[i].text);
	if (ev->count > EVENTS_MAX)
		buf_printf(out, "    and %ld more\n", ev->count - EVENTS_MAX);
}

void
import_totals(const struct importer *im, struct import_totals *t)
{
	memset(t, 0, sizeof *t);
	for (size_t i = 0; i < im->nsrc; i++) {
		const struct stats *st = &im->src[i]->st;
		t->read += st->read;
		t->written += st->written;
		t->rejected += st->rejected;
		t->duplicates += st->duplicates;
		t->merged += st->merged;
	}
}

void
import_review(const struct importer *im, struct buf *out)
{
	long read = 0, written = 0;
	for (size_t i = 0; i < im->nsrc; i++) {
		const struct source *s = im->src[i];
		const struct stats *st = &s->st;
		read += st->read;
		written += st->written;
		buf_printf(out, "review of %s: %ld row%s read, %ld written", s->path, st->read,
		           st->read == 1 ? "" : "s", st->written);
		if (st->rejected)
			buf_printf(out, ", %ld rejected", st->rejected);
		if (st->merged)
			buf_printf(out, ", %ld merged", st->merged);
		buf_puts(out, "\n  mapping:\n");
		import_describe_source(s, out, "    ");
		bool any = false;
		for (size_t c = 0; c < s->ncols; c++)
			if (s->cols[c].role == HEADER_UNKNOWN) {
				buf_printf(out, "%s%s",
				           any ? ", " : "  kept unmapped: ", s->in->names[c]);
				any = true;
			}
		buf_puts(out, any ? "\n" : "  kept unmapped: none\n");
		review_events("duplicates", &st->dups, out);
		for (size_t k = 0; k < NMISSING; k++) {
			int f = missing_fields[k];
			buf_printf(out, "  missing %s: ", schema_name(f));
			if (!s->has[f])
				buf_puts(out, "no such column\n");
			else if (st->missing[k].count == 0)
				buf_puts(out, "none\n");
			else
				review_rows(&st->missing[k], out);
		}
		if (st->nproblems) {
			buf_printf(out, "  values that did not parse: %ld\n", st->nproblems);
			for (long k = 0; k < st->nproblems && k < PROBLEMS_MAX; k++)
				buf_printf(out, "    row %ld: %s\n", st->problems[k].row,
				           st->problems[k].text);
			if (st->nproblems > PROBLEMS_MAX)
				buf_printf(out, "    and %ld more\n", st->nproblems - PROBLEMS_MAX);
		} else {
			buf_puts(out, "  values that did not parse: none\n");
		}
		review_events("rejected", &st->rejects, out);
	}
	if (im->nsrc > 1)
		buf_printf(out, "review total: %ld rows read, %ld written\n", read, written);
}
