/*
 * touchlog.c - an index of the touch log: latest date per client and per
 * (client, touch).
 *
 * Memory grows with the distinct clients and (client, touch) pairs of the
 * log, never with its rows, and each is a small fixed-size record:
 *
 *  - clients: each id once, in an idtab (an 8-byte slot and the id's bytes
 *    with an 8-byte head), and 8 bytes beside it (struct client): the
 *    latest day done of any touch, the row count and the "seen" bit;
 *  - touches: the touch names, in a strtab (case-folded), of which a model
 *    has a handful; an entry names its touch by a 24-bit index;
 *  - pairs: a 12-byte slot per (client, touch) (struct pairslot): the
 *    client's index, the touch's, flags, the outcome of its latest deferring
 *    entry and the latest done day; the few pairs that were ever deferred
 *    keep that entry's day and until date in a side table of their own.
 *
 * Dates are day numbers, outcomes a 3-bit enum; nothing else of a row is
 * kept (its channel, by and note are never asked for): cs-due over a
 * million clients and a 20-million-row log peaks at 112 MB, where it
 * peaked at 170 MB with strtab's ids and 24-byte pairs.  The pair
 * tables are open addressing with linear probing, powers of two at most
 * three-quarters full.  Lookups in a large log are cache misses, so a
 * caller asking about several touches of one client finds the client once
 * (touchlog_client) and then asks by its handle, and a pair's home slot is
 * its client's hash plus the touch's index, so the touches of one client
 * sit side by side.  Large tables ask for huge pages, where Linux offers
 * them: random lookups otherwise miss the TLB as well.  Reading, the
 * common exact YYYY-MM-DD skips date_parse, and the last few touch names
 * skip hashing.
 *
 * The index's two users that write live here too: touchlog_append adds
 * rows to the log under its lock, and touchlog_raise_last_contact folds the
 * index back into a book, record by record.
 */
#include "touchlog.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"
#include "hash.h"
#include "idtab.h"
#include "model.h"
#include "shard.h"
#include "strtab.h"
#include "writer.h"

const char *const touchlog_column_names[TOUCHLOG_COLUMNS] = {"date", "id",   "touch",   "channel",
                                                             "by",   "note", "outcome", "until"};

const char *const touchlog_outcome_names[TOUCHLOG_OUTCOMES] = {"done", "no-answer", "scheduled",
                                                               "snoozed", "declined"};

int
touchlog_outcome_parse(const char *s, size_t len, enum touchlog_outcome *out)
{
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	*out = TOUCHLOG_DONE;
	if (len == 0)
		return 0;
	for (int i = 0; i < TOUCHLOG_OUTCOMES; i++) {
		const char *name = touchlog_outcome_names[i];
		if (strlen(name) != len)
			continue;
		size_t k = 0;
		while (k < len && ascii_lower((unsigned char)s[k]) == name[k])
			k++;
		if (k == len) {
			*out = (enum touchlog_outcome)i;
			return 0;
		}
	}
	return -1;
}

bool
touchlog_outcome_needs_until(enum touchlog_outcome o)
{
	return o == TOUCHLOG_SCHEDULED || o == TOUCHLOG_SNOOZED;
}

/* ---- (client, touch) pairs --------------------------------------------- */

/*
 * A pair slot's bits: three flags, the outcome of its latest deferring entry
 * (3 bits), and the touch's index (24 bits).
 */
enum {
	PAIR_DONE = 1,
	PAIR_DECLINED = 2,
	PAIR_DEFERRED = 4,
	PAIR_DEFER_SHIFT = 3,
	PAIR_TOUCH_SHIFT = 8,
};

/* How many touch names the index can tell apart (24 bits). */
#define TOUCHES_MAX (1L << 24)

/* Day numbers fit in 32 bits for any date (years 1 to 9999). */
struct pairslot {
	uint32_t client; /* client index + 1; 0: empty */
	uint32_t bits;   /* touch << PAIR_TOUCH_SHIFT | defer << PAIR_DEFER_SHIFT | PAIR_* */
	int32_t day;     /* the latest done (or declined) entry, as a day number */
};

/* The latest deferring entry of a pair that has one (most have none). */
struct deferslot {
	uint64_t key;  /* (client + 1) << 32 | touch; 0: empty */
	int32_t day;   /* its date */
	int32_t until; /* its until date (scheduled, snoozed) */
};

struct pairtab {
	struct pairslot *slots;
	size_t mask, n;
};

struct defertab {
	struct deferslot *slots;
	size_t mask, n;
};

/*
 * A pair's home slot is its client's hash plus the touch's index, so the
 * few touches of one client sit side by side: asking about all of them
 * costs one cache miss, not one each.
 */
