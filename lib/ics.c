/*
 * ics.c - an iCalendar (RFC 5545) writer for all-day events.
 *
 * Each content line is built whole in a scratch buffer, then folded into
 * the output buffer, so escaping and folding never meet: escaping works on
 * values, folding on octets.  The output is written out in large pieces,
 * between events.  The writer knows nothing of clients or touches: what an
 * event says is its caller's business.
 */
#include <stdlib.h>
#include <string.h>

#include "ics.h"

struct ics_writer {
	FILE *out;
	struct buf buf;    /* folded lines not yet written */
	struct buf line;   /* the content line being built */
	char stamp[24];    /* DTSTAMP: the date at midnight UTC */
	char sequence[24]; /* SEQUENCE: the stamp's day number */
};

enum { ICS_FLUSH_AT = 65536 };

void
ics_text(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '\\' || c == ';' || c == ',') {
			buf_putc(b, '\\');
			buf_putc(b, (char)c);
		} else if (c == '\n') {
			buf_puts(b, "\\n");
		} else if (c == '\r') {
			if (s[1] != '\n')
				buf_puts(b, "\\n");
		} else if (c >= 0x20 && c != 0x7f) {
			buf_putc(b, (char)c);
		} else if (c == '\t') {
			buf_putc(b, ' ');
		}
	}
}

void
ics_uid_part(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '_' || c == '~')
			buf_putc(b, (char)c);
		else
			buf_printf(b, "%%%02X", c);
	}
}

void
ics_fold(struct buf *out, const char *line, size_t len)
{
	size_t limit = 75;
	while (len > limit) {
		size_t cut = limit;
		while (cut > 0 && ((unsigned char)line[cut] & 0xc0) == 0x80)
			cut--;
		if (cut == 0) /* not UTF-8: cut anywhere rather than loop */
			cut = limit;
		buf_append(out, line, cut);
		buf_puts(out, "\r\n ");
		line += cut;
		len -= cut;
		limit = 74; /* the leading space counts */
	}
	buf_append(out, line, len);
	buf_puts(out, "\r\n");
}

static void
basic_date(char buf[16], struct date d)
{
	snprintf(buf, 16, "%04d%02d%02d", d.year, d.month, d.day);
}

/* A content line NAME:VALUE; value is written as it is (no TEXT value, or nothing to escape). */
static void
put_raw(struct ics_writer *w, const char *name, const char *value)
{
	buf_reset(&w->line);
	buf_puts(&w->line, name);
	buf_putc(&w->line, ':');
	buf_puts(&w->line, value);
	ics_fold(&w->buf, w->line.data, w->line.len);
}

/* A content line NAME:VALUE with value escaped as TEXT. */
static void
put_text(struct ics_writer *w, const char *name, const char *value)
{
	buf_reset(&w->line);
	buf_puts(&w->line, name);
	buf_putc(&w->line, ':');
	ics_text(&w->line, value);
	ics_fold(&w->buf, w->line.data, w->line.len);
}

static void
flush(struct ics_writer *w)
{
	if (w->buf.len)
		fwrite(w->buf.data, 1, w->buf.len, w->out);
	buf_reset(&w->buf);
}

struct ics_writer *
ics_begin(FILE *out, const char *prodid, const char *calname, struct date stamp)
{
	struct ics_writer *w = xcalloc(1, sizeof *w);
	w->out = out;
	basic_date(w->stamp, stamp);
	strcat(w->stamp, "T000000Z");
	long day = date_to_days(stamp);
	snprintf(w->sequence, sizeof w->sequence, "%ld", day > 0 ? day : 0);
	put_raw(w, "BEGIN", "VCALENDAR");
	put_raw(w, "VERSION", "2.0");
	put_text(w, "PRODID", prodid);
	put_raw(w, "CALSCALE", "GREGORIAN");
	put_raw(w, "METHOD", "PUBLISH");
	put_text(w, "X-WR-CALNAME", calname);
	return w;
}

void
ics_add_event(struct ics_writer *w, const struct ics_event *e)
{
	char start[16], end[16];
	basic_date(start, e->date);
	basic_date(end, date_add_days(e->date, 1));
	put_raw(w, "BEGIN", "VEVENT");
	put_text(w, "UID", e->uid);
	put_raw(w, "DTSTAMP", w->stamp);
	put_raw(w, "SEQUENCE", w->sequence);
	put_raw(w, "DTSTART;VALUE=DATE", start);
	put_raw(w, "DTEND;VALUE=DATE", end);
	put_text(w, "SUMMARY", e->summary);
	if (e->description)
		put_text(w, "DESCRIPTION", e->description);
	if (e->categories && *e->categories)
		put_text(w, "CATEGORIES", e->categories);
	put_raw(w, "TRANSP", "TRANSPARENT");
	put_raw(w, "END", "VEVENT");
	if (w->buf.len >= ICS_FLUSH_AT)
		flush(w);
}

void
ics_end(struct ics_writer *w)
{
	put_raw(w, "END", "VCALENDAR");
	flush(w);
	buf_free(&w->buf);
	buf_free(&w->line);
	free(w);
}
