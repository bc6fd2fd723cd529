/*
 * import_int.h - the importer's insides, shared by its files and by no one
 * else: the importer, its sources and their column plans, and the record
 * being built.
 *
 * import.c drives (inputs, look-ahead, the run), import_plan.c maps headers,
 * import_row.c turns a row into a record, import_keys.c gives ids and finds
 * duplicates, import_review.c tallies for --review.  The record being built
 * is read and written by several of them in the hot loop, so its accessors
 * are inline here.
 */
#ifndef CS_IMPORT_INT_H
#define CS_IMPORT_INT_H

#include <stdint.h>
#include <string.h>

#include "error.h"
#include "import.h"
#include "normalize.h"
#include "schema.h"
#include "synonyms.h"

struct vcard_reader;

enum {
	PROBLEMS_MAX = 50, /* per input, listed by --review */
	EVENTS_MAX = 20,
	ROWS_MAX = 10,
	VALUE_SHOWN = 60,
	WORDS_CACHED = 8, /* per column: Client/Prospect, Gold/Silver/Bronze, Y/N... */
};

/* The fields --review counts missing values of (missing_fields, import_review.c). */
enum { NMISSING = 4 };

/* A column's seen_fields holds a bit a canonical field. */
_Static_assert(CANON_COUNT <= 64, "seen_fields has a bit per canonical field");

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

/* One value that did not parse, and the rows that hold it. */
struct problem {
	uint64_t hash; /* of text */
	char text[200];
	struct rowlist rows;
};

/* What a spreadsheet does to a value opened from CSV (import_review.c). */
enum hazard_kind { HAZARD_FORMULA, HAZARD_ZEROS, HAZARD_EXPONENT, HAZARD_DIGITS, HAZARD_DATE, NHAZARDS };
struct hazard {
	long count, row; /* how many, and the first one's row */
	char value[VALUE_SHOWN + 8];
};

struct stats {
	long read, written, rejected, duplicates, merged;
	long rejected_who; /* rejected for want of a name, email, phone, company or id */
	struct rowlist missing[NMISSING];
	long nproblems;          /* rows with a value that did not parse, over every value */
	size_t ngroups;          /* the distinct values, each warned about once */
	long ungrouped;          /* past PROBLEMS_MAX distinct values: warned about per row */
	struct problem problems[PROBLEMS_MAX];
	struct rowlist owner_ids; /* owners that look like system ids */
	char owner_id[VALUE_SHOWN + 8];
	struct events dups, rejects;
	/*
	 * With review: values a spreadsheet would run or mangle, per output
	 * column and kind (hazards[col * NHAZARDS + kind], ncols columns; NULL
	 * until the first record is counted).
	 */
	struct hazard *hazards;
	size_t hazard_cols;
};

enum order_from { ORDER_DEFAULT, ORDER_FORCED, ORDER_SETTLED, ORDER_MIXED, ORDER_OTHERS };

struct column {
	enum header_role role;
	int field;    /* HEADER_FIELD */
	bool primary; /* the first candidate of its field: its value is the field's */
	int rank;     /* SYNONYMS_RANK_*: among its field's columns, the lower wins */
	int group;    /* an address's group in its source (0: a plain column) */
	long label;   /* the column whose label ranks this one's value in each row, or -1 */
	char part;    /* HEADER_DATE_PART: 'y', 'm' or 'd' */
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
	uint64_t seen_fields; /* pairs and lists: fields their labels named, look-ahead */
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
	bool ranked[CANON_COUNT]; /* some candidate is ranked per row (a label, consent) */
	bool grouped;             /* address parts come from several groups: choose per row */
	long suffix_col;          /* a name suffix column (Google "Name Suffix"), or -1 */
	long parts[CANON_COUNT][3]; /* a date split into columns: year, month, day, or -1 */
	bool split[CANON_COUNT];    /* the field has a month and a day column */
	struct ahead_item *ahead;
	size_t nahead, ahead_cap;
	bool reading_ahead; /* reader warnings are kept with the row, to come out in order */
	uint32_t base;      /* positions of its records: base + row */
	long last_row;
	double rows_expected; /* from the file's size and the rows read ahead */
	int ahead_end;        /* 1: more to read, 0: the end, -1: failed (ahead_err) */
	struct cs_error ahead_err;
	struct writer *reject; /* the rejects' rows into im->line, made at the first */
	struct stats st;
	/* import_plan_rows: the fields a row maps, in order, and the columns kept as they are */
	unsigned char fields[CANON_COUNT];
	size_t nfields;
	size_t *kept, nkept;
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

/* The hashed keys of the record being built (0: it has no such key). */
struct row_keys {
	uint64_t email, name_phone, id;
};

/*
 * A record mapped but not yet settled (import_keys.c): its key slots are
 * fetched while the next rows are mapped.  It holds the record built (the
 * importer's row and ofs) and its id before it is made unique, swapped out
 * of the importer, not copied.
 */
enum { IMPORT_LAG = 3 }; /* records in flight at most */
struct queued {
	struct source *s;
	long row;
	struct row_keys keys;
	struct buf data, id; /* what the importer's row and id hold for a record built */
	struct field *ofs;
	size_t ofs_cap;
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

