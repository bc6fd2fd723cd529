/*
 * utf8.c - UTF-8 validity, display width and case.
 *
 * Validity is checked on every byte the readers take in, so the check
 * tests 64 ASCII bytes at a time (bytescan.h's vectors), then eight, and is
 * shared by the two entry points (one of which also stops at a NUL).  Display width is a small
 * range table rather than wcwidth(3): wcwidth depends on the locale, and the tools run with
 * whatever locale cron has.
 *
 * Case comes from utf8proc (Debian libutf8proc-dev), which carries
 * Unicode's tables, rather than tables of our own that would age.  Folding
 * runs per record in `=~`, so it never allocates once its scratch is warm
 * (utf8proc_map would malloc each call): utf8proc_decompose writes code
 * points into our buffer and utf8proc_reencode turns them into UTF-8 in
 * place.  Names and notes are mostly ASCII: an ASCII string skips utf8proc
 * entirely, and in any other only the non-ASCII runs go through it.
 */
#define _GNU_SOURCE /* memmem (POSIX.1-2024; glibc declares it for GNU only) */
#include "utf8.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "bytescan.h"

/* The UTF-8 check of both public functions; nul: a NUL byte ends the prefix. */
static inline size_t
utf8_prefix(const char *s, size_t n, bool nul)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		/* ASCII, the common case: 64 bytes a test, then eight at a time. */
		while (i + 64 <= n) {
			bytes16 v[4];
			memcpy(v, p + i, sizeof v);
			/* Bit 7 of v - 1 is set for a NUL (and above 0x80), of v at or above 0x80.
			 */
			bytes16 all = v[0] | v[1] | v[2] | v[3];
			if (nul)
				all |= (bytes16)(v[0] - 1) | (bytes16)(v[1] - 1) |
				       (bytes16)(v[2] - 1) | (bytes16)(v[3] - 1);
			bytes16 odd = all & 0x80;
			if (bytes16_any(odd))
				break;
			i += 64;
		}
		while (i + 8 <= n) {
			uint64_t word;
			memcpy(&word, p + i, 8);
			if (word & 0x8080808080808080u)
				break;
			/* A zero byte in the word: the classic has-zero test. */
			if (nul && ((word - 0x0101010101010101u) & ~word & 0x8080808080808080u))
				break;
			i += 8;
		}
		if (i == n)
			break;
		unsigned c = p[i];
		if (c == 0 && nul)
			return i;
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t len;
		unsigned min;
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2;
			min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			min = 0x10000;
		} else {
			return i;
		}
		if (i + len > n)
			return i;
		unsigned cp = c & (0xff >> (len + 1));
		for (size_t k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		/* Overlong forms, surrogates and values past U+10FFFF are not UTF-8. */
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += len;
	}
	return n;
}

size_t
utf8_valid_prefix(const char *s, size_t n)
{
	return utf8_prefix(s, n, false);
}

size_t
utf8_text_prefix(const char *s, size_t n)
{
	return utf8_prefix(s, n, true);
}

