/*
 * fuzz_ndjson.c - the NDJSON reader (lib/jsonio.c, jansson underneath) and
 * the stream around it: any bytes must give records or a clean error.
 *
 * The bytes are read straight through json_reader_next (the first object
 * defines the header, as stream_open does), then through stream_open, which
 * reads them as NDJSON when the first non-blank byte is '{'.  The records
 * must hold text the CSV form could: no NUL, valid UTF-8, and never more
 * fields than the header.  json_put_string's output must parse back with
 * jansson to the same bytes.
 */
#include "fuzz.h"

#include <jansson.h>

#include "jsonio.h"
#include "stream.h"

enum { MAX_RECORDS = 100000 };

static void
check_record(const struct record *rec, const struct header *h)
{
	FUZZ_CHECK(rec->n <= h->n, "a record of %zu fields, header of %zu", rec->n, h->n);
	for (size_t i = 0; i < rec->n; i++) {
		size_t len;
		const char *p = record_get(rec, i, &len);
		FUZZ_CHECK(strlen(p) == len, "field %zu of line %ld holds a NUL", i, rec->row);
		FUZZ_CHECK(utf8_valid_prefix(p, len) == len, "field %zu of line %ld is not UTF-8",
		           i, rec->row);
	}
}

static void
read_json(const char *path)
{
	struct cs_error err = {0};
	struct input *in = input_open(path, NULL, &err);
	if (!in)
		return;
	struct json_reader *r = json_reader_new(in);
	struct header *h = header_new();
	struct record rec = {0};
	long last_row = 0;
	for (size_t k = 0; k < MAX_RECORDS; k++) {
		int got = json_reader_next(r, h, k == 0, &rec, &err);
		if (got != 1) {
			FUZZ_CHECK(got == 0 || err.msg[0] != '\0', "an error without a message");
			break;
		}
		check_record(&rec, h);
		FUZZ_CHECK(rec.row > last_row, "line %ld after line %ld", rec.row, last_row);
		last_row = rec.row;
	}
	record_free(&rec);
	header_free(h);
	json_reader_free(r);
	input_close(in);
}

static void
read_stream(const char *path)
{
	struct cs_error err = {0};
	struct stream *s = stream_open(path, NULL, &err);
	if (!s)
		return;
	struct record rec = {0};
	for (size_t k = 0; k < MAX_RECORDS && stream_next(s, &rec, &err) == 1; k++)
		check_record(&rec, stream_header(s));
	record_free(&rec);
	stream_close(s);
}

/* The escaper: what it writes is a JSON string holding the same bytes. */
static void
check_escaper(const uint8_t *data, size_t size)
{
	size_t len = utf8_text_prefix((const char *)data, size);
	struct buf out = {0};
	json_put_string(&out, (const char *)data, len);
	json_error_t jerr;
	json_t *v = json_loadb(out.data, out.len, JSON_DECODE_ANY, &jerr);
	FUZZ_CHECK(v && json_is_string(v), "json_put_string wrote %s: %s", out.data, jerr.text);
	FUZZ_CHECK(json_string_length(v) == len && memcmp(json_string_value(v), data, len) == 0,
	           "json_put_string changed the bytes: %s", out.data);
	json_decref(v);
	buf_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(0, data, size);
	read_json(path);
	read_stream(path);
	check_escaper(data, size);
	return 0;
}
