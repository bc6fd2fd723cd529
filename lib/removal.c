/*
 * removal.c - cs-remove's transaction: the kept records spooled, then a
 * removal or an erasure committed in the order removal.h gives.
 *
 * One decision shapes it: what was committed before the book (the
 * archive's rows, the suppression list's hashes, the journal's lines) is
 * taken back when the book does not land, unless it did land after all: a
 * commit can fail after its rename (the directory's sync), which the
 * target's changed inode shows, and then the archive is the only copy of
 * the removed records.
 */
#include "removal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "archive.h"
#include "purge.h"
#include "strtab.h"
#include "writer.h"

struct removal {
	struct removal_options o;
	struct file_output *out;       /* the kept records: committed last */
	FILE *spool;                   /* the kept records when out is written directly */
	struct writer *kept;           /* to the spool or to out's temporary file */
	const struct header *header;   /* the first input's */
	struct header *archive_header; /* header + removed_on, reason, partner, retain_until */
	struct archive *archive;
	long id_col;
	long at;                            /* records read: the journal's positions */
	struct suppress_append *suppressed; /* an erasure's: committed until the book lands */
	bool log_landed;                    /* an erasure's touch log was rewritten */
};

static void
report(const struct removal *r, const struct cs_error *e)
{
	if (r->o.report)
		r->o.report(r->o.report_ctx, e);
}

struct removal *
removal_new(const struct removal_options *o, struct file_output *out)
{
	struct removal *r = xcalloc(1, sizeof *r);
	r->o = *o;
	r->out = out;
	r->id_col = -1;
	return r;
}

int
removal_start(struct removal *r, const struct header *h, const char *name,
              enum stream_format format, struct cs_error *err)
{
	r->header = h;
	r->id_col = header_find(h, "id");
	if (r->o.journal)
		journal_file(r->o.journal, r->o.book ? r->o.book : "-");
	if (!r->o.erase && (!(r->archive_header = archive_header(h, name, err)) ||
	                    !(r->archive = archive_open(r->o.archive, r->archive_header,
	                                                r->o.repair, r->o.repair_ctx, err))))
		return -1;
	FILE *sink = file_output_stream(r->out);
	if (file_output_kind(r->out) == FILE_OUTPUT_DIRECT && !(sink = r->spool = tmp_nameless()))
		return cs_error_set(err, NULL, 0, "cannot create a temporary file: %s",
		                    strerror(errno));
	r->kept = writer_new(sink, format, h, r->o.writer_flags);
	return 0;
}

void
removal_record(struct removal *r, const struct record *rec, const char *removed_for)
{
	long at = r->at++;
	if (!removed_for) {
		if (r->kept)
			writer_put(r->kept, rec);
	} else if (r->o.journal && !r->o.erase) {
		journal_cause(r->o.journal, removed_for);
		journal_record(r->o.journal, JOURNAL_REMOVE, at, r->header, rec,
		               r->id_col >= 0 ? (size_t)r->id_col : r->header->n);
	}
}

int
removal_end_input(struct removal *r, struct cs_error *err)
{
	struct writer *w = r->kept;
	r->kept = NULL;
	return w ? writer_close(w, r->o.in_place ? r->o.book : "(temporary file)", err) : 0;
}

/*
 * Take back what was committed before the book, and report what even that
 * could not take back.  Once an erasure's touch log is rewritten, nothing
 * is: the lines and hashes describe a change that happened.
 */
static void
undo(struct removal *r)
{
	struct cs_error err = {0};
	if (r->log_landed)
		return;
	if (r->archive && archive_rollback(r->archive, &err) < 0)
		report(r, &err);
	if (r->suppressed && suppress_append_rollback(r->suppressed, &err) < 0)
		report(r, &err);
	if (r->o.journal && journal_rollback(r->o.journal, &err) < 0)
		report(r, &err);
}

/*
 * A file of the change is in place (the book, or an erasure's touch log):
 * what was appended for it stays.  Called with signals held off, so a
 * SIGTERM from here on cannot cut the archive back to before the records
 * that the new book no longer holds.
 */
