/*
 * idtab.c - the compact interning table.
 *
 * A slot is 8 bytes: the key's 32-bit hash, so that probing past other
 * keys stays inside the slot array, and where the key's record starts in
 * the arena (in 4-byte units, plus one: 0 is an empty slot).  A record is
 * the key's index, its length, its bytes and a NUL, padded to 4 bytes, so
 * a hit reads the slot and one record.  Records are appended in index
 * order, which is all idtab_each needs: the table keeps no array of
 * offsets.  Large slot arrays come from xcalloc_table (huge pages).
 */
#include "idtab.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"

struct idtab_slot {
	uint32_t at; /* the record's offset / 4 + 1; 0: empty */
	uint32_t hash;
};

/* A record's head: then len bytes, a NUL, and padding to 4 bytes. */
struct idtab_head {
	uint32_t index;
	uint32_t len;
};

static size_t
record_size(size_t len)
{
	return (sizeof(struct idtab_head) + len + 1 + 3) & ~(size_t)3;
}

void
idtab_free(struct idtab *t)
{
	buf_free(&t->bytes);
	free(t->slots);
	*t = (struct idtab){0};
}

static struct idtab_head
head_at(const struct idtab *t, size_t off)
{
	struct idtab_head h;
	memcpy(&h, t->bytes.data + off, sizeof h);
	return h;
}

/* The slot holding s[0..len) with hash, or the empty slot where it would go. */
static size_t
probe(const struct idtab *t, const char *s, size_t len, uint32_t hash)
{
	for (size_t i = hash & t->mask;; i = (i + 1) & t->mask) {
		const struct idtab_slot *slot = &t->slots[i];
		if (slot->at == 0)
			return i;
		if (slot->hash != hash)
			continue;
		size_t off = ((size_t)slot->at - 1) * 4;
		struct idtab_head h = head_at(t, off);
		if (h.len == len && memcmp(t->bytes.data + off + sizeof h, s, len) == 0)
			return i;
	}
}

uint32_t
idtab_hash(const char *s, size_t len)
{
	return (uint32_t)hash_string(s, len, false);
}

long
idtab_find_hashed(const struct idtab *t, const char *s, size_t len, uint32_t hash)
{
	if (!t->slots)
		return -1;
	const struct idtab_slot *slot = &t->slots[probe(t, s, len, hash)];
	return slot->at ? (long)head_at(t, ((size_t)slot->at - 1) * 4).index : -1;
}

long
idtab_find(const struct idtab *t, const char *s, size_t len)
{
	return idtab_find_hashed(t, s, len, idtab_hash(s, len));
}

void
idtab_prefetch_slot(const struct idtab *t, uint32_t hash)
{
	if (t->slots)
		__builtin_prefetch(&t->slots[hash & t->mask]);
}

void
idtab_prefetch(const struct idtab *t, const char *s, size_t len)
{
	idtab_prefetch_slot(t, idtab_hash(s, len));
}

/*
 * The record of the first key in the home slot with the same hash (the
 * key's own, nearly always): the next slots are in the same cache line
 * or the next, and a key that is not there waits, as without the hint.
 */
void
idtab_prefetch_record(const struct idtab *t, uint32_t hash)
{
	if (!t->slots)
		return;
	for (size_t i = hash & t->mask;; i = (i + 1) & t->mask) {
		const struct idtab_slot *slot = &t->slots[i];
		if (slot->at == 0)
			return;
		if (slot->hash == hash) {
			__builtin_prefetch(t->bytes.data + ((size_t)slot->at - 1) * 4);
			return;
		}
	}
}

/* Double the slots and re-place every key by its stored hash. */
static void
grow(struct idtab *t)
{
	size_t nslots = t->slots ? (t->mask + 1) * 2 : 64;
	struct idtab_slot *slots = xcalloc_table(nslots * sizeof *slots);
	for (size_t i = 0; t->slots && i <= t->mask; i++) {
		if (!t->slots[i].at)
			continue;
		size_t j = t->slots[i].hash & (nslots - 1);
		while (slots[j].at)
			j = (j + 1) & (nslots - 1);
		slots[j] = t->slots[i];
	}
	free(t->slots);
	t->slots = slots;
	t->mask = nslots - 1;
}

long
idtab_intern(struct idtab *t, const char *s, size_t len, bool *added)
{
	uint32_t hash = (uint32_t)hash_string(s, len, false);
	if (added)
		*added = false;
	if (t->slots) {
		const struct idtab_slot *slot = &t->slots[probe(t, s, len, hash)];
		if (slot->at)
			return (long)head_at(t, ((size_t)slot->at - 1) * 4).index;
	}
	size_t size = record_size(len), at = t->bytes.len / 4 + 1;
	if (t->n >= UINT32_MAX - 1 || len > UINT32_MAX - 8 || at > UINT32_MAX - size / 4)
		return -1;
	if (!t->slots || (t->n + 1) * 4 > (t->mask + 1) * 3)
		grow(t);
	struct idtab_head h = {.index = (uint32_t)t->n, .len = (uint32_t)len};
	buf_reserve(&t->bytes, size);
	char *rec = t->bytes.data + t->bytes.len;
	memset(rec, 0, size);
	memcpy(rec, &h, sizeof h);
	if (len)
		memcpy(rec + sizeof h, s, len);
	t->bytes.len += size;
	t->slots[probe(t, s, len, hash)] = (struct idtab_slot){.at = (uint32_t)at, .hash = hash};
	if (added)
		*added = true;
	return (long)t->n++;
}

bool
idtab_each(const struct idtab *t, size_t *pos, const char **key, size_t *len)
{
	if (*pos >= t->bytes.len)
		return false;
	struct idtab_head h = head_at(t, *pos);
	*key = t->bytes.data + *pos + sizeof h;
	*len = h.len;
	*pos += record_size(h.len);
	return true;
}
