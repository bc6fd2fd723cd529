/*
 * report_book.h - cs-report's inputs, read into a report (lib/report): the
 * touch logs, counted for the delivery section, and the books, counted
 * record by record.
 *
 *	struct report *r = report_new(m, by, today);
 *	struct touchlog *log = report_read_logs(r, logs, nlogs, &so, &err);
 *	for each book:
 *		report_read_book(r, path, log, &so, &err);
 *
 * Each book is streamed: nothing of a record is kept but its sums.
 */
#ifndef CS_REPORT_BOOK_H
#define CS_REPORT_BOOK_H

#include <stddef.h>

#include "error.h"
#include "report.h"
#include "stream.h"
#include "touchlog.h"

/*
 * Read the touch logs paths[0..n) (borrowed) into a new log (touchlog_free),
 * counting their entries into r for the delivery section (report_use_log:
 * so even none gives the section).  so (borrowed, may be NULL) reads them.
 * Returns the log, or NULL with err filled when one cannot be read: a
 * report without its log would show done touches as due.
 */
struct touchlog *report_read_logs(struct report *r, const char *const *paths, size_t n,
                                  const struct stream_options *so, struct cs_error *err);

/* What report_read_book returns when it fails. */
enum {
	REPORT_BOOK_DATA = -1,  /* the book cannot be read, or a record of it */
	REPORT_BOOK_MODEL = -2, /* its columns do not bind (report_bind): a usage or model error */
};

/*
 * Count the records of the book at path ("-": standard input; borrowed)
 * into r, and tell log (may be NULL) each client the book has, for the
 * orphan warning (touchlog_see).  Returns 0, or one of the values above
 * with err filled (err->file the book's name); the records read before a
 * bad one stay counted.
 */
int report_read_book(struct report *r, const char *path, struct touchlog *log,
                     const struct stream_options *so, struct cs_error *err);

#endif
