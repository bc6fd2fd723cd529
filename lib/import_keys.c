/*
 * import_keys.c - ids and duplicates: the stable id of a record, the keys
 * that find a duplicate (the same email, or the same name and phone), and
 * --dedupe, which merges a later duplicate into the first.
 *
 * Duplicates and id collisions need memory of what came before; it is kept
 * as 64-bit hashes in one open-addressing table (12 bytes a key, three keys
 * a row: email, name and phone, id), never as records, sized once from the
 * file's size and the rows read ahead, and its slots are prefetched while
 * the rest of the row is mapped.  Only --dedupe holds the records, packed
 * into an arena, to merge a later duplicate into the first and write them
 * all at the end.
 */
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "import_int.h"

/* Hashes (hash.h): FNV-1a for the documented ids, hash_mix64 for the table's keys. */

void
import_derive_id(const char *key, size_t len, char out[16])
{
	uint64_t h = hash_fnv1a(key, len, HASH_FNV64_BASIS);
	snprintf(out, 16, "c-%010llx", (unsigned long long)(h >> 24));
}

/*
 * The table key of a tagged string: 'e' email, 'p' name and phone, 'i' id.
 * Eight bytes at a time, each word mixed in fully, so two keys share a hash
 * only by chance (2^-64); FNV-1a, a byte at a time, is kept for the ids,
 * whose value is documented.
 */
static uint64_t
key_hash(char tag, const char *p, size_t n)
{
	uint64_t h = hash_mix64(((uint64_t)(unsigned char)tag << 56) ^ n ^ HASH_FNV64_BASIS);
	for (; n >= 8; p += 8, n -= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		h = hash_mix64(h ^ w) + 0x9e3779b97f4a7c15ULL;
	}
	/* The last bytes, as memcpy loads them little-endian, without its call. */
	uint64_t last = 0;
	for (size_t i = 0; i < n; i++)
		last |= (uint64_t)(unsigned char)p[i] << (8 * i);
	h = hash_mix64(h ^ last ^ ((uint64_t)n << 59));
	return h ? h : 1;
}

/* The key table. */

static uint64_t
slot_hash(const uint32_t slot[3])
{
	return (uint64_t)slot[0] << 32 | slot[1];
}

/* Start fetching the slot of key h, which key_find will soon want. */
static void
key_prefetch(const struct importer *im, uint64_t h)
{
#if defined(__GNUC__)
	if (im->keys_cap)
		__builtin_prefetch(im->keys[(size_t)h & (im->keys_cap - 1)], 1);
#else
	(void)im;
	(void)h;
#endif
}

/* Find key h: true, with the position of its record in *pos, if it was seen. */
static bool
key_find(const struct importer *im, uint64_t h, uint32_t *pos)
{
	if (!im->keys_cap)
		return false;
	size_t mask = im->keys_cap - 1;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		uint64_t at = slot_hash(im->keys[i]);
		if (at == h) {
			*pos = im->keys[i][2];
			return true;
		}
		if (at == 0)
			return false;
	}
}

/* Make the key table cap slots (a power of two, more than it has). */
static void
key_grow(struct importer *im, size_t cap)
{
	uint32_t(*old)[3] = im->keys;
	size_t old_cap = im->keys_cap;
	im->keys = xcalloc_table(cap * sizeof *im->keys);
	im->keys_cap = cap;
	for (size_t i = 0; i < old_cap; i++) {
		uint64_t h = slot_hash(old[i]);
		if (!h)
			continue;
		size_t j = (size_t)h & (cap - 1);
		while (slot_hash(im->keys[j]))
			j = (j + 1) & (cap - 1);
		memcpy(im->keys[j], old[i], sizeof old[i]);
	}
	free(old);
}

/* Remember key h for the record at pos, unless it is known already. */
static void
key_put(struct importer *im, uint64_t h, uint32_t pos)
{
	if ((im->nkeys + 1) * 4 > im->keys_cap * 3)
		key_grow(im, im->keys_cap ? im->keys_cap * 2 : 1024);
	size_t mask = im->keys_cap - 1, i = (size_t)h & mask;
	uint64_t at;
	while ((at = slot_hash(im->keys[i])) != 0 && at != h)
		i = (i + 1) & mask;
	if (at)
		return;
	im->keys[i][0] = (uint32_t)(h >> 32);
	im->keys[i][1] = (uint32_t)h;
	im->keys[i][2] = pos;
	im->nkeys++;
}

