/*
 * test_removal.c - cs-remove's transaction (lib/removal.h): a removal
 * archives the removed record and writes the kept ones; a book that cannot
 * be written takes the archive's new rows back (a new archive is removed);
 * an erasure's journal arguments hide the client's --where; and the
 * transition script greets a company's record by the company's name
 * (lib/plan.h), a person by first name as before.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model.h"
#include "plan.h"
#include "removal.h"
#include "unit.h"

static struct record
row(const char *const *v, size_t n)
{
	struct record r;
	record_init(&r);
	for (size_t i = 0; i < n; i++)
		record_push(&r, v[i], strlen(v[i]));
	return r;
}

/* The whole of the file at path as a new string ("" when it cannot be read). */
static char *
slurp(const char *path)
{
	struct buf b = {0};
	FILE *f = fopen(path, "r");
	int c;
	while (f && (c = getc(f)) != EOF)
		buf_putc(&b, (char)c);
	if (f)
		fclose(f);
	buf_reserve(&b, 0);
	b.data[b.len] = '\0';
	return b.data;
}

static void
count_report(void *ctx, const struct cs_error *e)
{
	(void)e;
	++*(int *)ctx;
}

/* Remove row 2 of a two-row book to out; returns removal_commit's result. */
static int
run(const char *book, struct file_output *out, const char *archive, int *reports)
{
	struct header *h = header_new();
	header_add(h, "id");
	header_add(h, "name");
	struct record kept = row((const char *[]){"1", "Ann Lee"}, 2);
	struct record gone = row((const char *[]){"2", "Bo Lind"}, 2);
	struct plan *p = plan_new(h);
	struct removal_options o = {
	    .today = {2026, 11, 26},
	    .book = book,
	    .archive = archive,
	    .report = count_report,
	    .report_ctx = reports,
	};
	struct removal *r = removal_new(&o, out);
	struct cs_error err = {0};
	int rc = removal_start(r, h, "book.csv", STREAM_CSV, &err);
	CHECK_INT(rc, 0);
	removal_record(r, &kept, NULL);
	plan_add(p, &gone, "moved away", NULL);
	removal_record(r, &gone, "moved away");
	CHECK_INT(removal_end_input(r, &err), 0);
	rc = removal_commit(r, p);
	removal_free(r);
	plan_free(p);
	record_free(&kept);
	record_free(&gone);
	header_free(h);
	return rc;
}

static void
test_commit(const char *dir)
{
	char book[512], archive[512];
	snprintf(book, sizeof book, "%s/kept.csv", dir);
	snprintf(archive, sizeof archive, "%s/archive.csv", dir);
	struct cs_error err = {0};
	int reports = 0;
	CHECK_INT(run(book, file_output_open(book, &err), archive, &reports), 0);
	CHECK_INT(reports, 0);
	char *text = slurp(book);
	CHECK_STR(text, "id,name\n1,Ann Lee\n");
	free(text);
	text = slurp(archive);
	CHECK_STR(text, "id,name,removed_on,reason,partner,retain_until\n"
	                "2,Bo Lind,2026-11-26,moved away,,\n");
	free(text);
}

/* /dev/full takes no byte: the book cannot land, so the new archive goes again. */
static void
test_rollback(const char *dir)
{
	char archive[512];
	snprintf(archive, sizeof archive, "%s/undone.csv", dir);
	struct cs_error err = {0};
	struct file_output *out = file_output_open("/dev/full", &err);
	CHECK(out != NULL);
	if (!out)
		return;
	int reports = 0;
	CHECK_INT(run("/dev/full", out, archive, &reports), -1);
	CHECK(reports >= 1);
	struct stat st;
	CHECK(stat(archive, &st) != 0);
}

