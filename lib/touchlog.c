/*
 * touchlog.c - an index of the touch log: latest date per client and per
 * (client, touch).
 *
 * Three small open-addressing hash tables with linear probing, each a power
 * of two in size and kept at most three-quarters full:
 *
 *  - clients: interns each client id once (its bytes in one arena) and
 *    keeps the latest date of any touch beside it;
 *  - touches: interns touch names (case-folded hashing and comparison), of
 *    which a model has a handful;
 *  - pairs: a 64-bit key (client index + 1, touch index) to the latest date.
 *
 * Interning first and keying the pairs by two integers means an id is stored
 * once however many touches it has, and a pair costs 16 bytes: a million-row
 * log fits in a few tens of megabytes.  The string tables keep their entries
 * dense; a slot holds an entry's index, its key's 32-bit hash and a short key
 * itself, so probing stays inside the slot array and a lookup is one cache
 * miss.
 * Lookups in a large log are cache misses, so a caller asking about several
 * touches of one client finds the client once (touchlog_client) and then
 * asks by its handle, and a pair's home slot is its client's, so the touches
 * of one client sit side by side.  Large tables ask for huge pages, where
 * Linux offers them: random lookups otherwise miss the TLB as well.
 *
 * The index's two users that write live here too: touchlog_append adds
 * rows to the log under its lock, and touchlog_raise_last_contact folds the
 * index back into a book, record by record.
 */
#include "touchlog.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"
#include "hash.h"
#include "model.h"
#include "shard.h"
#include "strtab.h"
#include "writer.h"

const char *const touchlog_column_names[TOUCHLOG_COLUMNS] = {
    "date", "id", "touch", "channel", "by", "note", "outcome", "until"};

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

/* What a pair slot holds (flags). */
enum { PAIR_DONE = 1, PAIR_DECLINED = 2, PAIR_DEFERRED = 4 };

/* Day numbers fit in 32 bits for any date (years 1 to 9999). */
struct pairslot {
	uint64_t key;      /* (client + 1) << 32 | touch; 0: empty */
	int32_t day;       /* the latest done (or declined) entry, as a day number */
	int32_t defer_day; /* the latest deferring entry */
	int32_t until_day; /* its until date (scheduled, snoozed) */
	uint8_t defer;     /* its enum touchlog_outcome */
	uint8_t flags;     /* PAIR_* */
};

struct pairtab {
	struct pairslot *slots;
	size_t mask, n;
};

static uint64_t
pair_key(long client, long touch)
{
	return ((uint64_t)(client + 1) << 32) | (uint64_t)touch;
}

/*
 * A pair's home slot is its client's hash plus the touch's index, so the
 * few touches of one client sit side by side: asking about all of them
 * costs one cache miss, not one each.
 */
static struct pairslot *
pairtab_slot(const struct pairtab *t, uint64_t key)
{
	for (size_t i = (hash_mix64(key >> 32) + (key & 0xffffffffu)) & t->mask;;
	     i = (i + 1) & t->mask)
		if (t->slots[i].key == key || t->slots[i].key == 0)
			return &t->slots[i];
}

static void
pairtab_grow(struct pairtab *t)
{
	struct pairtab bigger = {.mask = t->slots ? t->mask * 2 + 1 : 63, .n = t->n};
	bigger.slots = xcalloc_table((bigger.mask + 1) * sizeof *bigger.slots);
	if (t->slots)
		for (size_t i = 0; i <= t->mask; i++)
			if (t->slots[i].key)
				*pairtab_slot(&bigger, t->slots[i].key) = t->slots[i];
	free(t->slots);
	*t = bigger;
}

/* The slot of key, added (empty) when new. */
static struct pairslot *
pairtab_entry(struct pairtab *t, uint64_t key)
{
	if (!t->slots || (t->n + 1) * 4 > (t->mask + 1) * 3)
		pairtab_grow(t);
	struct pairslot *s = pairtab_slot(t, key);
	if (s->key == 0) {
		*s = (struct pairslot){.key = key};
		t->n++;
	}
	return s;
}

