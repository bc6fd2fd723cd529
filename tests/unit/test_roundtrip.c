/*
 * test_roundtrip.c - what one tool writes, the next reads back as the same
 * records: lib/writer.c and lib/csvio.c's quoting against lib/stream.c's
 * detection (NDJSON or CSV, the delimiter, a BOM, "sep=", a workbook).
 * The cases are the fuzzer's findings (tests/fuzz/regressions/).
 *
 * A book read back is shown as text: the header's names joined by '|',
 * then " / " and each record the same way; "!" and the message when it
 * does not read.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stream.h"
#include "unit.h"
#include "vcard.h"
#include "writer.h"

static char path[512];

/* Read bytes through stream_open as the tools do; the book as text. */
static const char *
read_back(const char *bytes, size_t len)
{
	static struct buf shown;
	buf_reset(&shown);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(bytes, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		exit(2);
	}
	struct cs_error err = {0};
	struct stream *s = stream_open(path, NULL, &err);
	if (!s) {
		buf_printf(&shown, "!%s", err.msg);
		return buf_str(&shown);
	}
	const struct header *h = stream_header(s);
	for (size_t i = 0; i < h->n; i++)
		buf_printf(&shown, "%s%s", i ? "|" : "", h->names[i]);
	struct record rec = {0};
	int got;
	while ((got = stream_next(s, &rec, &err)) == 1) {
		buf_puts(&shown, " /");
		for (size_t i = 0; i < rec.n; i++)
			buf_printf(&shown, "%s%s", i ? "|" : " ", record_get(&rec, i, NULL));
	}
	if (got < 0)
		buf_printf(&shown, " !%s", err.msg);
	record_free(&rec);
	stream_close(s);
	return buf_str(&shown);
}

/* Write a CSV book with names[0..n) and rows of n cells (NULL ends them). */
static const char *
write_csv(int delimiter, const char *const *names, size_t n, const char *const *cells)
{
	static struct buf out;
	buf_reset(&out);
	struct header *h = header_new();
	for (size_t i = 0; i < n; i++)
		header_add(h, names[i]);
	struct writer_options o = {.delimiter = delimiter, .to = &out};
	struct writer *w = writer_open(NULL, h, &o);
	for (; cells && *cells; cells += n)
		writer_put_strings(w, cells, n);
	struct cs_error err;
	CHECK(writer_close(w, NULL, &err) == 0);
	header_free(h);
	return buf_str(&out);
}

/* The header's delimiter only is counted by detection: the others are quoted. */
static void
test_header_delimiters(void)
{
	const char *names[] = {"id", "name;first", "a|b", "tab\there"};
	const char *rows[] = {"1", "Ana", "x", "y", NULL};
	const char *csv = write_csv(',', names, 4, rows);
	CHECK_STR(csv, "id,\"name;first\",\"a|b\",\"tab\there\"\n1,Ana,x,y\n");
	CHECK_STR(read_back(csv, strlen(csv)), "id|name;first|a|b|tab\there / 1|Ana|x|y");

	/* More ';' than ',' in the header: was read back as four columns. */
	const char *two[] = {"a;b;c", "d"};
	const char *row2[] = {"1", "2", NULL};
	csv = write_csv(',', two, 2, row2);
	CHECK_STR(read_back(csv, strlen(csv)), "a;b;c|d / 1|2");

	/* A ';' book with one column: no ';' to detect, so ',' is read; quote it. */
	const char *one[] = {"name"};
	const char *row1[] = {"a,b", "c", NULL};
	csv = write_csv(';', one, 1, row1);
	CHECK_STR(csv, "name\n\"a,b\"\nc\n");
	CHECK_STR(read_back(csv, strlen(csv)), "name / a,b / c");
}

/* Excel's "sep=X" line, and lines that only look like it. */
static void
test_sep_line(void)
{
	const char semicolon[] = "sep=;\r\na;b\n1;2\n";
	CHECK_STR(read_back(semicolon, strlen(semicolon)), "a|b / 1|2");
	/* A quote, CR, LF or NUL separates nothing: the line is the header. */
	const char nul[] = "sep=\0\na\n";
	CHECK_STR(read_back(nul, sizeof nul - 1), "!field 1 holds a NUL byte");
	const char cr[] = "sep=\r\na,b\n";
	CHECK_STR(read_back(cr, strlen(cr)),
	          "sep= !2 fields but the header has 1 (use --lenient to drop the extra fields)");
	const char quote[] = "sep=\"\nx\n";
	CHECK_STR(read_back(quote, strlen(quote)), "sep=\" / x");
}

/* The delimiter is detected on the whole header row, past the first read. */
static void
test_long_header(void)
{
	size_t long_name = 300 * 1000; /* more than a read (lib/input.h's INPUT_CHUNK) */
	struct buf text = {0};
	for (size_t i = 0; i < long_name; i++)
		buf_putc(&text, 'a');
	buf_puts(&text, ";b\n1;2\n");
	const char *got = read_back(text.data, text.len);
	CHECK(strlen(got) == long_name + strlen("|b / 1|2"));
	CHECK_STR(got + long_name, "|b / 1|2");
	buf_free(&text);
}