static size_t
pair_home(uint32_t client, uint32_t touch)
{
	return (size_t)(hash_mix64(client) + touch);
}

static uint32_t
pair_touch(const struct pairslot *s)
{
	return s->bits >> PAIR_TOUCH_SHIFT;
}

/* The slot of (client + 1, touch), or the empty slot where it would go. */
static struct pairslot *
pairtab_slot(const struct pairtab *t, uint32_t client, uint32_t touch)
{
	for (size_t i = pair_home(client, touch) & t->mask;; i = (i + 1) & t->mask) {
		struct pairslot *s = &t->slots[i];
		if (s->client == 0 || (s->client == client && pair_touch(s) == touch))
			return s;
	}
}

/* The slot of key, or the empty slot where it would go. */
static struct deferslot *
defertab_slot(const struct defertab *t, uint64_t key)
{
	for (size_t i = pair_home((uint32_t)(key >> 32), (uint32_t)key) & t->mask;;
	     i = (i + 1) & t->mask)
		if (t->slots[i].key == key || t->slots[i].key == 0)
			return &t->slots[i];
}

/* The slot of (client + 1, touch), added (empty) when new. */
static struct pairslot *
pairtab_entry(struct pairtab *t, uint32_t client, uint32_t touch)
{
	if (!t->slots || (t->n + 1) * 4 > (t->mask + 1) * 3) {
		struct pairtab bigger = {.mask = t->slots ? t->mask * 2 + 1 : 63, .n = t->n};
		bigger.slots = xcalloc_table((bigger.mask + 1) * sizeof *bigger.slots);
		for (size_t i = 0; t->slots && i <= t->mask; i++)
			if (t->slots[i].client)
				*pairtab_slot(&bigger, t->slots[i].client,
				              pair_touch(&t->slots[i])) = t->slots[i];
		free(t->slots);
		*t = bigger;
	}
	struct pairslot *s = pairtab_slot(t, client, touch);
	if (s->client == 0) {
		*s = (struct pairslot){.client = client, .bits = touch << PAIR_TOUCH_SHIFT};
		t->n++;
	}
	return s;
}

/* The slot of key, added (empty) when new. */
static struct deferslot *
defertab_entry(struct defertab *t, uint64_t key)
{
	if (!t->slots || (t->n + 1) * 4 > (t->mask + 1) * 3) {
		struct defertab bigger = {.mask = t->slots ? t->mask * 2 + 1 : 63, .n = t->n};
		bigger.slots = xcalloc_table((bigger.mask + 1) * sizeof *bigger.slots);
		for (size_t i = 0; t->slots && i <= t->mask; i++)
			if (t->slots[i].key)
				*defertab_slot(&bigger, t->slots[i].key) = t->slots[i];
		free(t->slots);
		*t = bigger;
	}
	struct deferslot *s = defertab_slot(t, key);
	if (s->key == 0) {
		*s = (struct deferslot){.key = key};
		t->n++;
	}
	return s;
}

/* ---- the log ----------------------------------------------------------- */

/* A client's day when none of its entries was done (they all defer). */
#define NO_DAY INT32_MIN

/* struct client's rows: the top bit says the book has the client (touchlog_see). */
#define CLIENT_SEEN 0x80000000u

struct client {
	int32_t day;   /* the latest touch done of any kind; NO_DAY: none */
	uint32_t rows; /* for the orphan warning (up to 2^31 - 1), | CLIENT_SEEN */
};

struct touchlog {
	struct idtab ids;       /* client ids, each once */
	struct client *clients; /* by the id's index */
	size_t clients_cap;
	struct strtab touches; /* touch names, case folded */
	uint32_t *touch_rows;  /* rows per touch name, for the orphan warning */
	size_t touch_rows_cap;
	struct pairtab pairs;
	struct defertab defers;
	size_t rows;
};

struct touchlog *
touchlog_new(void)
{
	struct touchlog *log = xcalloc(1, sizeof *log);
	strtab_init(&log->touches, true);
	return log;
}

void
touchlog_free(struct touchlog *log)
{
	if (!log)
		return;
	idtab_free(&log->ids);
	free(log->clients);
	strtab_free(&log->touches);
	free(log->touch_rows);
	free(log->pairs.slots);
	free(log->defers.slots);
	free(log);
}

static void
trim(const char **p, size_t *len)
{
	while (*len && (**p == ' ' || **p == '\t')) {
		(*p)++;
		(*len)--;
	}
	while (*len && ((*p)[*len - 1] == ' ' || (*p)[*len - 1] == '\t'))
		(*len)--;
}

