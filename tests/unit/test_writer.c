/*
 * test_writer.c - unit tests for lib/writer.c: the --excel-safe rule
 * (writer_excel_formula) and what a CSV writer with excel_safe writes, with
 * and without it, header included.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "unit.h"
#include "writer.h"

static bool
formula(const char *s)
{
	return writer_excel_formula(s, strlen(s));
}

static void
test_rule(void)
{
	/* What a spreadsheet would run. */
	static const char *const run[] = {
	    "=HYPERLINK(\"http://x\",\"y\")", "=1+2", "@SUM(A1:A2)", "-2+3", "+2-3",
	    "\tfoo", "\rfoo", "-", "+", "=", "-cmd|' /C calc'!A0", "+A1", "-12.", "+44x",
	    "+12 34", "-1 234 567 89", "+(1) 2", "-.5", "--5",
	};
	for (size_t i = 0; i < sizeof run / sizeof *run; i++) {
		if (!formula(run[i]))
			fprintf(stderr, "not taken for a formula: \"%s\"\n", run[i]);
		CHECK(formula(run[i]));
	}
	/* Plainly numbers, phone numbers, and anything not starting with a formula byte. */
	static const char *const keep[] = {
	    "-5", "-12.5", "-12.50", "+44", "+5", "-0", "+44 20 7946 0000", "+1 (555) 010-0100",
	    "+33.1.23.45.67.89", "007", "1E5", "a=b", "", "Ann", " =x", "12-3",
	};
	for (size_t i = 0; i < sizeof keep / sizeof *keep; i++) {
		if (formula(keep[i]))
			fprintf(stderr, "taken for a formula: \"%s\"\n", keep[i]);
		CHECK(!formula(keep[i]));
	}
	/* The length is the value's, not the string's. */
	CHECK(!writer_excel_formula("-5+1", 2));
	CHECK(writer_excel_formula("=", 1));
	CHECK(!writer_excel_formula("=", 0));
}

/* Write one header and rows through a CSV writer into a buffer. */
static void
write_csv(bool excel_safe, const char *const *names, size_t ncols, const char *const *cells,
          size_t nrows, struct buf *out)
{
	struct header *h = header_new();
	for (size_t i = 0; i < ncols; i++)
		header_add(h, names[i]);
	struct writer_options wo = {.to = out, .excel_safe = excel_safe};
	struct writer *w = writer_open(NULL, h, &wo);
	struct record r = {0};
	for (size_t row = 0; row < nrows; row++) {
		record_clear(&r);
		for (size_t c = 0; c < ncols; c++)
			record_push(&r, cells[row * ncols + c], strlen(cells[row * ncols + c]));
		if (row % 2)
			writer_put_strings(w, cells + row * ncols, ncols);
		else
			writer_put(w, &r);
	}
	struct cs_error err;
	CHECK_INT(writer_close(w, NULL, &err), 0);
	record_free(&r);
	header_free(h);
}

static void
test_csv(void)
{
	static const char *const names[] = {"id", "phone", "notes", "=bad"};
	static const char *const cells[] = {
	    "007", "+44 20 7946 0000", "=HYPERLINK(\"x\")", "-5",
	    "1E5", "+2-3",             "@SUM(A1), b",       "\tx",
	    "008", "",                 "-2+3",              "",
	};
	struct buf out = {0};
	write_csv(true, names, 4, cells, 3, &out);
	CHECK_STR(out.data, "id,phone,notes,'=bad\n"
	                    "007,+44 20 7946 0000,\"'=HYPERLINK(\"\"x\"\")\",-5\n"
	                    "1E5,'+2-3,\"'@SUM(A1), b\",'\tx\n"
	                    "008,,'-2+3,\n");
	buf_reset(&out);
	write_csv(false, names, 4, cells, 3, &out);
	CHECK_STR(out.data, "id,phone,notes,=bad\n"
	                    "007,+44 20 7946 0000,\"=HYPERLINK(\"\"x\"\")\",-5\n"
	                    "1E5,+2-3,\"@SUM(A1), b\",\tx\n"
	                    "008,,-2+3,\n");
	buf_free(&out);
}

/* NDJSON is not affected: its readers never run a value. */
static void
test_ndjson(void)
{
	struct header *h = header_new();
	header_add(h, "notes");
	struct buf out = {0};
	struct writer_options wo = {.to = &out, .excel_safe = true, .format = STREAM_NDJSON};
	struct writer *w = writer_open(NULL, h, &wo);
	const char *v = "=1+2";
	writer_put_strings(w, &v, 1);
	struct cs_error err;
	CHECK_INT(writer_close(w, NULL, &err), 0);
	CHECK_STR(out.data, "{\"notes\":\"=1+2\"}\n");
	buf_free(&out);
	header_free(h);
}

int
main(void)
{
	test_rule();
	test_csv();
	test_ndjson();
	return unit_report("writer");
}
