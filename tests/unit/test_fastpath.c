/*
 * test_fastpath.c - the readers' fast paths against their parsers of
 * record: lib/csvio.c's own row splitter against libcsv
 * (csv_reader_libcsv_only), lib/jsonio.c's flat reader against jansson
 * (json_reader_jansson_only).  Each input is read both ways into one line
 * of text (fields joined by |, records by /, then the error if any), which
 * must be the same; a few are also checked against the text they must give.
 * tests/fuzz/fuzz_csv_fast.c and fuzz_ndjson_fast.c do the same on any bytes.
 */
#include <stdlib.h>
#include <unistd.h>

#include "csvio.h"
#include "jsonio.h"
#include "unit.h"

static char path[256];

static void
put_file(const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		exit(2);
	}
}

/* The records of path as text, read the fast way or the reference way. */
static void
read_csv(struct buf *out, int delimiter, bool reference)
{
	struct cs_error err = {0};
	struct input *in = input_open(path, NULL, &err);
	struct csv_reader *r = csv_reader_new(in, delimiter);
	if (reference)
		csv_reader_libcsv_only(r);
	struct record rec = {0};
	int got;
	while ((got = csv_reader_next(r, &rec, &err)) == 1) {
		buf_printf(out, "%ld:", rec.row);
		for (size_t i = 0; i < rec.n; i++)
			buf_printf(out, "%s%s", i ? "|" : "", record_get(&rec, i, NULL));
		buf_putc(out, '/');
	}
	if (got < 0)
		buf_printf(out, "error %ld: %.*s", err.row,
		           (int)(strstr(err.msg, " (near") ? strstr(err.msg, " (near") - err.msg
		                                           : (long)strlen(err.msg)),
		           err.msg);
	record_free(&rec);
	csv_reader_free(r);
	input_close(in);
}

static void
read_json(struct buf *out, bool reference)
{
	struct cs_error err = {0};
	struct input *in = input_open(path, NULL, &err);
	struct json_reader *r = json_reader_new(in);
	if (reference)
		json_reader_jansson_only(r);
	struct header *h = header_new();
	struct record rec = {0};
	int got;
	for (bool first = true; (got = json_reader_next(r, h, first, &rec, &err)) == 1;
	     first = false) {
		buf_printf(out, "%ld:", rec.row);
		for (size_t i = 0; i < rec.n; i++)
			buf_printf(out, "%s%s", i ? "|" : "", record_get(&rec, i, NULL));
		buf_putc(out, '/');
	}
	if (got < 0)
		buf_printf(out, "error %ld: %s", err.row, err.msg);
	record_free(&rec);
	header_free(h);
	json_reader_free(r);
	input_close(in);
}

/* Read data both ways; returns the fast way's text (static) for more checks. */
static const char *
same_csv(const char *data, size_t len, int delimiter)
{
	static struct buf fast;
	struct buf ref = {0};
	buf_reset(&fast);
	put_file(data, len);
	read_csv(&fast, delimiter, false);
	read_csv(&ref, delimiter, true);
	CHECK_STR(buf_str(&fast), buf_str(&ref));
	buf_free(&ref);
	return buf_str(&fast);
}

static const char *
same_json(const char *data)
{
	static struct buf fast;
	struct buf ref = {0};
	buf_reset(&fast);
	put_file(data, strlen(data));
	read_json(&fast, false);
	read_json(&ref, true);
	CHECK_STR(buf_str(&fast), buf_str(&ref));
	buf_free(&ref);
	return buf_str(&fast);
}

static void
test_csv_shapes(void)
{
	static const char *const inputs[] = {
	    "a,b,c\n1,2,3\n",
	    "a,b\r\n1,2\r\n\r\n\n3,4",
	    "a,\"b, c\",d\n\"\",x,\"multi\nline\"\n",
	    "a,\"say \"\"hi\"\"\",b\nc,d\n",
	    "x,37\xc2\xb0\x33\x36'37.8\"N,y\nz,w\n",
	    "a,\"b\" ,c\nd,e\n",
	    "a,\"b\"c\nd\n",
	    "a,b\rc,d\re,f\n",
	    "a,b\n1,\"unclosed\n",
	    "a,b\n1,\xff\n2,3\n",
	    "a,b\n1,x\0y\n",
	    ",,\n,\n\"\"\n",
	};
	for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
		size_t len = strlen(inputs[i]);
		if (i == sizeof inputs / sizeof *inputs - 2)
			len = strlen("a,b\n1,x") + 3; /* the NUL and what follows it */
		static const int delimiters[] = {',', ';', '\t'};
		for (size_t d = 0; d < 3; d++)
			same_csv(inputs[i], len, delimiters[d]);
	}
	CHECK_STR(same_csv(inputs[2], strlen(inputs[2]), ','), "1:a|b, c|d/2:|x|multi\nline/");
	CHECK_STR(same_csv(inputs[1], strlen(inputs[1]), ','), "1:a|b/2:1|2/3:3|4/");
	CHECK_STR(same_csv(inputs[6], strlen(inputs[6]), ','),
	          "error 1: text after a closing quote");
}

