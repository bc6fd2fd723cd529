/*
 * import.c - the import engine behind cs-import: mapping, normalisation,
 * ids, duplicates, rejects and the review.
 *
 * Each input becomes a source with a plan: for every input column a role
 * (a value for a canonical field, one half of a label/value pair, a list of
 * labelled values, tags, or nothing: kept as it is), and for every canonical
 * field its candidate columns in order (--map first, then the synonyms in
 * column order).  A row is mapped by walking the plan once: the first
 * non-empty candidate of a field is normalised into the output record, and
 * every other column is copied to its kept position untouched.  All buffers
 * are per importer and reused, so the hot loop allocates nothing once they
 * have grown.
 *
 * Two decisions need more than one row: the order of dates like 3/4/2024
 * (per column: a day above 12 settles it) and which fields the label/value
 * columns bring (Google's "Event 1 - Label" = Anniversary).  So a source
 * reads ahead up to IMPORT_LOOKAHEAD rows into memory when it is added,
 * decides, and then replays those rows before streaming the rest.
 *
 * Duplicates and id collisions need memory of what came before; it is kept
 * as 64-bit hashes in one open-addressing table (12 bytes a key, three keys
 * a row: email, name and phone, id), never as records, sized once from the
 * file's size and the rows read ahead.  Only --dedupe holds the records, to
 * merge a later duplicate into the first and write them all at the end.
 *
 * Speed: the full import is measured against --raw (bench/import.sh), so
 * the hot path avoids what a profile showed: the normalisers append to one
 * row buffer that becomes the output record in one record_assign, words
 * (Client, Gold, Y) are looked up once per column and remembered, and the
 * key table's slots are prefetched while the rest of the row is mapped.
 */
#include "import.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csvio.h"
#include "fields.h"
#include "input.h"
#include "jsonio.h"
#include "table.h"
#include "vcard.h"

enum {
	AHEAD_BYTES = 4 << 20, /* stop reading ahead past this much data */
	PROBLEMS_MAX = 50,     /* per input, listed by --review */
	EVENTS_MAX = 20,
	ROWS_MAX = 10,
	VALUE_SHOWN = 60,
	WORDS_CACHED = 8, /* per column: Client/Prospect, Gold/Silver/Bronze, Y/N... */
};

/* The fields --review counts missing values of. */
static const int missing_fields[] = {CANON_EMAIL, CANON_PHONE, CANON_BIRTHDAY, CANON_OWNER};
enum { NMISSING = sizeof missing_fields / sizeof missing_fields[0] };

struct rowlist {
	long count;
	long rows[ROWS_MAX];
};

struct event {
	long row;
	char text[200];
};

struct events {
	long count;
	struct event e[EVENTS_MAX];
};

struct stats {
	long read, written, rejected, duplicates, merged;
	struct rowlist missing[NMISSING];
	long nproblems;
	struct event problems[PROBLEMS_MAX];
	struct events dups, rejects;
};

enum order_from { ORDER_DEFAULT, ORDER_FORCED, ORDER_SETTLED, ORDER_MIXED, ORDER_OTHERS };

struct column {
	enum header_role role;
	int field;    /* HEADER_FIELD */
	bool primary; /* the first candidate of its field: its value is the field's */
	bool by_map;  /* the role comes from --map */
	long out;     /* output column when kept as it is, else -1 */
	long partner; /* pairs: the other column, else -1 */
	bool dates;   /* may hold dates: has an order */
	enum date_order order;
	enum order_from order_from;
	long mdy_count, dmy_count, mdy_row, dmy_row;
	long ambiguous; /* values either order reads (3/4/2024) */
	char mdy_value[24], dmy_value[24];
	bool platinum;        /* tier values use Platinum as the top */
	uint32_t seen_fields; /* pairs and lists: fields their labels named, look-ahead */
	struct buf cache;     /* pairs: the last label seen and its field */
	int cache_field;
	bool cache_valid;
	/* kind, tier and booleans: the last few values read and what they gave */
	struct word_cache {
		char in[24], out[12];
		unsigned char inlen, outlen;
		signed char field; /* 0: unused */
	} words[WORDS_CACHED];
	unsigned next_word;
};

struct ahead_item {
	struct record rec;
	int kind; /* 1: a record; VCARD_BAD: text that is not a card */
	struct cs_error err;
	struct buf raw;
	struct cs_error *warnings; /* what the reader said while reading it */
	size_t nwarnings;
};

struct source {
	struct importer *im;
	size_t index;
	const char *path;
	struct stream *stream;
	struct vcard_reader *vcard;
	const struct header *in;
	enum stream_format format;
	int delimiter;
	bool decimal_comma;
	struct column *cols;
	size_t ncols;
	size_t *cand[CANON_COUNT];
	size_t ncand[CANON_COUNT];
	size_t *pairs, npairs; /* the value columns of pairs */
	size_t *lists, nlists;
	size_t *tags, ntags;
	bool has[CANON_COUNT];
	struct ahead_item *ahead;
	size_t nahead, ahead_cap;
	bool reading_ahead; /* reader warnings are kept with the row, to come out in order */
	uint32_t base;      /* positions of its records: base + row */
	long last_row;
	double rows_expected; /* from the file's size and the rows read ahead */
	int ahead_end;        /* 1: more to read, 0: the end, -1: failed (ahead_err) */
	struct cs_error ahead_err;
	bool reject_header;
	struct stats st;
};

struct map {
	const char *header;
	size_t len;
	int field; /* -1: keep the column as it is */
	bool used;
};

/*
 * With dedupe, a record held until the end, packed into the arena: its field
 * count, an (offset, length) pair of 32-bit words per field, then its values
 * each followed by a NUL.  It costs its bytes and 8 a field, and no
 * allocation of its own; a merge packs it again (the old copy is dead space).
 */
struct held {
	const char *packed;
	long row;
	uint32_t src;
	uint32_t pos;
};

enum { ARENA_CHUNK = 8 << 20 };

/* The hashed keys of the record being built (0: it has no such key). */
struct row_keys {
	uint64_t email, name_phone, id;
};

struct importer {
	struct import_options o;
	struct map *maps;
	size_t nmaps;
	struct source **src;
	size_t nsrc, src_cap;
	struct header *out;
	bool finalised;
	long field_out[CANON_COUNT];
	enum field_type types[CANON_COUNT];
	size_t ncanon_out;

	/*
	 * The keys seen: a 64-bit hash and the position of the record that has
	 * it (its source's base plus its row), as three 32-bit words so that a
	 * key costs 12 bytes and one cache miss.  Linear probing, at most 3/4
	 * full; a hash of 0 marks an empty slot.
	 */
	uint32_t (*keys)[3];
	size_t nkeys, keys_cap;
	uint32_t next_base; /* the base of the next source to run */

	size_t running; /* the source being read */
	struct held *held;
	size_t nheld, held_cap;
	char **chunks; /* the arena: chunks never move, so packed pointers stay valid */
	size_t nchunks, chunk_used, chunk_size;
	struct field *unpacked; /* scratch for unpacking */
	size_t unpacked_cap;
	struct record merged; /* scratch: a held record being merged into */

	/* Reused for every row. */
	struct record rec, outrec;
	/*
	 * The record being built: its values appended to row, each followed by
	 * a NUL, and where each output column's value lies (length 0: empty).
	 * A replaced value's bytes stay as dead space; record_assign makes the
	 * record in one copy at the end.
	 */
	struct buf row;
	struct field *ofs;
	size_t ofs_cap;
	struct buf rest, extra, key, disp, first, last, line, text, id;
	char why[160];
	bool set[CANON_COUNT];
	bool email_ok, phone_ok;
};

/* Messages. */

static void
report(struct importer *im, stream_warn_fn *fn, const char *file, long row, const char *fmt,
       va_list ap)
{
	if (!fn)
		return;
	struct cs_error e = {.file = file, .row = row};
	vsnprintf(e.msg, sizeof e.msg, fmt, ap);
	fn(im->o.ctx, &e);
}

