/*
 * test_shard.c - unit tests for lib/shard.c: the hash is FNV-1a 64 exactly
 * (the published test vectors), taken modulo N, and K/N is parsed strictly.
 */
#include <string.h>

#include "hash.h"
#include "shard.h"
#include "unit.h"

static void
test_vectors(void)
{
	/* FNV-1a 64 test vectors (Fowler, Noll, Vo). */
	CHECK(hash_fnv1a("", 0, HASH_FNV64_BASIS) == 0xcbf29ce484222325ULL);
	CHECK(hash_fnv1a("a", 1, HASH_FNV64_BASIS) == 0xaf63dc4c8601ec8cULL);
	CHECK(hash_fnv1a("foobar", 6, HASH_FNV64_BASIS) == 0x85944171f73967e8ULL);
	CHECK_INT(shard_of("foobar", 6, 1000), 0x85944171f73967e8ULL % 1000);
	CHECK_INT(shard_of("a", 1, 7), 0xaf63dc4c8601ec8cULL % 7);
	CHECK_INT(shard_of("", 0, 1), 0);
	/* UTF-8 bytes as stored. */
	CHECK_INT(shard_of("\xc3\xa9", 2, 1u << 16),
	          hash_fnv1a("\xc3\xa9", 2, HASH_FNV64_BASIS) % (1u << 16));
}

static void
test_parse(void)
{
	uint32_t k = 9, n = 9;
	char why[96];
	CHECK_INT(shard_parse("0/4", &k, &n, why, sizeof why), 0);
	CHECK_INT(k, 0);
	CHECK_INT(n, 4);
	CHECK_INT(shard_parse("3/4", &k, &n, why, sizeof why), 0);
	CHECK_INT(shard_parse("0/1", &k, &n, why, sizeof why), 0);
	CHECK_INT(shard_parse("65535/65536", &k, &n, why, sizeof why), 0);
	static const char *const bad[] = {"4/4", "1/0", "0/65537", "-1/4", "1/4x", "1 /4", "1/+4",
	                                  "/4", "1/", "", "a/b", "1//4", "1/4/5"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		CHECK_INT(shard_parse(bad[i], &k, &n, why, sizeof why), -1);
}

int
main(void)
{
	test_vectors();
	test_parse();
	return unit_report("shard");
}
