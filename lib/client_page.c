/*
 * client_page.c - one client's page: summary, history, what is due next.
 *
 * The log index (touchlog) keeps only the latest entry per touch, which is
 * what due dates need but not a history, so the page reads the logs again
 * for the client's own rows: one pass each, keeping only those.  What is
 * due comes from cadence_record on the one record, so the page agrees with
 * cs-due's list by construction; only the window is not applied.
 */
#include "client_page.h"

#include <stdlib.h>
#include <string.h>

#include "jsonio.h"
#include "stream.h"
#include "utf8.h"

static void
entry_free(struct client_page_entry *e)
{
	for (int j = 0; j < TOUCHLOG_COLUMNS; j++)
		free(e->value[j]);
}

void
client_page_free(struct client_page *p)
{
	for (size_t i = 0; i < p->nlog; i++)
		entry_free(&p->log[i]);
	free(p->log);
	free(p->items);
	p->log = NULL;
	p->items = NULL;
	p->nlog = p->cap = p->nitems = 0;
}

/* Column c of rec trimmed, or "" when col is -1. */
static const char *
value(const struct record *rec, long col, size_t *len)
{
	*len = 0;
	if (col < 0)
		return "";
	const char *s = record_get(rec, (size_t)col, len);
	str_trim(&s, len);
	return s;
}

int
client_page_read_log(struct client_page *p, const char *path, struct cs_error *err)
{
	long id_col = header_find(p->header, "id");
	size_t id_len;
	const char *id = value(p->record, id_col, &id_len);
	struct stream *s = stream_open(path, NULL, err);
	if (!s)
		return -1;
	long col[TOUCHLOG_COLUMNS];
	for (int j = 0; j < TOUCHLOG_COLUMNS; j++)
		col[j] = header_find(stream_header(s), touchlog_column_names[j]);
	if (col[TOUCHLOG_DATE] < 0 || col[TOUCHLOG_ID] < 0 || col[TOUCHLOG_TOUCH] < 0) {
		cs_error_set(err, stream_name(s), 1, "not a touch log: the header must be %s",
		             TOUCHLOG_HEADER);
		stream_close(s);
		return -1;
	}
	struct record rec = {0};
	int got;
	while ((got = stream_next(s, &rec, err)) == 1) {
		p->rows_read++;
		size_t len;
		const char *v = value(&rec, col[TOUCHLOG_ID], &len);
		if (len != id_len || memcmp(v, id, len) != 0)
			continue;
		struct date d;
		char why[64];
		v = value(&rec, col[TOUCHLOG_DATE], &len);
		if (date_parse(v, len, DATE_ORDER_YMD, 0, &d, why, sizeof why) < 0 || d.year == 0)
			continue;
		p->log = xgrow(p->log, &p->cap, p->nlog + 1, sizeof *p->log);
		struct client_page_entry *e = &p->log[p->nlog++];
		*e = (struct client_page_entry){.date = d, .order = p->rows_read};
		for (int j = 0; j < TOUCHLOG_COLUMNS; j++) {
			v = value(&rec, col[j], &len);
			e->value[j] = xstrndup(v, len);
		}
	}
	record_free(&rec);
	stream_close(s);
	return got < 0 ? -1 : 0;
}

/* Newest first; of one date, the later row first. */
static int
cmp_entry(const void *a, const void *b)
{
	const struct client_page_entry *x = a, *y = b;
	int c = date_cmp(y->date, x->date);
	if (c)
		return c;
	return x->order < y->order ? 1 : x->order > y->order ? -1 : 0;
}

void
client_page_plan(struct client_page *p, const struct model *m, const struct touchlog *log,
                 struct date today)
{
	if (p->nlog) /* qsort wants an array, even of none */
		qsort(p->log, p->nlog, sizeof *p->log, cmp_entry);
	struct cadence *c = cadence_new(m, p->header);
	free(p->items);
	p->items = xcalloc(cadence_max_items(c) + 1, sizeof *p->items);
	p->nitems = cadence_record(c, p->record, log, today, p->items, &p->info);
	cadence_free(c);
}

/* The item of touch t, or NULL when the touch does not apply (no date for it). */
static const struct cadence_item *
item_of(const struct client_page *p, const struct touch *t)
{
	for (size_t i = 0; i < p->nitems; i++)
		if (p->items[i].touch == t)
			return &p->items[i];
	return NULL;
}