static void warnf(struct importer *im, const struct source *s, long row, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void
warnf(struct importer *im, const struct source *s, long row, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(im, im->o.warn, s->path, row, fmt, ap);
	va_end(ap);
}

static void notef(struct importer *im, const struct source *s, long row, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void
notef(struct importer *im, const struct source *s, long row, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(im, im->o.note, s->path, row, fmt, ap);
	va_end(ap);
}

static void
add_event(struct events *ev, long row, const char *text)
{
	if (ev->count < EVENTS_MAX) {
		ev->e[ev->count].row = row;
		snprintf(ev->e[ev->count].text, sizeof ev->e[ev->count].text, "%s", text);
	}
	ev->count++;
}

static void
add_row(struct rowlist *l, long row)
{
	if (l->count < ROWS_MAX)
		l->rows[l->count] = row;
	l->count++;
}

/* A value as messages show it: at most VALUE_SHOWN bytes, line breaks as spaces. */
static const char *
shown(const char *v, size_t len, char out[VALUE_SHOWN + 8])
{
	size_t n = len > VALUE_SHOWN ? VALUE_SHOWN : len;
	while (n < len && n > 0 && ((unsigned char)v[n] & 0xc0) == 0x80)
		n--;
	for (size_t i = 0; i < n; i++)
		out[i] = v[i] == '\n' || v[i] == '\r' || v[i] == '\t' ? ' ' : v[i];
	strcpy(out + n, n < len ? "..." : "");
	return out;
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

/* Options and --map. */

struct importer *
import_new(const struct import_options *o, struct cs_error *err)
{
	struct importer *im = xcalloc(1, sizeof *im);
	im->o = *o;
	im->maps = xcalloc(o->nmaps ? o->nmaps : 1, sizeof *im->maps);
	for (size_t i = 0; i < o->nmaps; i++) {
		const char *m = o->maps[i];
		const char *eq = strrchr(m, '=');
		if (!eq || eq == m) {
			cs_error_set(err, NULL, 0, "--map \"%s\" is not HEADER=FIELD", m);
			import_free(im);
			return NULL;
		}
		struct map *mp = &im->maps[im->nmaps++];
		mp->header = m;
		mp->len = (size_t)(eq - m);
		mp->field = -1;
		if (eq[1]) {
			for (int f = 0; f < CANON_COUNT; f++)
				if (ascii_casecmp_eq(eq + 1, fields_name(f)))
					mp->field = f;
			if (mp->field < 0) {
				struct buf names = {0};
				for (int f = 0; f < CANON_COUNT; f++)
					buf_printf(&names, "%s%s", f ? ", " : "", fields_name(f));
				cs_error_set(
				    err, NULL, 0,
				    "--map \"%s\": \"%s\" is not a canonical field (%s; or "
				    "nothing, to keep the column as it is)",
				    m, eq + 1, buf_str(&names));
				buf_free(&names);
				import_free(im);
				return NULL;
			}
		}
	}
	im->out = header_new();
	for (int f = 0; f < CANON_COUNT; f++) {
		im->field_out[f] = -1;
		im->types[f] = fields_type_of(f);
	}
	return im;
}

static void
source_free(struct source *s)
{
	if (!s)
		return;
	stream_close(s->stream);
	vcard_reader_free(s->vcard);
	for (size_t i = 0; i < s->ncols; i++) {
		buf_free(&s->cols[i].cache);
	}
	free(s->cols);
	for (int f = 0; f < CANON_COUNT; f++)
		free(s->cand[f]);
	free(s->pairs);
	free(s->lists);
	free(s->tags);
	for (size_t i = 0; i < s->nahead; i++) {
		record_free(&s->ahead[i].rec);
		buf_free(&s->ahead[i].raw);
		free(s->ahead[i].warnings);
	}
	free(s->ahead);
	free(s);
}

void
import_free(struct importer *im)
{
	if (!im)
		return;
	for (size_t i = 0; i < im->nsrc; i++)
		source_free(im->src[i]);
	free(im->src);
	free(im->maps);
	header_free(im->out);
	free(im->keys);
	free(im->held);
	for (size_t i = 0; i < im->nchunks; i++)
		free(im->chunks[i]);
	free(im->chunks);
	free(im->unpacked);
	record_free(&im->merged);
	record_free(&im->rec);
	record_free(&im->outrec);
	buf_free(&im->row);
	free(im->ofs);

	buf_free(&im->rest);
	buf_free(&im->extra);
	buf_free(&im->key);
	buf_free(&im->disp);
	buf_free(&im->first);
	buf_free(&im->last);
	buf_free(&im->line);
	buf_free(&im->text);
	buf_free(&im->id);
	free(im);
}

/* The --map naming column name, or NULL: the exact name first, then by key. */
static struct map *
find_map(struct importer *im, const char *name)
{
	for (size_t i = 0; i < im->nmaps; i++)
		if (strlen(name) == im->maps[i].len &&
		    memcmp(name, im->maps[i].header, im->maps[i].len) == 0)
			return &im->maps[i];
	char a[FIELDS_KEY_MAX], b[FIELDS_KEY_MAX];
	fields_header_key(name, strlen(name), a);
	for (size_t i = 0; i < im->nmaps; i++) {
		fields_header_key(im->maps[i].header, im->maps[i].len, b);
		if (*a && strcmp(a, b) == 0)
			return &im->maps[i];
	}
	return NULL;
}

/* Reading a source. */

static bool
has_suffix(const char *path, const char *suffix)
{
	size_t n = strlen(path), m = strlen(suffix);
	return n > m && ascii_casecmp_eq(path + n - m, suffix);
}

/*
 * What the readers warn about (a line that is not a vCard property, a long
 * row dropped under --lenient): passed on, or while reading ahead kept with
 * the row being read, so that it comes out among the row's other messages.
 */
static void
reader_warn(void *ctx, const struct cs_error *w)
{
	struct source *s = ctx;
	if (s->reading_ahead) {
		struct ahead_item *item = &s->ahead[s->nahead];
		item->warnings =
		    xrealloc(item->warnings, (item->nwarnings + 1) * sizeof *item->warnings);
		item->warnings[item->nwarnings++] = *w;
		return;
	}
	if (s->im->o.warn)
		s->im->o.warn(s->im->o.ctx, w);
}

/* The next record of s into rec.  1, VCARD_BAD, 0 or -1 as vcard_reader_next. */
static int
source_next(struct source *s, struct record *rec, struct cs_error *err)
{
	if (s->vcard)
		return vcard_reader_next(s->vcard, rec, err);
	return stream_next(s->stream, rec, err);
}

static void
push_index(size_t **arr, size_t *n, size_t value)
{
	*arr = xrealloc(*arr, (*n + 1) * sizeof **arr);
	(*arr)[(*n)++] = value;
}

/* Give every column its role and every field its candidates. */
static void
plan_columns(struct importer *im, struct source *s)
{
	s->ncols = s->in->n;
	s->cols = xcalloc(s->ncols ? s->ncols : 1, sizeof *s->cols);
	struct header_meaning *meaning = xcalloc(s->ncols ? s->ncols : 1, sizeof *meaning);
	for (size_t c = 0; c < s->ncols; c++) {
		struct column *col = &s->cols[c];
		col->out = col->partner = -1;
		col->field = -1;
		struct map *m = find_map(im, s->in->names[c]);
		if (m) {
			m->used = true;
			col->by_map = true;
			col->role = m->field >= 0 ? HEADER_FIELD : HEADER_UNKNOWN;
			col->field = m->field;
			continue;
		}
		col->role = fields_match_header(s->in->names[c], &meaning[c]);
		col->field = meaning[c].field;
	}
	/* --map columns come first among a field's candidates, then column order. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t c = 0; c < s->ncols; c++) {
			struct column *col = &s->cols[c];
			if (col->role != HEADER_FIELD || col->by_map != (pass == 0))
				continue;
			col->primary = s->ncand[col->field] == 0;
			push_index(&s->cand[col->field], &s->ncand[col->field], c);
			col->dates = fields_type_of(col->field) == FIELD_DATE;
		}
	for (size_t c = 0; c < s->ncols; c++) {
		struct column *col = &s->cols[c];
		if (col->role == HEADER_PAIR_VALUE) {
			for (size_t l = 0; l < s->ncols; l++)
				if (s->cols[l].role == HEADER_PAIR_LABEL &&
				    s->cols[l].partner < 0 &&
				    strcmp(meaning[l].pair, meaning[c].pair) == 0) {
					col->partner = (long)l;
					s->cols[l].partner = (long)c;
					break;
				}
			if (col->partner < 0) {
				col->role = HEADER_UNKNOWN;
				continue;
			}
			col->dates = true;
			push_index(&s->pairs, &s->npairs, c);
		} else if (col->role == HEADER_LABELLED) {
			col->dates = true;
			push_index(&s->lists, &s->nlists, c);
		} else if (col->role == HEADER_TAGS) {
			push_index(&s->tags, &s->ntags, c);
		}
	}
	for (size_t c = 0; c < s->ncols; c++)
		if (s->cols[c].role == HEADER_PAIR_LABEL && s->cols[c].partner < 0)
			s->cols[c].role = HEADER_UNKNOWN;
	free(meaning);
}

/*
 * Field i of the record read: record_get, inline, for the hot loop (it reads
 * each input field once or twice a row).
 */
static inline const char *
in_get(const struct record *rec, size_t i, size_t *len)
{
	if (i >= rec->n || rec->fields[i].len == 0) {
		*len = 0;
		return "";
	}
	*len = rec->fields[i].len;
	return rec->data.data + rec->fields[i].off;
}

static bool
is_blank(const char *v, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (v[i] != ' ' && v[i] != '\t' && v[i] != '\r' && v[i] != '\n')
			return false;
	return true;
}

/*
 * Call fn for each "Label: value" item of a labelled list ("Anniversary:
 * 2004-06-18; Client since: 2015-03-01").
 */
static void
each_labelled(const char *v, size_t len,
              void (*fn)(void *ctx, const char *label, size_t llen, const char *val, size_t vlen),
              void *ctx)
{
	const char *p = v, *end = v + len;
	while (p < end) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		const char *item_end = semi ? semi : end;
		const char *colon = memchr(p, ':', (size_t)(item_end - p));
		if (colon) {
			const char *val = colon + 1;
			while (val < item_end && *val == ' ')
				val++;
			while (p < colon && *p == ' ')
				p++;
			fn(ctx, p, (size_t)(colon - p), val, (size_t)(item_end - val));
		}
		p = semi ? semi + 1 : end;
	}
}

/* Call fn for each tag of a tags cell: " ::: " (Google), ',' or ';' between them. */
static void
each_tag(const char *v, size_t len, void (*fn)(void *ctx, const char *tag, size_t n), void *ctx)
{
	const char *p = v, *end = v + len;
	while (p < end) {
		const char *q = p;
		while (q < end && *q != ',' && *q != ';' &&
		       !(end - q >= 3 && q[0] == ':' && q[1] == ':' && q[2] == ':'))
			q++;
		const char *s = p, *e = q;
		while (s < e && (*s == ' ' || *s == '*'))
			s++; /* "* myContacts": Google's system groups */
		while (e > s && e[-1] == ' ')
			e--;
		if (e > s)
			fn(ctx, s, (size_t)(e - s));
		p = q < end && *q == ':' ? q + 3 : q + 1;
	}
}

struct look_ctx {
	struct source *s;
	struct column *col;
};

static void
look_labelled(void *ctx, const char *label, size_t llen, const char *val, size_t vlen)
{
	struct look_ctx *lc = ctx;
	int f = fields_match_label(label, llen);
	if (f >= 0 && !is_blank(val, vlen)) {
		lc->s->has[f] = true;
		lc->col->seen_fields |= 1u << f;
	}
}

static void
look_tag(void *ctx, const char *tag, size_t n)
{
	struct look_ctx *lc = ctx;
	if (fields_tag_kind(tag, n) >= 0)
		lc->s->has[CANON_KIND] = true;
	if (fields_tag_tier(tag, n, false) >= 0)
		lc->s->has[CANON_TIER] = true;
	if (fields_is_platinum(tag, n))
		lc->col->platinum = true;
}

/* Count a date value towards its column's order. */
static void
look_date(struct column *col, const char *v, size_t len, long row)
{
	unsigned mask = date_orders_possible(v, len);
	char shown_value[VALUE_SHOWN + 8];
	if (mask == 1u << DATE_ORDER_MDY) {
		if (col->mdy_count++ == 0) {
			col->mdy_row = row;
			snprintf(col->mdy_value, sizeof col->mdy_value, "%s",
			         shown(v, len, shown_value));
		}
	} else if (mask == 1u << DATE_ORDER_DMY) {
		if (col->dmy_count++ == 0) {
			col->dmy_row = row;
			snprintf(col->dmy_value, sizeof col->dmy_value, "%s",
			         shown(v, len, shown_value));
		}
	} else if (mask) {
		col->ambiguous++;
	}
}

static void
look_labelled_date(void *ctx, const char *label, size_t llen, const char *val, size_t vlen)
{
	(void)label;
	(void)llen;
	struct look_ctx *lc = ctx;
	look_date(lc->col, val, vlen, 0);
}

/* Learn from one row read ahead: date values, labelled fields, Platinum. */
static void
look_row(struct source *s, const struct record *rec)
{
	for (size_t c = 0; c < s->ncols; c++) {
		struct column *col = &s->cols[c];
		size_t len;
		const char *v = record_get(rec, c, &len);
		if (len == 0)
			continue;
		struct look_ctx lc = {s, col};
		if (col->dates && col->role == HEADER_LABELLED)
			each_labelled(v, len, look_labelled_date, &lc);
		else if (col->dates)
			look_date(col, v, len, rec->row);
		if (col->role == HEADER_FIELD && col->field == CANON_TIER &&
		    fields_is_platinum(v, len))
			col->platinum = true;
		if (col->role == HEADER_PAIR_VALUE) {
			size_t llen;
			const char *label = record_get(rec, (size_t)col->partner, &llen);
			int f = fields_match_label(label, llen);
			if (f >= 0 && !is_blank(v, len)) {
				s->has[f] = true;
				col->seen_fields |= 1u << f;
			}
		} else if (col->role == HEADER_LABELLED) {
			each_labelled(v, len, look_labelled, &lc);
		} else if (col->role == HEADER_TAGS) {
			each_tag(v, len, look_tag, &lc);
		}
	}
}

/* Date orders: forced, settled by the column, by the other columns, or the default. */
static void
settle_orders(struct importer *im, struct source *s)
{
	enum date_order fallback = s->decimal_comma ? DATE_ORDER_DMY : DATE_ORDER_MDY;
	int agreed = -1; /* the order the settled columns agree on; -2: they disagree */
	for (size_t c = 0; c < s->ncols; c++) {
		struct column *col = &s->cols[c];
		if (!col->dates)
			continue;
		if (im->o.date_order >= 0) {
			col->order = (enum date_order)im->o.date_order;
			col->order_from = ORDER_FORCED;
			continue;
		}
		if (col->mdy_count == 0 && col->dmy_count == 0)
			continue;
		if (col->mdy_count && col->dmy_count) {
			col->order_from = ORDER_MIXED;
			col->order = col->dmy_count > col->mdy_count   ? DATE_ORDER_DMY
			             : col->mdy_count > col->dmy_count ? DATE_ORDER_MDY
			                                               : fallback;
			warnf(
			    im, s, 1,
			    "column \"%s\" has dates in both orders (%s is %s, %s is %s): reading "
			    "it as %s; use --date-order to choose",
			    s->in->names[c], col->mdy_value, "m/d/y", col->dmy_value, "d/m/y",
			    col->order == DATE_ORDER_DMY ? "d/m/y" : "m/d/y");
		} else {
			col->order_from = ORDER_SETTLED;
			col->order = col->dmy_count ? DATE_ORDER_DMY : DATE_ORDER_MDY;
		}
		if (agreed == -1)
			agreed = (int)col->order;
		else if (agreed != (int)col->order)
			agreed = -2;
	}
	for (size_t c = 0; c < s->ncols; c++) {
		struct column *col = &s->cols[c];
		if (!col->dates || col->order_from != ORDER_DEFAULT)
			continue;
		if (agreed >= 0) {
			col->order = (enum date_order)agreed;
			col->order_from = ORDER_OTHERS;
		} else {
			col->order = fallback;
		}
	}
}

/* Learn from the rows read ahead: date orders, labelled fields, Platinum. */
static void
look_ahead(struct importer *im, struct source *s)
{
	for (size_t i = 0; i < s->nahead; i++)
		if (s->ahead[i].kind == 1)
			look_row(s, &s->ahead[i].rec);
	/* Platinum in a tier column means the same for every tier source in the file. */
	bool platinum = false;
	for (size_t c = 0; c < s->ncols; c++)
		platinum = platinum || s->cols[c].platinum;
	for (size_t c = 0; c < s->ncols; c++)
		s->cols[c].platinum = platinum;
	settle_orders(im, s);
	for (int f = 0; f < CANON_COUNT; f++)
		if (s->ncand[f])
			s->has[f] = true;
}

/*
 * Open the reader of s on in (stolen): vCard for a .vcf file or an input
 * starting with BEGIN:VCARD, else the stream.  0, or -1 with err filled.
 */
static int
open_reader(struct importer *im, struct source *s, const char *path, struct input *in,
            struct cs_error *err)
{
	size_t n;
	const char *p = input_peek(in, &n);
	if (has_suffix(path ? path : "", ".vcf") || has_suffix(path ? path : "", ".vcard") ||
	    vcard_detect(p, n)) {
		if (is_blank(p, n)) {
			cs_error_set(err, input_name(in), 0, "the file is empty");
			input_close(in);
			return -1;
		}
		s->vcard = vcard_reader_new(in, reader_warn, s);
		s->in = vcard_reader_header(s->vcard);
		s->format = STREAM_CSV;
		s->decimal_comma = im->o.decimal_comma > 0;
		return 0;
	}
	struct stream_options so = {
	    .delimiter = im->o.delimiter,
	    .lenient = im->o.lenient,
	    .keep_long = !im->o.lenient,
	    .warn = reader_warn,
	    .warn_ctx = s,
	};
	s->stream = stream_open_input(in, &so, err);
	if (!s->stream)
		return -1;
	s->in = stream_header(s->stream);
	s->format = stream_format(s->stream);
	s->delimiter = s->format == STREAM_CSV ? stream_delimiter(s->stream) : ',';
	s->decimal_comma = im->o.decimal_comma < 0 ? s->delimiter == ';' : im->o.decimal_comma > 0;
	return 0;
}

/*
 * Read up to IMPORT_LOOKAHEAD rows of s (or AHEAD_BYTES) into s->ahead, and
 * how the reading ended into s->ahead_end.  Returns the bytes read.
 */
static size_t
read_ahead(struct source *s)
{
	size_t bytes = 0;
	s->ahead_end = 1;
	s->reading_ahead = true;
	while (s->nahead < IMPORT_LOOKAHEAD && bytes < AHEAD_BYTES) {
		s->ahead = xgrow(s->ahead, &s->ahead_cap, s->nahead + 1, sizeof *s->ahead);
		struct ahead_item *item = &s->ahead[s->nahead];
		memset(item, 0, sizeof *item);
		int got = source_next(s, &item->rec, &item->err);
		if (got == 1 || got == VCARD_BAD) {
			item->kind = got;
			if (s->vcard) {
				size_t rlen;
				const char *raw = vcard_reader_raw(s->vcard, &rlen);
				buf_append(&item->raw, raw, rlen);
			}
			bytes += item->rec.data.len + item->rec.n + item->raw.len;
			s->nahead++;
			continue;
		}
		/* Warnings before the end or a failure: they go out last. */
		record_free(&item->rec);
		s->ahead_end = got;
		if (got < 0)
			s->ahead_err = item->err;
		if (item->nwarnings)
			s->nahead++;
		else
			free(item->warnings);
		break;
	}
	s->reading_ahead = false;
	return bytes;
}

int
import_add(struct importer *im, const char *path, struct cs_error *err)
{
	if (im->finalised)
		return cs_error_set(err, path, 0, "inputs must be added before the header is made");
	const char *encoding = im->o.encoding ? im->o.encoding : "auto";
	struct input *in = input_open(path, encoding, err);
	if (!in)
		return -1;
	struct source *s = xcalloc(1, sizeof *s);
	s->im = im;
	s->path = input_name(in);
	if (open_reader(im, s, path, in, err) < 0) {
		free(s);
		return -1;
	}
	plan_columns(im, s);
	size_t bytes = read_ahead(s);
	look_ahead(im, s);
	/* How many rows to expect, so the key table is made the right size once. */
	s->rows_expected = (double)s->nahead;
	struct stat st;
	if (s->ahead_end == 1 && path && strcmp(path, "-") != 0 && stat(path, &st) == 0 &&
	    S_ISREG(st.st_mode) && bytes > 0)
		s->rows_expected = (double)st.st_size / ((double)bytes / (double)s->nahead);
	im->src = xgrow(im->src, &im->src_cap, im->nsrc + 1, sizeof *im->src);
	s->index = im->nsrc;
	im->src[im->nsrc++] = s;
	return 0;
}

size_t
import_count(const struct importer *im)
{
	return im->nsrc;
}

int
import_check_maps(const struct importer *im, struct cs_error *err)
{
	for (size_t i = 0; i < im->nmaps; i++)
		if (!im->maps[i].used)
			return cs_error_set(
			    err, NULL, 0, "--map \"%s\": no input has a column \"%.*s\"",
			    im->maps[i].header, (int)im->maps[i].len, im->maps[i].header);
	return 0;
}

static void key_grow(struct importer *im, size_t cap);

/* Size the key table for the rows expected (three keys a row), to grow it seldom. */
static void
presize_keys(struct importer *im)
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

const struct header *
import_header(struct importer *im)
{
	if (im->finalised)
		return im->out;
	im->finalised = true;
	bool present[CANON_COUNT] = {false};
	for (size_t i = 0; i < im->nsrc; i++)
		for (int f = 0; f < CANON_COUNT; f++)
			present[f] = present[f] || im->src[i]->has[f];
	present[CANON_ID] = present[CANON_NOTES] = true;
	if (present[CANON_NAME] || present[CANON_FIRST_NAME] || present[CANON_LAST_NAME])
		present[CANON_NAME] = present[CANON_FIRST_NAME] = present[CANON_LAST_NAME] = true;
	for (int f = 0; f < CANON_COUNT; f++)
		if (present[f])
			im->field_out[f] = (long)header_add(im->out, fields_name(f));
	im->ncanon_out = im->out->n;
	struct buf name = {0};
	for (size_t i = 0; i < im->nsrc; i++) {
		struct source *s = im->src[i];
		for (size_t c = 0; c < s->ncols; c++) {
			struct column *col = &s->cols[c];
			if (col->role == HEADER_FIELD && col->primary)
				continue;
			/* A kept column may not take a canonical field's name. */
			buf_reset(&name);
			buf_puts(&name, s->in->names[c]);
			for (int k = 2;; k++) {
				long at = header_find(im->out, buf_str(&name));
				if (at < 0 || (size_t)at >= im->ncanon_out)
					break;
				buf_reset(&name);
				buf_printf(&name, "%s_%d", s->in->names[c], k);
			}
			col->out = (long)header_ensure(im->out, buf_str(&name));
		}
	}
	buf_free(&name);
	return im->out;
}

enum stream_format
import_format(const struct importer *im)
{
	return im->nsrc ? im->src[0]->format : STREAM_CSV;
}

/* Normalisation of one value. */

static bool
contains(const char *p, size_t n, const char *what)
{
	size_t m = strlen(what);
	for (size_t i = 0; i + m <= n; i++)
		if (memcmp(p + i, what, m) == 0)
			return true;
	return false;
}

static int
norm_date(struct importer *im, int f, const struct column *col, const char *v, size_t len,
          struct buf *out)
{
	const char *p = v, *end = v + len;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	size_t n = (size_t)(end - p);
	if (n == 4 && p[0] >= '1' && p[0] <= '2' && p[1] >= '0' && p[1] <= '9' && p[2] >= '0' &&
	    p[2] <= '9' && p[3] >= '0' && p[3] <= '9') {
		snprintf(im->why, sizeof im->why, "not a date (only a year)");
		return -1;
	}
	struct date d;
	char why[96];
	/* A bare number in a date column is what Excel writes for a date it did not format. */
	if (date_parse(p, n, col->order, DATE_SERIAL, &d, why, sizeof why) < 0) {
		/* "day 29 in February 1990 (not a leap year)": one level of brackets. */
		char *inner = strstr(why, " (");
		if (inner && why[strlen(why) - 1] == ')') {
			inner[0] = ',';
			inner[1] = ' ';
			why[strlen(why) - 1] = '\0';
		}
		if (strcmp(why, "not a date") == 0)
			snprintf(im->why, sizeof im->why, "not a date");
		else
			snprintf(im->why, sizeof im->why, "not a date (%s)", why);
		return -1;
	}
	if (d.year == 0 && f != CANON_BIRTHDAY && f != CANON_ANNIVERSARY) {
		snprintf(im->why, sizeof im->why, "not a date (no year)");
		return -1;
	}
	if (f == CANON_BIRTHDAY && d.year && im->o.today.year && date_cmp(d, im->o.today) > 0) {
		char year[8];
		snprintf(year, sizeof year, "%04d", d.year);
		/* "3/15/65" read as 2065: a birthday is in the past. */
		if (!contains(p, n, year) && date_valid(d.year - 100, d.month, d.day)) {
			d.year -= 100;
		} else {
			snprintf(im->why, sizeof im->why, "not a birthday (it is in the future)");
			return -1;
		}
	}
	char text[16];
	buf_puts(out, date_format(d, text));
	return 0;
}

/* Notes: line ends made LF, white space around dropped. */
static void
norm_notes(const char *v, size_t len, struct buf *out)
{
	const char *p = v, *end = v + len;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
		end--;
	if (!memchr(p, '\r', (size_t)(end - p))) {
		buf_append(out, p, (size_t)(end - p));
		return;
	}
	for (; p < end; p++) {
		if (*p == '\r') {
			buf_putc(out, '\n');
			if (p + 1 < end && p[1] == '\n')
				p++;
		} else {
			buf_putc(out, *p);
		}
	}
}

/* Output column i takes the bytes appended to im->row since start. */
static void
out_commit(struct importer *im, size_t i, size_t start)
{
	im->ofs[i].off = start;
	im->ofs[i].len = im->row.len - start;
	buf_putc(&im->row, '\0');
}

/* Output column i takes a copy of p[0..len). */
static void
out_set(struct importer *im, size_t i, const char *p, size_t len)
{
	struct buf *b = &im->row;
	buf_reserve(b, len + 1);
	memcpy(b->data + b->len, p, len);
	im->ofs[i].off = b->len;
	im->ofs[i].len = len;
	b->len += len + 1;
	b->data[b->len - 1] = '\0';
	b->data[b->len] = '\0';
}

/* Output column i's value, borrowed until the next out_set or out_commit. */
static const char *
out_at(const struct importer *im, size_t i, size_t *len)
{
	*len = im->ofs[i].len;
	return *len ? im->row.data + im->ofs[i].off : "";
}

static void add_extra(struct importer *im, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void
add_extra(struct importer *im, const char *fmt, ...)
{
	if (im->extra.len)
		buf_putc(&im->extra, '\n');
	va_list ap;
	va_start(ap, fmt);
	char line[512];
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	buf_puts(&im->extra, line);
}

/* The lines of im->rest (several values in one cell) into the notes. */
static void
rest_to_notes(struct importer *im, const char *what)
{
	const char *p = buf_str(&im->rest);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		add_extra(im, "also %s: %.*s", what, (int)n, p);
		p += n + (nl != NULL);
	}
	buf_reset(&im->rest);
}

/* A word of col (Client, Gold, Y) read lately as f: true, with its value set. */
static bool
put_cached_word(struct importer *im, int f, struct column *col, const char *v, size_t len)
{
	for (size_t i = 0; i < WORDS_CACHED; i++) {
		const struct word_cache *w = &col->words[i];
		if (w->field == f + 1 && w->inlen == len && memcmp(w->in, v, len) == 0) {
			out_set(im, (size_t)im->field_out[f], w->out, w->outlen);
			im->set[f] = true;
			return true;
		}
	}
	return false;
}

/* Remember that col's word v reads as f's value out[0..outlen). */
static void
remember_word(struct column *col, int f, const char *v, size_t len, const char *out, size_t outlen)
{
	struct word_cache *w = &col->words[col->next_word++ % WORDS_CACHED];
	memcpy(w->in, v, len);
	w->inlen = (unsigned char)len;
	memcpy(w->out, out, outlen);
	w->outlen = (unsigned char)outlen;
	w->field = (signed char)(f + 1);
}

/*
 * Append v normalised as field f, read from col, to out.  0, or -1 with
 * im->why set (and out perhaps grown: the caller cuts it back).
 */
static int
normalise(struct importer *im, const struct source *s, int f, const struct column *col,
          const char *v, size_t len, struct buf *out)
{
	enum field_type type = im->types[f];
	int rc = 0, k;
	switch (f) {
	case CANON_EMAIL:
		rc = fields_norm_email(v, len, out, &im->rest, im->why, sizeof im->why);
		im->email_ok = rc == 0;
		rest_to_notes(im, "email");
		break;
	case CANON_PHONE:
		rc = fields_norm_phone(v, len, out, &im->rest, im->why, sizeof im->why);
		im->phone_ok = rc == 0;
		rest_to_notes(im, "phone");
		break;
	case CANON_KIND:
		k = fields_norm_kind(v, len);
		if (k < 0)
			rc = -1,
			snprintf(im->why, sizeof im->why, "not a kind (client or prospect)");
		else
			buf_puts(out, k == KIND_PROSPECT ? "prospect" : "client");
		break;
	case CANON_TIER:
		k = fields_norm_tier(v, len, col->platinum);
		if (k < 0)
			rc = -1, snprintf(im->why, sizeof im->why, "not a tier (A, B or C)");
		else
			buf_putc(out, (char)k);
		break;
	case CANON_NOTES:
		norm_notes(v, len, out);
		break;
	default:
		switch (type) {
		case FIELD_BOOL:
			k = fields_norm_bool(v, len);
			if (k < 0)
				rc = -1, snprintf(im->why, sizeof im->why, "not a yes/no value");
			else
				buf_puts(out, k ? "true" : "false");
			break;
		case FIELD_NUMBER:
		case FIELD_INTEGER:
			rc = fields_norm_number(v, len, s->decimal_comma, type == FIELD_INTEGER,
			                        out, im->why, sizeof im->why);
			break;
		case FIELD_DATE:
			rc = norm_date(im, f, col, v, len, out);
			break;
		default:
			fields_clean_text(v, len, out);
			break;
		}
	}
	return rc;
}

/* v did not parse as f (im->why says why): warn, list it for --review, keep it trimmed. */
static void
put_bad_value(struct importer *im, struct source *s, long row, int f, const char *v, size_t len,
              struct buf *out)
{
	char value[VALUE_SHOWN + 8];
	shown(v, len, value);
	warnf(im, s, row, "%s \"%s\" is %s", fields_name(f), value, im->why);
	if (s->st.nproblems < PROBLEMS_MAX) {
		struct event *e = &s->st.problems[s->st.nproblems];
		e->row = row;
		snprintf(e->text, sizeof e->text, "%s \"%s\" is %.100s", fields_name(f), value,
		         im->why);
	}
	s->st.nproblems++;
	fields_clean_text(v, len, out);
}

/*
 * Normalise v (not blank) as field f, read from col, into the output
 * record.  A value that does not parse is warned about and kept as it was
 * (trimmed).  Returns false, setting nothing, for a placeholder (n/a, -).
 */
static bool
put_field(struct importer *im, struct source *s, long row, int f, struct column *col, const char *v,
          size_t len)
{
	/* A column of words (Client, Gold, Y) repeats a few values: remember the last. */
	bool wordy = f == CANON_KIND || f == CANON_TIER || im->types[f] == FIELD_BOOL;
	if (wordy && len < sizeof col->words[0].in && put_cached_word(im, f, col, v, len))
		return true;
	/* The normalisers append to the row itself, and leave it as it was on failure. */
	struct buf *out = &im->row;
	size_t start = out->len;
	int rc = normalise(im, s, f, col, v, len, out);
	/* Every placeholder (n/a, -, 0/0/00) fails its field's parse: test only then. */
	if (rc < 0) {
		out->len = start;
		out->data[start] = '\0';
	}
	if (rc < 0 && fields_is_placeholder(v, len)) {
		buf_reset(&im->rest);
		return false;
	}
	if (rc < 0)
		put_bad_value(im, s, row, f, v, len, out);
	else if (wordy && len < sizeof col->words[0].in &&
	         out->len - start < sizeof col->words[0].out)
		remember_word(col, f, v, len, out->data + start, out->len - start);
	im->set[f] = out->len > start;
	out_commit(im, (size_t)im->field_out[f], start);
	return true;
}

struct row_ctx {
	struct importer *im;
	struct source *s;
	struct column *col;
	long row;
};

static void
put_labelled(void *ctx, const char *label, size_t llen, const char *val, size_t vlen)
{
	struct row_ctx *rc = ctx;
	int f = fields_match_label(label, llen);
	if (f < 0 || rc->im->field_out[f] < 0 || rc->im->set[f] || is_blank(val, vlen))
		return;
	put_field(rc->im, rc->s, rc->row, f, rc->col, val, vlen);
}

static void
put_tag(void *ctx, const char *tag, size_t n)
{
	struct row_ctx *rc = ctx;
	struct importer *im = rc->im;
	int k;
	if (im->field_out[CANON_KIND] >= 0 && !im->set[CANON_KIND] &&
	    (k = fields_tag_kind(tag, n)) >= 0) {
		const char *kind = k == KIND_PROSPECT ? "prospect" : "client";
		out_set(im, (size_t)im->field_out[CANON_KIND], kind, strlen(kind));
		im->set[CANON_KIND] = true;
	}
	if (im->field_out[CANON_TIER] >= 0 && !im->set[CANON_TIER] &&
	    (k = fields_tag_tier(tag, n, rc->col->platinum)) >= 0) {
		char t[2] = {(char)k, '\0'};
		out_set(im, (size_t)im->field_out[CANON_TIER], t, 1);
		im->set[CANON_TIER] = true;
	}
}

static const char *
out_get(struct importer *im, int f, size_t *len)
{
	if (im->field_out[f] < 0) {
		*len = 0;
		return "";
	}
	return out_at(im, (size_t)im->field_out[f], len);
}

static bool
same_words(const char *a, size_t alen, const struct buf *b)
{
	if (alen != b->len)
		return false;
	for (size_t i = 0; i < alen; i++)
		if (ascii_lower((unsigned char)a[i]) != ascii_lower((unsigned char)b->data[i]))
			return false;
	return true;
}

/* name from first and last, or first and last from name ("Silva, Ana" included). */
static void
fix_names(struct importer *im)
{
	if (im->field_out[CANON_NAME] < 0)
		return;
	size_t nlen, flen, llen;
	const char *name = out_get(im, CANON_NAME, &nlen);
	const char *first = out_get(im, CANON_FIRST_NAME, &flen);
	const char *last = out_get(im, CANON_LAST_NAME, &llen);
	if (nlen == 0) {
		if (flen == 0 && llen == 0)
			return;
		buf_reset(&im->disp);
		buf_append(&im->disp, first, flen);
		if (flen && llen)
			buf_putc(&im->disp, ' ');
		buf_append(&im->disp, last, llen);
		out_set(im, (size_t)im->field_out[CANON_NAME], im->disp.data, im->disp.len);
		im->set[CANON_NAME] = true;
		return;
	}
	buf_reset(&im->disp);
	buf_reset(&im->first);
	buf_reset(&im->last);
	bool comma = fields_split_name(name, nlen, &im->disp, &im->first, &im->last);
	bool set_first = flen == 0 && (llen == 0 || same_words(last, llen, &im->last));
	bool set_last = llen == 0 && (flen == 0 || same_words(first, flen, &im->first));
	if (set_first && im->first.len)
		out_set(im, (size_t)im->field_out[CANON_FIRST_NAME], im->first.data, im->first.len);
	if (set_last && im->last.len)
		out_set(im, (size_t)im->field_out[CANON_LAST_NAME], im->last.data, im->last.len);
	if (comma)
		out_set(im, (size_t)im->field_out[CANON_NAME], im->disp.data, im->disp.len);
	im->set[CANON_FIRST_NAME] = im->set[CANON_FIRST_NAME] || (set_first && im->first.len);
	im->set[CANON_LAST_NAME] = im->set[CANON_LAST_NAME] || (set_last && im->last.len);
}

/* Ids and duplicates: a table of 64-bit hashes. */

static uint64_t
fnv1a(const void *p, size_t n, uint64_t h)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static const uint64_t fnv_basis = 0xcbf29ce484222325ULL;

void
import_derive_id(const char *key, size_t len, char out[16])
{
	uint64_t h = fnv1a(key, len, fnv_basis);
	snprintf(out, 16, "c-%010llx", (unsigned long long)(h >> 24));
}

/* splitmix64's finaliser: every bit of x moves about half the bits of the result. */
static uint64_t
mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
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
	uint64_t h = mix64(((uint64_t)(unsigned char)tag << 56) ^ n ^ fnv_basis);
	for (; n >= 8; p += 8, n -= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		h = mix64(h ^ w) + 0x9e3779b97f4a7c15ULL;
	}
	uint64_t last = 0;
	memcpy(&last, p, n);
	h = mix64(h ^ last ^ ((uint64_t)n << 59));
	return h ? h : 1;
}

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

/* "row 14" or "other.csv:14" for the record at pos, seen from s. */
static const char *
where_pos(const struct importer *im, const struct source *s, uint32_t pos, char out[300])
{
	long row;
	const struct source *at = source_at(im, pos, &row);
	return where(im, s, (uint32_t)at->index, row, out);
}

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
	buf_reset(&im->key);
	if (!nlen && !(plen && im->phone_ok))
		return false;
	buf_reserve(&im->key, nlen + 1);
	for (size_t i = 0; i < nlen; i++)
		im->key.data[i] = (char)ascii_lower((unsigned char)name[i]);
	im->key.data[nlen] = '|';
	im->key.len = nlen + 1;
	im->key.data[im->key.len] = '\0';
	if (plen && im->phone_ok) {
		char digits[11];
		fields_phone_digits(phone, digits);
		buf_puts(&im->key, digits);
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
static void
hash_keys(struct importer *im, struct row_keys *k)
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
			warnf(im, s, row, "id \"%.*s\" is also %s's: this row gets %s", (int)len,
			      id, where_pos(im, s, first, w), im->text.data);
		}
	}
	key_put(im, im->text.len == len ? keys->id : key_hash('i', im->text.data, im->text.len),
	        pos);
	out_set(im, (size_t)im->field_out[CANON_ID], im->text.data, im->text.len);
}

