/*
 * file.c - outputs through a temporary file and a rename; appends under a
 * lock with a way back.
 *
 * rename(2) within one directory is atomic, so a reader sees the old file or
 * the new one, whole.  The order makes it durable: the temporary file's data
 * is fsynced before the rename and the directory after it.  Everything up to
 * the rename can fail without touching the target.
 *
 * An append is made undoable by remembering the length before it: holding
 * an exclusive flock, that length is still ours when we cut back to it.
 * Another run may replace or remove the file while this one waits for the
 * lock (removing it is how a failed first append is taken back), so after
 * locking we check that the path still names the file we hold.
 */
/* realpath(3) is an X/Open function: ask for it (this implies POSIX 2008). */
#define _XOPEN_SOURCE 700
#define _DEFAULT_SOURCE /* flock */

#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- cleaning up on a signal ----------------------------------------------- */

/*
 * What a signal must undo: temporary files to remove and appends to cut
 * back.  A signal handler cannot be handed a context, so this table is the
 * one piece of process-wide state in the library; entries are filled before
 * they are marked used, and the handler only calls unlink(2), ftruncate(2)
 * and _exit(2), which are async-signal-safe.
 */
enum { PENDING_MAX = 32 };

struct pending {
	volatile sig_atomic_t used;
	const char *unlink; /* a path to remove, or NULL */
	int fd;             /* a file to cut back to length, or -1 */
	off_t length;
};

static struct pending pending[PENDING_MAX];

/*
 * The files this process holds locked, by device and inode: a second lock
 * on one of them from this process would wait for ever (flock locks belong
 * to open file descriptions), so naming one file as two outputs is refused.
 */
struct held {
	dev_t dev;
	ino_t ino;
	bool used;
};

static struct held held[PENDING_MAX];

/* Remember (dev, ino) as held; false when it already is, or the table is full. */
static bool
hold(dev_t dev, ino_t ino)
{
	struct held *free_slot = NULL;
	for (size_t i = 0; i < PENDING_MAX; i++) {
		if (held[i].used && held[i].dev == dev && held[i].ino == ino)
			return false;
		if (!held[i].used && !free_slot)
			free_slot = &held[i];
	}
	if (!free_slot)
		return false;
	*free_slot = (struct held){.dev = dev, .ino = ino, .used = true};
	return true;
}

static void
release(int fd)
{
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0)
		return;
	for (size_t i = 0; i < PENDING_MAX; i++)
		if (held[i].used && held[i].dev == st.st_dev && held[i].ino == st.st_ino)
			held[i].used = false;
}

/* Refuse path when this process already holds the file it names. */
static int
check_not_held(const char *name, const char *path, struct cs_error *err)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return 0;
	for (size_t i = 0; i < PENDING_MAX; i++)
		if (held[i].used && held[i].dev == st.st_dev && held[i].ino == st.st_ino)
			return cs_error_set(
			    err, name, 0,
			    "named twice as an output of this run: name another file");
	return 0;
}

static void
on_signal(int sig)
{
	for (size_t i = 0; i < PENDING_MAX; i++) {
		if (!pending[i].used)
			continue;
		if (pending[i].fd >= 0 && ftruncate(pending[i].fd, pending[i].length) != 0) {
			/* Nothing more can be done from here. */
		}
		if (pending[i].unlink)
			unlink(pending[i].unlink);
	}
	_exit(128 + sig);
}

/*
 * Once per process, before the first file is touched: SIGTERM, SIGINT and
 * SIGHUP clean up and exit 128 + the signal; SIGPIPE and SIGXFSZ are
 * ignored, so a closed pipe or a file-size limit is a write error (EPIPE,
 * EFBIG) that the caller rolls back, not a death halfway through.
 */
