/*
 * due_runs.c - cs-due's list in bounded memory, and the merge of lists
 * made from shards (due_runs.h).
 *
 * A run is written as cs-due's own CSV (CSV is the fast path between
 * tools) and read back with due_reader.  Its file has no name
 * (runsort_tmpfile): it is held open from its first row until its reader
 * has opened it again, and closing it is its end, so no run outlives the
 * process that made it, on any way out, kill -9 included.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "due_runs.h"
#include "runsort.h"

/* ---- sources of sorted items ---------------------------------------------------- */

/* One sorted input of a merge: a list that cs-due wrote, or a list in memory. */
struct source {
	struct due_reader *reader; /* or: */
	const struct due_list *list;
	size_t at;
	/* The head: an item and the list whose strings it uses. */
	const struct due_item *head;
	const struct due_list *head_list;
	/* Inputs we did not write are checked for order against the previous head. */
	bool check;
	struct due_list prev;
	const char *name;
};

static int
source_next(void *p, struct cs_error *err)
{
	struct source *s = p;
	if (s->list) {
		if (s->at == s->list->n)
			return 0;
		s->head = &s->list->items[s->at++];
		s->head_list = s->list;
		return 1;
	}
	if (s->check && s->head) {
		/* Keep the head to compare the next one with. */
		due_list_clear(&s->prev, NULL);
		due_list_append(&s->prev, s->head_list, s->head);
		due_list_sort(&s->prev, DUE_ORDER_STREAM);
	}
	int got = due_reader_next(s->reader, err);
	if (got != 1)
		return got;
	s->head_list = due_reader_list(s->reader);
	s->head = &s->head_list->items[0];
	if (s->check && s->prev.n && due_item_cmp(&s->prev.items[0], s->head) > 0)
		return cs_error_set(err, s->name, due_reader_row(s->reader),
		                    "the list is not in cs-due's order (by, tier, due, name): "
		                    "%s's %s for %s comes after %s's %s for %s; merge lists as "
		                    "cs-due -c or -j wrote them",
		                    s->head->by, s->head->touch->name, s->head->name,
		                    s->prev.items[0].by, s->prev.items[0].touch->name,
		                    s->prev.items[0].name);
	return 1;
}

static int
source_cmp(const void *pa, const void *pb, void *ctx)
{
	(void)ctx;
	const struct source *a = pa, *b = pb;
	return due_item_cmp(a->head, b->head);
}

static void
source_free(struct source *s)
{
	due_reader_close(s->reader);
	due_list_free(&s->prev);
}

/*
 * The rows of the merge, opened at the first item so that nothing at all
 * is written when there is none.
 */
struct sink {
	FILE *out;
	enum stream_format format;
	bool households;
	struct due_rows *rows;
	/* Or into a list (due_merge_load). */
	struct due_list *list;
};

static void
sink_put(struct sink *k, const struct due_list *l, const struct due_item *d)
{
	if (k->list) {
		due_list_append(k->list, l, d);
		return;
	}
	if (!k->rows)
		k->rows = due_rows_open(k->out, k->format, k->households, false, false);
	due_rows_put(k->rows, l, d);
}

static int
sink_close(struct sink *k, const char *name, struct cs_error *err)
{
	return k->rows ? due_rows_close(k->rows, name, err) : 0;
}