static void
test_journal_args(void)
{
	char a0[] = "--erase", a1[] = "--where", a2[] = "id == 'c-1'", a3[] = "--where=id == 'c-2'";
	char *argv[] = {a0, a1, a2, a3, NULL};
	char *owned;
	char **v = removal_journal_args(a2, 4, argv, &owned);
	CHECK_STR(v[0], "--erase");
	CHECK_STR(v[2], "(erased)");
	CHECK_STR(v[3], "--where=id == 'c-2'");
	CHECK(owned == NULL && v[4] == NULL);
	free(v);
	v = removal_journal_args(a3 + 8, 4, argv, &owned);
	CHECK_STR(v[2], "id == 'c-1'");
	CHECK_STR(v[3], "--where=(erased)");
	CHECK(owned == v[3]);
	free(v);
	free(owned);
	v = removal_journal_args(NULL, 4, argv, &owned);
	CHECK(v[2] == a2 && v[3] == a3 && owned == NULL);
	free(v);
}

/* The script "{first_name}|{name}" filled for one record of id,name,first_name,last_name,company.
 */
static void
check_greeting(const struct plan_script *s, const char *const v[5], const char *want)
{
	struct record rec = row(v, 5);
	struct buf out = {0};
	plan_script_fill(s, &rec, NULL, false, &out);
	CHECK_STR(out.data, want);
	buf_free(&out);
	record_free(&rec);
}

static void
test_greeting(void)
{
	static const char text[] = "{\"name\": \"t\", \"tiers\": {\"A\": {\"label\": \"All\", "
	                           "\"touches\": [{\"touch\": \"call\", \"every\": \"yearly\"}]}}, "
	                           "\"tiering\": [{\"tier\": \"A\"}], "
	                           "\"transition\": {\"script\": \"{first_name}|{name}\"}}";
	struct cs_error err = {0};
	struct model *m = model_parse(text, sizeof text - 1, "test.json", &err);
	CHECK(m != NULL);
	if (!m) {
		fprintf(stderr, "%s\n", err.msg);
		return;
	}
	struct plan_script *s;
	struct header *h = header_new();
	for (const char *const *c =
	         (const char *[]){"id", "name", "first_name", "last_name", "company", NULL};
	     *c; c++)
		header_add(h, *c);
	CHECK_INT(plan_script_parse(m, &s, &err), 0);
	CHECK_INT(plan_script_bind(s, h, &err), 0);
	/* A person: first_name, else the first word of name, whatever the company. */
	check_greeting(s, (const char *[]){"1", "Ada Okafor", "Ada", "Okafor", "Harbour Ltd"},
	               "Ada|Ada Okafor");
	check_greeting(s, (const char *[]){"2", "Bo Lind", "", "", "Lind & Co"}, "Bo|Bo Lind");
	check_greeting(s, (const char *[]){"3", "", "Cy", "", "Harbour Ltd"}, "Cy|Cy");
	/* A company (cs-import's card: name is the company), the case of letters aside. */
	check_greeting(s,
	               (const char *[]){"4", "Harbour Trading Ltd", "", "", "Harbour Trading Ltd"},
	               "Harbour Trading Ltd|Harbour Trading Ltd");
	check_greeting(s, (const char *[]){"5", "HARBOUR LTD", "", "", " Harbour Ltd "},
	               "Harbour Ltd|HARBOUR LTD");
	check_greeting(s, (const char *[]){"6", "", "", "", "Quay Foods"}, "Quay Foods|Quay Foods");
	/* A last name makes it a person's record: no company greeting. */
	check_greeting(s, (const char *[]){"7", "Harbour Ltd", "", "Harbour", "Harbour Ltd"},
	               "Harbour|Harbour Ltd");
	check_greeting(s, (const char *[]){"8", "", "", "", ""}, "|");
	plan_script_free(s);
	header_free(h);
	model_free(m);
}

int
main(void)
{
	char dir[200];
	unit_tmp_template(dir, sizeof dir, "cs-test-removal");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_commit(dir);
	test_rollback(dir);
	test_journal_args();
	test_greeting();
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "test_removal: could not remove %s\n", dir);
	return unit_report("removal");
}