/* A first column whose name the readers would take for something else. */
static void
test_header_starts(void)
{
	static const char *const firsts[] = {
	    "{x",               /* NDJSON */
	    "  {x",             /* NDJSON after blanks */
	    "  ",               /* blanks only: "the file is empty" */
	    "PK\3\4",           /* a workbook (an old .xls starts with bytes that are not UTF-8) */
	    "\xef\xbb\xbfname", /* a second BOM: the first is stripped */
	    "sep=;",            /* Excel's separator line */
	    "sep=",
	};
	for (size_t i = 0; i < sizeof firsts / sizeof *firsts; i++) {
		const char *names[] = {firsts[i]};
		const char *csv = write_csv(',', names, 1, NULL);
		CHECK(csv[0] == '"');
		CHECK_STR(read_back(csv, strlen(csv)), firsts[i]);
		const char *two[] = {firsts[i], "b"};
		const char *row[] = {"1", "2", NULL};
		csv = write_csv(',', two, 2, row);
		struct buf want = {0};
		buf_printf(&want, "%s|b / 1|2", firsts[i]);
		CHECK_STR(read_back(csv, strlen(csv)), want.data);
		buf_free(&want);
	}
	/* cs-import reads a file that starts with BEGIN:VCARD as vCard. */
	const char *names[] = {"BEGIN:VCARD"};
	const char *csv = write_csv(',', names, 1, NULL);
	CHECK(!vcard_detect(csv, strlen(csv)));
	/* Names that need none keep none. */
	const char *plain[] = {"id", " name", "{x}"};
	CHECK_STR(write_csv(',', plain, 3, NULL), "id, name,{x}\n");

	/* A file with two BOMs keeps the second in its first name, and so does its copy. */
	const char doubled[] = "\xef\xbb\xbf\xef\xbb\xbfname\nAna\n";
	CHECK_STR(read_back(doubled, strlen(doubled)), "\xef\xbb\xbfname / Ana");
}

/* NDJSON's key "" is column_N, as in CSV, so the columns survive a trip through CSV. */
static void
test_ndjson_empty_key(void)
{
	const char ndjson[] = "{\"\":1,\"a\":2}\n{\"\":3}\n";
	CHECK_STR(read_back(ndjson, strlen(ndjson)), "column_1|a / 1|2 / 3|");
	const char *names[] = {"column_1", "a"};
	const char *rows[] = {"1", "2", "3", "", NULL};
	const char *csv = write_csv(',', names, 2, rows);
	CHECK_STR(read_back(csv, strlen(csv)), "column_1|a / 1|2 / 3|");

	/* Unique against the object's own keys. */
	const char taken[] = "{\"\":1,\"column_1\":2}\n";
	CHECK_STR(read_back(taken, strlen(taken)), "column_1_2|column_1 / 1|2");
	/* No keys, no columns: CSV could not write the book (it read as an empty file). */
	const char none[] = "\n\t{}\t\n{}\n";
	CHECK_STR(read_back(none, strlen(none)),
	          "!the first object has no keys (its keys are the book's columns)");
	/* The name given to "" is not a key a later record may use. */
	const char later[] = "{\"\":1}\n{\"column_1\":2}\n";
	CHECK_STR(read_back(later, strlen(later)),
	          "column_1 / 1 !key \"column_1\" is not in the first record (every line must "
	          "have the same keys)");
}

/* A number the NDJSON writer writes bare reads back with its digits. */
static void
test_ndjson_numbers(void)
{
	struct header *h = header_new();
	header_add(h, "revenue");
	header_add(h, "hours");
	struct buf out = {0};
	struct writer_options o = {.format = STREAM_NDJSON, .to = &out};
	struct writer *w = writer_open(NULL, h, &o);
	static const char *const rows[][2] = {
	    {"0.000000000000001", "-0.0000001"}, /* read back as 1e-15 and -1e-07 */
	    {"0.0000012345", "123456789012345"},
	    {"1e-20", "0.5"}, /* not canonical: written as a string */
	};
	for (size_t i = 0; i < 3; i++)
		writer_put_strings(w, rows[i], 2);
	struct cs_error err;
	CHECK(writer_close(w, NULL, &err) == 0);
	CHECK_STR(out.data, "{\"revenue\":0.000000000000001,\"hours\":-0.0000001}\n"
	                    "{\"revenue\":0.0000012345,\"hours\":123456789012345}\n"
	                    "{\"revenue\":\"1e-20\",\"hours\":0.5}\n");
	CHECK_STR(read_back(out.data, out.len),
	          "revenue|hours / 0.000000000000001|-0.0000001 / 0.0000012345|123456789012345 / "
	          "1e-20|0.5");
	/* Other reals keep their shortest form. */
	const char other[] = "{\"x\":1e-20,\"y\":1.5e300,\"z\":1.25e-7}\n";
	CHECK_STR(read_back(other, strlen(other)), "x|y|z / 1e-20|1.5e+300|0.000000125");
	buf_free(&out);
	header_free(h);
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(path, sizeof path, "%s/test_roundtrip.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0) {
		perror(path);
		return 2;
	}
	close(fd);
	test_header_delimiters();
	test_header_starts();
	test_long_header();
	test_sep_line();
	test_ndjson_empty_key();
	test_ndjson_numbers();
	unlink(path);
	return unit_report("roundtrip");
}
