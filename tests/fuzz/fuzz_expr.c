/*
 * fuzz_expr.c - the expression language (lib/expr.c): parse, bind,
 * evaluate.
 *
 * The input's first line is the expression; each following line is the
 * value of the next column of a small book (canonical fields of every
 * type, a bracketed name, a non-ASCII one), missing ones empty.  A parse
 * must succeed or fail with a message and a column inside the text (or one
 * past its end); a bound expression is evaluated with and without a today,
 * and what it gives must be a well-formed value (a string's bytes readable,
 * a date valid).  Binding against an empty header must fail cleanly or
 * succeed for canonical names only.
 */
#include "fuzz.h"

#include "expr.h"

static const char *const columns[] = {
    "id",          "name",  "kind",  "tier",  "revenue",      "referrals",
    "coi",         "hours", "owner", "since", "last_contact", "birthday",
    "Annual Fees", "notes", "Start", "VIP",   "Café",
};
enum { NCOLUMNS = sizeof columns / sizeof *columns };

static size_t
chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static void
check_value(struct value v)
{
	switch (v.type) {
	case VAL_STRING: {
		/* Touch every byte: a dangling pointer shows under ASan. */
		volatile unsigned sum = 0;
		for (size_t i = 0; i < v.u.str.len; i++)
			sum += (unsigned char)v.u.str.ptr[i];
		(void)sum;
		break;
	}
	case VAL_DATE:
		FUZZ_CHECK(date_valid(v.u.date.year, v.u.date.month, v.u.date.day),
		           "an invalid date %d-%d-%d", v.u.date.year, v.u.date.month, v.u.date.day);
		break;
	case VAL_NULL:
	case VAL_NUMBER:
	case VAL_DURATION:
	case VAL_BOOL:
		break;
	}
}

static void
evaluate(struct expr *e, const struct record *rec)
{
	const struct expr_env envs[] = {
	    {.today = {2026, 11, 26}},
	    {.today = {2024, 2, 29}},
	    {.today = {0, 0, 0}},
	};
	for (size_t i = 0; i < sizeof envs / sizeof *envs; i++) {
		check_value(expr_eval(e, rec, &envs[i]));
		(void)expr_test(e, rec, &envs[i]);
	}
	check_value(expr_eval(e, rec, NULL));
	(void)expr_test(e, rec, NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	char *nl = strchr(text, '\n');
	char *values = NULL;
	if (nl) {
		*nl = '\0';
		values = nl + 1;
	}

	struct cs_error err = {0};
	struct expr *e = expr_parse(text, &err);
	if (!e) {
		FUZZ_CHECK(err.msg[0] != '\0', "a parse error without a message");
		FUZZ_CHECK(err.col >= 1 && (size_t)err.col <= chars(text) + 1,
		           "parse error at column %d of a %zu-character text: %s", err.col,
		           chars(text), err.msg);
		free(text);
		return 0;
	}
	FUZZ_CHECK(strcmp(expr_source(e), text) == 0, "expr_source changed the text");
	const char *const *names;
	size_t nnames = expr_fields(e, &names);
	for (size_t i = 0; i < nnames; i++)
		FUZZ_CHECK(names[i] != NULL, "field name %zu is NULL", i);

	struct header *h = header_new();
	for (size_t i = 0; i < NCOLUMNS; i++)
		header_add(h, columns[i]);
	struct record rec = {0};
	for (size_t i = 0; i < NCOLUMNS && values; i++) {
		char *end = strchr(values, '\n');
		size_t len = end ? (size_t)(end - values) : strlen(values);
		record_push(&rec, values, len);
		values = end ? end + 1 : NULL;
	}

	/* Unbound, every field reads as null. */
	evaluate(e, &rec);
	struct header *empty = header_new();
	if (expr_bind(e, empty, &err) == 0) {
		struct record none = {0};
		evaluate(e, &none);
		record_free(&none);
	} else {
		FUZZ_CHECK(err.msg[0] != '\0', "a bind error without a message");
	}
	if (expr_bind(e, h, &err) == 0) {
		evaluate(e, &rec);
		/* Again: scratch buffers reused from the first record. */
		record_set_str(&rec, 1, "Ana Smith");
		evaluate(e, &rec);
	} else {
		FUZZ_CHECK(err.msg[0] != '\0', "a bind error without a message");
	}

	header_free(empty);
	header_free(h);
	record_free(&rec);
	expr_free(e);
	free(text);
	return 0;
}