static void
guard_signals(void)
{
	static volatile sig_atomic_t done;
	if (done)
		return;
	done = 1;
	struct sigaction sa = {.sa_handler = on_signal};
	sigemptyset(&sa.sa_mask);
	const int fatal[] = {SIGTERM, SIGINT, SIGHUP};
	for (size_t i = 0; i < sizeof fatal / sizeof *fatal; i++) {
		struct sigaction old;
		/* A signal the shell set to be ignored (nohup, a background job) stays ignored. */
		if (sigaction(fatal[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
			sigaction(fatal[i], &sa, NULL);
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);
}

/* Register what a signal must undo; returns the slot, or -1 when the table is full. */
static int
pending_add(const char *unlink_path, int fd, off_t length)
{
	for (int i = 0; i < PENDING_MAX; i++)
		if (!pending[i].used) {
			pending[i].unlink = unlink_path;
			pending[i].fd = fd;
			pending[i].length = length;
			pending[i].used = 1;
			return i;
		}
	return -1;
}

static void
pending_drop(int *slot)
{
	if (*slot >= 0)
		pending[*slot].used = 0;
	*slot = -1;
}

/*
 * Hold off the signals on_signal answers (saving the mask in *saved), so
 * that a file put in place and the appends that stand with it are one step:
 * a signal then comes after both, never between them.
 */
static void
signals_hold(sigset_t *saved)
{
	sigset_t fatal;
	sigemptyset(&fatal);
	sigaddset(&fatal, SIGTERM);
	sigaddset(&fatal, SIGINT);
	sigaddset(&fatal, SIGHUP);
	sigprocmask(SIG_BLOCK, &fatal, saved);
}

/* ---- outputs --------------------------------------------------------------- */

struct file_output {
	const char *name; /* the name the caller gave, for messages */
	char *path;       /* the file to replace (links resolved); NULL: written directly */
	char *tmp;        /* the temporary file beside it */
	bool existed;     /* path named a file when opened */
	int lock;         /* the target, open and locked while we work on it; -1 */
	struct stat seen; /* the target as it was when locked, to notice a change */
	int slot;         /* in pending: the temporary file */
	FILE *f;
};

/* The permissions a file created now would get: 0666 less the umask. */
static mode_t
new_file_mode(void)
{
	/* umask can only be read by setting it; put it straight back. */
	mode_t mask = umask(022);
	umask(mask);
	return 0666 & ~mask;
}

static void
output_free(struct file_output *o)
{
	pending_drop(&o->slot);
	if (o->lock >= 0) {
		release(o->lock);
		close(o->lock); /* and so the lock */
	}
	free(o->path);
	free(o->tmp);
	free(o);
}

/*
 * Lock the existing target, so two cs runs that rewrite one file take turns
 * (the second then reads what the first wrote), and remember what it was.
 * Another run may rename a new file over the path while we wait: then lock
 * again whatever the path names now.
 */
static int
lock_target(struct file_output *o, struct cs_error *err)
{
	if (check_not_held(o->name, o->path, err) < 0)
		return -1;
	for (int attempt = 0; attempt < 100; attempt++) {
		int fd = open(o->path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return cs_error_set(err, o->name, 0, "cannot open: %s", strerror(errno));
		int rc;
		while ((rc = flock(fd, LOCK_EX)) != 0 && errno == EINTR)
			;
		struct stat now;
		if (rc == 0 && fstat(fd, &o->seen) == 0 && stat(o->path, &now) == 0 &&
		    now.st_dev == o->seen.st_dev && now.st_ino == o->seen.st_ino) {
			hold(now.st_dev, now.st_ino);
			o->lock = fd;
			return 0;
		}
		close(fd);
	}
	return cs_error_set(err, o->name, 0,
	                    "the file keeps being replaced: is another program "
	                    "rewriting it?");
}

/* True if the target is no longer the file that was locked and read. */
static bool
target_changed(const struct file_output *o)
{
	struct stat now;
	if (stat(o->path, &now) != 0)
		return true;
	return now.st_dev != o->seen.st_dev || now.st_ino != o->seen.st_ino ||
	       now.st_size != o->seen.st_size || now.st_mtim.tv_sec != o->seen.st_mtim.tv_sec ||
	       now.st_mtim.tv_nsec != o->seen.st_mtim.tv_nsec;
}

/* A temporary file beside o->path with the given mode; 0 or -1 with err filled. */
static int
open_temporary(struct file_output *o, mode_t mode, struct cs_error *err)
{
	char *dir = path_dir(o->path);
	const char *base = strrchr(o->path, '/');
	base = base ? base + 1 : o->path;
	struct buf tmp = {0};
	/* A dot file, so a listing of the directory does not show it meanwhile. */
	buf_printf(&tmp, "%s/.%s.XXXXXX", dir, base);
	o->tmp = tmp.data;
	/* Made and registered in one step: a signal between the two would leave it behind. */
	sigset_t saved;
	signals_hold(&saved);
	int fd = mkstemp(o->tmp);
	int saved_errno = errno;
	if (fd >= 0)
		o->slot = pending_add(o->tmp, -1, 0);
	sigprocmask(SIG_SETMASK, &saved, NULL);
	if (fd < 0) {
		cs_error_set(err, o->name, 0, "cannot create a temporary file in %s: %s", dir,
		             strerror(saved_errno));
		free(dir);
		free(o->tmp);
		o->tmp = NULL;
		return -1;
	}
	free(dir);
	/* The replacement keeps the owner and group where we may set them (as root). */
	if (o->existed && (o->seen.st_uid != geteuid() || o->seen.st_gid != getegid()) &&
	    fchown(fd, o->seen.st_uid, o->seen.st_gid) != 0) {
		/* Not permitted: the file will be ours, as cp(1) would make it. */
	}
	if (fchmod(fd, mode) != 0 || !(o->f = fdopen(fd, "w"))) {
		cs_error_set(err, o->name, 0, "cannot set up the temporary file %s: %s", o->tmp,
		             strerror(errno));
		close(fd);
		unlink(o->tmp);
		return -1;
	}
	return 0;
}

struct file_output *
file_output_open(const char *path, struct cs_error *err)
{
	guard_signals();
	struct file_output *o = xcalloc(1, sizeof *o);
	o->lock = o->slot = -1;
	o->name = path && strcmp(path, "-") != 0 ? path : "<stdout>";
	if (!path || strcmp(path, "-") == 0) {
		o->f = stdout;
		return o;
	}
	struct stat st;
	mode_t mode;
	if (stat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode)) {
			/* A terminal, /dev/null, a pipe: nothing to keep safe, nothing to rename.
			 */
			if (!(o->f = fopen(path, "w"))) {
				cs_error_set(err, path, 0, "cannot write: %s", strerror(errno));
				output_free(o);
				return NULL;
			}
			return o;
		}
		mode = st.st_mode & 07777;
		o->existed = true;
		o->path = realpath(path, NULL); /* replace what a link points to, not the link */
	} else if (errno == ENOENT) {
		mode = new_file_mode();
	} else {
		cs_error_set(err, path, 0, "cannot write: %s", strerror(errno));
		output_free(o);
		return NULL;
	}
	if (!o->path)
		o->path = xstrdup(path);
	if ((o->existed && lock_target(o, err) < 0) || open_temporary(o, mode, err) < 0) {
		output_free(o);
		return NULL;
	}
	return o;
}

FILE *
file_output_stream(const struct file_output *o)
{
	return o->f;
}

const char *
file_output_name(const struct file_output *o)
{
	return o->name;
}

enum file_output_kind
file_output_kind(const struct file_output *o)
{
	if (!o->tmp)
		return FILE_OUTPUT_DIRECT;
	return o->existed ? FILE_OUTPUT_REPLACES : FILE_OUTPUT_CREATES;
}

void
file_output_abort(struct file_output *o)
{
	if (!o)
		return;
	if (o->f == stdout)
		fflush(stdout);
	else if (o->f)
		fclose(o->f);
	if (o->tmp)
		unlink(o->tmp);
	output_free(o);
}

/*
 * Someone changed the target while we worked on it (a spreadsheet saved
 * it): keep both versions, theirs under its name and ours beside it.
 */
static int
keep_both(struct file_output *o, struct cs_error *err)
{
	struct buf kept = {0};
	buf_printf(&kept, "%s.cs-new", o->path);
	int rc = rename(o->tmp, kept.data);
	if (rc == 0) {
		free(o->tmp);
		o->tmp = NULL;
		cs_error_set(err, o->name, 0,
		             "changed by someone else while this run read it: not replaced; "
		             "this run's result is in %s",
		             kept.data);
	} else {
		cs_error_set(err, o->name, 0,
		             "changed by someone else while this run read it: not replaced");
	}
	buf_free(&kept);
	file_output_abort(o);
	return -1;
}

/* Flush and close f (stdout is only flushed); 0, or -1 with errno set. */
static int
finish_stream(FILE *f, bool sync)
{
	int bad = fflush(f) != 0 || ferror(f) || (sync && fsync(fileno(f)) != 0);
	int saved = errno;
	if (f != stdout && fclose(f) != 0 && !bad) {
		bad = 1;
		saved = errno;
	}
	errno = saved;
	return bad ? -1 : 0;
}

int
file_output_commit(struct file_output *o, struct cs_error *err)
{
	return file_output_commit_then(o, NULL, NULL, err);
}

int
file_output_commit_then(struct file_output *o, file_landed_fn *landed, void *ctx,
                        struct cs_error *err)
{
	FILE *f = o->f;
	o->f = NULL;
	sigset_t saved;
	if (!o->tmp) {
		int rc = finish_stream(f, false);
		if (rc < 0)
			cs_error_set(err, o->name, 0, "write error: %s", strerror(errno));
		else if (landed) {
			signals_hold(&saved);
			landed(ctx);
			sigprocmask(SIG_SETMASK, &saved, NULL);
		}
		output_free(o);
		return rc;
	}
	if (finish_stream(f, true) < 0) {
		cs_error_set(err, o->name, 0, "cannot write (the file is unchanged): %s",
		             strerror(errno));
		file_output_abort(o);
		return -1;
	}
	if (o->existed && target_changed(o))
		return keep_both(o, err);
	signals_hold(&saved);
	int moved = rename(o->tmp, o->path);
	if (moved == 0 && landed)
		landed(ctx);
	sigprocmask(SIG_SETMASK, &saved, NULL);
	if (moved != 0) {
		cs_error_set(err, o->name, 0, "cannot write (the file is unchanged): %s",
		             strerror(errno));
		file_output_abort(o);
		return -1;
	}
	free(o->tmp);
	o->tmp = NULL;
	int rc = 0;
	if (fsync_dir(o->path) != 0)
		rc = cs_error_set(err, o->name, 0, "written, but cannot sync its directory: %s",
		                  strerror(errno));
	output_free(o);
	return rc;
}

int
file_copy_stream(FILE *from, FILE *to, const char *name, struct cs_error *err)
{
	char chunk[64 * 1024];
	size_t n;
	int rc = fflush(from) != 0 || fseek(from, 0, SEEK_SET) != 0 ? -1 : 0;
	while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, from)) > 0)
		if (fwrite(chunk, 1, n, to) != n)
			rc = -1;
	if (rc < 0 || ferror(from))
		return cs_error_set(err, name, 0, "write error: %s", strerror(errno));
	return 0;
}

