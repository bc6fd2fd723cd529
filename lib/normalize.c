/*
 * normalize.c - the value normalisers cs-import applies to every field of
 * every row.
 *
 * The normalisers work on bytes and never consult the locale: ASCII case is
 * folded by hand, and UTF-8 characters other than the few spaces and
 * currency signs they know are data.  Amounts are rewritten as digit
 * strings, never through a double, so "12500.10" keeps its digits.  Status
 * and tier words are compared by their header key (synonyms.h), so "Closed
 * Won" and "closed-won" are one word.  Names are split apart, in
 * normalize_name.c; the white-space helpers both use are in normalize_int.h.
 */
#include "normalize.h"

#include <string.h>

#include "normalize_int.h"
#include "schema.h"
#include "synonyms.h"

/*
 * Append c to b, which the caller made room in with buf_reserve: the
 * normalisers run on every field of every row, so they skip buf_putc's
 * check per byte.  end_reserved writes the terminating NUL.
 */
static inline void
put_reserved(struct buf *b, char c)
{
	b->data[b->len++] = c;
}

static inline void
end_reserved(struct buf *b)
{
	b->data[b->len] = '\0';
}

/* Lower-case ASCII letters and digits of p[0..len) into word; false if it does not fit. */
static bool
word_key(const char *p, size_t len, char *word, size_t size)
{
	size_t n = synonyms_header_key(p, len, word);
	return n < size - 1 && n < SYNONYMS_KEY_MAX - 1;
}

bool
norm_is_placeholder(const char *s, size_t len)
{
	static const char *const words[] = {
	    "-",      "--",         "\xe2\x80\x94", "\xe2\x80\x93", "?",   "n/a",
	    "na",     "none",       "null",         "nil",          "tbd", "unknown",
	    "0/0/00", "00/00/0000", "0000-00-00",   "0/0/0000",     NULL};
	const char *p = s, *end = s + len;
	trim(&p, &end);
	size_t n = (size_t)(end - p);
	if (n == 0 || n > 12)
		return n == 0;
	/* Most values are no placeholder: their first byte says so. */
	if (!strchr("-?nNtTuU0\xe2", *p))
		return false;
	char low[16];
	for (size_t i = 0; i < n; i++)
		low[i] = (char)ascii_lower((unsigned char)p[i]);
	low[n] = '\0';
	return in_list(low, words);
}

/*
 * Most trimmed values need nothing: no tab or line break, no double space
 * and no byte that may start a UTF-8 space (0xc2, 0xe2).  Copy such a value
 * to out a block at a time and return true; false, nothing written, for any
 * other, which norm_clean_text's loop rewrites.  (Other control bytes are
 * copied either way.)
 */
static bool
plain_text(const char *p, size_t n, struct buf *out)
{
	if (!NORM_BLOCKS)
		return false;
	size_t start = out->len;
	/* Whole blocks are stored: room for the last one's padding. */
	buf_reserve(out, n + 16);
	char *o = out->data + start;
	unsigned space_before = 0; /* the block before ended in a space */
	for (size_t i = 0; i < n; i += 16) {
		bytes16 v = block_load(p + i, n - i < 16 ? n - i : 16);
		unsigned bad = block_bits(
		    (bytes16)((v == '\t') | (v == '\n') | (v == '\r') | (v == 0xc2) | (v == 0xe2)));
		unsigned space = block_bits((bytes16)(v == ' '));
		if (bad | (space & (space << 1 | space_before))) {
			out->data[start] = '\0';
			return false;
		}
		space_before = space >> 15;
		memcpy(o + i, &v, 16);
	}
	out->len = start + n;
	out->data[out->len] = '\0';
	return true;
}

void
norm_clean_text(const char *s, size_t len, struct buf *out)
{
	const char *p = s, *end = s + len;
	trim(&p, &end);
	if (plain_text(p, (size_t)(end - p), out))
		return;
	buf_reserve(out, (size_t)(end - p));
	bool space = false;
	while (p < end) {
		size_t n = (unsigned char)*p >= 0xc2 ? utf8_space(p, end) : 0;
		if (n || is_white(*p)) {
			space = true;
			p += n ? n : 1;
			continue;
		}
		if (space)
			put_reserved(out, ' ');
		space = false;
		put_reserved(out, *p++);
	}
	end_reserved(out);
}

static int
fail(char *why, size_t whylen, const char *msg)
{
	if (why && whylen)
		snprintf(why, whylen, "%s", msg);
	return -1;
}

/*
 * Split a multi-valued cell: the next item of [*p, end) separated by
 * " ::: " (Google), ';', ',' or '|' (and, when slash, " / ").  Returns false
 * when nothing is left.
 */