	/*
	 * While import_run runs: the records mapped, settled IMPORT_LAG late in
	 * row order (ring[n % IMPORT_LAG], from nout up to nin), into
	 * settle_to.  Every message goes through a relay that settles them
	 * first (outer: the callbacks it passes them to), so messages and
	 * records come out in row order as if each were settled at once.
	 * settle_text and settle_extra are settling's own scratch, since a
	 * message can make it run in the middle of mapping a row.
	 */
	struct queued ring[IMPORT_LAG];
	size_t nin, nout;
	bool settling;
	struct writer *settle_to;
	struct import_options outer;
	struct buf settle_text, settle_extra;
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
	 * a NUL, and where each output column's value lies (length 0: empty,
	 * at offset 0, where row starts with a NUL).  A replaced value's bytes
	 * stay as dead space.  That is a record's own layout, so the record
	 * written takes row and ofs as they are, swapped with outrec's
	 * buffers, not copied (import_settle).
	 */
	struct buf row;
	struct field *ofs;
	size_t ofs_cap;
	struct buf rest, extra, key, disp, first, last, line, text, id;
	char why[160];
	bool set[CANON_COUNT];
	bool email_ok, phone_ok;
};

/* import.c: messages. */

/* Tell the warn callback about row of s (0: the whole input). */
void import_warnf(struct importer *im, const struct source *s, long row, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Tell the note callback what the import did with row of s. */
void import_notef(struct importer *im, const struct source *s, long row, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* v as messages show it, into out (returned). */
const char *import_shown(const char *v, size_t len, char out[VALUE_SHOWN + 8]);

/* import_plan.c: which column becomes which field. */

/* The --map overrides of im->o into im->maps: 0, or -1 with err filled. */
int import_parse_maps(struct importer *im, struct cs_error *err);
/* Give every column of s its role and every field its candidates. */
void import_plan_columns(struct importer *im, struct source *s);
/* Learn from the rows s read ahead: date orders, labelled fields, Platinum. */
void import_look_ahead(struct importer *im, struct source *s);
/* Call fn for each "Label: value" item of a labelled list cell. */
void import_each_labelled(const char *v, size_t len,
                          void (*fn)(void *ctx, const char *label, size_t llen, const char *val,
                                     size_t vlen),
                          void *ctx);
/* Call fn for each tag of a tags cell. */
void import_each_tag(const char *v, size_t len, void (*fn)(void *ctx, const char *tag, size_t n),
                     void *ctx);
/*
 * Append the --map options that would read the columns of s whose header
 * contains a field that tells who a client is ("buyer_email" -> email), as
 * "--map 'buyer_email=email' ..."; nothing if there is none.
 */
void import_map_hint(const struct source *s, struct buf *out);
/* Append how each column of s is read, one line a column, each after indent. */
void import_describe_source(const struct source *s, struct buf *out, const char *indent);

/* import_row.c: one input row into the record being built. */

/*
 * Map rec, a row of s, into the record being built and hash its keys into
 * *keys.  False if the row was rejected (raw: its text, vCard only).
 */
bool import_map_record(struct importer *im, struct source *s, struct record *rec, const char *raw,
                       size_t rawlen, struct row_keys *keys);
/* The fields and kept columns of s that a row walks, once its plan is final. */
void import_plan_rows(struct source *s);
/* Count, warn about and write to --reject a row that cannot be imported. */
void import_reject(struct importer *im, struct source *s, const struct record *rec, const char *raw,
                   size_t rawlen, long row, const char *why);
/* Whether p[0..n) holds the string what. */
bool import_contains(const char *p, size_t n, const char *what);
/* Add a line to im->extra, which goes to the record's notes. */
void import_add_extra(struct importer *im, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* import_keys.c: ids, duplicates and --dedupe. */

/* Size the key table for the rows the sources expect. */
void import_presize_keys(struct importer *im);
/*
 * Hash the keys of the record being built into *k, once its names are
 * joined or split (fix_names), and start fetching their slots.
 */
void import_hash_keys(struct importer *im, struct row_keys *k);
/*
 * Start settling into w: the records to come are settled a few late, and
 * the messages of im->o are relayed (until import_settle_end).
 */
void import_settle_begin(struct importer *im, struct writer *w);
/*
 * Queue the record built for row of s (its keys in *keys), to be given its
 * id, then written, held or merged: the oldest record queued is settled
 * when IMPORT_LAG are waiting.
 */
void import_settle_later(struct importer *im, struct source *s, long row,
                         const struct row_keys *keys);
/* Settle every record queued (the end of a source, or a message about to be said). */
void import_settle_all(struct importer *im);
/* Settle what is queued, put back im->o's callbacks and free the queue's buffers. */
void import_settle_end(struct importer *im);
/* With dedupe: write the records held, in input order, and count them. */
void import_write_held(struct importer *im, struct writer *w);
/*
 * The name-and-phone key of a record into key (reset first): the lower-cased
 * name, '|', the phone's last ten digits (norm_phone_digits).  phone is a
 * canonical phone or empty (plen 0).  False, key empty, when both are empty.
 * name_phone_key's, exported for import_update.c.
 */
bool import_name_phone_key(const char *name, size_t nlen, const char *phone, size_t plen,
                           struct buf *key);

/* import_review.c: what --review lists. */

/*
 * Note that row of s holds a value that did not parse (text says which and
 * why).  The first time text is met it is kept, then its rows are counted:
 * import_flush_problems warns once per text.
 */
void import_add_problem(struct importer *im, struct source *s, long row, const char *text);
/* Warn about the values of s that did not parse, once each, with their rows. */
void import_flush_problems(struct importer *im, struct source *s);
/* Note that row of s has an owner that looks like a system id (v[0..len)). */
void import_add_owner_id(struct source *s, long row, const char *v, size_t len);
/* Whether v[0..len) looks like a system's id rather than a person's name. */
bool import_is_system_id(const char *v, size_t len);
/* Add an event for row to ev (the first EVENTS_MAX are kept). */
void import_add_event(struct events *ev, long row, const char *text);
/* Count rec, a record of s written, and what it lacks. */
void import_count_missing(struct importer *im, struct source *s, const struct record *rec);

/* The record being built, and the row read, for the hot loop. */

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

static inline bool
is_blank(const char *v, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (v[i] != ' ' && v[i] != '\t' && v[i] != '\r' && v[i] != '\n')
			return false;
	return true;
}

/* Output column i takes the bytes appended to im->row since start. */
static inline void
out_commit(struct importer *im, size_t i, size_t start)
{
	im->ofs[i].len = im->row.len - start;
	im->ofs[i].off = im->ofs[i].len ? start : 0;
	buf_putc(&im->row, '\0');
}

/* Output column i takes a copy of p[0..len). */
static inline void
out_set(struct importer *im, size_t i, const char *p, size_t len)
{
	struct buf *b = &im->row;
	buf_reserve(b, len + 1);
	memcpy(b->data + b->len, p, len);
	im->ofs[i].off = len ? b->len : 0;
	im->ofs[i].len = len;
	b->len += len + 1;
	b->data[b->len - 1] = '\0';
	b->data[b->len] = '\0';
}

/* Output column i's value, borrowed until the next out_set or out_commit. */
static inline const char *
out_at(const struct importer *im, size_t i, size_t *len)
{
	*len = im->ofs[i].len;
	return *len ? im->row.data + im->ofs[i].off : "";
}

/* Field f's value in the record being built ("" if it is not output). */
static inline const char *
out_get(struct importer *im, int f, size_t *len)
{
	if (im->field_out[f] < 0) {
		*len = 0;
		return "";
	}
	return out_at(im, (size_t)im->field_out[f], len);
}

#endif
