/*
 * normalize_int.h - the byte-level helpers normalize.c and normalize_name.c
 * share, and no one else: white space (ASCII and the UTF-8 no-break and
 * thin spaces) and word lists.  They run on every field of every row, so
 * they are inline here.
 */
#ifndef CS_NORMALIZE_INT_H
#define CS_NORMALIZE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bytescan.h"

/* Length of a UTF-8 space character at p (NBSP, narrow NBSP, thin space), or 0. */
static inline size_t
utf8_space(const char *p, const char *end)
{
	const unsigned char *u = (const unsigned char *)p;
	if (end - p >= 2 && u[0] == 0xc2 && u[1] == 0xa0)
		return 2;
	if (end - p >= 3 && u[0] == 0xe2 && u[1] == 0x80 && (u[2] == 0xaf || u[2] == 0x89))
		return 3;
	return 0;
}

static inline bool
is_white(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Narrow [a, b) past white space (ASCII and the UTF-8 spaces) at both ends. */
static void
trim_all(const char **p, const char **end)
{
	const char *a = *p, *b = *end;
	size_t n;
	while (a < b) {
		if (is_white(*a))
			a++;
		else if ((unsigned char)*a >= 0xc2 && (n = utf8_space(a, b)) > 0)
			a += n;
		else
			break;
	}
	while (b > a) {
		if (is_white(b[-1]))
			b--;
		else if ((unsigned char)b[-1] < 0x80)
			break;
		else if (b - a >= 2 && utf8_space(b - 2, b) == 2)
			b -= 2;
		else if (b - a >= 3 && utf8_space(b - 3, b) == 3)
			b -= 3;
		else
			break;
	}
	*p = a;
	*end = b;
}

/*
 * Narrow [*p, *end) past white space at both ends.  Most values have none:
 * printable ASCII at both ends says so without a call.
 */
static inline void
trim(const char **p, const char **end)
{
	const char *a = *p, *b = *end;
	if (a < b && (unsigned char)(*a - 0x21) < 0x5e && (unsigned char)(b[-1] - 0x21) < 0x5e)
		return;
	trim_all(p, end);
}

/*
 * Sixteen bytes at a time (bytescan.h's vectors): the fast paths of the
 * normalisers classify a value a block at a time and turn each class into a
 * mask, one bit a byte, that a few shifts and counts then read.  Their
 * arithmetic puts the first byte in the low lanes: on a big-endian machine
 * NORM_BLOCKS is 0 and every value takes the general path.
 */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define NORM_BLOCKS 1
#else
#define NORM_BLOCKS 0
#endif

/*
 * p[0..n), n <= 16, as a block: byte i in lane i, lanes n..15 zero.  A
 * value is not padded, so nothing past p[n - 1] is read: the bytes come in
 * two overlapping loads, as in bytescan.h.
 */
static inline bytes16
block_load(const char *p, size_t n)
{
	uint64_t w0 = 0, w1 = 0;
	if (n >= 8) {
		/* The last eight bytes, shifted down to lanes 8..n-1 (by 64, in two
		 * steps, when n is 8: none). */
		uint64_t tail;
		unsigned shift = 8 * (16 - (unsigned)n);
		memcpy(&w0, p, 8);
		memcpy(&tail, p + n - 8, 8);
		w1 = tail >> shift / 2 >> (shift - shift / 2);
	} else if (n >= 4) {
		uint32_t a, b;
		memcpy(&a, p, 4);
		memcpy(&b, p + n - 4, 4);
		w0 = a | (uint64_t)b << (8 * (n - 4));
	} else if (n > 0) {
		w0 = (uint64_t)(unsigned char)p[0] |
		     (uint64_t)(unsigned char)p[n / 2] << (8 * (n / 2)) |
		     (uint64_t)(unsigned char)p[n - 1] << (8 * (n - 1));
	}
	/* Made in registers: stored as two words and loaded as one block, it
	 * would wait for the stores (see byteset_copy). */
	return (bytes16)(words2){w0, w1};
}

/* The lanes of m (each 0 or 0xff) as bits, lane i as bit i. */
static inline unsigned
block_bits(bytes16 m)
{
#ifdef __SSE2__
	/* One instruction (pmovmskb) where there is one. */
	typedef char chars16 __attribute__((vector_size(16)));
	return (unsigned)__builtin_ia32_pmovmskb128((chars16)m);
#else
	/* Else each half's top bits gathered by a multiplication. */
	const uint64_t top = 0x8080808080808080u, gather = 0x0002040810204081u;
	uint64_t lo, hi;
	bytes16_halves(m, &lo, &hi);
	unsigned low = (unsigned)(((lo & top) * gather) >> 56);
	unsigned high = (unsigned)(((hi & top) * gather) >> 56);
	return low | high << 8;
#endif
}

/* How many bits of a block's mask are set: __builtin_popcount is a call without -mpopcnt. */
static inline unsigned
block_count(unsigned m)
{
	m = m - ((m >> 1) & 0x5555);
	m = (m & 0x3333) + ((m >> 2) & 0x3333);
	m = (m + (m >> 4)) & 0x0f0f;
	return (m + (m >> 8)) & 0x1f;
}

/* Is word one of the NULL-terminated list? */
static inline bool
in_list(const char *word, const char *const *list)
{
	for (; *list; list++)
		if (**list == *word && strcmp(word, *list) == 0)
			return true;
	return false;
}

#endif