/* Size the key table for the rows expected (three keys a row), to grow it seldom. */
void
import_presize_keys(struct importer *im)
{
	double rows = 0;
	for (size_t i = 0; i < im->nsrc; i++)
		rows += im->src[i]->rows_expected;
	double keys = rows * 3 * 4 / 3;
	size_t cap = 1024;
	while (cap < keys && cap < ((size_t)1 << 28))
		cap *= 2;
	key_grow(im, cap);
}

/* Positions: a source's base plus a row. */

static uint32_t
pos_of(const struct source *s, long row)
{
	uint64_t pos = (uint64_t)s->base + (uint64_t)(row > 0 ? row : 0);
	return pos > UINT32_MAX ? UINT32_MAX : (uint32_t)pos;
}

/* The source and row of a position. */
static const struct source *
source_at(const struct importer *im, uint32_t pos, long *row)
{
	size_t i = im->running;
	while (i > 0 && im->src[i]->base > pos)
		i--;
	*row = (long)(pos - im->src[i]->base);
	return im->src[i];
}

/* "row 14" for a row of s, "other.csv:14" for a row of another input. */
static const char *
where(const struct importer *im, const struct source *s, uint32_t src, long row, char out[300])
{
	if (src == s->index)
		snprintf(out, 300, "row %ld", row);
	else
		snprintf(out, 300, "%s:%ld", im->src[src]->path, row);
	return out;
}

/* "row 14" or "other.csv:14" for the record at pos, seen from s. */
static const char *
where_pos(const struct importer *im, const struct source *s, uint32_t pos, char out[300])
{
	long row;
	const struct source *at = source_at(im, pos, &row);
	return where(im, s, (uint32_t)at->index, row, out);
}

/* With dedupe: the records held, packed into an arena. */

/* The fuzzing build makes chunks small (tests/fuzz/README): records cross them. */
#ifndef CS_ARENA_CHUNK
#define CS_ARENA_CHUNK (8 << 20)
#endif
enum { ARENA_CHUNK = CS_ARENA_CHUNK };

/* Room for n bytes in the arena, 4-aligned. */
static char *
arena_alloc(struct importer *im, size_t n)
{
	n = (n + 3) & ~(size_t)3;
	if (!im->nchunks || im->chunk_used + n > im->chunk_size) {
		im->chunk_size = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		im->chunks = xrealloc(im->chunks, (im->nchunks + 1) * sizeof *im->chunks);
		im->chunks[im->nchunks++] = xmalloc(im->chunk_size);
		im->chunk_used = 0;
	}
	char *p = im->chunks[im->nchunks - 1] + im->chunk_used;
	im->chunk_used += n;
	return p;
}

/* Pack the n values of a record (bytes in data, places in fields) into the arena. */
static const char *
pack(struct importer *im, const char *data, const struct field *fields, size_t n)
{
	size_t bytes = 0;
	for (size_t i = 0; i < n; i++)
		bytes += fields[i].len ? fields[i].len + 1 : 0;
	char *p = arena_alloc(im, 4 + 8 * n + bytes);
	uint32_t word = (uint32_t)n;
	memcpy(p, &word, 4);
	char *values = p + 4 + 8 * n;
	uint32_t at = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t place[2] = {at, (uint32_t)fields[i].len};
		memcpy(p + 4 + 8 * i, place, 8);
		if (fields[i].len) {
			memcpy(values + at, data + fields[i].off, fields[i].len);
			values[at + fields[i].len] = '\0';
			at += (uint32_t)fields[i].len + 1;
		}
	}
	return p;
}

/* Unpack a held record into r (its row set too). */
static void
unpack(struct importer *im, const struct held *h, struct record *r)
{
	uint32_t n;
	memcpy(&n, h->packed, 4);
	im->unpacked = xgrow(im->unpacked, &im->unpacked_cap, n ? n : 1, sizeof *im->unpacked);
	size_t bytes = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t place[2];
		memcpy(place, h->packed + 4 + 8 * i, 8);
		im->unpacked[i].off = place[0];
		im->unpacked[i].len = place[1];
		if (place[1])
			bytes = place[0] + place[1] + 1;
	}
	record_assign(r, h->packed + 4 + 8 * (size_t)n, bytes, im->unpacked, n, 0);
	r->row = h->row;
}