/* The index of touch[0..len), added when new; -1 past TOUCHES_MAX names. */
static long
intern_touch(struct touchlog *log, const char *touch, size_t len)
{
	bool added;
	long t = strtab_intern(&log->touches, touch, len, &added);
	if (t < 0 || t >= TOUCHES_MAX)
		return -1;
	if (added) {
		log->touch_rows = xgrow(log->touch_rows, &log->touch_rows_cap, (size_t)t + 1,
		                        sizeof *log->touch_rows);
		log->touch_rows[t] = 0;
	}
	return t;
}

/* Fold an entry into the pair (client index + 1, touch): the latest of each kind wins. */
static void
pair_raise(struct touchlog *log, uint32_t client, uint32_t touch, int32_t day,
           enum touchlog_outcome outcome, int32_t until_day)
{
	struct pairslot *s = pairtab_entry(&log->pairs, client, touch);
	if (outcome == TOUCHLOG_DONE || outcome == TOUCHLOG_DECLINED) {
		if (!(s->bits & PAIR_DONE) || day >= s->day) {
			/* A later row of the same day says what happened last. */
			bool later = !(s->bits & PAIR_DONE) || day > s->day;
			s->day = day;
			s->bits |= PAIR_DONE;
			if (outcome == TOUCHLOG_DECLINED)
				s->bits |= PAIR_DECLINED;
			else if (later || outcome == TOUCHLOG_DONE)
				s->bits &= ~(uint32_t)PAIR_DECLINED;
		}
		return;
	}
	struct deferslot *d = defertab_entry(&log->defers, (uint64_t)client << 32 | touch);
	if (!(s->bits & PAIR_DEFERRED) || day >= d->day) {
		d->day = day;
		d->until = until_day;
		s->bits &= ~((uint32_t)7 << PAIR_DEFER_SHIFT);
		s->bits |= (uint32_t)outcome << PAIR_DEFER_SHIFT | PAIR_DEFERRED;
	}
}

/*
 * Add an entry of client id[0..id_len) (trimmed) and touch index t.
 * Returns 0, or -1 when the index has no room for another client id.
 */
static void apply_entry(struct touchlog *log, long client, bool new_client, long t, long day,
                        enum touchlog_outcome outcome, long until_day);

static int
add_entry(struct touchlog *log, const char *id, size_t id_len, long t, long day,
          enum touchlog_outcome outcome, long until_day)
{
	bool new_client;
	long client = idtab_intern(&log->ids, id, id_len, &new_client);
	if (client < 0)
		return -1;
	apply_entry(log, client, new_client, t, day, outcome, until_day);
	return 0;
}

/* Fold an entry into client (its index; new_client: just added) and touch t. */
static void
apply_entry(struct touchlog *log, long client, bool new_client, long t, long day,
            enum touchlog_outcome outcome, long until_day)
{
	log->rows++;
	log->touch_rows[t]++;
	bool done = outcome == TOUCHLOG_DONE || outcome == TOUCHLOG_DECLINED;
	if (new_client) {
		log->clients = xgrow(log->clients, &log->clients_cap, (size_t)client + 1,
		                     sizeof *log->clients);
		log->clients[client] = (struct client){.day = done ? (int32_t)day : NO_DAY};
	} else if (done && day > log->clients[client].day) {
		log->clients[client].day = (int32_t)day;
	}
	struct client *c = &log->clients[client];
	if ((c->rows & ~CLIENT_SEEN) != ~CLIENT_SEEN)
		c->rows++;
	pair_raise(log, (uint32_t)client + 1, (uint32_t)t, (int32_t)day, outcome,
	           (int32_t)until_day);
}

void
touchlog_add(struct touchlog *log, const char *id, size_t id_len, const char *touch,
             size_t touch_len, struct date date)
{
	touchlog_add_entry(log, id, id_len, touch, touch_len, date, TOUCHLOG_DONE,
	                   (struct date){0, 0, 0});
}

void
touchlog_add_entry(struct touchlog *log, const char *id, size_t id_len, const char *touch,
                   size_t touch_len, struct date date, enum touchlog_outcome outcome,
                   struct date until)
{
	if (date.year == 0)
		return;
	trim(&id, &id_len);
	trim(&touch, &touch_len);
	long t = intern_touch(log, touch, touch_len);
	if (t >= 0)
		add_entry(log, id, id_len, t, date_to_days(date), outcome,
		          until.year ? date_to_days(until) : 0);
}

/*
 * A row's outcome and until (until_col may be -1).  Returns 0, or -1 when
 * the row was reported and is to be skipped.
 */
