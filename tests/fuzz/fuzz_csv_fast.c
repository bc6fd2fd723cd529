/*
 * fuzz_csv_fast.c - the CSV reader's fast path (lib/csvio.c) against libcsv:
 * any bytes, read with each delimiter once as the tools read them and once
 * with every row through libcsv (csv_reader_libcsv_only), must give the
 * same records (fields byte for byte, row numbers) and then the same end:
 * the end of the input, or the same error on the same row.
 *
 * Only the `(near ...)` part of an error may differ: it shows the bytes of
 * the chunk around the fault (or, for a conversion error, its offset in the
 * chunk), and the fast path reads its chunks from other starting points (it
 * holds back a row cut by the end of a chunk).
 */
#include "fuzz.h"

#include "csvio.h"

enum { MAX_RECORDS = 100000 };

struct side {
	struct input *in;
	struct csv_reader *r;
	struct record rec;
	struct cs_error err;
};

static bool
side_open(struct side *s, const char *path, int delimiter, bool libcsv_only)
{
	memset(s, 0, sizeof *s);
	s->in = input_open(path, NULL, &s->err);
	if (!s->in)
		return false;
	s->r = csv_reader_new(s->in, delimiter);
	if (libcsv_only)
		csv_reader_libcsv_only(s->r);
	return true;
}

static void
side_close(struct side *s)
{
	record_free(&s->rec);
	csv_reader_free(s->r);
	input_close(s->in);
}

/* The message without its `(near ...)` part. */
static size_t
message_length(const char *msg)
{
	const char *near = strstr(msg, "(near ");
	return near ? (size_t)(near - msg) : strlen(msg);
}

static void
compare(const char *path, int delimiter)
{
	struct side fast, slow;
	if (!side_open(&fast, path, delimiter, false))
		return;
	if (!side_open(&slow, path, delimiter, true)) {
		side_close(&fast);
		return;
	}
	for (size_t k = 0; k < MAX_RECORDS; k++) {
		int a = csv_reader_next(fast.r, &fast.rec, &fast.err);
		int b = csv_reader_next(slow.r, &slow.rec, &slow.err);
		FUZZ_CHECK(
		    a == b, "delimiter %d, record %zu: the fast path gives %d, libcsv %d (%s%s)",
		    delimiter, k, a, b, a < 0 ? fast.err.msg : "", b < 0 ? slow.err.msg : "");
		/*
		 * An error about the input as a whole (row 0: it ends inside a
		 * UTF-16 character, a byte is not valid in its encoding) is found
		 * where each path has read up to, which differs: that both refuse
		 * the input is what must hold.
		 */
		if (a < 0 && fast.err.row != 0 && slow.err.row != 0) {
			size_t n = message_length(fast.err.msg);
			FUZZ_CHECK(
			    fast.err.row == slow.err.row && n == message_length(slow.err.msg) &&
			        memcmp(fast.err.msg, slow.err.msg, n) == 0,
			    "delimiter %d: the fast path says %ld: %s; libcsv %ld: %s", delimiter,
			    fast.err.row, fast.err.msg, slow.err.row, slow.err.msg);
		}
		if (a != 1)
			break;
		FUZZ_CHECK(fast.rec.row == slow.rec.row, "row %ld against %ld", fast.rec.row,
		           slow.rec.row);
		FUZZ_CHECK(fast.rec.n == slow.rec.n, "row %ld: %zu fields against libcsv's %zu",
		           slow.rec.row, fast.rec.n, slow.rec.n);
		for (size_t i = 0; i < fast.rec.n; i++) {
			size_t la, lb;
			const char *fa = record_get(&fast.rec, i, &la);
			const char *fb = record_get(&slow.rec, i, &lb);
			FUZZ_CHECK(la == lb && memcmp(fa, fb, la) == 0 && fa[la] == '\0',
			           "row %ld field %zu: \"%s\" against libcsv's \"%s\"",
			           slow.rec.row, i, fa, fb);
		}
	}
	side_close(&fast);
	side_close(&slow);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(0, data, size);
	static const int delimiters[] = {',', ';', '\t', '|'};
	for (size_t i = 0; i < sizeof delimiters / sizeof *delimiters; i++)
		compare(path, delimiters[i]);
	return 0;
}
