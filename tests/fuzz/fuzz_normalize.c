/*
 * fuzz_normalize.c - the value normalisers cs-import runs on every field
 * (lib/normalize.c, lib/normalize_name.c, the cell splitters of
 * lib/import_plan.c).
 *
 * The bytes are one cell.  Every normaliser must stay inside it and leave
 * its buffers as it says; and since the readers hand out only UTF-8 without
 * NUL bytes, for such a cell every output must be UTF-8 without NULs too
 * (else cs-import writes a book no tool reads back).  A canonical value must
 * be a fixed point: normalising what a normaliser wrote gives it back, so
 * importing a book twice changes nothing (a canonical book is read with a
 * decimal point, whatever the first import's separator).  A number must be
 * canonical.
 */
#include "fuzz.h"

#include "import.h"
#include "import_int.h"
#include "normalize.h"

static bool text_cell; /* the cell is UTF-8 without NUL: outputs must be too */

static void
check_text(const struct buf *b, const char *what)
{
	if (!text_cell)
		return;
	FUZZ_CHECK(utf8_text_prefix(buf_str(b), b->len) == b->len,
	           "%s wrote bytes that are not UTF-8 text", what);
}

typedef int norm_fn(const char *s, size_t len, struct buf *out, struct buf *rest, char *why,
                    size_t whylen);

/* A normaliser with a rest: check it, and that its first value is a fixed point. */
static void
check_with_rest(norm_fn *fn, const char *what, const char *s, size_t len)
{
	struct buf out = {0}, rest = {0}, again = {0};
	char why[128] = "";
	if (fn(s, len, &out, &rest, why, sizeof why) != 0) {
		FUZZ_CHECK(why[0] != '\0', "%s refused without a reason", what);
		FUZZ_CHECK(out.len == 0, "%s wrote to out and failed", what);
	} else {
		check_text(&out, what);
		check_text(&rest, what);
		if (text_cell) {
			FUZZ_CHECK(fn(out.data, out.len, &again, NULL, why, sizeof why) == 0,
			           "%s refuses its own \"%s\": %s", what, buf_str(&out), why);
			FUZZ_CHECK(again.len == out.len &&
			               memcmp(again.data, out.data, out.len) == 0,
			           "%s of \"%s\" is \"%s\"", what, buf_str(&out), buf_str(&again));
		}
	}
	buf_free(&out);
	buf_free(&rest);
	buf_free(&again);
}

static void
check_number(const char *s, size_t len, bool decimal_comma, bool integer)
{
	struct buf out = {0}, again = {0};
	char why[128] = "";
	if (norm_number(s, len, decimal_comma, integer, &out, why, sizeof why) != 0) {
		FUZZ_CHECK(why[0] != '\0', "norm_number refused without a reason");
		FUZZ_CHECK(out.len == 0, "norm_number wrote to out and failed");
	} else {
		FUZZ_CHECK(is_canonical_number(out.data, out.len), "norm_number wrote \"%s\"",
		           buf_str(&out));
		/* A canonical book is comma-separated: cs-import reads it with a decimal point. */
		FUZZ_CHECK(
		    norm_number(out.data, out.len, false, integer, &again, why, sizeof why) == 0 &&
		        strcmp(buf_str(&again), buf_str(&out)) == 0,
		    "norm_number of \"%s\" is \"%s\" (%s)", buf_str(&out), buf_str(&again), why);
	}
	buf_free(&out);
	buf_free(&again);
}

static void
check_clean_text(const char *s, size_t len)
{
	struct buf out = {0}, again = {0};
	norm_clean_text(s, len, &out);
	check_text(&out, "norm_clean_text");
	norm_clean_text(buf_str(&out), out.len, &again);
	FUZZ_CHECK(strcmp(buf_str(&out), buf_str(&again)) == 0,
	           "norm_clean_text of \"%s\" is \"%s\"", buf_str(&out), buf_str(&again));
	buf_free(&out);
	buf_free(&again);
}

static void
check_name(const char *s, size_t len)
{
	struct buf display = {0}, first = {0}, last = {0};
	(void)norm_split_name(s, len, &display, &first, &last);
	check_text(&display, "norm_split_name (display)");
	check_text(&first, "norm_split_name (first)");
	check_text(&last, "norm_split_name (last)");
	buf_free(&display);
	buf_free(&first);
	buf_free(&last);
}

struct cell {
	const char *p;
	size_t len;
};

static void
on_labelled(void *ctx, const char *label, size_t llen, const char *val, size_t vlen)
{
	const struct cell *cell = ctx;
	const char *lo = cell->p, *hi = cell->p + cell->len;
	FUZZ_CHECK(llen == 0 || (label >= lo && label + llen <= hi), "a label outside the cell");
	FUZZ_CHECK(vlen == 0 || (val >= lo && val + vlen <= hi), "a value outside the cell");
}

static void
on_tag(void *ctx, const char *tag, size_t n)
{
	const struct cell *cell = ctx;
	FUZZ_CHECK(n == 0 || (tag >= cell->p && tag + n <= cell->p + cell->len),
	           "a tag outside the cell");
	(void)norm_tag_tier(tag, n, false);
	(void)norm_tag_kind(tag, n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact heap copy (no NUL after it), so ASan sees any read past the cell. */
	char *copy = malloc(size ? size : 1);
	if (!copy)
		abort();
	if (size)
		memcpy(copy, data, size);
	const char *s = copy;
	size_t len = size;
	struct cell cell = {s, len};
	text_cell = utf8_text_prefix(s, len) == len;

	(void)norm_is_placeholder(s, len);
	check_clean_text(s, len);
	check_with_rest(norm_email, "norm_email", s, len);
	check_with_rest(norm_phone, "norm_phone", s, len);
	for (int dc = 0; dc < 2; dc++)
		for (int integer = 0; integer < 2; integer++)
			check_number(s, len, dc, integer);
	int b = norm_bool(s, len);
	FUZZ_CHECK(b >= -1 && b <= 1, "norm_bool gave %d", b);
	int k = norm_kind(s, len);
	FUZZ_CHECK(k == -1 || k == KIND_CLIENT || k == KIND_PROSPECT, "norm_kind gave %d", k);
	for (int top = 0; top < 2; top++) {
		int t = norm_tier(s, len, top);
		FUZZ_CHECK(t == -1 || (t >= 'A' && t <= 'C'), "norm_tier gave %d", t);
		t = norm_tag_tier(s, len, top);
		FUZZ_CHECK(t == -1 || (t >= 'A' && t <= 'C'), "norm_tag_tier gave %d", t);
	}
	(void)norm_is_platinum(s, len);
	(void)norm_tag_kind(s, len);
	check_name(s, len);
	char digits[11];
	char *z = fuzz_string(data, size);
	size_t nd = norm_phone_digits(z, digits);
	FUZZ_CHECK(nd <= 10 && strlen(digits) == nd, "norm_phone_digits gave %zu", nd);
	free(z);
	import_each_labelled(s, len, on_labelled, &cell);
	import_each_tag(s, len, on_tag, &cell);
	char id[16];
	import_derive_id(s, len, id);
	FUZZ_CHECK(strlen(id) == 12 && strncmp(id, "c-", 2) == 0, "id %s", id);
	free(copy);
	return 0;
}