static int
read_outcome(const struct record *rec, long outcome_col, long until_col,
             enum touchlog_outcome *outcome, struct date *until, cs_warn_fn *warn, void *warn_ctx,
             const char *name)
{
	size_t len, until_len = 0;
	const char *o = record_get(rec, (size_t)outcome_col, &len);
	const char *u = until_col >= 0 ? record_get(rec, (size_t)until_col, &until_len) : "";
	if (touchlog_outcome_parse(o, len, outcome) < 0) {
		cs_warn(warn, warn_ctx, name, rec->row,
		        "outcome \"%.40s\" is not one of done, no-answer, scheduled, snoozed, "
		        "declined: row skipped",
		        o);
		return -1;
	}
	if (!touchlog_outcome_needs_until(*outcome))
		return 0;
	char why[128];
	if (until_len == 0 ||
	    date_parse(u, until_len, DATE_ORDER_YMD, 0, until, why, sizeof why) < 0 ||
	    until->year == 0) {
		cs_warn(warn, warn_ctx, name, rec->row,
		        "%s needs an until date (YYYY-MM-DD), not \"%.40s\": row skipped",
		        touchlog_outcome_names[*outcome], u);
		return -1;
	}
	return 0;
}

int
touchlog_read(struct touchlog *log, const char *path, const struct stream_options *opts,
              struct cs_error *err)
{
	return touchlog_read_each(log, path, opts, NULL, NULL, err);
}

/*
 * The date of an exact YYYY-MM-DD (year 1 or later), which cs-log writes
 * and nearly every row has, without date_parse's general reading: false
 * for anything else, which date_parse then reads (or explains).
 */
static bool
iso_date(const char *s, size_t len, struct date *out)
{
	static const unsigned char at[8] = {0, 1, 2, 3, 5, 6, 8, 9};
	if (len != 10 || s[4] != '-' || s[7] != '-')
		return false;
	int v[8];
	for (int i = 0; i < 8; i++) {
		if (!ascii_digit((unsigned char)s[at[i]]))
			return false;
		v[i] = s[at[i]] - '0';
	}
	int year = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
	int month = v[4] * 10 + v[5], day = v[6] * 10 + v[7];
	if (year == 0 || !date_valid(year, month, day))
		return false;
	*out = (struct date){.year = year, .month = month, .day = day};
	return true;
}

/*
 * The touch names a read met last, exactly as spelled: a model has a
 * handful, so most rows find theirs here and skip the case-folded hashing.
 */
enum { TOUCH_CACHE = 4, TOUCH_CACHE_LEN = 30 };

struct touch_cache {
	struct {
		long index;
		unsigned char len; /* 0: unused */
		char name[TOUCH_CACHE_LEN];
	} e[TOUCH_CACHE];
	unsigned next; /* the entry to replace */
};

static long
cached_touch(struct touchlog *log, struct touch_cache *c, const char *touch, size_t len)
{
	for (int i = 0; i < TOUCH_CACHE; i++)
		if (c->e[i].len == len && memcmp(c->e[i].name, touch, len) == 0)
			return c->e[i].index;
	long t = intern_touch(log, touch, len);
	if (t >= 0 && len > 0 && len <= TOUCH_CACHE_LEN) {
		unsigned k = c->next++ % TOUCH_CACHE;
		c->e[k].index = t;
		c->e[k].len = (unsigned char)len;
		memcpy(c->e[k].name, touch, len);
	}
	return t;
}

/*
 * Rows are read in batches: each is checked as it comes (its warnings in
 * order), then the batch's clients are looked up one after the other with
 * their slots already on their way (idtab_prefetch), each client's struct
 * and pairs fetched likewise, and only then are the entries folded in, in
 * the rows' order.  In a large log every one of those is a cache miss, and
 * one row's no longer waits for the last's.
 */
enum { BATCH = 64 };

struct batch_row {
	size_t id, id_len, touch, touch_len; /* offsets into the batch's bytes */
	long t, client, row;
	bool new_client;
	struct date d;
	long day, until_day;
	enum touchlog_outcome outcome;
};

struct batch {
	struct batch_row r[BATCH];
	size_t n;
	struct buf bytes; /* the rows' ids and touches, trimmed */
};

/*
 * Check a row's id, touch and date and queue it in b.  Returns false
 * when it was reported and skipped.
 */
