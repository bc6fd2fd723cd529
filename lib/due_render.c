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
#include <stdint.h>
#include <string.h>

#include "due_render.h"
#include "ics.h"
#include "record.h"
#include "stream.h"
#include "table.h"
#include "utf8.h"
#include "writer.h"

enum { FLUSH_AT = 65536 };

/*
 * Columns on screen (UTF-8, wide characters count 2), and in *len the
 * bytes: ASCII (every name of a typical book) is a column a byte, found in
 * the one pass that finds the length.
 */
static size_t
display_width_len(const char *s, size_t *len)
{
	size_t n = 0;
	unsigned char high = 0;
	for (; s[n]; n++)
		high |= (unsigned char)s[n];
	*len = n;
	return high < 0x80 ? n : utf8_width(s, n);
}

static size_t
display_width(const char *s)
{
	size_t len;
	return display_width_len(s, &len);
}

/*
 * The widths of the model's names (tiers, touches, channels): a handful of
 * strings that every item repeats, measured once each.  Direct-mapped by
 * the string's address; a clash measures again, which only costs time.
 */
enum { WIDTH_MEMO = 64 };

struct width_memo {
	const char *s[WIDTH_MEMO];
	size_t width[WIDTH_MEMO], len[WIDTH_MEMO];
};

static size_t
memo_width(struct width_memo *m, const char *s, size_t *len)
{
	size_t k = ((uintptr_t)s >> 3) % WIDTH_MEMO;
	if (m->s[k] != s) {
		m->width[k] = display_width_len(s, &m->len[k]);
		m->s[k] = s;
	}
	*len = m->len[k];
	return m->width[k];
}

/* Append the decimal digits of v (>= 0) to p; returns the end. */
static char *
put_ulong(char *p, unsigned long v)
{
	char digits[24];
	int n = 0;
	do
		digits[n++] = (char)('0' + v % 10);
	while (v /= 10);
	while (n)
		*p++ = digits[--n];
	return p;
}

static char *
put_str(char *p, const char *s)
{
	size_t n = strlen(s);
	memcpy(p, s, n);
	return p + n;
}

/*
 * "today", "in 3 days", "2 days late" (within the grace), "9 days
 * overdue" into buf (room for 48); returns its length.  By hand, not
 * snprintf: it is written twice for every item of a long list.
 */
