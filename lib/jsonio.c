/*
 * jsonio.c - NDJSON reader (jansson, one line at a time) and string escaper.
 *
 * jansson builds a tree per line, allocating every key and value: some ten
 * times the cost of a CSV row.  The lines of a stream are flat objects of
 * strings, numbers, booleans and nulls, mostly with their keys in the
 * header's order, so after the first line (jansson's: it defines the
 * header) a flat reader takes them: it allocates nothing, finds each key
 * at the column after the last one's before it looks further, and leaves
 * strings and integers where they lie, copying the line once into the
 * record.  Any line it does not know to read exactly as jansson does - an
 * escape, a nested value, a repeated or unknown key, a huge integer, bytes
 * that are not UTF-8, bad syntax - goes to jansson, whose reading (and
 * error message) is the one that counts.  tests/fuzz/fuzz_ndjson_fast.c
 * proves the two agree.
 */
#include "jsonio.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

struct json_reader {
	struct input *in;
	long line;
	struct buf text; /* scratch for values that are not strings */
	long unnamed;    /* the column of the key "", or -1 */

	/* The flat reader (see the top of the file). */
	bool jansson_only;
	struct field *fields; /* per column: the value's place in the line */
	unsigned *seen;       /* per column: the line that last gave it a value */
	size_t fields_cap, seen_cap;
	unsigned stamp; /* this line's mark in seen */
	struct buf key; /* a key out of order, NUL-terminated for header_find */
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
	buf_free(&r->key);
	free(r->fields);
	free(r->seen);
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

void
json_reader_jansson_only(struct json_reader *r)
{
	r->jansson_only = true;
}

static size_t
skip_blanks(const char *p, size_t i, size_t len)
{
	while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	return i;
}

/*
 * A string at p[i] (its opening quote): *end gets the index of its closing
 * quote.  False for what the flat reader leaves to jansson: an escape, a
 * control character, no closing quote.
 */
static bool
flat_string(const char *p, size_t i, size_t len, size_t *end)
{
	for (i++; i < len; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '"') {
			*end = i;
			return true;
		}
		if (c == '\\' || c < 0x20)
			return false;
	}
	return false;
}

/* The column of the key p[0..n): the one after prev first.  -1 if none. */
static long
flat_column(struct json_reader *r, const struct header *h, long prev, const char *p, size_t n)
{
	if (n == 0)
		return r->unnamed;
	size_t guess = (size_t)(prev + 1);
	if (guess < h->n && strncmp(h->names[guess], p, n) == 0 && h->names[guess][n] == '\0')
		return (long)guess == r->unnamed ? -1 : (long)guess;
	buf_reset(&r->key);
	buf_append(&r->key, p, n);
	long i = header_find(h, buf_str(&r->key));
	return i == r->unnamed ? -1 : i;
}

/*
 * A number at p[i..): its end, or 0 if it is not JSON's grammar.  *real is
 * set when it has a fraction or an exponent.
 */
static size_t
flat_number(const char *p, size_t i, size_t len, bool *real)
{
	size_t k = i;
	*real = false;
	if (k < len && p[k] == '-')
		k++;
	if (k < len && p[k] == '0')
		k++;
	else if (k < len && p[k] >= '1' && p[k] <= '9')
		while (k < len && p[k] >= '0' && p[k] <= '9')
			k++;
	else
		return 0;
	if (k < len && p[k] == '.') {
		*real = true;
		size_t d = ++k;
		while (k < len && p[k] >= '0' && p[k] <= '9')
			k++;
		if (k == d)
			return 0;
	}
	if (k < len && (p[k] == 'e' || p[k] == 'E')) {
		*real = true;
		k++;
		if (k < len && (p[k] == '+' || p[k] == '-'))
			k++;
		size_t d = k;
		while (k < len && p[k] >= '0' && p[k] <= '9')
			k++;
		if (k == d)
			return 0;
	}
	return k;
}

/* Make r's tables for one line hold n columns, each unseen and empty. */
static void
flat_begin(struct json_reader *r, size_t n)
{
	if (n > r->fields_cap)
		r->fields = xgrow(r->fields, &r->fields_cap, n, sizeof *r->fields);
	if (n > r->seen_cap) {
		size_t old = r->seen_cap;
		r->seen = xgrow(r->seen, &r->seen_cap, n, sizeof *r->seen);
		memset(r->seen + old, 0, (r->seen_cap - old) * sizeof *r->seen);
	}
	if (++r->stamp == 0) {
		memset(r->seen, 0, r->seen_cap * sizeof *r->seen);
		r->stamp = 1;
	}
	memset(r->fields, 0, n * sizeof *r->fields);
}

