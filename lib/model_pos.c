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
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct scanner {
	const char *text;
	size_t len, i;
	int line, col;
};

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

/* Skip a string whose opening quote is the next character. */
static void
scan_string(struct scanner *s)
{
	scan_advance(s);
	for (int c; (c = scan_peek(s)) != -1 && c != '"';) {
		scan_advance(s);
		if (c == '\\' && scan_peek(s) != -1)
			scan_advance(s);
	}
	if (scan_peek(s) == '"')
		scan_advance(s);
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

/*
 * Record the position of the value at the scanner, and of everything in it.
 * The text has been accepted by jansson, so this only has to find the
 * values, not check them; it still never reads past the end.
 */
static void
scan_value(struct scanner *s, struct jpos *p)
{
	scan_space(s);
	p->line = s->line;
	p->col = s->col;
	p->off = s->i;
	int c = scan_peek(s);
	if (c == '{' || c == '[') {
		int close = c == '{' ? '}' : ']';
		scan_advance(s);
		for (;;) {
			scan_space(s);
			c = scan_peek(s);
			if (c == -1)
				return;
			if (c == close) {
				scan_advance(s);
				return;
			}
			if (c == ',') {
				scan_advance(s);
				continue;
			}
			/* Members are added before recursing: p->kids may move, the child does not.
			 */
			struct jpos *kid = jpos_add(p);
			if (close == '}') {
				kid->key_line = s->line;
				kid->key_col = s->col;
				size_t start = s->i;
				scan_string(s);
				kid->key = decode_key(s->text + start, s->i - start);
				scan_space(s);
				if (scan_peek(s) == ':')
					scan_advance(s);
			}
			scan_value(s, &p->kids[p->nkids - 1]);
		}
	} else if (c == '"') {
		scan_string(s);
	} else {
		while ((c = scan_peek(s)) != -1 && !strchr(",]} \t\r\n", c))
			scan_advance(s);
	}
}

void
jpos_scan(const char *text, size_t len, struct jpos *root)
{
	struct scanner sc = {.text = text, .len = len, .line = 1, .col = 1};
	scan_value(&sc, root);
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

int
jpos_string_col(const char *text, size_t quote_off, int quote_col, size_t k)
{
	const char *p = text + quote_off + 1;
	int col = quote_col + 1;
	for (size_t decoded = 0; decoded < k && *p && *p != '"'; decoded++) {
		if (*p == '\\' && p[1] == 'u') {
			unsigned cp =
			    (unsigned)strtoul((char[5]){p[2], p[3], p[4], p[5], 0}, NULL, 16);
			/* A surrogate pair is one character in two escapes. */
			int n = cp >= 0xd800 && cp < 0xdc00 && p[6] == '\\' && p[7] == 'u' ? 12 : 6;
			p += n;
			col += n;
		} else if (*p == '\\') {
			p += 2;
			col += 2;
		} else {
			p++;
			while (((unsigned char)*p & 0xc0) == 0x80)
				p++;
			col++;
		}
	}
	return col;
}