/* ---- complete rows ------------------------------------------------------------ */
/*
 * Is the file's last row complete?  Every row cs appends ends in a line
 * feed and is written whole, so the bytes after the last row end are what
 * a killed append left.  For NDJSON that is the last line feed (a JSON
 * string cannot hold a raw one).  For CSV a line feed ends a row only
 * outside quotes, and whether a byte is inside quotes depends on every
 * quote before it: exact, but a 1 GB log would be read whole before every
 * cs-log.  So only the last TAIL_WINDOW bytes are read, and a point whose
 * state is certain is looked for in them, from the end:
 *
 *  - an opening quote that cannot be anything else: a run of an odd number
 *    of quotes after a comma or line end and before a character that is not
 *    a comma, line end, space, tab (or the end).  Inside quotes such a run
 *    would leave a closing quote with text glued after it, which the reader
 *    refuses, so before the run we are outside quotes at a field's start.
 *    From there the quoting is followed forward (as lib/csvio.c's reader
 *    does) to the end; if no row ends after it, the next such point before
 *    it is tried, and the rows it ends are looked for up to this one.
 *  - no quote at all in the window: then every line feed in it is outside
 *    quotes, unless a quoted field holds more than TAIL_WINDOW bytes and no
 *    quote.  That is the one assumption; a row cs appended that was torn in
 *    a quoted field has the field's opening quote in the window unless that
 *    one field is over a MiB long.
 *
 * Neither (a window of only ambiguous quotes, such as empty "" fields, or
 * one long row): the whole file is followed from its start.  A file that
 * fits in the window is always followed from its start, so small files are
 * decided exactly.
 */
