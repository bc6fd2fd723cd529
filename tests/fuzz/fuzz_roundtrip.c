/*
 * fuzz_roundtrip.c - what one tool writes, the next reads back as the same
 * records.
 *
 * The bytes are read as the tools read their input (stream_open: CSV or
 * NDJSON, delimiter detected); the header and the records read before any
 * error are written with the one writer (lib/writer.h), as canonical CSV
 * and as NDJSON, and each output is read back with stream_open.  The header
 * and every field must come back byte for byte, else abort: a book that
 * changes its columns or values on the way through a pipe is a lost client
 * list.  CSV is also written with ';' and tab delimiters (cs-import's
 * --reject keeps the input's own) and must read back with detection.
 */
#include "fuzz.h"

#include "stream.h"
#include "writer.h"

enum { MAX_RECORDS = 2000 };

struct book {
	struct header *header;
	struct record *recs;
	size_t n;
};

static void
book_free(struct book *b)
{
	for (size_t i = 0; i < b->n; i++)
		record_free(&b->recs[i]);
	free(b->recs);
	header_free(b->header);
}

/* Read path into b; returns 0, or -1 when not even the header reads. */
static int
book_read(const char *path, struct book *b, struct cs_error *err)
{
	memset(b, 0, sizeof *b);
	struct stream *s = stream_open(path, NULL, err);
	if (!s)
		return -1;
	b->header = header_copy(stream_header(s));
	b->recs = calloc(MAX_RECORDS, sizeof *b->recs);
	if (!b->recs)
		abort();
	while (b->n < MAX_RECORDS) {
		record_init(&b->recs[b->n]);
		if (stream_next(s, &b->recs[b->n], err) != 1) {
			record_free(&b->recs[b->n]);
			break;
		}
		b->n++;
	}
	stream_close(s);
	return 0;
}

static const char *
format_name(const struct writer_options *o)
{
	if (o->format == STREAM_NDJSON)
		return "NDJSON";
	return o->delimiter == ';' ? "CSV (;)" : o->delimiter == '\t' ? "CSV (tab)" : "CSV";
}

static void
round_trip(const struct book *b, const struct writer_options *opts)
{
	struct buf out = {0};
	struct writer_options o = *opts;
	o.to = &out;
	struct writer *w = writer_open(NULL, b->header, &o);
	for (size_t i = 0; i < b->n; i++)
		writer_put(w, &b->recs[i]);
	struct cs_error err = {0};
	FUZZ_CHECK(writer_close(w, NULL, &err) == 0, "writer_close: %s", err.msg);

	const char *name = format_name(opts);
	struct book back;
	int rc = book_read(fuzz_file(1, out.data, out.len), &back, &err);
	FUZZ_CHECK(rc == 0, "%s output does not read back: %s\n--- output:\n%s", name, err.msg,
	           buf_str(&out));
	FUZZ_CHECK(header_equal(b->header, back.header),
	           "%s output reads back with another header\n--- output:\n%s", name,
	           buf_str(&out));
	FUZZ_CHECK(back.n == b->n, "%s output reads back %zu records of %zu: %s\n--- output:\n%s",
	           name, back.n, b->n, err.msg, buf_str(&out));
	for (size_t i = 0; i < b->n; i++) {
		const struct record *r = &b->recs[i], *s = &back.recs[i];
		FUZZ_CHECK(r->n == s->n, "%s record %zu: %zu fields, back %zu", name, i, r->n,
		           s->n);
		for (size_t k = 0; k < r->n; k++) {
			size_t la, lb;
			const char *fa = record_get(r, k, &la), *fb = record_get(s, k, &lb);
			FUZZ_CHECK(la == lb && memcmp(fa, fb, la) == 0,
			           "%s record %zu field %zu: \"%s\" reads back as \"%s\"", name, i,
			           k, fa, fb);
		}
	}
	book_free(&back);
	buf_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_error err = {0};
	struct book b;
	if (book_read(fuzz_file(0, data, size), &b, &err) < 0)
		return 0;
	static const struct writer_options outputs[] = {
	    {.format = STREAM_CSV},
	    {.format = STREAM_NDJSON},
	    {.format = STREAM_NDJSON, .raw = true},
	    {.format = STREAM_CSV, .delimiter = ';'},
	    {.format = STREAM_CSV, .delimiter = '\t'},
	};
	for (size_t i = 0; i < sizeof outputs / sizeof *outputs; i++)
		/* NDJSON has no header line: a book without records writes nothing. */
		if (b.n > 0 || outputs[i].format != STREAM_NDJSON)
			round_trip(&b, &outputs[i]);
	book_free(&b);
	return 0;
}
