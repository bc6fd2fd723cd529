/*
 * test_idtab_batch.c - finding a batch of keys at once: idtab's steps
 * (idtab_hash, idtab_prefetch_slot, idtab_prefetch_record,
 * idtab_find_hashed) and touchlog_find_clients over them, which must say
 * what the one-at-a-time lookups say, hints or no hints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idtab.h"
#include "touchlog.h"
#include "unit.h"

static void
test_steps(void)
{
	struct idtab t = {0};
	/* An empty table: the hints do nothing, and nothing is found. */
	uint32_t h = idtab_hash("c001", 4);
	idtab_prefetch_slot(&t, h);
	idtab_prefetch_record(&t, h);
	CHECK_INT(idtab_find_hashed(&t, "c001", 4, h), -1);
	char key[32];
	for (int i = 0; i < 50000; i++) {
		int n = snprintf(key, sizeof key, "c%07d", i);
		idtab_intern(&t, key, (size_t)n, NULL);
	}
	int wrong = 0;
	for (int i = 0; i < 60000; i++) {
		int n = snprintf(key, sizeof key, "c%07d", i);
		h = idtab_hash(key, (size_t)n);
		idtab_prefetch_slot(&t, h);
		idtab_prefetch_record(&t, h);
		long want = i < 50000 ? i : -1;
		wrong += idtab_find_hashed(&t, key, (size_t)n, h) != want;
		wrong += idtab_find(&t, key, (size_t)n) != want;
	}
	CHECK_INT(wrong, 0);
	/* The same hash with other bytes (a collision, made by hand) is no match. */
	h = idtab_hash("c0000007", 8);
	CHECK_INT(idtab_find_hashed(&t, "c0000007", 8, h), 7);
	CHECK_INT(idtab_find_hashed(&t, "x0000007", 8, h), -1);
	idtab_free(&t);
}

/* A cs_warn_fn: the warning's message into ctx (512 bytes). */
static void
keep_warning(void *ctx, const struct cs_error *w)
{
	snprintf(ctx, 512, "%s", w->msg);
}

static void
test_find_clients(void)
{
	struct date d = {2026, 11, 2};
	/* No log: every handle is -1, as touchlog_client says. */
	const char *ids[TOUCHLOG_FIND_MAX];
	size_t lens[TOUCHLOG_FIND_MAX];
	long got[TOUCHLOG_FIND_MAX];
	ids[0] = "c1";
	lens[0] = 2;
	touchlog_find_clients(NULL, ids, lens, 1, got);
	CHECK_INT(got[0], -1);
	touchlog_see_client(NULL, -1); /* nothing to mark, no crash */

	struct touchlog *log = touchlog_new();
	char names[TOUCHLOG_FIND_MAX][16];
	for (int i = 0; i < 1000; i++) {
		char id[16];
		int n = snprintf(id, sizeof id, "c%d", i * 2); /* the even ids only */
		touchlog_add(log, id, (size_t)n, "call", 4, d);
	}
	/* Found, not found, blanks around, empty, and all in one batch. */
	for (int i = 0; i < TOUCHLOG_FIND_MAX; i++) {
		int n = snprintf(names[i], sizeof names[i], i % 5 == 4 ? " c%d\t" : "c%d", i);
		ids[i] = names[i];
		lens[i] = (size_t)n;
	}
	ids[3] = "";
	lens[3] = 0;
	touchlog_find_clients(log, ids, lens, TOUCHLOG_FIND_MAX, got);
	int wrong = 0;
	for (int i = 0; i < TOUCHLOG_FIND_MAX; i++) {
		char trimmed[16];
		snprintf(trimmed, sizeof trimmed, "c%d", i);
		long want = i == 3 ? -1 : touchlog_client(log, trimmed);
		wrong += got[i] != want;
		wrong += (i % 2 == 0 && i != 3) != (got[i] >= 0);
	}
	CHECK_INT(wrong, 0);
	/* Seen by handle is seen: c0 and c2 are no orphans, the other 998 are. */
	touchlog_see_client(log, got[0]);
	touchlog_see_client(log, got[2]);
	touchlog_see_client(log, -1);
	touchlog_see_client(log, 1L << 40); /* not a handle: ignored */
	char said[512] = "";
	struct touchlog_orphans o = {.check_ids = true};
	touchlog_warn_orphans(log, &o, keep_warning, said);
	CHECK(strstr(said, "998 rows for 998 client ids") != NULL);
	touchlog_free(log);
}

int
main(void)
{
	test_steps();
	test_find_clients();
	return unit_report("idtab_batch");
}
