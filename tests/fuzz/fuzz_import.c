/*
 * fuzz_import.c - the whole import (lib/import*.c): any bytes, as CSV,
 * NDJSON or vCard, through header mapping, look-ahead, every normaliser,
 * ids and duplicates, to canonical records.
 *
 * The import must end (records written, rows rejected with a reason, or
 * the input refused with a message), and what it writes must read back
 * through stream_open with the header import_header gave and as many
 * records as it counts written: a book cs-import writes is the next tool's
 * input.  Run twice: as cs-import runs by default, and with --dedupe,
 * --lenient and a European reading (decimal comma, day first).
 */
#include "fuzz.h"

#include "import.h"
#include "stream.h"
#include "writer.h"

static void
count(void *ctx, const struct cs_error *w)
{
	(*(size_t *)ctx)++;
	FUZZ_CHECK(w->msg[0] != '\0', "an empty message");
}

static void
import_once(const char *path, const struct import_options *base)
{
	size_t messages = 0;
	char *rejected = NULL;
	size_t rejected_len = 0;
	FILE *reject = open_memstream(&rejected, &rejected_len);
	if (!reject)
		abort();
	struct import_options o = *base;
	o.reject = reject;
	o.reject_name = "rejects";
	o.warn = o.error = o.note = count;
	o.ctx = &messages;
	struct cs_error err = {0};
	struct importer *im = import_new(&o, &err);
	FUZZ_CHECK(im != NULL, "import_new: %s", err.msg);
	if (import_add(im, path, &err) < 0) {
		FUZZ_CHECK(err.msg[0] != '\0', "import_add failed without a message");
		import_free(im);
		fclose(reject);
		free(rejected);
		return;
	}
	const struct header *h = import_header(im);
	struct buf out = {0};
	struct writer_options wo = {.to = &out};
	struct writer *w = writer_open(NULL, h, &wo);
	(void)import_run(im, w);
	FUZZ_CHECK(writer_close(w, NULL, &err) == 0, "writer_close: %s", err.msg);
	struct import_totals t;
	import_totals(im, &t);
	struct buf review = {0};
	import_review(im, &review);

	/* What cs-import wrote is the next tool's input. */
	struct stream *s = stream_open(fuzz_file(1, out.data, out.len), NULL, &err);
	FUZZ_CHECK(s != NULL, "the import's output does not read back: %s\n--- output:\n%s",
	           err.msg, buf_str(&out));
	FUZZ_CHECK(header_equal(stream_header(s), h),
	           "the import's output reads back with another header\n--- output:\n%s",
	           buf_str(&out));
	struct record rec = {0};
	long n = 0;
	int got;
	while ((got = stream_next(s, &rec, &err)) == 1)
		n++;
	FUZZ_CHECK(got == 0, "the import's output fails at row %ld: %s\n--- output:\n%s", err.row,
	           err.msg, buf_str(&out));
	FUZZ_CHECK(n == t.written, "%ld records read back, %ld written", n, t.written);
	record_free(&rec);
	stream_close(s);

	buf_free(&review);
	buf_free(&out);
	import_free(im);
	fclose(reject);
	free(rejected);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(0, data, size);
	struct import_options plain = {
	    .decimal_comma = -1,
	    .date_order = -1,
	    .today = {2026, 11, 26},
	};
	import_once(path, &plain);
	struct import_options european = {
	    .decimal_comma = 1,
	    .date_order = DATE_ORDER_DMY,
	    .dedupe = true,
	    .lenient = true,
	    .today = {2026, 11, 26},
	};
	import_once(path, &european);
	return 0;
}