enum { TAIL_WINDOW = 1 << 20, SCAN_CHUNK = 1 << 16 };

enum csv_state { AT_FIELD, UNQUOTED, QUOTED, QUOTE_IN_QUOTED, AFTER_QUOTE };

static inline bool
ends_field(char c)
{
	return c == ',' || c == '\n' || c == '\r';
}

/*
 * Follow the quoting of p[0..n), which starts at file offset base, from
 * *state.  Returns the offset just past the last line feed that ends a row
 * in it, or last when none does.
 */
static off_t
follow_csv(const char *p, size_t n, off_t base, enum csv_state *state, off_t last)
{
	enum csv_state st = *state;
	size_t i = 0;
	while (i < n) {
		char c = p[i];
		switch (st) {
		case QUOTED: {
			const char *q = memchr(p + i, '"', n - i);
			if (!q) {
				i = n;
				continue;
			}
			i = (size_t)(q - p);
			st = QUOTE_IN_QUOTED;
			break;
		}
		case QUOTE_IN_QUOTED:
		case AFTER_QUOTE:
			if (c == '"' && st == QUOTE_IN_QUOTED)
				st = QUOTED;
			else if (c == ' ' || c == '\t')
				st = AFTER_QUOTE;
			else if (ends_field(c))
				st = AT_FIELD;
			else /* text glued after a closing quote: the reader refuses it */
				st = UNQUOTED;
			break;
		case AT_FIELD:
			if (c == '"') {
				st = QUOTED;
				break;
			}
			/* fall through */
		case UNQUOTED:
			st = ends_field(c) ? AT_FIELD : UNQUOTED;
			break;
		}
		if (c == '\n' && st == AT_FIELD)
			last = base + (off_t)i + 1;
		i++;
	}
	*state = st;
	return last;
}