/* Rows cut by the end of a read (256 KiB): held back and read whole. */
static void
test_csv_chunks(void)
{
	struct buf big = {0};
	buf_puts(&big, "id,name,note\n");
	for (int i = 0; big.len < 3 * INPUT_CHUNK; i++)
		buf_printf(&big, "c%d,\"Last, First %d\",%s\r\n", i, i,
		           i % 5 ? "Z\xc3\xbcrich" : "\"two\nlines \"\"quoted\"\"\"");
	const char *text = same_csv(big.data, big.len, ',');
	CHECK(strstr(text, "|Last, First 5|two\nlines \"quoted\"/") != NULL);
	buf_free(&big);
}

static void
test_json_shapes(void)
{
	same_json("{\"a\":\"x\",\"b\":1,\"c\":1.50,\"d\":true,\"e\":null}\n"
	          "{\"e\":\"z\",\"d\":false,\"c\":-2.5e3,\"b\":-0,\"a\":\"y\"}\n"
	          "{ \"a\" : \"s p\" , \"b\" : 123456789012345678901 }\r\n"
	          "\n{\"a\":\"esc\\\"aped\\u00e9\"}\n{\"a\":{\"n\":[1]}}\n{}\n");
	same_json("{\"a\":1}\n{\"a\":1,\"a\":2}\n");
	same_json("{\"a\":1}\n{\"b\":1}\n");
	same_json("{\"a\":1}\n{\"a\":1e400}\n");
	same_json("{\"a\":1}\n{\"a\":01}\n");
	same_json("{\"a\":1}\n{\"a\":\"\xff\"}\n");
	same_json("{\"\":1,\"column_1\":2}\n{\"column_1\":3,\"\":4}\n{\"column_1_2\":5}\n");
	CHECK_STR(
	    same_json("{\"a\":\"x\",\"b\":1,\"c\":1.50}\n{\"c\":0.0000001,\"b\":-7,\"a\":\"\"}\n"),
	    "1:x|1|1.5/2:|-7|0.0000001/");
}

/* Escaped strings, which the flat reader decodes itself, and the escapes it leaves to jansson. */
static void
test_json_escapes(void)
{
	CHECK_STR(
	    same_json(
	        "{\"a\":\"x\",\"b\":\"y\"}\n"
	        "{\"a\":\"two\\nlines \\\"q\\\" \\\\ \\/ \\b\\f\\r\\t\",\"b\":\"\\u00e9\\u20AC\"}\n"
	        "{\"a\":\"\\ud83d\\ude00 pair\",\"b\":\"Z\xc3\xbcrich \\u0001\"}\n"),
	    "1:x|y/2:two\nlines \"q\" \\ / \b\f\r\t|\xc3\xa9\xe2\x82\xac/"
	    "3:\xf0\x9f\x98\x80 pair|Z\xc3\xbcrich \x01/");
	static const char *const refused[] = {
	    "\\u0000",        "\\ud83d",  "\\ude00",
	    "\\ud83d\\u0041", "\\ud83dx", "\\u12",
	    "\\u12g4",        "\\x",      "\\",
	    "\\\xc3\xa9",     "\xc3",     "\xed\xa0\x80",
	    "\x01",           "\xc0\xaf", "\xf4\x90\x80\x80",
	};
	for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
		struct buf in = {0};
		buf_printf(&in, "{\"a\":1,\"b\":2}\n{\"a\":\"ok\",\"b\":\"%s\"}\n{\"b\":\"%s\"}\n",
		           refused[i], refused[i]);
		same_json(buf_str(&in));
		buf_free(&in);
	}
	/* A key escaped, out of order, with a control character in its name. */
	same_json("{\"a\\u0001\":1,\"b\":2}\n{\"a\\u0001\":3,\"b\":4}\n{\"a\x01\":3,\"b\":4}\n");
	same_json("{\"a\":1,\"b\":2}\n{\"\\u0061\":3,\"b\":4}\n{\"b\":5,\"a\":6}\n");
	/* Keys of every length up to 17, the last byte of one wrong, then the first. */
	struct buf keys = {0};
	for (int line = 0; line < 4; line++) {
		for (int n = 1; n <= 17; n++) {
			buf_puts(&keys, n == 1 ? "{\"" : ",\"");
			for (int k = 0; k < n; k++)
				buf_putc(&keys, line == 2 && n == 9 && k == 8    ? 'X'
				                : line == 3 && n == 13 && k == 0 ? 'Y'
				                                                 : (char)('a' + k));
			buf_printf(&keys, "\":%d", n);
		}
		buf_puts(&keys, "}\n");
	}
	same_json(buf_str(&keys));
	buf_reset(&keys);
	buf_puts(&keys, "{\"abcdefgh\":1}\n{\"abcdefgh\":2}\n{\"abcdefg\":3}\n");
	same_json(buf_str(&keys));
	buf_free(&keys);
	/* Strings of every length: the quote, escapes and accents at every place in a word. */
	struct buf in = {0};
	buf_puts(&in, "{\"a\":\"\"}\n");
	for (int n = 0; n < 40; n++) {
		buf_puts(&in, "{\"a\":\"");
		for (int k = 0; k < n; k++)
			buf_puts(&in, k % 11 == 10 ? "\\n" : k % 13 == 12 ? "\xc3\xa9" : "x");
		buf_puts(&in, "\"}\n");
	}
	same_json(buf_str(&in));
	buf_free(&in);
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(path, sizeof path, "%s/test_fastpath.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0) {
		perror(path);
		return 2;
	}
	close(fd);
	test_csv_shapes();
	test_csv_chunks();
	test_json_shapes();
	test_json_escapes();
	unlink(path);
	return unit_report("fastpath");
}
