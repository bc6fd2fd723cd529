/*
 * test_file.c - outputs through a temporary file, appends with a way back.
 */
#define _DEFAULT_SOURCE /* mkdtemp */

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "file.h"
#include "unit.h"

static char dir[64];

static const char *
at(const char *name)
{
	static char path[128];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return path;
}

static void
put(const char *name, const char *text)
{
	FILE *f = fopen(at(name), "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* The file's contents (up to 255 bytes), or "(none)". */
static const char *
get(const char *name)
{
	static char text[256];
	FILE *f = fopen(at(name), "r");
	if (!f)
		return "(none)";
	size_t n = fread(text, 1, sizeof text - 1, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

/* How many entries the directory holds: a temporary file left behind shows. */
static int
entries(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "ls -A %s | wc -l", dir);
	FILE *p = popen(cmd, "r");
	int n = -1;
	if (p) {
		if (fscanf(p, "%d", &n) != 1)
			n = -1;
		pclose(p);
	}
	return n;
}

static void
test_output(void)
{
	struct cs_error err;
	put("book.csv", "old\n");
	chmod(at("book.csv"), 0640);

	/* Until commit the target is untouched; abort leaves it and nothing else. */
	struct file_output *o = file_output_open(at("book.csv"), &err);
	CHECK(o != NULL);
	if (o) {
		CHECK_INT(file_output_kind(o), FILE_OUTPUT_REPLACES);
		fputs("new\n", file_output_stream(o));
		fflush(file_output_stream(o));
		CHECK_STR(get("book.csv"), "old\n");
		file_output_abort(o);
	}
	CHECK_STR(get("book.csv"), "old\n");
	CHECK_INT(entries(), 1);

	/* Commit replaces it, keeping its mode. */
	o = file_output_open(at("book.csv"), &err);
	if (o) {
		fputs("new\n", file_output_stream(o));
		CHECK_INT(file_output_commit(o, &err), 0);
	}
	CHECK_STR(get("book.csv"), "new\n");
	struct stat st;
	CHECK(stat(at("book.csv"), &st) == 0 && (st.st_mode & 0777) == 0640);
	CHECK_INT(entries(), 1);

	/* Through a symbolic link: the file it names is replaced, the link kept. */
	CHECK(symlink("book.csv", at("link.csv")) == 0); /* at()'s buffer is used once a call */
	o = file_output_open(at("link.csv"), &err);
	if (o) {
		fputs("linked\n", file_output_stream(o));
		CHECK_INT(file_output_commit(o, &err), 0);
	}
	CHECK(lstat(at("link.csv"), &st) == 0 && S_ISLNK(st.st_mode));
	CHECK_STR(get("book.csv"), "linked\n");
	unlink(at("link.csv"));

	/* A new file is created only by the commit. */
	o = file_output_open(at("new.csv"), &err);
	if (o) {
		CHECK_INT(file_output_kind(o), FILE_OUTPUT_CREATES);
		CHECK_STR(get("new.csv"), "(none)");
		CHECK_INT(file_output_commit(o, &err), 0);
	}
	CHECK_STR(get("new.csv"), "");
	unlink(at("new.csv"));

	/* Standard output and devices are written directly. */
	o = file_output_open("-", &err);
	CHECK(o && file_output_kind(o) == FILE_OUTPUT_DIRECT && file_output_stream(o) == stdout);
	CHECK_STR(file_output_name(o), "<stdout>");
	CHECK_INT(file_output_commit(o, &err), 0);
	o = file_output_open("/dev/null", &err);
	CHECK(o && file_output_kind(o) == FILE_OUTPUT_DIRECT);
	CHECK_INT(file_output_commit(o, &err), 0);

	/* A full device is a write error at commit. */
	o = file_output_open("/dev/full", &err);
	if (o) {
		fputs("x\n", file_output_stream(o));
		CHECK_INT(file_output_commit(o, &err), -1);
		CHECK_STR(err.msg, "write error: No space left on device");
	}

	/* A directory, and a path under a regular file. */
	CHECK(file_output_open(dir, &err) == NULL);
	CHECK_STR(err.msg, "cannot write: Is a directory");
	CHECK(file_output_open(at("book.csv/x.csv"), &err) == NULL);
	CHECK_STR(err.msg, "cannot write: Not a directory");
	unlink(at("book.csv"));
}

/* A file changed by someone else while a run works on it is not replaced. */
static void
test_changed_meanwhile(void)
{
	struct cs_error err;
	put("book.csv", "old\n");
	struct file_output *o = file_output_open(at("book.csv"), &err);
	if (o) {
		fputs("ours\n", file_output_stream(o));
		/* A spreadsheet saves the book: a new file renamed over it. */
		put("saved.csv", "theirs\n");
		char saved[128];
		snprintf(saved, sizeof saved, "%s", at("saved.csv"));
		CHECK(rename(saved, at("book.csv")) == 0);
		CHECK_INT(file_output_commit(o, &err), -1);
		CHECK(strstr(err.msg, "changed by someone else while this run read it") != NULL);
	}
	CHECK_STR(get("book.csv"), "theirs\n");
	CHECK_STR(get("book.csv.cs-new"), "ours\n");
	unlink(at("book.csv.cs-new"));
	/* The same file written in place (a longer text) is noticed too. */
	o = file_output_open(at("book.csv"), &err);
	if (o) {
		put("book.csv", "theirs, longer\n");
		CHECK_INT(file_output_commit(o, &err), -1);
	}
	CHECK_STR(get("book.csv"), "theirs, longer\n");
	unlink(at("book.csv.cs-new"));

	/* One file named as two outputs of one run is refused, not a wait for ever. */
	o = file_output_open(at("book.csv"), &err);
	CHECK(file_output_open(at("book.csv"), &err) == NULL);
	CHECK_STR(err.msg, "named twice as an output of this run: name another file");
	CHECK(file_append_open(at("book.csv"), "the archive", 0, NULL, NULL, &err) == NULL);
	file_output_abort(o);
	/* Once released, it can be opened again. */
	o = file_output_open(at("book.csv"), &err);
	CHECK(o != NULL);
	file_output_abort(o);

	/* As root, a replaced file keeps its owner and group. */
	if (geteuid() == 0) {
		CHECK(chown(at("book.csv"), 65534, 65534) == 0);
		chmod(at("book.csv"), 0640);
		o = file_output_open(at("book.csv"), &err);
		if (o) {
			fputs("new\n", file_output_stream(o));
			CHECK_INT(file_output_commit(o, &err), 0);
		}
		struct stat st;
		CHECK(stat(at("book.csv"), &st) == 0 && st.st_uid == 65534 && st.st_gid == 65534 &&
		      (st.st_mode & 0777) == 0640);
	}
	unlink(at("book.csv"));
}

/* A check that accepts files starting with "h\n", treats blank ones as empty. */
static int
check(void *ctx, const char *path, int fd, off_t size, struct cs_error *err)
{
	(void)ctx, (void)size;
	char head[2] = "";
	if (pread(fd, head, 2, 0) != 2)
		return 1;
	if (memcmp(head, "h\n", 2) != 0)
		return cs_error_set(err, path, 1, "not ours");
	return 0;
}

static void
test_append(void)
{
	struct cs_error err;
	/* Without FILE_APPEND_CREATE a missing file is made by the first write only. */
	struct file_append *a = file_append_open(at("log"), "the log", 0, check, NULL, &err);
	CHECK(a != NULL);
	if (a) {
		CHECK(file_append_is_new(a));
		CHECK_STR(get("log"), "(none)");
		CHECK_INT(file_append_write(a, "h\nr1\n", 5, &err), 0);
		CHECK(!file_append_is_new(a));
		file_append_close(a);
	}
	CHECK_STR(get("log"), "h\nr1\n");

	/* A second append, then a rollback: back to the length it had. */
	a = file_append_open(at("log"), "the log", 0, check, NULL, &err);
	if (a) {
		CHECK(!file_append_is_new(a));
		CHECK_INT(file_append_write(a, "r2\n", 3, &err), 0);
		CHECK_INT(file_append_write(a, "r3\n", 3, &err), 0);
		CHECK_STR(get("log"), "h\nr1\nr2\nr3\n");
		CHECK_INT(file_append_rollback(a, &err), 0);
		file_append_close(a);
	}
	CHECK_STR(get("log"), "h\nr1\n");

	/* A last line without its line end gets one before the new rows. */
	put("log", "h\nr1");
	a = file_append_open(at("log"), "the log", 0, check, NULL, &err);
	if (a) {
		CHECK_INT(file_append_write(a, "r2\n", 3, &err), 0);
		file_append_close(a);
	}
	CHECK_STR(get("log"), "h\nr1\nr2\n");

	/* The check refuses a file that is not ours; blank counts as new. */
	put("book", "id,name\n");
	CHECK(file_append_open(at("book"), "the log", 0, check, NULL, &err) == NULL);
	CHECK_STR(err.msg, "not ours");
	CHECK_STR(get("book"), "id,name\n");
	put("blank", "\n");
	a = file_append_open(at("blank"), "the log", 0, check, NULL, &err);
	CHECK(a && file_append_is_new(a));
	file_append_close(a);

	/* A file this handle created is removed again by a rollback. */
	a = file_append_open(at("fresh"), "the log", 0, check, NULL, &err);
	if (a) {
		CHECK_INT(file_append_write(a, "h\n", 2, &err), 0);
		CHECK_INT(file_append_rollback(a, &err), 0);
		file_append_close(a);
	}
	CHECK_STR(get("fresh"), "(none)");

	/* Where a file cannot be made, it says so at open. */
	CHECK(file_append_open(at("none/x"), "the archive", 0, check, NULL, &err) == NULL);
	CHECK(strstr(err.msg, "cannot create the archive in") != NULL);
	CHECK(file_append_open(at("book/x"), "the archive", 0, check, NULL, &err) == NULL);
	CHECK_STR(err.msg, "cannot open the archive for appending: Not a directory");
	CHECK(file_append_open(dir, "the archive", 0, check, NULL, &err) == NULL);
	CHECK_STR(err.msg, "cannot open the archive for appending: Is a directory");
	unlink(at("log"));
	unlink(at("book"));
	unlink(at("blank"));
}

static void
test_copy_stream(void)
{
	FILE *spool = tmpfile(), *to = tmpfile();
	struct cs_error err;
	char big[100000];
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (char)('a' + i % 26);
	fwrite(big, 1, sizeof big, spool); /* more than one chunk, not yet flushed */
	CHECK_INT(file_copy_stream(spool, to, "out", &err), 0);
	CHECK_INT(ftell(to), (long)sizeof big);
	rewind(to);
	char back[sizeof big];
	CHECK_INT(fread(back, 1, sizeof back, to), sizeof big);
	CHECK(memcmp(back, big, sizeof big) == 0);
	fclose(to);
	FILE *full = fopen("/dev/full", "w");
	if (full) {
		setvbuf(full, NULL, _IONBF, 0);
		CHECK_INT(file_copy_stream(spool, full, "full", &err), -1);
		CHECK(strncmp(err.msg, "write error: ", 13) == 0);
		CHECK_STR(err.file, "full");
		fclose(full);
	}
	fclose(spool);
}

int
main(void)
{
	snprintf(dir, sizeof dir, "%s/cs-file.XXXXXX",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_output();
	test_changed_meanwhile();
	test_append();
	test_copy_stream();
	CHECK_INT(entries(), 0); /* nothing left behind */
	rmdir(dir);
	return unit_report("file");
}
