/*
 * fuzz_ndjson_fast.c - the NDJSON reader's flat reader (lib/jsonio.c)
 * against jansson: any bytes, read once as the tools read them and once
 * with every line through jansson (json_reader_jansson_only), must give the
 * same header, the same records (fields byte for byte, line numbers) and
 * then the same end: the end of the input, or the same error on the same
 * line.
 */
#include "fuzz.h"

#include "jsonio.h"

enum { MAX_RECORDS = 100000 };

struct side {
	struct input *in;
	struct json_reader *r;
	struct header *h;
	struct record rec;
	struct cs_error err;
};

static bool
side_open(struct side *s, const char *path, bool jansson_only)
{
	memset(s, 0, sizeof *s);
	s->in = input_open(path, NULL, &s->err);
	if (!s->in)
		return false;
	s->r = json_reader_new(s->in);
	if (jansson_only)
		json_reader_jansson_only(s->r);
	s->h = header_new();
	return true;
}

static void
side_close(struct side *s)
{
	record_free(&s->rec);
	header_free(s->h);
	json_reader_free(s->r);
	input_close(s->in);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(0, data, size);
	struct side flat, ref;
	if (!side_open(&flat, path, false))
		return 0;
	if (!side_open(&ref, path, true)) {
		side_close(&flat);
		return 0;
	}
	for (size_t k = 0; k < MAX_RECORDS; k++) {
		int a = json_reader_next(flat.r, flat.h, k == 0, &flat.rec, &flat.err);
		int b = json_reader_next(ref.r, ref.h, k == 0, &ref.rec, &ref.err);
		FUZZ_CHECK(a == b, "record %zu: the flat reader gives %d, jansson %d (%s%s)", k, a,
		           b, a < 0 ? flat.err.msg : "", b < 0 ? ref.err.msg : "");
		if (a < 0)
			FUZZ_CHECK(flat.err.row == ref.err.row &&
			               strcmp(flat.err.msg, ref.err.msg) == 0,
			           "the flat reader says %ld: %s; jansson %ld: %s", flat.err.row,
			           flat.err.msg, ref.err.row, ref.err.msg);
		if (a != 1)
			break;
		FUZZ_CHECK(header_equal(flat.h, ref.h), "the headers differ");
		FUZZ_CHECK(flat.rec.row == ref.rec.row, "line %ld against %ld", flat.rec.row,
		           ref.rec.row);
		FUZZ_CHECK(flat.rec.n == ref.rec.n, "line %ld: %zu fields against jansson's %zu",
		           ref.rec.row, flat.rec.n, ref.rec.n);
		for (size_t i = 0; i < flat.rec.n; i++) {
			size_t la, lb;
			const char *fa = record_get(&flat.rec, i, &la);
			const char *fb = record_get(&ref.rec, i, &lb);
			FUZZ_CHECK(la == lb && memcmp(fa, fb, la) == 0 && fa[la] == '\0',
			           "line %ld field %zu: \"%s\" against jansson's \"%s\"",
			           ref.rec.row, i, fa, fb);
		}
	}
	side_close(&flat);
	side_close(&ref);
	return 0;
}