static bool
read_row(struct touchlog *log, struct touch_cache *cache, struct batch *b, const struct record *rec,
         const long col[3], enum touchlog_outcome outcome, struct date until, const char *name,
         cs_warn_fn *warn, void *warn_ctx)
{
	size_t date_len, id_len, touch_len;
	const char *date_s = record_get(rec, (size_t)col[0], &date_len);
	const char *id = record_get(rec, (size_t)col[1], &id_len);
	const char *touch = record_get(rec, (size_t)col[2], &touch_len);
	trim(&id, &id_len);
	trim(&touch, &touch_len);
	char why[128];
	struct date d;
	if (id_len == 0) {
		cs_warn(warn, warn_ctx, name, rec->row, "no client id: row skipped");
	} else if (touch_len == 0) {
		cs_warn(warn, warn_ctx, name, rec->row, "no touch: row skipped");
	} else if (!iso_date(date_s, date_len, &d) &&
	           date_parse(date_s, date_len, DATE_ORDER_YMD, 0, &d, why, sizeof why) < 0) {
		bool plain = strcmp(why, "not a date") == 0;
		cs_warn(warn, warn_ctx, name, rec->row,
		        "date \"%.40s\" is not a date%s%s%s: row skipped", date_s,
		        plain ? "" : " (", plain ? "" : why, plain ? "" : ")");
	} else if (d.year == 0) {
		cs_warn(warn, warn_ctx, name, rec->row, "date \"%.40s\" has no year: row skipped",
		        date_s);
	} else {
		long t = cached_touch(log, cache, touch, touch_len);
		if (t < 0) {
			cs_warn(
			    warn, warn_ctx, name, rec->row,
			    "the index of the log is full (16,777,216 touch names): row skipped");
			return false;
		}
		struct batch_row *r = &b->r[b->n++];
		*r = (struct batch_row){
		    .id = b->bytes.len,
		    .id_len = id_len,
		    .touch = b->bytes.len + id_len,
		    .touch_len = touch_len,
		    .t = t,
		    .row = rec->row,
		    .d = d,
		    .day = date_to_days(d),
		    .until_day = until.year ? date_to_days(until) : 0,
		    .outcome = outcome,
		};
		buf_append(&b->bytes, id, id_len);
		buf_append(&b->bytes, touch, touch_len);
		return true;
	}
	return false;
}

/* Add the batch's entries to log, in order, and hand each to each (when set); empty b. */
static void
flush_batch(struct touchlog *log, struct batch *b, const char *name, cs_warn_fn *warn,
            void *warn_ctx, touchlog_entry_fn *each, void *ctx)
{
	const char *bytes = b->bytes.data;
	for (size_t i = 0; i < b->n; i++)
		idtab_prefetch(&log->ids, bytes + b->r[i].id, b->r[i].id_len);
	for (size_t i = 0; i < b->n; i++) {
		struct batch_row *r = &b->r[i];
		r->client = idtab_intern(&log->ids, bytes + r->id, r->id_len, &r->new_client);
		if (r->client < 0)
			continue;
		if ((size_t)r->client < log->clients_cap)
			__builtin_prefetch(&log->clients[r->client], 1);
		if (log->pairs.slots)
			__builtin_prefetch(
			    &log->pairs.slots[pair_home((uint32_t)r->client + 1, (uint32_t)r->t) &
			                      log->pairs.mask],
			    1);
	}
	for (size_t i = 0; i < b->n; i++) {
		const struct batch_row *r = &b->r[i];
		if (r->client < 0) {
			cs_warn(warn, warn_ctx, name, r->row,
			        "the index of the log is full (4 billion client ids or 16 GiB of "
			        "them): row skipped");
			continue;
		}
		apply_entry(log, r->client, r->new_client, r->t, r->day, r->outcome, r->until_day);
		if (each)
			each(ctx, bytes + r->id, r->id_len, bytes + r->touch, r->touch_len, r->d,
			     r->outcome);
	}
	b->n = 0;
	buf_reset(&b->bytes);
}

int
touchlog_read_each(struct touchlog *log, const char *path, const struct stream_options *opts,
                   touchlog_entry_fn *each, void *ctx, struct cs_error *err)
{
	struct stream *s = stream_open(path, opts, err);
	if (!s)
		return -1;
	const struct header *h = stream_header(s);
	const char *need[] = {"date", "id", "touch"};
	long col[3];
	for (int i = 0; i < 3; i++) {
		col[i] = header_find(h, need[i]);
		if (col[i] < 0) {
			const char *name = !path || strcmp(path, "-") == 0 ? "<stdin>" : path;
			cs_error_set(err, name, 1,
			             "not a touch log: no \"%s\" column (the header must be %s)",
			             need[i], TOUCHLOG_HEADER);
			stream_close(s);
			return -1;
		}
	}
	long outcome_col = header_find(h, "outcome"), until_col = header_find(h, "until");
	const char *name = stream_name(s);
	cs_warn_fn *warn = opts ? opts->warn : NULL;
	void *warn_ctx = opts ? opts->warn_ctx : NULL;
	struct touch_cache cache = {0};
	struct batch *b = xcalloc(1, sizeof *b);
	struct record rec = {0};
	int got;
	while ((got = stream_next(s, &rec, err)) == 1) {
		enum touchlog_outcome outcome = TOUCHLOG_DONE;
		struct date until = {0, 0, 0};
		if (outcome_col >= 0 && read_outcome(&rec, outcome_col, until_col, &outcome, &until,
		                                     warn, warn_ctx, name) < 0)
			continue;
		if (read_row(log, &cache, b, &rec, col, outcome, until, name, warn, warn_ctx) &&
		    b->n == BATCH)
			flush_batch(log, b, name, warn, warn_ctx, each, ctx);
	}
	/* Rows read before an error are kept, as they always were. */
	flush_batch(log, b, name, warn, warn_ctx, each, ctx);
	buf_free(&b->bytes);
	free(b);
	record_free(&rec);
	stream_close(s);
	return got < 0 ? -1 : 0;
}