static int
read_at(int fd, char *p, size_t n, off_t at)
{
	while (n > 0) {
		ssize_t got = pread(fd, p, n, at);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			if (got == 0)
				errno = EIO; /* shorter than fstat said: cut meanwhile */
			return -1;
		}
		p += got;
		n -= (size_t)got;
		at += got;
	}
	return 0;
}

/* Follow the whole file from its start; the end of its last complete row, or -1. */
static off_t
follow_whole(int fd, off_t size)
{
	char *chunk = xmalloc(SCAN_CHUNK);
	enum csv_state st = AT_FIELD;
	off_t last = 0;
	for (off_t at = 0; at < size;) {
		size_t n = size - at < SCAN_CHUNK ? (size_t)(size - at) : SCAN_CHUNK;
		if (read_at(fd, chunk, n, at) < 0) {
			last = -1;
			break;
		}
		last = follow_csv(chunk, n, at, &st, last);
		at += (off_t)n;
	}
	free(chunk);
	return last;
}

/* The window w[0..n), which starts at file offset base > 0: decide from it, or -1. */
static off_t
decide_window(const char *w, size_t n, off_t base)
{
	size_t seg_end = n; /* rows before this point are still to be found */
	bool any_quote = false;
	size_t j = n;
	while (j > 1) {
		if (w[j - 1] != '"') {
			j--;
			continue;
		}
		any_quote = true;
		size_t e = j, s = j - 1;
		while (s > 0 && w[s - 1] == '"')
			s--;
		j = s;
		if (s == 0 || e == n || (e - s) % 2 == 0 || !ends_field(w[s - 1]) ||
		    ends_field(w[e]) || w[e] == ' ' || w[e] == '\t')
			continue;
		/* An opening quote for certain: outside quotes, at a field's start. */
		enum csv_state st = AT_FIELD;
		off_t last = follow_csv(w + s, seg_end - s, base + (off_t)s, &st, -1);
		if (last >= 0)
			return last;
		seg_end = s;
	}
	if (any_quote || (n > 0 && w[0] == '"'))
		return -1;
	for (size_t i = n; i > 0; i--)
		if (w[i - 1] == '\n')
			return base + (off_t)i;
	return -1; /* one row longer than the window */
}