size_t
utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = utf8_valid_prefix(s, len < 4 ? len : 4);
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	size_t need = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : 2;
	if (n < need) {
		*cp = 0xfffd;
		return 1;
	}
	if (need == 2)
		*cp = (uint32_t)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
	else if (need == 3)
		*cp = (uint32_t)(p[0] & 0x0f) << 12 | (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
	else
		*cp = (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3f) << 12 |
		      (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
	return need;
}

struct range {
	uint32_t first, last;
};

/* Combining marks and zero-width characters (a practical subset). */
static const struct range zero_width[] = {
    {0x0300, 0x036f},   {0x0483, 0x0489},   {0x0591, 0x05bd}, {0x05bf, 0x05bf}, {0x05c1, 0x05c2},
    {0x05c4, 0x05c5},   {0x05c7, 0x05c7},   {0x0610, 0x061a}, {0x064b, 0x065f}, {0x0670, 0x0670},
    {0x06d6, 0x06dc},   {0x06df, 0x06e4},   {0x0900, 0x0902}, {0x093a, 0x093a}, {0x093c, 0x093c},
    {0x0941, 0x0948},   {0x094d, 0x094d},   {0x0e31, 0x0e31}, {0x0e34, 0x0e3a}, {0x0e47, 0x0e4e},
    {0x1ab0, 0x1aff},   {0x1dc0, 0x1dff},   {0x200b, 0x200f}, {0x202a, 0x202e}, {0x2060, 0x2064},
    {0x20d0, 0x20ff},   {0xfe00, 0xfe0f},   {0xfe20, 0xfe2f}, {0xfeff, 0xfeff}, {0x1f3fb, 0x1f3ff},
    {0xe0001, 0xe007f}, {0xe0100, 0xe01ef},
};

/* East Asian Wide and Fullwidth (Unicode 15, merged into ranges). */
static const struct range wide[] = {
    {0x1100, 0x115f},   {0x231a, 0x231b},   {0x2329, 0x232a},   {0x23e9, 0x23ec},
    {0x23f0, 0x23f0},   {0x23f3, 0x23f3},   {0x25fd, 0x25fe},   {0x2614, 0x2615},
    {0x2648, 0x2653},   {0x267f, 0x267f},   {0x2693, 0x2693},   {0x26a1, 0x26a1},
    {0x26aa, 0x26ab},   {0x26bd, 0x26be},   {0x26c4, 0x26c5},   {0x26ce, 0x26ce},
    {0x26d4, 0x26d4},   {0x26ea, 0x26ea},   {0x26f2, 0x26f3},   {0x26f5, 0x26f5},
    {0x26fa, 0x26fa},   {0x26fd, 0x26fd},   {0x2705, 0x2705},   {0x270a, 0x270b},
    {0x2728, 0x2728},   {0x274c, 0x274c},   {0x274e, 0x274e},   {0x2753, 0x2755},
    {0x2757, 0x2757},   {0x2795, 0x2797},   {0x27b0, 0x27b0},   {0x27bf, 0x27bf},
    {0x2b1b, 0x2b1c},   {0x2b50, 0x2b50},   {0x2b55, 0x2b55},   {0x2e80, 0x303e},
    {0x3041, 0x33ff},   {0x3400, 0x4dbf},   {0x4e00, 0x9fff},   {0xa000, 0xa4cf},
    {0xa960, 0xa97f},   {0xac00, 0xd7a3},   {0xf900, 0xfaff},   {0xfe10, 0xfe19},
    {0xfe30, 0xfe6f},   {0xff00, 0xff60},   {0xffe0, 0xffe6},   {0x16fe0, 0x16fe4},
    {0x17000, 0x18aff}, {0x1b000, 0x1b2ff}, {0x1f004, 0x1f004}, {0x1f0cf, 0x1f0cf},
    {0x1f18e, 0x1f18e}, {0x1f191, 0x1f19a}, {0x1f200, 0x1f251}, {0x1f300, 0x1f64f},
    {0x1f680, 0x1f6ff}, {0x1f7e0, 0x1f7eb}, {0x1f90c, 0x1f9ff}, {0x1fa70, 0x1faff},
    {0x20000, 0x2fffd}, {0x30000, 0x3fffd},
};

static bool
in_ranges(uint32_t cp, const struct range *r, size_t n)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cp < r[mid].first)
			hi = mid;
		else if (cp > r[mid].last)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

size_t
utf8_cp_width(uint32_t cp)
{
	if (cp < 0x300)
		return 1;
	if (in_ranges(cp, zero_width, sizeof zero_width / sizeof *zero_width))
		return 0;
	return in_ranges(cp, wide, sizeof wide / sizeof *wide) ? 2 : 1;
}

size_t
utf8_width(const char *s, size_t len)
{
	size_t w = 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		i += utf8_decode(s + i, len - i, &cp);
		w += utf8_cp_width(cp);
	}
	return w;
}