long
touchlog_client(const struct touchlog *log, const char *id)
{
	long client = log ? idtab_find(&log->ids, id, strlen(id)) : -1;
	if (client >= 0) {
		__builtin_prefetch(&log->clients[client], 1);
		if (log->pairs.slots)
			__builtin_prefetch(&log->pairs.slots[pair_home((uint32_t)client + 1, 0) &
			                                     log->pairs.mask]);
	}
	return client;
}

void
touchlog_find_clients(const struct touchlog *log, const char *const *ids, const size_t *lens,
                      size_t n, long *clients)
{
	uint32_t hash[TOUCHLOG_FIND_MAX];
	const char *id[TOUCHLOG_FIND_MAX];
	size_t len[TOUCHLOG_FIND_MAX];
	if (n > TOUCHLOG_FIND_MAX)
		n = TOUCHLOG_FIND_MAX;
	for (size_t i = 0; log && i < n; i++) {
		id[i] = ids[i];
		len[i] = lens[i];
		str_trim(&id[i], &len[i]);
		hash[i] = idtab_hash(id[i], len[i]);
		idtab_prefetch_slot(&log->ids, hash[i]);
	}
	for (size_t i = 0; log && i < n; i++)
		idtab_prefetch_record(&log->ids, hash[i]);
	for (size_t i = 0; i < n; i++) {
		long c = log && len[i] ? idtab_find_hashed(&log->ids, id[i], len[i], hash[i]) : -1;
		clients[i] = c;
		if (c < 0)
			continue;
		__builtin_prefetch(&log->clients[c], 1);
		if (log->pairs.slots)
			__builtin_prefetch(
			    &log->pairs.slots[pair_home((uint32_t)c + 1, 0) & log->pairs.mask]);
	}
}

/* The pair of client (a handle) and touch, or NULL. */
static const struct pairslot *
find_pair(const struct touchlog *log, long client, const char *touch)
{
	if (!log || client < 0 || (size_t)client >= idtab_count(&log->ids))
		return NULL;
	long t = strtab_lookup(&log->touches, touch);
	if (t < 0)
		return NULL;
	const struct pairslot *s = pairtab_slot(&log->pairs, (uint32_t)client + 1, (uint32_t)t);
	return s->client ? s : NULL;
}

bool
touchlog_client_last(const struct touchlog *log, long client, const char *touch, struct date *out)
{
	const struct pairslot *s = find_pair(log, client, touch);
	if (!s || !(s->bits & PAIR_DONE))
		return false;
	*out = date_from_days(s->day);
	return true;
}

bool
touchlog_client_state(const struct touchlog *log, long client, const char *touch,
                      struct touchlog_state *out)
{
	*out = (struct touchlog_state){0};
	const struct pairslot *s = find_pair(log, client, touch);
	if (!s)
		return false;
	if (s->bits & PAIR_DONE) {
		out->done = true;
		out->last_done = date_from_days(s->day);
		out->declined = s->bits & PAIR_DECLINED;
	}
	if (s->bits & PAIR_DEFERRED) {
		const struct deferslot *d =
		    defertab_slot(&log->defers, (uint64_t)s->client << 32 | pair_touch(s));
		out->deferred = true;
		out->defer = (enum touchlog_outcome)(s->bits >> PAIR_DEFER_SHIFT & 7);
		out->defer_date = date_from_days(d->day);
		if (touchlog_outcome_needs_until(out->defer))
			out->until = date_from_days(d->until);
	}
	return true;
}

bool
touchlog_client_any(const struct touchlog *log, long client, struct date *out)
{
	if (!log || client < 0 || (size_t)client >= idtab_count(&log->ids) ||
	    log->clients[client].day == NO_DAY)
		return false;
	*out = date_from_days(log->clients[client].day);
	return true;
}