static int
write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* NDJSON: just past the last line feed, looked for from the end. */
static off_t
last_line_end(int fd, off_t size, char *chunk)
{
	for (off_t end = size; end > 0;) {
		size_t n = end < SCAN_CHUNK ? (size_t)end : SCAN_CHUNK;
		if (read_at(fd, chunk, n, end - (off_t)n) < 0)
			return -1;
		for (size_t i = n; i > 0; i--)
			if (chunk[i - 1] == '\n')
				return end - (off_t)n + (off_t)i;
		end -= (off_t)n;
	}
	return 0;
}

off_t
file_rows_end(int fd, off_t size, bool csv, const char *name, struct cs_error *err)
{
	off_t end = -1;
	if (!csv) {
		char *chunk = xmalloc(SCAN_CHUNK);
		end = last_line_end(fd, size, chunk);
		free(chunk);
	} else {
		size_t n = size < TAIL_WINDOW ? (size_t)size : TAIL_WINDOW;
		off_t base = size - (off_t)n;
		char *w = xmalloc(n ? n : 1);
		if (read_at(fd, w, n, base) == 0) {
			if (base == 0) {
				enum csv_state st = AT_FIELD;
				end = follow_csv(w, n, 0, &st, 0);
			} else if ((end = decide_window(w, n, base)) < 0) {
				end = follow_whole(fd, size);
			}
		}
		free(w);
	}
	if (end < 0)
		cs_error_set(err, name, 0, "cannot read: %s", strerror(errno));
	return end;
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && ascii_casecmp_eq(s + n - k, suffix);
}

bool
file_name_is_ndjson(const char *path)
{
	return ends_with(path, ".ndjson") || ends_with(path, ".jsonl") || ends_with(path, ".json");
}

/* ---- appends ---------------------------------------------------------------- */

struct file_append {
	const char *path;
	const char *what;
	file_append_check_fn *check;
	void *ctx;
	cs_warn_fn *warn;
	void *warn_ctx;
	int fd;             /* -1 while the file does not exist */
	bool is_new;        /* missing, empty or blank: the header goes first */
	bool needs_newline; /* the last line has no line end yet */
	bool created;       /* this handle created the file */
	bool appended;      /* bytes were appended (and can be taken back) */
	off_t start;        /* the file's length before the first append */
	int slot;           /* in pending, while appended */
};

static bool
same_file(int fd, const char *path)
{
	struct stat a, b;
	return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

/*
 * Open a->path and lock it.  Returns the descriptor; -1 with errno ENOENT
 * when the file does not exist and create is false; -1 with err filled
 * (errno 0) on any other failure.
 */
static int
open_locked(struct file_append *a, bool create, struct cs_error *err)
{
	if (check_not_held(a->path, a->path, err) < 0) {
		errno = 0;
		return -1;
	}
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
			cs_error_set(err, a->path, 0, "cannot open %s for appending: %s", a->what,
			             strerror(errno));
			errno = 0;
			return -1;
		}
		int rc;
		while ((rc = flock(fd, LOCK_EX)) != 0 && errno == EINTR)
			;
		if (rc != 0) {
			cs_error_set(err, a->path, 0, "cannot lock %s: %s", a->what,
			             strerror(errno));
			close(fd);
			errno = 0;
			return -1;
		}
		struct stat st;
		if (same_file(fd, a->path) && fstat(fd, &st) == 0) {
			hold(st.st_dev, st.st_ino);
			a->created = created;
			return fd;
		}
		close(fd);
	}
	cs_error_set(err, a->path, 0,
	             "the file keeps being replaced: is another program "
	             "rewriting it?");
	errno = 0;
	return -1;
}

