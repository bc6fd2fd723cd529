/*
 * mail.h - compose a plain MIME message and hand it to sendmail(8).
 *
 * cs-due --mail sends each person their own list: a text/plain body and,
 * optionally, attachments such as the week's .ics.  Composing is pure (the
 * same message gives the same bytes: no Date or Message-ID, which the mail
 * system adds), so --dry-run can print exactly what would be sent and tests
 * can compare it.  Sending runs the program named by $CS_SENDMAIL, else
 * "sendmail", as `PROGRAM -t -oi` with the message on its standard input:
 * the interface every mail transfer agent on a Unix system offers (Postfix,
 * Exim, msmtp-mta, nullmailer), so cs needs no SMTP client of its own.
 *
 * Nothing taken from the data reaches a header unchecked: an address with
 * white space, a control character, a comma or angle brackets is refused,
 * so a field holding "a@b\nBcc: c@d" cannot add a recipient.
 */
#ifndef CS_MAIL_H
#define CS_MAIL_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "util.h"

/* One part of a message: the body (filename NULL) or an attachment. */
struct mail_part {
	const char *type;     /* MIME type with parameters: "text/plain; charset=utf-8" */
	const char *filename; /* an attachment's name; NULL: shown inline */
	const char *data;
	size_t len;
};

struct mail {
	const char *from;    /* NULL: the mail system's default sender */
	const char *to;      /* one address */
	const char *subject; /* printable ASCII */
	const struct mail_part *parts;
	size_t nparts; /* at least 1; the first is the body */
};

/* True if s is one plain address (local@domain) safe to put in a header. */
bool mail_address_ok(const char *s);

/*
 * Append the message m to out, lines ending in LF (what sendmail -t reads).
 * Returns 0, or -1 with err saying what is wrong (an unsafe address or
 * subject, no parts).
 */
int mail_format(struct buf *out, const struct mail *m, struct cs_error *err);

/*
 * Hand msg[0..len) to $CS_SENDMAIL or sendmail, as `PROGRAM -t -oi`, and
 * wait for it.  Returns 0 when it exits 0, else -1 with err naming the
 * program and what happened (not found, killed, its exit status).
 */
int mail_send(const char *msg, size_t len, struct cs_error *err);

#endif
