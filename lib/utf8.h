/*
 * utf8.h - UTF-8: how much of a byte string is valid, how many terminal
 * cells it takes, and its case folded or lowered for every script.
 *
 * Every function reads only s[0..n) and is safe on any bytes: an invalid
 * or truncated sequence is never read past the end.  Nothing here depends
 * on the locale: case follows Unicode's default (not Turkish or Lithuanian)
 * rules, through utf8proc.
 */
#ifndef CS_UTF8_H
#define CS_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Length of the valid UTF-8 prefix of p[0..n): n when all of it is valid. */
size_t utf8_valid_prefix(const char *p, size_t n);
/* The same, stopping at a NUL byte too: the check every field read gets. */
size_t utf8_text_prefix(const char *p, size_t n);

/*
 * Decode the code point at s[0..len) (len > 0) into *cp; returns its length
 * in bytes.  An invalid or truncated sequence decodes as one byte, U+FFFD.
 */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

/* The cells code point cp takes: 0 (combining marks), 1, or 2 (East Asian wide). */
size_t utf8_cp_width(uint32_t cp);

/*
 * The display width of the UTF-8 string s[0..len): code points count 1,
 * combining marks 0, East Asian wide and fullwidth characters 2; an invalid
 * byte counts 1.
 */
size_t utf8_width(const char *s, size_t len);

/*
 * Make s[0..len) safe to show on a terminal, in place: every control
 * character but the line feed (C0, DEL, and C1 such as the CSI that starts
 * an escape sequence) becomes '?', one per byte, so data can never move the
 * cursor, change colours or retitle the window of whoever reads the output.
 */
void utf8_printable(char *s, size_t len);

/*
 * struct casefold - the reusable scratch of utf8_casefold.  Zero-initialise
 * it ({0}); utf8_casefold_free frees what it holds.  It grows to the
 * longest string folded and is then reused, so folding a field per record
 * allocates nothing once warm.
 */
struct casefold {
	int32_t *cps;   /* a non-ASCII run's code points, then its UTF-8 in place */
	size_t cap;     /* in code points, one more than utf8proc may fill */
	struct buf out; /* the folded string */
};

/*
 * Fold the case of s[0..n) for caseless matching: Unicode full case folding
 * (CaseFolding.txt, C+F, default rules) of the NFC form, so "Ørsted",
 * "ØRSTED" and a decomposed "O\u0338rsted" all fold to "ørsted", "Straße"
 * and "STRASSE" to "strasse", a final sigma to σ, K (Kelvin) to k; the
 * Turkish dotted capital İ folds to "i" and a combining dot above (U+0307),
 * the dotless ı stays ı.  An ASCII string takes a fast path (ASCII
 * letters lowered, nothing else read).  Bytes that are not valid UTF-8
 * make the whole string fold as ASCII, every other byte kept.
 * Returns the folded bytes, borrowed from cf (valid until the next call
 * with cf or utf8_casefold_free), NUL-terminated, their length in *len.
 */
const char *utf8_casefold(struct casefold *cf, const char *s, size_t n, size_t *len);
void utf8_casefold_free(struct casefold *cf);

/*
 * Fold s[0..n) as utf8_casefold, and drop accents too, for finding a name
 * as people type it: combining marks are stripped after decomposition
 * ("Élise Åström" folds to "elise astrom", as does "ELISE ASTROM"), and
 * the letters with a stroke that have no decomposition become their base
 * letter (ø o, đ d, ħ h, ł l, and the dotless ı i).  Scripts without
 * accents (王芳) fold as by utf8_casefold.  Borrowed from cf, as there.
 */
const char *utf8_namefold(struct casefold *cf, const char *s, size_t n, size_t *len);

/*
 * True if the folded needle f[0..m) occurs in the folded haystack
 * h[0..n) (both from utf8_casefold).  The empty needle occurs in anything.
 */
bool utf8_contains(const char *h, size_t n, const char *f, size_t m);

/*
 * True if the folded needle f[0..m) (from utf8_casefold) occurs in s[0..n)
 * folded: what `=~` asks per record.  An ASCII s is searched in place,
 * lowered on the fly; any other is folded into cf first.
 */
bool utf8_casefold_contains(struct casefold *cf, const char *s, size_t n, const char *f,
                            size_t m);

/*
 * Append s[0..n) lowered to out: each code point through Unicode's simple
 * lowercase mapping (utf8proc_tolower: one code point to one, no context),
 * so "ÉLISE" gives "élise", "ΟΔΟΣ" gives "οδοσ" (no final ς), "İ" gives
 * "i", and ß, already lower, stays ß.  Bytes that are not valid UTF-8 are
 * copied as they are.  out stays NUL-terminated.
 */
void utf8_lower(struct buf *out, const char *s, size_t n);

/*
 * Where s[0..len) stops being text that is safe to store and show: the
 * offset of its first invalid UTF-8 sequence or control character (C0,
 * tab included, DEL, C1; the line feed too unless lines is true), or len
 * when it has none.
 */
size_t utf8_clean_prefix(const char *s, size_t len, bool lines);

#endif