/* Fold an entry of day with outcome (and until_day) into s: the latest of each kind wins. */
static void
pairslot_raise(struct pairslot *s, long day, enum touchlog_outcome outcome, long until_day)
{
	if (outcome == TOUCHLOG_DONE || outcome == TOUCHLOG_DECLINED) {
		if (!(s->flags & PAIR_DONE) || day >= s->day) {
			/* A later row of the same day says what happened last. */
			bool later = !(s->flags & PAIR_DONE) || day > s->day;
			s->day = (int32_t)day;
			s->flags |= PAIR_DONE;
			if (outcome == TOUCHLOG_DECLINED)
				s->flags |= PAIR_DECLINED;
			else if (later || outcome == TOUCHLOG_DONE)
				s->flags &= (uint8_t)~PAIR_DECLINED;
		}
	} else if (!(s->flags & PAIR_DEFERRED) || day >= s->defer_day) {
		s->defer_day = (int32_t)day;
		s->until_day = (int32_t)until_day;
		s->defer = (uint8_t)outcome;
		s->flags |= PAIR_DEFERRED;
	}
}

/* ---- the log ----------------------------------------------------------- */

struct touchlog {
	struct strtab clients;
	long *client_day; /* latest touch done of any kind, per client index; NO_DAY: none */
	size_t client_day_cap;
	uint32_t *client_rows; /* rows per client, for the orphan warning */
	size_t client_rows_cap;
	uint8_t *seen; /* per client: in the book (touchlog_see); NULL until the first */
	size_t seen_cap;
	struct strtab touches;
	uint32_t *touch_rows; /* rows per touch name */
	size_t touch_rows_cap;
	struct pairtab pairs;
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
	strtab_free(&log->clients);
	strtab_free(&log->touches);
	free(log->client_day);
	free(log->client_rows);
	free(log->seen);
	free(log->touch_rows);
	free(log->pairs.slots);
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

/* client_day of a client whose entries all defer: nothing done. */
#define NO_DAY LONG_MIN

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
	long day = date_to_days(date);
	bool new_client, new_touch;
	long client = strtab_intern(&log->clients, id, id_len, &new_client);
	long t = strtab_intern(&log->touches, touch, touch_len, &new_touch);
	if (client < 0 || t < 0)
		return;
	log->rows++;
	if (new_touch) {
		log->touch_rows = xgrow(log->touch_rows, &log->touch_rows_cap, (size_t)t + 1,
		                        sizeof *log->touch_rows);
		log->touch_rows[t] = 0;
	}
	log->touch_rows[t]++;
	bool done = outcome == TOUCHLOG_DONE || outcome == TOUCHLOG_DECLINED;
	if (new_client) {
		log->client_day = xgrow(log->client_day, &log->client_day_cap, (size_t)client + 1,
		                        sizeof *log->client_day);
		log->client_day[client] = done ? day : NO_DAY;
		log->client_rows = xgrow(log->client_rows, &log->client_rows_cap,
		                         (size_t)client + 1, sizeof *log->client_rows);
		log->client_rows[client] = 1;
	} else {
		log->client_rows[client]++;
		if (done && day > log->client_day[client])
			log->client_day[client] = day;
	}
	pairslot_raise(pairtab_entry(&log->pairs, pair_key(client, t)), day, outcome,
	               until.year ? date_to_days(until) : 0);
}

/* Report a row through warn (may be NULL), as "file:row: msg". */
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
	if (until_len == 0 || date_parse(u, until_len, DATE_ORDER_YMD, 0, until, why, sizeof why) < 0 ||
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
	struct record rec = {0};
	int got;
	while ((got = stream_next(s, &rec, err)) == 1) {
		enum touchlog_outcome outcome = TOUCHLOG_DONE;
		struct date until = {0, 0, 0};
		if (outcome_col >= 0 &&
		    read_outcome(&rec, outcome_col, until_col, &outcome, &until, warn, warn_ctx,
		                 name) < 0)
			continue;
		size_t date_len, id_len, touch_len;
		const char *date_s = record_get(&rec, (size_t)col[0], &date_len);
		const char *id = record_get(&rec, (size_t)col[1], &id_len);
		const char *touch = record_get(&rec, (size_t)col[2], &touch_len);
		trim(&id, &id_len);
		trim(&touch, &touch_len);
		struct date d;
		char why[128];
		if (id_len == 0) {
			cs_warn(warn, warn_ctx, name, rec.row, "no client id: row skipped");
		} else if (touch_len == 0) {
			cs_warn(warn, warn_ctx, name, rec.row, "no touch: row skipped");
		} else if (date_parse(date_s, date_len, DATE_ORDER_YMD, 0, &d, why, sizeof why) <
		           0) {
			bool plain = strcmp(why, "not a date") == 0;
			cs_warn(warn, warn_ctx, name, rec.row,
			         "date \"%.40s\" is not a date%s%s%s: row skipped", date_s,
			         plain ? "" : " (", plain ? "" : why, plain ? "" : ")");
		} else if (d.year == 0) {
			cs_warn(warn, warn_ctx, name, rec.row,
			         "date \"%.40s\" has no year: row skipped", date_s);
		} else {
			touchlog_add_entry(log, id, id_len, touch, touch_len, d, outcome, until);
			if (each)
				each(ctx, id, id_len, touch, touch_len, d, outcome);
		}
	}
	record_free(&rec);
	stream_close(s);
	return got < 0 ? -1 : 0;
}

