/*
 * test_due_driver.c - the pieces of a cs-due run that are worth checking on
 * their own: the --memory sizes, the window of a --plan, and --client's
 * lookup (due_client.h) over more than one book.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "due_client.h"
#include "due_driver.h"
#include "model.h"
#include "unit.h"

static void
test_budget(void)
{
	size_t bytes = 7;
	CHECK_INT(due_budget_parse("256M", &bytes), 0);
	CHECK_INT(bytes, 256u << 20);
	CHECK_INT(due_budget_parse("65536K", &bytes), 0);
	CHECK_INT(bytes, 65536u << 10);
	CHECK_INT(due_budget_parse("1G", &bytes), 0);
	CHECK_INT(bytes, 1u << 30);
	CHECK_INT(due_budget_parse("12345", &bytes), 0);
	CHECK_INT(bytes, 12345);
	CHECK_INT(due_budget_parse("unlimited", &bytes), 0);
	CHECK_INT(bytes, 0);
	bytes = 7;
	const char *bad[] = {"",
	                     "0",
	                     "0M",
	                     "12X",
	                     "M",
	                     "-1M",
	                     "+1M",
	                     " 1M",
	                     "1MB",
	                     "1m",
	                     "99999999999999999999G",
	                     "unlimited "};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK_INT(due_budget_parse(bad[i], &bytes), -1);
		CHECK_INT(bytes, 7); /* unchanged */
	}
	/* The largest size that fits, and one past it. */
	char big[32];
	snprintf(big, sizeof big, "%zuG", SIZE_MAX >> 30);
	CHECK_INT(due_budget_parse(big, &bytes), 0);
	CHECK_INT(bytes, (SIZE_MAX >> 30) << 30);
	snprintf(big, sizeof big, "%zuG", (SIZE_MAX >> 30) + 1);
	CHECK_INT(due_budget_parse(big, &bytes), -1);
}

/* An ISO date. */
static struct date
iso(const char *s)
{
	struct date d = {0};
	char why[64];
	CHECK(date_parse(s, strlen(s), DATE_ORDER_YMD, 0, &d, why, sizeof why) == 0);
	return d;
}

static void
check_window(const char *today, int weeks, const char *want_end)
{
	struct date d = iso(today), end = iso(want_end);
	struct cadence_window w = due_plan_window(d, weeks);
	CHECK_INT(date_to_days(w.today), date_to_days(d));
	/* The window ends after the Sunday of the last week: end is the Monday after it. */
	CHECK_INT(w.end_days, date_to_days(end) + 1);
}

static void
test_plan_window(void)
{
	check_window("2026-11-26", 2, "2026-12-06"); /* a Thursday: this week and next */
	check_window("2026-11-23", 1, "2026-11-29"); /* a Monday: its own week */
	check_window("2026-11-29", 1, "2026-11-29"); /* a Sunday: today alone */
	check_window("2026-12-28", 2, "2027-01-10"); /* across a year */
	check_window("2028-02-28", 1, "2028-03-05"); /* across a leap day */
}

/* Run --client ref over books; the page (new) or NULL on error, with err. */
static char *
client_page(const char *ref, char **books, size_t n, const struct model *m, bool json,
            struct cs_error *err)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	struct date today = iso("2026-11-26");
	struct due_client_query q = {
	    .ref = ref, .books = books, .nbooks = n, .model = m, .today = today, .json = json};
	int rc = due_client_write(&q, out, err);
	fclose(out);
	if (rc < 0) {
		CHECK_INT(len, 0); /* nothing written on an error */
		free(text);
		return NULL;
	}
	return text;
}

static void
test_client(void)
{
	struct cs_error err;
	struct model *m = model_load_default(&err);
	CHECK(m != NULL);
	if (!m)
		return;
	char one[200], two[200];
	unit_tmp_template(one, sizeof one, "test_due_driver");
	unit_tmp_template(two, sizeof two, "test_due_driver");
	unit_write_temp(one, "id,name,tier,owner,email,last_contact\n"
	                     "c1,Ana Silva,A,ana,ana@example.com,2026-10-01\n"
	                     "c2,Ben Moss,B,ben,ben@example.com,2026-09-01\n");
	unit_write_temp(two, "id,name,tier,owner,email,last_contact\n"
	                     "c3,Ana Silva,C,ben,asilva@example.org,2025-11-28\n");
	char *books[] = {one, two};

	/* Found by id, then by email in any case, in the second book. */
	char *page = client_page("c2", books, 2, m, false, &err);
	CHECK(page && strstr(page, "Ben Moss"));
	free(page);
	page = client_page("ASILVA@example.org", books, 2, m, true, &err);
	CHECK(page && page[0] == '{' && strstr(page, "\"c3\""));
	free(page);

	/* A name in both books is not one client: "the books" names where. */
	CHECK(client_page("Ana Silva", books, 2, m, false, &err) == NULL);
	CHECK(err.file == NULL);
	CHECK(strstr(err.msg, "the books") != NULL);
	CHECK(strstr(err.msg, "c1") && strstr(err.msg, "c3"));

	/* In one book alone the same name is one client. */
	page = client_page("Ana Silva", books, 1, m, false, &err);
	CHECK(page && strstr(page, "ana@example.com"));
	free(page);

	/* No such client, in one book: the message names the book. */
	CHECK(client_page("Zed", books + 1, 1, m, false, &err) == NULL);
	CHECK(strstr(err.msg, two) != NULL);

	/* A book that cannot be read: its name in err.file, and no page. */
	char *missing[] = {"/nonexistent/book.csv", one};
	CHECK(client_page("c1", missing, 2, m, false, &err) == NULL);
	CHECK_STR(err.file, "/nonexistent/book.csv");

	unlink(one);
	unlink(two);
	model_free(m);
}

int
main(void)
{
	test_budget();
	test_plan_window();
	test_client();
	return unit_report("due_driver");
}
