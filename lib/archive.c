/*
 * archive.c - the archive of removed clients: appended to, never rewritten.
 *
 * The archive is the record of last resort, so it is a locked append
 * (file.h): locked for the whole run (two runs on one archive take turns
 * instead of interleaving rows), fsynced before cs-remove lets the kept
 * records go anywhere, and undoable, so a step that fails afterwards (the
 * in-place rename, a full disk on stdout) can cut the new rows off again:
 * either the removed records are in the archive and gone from the book, or
 * the archive is as it was.
 *
 * A new archive is created only when there is something to put in it, so a
 * run that removes nobody leaves no empty file behind.
 *
 * A run killed after the archive's fsync but before the book was rewritten
 * leaves the records in both.  So a re-run does not archive the same record
 * twice: a record identical, in every column of the book, to one the
 * archive already holds is not appended again (counted, so it is said).
 * Matching on all the book's columns, not the id alone, means a client
 * whose record changed since is archived again, as it is now; the date,
 * reason and partner are left out, as a re-run may fall on another day.
 * Each archived row pairs with at most one record, so two identical records
 * in the book need two in the archive.  This reads the archive whole at
 * every run (a stream), with only a hash of each removed record's key in
 * memory: the records themselves are in the plan's spool, read back to
 * tell equal hashes apart, so memory stays a few bytes a record however
 * many are removed.
 *
 * Ownership: struct archive owns its file_append (and so the lock) until
 * archive_close; its path and header are borrowed from the caller.
 */
#include "archive.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "file.h"
#include "hash.h"
#include "idtab.h"
#include "stream.h"
#include "writer.h"

static const char *const archive_cols[] = {"removed_on", "reason", "partner", "retain_until"};
enum { NARCHIVE_COLS = sizeof archive_cols / sizeof *archive_cols };

struct header *
archive_header(const struct header *h, const char *name, struct cs_error *err)
{
	for (size_t i = 0; i < NARCHIVE_COLS; i++)
		if (header_find(h, archive_cols[i]) >= 0) {
			cs_error_set(
			    err, name, 1,
			    "the book already has a \"%s\" column, which cs-remove adds to "
			    "archived records (removed_on, reason, partner, retain_until): rename "
			    "it first",
			    archive_cols[i]);
			return NULL;
		}
	struct header *a = header_copy(h);
	for (size_t i = 0; i < NARCHIVE_COLS; i++)
		header_add(a, archive_cols[i]);
	return a;
}

struct archive {
	const char *path;
	const struct header *h;
	struct header *legacy; /* an old archive's columns (no retain_until), or NULL */
	enum stream_format format;
	struct file_append *file;
};

/* The columns rows are appended with: the archive's own. */
static const struct header *
columns(const struct archive *a)
{
	return a->legacy ? a->legacy : a->h;
}

/* True if have is want without its last column: an archive from before retain_until. */
static bool
is_legacy(const struct header *have, const struct header *want)
{
	if (have->n + 1 != want->n)
		return false;
	for (size_t i = 0; i < have->n; i++)
		if (strcmp(have->names[i], want->names[i]) != 0)
			return false;
	return true;
}

/* Describe how the archive's columns differ from h, for the refusal. */
static void
describe_difference(const struct header *have, const struct header *want, char *msg, size_t size)
{
	size_t i = 0;
	while (i < have->n && i < want->n && strcmp(have->names[i], want->names[i]) == 0)
		i++;
	if (i < have->n && i < want->n)
		snprintf(msg, size, "its column %zu is \"%s\" where this run writes \"%s\"", i + 1,
		         have->names[i], want->names[i]);
	else if (i < want->n)
		snprintf(msg, size, "it has %zu columns where this run writes %zu (next: \"%s\")",
		         have->n, want->n, want->names[i]);
	else
		snprintf(msg, size,
		         "it has %zu columns where this run writes %zu (first extra: "
		         "\"%s\")",
		         have->n, want->n, have->names[i]);
}

/*
 * file_append_check_fn: an existing archive keeps its format, and its
 * header must be the one this run writes (and a CSV one comma-separated).
 */
