/*
 * test_normalize_fast.c - the normalisers' block fast paths (lib/normalize.c,
 * lib/normalize_name.c) against their general paths, on a large generated
 * set: each common shape at every length from 0 to 70, and with one odd
 * byte (a tab, a double space, a no-break space, a capital, a second @, a
 * trailing dot, a non-ASCII letter, "n/a"...) put in or written over at
 * every position.
 *
 * The general path is reached by a change that must not change the result:
 * a ';' after an email or a phone (a list of one item), a '+' before an
 * amount.  Where no such change exists the test holds a small copy of the
 * code as it was (the byte loops of norm_clean_text, plain_digits and
 * plain_amount, norm_phone_digits, split_two_words' word finding).  Test
 * test_fields.c holds the expected strings of each normaliser.
 */
#include <stdint.h>

#include "normalize.h"
#include "unit.h"

/* Each value is copied to the heap at its exact size: the sanitizer and
 * valgrind see a read past its end. */
static char *
exact(const char *s, size_t n)
{
	char *p = malloc(n ? n : 1);
	if (!p)
		abort();
	memcpy(p, s, n);
	return p;
}

static bool
same(const struct buf *a, const struct buf *b)
{
	return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

/* --- references: the old byte loops ------------------------------------ */

static size_t
ref_utf8_space(const char *p, const char *end)
{
	const unsigned char *u = (const unsigned char *)p;
	if (end - p >= 2 && u[0] == 0xc2 && u[1] == 0xa0)
		return 2;
	if (end - p >= 3 && u[0] == 0xe2 && u[1] == 0x80 && (u[2] == 0xaf || u[2] == 0x89))
		return 3;
	return 0;
}

static bool
ref_white(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* norm_clean_text's general loop, on every value: trim, then runs of white space made one. */
static void
ref_clean_text(const char *p, size_t len, struct buf *out)
{
	const char *end = p + len;
	size_t n;
	while (p < end && (n = ref_white(*p) ? 1 : ref_utf8_space(p, end)) > 0)
		p += n;
	bool space = false;
	for (; p < end;) {
		n = ref_white(*p) ? 1 : ref_utf8_space(p, end);
		if (n) {
			space = true;
			p += n;
			continue;
		}
		if (space)
			buf_putc(out, ' ');
		space = false;
		buf_putc(out, *p++);
	}
}

/* The old plain_digits and plain_amount on a trimmed value: true with out set, or false. */
static bool
ref_plain_amount(const char *p, const char *end, bool decimal_comma, bool integer, struct buf *out)
{
	const char *q = p;
	while (q < end && *q >= '0' && *q <= '9')
		q++;
	if (q == end && p != end && end - p <= 15) {
		while (end - p > 1 && *p == '0')
			p++;
		buf_append(out, p, (size_t)(end - p));
		return true;
	}
	if (decimal_comma)
		return false;
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
		} else if (*p >= '0' && *p <= '9' && n < sizeof digits) {
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
		for (p++; p < end && *p >= '0' && *p <= '9' && n < sizeof digits; p++)
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

static size_t
ref_phone_digits(const char *phone, char digits[11])
{
	char all[32];
	size_t total = 0;
	for (const char *q = phone; *q && total < sizeof all; q++) {
		if (*q >= '0' && *q <= '9')
			all[total++] = *q;
		else if (*q == ' ' && q[1] == 'e')
			break;
	}
	size_t n = total < 10 ? total : 10;
	memcpy(digits, all + total - n, n);
	digits[n] = '\0';
	return n;
}

static bool
ref_in(const char *p, const char *end, const char *const *list)
{
	if (end > p && end[-1] == '.')
		end--;
	size_t n = (size_t)(end - p);
	for (; *list; list++) {
		size_t k = 0;
		while (k < n && (p[k] | 0x20) == (*list)[k])
			k++;
		if (k == n && !(*list)[n])
			return true;
	}
	return false;
}

/* normalize_name.c's titles and suffixes: split_two_words leaves such a word to the general path.
 */
static const char *const ref_titles[] = {"mr",   "mrs",  "ms",   "miss", "mx",   "dr",
                                         "prof", "sir",  "dame", "rev",  "sr",   "sra",
                                         "dra",  "herr", "frau", "mme",  "mlle", NULL};
static const char *const ref_suffixes[] = {"jr",  "sr",  "ii",  "iii", "iv",  "phd", "md", "cfp",
                                           "cfa", "esq", "dds", "cpa", "jnr", "snr", NULL};

/*
 * split_two_words' words, found with memchr as it did, for a trimmed name:
 * true with the first and last name set.
 */
static bool
ref_two_words(const char *p, const char *end, const char **a, const char **a_end, const char **b,
              const char **b_end)
{
	const char *comma = memchr(p, ',', (size_t)(end - p));
	if (comma) {
		*b = p, *b_end = comma;
		*a = comma + 1;
		while (*a < end && **a == ' ')
			(*a)++;
		*a_end = end;
		if (memchr(*a, ',', (size_t)(end - *a)) || memchr(*b, ' ', (size_t)(*b_end - *b)))
			return false;
	} else {
		const char *sp = memchr(p, ' ', (size_t)(end - p));
		if (!sp)
			return false;
		*a = p, *a_end = sp;
		*b = sp + 1, *b_end = end;
	}
	if (*a == *a_end || *b == *b_end || memchr(*a, ' ', (size_t)(*a_end - *a)) ||
	    memchr(*b, ' ', (size_t)(*b_end - *b)) || **b == '(')
		return false;
	for (const char *q = p; q < end; q++)
		if ((unsigned char)*q < ' ' || ref_utf8_space(q, end))
			return false;
	return true;
}

/* --- the checks, one value at a time ------------------------------------ */

/*
 * Disagreements, counted per normaliser (one CHECK each at the end, so the
 * runner's totals stay about behaviours, not the 100,000 values tried); the
 * first few are printed with the value that showed them.
 */
enum { EMAIL, PHONE, NUMBER, CLEAN, NAME, NCHECKED };
static const char *const checked[NCHECKED] = {"norm_email", "norm_phone", "norm_number",
                                              "norm_clean_text", "norm_split_name"};
static int tried[NCHECKED], wrong[NCHECKED];

static void
agree(bool ok, int which, const char *s, size_t n)
{
	tried[which]++;
	if (!ok && wrong[which]++ < 5)
		fprintf(stderr, "%s: fast and general paths differ on \"%.*s\" (%zu bytes)\n",
		        checked[which], (int)n, s, n);
}

static void
check_email(const char *s, size_t n)
{
	char *v = exact(s, n), *w = exact(s, n + 1);
	w[n] = ';';
	struct buf a = {0}, b = {0}, ra = {0}, rb = {0};
	char wa[128] = "", wb[128] = "";
	int x = norm_email(v, n, &a, &ra, wa, sizeof wa);
	int y = norm_email(w, n + 1, &b, &rb, wb, sizeof wb);
	agree(x == y && same(&a, &b) && same(&ra, &rb) && strcmp(wa, wb) == 0, EMAIL, s, n);
	free(a.data), free(b.data), free(ra.data), free(rb.data), free(v), free(w);
}

static void
check_phone(const char *s, size_t n)
{
	char *v = exact(s, n), *w = exact(s, n + 1);
	w[n] = ';';
	struct buf a = {0}, b = {0}, ra = {0}, rb = {0};
	char wa[128] = "", wb[128] = "";
	int x = norm_phone(v, n, &a, &ra, wa, sizeof wa);
	int y = norm_phone(w, n + 1, &b, &rb, wb, sizeof wb);
	agree(x == y && same(&a, &b) && same(&ra, &rb) && strcmp(wa, wb) == 0, PHONE, s, n);
	/* The digits of the value itself and of what norm_phone made of it. */
	char d1[11], d2[11];
	char *z = exact(s, n + 1);
	z[n] = '\0';
	size_t k1 = norm_phone_digits(z, d1), k2 = ref_phone_digits(z, d2);
	agree(k1 == k2 && strcmp(d1, d2) == 0, PHONE, s, n);
	if (x == 0) {
		k1 = norm_phone_digits(buf_str(&a), d1), k2 = ref_phone_digits(buf_str(&a), d2);
		agree(k1 == k2 && strcmp(d1, d2) == 0, PHONE, s, n);
	}
	free(a.data), free(b.data), free(ra.data), free(rb.data), free(v), free(w), free(z);
}

static void
check_number(const char *s, size_t n)
{
	char *v = exact(s, n), *w = exact(s, n + 1);
	memmove(w + 1, w, n);
	w[0] = '+';
	const char *p = v, *end = v + n;
	while (p < end && ref_white(*p))
		p++;
	while (end > p && ref_white(end[-1]))
		end--;
	/* ASCII only: a no-break space at an end is the phases' to read. */
	bool ascii = true;
	for (size_t i = 0; i < n; i++)
		ascii &= (unsigned char)v[i] < 0x80;
	for (int flags = 0; flags < 4; flags++) {
		bool dc = flags & 1, integer = flags & 2;
		struct buf a = {0}, b = {0}, r = {0};
		char wa[128] = "", wb[128] = "";
		int x = norm_number(v, n, dc, integer, &a, wa, sizeof wa);
		if (ascii && ref_plain_amount(p, end, dc, integer, &r)) {
			/* The fast paths' result, and the phases' on "+value". */
			agree(x == 0 && same(&a, &r), NUMBER, s, n);
			int y = norm_number(w, n + 1, dc, integer, &b, wb, sizeof wb);
			if (n && *v != '+' && *v != '-' && !ref_white(*v))
				agree(y == 0 && same(&a, &b), NUMBER, s, n);
		}
		free(a.data), free(b.data), free(r.data);
	}
	free(v), free(w);
}

static void
check_clean(const char *s, size_t n)
{
	char *v = exact(s, n);
	struct buf a = {0}, b = {0};
	norm_clean_text(v, n, &a);
	ref_clean_text(v, n, &b);
	agree(same(&a, &b), CLEAN, s, n);
	free(a.data), free(b.data), free(v);
}

static void
check_name(const char *s, size_t n)
{
	char *v = exact(s, n);
	struct buf d = {0}, f = {0}, l = {0};
	bool comma = norm_split_name(v, n, &d, &f, &l);
	const char *p = v, *end = v + n, *a, *a_end, *b, *b_end;
	while (p < end && ref_white(*p))
		p++;
	while (end > p && ref_white(end[-1]))
		end--;
	if (ref_two_words(p, end, &a, &a_end, &b, &b_end) && !ref_in(a, a_end, ref_titles) &&
	    !ref_in(a, a_end, ref_suffixes) && !ref_in(b, b_end, ref_suffixes)) {
		struct buf want = {0};
		buf_append(&want, a, (size_t)(a_end - a));
		buf_putc(&want, ' ');
		buf_append(&want, b, (size_t)(b_end - b));
		agree(same(&d, &want), NAME, s, n);
		agree(f.len == (size_t)(a_end - a) && memcmp(f.data, a, f.len) == 0, NAME, s, n);
		agree(l.len == (size_t)(b_end - b) && memcmp(l.data, b, l.len) == 0, NAME, s, n);
		agree(comma == (memchr(p, ',', (size_t)(end - p)) != NULL), NAME, s, n);
		free(want.data);
	}
	free(d.data), free(f.data), free(l.data), free(v);
}

static void
check_all(const char *s, size_t n)
{
	check_email(s, n);
	check_phone(s, n);
	check_number(s, n);
	check_clean(s, n);
	check_name(s, n);
}

/* --- the generated set -------------------------------------------------- */

static const char *const shapes[] = {"Ben.silva1@Example.com",
                                     "a@b.co",
                                     "x_y+z-w@mail.example.org",
                                     "(200) 000-0001",
                                     "200.000.0001",
                                     "+1 (555) 010-2030",
                                     "555 010 2030 x12",
                                     "$14,607.00",
                                     "$730436",
                                     "1",
                                     "007",
                                     "1,250.5",
                                     "$1,234,567.89",
                                     "12.50",
                                     "100000000000000",
                                     "Silva, Ben",
                                     "Ben Silva",
                                     "Ana Maria Silva",
                                     "Silva family",
                                     "Conservative",
                                     "100001",
                                     "Joe",
                                     "Dr. Ana Silva, Jr.",
                                     "a b c d e f g h i j k l m n o p"};

static const char *const odd[] = {
    "\t", "  ", "\xc2\xa0", "\xe2\x80\xaf", "A",    "Z",   "@", ".", "\xc3\xa9", "n/a", ",", ";",
    " ",  "\r", "\n",       "\x01",         "-",    "(",   ")", "0", "9",        "$",   "e", "+",
    ":",  "'",  "\xc2",     "\xe2",         "\x80", "\xff"};

int
main(void)
{
	char v[256];
	size_t nshapes = sizeof shapes / sizeof *shapes, nodd = sizeof odd / sizeof *odd;
	for (size_t i = 0; i < nshapes; i++) {
		size_t len = strlen(shapes[i]);
		/* Every length from 0 to 70: the shape cut short or repeated. */
		for (size_t n = 0; n <= 70; n++) {
			for (size_t k = 0; k < n; k++)
				v[k] = shapes[i][k % len];
			check_all(v, n);
		}
		/* One odd byte or two put in, or written over, at every position. */
		for (size_t j = 0; j < nodd; j++) {
			size_t olen = strlen(odd[j]);
			for (size_t at = 0; at <= len; at++) {
				memcpy(v, shapes[i], at);
				memcpy(v + at, odd[j], olen);
				memcpy(v + at + olen, shapes[i] + at, len - at);
				check_all(v, len + olen);
				if (at + olen <= len) {
					memcpy(v, shapes[i], len);
					memcpy(v + at, odd[j], olen);
					check_all(v, len);
				}
			}
		}
	}
	/* A NUL inside a value is a byte like another. */
	check_all("Ben\0Silva", 9);
	check_all("a@b\0.co", 7);
	for (int k = 0; k < NCHECKED; k++) {
		CHECK(tried[k] > 1000);
		CHECK_INT(wrong[k], 0);
	}
	return unit_report("normalize_fast");
}
