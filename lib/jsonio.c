/*
 * jsonio.c - NDJSON reader (jansson, one line at a time) and string escaper.
 *
 * jansson builds a tree per line, allocating every key and value: some ten
 * times the cost of a CSV row.  The lines of a stream are flat objects of
 * strings, numbers, booleans and nulls, mostly with their keys in the
 * header's order, so after the first line (jansson's: it defines the
 * header) a flat reader takes them: it allocates nothing, tests each key
 * against the name of the column after the last one's (one compare) before
 * it looks further, scans strings sixteen bytes at a time, and leaves strings
 * and integers where they lie, copying the line once into the record; an
 * escaped string (a note with a line break) is decoded after the copy, a
 * real put in its shortest form.  Any line it does not know to read exactly
 * as jansson does - an escape jansson refuses, a nested value, a repeated or
 * unknown key, a huge integer, bytes that are not UTF-8, bad syntax - goes
 * to jansson, whose reading (and error message) is the one that counts.
 * tests/fuzz/fuzz_ndjson_fast.c proves the two agree.
 *
 * The writer's escaper scans sixteen bytes at a time too: most values need
 * no escape and are copied whole.
 */
#include "jsonio.h"

#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bytescan.h"
#include "utf8.h"

/* A value whose text is not the line's: a real's, or an escaped string's. */
struct flat_fix {
	size_t col;
	bool real;
};

struct json_reader {
	struct input *in;
	long line;
	struct buf text; /* scratch for values that are not strings */
	long unnamed;    /* the column of the key "", or -1 */

