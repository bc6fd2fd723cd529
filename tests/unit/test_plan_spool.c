/*
 * test_plan_spool.c - the removed records set aside (lib/spool.h) and the
 * plan that keeps them there (lib/plan.h): every record reads back as it
 * was put, fields, empty fields and row, in order, backwards and out of
 * order, from memory, from the file or from both, whatever its size next
 * to the read windows; and a spool whose file cannot be created or written
 * fails with a message that says so, and goes on failing.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "plan.h"
#include "spool.h"
#include "unit.h"

enum { NRECS = 300 };

/* Record i: a few fields of sizes that vary with i, some empty, one long now and then. */
static void
make(struct record *r, size_t i, struct buf *scratch)
{
	record_clear(r);
	r->row = (long)i + 2;
	size_t n = i % 7; /* 0 to 6 fields: a record of none too */
	for (size_t f = 0; f < n; f++) {
		buf_reset(scratch);
		size_t len = (i * 31 + f * 17) % 50;
		if (f == 1 && i % 50 == 3)
			len = 5000; /* past a read out of order */
		if (f == 2 && i % 97 == 5)
			len = 200000; /* past a read in order */
		if (f == 0 && i % 3 == 0)
			len = 0;
		for (size_t k = 0; k < len; k++)
			buf_putc(scratch, (char)('a' + (i + f + k) % 26));
		record_push(r, buf_str(scratch), scratch->len);
	}
}

static int
same(const struct record *a, const struct record *b)
{
	if (a->n != b->n || a->row != b->row)
		return 0;
	for (size_t i = 0; i < a->n; i++) {
		size_t alen, blen;
		const char *av = record_get(a, i, &alen), *bv = record_get(b, i, &blen);
		if (alen != blen || memcmp(av, bv, alen) != 0 || av[alen] || bv[blen])
			return 0;
	}
	return 1;
}

/* Put NRECS records in a spool of budget bytes and read them back three ways. */
static void
roundtrip(size_t budget, int on_disk)
{
	struct spool *s = spool_new(budget, "the test records");
	struct record want = {0}, got = {0};
	struct buf scratch = {0};
	struct cs_error err = {0};
	uint64_t at[NRECS];
	int ok = 1;
	for (size_t i = 0; i < NRECS; i++) {
		make(&want, i, &scratch);
		ok &= spool_put(s, &want, &at[i], &err) == 0;
	}
	CHECK(ok);
	CHECK_INT(spool_on_disk(s), on_disk);
	int good = 1;
	for (size_t i = 0; i < NRECS; i++) { /* in order */
		make(&want, i, &scratch);
		good &= spool_get(s, at[i], &got, &err) == 0 && same(&want, &got);
	}
	for (size_t i = NRECS; i-- > 0;) { /* backwards */
		make(&want, i, &scratch);
		good &= spool_get(s, at[i], &got, &err) == 0 && same(&want, &got);
	}
	for (size_t k = 0; k < NRECS; k++) { /* out of order, every record once */
		size_t i = (k * 127) % NRECS;
		make(&want, i, &scratch);
		good &= spool_get(s, at[i], &got, &err) == 0 && same(&want, &got);
	}
	CHECK(good);
	spool_free(s);
	record_free(&want);
	record_free(&got);
	buf_free(&scratch);
}

static void
test_roundtrip(void)
{
	roundtrip(1 << 30, 0); /* all in memory */
	roundtrip(0, 1);       /* all but the last in the file */
	roundtrip(100000, 1);  /* some of each */
}