static bool
next_item(const char **p, const char *end, const char **item, const char **item_end, bool slash)
{
	const char *q = *p;
	while (q < end && (is_white(*q) || *q == ';' || *q == ',' || *q == '|'))
		q++;
	if (q >= end)
		return false;
	/* 1: a separator; 2 and 3: one if ":::" or (with slash) " /". */
	static const unsigned char sep[256] = {
	    [';'] = 1, [','] = 1, ['|'] = 1, [':'] = 2, ['/'] = 3};
	const char *start = q;
	for (; q < end; q++) {
		unsigned char k = sep[(unsigned char)*q];
		if (!k)
			continue;
		if (k == 1 || (k == 2 && end - q >= 3 && q[1] == ':' && q[2] == ':') ||
		    (k == 3 && slash && q > start && is_white(q[-1])))
			break;
	}
	*item = start;
	*item_end = q;
	if (q < end && *q == ':')
		q += 3;
	else if (q < end)
		q++;
	*p = q;
	trim(item, item_end);
	return *item < *item_end || *p < end;
}

/* One address: "Ana <a@x.org>", "mailto:a@x.org", "A@X.org". */
static int
one_email(const char *p, const char *end, struct buf *out, char *why, size_t whylen)
{
	const char *lt = memchr(p, '<', (size_t)(end - p));
	if (lt) {
		const char *gt = memchr(lt, '>', (size_t)(end - lt));
		if (!gt)
			return fail(why, whylen, "not an email address");
		p = lt + 1;
		end = gt;
		trim(&p, &end);
	}
	if (end - p > 7 && *p == 'm' && strncmp(p, "mailto:", 7) == 0)
		p += 7;
	/* One pass: each byte checked, lower-cased and written; undone on failure. */
	size_t start = out->len;
	buf_reserve(out, (size_t)(end - p));
	const char *at = NULL, *dot = NULL;
	const char *msg = NULL;
	for (const char *q = p; q < end && !msg; q++) {
		unsigned char c = (unsigned char)*q;
		if (c >= 'a' || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '+') {
			/* the common case */
		} else if (c >= 'A' && c <= 'Z') {
			c = (unsigned char)(c + ('a' - 'A'));
		} else if (c == '@') {
			if (at)
				msg = "not an email address (two @)";
			at = q;
		} else if (c == '.') {
			if (at && !dot)
				dot = q;
		} else if (c <= ' ' || c == '"' || c == '(' || c == ')' || c == '[' || c == ']' ||
		           c == '\\' || c == ':' || c == '<' || c == '>') {
			msg = "not an email address";
		}
		put_reserved(out, (char)c);
	}
	if (!msg && !at)
		msg = "not an email address (no @)";
	if (!msg && (at == p || at + 1 == end || !dot || dot == at + 1 || end[-1] == '.'))
		msg = "not an email address";
	if (msg) {
		out->len = start;
		end_reserved(out);
		return fail(why, whylen, msg);
	}
	end_reserved(out);
	return 0;
}

/*
 * The commonest cell of an email column, one address of letters, digits,
 * '-', '_', '+' and dots, well formed: lower-cased into out a block at a
 * time, just as next_item and one_email would.  False, nothing written,
 * for anything else (a list, a name and brackets, spaces, a bad address),
 * which they read and explain.
 */
static bool
plain_email(const char *s, size_t len, struct buf *out)
{
	if (!NORM_BLOCKS || len == 0)
		return false;
	size_t start = out->len;
	/* Whole blocks are stored: room for the last one's padding. */
	buf_reserve(out, len + 16);
	char *o = out->data + start;
	size_t ats = 0, at = 0, last_dot = 0;
	unsigned bad = 0;
	for (size_t i = 0; i < len; i += 16) {
		size_t k = len - i < 16 ? len - i : 16;
		bytes16 v = block_load(s + i, k);
		v += (bytes16)((bytes16)(v - 'A') < 26) & 0x20;
		bytes16 ok =
		    (bytes16)(((bytes16)(v - 'a') < 26) | ((bytes16)(v - '0') < 10) | (v == '-') |
		              (v == '_') | (v == '+') | (v == '@') | (v == '.'));
		unsigned lanes = (1u << k) - 1;
		unsigned at_bits = block_bits((bytes16)(v == '@'));
		unsigned dot_bits = block_bits((bytes16)(v == '.'));
		bad |= ~block_bits((bytes16)ok) & lanes;
		if (at_bits && !ats)
			at = i + (size_t)__builtin_ctz(at_bits);
		ats += (size_t)block_count(at_bits);
		if (dot_bits)
			last_dot = i + 31 - (size_t)__builtin_clz(dot_bits);
		memcpy(o + i, &v, 16);
	}
	/* One '@', not first or last, a '.' after it but not next to it, none last. */
	if (bad || ats != 1 || at == 0 || at + 1 == len || s[at + 1] == '.' || last_dot <= at ||
	    s[len - 1] == '.') {
		out->data[start] = '\0';
		return false;
	}
	out->len = start + len;
	out->data[out->len] = '\0';
	return true;
}

