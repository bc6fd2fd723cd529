/*
 * keytab.h - a table from 64-bit key hashes to the (first two) records that
 * have the key: enough to match a record by a key, and to tell a key that
 * finds one record from one that finds two (a conflict), without holding
 * the keys themselves.
 *
 * Open addressing at most 3/4 full, 16 bytes a slot; hash 0 marks an empty
 * slot, so a key's hash is never 0 (keytab_hash makes it 1).  A key is its
 * hash: two keys with the same 64-bit hash are one key, a chance of about
 * n^2 / 2^65 over a table of n keys.
 */
#ifndef CS_KEYTAB_H
#define CS_KEYTAB_H

#include <stddef.h>
#include <stdint.h>

/* No record: a slot's second, when it has none. */
#define KEYTAB_NONE UINT32_MAX

/* A key and the (first two) records that have it. */
struct keytab_slot {
	uint64_t hash;
	uint32_t first, second;
};

/* struct keytab - zero-initialise; release with keytab_free. */
struct keytab {
	struct keytab_slot *slots;
	size_t cap, n;
};

void keytab_free(struct keytab *t);
/* The hash of key p[0..n) of kind tag (0 to 255: an id and an email are never one key); never 0. */
uint64_t keytab_hash(int tag, const char *p, size_t n);
/* The hash of p[0..n) with its ASCII letters lowered, as keytab_hash would make it. */
uint64_t keytab_hash_lower(int tag, const char *p, size_t n);
/* Size t for n keys at once, not by doubling (each doubling rehashes it all). */
void keytab_reserve(struct keytab *t, double n);
/* Remember that record idx has key h (a second record with it too; h 0: nothing). */
void keytab_put(struct keytab *t, uint64_t h, uint32_t idx);
/* The slot of key h (borrowed: valid until the next keytab_put), or NULL. */
const struct keytab_slot *keytab_find(const struct keytab *t, uint64_t h);

/* Start fetching the slot of key h, which keytab_put or keytab_find will soon want. */
static inline void
keytab_prefetch(const struct keytab *t, uint64_t h)
{
#if defined(__GNUC__)
	if (t->cap)
		__builtin_prefetch(&t->slots[(size_t)h & (t->cap - 1)], 1);
#else
	(void)t;
	(void)h;
#endif
}

#endif
