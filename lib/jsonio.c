/*
 * jsonio.c - NDJSON reader (jansson, one line at a time) and string escaper.
 */
#include "jsonio.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

struct json_reader {
	struct input *in;
	long line;
	struct buf text; /* scratch for values that are not strings */
	long unnamed;    /* the column of the key "", or -1 */
};

struct json_reader *
json_reader_new(struct input *in)
{
	struct json_reader *r = xcalloc(1, sizeof *r);
	r->in = in;
	r->unnamed = -1;
	return r;
}

/*
 * The name of the column whose key is "": column_N as a CSV header names an
 * empty column, made unique against the header so far and the object's
 * keys, so that the book keeps its columns when written as CSV.
 */
static const char *
unnamed_column(struct json_reader *r, const struct header *h, json_t *obj)
{
	buf_reset(&r->text);
	buf_printf(&r->text, "column_%zu", h->n + 1);
	size_t base = r->text.len;
	for (int k = 2; header_find(h, r->text.data) >= 0 || json_object_get(obj, r->text.data);
	     k++) {
		r->text.len = base;
		buf_printf(&r->text, "_%d", k);
	}
	return r->text.data;
}

void
json_reader_free(struct json_reader *r)
{
	if (!r)
		return;
	buf_free(&r->text);
	free(r);
}

/*
 * Find the next non-blank line: *p and *len get it (without its line end);
 * the caller consumes *advance bytes once done with it.  Returns 1, 0 at the
 * end, -1 on a read error.
 */
static int
next_line(struct json_reader *r, const char **p, size_t *len, size_t *advance, struct cs_error *err)
{
	for (;;) {
		size_t n, scanned = 0;
		const char *s = input_peek(r->in, &n);
		const char *nl;
		while (!(nl = memchr(s + scanned, '\n', n - scanned)) && !input_eof(r->in)) {
			scanned = n;
			int got = input_fill(r->in, err);
			if (got < 0)
				return -1;
			s = input_peek(r->in, &n);
			if (got == 0)
				break;
		}
		if (n == 0)
			return 0;
		size_t end = nl ? (size_t)(nl - s) : n;
		r->line++;
		size_t i = 0;
		while (i < end && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
			i++;
		if (i == end) {
			input_consume(r->in, nl ? end + 1 : end);
			continue;
		}
		*p = s;
		*len = end;
		*advance = nl ? end + 1 : end;
		return 1;
	}
}

/*
 * A real as the CSV form holds it: format_double's shortest form, but in
 * plain digits below 1e-6, where that form has an exponent (1e-07 ->
 * 0.0000001), when 15 decimals or fewer say it: such a number is canonical,
 * so the writer wrote it bare, and it must read back with its digits.
 */
static void
put_real(struct buf *out, double d)
{
	char num[32];
	double mag = d < 0 ? -d : d;
	for (int decimals = 7; mag != 0 && mag < 1e-6 && decimals <= 15; decimals++) {
		snprintf(num, sizeof num, "%.*f", decimals, d);
		if (strtod(num, NULL) == d) {
			buf_puts(out, num);
			return;
		}
	}
	buf_puts(out, format_double(d, num));
}

/* The CSV text of a JSON value, borrowed from v or r->text. */
static const char *
value_text(struct json_reader *r, json_t *v, size_t *len)
{
	buf_reset(&r->text);
	switch (json_typeof(v)) {
	case JSON_STRING:
		*len = json_string_length(v);
		return json_string_value(v);
	case JSON_INTEGER:
		buf_printf(&r->text, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		put_real(&r->text, json_real_value(v));
		break;
	case JSON_TRUE:
		buf_puts(&r->text, "true");
		break;
	case JSON_FALSE:
		buf_puts(&r->text, "false");
		break;
	case JSON_NULL:
		break;
	case JSON_OBJECT:
	case JSON_ARRAY: {
		char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		if (s)
			buf_puts(&r->text, s);
		free(s);
		break;
	}
	}
	*len = r->text.len;
	return buf_str(&r->text);
}

int
json_reader_next(struct json_reader *r, struct header *h, bool define, struct record *rec,
                 struct cs_error *err)
{
	const char *line;
	size_t len, advance;
	int got = next_line(r, &line, &len, &advance, err);
	if (got <= 0)
		return got;
	const char *name = input_name(r->in);
	json_error_t jerr;
	json_t *obj = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	input_consume(r->in, advance);
	if (!obj)
		return cs_error_set(err, name, r->line, "not valid JSON at column %d: %s",
		                    jerr.column, jerr.text);
	if (!json_is_object(obj)) {
		json_decref(obj);
		return cs_error_set(err, name, r->line,
		                    "not a JSON object (NDJSON has one object per line)");
	}
	if (define && json_object_size(obj) == 0) {
		json_decref(obj);
		/* A book of no columns: CSV cannot even write its header. */
		return cs_error_set(err, name, r->line,
		                    "the first object has no keys (its keys are the book's columns)");
	}
	record_clear(rec);
	rec->row = r->line;
	const char *key;
	json_t *v;
	if (define) {
		json_object_foreach(obj, key, v)
		{
			if (*key == '\0') {
				r->unnamed = (long)h->n;
				header_add(h, unnamed_column(r, h, obj));
			} else {
				header_add(h, key);
			}
			const char *s = value_text(r, v, &len);
			record_push(rec, s, len);
		}
	} else {
		record_resize(rec, h->n);
		json_object_foreach(obj, key, v)
		{
			long i = *key ? header_find(h, key) : r->unnamed;
			if (*key && i >= 0 && i == r->unnamed)
				i = -1; /* the name given to "", not a key of the first record */
			if (i < 0) {
				cs_error_set(
				    err, name, r->line,
				    "key \"%s\" is not in the first record (every line must "
				    "have the same keys)",
				    key);
				json_decref(obj);
				return -1;
			}
			const char *s = value_text(r, v, &len);
			record_set(rec, (size_t)i, s, len);
		}
	}
	json_decref(obj);
	return 1;
}

void
json_put_string(struct buf *out, const char *p, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	buf_reserve(out, len + 2);
	buf_putc(out, '"');
	size_t run = 0; /* bytes that need no escape, copied in one go */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_append(out, p + run, i - run);
		run = i + 1;
		char esc[7] = {'\\', 0};
		switch (c) {
		case '"':
			esc[1] = '"';
			break;
		case '\\':
			esc[1] = '\\';
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\t':
			esc[1] = 't';
			break;
		case '\b':
			esc[1] = 'b';
			break;
		case '\f':
			esc[1] = 'f';
			break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
		}
		buf_puts(out, esc);
	}
	buf_append(out, p + run, len - run);
	buf_putc(out, '"');
}
