/*
 * fuzz_vcard.c - the vCard reader (lib/vcard.c): any bytes must give cards,
 * VCARD_BAD reports with the text they cover, or the end; never a crash, a
 * leak or a hang.
 *
 * Every card has the reader's fixed header's width and holds UTF-8 text
 * without NULs, as a CSV record does; a card's raw text and a bad report's
 * text must be readable (ASan checks the bytes).  The input
 * is read as UTF-8 and, once more, with encoding "auto" (cp1252 through
 * iconv), as cs-import does.
 */
#include "fuzz.h"

#include "vcard.h"

enum { MAX_CARDS = 100000 };

static void
count_warning(void *ctx, const struct cs_error *w)
{
	(*(size_t *)ctx)++;
	FUZZ_CHECK(w->msg[0] != '\0', "an empty warning");
}

static void
read_cards(const char *path, const char *encoding)
{
	struct cs_error err = {0};
	struct input *in = input_open(path, encoding, &err);
	if (!in)
		return;
	size_t warnings = 0;
	struct vcard_reader *r = vcard_reader_new(in, count_warning, &warnings);
	const struct header *h = vcard_reader_header(r);
	FUZZ_CHECK(strcmp(vcard_reader_name(r), path) == 0, "the reader's name changed");
	struct record rec = {0};
	for (size_t k = 0; k < MAX_CARDS; k++) {
		int got = vcard_reader_next(r, &rec, &err);
		if (got == 0 || got == -1)
			break;
		size_t len;
		const char *raw = vcard_reader_raw(r, &len);
		volatile unsigned sum = 0;
		for (size_t i = 0; i < len; i++)
			sum += (unsigned char)raw[i];
		(void)sum;
		if (got == VCARD_BAD) {
			FUZZ_CHECK(err.msg[0] != '\0', "a bad card without a message");
			continue;
		}
		FUZZ_CHECK(got == 1, "vcard_reader_next returned %d", got);
		FUZZ_CHECK(rec.n == h->n, "a card of %zu fields, header of %zu", rec.n, h->n);
		for (size_t i = 0; i < rec.n; i++) {
			size_t flen;
			const char *p = record_get(&rec, i, &flen);
			FUZZ_CHECK(utf8_text_prefix(p, flen) == flen,
			           "field %zu of a card is not UTF-8 text", i);
		}
	}
	record_free(&rec);
	vcard_reader_free(r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)vcard_detect((const char *)data, size);
	const char *path = fuzz_file(0, data, size);
	read_cards(path, NULL);
	read_cards(path, "auto");
	return 0;
}
