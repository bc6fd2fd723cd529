/*
 * due_render.c - cs-due's outputs: text, CSV, NDJSON and iCalendar.
 *
 * Every format writes the same fields of an item; the text layout groups
 * them by person and day for reading in a terminal or a cron mail, and says
 * "2 days overdue" where the streams give the number.  Output is built in a
 * buffer and written in large pieces, since a big book lists many items.
 * NDJSON is written by hand for now (the stream writer types only canonical
 * fields, and overdue_days should be a number for jq and friends).
 */
#include <string.h>

#include "due_render.h"
#include "ics.h"
#include "record.h"
#include "stream.h"
#include "table.h"
#include "utf8.h"
#include "writer.h"

enum { FLUSH_AT = 65536 };

/* Columns on screen (UTF-8, wide characters count 2). */
static size_t
display_width(const char *s)
{
	return utf8_width(s, strlen(s));
}

/* "today", "in 3 days", "2 days late" (within the grace), "9 days overdue". */
static void
when_text(const struct due_item *d, char *buf, size_t size)
{
	long overdue_days = d->overdue_days;
	if (overdue_days == 0)
		snprintf(buf, size, "today");
	else if (overdue_days > 0)
		snprintf(buf, size, "%ld day%s %s", overdue_days, overdue_days == 1 ? "" : "s",
		         d->status == CADENCE_LATE ? "late" : "overdue");
	else
		snprintf(buf, size, "in %ld day%s", -overdue_days, overdue_days == -1 ? "" : "s");
}

/* ---- text ------------------------------------------------------------------- */

/* The contact to act on: the email for an email touch, else the phone; either if one is missing. */
static const char *
contact(const struct due_list *l, const struct due_item *d)
{
	const char *email = due_str(l, d, DUE_EMAIL), *phone = due_str(l, d, DUE_PHONE);
	bool by_email = ascii_casecmp_eq(d->channel, "email");
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
		when_text(d, when, sizeof when);
		grow(&w.tier, display_width(d->tier->name));
		grow(&w.name, display_width(d->name));
		grow(&w.touch, display_width(d->touch->name));
		grow(&w.channel, display_width(d->channel));
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
	when_text(d, when, sizeof when);
	buf_puts(b, "    ");
	pad(b, d->tier->name, display_width(d->tier->name), w->tier + 2);
	pad(b, d->name, display_width(d->name), w->name + 2);
	pad(b, d->touch->name, display_width(d->touch->name), w->touch + 2);
	pad(b, d->channel, display_width(d->channel), w->channel + 2);
	const char *how = contact(l, d);
	/* Colour on a terminal only (l->colour): late yellow, overdue red. */
	bool coloured = l->colour && d->overdue_days > 0;
	if (coloured)
		buf_puts(b, d->status == CADENCE_LATE ? "\033[33m" : "\033[31m");
	buf_puts(b, when);
	if (coloured)
		buf_puts(b, "\033[0m");
	pad(b, "", strlen(when), *how ? w->when + 2 : 0);
	buf_puts(b, how);
	buf_putc(b, '\n');
}

void
due_write_text(FILE *out, const struct due_list *l)
{
	struct text_widths w = text_widths(l);
	struct buf b = {0};
	for (size_t i = 0; i < l->n;) {
		/* One person's group. */
		size_t end = i, overdue = 0, late = 0;
		for (; end < l->n && strcmp(l->items[end].by, l->items[i].by) == 0; end++) {
			late += l->items[end].status == CADENCE_LATE;
			overdue += l->items[end].status == CADENCE_OVERDUE;
		}
		const char *by = *l->items[i].by ? l->items[i].by : "(no owner)";
		buf_printf(&b, "%s%s: %zu touch%s", i ? "\n" : "", by, end - i,
		           end - i == 1 ? "" : "es");
		if (late)
			buf_printf(&b, ", %zu late", late);
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
				utf8_printable(b.data, b.len);
				fwrite(b.data, 1, b.len, out);
				buf_reset(&b);
			}
		}
		if (b.data)
			utf8_printable(b.data, b.len);
		fwrite(b.data ? b.data : "", 1, b.len, out);
		buf_reset(&b);
		i = end;
	}
	buf_free(&b);
}

/* ---- CSV and NDJSON ---------------------------------------------------------- */

static const char *const stream_columns[] = {
    "id",  "name",         "owner",  "by",    "tier",  "touch",     "channel",
    "due", "overdue_days", "status", "email", "phone", "household",
};
/* The household column is written only for a model with "per": "household" touches. */
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
	    d->channel,
	    date_format(d->due, due),
	    number,
	    cadence_status_names[d->status],
	    due_str(l, d, DUE_EMAIL),
	    due_str(l, d, DUE_PHONE),
	    due_str(l, d, DUE_HOUSEHOLD),
	};
	memcpy(v, values, sizeof values);
}

int
due_write_rows(FILE *out, const struct due_list *l, enum stream_format format, const char *name,
               struct cs_error *err)
{
	size_t ncols = l->households ? NCOLUMNS : NCOLUMNS - 1;
	struct header h = {.n = ncols, .names = (char **)stream_columns};
	enum field_type types[NCOLUMNS] = {[COL_OVERDUE_DAYS] = FIELD_INTEGER};
	struct writer_options wo = {.format = format, .types = types, .excel_safe = l->excel_safe};
	struct writer *w = writer_open(out, &h, &wo);
	for (size_t i = 0; i < l->n; i++) {
		const char *v[NCOLUMNS];
		char due[16], number[24];
		stream_values(l, &l->items[i], due, number, v);
		writer_put_strings(w, v, ncols);
	}
	return writer_close(w, name, err);
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
	if (*d->channel)
		buf_printf(desc, " (%s)", d->channel);
	when_text(d, when, sizeof when);
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

void
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

int
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
		return due_write_rows(out, l, STREAM_CSV, name, err);
	case DUE_JSON:
		return due_write_rows(out, l, STREAM_NDJSON, name, err);
	case DUE_XLSX:
		return due_write_rows(out, l, STREAM_XLSX, name, err);
	case DUE_ICS:
		due_write_ics(out, l, today);
		break;
	}
	return 0;
}