static bool
is_totals_row(const char *name, size_t len)
{
	static const char *const words[] = {"total",    "totals", "grandtotal",
	                                    "subtotal", "sum",    NULL};
	char key[FIELDS_KEY_MAX];
	if (len == 0 || fields_header_key(name, len, key) == 0)
		return false;
	for (size_t i = 0; words[i]; i++)
		if (strcmp(key, words[i]) == 0)
			return true;
	return false;
}

/* Write a row that cannot be imported to --reject, as it was read. */
static void
reject(struct importer *im, struct source *s, const struct record *rec, const char *raw,
       size_t rawlen, long row, const char *why)
{
	s->st.rejected++;
	add_event(&s->st.rejects, row, why);
	if (im->o.reject)
		warnf(im, s, row, "%s: not imported (written to %s)", why, im->o.reject_name);
	else
		warnf(im, s, row, "%s: not imported (--reject FILE keeps such rows)", why);
	if (!im->o.reject)
		return;
	struct buf *b = &im->line;
	buf_reset(b);
	if (raw) {
		buf_append(b, raw, rawlen);
	} else if (s->format == STREAM_CSV) {
		if (!s->reject_header) {
			s->reject_header = true;
			for (size_t i = 0; i < s->in->n; i++) {
				if (i)
					buf_putc(b, (char)s->delimiter);
				csv_put_field(b, s->in->names[i], strlen(s->in->names[i]),
				              s->delimiter);
			}
			buf_putc(b, '\n');
		}
		for (size_t i = 0; i < rec->n; i++) {
			size_t len;
			const char *v = record_get(rec, i, &len);
			if (i)
				buf_putc(b, (char)s->delimiter);
			csv_put_field(b, v, len, s->delimiter);
		}
		buf_putc(b, '\n');
	} else {
		buf_putc(b, '{');
		for (size_t i = 0; i < rec->n && i < s->in->n; i++) {
			size_t len;
			const char *v = record_get(rec, i, &len);
			if (i)
				buf_putc(b, ',');
			json_put_string(b, s->in->names[i], strlen(s->in->names[i]));
			buf_putc(b, ':');
			json_put_string(b, v, len);
		}
		buf_puts(b, "}\n");
	}
	fwrite(b->data, 1, b->len, im->o.reject);
}