void
utf8_printable(char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\n') || c == 0x7f) {
			s[i] = '?';
		} else if (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] >= 0x80 &&
		           (unsigned char)s[i + 1] <= 0x9f) {
			s[i] = s[i + 1] = '?'; /* a C1 control, U+0080..U+009F */
			i++;
		}
	}
}

/* True if s[0..n) is all ASCII, eight bytes at a time. */
static bool
all_ascii(const char *s, size_t n)
{
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t word;
		memcpy(&word, s + i, 8);
		if (word & 0x8080808080808080u)
			return false;
	}
	for (; i < n; i++)
		if ((unsigned char)s[i] & 0x80)
			return false;
	return true;
}

/* Room for need code points and the one utf8proc_reencode may write past them. */
static void
casefold_reserve(struct casefold *cf, size_t need)
{
	if (need + 1 > cf->cap)
		cf->cps = xgrow(cf->cps, &cf->cap, need + 1, sizeof *cf->cps);
}

/* ASCII letters lowered into cf->out, every other byte kept. */
static const char *
fold_bytes(struct casefold *cf, const char *s, size_t n, size_t *len)
{
	buf_reset(&cf->out);
	buf_reserve(&cf->out, n);
	for (size_t i = 0; i < n; i++)
		cf->out.data[i] = (char)ascii_lower((unsigned char)s[i]);
	cf->out.len = n;
	cf->out.data[n] = '\0';
	*len = n;
	return cf->out.data;
}

/*
 * Letters with no decomposition that people type without their stroke
 * ("Soren" for Søren, "Lodz" for Łódź): for names, each as its ASCII base.
 */
static int32_t
name_base(int32_t cp)
{
	switch (cp) {
	case 0x00F8: /* ø */
		return 'o';
	case 0x0111: /* đ */
		return 'd';
	case 0x0127: /* ħ */
		return 'h';
	case 0x0131: /* ı */
		return 'i';
	case 0x0142: /* ł */
		return 'l';
	default:
		return cp;
	}
}

/*
 * Append s[0..n) folded (NFC, full case folding; names: marks stripped and
 * name_base too) to cf->out; -1 if not UTF-8.
 */
static int
fold_segment(struct casefold *cf, const char *s, size_t n, bool names)
{
	const utf8proc_option_t opts = UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE | UTF8PROC_STABLE |
	                               (names ? UTF8PROC_STRIPMARK : 0);
	/* A code point takes a byte or more, and folds to at most three
	 * (ﬃ to ffi): 3n fits unless a decomposition is longer, then retry. */
	casefold_reserve(cf, 3 * n);
	utf8proc_ssize_t got;
	for (;;) {
		got = utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, cf->cps,
		                         (utf8proc_ssize_t)(cf->cap - 1), opts);
		if (got < 0)
			return -1;
		if ((size_t)got <= cf->cap - 1)
			break;
		casefold_reserve(cf, (size_t)got);
	}
	/* Decomposing stripped the marks; the letters' bases before composing. */
	for (utf8proc_ssize_t i = 0; names && i < got; i++)
		cf->cps[i] = name_base(cf->cps[i]);
	got = utf8proc_reencode(cf->cps, got, opts);
	if (got < 0)
		return -1;
	buf_append(&cf->out, cf->cps, (size_t)got);
	return 0;
}

/* utf8_casefold, and with names utf8_namefold. */
static const char *
fold(struct casefold *cf, const char *s, size_t n, size_t *len, bool names)
{
	if (all_ascii(s, n) || n > (size_t)PTRDIFF_MAX / 16)
		return fold_bytes(cf, s, n, len);
	/*
	 * Only the non-ASCII runs go through utf8proc, each with the ASCII
	 * byte before it: normalisation composes a starter with the marks that
	 * follow it ("e" + U+0301 is é) and reorders marks, and no ASCII
	 * character is a mark or the second of a composition, so an ASCII byte
	 * followed by another ASCII byte folds alone, as its lower case.
	 */
	buf_reset(&cf->out);
	buf_reserve(&cf->out, n);
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80 && (i + 1 == n || !((unsigned char)s[i + 1] & 0x80))) {
			buf_putc(&cf->out, (char)ascii_lower(c));
			i++;
			continue;
		}
		size_t j = c < 0x80 ? i + 1 : i;
		while (j < n && ((unsigned char)s[j] & 0x80))
			j++;
		if (fold_segment(cf, s + i, j - i, names) < 0)
			return fold_bytes(cf, s, n, len);
		i = j;
	}
	*len = cf->out.len;
	return cf->out.data;
}

