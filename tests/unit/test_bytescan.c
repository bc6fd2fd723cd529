/*
 * test_bytescan.c - lib/bytescan.h against the byte-at-a-time loops it
 * replaced: every length from 0 to 80 (the short-field words, one block,
 * several, a partial last one), a byte of the set at every position or none,
 * the first of several, bytes of 0x80 and above around it.  Each input sits
 * in an allocation of exactly its length, so a read past it is caught by
 * the sanitizer and valgrind runs of this test; the copy's destination has
 * guard bytes after it that must stay as they were.
 */
#include "bytescan.h"

#include <stdlib.h>
#include <string.h>

#include "unit.h"

static size_t
naive_find(const char *set, size_t nset, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (memchr(set, p[i], nset))
			return i;
	return n;
}

/* p[0..n): text of printable and high bytes, none of them in set. */
static void
fill(char *p, size_t n, const char *set, size_t nset, unsigned seed)
{
	static const char pool[] = "abcXYZ 019.-@$\x7f\xc3\xa9\xe2\x82\xac\x80\xff'=";
	for (size_t i = 0; i < n; i++) {
		char c;
		do {
			seed = seed * 1103515245u + 12345u;
			c = pool[(seed >> 16) % (sizeof pool - 1)];
		} while (memchr(set, c, nset));
		p[i] = c;
	}
}

static void
check_set(const char *set, size_t nset)
{
	struct byteset s;
	byteset_init(&s, set, nset);
	int wrong_find = 0, wrong_copy = 0, wrong_bytes = 0, guard = 0;
	for (size_t n = 0; n <= 80; n++) {
		/* at == n: none of the set; otherwise one at `at`, maybe more after. */
		for (size_t at = 0; at <= n; at++) {
			char *p = malloc(n ? n : 1);
			char *out = malloc(n + 16);
			fill(p, n, set, nset, (unsigned)(n * 131 + at));
			if (at < n) {
				p[at] = set[at % nset];
				if (at + 3 < n)
					p[at + 3] = set[(at + 1) % nset];
			}
			memset(out, '#', n + 16);
			size_t want = naive_find(set, nset, p, n);
			wrong_find += byteset_find(&s, p, n) != want;
			wrong_copy += byteset_copy(&s, out, p, n) != (want < n);
			wrong_bytes += n && memcmp(out, p, n) != 0;
			for (size_t k = n; k < n + 16; k++)
				guard += out[k] != '#';
			free(p);
			free(out);
		}
	}
	CHECK_INT(wrong_find, 0);
	CHECK_INT(wrong_copy, 0);
	CHECK_INT(wrong_bytes, 0);
	CHECK_INT(guard, 0);
}

/* The reader's sets (a field's end, a closing quote) and the writer's. */
static void
test_sets(void)
{
	check_set("\"\r\n,", 4);
	check_set("\"\r\n\t", 4);
	check_set("\"", 1);
	check_set(",\"\n\r;", 5);
	check_set(",\"\n\r,", 5);
}

/* A find in a long run stops at the first byte of the set, not a later one. */
static void
test_first_of_many(void)
{
	struct byteset s;
	byteset_init(&s, ",\n", 2);
	char text[100];
	memset(text, 'x', sizeof text);
	text[70] = '\n';
	text[37] = ',';
	text[20] = ',';
	CHECK_INT(byteset_find(&s, text, sizeof text), 20);
	CHECK_INT(byteset_find(&s, text + 21, sizeof text - 21), 16);
	CHECK_INT(byteset_find(&s, text + 38, sizeof text - 38), 32);
	CHECK_INT(byteset_find(&s, text + 71, sizeof text - 71), sizeof text - 71);
}

/* bytes16_first: the first lane set, at each lane, with later lanes set too. */
static void
test_first_lane(void)
{
	int wrong = 0;
	bytes16 none = {0};
	wrong += bytes16_first(none) != 16;
	for (size_t at = 0; at < 16; at++) {
		bytes16 m = {0};
		m[at] = 0xff;
		if (at + 5 < 16)
			m[at + 5] = 0xff;
		m[15] = 0xff;
		wrong += bytes16_first(m) != at;
	}
	CHECK_INT(wrong, 0);
}

int
main(void)
{
	test_sets();
	test_first_lane();
	test_first_of_many();
	return unit_report("bytescan");
}