int
norm_email(const char *s, size_t len, struct buf *out, struct buf *rest, char *why, size_t whylen)
{
	const char *p = s, *end = s + len, *item, *item_end;
	size_t start = out->len;
	int got = 0;
	if (plain_email(s, len, out))
		return 0;
	while (next_item(&p, end, &item, &item_end, false)) {
		if (item == item_end)
			continue;
		if (got == 0) {
			if (one_email(item, item_end, out, why, whylen) < 0) {
				out->len = start;
				if (out->data)
					out->data[start] = '\0';
				return -1;
			}
		} else if (rest) {
			if (rest->len)
				buf_putc(rest, '\n');
			if (one_email(item, item_end, rest, NULL, 0) < 0)
				buf_append(rest, item, (size_t)(item_end - item));
		}
		got++;
	}
	if (got == 0)
		return fail(why, whylen, "not an email address");
	return 0;
}

/* "5.55E+09": what Excel makes of a long number typed into a cell. */
static bool
is_scientific(const char *p, const char *end)
{
	const char *q = p;
	while (q < end && (ascii_digit(*q) || *q == '.' || *q == ','))
		q++;
	if (q == p || q >= end || (*q != 'E' && *q != 'e'))
		return false;
	q++;
	if (q < end && (*q == '+' || *q == '-'))
		q++;
	if (q >= end || !ascii_digit(*q))
		return false;
	while (q < end && ascii_digit(*q))
		q++;
	return q == end;
}

/*
 * An extension at *q: "x12", "ext. 12", "extension 12", "#12".  Appends
 * " ext 12" to out, which the caller made room in, and moves *q past it;
 * false (nothing written) if *q starts no extension.
 */
static bool
put_extension(const char **qp, const char *end, struct buf *out)
{
	const char *q = *qp;
	char c = *q;
	const char *w = q;
	while (w < end &&
	       (ascii_lower((unsigned char)*w) >= 'a' && ascii_lower((unsigned char)*w) <= 'z'))
		w++;
	size_t n = (size_t)(w - q);
	char word[12] = "";
	if (n < sizeof word)
		for (size_t i = 0; i < n; i++)
			word[i] = (char)ascii_lower((unsigned char)q[i]);
	if (n >= sizeof word ||
	    !(strcmp(word, "x") == 0 || strcmp(word, "ext") == 0 || strcmp(word, "extn") == 0 ||
	      strcmp(word, "extension") == 0 || (n == 0 && c == '#')))
		return false;
	q = w + (n == 0);
	while (q < end && (*q == '.' || *q == ':' || *q == ' '))
		q++;
	if (q == end || !ascii_digit(*q))
		return false;
	for (const char *e = " ext "; *e; e++)
		put_reserved(out, *e);
	while (q < end && ascii_digit(*q))
		put_reserved(out, *q++);
	*qp = q;
	return true;
}

/* One phone number; see norm_phone. */
static int
one_phone(const char *p, const char *end, struct buf *out, char *why, size_t whylen)
{
	if (is_scientific(p, end))
		return fail(why, whylen,
		            "not a phone number (Excel turned it into a number and lost digits)");
	if (p < end && *p == '\'')
		p++;
	if (end - p > 4 && ascii_lower((unsigned char)p[0]) == 't' &&
	    ascii_lower((unsigned char)p[1]) == 'e' && ascii_lower((unsigned char)p[2]) == 'l' &&
	    p[3] == ':')
		p += 4;
	size_t start = out->len;
	size_t digits = 0;
	bool plus = false, gap = false, ext = false;
	/* At most a space before each byte, and " ext ". */
	buf_reserve(out, 2 * (size_t)(end - p) + 8);
	const char *q = p;
	while (q < end) {
		char c = *q;
		if (ascii_digit(c)) {
			if (gap && out->len > start && out->data[out->len - 1] != '+')
				put_reserved(out, ' ');
			gap = false;
			put_reserved(out, c);
			digits++;
			q++;
		} else if (c == '+' && digits == 0 && !plus && !ext) {
			plus = true;
			put_reserved(out, '+');
			q++;
		} else if (c == '(' && plus && end - q >= 3 && q[1] == '0' && q[2] == ')') {
			/* The "(0)" of "+44 (0)20": dialled only from inside the country. */
			q += 3;
			gap = true;
		} else if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/' ||
		           c == '\t') {
			gap = true;
			q++;
		} else if (utf8_space(q, end)) {
			gap = true;
			q += utf8_space(q, end);
		} else if (!ext && digits > 0) {
			if (!put_extension(&q, end, out))
				goto bad;
			ext = true;
		} else {
			goto bad;
		}
	}
	end_reserved(out);
	if (digits < 3 || digits > 15)
		goto bad;
	return 0;
bad:
	out->len = start;
	if (out->data)
		out->data[start] = '\0';
	return fail(why, whylen, "not a phone number");
}

/*
 * Copy the bytes of block (a value's block, padded to 32) that keep marks
 * to o, a run of them at a time, each run in one 16-byte move (o has room
 * for sixteen bytes past the last), with a space between runs if spaced.
 * Returns the end.
 */
static char *
put_runs(char *o, const char block[32], unsigned keep, bool spaced)
{
	char *first = o;
	for (; keep;) {
		unsigned at = (unsigned)__builtin_ctz(keep);
		unsigned run = (unsigned)__builtin_ctz(~(keep >> at));
		*o = ' ';
		o += spaced && o > first;
		memcpy(o, block + at, 16);
		o += run;
		keep &= ~0u << (at + run);
	}
	return o;
}

