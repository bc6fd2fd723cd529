/*
 * due_render.h - cs-due's outputs of a due list (lib/due.h): the text
 * layout for people, CSV and NDJSON for other tools, and an iCalendar file.
 *
 * Each writer writes the items in the list's order (due_list_sort first:
 * DUE_ORDER_TEXT for text, DUE_ORDER_STREAM for the others) to out, which is
 * borrowed and not closed; write errors show in ferror(out).
 */
#ifndef CS_DUE_RENDER_H
#define CS_DUE_RENDER_H

#include <stdio.h>

#include "date.h"
#include "due.h"
#include "error.h"
#include "stream.h"
#include "util.h"

enum due_format { DUE_TEXT, DUE_CSV, DUE_JSON, DUE_ICS, DUE_XLSX };

/*
 * The stream format of format when it is one of the two that can be
 * written row by row as sorted runs are merged (lib/due_runs): STREAM_CSV
 * for DUE_CSV, STREAM_NDJSON for DUE_JSON; STREAM_AUTO for the others,
 * which are written from the whole list.
 */
enum stream_format due_format_stream(enum due_format format);

/*
 * Sort l in the format's order (due_list_sort) and write it to out with the
 * writer below.  When l is empty, text and NDJSON write nothing at all, so
 * that a cron job that finds nothing due mails nothing; CSV writes its
 * header and iCalendar an empty calendar, which their readers expect.  With
 * a plan (l->plan), text shows the plan and CSV and NDJSON gain a planned
 * column.  name is out's name for messages.
 * Returns 0, or -1 with err filled when writing fails (CSV and NDJSON; text
 * and iCalendar leave write errors to ferror(out)).
 */
int due_write(FILE *out, struct due_list *l, enum due_format format, struct date today,
              const char *name, struct cs_error *err);

/*
 * One group per person who delivers (the items' "by"), with a count and
 * the overdue count, then each day's items in aligned columns: tier, name,
 * touch, channel, when, and the contact to act on:
 *
 *	ana: 3 touches, 1 overdue
 *	  Tue 2026-11-24
 *	    A  Evan Price    call    phone    2 days overdue  +1 555 0130 776
 */
void due_write_text(FILE *out, const struct due_list *l);

/*
 * The list for other tools, through the writer: CSV with the header
 * id,name,owner,by,tier,touch,channel,due,overdue_days,email,phone, or the
 * same fields as NDJSON (overdue_days a number, an empty string null).
 * name is the file's name for messages.  Returns 0, or -1 with err filled
 * when writing fails.
 */
int due_write_rows(FILE *out, const struct due_list *l, enum stream_format format, const char *name,
                   struct cs_error *err);

/*
 * An iCalendar file (lib/ics.h): one all-day event per item, on its
 * planned day with a plan, else on today when it is past due ("overdue
 * since DATE" in its description), else on its due date.  The UID is the
 * client's id and the touch for an "every" touch, with the due year before
 * them for a dated one, so a calendar that imports next week's file updates
 * this week's events instead of adding new ones; SEQUENCE and DTSTAMP come
 * from today, so the later file wins.
 */
void due_write_ics(FILE *out, const struct due_list *l, struct date today);

#endif