const char *
utf8_casefold(struct casefold *cf, const char *s, size_t n, size_t *len)
{
	return fold(cf, s, n, len, false);
}

const char *
utf8_namefold(struct casefold *cf, const char *s, size_t n, size_t *len)
{
	return fold(cf, s, n, len, true);
}

void
utf8_casefold_free(struct casefold *cf)
{
	free(cf->cps);
	cf->cps = NULL;
	cf->cap = 0;
	buf_free(&cf->out);
}

bool
utf8_contains(const char *h, size_t n, const char *f, size_t m)
{
	/* glibc's memmem is the Two-Way search: linear whatever the text. */
	return m == 0 || memmem(h, n, f, m) != NULL;
}

/*
 * utf8_contains on an ASCII haystack lowered on the fly: no copy.  It may
 * compare each byte against the whole needle, so it is for short needles
 * only (ASCII_INPLACE_MAX), where that is a small constant.
 */
#define ASCII_INPLACE_MAX 16
static bool
ascii_contains_folded(const char *h, size_t n, const char *f, size_t m)
{
	if (m > n)
		return false;
	for (size_t i = 0; i + m <= n; i++) {
		if (ascii_lower((unsigned char)h[i]) != (unsigned char)f[0])
			continue;
		size_t k = 1;
		while (k < m && ascii_lower((unsigned char)h[i + k]) == (unsigned char)f[k])
			k++;
		if (k == m)
			return true;
	}
	return false;
}

bool
utf8_casefold_contains(struct casefold *cf, const char *s, size_t n, const char *f, size_t m)
{
	if (m == 0)
		return true;
	if (m <= ASCII_INPLACE_MAX && all_ascii(s, n))
		return ascii_contains_folded(s, n, f, m);
	size_t len;
	const char *h = utf8_casefold(cf, s, n, &len);
	return utf8_contains(h, len, f, m);
}

void
utf8_lower(struct buf *out, const char *s, size_t n)
{
	buf_reserve(out, n);
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			out->data[out->len++] = (char)ascii_lower(c);
			i++;
			continue;
		}
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		                                      (utf8proc_ssize_t)(n - i), &cp);
		if (k < 0) {
			out->data[out->len++] = (char)c;
			i++;
			continue;
		}
		utf8proc_uint8_t enc[4];
		utf8proc_ssize_t m = utf8proc_encode_char(utf8proc_tolower(cp), enc);
		/* A lower case letter may take more bytes than its capital (Ⱥ, 2
		 * bytes, lowers to ⱥ, 3): reserve for what is left. */
		if ((size_t)m > (size_t)k)
			buf_reserve(out, (size_t)m + (n - i));
		memcpy(out->data + out->len, enc, (size_t)m);
		out->len += (size_t)m;
		i += (size_t)k;
	}
	out->data[out->len] = '\0';
}

size_t
utf8_clean_prefix(const char *s, size_t len, bool lines)
{
	size_t valid = utf8_valid_prefix(s, len);
	for (size_t i = 0; i < valid; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && !(lines && c == '\n')) || c == 0x7f)
			return i;
		/* A C1 control, U+0080..U+009F (valid UTF-8: the next byte is >= 0x80). */
		if (c == 0xc2 && i + 1 < valid && (unsigned char)s[i + 1] <= 0x9f)
			return i;
	}
	return valid;
}
