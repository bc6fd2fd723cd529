/*
 * test_suppress.c - the keyed hash of the suppression list and tombstones:
 * HMAC-SHA-256 as RFC 4231 specifies it, the normalisation of emails and
 * phones, and a key that changes every hash.
 */
#include <stdlib.h>

#include "journal.h"
#include "suppress.h"
#include "unit.h"

static void
test_hmac(void)
{
	/* RFC 4231, test case 1. */
	unsigned char key[20];
	memset(key, 0x0b, sizeof key);
	char hex[65];
	journal_hmac_hex(key, sizeof key, "Hi There", 8, hex);
	CHECK_STR(hex, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

static void
test_hash(void)
{
	struct cs_error err;
	setenv("CS_SUPPRESS_KEY", "0123456789abcdef-unit", 1);
	struct suppress_key *k = suppress_key_load(&err);
	CHECK(k != NULL);
	if (!k)
		return;
	char a[65], b[65];
	/* HMAC(key, "email:" + the address trimmed and lower-cased), checked with Python's hmac. */
	CHECK(suppress_hash(k, SUPPRESS_EMAIL, " Ann@Example.COM ", 17, a));
	CHECK_STR(a, "4186866e0180eed7db5c7b00a518e227a6074a6a1b1fd2c28e8f8dfdcc0631cf");
	/* A phone by its digits, a leading 00 read as +. */
	CHECK(suppress_hash(k, SUPPRESS_PHONE, "+44 20 7946 0958", 16, a));
	CHECK_STR(a, "89dd53cf7c6bb68fddc53c5e65c5dd7fa4601a1a79f20bd77e7e3c5a063f920d");
	CHECK(suppress_hash(k, SUPPRESS_PHONE, "0044 (20) 7946-0958", 19, b));
	CHECK_STR(b, a);
	/* A national form is another number. */
	CHECK(suppress_hash(k, SUPPRESS_PHONE, "020 7946 0958", 13, b));
	CHECK(strcmp(a, b) != 0);
	/* No hash for what is no email or too short a phone. */
	CHECK(!suppress_hash(k, SUPPRESS_EMAIL, "Ann Smith", 9, a));
	CHECK(!suppress_hash(k, SUPPRESS_EMAIL, "  ", 2, a));
	CHECK(!suppress_hash(k, SUPPRESS_PHONE, "12-34", 5, a));
	/* The kinds are apart: the same text hashed as an id is another hash. */
	CHECK(suppress_hash(k, SUPPRESS_ID, "ann@example.com", 15, a));
	CHECK(suppress_hash(k, SUPPRESS_EMAIL, "ann@example.com", 15, b));
	CHECK(strcmp(a, b) != 0);
	suppress_key_free(k);

	/* Another key, another hash: the list is worth nothing without its key. */
	setenv("CS_SUPPRESS_KEY", "0123456789abcdef-other", 1);
	k = suppress_key_load(&err);
	CHECK(k != NULL);
	if (k) {
		CHECK(suppress_hash(k, SUPPRESS_EMAIL, "ann@example.com", 15, a));
		CHECK(strcmp(a, "4186866e0180eed7db5c7b00a518e227a6074a6a1b1fd2c28e8f8dfdcc0631cf") != 0);
		suppress_key_free(k);
	}
}

static void
test_key(void)
{
	struct cs_error err;
	setenv("CS_SUPPRESS_KEY", "short", 1);
	CHECK(suppress_key_load(&err) == NULL);
	CHECK(strstr(err.msg, "at least 16") != NULL);
	unsetenv("CS_SUPPRESS_KEY");
	unsetenv("CS_SUPPRESS_KEY_FILE");
	CHECK(suppress_key_load(&err) == NULL);
	CHECK(strstr(err.msg, "CS_SUPPRESS_KEY") != NULL);
	setenv("CS_SUPPRESS_KEY_FILE", "/nonexistent/cs-key", 1);
	CHECK(suppress_key_load(&err) == NULL);
	unsetenv("CS_SUPPRESS_KEY_FILE");
}

int
main(void)
{
	test_hmac();
	test_hash();
	test_key();
	return unit_report("suppress");
}