/*
 * The commonest phone cell, "(200) 000-0001" or "200.000.0001": at most
 * sixteen bytes of digits, spaces, '-', '.', '(' and ')', with 3 to 15
 * digits.  Appends the groups of digits joined by single spaces, just as
 * next_item and one_phone would, and returns true; false, nothing written,
 * for anything else (a '+', an extension, a list...), which they read and
 * explain.
 */
static bool
plain_phone(const char *s, size_t len, struct buf *out)
{
	if (!NORM_BLOCKS || len > 16)
		return false;
	bytes16 v = block_load(s, len);
	unsigned digit = block_bits((bytes16)((bytes16)(v - '0') < 10));
	unsigned gap =
	    block_bits((bytes16)((v == ' ') | (v == '-') | (v == '.') | (v == '(') | (v == ')')));
	unsigned digits = block_count(digit);
	if ((digit | gap) != (1u << len) - 1 || digits < 3 || digits > 15)
		return false;
	/* Each group is copied as a whole block, from a copy of v padded to 32. */
	char block[32] = {0};
	memcpy(block, &v, 16);
	buf_reserve(out, len + 16);
	char *o = put_runs(out->data + out->len, block, digit, true);
	*o = '\0';
	out->len = (size_t)(o - out->data);
	return true;
}

int
norm_phone(const char *s, size_t len, struct buf *out, struct buf *rest, char *why, size_t whylen)
{
	const char *p = s, *end = s + len, *item, *item_end;
	int got = 0;
	if (plain_phone(s, len, out))
		return 0;
	while (next_item(&p, end, &item, &item_end, true)) {
		if (item == item_end)
			continue;
		if (got == 0) {
			if (one_phone(item, item_end, out, why, whylen) < 0)
				return -1;
		} else if (rest) {
			if (rest->len)
				buf_putc(rest, '\n');
			if (one_phone(item, item_end, rest, NULL, 0) < 0)
				buf_append(rest, item, (size_t)(item_end - item));
		}
		got++;
	}
	if (got == 0)
		return fail(why, whylen, "not a phone number");
	return 0;
}

/*
 * The digits of a phone of at most sixteen bytes of digits, spaces and
 * '+' (what norm_phone writes but for an extension) into all, a group of
 * them at a time; their number, or -1 for any other phone, which
 * norm_phone_digits reads a byte at a time.  all has room for 32.
 */
static int
plain_phone_digits(const char *phone, char all[32])
{
	size_t len = strlen(phone);
	if (!NORM_BLOCKS || len > 16)
		return -1;
	bytes16 v = block_load(phone, len);
	unsigned digit = block_bits((bytes16)((bytes16)(v - '0') < 10));
	unsigned other = block_bits((bytes16)((v == ' ') | (v == '+')));
	if ((digit | other) != (1u << len) - 1)
		return -1;
	char block[32] = {0};
	memcpy(block, &v, 16);
	return (int)(put_runs(all, block, digit, false) - all);
}

size_t
norm_phone_digits(const char *phone, char digits[11])
{
	/* The last ten digits before an extension (which is no part of the number). */
	char all[48]; /* 32 digits kept, and plain_phone_digits' last block */
	int fast = plain_phone_digits(phone, all);
	size_t total = fast >= 0 ? (size_t)fast : 0;
	/* Every byte is stored, a digit kept by counting it: no branch on it.
	 * (q[1] is there to read: *q is no NUL.) */
	for (const char *q = phone; fast < 0 && *q && total < 32; q++) {
		all[total] = *q;
		total += ascii_digit(*q);
		if ((*q == ' ') & (q[1] == 'e'))
			break;
	}
	size_t n = total < 10 ? total : 10;
	memcpy(digits, all + total - n, n);
	digits[n] = '\0';
	return n;
}

/* Currency signs and codes an amount may carry, before or after the digits. */
static size_t
currency_at(const char *p, const char *end)
{
	if (p >= end || (*p >= '0' && *p <= '9') || *p == ',' || *p == '.')
		return 0;
	if (*p == '$')
		return 1;
	/* Only signs starting with a letter or a multibyte character are left. */
	if (!((*p >= 'A' && *p <= 'Z') || *p == 'k' || *p == 'z' || (unsigned char)*p >= 0xc2))
		return 0;
	static const char *const signs[] = {"US$",          "R$",       "A$",        "C$",
	                                    "\xe2\x82\xac", "\xc2\xa3", "\xc2\xa5",  "\xe2\x82\xb9",
	                                    "\xe2\x82\xa3", "kr",       "z\xc5\x82", "Fr.",
	                                    "Fr",           NULL};
	for (size_t i = 0; signs[i]; i++) {
		if (signs[i][0] != *p)
			continue;
		size_t n = strlen(signs[i]);
		if ((size_t)(end - p) >= n && memcmp(p, signs[i], n) == 0)
			return n;
	}
	/* A three-letter ISO code: USD, EUR, GBP, CHF... */
	if (end - p >= 3 && p[0] >= 'A' && p[0] <= 'Z' && p[1] >= 'A' && p[1] <= 'Z' &&
	    p[2] >= 'A' && p[2] <= 'Z' && (end - p == 3 || !(p[3] >= 'A' && p[3] <= 'Z')))
		return 3;
	return 0;
}

