/*
 * archive.c - the archive of removed clients: appended to, never rewritten.
 *
 * The archive is the record of last resort, so it is opened with O_APPEND,
 * locked with flock(2) for the whole run (two runs on one archive take turns
 * instead of interleaving rows), and fsynced before cs-remove lets the kept
 * records go anywhere.  Its length before the append is remembered, so a
 * step that fails afterwards (the in-place rename, a full disk on stdout)
 * can cut the new rows off again: either the removed records are in the
 * archive and gone from the book, or the archive is as it was.  flock, not
 * fcntl locks: an fcntl lock is dropped when the process closes *any*
 * descriptor of the file, and reading the archive's header opens one.
 *
 * A new archive is created only when there is something to put in it, so a
 * run that removes nobody leaves no empty file behind; its directory is
 * synced after the first append, since a new file's name lives there.
 *
 * Ownership: struct archive owns its descriptor (and so the lock) until
 * archive_close; its path and header are borrowed from the caller.
 */
/* flock(2) is a BSD interface: glibc declares it for the default feature set. */
#define _DEFAULT_SOURCE

#include "archive.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvio.h"
#include "stream.h"
#include "writer.h"

static const char *const archive_cols[] = {"removed_on", "reason", "partner"};
enum { NARCHIVE_COLS = sizeof archive_cols / sizeof *archive_cols };

