/*
 * test_utf8.c - case folding, lowering and the folded substring search of
 * lib/utf8.c, at their edges: the ASCII fast path, expansion (ß, ﬃ),
 * decomposed input, buffer reuse, growth and bytes that are not UTF-8.
 */
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

#include "unit.h"

static char folded[256];

/* s folded, copied out as text (for CHECK_STR). */
static const char *
fold(struct casefold *cf, const char *s)
{
	size_t len;
	const char *f = utf8_casefold(cf, s, strlen(s), &len);
	snprintf(folded, sizeof folded, "%.*s", (int)len, f);
	return folded;
}

static const char *
lower(const char *s)
{
	struct buf b = {0};
	utf8_lower(&b, s, strlen(s));
	snprintf(folded, sizeof folded, "%s", b.data);
	buf_free(&b);
	return folded;
}

static void
test_casefold(void)
{
	struct casefold cf = {0};
	CHECK_STR(fold(&cf, ""), "");
	CHECK_STR(fold(&cf, "Ana SMITH 42"), "ana smith 42");
	CHECK_STR(fold(&cf, "Élise ØRSTED"), "élise ørsted");
	CHECK_STR(fold(&cf, "E\xcc\x81LISE"), "élise"); /* decomposed to NFC */
	CHECK_STR(fold(&cf, "Straße"), "strasse");
	CHECK_STR(fold(&cf, "GROẞ"), "gross");
	CHECK_STR(fold(&cf, "ΟΔΟΣ οδος"), "οδοσ οδοσ");
	CHECK_STR(fold(&cf, "İ"), "i\xcc\x87");
	CHECK_STR(fold(&cf, "ı I"), "ı i");
	CHECK_STR(fold(&cf, "ﬃ"), "ffi");
	CHECK_STR(fold(&cf, "\xe2\x84\xaa"), "k"); /* Kelvin sign */
	/* only non-ASCII runs go through utf8proc, each with the byte before it */
	CHECK_STR(fold(&cf, "Ana E\xcc\x81LISE"), "ana \xc3\xa9lise");
	CHECK_STR(fold(&cf, "AB\xc3\x89"), "ab\xc3\xa9");
	CHECK_STR(fold(&cf, "\xc3\x89" "AB"), "\xc3\xa9" "ab");
	CHECK_STR(fold(&cf, "X\xc3\x89Y\xc3\x98Z"), "x\xc3\xa9y\xc3\xb8z");
	CHECK_STR(fold(&cf, "\xcc\x81" "A"), "\xcc\x81" "a"); /* a mark with no starter stays */
	/* two marks out of canonical order are put in order: dot below (220) before acute (230) */
	CHECK_STR(fold(&cf, "Q\xcc\x81\xcc\xa3"), "q\xcc\xa3\xcc\x81");
	CHECK_STR(fold(&cf, "Ǆ"), "ǆ");
	CHECK_STR(fold(&cf, "ŉ"), "\xca\xbc" "n"); /* one code point to two */
	CHECK_STR(fold(&cf, "abc\xe0\x80"), "abc\xe0\x80"); /* truncated: bytes */
	/* not UTF-8: ASCII letters lowered, every other byte kept */
	CHECK_STR(fold(&cf, "AB\xff\xc3"), "ab\xff\xc3");
	/* growth: many ß, each one code point folding to two */
	char big[3001] = {0};
	for (size_t i = 0; i + 2 <= 3000; i += 2)
		memcpy(big + i, "ß", 2);
	size_t len;
	const char *f = utf8_casefold(&cf, big, strlen(big), &len);
	CHECK_INT(len, 3000);
	CHECK(f[0] == 's' && f[len - 1] == 's' && f[len] == '\0');
	/* then a short one again in the same scratch */
	CHECK_STR(fold(&cf, "ØX"), "øx");
	utf8_casefold_free(&cf);
	CHECK(cf.cps == NULL && cf.cap == 0);
	utf8_casefold_free(&cf); /* twice is harmless */
}

static void
test_contains(void)
{
	CHECK(utf8_contains("abc", 3, "", 0));
	CHECK(utf8_contains("", 0, "", 0));
	CHECK(!utf8_contains("", 0, "a", 1));
	CHECK(utf8_contains("abc", 3, "abc", 3));
	CHECK(!utf8_contains("abc", 3, "abcd", 4));
	CHECK(utf8_contains("aaab", 4, "ab", 2));
	CHECK(utf8_contains("xyzab", 5, "ab", 2)); /* at the very end */
	CHECK(!utf8_contains("xyza", 4, "ab", 2)); /* first byte at the end only */
	CHECK(utf8_contains("a\0b", 3, "\0b", 2)); /* bytes, not C strings */

	/* the search =~ runs: ASCII in place, anything else folded first */
	struct casefold cf = {0};
	CHECK(utf8_casefold_contains(&cf, "Ana SMITH", 9, "smith", 5));
	CHECK(!utf8_casefold_contains(&cf, "Ana SMIT", 8, "smith", 5));
	CHECK(utf8_casefold_contains(&cf, "x", 1, "", 0));
	CHECK(!utf8_casefold_contains(&cf, "Ana", 3, "\xc3\xb8", 2)); /* ASCII never holds ø */
	CHECK(utf8_casefold_contains(&cf, "ØRSTED", 7, "ørsted", 7));
	/* e + combining acute is é after NFC: 'e' alone is not in it */
	CHECK(!utf8_casefold_contains(&cf, "E\xcc\x81", 3, "e", 1));
	CHECK(utf8_casefold_contains(&cf, "E\xcc\x81", 3, "\xc3\xa9", 2));
	utf8_casefold_free(&cf);
}

static void
test_lower(void)
{
	CHECK_STR(lower(""), "");
	CHECK_STR(lower("ÉLISE"), "élise");
	CHECK_STR(lower("Straße"), "straße");
	CHECK_STR(lower("ẞ"), "ß");
	CHECK_STR(lower("ΟΔΟΣ"), "οδοσ");
	CHECK_STR(lower("İI"), "ii");
	CHECK_STR(lower("ȺȾ"), "ⱥⱦ"); /* two bytes each lower to three */
	CHECK_STR(lower("A\xff" "B"), "a\xff" "b");
	CHECK_STR(lower("山田"), "山田");
}

int
main(void)
{
	test_casefold();
	test_contains();
	test_lower();
	return unit_report("utf8");
}