bool
touchlog_last(const struct touchlog *log, const char *id, const char *touch, struct date *out)
{
	return touchlog_client_last(log, touchlog_client(log, id), touch, out);
}

bool
touchlog_last_any(const struct touchlog *log, const char *id, struct date *out)
{
	return touchlog_client_any(log, touchlog_client(log, id), out);
}

size_t
touchlog_rows(const struct touchlog *log)
{
	return log ? log->rows : 0;
}

size_t
touchlog_clients(const struct touchlog *log)
{
	return log ? idtab_count(&log->ids) : 0;
}

size_t
touchlog_pairs(const struct touchlog *log)
{
	return log ? log->pairs.n : 0;
}

/* ---- orphans -------------------------------------------------------------- */

void
touchlog_see(struct touchlog *log, const char *id, size_t len)
{
	str_trim(&id, &len);
	touchlog_see_client(log, log && len ? idtab_find(&log->ids, id, len) : -1);
}

void
touchlog_see_client(struct touchlog *log, long client)
{
	if (log && client >= 0 && (size_t)client < idtab_count(&log->ids))
		log->clients[client].rows |= CLIENT_SEEN;
}

/* How many names to show in an orphan warning before "and N more". */
enum { ORPHANS_SHOWN = 3 };

/* Append ", " or nothing, then name quoted or not, or count "and N more" once past the shown. */
static void
list_name(struct buf *b, size_t k, const char *name, bool quote)
{
	if (k >= ORPHANS_SHOWN)
		return;
	buf_printf(b, quote ? "%s\"%.60s\"" : "%s%.60s", k ? ", " : "", name);
}

void
touchlog_warn_orphans(const struct touchlog *log, const struct touchlog_orphans *o,
                      cs_warn_fn *warn, void *warn_ctx)
{
	if (!log || !warn)
		return;
	const char *where = o->name ? o->name : "the touch logs";
	struct buf list = {0};
	size_t ids = 0, rows = 0;
	bool by_id = !o->shard_n || !o->shard_by || strcmp(o->shard_by, "id") == 0;
	const char *id;
	size_t len, pos = 0;
	for (size_t i = 0; o->check_ids && by_id && idtab_each(&log->ids, &pos, &id, &len); i++) {
		if (log->clients[i].rows & CLIENT_SEEN)
			continue;
		if (o->shard_n && shard_of(id, len, o->shard_n) != o->shard_k)
			continue; /* another shard's client */
		if (o->archived && idtab_find(o->archived, id, len) >= 0)
			continue; /* removed on purpose */
		list_name(&list, ids++, id, false);
		rows += log->clients[i].rows;
	}
	if (ids > ORPHANS_SHOWN)
		buf_printf(&list, " and %zu more", ids - ORPHANS_SHOWN);
	/* Removed clients are the usual orphans: say how to tell them apart. */
	if (ids && o->archived)
		cs_warn(
		    warn, warn_ctx, NULL, 0,
		    "%s: %zu row%s for %zu client id%s neither the book nor the archive has: %s",
		    where, rows, rows == 1 ? "" : "s", ids, ids == 1 ? "" : "s", buf_str(&list));
	else if (ids)
		cs_warn(warn, warn_ctx, NULL, 0,
		        "%s: %zu row%s for %zu client id%s the book does not have: %s (removed "
		        "with cs-remove? give its archive with --archive)",
		        where, rows, rows == 1 ? "" : "s", ids, ids == 1 ? "" : "s",
		        buf_str(&list));
	buf_reset(&list);
	size_t names = 0;
	rows = 0;
	for (size_t t = 0; o->model && t < log->touches.n; t++) {
		const char *touch = strtab_key(&log->touches, t, NULL);
		if (model_find_touch(o->model, NULL, touch))
			continue;
		list_name(&list, names++, touch, true);
		rows += log->touch_rows[t];
	}
	if (names > ORPHANS_SHOWN)
		buf_printf(&list, " and %zu more", names - ORPHANS_SHOWN);
	if (names)
		cs_warn(warn, warn_ctx, NULL, 0,
		        "%s: %zu row%s with a touch no tier of the model has: %s", where, rows,
		        rows == 1 ? "" : "s", buf_str(&list));
	buf_free(&list);
}

/* ---- raising last_contact ------------------------------------------------ */

struct header *
touchlog_raise_bind(struct touchlog_raise *r, const struct header *in)
{
	struct header *out = header_copy(in);
	r->lc_col = header_ensure(out, "last_contact");
	r->id_col = header_find(out, "id");
	r->width = out->n;
	return out;
}

