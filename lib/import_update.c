/*
 * import_update.c - cs-import --update: the book brought up to date from
 * the next export (import_update.h says what is matched and taken).
 *
 * The book is held, the export streamed.  The book's records are packed
 * into an arena (a 16-bit offset a field and their bytes: no
 * allocation a record) with a table of their keys (id, email, name and
 * phone; 16 bytes a key, sized from the book's first rows).  The import
 * hands its records over one at a time (writer_options.each), never
 * written out: each is matched and applied in the export's order (a few
 * records late, while the key slot, the book record and its values it
 * will want are fetched; the import's messages wait for the records
 * before them to be matched), keeping the book
 * record as read, so that a second export record finding the same book
 * record takes the first one's changes back and both are conflicts.  At the
 * end the diff's change lines come from comparing each book record with
 * what was read, and the book is written.  Memory is the book, its keys and
 * the records added; never the export.
 *
 * A record is repacked only when it changes, and every record is written
 * from the values it was read with, so one that does not change comes out
 * with the same bytes.
 */
#include "import_update.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "import_int.h"
#include "keytab.h"
#include "pack.h"
#include "writer.h"

enum { KEY_ID, KEY_EMAIL, KEY_NAME_PHONE, NKEYS };
static const char *const key_names[NKEYS] = {"id", "email", "name+phone"};

/* The columns the book owns whatever the options (besides --keep). */
static const char *const book_owned[] = {"id",           "tier",      "tier_locked", "owner",
                                         "last_contact", "household", "gone_since"};

/* ---- keys ------------------------------------------------------------------ */

/* The columns the keys are made of (-1: absent). */
struct key_cols {
	long id, email, name, phone;
};

static void
key_cols_of(const struct header *h, struct key_cols *c)
{
	c->id = header_find(h, "id");
	c->email = header_find(h, "email");
	c->name = header_find(h, "name");
	c->phone = header_find(h, "phone");
}

static const char *
get(const struct record *r, long col, size_t *len)
{
	if (col < 0) {
		*len = 0;
		return "";
	}
	return record_get(r, (size_t)col, len);
}

/*
 * Key kind of r (0: it has no such key): its id; its email, case folded (a
 * book edited by hand may have re-cased one); its name and phone as the
 * importer's duplicate check makes them (import_name_phone_key), when it
 * has both.
 */
static uint64_t
record_key(const struct record *r, const struct key_cols *c, int kind, struct buf *scratch)
{
	size_t len, plen;
	if (kind == KEY_ID) {
		const char *v = get(r, c->id, &len);
		return len ? keytab_hash('i', v, len) : 0;
	}
	if (kind == KEY_EMAIL) {
		const char *v = get(r, c->email, &len);
		return len ? keytab_hash_lower('e', v, len) : 0;
	}
	const char *name = get(r, c->name, &len);
	const char *phone = get(r, c->phone, &plen);
	/* "name|digits": a phone with no digits leaves the '|' last, and no key. */
	if (len && plen && import_name_phone_key(name, len, phone, plen, scratch) &&
	    scratch->data[scratch->len - 1] != '|')
		return keytab_hash('p', scratch->data, scratch->len);
	return 0;
}

/* Every key of r into k. */
static void
record_keys(const struct record *r, const struct key_cols *c, struct buf *scratch,
            uint64_t k[NKEYS])
{
	for (int i = 0; i < NKEYS; i++)
		k[i] = record_key(r, c, i, scratch);
}

/* ---- the update ------------------------------------------------------------ */

enum { BOOK_CONFLICT = 1 };
enum { BOOK_SAMPLE = 1000 }; /* rows whose size tells the book's row count */

/*
 * A book record, 24 bytes (a million of them are read at every update):
 * packed is what is written, orig what was read (the diff compares them at
 * the end).  The first export record that matches it is applied at once; a
 * second takes that back (packed = orig) and both are conflicts, so the
 * first one's key is kept, and its id, when that is not the book's, in
 * update.firsts.
 */
struct book_rec {
	const char *packed, *orig;
	uint32_t row;
	uint16_t count; /* export records that match it (saturating) */
	uint8_t first_key;
	uint8_t flags;
};

/*
 * An export record in flight: its first key's slot is fetched while the
 * import reads the next record, then its book record, then that record's
 * values, so that matching it waits on none of them (the key table and
 * the book are far larger than the caches).
 */
enum { LAG = 3 }; /* export records held back: one a stage */
struct inflight {
	struct record rec;
	uint64_t k[NKEYS];
	int key;                        /* the first key r has (NKEYS: none) */
	const struct keytab_slot *slot; /* key's slot, once found */
};

struct archived {
	const char *packed; /* id, name, removed_on, reason */
	const char *path;
	long row;
};

struct update {
	const struct update_options *o;
	struct update_totals *t;
	struct arena arena;

