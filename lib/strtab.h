/*
 * strtab.h - a string-interning hash table: each distinct string once, with
 * a dense index in order of first appearance.
 *
 * The one hash table for strings in cs (touch log ids and touch names,
 * report groups and owners, cs-due's owners).  Keys are byte strings
 * compared exactly, or without regard to ASCII case when the table folds.
 * An index never changes while the table lives, so callers keep per-key
 * data in plain arrays indexed by it.
 *
 * Ownership: the table owns a copy of every key.  Zero-initialise (an
 * exact table) or strtab_init, and release with strtab_free.
 */
#ifndef CS_STRTAB_H
#define CS_STRTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct strtab_ent {
	size_t off; /* into bytes */
	uint32_t len;
};

struct strtab_slot;

struct strtab {
	struct buf bytes;        /* every key, NUL-terminated, back to back */
	struct strtab_ent *ents; /* dense, in order of first appearance */
	size_t n, cap;
	struct strtab_slot *slots; /* open addressing, linear probing, <= 3/4 full */
	size_t mask;               /* slots has mask + 1 entries; 0 before the first insert */
	bool fold;                 /* compare without regard to ASCII case */
};

/* Make t an empty table; fold: keys equal without regard to ASCII case. */
void strtab_init(struct strtab *t, bool fold);
/* Release what t holds (t itself is the caller's). */
void strtab_free(struct strtab *t);
/*
 * The index of s[0..len), adding a copy when new (*added, if not NULL, says
 * which).  -1 only when the table is full (2^32 keys) or len is over 4 GiB.
 */
long strtab_intern(struct strtab *t, const char *s, size_t len, bool *added);
/* The index of s[0..len), or -1. */
long strtab_find(const struct strtab *t, const char *s, size_t len);
/* The index of the NUL-terminated s, or -1. */
long strtab_lookup(const struct strtab *t, const char *s);
/* How many keys t holds. */
static inline size_t
strtab_count(const struct strtab *t)
{
	return t->n;
}
/* Key i (0 <= i < count), NUL-terminated, borrowed until t next grows; *len if not NULL. */
static inline const char *
strtab_key(const struct strtab *t, size_t i, size_t *len)
{
	if (len)
		*len = t->ents[i].len;
	return t->bytes.data + t->ents[i].off;
}

#endif
