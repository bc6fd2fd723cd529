/*
 * due_client.h - cs-due --client: find one client in the books by its id,
 * email or name (lib/clientfind) and write its page (lib/client_page): the
 * record, the client's rows of the touch logs, and every touch's next due
 * date.
 *
 *	struct due_client_query q = {.ref = "Ana Silva", .model = m, .today = today};
 *	if (due_client_write(&q, stdout, &err) < 0)
 *		cs_error_print(prog, &err, false);
 *
 * A reference that matches no client, or several, is an error that says
 * which clients came close (clientfind_explain), so the page is never of
 * the wrong person.
 */
#ifndef CS_DUE_CLIENT_H
#define CS_DUE_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "date.h"
#include "error.h"
#include "model.h"
#include "touchlog.h"

/* struct due_client_query - what to show; every pointer is borrowed for the call. */
struct due_client_query {
	const char *ref;    /* the client's id, email or name */
	char *const *books; /* the books to look in; none: standard input */
	size_t nbooks;
	const char *const *logs; /* the touch logs whose rows about the client are shown */
	size_t nlogs;
	const struct model *model;
	const struct touchlog *log; /* every log read, for the next due dates; may be NULL */
	struct date today;
	bool json; /* the page as JSON (client_page_write_json), else as text */
};

/*
 * Find q->ref in q->books, read its rows of q->logs and write its page to
 * out (borrowed; write errors show in ferror(out)).  Returns 0, or -1 with
 * err filled, nothing written: a book or log that cannot be read, a book
 * without an "id" column, or a reference that is not one client of the
 * books (err->file NULL, the message saying who came close).
 */
int due_client_write(const struct due_client_query *q, FILE *out, struct cs_error *err);

#endif
