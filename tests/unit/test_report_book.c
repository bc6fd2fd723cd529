/*
 * test_report_book.c - cs-report's inputs read into a report
 * (report_book.h): the records counted, a book whose columns do not bind,
 * one that cannot be read, and the logs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"
#include "report_book.h"
#include "unit.h"

int
main(void)
{
	struct cs_error err;
	struct model *m = model_load_default(&err);
	CHECK(m != NULL);
	if (!m)
		return unit_report("report_book");
	char book[200], log_path[200];
	unit_tmp_template(book, sizeof book, "test_report_book");
	unit_tmp_template(log_path, sizeof log_path, "test_report_book");
	unit_write_temp(book, "id,name,tier,owner,city\n"
	                      "c1,Ana,A,ana,Lisbon\n"
	                      "c2,Ben,B,ben,Porto\n"
	                      "c3,Cy,B,ben,\n");
	unit_write_temp(log_path, "date,id,touch,channel,by\n"
	                          "2026-11-02,c1,call,phone,ana\n"
	                          "2026-11-03,c9,call,phone,ana\n");
	struct date today = date_from_days(20783); /* 2026-11-26 */

	/* Every record counted, across two reads of the same book. */
	struct report *r = report_new(m, NULL, today);
	CHECK_INT(report_read_book(r, book, NULL, NULL, &err), 0);
	CHECK_INT(report_records(r), 3);
	CHECK_INT(report_read_book(r, book, NULL, NULL, &err), 0);
	CHECK_INT(report_records(r), 6);

	/* A book that cannot be read adds nothing and names itself. */
	CHECK_INT(report_read_book(r, "/nonexistent/book.csv", NULL, NULL, &err), REPORT_BOOK_DATA);
	CHECK_STR(err.file, "/nonexistent/book.csv");
	CHECK_INT(report_records(r), 6);
	report_free(r);

	/* --by a column the book lacks: a usage error naming the book. */
	r = report_new(m, "region", today);
	CHECK_INT(report_read_book(r, book, NULL, NULL, &err), REPORT_BOOK_MODEL);
	CHECK_STR(err.file, book);
	CHECK_INT(report_records(r), 0);
	report_free(r);

	/* The logs: read, with the delivery section; one that cannot be read is no log. */
	r = report_new(m, NULL, today);
	const char *logs[] = {log_path};
	struct touchlog *log = report_read_logs(r, logs, 1, NULL, &err);
	CHECK(log != NULL);
	CHECK(report_has_delivery(r));
	CHECK_INT(touchlog_rows(log), 2);
	CHECK_INT(report_read_book(r, book, log, NULL, &err), 0);
	touchlog_free(log);
	const char *bad[] = {log_path, "/nonexistent/log.csv"};
	CHECK(report_read_logs(r, bad, 2, NULL, &err) == NULL);
	CHECK_STR(err.file, "/nonexistent/log.csv");
	report_free(r);

	unlink(book);
	unlink(log_path);
	model_free(m);
	return unit_report("report_book");
}
