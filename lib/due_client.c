/*
 * due_client.c - cs-due --client: one client's page, found in the books.
 *
 * The books are streamed past one clientfind reference that keeps its
 * first matching record, so a book of any size is read once and only that
 * record is held.  Whether the reference names exactly one client is
 * decided after the last book, since a name may match in two of them.
 */
#include "due_client.h"

#include "client_page.h"
#include "clientfind.h"

/*
 * Stream the book at path past cf; last: the last book, after which the
 * answer for reference q must name one client (of "the books" when there
 * were several).  Returns 0, or -1 with err filled.
 */
static int
scan_book(struct clientfind *cf, size_t q, const char *path, bool last, bool several,
          struct cs_error *err)
{
	const char *name;
	if (clientfind_scan(cf, path, &name, err) < 0)
		return -1;
	const struct clientfind_answer *a = clientfind_answer(cf, q);
	if (!last || a->n == 1)
		return 0;
	*err = (struct cs_error){0};
	clientfind_explain(a, several ? "the books" : name, err->msg, sizeof err->msg);
	return -1;
}

int
due_client_write(const struct due_client_query *q, FILE *out, struct cs_error *err)
{
	char *stdin_path[] = {"-"};
	char *const *books = q->nbooks ? q->books : stdin_path;
	size_t nbooks = q->nbooks ? q->nbooks : 1;
	struct clientfind *cf = clientfind_new(true);
	size_t ref = clientfind_add(cf, q->ref);
	int rc = 0;
	for (size_t i = 0; i < nbooks && rc == 0; i++)
		rc = scan_book(cf, ref, books[i], i + 1 == nbooks, nbooks > 1, err);
	const struct clientfind_answer *a = clientfind_answer(cf, ref);
	struct client_page page = {.header = a->header, .record = &a->record};
	for (size_t i = 0; rc == 0 && i < q->nlogs; i++)
		rc = client_page_read_log(&page, q->logs[i], err);
	if (rc == 0) {
		client_page_plan(&page, q->model, q->log, q->today);
		if (q->json)
			client_page_write_json(&page, out);
		else
			client_page_write_text(&page, out);
	}
	client_page_free(&page);
	clientfind_free(cf);
	return rc;
}
