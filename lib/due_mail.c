/*
 * due_mail.c - send each person their own list of due touches.
 *
 * The list is sorted for text, so each person's items are one run; each
 * run is copied into a list of its own (due_list_append) and rendered as
 * the text and the calendar the whole list would give, into memory
 * (open_memstream), then composed and sent by lib/mail.
 */
#include "due_mail.h"

#include <stdlib.h>
#include <string.h>

#include "due_render.h"
#include "mail.h"

/* Where by's list goes: by itself when an address, else its team member's email. */
static const char *
address_of(const struct model *m, const char *by)
{
	if (mail_address_ok(by))
		return by;
	const struct team_member *tm = model_team_member(m, by);
	return tm ? tm->email : NULL;
}

/* Render one person's list as text and iCalendar into *text and *ics (malloc'd). */
static int
render(const struct due_list *one, struct date today, char **text, size_t *tlen, char **ics,
       size_t *ilen)
{
	*text = *ics = NULL;
	FILE *t = open_memstream(text, tlen);
	FILE *c = t ? open_memstream(ics, ilen) : NULL;
	if (!t || !c) {
		if (t)
			fclose(t);
		free(*text);
		*text = NULL;
		return -1;
	}
	due_write_text(t, one);
	due_write_ics(c, one, today);
	int bad = ferror(t) || ferror(c);
	bad |= fclose(t) != 0;
	bad |= fclose(c) != 0;
	return bad ? -1 : 0;
}

/* Compose and send (or print) one person's message. */
static int
mail_one(const struct due_list *one, const char *to, const char *from, struct date today,
         FILE *dry, struct cs_error *err)
{
	char *text, *ics;
	size_t tlen, ilen;
	if (render(one, today, &text, &tlen, &ics, &ilen) < 0)
		return cs_error_set(err, NULL, 0, "mail to %s: out of memory for the message", to);
	char day[16], subject[64];
	snprintf(subject, sizeof subject, "Client touches from %s", date_format(today, day));
	const struct mail_part parts[2] = {
	    {"text/plain; charset=utf-8", NULL, text, tlen},
	    {"text/calendar; charset=utf-8; method=PUBLISH", "touches.ics", ics, ilen},
	};
	struct mail msg = {.from = from, .to = to, .subject = subject, .parts = parts, .nparts = 2};
	struct buf b = {0};
	int rc = mail_format(&b, &msg, err);
	if (rc == 0 && dry) {
		fprintf(dry, "# to %s: %zu touch%s\n", to, one->n, one->n == 1 ? "" : "es");
		fwrite(b.data, 1, b.len, dry);
		fputc('\n', dry);
	} else if (rc == 0) {
		rc = mail_send(b.data, b.len, err);
		if (rc < 0) {
			/* Name whom it was for: the mail system's message alone does not. */
			char why[sizeof err->msg];
			snprintf(why, sizeof why, "%s", err->msg);
			cs_error_set(err, NULL, 0, "mail to %s: %s", to, why);
		}
	}
	buf_free(&b);
	free(text);
	free(ics);
	return rc;
}

int
due_mail(struct due_list *l, const struct model *m, struct date today, const char *from,
         FILE *dry, struct due_mail_result *res, cs_warn_fn *warn, void *warn_ctx,
         struct cs_error *err)
{
	*res = (struct due_mail_result){0};
	due_list_sort(l, DUE_ORDER_TEXT);
	for (size_t i = 0; i < l->n;) {
		const char *by = l->items[i].by;
		size_t end = i;
		while (end < l->n && strcmp(l->items[end].by, by) == 0)
			end++;
		const char *to = address_of(m, by);
		if (!to) {
			/* The name comes from the data: no control character reaches the terminal. */
			char shown[80];
			size_t n = 0;
			for (const char *p = by; *p && n < sizeof shown - 1; p++)
				shown[n++] = (unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p;
			shown[n] = '\0';
			cs_warn(warn, warn_ctx, NULL, 0,
			        "%zu touch%s for \"%s\" not mailed: no address (give them an "
			        "\"email\" in the model's \"team\")",
			        end - i, end - i == 1 ? "" : "es", *shown ? shown : "(no owner)");
			res->unaddressed++;
			i = end;
			continue;
		}
		struct due_list one = {.households = l->households};
		for (size_t k = i; k < end; k++)
			due_list_append(&one, l, &l->items[k]);
		due_list_sort(&one, DUE_ORDER_TEXT);
		int rc = mail_one(&one, to, from, today, dry, err);
		due_list_free(&one);
		if (rc < 0)
			return -1;
		res->mailed++;
		res->touches += end - i;
		i = end;
	}
	return 0;
}
