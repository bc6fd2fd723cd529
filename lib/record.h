/*
 * record.h - one record of the canonical stream and the header it belongs to.
 *
 * A record keeps all its field bytes in one buffer with an offset and length
 * per field, so reading a row costs no allocation once the buffers have grown
 * to the widest row: the reader clears the record and pushes fields into it.
 * Every field is NUL-terminated inside the buffer, so a field can be used as
 * a C string (a field holding a NUL byte is rejected by the readers).
 *
 * An empty field is the canonical "null": CSV has no other way to say it, and
 * NDJSON null reads as empty.
 */
#ifndef CS_RECORD_H
#define CS_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

struct strtab;

/*
 * struct header - the column names, in order.  Owns its names.  A wide
 * header (more than HEADER_INDEX_AT columns) built with header_add also
 * keeps a hash index of its names, so header_find stays O(1) on a file of
 * 100,000 columns; one built by hand ({.n, .names}) is searched in order.
 */
struct header {
	size_t n;
	size_t cap;
	char **names;
	struct strtab *index; /* NULL until the header is wide */
	size_t *first;        /* index key -> the first column of that name */
	size_t first_cap;
};

enum { HEADER_INDEX_AT = 16 };

/* A new empty header; free with header_free. */
struct header *header_new(void);
/* A new deep copy of h. */
struct header *header_copy(const struct header *h);
void header_free(struct header *h);
/* Append a copy of name; returns its index. */
size_t header_add(struct header *h, const char *name);
/* Index of the column named exactly name, or -1. */
long header_find(const struct header *h, const char *name);
/* True if a and b have the same names in the same order. */
bool header_equal(const struct header *a, const struct header *b);
/* Index of name, appending it when absent. */
size_t header_ensure(struct header *h, const char *name);

struct field {
	size_t off;
	size_t len;
};

/*
 * struct record - initialise with record_init (or {0}), release with
 * record_free.  row is the spreadsheet row the record was read from (header =
 * row 1; for NDJSON, the line number), 0 for records made by a tool.
 */
struct record {
	size_t n;
	size_t cap;
	struct field *fields;
	struct buf data;
	long row;
};

void record_init(struct record *r);
void record_free(struct record *r);
/* Remove every field, keeping the buffers for reuse. */
void record_clear(struct record *r);
/* Append a field holding a copy of p[0..len). */
void record_push(struct record *r, const char *p, size_t len);
/*
 * Field i as a NUL-terminated string, borrowed: valid until the record is
 * next changed.  A field past the end reads as "".  *len (if not NULL) gets
 * its length.
 */
const char *record_get(const struct record *r, size_t i, size_t *len);
/*
 * Make r hold n fields whose bytes lie in data: field i is
 * data[fields[i].off - base ..][0..fields[i].len), each followed by a NUL,
 * all within data[0..len).  One copy for the whole row: the readers' path.
 */
void record_assign(struct record *r, const char *data, size_t len, const struct field *fields,
                   size_t n, size_t base);
/*
 * The first half of record_assign, for a reader that lays out the fields
 * itself: r's bytes become a NUL (offset 0, the one empty fields share)
 * followed by a copy of data[0..len) and a NUL, and r has room for n
 * fields, whose offsets (counted from r's bytes) and r->n are the caller's
 * to set.
 */
void record_take_bytes(struct record *r, const char *data, size_t len, size_t n);
/*
 * The same for fields that are not yet NUL-terminated: the byte after each
 * one (a delimiter, a quote, a line end) lies within data[0..len) and is a
 * NUL in the copy.  Offsets count from data.  The CSV reader's fast path.
 */
void record_assign_split(struct record *r, const char *data, size_t len, const struct field *fields,
                         size_t n);
/* Replace field i with a copy of p[0..len), padding with empty fields as needed. */
void record_set(struct record *r, size_t i, const char *p, size_t len);
void record_set_str(struct record *r, size_t i, const char *s);
/* Make r have exactly n fields: pad with empty fields or drop the excess. */
void record_resize(struct record *r, size_t n);
/* Make dst a copy of src (row included). */
void record_copy(struct record *dst, const struct record *src);
/* True if field i is empty or holds only spaces and tabs. */
bool record_blank(const struct record *r, size_t i);

#endif
