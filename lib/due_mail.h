/*
 * due_mail.h - send each person their own list of due touches.
 *
 * cs-due --mail: for each person who acts (an item's "by"), one message
 * with their list as the text body and the same touches as an .ics
 * attachment, to the person's address: "by" itself when it is an address,
 * else the "email" of the model's team member of that name.  A person
 * without an address is not mailed, and said so (a warning naming them and
 * how to add one), never skipped in silence.
 */
#ifndef CS_DUE_MAIL_H
#define CS_DUE_MAIL_H

#include <stdio.h>

#include "due.h"
#include "error.h"
#include "model.h"

struct due_mail_result {
	size_t mailed;     /* people mailed (or printed, on a dry run) */
	size_t touches;    /* the touches in their lists */
	size_t unaddressed; /* people with touches but no address */
};

/*
 * Mail l's items, grouped by person; l is sorted for text.  With dry not
 * NULL, write the messages there instead of sending them, each after a
 * line "# to ADDRESS: N touches".  from (may be NULL) is the sender.
 * Warnings (no address) go to warn.  Returns 0, or -1 with err filled when
 * a message could not be made or sent (the ones before it were).
 */
int due_mail(struct due_list *l, const struct model *m, struct date today, const char *from,
             FILE *dry, struct due_mail_result *res, cs_warn_fn *warn, void *warn_ctx,
             struct cs_error *err);

#endif
