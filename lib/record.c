/*
 * record.c - records as one byte buffer plus (offset, length) pairs.
 *
 * record_set appends the new value to the buffer and repoints the field
 * rather than moving its neighbours: a replaced value's old bytes stay as
 * dead space until record_clear, which is cheap and keeps set O(len).
 */
#include "record.h"

#include <stdlib.h>
#include <string.h>

#include "strtab.h"

struct header *
header_new(void)
{
	return xcalloc(1, sizeof(struct header));
}

struct header *
header_copy(const struct header *h)
{
	struct header *c = header_new();
	for (size_t i = 0; i < h->n; i++)
		header_add(c, h->names[i]);
	return c;
}

void
header_free(struct header *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n; i++)
		free(h->names[i]);
	free(h->names);
	if (h->index) {
		strtab_free(h->index);
		free(h->index);
	}
	free(h->first);
	free(h);
}

/* Put column i in the index; a repeated name keeps its first column. */
static void
index_column(struct header *h, size_t i)
{
	bool added;
	long k = strtab_intern(h->index, h->names[i], strlen(h->names[i]), &added);
	if (k < 0 || !added)
		return;
	h->first = xgrow(h->first, &h->first_cap, (size_t)k + 1, sizeof *h->first);
	h->first[k] = i;
}

size_t
header_add(struct header *h, const char *name)
{
	h->names = xgrow(h->names, &h->cap, h->n + 1, sizeof *h->names);
	h->names[h->n] = xstrdup(name);
	size_t i = h->n++;
	if (h->index) {
		index_column(h, i);
	} else if (h->n > HEADER_INDEX_AT) {
		h->index = xcalloc(1, sizeof *h->index);
		strtab_init(h->index, false);
		for (size_t c = 0; c < h->n; c++)
			index_column(h, c);
	}
	return i;
}

long
header_find(const struct header *h, const char *name)
{
	if (h->index) {
		long k = strtab_lookup(h->index, name);
		return k < 0 ? -1 : (long)h->first[k];
	}
	for (size_t i = 0; i < h->n; i++)
		if (strcmp(h->names[i], name) == 0)
			return (long)i;
	return -1;
}

bool
header_equal(const struct header *a, const struct header *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->names[i], b->names[i]) != 0)
			return false;
	return true;
}

size_t
header_ensure(struct header *h, const char *name)
{
	long i = header_find(h, name);
	return i >= 0 ? (size_t)i : header_add(h, name);
}

void
record_init(struct record *r)
{
	memset(r, 0, sizeof *r);
}

void
record_free(struct record *r)
{
	free(r->fields);
	buf_free(&r->data);
	memset(r, 0, sizeof *r);
}

void
record_clear(struct record *r)
{
	r->n = 0;
	buf_reset(&r->data);
}

static void
push_empty(struct record *r)
{
	r->fields = xgrow(r->fields, &r->cap, r->n + 1, sizeof *r->fields);
	/* Every empty field points at one NUL kept at offset 0. */
	if (r->data.len == 0)
		buf_putc(&r->data, '\0');
	r->fields[r->n].off = 0;
	r->fields[r->n].len = 0;
	r->n++;
}

void
record_push(struct record *r, const char *p, size_t len)
{
	push_empty(r);
	if (len)
		record_set(r, r->n - 1, p, len);
}

const char *
record_get(const struct record *r, size_t i, size_t *len)
{
	if (i >= r->n || r->fields[i].len == 0) {
		if (len)
			*len = 0;
		return "";
	}
	if (len)
		*len = r->fields[i].len;
	return r->data.data + r->fields[i].off;
}

void
record_take_bytes(struct record *r, const char *data, size_t len, size_t n)
{
	/* Offset 0 keeps the shared NUL of empty fields, as push_empty expects. */
	buf_reset(&r->data);
	buf_reserve(&r->data, len + 1);
	r->data.data[0] = '\0';
	memcpy(r->data.data + 1, data, len);
	r->data.len = len + 1;
	r->data.data[r->data.len] = '\0';
	if (n > r->cap)
		r->fields = xgrow(r->fields, &r->cap, n, sizeof *r->fields);
}

void
record_assign(struct record *r, const char *data, size_t len, const struct field *fields, size_t n,
              size_t base)
{
	record_take_bytes(r, data, len, n);
	for (size_t i = 0; i < n; i++) {
		r->fields[i].off = fields[i].len ? fields[i].off - base + 1 : 0;
		r->fields[i].len = fields[i].len;
	}
	r->n = n;
}

void
record_assign_split(struct record *r, const char *data, size_t len, const struct field *fields,
                    size_t n)
{
	buf_reset(&r->data);
	buf_reserve(&r->data, len + 1);
	char *d = r->data.data;
	d[0] = '\0';
	memcpy(d + 1, data, len);
	r->data.len = len + 1;
	d[r->data.len] = '\0';
	if (n > r->cap)
		r->fields = xgrow(r->fields, &r->cap, n, sizeof *r->fields);
	for (size_t i = 0; i < n; i++) {
		size_t off = fields[i].off + 1, flen = fields[i].len;
		d[off + flen] = '\0';
		r->fields[i].off = flen ? off : 0;
		r->fields[i].len = flen;
	}
	r->n = n;
}

void
record_set(struct record *r, size_t i, const char *p, size_t len)
{
	while (r->n <= i)
		push_empty(r);
	if (len == 0) {
		r->fields[i].len = 0;
		return;
	}
	if (r->data.len == 0)
		buf_putc(&r->data, '\0');
	/* p may point into our own buffer, which the append can move. */
	size_t self = (size_t)-1;
	if (r->data.data && p >= r->data.data && p < r->data.data + r->data.len)
		self = (size_t)(p - r->data.data);
	buf_reserve(&r->data, len + 1);
	if (self != (size_t)-1)
		p = r->data.data + self;
	size_t off = r->data.len;
	memmove(r->data.data + off, p, len);
	r->data.data[off + len] = '\0';
	r->data.len += len + 1;
	r->fields[i].off = off;
	r->fields[i].len = len;
}

void
record_set_str(struct record *r, size_t i, const char *s)
{
	record_set(r, i, s, strlen(s));
}

void
record_resize(struct record *r, size_t n)
{
	while (r->n < n)
		push_empty(r);
	r->n = n;
}

void
record_copy(struct record *dst, const struct record *src)
{
	/*
	 * The fields are offsets into data: a copy of both, whole, is the same
	 * record (two copies a row, not one append per field: cs-tier
	 * --journal copies every record it reads).
	 */
	buf_reset(&dst->data);
	buf_append(&dst->data, src->data.data, src->data.len);
	if (src->n > dst->cap)
		dst->fields = xgrow(dst->fields, &dst->cap, src->n, sizeof *dst->fields);
	if (src->n)
		memcpy(dst->fields, src->fields, src->n * sizeof *src->fields);
	dst->n = src->n;
	dst->row = src->row;
}

bool
record_blank(const struct record *r, size_t i)
{
	for (const char *p = record_get(r, i, NULL); *p; p++)
		if (*p != ' ' && *p != '\t')
			return false;
	return true;
}
