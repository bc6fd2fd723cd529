/*
 * test_xlsx.c - unit tests for lib/xlsx.c: a workbook written and read back
 * through xlsx2csv (Debian's xlsx2csv, installed by .ci/run) keeps ids,
 * phones and postcodes as text, dates as dates and numbers as numbers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record.h"
#include "unit.h"
#include "xlsx.h"

static void
row(struct record *r, const char *const *v, size_t n)
{
	record_clear(r);
	for (size_t i = 0; i < n; i++)
		record_push(r, v[i], strlen(v[i]));
}

static void
test_round_trip(void)
{
	char path[200];
	unit_tmp_template(path, sizeof path, "cs-test-xlsx");
	int fd = mkstemp(path);
	FILE *out = fdopen(fd, "w+b");
	struct header *h = header_new();
	static const char *const cols[] = {"id", "phone", "postcode", "revenue", "birthday",
	                                   "coi", "Fee", "last_contact"};
	for (size_t i = 0; i < 8; i++)
		header_add(h, cols[i]);
	struct cs_error err;
	struct xlsx_writer *x = xlsx_open(out, h, NULL, "Book", &err);
	CHECK(x != NULL);
	struct record r = {0};
	static const char *const a[] = {"007", "+1 555 0100", "01234", "12500.5", "1980-03-15",
	                                "true", "0042", "not a date"};
	static const char *const b[] = {"1E5", "0044 20 7946", "", "twelve", "--03-15",
	                                "", "", "2026-11-26"};
	row(&r, a, 8);
	CHECK_INT(xlsx_put(x, &r, &err), 0);
	row(&r, b, 8);
	CHECK_INT(xlsx_put(x, &r, &err), 0);
	CHECK_INT(xlsx_close(x, path, &err), 0);
	fclose(out);
	record_free(&r);
	header_free(h);

	char cmd[512];
	snprintf(cmd, sizeof cmd, "xlsx2csv -d , -f %%Y-%%m-%%d %s", path);
	FILE *p = popen(cmd, "r");
	char got[1024] = "";
	size_t n = p ? fread(got, 1, sizeof got - 1, p) : 0;
	got[n] = '\0';
	int st = p ? pclose(p) : -1;
	CHECK_INT(st, 0);
	CHECK_STR(got, "id,phone,postcode,revenue,birthday,coi,Fee,last_contact\n"
	               "007,+1 555 0100,01234,12500.5,1980-03-15,true,0042,not a date\n"
	               "1E5,0044 20 7946,,twelve,--03-15,,,2026-11-26\n");
	unlink(path);
}

int
main(void)
{
	test_round_trip();
	return unit_report("xlsx");
}
