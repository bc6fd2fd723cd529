/*
 * normalize_name.c - norm_split_name: a display name in its parts.
 *
 * Most names are two words, "Ana Silva" or "Silva, Ana", and take a short
 * path that consults no list.  The rest are read word by word against short
 * lists of titles, suffixes and particles; a bit mask of each list's first
 * letters refuses most words without a comparison, since this runs on the
 * name of every row.
 */
#include "normalize.h"

#include <stdint.h>
#include <string.h>

#include "normalize_int.h"

/*
 * Is the word [p, end) one of list (case-insensitive, a final '.' ignored)?
 * Called only when word_may_be says it may be.
 */
static bool
word_in(const char *p, const char *end, const char *const *list)
{
	if (end > p && end[-1] == '.')
		end--;
	size_t n = (size_t)(end - p);
	char word[16];
	/* No title, suffix or particle is longer than five letters. */
	if (n == 0 || n > 5)
		return false;
	for (size_t i = 0; i < n; i++)
		word[i] = (char)ascii_lower((unsigned char)p[i]);
	word[n] = '\0';
	return in_list(word, list);
}

/*
 * Might the word [p, end) be one of a list?  firsts holds the first letters
 * of the list's words and longest the length of the longest: most words
 * are refused here, inline, without a comparison ("Silva" is no suffix by
 * its length alone).
 */
static inline bool
word_may_be(const char *p, const char *end, uint32_t firsts, ptrdiff_t longest)
{
	if (p == end || end - p > longest + 1 || (end - p == longest + 1 && end[-1] != '.'))
		return false;
	int c = ascii_lower((unsigned char)*p);
	return c >= 'a' && c <= 'z' && (firsts & (1u << (c - 'a')));
}

static const char *const titles[] = {"mr",   "mrs",  "ms",   "miss", "mx",   "dr",
                                     "prof", "sir",  "dame", "rev",  "sr",   "sra",
                                     "dra",  "herr", "frau", "mme",  "mlle", NULL};
static const char *const suffixes[] = {"jr",  "sr",  "ii",  "iii", "iv",  "phd", "md", "cfp",
                                       "cfa", "esq", "dds", "cpa", "jnr", "snr", NULL};
static const char *const particles[] = {"van", "von", "der", "den", "de",    "da", "das",
                                        "do",  "dos", "di",  "del", "della", "la", "le",
                                        "du",  "ter", "ten", "bin", "al",    "st", NULL};

/* The first letters of each list's words, a bit a letter. */
#define LETTER(c) (1u << ((c) - 'a'))
static const uint32_t title_firsts =
    LETTER('m') | LETTER('d') | LETTER('p') | LETTER('s') | LETTER('r') | LETTER('h') | LETTER('f');
static const uint32_t suffix_firsts = LETTER('j') | LETTER('s') | LETTER('i') | LETTER('p') |
                                      LETTER('m') | LETTER('c') | LETTER('e') | LETTER('d');
static const uint32_t particle_firsts =
    LETTER('v') | LETTER('d') | LETTER('b') | LETTER('l') | LETTER('t') | LETTER('a') | LETTER('s');
#undef LETTER

/* The lists by name, each with the length of its longest word (keep them in step). */
static inline bool
is_title(const char *p, const char *end)
{
	return word_may_be(p, end, title_firsts, 4) && word_in(p, end, titles);
}

static inline bool
is_suffix(const char *p, const char *end)
{
	return word_may_be(p, end, suffix_firsts, 3) && word_in(p, end, suffixes);
}

static inline bool
is_particle(const char *p, const char *end)
{
	return word_may_be(p, end, particle_firsts, 5) && word_in(p, end, particles);
}

struct words {
	const char *start[32];
	const char *end[32];
	size_t n;
};

/* Split [p, end) at white space into w (at most 32 words). */
static void
split_words(const char *p, const char *end, struct words *w)
{
	w->n = 0;
	size_t n;
	while (p < end && w->n < 32) {
		while (p < end) {
			if (is_white(*p))
				p++;
			else if ((unsigned char)*p >= 0xc2 && (n = utf8_space(p, end)) > 0)
				p += n;
			else
				break;
		}
		if (p >= end)
			break;
		const char *s = p;
		while (p < end && !is_white(*p) &&
		       !((unsigned char)*p >= 0xc2 && utf8_space(p, end)))
			p++;
		w->start[w->n] = s;
		w->end[w->n] = p;
		w->n++;
	}
}

static void
put_words(struct buf *out, const struct words *w, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		if (i > from)
			buf_putc(out, ' ');
		const char *e = w->end[i];
		/* "Smith," inside a run of words loses its comma. */
		if (i + 1 == to && e > w->start[i] && e[-1] == ',')
			e--;
		buf_append(out, w->start[i], (size_t)(e - w->start[i]));
	}
}

/* No control character and no UTF-8 space in [p, end): spaces are plain ' '. */
static bool
plain_spaces(const char *p, const char *end)
{
	for (const char *q = p; q < end; q++)
		if ((unsigned char)*q < ' ' || ((unsigned char)*q >= 0xc2 && utf8_space(q, end)))
			return false;
	return true;
}

/*
 * Where split_two_words' words are, for a name of at most 32 bytes with no
 * byte that may start a UTF-8 space (0xc2, 0xe2), from masks of its commas,
 * spaces and control bytes rather than memchr a word at a time.
 * Returns 1 with [*a, *a_end) the first name and [*b, *b_end) the last,
 * 0 if it is not two words, and -1 for any other name, which
 * split_two_words reads itself.
 */