	/* The flat reader (see the top of the file). */
	bool jansson_only;
	struct field *fields; /* per column: the value's place in the line */
	unsigned *seen;       /* per column: the line that last gave it a value */
	struct flat_fix *fix; /* the columns whose text is not the line's */
	size_t fields_cap, seen_cap, fix_cap;
	unsigned stamp;  /* this line's mark in seen */
	struct buf key;  /* a key out of order, NUL-terminated for header_find */
	long *name_len;  /* per column: flat_key's length of its name */
	size_t *key_off; /* per column: its name and quote in keys */
	struct buf keys;
	const struct header *names_of; /* the header name_len is of, and its width */
	size_t names_n;
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
	free(r->fix);
	free(r->name_len);
	free(r->key_off);
	buf_free(&r->keys);
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

static inline size_t
skip_blanks(const char *p, size_t i, size_t len)
{
	if (i < len && (unsigned char)p[i] > ' ')
		return i; /* the common case: no blank */
	while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	return i;
}

/*
 * The bytes of a word of eight that end a plain run inside a string: a
 * quote, a backslash, a control character, a byte of a multi-byte
 * character (the classic has-zero and has-less tests).  A word of plain
 * ASCII gives 0; otherwise some byte in it is one of those for certain
 * (the tests' false alarms only ever sit above a true one).
 */
static inline uint64_t
stops(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101u, highs = ones << 7;
	uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
	return (((q - ones) & ~q) | ((b - ones) & ~b) | ((w - ones * 0x20) & ~w) | w) & highs;
}

/*
 * The same tests on sixteen bytes at p (bytescan.h's vectors), each lane
 * 0xff or 0: a quote, a backslash, or outside 0x20..0x7f (one unsigned
 * compare: a control byte wraps below 0x20 to the top).
 */
static inline bytes16
json_stops(const unsigned char *p)
{
	bytes16 v;
	memcpy(&v, p, 16);
	return (bytes16)((v == '"') | (v == '\\') | ((bytes16)(v - 0x20) > 0x5f));
}

/* What a JSON string must escape in sixteen bytes at p: a quote, a backslash, a control byte. */
static inline bytes16
json_escapes(const char *p)
{
	bytes16 v;
	memcpy(&v, p, 16);
	return (bytes16)((v == '"') | (v == '\\') | (v < 0x20));
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/*
 * The index in its word of the lowest byte flagged in m (m != 0): exact on
 * a little-endian machine, where the tests' borrows run to higher bytes.
 */
#define LOWEST_FLAGGED(m) ((size_t)__builtin_ctzll(m) >> 3)
#else
/* The test of stops() on one byte, to find the byte elsewhere. */
static inline bool
stop(unsigned char c)
{
	return c < 0x20 || c >= 0x80 || c == '"' || c == '\\';
}
#endif

/*
 * A string at p[i] (its opening quote): *end gets the index of its closing
 * quote, and *escaped is set when it holds a backslash (flat_unescape reads
 * those).  Plain ASCII goes eight bytes at a time; a character of more
 * bytes must be valid UTF-8.  False for what the flat reader leaves to
 * jansson: a control character, bytes that are not UTF-8, no closing quote.
 */
static bool
flat_string(const char *p, size_t i, size_t len, size_t *end, bool *escaped)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t k = i + 1;
	while (k < len) {
		/* Sixteen bytes at a time while they are plain, then a word of eight. */
		size_t at;
		while (k + 16 <= len && (at = bytes16_first(json_stops(s + k))) == 16)
			k += 16;
		if (k + 16 <= len) {
			k += at;
		} else if (k + 8 <= len) {
			uint64_t w, m;
			memcpy(&w, s + k, 8);
			if (!(m = stops(w))) {
				k += 8;
				continue;
			}
#ifdef LOWEST_FLAGGED
			k += LOWEST_FLAGGED(m);
#else
			while (!stop(s[k]))
				k++; /* a stop lies within the word */
#endif
		}
		unsigned char c = s[k];
		if (c == '"') {
			*end = k;
			return true;
		}
		if (c == '\\') {
			*escaped = true;
			k += 2; /* the escaped byte is flat_unescape's to check */
			continue;
		}
		if (c < 0x80) {
			if (c < 0x20)
				return false;
			k++;
			continue;
		}
		size_t need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
		if (k + need > len || utf8_valid_prefix(p + k, need) != need)
			return false;
		k += need;
	}
	return false;
}

/* The four hex digits at p[0..4), of n bytes there, into *u. */
static bool
hex4(const char *p, size_t n, unsigned *u)
{
	if (n < 4)
		return false;
	*u = 0;
	for (int k = 0; k < 4; k++) {
		char c = p[k];
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return false;
		*u = *u << 4 | d;
	}
	return true;
}

/* Code point cp (valid, not a surrogate) in UTF-8. */
static void
put_utf8(struct buf *out, uint32_t cp)
{
	char b[4];
	size_t n;
	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | cp >> 12);
		b[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | cp >> 18);
		b[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		b[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	buf_append(out, b, n);
}

/*
 * The \u escape whose digits start at p[k] (n bytes in the string), a
 * surrogate pair read whole, into out; *k gets the index of its last digit.
 * False for what jansson refuses: \u0000, a lone or unpaired surrogate.
 */
static bool
unescape_u(const char *p, size_t n, size_t *k, struct buf *out)
{
	unsigned u, lo;
	if (!hex4(p + *k, n - *k, &u) || u == 0 || (u >= 0xdc00 && u <= 0xdfff))
		return false;
	*k += 3;
	if (u >= 0xd800 && u <= 0xdbff) {
		size_t at = *k + 1;
		if (n - at < 6 || p[at] != '\\' || p[at + 1] != 'u' ||
		    !hex4(p + at + 2, n - at - 2, &lo) || lo < 0xdc00 || lo > 0xdfff)
			return false;
		u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
		*k += 6;
	}
	put_utf8(out, u);
	return true;
}

/*
 * The text of the escaped string p[0..n) (between its quotes) into out, as
 * jansson decodes it.  False for an escape jansson refuses.
 */
static bool
flat_unescape(const char *p, size_t n, struct buf *out)
{
	buf_reset(out);
	size_t run = 0; /* bytes up to the next backslash, copied in one go */
	for (size_t k = 0; k < n; k++) {
		if (p[k] != '\\')
			continue;
		buf_append(out, p + run, k - run);
		if (++k == n)
			return false;
		char c;
		switch (p[k]) {
		case '"':
		case '\\':
		case '/':
			c = p[k];
			break;
		case 'b':
			c = '\b';
			break;
		case 'f':
			c = '\f';
			break;
		case 'n':
			c = '\n';
			break;
		case 'r':
			c = '\r';
			break;
		case 't':
			c = '\t';
			break;
		case 'u':
			k++;
			if (!unescape_u(p, n, &k, out))
				return false;
			run = k + 1;
			continue;
		default:
			return false;
		}
		buf_putc(out, c);
		run = k + 1;
	}
	buf_append(out, p + run, n - run);
	return true;
}

/*
 * Each column's name length for the key test of flat_key, NOT_PLAIN where
 * the name is not the bytes of its key in a line (it holds a quote, a
 * backslash or a control character: its key is escaped) and for the
 * column of the key "", so those are looked up the slow way.
 */
enum { NOT_PLAIN = -1 };

static void
name_lengths(struct json_reader *r, const struct header *h)
{
	if (r->names_of == h && r->names_n == h->n)
		return;
	free(r->name_len);
	free(r->key_off);
	r->name_len = xcalloc(h->n ? h->n : 1, sizeof *r->name_len);
	r->key_off = xcalloc(h->n ? h->n : 1, sizeof *r->key_off);
	buf_reset(&r->keys);
	for (size_t i = 0; i < h->n; i++) {
		const unsigned char *s = (const unsigned char *)h->names[i];
		size_t n = 0;
		while (s[n] && s[n] >= 0x20 && s[n] != '"' && s[n] != '\\')
			n++;
		r->name_len[i] = s[n] || (long)i == r->unnamed ? NOT_PLAIN : (long)n;
		/* The key's bytes with its closing quote, and a word of zeros same_key may read. */
		r->key_off[i] = r->keys.len;
		buf_append(&r->keys, s, n);
		buf_append(&r->keys, "\"\0\0\0\0\0\0\0\0", 9);
	}
	r->names_of = h;
	r->names_n = h->n;
}

/*
 * memcmp(a, key, n) == 0 for the few bytes of a key and its quote, a word
 * at a time, inline: a has avail bytes, key is followed by a word of zeros.
 */
static inline bool
same_key(const char *a, size_t avail, const char *key, size_t n)
{
	uint64_t x, y;
	for (; n >= 8; a += 8, key += 8, n -= 8, avail -= 8) {
		memcpy(&x, a, 8);
		memcpy(&y, key, 8);
		if (x != y)
			return false;
	}
	if (n == 0)
		return true;
#ifdef LOWEST_FLAGGED
	if (avail >= 8) {
		/* The last bytes as one word, masked: the first n bytes are its lowest. */
		memcpy(&x, a, 8);
		memcpy(&y, key, 8);
		return ((x ^ y) & (((uint64_t)1 << (8 * n)) - 1)) == 0;
	}
#endif
	while (n--)
		if (*a++ != *key++)
			return false;
	return true;
}

/*
 * The key at p[i] (its opening quote): its column, the one after prev
 * tried first with one memcmp; *end gets the index of its closing quote.
 * -1 for what jansson must read: an escaped key, a key not in the header
 * or the name given to "".
 */
static long
flat_key(struct json_reader *r, const struct header *h, long prev, const char *p, size_t i,
         size_t len, size_t *end)
{
	size_t guess = (size_t)(prev + 1);
	if (guess < h->n && r->name_len[guess] != NOT_PLAIN) {
		size_t n = (size_t)r->name_len[guess];
		if (len - i - 1 > n &&
		    same_key(p + i + 1, len - i - 1, r->keys.data + r->key_off[guess], n + 1)) {
			*end = i + 1 + n;
			return (long)guess;
		}
	}
	bool escaped = false;
	if (!flat_string(p, i, len, end, &escaped) || escaped)
		return -1;
	size_t n = *end - i - 1;
	if (n == 0)
		return r->unnamed;
	buf_reset(&r->key);
	buf_append(&r->key, p + i + 1, n);
	long col = header_find(h, buf_str(&r->key));
	return col == r->unnamed ? -1 : col;
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

/* Make r's tables for one line of h: every column unseen and empty. */
static void
flat_begin(struct json_reader *r, const struct header *h)
{
	size_t n = h->n;
	name_lengths(r, h);
	if (n > r->fields_cap)
		r->fields = xgrow(r->fields, &r->fields_cap, n, sizeof *r->fields);
	if (n > r->fix_cap)
		r->fix = xgrow(r->fix, &r->fix_cap, n, sizeof *r->fix);
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

/* What a value's text in the line is not yet: a real's, an escaped string's. */
enum value_kind { VALUE_AS_IS, VALUE_REAL, VALUE_ESCAPED };

/*
 * The value at p[i] (not a blank) into *f: a string's text between its
 * quotes, true, false, or a number as written; null leaves *f empty.
 * *next gets the index past it, *kind what the text still needs.  False
 * for what jansson must read: an object or array, an integer of more than
 * 18 digits, -0, a string flat_string leaves.
 */
static bool
flat_value(const char *p, size_t i, size_t len, struct field *f, enum value_kind *kind,
           size_t *next)
{
	char c = p[i];
	*kind = VALUE_AS_IS;
	if (c == '"') {
		size_t end;
		bool escaped = false;
		if (!flat_string(p, i, len, &end, &escaped))
			return false;
		*f = (struct field){i + 1, end - i - 1};
		*next = end + 1;
		if (escaped)
			*kind = VALUE_ESCAPED;
	} else if (c == 't' && len - i >= 4 && memcmp(p + i, "true", 4) == 0) {
		*f = (struct field){i, 4};
		*next = i + 4;
	} else if (c == 'f' && len - i >= 5 && memcmp(p + i, "false", 5) == 0) {
		*f = (struct field){i, 5};
		*next = i + 5;
	} else if (c == 'n' && len - i >= 4 && memcmp(p + i, "null", 4) == 0) {
		*next = i + 4;
	} else {
		bool real;
		size_t k = flat_number(p, i, len, &real);
		/* Integers keep their digits (strtoll cannot overflow on 18); -0 reads as 0. */
		if (k == 0 ||
		    (!real && (k - i > 18 || (k - i == 2 && p[i] == '-' && p[i + 1] == '0'))))
			return false;
		*f = (struct field){i, k - i};
		*next = k;
		if (real)
			*kind = VALUE_REAL;
	}
	return true;
}

/*
 * The members of the object whose first member starts at p[*at], into
 * r->fields by column, and into r->fix the columns whose text is not the
 * line's (*nfix of them).  *at gets the index past the closing brace.
 * False for what jansson must read: an unknown or repeated key, a value
 * flat_value leaves, what is not JSON.
 */
static bool
flat_members(struct json_reader *r, const struct header *h, const char *p, size_t len, size_t *at,
             size_t *nfix)
{
	size_t i = *at;
	for (long prev = -1;;) {
		size_t end;
		long col;
		if (i == len || p[i] != '"' || (col = flat_key(r, h, prev, p, i, len, &end)) < 0)
			return false;
		if (r->seen[col] == r->stamp)
			return false; /* repeated: jansson's error */
		r->seen[col] = r->stamp;
		prev = col;
		/* Blanks are rare: each mark is looked for first where it is without them. */
		i = end + 1;
		if (i < len && p[i] != ':')
			i = skip_blanks(p, i, len);
		if (i == len || p[i] != ':')
			return false;
		i = skip_blanks(p, i + 1, len);
		enum value_kind kind;
		if (i == len || !flat_value(p, i, len, &r->fields[col], &kind, &i))
			return false;
		if (kind != VALUE_AS_IS)
			r->fix[(*nfix)++] = (struct flat_fix){(size_t)col, kind == VALUE_REAL};
		if (i < len && p[i] != ',')
			i = skip_blanks(p, i, len);
		if (i < len && p[i] == ',') {
			if (++i < len && p[i] != '"')
				i = skip_blanks(p, i, len);
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
 * The values whose text is not the line's, in rec: a real in jansson's
 * shortest form, an escaped string decoded.  False for a line jansson
 * refuses after all (a real that overflows, an escape it does not take).
 */
static bool
flat_fixes(struct json_reader *r, size_t nfix, struct record *rec)
{
	for (size_t k = 0; k < nfix; k++) {
		size_t col = r->fix[k].col, len;
		const char *text = record_get(rec, col, &len);
		if (r->fix[k].real) {
			double d = strtod(text, NULL);
			if (isinf(d))
				return false; /* jansson: "real number overflow" */
			buf_reset(&r->text);
			put_real(&r->text, d);
		} else if (!flat_unescape(text, len, &r->text)) {
			return false;
		}
		record_set(rec, col, r->text.data, r->text.len);
	}
	return true;
}

/*
 * Read the flat object line[0..len) into rec as jansson would.  Returns
 * false, rec unspecified, when the line is for jansson.
 */
static bool
flat_object(struct json_reader *r, const struct header *h, const char *p, size_t len,
            struct record *rec)
{
	flat_begin(r, h);
	size_t nfix = 0;
	size_t i = skip_blanks(p, 0, len);
	if (i == len || p[i] != '{')
		return false;
	i = skip_blanks(p, i + 1, len);
	if (i < len && p[i] == '}')
		i++;
	else if (!flat_members(r, h, p, len, &i, &nfix))
		return false;
	if (skip_blanks(p, i, len) != len)
		return false;
	/* Each value is followed in the line by a quote, a delimiter, a blank
	 * or the closing brace: the copy ends it there with a NUL. */
	record_assign_split(rec, p, len, r->fields, h->n);
	return flat_fixes(r, nfix, rec);
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

/*
 * The bytes of a word of eight a JSON string must escape: a quote, a
 * backslash, a control character (stops() without the bytes of multi-byte
 * characters, which are written as they are).
 */
static inline uint64_t
escapes(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101u, highs = ones << 7;
	uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
	return (((q - ones) & ~q) | ((b - ones) & ~b) | ((w - ones * 0x20) & ~w)) & highs;
}

/* The escape of byte c, which needs one, into out. */
static void
put_escape(struct buf *out, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
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

/* The index of the first byte of p[i..len) that needs an escape, or len. */
static inline size_t
next_escape(const char *p, size_t i, size_t len)
{
	for (; i + 16 <= len; i += 16) {
		size_t at = bytes16_first(json_escapes(p + i));
		if (at < 16)
			return i + at;
	}
	for (; i + 8 <= len; i += 8) {
		uint64_t w, m;
		memcpy(&w, p + i, 8);
		if ((m = escapes(w))) {
#ifdef LOWEST_FLAGGED
			return i + LOWEST_FLAGGED(m);
#else
			break;
#endif
		}
	}
	if (i + 8 > len && len >= 8) {
		/* The tail as the last word, overlapping bytes already clean. */
		uint64_t w;
		memcpy(&w, p + len - 8, 8);
		if (!escapes(w))
			return len;
	}
	for (; i < len; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c < 0x20 || c == '"' || c == '\\')
			return i;
	}
	return len;
}

void
json_put_string(struct buf *out, const char *p, size_t len)
{
	buf_reserve(out, len + 2);
	out->data[out->len++] = '"';
	size_t run = 0; /* bytes that need no escape, copied in one go */
	for (size_t i = 0; (i = next_escape(p, i, len)) < len; i++) {
		buf_append(out, p + run, i - run);
		put_escape(out, (unsigned char)p[i]);
		run = i + 1;
	}
	buf_append(out, p + run, len - run);
	buf_putc(out, '"');
}