/*
 * The value at p[i] (not a blank) into *f: a string's text between its
 * quotes, true, false, or a number as written; null leaves *f empty.
 * *next gets the index past it, and *real is set for a number with a
 * fraction or an exponent.  False for what jansson must read: an escaped
 * string, an object or array, an integer of more than 18 digits, -0.
 */
static bool
flat_value(const char *p, size_t i, size_t len, struct field *f, bool *real, size_t *next)
{
	char c = p[i];
	*real = false;
	if (c == '"') {
		size_t end;
		if (!flat_string(p, i, len, &end))
			return false;
		*f = (struct field){i + 1, end - i - 1};
		*next = end + 1;
	} else if (c == 't' && len - i >= 4 && memcmp(p + i, "true", 4) == 0) {
		*f = (struct field){i, 4};
		*next = i + 4;
	} else if (c == 'f' && len - i >= 5 && memcmp(p + i, "false", 5) == 0) {
		*f = (struct field){i, 5};
		*next = i + 5;
	} else if (c == 'n' && len - i >= 4 && memcmp(p + i, "null", 4) == 0) {
		*next = i + 4;
	} else {
		size_t k = flat_number(p, i, len, real);
		/* Integers keep their digits (strtoll cannot overflow on 18); -0 reads as 0. */
		if (k == 0 ||
		    (!*real && (k - i > 18 || (k - i == 2 && p[i] == '-' && p[i + 1] == '0'))))
			return false;
		*f = (struct field){i, k - i};
		*next = k;
	}
	return true;
}

/* The reals of a line the flat reader takes; a line with more is jansson's. */
enum { REALS_MAX = 8 };

/*
 * The members of the object whose first member starts at p[*at], into
 * r->fields by column, the columns of reals into reals[0..*nreals) (at
 * most REALS_MAX).  *at gets the index past the closing brace.  False for
 * what jansson must read: an unknown or repeated key, too many reals, a
 * value flat_value leaves, what is not JSON.
 */
static bool
flat_members(struct json_reader *r, const struct header *h, const char *p, size_t len, size_t *at,
             long reals[REALS_MAX], size_t *nreals)
{
	size_t i = *at;
	for (long prev = -1;;) {
		size_t end;
		if (i == len || p[i] != '"' || !flat_string(p, i, len, &end))
			return false;
		long col = flat_column(r, h, prev, p + i + 1, end - i - 1);
		if (col < 0 || r->seen[col] == r->stamp)
			return false; /* unknown or repeated: jansson's error */
		r->seen[col] = r->stamp;
		prev = col;
		i = skip_blanks(p, end + 1, len);
		if (i == len || p[i] != ':')
			return false;
		i = skip_blanks(p, i + 1, len);
		bool real;
		if (i == len || !flat_value(p, i, len, &r->fields[col], &real, &i))
			return false;
		if (real) {
			if (*nreals == REALS_MAX)
				return false;
			reals[(*nreals)++] = col;
		}
		i = skip_blanks(p, i, len);
		if (i < len && p[i] == ',') {
			i = skip_blanks(p, i + 1, len);
			continue;
		}
		if (i < len && p[i] == '}') {
			*at = i + 1;
			return true;
		}
		return false;
	}
}

/*
 * Read the flat object line[0..len) into rec as jansson would.  Returns
 * false, rec unspecified, when the line is for jansson.
 */
static bool
flat_object(struct json_reader *r, const struct header *h, const char *p, size_t len,
            struct record *rec)
{
	if (utf8_text_prefix(p, len) != len)
		return false;
	size_t n = h->n;
	flat_begin(r, n);
	/* Reals are written apart: their text is jansson's shortest form, not the line's. */
	long reals[REALS_MAX];
	size_t nreals = 0;
	size_t i = skip_blanks(p, 0, len);
	if (i == len || p[i] != '{')
		return false;
	i = skip_blanks(p, i + 1, len);
	if (i < len && p[i] == '}')
		i++;
	else if (!flat_members(r, h, p, len, &i, reals, &nreals))
		return false;
	if (skip_blanks(p, i, len) != len)
		return false;
	/* Each value is followed in the line by a quote, a delimiter, a blank
	 * or the closing brace: the copy ends it there with a NUL. */
	record_assign_split(rec, p, len, r->fields, n);
	for (size_t k = 0; k < nreals; k++) {
		const char *text = record_get(rec, (size_t)reals[k], NULL);
		double d = strtod(text, NULL);
		if (isinf(d))
			return false; /* jansson: "real number overflow" */
		buf_reset(&r->text);
		put_real(&r->text, d);
		record_set(rec, (size_t)reals[k], r->text.data, r->text.len);
	}
	return true;
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
	if (!define && !r->jansson_only && flat_object(r, h, line, len, rec)) {
		input_consume(r->in, advance);
		rec->row = r->line;
		return 1;
	}
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
		return cs_error_set(
		    err, name, r->line,
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
