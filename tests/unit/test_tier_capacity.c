/*
 * test_tier_capacity.c - cs-tier --check-model --book's count of a book
 * (tier_capacity.h): when the book is tiered in memory, what a record that
 * cannot be tiered does, and a book that cannot be read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"
#include "tier_capacity.h"
#include "unit.h"

/* Counts the records that could not be tiered. */
static void
count_untiered(void *ctx, const struct cs_error *e)
{
	(void)e;
	++*(int *)ctx;
}

/* Run the check on book; what it wrote (new), its return in *rc, untiered records in *bad. */
static char *
run(struct model *m, const char *book, bool retier, int *rc, int *bad, struct cs_error *err)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	struct tier_capacity_options o = {
	    .book = book,
	    .retier = retier,
	    .width = 80,
	    .today = date_from_days(20598), /* 2026-05-25 */
	    .untiered = count_untiered,
	    .untiered_ctx = bad,
	};
	*bad = 0;
	*rc = tier_capacity_write(m, &o, out, err);
	fclose(out);
	return text;
}

int
main(void)
{
	struct cs_error err;
	struct model *m = model_load_default(&err);
	CHECK(m != NULL);
	if (!m)
		return unit_report("tier_capacity");
	char untiered[200], tiered[200];
	unit_tmp_template(untiered, sizeof untiered, "test_tier_capacity");
	unit_tmp_template(tiered, sizeof tiered, "test_tier_capacity");
	unit_write_temp(untiered, "id,name,owner,revenue,referrals,coi\n"
	                          "c1,Ana,ana,20000,0,false\n"
	                          "c2,Ben,ana,100,0,false\n");
	unit_write_temp(tiered, "id,name,owner,tier\n"
	                        "c1,Ana,ana,A\n"
	                        "c2,Ben,ana,Z\n"
	                        "c3,Cy,ben,B\n");
	int rc, bad;

	/* No tier column: tiered by the model's rules, and said so. */
	char *text = run(m, untiered, false, &rc, &bad, &err);
	CHECK_INT(rc, 0);
	CHECK_INT(bad, 0);
	CHECK(text && strncmp(text, "\nbook: ", 7) == 0);
	CHECK(text && strstr(text, ": 2 records, tiered by the model's rules\n"));
	free(text);

	/* A tier column is counted as it is: the unknown Z is no error. */
	text = run(m, tiered, false, &rc, &bad, &err);
	CHECK_INT(rc, 0);
	CHECK_INT(bad, 0);
	CHECK(text && strstr(text, ": 3 records\n"));
	free(text);

	/* Trying rules (--rule) re-tiers it: Z cannot be tiered, and is said, not dropped. */
	text = run(m, tiered, true, &rc, &bad, &err);
	CHECK_INT(rc, TIER_CAPACITY_UNTIERED);
	CHECK_INT(bad, 1);
	CHECK(text && strstr(text, ": 3 records, tiered by the model's rules\n"));
	free(text);

	/* A book that cannot be read: nothing written. */
	text = run(m, "/nonexistent/book.csv", false, &rc, &bad, &err);
	CHECK_INT(rc, TIER_CAPACITY_DATA);
	CHECK_STR(err.file, "/nonexistent/book.csv");
	CHECK(text && *text == '\0');
	free(text);

	unlink(untiered);
	unlink(tiered);
	model_free(m);
	return unit_report("tier_capacity");
}
