/*
 * test_vcard_property.c - unit tests for lib/vcard_property.c through its
 * private header: a property's parameters (vCard 2.1 bare words, TYPE lists
 * quoted or not, PREF ranks, ENCODING, CHARSET, VALUE, X-APPLE-OMIT-YEAR),
 * dates as date_parse reads them, and values put on one line.  test_vcard.c
 * reads whole files through the public reader.
 */
#include <string.h>

#include "unit.h"
#include "vcard_int.h"

/* Parse the parameters in s; the TYPE words kept go to words. */
static struct params
params(const char *s, struct buf *words)
{
	struct params pr;
	vcard_parse_params(s, strlen(s), &pr, words);
	return pr;
}

static void
test_params(void)
{
	struct buf words = {0};
	struct params pr = params("TYPE=cell,voice;PREF=2", &words);
	CHECK_INT(pr.types, T_CELL);
	CHECK_INT(pr.pref, 2);
	CHECK_STR(buf_str(&words), "cell, voice");
	CHECK(!pr.qp && !pr.text && !pr.charset);

	pr = params("type=\"FAX,Work\"", &words);
	CHECK_INT(pr.types, T_FAX | T_WORK);
	CHECK_INT(pr.pref, 0);
	CHECK_STR(buf_str(&words), "fax, work");

	/* vCard 2.1: bare words, and PREF among them; they are not kept as words. */
	pr = params("CELL;PREF;ENCODING=QUOTED-PRINTABLE", &words);
	CHECK_INT(pr.types, T_CELL);
	CHECK_INT(pr.pref, 1);
	CHECK(pr.qp);
	CHECK_INT(words.len, 0);
	pr = params("HOME;QUOTED-PRINTABLE", &words);
	CHECK_INT(pr.types, T_HOME);
	CHECK(pr.qp);

	/* The best rank wins, whichever comes first; a long one saturates at 100. */
	CHECK_INT(params("TYPE=pref,home;PREF=3", &words).pref, 1);
	CHECK_INT(params("PREF=3;TYPE=pref", &words).pref, 1);
	CHECK_INT(params("PREF=12345", &words).pref, 100);
	CHECK_INT(params("PREF=0", &words).pref, 0);
	CHECK_STR(buf_str(&words), "");

	pr = params("CHARSET=Windows-1252;VALUE=text;X-APPLE-OMIT-YEAR=1604", &words);
	CHECK(pr.charset && pr.charset_len == 12 && memcmp(pr.charset, "Windows-1252", 12) == 0);
	CHECK(pr.text);
	CHECK_INT(pr.omit_year, 1604);
	CHECK(!params("VALUE=uri", &words).text);

	/* Every type bit, and words that choose nothing. */
	CHECK_INT(params("TYPE=iphone,mobile,main,pager,x-custom", &words).types,
	          T_CELL | T_MAIN | T_PAGER);
	CHECK_STR(buf_str(&words), "iphone, mobile, main, pager, x-custom");
	CHECK_INT(params("", &words).types, 0);
	buf_free(&words);
}

static void
test_words(void)
{
	CHECK(vcard_word_eq("TEL", 3, "tel"));
	CHECK(!vcard_word_eq("TEL", 2, "tel"));
	CHECK(!vcard_word_eq("TELX", 4, "tel"));
	CHECK_INT(vcard_type_bit("Mobile", 6), T_CELL);
	CHECK_INT(vcard_type_bit("voice", 5), 0);
}

/* vcard_put_date of s (omit_year as given), as a C string. */
static const char *
date(const char *s, int omit_year)
{
	static struct buf out;
	buf_reset(&out);
	vcard_put_date(s, strlen(s), omit_year, &out);
	return buf_str(&out);
}

static void
test_dates(void)
{
	CHECK_STR(date("19800515", 0), "1980-05-15");
	CHECK_STR(date("19800515T093000Z", 0), "1980-05-15");
	CHECK_STR(date("1980-05-15", 0), "1980-05-15");
	/* Apple's year-less birthdays: 1604, or the year X-APPLE-OMIT-YEAR names. */
	CHECK_STR(date("1604-05-15", 0), "--05-15");
	CHECK_STR(date("16040515", 0), "--05-15");
	CHECK_STR(date("2000-05-15", 2000), "--05-15");
	CHECK_STR(date("2001-05-15", 2000), "2001-05-15");
	/* Anything else as it is, for the importer to refuse or read. */
	CHECK_STR(date("--0515", 0), "--0515");
	CHECK_STR(date("1980051", 0), "1980051");
	CHECK_STR(date("May 15", 0), "May 15");
}

static const char *
one_line(const char *s)
{
	static struct buf out;
	buf_reset(&out);
	vcard_put_one_line(s, strlen(s), &out);
	return buf_str(&out);
}

static void
test_one_line(void)
{
	CHECK_STR(one_line("  12 Main St\r\nSpringfield  "), "12 Main St, Springfield");
	CHECK_STR(one_line("a  \n\n  b"), "a, b");
	CHECK_STR(one_line("a,\nb"), "a, b");
	CHECK_STR(one_line("\n\t\n"), "");
	CHECK_STR(one_line("one line"), "one line");
}

int
main(void)
{
	test_params();
	test_words();
	test_dates();
	test_one_line();
	return unit_report("vcard_property");
}
