/*
 * ics.h - an iCalendar (RFC 5545) writer for all-day events.
 *
 * Enough of the format for a calendar to subscribe to: a VCALENDAR of
 * all-day VEVENTs, each with a UID, a summary, a description and optional
 * categories.  Every content line is folded at 75 octets without splitting
 * a UTF-8 character and ends in CRLF; TEXT values are escaped here, so
 * callers pass plain text.
 *
 *	struct ics_writer *w = ics_begin(out, "-//cs//cs-due 1.0//EN", "Client touches", today);
 *	ics_add_event(w, &(struct ics_event){.uid = ..., .date = ..., .summary = ...});
 *	ics_end(w);
 */
#ifndef CS_ICS_H
#define CS_ICS_H

#include <stddef.h>
#include <stdio.h>

#include "date.h"
#include "util.h"

/* struct ics_event - one all-day event.  Strings are plain text, borrowed. */
struct ics_event {
	const char *uid;         /* the same event must keep it from one calendar to the next */
	struct date date;        /* the day (with a year) */
	const char *summary;     /* the title */
	const char *description; /* NULL: none; line ends are kept */
	const char *categories;  /* one category; NULL or "": none */
};

struct ics_writer;

/*
 * Start a calendar on out (borrowed, not closed): BEGIN:VCALENDAR, VERSION,
 * PRODID prodid, CALSCALE, METHOD:PUBLISH and the calendar's name (which
 * calendar programs show).  stamp is every event's DTSTAMP (midnight UTC):
 * the day the calendar is made, so one made twice a day is the same bytes;
 * and every event's SEQUENCE is the stamp's day number (days since
 * 1970-01-01), so of two files with events of the same UID the later one
 * wins in a calendar that imports both.
 * Returns a new writer, freed by ics_end.  Output is buffered; write errors
 * show in ferror(out).
 */
struct ics_writer *ics_begin(FILE *out, const char *prodid, const char *calname, struct date stamp);

/* Write e as a VEVENT: shown as free time (TRANSP:TRANSPARENT), ending the next day. */
void ics_add_event(struct ics_writer *w, const struct ics_event *e);

/* End the calendar (END:VCALENDAR), write what is buffered and free w. */
void ics_end(struct ics_writer *w);

/*
 * Append s to b as a TEXT value (RFC 5545 3.3.11): backslash, semicolon and
 * comma escaped, line ends (LF, CR LF or a lone CR) as \n, a tab as a
 * space, other control characters dropped.
 */
void ics_text(struct buf *b, const char *s);

/*
 * Append s to b for use in a UID: letters, digits and . _ ~ as they are,
 * every other byte as %XX, so that "-" and "@" can separate the parts.
 */
void ics_uid_part(struct buf *b, const char *s);

/*
 * Append the content line line[0..len) to out folded (3.1): at most 75
 * octets a line, continuation lines starting with a space, never splitting
 * a UTF-8 character; every line ends in CRLF.
 */
void ics_fold(struct buf *out, const char *line, size_t len);

#endif
