/*
 * pack.c - records packed into an arena (pack.h says the layout).
 *
 * Offsets are 16-bit unless the record's bytes need more: a book of a
 * million records is mostly these, so two bytes a field halves what 32-bit
 * offsets would cost; the first word says which, so a record with a 70 KB
 * note costs no more than its bytes.
 */
#include "pack.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#ifndef CS_ARENA_CHUNK
#define CS_ARENA_CHUNK (8 << 20)
#endif

char *
arena_alloc(struct arena *a, size_t n)
{
	n = (n + 3) & ~(size_t)3;
	if (!a->n || a->used + n > a->size) {
		a->size = n > CS_ARENA_CHUNK ? n : CS_ARENA_CHUNK;
		a->chunks = xrealloc(a->chunks, (a->n + 1) * sizeof *a->chunks);
		/*
		 * Neither zeroed nor in huge pages: the records are written
		 * once and read mostly in order, so a memset only touches every
		 * page twice, and a huge page costs its 2 MB of clearing at the
		 * first byte (a third of cs-import --update's time went there).
		 */
		a->chunks[a->n++] = xmalloc(a->size);
		a->used = 0;
	}
	char *p = a->chunks[a->n - 1] + a->used;
	a->used += n;
	return p;
}

void
arena_free(struct arena *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->chunks[i]);
	free(a->chunks);
	*a = (struct arena){0};
}

/* Room for a record of n values, each with its NUL: its word and offsets set, its data to fill. */
static char *
pack_head(struct arena *a, const struct pack_val *v, size_t n, const char **p)
{
	size_t data_len = 0;
	for (size_t i = 0; i < n; i++)
		data_len += v[i].len + 1;
	bool wide = data_len > UINT16_MAX;
	size_t head = sizeof(uint32_t) + (n + 1) * (wide ? sizeof(uint32_t) : sizeof(uint16_t));
	char *rec = arena_alloc(a, head + data_len);
	uint32_t word0 = (uint32_t)n | (wide ? (uint32_t)PACK_WIDE : 0);
	memcpy(rec, &word0, sizeof word0);
	size_t off = 0;
	if (wide) {
		uint32_t *off32 = (uint32_t *)(void *)(rec + sizeof(uint32_t));
		for (size_t i = 0; i < n; off += v[i++].len + 1)
			off32[i] = (uint32_t)off;
		off32[n] = (uint32_t)off;
	} else {
		uint16_t *off16 = (uint16_t *)(void *)(rec + sizeof(uint32_t));
		for (size_t i = 0; i < n; off += v[i++].len + 1)
			off16[i] = (uint16_t)off;
		off16[n] = (uint16_t)off;
	}
	*p = rec;
	return rec + head;
}

const char *
pack(struct arena *a, const struct pack_val *v, size_t n)
{
	const char *p;
	char *data = pack_head(a, v, n, &p);
	for (size_t i = 0; i < n; i++) {
		memcpy(data, v[i].p, v[i].len);
		data[v[i].len] = '\0';
		data += v[i].len + 1;
	}
	return p;
}

const char *
pack_nul(struct arena *a, const struct pack_val *v, size_t n)
{
	const char *p;
	char *data = pack_head(a, v, n, &p);
	/*
	 * A record's fields lie in its buffer one after the other, each with
	 * its NUL, but for the bytes a quote took: a run of them is one copy.
	 */
	for (size_t i = 0; i < n;) {
		const char *from = v[i].p;
		size_t run = v[i].len + 1;
		for (i++; i < n && v[i].p == from + run; i++)
			run += v[i].len + 1;
		memcpy(data, from, run);
		data += run;
	}
	return p;
}

const char *
packed_data(const char *p, size_t *len)
{
	uint32_t word0 = ((const uint32_t *)(const void *)p)[0];
	size_t n = word0 & ~(uint32_t)PACK_WIDE;
	const char *offs = p + sizeof(uint32_t);
	if (word0 & PACK_WIDE) {
		*len = ((const uint32_t *)(const void *)offs)[n];
		return offs + (n + 1) * sizeof(uint32_t);
	}
	*len = ((const uint16_t *)(const void *)offs)[n];
	return offs + (n + 1) * sizeof(uint16_t);
}
