/*
 * pack.h - records packed into an arena: a book held in memory at a few
 * bytes a field over its values, with no allocation a record.
 *
 * A packed record is a 32-bit word n (its top bit set when the offsets are
 * 32-bit), n + 1 offsets into the bytes that follow (16-bit when the bytes
 * are fewer than 65536, as nearly every record's are), then each value
 * followed by a NUL.  It never changes once packed: a record that changes
 * is packed again, and the old one stays valid until the arena is freed
 * (cs-import --update compares the two at the end).
 */
#ifndef CS_PACK_H
#define CS_PACK_H

#include <stddef.h>
#include <stdint.h>

/*
 * struct arena - zero-initialise; release with arena_free.  It takes
 * memory in chunks of CS_ARENA_CHUNK bytes (8 MB), or one chunk the size
 * of a larger request.
 */
struct arena {
	char **chunks;
	size_t n, used, size;
};

/* Room for n bytes, 4-aligned, uninitialised: it lives until arena_free. */
char *arena_alloc(struct arena *a, size_t n);
/* Free every chunk (the struct itself is the caller's); a stays usable, empty. */
void arena_free(struct arena *a);

/* A value: len bytes at p, borrowed. */
struct pack_val {
	const char *p;
	size_t len;
};

/*
 * A new packed record of the n values v (copied) in arena a: valid until
 * arena_free.  The values may hold any bytes but NUL.
 */
const char *pack(struct arena *a, const struct pack_val *v, size_t n);
/*
 * The same for values that are each followed by a NUL (p[len] is 0: a
 * record's fields): those that lie one after the other are copied at once.
 */
const char *pack_nul(struct arena *a, const struct pack_val *v, size_t n);
#define PACK_WIDE 0x80000000u /* word 0: the offsets are 32-bit */

/* The number of fields of packed record p. */
static inline size_t
packed_n(const char *p)
{
	return ((const uint32_t *)(const void *)p)[0] & ~(uint32_t)PACK_WIDE;
}

/*
 * Field i of packed record p, NUL-terminated, borrowed (valid while p is),
 * its length in *len; a field past the end reads as "".  Inline: the update
 * reads every field of every record it matches.
 */
static inline const char *
packed_get(const char *p, size_t i, size_t *len)
{
	uint32_t word0 = ((const uint32_t *)(const void *)p)[0];
	size_t n = word0 & ~(uint32_t)PACK_WIDE;
	if (i >= n) {
		*len = 0;
		return "";
	}
	const char *offs = p + sizeof(uint32_t);
	size_t at, next;
	if (word0 & PACK_WIDE) {
		const uint32_t *o = (const uint32_t *)(const void *)offs;
		at = o[i];
		next = o[i + 1];
		offs += (n + 1) * sizeof(uint32_t);
	} else {
		const uint16_t *o = (const uint16_t *)(const void *)offs;
		at = o[i];
		next = o[i + 1];
		offs += (n + 1) * sizeof(uint16_t);
	}
	*len = next - at - 1;
	return offs + at;
}
/*
 * For a loop over many fields of packed record p: its offsets when they
 * are 16-bit (field i is data[o[i]..o[i + 1] - 1), NUL-terminated), else
 * NULL; its number of fields in *n, its values in *data.
 */
static inline const uint16_t *
packed_offsets16(const char *p, size_t *n, const char **data)
{
	uint32_t word0 = ((const uint32_t *)(const void *)p)[0];
	*n = word0 & ~(uint32_t)PACK_WIDE;
	if (word0 & PACK_WIDE)
		return NULL;
	*data = p + sizeof(uint32_t) + (*n + 1) * sizeof(uint16_t);
	return (const uint16_t *)(const void *)(p + sizeof(uint32_t));
}
/*
 * The values of packed record p as they lie, borrowed: *len bytes, each
 * value followed by a NUL (packed_get's pointers point into them).
 */
const char *packed_data(const char *p, size_t *len);

#endif