/* Skip spaces and currency at [*p, end). */
static void
skip_decoration(const char **p, const char *end)
{
	for (;;) {
		if (*p < end && **p >= '0' && **p <= '9')
			return;
		size_t n;
		if (*p < end && is_white(**p))
			(*p)++;
		else if ((n = utf8_space(*p, end)) > 0 || (n = currency_at(*p, end)) > 0)
			*p += n;
		else
			break;
	}
}

/* The same, backwards from *end. */
static void
skip_decoration_back(const char *p, const char **end)
{
	for (;;) {
		if (*end > p && (*end)[-1] >= '0' && (*end)[-1] <= '9')
			return;
		if (*end > p && is_white((*end)[-1])) {
			(*end)--;
			continue;
		}
		bool found = false;
		for (size_t n = 1; n <= 4 && n <= (size_t)(*end - p); n++) {
			size_t m = utf8_space(*end - n, *end);
			if (m != n)
				m = currency_at(*end - n, *end);
			if (m == n) {
				*end -= n;
				found = true;
				break;
			}
		}
		if (!found)
			break;
	}
}

/* Is c a thousands separator candidate (not the decimal one)? */
static size_t
group_sep_at(const char *p, const char *end)
{
	if (*p == ',' || *p == '.' || *p == ' ' || *p == '\'')
		return 1;
	if (end - p >= 3 && (unsigned char)p[0] == 0xe2 && (unsigned char)p[1] == 0x80 &&
	    (unsigned char)p[2] == 0x99) /* ’ */
		return 3;
	return utf8_space(p, end);
}

/*
 * An amount read apart by norm_number's phases: its sign and multiplier,
 * its digits, and each separator with the number of digits before it.
 */
struct amount {
	bool negative;
	int shift; /* the power of ten of a "k" (3) or an "M" (6) */
	char digits[64];
	size_t n; /* digits read */
	struct {
		char kind; /* ',', '.' or ' ' (any space or apostrophe) */
		size_t at;
	} seps[24];
	size_t nseps, commas, dots, others;
	long decimal;      /* the index of the decimal separator in seps, or -1 */
	size_t int_digits; /* the digits before it */
};

/* Plain digits, the commonest case: only leading zeros to drop.  False if [p, end) is more. */
static bool
plain_digits(const char *p, const char *end, struct buf *out)
{
	const char *q = p;
	while (q < end && ascii_digit(*q))
		q++;
	if (q != end || p == end || end - p > 15)
		return false;
	while (end - p > 1 && *p == '0')
		p++;
	buf_append(out, p, (size_t)(end - p));
	return true;
}

/*
 * Narrow [*p, *end) to the digits and separators of an amount: parentheses
 * and minus signs (which make it negative), a plus, spaces, currency and a
 * k or M multiplier go, noted in a.  Returns NULL, or why it is no amount.
 */
static const char *
amount_strip(const char **pp, const char **endp, struct amount *a)
{
	const char *p = *pp, *end = *endp;
	a->negative = false;
	if (p < end && *p == '(' && end[-1] == ')') {
		a->negative = true;
		p++;
		end--;
	}
	skip_decoration(&p, end);
	if (p < end && *p == '-') {
		a->negative = !a->negative;
		p++;
	} else if (end - p >= 3 && memcmp(p, "\xe2\x88\x92", 3) == 0) {
		a->negative = !a->negative;
		p += 3;
	} else if (p < end && *p == '+') {
		p++;
	}
	skip_decoration(&p, end);
	skip_decoration_back(p, &end);
	if (p < end && end[-1] == '-' && !a->negative) {
		a->negative = true;
		end--;
		skip_decoration_back(p, &end);
	}
	/* A k or M multiplier: "12k", "1.5M". */
	a->shift = 0;
	if (end > p && (end[-1] == 'k' || end[-1] == 'K'))
		a->shift = 3;
	else if (end > p && (end[-1] == 'M' || end[-1] == 'm'))
		a->shift = 6;
	if (a->shift) {
		end--;
		while (end > p && end[-1] == ' ')
			end--;
	}
	*pp = p;
	*endp = end;
	if (p == end || !ascii_digit(*p))
		return end > p && *p == '%' ? "a percentage, not an amount" : "not an amount";
	return NULL;
}

/*
 * One pass over [p, end): the digits into a, and each separator with the
 * number of digits before it.  Returns NULL, or why it is no amount.
 */