static int
check_archive(void *ctx, const char *path, int fd, off_t size, struct cs_error *err)
{
	struct archive *a = ctx;
	char head[4096];
	ssize_t got = pread(fd, head, sizeof head, 0);
	if (got < 0)
		return cs_error_set(err, path, 0, "cannot read the archive: %s", strerror(errno));
	bool blank = got == size;
	for (ssize_t i = 0; i < got && blank; i++)
		blank = strchr(" \t\r\n", head[i]) != NULL;
	if (blank) /* only blank lines: as good as empty */
		return FILE_CHECK_EMPTY;
	struct cs_error e = {0};
	struct stream *s = stream_open(path, NULL, &e);
	if (!s)
		return cs_error_set(err, path, e.row, "cannot read the archive's header: %s",
		                    e.msg);
	int rc = 0;
	const struct header *have = stream_header(s);
	a->format = stream_format(s);
	if (a->format == STREAM_CSV && stream_delimiter(s) != ',') {
		rc = cs_error_set(
		    err, path, 1,
		    "the archive separates fields with '%c' and cs-remove appends "
		    "comma-separated rows: convert it (cs-import --raw) or name another",
		    stream_delimiter(s) == '\t' ? 't' : stream_delimiter(s));
	} else if (is_legacy(have, a->h)) {
		/* Kept readable and appended to as it is: cs-purge reads removed_on. */
		header_free(a->legacy);
		a->legacy = header_copy(have);
	} else if (!header_equal(have, a->h)) {
		char why[300];
		describe_difference(have, a->h, why, sizeof why);
		rc = cs_error_set(err, path, 1,
		                  "the archive's columns differ from the records this run "
		                  "would append (%s): name another archive",
		                  why);
	}
	stream_close(s);
	if (rc == 0 && a->format == STREAM_NDJSON)
		rc = FILE_CHECK_LINES;
	return rc;
}

struct archive *
archive_open(const char *path, const struct header *h, cs_warn_fn *warn, void *warn_ctx,
             struct cs_error *err)
{
	struct archive *a = xcalloc(1, sizeof *a);
	a->path = path;
	a->h = h;
	a->format = file_name_is_ndjson(path) ? STREAM_NDJSON : STREAM_CSV;
	a->file = file_append_open(path, "the archive", 0, check_archive, a, warn, warn_ctx, err);
	if (!a->file) {
		header_free(a->legacy);
		free(a);
		return NULL;
	}
	return a;
}

enum { ARCHIVE_WRITE_AT = 1 << 20 }; /* append in slices of about 1 MiB */

/* The hash of a record's key: its first width fields, each with its NUL. */
static uint64_t
key_hash(const struct record *rec, size_t width)
{
	uint64_t h = HASH_FNV64_BASIS;
	for (size_t i = 0; i < width; i++) {
		size_t len;
		const char *v = record_get(rec, i, &len);
		h = hash_fnv1a(v, len + 1, h);
	}
	return hash_mix64(h);
}

/* Have a and b the same first width fields? */
static bool
key_equal(const struct record *a, const struct record *b, size_t width)
{
	for (size_t i = 0; i < width; i++) {
		size_t alen, blen;
		const char *av = record_get(a, i, &alen), *bv = record_get(b, i, &blen);
		if (alen != blen || memcmp(av, bv, alen) != 0)
			return false;
	}
	return true;
}

/*
 * The plan's records by key, to match the archive's rows with: per
 * record its key's hash and the first record of the plan with the same
 * key; per such first record, how many rows of the archive hold its key.
 * A table of the first records, by hash, finds a key; records whose
 * hashes are equal are read back from the plan and compared.
 */
struct keys {
	const struct plan *p;
	size_t width;
	uint64_t *hash;    /* [record] */
	uint32_t *first;   /* [record]: the first record with its key */
	uint32_t *held;    /* [first record]: rows of the archive with its key */
	uint32_t *slots;   /* open addressing: a first record + 1, or 0 */
	size_t mask;       /* slots has mask + 1, at least twice the records */
	struct record cmp; /* a first record read back */
};

/*
 * The first record of the plan with rec's key (hash h), or -1 with *slot
 * the empty slot where it would go; -2 with err filled when the plan
 * cannot be read back.
 */