/* Merge the sources[0..n) into k.  Returns 0, or -1 with err filled. */
static int
merge(struct source *sources, size_t n, struct sink *k, struct cs_error *err)
{
	void **v = xcalloc(n ? n : 1, sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = &sources[i];
	struct runsort_merge *m = runsort_merge_new(v, n, source_next, source_cmp, NULL);
	long i;
	while ((i = runsort_merge_next(m, err)) >= 0)
		sink_put(k, sources[i].head_list, sources[i].head);
	runsort_merge_free(m);
	free(v);
	return i == -2 ? -1 : 0;
}

/* ---- runs ---------------------------------------------------------------------- */

struct due_runs {
	size_t budget;
	const struct model *m;
	/*
	 * --sorted-by owner: the owner whose records are coming in (and the
	 * book), the run that takes each owner's items when the next owner
	 * comes, and the role items (a fixed "by") held apart, spilled past
	 * the budget like the list.
	 */
	bool sorted;
	bool refused; /* a book out of order: nothing more is listed */
	struct buf owner;
	bool have_owner;
	const struct due_book *book;
	FILE *owner_file;
	char *owner_path;
	struct sink owner_sink;
	struct due_list held;
	char **paths; /* every run's name (/dev/fd/N) */
	FILE **files; /* and its file, held open until read: NULL once closed */
	size_t npaths, cap, fcap;
	size_t first; /* paths[first..npaths) are the runs still to merge */
	bool households;
};

struct due_runs *
due_runs_new(size_t budget, const struct model *m, bool sorted_by_owner)
{
	struct due_runs *r = xcalloc(1, sizeof *r);
	r->budget = budget;
	r->m = m;
	r->sorted = sorted_by_owner;
	return r;
}

size_t
due_runs_count(const struct due_runs *r)
{
	return r->npaths + (r->owner_file != NULL) + (r->held.n > 0) + r->refused;
}

/* A new run file for k's rows; returns 0, or -1 with err filled. */
static int
run_open(struct due_runs *r, struct sink *k, struct cs_error *err)
{
	char *path;
	FILE *f = runsort_tmpfile(&path, err);
	if (!f)
		return -1;
	r->paths = xgrow(r->paths, &r->cap, r->npaths + 1, sizeof *r->paths);
	r->files = xgrow(r->files, &r->fcap, r->npaths + 1, sizeof *r->files);
	r->files[r->npaths] = f;
	r->paths[r->npaths++] = path;
	*k = (struct sink){.out = f, .format = STREAM_CSV, .households = r->households};
	return 0;
}

/*
 * End the writing of the run of k (its file is the last one), which stays
 * open to be read.  Returns 0, or -1 with err filled.
 */
static int
run_close(struct due_runs *r, struct sink *k, int rc, struct cs_error *err)
{
	const char *path = r->paths[r->npaths - 1];
	if (sink_close(k, path, rc < 0 ? NULL : err) < 0)
		rc = -1;
	if ((fflush(k->out) != 0 || ferror(k->out)) && rc == 0)
		rc = cs_error_set(err, path, 0, "cannot write a sorted run: %s", strerror(errno));
	return rc;
}

/* Open the runs paths[from..to) as sources, and close their files (the readers hold them). */
static int
runs_sources(struct due_runs *r, size_t from, size_t to, struct source *s, struct cs_error *err)
{
	for (size_t i = from; i < to; i++) {
		s[i - from] = (struct source){.name = r->paths[i]};
		s[i - from].reader = due_reader_open(r->paths[i], r->m, err);
		if (!s[i - from].reader)
			return -1;
		fclose(r->files[i]);
		r->files[i] = NULL;
	}
	return 0;
}

/* Merge every run into one, so at most DUE_RUNS_FAN_IN are ever open at once. */
static int
runs_fold(struct due_runs *r, struct cs_error *err)
{
	size_t from = r->first, to = r->npaths, n = to - from;
	struct source *s = xcalloc(n, sizeof *s);
	struct sink k;
	int rc = runs_sources(r, from, to, s, err);
	if (rc == 0 && (rc = run_open(r, &k, err)) == 0)
		rc = run_close(r, &k, merge(s, n, &k, err), err);
	for (size_t i = 0; i < n; i++)
		source_free(&s[i]);
	free(s);
	r->first = to;
	return rc;
}

/* Sort l, write it as a run and empty it (keeping b's household members). */
static int
spill(struct due_runs *r, struct due_list *l, struct due_book *b, struct cs_error *err)
{
	if (r->npaths - r->first >= DUE_RUNS_FAN_IN && runs_fold(r, err) < 0)
		return -1;
	r->households = l->households;
	due_list_sort(l, DUE_ORDER_STREAM);
	struct sink k;
	if (run_open(r, &k, err) < 0)
		return -1;
	for (size_t i = 0; i < l->n; i++)
		sink_put(&k, l, &l->items[i]);
	int rc = run_close(r, &k, 0, err);
	due_list_clear(l, b);
	return rc;
}

/* End the owner run (of one book): it joins the runs to merge. */
static int
owner_run_end(struct due_runs *r, struct cs_error *err)
{
	if (!r->owner_file)
		return 0;
	if (r->npaths - r->first >= DUE_RUNS_FAN_IN && runs_fold(r, err) < 0)
		return -1;
	r->paths = xgrow(r->paths, &r->cap, r->npaths + 1, sizeof *r->paths);
	r->files = xgrow(r->files, &r->fcap, r->npaths + 1, sizeof *r->files);
	r->files[r->npaths] = r->owner_file;
	r->paths[r->npaths++] = r->owner_path;
	r->owner_file = NULL;
	r->owner_path = NULL;
	return run_close(r, &r->owner_sink, 0, err);
}

/*
 * The owner's records are all in: write the owner's own items (no fixed
 * "by") to the owner run, in order, and move the role items to r->held;
 * keep in l only the items of the record just added (the next owner's).
 * Returns 0, or -1 with err filled.
 */
static int
owner_done(struct due_runs *r, struct due_list *l, struct due_book *b, const char *owner,
           struct cs_error *err)
{
	r->households = l->households;
	r->held.households = l->households;
	if (!r->owner_file) {
		if (!(r->owner_file = runsort_tmpfile(&r->owner_path, err)))
			return -1;
		r->owner_sink = (struct sink){
		    .out = r->owner_file, .format = STREAM_CSV, .households = r->households};
	}
	due_list_sort(l, DUE_ORDER_STREAM);
	struct due_list next = {0};
	for (size_t i = 0; i < l->n; i++) {
		const struct due_item *d = &l->items[i];
		if (d->touch->by)
			due_list_append(&r->held, l, d);
		else if (strcmp(due_str(l, d, DUE_OWNER), owner) == 0)
			due_list_append(&next, l, d);
		else
			sink_put(&r->owner_sink, l, d);
	}
	due_list_clear(l, b);
	for (size_t i = 0; i < next.n; i++)
		due_list_append(l, &next, &next.items[i]);
	due_list_free(&next);
	if (due_list_bytes(&r->held) > r->budget)
		return spill(r, &r->held, NULL, err);
	return 0;
}

/*
 * --sorted-by owner, after each record: refuse a record whose owner sorts
 * before the one before it; when the owner changes, move the last owner's
 * items out (owner_done).
 */
static int
sorted_check(struct due_runs *r, struct due_list *l, struct due_book *b, struct cs_error *err)
{
	long row;
	const char *name;
	const char *owner = due_book_last_owner(b, &row, &name);
	if (b != r->book) {
		/* A new book is sorted on its own: its items make a run of their own. */
		if (owner_run_end(r, err) < 0)
			return -1;
		r->book = b;
		r->have_owner = false;
	}
	int c = r->have_owner ? strcmp(owner, r->owner.data) : 1;
	if (c < 0) {
		r->refused = true;
		due_list_clear(l, b);
		return cs_error_set(
		    err, name, row,
		    "the book is not sorted by owner (--sorted-by owner): \"%s\" comes "
		    "after \"%s\"; sort it by owner in byte order (as LC_ALL=C sort "
		    "does) or leave out --sorted-by",
		    owner, r->owner.data);
	}
	if (c > 0 && r->have_owner && r->budget && owner_done(r, l, b, owner, err) < 0)
		return -1;
	if (c > 0) {
		buf_reset(&r->owner);
		buf_puts(&r->owner, owner);
		r->have_owner = true;
	}
	return 0;
}

int
due_runs_check(struct due_runs *r, struct due_list *l, struct due_book *b, struct cs_error *err)
{
	if (r->refused) {
		due_list_clear(l, b); /* a book out of order lists nothing */
		return 0;
	}
	if (r->sorted && sorted_check(r, l, b, err) < 0)
		return -1;
	if (!r->budget || due_list_bytes(l) <= r->budget)
		return 0;
	return spill(r, l, b, err);
}

int
due_runs_write(struct due_runs *r, struct due_list *l, FILE *out, enum stream_format format,
               const char *name, struct cs_error *err)
{
	if (r->refused)
		return 0; /* said when the book was read: no list at all, never a wrong one */
	if (owner_run_end(r, err) < 0)
		return -1;
	due_list_sort(l, DUE_ORDER_STREAM);
	due_list_sort(&r->held, DUE_ORDER_STREAM);
	size_t n = r->npaths - r->first;
	struct source *s = xcalloc(n + 2, sizeof *s);
	struct sink k = {.out = out, .format = format, .households = l->households};
	int rc = runs_sources(r, r->first, r->npaths, s, err);
	if (rc == 0) {
		/* The list, then the role items held apart: each sorted, in memory. */
		s[n] = (struct source){.list = l};
		s[n + 1] = (struct source){.list = &r->held};
		rc = merge(s, n + 2, &k, err);
	}
	if (sink_close(&k, name, rc < 0 ? NULL : err) < 0)
		rc = -1;
	for (size_t i = 0; i < n + 2; i++)
		source_free(&s[i]);
	free(s);
	return rc;
}

void
due_runs_free(struct due_runs *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->npaths; i++) {
		if (r->files[i])
			fclose(r->files[i]); /* a run never read: this is its end */
		free(r->paths[i]);
	}
	free(r->paths);
	free(r->files);
	if (r->owner_file) {
		if (r->owner_sink.rows)
			sink_close(&r->owner_sink, r->owner_path, NULL);
		fclose(r->owner_file);
	}
	free(r->owner_path);
	buf_free(&r->owner);
	due_list_free(&r->held);
	free(r);
}