/* Count what the record written lacks. */
static void
count_missing(struct importer *im, struct source *s, const struct record *rec)
{
	for (size_t i = 0; i < NMISSING; i++) {
		long at = im->field_out[missing_fields[i]];
		if (at < 0 || record_get(rec, (size_t)at, NULL)[0] == '\0')
			add_row(&s->st.missing[i], rec->row);
	}
	s->st.written++;
}

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
			add_extra(im, "also %s: %.*s (%s)", im->out->names[i], (int)blen, b, from);
	}
	size_t alen, blen;
	const char *a = record_get(into, notes_at, &alen);
	const char *b = record_get(r, notes_at, &blen);
	buf_reset(&im->text);
	buf_append(&im->text, a, alen);
	if (blen && !contains(a, alen, b)) {
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

/* Start building a record: no values, no keys. */
static void
begin_row(struct importer *im, struct row_keys *keys)
{
	im->ofs = xgrow(im->ofs, &im->ofs_cap, im->out->n, sizeof *im->ofs);
	memset(im->ofs, 0, im->out->n * sizeof *im->ofs);
	buf_reset(&im->row);
	buf_reserve(&im->row, 256);
	memset(im->set, 0, sizeof im->set);
	*keys = (struct row_keys){0, 0, 0};
	im->email_ok = im->phone_ok = false;
	buf_reset(&im->extra);
}

/* Each field from its first non-empty candidate; the keys once the company is set. */
static void
map_fields(struct importer *im, struct source *s, const struct record *rec, struct row_keys *keys)
{
	long row = rec->row;
	for (int f = 0; f < CANON_COUNT; f++) {
		for (size_t k = 0; k < s->ncand[f]; k++) {
			size_t c = s->cand[f][k], len;
			const char *v = in_get(rec, c, &len);
			if (!is_blank(v, len) && put_field(im, s, row, f, &s->cols[c], v, len))
				break;
		}
		if (f == CANON_COMPANY) {
			fix_names(im);
			hash_keys(im, keys);
		}
	}
}

/* The fields still empty from label/value pairs, labelled lists and tags. */
static void
map_labels(struct importer *im, struct source *s, const struct record *rec)
{
	long row = rec->row;
	for (size_t i = 0; i < s->npairs; i++) {
		struct column *col = &s->cols[s->pairs[i]];
		size_t vlen, llen;
		const char *v = in_get(rec, s->pairs[i], &vlen);
		if (is_blank(v, vlen))
			continue;
		const char *label = record_get(rec, (size_t)col->partner, &llen);
		if (!col->cache_valid || col->cache.len != llen ||
		    memcmp(buf_str(&col->cache), label, llen) != 0) {
			buf_reset(&col->cache);
			buf_append(&col->cache, label, llen);
			col->cache_field = fields_match_label(label, llen);
			col->cache_valid = true;
		}
		int f = col->cache_field;
		if (f >= 0 && im->field_out[f] >= 0 && !im->set[f])
			put_field(im, s, row, f, col, v, vlen);
	}
	for (size_t i = 0; i < s->nlists; i++) {
		size_t len;
		const char *v = record_get(rec, s->lists[i], &len);
		struct row_ctx rc = {im, s, &s->cols[s->lists[i]], row};
		each_labelled(v, len, put_labelled, &rc);
	}
	for (size_t i = 0; i < s->ntags; i++) {
		size_t len;
		const char *v = record_get(rec, s->tags[i], &len);
		struct row_ctx rc = {im, s, &s->cols[s->tags[i]], row};
		each_tag(v, len, put_tag, &rc);
	}
}

/*
 * Whether the record built tells who it is and is not a totals row; if not,
 * the row is rejected.
 */
static bool
check_who(struct importer *im, struct source *s, const struct record *rec, const char *raw,
          size_t rawlen)
{
	long row = rec->row;
	size_t nlen;
	const char *name = out_get(im, CANON_NAME, &nlen);
	bool who = im->set[CANON_ID] || im->set[CANON_NAME] || im->set[CANON_EMAIL] ||
	           im->set[CANON_PHONE] || im->set[CANON_COMPANY];
	if (!who) {
		reject(im, s, rec, raw, rawlen, row,
		       "no name, email, phone, company or id to tell who this is");
		return false;
	}
	size_t idlen;
	const char *id = out_get(im, CANON_ID, &idlen);
	if (!im->set[CANON_EMAIL] && !im->set[CANON_PHONE] &&
	    (is_totals_row(name, nlen) || is_totals_row(id, idlen))) {
		reject(im, s, rec, raw, rawlen, row, "a totals row");
		return false;
	}
	return true;
}

/* The lines gathered in im->extra appended to the notes. */
static void
extra_to_notes(struct importer *im)
{
	if (!im->extra.len)
		return;
	size_t at = (size_t)im->field_out[CANON_NOTES], len;
	const char *notes = out_at(im, at, &len);
	buf_reset(&im->text);
	buf_append(&im->text, notes, len);
	if (len)
		buf_putc(&im->text, '\n');
	buf_append(&im->text, im->extra.data, im->extra.len);
	out_set(im, at, im->text.data, im->text.len);
}

/*
 * Map one record of s into the record being built (im->row, im->ofs) and
 * hash its keys into *keys.  Returns false if the row cannot be imported
 * (it has been rejected).
 */
static bool
map_record(struct importer *im, struct source *s, struct record *rec, const char *raw,
           size_t rawlen, struct row_keys *keys)
{
	long row = rec->row;
	s->st.read++;
	if (row > s->last_row)
		s->last_row = row;
	if (rec->n > s->ncols) {
		char why[128];
		snprintf(why, sizeof why, "%zu fields but the header has %zu", rec->n, s->ncols);
		reject(im, s, rec, raw, rawlen, row, why);
		return false;
	}
	begin_row(im, keys);
	map_fields(im, s, rec, keys);
	bool who_before[CANON_COMPANY + 1];
	memcpy(who_before, im->set, sizeof who_before);
	map_labels(im, s, rec);
	/* A label (Custom Field "Email") may have set what the keys are made of. */
	if (memcmp(who_before, im->set, sizeof who_before) != 0) {
		fix_names(im);
		hash_keys(im, keys);
	}
	if (!check_who(im, s, rec, raw, rawlen))
		return false;
	extra_to_notes(im);
	for (size_t c = 0; c < s->ncols; c++) {
		if (s->cols[c].out < 0)
			continue;
		size_t len;
		const char *v = in_get(rec, c, &len);
		if (len)
			out_set(im, (size_t)s->cols[c].out, v, len);
	}
	return true;
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
		shown(email, elen, d->key);
	}
	if (keys->name_phone) {
		if (key_find(im, keys->name_phone, &found) && !d->reason) {
			d->pos = found;
			d->reason = "name and phone";
			char ph[VALUE_SHOWN + 8];
			snprintf(d->key, sizeof d->key, "%.*s, %s", (int)(nlen > 30 ? 30 : nlen),
			         name, shown(phone, plen, ph));
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
	notef(im, s, row, "merged into %s (same %s: %s)", d->where, d->reason, d->key);
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
			add_event(&s->st.dups, row, text);
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
		warnf(im, s, row, "%s", buf_str(&note));
	buf_free(&note);
	if (keys->email)
		key_put(im, keys->email, pos);
	if (keys->name_phone)
		key_put(im, keys->name_phone, pos);
	record_assign(out, im->row.data, im->row.len, im->ofs, im->out->n, 0);
	out->row = row;
	if (im->o.dedupe) {
		hold(im, s, row, pos);
		return;
	}
	count_missing(im, s, out);
	writer_put(w, out);
}

/* Map a record and settle it, or report text that is not one. */
static void
dispatch(struct importer *im, struct source *s, int kind, struct record *rec,
         const struct cs_error *err, const char *raw, size_t rawlen, struct writer *w)
{
	struct row_keys keys;
	if (kind == VCARD_BAD) {
		s->st.read++;
		reject(im, s, rec, raw, rawlen, err->row, err->msg);
	} else if (map_record(im, s, rec, s->vcard ? raw : NULL, rawlen, &keys)) {
		settle(im, s, rec->row, &keys, w);
	}
}

/* Stream one source: its rows read ahead, then the rest. */
static int
run_source(struct importer *im, struct source *s, struct writer *w)
{
	s->base = im->next_base;
	im->running = s->index;
	for (size_t i = 0; i < s->nahead; i++) {
		struct ahead_item *item = &s->ahead[i];
		for (size_t k = 0; k < item->nwarnings; k++)
			if (im->o.warn)
				im->o.warn(im->o.ctx, &item->warnings[k]);
		if (item->kind)
			dispatch(im, s, item->kind, &item->rec, &item->err, buf_str(&item->raw),
			         item->raw.len, w);
		record_free(&item->rec);
		buf_free(&item->raw);
		free(item->warnings);
	}
	s->nahead = 0;
	free(s->ahead);
	s->ahead = NULL;
	struct cs_error err = s->ahead_err;
	int got = s->ahead_end;
	while (got == 1) {
		got = source_next(s, &im->rec, &err);
		if (got == 1 || got == VCARD_BAD) {
			size_t rawlen = 0;
			const char *raw = s->vcard ? vcard_reader_raw(s->vcard, &rawlen) : NULL;
			dispatch(im, s, got, &im->rec, &err, raw, rawlen, w);
			got = 1;
		}
	}
	uint64_t next = (uint64_t)s->base + (uint64_t)s->last_row + 1;
	im->next_base = next > UINT32_MAX ? UINT32_MAX : (uint32_t)next;
	if (got < 0) {
		if (im->o.error)
			im->o.error(im->o.ctx, &err);
		return 1;
	}
	return 0;
}

int
import_run(struct importer *im, struct writer *w)
{
	import_header(im);
	presize_keys(im);
	int status = 0;
	for (size_t i = 0; i < im->nsrc; i++)
		if (run_source(im, im->src[i], w))
			status = 1;
	for (size_t i = 0; i < im->nheld; i++) {
		struct held *h = &im->held[i];
		unpack(im, h, &im->outrec);
		count_missing(im, im->src[h->src], &im->outrec);
		writer_put(w, &im->outrec);
	}
	return status;
}

/* --show-mapping and --review. */

static const char *
order_name(enum date_order o)
{
	return o == DATE_ORDER_DMY ? "d/m/y" : o == DATE_ORDER_MDY ? "m/d/y" : "y/m/d";
}

static void
describe_dates(const struct column *col, struct buf *out)
{
	buf_printf(out, "; dates %s", order_name(col->order));
	switch (col->order_from) {
	case ORDER_FORCED:
		buf_puts(out, " (--date-order)");
		break;
	case ORDER_SETTLED:
		if (col->dmy_count)
			buf_printf(out, " (\"%s\" settles it)", col->dmy_value);
		else
			buf_printf(out, " (\"%s\" settles it)", col->mdy_value);
		break;
	case ORDER_MIXED:
		buf_printf(out, " (mixed: %ld d/m/y, %ld m/d/y)", col->dmy_count, col->mdy_count);
		break;
	case ORDER_OTHERS:
		buf_puts(out, " (as the file's other date columns)");
		break;
	default:
		buf_puts(out, " (the default: no value settles it)");
		break;
	}
}

static void
describe_column(const struct source *s, size_t c, struct buf *out)
{
	const struct column *col = &s->cols[c];
	switch (col->role) {
	case HEADER_FIELD:
		if (col->primary) {
			buf_printf(out, "-> %s", fields_name(col->field));
		} else {
			size_t first = s->cand[col->field][0];
			buf_printf(out, "-> %s when \"%s\" is empty; kept", fields_name(col->field),
			           s->in->names[first]);
		}
		if (col->by_map)
			buf_puts(out, " (--map)");
		break;
	case HEADER_PAIR_LABEL:
		buf_printf(out, "names the field of \"%s\"; kept", s->in->names[col->partner]);
		break;
	case HEADER_PAIR_VALUE:
	case HEADER_LABELLED:
		buf_puts(out, "-> the field its label names");
		if (col->seen_fields) {
			buf_puts(out, " (");
			const char *sep = "";
			for (int f = 0; f < CANON_COUNT; f++)
				if (col->seen_fields & (1u << f)) {
					buf_printf(out, "%s%s", sep, fields_name(f));
					sep = ", ";
				}
			buf_puts(out, ")");
		}
		buf_puts(out, "; kept");
		break;
	case HEADER_TAGS:
		buf_puts(out, "-> kind and tier from its tags; kept");
		break;
	default:
		buf_puts(out, col->by_map ? "kept (--map)" : "kept");
		break;
	}
	/* Only where some value could be read two ways. */
	if (col->dates && (col->order_from != ORDER_DEFAULT || col->ambiguous))
		describe_dates(col, out);
}

static void
describe_source(const struct source *s, struct buf *out, const char *indent)
{
	size_t width = 0;
	for (size_t c = 0; c < s->ncols; c++) {
		const char *name = s->in->names[c];
		size_t n = utf8_width(name, strlen(name));
		if (n > width)
			width = n;
	}
	if (width > 28)
		width = 28;
	for (size_t c = 0; c < s->ncols; c++) {
		const char *name = s->in->names[c];
		buf_printf(out, "%s%s  ", indent, name);
		for (size_t n = utf8_width(name, strlen(name)); n < width; n++)
			buf_putc(out, ' ');
		describe_column(s, c, out);
		buf_putc(out, '\n');
	}
}

static void
describe_input(const struct source *s, struct buf *out)
{
	if (s->vcard) {
		buf_printf(out, "%s: vCard\n", s->path);
		return;
	}
	buf_printf(out, "%s: %s", s->path, s->format == STREAM_NDJSON ? "NDJSON" : "CSV");
	if (s->format == STREAM_CSV)
		buf_printf(out, ", delimiter \"%s\"",
		           s->delimiter == '\t'  ? "tab"
		           : s->delimiter == ';' ? ";"
		           : s->delimiter == '|' ? "|"
		                                 : ",");
	buf_printf(out, ", %s", stream_encoding(s->stream));
	if (s->decimal_comma)
		buf_puts(out, ", decimal comma");
	buf_putc(out, '\n');
}

void
import_describe(struct importer *im, struct buf *out)
{
	import_header(im);
	for (size_t i = 0; i < im->nsrc; i++) {
		describe_input(im->src[i], out);
		describe_source(im->src[i], out, "  ");
	}
	buf_puts(out, "output:");
	for (size_t i = 0; i < im->out->n; i++)
		buf_printf(out, "%s%s", i ? "," : " ", im->out->names[i]);
	buf_putc(out, '\n');
}

static void
review_rows(const struct rowlist *l, struct buf *out)
{
	buf_printf(out, "%ld row%s (", l->count, l->count == 1 ? "" : "s");
	for (long i = 0; i < l->count && i < ROWS_MAX; i++)
		buf_printf(out, "%s%ld", i ? ", " : "", l->rows[i]);
	if (l->count > ROWS_MAX)
		buf_printf(out, ", and %ld more", l->count - ROWS_MAX);
	buf_puts(out, ")\n");
}

static void
review_events(const char *title, const struct events *ev, struct buf *out)
{
	if (!ev->count)
		return;
	buf_printf(out, "  %s: %ld\n", title, ev->count);
	for (long i = 0; i < ev->count && i < EVENTS_MAX; i++)
		buf_printf(out, "    row %ld: %s\n", ev->e[i].row, ev->e[i].text);
	if (ev->count > EVENTS_MAX)
		buf_printf(out, "    and %ld more\n", ev->count - EVENTS_MAX);
}

void
import_totals(const struct importer *im, struct import_totals *t)
{
	memset(t, 0, sizeof *t);
	for (size_t i = 0; i < im->nsrc; i++) {
		const struct stats *st = &im->src[i]->st;
		t->read += st->read;
		t->written += st->written;
		t->rejected += st->rejected;
		t->duplicates += st->duplicates;
		t->merged += st->merged;
	}
}

void
import_review(const struct importer *im, struct buf *out)
{
	long read = 0, written = 0;
	for (size_t i = 0; i < im->nsrc; i++) {
		const struct source *s = im->src[i];
		const struct stats *st = &s->st;
		read += st->read;
		written += st->written;
		buf_printf(out, "review of %s: %ld row%s read, %ld written", s->path, st->read,
		           st->read == 1 ? "" : "s", st->written);
		if (st->rejected)
			buf_printf(out, ", %ld rejected", st->rejected);
		if (st->merged)
			buf_printf(out, ", %ld merged", st->merged);
		buf_puts(out, "\n  mapping:\n");
		describe_source(s, out, "    ");
		bool any = false;
		for (size_t c = 0; c < s->ncols; c++)
			if (s->cols[c].role == HEADER_UNKNOWN) {
				buf_printf(out, "%s%s",
				           any ? ", " : "  kept unmapped: ", s->in->names[c]);
				any = true;
			}
		buf_puts(out, any ? "\n" : "  kept unmapped: none\n");
		review_events("duplicates", &st->dups, out);
		for (size_t k = 0; k < NMISSING; k++) {
			int f = missing_fields[k];
			buf_printf(out, "  missing %s: ", fields_name(f));
			if (!s->has[f])
				buf_puts(out, "no such column\n");
			else if (st->missing[k].count == 0)
				buf_puts(out, "none\n");
			else
				review_rows(&st->missing[k], out);
		}
		if (st->nproblems) {
			buf_printf(out, "  values that did not parse: %ld\n", st->nproblems);
			for (long k = 0; k < st->nproblems && k < PROBLEMS_MAX; k++)
				buf_printf(out, "    row %ld: %s\n", st->problems[k].row,
				           st->problems[k].text);
			if (st->nproblems > PROBLEMS_MAX)
				buf_printf(out, "    and %ld more\n", st->nproblems - PROBLEMS_MAX);
		} else {
			buf_puts(out, "  values that did not parse: none\n");
		}
		review_events("rejected", &st->rejects, out);
	}
	if (im->nsrc > 1)
		buf_printf(out, "review total: %ld rows read, %ld written\n", read, written);
}