	struct header *book_h;
	enum stream_format book_format;
	struct key_cols book_cols;
	long book_gone; /* the book's gone_since column, or -1 */
	struct book_rec *book;
	size_t nbook, book_cap;
	struct keytab book_keys;
	/* Book record i (as key i + 1) -> the index in first_ids of its first match's id */
	struct keytab firsts;
	const char **first_ids; /* packed, one value */
	size_t nfirst, first_cap;

	struct archived *arch;
	size_t narch, arch_cap;
	struct keytab arch_keys;

	const struct header *ex_h; /* the import's columns */
	struct key_cols ex_cols;

	struct header *out_h; /* the book's columns, then the export's new ones */
	bool *col_used;       /* output column: written (a new one once a value fills it) */
	size_t unused;        /* export columns whose output column is not (yet) used */
	size_t *ex_out;       /* export column -> output column */
	bool *owned;          /* export column: the book owns it */
	enum update_take *rule;
	long out_gone; /* gone_since in out_h, or -1 */

	struct writer *diff;
	struct header *diff_h;
	struct pack_val *vals;
	size_t vals_cap;
	const char **added;
	size_t nadded, added_cap;
	struct inflight ring[LAG + 1];
	size_t nin;  /* export records handed over, */
	size_t nout; /* and matched */
	struct record rec;
	struct buf scratch, what, text;
	char today[16];
};

