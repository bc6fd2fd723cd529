/*
 * test_util.c - buffers, trimming, UTF-8 checking, number formatting, records.
 */
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "unit.h"
#include "utf8.h"
#include "util.h"

static void
test_utf8(void)
{
	CHECK_INT(utf8_valid_prefix("", 0), 0);
	CHECK_INT(utf8_valid_prefix("plain ascii text, long enough", 29), 29);
	CHECK_INT(utf8_valid_prefix("caf\xc3\xa9", 5), 5);
	CHECK_INT(utf8_valid_prefix("caf\xe9", 4), 3);                /* Latin-1 é */
	CHECK_INT(utf8_valid_prefix("abcdefghij\xe9klmnop", 17), 10); /* past the word loop */
	CHECK_INT(utf8_valid_prefix("\xc0\xaf", 2), 0);               /* overlong '/' */
	CHECK_INT(utf8_valid_prefix("\xed\xa0\x80", 3), 0);           /* a surrogate */
	CHECK_INT(utf8_valid_prefix("\xf4\x90\x80\x80", 4), 0);       /* past U+10FFFF */
	CHECK_INT(utf8_valid_prefix("\xf0\x9f\x98\x80!", 5), 5);      /* an emoji */
	CHECK_INT(utf8_valid_prefix("ok\xe2\x82", 4), 2);             /* cut short */
	CHECK_INT(utf8_valid_prefix("\xca\xa4\xca\xa4\xca\xa4\xca\xa4x", 9), 9);
	/* utf8_text_prefix also stops at a NUL, in the word loop and after it. */
	CHECK_INT(utf8_valid_prefix("ab\0cd", 5), 5);
	CHECK_INT(utf8_text_prefix("ab\0cd", 5), 2);
	CHECK_INT(utf8_text_prefix("abcdefghijk\0mnopq", 17), 11);
	CHECK_INT(utf8_text_prefix("abcdefgh\xe9\0", 10), 8);
	CHECK_INT(utf8_text_prefix("caf\xc3\xa9 au lait", 13), 13);
}

/*
 * The block loop (64 bytes a test) hands over to the word and byte loops
 * at the first odd byte: a NUL, a Latin-1 byte or a good two-byte character
 * at every position of 200 bytes, in an allocation of exactly that size.
 */
static void
test_utf8_blocks(void)
{
	enum { N = 200 };
	int wrong = 0;
	for (size_t at = 0; at < N; at++) {
		char *p = malloc(N);
		memset(p, 'a', N);
		p[at] = '\0';
		wrong += utf8_text_prefix(p, N) != at;
		wrong += utf8_valid_prefix(p, N) != N;
		p[at] = '\xe9';
		wrong += utf8_text_prefix(p, N) != at;
		wrong += utf8_valid_prefix(p, N) != at;
		if (at + 1 < N) {
			p[at + 1] = '\xa9'; /* \xc3\xa9 is é */
			p[at] = '\xc3';
			wrong += utf8_text_prefix(p, N) != N;
			wrong += utf8_valid_prefix(p, N) != N;
		}
		free(p);
	}
	CHECK_INT(wrong, 0);
}

static void
test_numbers(void)
{
	char b[32];
	CHECK_STR(format_double(402.35, b), "402.35");
	CHECK_STR(format_double(12500, b), "12500");
	CHECK_STR(format_double(59040.6, b), "59040.6");
	CHECK_STR(format_double(1e3, b), "1000");
	CHECK_STR(format_double(-0.5, b), "-0.5");
	CHECK_STR(format_double(0.1 + 0.2, b), "0.30000000000000004");
	CHECK_STR(format_double(1e300, b), "1e+300");
	CHECK_STR(format_double(0, b), "0");

	CHECK(is_canonical_number("12500", 5));
	CHECK(is_canonical_number("402.35", 6));
	CHECK(is_canonical_number("-7", 2));
	CHECK(is_canonical_number("0", 1));
	CHECK(is_canonical_number("0.5", 3));
	CHECK(!is_canonical_number("012", 3));
	CHECK(!is_canonical_number("1.50", 4));
	CHECK(!is_canonical_number("1.", 2));
	CHECK(!is_canonical_number("-0", 2));
	CHECK(!is_canonical_number("1e5", 3));
	CHECK(!is_canonical_number("12,500", 6));
	CHECK(!is_canonical_number("", 0));
	CHECK(is_canonical_number("123456789012345", 15));
	CHECK(!is_canonical_number("1234567890123456", 16)); /* would not survive a double */
}