/*
 * Keep the torn tail fd[end..size) at the end of PATH.torn (created with
 * the file's permissions, appended to if an earlier repair made it), then
 * cut it off.  The copy is synced before the cut, so a crash in between
 * leaves the bytes in both places, never in neither.
 */
static int
cut_torn_tail(struct file_append *a, off_t end, off_t size, mode_t mode, struct cs_error *err)
{
	struct buf name = {0};
	buf_printf(&name, "%s.torn", a->path);
	int out = open(name.data, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode & 0666);
	struct stat st;
	off_t kept_at = out >= 0 && fstat(out, &st) == 0 ? st.st_size : 0;
	char *chunk = xmalloc(SCAN_CHUNK);
	int rc = out < 0 ? -1 : 0;
	for (off_t at = end; rc == 0 && at < size;) {
		size_t n = size - at < SCAN_CHUNK ? (size_t)(size - at) : SCAN_CHUNK;
		rc = read_at(a->fd, chunk, n, at) == 0 && write_all(out, chunk, n) == 0 ? 0 : -1;
		at += (off_t)n;
	}
	free(chunk);
	if (rc == 0 && (fsync(out) != 0 || fsync_dir(name.data) != 0))
		rc = -1;
	if (rc < 0) {
		cs_error_set(err, a->path, 0,
		             "%s ends in an incomplete row (%lld bytes an interrupted append "
		             "left), which cannot be kept in %s: %s; nothing was added to it",
		             a->what, (long long)(size - end), name.data, strerror(errno));
		if (out >= 0)
			close(out);
		buf_free(&name);
		return -1;
	}
	close(out);
	if (ftruncate(a->fd, end) != 0 || fsync(a->fd) != 0) {
		cs_error_set(err, a->path, 0, "cannot cut off its incomplete last row: %s",
		             strerror(errno));
		buf_free(&name);
		return -1;
	}
	if (a->warn) {
		struct cs_error w;
		cs_error_set(&w, a->path, 0,
		             "%s ended in an incomplete row, as an interrupted append leaves: "
		             "its last %lld bytes, after byte %lld, were cut off and kept in %s "
		             "(from byte %lld)",
		             a->what, (long long)(size - end), (long long)end, name.data,
		             (long long)kept_at);
		a->warn(a->warn_ctx, &w);
	}
	buf_free(&name);
	return 0;
}

/*
 * Look at the locked file: its type, its length, the caller's check, and
 * its last row, which an append killed halfway may have left torn.
 */
static int
inspect(struct file_append *a, struct cs_error *err)
{
	struct stat st;
	if (fstat(a->fd, &st) != 0)
		return cs_error_set(err, a->path, 0, "cannot read: %s", strerror(errno));
	if (!S_ISREG(st.st_mode))
		return cs_error_set(err, a->path, 0, "%s must be a regular file", a->what);
	a->start = st.st_size;
	a->is_new = true;
	a->needs_newline = false;
	if (st.st_size == 0)
		return 0;
	int rc = a->check ? a->check(a->ctx, a->path, a->fd, st.st_size, err) : FILE_CHECK_CSV;
	if (rc < 0)
		return -1;
	if (rc == FILE_CHECK_EMPTY) {
		char last;
		if (pread(a->fd, &last, 1, st.st_size - 1) != 1)
			return cs_error_set(err, a->path, 0, "cannot read: %s", strerror(errno));
		a->needs_newline = last != '\n';
		return 0;
	}
	a->is_new = false;
	off_t end = file_rows_end(a->fd, st.st_size, rc != FILE_CHECK_LINES, a->path, err);
	if (end < 0)
		return -1;
	if (end == 0)
		return cs_error_set(err, a->path, 0,
		                    "no line of %s is complete, not even the first: is it "
		                    "one? (cs ends every line it writes with a line feed)",
		                    a->what);
	if (end < st.st_size && cut_torn_tail(a, end, st.st_size, st.st_mode, err) < 0)
		return -1;
	a->start = end;
	return 0;
}

