/*
 * idtab.h - a compact string-interning table for millions of keys: each
 * key stored once, with a dense index in order of first appearance.
 *
 * strtab is the table for a handful to a few thousand keys, and keeps a
 * short key inside its slot so that a lookup is one cache miss.  A touch
 * log of a million clients pays for that twice over (every id in the slot
 * and again in the arena, 24-byte slots at most three-quarters full), so
 * its ids live here instead: an 8-byte slot per key (its 32-bit hash and
 * where its record starts) and one record per key in an arena (its index,
 * its length and its bytes).  A lookup is two cache misses, hit or miss.
 * Keys are byte strings compared exactly (NUL bytes allowed).
 *
 * Ownership: the table owns a copy of every key.  Zero-initialise, and
 * release with idtab_free.
 */
#ifndef CS_IDTAB_H
#define CS_IDTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct idtab_slot;

struct idtab {
	struct buf bytes;         /* the records, back to back, each 4-byte aligned */
	struct idtab_slot *slots; /* open addressing, linear probing, <= 3/4 full */
	size_t mask;              /* slots has mask + 1 entries; 0 before the first insert */
	size_t n;                 /* keys */
};

/* Release what t holds (t itself is the caller's); t is left empty. */
void idtab_free(struct idtab *t);

/*
 * The index of s[0..len), adding a copy when new (*added, if not NULL, says
 * which).  -1 when it cannot be added: 2^32 - 1 keys, 16 GiB of keys, or a
 * key of 4 GiB.
 */
long idtab_intern(struct idtab *t, const char *s, size_t len, bool *added);

/* The index of s[0..len), or -1. */
long idtab_find(const struct idtab *t, const char *s, size_t len);

/*
 * Start fetching the slot where s[0..len) is or would go: a hint, nothing
 * changes.  For a caller that knows the next keys ahead (a batch of rows)
 * and finds or adds them after: their cache misses then overlap.
 */
void idtab_prefetch(const struct idtab *t, const char *s, size_t len);

/*
 * The same in steps, for a batch whose keys are found twice over (a
 * lookup is two dependent misses, the slot and then the key's record):
 * idtab_hash once a key, idtab_prefetch_slot for every key of the batch,
 * then idtab_prefetch_record for each (its slot has arrived by then: the
 * record it names is fetched), then idtab_find_hashed for each, which
 * then waits on neither.  Hints but the last: nothing changes.
 */
uint32_t idtab_hash(const char *s, size_t len);
void idtab_prefetch_slot(const struct idtab *t, uint32_t hash);
void idtab_prefetch_record(const struct idtab *t, uint32_t hash);
/* idtab_find, given the key's idtab_hash. */
long idtab_find_hashed(const struct idtab *t, const char *s, size_t len, uint32_t hash);

/* How many keys t holds. */
static inline size_t
idtab_count(const struct idtab *t)
{
	return t->n;
}

/*
 * Walk the keys in index order: start with *pos 0; each call sets *key
 * (NUL-terminated, borrowed until t next grows) and *len to the next key
 * and returns true, or returns false after the last.
 */
bool idtab_each(const struct idtab *t, size_t *pos, const char **key, size_t *len);

#endif
