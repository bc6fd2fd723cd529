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
	int fd = mkstemp(o->tmp);
	if (fd < 0) {
		cs_error_set(err, o->name, 0, "cannot create a temporary file in %s: %s", dir,
		             strerror(errno));
		free(dir);
		free(o->tmp);
		o->tmp = NULL;
		return -1;
	}
	free(dir);
	o->slot = pending_add(o->tmp, -1, 0);
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
	FILE *f = o->f;
	o->f = NULL;
	if (!o->tmp) {
		int rc = finish_stream(f, false);
		if (rc < 0)
			cs_error_set(err, o->name, 0, "write error: %s", strerror(errno));
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
	if (rename(o->tmp, o->path) != 0) {
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

/* ---- appends ---------------------------------------------------------------- */

struct file_append {
	const char *path;
	const char *what;
	file_append_check_fn *check;
	void *ctx;
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

/* Look at the locked file: its type, its length, its last byte, and the caller's check. */
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
	char last;
	if (pread(a->fd, &last, 1, st.st_size - 1) != 1)
		return cs_error_set(err, a->path, 0, "cannot read: %s", strerror(errno));
	a->needs_newline = last != '\n';
	int rc = a->check ? a->check(a->ctx, a->path, a->fd, st.st_size, err) : 0;
	if (rc < 0)
		return -1;
	a->is_new = rc == 1;
	return 0;
}

struct file_append *
file_append_open(const char *path, const char *what, unsigned flags, file_append_check_fn *check,
                 void *ctx, struct cs_error *err)
{
	guard_signals();
	struct file_append *a = xcalloc(1, sizeof *a);
	a->slot = -1;
	a->path = path;
	a->what = what;
	a->check = check;
	a->ctx = ctx;
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