struct file_append *
file_append_open(const char *path, const char *what, unsigned flags, file_append_check_fn *check,
                 void *ctx, cs_warn_fn *warn, void *warn_ctx, struct cs_error *err)
{
	guard_signals();
	struct file_append *a = xcalloc(1, sizeof *a);
	a->slot = -1;
	a->path = path;
	a->what = what;
	a->check = check;
	a->ctx = ctx;
	a->warn = warn;
	a->warn_ctx = warn_ctx;
	a->is_new = true;
	errno = 0;
	a->fd = open_locked(a, flags & FILE_APPEND_CREATE, err);
	if (a->fd >= 0) {
		if (inspect(a, err) < 0) {
			file_append_rollback(a, NULL);
			file_append_close(a);
			return NULL;
		}
		return a;
	}
	if (errno != ENOENT) {
		file_append_close(a);
		return NULL;
	}
	/* Created by the first write: say now if that cannot work. */
	char *dir = path_dir(path);
	int rc = access(dir, W_OK | X_OK);
	if (rc != 0)
		cs_error_set(err, path, 0, "cannot create %s in %s: %s", what, dir,
		             strerror(errno));
	free(dir);
	if (rc != 0) {
		file_append_close(a);
		return NULL;
	}
	return a;
}

bool
file_append_is_new(const struct file_append *a)
{
	return a->is_new;
}

int
file_append_ready(struct file_append *a, struct cs_error *err)
{
	if (a->fd >= 0)
		return 0;
	a->fd = open_locked(a, true, err);
	if (a->fd < 0)
		return -1;
	/* Someone may have made it meanwhile: then it is checked like any existing one. */
	if (inspect(a, err) < 0) {
		if (a->created)
			unlink(a->path);
		a->created = false;
		release(a->fd);
		close(a->fd);
		a->fd = -1;
		return -1;
	}
	return 0;
}

int
file_append_write(struct file_append *a, const char *p, size_t len, struct cs_error *err)
{
	if (file_append_ready(a, err) < 0)
		return -1;
	struct stat st;
	if (fstat(a->fd, &st) != 0)
		return cs_error_set(err, a->path, 0, "cannot append: %s", strerror(errno));
	off_t before = st.st_size;
	a->appended = true;
	/* A signal now cuts the file back to where this handle found it (or removes it). */
	if (a->slot < 0)
		a->slot =
		    a->created ? pending_add(a->path, -1, 0) : pending_add(NULL, a->fd, a->start);
	int bad = (a->needs_newline && write_all(a->fd, "\n", 1) != 0) ||
	          write_all(a->fd, p, len) != 0 || fsync(a->fd) != 0;
	/* A new file's name lives in its directory: sync that too, or a crash could lose it. */
	bad = bad || (a->created && fsync_dir(a->path) != 0);
	if (bad) {
		int saved = errno;
		if (ftruncate(a->fd, before) == 0)
			fsync(a->fd);
		return cs_error_set(err, a->path, 0,
		                    "cannot write %s (nothing was added to it): %s", a->what,
		                    strerror(saved));
	}
	a->needs_newline = false;
	a->is_new = false;
	return 0;
}

int
file_append_rollback(struct file_append *a, struct cs_error *err)
{
	if (!a->appended)
		return 0;
	a->appended = false;
	pending_drop(&a->slot);
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
file_append_keep(struct file_append *a)
{
	if (!a)
		return;
	a->appended = false;
	pending_drop(&a->slot);
}

void
file_append_close(struct file_append *a)
{
	if (!a)
		return;
	pending_drop(&a->slot);
	if (a->fd >= 0) {
		release(a->fd);
		close(a->fd);
	}
	free(a);
}