static int
two_words_block(const char *p, const char *end, const char **a, const char **a_end, const char **b,
                const char **b_end)
{
	size_t n = (size_t)(end - p);
	if (!NORM_BLOCKS || n > 32)
		return -1;
	unsigned comma = 0, space = 0, control = 0, utf8 = 0;
	for (size_t i = 0; i < n; i += 16) {
		bytes16 v = block_load(p + i, n - i < 16 ? n - i : 16);
		comma |= block_bits((bytes16)(v == ',')) << i;
		space |= block_bits((bytes16)(v == ' ')) << i;
		control |= block_bits((bytes16)(v < ' ')) << i;
		utf8 |= block_bits((bytes16)((v == 0xc2) | (v == 0xe2))) << i;
	}
	/* A control byte (the padding lanes are NULs) is never a plain space. */
	unsigned lanes = n == 32 ? ~0u : (1u << n) - 1;
	if (control & lanes)
		return 0;
	if (utf8)
		return -1;
	unsigned at, from, to;
	if (comma) {
		/* "Silva, Ana": no space before the comma; after it, spaces, then a
		 * word with no space or comma. */
		at = (unsigned)__builtin_ctz(comma);
		unsigned after = ~0u << at << 1 & lanes;
		unsigned word = ~space & after;
		if (!word || (comma & after) || (space & ((1u << at) - 1)))
			return 0;
		from = (unsigned)__builtin_ctz(word);
		if (space & (~0u << from) & lanes)
			return 0;
		*b = p, *b_end = p + at;
		*a = p + from, *a_end = end;
	} else {
		/* "Ana Silva": one space. */
		if (!space || (space & (space - 1)))
			return 0;
		to = (unsigned)__builtin_ctz(space);
		*a = p, *a_end = p + to;
		*b = p + to + 1, *b_end = end;
	}
	return *a < *a_end && *b < *b_end && **b != '(';
}

/*
 * The two shapes most names have, "Ana Silva" and "Silva, Ana", without the
 * word lists' machinery; false (nothing written) for anything else.
 */
static bool
split_two_words(const char *p, const char *end, const char *comma, struct buf *display,
                struct buf *first, struct buf *last)
{
	const char *a, *a_end, *b, *b_end; /* first name, last name */
	int block = two_words_block(p, end, &a, &a_end, &b, &b_end);
	if (block == 0)
		return false;
	if (block < 0 && comma) {
		b = p, b_end = comma;
		a = comma + 1;
		while (a < end && *a == ' ')
			a++;
		a_end = end;
		/* (a <= end always: said so, or gcc -O3 sees a negative bound.) */
		if (a > end || memchr(a, ',', (size_t)(end - a)) ||
		    memchr(b, ' ', (size_t)(b_end - b)))
			return false;
	} else if (block < 0) {
		const char *sp = memchr(p, ' ', (size_t)(end - p));
		if (!sp)
			return false;
		a = p, a_end = sp;
		b = sp + 1, b_end = end;
	}
	if (block < 0 &&
	    (a == a_end || b == b_end || memchr(a, ' ', (size_t)(a_end - a)) ||
	     memchr(b, ' ', (size_t)(b_end - b)) || *b == '(' || !plain_spaces(p, end)))
		return false;
	if (is_title(a, a_end) || is_suffix(a, a_end) || is_suffix(b, b_end))
		return false;
	buf_append(display, a, (size_t)(a_end - a));
	buf_putc(display, ' ');
	buf_append(display, b, (size_t)(b_end - b));
	buf_append(first, a, (size_t)(a_end - a));
	buf_append(last, b, (size_t)(b_end - b));
	return true;
}

bool
norm_split_name(const char *s, size_t len, struct buf *display, struct buf *first, struct buf *last)
{
	const char *p = s, *end = s + len;
	trim(&p, &end);
	const char *comma = memchr(p, ',', (size_t)(end - p));
	if (split_two_words(p, end, comma, display, first, last))
		return comma != NULL;
	struct words w;
	if (comma) {
		/* "Silva, Ana" - unless what follows is a suffix: "Ana Silva, Jr." */
		const char *after = comma + 1, *after_end = end;
		trim(&after, &after_end);
		struct words tail;
		split_words(after, after_end, &tail);
		bool suffix = tail.n == 1 && is_suffix(tail.start[0], tail.end[0]);
		if (!suffix && tail.n > 0 && !memchr(after, ',', (size_t)(after_end - after))) {
			struct words lastw;
			split_words(p, comma, &lastw);
			size_t from = 0, to = tail.n;
			while (from < to && is_title(tail.start[from], tail.end[from]))
				from++;
			while (to > from && is_suffix(tail.start[to - 1], tail.end[to - 1]))
				to--;
			put_words(first, &tail, from, to);
			put_words(last, &lastw, 0, lastw.n);
			size_t before = display->len;
			put_words(display, &tail, 0, tail.n);
			if (display->len > before && lastw.n)
				buf_putc(display, ' ');
			put_words(display, &lastw, 0, lastw.n);
			return true;
		}
	}
	split_words(p, end, &w);
	put_words(display, &w, 0, w.n);
	size_t from = 0, to = w.n;
	while (from < to && is_title(w.start[from], w.end[from]))
		from++;
	while (to > from + 1 && (is_suffix(w.start[to - 1], w.end[to - 1]) ||
	                         (w.end[to - 1] > w.start[to - 1] && w.start[to - 1][0] == '(')))
		to--;
	if (to - from <= 1) {
		put_words(first, &w, from, to);
		return false;
	}
	size_t last_from = to - 1;
	while (last_from > from + 1 && is_particle(w.start[last_from - 1], w.end[last_from - 1]))
		last_from--;
	put_words(first, &w, from, last_from);
	put_words(last, &w, last_from, to);
	return false;
}