static const char *
amount_scan(const char *p, const char *end, struct amount *a)
{
	a->n = a->nseps = a->commas = a->dots = a->others = 0;
	for (const char *q = p; q < end;) {
		if (ascii_digit(*q)) {
			if (a->n >= sizeof a->digits - 8)
				return "not an amount (too many digits)";
			a->digits[a->n++] = *q++;
			continue;
		}
		size_t len_sep = group_sep_at(q, end);
		if (!len_sep)
			return *q == '%' ? "a percentage, not an amount" : "not an amount";
		if (a->nseps == sizeof a->seps / sizeof a->seps[0])
			return "not an amount";
		char kind = *q == ',' || *q == '.' ? *q : ' ';
		a->commas += kind == ',';
		a->dots += kind == '.';
		a->others += kind == ' ';
		a->seps[a->nseps].kind = kind;
		a->seps[a->nseps++].at = a->n;
		q += len_sep;
		if (q >= end || !ascii_digit(*q))
			return "not an amount";
	}
	return NULL;
}

/*
 * Which separator is the decimal one.  With both ',' and '.', the last of
 * them, which must be the only one of its kind; with one ',' or '.', that
 * one, unless exactly three digits follow it, when decimal_comma decides.
 * Sets a->decimal and a->int_digits; returns NULL, or why it is no amount.
 */
static const char *
amount_decimal(struct amount *a, bool decimal_comma)
{
	long decimal = -1;
	if (a->commas && a->dots) {
		decimal = (long)a->nseps - 1;
		while (decimal >= 0 && a->seps[decimal].kind == ' ')
			decimal--;
		/* decimal >= 0 (there is a ',' or '.'): said for the compiler. */
		if (decimal < 0 || (a->seps[decimal].kind == ',' ? a->commas : a->dots) != 1)
			return "not an amount";
	} else if (a->commas + a->dots == 1) {
		long i = 0;
		while (a->seps[i].kind == ' ')
			i++;
		size_t after = a->n - a->seps[i].at;
		bool lone_zero = a->seps[i].at == 1 && a->digits[0] == '0';
		if (after != 3 || lone_zero || a->others)
			decimal = i;
		else if ((a->seps[i].kind == ',') == decimal_comma)
			decimal = i;
	}
	if (decimal >= 0 && decimal != (long)a->nseps - 1)
		return "not an amount"; /* "1.5 000": digits after the point grouped */
	a->decimal = decimal;
	a->int_digits = decimal >= 0 ? a->seps[decimal].at : a->n;
	return NULL;
}

/* Groups before the decimal separator: 1-3 digits, then 3 each.  Returns NULL or why not. */
static const char *
amount_groups(const struct amount *a)
{
	size_t groups = a->decimal >= 0 ? (size_t)a->decimal : a->nseps;
	for (size_t i = 0; i < groups; i++) {
		size_t size = a->seps[i].at - (i ? a->seps[i - 1].at : 0);
		if ((i == 0 && size > 3) || (i > 0 && size != 3))
			return "not an amount (digits grouped oddly)";
	}
	if (groups && a->int_digits - a->seps[groups - 1].at != 3)
		return "not an amount (digits grouped oddly)";
	return NULL;
}

/*
 * Append a to out in its shortest form: the multiplier applied, no leading
 * zeros before the point, no trailing zeros after it.  Returns NULL, or why
 * it is no canonical number (and out is unchanged).
 */
static const char *
amount_write(struct amount *a, bool integer, struct buf *out)
{
	size_t n = a->n;
	size_t point = a->int_digits + (size_t)a->shift;
	while (n < point)
		a->digits[n++] = '0';
	size_t first = 0;
	while (first < point - 1 && a->digits[first] == '0')
		first++;
	while (n > point && a->digits[n - 1] == '0')
		n--;
	if (integer && n > point)
		return "not a whole number";
	/* Digits as is_canonical_number counts them, every decimal included, so
	 * what is written is canonical (0.00000000000000007 has 17). */
	size_t lead = first;
	while (lead < point && a->digits[lead] == '0')
		lead++;
	if (point - lead + (n > point ? n - point : 0) > 15)
		return "not an amount (more than 15 digits)";
	bool zero = true;
	for (size_t i = first; i < n; i++)
		if (a->digits[i] != '0')
			zero = false;
	if (a->negative && !zero)
		buf_putc(out, '-');
	buf_append(out, a->digits + first, point - first);
	if (n > point) {
		buf_putc(out, '.');
		buf_append(out, a->digits + point, n - point);
	}
	return NULL;
}

/*
 * The commonest amount of an export, "$12,500.00", "$625012" or "1,250.5",
 * with a decimal point: an optional '$', digits from 1 to 9 first, grouped
 * by commas in threes or not at all, and perhaps a point and decimals.
 * Appends what the phases below would make of it and returns true; false
 * (nothing written) for anything else, which they read and explain.
 */
