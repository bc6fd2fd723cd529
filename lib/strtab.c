/*
 * strtab.c - the string-interning table.
 *
 * A slot holds the entry's index (plus one; 0 is empty), its key's 32-bit
 * hash and, when it fits, the key itself: probing stays inside the slot
 * array, and a lookup of a short key (client ids usually are) costs one
 * cache miss, hit or not.  Longer keys are compared in the arena.  Large
 * slot arrays come from xcalloc_table, which asks for huge pages: random
 * lookups in a table of millions of keys otherwise miss the TLB as well.
 */
#include "strtab.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"

enum { STR_INLINE = 15, STR_LONG = 0xff };

struct strtab_slot {
	uint32_t index;
	uint32_t hash;
	uint8_t len; /* the key's length, or STR_LONG when it is not inline */
	char key[STR_INLINE];
};

void
strtab_init(struct strtab *t, bool fold)
{
	*t = (struct strtab){.fold = fold};
}

void
strtab_free(struct strtab *t)
{
	buf_free(&t->bytes);
	free(t->ents);
	free(t->slots);
	*t = (struct strtab){.fold = t->fold};
}

static bool
bytes_equal(const char *a, const char *b, size_t len, bool fold)
{
	if (!fold)
		return memcmp(a, b, len) == 0;
	for (size_t i = 0; i < len; i++)
		if (ascii_lower((unsigned char)a[i]) != ascii_lower((unsigned char)b[i]))
			return false;
	return true;
}

static long
find(const struct strtab *t, const char *s, size_t len, uint32_t hash)
{
	if (!t->slots)
		return -1;
	for (size_t i = hash & t->mask;; i = (i + 1) & t->mask) {
		const struct strtab_slot *slot = &t->slots[i];
		if (slot->index == 0)
			return -1;
		if (slot->hash != hash)
			continue;
		if (slot->len != STR_LONG) {
			if (slot->len == len && bytes_equal(slot->key, s, len, t->fold))
				return (long)(slot->index - 1);
			continue;
		}
		const struct strtab_ent *e = &t->ents[slot->index - 1];
		if (e->len == len && bytes_equal(t->bytes.data + e->off, s, len, t->fold))
			return (long)(slot->index - 1);
	}
}

static void
place(struct strtab_slot *slots, size_t mask, const struct strtab_slot *slot)
{
	size_t i = slot->hash & mask;
	while (slots[i].index)
		i = (i + 1) & mask;
	slots[i] = *slot;
}

/* Double the slots and re-place every key. */
static void
grow(struct strtab *t)
{
	size_t nslots = t->slots ? (t->mask + 1) * 2 : 64;
	struct strtab_slot *slots = xcalloc_table(nslots * sizeof *slots);
	if (t->slots)
		for (size_t i = 0; i <= t->mask; i++)
			if (t->slots[i].index)
				place(slots, nslots - 1, &t->slots[i]);
	free(t->slots);
	t->slots = slots;
	t->mask = nslots - 1;
}

long
strtab_intern(struct strtab *t, const char *s, size_t len, bool *added)
{
	uint32_t hash = (uint32_t)hash_string(s, len, t->fold);
	long found = find(t, s, len, hash);
	if (added)
		*added = false;
	if (found >= 0)
		return found;
	if (t->n >= UINT32_MAX - 1 || len > UINT32_MAX)
		return -1;
	if (!t->slots || (t->n + 1) * 4 > (t->mask + 1) * 3)
		grow(t);
	t->ents = xgrow(t->ents, &t->cap, t->n + 1, sizeof *t->ents);
	t->ents[t->n] = (struct strtab_ent){.off = t->bytes.len, .len = (uint32_t)len};
	buf_append(&t->bytes, s, len);
	buf_putc(&t->bytes, '\0');
	struct strtab_slot slot = {.index = (uint32_t)(t->n + 1), .hash = hash, .len = STR_LONG};
	if (len <= STR_INLINE) {
		slot.len = (uint8_t)len;
		memcpy(slot.key, s, len);
	}
	place(t->slots, t->mask, &slot);
	if (added)
		*added = true;
	return (long)t->n++;
}

long
strtab_find(const struct strtab *t, const char *s, size_t len)
{
	return find(t, s, len, (uint32_t)hash_string(s, len, t->fold));
}

long
strtab_lookup(const struct strtab *t, const char *s)
{
	return strtab_find(t, s, strlen(s));
}
