/*
 * atomic.c - replace a file by writing a temporary file beside it and
 * renaming it over the original.
 *
 * rename(2) within one directory is atomic, so readers see either file whole.
 * What makes it also durable is the order: the temporary file's data is
 * fsynced before the rename (otherwise a crash could leave the new name
 * pointing at empty blocks), and the directory is fsynced after it (so the
 * rename itself is on disk).  Everything up to the rename can fail without
 * touching the original, which is the promise -i/--in-place makes.
 */
/* realpath(3) is an X/Open function: ask for it (this implies POSIX 2008). */
#define _XOPEN_SOURCE 700

#include "atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct atomic_file {
	char *path;       /* the file to replace (symbolic links resolved) */
	char *tmp;        /* the temporary file beside it */
	char *dir;        /* its directory, for the final fsync */
	const char *name; /* the name the caller gave, for messages */
	FILE *f;
};

/* The directory part of path ("." when it has none). */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* The permissions a file created now would get: 0666 less the umask. */
static mode_t
new_file_mode(void)
{
	/* umask can only be read by setting it; put it straight back. */
	mode_t mask = umask(022);
	umask(mask);
	return 0666 & ~mask;
}

struct atomic_file *
atomic_open(const char *path, struct cs_error *err)
{
	struct stat st;
	mode_t mode;
	char *target = NULL;
	if (stat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode)) {
			cs_error_set(err, path, 0, "cannot rewrite in place: not a regular file");
			return NULL;
		}
		mode = st.st_mode & 07777;
		/* Replace the file a symbolic link points to, not the link. */
		target = realpath(path, NULL);
	} else if (errno == ENOENT) {
		mode = new_file_mode();
	} else {
		cs_error_set(err, path, 0, "cannot rewrite: %s", strerror(errno));
		return NULL;
	}
	if (!target)
		target = xstrdup(path);

	struct atomic_file *af = xcalloc(1, sizeof *af);
	af->path = target;
	af->name = path;
	af->dir = dir_of(target);
	const char *base = strrchr(target, '/');
	base = base ? base + 1 : target;
	struct buf tmp = {0};
	/* A dot file, so a listing of the directory does not show it meanwhile. */
	buf_printf(&tmp, "%s/.%s.XXXXXX", af->dir, base);
	af->tmp = tmp.data;
	int fd = mkstemp(af->tmp);
	if (fd < 0) {
		cs_error_set(err, path, 0, "cannot create a temporary file in %s: %s", af->dir,
		             strerror(errno));
		free(af->tmp);
		af->tmp = NULL;
		atomic_abort(af);
		return NULL;
	}
	if (fchmod(fd, mode) != 0 || !(af->f = fdopen(fd, "w"))) {
		cs_error_set(err, path, 0, "cannot set up the temporary file %s: %s", af->tmp,
		             strerror(errno));
		if (!af->f)
			close(fd);
		atomic_abort(af);
		return NULL;
	}
	return af;
}

FILE *
atomic_stream(struct atomic_file *af)
{
	return af->f;
}

static void
atomic_release(struct atomic_file *af)
{
	free(af->path);
	free(af->tmp);
	free(af->dir);
	free(af);
}

void
atomic_abort(struct atomic_file *af)
{
	if (!af)
		return;
	if (af->f)
		fclose(af->f);
	if (af->tmp)
		unlink(af->tmp);
	atomic_release(af);
}

int
atomic_commit(struct atomic_file *af, struct cs_error *err)
{
	FILE *f = af->f;
	af->f = NULL;
	int bad = fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0;
	int saved = errno;
	if (fclose(f) != 0 && !bad) {
		bad = 1;
		saved = errno;
	}
	if (!bad && rename(af->tmp, af->path) != 0) {
		bad = 1;
		saved = errno;
	}
	if (bad) {
		cs_error_set(err, af->name, 0, "cannot write (the file is unchanged): %s",
		             strerror(saved));
		atomic_abort(af);
		return -1;
	}
	int rc = 0;
	int dfd = open(af->dir, O_RDONLY);
	/* Some file systems cannot fsync a directory (EINVAL): the rename is done, accept it. */
	if (dfd < 0 || (fsync(dfd) != 0 && errno != EINVAL))
		rc = cs_error_set(err, af->name, 0, "written, but cannot sync its directory: %s",
		                  strerror(errno));
	if (dfd >= 0)
		close(dfd);
	atomic_release(af);
	return rc;
}
