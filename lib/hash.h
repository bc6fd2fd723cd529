/*
 * hash.h - the hash functions of cs, once.
 *
 * FNV-1a 64 is the one string hash: simple, byte-at-a-time, and specified
 * exactly, so other programs can reproduce it.  Its low bits mix poorly, so
 * a table that picks slots by the low bits finishes it with hash_mix64
 * (splitmix64's finaliser, in which every input bit moves about half the
 * output bits).  Hashes are for tables and keys inside one run; nothing
 * here is a cryptographic hash.
 */
#ifndef CS_HASH_H
#define CS_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define HASH_FNV64_BASIS 0xcbf29ce484222325ULL
#define HASH_FNV64_PRIME 0x100000001b3ULL

/* FNV-1a 64 of p[0..n), continuing from h (HASH_FNV64_BASIS to start). */
static inline uint64_t
hash_fnv1a(const void *p, size_t n, uint64_t h)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * HASH_FNV64_PRIME;
	return h;
}

/* splitmix64's finaliser: a good spread for integer keys and a finish for FNV. */
static inline uint64_t
hash_mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

/*
 * The hash of a string for a table: FNV-1a over its bytes (ASCII letters
 * lowered first when fold), finished so the low bits depend on every byte.
 */
static inline uint64_t
hash_string(const char *s, size_t len, bool fold)
{
	uint64_t h = HASH_FNV64_BASIS;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (fold)
			c = (unsigned char)ascii_lower(c);
		h = (h ^ c) * HASH_FNV64_PRIME;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

#endif