static void
landed(void *ctx)
{
	struct removal *r = ctx;
	archive_keep(r->archive);
	suppress_append_keep(r->suppressed);
	journal_landed(r->o.journal);
}

/* Give up out (NULL is fine): the file it would have replaced stays, and a note says so. */
static void
abandon(const struct removal *r, struct file_output *out)
{
	if (!out)
		return;
	enum file_output_kind kind = file_output_kind(out);
	if (kind != FILE_OUTPUT_DIRECT)
		cs_warn(r->o.report, r->o.report_ctx, file_output_name(out), 0, "%s",
		        kind == FILE_OUTPUT_REPLACES ? "left unchanged" : "not written");
	file_output_abort(out);
}

/* Has path been replaced since before (st_ino of what it named then; known: it existed)? */
static bool
replaced(const char *path, bool known, const struct stat *before)
{
	struct stat now;
	if (stat(path, &now) != 0)
		return false;
	return !known || now.st_ino != before->st_ino || now.st_dev != before->st_dev;
}

/* The kept records out: the copy of the spool, then the commit.  Undoes on failure. */
static int
deliver(struct removal *r, const struct plan *p)
{
	struct cs_error err = {0};
	struct file_output *out = r->out;
	r->out = NULL;
	if (r->o.in_place && plan_count(p) == 0) { /* nothing removed: leave the file as it is */
		file_output_abort(out);
		landed(r);
		return 0;
	}
	if (r->spool &&
	    file_copy_stream(r->spool, file_output_stream(out), file_output_name(out), &err) < 0) {
		report(r, &err);
		file_output_abort(out);
		undo(r);
		return -1;
	}
	const char *target = r->o.book;
	struct stat before;
	bool known = target && stat(target, &before) == 0;
	bool direct = file_output_kind(out) == FILE_OUTPUT_DIRECT;
	if (file_output_commit_then(out, landed, r, &err) == 0)
		return 0;
	report(r, &err);
	/* Once the rename is done (a failed directory sync), the archive is the only copy. */
	if (direct || !replaced(target, known, &before))
		undo(r);
	return -1;
}

int
removal_commit(struct removal *r, const struct plan *p)
{
	struct cs_error err = {0};
	size_t already = 0, n = plan_count(p);
	struct archive_stamp stamp = {
	    .today = r->o.today, .retain = r->o.retain, .journal = r->o.journal};
	if (n > 0 && archive_append(r->archive, p, &stamp, &already, &err) < 0) {
		report(r, &err);
		return -1;
	}
	if (already > 0)
		cs_warn(r->o.report, r->o.report_ctx, r->o.archive, 0,
		        "%zu of the %zu records removed were in it already, identical (archived by "
		        "a run that stopped before it rewrote the book?): not archived twice",
		        already, n);
	if (r->o.journal && journal_commit(r->o.journal, &err) < 0) {
		report(r, &err);
		undo(r);
		abandon(r, r->out);
		r->out = NULL;
		return -1;
	}
	return deliver(r, p);
}

/*
 * An erasure's hashes of p's records (added to the suppression list, not
 * yet committed) and its tombstones (waiting in the journal); each
 * record's id goes into ids, and *keys gets how many hashes were added.
 * Returns 0, or -1 with err filled when the plan cannot be read back.
 */
static int
erase_records(struct removal *r, const struct plan *p, struct strtab *ids, size_t *keys,
              struct cs_error *err)
{
	struct record rec = {0};
	int rc = 0;
	*keys = 0;
	if (r->o.journal)
		journal_cause(r->o.journal, r->o.cause);
	for (size_t i = 0; i < plan_count(p); i++) {
		if ((rc = plan_record(p, i, &rec, NULL, NULL, err)) < 0)
			break;
		*keys += (size_t)suppress_append_record(r->suppressed, r->header, &rec, r->o.today);
		size_t len = 0;
		const char *id = r->id_col >= 0 && (size_t)r->id_col < rec.n
		                     ? record_get(&rec, (size_t)r->id_col, &len)
		                     : "";
		char hash[65];
		strtab_intern(ids, id, len, NULL);
		if (r->o.journal && suppress_hash(r->o.key, SUPPRESS_ID, id, len, hash))
			journal_event(r->o.journal, JOURNAL_ERASE, hash, 64, "", "", 0, -1);
	}
	record_free(&rec);
	return rc;
}