static bool
plain_amount(const char *p, const char *end, bool integer, struct buf *out)
{
	if (p < end && *p == '$')
		p++;
	if (p == end || *p < '1' || *p > '9')
		return false;
	char digits[16];
	size_t n = 0, group = 0;
	bool commas = false;
	for (; p < end && *p != '.'; p++) {
		if (*p == ',') {
			if (group != 3 && !(group >= 1 && group <= 3 && !commas && n == group))
				return false;
			commas = true;
			group = 0;
		} else if (ascii_digit(*p) && n < sizeof digits) {
			digits[n++] = *p;
			group++;
		} else {
			return false;
		}
	}
	if (group == 0 || (commas && group != 3))
		return false;
	size_t point = n;
	if (p < end) {
		for (p++; p < end && ascii_digit(*p) && n < sizeof digits; p++)
			digits[n++] = *p;
		if (p != end || n == point)
			return false;
	}
	while (n > point && digits[n - 1] == '0')
		n--;
	if (n > 15 || (integer && n > point))
		return false;
	buf_append(out, digits, point);
	if (n > point) {
		buf_putc(out, '.');
		buf_append(out, digits + point, n - point);
	}
	return true;
}

/*
 * The commonest amounts in one block: plain digits, "1" or "007" (what
 * plain_digits reads), and with a decimal point "$14,607.00" or "$730436"
 * (what plain_amount reads), of at most sixteen bytes after the '$'.
 * Appends just what those would and returns true; false, nothing written,
 * for anything else, which they or the phases read.
 */
static bool
block_amount(const char *p, size_t n, bool decimal_comma, bool integer, struct buf *out)
{
	bool dollar = n > 0 && *p == '$';
	p += dollar;
	n -= dollar;
	if (!NORM_BLOCKS || n == 0 || n > 16)
		return false;
	bytes16 v = block_load(p, n);
	unsigned lanes = (1u << n) - 1;
	unsigned digit = block_bits((bytes16)((bytes16)(v - '0') < 10));
	unsigned zero = block_bits((bytes16)(v == '0'));
	if (digit == lanes && !dollar) {
		if (n > 15)
			return false;
		/* Leading zeros go, but the last digit stays. */
		size_t first = (size_t)__builtin_ctz((~zero & lanes) | 1u << (n - 1));
		buf_append(out, p + first, n - first);
		return true;
	}
	if (decimal_comma || *p < '1' || *p > '9')
		return false;
	unsigned comma = block_bits((bytes16)(v == ',')), dot = block_bits((bytes16)(v == '.'));
	if ((digit | comma | dot) != lanes || (dot & (dot - 1)))
		return false;
	/* Commas, if any, just where the mask puts them: before the point,
	 * every fourth byte back from it (never first: that is a digit). */
	unsigned point = dot ? (unsigned)__builtin_ctz(dot) : (unsigned)n;
	unsigned before = (1u << point) - 1;
	if (comma && comma != ((0x1111u << point % 4) & before))
		return false;
	if (dot && point + 1 == n)
		return false;
	/* The decimals up to the last that is not 0. */
	unsigned decimals = digit & ~zero & ~(before | 1u << point);
	size_t end = decimals ? 32 - (size_t)__builtin_clz(decimals) : point;
	size_t kept = end > point ? end - point - 1 : 0;
	if (point - (size_t)block_count(comma) + kept > 15 || (integer && kept))
		return false;
	char block[32] = {0};
	memcpy(block, &v, 16);
	buf_reserve(out, n + 16);
	char *o = put_runs(out->data + out->len, block, digit & before, false);
	if (kept) {
		*o++ = '.';
		memcpy(o, block + point + 1, 16);
		o += kept;
	}
	*o = '\0';
	out->len = (size_t)(o - out->data);
	return true;
}

/* The phases in turn; the first to refuse gives the reason. */
int
norm_number(const char *s, size_t len, bool decimal_comma, bool integer, struct buf *out, char *why,
            size_t whylen)
{
	const char *p = s, *end = s + len;
	trim(&p, &end);
	if (block_amount(p, (size_t)(end - p), decimal_comma, integer, out) ||
	    plain_digits(p, end, out) || (!decimal_comma && plain_amount(p, end, integer, out)))
		return 0;
	struct amount a;
	const char *msg = amount_strip(&p, &end, &a);
	if (!msg)
		msg = amount_scan(p, end, &a);
	if (!msg)
		msg = amount_decimal(&a, decimal_comma);
	if (!msg)
		msg = amount_groups(&a);
	if (!msg)
		msg = amount_write(&a, integer, out);
	return msg ? fail(why, whylen, msg) : 0;
}

int
norm_bool(const char *s, size_t len)
{
	static const char *const yes[] = {"on",           "checked", "\xe2\x9c\x93", "\xe2\x9c\x94",
	                                  "\xe2\x98\x91", "t",       "si",           "s\xc3\xad",
	                                  "sim",          "ja",      "oui",          NULL};
	static const char *const no[] = {
	    "off", "unchecked", "\xe2\x9c\x97", "\xe2\x9c\x98", "\xe2\x98\x90",
	    "f",   "nao",       "n\xc3\xa3o",   "nein",         "non",
	    NULL};
	const char *p = s, *end = s + len;
	trim(&p, &end);
	char word[16];
	size_t n = (size_t)(end - p);
	if (n == 0 || n >= sizeof word)
		return -1;
	for (size_t i = 0; i < n; i++)
		word[i] = (char)ascii_lower((unsigned char)p[i]);
	word[n] = '\0';
	int b = schema_parse_bool(word);
	if (b >= 0)
		return b;
	if (in_list(word, yes))
		return 1;
	if (in_list(word, no))
		return 0;
	return -1;
}