bool
touchlog_raise_last_contact(struct touchlog_raise *r, struct record *rec, const char *name)
{
	record_resize(rec, r->width);
	struct date logged, current;
	const char *id = r->id_col >= 0 ? record_get(rec, (size_t)r->id_col, NULL) : "";
	if (!*id || !touchlog_last_any(r->log, id, &logged))
		return false;
	size_t len;
	const char *s_lc = record_get(rec, r->lc_col, &len);
	char why[128], buf[16];
	bool blank = record_blank(rec, r->lc_col);
	bool ok = !blank &&
	          date_parse(s_lc, len, DATE_ORDER_YMD, 0, &current, why, sizeof why) == 0 &&
	          current.year != 0;
	if (!blank && !ok)
		cs_warn(r->warn, r->warn_ctx, name, rec->row,
		        "last_contact \"%.40s\" is not a date: replaced by %s from the log", s_lc,
		        date_format(logged, buf));
	if (ok && date_cmp(logged, current) <= 0)
		return false;
	record_set_str(rec, r->lc_col, date_format(logged, buf));
	r->raised++;
	return true;
}

/* ---- appending ---------------------------------------------------------- */

/* True if p starts with the line header (LF or CRLF). */
static bool
starts_with_line(const char *p, const char *header)
{
	size_t want = strlen(header);
	return strncmp(p, header, want) == 0 &&
	       (p[want] == '\n' || (p[want] == '\r' && p[want + 1] == '\n'));
}

/*
 * file_append_check_fn: the first line must be the log's header, new or
 * old; ctx (a bool) is set when it is the old one.
 */
static int
check_header(void *ctx, const char *path, int fd, off_t size, struct cs_error *err)
{
	(void)size;
	bool *old = ctx;
	char head[128];
	ssize_t n = pread(fd, head, sizeof head - 1, 0);
	if (n < 0)
		return cs_error_set(err, path, 0, "cannot read: %s", strerror(errno));
	head[n] = '\0';
	const char *p = strncmp(head, "\xef\xbb\xbf", 3) == 0 ? head + 3 : head;
	*old = starts_with_line(p, TOUCHLOG_HEADER_OLD);
	if (!*old && !starts_with_line(p, TOUCHLOG_HEADER)) {
		size_t line = strcspn(p, "\r\n");
		return cs_error_set(err, path, 0,
		                    "not a touch log: its first line is \"%.*s\", not \"%s\"",
		                    (int)(line > 60 ? 60 : line), p, TOUCHLOG_HEADER);
	}
	return 0;
}

int
touchlog_append(const char *path, const char *const *rows, size_t n, cs_warn_fn *warn,
                void *warn_ctx, struct cs_error *err)
{
	bool old = false;
	struct file_append *fa = file_append_open(path, "the touch log", FILE_APPEND_CREATE,
	                                          check_header, &old, warn, warn_ctx, err);
	if (!fa)
		return -1;
	if (file_append_ready(fa, err) < 0) {
		file_append_close(fa);
		return -1;
	}
	size_t ncols = old ? TOUCHLOG_COLUMNS_OLD : TOUCHLOG_COLUMNS;
	for (size_t i = 0; old && i < n; i++) {
		const char *outcome = rows[i * TOUCHLOG_COLUMNS + TOUCHLOG_OUTCOME];
		const char *until = rows[i * TOUCHLOG_COLUMNS + TOUCHLOG_UNTIL];
		enum touchlog_outcome o = TOUCHLOG_DONE;
		if (outcome)
			touchlog_outcome_parse(outcome, strlen(outcome), &o);
		if (o != TOUCHLOG_DONE || (until && *until)) {
			cs_error_set(
			    err, path, 0,
			    "the log has no outcome and until columns (its header is \"%s\"): "
			    "nothing logged; log outcomes to a new log (-f NEW.csv) and read "
			    "both (cs-due --log %s --log NEW.csv)",
			    TOUCHLOG_HEADER_OLD, path);
			file_append_close(fa);
			return -1;
		}
	}
	struct header h = {.n = ncols, .names = (char **)touchlog_column_names};
	struct buf bytes = {0};
	struct writer_options wo = {.no_header = !file_append_is_new(fa), .to = &bytes};
	struct writer *w = writer_open(NULL, &h, &wo);
	const char *row[TOUCHLOG_COLUMNS];
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < ncols; j++) {
			const char *v = rows[i * TOUCHLOG_COLUMNS + j];
			row[j] = v ? v : "";
		}
		writer_put_strings(w, row, ncols);
	}
	writer_close(w, path, NULL);
	int rc = file_append_write(fa, bytes.data, bytes.len, err);
	if (rc < 0)
		file_append_rollback(fa, NULL); /* a log this call created goes again */
	buf_free(&bytes);
	file_append_close(fa);
	return rc;
}
