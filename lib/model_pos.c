/*
 * model_pos.c - the position tree of the model's JSON text.
 *
 * A tiny scanner, not a parser: jansson has already accepted the text, so
 * this only has to find where each value and member name starts.  Member
 * names are decoded by jansson itself, so that an escape in a key means
 * here what it means in the parsed document the validator looks it up in.
 */
#include "model_pos.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct scanner {
	const char *text;
	size_t len, i;
	int line, col;
	struct cs_error *err; /* may be NULL */
};

/* Say what stops the scan, at the scanner's place.  Returns -1. */
static int
scan_fail(struct scanner *s, const char *why)
{
	if (s->err) {
		cs_error_set(s->err, NULL, s->line, "%s", why);
		s->err->col = s->col;
	}
	return -1;
}

static void
scan_advance(struct scanner *s)
{
	unsigned char c = (unsigned char)s->text[s->i++];
	if (c == '\n') {
		s->line++;
		s->col = 1;
	} else if ((c & 0xc0) != 0x80) {
		/* Count characters, as jansson does, not bytes. */
		s->col++;
	}
}

/* The next byte, or -1 at the end of the input. */
static int
scan_peek(const struct scanner *s)
{
	return s->i < s->len ? (unsigned char)s->text[s->i] : -1;
}

static void
scan_space(struct scanner *s)
{
	for (int c; (c = scan_peek(s)) == ' ' || c == '\t' || c == '\n' || c == '\r';)
		scan_advance(s);
}

/* Why the scan cannot go on at byte c: the end of the input, or a NUL. */
static int
scan_stuck(struct scanner *s, int c, const char *inside)
{
	char why[64];
	if (c == 0)
		return scan_fail(s, "a NUL byte, which JSON text cannot hold");
	snprintf(why, sizeof why, "the text ends inside %s", inside);
	return scan_fail(s, why);
}

/* Skip a string whose opening quote is the next character. */
static int
scan_string(struct scanner *s)
{
	scan_advance(s);
	for (int c; (c = scan_peek(s)) != '"';) {
		if (c <= 0)
			return scan_stuck(s, c, "a string");
		scan_advance(s);
		if (c == '\\') {
			if ((c = scan_peek(s)) <= 0)
				return scan_stuck(s, c, "a string");
			scan_advance(s);
		}
	}
	scan_advance(s);
	return 0;
}

/* A member name, decoded by jansson itself so escapes mean what they mean there. */
static char *
decode_key(const char *raw, size_t n)
{
	json_t *v = json_loadb(raw, n, JSON_DECODE_ANY, NULL);
	char *key = json_is_string(v) ? xstrdup(json_string_value(v)) : xstrndup(raw + 1, n - 2);
	json_decref(v);
	return key;
}

static struct jpos *
jpos_add(struct jpos *p)
{
	p->kids = xgrow(p->kids, &p->cap, p->nkids + 1, sizeof *p->kids);
	struct jpos *k = &p->kids[p->nkids++];
	memset(k, 0, sizeof *k);
	return k;
}

/* The name and colon of the member kid, at the scanner. */
static int
scan_key(struct scanner *s, struct jpos *kid)
{
	kid->key_line = s->line;
	kid->key_col = s->col;
	if (scan_peek(s) != '"')
		return scan_fail(s, "a member name (a string) expected");
	size_t start = s->i;
	if (scan_string(s) < 0)
		return -1;
	kid->key = decode_key(s->text + start, s->i - start);
	scan_space(s);
	if (scan_peek(s) == ':')
		scan_advance(s);
	return 0;
}

static int scan_value(struct scanner *s, struct jpos *p, int depth);

/*
 * The members or elements of the object or array whose opening bracket is
 * the next character.  Every turn of the loop consumes at least one byte
 * or returns, so the scan ends, and memory grows only with the input.
 */