static const char *const client_words[] = {
    "client",     "clients", "customer", "customers", "active",    "inactive",
    "existing",   "current", "won",      "closedwon", "converted", "closedconverted",
    "evangelist", "member",  "cliente",  "clientes",  "kunde",     NULL,
};
static const char *const prospect_words[] = {
    "prospect",
    "prospects",
    "lead",
    "leads",
    "potential",
    "opportunity",
    "opportunities",
    "subscriber",
    "marketingqualifiedlead",
    "salesqualifiedlead",
    "mql",
    "sql",
    "opennotcontacted",
    "workingcontacted",
    "closednotconverted",
    "nurture",
    "nurturing",
    "qualified",
    "unqualified",
    "pipeline",
    "prospecto",
    "prospectos",
    "potencial",
    NULL,
};

int
norm_kind(const char *s, size_t len)
{
	char word[SYNONYMS_KEY_MAX];
	if (!word_key(s, len, word, sizeof word) || !*word)
		return -1;
	if (in_list(word, client_words))
		return KIND_CLIENT;
	if (in_list(word, prospect_words))
		return KIND_PROSPECT;
	return -1;
}

int
norm_tag_kind(const char *s, size_t len)
{
	/* A tag is a looser thing: "* myContacts" is not a kind, "Clients" is. */
	char word[SYNONYMS_KEY_MAX];
	if (!word_key(s, len, word, sizeof word) || !*word)
		return -1;
	static const char *const client_tags[] = {"client", "clients", "customer", "customers",
	                                          NULL};
	static const char *const prospect_tags[] = {"prospect", "prospects", "lead", "leads", NULL};
	if (in_list(word, client_tags))
		return KIND_CLIENT;
	if (in_list(word, prospect_tags))
		return KIND_PROSPECT;
	return -1;
}

bool
norm_is_platinum(const char *s, size_t len)
{
	char word[SYNONYMS_KEY_MAX];
	return word_key(s, len, word, sizeof word) && strcmp(word, "platinum") == 0;
}

static int
medal_tier(const char *word, bool platinum_top)
{
	if (strcmp(word, "platinum") == 0)
		return 'A';
	if (strcmp(word, "gold") == 0)
		return platinum_top ? 'B' : 'A';
	if (strcmp(word, "silver") == 0)
		return platinum_top ? 'C' : 'B';
	if (strcmp(word, "bronze") == 0)
		return 'C';
	return -1;
}

/* Strip a leading or trailing word ("tier", "client"...) from word, in place. */
static void
strip_word(char *word, const char *w)
{
	size_t n = strlen(w), len = strlen(word);
	if (len > n && strncmp(word, w, n) == 0)
		memmove(word, word + n, len - n + 1);
	else if (len > n && strcmp(word + len - n, w) == 0)
		word[len - n] = '\0';
}

int
norm_tier(const char *s, size_t len, bool platinum_top)
{
	char word[SYNONYMS_KEY_MAX];
	if (!word_key(s, len, word, sizeof word) || !*word)
		return -1;
	static const char *const noise[] = {"tier",    "class",  "segment", "level", "category",
	                                    "clients", "client", "grade",   NULL};
	for (size_t i = 0; noise[i]; i++)
		strip_word(word, noise[i]);
	if (strlen(word) == 1) {
		char c = word[0];
		if (c == 'a' || c == '1')
			return 'A';
		if (c == 'b' || c == '2')
			return 'B';
		if (c == 'c' || c == '3')
			return 'C';
		return -1;
	}
	int t = medal_tier(word, platinum_top);
	if (t > 0)
		return t;
	static const char *const a[] = {"prime", "top", "high", "premium", NULL};
	static const char *const b[] = {"good", "medium", "mid", "middle", NULL};
	static const char *const c[] = {"kept", "low", "basic", NULL};
	if (in_list(word, a))
		return 'A';
	if (in_list(word, b))
		return 'B';
	if (in_list(word, c))
		return 'C';
	return -1;
}

int
norm_tag_tier(const char *s, size_t len, bool platinum_top)
{
	char word[SYNONYMS_KEY_MAX];
	if (!word_key(s, len, word, sizeof word) || strlen(word) < 2)
		return -1;
	int t = medal_tier(word, platinum_top);
	if (t > 0)
		return t;
	/* "tiera", "aclient(s)", "atier" */
	size_t n = strlen(word);
	char letter = 0;
	if (n == 5 && strncmp(word, "tier", 4) == 0)
		letter = word[4];
	else if (n == 5 && strcmp(word + 1, "tier") == 0)
		letter = word[0];
	else if ((n == 7 && strcmp(word + 1, "client") == 0) ||
	         (n == 8 && strcmp(word + 1, "clients") == 0))
		letter = word[0];
	if (letter == 'a' || letter == '1')
		return 'A';
	if (letter == 'b' || letter == '2')
		return 'B';
	if (letter == 'c' || letter == '3')
		return 'C';
	return -1;
}