static long
keys_find(struct keys *k, const struct record *rec, uint64_t h, size_t *slot, struct cs_error *err)
{
	size_t i = (size_t)h & k->mask;
	for (; k->slots[i]; i = (i + 1) & k->mask) {
		size_t j = k->slots[i] - 1;
		if (k->hash[j] != h)
			continue;
		if (plan_record(k->p, j, &k->cmp, NULL, NULL, err) < 0)
			return -2;
		if (key_equal(rec, &k->cmp, k->width))
			return (long)j;
	}
	*slot = i;
	return -1;
}

/* Fill k with p's records' keys.  Returns 0, or -1 with err filled. */
static int
keys_build(struct keys *k, const struct plan *p, size_t width, struct cs_error *err)
{
	size_t n = plan_count(p), size = 2;
	while (size < 2 * n)
		size *= 2;
	*k = (struct keys){.p = p, .width = width, .mask = size - 1};
	k->hash = xcalloc(n + 1, sizeof *k->hash);
	k->first = xcalloc(n + 1, sizeof *k->first);
	k->held = xcalloc(n + 1, sizeof *k->held);
	k->slots = xcalloc(size, sizeof *k->slots);
	struct record rec = {0};
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if ((rc = plan_record(p, i, &rec, NULL, NULL, err)) < 0)
			break;
		size_t slot = 0;
		k->hash[i] = key_hash(&rec, width);
		long j = keys_find(k, &rec, k->hash[i], &slot, err);
		if (j == -2)
			rc = -1;
		else if (j >= 0)
			k->first[i] = (uint32_t)j;
		else {
			k->first[i] = (uint32_t)i;
			k->slots[slot] = (uint32_t)i + 1;
		}
	}
	record_free(&rec);
	return rc;
}

static void
keys_free(struct keys *k)
{
	free(k->hash);
	free(k->first);
	free(k->held);
	free(k->slots);
	record_free(&k->cmp);
}

/*
 * How many times each of p's records is in the archive already (k->held,
 * by the book's columns).  Reads the whole archive, which memory never
 * holds; an archive new this run holds nothing, and k is left empty.
 */
static int
count_archived(struct archive *a, const struct plan *p, struct keys *k, struct cs_error *err)
{
	size_t width = a->h->n - NARCHIVE_COLS;
	*k = (struct keys){0};
	if (file_append_is_new(a->file))
		return 0;
	if (keys_build(k, p, width, err) < 0)
		return -1;
	struct cs_error e = {0};
	struct stream *s = stream_open(a->path, NULL, &e);
	struct record row = {0};
	int got = s ? 0 : -1, rc = 0;
	while (s && (got = stream_next(s, &row, &e)) > 0) {
		size_t slot;
		long j = keys_find(k, &row, key_hash(&row, width), &slot, err);
		if (j == -2) {
			rc = -1;
			break;
		}
		if (j >= 0 && k->held[j] < UINT32_MAX)
			k->held[j]++;
	}
	if (got < 0)
		rc = cs_error_set(err, a->path, e.row,
		                  "cannot read the archive to see what it holds "
		                  "already: %s",
		                  e.msg);
	record_free(&row);
	stream_close(s);
	return rc;
}

/*
 * Journal one archived row as added: its id and the columns the archive
 * adds (the removal's own lines in the journal hold the rest), so a replay
 * of the archive takes the row out again.
 */
static void
journal_archived(struct journal *j, const struct archive *a, const struct record *row, size_t width,
                 struct record *scratch)
{
	static const char *const names[] = {"id", "removed_on", "reason", "partner",
	                                    "retain_until"};
	static const struct header jh = {.names = (char **)names, .n = 5};
	long id = header_find(a->h, "id");
	size_t len = 0;
	const char *v = id >= 0 && (size_t)id < width ? record_get(row, (size_t)id, &len) : "";
	record_clear(scratch);
	record_push(scratch, v, len);
	for (size_t i = width; i < row->n; i++) {
		v = record_get(row, i, &len);
		record_push(scratch, v, len);
	}
	journal_record(j, JOURNAL_ADD, -1, &jh, scratch, 0);
}