static int
scan_container(struct scanner *s, struct jpos *p, int depth)
{
	if (depth > JPOS_MAX_DEPTH)
		return scan_fail(s, "arrays and objects nested too deep");
	bool object = scan_peek(s) == '{';
	int close = object ? '}' : ']';
	scan_advance(s);
	for (;;) {
		scan_space(s);
		int c = scan_peek(s);
		if (c <= 0)
			return scan_stuck(s, c, object ? "an object" : "an array");
		if (c == close) {
			scan_advance(s);
			return 0;
		}
		if (c == ',') {
			scan_advance(s);
			continue;
		}
		/* Members are added before recursing: p->kids may move, the child does not. */
		struct jpos *kid = jpos_add(p);
		if (object && scan_key(s, kid) < 0)
			return -1;
		if (scan_value(s, &p->kids[p->nkids - 1], depth) < 0)
			return -1;
	}
}

/* True for the bytes that end a number, true, false or null. */
static bool
ends_scalar(int c)
{
	return c <= 0 || c == ',' || c == ']' || c == '}' || c == ' ' || c == '\t' || c == '\r' ||
	       c == '\n';
}

/*
 * Record the position of the value at the scanner, and of everything in it;
 * depth is how many arrays and objects hold it.  This finds the values, it
 * does not check them, but it stops at the end of the input on every path:
 * each value consumes at least one byte or fails.
 */
static int
scan_value(struct scanner *s, struct jpos *p, int depth)
{
	scan_space(s);
	p->line = s->line;
	p->col = s->col;
	p->off = s->i;
	int c = scan_peek(s);
	if (c == '{' || c == '[')
		return scan_container(s, p, depth + 1);
	if (c == '"')
		return scan_string(s);
	if (c <= 0)
		return scan_stuck(s, c, "a value");
	if (ends_scalar(c) || c == ':')
		return scan_fail(s, "a value expected");
	while (!ends_scalar(scan_peek(s)))
		scan_advance(s);
	return 0;
}

int
jpos_scan(const char *text, size_t len, struct jpos *root, struct cs_error *err)
{
	struct scanner sc = {.text = text, .len = len, .line = 1, .col = 1, .err = err};
	if (scan_value(&sc, root, 0) < 0)
		return -1;
	scan_space(&sc);
	if (sc.i < sc.len)
		return scan_peek(&sc) == 0 ? scan_stuck(&sc, 0, "")
		                           : scan_fail(&sc, "text after the value");
	return 0;
}

void
jpos_free(struct jpos *p)
{
	for (size_t i = 0; i < p->nkids; i++)
		jpos_free(&p->kids[i]);
	free(p->kids);
	free(p->key);
}

const struct jpos *
jpos_member(const struct jpos *p, const char *key)
{
	for (size_t i = 0; i < p->nkids; i++)
		if (p->kids[i].key && strcmp(p->kids[i].key, key) == 0)
			return &p->kids[i];
	return p;
}

const struct jpos *
jpos_item(const struct jpos *p, size_t i)
{
	return i < p->nkids ? &p->kids[i] : p;
}

/* The value of hex digit c, or -1. */
static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* How many of the four bytes at p are hex digits before the first that is not; *cp their value. */
static size_t
hex4(const char *p, unsigned *cp)
{
	size_t n = 0;
	*cp = 0;
	for (; n < 4 && hex_digit(p[n]) >= 0; n++)
		*cp = *cp * 16 + (unsigned)hex_digit(p[n]);
	return n;
}

/*
 * The bytes of the escape that starts with the backslash at p: 2 ("\n"), 6
 * ("\u00e9") or 12 (a surrogate pair, one character in two escapes); never
 * past a NUL.
 */
static size_t
escape_len(const char *p)
{
	if (p[1] == '\0')
		return 1;
	if (p[1] != 'u')
		return 2;
	unsigned cp, low;
	size_t n = hex4(p + 2, &cp);
	if (n < 4)
		return 2 + n;
	if (cp >= 0xd800 && cp < 0xdc00 && p[6] == '\\' && p[7] == 'u' && hex4(p + 8, &low) == 4)
		return 12;
	return 6;
}

int
jpos_string_col(const char *text, size_t quote_off, int quote_col, size_t k)
{
	const char *p = text + quote_off + 1;
	int col = quote_col + 1;
	for (size_t decoded = 0; decoded < k && *p && *p != '"'; decoded++) {
		if (*p == '\\') {
			size_t n = escape_len(p);
			p += n;
			col += (int)n;
		} else {
			p++;
			while (((unsigned char)*p & 0xc0) == 0x80)
				p++;
			col++;
		}
	}
	return col;
}
