/*
 * journal_replay.c - rebuild a book as it was, by undoing its journal.
 *
 * The book is read into memory (a replay is a rare, deliberate act, and
 * undoing a removal means putting a record back at its old place), then the
 * journal's lines about it that are later than the date asked for are
 * undone, the last run first.  Within a run, what the tool did is undone in
 * the reverse order of how it did it: field changes, then records it added,
 * then records it removed (put back at their old positions, lowest first,
 * which are positions in the book as the run read it), then columns it
 * added.
 *
 * Records live in slots that never move, found by id through a string
 * table; the book's order is a separate list of slots, so only adding and
 * removing records costs a move of that list.
 */
#include "journal_replay.h"

#include <stdlib.h>
#include <string.h>

#include "strtab.h"
#include "writer.h"

/* One line of the journal to undo. */
struct entry {
	char *run, *op, *id, *field, *old, *new;
	long at;
};

struct book {
	struct header *h;
	struct record *slot; /* by slot */
	size_t nslot, cap;
	size_t *order; /* the book's records, as slots */
	size_t n, ocap;
	struct strtab ids; /* id -> its key index; slot_of maps that to a slot */
	long *slot_of;
	size_t slot_of_cap;
	long id_col;
};

static char *
dup_field(const struct record *r, long col)
{
	size_t len = 0;
	const char *p = col >= 0 && (size_t)col < r->n ? record_get(r, (size_t)col, &len) : "";
	return xstrndup(p, len);
}

static void
index_id(struct book *b, const char *id, size_t len, long slot)
{
	long k = strtab_intern(&b->ids, id, len, NULL);
	if (k < 0)
		return;
	b->slot_of = xgrow(b->slot_of, &b->slot_of_cap, (size_t)k + 1, sizeof *b->slot_of);
	b->slot_of[k] = slot;
}

static long
find_slot(const struct book *b, const char *id)
{
	long k = strtab_lookup(&b->ids, id);
	return k < 0 ? -1 : b->slot_of[k];
}

static size_t
new_slot(struct book *b)
{
	b->slot = xgrow(b->slot, &b->cap, b->nslot + 1, sizeof *b->slot);
	record_init(&b->slot[b->nslot]);
	return b->nslot++;
}

static void
insert_at(struct book *b, size_t pos, size_t slot)
{
	b->order = xgrow(b->order, &b->ocap, b->n + 1, sizeof *b->order);
	if (pos > b->n)
		pos = b->n;
	memmove(b->order + pos + 1, b->order + pos, (b->n - pos) * sizeof *b->order);
	b->order[pos] = slot;
	b->n++;
}

static int
load_book(struct book *b, struct stream *in, struct cs_error *err)
{
	b->h = header_copy(stream_header(in));
	b->id_col = header_find(b->h, "id");
	strtab_init(&b->ids, false);
	int got;
	for (;;) {
		size_t s = new_slot(b);
		if ((got = stream_next(in, &b->slot[s], err)) != 1) {
			record_free(&b->slot[--b->nslot]);
			break;
		}
		insert_at(b, b->n, s);
		if (b->id_col >= 0) {
			size_t len = 0;
			const char *id = (size_t)b->id_col < b->slot[s].n
			                     ? record_get(&b->slot[s], (size_t)b->id_col, &len)
			                     : "";
			index_id(b, id, len, (long)s);
		}
	}
	return got < 0 ? -1 : 0;
}

static void
book_free(struct book *b)
{
	for (size_t i = 0; i < b->nslot; i++)
		record_free(&b->slot[i]);
	free(b->slot);
	free(b->order);
	free(b->slot_of);
	strtab_free(&b->ids);
	header_free(b->h);
}

static void
entry_free(struct entry *e)
{
	free(e->run);
	free(e->op);
	free(e->id);
	free(e->field);
	free(e->old);
	free(e->new);
}

/* True if a line stamped time is after as_of (a date: after that day). */
static bool
after(const char *time, const char *as_of)
{
	size_t n = strlen(as_of);
	if (n == 10)
		return strncmp(time, as_of, 10) > 0;
	return strcmp(time, as_of) > 0;
}

enum { K_TIME, K_FILE, K_RUN, K_OP, K_ID, K_FIELD, K_OLD, K_NEW, K_AT, NKEYS };
static const char *const keys[NKEYS] = {"time", "file", "run", "op", "id", "field", "old", "new", "at"};

/* The journal's lines about file later than as_of, in journal order. */
static int
load_entries(struct stream *j, const struct journal_replay_options *o, struct entry **out,
             size_t *n, struct cs_error *err)
{
	long col[NKEYS];
	for (int k = 0; k < NKEYS; k++)
		if ((col[k] = header_find(stream_header(j), keys[k])) < 0)
			return cs_error_set(err, stream_name(j), 1,
			                    "not a cs journal: it has no \"%s\" key", keys[k]);
	struct record r = {0};
	size_t cap = 0;
	int got;
	while ((got = stream_next(j, &r, err)) == 1) {
		char *time = dup_field(&r, col[K_TIME]), *file = dup_field(&r, col[K_FILE]);
		bool take = strcmp(file, o->file) == 0 && after(time, o->as_of);
		free(time);
		free(file);
		if (!take)
			continue;
		*out = xgrow(*out, &cap, *n + 1, sizeof **out);
		char *at = dup_field(&r, col[K_AT]);
		(*out)[(*n)++] = (struct entry){
		    dup_field(&r, col[K_RUN]), dup_field(&r, col[K_OP]),    dup_field(&r, col[K_ID]),
		    dup_field(&r, col[K_FIELD]), dup_field(&r, col[K_OLD]), dup_field(&r, col[K_NEW]),
		    *at ? strtol(at, NULL, 10) : -1,
		};
		free(at);
	}
	record_free(&r);
	return got < 0 ? -1 : 0;
}

