/*
 * test_pack.c - packed records: values come back byte for byte with their
 * lengths, empty and past-the-end fields read as "", a record past 64 KB
 * takes 32-bit offsets, records stay valid as the arena grows, and
 * pack_nul packs a record's fields as pack does.
 */
#include <stdint.h>
#include <stdlib.h>

#include "pack.h"
#include "unit.h"

static void
test_roundtrip(void)
{
	struct arena a = {0};
	struct pack_val v[] = {{"c0000001", 8}, {"", 0}, {"Ana, \"Silva\"", 12}, {"x", 1}};
	const char *p = pack(&a, v, 4);
	CHECK_INT(packed_n(p), 4);
	size_t len;
	CHECK_STR(packed_get(p, 0, &len), "c0000001");
	CHECK_INT(len, 8);
	CHECK_STR(packed_get(p, 1, &len), "");
	CHECK_INT(len, 0);
	CHECK_STR(packed_get(p, 2, &len), "Ana, \"Silva\"");
	CHECK_INT(len, 12);
	CHECK_STR(packed_get(p, 3, &len), "x");
	CHECK_STR(packed_get(p, 4, &len), "");
	CHECK_INT(len, 0);
	/* A value is copied: only its first len bytes, NUL-terminated. */
	struct pack_val part = {"abcdef", 3};
	const char *q = pack(&a, &part, 1);
	CHECK_STR(packed_get(q, 0, &len), "abc");
	const char *none = pack(&a, NULL, 0);
	CHECK_INT(packed_n(none), 0);
	CHECK_STR(packed_get(none, 0, &len), "");
	arena_free(&a);
}

static void
test_wide(void)
{
	struct arena a = {0};
	size_t big = 70000;
	char *text = malloc(big);
	CHECK(text != NULL);
	if (!text)
		return;
	memset(text, 'n', big);
	struct pack_val v[] = {{"id", 2}, {text, big}, {"after", 5}};
	const char *p = pack(&a, v, 3);
	size_t len;
	CHECK_STR(packed_get(p, 0, &len), "id");
	const char *got = packed_get(p, 1, &len);
	CHECK_INT(len, big);
	CHECK(memcmp(got, text, big) == 0 && got[big] == '\0');
	CHECK_STR(packed_get(p, 2, &len), "after");
	CHECK_INT(len, 5);
	size_t n;
	const char *data;
	CHECK(packed_offsets16(p, &n, &data) == NULL && n == 3);
	free(text);
	arena_free(&a);
}

static void
test_many(void)
{
	/* Enough records to fill several chunks: the first is still there. */
	struct arena a = {0};
	enum { N = 200000 };
	const char **recs = malloc(N * sizeof *recs);
	CHECK(recs != NULL);
	if (!recs)
		return;
	char id[16];
	static const char filler[] = "Prefers calls, not email; a note long enough to fill chunks";
	for (int i = 0; i < N; i++) {
		int n = snprintf(id, sizeof id, "c%07d", i);
		struct pack_val v[] = {
		    {id, (size_t)n}, {"Springfield", 11}, {"", 0}, {filler, sizeof filler - 1}};
		recs[i] = pack(&a, v, 4);
	}
	CHECK(a.n > 1);
	size_t len;
	CHECK_STR(packed_get(recs[0], 0, &len), "c0000000");
	CHECK_STR(packed_get(recs[N - 1], 0, &len), "c0199999");
	CHECK_STR(packed_get(recs[N / 2], 1, &len), "Springfield");
	CHECK_INT((uintptr_t)recs[N / 2] % 4, 0);
	free(recs);
	arena_free(&a);
	CHECK_INT(a.n, 0);
}

static void
test_nul(void)
{
	/*
	 * Values as a record holds them, each with its NUL: runs of adjacent
	 * ones are copied whole, one past a gap (a quote) or elsewhere alone.
	 */
	struct arena a = {0};
	static const char buf[] = "c1\0Ana\0\"Firm, Inc\0\0x";
	struct pack_val v[] = {{buf, 2}, {buf + 3, 3},  {buf + 8, 9},
	                       {"", 0},  {buf + 18, 0}, {buf + 19, 1}};
	const char *p = pack_nul(&a, v, 6);
	size_t len;
	CHECK_INT(packed_n(p), 6);
	CHECK_STR(packed_get(p, 0, &len), "c1");
	CHECK_STR(packed_get(p, 1, &len), "Ana");
	CHECK_STR(packed_get(p, 2, &len), "Firm, Inc");
	CHECK_INT(len, 9);
	CHECK_STR(packed_get(p, 3, &len), "");
	CHECK_STR(packed_get(p, 4, &len), "");
	CHECK_STR(packed_get(p, 5, &len), "x");
	CHECK_INT(len, 1);
	size_t dlen;
	const char *data = packed_data(p, &dlen);
	CHECK(dlen == 21 && memcmp(data, "c1\0Ana\0Firm, Inc\0\0\0x", 21) == 0);
	size_t n;
	const char *at;
	const uint16_t *o = packed_offsets16(p, &n, &at);
	CHECK(o && n == 6 && at == data);
	if (o)
		CHECK(strcmp(at + o[2], "Firm, Inc") == 0 && o[3] - o[2] - 1 == 9 && o[6] == 21);
	CHECK_INT(packed_n(pack_nul(&a, NULL, 0)), 0);
	arena_free(&a);
}

int
main(void)
{
	test_roundtrip();
	test_wide();
	test_many();
	test_nul();
	return unit_report("pack");
}
