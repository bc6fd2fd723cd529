/*
 * test_journal.c - unit tests for lib/journal.c: the SHA-256 it uses, the
 * chain its lines carry, commit and rollback, and what verify finds.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "journal.h"
#include "unit.h"

static char dir[200];

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	static char buf[1 << 16];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void
test_sha256(void)
{
	char hex[65];
	journal_sha256_hex("abc", 3, hex);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	journal_sha256_hex("", 0, hex);
	CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static struct journal *
open_budget(const char *path, size_t budget)
{
	char *argv[] = {"-i", "my book.csv"};
	struct journal_options o = {path, "cs-tier", 2, argv, "2026-11-26", NULL, budget};
	struct cs_error err;
	return journal_open(&o, &err);
}

static struct journal *
open_journal(const char *path)
{
	return open_budget(path, 0);
}

static void
test_commit_and_rollback(void)
{
	char path[256];
	snprintf(path, sizeof path, "%s/j.ndjson", dir);
	struct cs_error err;
	struct journal *j = open_journal(path);
	journal_file(j, "/books/book.csv");
	journal_cause(j, "rule 1: revenue >= 10000");
	journal_change(j, "c1", 2, "tier", "B", 1, "A", 1);
	CHECK_INT(journal_pending(j), 1);
	CHECK_INT(journal_commit(j, &err), 0);
	journal_landed(j);
	CHECK_INT(journal_pending(j), 0);
	struct stat st;
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
	const char *text = slurp(path);
	CHECK(text && strstr(text, "\"args\":\"-i 'my book.csv'\""));
	CHECK(text && strstr(text, "\"time\":\"2026-11-26T00:00:00Z\""));
	CHECK(text && strstr(text, "\"field\":\"tier\",\"old\":\"B\",\"new\":\"A\",\"at\":null"));
	size_t before = text ? strlen(text) : 0;

	/* A second run whose output did not land leaves the journal as it was. */
	journal_change(j, "c2", 2, "tier", "", 0, "C", 1);
	CHECK_INT(journal_commit(j, &err), 0);
	CHECK(stat(path, &st) == 0 && (size_t)st.st_size > before);
	CHECK_INT(journal_rollback(j, &err), 0);
	CHECK(stat(path, &st) == 0 && (size_t)st.st_size == before);

	/* Nothing waiting: nothing written. */
	CHECK_INT(journal_commit(j, &err), 0);
	journal_landed(j);
	CHECK(stat(path, &st) == 0 && (size_t)st.st_size == before);

	/* The next line chains to the last one, across runs. */
	journal_change(j, "c3", 2, "notes", "a\nb", 3, "", 0);
	CHECK_INT(journal_commit(j, &err), 0);
	journal_landed(j);
	journal_close(j);
	FILE *f = fopen(path, "rb");
	struct journal_check c;
	CHECK_INT(journal_verify(f, &c), 0);
	CHECK_INT(c.lines, 2);
	fclose(f);
	unlink(path);
}

/* n changes through a journal of the given budget, committed to path: its bytes. */
static char *
journal_of(const char *path, size_t budget, int n)
{
	struct cs_error err;
	struct journal *j = open_budget(path, budget);
	journal_file(j, "/books/book.csv");
	for (int i = 0; i < n; i++) {
		char id[16], cause[32];
		snprintf(id, sizeof id, "c%d", i);
		snprintf(cause, sizeof cause, "rule %d", i % 3);
		journal_cause(j, cause);
		journal_change(j, id, strlen(id), "tier", "B", 1, "A", 1);
	}
	CHECK_INT(journal_pending(j), n);
	CHECK_INT(journal_commit(j, &err), 0);
	journal_landed(j);
	journal_close(j);
	char *text = strdup(slurp(path));
	unlink(path);
	return text;
}

/*
 * Lines past the budget wait in a temporary file and are read back in
 * chunks at commit (a line may be cut by a chunk's end): the journal is
 * the bytes of one kept in memory.
 */
static void
test_spill(void)
{
	char path[256];
	snprintf(path, sizeof path, "%s/spill.ndjson", dir);
	char *memory = journal_of(path, 0, 100);
	char *spilled = journal_of(path, 1000, 100);
	char *tiny = journal_of(path, 1, 100);
	CHECK(memory && spilled && strcmp(memory, spilled) == 0);
	CHECK(memory && tiny && strcmp(memory, tiny) == 0);
	FILE *f = fmemopen(memory, strlen(memory), "r");
	struct journal_check c;
	CHECK_INT(journal_verify(f, &c), 0);
	CHECK_INT(c.lines, 100);
	fclose(f);
	free(memory);
	free(spilled);
	free(tiny);
}

/* A journal the commit created for lines then taken back is not left behind, empty. */
static void
test_rollback_new(void)
{
	char path[256];
	snprintf(path, sizeof path, "%s/new.ndjson", dir);
	struct cs_error err;
	struct journal *j = open_budget(path, 1);
	journal_change(j, "c1", 2, "tier", "B", 1, "A", 1);
	journal_change(j, "c2", 2, "tier", "B", 1, "A", 1);
	CHECK_INT(journal_commit(j, &err), 0);
	CHECK(access(path, F_OK) == 0);
	CHECK_INT(journal_rollback(j, &err), 0);
	CHECK(access(path, F_OK) != 0);
	CHECK_INT(journal_pending(j), 0);
	journal_close(j);
}

static void
test_verify(void)
{
	struct journal_check c;
	const char *empty = "";
	FILE *f = fmemopen((void *)empty, 0, "r");
	CHECK_INT(journal_verify(f, &c), 0);
	CHECK_INT(c.lines, 0);
	fclose(f);
	char bad[] = "{\"a\":1}\n";
	f = fmemopen(bad, strlen(bad), "r");
	CHECK_INT(journal_verify(f, &c), 1);
	CHECK_INT(c.broken, 1);
	fclose(f);
}

int
main(void)
{
	unit_tmp_template(dir, sizeof dir, "cs-test-journal");
	if (!mkdtemp(dir))
		return 1;
	test_sha256();
	test_commit_and_rollback();
	test_spill();
	test_rollback_new();
	test_verify();
	rmdir(dir);
	return unit_report("journal");
}