int
archive_append(struct archive *a, const struct plan *p, const struct archive_stamp *stamp,
               size_t *already, struct cs_error *err)
{
	*already = 0;
	if (file_append_ready(a->file, err) < 0)
		return -1;
	struct keys keys;
	if (count_archived(a, p, &keys, err) < 0) {
		keys_free(&keys);
		return -1;
	}
	char day[16], until[16] = "";
	date_format(stamp->today, day);
	if (stamp->retain.amount > 0)
		date_format(date_add_duration(stamp->today, stamp->retain, 1), until);
	size_t width = a->h->n - NARCHIVE_COLS;
	struct buf bytes = {0};
	struct writer_options wo = {
	    .format = a->format,
	    .no_header = !file_append_is_new(a->file),
	    .to = &bytes,
	};
	struct writer *w = writer_open(NULL, columns(a), &wo);
	if (stamp->journal) {
		journal_file(stamp->journal, a->path);
		journal_cause(stamp->journal, "archived");
	}
	struct record row = {0}, scratch = {0};
	int rc = 0;
	for (size_t i = 0; i < plan_count(p) && rc == 0; i++) {
		const char *reason;
		const struct partner *partner;
		if ((rc = plan_record(p, i, &row, &reason, &partner, err)) < 0)
			break;
		uint32_t *held = keys.held ? &keys.held[keys.first[i]] : NULL;
		if (held && *held > 0) { /* archived by a run that stopped before the book */
			(*held)--;
			(*already)++;
			continue;
		}
		record_resize(&row, width);
		record_push(&row, day, strlen(day));
		record_push(&row, reason, strlen(reason));
		const char *partner_name = partner ? partner->rule.name : "";
		record_push(&row, partner_name, strlen(partner_name));
		if (!a->legacy)
			record_push(&row, until, strlen(until));
		if (stamp->journal)
			journal_archived(stamp->journal, a, &row, width, &scratch);
		writer_put(w, &row);
		if (bytes.len >= ARCHIVE_WRITE_AT) {
			rc = file_append_write(a->file, bytes.data, bytes.len, err);
			buf_reset(&bytes);
		}
	}
	writer_close(w, a->path, NULL);
	if (rc == 0 && bytes.len)
		rc = file_append_write(a->file, bytes.data, bytes.len, err);
	buf_free(&bytes);
	record_free(&row);
	record_free(&scratch);
	keys_free(&keys);
	if (rc < 0)
		file_append_rollback(a->file, NULL);
	return rc;
}

int
archive_rollback(struct archive *a, struct cs_error *err)
{
	return file_append_rollback(a->file, err);
}

void
archive_keep(struct archive *a)
{
	if (a)
		file_append_keep(a->file);
}

void
archive_close(struct archive *a)
{
	if (!a)
		return;
	file_append_close(a->file);
	header_free(a->legacy);
	free(a);
}

int
archive_read_ids(const char *path, const struct stream_options *so, struct idtab *ids,
                 struct cs_error *err)
{
	struct stat st;
	if (strcmp(path, "-") != 0 && stat(path, &st) < 0 && errno == ENOENT)
		return ARCHIVE_NOT_YET;
	struct stream *s = stream_open(path, so, err);
	if (!s)
		return -1;
	long id_col = header_find(stream_header(s), "id");
	if (id_col < 0 || header_find(stream_header(s), "removed_on") < 0) {
		stream_close(s);
		return cs_error_set(err, path, 1,
		                    "not an archive of removed clients: it has no \"%s\" column "
		                    "(cs-remove --archive writes id, ..., removed_on, reason, ...)",
		                    id_col < 0 ? "id" : "removed_on");
	}
	struct record rec = {0};
	int got;
	while ((got = stream_next(s, &rec, err)) == 1) {
		size_t len;
		const char *id = record_get(&rec, (size_t)id_col, &len);
		str_trim(&id, &len);
		if (len && idtab_intern(ids, id, len, NULL) < 0) {
			got = cs_error_set(err, path, rec.row, "too many ids to hold");
			break;
		}
	}
	record_free(&rec);
	stream_close(s);
	return got < 0 ? -1 : 0;
}
