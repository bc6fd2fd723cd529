/*
 * report_book.c - reading cs-report's logs and books into a report.
 *
 * The book's reader is the only one that knows its ids, so it tells the
 * touch log each one as it goes (one hash lookup a record), which lets the
 * log's rows of clients no book has be warned about once every book is in.
 */
#include "report_book.h"

#include "record.h"

struct touchlog *
report_read_logs(struct report *r, const char *const *paths, size_t n,
                 const struct stream_options *so, struct cs_error *err)
{
	struct touchlog *log = touchlog_new();
	report_use_log(r);
	for (size_t i = 0; i < n; i++)
		if (touchlog_read_each(log, paths[i], so, report_log_entry, r, err) < 0) {
			touchlog_free(log);
			return NULL;
		}
	return log;
}

int
report_read_book(struct report *r, const char *path, struct touchlog *log,
                 const struct stream_options *so, struct cs_error *err)
{
	struct stream *s = stream_open(path, so, err);
	if (!s)
		return REPORT_BOOK_DATA;
	if (report_bind(r, stream_header(s), err) < 0) {
		if (!err->file)
			err->file = stream_name(s); /* the path, or "<stdin>": it outlives s */
		stream_close(s);
		return REPORT_BOOK_MODEL;
	}
	struct record rec;
	record_init(&rec);
	int got;
	long id_col = header_find(stream_header(s), "id");
	while ((got = stream_next(s, &rec, err)) == 1) {
		report_add(r, &rec, log);
		size_t len = 0;
		const char *id = id_col >= 0 ? record_get(&rec, (size_t)id_col, &len) : "";
		touchlog_see(log, id, len);
	}
	record_free(&rec);
	stream_close(s);
	return got < 0 ? REPORT_BOOK_DATA : 0;
}
