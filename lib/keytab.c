/*
 * keytab.c - key hashes to the first two records that have them (keytab.h).
 *
 * Only the hash is kept, not the key: a book of a million records has
 * three million keys, and 16 bytes a slot keeps the table a tenth of the
 * book.  Linear probing, a power-of-two capacity, allocated through
 * xcalloc_table (huge pages) since the table is far larger than the caches.
 */
#include "keytab.h"

#include <stdlib.h>

#include "hash.h"
#include "util.h"

void
keytab_free(struct keytab *t)
{
	free(t->slots);
	*t = (struct keytab){0};
}

uint64_t
keytab_hash(int tag, const char *p, size_t n)
{
	unsigned char kind = (unsigned char)tag;
	uint64_t h = hash_mix64(hash_fnv1a(p, n, hash_fnv1a(&kind, 1, HASH_FNV64_BASIS)));
	return h ? h : 1;
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