static void
test_buf(void)
{
	struct buf b = {0};
	CHECK_STR(buf_str(&b), "");
	buf_puts(&b, "id");
	buf_putc(&b, ',');
	buf_printf(&b, "%d-%s", 42, "x");
	CHECK_STR(buf_str(&b), "id,42-x");
	CHECK_INT(b.len, 7);
	for (int i = 0; i < 10000; i++)
		buf_putc(&b, 'z');
	CHECK_INT(b.len, 10007);
	CHECK_INT(strlen(b.data), 10007);
	buf_reset(&b);
	CHECK_STR(buf_str(&b), "");
	buf_free(&b);
	CHECK(b.data == NULL);
}

/* str_trim on s[0..len): the part left, as a string. */
static const char *
trim_of(const char *s, size_t len)
{
	static char out[64];
	const char *p = s;
	str_trim(&p, &len);
	CHECK(p >= s && p + len <= s + strlen(s) + 1);
	snprintf(out, sizeof out, "%.*s", (int)len, p);
	return out;
}

static void
test_trim(void)
{
	CHECK_STR(trim_of(" \t ab c\t \t", 10), "ab c");
	CHECK_STR(trim_of("abc", 3), "abc");
	CHECK_STR(trim_of("", 0), "");
	CHECK_STR(trim_of(" \t \t", 4), "");
	CHECK_STR(trim_of("  ab  cd", 5), "ab");       /* only s[0..len) is read */
	CHECK_STR(trim_of("\r\nab\n", 5), "\r\nab\n"); /* spaces and tabs only */
	CHECK_STR(trim_of(" \xc2\xa0x", 4), "\xc2\xa0x");
}

static void
test_record(void)
{
	struct header *h = header_new();
	header_add(h, "id");
	header_add(h, "name");
	CHECK_INT(header_ensure(h, "name"), 1);
	CHECK_INT(header_ensure(h, "tier"), 2);
	CHECK_INT(header_find(h, "nope"), -1);
	struct header *c = header_copy(h);
	CHECK(header_equal(h, c));
	header_add(c, "extra");
	CHECK(!header_equal(h, c));

	struct record r = {0};
	record_push(&r, "c1", 2);
	record_push(&r, "", 0);
	CHECK_INT(r.n, 2);
	CHECK_STR(record_get(&r, 0, NULL), "c1");
	CHECK_STR(record_get(&r, 1, NULL), "");
	CHECK_STR(record_get(&r, 7, NULL), ""); /* past the end reads empty */
	record_set_str(&r, 4, "A");
	CHECK_INT(r.n, 5);
	CHECK_STR(record_get(&r, 4, NULL), "A");
	/* Setting a field from another field of the same record survives growth. */
	for (int i = 0; i < 100; i++)
		record_set(&r, 1, record_get(&r, 0, NULL), 2);
	CHECK_STR(record_get(&r, 1, NULL), "c1");
	CHECK(record_blank(&r, 2));
	record_set_str(&r, 2, " \t ");
	CHECK(record_blank(&r, 2));
	record_resize(&r, 2);
	CHECK_INT(r.n, 2);
	struct record copy = {0};
	r.row = 9;
	record_copy(&copy, &r);
	CHECK_INT(copy.row, 9);
	CHECK_STR(record_get(&copy, 1, NULL), "c1");
	record_free(&copy);
	record_free(&r);
	header_free(c);
	header_free(h);
}

static void
test_strlist(void)
{
	struct strlist l = {0};
	CHECK_INT(l.n, 0);
	const char *words[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"};
	for (size_t i = 0; i < 10; i++)
		strlist_add(&l, words[i]);
	CHECK_INT(l.n, 10);
	CHECK(l.v[0] == words[0]); /* borrowed, not copied */
	CHECK_STR(l.v[9], "j");
	strlist_free(&l);
	CHECK(l.v == NULL);
	CHECK_INT(l.n, 0);
	strlist_add(&l, "again");
	CHECK_STR(l.v[0], "again");
	strlist_free(&l);
}

int
main(void)
{
	test_utf8();
	test_utf8_blocks();
	test_numbers();
	test_buf();
	test_trim();
	test_record();
	test_strlist();
	return unit_report("util");
}