/* What a person reads for an item's state: done, expired, refused, deferred, or its status. */
static const char *
state(const struct cadence_item *it)
{
	if (it->refused)
		return "refused";
	if (it->done)
		return "done";
	if (it->expired)
		return "expired";
	if (it->deferred)
		return "deferred";
	return cadence_status_names[it->status];
}

/* Who delivers touch t: its "by", else the client's owner. */
static const char *
deliverer(const struct client_page *p, const struct touch *t, struct buf *scratch)
{
	if (t->by)
		return t->by;
	size_t len;
	const char *owner = value(p->record, header_find(p->header, "owner"), &len);
	buf_reset(scratch);
	buf_append(scratch, owner, len);
	return buf_str(scratch);
}

/* ---- text ------------------------------------------------------------------- */

/* Print s[0..len) safe for a terminal, padded with spaces to width cells (0: none). */
static void
put_text(FILE *out, const char *s, size_t len, size_t width, struct buf *scratch)
{
	buf_reset(scratch);
	buf_append(scratch, s, len);
	utf8_printable(scratch->data, scratch->len); /* buf_append allocated it */
	fputs(buf_str(scratch), out);
	for (size_t w = utf8_width(s, len); w < width; w++)
		putc(' ', out);
}

/* The summary's fields, in this order, when the book has them and they are not empty. */
static const char *const summary_fields[] = {
    "id",      "tier",        "owner",        "email",        "phone",
    "company", "household",   "since",        "last_contact", "birthday",
    "kind",    "do_not_call", "do_not_email", "do_not_mail",  "notes"};

/* The client's name, then the summary's fields that are not empty. */
static void
text_summary(const struct client_page *p, FILE *out, struct buf *scratch)
{
	size_t len, first_len, last_len;
	const char *name = value(p->record, header_find(p->header, "name"), &len);
	const char *first = value(p->record, header_find(p->header, "first_name"), &first_len);
	const char *last = value(p->record, header_find(p->header, "last_name"), &last_len);
	if (len) {
		put_text(out, name, len, 0, scratch);
	} else {
		put_text(out, first, first_len, 0, scratch);
		fputs(first_len && last_len ? " " : "", out);
		put_text(out, last, last_len, 0, scratch);
	}
	fputs("\n", out);
	for (size_t i = 0; i < sizeof summary_fields / sizeof *summary_fields; i++) {
		const char *v = value(p->record, header_find(p->header, summary_fields[i]), &len);
		if (!len)
			continue;
		fprintf(out, "  %-14s", summary_fields[i]);
		put_text(out, v, len, 0, scratch);
		if (strcmp(summary_fields[i], "tier") == 0 && p->info.tier && *p->info.tier->label)
			fprintf(out, " (%s)", p->info.tier->label);
		fputs("\n", out);
	}
}

/* One line of the log: date, touch, outcome, by, until, note. */
static void
text_entry(const struct client_page_entry *e, FILE *out, struct buf *scratch)
{
	char buf[16];
	fprintf(out, "  %s  ", date_format(e->date, buf));
	const char *outcome = *e->value[TOUCHLOG_OUTCOME] ? e->value[TOUCHLOG_OUTCOME] : "done";
	const char *by = e->value[TOUCHLOG_BY], *note = e->value[TOUCHLOG_NOTE];
	const char *until = e->value[TOUCHLOG_UNTIL];
	bool more = *until || *note; /* pad only what something follows */
	put_text(out, e->value[TOUCHLOG_TOUCH], strlen(e->value[TOUCHLOG_TOUCH]), 20, scratch);
	fputs(" ", out);
	put_text(out, outcome, strlen(outcome), *by || more ? 10 : 0, scratch);
	if (*by) {
		fputs(" by ", out);
		put_text(out, by, strlen(by), more ? 10 : 0, scratch);
	}
	if (*until)
		fprintf(out, " until %s", until);
	if (*note) {
		fputs(" ", out);
		put_text(out, note, strlen(note), 0, scratch);
	}
	fputs("\n", out);
}

/* One touch of the tier: its due date, its state, how far off, and who delivers it. */
static void
text_touch(const struct client_page *p, const struct touch *t, FILE *out, struct buf *scratch)
{
	const struct cadence_item *it = item_of(p, t);
	fputs("  ", out);
	put_text(out, t->name, strlen(t->name), 20, scratch);
	if (!it) {
		fprintf(out, " no %s date\n", t->on ? t->on : "due");
		return;
	}
	char due[16], when[32];
	long od = it->overdue_days;
	if (od > 0)
		snprintf(when, sizeof when, "%ld day%s ago", od, od == 1 ? "" : "s");
	else if (od < 0)
		snprintf(when, sizeof when, "in %ld day%s", -od, od == -1 ? "" : "s");
	else
		snprintf(when, sizeof when, "today");
	struct buf who = {0};
	const char *by = deliverer(p, t, &who);
	fprintf(out, " %s  %-9s %-*s", date_format(it->due, due), state(it), *by ? 12 : 0, when);
	if (*by) {
		fputs(" by ", out);
		put_text(out, by, strlen(by), 0, scratch);
	}
	buf_free(&who);
	fputs("\n", out);
}

