/*
 * test_touchlog_index.c - the compact index of the touch log: the id table
 * (idtab) and what the index answers per client and per (client, touch),
 * checked against a plain reference over random entries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idtab.h"
#include "touchlog.h"
#include "unit.h"

static void
test_idtab(void)
{
	struct idtab t = {0};
	bool added;
	CHECK_INT(idtab_find(&t, "a", 1), -1); /* empty: no slots yet */
	CHECK_INT(idtab_intern(&t, "c001", 4, &added), 0);
	CHECK(added);
	CHECK_INT(idtab_intern(&t, "c002", 4, &added), 1);
	CHECK_INT(idtab_intern(&t, "c001", 4, &added), 0);
	CHECK(!added);
	CHECK_INT(idtab_intern(&t, "", 0, &added), 2); /* the empty key is a key */
	CHECK_INT(idtab_intern(&t, "a\0b", 3, &added), 3);
	CHECK_INT(idtab_find(&t, "a", 1), -1); /* a NUL byte is part of the key */
	CHECK_INT(idtab_find(&t, "a\0b", 3), 3);
	CHECK_INT(idtab_find(&t, "C001", 4), -1); /* exact, no case folding */
	/* Past many growths every key keeps its index, and the walk is in index order. */
	char key[32];
	int wrong = 0;
	for (int i = 0; i < 100000; i++) {
		int n =
		    snprintf(key, sizeof key, "id-%d%s", i, i % 7 ? "" : "-a-longer-key-than-most");
		wrong += idtab_intern(&t, key, (size_t)n, NULL) != 4 + i;
	}
	CHECK_INT(wrong, 0);
	CHECK_INT(idtab_count(&t), 100004);
	for (int i = 0; i < 100000; i++) {
		int n =
		    snprintf(key, sizeof key, "id-%d%s", i, i % 7 ? "" : "-a-longer-key-than-most");
		wrong += idtab_find(&t, key, (size_t)n) != 4 + i;
	}
	CHECK_INT(wrong, 0);
	size_t pos = 0, len, k = 0;
	const char *s;
	wrong = 0;
	while (idtab_each(&t, &pos, &s, &len)) {
		if (k == 0)
			CHECK(len == 4 && strcmp(s, "c001") == 0);
		if (k == 3)
			CHECK(len == 3 && memcmp(s, "a\0b", 3) == 0);
		if (k >= 4) {
			int n = snprintf(key, sizeof key, "id-%zu%s", k - 4,
			                 (k - 4) % 7 ? "" : "-a-longer-key-than-most");
			wrong += len != (size_t)n || memcmp(s, key, len) != 0 || s[len] != '\0';
		}
		k++;
	}
	CHECK_INT(k, 100004);
	CHECK_INT(wrong, 0);
	idtab_free(&t);
	CHECK_INT(idtab_count(&t), 0);
	CHECK_INT(idtab_find(&t, "c001", 4), -1);
}

static struct date
day(long n)
{
	return date_from_days(n);
}

/* What the index must say about one (client, touch): kept the plain way. */
struct expect {
	bool done, declined, deferred;
	long last, defer_day, until;
	enum touchlog_outcome defer;
};

enum { CLIENTS = 3000, TOUCHES = 5, ENTRIES = 40000 };

static unsigned long
next_random(unsigned long *seed)
{
	*seed = *seed * 6364136223846793005UL + 1442695040888963407UL;
	return *seed >> 33;
}

static void
test_against_reference(void)
{
	static const char *const touches[TOUCHES] = {"call", "review meeting", "Call ", "card",
	                                             "a touch name longer than thirty bytes"};
	static struct expect want[CLIENTS][TOUCHES - 1]; /* "Call " is "call" */
	static long any[CLIENTS];
	memset(want, 0, sizeof want);
	memset(any, 0, sizeof any);
	struct touchlog *log = touchlog_new();
	unsigned long seed = 17;
	char id[16];
	for (int e = 0; e < ENTRIES; e++) {
		int c = (int)(next_random(&seed) % CLIENTS),
		    k = (int)(next_random(&seed) % TOUCHES);
		long d = 20000 + (long)(next_random(&seed) % 400);
		enum touchlog_outcome o =
		    (enum touchlog_outcome)(next_random(&seed) % TOUCHLOG_OUTCOMES);
		long until = d + 1 + (long)(next_random(&seed) % 30);
		int n = snprintf(id, sizeof id, " c%05d", c);
		touchlog_add_entry(log, id, (size_t)n, touches[k], strlen(touches[k]), day(d), o,
		                   touchlog_outcome_needs_until(o) ? day(until) : (struct date){0});
		struct expect *w = &want[c][k == 2 ? 0 : k > 2 ? k - 1 : k];
		if (o == TOUCHLOG_DONE || o == TOUCHLOG_DECLINED) {
			if (!w->done || d >= w->last) {
				bool later = !w->done || d > w->last;
				w->done = true;
				w->last = d;
				if (o == TOUCHLOG_DECLINED)
					w->declined = true;
				else if (later || o == TOUCHLOG_DONE)
					w->declined = false;
			}
			if (d > any[c])
				any[c] = d;
		} else if (!w->deferred || d >= w->defer_day) {
			w->deferred = true;
			w->defer_day = d;
			w->defer = o;
			w->until = touchlog_outcome_needs_until(o) ? until : 0;
		}
	}
	CHECK_INT(touchlog_rows(log), ENTRIES);
	CHECK_INT(touchlog_clients(log), CLIENTS);
	int wrong = 0, pairs = 0;
	for (int c = 0; c < CLIENTS; c++) {
		snprintf(id, sizeof id, "c%05d", c);
		long h = touchlog_client(log, id);
		struct date got;
		bool has_any = touchlog_client_any(log, h, &got);
		wrong += has_any != (any[c] != 0) || (has_any && date_to_days(got) != any[c]);
		for (int k = 0; k < TOUCHES - 1; k++) {
			const char *name = k == 0 ? "CALL" : touches[k + (k > 1)];
			const struct expect *w = &want[c][k];
			struct touchlog_state s;
			bool found = touchlog_client_state(log, h, name, &s);
			pairs += found;
			wrong += found != (w->done || w->deferred) || s.done != w->done ||
			         s.deferred != w->deferred;
			if (w->done)
				wrong += date_to_days(s.last_done) != w->last ||
				         s.declined != w->declined;
			if (w->deferred)
				wrong += date_to_days(s.defer_date) != w->defer_day ||
				         s.defer != w->defer ||
				         (w->until ? date_to_days(s.until) != w->until
				                   : s.until.year != 0);
			bool last = touchlog_client_last(log, h, name, &got);
			wrong += last != w->done || (last && date_to_days(got) != w->last);
		}
	}
	CHECK_INT(wrong, 0);
	CHECK_INT(touchlog_pairs(log), pairs);
	CHECK_INT(touchlog_client(log, "c99999"), -1);
	CHECK(!touchlog_last(log, "c00001", "no such touch", &(struct date){0}));
	touchlog_free(log);
}

int
main(void)
{
	test_idtab();
	test_against_reference();
	return unit_report("touchlog_index");
}
