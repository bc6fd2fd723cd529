/*
 * test_keytab.c - the key table: a key finds the first record that has
 * it, a second record with it is kept as well (a conflict to report), a
 * third changes nothing, and keys survive the table's growth.
 */
#include <stdlib.h>

#include "keytab.h"
#include "unit.h"

static void
test_first_second(void)
{
	struct keytab t = {0};
	uint64_t ann = keytab_hash('e', "ann@example.com", 15);
	uint64_t ben = keytab_hash('e', "ben@example.com", 15);
	CHECK(keytab_find(&t, ann) == NULL);
	keytab_put(&t, ann, 7);
	keytab_put(&t, ann, 7); /* the same record again: still one */
	const struct keytab_slot *s = keytab_find(&t, ann);
	CHECK(s != NULL);
	if (s) {
		CHECK_INT(s->first, 7);
		CHECK(s->second == KEYTAB_NONE);
	}
	keytab_put(&t, ann, 9);
	keytab_put(&t, ann, 11); /* a third: the first two are what a conflict names */
	s = keytab_find(&t, ann);
	CHECK(s && s->first == 7 && s->second == 9);
	CHECK(keytab_find(&t, ben) == NULL);
	keytab_put(&t, 0, 3); /* no key: nothing */
	CHECK(keytab_find(&t, 0) == NULL);
	CHECK_INT(t.n, 1);
	keytab_free(&t);
	CHECK(keytab_find(&t, ann) == NULL);
}

static void
test_hash(void)
{
	/* The tag keeps kinds apart; no key hashes to 0 (the empty slot). */
	CHECK(keytab_hash('i', "c1", 2) != keytab_hash('e', "c1", 2));
	CHECK(keytab_hash('i', "c1", 2) == keytab_hash('i', "c1", 2));
	CHECK(keytab_hash('i', "", 0) != 0);
	/* Lengths apart, and a byte past the eighth counts. */
	CHECK(keytab_hash('i', "c0000001", 8) != keytab_hash('i', "c00000010", 9));
	CHECK(keytab_hash('i', "c00000010", 9) != keytab_hash('i', "c00000011", 9));
	/* Folded: ASCII capitals only, across words; '@', '[', '`', '{' and UTF-8 as they are. */
	CHECK(keytab_hash_lower('e', "Ann.Lee@Example.COM", 19) ==
	      keytab_hash('e', "ann.lee@example.com", 19));
	CHECK(keytab_hash_lower('e', "@[`{AZ", 6) == keytab_hash('e', "@[`{az", 6));
	CHECK(keytab_hash_lower('e', "\xc3\x89", 2) == keytab_hash('e', "\xc3\x89", 2));
	CHECK(keytab_hash_lower('e', "\xc3\x89", 2) != keytab_hash('e', "\xc3\xa9", 2));
}

static void
test_growth(void)
{
	struct keytab t = {0};
	keytab_reserve(&t, 1000);
	size_t cap = t.cap;
	CHECK(cap * 3 >= 1000 * 4);
	enum { N = 50000 };
	char key[16];
	for (uint32_t i = 0; i < N; i++) {
		int n = snprintf(key, sizeof key, "c%07u", (unsigned)i);
		keytab_put(&t, keytab_hash('i', key, (size_t)n), i);
	}
	CHECK(t.cap > cap);
	CHECK_INT(t.n, N);
	int found = 0;
	for (uint32_t i = 0; i < N; i++) {
		int n = snprintf(key, sizeof key, "c%07u", (unsigned)i);
		const struct keytab_slot *s = keytab_find(&t, keytab_hash('i', key, (size_t)n));
		found += s && s->first == i && s->second == KEYTAB_NONE;
	}
	CHECK_INT(found, N);
	keytab_free(&t);
}

int
main(void)
{
	test_first_second();
	test_hash();
	test_growth();
	return unit_report("keytab");
}