/* A TMPDIR that is not there: the second record needs the file, and fails. */
static void
test_no_tmpdir(void)
{
	char *saved = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
	setenv("TMPDIR", "/nonexistent/cs-spool-test", 1);
	struct spool *s = spool_new(0, "the removed records");
	struct record r = {0};
	struct buf scratch = {0};
	struct cs_error err = {0};
	uint64_t at;
	make(&r, 1, &scratch);
	CHECK_INT(spool_put(s, &r, &at, &err), 0); /* in memory */
	CHECK_INT(spool_put(s, &r, &at, &err), -1);
	CHECK_STR(err.msg, "cannot create a temporary file for the removed records in "
	                   "/nonexistent/cs-spool-test: No such file or directory");
	err = (struct cs_error){0};
	CHECK_INT(spool_put(s, &r, &at, &err), -1); /* and goes on failing */
	CHECK(strstr(err.msg, "cannot create a temporary file") != NULL);

	/* The plan says so once every record is added, and keeps only those before. */
	struct header *h = header_new();
	header_add(h, "a");
	struct plan *p = plan_new(h);
	plan_spool_after(p, 0);
	CHECK_INT(plan_add(p, &r, "old", NULL), 0);
	CHECK_INT(plan_add(p, &r, "old", NULL), -1);
	CHECK_INT(plan_count(p), 1);
	err = (struct cs_error){0};
	CHECK_INT(plan_end_input(p, &err), -1);
	CHECK(strstr(err.msg, "cannot create a temporary file for the removed records") != NULL);
	plan_free(p);
	header_free(h);
	if (saved)
		setenv("TMPDIR", saved, 1);
	else
		unsetenv("TMPDIR");
	free(saved);
	spool_free(s);
	record_free(&r);
	buf_free(&scratch);
}

/* A file that cannot grow (a full disk, here RLIMIT_FSIZE): the write fails. */
static void
test_write_fails(void)
{
	struct rlimit old, small;
	if (getrlimit(RLIMIT_FSIZE, &old) != 0)
		return;
	small = old;
	small.rlim_cur = 4096;
	void (*was)(int) = signal(SIGXFSZ, SIG_IGN);
	CHECK_INT(setrlimit(RLIMIT_FSIZE, &small), 0);
	struct spool *s = spool_new(0, "the removed records");
	struct record r = {0};
	struct buf scratch = {0};
	struct cs_error err = {0};
	uint64_t at;
	int rc = 0;
	for (size_t i = 0; i < NRECS && rc == 0; i++) {
		make(&r, i, &scratch);
		rc = spool_put(s, &r, &at, &err);
	}
	setrlimit(RLIMIT_FSIZE, &old);
	signal(SIGXFSZ, was);
	CHECK_INT(rc, -1);
	CHECK(strstr(err.msg, "cannot write the removed records to their temporary file in ") ==
	      err.msg);
	CHECK(strstr(err.msg, ": File too large") != NULL);
	spool_free(s);
	record_free(&r);
	buf_free(&scratch);
}

/* The plan hands back each record with its reason and partner, spooled or not. */
static void
test_plan(size_t budget)
{
	struct header *h = header_new();
	header_add(h, "id");
	header_add(h, "owner");
	struct plan *p = plan_new(h);
	plan_spool_after(p, budget);
	static const char *const reasons[] = {"moved", "quiet", "asked"};
	struct partner partner = {.rule = {.name = "Harbour"}, .contact = "h@example.com"};
	struct record r = {0}, got = {0};
	char id[16];
	int added = 1;
	for (size_t i = 0; i < 1000; i++) {
		record_clear(&r);
		snprintf(id, sizeof id, "c%zu", i);
		record_push(&r, id, strlen(id));
		record_push(&r, i % 4 ? " ana " : "", i % 4 ? 5 : 0);
		r.row = (long)i + 2;
		added &= plan_add(p, &r, reasons[i % 3], i % 2 ? &partner : NULL) == 0;
	}
	CHECK(added);
	struct cs_error err = {0};
	CHECK_INT(plan_end_input(p, &err), 0);
	CHECK_INT(plan_count(p), 1000);
	int good = 1;
	for (size_t i = 0; i < 1000; i++) {
		const char *reason;
		const struct partner *who;
		snprintf(id, sizeof id, "c%zu", i);
		good &= plan_record(p, i, &got, &reason, &who, &err) == 0;
		good &= strcmp(record_get(&got, 0, NULL), id) == 0 && got.row == (long)i + 2;
		good &= strcmp(record_get(&got, 1, NULL), i % 4 ? " ana " : "") == 0;
		good &= reason == reasons[i % 3] && who == (i % 2 ? &partner : NULL);
	}
	CHECK(good);
	plan_free(p);
	header_free(h);
	record_free(&r);
	record_free(&got);
}

int
main(void)
{
	test_roundtrip();
	test_no_tmpdir();
	test_write_fails();
	test_plan(0);
	test_plan(SPOOL_BUDGET);
	return unit_report("plan_spool");
}
