/*
 * fuzz_csv.c - the CSV reader (lib/csvio.c) and the stream around it
 * (lib/stream.c, lib/input.c): any bytes must give records or a clean
 * error, never a crash, a leak or a hang.
 *
 * Each input is read three ways: through stream_open as the tools read it
 * (detection, header cleaning, padding); with the lenient options and
 * encoding "auto" (iconv, long rows kept); and straight through
 * csv_reader_next with every delimiter, so the reader sees bytes that
 * detection would have sent to NDJSON.  What the readers promise is
 * checked on every record: no NUL byte and valid UTF-8 in a field, rows
 * numbered upwards, a stream record as wide as the header.
 */
#include "fuzz.h"

#include "csvio.h"
#include "stream.h"

enum { MAX_RECORDS = 100000 };

static void
check_fields(const struct record *rec)
{
	for (size_t i = 0; i < rec->n; i++) {
		size_t len;
		const char *p = record_get(rec, i, &len);
		FUZZ_CHECK(strlen(p) == len, "field %zu of row %ld holds a NUL", i, rec->row);
		FUZZ_CHECK(utf8_valid_prefix(p, len) == len, "field %zu of row %ld is not UTF-8", i,
		           rec->row);
	}
}

static void
count_warning(void *ctx, const struct cs_error *w)
{
	(*(size_t *)ctx)++;
	FUZZ_CHECK(w->msg[0] != '\0', "an empty warning");
}

static void
read_stream(const char *path, const struct stream_options *opts)
{
	struct cs_error err = {0};
	struct stream *s = stream_open(path, opts, &err);
	if (!s) {
		FUZZ_CHECK(err.msg[0] != '\0', "stream_open failed without a message");
		return;
	}
	const struct header *h = stream_header(s);
	for (size_t i = 0; i < h->n; i++) {
		FUZZ_CHECK(h->names[i][0] != '\0', "column %zu has an empty name", i);
		FUZZ_CHECK(header_find(h, h->names[i]) == (long)i, "column %zu repeats a name", i);
	}
	struct record rec = {0};
	long last_row = 0;
	int got;
	for (size_t k = 0; k < MAX_RECORDS && (got = stream_next(s, &rec, &err)) == 1; k++) {
		check_fields(&rec);
		FUZZ_CHECK(rec.row > last_row, "row %ld after row %ld", rec.row, last_row);
		last_row = rec.row;
		if (!opts->keep_long)
			FUZZ_CHECK(rec.n == h->n, "a record of %zu fields, header of %zu", rec.n,
			           h->n);
	}
	record_free(&rec);
	stream_close(s);
}

static void
read_csv(const char *path, int delimiter)
{
	struct cs_error err = {0};
	struct input *in = input_open(path, NULL, &err);
	if (!in)
		return;
	struct csv_reader *r = csv_reader_new(in, delimiter);
	struct record rec = {0};
	long last_row = 0;
	int got;
	for (size_t k = 0; k < MAX_RECORDS && (got = csv_reader_next(r, &rec, &err)) == 1; k++) {
		check_fields(&rec);
		FUZZ_CHECK(rec.row == last_row + 1, "row %ld after row %ld", rec.row, last_row);
		last_row = rec.row;
	}
	record_free(&rec);
	csv_reader_free(r);
	input_close(in);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	const char *path = fuzz_file(0, data, size);

	int d = csv_detect_delimiter(p, size);
	FUZZ_CHECK(d == ',' || d == ';' || d == '\t' || d == '|', "detected %d", d);
	int sep = 0;
	size_t skip = csv_sep_line(p, size, &sep);
	FUZZ_CHECK(skip <= size && (skip == 0 || sep != 0), "sep line of %zu bytes", skip);

	size_t warnings = 0;
	struct stream_options plain = {0};
	struct stream_options lenient = {
	    .lenient = true, .encoding = "auto", .warn = count_warning, .warn_ctx = &warnings};
	struct stream_options keep = {.keep_long = true, .delimiter = ';'};
	read_stream(path, &plain);
	read_stream(path, &lenient);
	read_stream(path, &keep);

	static const int delimiters[] = {',', ';', '\t', '|'};
	for (size_t i = 0; i < sizeof delimiters / sizeof *delimiters; i++)
		read_csv(path, delimiters[i]);
	return 0;
}