void
client_page_write_text(const struct client_page *p, FILE *out)
{
	struct buf scratch = {0};
	text_summary(p, out, &scratch);
	fprintf(out, "\nLogged, newest first (%zu)\n", p->nlog);
	if (!p->nlog)
		fputs("  nothing logged\n", out);
	for (size_t i = 0; i < p->nlog; i++)
		text_entry(&p->log[i], out, &scratch);
	const struct tier *tier = p->info.tier;
	if (!tier) {
		fputs(p->info.status == CADENCE_UNKNOWN_TIER
		          ? "\nIts tier is not in the model: no touches\n"
		          : "\nNo tier: no touches (cs-tier sets tiers)\n",
		      out);
	} else {
		fprintf(out, "\nTouches of tier %s\n", tier->name);
		for (size_t j = 0; j < tier->ntouches; j++)
			text_touch(p, &tier->touches[j], out, &scratch);
	}
	buf_free(&scratch);
}

/* ---- JSON ------------------------------------------------------------------- */

/* "key": "value" (null when empty), after a comma unless first. */
static void
put_member(struct buf *b, bool first, const char *key, const char *v, size_t len)
{
	if (!first)
		buf_putc(b, ',');
	json_put_string(b, key, strlen(key));
	buf_putc(b, ':');
	if (len)
		json_put_string(b, v, len);
	else
		buf_puts(b, "null");
}

void
client_page_write_json(const struct client_page *p, FILE *out)
{
	struct buf b = {0}, scratch = {0};
	buf_puts(&b, "{\"client\":{");
	for (size_t i = 0; i < p->header->n; i++) {
		size_t len = 0;
		const char *v = i < p->record->n ? record_get(p->record, i, &len) : "";
		put_member(&b, i == 0, p->header->names[i], v, len);
	}
	buf_puts(&b, "},\"log\":[");
	for (size_t i = 0; i < p->nlog; i++) {
		const struct client_page_entry *e = &p->log[i];
		buf_puts(&b, i ? ",{" : "{");
		const int cols[] = {TOUCHLOG_DATE, TOUCHLOG_TOUCH,   TOUCHLOG_CHANNEL, TOUCHLOG_BY,
		                    TOUCHLOG_NOTE, TOUCHLOG_OUTCOME, TOUCHLOG_UNTIL};
		for (int k = 0; k < 7; k++) {
			const char *v = e->value[cols[k]];
			if (cols[k] == TOUCHLOG_OUTCOME && !*v)
				v = "done";
			put_member(&b, k == 0, touchlog_column_names[cols[k]], v, strlen(v));
		}
		buf_putc(&b, '}');
	}
	buf_puts(&b, "],\"touches\":[");
	const struct tier *tier = p->info.tier;
	for (size_t j = 0; tier && j < tier->ntouches; j++) {
		const struct touch *t = &tier->touches[j];
		const struct cadence_item *it = item_of(p, t);
		buf_puts(&b, j ? ",{" : "{");
		put_member(&b, true, "touch", t->name, strlen(t->name));
		const char *channel = it ? it->channel : t->channel;
		put_member(&b, false, "channel", channel, strlen(channel));
		const char *by = deliverer(p, t, &scratch);
		put_member(&b, false, "by", by, strlen(by));
		char due[16] = "", last[16] = "";
		if (it)
			date_format(it->due, due);
		if (it && it->has_last_done)
			date_format(it->last_done, last);
		else if (it && it->logged)
			date_format(it->last_logged, last);
		put_member(&b, false, "due", due, strlen(due));
		if (it)
			buf_printf(&b, ",\"overdue_days\":%ld", it->overdue_days);
		else
			buf_puts(&b, ",\"overdue_days\":null");
		const char *st = it ? state(it) : "";
		put_member(&b, false, "status", st, strlen(st));
		put_member(&b, false, "last_done", last, strlen(last));
		buf_putc(&b, '}');
	}
	buf_puts(&b, "]}\n");
	fwrite(b.data, 1, b.len, out);
	buf_free(&b);
	buf_free(&scratch);
}
