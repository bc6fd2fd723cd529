/*
 * stream.c - format detection and the one reader/writer interface.
 *
 * Detection looks only at the first chunk: the first non-blank byte picks
 * NDJSON ('{') or CSV, Excel's "sep=X" line or the header row's most frequent
 * candidate picks the delimiter.  The header is cleaned once here (empty and
 * repeated names) so every tool downstream can rely on unique names.
 */
#include "stream.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "input.h"
#include "jsonio.h"
#include "progress.h"
#include "schema.h"
#include "shard.h"
#include "strtab.h"

struct stream {
	struct input *in;
	enum stream_format format;
	int delimiter;
	struct stream_options opts;
	struct header *header;
	struct csv_reader *csv;
	struct json_reader *json;
	struct record first; /* NDJSON: the record the header came from */
	bool have_first;
	long shard_col;      /* the column shards are taken by, when sharding */
	long short_rows;     /* CSV rows with fewer fields than the header, padded */
	long short_first[3]; /* the first few of them, for the warning */
	uint64_t rows;       /* records read, for the progress line */
	struct progress *progress; /* NULL: none (progress.h) */
};

static void warn(const struct stream *s, long row, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
warn(const struct stream *s, long row, const char *fmt, ...)
{
	va_list ap;
	progress_clear(s->progress);
	va_start(ap, fmt);
	cs_vwarn(s->opts.warn, s->opts.warn_ctx, input_name(s->in), row, fmt, ap);
	va_end(ap);
}

/*
 * Build the header from the header row: an empty name becomes column_N and a
 * repeated name gets _2, _3... so every name is unique.  Empty names at the
 * end (a trailing delimiter) are kept too: rows may have data there.
 */
static void
set_header(struct stream *s, const struct record *row)
{
	size_t n = row->n;
	struct buf name = {0};
	/* The next suffix to try for each repeated name, so 4,000 repeats cost 4,000 tries. */
	struct strtab repeats = {0};
	int *next = NULL;
	size_t next_cap = 0;
	for (size_t i = 0; i < n; i++) {
		buf_reset(&name);
		buf_puts(&name, record_get(row, i, NULL));
		if (name.len == 0) {
			buf_printf(&name, "column_%zu", i + 1);
			warn(s, 1, "column %zu has no name: calling it %s", i + 1, buf_str(&name));
		}
		if (header_find(s->header, buf_str(&name)) >= 0) {
			size_t base = name.len;
			bool added;
			long r = strtab_intern(&repeats, name.data, base, &added);
			next = xgrow(next, &next_cap, (size_t)r + 1, sizeof *next);
			if (added)
				next[r] = 2;
			for (;; next[r]++) {
				name.len = base;
				buf_printf(&name, "_%d", next[r]);
				if (header_find(s->header, buf_str(&name)) < 0)
					break;
			}
			next[r]++;
			warn(s, 1, "column %zu repeats the name \"%.*s\": calling it %s", i + 1,
			     (int)base, name.data, buf_str(&name));
		}
		header_add(s->header, buf_str(&name));
	}
	free(next);
	strtab_free(&repeats);
	buf_free(&name);
}

/* How far detection reads to find the end of the header row. */
enum { HEADER_SCAN_MAX = 16 << 20 };

static int
open_csv(struct stream *s, struct cs_error *err)
{
	size_t n;
	const char *p = input_peek(s->in, &n);
	int delimiter = s->opts.delimiter;
	size_t skip = csv_sep_line(p, n, &delimiter);
	if (s->opts.delimiter)
		delimiter = s->opts.delimiter;
	input_consume(s->in, skip);
	p = input_peek(s->in, &n);
	/* Detect on the whole header row, not on the part the first read brought
	 * (a name longer than that hid the delimiter), up to HEADER_SCAN_MAX. */
	while (!delimiter && n < HEADER_SCAN_MAX && !csv_has_line_end(p, n)) {
		int got = input_fill(s->in, err);
		if (got < 0)
			return -1;
		p = input_peek(s->in, &n);
		if (got == 0)
			break;
	}
	if (!delimiter)
		delimiter = csv_detect_delimiter(p, n);
	s->delimiter = delimiter;
	s->csv = csv_reader_new(s->in, delimiter);

	struct record row = {0};
	int got = csv_reader_next(s->csv, &row, err);
	if (got == 0)
		cs_error_set(err, input_name(s->in), 0, "no header row: the file has no data");
	if (got == 1)
		set_header(s, &row);
	record_free(&row);
	return got == 1 ? 0 : -1;
}

struct stream *
stream_open(const char *path, const struct stream_options *opts, struct cs_error *err)
{
	struct input *in = input_open_sheet(path, opts ? opts->encoding : NULL,
	                                    opts ? opts->sheet : NULL, err);
	return in ? stream_open_input(in, opts, err) : NULL;
}

struct stream *
stream_open_input(struct input *in, const struct stream_options *opts, struct cs_error *err)
{
	struct stream *s = xcalloc(1, sizeof *s);
	if (opts)
		s->opts = *opts;
	s->header = header_new();
	s->in = in;

	/* The first non-blank byte tells the encodings apart. */
	size_t n, i = 0;
	const char *p = input_peek(s->in, &n);
	if ((n >= 4 && memcmp(p, "PK\3\4", 4) == 0) ||
	    (n >= 4 && memcmp(p, "\xd0\xcf\x11\xe0", 4) == 0)) {
		cs_error_set(err, input_name(s->in), 0,
		             "this is a spreadsheet workbook (.xlsx, .xls or .ods), not CSV: "
		             "save it as \"CSV UTF-8\" first");
		goto fail;
	}
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	if (i == n) {
		cs_error_set(err, input_name(s->in), 0, "the file is empty");
		goto fail;
	}
	if (p[i] == '{') {
		s->format = STREAM_NDJSON;
		s->json = json_reader_new(s->in);
		int got = json_reader_next(s->json, s->header, true, &s->first, err);
		if (got < 0)
			goto fail;
		s->have_first = true;
	} else {
		s->format = STREAM_CSV;
		if (open_csv(s, err) < 0)
			goto fail;
	}
	if (s->opts.shard_n) {
		const char *by = s->opts.shard_by ? s->opts.shard_by : "id";
		if ((s->shard_col = header_find(s->header, by)) < 0) {
			cs_error_set(err, input_name(s->in), 1,
			             "no column \"%s\" to take shards by", by);
			goto fail;
		}
	}
	s->progress = progress_new(input_name(s->in), input_size(s->in));
	return s;
fail:
	stream_close(s);
	return NULL;
}

const struct header *
stream_header(const struct stream *s)
{
	return s->header;
}

enum stream_format
stream_format(const struct stream *s)
{
	return s->format;
}

int
stream_delimiter(const struct stream *s)
{
	return s->delimiter;
}

const char *
stream_name(const struct stream *s)
{
	return input_name(s->in);
}

const char *
stream_encoding(const struct stream *s)
{
	return input_encoding(s->in);
}

/* Fit a CSV row to the header: pad short rows, refuse long ones. */
static int
fit_row(struct stream *s, struct record *rec, struct cs_error *err)
{
	size_t width = s->header->n;
	if (rec->n > width) {
		size_t last = rec->n;
		while (last > width && record_get(rec, last - 1, NULL)[0] == '\0')
			last--;
		if (last > width) {
			if (s->opts.keep_long)
				return 0;
			if (!s->opts.lenient)
				return cs_error_set(
				    err, input_name(s->in), rec->row,
				    "%zu fields but the header has %zu (use --lenient "
				    "to drop the extra fields)",
				    last, width);
			warn(s, rec->row, "%zu fields but the header has %zu: extra fields dropped",
			     last, width);
		}
	}
	if (rec->n < width) {
		if (s->short_rows < 3)
			s->short_first[s->short_rows] = rec->row;
		s->short_rows++;
	}
	record_resize(rec, width);
	return 0;
}

/*
 * At the end: one warning for every short row, since a row cut short (a
 * truncated file, a torn append) must not read back as a valid record
 * without a word; under --strict the warning fails the run.
 */
static void
warn_short_rows(struct stream *s)
{
	if (!s->short_rows)
		return;
	char rows[96] = "";
	size_t shown = s->short_rows < 3 ? (size_t)s->short_rows : 3;
	for (size_t i = 0, len = 0; i < shown; i++)
		len += (size_t)snprintf(rows + len, sizeof rows - len, "%s%ld", i ? ", " : "",
		                        s->short_first[i]);
	warn(s, 0,
	     "%ld row%s had fewer fields than the header (row%s %s%s): padded with empty fields",
	     s->short_rows, s->short_rows == 1 ? "" : "s", s->short_rows == 1 ? "" : "s", rows,
	     s->short_rows > 3 ? ", ..." : "");
	s->short_rows = 0; /* said once */
}

static int
next_record(struct stream *s, struct record *rec, struct cs_error *err)
{
	if (s->format == STREAM_NDJSON) {
		if (s->have_first) {
			s->have_first = false;
			record_copy(rec, &s->first);
			record_free(&s->first);
			return 1;
		}
		return json_reader_next(s->json, s->header, false, rec, err);
	}
	int got = csv_reader_next(s->csv, rec, err);
	if (got == 1 && fit_row(s, rec, err) < 0)
		return -1;
	if (got == 0)
		warn_short_rows(s);
	return got;
}

int
stream_next(struct stream *s, struct record *rec, struct cs_error *err)
{
	int got;
	while ((got = next_record(s, rec, err)) == 1) {
		/* The progress line's whole cost per row: a count and a mask. */
		if ((++s->rows & (PROGRESS_EVERY - 1)) == 0)
			progress_tick(s->progress, s->rows, input_bytes_read(s->in));
		if (!s->opts.shard_n)
			break;
		size_t len = 0;
		const char *v = (size_t)s->shard_col < rec->n
		                    ? record_get(rec, (size_t)s->shard_col, &len)
		                    : "";
		if (shard_of(v, len, s->opts.shard_n) == s->opts.shard_k)
			break;
	}
	return got;
}

void
stream_close(struct stream *s)
{
	if (!s)
		return;
	progress_free(s->progress);
	csv_reader_free(s->csv);
	json_reader_free(s->json);
	input_close(s->in);
	header_free(s->header);
	record_free(&s->first);
	free(s);
}