long
touchlog_client(const struct touchlog *log, const char *id)
{
	return log ? strtab_lookup(&log->clients, id) : -1;
}

bool
touchlog_client_last(const struct touchlog *log, long client, const char *touch, struct date *out)
{
	if (!log || client < 0 || (size_t)client >= log->clients.n)
		return false;
	long t = strtab_lookup(&log->touches, touch);
	if (t < 0)
		return false;
	const struct pairslot *s = pairtab_slot(&log->pairs, pair_key(client, t));
	if (s->key == 0 || !(s->flags & PAIR_DONE))
		return false;
	*out = date_from_days(s->day);
	return true;
}

bool
touchlog_client_state(const struct touchlog *log, long client, const char *touch,
                      struct touchlog_state *out)
{
	*out = (struct touchlog_state){0};
	if (!log || client < 0 || (size_t)client >= log->clients.n)
		return false;
	long t = strtab_lookup(&log->touches, touch);
	if (t < 0)
		return false;
	const struct pairslot *s = pairtab_slot(&log->pairs, pair_key(client, t));
	if (s->key == 0)
		return false;
	if (s->flags & PAIR_DONE) {
		out->done = true;
		out->last_done = date_from_days(s->day);
		out->declined = s->flags & PAIR_DECLINED;
	}
	if (s->flags & PAIR_DEFERRED) {
		out->deferred = true;
		out->defer = (enum touchlog_outcome)s->defer;
		out->defer_date = date_from_days(s->defer_day);
		if (touchlog_outcome_needs_until(out->defer))
			out->until = date_from_days(s->until_day);
	}
	return true;
}

bool
touchlog_client_any(const struct touchlog *log, long client, struct date *out)
{
	if (!log || client < 0 || (size_t)client >= log->clients.n ||
	    log->client_day[client] == NO_DAY)
		return false;
	*out = date_from_days(log->client_day[client]);
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
	return log ? log->clients.n : 0;
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
	long client = log && len ? strtab_find(&log->clients, id, len) : -1;
	if (client < 0)
		return;
	if (!log->seen) {
		log->seen_cap = log->clients.n;
		log->seen = xcalloc(log->seen_cap, 1);
	}
	if ((size_t)client < log->seen_cap) /* clients added after the book was read are never seen */
		log->seen[client] = 1;
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
	for (size_t i = 0; o->check_ids && by_id && i < log->clients.n; i++) {
		if (i < log->seen_cap && log->seen[i])
			continue;
		size_t len;
		const char *id = strtab_key(&log->clients, i, &len);
		if (o->shard_n && shard_of(id, len, o->shard_n) != o->shard_k)
			continue; /* another shard's client */
		list_name(&list, ids++, id, false);
		rows += log->client_rows[i];
	}
	if (ids > ORPHANS_SHOWN)
		buf_printf(&list, " and %zu more", ids - ORPHANS_SHOWN);
	if (ids)
		cs_warn(warn, warn_ctx, NULL, 0,
		        "%s: %zu row%s for %zu client id%s the book does not have: %s", where,
		        rows, rows == 1 ? "" : "s", ids, ids == 1 ? "" : "s", buf_str(&list));
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
			cs_error_set(err, path, 0,
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