/* The suppression list committed and the touch log prepared without p's clients (in *log). */
static int
erase_prepare(struct removal *r, const struct plan *p, struct purge *log)
{
	struct cs_error err = {0};
	struct strtab ids;
	strtab_init(&ids, false);
	size_t keys = 0, n = plan_count(p);
	struct purge_options po = {.what = PURGE_IDS, .today = r->o.today, .ids = &ids};
	int rc = -1;
	if (!(r->suppressed = suppress_append_open(r->o.suppress, r->o.key, &err)) ||
	    erase_records(r, p, &ids, &keys, &err) < 0)
		goto out;
	if ((r->o.log && purge_prepare(r->o.log, &po, log, &err) < 0) ||
	    suppress_append_commit(r->suppressed, &err) < 0)
		goto out;
	cs_warn(r->o.report, r->o.report_ctx, NULL, 0,
	        "%zu client%s erased: %ld touch-log row%s removed, %zu key%s added to %s", n,
	        n == 1 ? "" : "s", log->purged, log->purged == 1 ? "" : "s", keys,
	        keys == 1 ? "" : "s", r->o.suppress);
	rc = 0;
out:
	if (rc < 0)
		report(r, &err);
	strtab_free(&ids);
	return rc;
}

int
removal_erase(struct removal *r, const struct plan *p)
{
	struct cs_error err = {0};
	struct purge log = {0};
	int rc = 0;
	if (plan_count(p))
		rc = erase_prepare(r, p, &log);
	else
		cs_warn(r->o.report, r->o.report_ctx, NULL, 0,
		        "--erase: no record matches: nothing erased");
	if (rc == 0 && r->o.journal && journal_commit(r->o.journal, &err) < 0) {
		report(r, &err);
		rc = -1;
	}
	if (rc == 0 && log.out) {
		struct file_output *out = log.out;
		log.out = NULL;
		if (file_output_commit_then(out, landed, r, &err) < 0) {
			report(r, &err);
			rc = -1;
		}
		r->log_landed = rc == 0;
	}
	if (rc < 0) {
		undo(r);
		abandon(r, log.out);
		return -1;
	}
	rc = deliver(r, p);
	if (rc < 0 && r->log_landed)
		cs_warn(r->o.report, r->o.report_ctx, NULL, 0,
		        "the touch log no longer has the client, but the book still does: run the "
		        "same command again");
	return rc;
}

void
removal_free(struct removal *r)
{
	if (!r)
		return;
	if (r->kept) {
		struct cs_error ignored;
		writer_close(r->kept, NULL, &ignored);
	}
	abandon(r, r->out);
	if (r->spool)
		fclose(r->spool);
	archive_close(r->archive);
	suppress_append_close(r->suppressed);
	header_free(r->archive_header);
	free(r);
}

char **
removal_journal_args(const char *where, int argc, char **argv, char **owned)
{
	char **v = xcalloc((size_t)argc + 1, sizeof *v);
	*owned = NULL;
	for (int i = 0; i < argc; i++) {
		v[i] = argv[i];
		if (!where || where < argv[i] || where > argv[i] + strlen(argv[i]))
			continue;
		if (where == argv[i]) {
			v[i] = (char *)"(erased)";
		} else { /* --where=EXPR */
			struct buf b = {0};
			buf_printf(&b, "%.*s(erased)", (int)(where - argv[i]), argv[i]);
			v[i] = *owned = b.data;
		}
	}
	return v;
}
