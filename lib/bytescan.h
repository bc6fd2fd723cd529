/*
 * bytescan.h - the two inner loops of CSV, sixteen bytes at a time: find the
 * first byte of a small set (the reader, looking for the end of a field), and
 * copy a field while asking whether it holds any byte of a set (the writer,
 * deciding whether it needs quotes).
 *
 * Both were a loop a byte, with a table lookup, a compare and a branch on
 * each, and a mispredicted exit at the end of every field: in a profile of
 * cs-import, about a fifth of the instructions and of the branch misses.
 * Here a block of sixteen bytes is compared with each byte of the set at
 * once (GCC's and Clang's vector extension: SSE2 on x86-64, NEON on ARM,
 * plain integers elsewhere), so a typical field takes one pass and one
 * well-predicted branch.
 *
 * Nothing is read outside the bytes given: byteset_copy moves a short field
 * in two overlapping words, as memcpy does, and byteset_find finishes the
 * last partial block a byte at a time.  A set holds one to five bytes, never
 * NUL (byteset_copy pads short fields with zeros).
 */
#ifndef CS_BYTESCAN_H
#define CS_BYTESCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef unsigned char bytes16 __attribute__((vector_size(16)));
typedef uint64_t words2 __attribute__((vector_size(16)));

enum { BYTESET_MAX = 5 };

/* The bytes looked for, each repeated across a block; fill with byteset_init. */
struct byteset {
	bytes16 is[BYTESET_MAX];
};

/* s gets bytes[0..n): 1 <= n <= BYTESET_MAX, none of them NUL. */
static inline void
byteset_init(struct byteset *s, const char *bytes, size_t n)
{
	for (size_t i = 0; i < BYTESET_MAX; i++) {
		unsigned char c = (unsigned char)bytes[i < n ? i : 0];
		for (size_t k = 0; k < sizeof s->is[i]; k++)
			s->is[i][k] = c;
	}
}

/* Each byte of v that is in s as 0xff, the others 0. */
static inline bytes16
byteset_match(const struct byteset *s, bytes16 v)
{
	return (bytes16)((v == s->is[0]) | (v == s->is[1]) | (v == s->is[2]) | (v == s->is[3]) |
	                 (v == s->is[4]));
}

/* The two halves of a match, one bit per byte set in each of its bytes. */
static inline void
bytes16_halves(bytes16 m, uint64_t *lo, uint64_t *hi)
{
	memcpy(lo, &m, 8);
	memcpy(hi, (const char *)&m + 8, 8);
}

static inline bool
bytes16_any(bytes16 m)
{
	uint64_t lo, hi;
	bytes16_halves(m, &lo, &hi);
	return (lo | hi) != 0;
}

/* The index of the first lane of m (each 0 or 0xff) that is set, or 16 if none is. */
static inline size_t
bytes16_first(bytes16 m)
{
	uint64_t lo, hi;
	bytes16_halves(m, &lo, &hi);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (lo)
		return (size_t)__builtin_ctzll(lo) / 8;
	return hi ? 8 + (size_t)__builtin_ctzll(hi) / 8 : 16;
#else
	size_t i = 0;
	while (i < 16 && !m[i])
		i++;
	return i;
#endif
}

/* The index of the first byte of p[0..n) that is in s, or n if none is. */
static inline size_t
byteset_find(const struct byteset *s, const char *p, size_t n)
{
	size_t i = 0;
	for (; i + 16 <= n; i += 16) {
		bytes16 v;
		memcpy(&v, p + i, 16);
		size_t at = bytes16_first(byteset_match(s, v));
		if (at < 16)
			return i + at;
	}
	for (; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		for (size_t k = 0; k < BYTESET_MAX; k++)
			if (c == s->is[k][0])
				return i;
	}
	return n;
}

/* Copy p[0..n) to out[0..n) (not overlapping it); true if any of them is in s. */
static inline bool
byteset_copy(const struct byteset *s, char *out, const char *p, size_t n)
{
	if (n >= 16) {
		bytes16 v, seen = {0};
		for (size_t i = 0; i + 16 < n; i += 16) {
			memcpy(&v, p + i, 16);
			memcpy(out + i, &v, 16);
			seen |= byteset_match(s, v);
		}
		/* The last block ends at n, overlapping the one before: same bytes. */
		memcpy(&v, p + n - 16, 16);
		memcpy(out + n - 16, &v, 16);
		return bytes16_any(seen | byteset_match(s, v));
	}
	/* Two words, the second ending at n (they overlap unless n is twice a
	 * word), as the halves of a block padded with zeros.  The block is made
	 * in registers: stored as two words and loaded as one block, it would
	 * wait for the stores (a failed store-to-load forward, half of the
	 * writer's time in a profile). */
	uint64_t lo = 0, hi = 0;
	if (n >= 8) {
		memcpy(&lo, p, 8);
		memcpy(&hi, p + n - 8, 8);
		memcpy(out, &lo, 8);
		memcpy(out + n - 8, &hi, 8);
	} else if (n >= 4) {
		uint32_t a, b;
		memcpy(&a, p, 4);
		memcpy(&b, p + n - 4, 4);
		memcpy(out, &a, 4);
		memcpy(out + n - 4, &b, 4);
		lo = (uint64_t)a << 32 | b;
	} else if (n >= 2) {
		uint16_t a, b;
		memcpy(&a, p, 2);
		memcpy(&b, p + n - 2, 2);
		memcpy(out, &a, 2);
		memcpy(out + n - 2, &b, 2);
		lo = (uint64_t)a << 16 | b;
	} else if (n == 1) {
		out[0] = p[0];
		lo = (unsigned char)p[0];
	} else {
		return false;
	}
	return bytes16_any(byteset_match(s, (bytes16)(words2){lo, hi}));
}

#endif