/* With dedupe: the held record at pos (they are held in position order). */
static struct held *
held_at(struct importer *im, uint32_t pos)
{
	size_t lo = 0, hi = im->nheld;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (im->held[mid].pos < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < im->nheld && im->held[lo].pos == pos ? &im->held[lo] : NULL;
}

/* The keys and the id of the record being built. */

/*
 * The name-and-phone key into im->key: the lower-cased name, '|', the
 * phone's last ten digits.  False when there is neither.
 */
static bool
name_phone_key(struct importer *im)
{
	size_t nlen, plen;
	const char *name = out_get(im, CANON_NAME, &nlen);
	const char *phone = out_get(im, CANON_PHONE, &plen);
	return import_name_phone_key(name, nlen, im->phone_ok ? phone : "",
	                             im->phone_ok ? plen : 0, &im->key);
}

bool
import_name_phone_key(const char *name, size_t nlen, const char *phone, size_t plen,
                      struct buf *key)
{
	buf_reset(key);
	if (!nlen && !plen)
		return false;
	buf_reserve(key, nlen + 1);
	for (size_t i = 0; i < nlen; i++)
		key->data[i] = (char)ascii_lower((unsigned char)name[i]);
	key->data[nlen] = '|';
	key->len = nlen + 1;
	key->data[key->len] = '\0';
	if (plen) {
		char digits[11];
		norm_phone_digits(phone, digits);
		buf_puts(key, digits);
	}
	return true;
}

/*
 * The record's id before it is made unique, into im->id: the input's, or
 * derived from the email, else the name and phone, else the company.
 */
static void
id_text(struct importer *im)
{
	size_t len;
	const char *id = out_get(im, CANON_ID, &len);
	buf_reset(&im->id);
	if (len) {
		buf_append(&im->id, id, len);
		return;
	}
	char derived[16];
	size_t elen;
	const char *email = out_get(im, CANON_EMAIL, &elen);
	if (elen && im->email_ok) {
		import_derive_id(email, elen, derived);
	} else if (name_phone_key(im)) {
		import_derive_id(im->key.data, im->key.len, derived);
	} else {
		size_t clen;
		const char *company = out_get(im, CANON_COMPANY, &clen);
		buf_reset(&im->key);
		for (size_t i = 0; i < clen; i++)
			buf_putc(&im->key, (char)ascii_lower((unsigned char)company[i]));
		import_derive_id(buf_str(&im->key), im->key.len, derived);
	}
	buf_puts(&im->id, derived);
}

/*
 * Hash the record's keys, once its names (fix_names), email, phone, company
 * and id are set, and start fetching their slots: the table is far larger
 * than the caches, and the rest of the row's work hides the wait.
 */
void
import_hash_keys(struct importer *im, struct row_keys *k)
{
	size_t elen, plen, nlen;
	const char *email = out_get(im, CANON_EMAIL, &elen);
	out_get(im, CANON_PHONE, &plen);
	out_get(im, CANON_NAME, &nlen);
	k->email = elen && im->email_ok ? key_hash('e', email, elen) : 0;
	k->name_phone = 0;
	if (plen && im->phone_ok && nlen && name_phone_key(im))
		k->name_phone = key_hash('p', im->key.data, im->key.len);
	id_text(im);
	k->id = key_hash('i', im->id.data, im->id.len);
	if (k->email)
		key_prefetch(im, k->email);
	if (k->name_phone)
		key_prefetch(im, k->name_phone);
	key_prefetch(im, k->id);
}

/*
 * The output record's id (im->id) made unique.  pos is the record's
 * position, dup (or NULL) the position of the record it duplicates.
 */
static void
give_id(struct importer *im, struct source *s, long row, uint32_t pos, const uint32_t *dup,
        const struct row_keys *keys, struct buf *note)
{
	const char *id = im->id.data;
	size_t len = im->id.len;
	buf_reset(&im->text);
	buf_append(&im->text, id, len);
	uint32_t first, other;
	if (key_find(im, keys->id, &first)) {
		for (int k = 2;; k++) {
			buf_reset(&im->text);
			buf_append(&im->text, id, len);
			buf_printf(&im->text, "-%d", k);
			if (!key_find(im, key_hash('i', im->text.data, im->text.len), &other))
				break;
		}
		if (dup && *dup == first) {
			buf_printf(note, "; this row gets id %s", im->text.data);
		} else {
			char w[300];
			import_warnf(im, s, row, "id \"%.*s\" is also %s's: this row gets %s",
			             (int)len, id, where_pos(im, s, first, w), im->text.data);
		}
	}
	key_put(im, im->text.len == len ? keys->id : key_hash('i', im->text.data, im->text.len),
	        pos);
	out_set(im, (size_t)im->field_out[CANON_ID], im->text.data, im->text.len);
}

/* Settling a record: duplicate, merged, held or written. */

static bool
is_iso_date(const char *p, size_t len)
{
	if (len != 10 || p[4] != '-' || p[7] != '-')
		return false;
	for (size_t i = 0; i < len; i++)
		if (i != 4 && i != 7 && !(p[i] >= '0' && p[i] <= '9'))
			return false;
	return true;
}

/*
 * Merge r, a later duplicate, into h: empty fields filled, differing values
 * added to the notes (but last_contact keeps the latest date, since the
 * earliest).
 */
static void
merge(struct importer *im, struct record *into, const struct record *r, const char *from)
{
	size_t notes_at = (size_t)im->field_out[CANON_NOTES];
	buf_reset(&im->extra);
	for (size_t i = 0; i < im->out->n; i++) {
		if (i == notes_at)
			continue;
		size_t alen, blen;
		const char *a = record_get(into, i, &alen);
		const char *b = record_get(r, i, &blen);
		if (blen == 0)
			continue;
		bool later = (long)i == im->field_out[CANON_LAST_CONTACT];
		bool earlier = (long)i == im->field_out[CANON_SINCE];
		if (alen == 0)
			record_set(into, i, b, blen);
		else if ((later || earlier) && is_iso_date(a, alen) && is_iso_date(b, blen)) {
			/* The last contact is the latest one, a client since the earliest. */
			if (later ? strcmp(b, a) > 0 : strcmp(b, a) < 0)
				record_set(into, i, b, blen);
		} else if (alen != blen || memcmp(a, b, alen) != 0)
			import_add_extra(im, "also %s: %.*s (%s)", im->out->names[i], (int)blen, b,
			                 from);
	}
	size_t alen, blen;
	const char *a = record_get(into, notes_at, &alen);
	const char *b = record_get(r, notes_at, &blen);
	buf_reset(&im->text);
	buf_append(&im->text, a, alen);
	if (blen && !import_contains(a, alen, b)) {
		if (im->text.len)
			buf_putc(&im->text, '\n');
		buf_append(&im->text, b, blen);
	}
	if (im->extra.len) {
		if (im->text.len)
			buf_putc(&im->text, '\n');
		buf_append(&im->text, im->extra.data, im->extra.len);
	}
	record_set(into, notes_at, buf_str(&im->text), im->text.len);
}

/* A record the one being built duplicates. */
struct duplicate {
	const char *reason; /* "email", "name and phone"; NULL: no duplicate */
	uint32_t pos;       /* the other record's position */
	char where[300];    /* the other record as messages name it */
	char key[VALUE_SHOWN + 8];
};

/* Find whether the record built duplicates one before it: the same email, or name and phone. */
static void
find_duplicate(struct importer *im, const struct source *s, const struct row_keys *keys,
               struct duplicate *d)
{
	uint32_t found;
	d->reason = NULL;
	d->pos = 0;
	d->key[0] = '\0';
	size_t elen, plen, nlen;
	const char *email = out_get(im, CANON_EMAIL, &elen);
	const char *phone = out_get(im, CANON_PHONE, &plen);
	const char *name = out_get(im, CANON_NAME, &nlen);
	if (keys->email && key_find(im, keys->email, &found)) {
		d->pos = found;
		d->reason = "email";
		import_shown(email, elen, d->key);
	}
	if (keys->name_phone) {
		if (key_find(im, keys->name_phone, &found) && !d->reason) {
			d->pos = found;
			d->reason = "name and phone";
			char ph[VALUE_SHOWN + 8];
			snprintf(d->key, sizeof d->key, "%.*s, %s", (int)(nlen > 30 ? 30 : nlen),
			         name, import_shown(phone, plen, ph));
		}
	}
	if (d->reason)
		where_pos(im, s, d->pos, d->where);
}

/* With dedupe: merge the record built for row of s into h, the one it duplicates. */
static void
merge_held(struct importer *im, struct source *s, long row, struct held *h,
           const struct row_keys *keys, const struct duplicate *d)
{
	struct record *out = &im->outrec;
	record_assign(out, im->row.data, im->row.len, im->ofs, im->out->n, 0);
	out->row = row;
	char from[300];
	where(im, im->src[h->src], (uint32_t)s->index, row, from);
	unpack(im, h, &im->merged);
	merge(im, &im->merged, out, from);
	h->packed = pack(im, im->merged.data.data, im->merged.fields, im->merged.n);
	s->st.merged++;
	import_notef(im, s, row, "merged into %s (same %s: %s)", d->where, d->reason, d->key);
	if (keys->email)
		key_put(im, keys->email, d->pos);
	if (keys->name_phone)
		key_put(im, keys->name_phone, d->pos);
}

/* With dedupe: hold the record built for row of s, at pos, until the end. */
static void
hold(struct importer *im, const struct source *s, long row, uint32_t pos)
{
	im->held = xgrow(im->held, &im->held_cap, im->nheld + 1, sizeof *im->held);
	struct held *h = &im->held[im->nheld++];
	h->packed = pack(im, im->row.data, im->ofs, im->out->n);
	h->row = row;
	h->src = (uint32_t)s->index;
	h->pos = pos;
}

/*
 * The record being built into out, whose buffers it takes in exchange: it
 * is laid out as a record already (import_int.h), so nothing is copied.
 */
static void
take_row(struct importer *im, struct record *out)
{
	struct buf data = out->data;
	struct field *fields = out->fields;
	size_t cap = out->cap;
	out->data = im->row;
	out->fields = im->ofs;
	out->cap = im->ofs_cap;
	out->n = im->out->n;
	im->row = data;
	im->ofs = fields;
	im->ofs_cap = cap;
}

/*
 * Settle the record built for row of s: find whether it duplicates one
 * before it, give it its id, and write it (or hold it, or merge it, with
 * dedupe).
 */
static void
settle(struct importer *im, struct source *s, long row, const struct row_keys *keys,
       struct writer *w)
{
	struct record *out = &im->outrec;
	struct duplicate d;
	find_duplicate(im, s, keys, &d);
	if (d.reason) {
		s->st.duplicates++;
		if (s->st.dups.count < EVENTS_MAX) {
			char text[200];
			snprintf(text, sizeof text, "same %s as %.100s (%s)", d.reason, d.where,
			         d.key);
			import_add_event(&s->st.dups, row, text);
		} else {
			s->st.dups.count++;
		}
		struct held *h = im->o.dedupe ? held_at(im, d.pos) : NULL;
		if (h) {
			merge_held(im, s, row, h, keys, &d);
			return;
		}
	}
	uint32_t pos = pos_of(s, row);
	struct buf note = {0};
	if (d.reason)
		buf_printf(&note, "same %s as %s (%s): probably a duplicate (--dedupe merges them)",
		           d.reason, d.where, d.key);
	give_id(im, s, row, pos, d.reason ? &d.pos : NULL, keys, &note);
	if (d.reason)
		import_warnf(im, s, row, "%s", buf_str(&note));
	buf_free(&note);
	if (keys->email)
		key_put(im, keys->email, pos);
	if (keys->name_phone)
		key_put(im, keys->name_phone, pos);
	if (im->o.dedupe) {
		hold(im, s, row, pos);
		return;
	}
	take_row(im, out);
	out->row = row;
	import_count_missing(im, s, out);
	writer_put(w, out);
}

/* Settling a few records late. */

/*
 * Why late: the key table is far larger than the caches, so each of a
 * record's three keys is a cache miss, and mapping the rows after it hides
 * the wait where the rest of its own row did not (at four million rows the
 * cost a row grew by a third).  The order of what is said and written must
 * not change: a record is settled before anything is said about a later
 * row, since every message goes through the relay below.
 */

static void
swap_buf(struct buf *a, struct buf *b)
{
	struct buf t = *a;
	*a = *b;
	*b = t;
}

/* Swap the record being built (its values, their places, its id) with f's. */
static void
swap_built(struct importer *im, struct queued *f)
{
	struct field *ofs = im->ofs;
	size_t cap = im->ofs_cap;
	im->ofs = f->ofs;
	im->ofs_cap = f->ofs_cap;
	f->ofs = ofs;
	f->ofs_cap = cap;
	swap_buf(&im->row, &f->data);
	swap_buf(&im->id, &f->id);
}

void
import_settle_all(struct importer *im)
{
	/* A message of a record being settled: the records before it are settled. */
	if (im->settling || im->nout == im->nin)
		return;
	/*
	 * A message may have stopped the mapping of a row: its record, text
	 * and extra lines are in the importer's, and settling keeps off them.
	 */
	im->settling = true;
	swap_buf(&im->text, &im->settle_text);
	swap_buf(&im->extra, &im->settle_extra);
	for (; im->nout < im->nin; im->nout++) {
		struct queued *f = &im->ring[im->nout % IMPORT_LAG];
		swap_built(im, f);
		settle(im, f->s, f->row, &f->keys, im->settle_to);
		swap_built(im, f);
	}
	swap_buf(&im->text, &im->settle_text);
	swap_buf(&im->extra, &im->settle_extra);
	im->settling = false;
}

void
import_settle_later(struct importer *im, struct source *s, long row, const struct row_keys *keys)
{
	/*
	 * One swap: the record built goes into the oldest one's place, which
	 * comes out as the record to settle (or, until IMPORT_LAG are queued,
	 * as spare buffers for the next row).
	 */
	struct queued *f = &im->ring[im->nin % IMPORT_LAG];
	struct source *old_s = f->s;
	long old_row = f->row;
	struct row_keys old_keys = f->keys;
	bool full = im->nin - im->nout == IMPORT_LAG;
	swap_built(im, f);
	f->s = s;
	f->row = row;
	f->keys = *keys;
	im->nin++;
	if (full) {
		im->settling = true;
		settle(im, old_s, old_row, &old_keys, im->settle_to);
		im->settling = false;
		im->nout++;
	}
}

/* The relay: what is queued is settled before anything more is said. */

static void
relay_warn(void *ctx, const struct cs_error *e)
{
	struct importer *im = ctx;
	import_settle_all(im);
	if (im->outer.warn)
		im->outer.warn(im->outer.ctx, e);
}

static void
relay_error(void *ctx, const struct cs_error *e)
{
	struct importer *im = ctx;
	import_settle_all(im);
	if (im->outer.error)
		im->outer.error(im->outer.ctx, e);
}

static void
relay_note(void *ctx, const struct cs_error *e)
{
	struct importer *im = ctx;
	import_settle_all(im);
	if (im->outer.note)
		im->outer.note(im->outer.ctx, e);
}

void
import_settle_begin(struct importer *im, struct writer *w)
{
	im->settle_to = w;
	im->outer = im->o;
	im->o.warn = relay_warn;
	im->o.error = relay_error;
	im->o.note = relay_note;
	im->o.ctx = im;
}

void
import_settle_end(struct importer *im)
{
	import_settle_all(im);
	im->o.warn = im->outer.warn;
	im->o.error = im->outer.error;
	im->o.note = im->outer.note;
	im->o.ctx = im->outer.ctx;
	for (size_t i = 0; i < IMPORT_LAG; i++) {
		buf_free(&im->ring[i].data);
		buf_free(&im->ring[i].id);
		free(im->ring[i].ofs);
		im->ring[i] = (struct queued){0};
	}
	buf_free(&im->settle_text);
	buf_free(&im->settle_extra);
	im->nin = im->nout = 0;
	im->settle_to = NULL;
}

void
import_write_held(struct importer *im, struct writer *w)
{
	for (size_t i = 0; i < im->nheld; i++) {
		struct held *h = &im->held[i];
		unpack(im, h, &im->outrec);
		import_count_missing(im, im->src[h->src], &im->outrec);
		writer_put(w, &im->outrec);
	}
}