struct header *
archive_header(const struct header *h, const char *name, struct cs_error *err)
{
	for (size_t i = 0; i < NARCHIVE_COLS; i++)
		if (header_find(h, archive_cols[i]) >= 0) {
			cs_error_set(
			    err, name, 1,
			    "the book already has a \"%s\" column, which cs-remove adds to "
			    "archived records (removed_on, reason, partner): rename it first",
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
	enum stream_format format;
	int fd;             /* -1 while the file does not exist */
	bool needs_header;  /* new or empty: the CSV header goes first */
	bool needs_newline; /* the last line has no line end yet */
	bool created;       /* archive_append created the file */
	bool appended;      /* rows were appended (and can be taken back) */
	off_t start;        /* the file's length before the append */
};

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && ascii_casecmp_eq(s + n - k, suffix);
}

static bool
same_file(int fd, const char *path)
{
	struct stat a, b;
	return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

/*
 * Open the archive and lock it.  Another run may replace or remove the file
 * while this one waits for the lock (removing it is how a failed first
 * append is taken back), so after the lock check that the path still names
 * the file locked, and start again if not.  Returns the descriptor; -1 with
 * errno ENOENT when the file does not exist and create is false; -1 with err
 * filled on any other failure.
 */
static int
open_locked(struct archive *a, bool create, struct cs_error *err)
{
	for (int attempt = 0; attempt < 100; attempt++) {
		bool created = false;
		int fd = open(a->path, O_RDWR | O_APPEND | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT) {
			if (!create)
				return -1;
			fd = open(a->path, O_RDWR | O_APPEND | O_CLOEXEC | O_CREAT | O_EXCL, 0666);
			if (fd < 0 && errno == EEXIST)
				continue;
			created = fd >= 0;
		}
		if (fd < 0) {
			cs_error_set(err, a->path, 0, "cannot open the archive for appending: %s",
			             strerror(errno));
			errno = 0;
			return -1;
		}
		if (flock(fd, LOCK_EX) != 0) {
			cs_error_set(err, a->path, 0, "cannot lock the archive: %s",
			             strerror(errno));
			close(fd);
			errno = 0;
			return -1;
		}
		if (same_file(fd, a->path)) {
			a->created = created;
			return fd;
		}
		close(fd);
	}
	cs_error_set(err, a->path, 0,
	             "the archive keeps being replaced: is another program "
	             "rewriting it?");
	errno = 0;
	return -1;
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

/* Look at an existing, locked archive: its type, length, format and header. */
static int
inspect(struct archive *a, struct cs_error *err)
{
	struct stat st;
	if (fstat(a->fd, &st) != 0)
		return cs_error_set(err, a->path, 0, "cannot read the archive: %s",
		                    strerror(errno));
	if (!S_ISREG(st.st_mode))
		return cs_error_set(err, a->path, 0, "the archive must be a regular file");
	a->start = st.st_size;
	a->needs_header = true;
	a->needs_newline = false;
	if (st.st_size == 0)
		return 0;
	char head[4096];
	ssize_t got = pread(a->fd, head, sizeof head, 0);
	if (got < 0)
		return cs_error_set(err, a->path, 0, "cannot read the archive: %s",
		                    strerror(errno));
	char last;
	if (pread(a->fd, &last, 1, st.st_size - 1) != 1)
		return cs_error_set(err, a->path, 0, "cannot read the archive: %s",
		                    strerror(errno));
	a->needs_newline = last != '\n';
	bool blank = got == st.st_size;
	for (ssize_t i = 0; i < got && blank; i++)
		blank = strchr(" \t\r\n", head[i]) != NULL;
	if (blank) /* only blank lines: as good as empty */
		return 0;
	a->needs_header = false;
	struct cs_error e = {0};
	struct stream *s = stream_open(a->path, NULL, &e);
	if (!s) {
		cs_error_set(err, a->path, e.row, "cannot read the archive's header: %s", e.msg);
		return -1;
	}
	int rc = 0;
	const struct header *have = stream_header(s);
	a->format = stream_format(s);
	if (a->format == STREAM_CSV && stream_delimiter(s) != ',') {
		rc = cs_error_set(
		    err, a->path, 1,
		    "the archive separates fields with '%c' and cs-remove appends "
		    "comma-separated rows: convert it (cs-import --raw) or name another",
		    stream_delimiter(s) == '\t' ? 't' : stream_delimiter(s));
	} else {
		if (!header_equal(have, a->h)) {
			char why[300];
			describe_difference(have, a->h, why, sizeof why);
			rc = cs_error_set(err, a->path, 1,
			                  "the archive's columns differ from the records this run "
			                  "would append (%s): name another archive",
			                  why);
		}
	}
	stream_close(s);
	return rc;
}

/* The directory part of path, for the permission check of a new archive. */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	return slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
}

/* fsync the directory holding path; a file system that cannot (EINVAL) is accepted. */
static int
sync_dir(const char *path)
{
	char *dir = dir_of(path);
	int fd = open(dir, O_RDONLY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return -1;
	int rc = fsync(fd) != 0 && errno != EINVAL ? -1 : 0;
	int saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

struct archive *
archive_open(const char *path, const struct header *h, struct cs_error *err)
{
	struct archive *a = xcalloc(1, sizeof *a);
	a->path = path;
	a->h = h;
	a->fd = -1;
	a->needs_header = true;
	a->format =
	    ends_with(path, ".ndjson") || ends_with(path, ".jsonl") || ends_with(path, ".json")
	        ? STREAM_NDJSON
	        : STREAM_CSV;
	errno = 0;
	a->fd = open_locked(a, false, err);
	if (a->fd >= 0) {
		if (inspect(a, err) < 0) {
			archive_close(a);
			return NULL;
		}
		return a;
	}
	if (errno != ENOENT) {
		archive_close(a);
		return NULL;
	}
	/* A new archive is created only when there is something to put in it. */
	char *dir = dir_of(path);
	int rc = access(dir, W_OK | X_OK);
	if (rc != 0)
		cs_error_set(err, path, 0, "cannot create the archive in %s: %s", dir,
		             strerror(errno));
	free(dir);
	if (rc != 0) {
		archive_close(a);
		return NULL;
	}
	return a;
}

/*
 * Append the records' rows to out: through w for NDJSON, else CSV by hand,
 * since the stream writer always starts with a header.
 */
static void
put_rows(struct archive *a, const struct plan *p, struct date today, FILE *out, struct writer *w)
{
	char day[16];
	date_format(today, day);
	size_t width = a->h->n - NARCHIVE_COLS;
	struct record row = {0};
	struct buf line = {0};
	if (a->needs_newline)
		fputc('\n', out);
	if (!w && a->needs_header) {
		for (size_t i = 0; i < a->h->n; i++) {
			if (i)
				buf_putc(&line, ',');
			csv_put_field(&line, a->h->names[i], strlen(a->h->names[i]), ',');
		}
		buf_putc(&line, '\n');
	}
	for (size_t i = 0; i < plan_count(p); i++) {
		const char *reason;
		const struct partner *partner;
		record_copy(&row, plan_record(p, i, &reason, &partner));
		record_resize(&row, width);
		record_push(&row, day, strlen(day));
		record_push(&row, reason, strlen(reason));
		const char *partner_name = partner ? partner->rule.name : "";
		record_push(&row, partner_name, strlen(partner_name));
		if (w) {
			writer_put(w, &row);
			continue;
		}
		size_t len;
		for (size_t f = 0; f < row.n; f++) {
			if (f)
				buf_putc(&line, ',');
			const char *v = record_get(&row, f, &len);
			csv_put_field(&line, v, len, ',');
		}
		buf_putc(&line, '\n');
		if (line.len >= 64 * 1024) {
			fwrite(line.data, 1, line.len, out);
			buf_reset(&line);
		}
	}
	if (line.len)
		fwrite(line.data, 1, line.len, out);
	buf_free(&line);
	record_free(&row);
}

int
archive_append(struct archive *a, const struct plan *p, struct date today, struct cs_error *err)
{
	if (a->fd < 0) {
		errno = 0;
		a->fd = open_locked(a, true, err);
		if (a->fd < 0)
			return -1;
		/* Someone may have made it meanwhile: then it is checked like any existing one. */
		if (inspect(a, err) < 0) {
			if (a->created)
				unlink(a->path);
			return -1;
		}
	}
	a->appended = true;
	int fd = dup(a->fd);
	FILE *out = fd >= 0 ? fdopen(fd, "a") : NULL;
	if (!out) {
		int saved = errno;
		if (fd >= 0)
			close(fd);
		archive_rollback(a, NULL);
		return cs_error_set(err, a->path, 0, "cannot write the archive: %s",
		                    strerror(saved));
	}
	struct writer *w =
	    a->format == STREAM_NDJSON ? writer_new(out, STREAM_NDJSON, a->h, 0) : NULL;
	put_rows(a, p, today, out, w);
	struct cs_error e = {0};
	int bad = w && writer_close(w, a->path, &e) < 0;
	bad = bad || fflush(out) != 0 || ferror(out) || fsync(a->fd) != 0;
	int saved = errno;
	if (fclose(out) != 0 && !bad) {
		bad = 1;
		saved = errno;
	}
	/* A new file's name lives in its directory: sync that too, or a crash could lose it. */
	if (!bad && a->created && sync_dir(a->path) != 0) {
		bad = 1;
		saved = errno;
	}
	if (bad) {
		archive_rollback(a, NULL);
		return cs_error_set(err, a->path, 0,
		                    "cannot write the archive (nothing was added to it): %s",
		                    strerror(saved));
	}
	return 0;
}

int
archive_rollback(struct archive *a, struct cs_error *err)
{
	if (!a->appended)
		return 0;
	a->appended = false;
	int rc = 0;
	if (a->created) {
		/* Still locked: a run waiting for the lock sees the file gone and starts again. */
		if (unlink(a->path) != 0 && errno != ENOENT)
			rc = -1;
	} else if (ftruncate(a->fd, a->start) != 0 || fsync(a->fd) != 0) {
		rc = -1;
	}
	if (rc < 0)
		cs_error_set(err, a->path, 0, "cannot take back the rows just appended: %s",
		             strerror(errno));
	return rc;
}

void
archive_close(struct archive *a)
{
	if (!a)
		return;
	if (a->fd >= 0)
		close(a->fd);
	free(a);
}
