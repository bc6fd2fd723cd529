/*
 * keytab.c - key hashes to the first two records that have them (keytab.h).
 *
 * Only the hash is kept, not the key: a book of a million records has
 * three million keys, and 16 bytes a slot keeps the table a tenth of the
 * book.  Linear probing, a power-of-two capacity, allocated through
 * xcalloc_table (huge pages) since the table is far larger than the caches.
 */
#include "keytab.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "util.h"

void
keytab_free(struct keytab *t)
{
	free(t->slots);
	*t = (struct keytab){0};
}

/* The n (at most 8) bytes at p as a word, the rest 0. */
static inline uint64_t
word_at(const char *p, size_t n)
{
	uint64_t w = 0;
	memcpy(&w, p, n);
	return w;
}

/* Word w with its ASCII capitals lowered, 8 bytes at once (bytes from 0x80 stay). */
static inline uint64_t
lower_word(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	uint64_t low7 = w & ~high;
	uint64_t from_a = low7 + (0x80 - 'A') * ones;     /* high bit: byte >= 'A' */
	uint64_t past_z = low7 + (0x80 - 'Z' - 1) * ones; /* high bit: byte > 'Z' */
	return w | ((from_a & ~past_z & ~w & high) >> 2);
}

/*
 * A word at a time, each through splitmix64's finaliser (a bijection, so
 * keys of one length that differ first in word i differ in the state after
 * it); the tag and the length start the state.  FNV-1a, a byte at a time,
 * cost three times as much on the three keys of every book record.
 */
static uint64_t
hash_words(int tag, const char *p, size_t n, bool fold)
{
	uint64_t h = hash_mix64(HASH_FNV64_BASIS ^ ((uint64_t)(unsigned char)tag << 56) ^ n);
	for (; n; p += 8) {
		size_t k = n < 8 ? n : 8;
		uint64_t w = word_at(p, k);
		h = hash_mix64(h ^ (fold ? lower_word(w) : w));
		n -= k;
	}
	return h ? h : 1;
}

uint64_t
keytab_hash(int tag, const char *p, size_t n)
{
	return hash_words(tag, p, n, false);
}

uint64_t
keytab_hash_lower(int tag, const char *p, size_t n)
{
	return hash_words(tag, p, n, true);
}

/* Make the table cap slots (a power of two above what it holds). */
static void
resize(struct keytab *t, size_t cap)
{
	struct keytab_slot *slots = xcalloc_table(cap * sizeof *slots);
	for (size_t i = 0; i < t->cap; i++) {
		if (!t->slots[i].hash)
			continue;
		size_t j = (size_t)t->slots[i].hash & (cap - 1);
		while (slots[j].hash)
			j = (j + 1) & (cap - 1);
		slots[j] = t->slots[i];
	}
	free(t->slots);
	t->slots = slots;
	t->cap = cap;
}

void
keytab_reserve(struct keytab *t, double n)
{
	size_t cap = t->cap ? t->cap : 1024;
	while (cap * 3 < n * 4 && cap < ((size_t)1 << 30))
		cap *= 2;
	if (cap > t->cap)
		resize(t, cap);
}

void
keytab_put(struct keytab *t, uint64_t h, uint32_t idx)
{
	if (!h)
		return;
	if ((t->n + 1) * 4 > t->cap * 3)
		resize(t, t->cap ? t->cap * 2 : 1024);
	size_t i = (size_t)h & (t->cap - 1);
	while (t->slots[i].hash && t->slots[i].hash != h)
		i = (i + 1) & (t->cap - 1);
	struct keytab_slot *s = &t->slots[i];
	if (!s->hash) {
		*s = (struct keytab_slot){h, idx, KEYTAB_NONE};
		t->n++;
	} else if (s->second == KEYTAB_NONE && s->first != idx) {
		s->second = idx;
	}
}

const struct keytab_slot *
keytab_find(const struct keytab *t, uint64_t h)
{
	if (!t->cap || !h)
		return NULL;
	for (size_t i = (size_t)h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
		if (t->slots[i].hash == h)
			return &t->slots[i];
		if (!t->slots[i].hash)
			return NULL;
	}
}