static void
say(const struct update *u, cs_warn_fn *fn, const char *file, long row, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void
say(const struct update *u, cs_warn_fn *fn, const char *file, long row, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cs_vwarn(fn, u->o->ctx, file, row, fmt, ap);
	va_end(ap);
}

static void
diff_line(struct update *u, const char *id, const char *field, const char *old, const char *new,
          const char *action)
{
	if (!u->diff)
		return;
	const char *v[] = {id, field, old, new, action};
	writer_put_strings(u->diff, v, 5);
}

/* A book record's field, by book column. */
static const char *
book_get(const struct book_rec *b, long col, size_t *len)
{
	if (col < 0) {
		*len = 0;
		return "";
	}
	return packed_get(b->packed, (size_t)col, len);
}

/* "id X (Name)" of a book record, into u->what. */
static const char *
book_what(struct update *u, const struct book_rec *b)
{
	size_t len, nlen;
	const char *id = book_get(b, u->book_cols.id, &len);
	const char *name = book_get(b, u->book_cols.name, &nlen);
	if (!nlen)
		name = book_get(b, u->book_cols.email, &nlen);
	buf_reset(&u->what);
	buf_printf(&u->what, "%s:%ld (id %s%s%.*s)", u->o->book, (long)b->row, id, nlen ? ", " : "",
	           (int)nlen, name);
	return u->what.data;
}

/* "Name (id X)" of an export record, into u->text. */
static const char *
export_what(struct update *u, const struct record *r)
{
	size_t len, nlen;
	const char *id = get(r, u->ex_cols.id, &len);
	const char *name = get(r, u->ex_cols.name, &nlen);
	if (!nlen)
		name = get(r, u->ex_cols.email, &nlen);
	buf_reset(&u->text);
	buf_printf(&u->text, "%.*s%sid %s%s", (int)nlen, name, nlen ? " (" : "", id, nlen ? ")" : "");
	return u->text.data;
}

/* An export record's name, else email, else id. */
static const char *
export_name(const struct update *u, const struct record *r)
{
	size_t len;
	const char *v = get(r, u->ex_cols.name, &len);
	if (!len)
		v = get(r, u->ex_cols.email, &len);
	if (!len)
		v = get(r, u->ex_cols.id, &len);
	return v;
}

/* ---- reading the book and the archives ------------------------------------ */

static int
load_book(struct update *u, struct cs_error *err)
{
	struct stream_options so = {.warn = u->o->warn, .warn_ctx = u->o->ctx};
	struct stream *s = stream_open(u->o->book, &so, err);
	if (!s)
		return -1;
	u->book_h = header_copy(stream_header(s));
	u->book_format = stream_format(s);
	key_cols_of(u->book_h, &u->book_cols);
	u->book_gone = header_find(u->book_h, "gone_since");
	struct stat st;
	double size = stat(u->o->book, &st) == 0 && S_ISREG(st.st_mode) ? (double)st.st_size : 0;
	double bytes = 0;
	uint64_t pending[NKEYS] = {0};
	int rc;
	while ((rc = stream_next(s, &u->rec, err)) == 1) {
		if (u->nbook < BOOK_SAMPLE) {
			/* From the first rows' size, the rows to come: the key table's size. */
			bytes += (double)u->rec.data.len;
			if (u->nbook == BOOK_SAMPLE - 1 && size > 0) {
				double rows = size / (bytes / BOOK_SAMPLE);
				keytab_reserve(&u->book_keys, rows * NKEYS);
				/* The records too: doubling would copy them. */
				u->book = xgrow(u->book, &u->book_cap, (size_t)(rows * 1.05),
				                sizeof *u->book);
			}
		}
		if (u->nbook >= KEYTAB_NONE || u->rec.row > (long)UINT32_MAX) {
			rc =
			    cs_error_set(err, u->o->book, u->rec.row, "too many records to update");
			break;
		}
		/*
		 * The table is far larger than the caches: fetch this record's
		 * slots now, put the previous record's keys, whose slots came
		 * while this one was packed.
		 */
		uint64_t k[NKEYS];
		record_keys(&u->rec, &u->book_cols, &u->scratch, k);
		for (int i = 0; i < NKEYS; i++)
			keytab_prefetch(&u->book_keys, k[i]);
		u->vals = xgrow(u->vals, &u->vals_cap, u->rec.n, sizeof *u->vals);
		for (size_t i = 0; i < u->rec.n; i++)
			u->vals[i] = (struct pack_val){u->rec.data.data + u->rec.fields[i].off,
			                               u->rec.fields[i].len};
		u->book = xgrow(u->book, &u->book_cap, u->nbook + 1, sizeof *u->book);
		const char *p = pack_nul(&u->arena, u->vals, u->rec.n);
		u->book[u->nbook] =
		    (struct book_rec){.packed = p, .orig = p, .row = (uint32_t)u->rec.row};
		for (int i = 0; u->nbook && i < NKEYS; i++)
			keytab_put(&u->book_keys, pending[i], (uint32_t)u->nbook - 1);
		memcpy(pending, k, sizeof pending);
		u->nbook++;
	}
	for (int i = 0; u->nbook && i < NKEYS; i++)
		keytab_put(&u->book_keys, pending[i], (uint32_t)u->nbook - 1);
	stream_close(s);
	return rc < 0 ? -1 : 0;
}

static int
load_archive(struct update *u, const char *path, struct cs_error *err)
{
	struct stream *s = stream_open(path, NULL, err);
	if (!s)
		return -1;
	const struct header *h = stream_header(s);
	struct key_cols c;
	key_cols_of(h, &c);
	long on = header_find(h, "removed_on"), reason = header_find(h, "reason");
	if (on < 0 || reason < 0) {
		stream_close(s);
		return cs_error_set(err, path, 1,
		                    "not a cs-remove archive: it has no removed_on and reason columns");
	}
	int rc;
	while ((rc = stream_next(s, &u->rec, err)) == 1) {
		struct pack_val v[4];
		v[0].p = get(&u->rec, c.id, &v[0].len);
		v[1].p = get(&u->rec, c.name, &v[1].len);
		v[2].p = get(&u->rec, on, &v[2].len);
		v[3].p = get(&u->rec, reason, &v[3].len);
		u->arch = xgrow(u->arch, &u->arch_cap, u->narch + 1, sizeof *u->arch);
		u->arch[u->narch] = (struct archived){pack(&u->arena, v, 4), path, u->rec.row};
		uint64_t k[NKEYS];
		record_keys(&u->rec, &c, &u->scratch, k);
		for (int i = 0; i < NKEYS; i++)
			keytab_put(&u->arch_keys, k[i], (uint32_t)u->narch);
		u->narch++;
	}
	stream_close(s);
	return rc < 0 ? -1 : 0;
}

/* ---- the export's columns -------------------------------------------------- */

int
update_parse_take(const char *s, const char **field, size_t *flen, enum update_take *rule)
{
	static const char *const names[] = {"if-not-empty", "always", "if-book-empty"};
	const char *eq = strchr(s, '=');
	*field = NULL;
	*flen = 0;
	if (eq) {
		if (eq == s)
			return -1;
		*field = s;
		*flen = (size_t)(eq - s);
		s = eq + 1;
	}
	for (int i = 0; i < 3; i++)
		if (strcmp(s, names[i]) == 0) {
			*rule = (enum update_take)i;
			return 0;
		}
	return -1;
}

/* Column name[0..len) of h, or -1. */
static long
find_n(const struct header *h, const char *name, size_t len)
{
	for (size_t i = 0; i < h->n; i++)
		if (strlen(h->names[i]) == len && memcmp(h->names[i], name, len) == 0)
			return (long)i;
	return -1;
}

/* Whether an input of im has a notes column (the import writes notes always). */
static bool
export_has_notes(const struct importer *im)
{
	for (size_t i = 0; i < im->nsrc; i++)
		if (im->src[i]->has[CANON_NOTES])
			return true;
	return false;
}

/* Map the export's columns to the book's, and read --take and --keep. */
static void
plan_columns(struct update *u, const struct importer *im)
{
	const struct update_options *o = u->o;
	size_t n = u->ex_h->n;
	u->out_h = header_copy(u->book_h);
	u->ex_out = xcalloc(n ? n : 1, sizeof *u->ex_out);
	u->owned = xcalloc(n ? n : 1, sizeof *u->owned);
	u->rule = xcalloc(n ? n : 1, sizeof *u->rule);
	for (size_t j = 0; j < n; j++) {
		/* A column the book lacks is appended (written if some record fills it). */
		u->ex_out[j] = header_ensure(u->out_h, u->ex_h->names[j]);
		u->rule[j] = o->take;
		/*
		 * An empty notes column the import made, no input having one,
		 * says nothing: "always" must not empty the book's notes with it.
		 */
		if (strcmp(u->ex_h->names[j], "notes") == 0 && o->take == UPDATE_TAKE_ALWAYS &&
		    !export_has_notes(im))
			u->rule[j] = UPDATE_TAKE_IF_NOT_EMPTY;
		for (size_t k = 0; k < sizeof book_owned / sizeof *book_owned; k++)
			if (strcmp(u->ex_h->names[j], book_owned[k]) == 0)
				u->owned[j] = true;
	}
	u->out_gone = header_find(u->out_h, "gone_since");
	/* The book's columns are written, new ones once a value fills them; one more for gone_since. */
	u->col_used = xcalloc(u->out_h->n + 1, sizeof *u->col_used);
	for (size_t c = 0; c < u->book_h->n; c++)
		u->col_used[c] = true;
	for (size_t j = 0; j < n; j++)
		u->unused += !u->col_used[u->ex_out[j]];
	for (size_t i = 0; i < o->ntakes; i++) {
		const char *field;
		size_t flen;
		enum update_take rule;
		if (update_parse_take(o->takes[i], &field, &flen, &rule) < 0 || !field)
			continue; /* a rule for every field: o->take already */
		long j = find_n(u->ex_h, field, flen);
		if (j < 0)
			say(u, o->warn, o->export_name, 0,
			    "--take %s: the export has no column \"%.*s\" (the rule does nothing)",
			    o->takes[i], (int)flen, field);
		else
			u->rule[j] = rule;
	}
	for (size_t i = 0; i < o->nkeeps; i++)
		for (const char *p = o->keeps[i];;) {
			size_t len = strcspn(p, ",");
			long j = find_n(u->ex_h, p, len);
			if (j >= 0)
				u->owned[j] = true;
			else if (len && find_n(u->book_h, p, len) < 0)
				say(u, o->warn, o->book, 0,
				    "--keep %.*s: neither the book nor the export has that column",
				    (int)len, p);
			if (!p[len])
				break;
			p += len + 1;
		}
}

/* ---- the export, one record at a time -------------------------------------- */

/* The values of the output columns, each "" to start. */
static struct pack_val *
clear_vals(struct update *u)
{
	size_t n = u->out_h->n;
	u->vals = xgrow(u->vals, &u->vals_cap, n, sizeof *u->vals);
	for (size_t i = 0; i < n; i++)
		u->vals[i] = (struct pack_val){"", 0};
	return u->vals;
}

/* The values of packed record p over the output columns. */
static struct pack_val *
packed_vals(struct update *u, const char *p)
{
	struct pack_val *v = clear_vals(u);
	size_t n = packed_n(p);
	for (size_t i = 0; i < n && i < u->out_h->n; i++)
		v[i].p = packed_get(p, i, &v[i].len);
	return v;
}

static bool
same(struct pack_val a, const char *p, size_t len)
{
	return a.len == len && memcmp(a.p, p, len) == 0;
}

/* One conflict line of the diff: book record b, export record id by key. */
static void
conflict_line(struct update *u, const struct book_rec *b, int key, const char *export_id)
{
	size_t len;
	const char *id = book_get(b, u->book_cols.id, &len);
	char where[600];
	snprintf(where, sizeof where, "%s:%ld", u->o->book, (long)b->row);
	diff_line(u, id, key_names[key], where, export_id, "conflict");
}

/* An export record whose key finds two book records (slot). */
static void
conflict_ambiguous(struct update *u, const struct record *r, int key, const struct keytab_slot *slot)
{
	struct book_rec *a = &u->book[slot->first], *b = &u->book[slot->second];
	a->flags |= BOOK_CONFLICT;
	b->flags |= BOOK_CONFLICT;
	char first[600];
	snprintf(first, sizeof first, "%s", book_what(u, a));
	say(u, u->o->warn, u->o->export_name, 0,
	    "conflict: %s matches both %s and %s by %s: not applied", export_what(u, r), first,
	    book_what(u, b), key_names[key]);
	size_t len;
	const char *id = get(r, u->ex_cols.id, &len);
	conflict_line(u, a, key, id);
	conflict_line(u, b, key, id);
	u->t->conflicts++;
}

/*
 * An export record that finds book record b, which an earlier one found:
 * the first one's changes are taken back, and both are conflicts.
 */
static void
conflict_twice(struct update *u, const struct record *r, struct book_rec *b, int key)
{
	size_t idlen;
	const char *first_id;
	if (b->first_key != KEY_ID) {
		const struct keytab_slot *f = keytab_find(&u->firsts, (uint64_t)(b - u->book) + 1);
		first_id = packed_get(u->first_ids[f->first], 0, &idlen);
	} else {
		first_id = book_get(b, u->book_cols.id, &idlen);
	}
	if (b->count == 1) {
		b->packed = b->orig;
		say(u, u->o->warn, u->o->export_name, 0,
		    "conflict: the export record with id %s matches %s by %s: not applied", first_id,
		    book_what(u, b), key_names[b->first_key]);
		conflict_line(u, b, b->first_key, first_id);
		u->t->conflicts++;
	}
	say(u, u->o->warn, u->o->export_name, 0,
	    "conflict: %s matches %s by %s, as the export record with id %s does: not applied",
	    export_what(u, r), book_what(u, b), key_names[key], first_id);
	size_t len;
	conflict_line(u, b, key, get(r, u->ex_cols.id, &len));
	u->t->conflicts++;
	if (b->count < UINT16_MAX)
		b->count++;
}

/* Field j of export record r, borrowed (the hot loop's record_get). */
static inline struct pack_val
export_val(const struct record *r, size_t j)
{
	if (j >= r->n)
		return (struct pack_val){"", 0};
	return (struct pack_val){r->data.data + r->fields[j].off, r->fields[j].len};
}

/* Whether field j takes the export's value e over the book's (of length blen). */
static inline bool
takes(const struct update *u, size_t j, struct pack_val e, size_t blen)
{
	return u->rule[j] == UPDATE_TAKE_ALWAYS || (u->rule[j] == UPDATE_TAKE_IF_NOT_EMPTY && e.len) ||
	       (u->rule[j] == UPDATE_TAKE_IF_BOOK_EMPTY && !blen);
}

/*
 * Whether applying export record r changes book record b: most matched
 * records do not, and this reads b where it lies, unpacking nothing.
 */
static bool
changes_book(const struct update *u, const struct record *r, const struct book_rec *b)
{
	size_t blen, n;
	if (u->book_gone >= 0 && (book_get(b, u->book_gone, &blen), blen))
		return true;
	const char *data;
	const uint16_t *o = packed_offsets16(b->packed, &n, &data);
	if (o) {
		/* Nearly every record: its offsets read once, not a field at a time. */
		for (size_t j = 0; j < u->ex_h->n; j++) {
			if (u->owned[j])
				continue;
			size_t c = u->ex_out[j];
			size_t at = c < n ? o[c] : 0;
			blen = c < n ? (size_t)(o[c + 1] - at - 1) : 0;
			struct pack_val e = export_val(r, j);
			if ((e.len != blen || (blen && memcmp(data + at, e.p, blen) != 0)) &&
			    takes(u, j, e, blen))
				return true;
		}
		return false;
	}
	for (size_t j = 0; j < u->ex_h->n; j++) {
		if (u->owned[j])
			continue;
		struct pack_val e = export_val(r, j);
		const char *bv = packed_get(b->packed, u->ex_out[j], &blen);
		if (takes(u, j, e, blen) && !same((struct pack_val){bv, blen}, e.p, e.len))
			return true;
	}
	return false;
}

/* Apply export record r, the first to find book record b, by the fields' rules. */
static void
apply(struct update *u, const struct record *r, struct book_rec *b, int key)
{
	if (key != KEY_ID) {
		struct pack_val first;
		first.p = get(r, u->ex_cols.id, &first.len);
		u->first_ids =
		    xgrow(u->first_ids, &u->first_cap, u->nfirst + 1, sizeof *u->first_ids);
		u->first_ids[u->nfirst] = pack(&u->arena, &first, 1);
		keytab_put(&u->firsts, (uint64_t)(b - u->book) + 1, (uint32_t)u->nfirst++);
	}
	b->first_key = (uint8_t)key;
	b->count = 1;
	if (!changes_book(u, r, b))
		return;
	struct pack_val *v = packed_vals(u, b->packed);
	bool changed = false;
	for (size_t j = 0; j < u->ex_h->n; j++) {
		if (u->owned[j])
			continue;
		struct pack_val e = export_val(r, j);
		struct pack_val *bv = &v[u->ex_out[j]];
		if (!takes(u, j, e, bv->len) || same(*bv, e.p, e.len))
			continue;
		*bv = e;
		changed = true;
	}
	if (u->book_gone >= 0 && v[u->book_gone].len) {
		/* Back in the export: no longer gone. */
		v[u->book_gone] = (struct pack_val){"", 0};
		changed = true;
	}
	if (changed)
		b->packed = pack(&u->arena, v, u->out_h->n);
}

/* An unmatched export record that matches an archived client: true if so (reported). */
static bool
skip_archived(struct update *u, const struct record *r, const uint64_t k[NKEYS])
{
	const struct keytab_slot *slot = NULL;
	for (int i = 0; i < NKEYS && !slot; i++)
		slot = keytab_find(&u->arch_keys, k[i]);
	if (!slot)
		return false;
	const struct archived *a = &u->arch[slot->first];
	size_t idlen, onlen, rlen;
	const char *id = packed_get(a->packed, 0, &idlen);
	const char *on = packed_get(a->packed, 2, &onlen);
	const char *reason = packed_get(a->packed, 3, &rlen);
	buf_reset(&u->scratch);
	buf_printf(&u->scratch, "removed on %s for %s", onlen ? on : "an unknown date",
	           rlen ? reason : "no reason given");
	say(u, u->o->note, u->o->export_name, 0, "%s was %s (%s:%ld): not re-added",
	    export_what(u, r), u->scratch.data, a->path, a->row);
	diff_line(u, id, "", u->scratch.data, export_name(u, r), "skipped-archived");
	u->t->archived++;
	return true;
}

static void
add(struct update *u, const struct record *r)
{
	struct pack_val *v = clear_vals(u);
	for (size_t j = 0; j < u->ex_h->n; j++)
		v[u->ex_out[j]].p = record_get(r, j, &v[u->ex_out[j]].len);
	u->added = xgrow(u->added, &u->added_cap, u->nadded + 1, sizeof *u->added);
	u->added[u->nadded++] = pack(&u->arena, v, u->out_h->n);
	if (u->o->journal) {
		record_clear(&u->rec);
		for (size_t c = 0; c < u->out_h->n; c++)
			record_push(&u->rec, v[c].p, v[c].len);
		long id = header_find(u->out_h, "id");
		journal_record(u->o->journal, JOURNAL_ADD, (long)(u->nbook + u->nadded - 1), u->out_h,
		               &u->rec, id >= 0 ? (size_t)id : u->out_h->n);
	}
	size_t len;
	diff_line(u, get(r, u->ex_cols.id, &len), "", "", export_name(u, r), "add");
	u->t->added++;
}

/*
 * Match export record f->rec by the first key that finds a book record,
 * then apply, add, skip or report it.  Its first key's slot (f->slot) is
 * found already.
 */
static void
match(struct update *u, struct inflight *f)
{
	const struct record *r = &f->rec;
	if (u->o->skip && u->o->skip(u->o->skip_ctx, r)) {
		u->t->skipped++;
		return;
	}
	if (u->unused) {
		/* Until every export column has been filled once (most books: from the start). */
		u->unused = 0;
		for (size_t j = 0; j < u->ex_h->n; j++) {
			if (j < r->n && r->fields[j].len)
				u->col_used[u->ex_out[j]] = true;
			u->unused += !u->col_used[u->ex_out[j]];
		}
	}
	for (int key = f->key; key < NKEYS; key++) {
		/* Most records are found by id: the other keys only when needed. */
		const struct keytab_slot *slot = f->slot;
		if (key != f->key) {
			f->k[key] = record_key(r, &u->ex_cols, key, &u->scratch);
			slot = keytab_find(&u->book_keys, f->k[key]);
		}
		if (!slot)
			continue;
		struct book_rec *b = &u->book[slot->first];
		if (slot->second != KEYTAB_NONE)
			conflict_ambiguous(u, r, key, slot);
		else if (b->count)
			conflict_twice(u, r, b, key);
		else
			apply(u, r, b, key);
		return;
	}
	if (!skip_archived(u, r, f->k))
		add(u, r);
}

/* Start fetching p's cache line. */
static inline void
prefetch(const void *p)
{
#if defined(__GNUC__)
	__builtin_prefetch(p);
#else
	(void)p;
#endif
}

/* Start fetching what record i in flight will want next (stage: how far it is). */
static void
advance(struct update *u, size_t i, int stage)
{
	struct inflight *f = &u->ring[i % (LAG + 1)];
	if (stage == 1) {
		f->slot = f->key < NKEYS ? keytab_find(&u->book_keys, f->k[f->key]) : NULL;
		if (f->slot)
			prefetch(&u->book[f->slot->first]);
	} else if (stage == 2 && f->slot) {
		const char *p = u->book[f->slot->first].packed;
		for (int line = 0; line < 4; line++)
			prefetch(p + 64 * line);
	}
}

/* Match the oldest record in flight. */
static void
retire(struct update *u)
{
	match(u, &u->ring[u->nout % (LAG + 1)]);
	u->nout++;
}

/*
 * One record of the import (a writer_options each): held back LAG records
 * while what matching it needs is fetched, then matched in the export's
 * order.
 */
static void
on_export(void *ctx, const struct record *r)
{
	struct update *u = ctx;
	if (u->nin - u->nout == LAG)
		retire(u);
	struct inflight *f = &u->ring[u->nin % (LAG + 1)];
	record_copy(&f->rec, r);
	/* Its first key: the keys before it are empty (0), the ones after it wait. */
	memset(f->k, 0, sizeof f->k);
	for (f->key = 0; f->key < NKEYS; f->key++) {
		f->k[f->key] = record_key(r, &u->ex_cols, f->key, &u->scratch);
		if (f->k[f->key])
			break;
	}
	f->slot = NULL;
	if (f->key < NKEYS)
		keytab_prefetch(&u->book_keys, f->k[f->key]);
	for (size_t i = u->nout; i < u->nin; i++)
		advance(u, i, (int)(u->nin - i));
	u->nin++;
}

/* Match the records still in flight (the import is done). */
static void
drain(struct update *u)
{
	/* The newest has not been looked up yet; the others have. */
	if (u->nout < u->nin)
		advance(u, u->nin - 1, 1);
	while (u->nout < u->nin)
		retire(u);
}

/*
 * The import's messages: what matching the records handed over before one
 * has to say comes first, as when each was matched at once.
 */
struct relay {
	struct update *u;
	struct import_options o; /* the import's own callbacks */
};

static void
relay_warn(void *ctx, const struct cs_error *w)
{
	struct relay *r = ctx;
	drain(r->u);
	if (r->o.warn)
		r->o.warn(r->o.ctx, w);
}

static void
relay_error(void *ctx, const struct cs_error *w)
{
	struct relay *r = ctx;
	drain(r->u);
	if (r->o.error)
		r->o.error(r->o.ctx, w);
}

static void
relay_note(void *ctx, const struct cs_error *w)
{
	struct relay *r = ctx;
	drain(r->u);
	if (r->o.note)
		r->o.note(r->o.ctx, w);
}

/* Run the import into on_export, its messages through relay; 0, else what import_run says. */
static int
run_export(struct update *u, struct importer *im)
{
	struct relay relay = {u, im->o};
	im->o.warn = relay_warn;
	im->o.error = relay_error;
	im->o.note = relay_note;
	im->o.ctx = &relay;
	struct writer_options each = {.each = on_export, .each_ctx = u};
	struct writer *in = writer_open(NULL, u->ex_h, &each);
	int rc = import_run(im, in);
	writer_close(in, NULL, NULL);
	drain(u);
	im->o = relay.o;
	return rc;
}

/* ---- the end: what changed, what is gone, the book ------------------------- */

/* Book record b, no export record having found it: kept, reported, with mark marked. */
static void
gone(struct update *u, struct book_rec *b)
{
	size_t idlen, len;
	const char *id = book_get(b, u->book_cols.id, &idlen);
	const char *name = book_get(b, u->book_cols.name, &len);
	if (u->o->gone == UPDATE_GONE_KEEP) {
		say(u, u->o->note, u->o->book, (long)b->row,
		    "%s%sid %s%s is not in the export: kept", name, len ? " (" : "", id,
		    len ? ")" : "");
		diff_line(u, id, "", name, "", "gone");
		u->t->gone++;
		return;
	}
	size_t glen;
	if (u->book_gone >= 0 && (book_get(b, u->book_gone, &glen), glen)) {
		u->t->still_gone++;
		return;
	}
	if (u->out_gone < 0) {
		u->out_gone = (long)header_add(u->out_h, "gone_since");
		u->col_used[u->out_gone] = true;
	}
	struct pack_val *v = packed_vals(u, b->packed);
	v[u->out_gone] = (struct pack_val){u->today, strlen(u->today)};
	b->packed = pack(&u->arena, v, u->out_h->n);
	say(u, u->o->note, u->o->book, (long)b->row,
	    "%s%sid %s%s is not in the export: kept, gone_since %s", name, len ? " (" : "", id,
	    len ? ")" : "", u->today);
	diff_line(u, id, "gone_since", "", u->today, "gone");
	if (u->o->journal)
		journal_change(u->o->journal, id, idlen, "gone_since", "", 0, u->today,
		               strlen(u->today));
	u->t->gone++;
}

/* The diff's change lines of book record b: its values now against those read. */
static void
changes(struct update *u, const struct book_rec *b)
{
	if (b->packed == b->orig) {
		u->t->unchanged++;
		return;
	}
	size_t idlen;
	const char *id = book_get(b, u->book_cols.id, &idlen);
	for (size_t c = 0; c < u->out_h->n; c++) {
		size_t olen, nlen;
		const char *old = packed_get(b->orig, c, &olen);
		const char *new = packed_get(b->packed, c, &nlen);
		if (olen == nlen && memcmp(old, new, olen) == 0)
			continue;
		diff_line(u, id, u->out_h->names[c], old, new, "change");
		if (u->o->journal)
			journal_change(u->o->journal, id, idlen, u->out_h->names[c], old, olen, new,
			               nlen);
		u->t->fields++;
	}
	u->t->changed++;
}

/* In book order: the records changed and the records gone. */
static void
finish(struct update *u)
{
	for (size_t i = 0; i < u->nbook; i++) {
		struct book_rec *b = &u->book[i];
		if (b->count == 1)
			changes(u, b);
		else if (!b->count && !(b->flags & BOOK_CONFLICT))
			gone(u, b);
	}
}

/*
 * Make r the columns cols[0..n) of packed record p.  Its bytes are a
 * record's already: one copy, laid out as record_assign lays a record out
 * (offset 0 the NUL every empty field shares), and no second pass over
 * the fields.
 */
static void
unpack(struct record *r, const char *p, const size_t *cols, size_t n)
{
	size_t dlen, len;
	const char *data = packed_data(p, &dlen);
	record_take_bytes(r, data, dlen, n);
	for (size_t k = 0; k < n; k++) {
		/* A column past the record's end reads as "": empty, at offset 0. */
		const char *v = packed_get(p, cols[k], &len);
		r->fields[k] =
		    len ? (struct field){(size_t)(v - data) + 1, len} : (struct field){0, 0};
	}
	r->n = n;
	r->row = 0;
}

/* Write the book: its records in order, then the ones added; new columns only if filled. */
static int
write_book(struct update *u, struct cs_error *err)
{
	struct header *h = header_new();
	size_t *cols = xcalloc(u->out_h->n + 1, sizeof *cols), n = 0;
	for (size_t c = 0; c < u->out_h->n; c++)
		if (u->col_used[c]) {
			if (u->o->journal && c >= u->book_h->n)
				journal_column(u->o->journal, u->out_h->names[c], (long)n);
			header_add(h, u->out_h->names[c]);
			cols[n++] = c;
		}
	enum stream_format f = u->o->format != STREAM_AUTO ? u->o->format : u->book_format;
	struct writer_options wo = {.format = f, .excel_safe = u->o->excel_safe};
	struct writer *w = writer_open(u->o->out, h, &wo);
	for (size_t i = 0; i < u->nbook + u->nadded; i++) {
		const char *p = i < u->nbook ? u->book[i].packed : u->added[i - u->nbook];
		unpack(&u->rec, p, cols, n);
		writer_put(w, &u->rec);
	}
	int rc = writer_close(w, u->o->out_name, err);
	header_free(h);
	free(cols);
	return rc;
}

static void
update_free(struct update *u)
{
	arena_free(&u->arena);
	header_free(u->book_h);
	free(u->book);
	keytab_free(&u->book_keys);
	keytab_free(&u->firsts);
	free(u->first_ids);
	free(u->arch);
	keytab_free(&u->arch_keys);
	header_free(u->out_h);
	free(u->col_used);
	free(u->ex_out);
	free(u->owned);
	free(u->rule);
	header_free(u->diff_h);
	free(u->vals);
	free(u->added);
	record_free(&u->rec);
	for (size_t i = 0; i < LAG + 1; i++)
		record_free(&u->ring[i].rec);
	buf_free(&u->scratch);
	buf_free(&u->what);
	buf_free(&u->text);
}

/* Read the book and the archives: 0, or -1 with err filled. */
static int
load(struct update *u, struct cs_error *err)
{
	if (load_book(u, err) < 0)
		return -1;
	for (size_t i = 0; i < u->o->narchives; i++)
		if (load_archive(u, u->o->archives[i], err) < 0)
			return -1;
	return 0;
}

int
import_update(struct importer *im, const struct update_options *o, struct update_totals *t,
              struct cs_error *err)
{
	struct update u = {.o = o, .t = t, .book_gone = -1, .out_gone = -1};
	*t = (struct update_totals){0};
	record_init(&u.rec);
	date_format(o->today, u.today);
	if (load(&u, err) < 0) {
		update_free(&u);
		return -1;
	}
	u.ex_h = import_header(im);
	key_cols_of(u.ex_h, &u.ex_cols);
	plan_columns(&u, im);
	if (o->diff) {
		u.diff_h = header_new();
		static const char *const cols[] = {"id", "field", "old", "new", "action"};
		for (size_t i = 0; i < 5; i++)
			header_add(u.diff_h, cols[i]);
		struct writer_options wo = {.format = o->diff_format};
		u.diff = writer_open(o->diff, u.diff_h, &wo);
	}
	int rc = run_export(&u, im);
	if (rc == 0)
		finish(&u);
	if (u.diff && writer_close(u.diff, o->diff_name, rc == 0 ? err : NULL) < 0 && rc == 0)
		rc = -1;
	if (rc == 0 && o->out && write_book(&u, err) < 0)
		rc = -1;
	update_free(&u);
	return rc;
}