static size_t
when_text(const struct due_item *d, char buf[48])
{
	long overdue_days = d->overdue_days;
	char *p = buf;
	if (overdue_days == 0) {
		p = put_str(p, "today");
	} else if (overdue_days > 0) {
		p = put_ulong(p, (unsigned long)overdue_days);
		p = put_str(p, overdue_days == 1 ? " day " : " days ");
		p = put_str(p, d->status == CADENCE_LATE ? "late" : "overdue");
	} else {
		p = put_str(p, "in ");
		p = put_ulong(p, 0UL - (unsigned long)overdue_days);
		p = put_str(p, overdue_days == -1 ? " day" : " days");
	}
	*p = '\0';
	return (size_t)(p - buf);
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

/* Append s (len bytes), which takes w columns, and spaces up to width. */
static void
pad_len(struct buf *b, const char *s, size_t len, size_t w, size_t width)
{
	static const char spaces[] = "                                ";
	buf_append(b, s, len);
	while (w < width) {
		size_t n = width - w < sizeof spaces - 1 ? width - w : sizeof spaces - 1;
		buf_append(b, spaces, n);
		w += n;
	}
}

static const char *
weekday(struct date d)
{
	static const char *const names[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
	return names[((date_to_days(d) % 7) + 7) % 7];
}

/* The widths of the text columns: the widest value of each; and the model's names measured. */
struct text_widths {
	size_t tier, name, touch, channel, when;
	struct width_memo memo;
};

static void
grow(size_t *width, size_t w)
{
	if (w > *width)
		*width = w;
}

static void
text_widths(const struct due_list *l, struct text_widths *w)
{
	*w = (struct text_widths){0};
	char when[48];
	size_t len;
	for (size_t i = 0; i < l->n; i++) {
		const struct due_item *d = &l->items[i];
		grow(&w->tier, memo_width(&w->memo, d->tier->name, &len));
		grow(&w->name, display_width(d->name));
		grow(&w->touch, memo_width(&w->memo, d->touch->name, &len));
		grow(&w->channel, memo_width(&w->memo, d->channel, &len));
		grow(&w->when, when_text(d, when));
	}
}

/* Append the model's name s, measured once (w->memo), and spaces up to width. */
static void
pad_memo(struct buf *b, struct text_widths *w, const char *s, size_t width)
{
	size_t len, cols = memo_width(&w->memo, s, &len);
	pad_len(b, s, len, cols, width);
}

/* One item's line: tier, name, touch, channel, when, contact. */
static void
text_item(struct buf *b, const struct due_list *l, const struct due_item *d, struct text_widths *w)
{
	char when[48];
	size_t when_len = when_text(d, when), len;
	buf_append(b, "    ", 4);
	pad_memo(b, w, d->tier->name, w->tier + 2);
	size_t cols = display_width_len(d->name, &len);
	pad_len(b, d->name, len, cols, w->name + 2);
	pad_memo(b, w, d->touch->name, w->touch + 2);
	pad_memo(b, w, d->channel, w->channel + 2);
	const char *how = contact(l, d);
	/* Colour on a terminal only (l->colour): late yellow, overdue red. */
	bool coloured = l->colour && d->overdue_days > 0;
	if (coloured)
		buf_puts(b, d->status == CADENCE_LATE ? "\033[33m" : "\033[31m");
	buf_append(b, when, when_len);
	if (coloured)
		buf_puts(b, "\033[0m");
	pad_len(b, "", 0, when_len, *how ? w->when + 2 : 0);
	buf_puts(b, how);
	buf_putc(b, '\n');
}

void
due_write_text(FILE *out, const struct due_list *l)
{
	struct text_widths w;
	text_widths(l, &w);
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
			if (j == i || d->due_days != l->items[j - 1].due_days)
				buf_printf(&b, "  %s %s\n", weekday(due_item_due(d)),
				           date_format(due_item_due(d), day));
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

/* ---- the plan, as text -------------------------------------------------------- */

/* "40 min", "3 h", "2 h 05 min". */
static void
put_minutes(struct buf *b, long minutes)
{
	if (minutes < 60)
		buf_printf(b, "%ld min", minutes);
	else if (minutes % 60 == 0)
		buf_printf(b, "%ld h", minutes / 60);
	else
		buf_printf(b, "%ld h %02ld min", minutes / 60, minutes % 60);
}

/* The heading of week w of person q: its Monday, what it holds, what is left. */
static void
plan_week_heading(struct buf *b, const struct weekplan *p, size_t q, int w, struct date today)
{
	const struct weekplan_load *load = &p->load[q * (size_t)p->weeks + (size_t)w];
	char day[16];
	struct date monday = date_from_days(p->first_day + 7L * w);
	buf_printf(b, "  week of Mon %s", date_format(monday, day));
	if (w == 0 && date_cmp(monday, today) != 0)
		buf_printf(b, " (from %s %s)", weekday(today), date_format(today, day));
	buf_puts(b, ": ");
	put_minutes(b, load->used);
	if (load->capacity >= 0) {
		buf_puts(b, " of ");
		put_minutes(b, load->capacity);
		buf_puts(b, " used, ");
		put_minutes(b, load->capacity - load->used);
		buf_puts(b, " left");
	} else {
		buf_puts(b, " planned");
	}
	buf_putc(b, '\n');
}

/* Write b out once it holds FLUSH_AT bytes (or always, when all is set). */
static void
flush_text(FILE *out, struct buf *b, bool all)
{
	if (b->len == 0 || (!all && b->len < FLUSH_AT))
		return;
	utf8_printable(b->data, b->len);
	fwrite(b->data, 1, b->len, out);
	buf_reset(b);
}

/*
 * One group per person: a count, then every week of the plan with the
 * minutes used and left and the items planned in it, then the items over
 * capacity with the minutes missing.  l is in the text order, which puts a
 * person's items by week, over capacity last.
 */
static void
due_write_plan_text(FILE *out, const struct due_list *l, struct date today)
{
	const struct weekplan *p = l->plan;
	struct text_widths w;
	text_widths(l, &w);
	struct buf b = {0};
	for (size_t i = 0; i < l->n;) {
		size_t end = i, late = 0, overdue = 0, over = 0;
		for (; end < l->n && strcmp(l->items[end].by, l->items[i].by) == 0; end++) {
			late += l->items[end].status == CADENCE_LATE;
			overdue += l->items[end].status == CADENCE_OVERDUE;
			over += l->items[end].week >= p->weeks;
		}
		size_t q = (size_t)weekplan_person_index(p, l->items[i].by);
		const char *by = *l->items[i].by ? l->items[i].by : "(no owner)";
		buf_printf(&b, "%s%s: %zu touch%s", i ? "\n" : "", by, end - i,
		           end - i == 1 ? "" : "es");
		if (late)
			buf_printf(&b, ", %zu late", late);
		if (overdue)
			buf_printf(&b, ", %zu overdue", overdue);
		if (p->weekly[q] >= 0) {
			buf_puts(&b, "; ");
			put_minutes(&b, p->weekly[q]);
			buf_puts(&b, " a week");
		} else {
			buf_puts(&b, "; no limit (not in the model's team)");
		}
		buf_putc(&b, '\n');
		size_t j = i;
		for (int wk = 0; wk < p->weeks; wk++) {
			plan_week_heading(&b, p, q, wk, today);
			for (; j < end && l->items[j].week == wk; j++) {
				text_item(&b, l, &l->items[j], &w);
				flush_text(out, &b, false);
			}
		}
		if (over) {
			buf_printf(&b, "  over capacity: %zu touch%s, ", over,
			           over == 1 ? "" : "es");
			put_minutes(&b, p->over[q]);
			buf_puts(&b, " missing\n");
			for (; j < end; j++) {
				text_item(&b, l, &l->items[j], &w);
				flush_text(out, &b, false);
			}
		}
		flush_text(out, &b, true);
		i = end;
	}
	buf_free(&b);
}

/* ---- CSV and NDJSON ---------------------------------------------------------- */

int
due_write_rows(FILE *out, const struct due_list *l, enum stream_format format, const char *name,
               struct cs_error *err)
{
	struct due_rows *r =
	    due_rows_open(out, format, l->households, l->plan != NULL, l->excel_safe);
	for (size_t i = 0; i < l->n; i++)
		due_rows_put(r, l, &l->items[i]);
	return due_rows_close(r, name, err);
}

/* ---- iCalendar ---------------------------------------------------------------- */

/*
 * The day item d sits on in a calendar: its planned day with a plan; else,
 * and for an item over capacity, today when it is past due (a calendar's
 * week view shows it), else its due date.
 */
static struct date
ics_day(const struct due_list *l, const struct due_item *d, struct date today)
{
	if (l->plan && d->planned >= 0)
		return date_from_days(d->planned);
	return d->overdue_days > 0 ? today : due_item_due(d);
}

/*
 * The UID of item d: ID-TOUCH for an "every" touch, the same whatever its
 * due date, so next week's file moves the event rather than adding one;
 * YEAR-ID-TOUCH for a dated touch (a birthday, a once touch), one event a
 * year.  Parts percent-encoded.
 */
static void
ics_uid(struct buf *uid, const struct due_list *l, const struct due_item *d)
{
	buf_reset(uid);
	if (d->touch->kind != TOUCH_EVERY)
		buf_printf(uid, "%04d-", due_item_due(d).year);
	ics_uid_part(uid, due_str(l, d, DUE_ID));
	buf_putc(uid, '-');
	ics_uid_part(uid, d->touch->name);
	buf_puts(uid, "@cs-due");
}

/*
 * The event of item d, built in the three buffers: the UID (ics_uid), the
 * summary ("touch: name") and a description that says what, for whom, by
 * whom, when it was due and, with a plan, the week it is planned in.
 */
static struct ics_event
ics_item(const struct due_list *l, const struct due_item *d, struct date today, struct buf *uid,
         struct buf *summary, struct buf *desc)
{
	char day[16], when[48];
	const char *id = due_str(l, d, DUE_ID), *phone = due_str(l, d, DUE_PHONE),
	           *email = due_str(l, d, DUE_EMAIL);
	ics_uid(uid, l, d);
	buf_reset(summary);
	buf_printf(summary, "%s: %s", d->touch->name, d->name);
	buf_reset(desc);
	buf_printf(desc, "%s for %s (%s, tier %s), by %s", d->touch->name, d->name, id,
	           d->tier->name, *d->by ? d->by : "(no owner)");
	if (*d->channel)
		buf_printf(desc, " (%s)", d->channel);
	when_text(d, when);
	if (d->overdue_days > 0)
		buf_printf(desc, ".\n%s since %s (%s).",
		           d->status == CADENCE_LATE ? "Late" : "Overdue",
		           date_format(due_item_due(d), day), when);
	else
		buf_printf(desc, ".\nDue %s: %s.", date_format(due_item_due(d), day), when);
	if (l->plan && d->planned < 0)
		buf_printf(desc, "\nNot planned: over %s's capacity in the %d week%s of the plan.",
		           *d->by ? d->by : "(no owner)", l->plan->weeks,
		           l->plan->weeks == 1 ? "" : "s");
	if (*phone)
		buf_printf(desc, "\nPhone: %s", phone);
	if (*email)
		buf_printf(desc, "\nEmail: %s", email);
	return (struct ics_event){
	    .uid = buf_str(uid),
	    .date = ics_day(l, d, today),
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
		struct ics_event e = ics_item(l, &l->items[i], today, &uid, &summary, &desc);
		ics_add_event(w, &e);
	}
	ics_end(w);
	buf_free(&uid);
	buf_free(&summary);
	buf_free(&desc);
}

enum stream_format
due_format_stream(enum due_format format)
{
	return format == DUE_CSV ? STREAM_CSV : format == DUE_JSON ? STREAM_NDJSON : STREAM_AUTO;
}

int
due_write(FILE *out, struct due_list *l, enum due_format format, struct date today,
          const char *name, struct cs_error *err)
{
	due_list_sort(l, format == DUE_TEXT ? DUE_ORDER_TEXT : DUE_ORDER_STREAM);
	/* Nothing due: no text and no NDJSON line, but a CSV header and an empty calendar. */
	if (l->n == 0 && (format == DUE_TEXT || format == DUE_JSON))
		return 0;
	switch (format) {
	case DUE_TEXT:
		if (l->plan)
			due_write_plan_text(out, l, today);
		else
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