static void
warn(const struct journal_replay_options *o, const char *fmt, const char *a, const char *b)
{
	if (!o->warn)
		return;
	struct cs_error w = {0};
	cs_error_set(&w, o->journal_name, 0, fmt, a, b);
	o->warn(o->warn_ctx, &w);
}

static void
undo_change(struct book *b, const struct entry *e, const struct journal_replay_options *o)
{
	long s = find_slot(b, e->id);
	long c = header_find(b->h, e->field);
	if (s < 0 || c < 0) {
		warn(o, "cannot undo a change of %s's %s: not in the book", e->id, e->field);
		return;
	}
	struct record *r = &b->slot[s];
	size_t len = 0;
	const char *cur = (size_t)c < r->n ? record_get(r, (size_t)c, &len) : "";
	if (len != strlen(e->new) || memcmp(cur, e->new, len) != 0)
		warn(o, "%s's %s is not what the journal says it became; set back all the same",
		     e->id, e->field);
	if ((size_t)c >= r->n)
		record_resize(r, b->h->n);
	record_set_str(r, (size_t)c, e->old);
}

static void
undo_add(struct book *b, const struct entry *e)
{
	long s = find_slot(b, e->id);
	if (s < 0)
		return;
	for (size_t i = 0; i < b->n; i++)
		if (b->order[i] == (size_t)s) {
			memmove(b->order + i, b->order + i + 1, (b->n - i - 1) * sizeof *b->order);
			b->n--;
			break;
		}
	long k = strtab_lookup(&b->ids, e->id);
	if (k >= 0)
		b->slot_of[k] = -1;
}

static int
cmp_at(const void *x, const void *y)
{
	const struct entry *const *a = x, *const *b = y;
	if ((*a)->at != (*b)->at)
		return (*a)->at < (*b)->at ? -1 : 1;
	return *a < *b ? -1 : *a > *b;
}

/* Put the records a run removed back, lowest position first. */
static void
undo_removes(struct book *b, struct entry *e, size_t n)
{
	struct entry **rm = xcalloc(n + 1, sizeof *rm);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(e[i].op, "remove") == 0)
			rm[k++] = &e[i];
	qsort(rm, k, sizeof *rm, cmp_at);
	for (size_t i = 0; i < k;) {
		size_t s = new_slot(b);
		record_resize(&b->slot[s], b->h->n);
		size_t j = i;
		for (; j < k && rm[j]->at == rm[i]->at && strcmp(rm[j]->id, rm[i]->id) == 0; j++) {
			long c = header_find(b->h, rm[j]->field);
			if (c >= 0)
				record_set_str(&b->slot[s], (size_t)c, rm[j]->old);
		}
		insert_at(b, (size_t)rm[i]->at, s);
		index_id(b, rm[i]->id, strlen(rm[i]->id), (long)s);
		i = j;
	}
	free(rm);
}

/* Drop column c from the header and every record. */
static void
drop_column(struct book *b, size_t c)
{
	struct header *h = header_new();
	for (size_t i = 0; i < b->h->n; i++)
		if (i != c)
			header_add(h, b->h->names[i]);
	struct record tmp = {0};
	for (size_t s = 0; s < b->nslot; s++) {
		struct record *r = &b->slot[s];
		record_clear(&tmp);
		for (size_t i = 0; i < r->n; i++) {
			size_t len = 0;
			const char *p = record_get(r, i, &len);
			if (i != c)
				record_push(&tmp, p, len);
		}
		record_copy(r, &tmp);
	}
	record_free(&tmp);
	header_free(b->h);
	b->h = h;
	b->id_col = header_find(h, "id");
}

static void
undo_run(struct book *b, struct entry *e, size_t n, const struct journal_replay_options *o)
{
	for (size_t i = n; i-- > 0;)
		if (strcmp(e[i].op, "change") == 0)
			undo_change(b, &e[i], o);
	for (size_t i = n; i-- > 0;)
		if (strcmp(e[i].op, "add") == 0)
			undo_add(b, &e[i]);
	undo_removes(b, e, n);
	for (size_t i = n; i-- > 0;) {
		if (strcmp(e[i].op, "column") != 0)
			continue;
		long c = header_find(b->h, e[i].field);
		if (c >= 0)
			drop_column(b, (size_t)c);
	}
}

long
journal_replay(struct stream *journal, struct stream *book, const struct journal_replay_options *o,
               FILE *out, struct cs_error *err)
{
	struct book b = {0};
	struct entry *e = NULL;
	size_t n = 0;
	long rc = -1;
	if (load_book(&b, book, err) < 0 || load_entries(journal, o, &e, &n, err) < 0)
		goto done;
	/* The last run first: runs are runs of equal "run" in the journal. */
	for (size_t end = n; end > 0;) {
		size_t start = end - 1;
		while (start > 0 && strcmp(e[start - 1].run, e[end - 1].run) == 0)
			start--;
		undo_run(&b, e + start, end - start, o);
		end = start;
	}
	struct writer *w = writer_new(out, o->format != STREAM_AUTO ? o->format : stream_format(book),
	                              b.h, 0);
	for (size_t i = 0; i < b.n; i++)
		writer_put(w, &b.slot[b.order[i]]);
	rc = writer_close(w, o->output_name, err) < 0 ? -1 : (long)n;
done:
	for (size_t i = 0; i < n; i++)
		entry_free(&e[i]);
	free(e);
	book_free(&b);
	return rc;
}