/* ---- --merge --------------------------------------------------------------------- */

/*
 * Open the lists into s[0..n); the sink takes the first non-empty list's
 * format (unless one is given) and columns, and every non-empty list must
 * have the same columns.  Returns 0, or -1 with err filled.
 */
static int
lists_open(char *const *paths, size_t n, const struct model *m, struct source *s, struct sink *k,
           struct cs_error *err)
{
	const char *first = NULL;
	for (size_t i = 0; i < n; i++) {
		s[i] = (struct source){.name = paths[i], .check = true};
		if (!(s[i].reader = due_reader_open(paths[i], m, err)))
			return -1;
		enum stream_format f = due_reader_format(s[i].reader);
		if (f == STREAM_AUTO)
			continue; /* empty: nothing was due in that shard */
		bool households = due_reader_households(s[i].reader);
		if (!first) {
			first = paths[i];
			k->households = households;
			if (k->format == STREAM_AUTO)
				k->format = f;
		} else if (households != k->households) {
			return cs_error_set(err, paths[i], 1,
			                    "%s a household column and %s %s: lists made with "
			                    "different models cannot be merged",
			                    households ? "has" : "has no", first,
			                    households ? "has none" : "has one");
		}
	}
	return 0;
}

static int
lists_merge(char *const *paths, size_t n, const struct model *m, struct sink *k,
            struct cs_error *err)
{
	struct source *s = xcalloc(n ? n : 1, sizeof *s);
	int rc = lists_open(paths, n, m, s, k, err);
	if (rc == 0)
		rc = merge(s, n, k, err);
	for (size_t i = 0; i < n; i++)
		source_free(&s[i]);
	free(s);
	return rc;
}

int
due_merge_write(char *const *paths, size_t n, const struct model *m, FILE *out,
                enum stream_format format, const char *name, struct cs_error *err)
{
	struct sink k = {.out = out, .format = format};
	int rc = lists_merge(paths, n, m, &k, err);
	if (sink_close(&k, name, rc < 0 ? NULL : err) < 0)
		rc = -1;
	return rc;
}

int
due_merge_load(char *const *paths, size_t n, const struct model *m, struct due_list *l,
               struct cs_error *err)
{
	struct sink k = {.list = l, .format = STREAM_CSV};
	int rc = lists_merge(paths, n, m, &k, err);
	l->households = k.households;
	return rc;
}
