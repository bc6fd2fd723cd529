/*
 * test_file.c - outputs through a temporary file, appends with a way back.
 */
#define _DEFAULT_SOURCE /* mkdtemp */

#include <fcntl.h>
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
	CHECK(file_append_open(at("book.csv"), "the archive", 0, NULL, NULL, NULL, NULL, &err) ==
	      NULL);
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
	struct file_append *a =
	    file_append_open(at("log"), "the log", 0, check, NULL, NULL, NULL, &err);
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
	a = file_append_open(at("log"), "the log", 0, check, NULL, NULL, NULL, &err);
	if (a) {
		CHECK(!file_append_is_new(a));
		CHECK_INT(file_append_write(a, "r2\n", 3, &err), 0);
		CHECK_INT(file_append_write(a, "r3\n", 3, &err), 0);
		CHECK_STR(get("log"), "h\nr1\nr2\nr3\n");
		CHECK_INT(file_append_rollback(a, &err), 0);
		file_append_close(a);
	}
	CHECK_STR(get("log"), "h\nr1\n");

	/* A blank file without a line end gets one before the header. */
	put("log", " ");
	a = file_append_open(at("log"), "the log", 0, check, NULL, NULL, NULL, &err);
	if (a) {
		CHECK(file_append_is_new(a));
		CHECK_INT(file_append_write(a, "h\n", 2, &err), 0);
		file_append_close(a);
	}
	CHECK_STR(get("log"), " \nh\n");

	/* The check refuses a file that is not ours; blank counts as new. */
	put("book", "id,name\n");
	CHECK(file_append_open(at("book"), "the log", 0, check, NULL, NULL, NULL, &err) == NULL);
	CHECK_STR(err.msg, "not ours");
	CHECK_STR(get("book"), "id,name\n");
	put("blank", "\n");
	a = file_append_open(at("blank"), "the log", 0, check, NULL, NULL, NULL, &err);
	CHECK(a && file_append_is_new(a));
	file_append_close(a);

	/* A file this handle created is removed again by a rollback. */
	a = file_append_open(at("fresh"), "the log", 0, check, NULL, NULL, NULL, &err);
	if (a) {
		CHECK_INT(file_append_write(a, "h\n", 2, &err), 0);
		CHECK_INT(file_append_rollback(a, &err), 0);
		file_append_close(a);
	}
	CHECK_STR(get("fresh"), "(none)");

	/* Where a file cannot be made, it says so at open. */
	CHECK(file_append_open(at("none/x"), "the archive", 0, check, NULL, NULL, NULL, &err) ==
	      NULL);
	CHECK(strstr(err.msg, "cannot create the archive in") != NULL);
	CHECK(file_append_open(at("book/x"), "the archive", 0, check, NULL, NULL, NULL, &err) ==
	      NULL);
	CHECK_STR(err.msg, "cannot open the archive for appending: Not a directory");
	CHECK(file_append_open(dir, "the archive", 0, check, NULL, NULL, NULL, &err) == NULL);
	CHECK_STR(err.msg, "cannot open the archive for appending: Is a directory");
	unlink(at("log"));
	unlink(at("book"));
	unlink(at("blank"));
}

/* file_rows_end on text: written to "rows", measured, removed. */
static long
rows_end(const char *text, size_t len, bool csv)
{
	FILE *f = fopen(at("rows"), "w");
	if (!f)
		return -2;
	fwrite(text, 1, len, f);
	fclose(f);
	int fd = open(at("rows"), O_RDONLY);
	struct cs_error err;
	long end = fd < 0 ? -2 : (long)file_rows_end(fd, (off_t)len, csv, "rows", &err);
	if (fd >= 0)
		close(fd);
	unlink(at("rows"));
	return end;
}

#define ROWS_END(text, csv) rows_end(text, sizeof text - 1, csv)

/* A pseudo-random number from *state (xorshift64), so a failure replays. */
static unsigned
next_random(unsigned long long *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return (unsigned)(*state >> 32);
}

/*
 * Rows as cs writes them, one field quoted when it holds a comma, a quote
 * or a line end (quotes doubled), until the text is over size bytes; the
 * offset after each row end is marked in ends.  kind 0: fields of letters,
 * commas, quotes and line ends; 1: letters only; 2: empty quoted fields
 * and letters (no opening quote that is certain).
 */
static void
make_rows(struct buf *b, bool *ends, size_t size, int kind, unsigned long long *seed)
{
	static const char pool[] = "abc,\"\n ";
	while (b->len < size) {
		for (int field = 0; field < 4; field++) {
			if (field)
				buf_putc(b, ',');
			if (kind == 2 && field == 1) {
				buf_puts(b, "\"\"");
				continue;
			}
			char value[40];
			size_t n = next_random(seed) % 12;
			for (size_t i = 0; i < n; i++)
				value[i] = kind != 0 ? 'a' + (char)(next_random(seed) % 3)
				                     : pool[next_random(seed) % (sizeof pool - 1)];
			bool quote = false;
			for (size_t i = 0; i < n; i++)
				quote = quote || strchr(",\"\n", value[i]) ||
				        (value[i] == ' ' && (i == 0 || i == n - 1));
			if (quote)
				buf_putc(b, '"');
			for (size_t i = 0; i < n; i++) {
				if (value[i] == '"')
					buf_putc(b, '"');
				buf_putc(b, value[i]);
			}
			if (quote)
				buf_putc(b, '"');
		}
		buf_putc(b, '\n');
		ends[b->len] = true;
	}
}

static void
test_rows_end(void)
{
	/* Small files are followed from the start: exact. */
	CHECK_INT(ROWS_END("h\nr1\n", true), 5);
	CHECK_INT(ROWS_END("h\nr1", true), 2);
	CHECK_INT(ROWS_END("h\nx,\"a\nb\"\n", true), 10);
	CHECK_INT(ROWS_END("h\nx,\"a\n", true), 2); /* torn right after a line end in quotes */
	CHECK_INT(ROWS_END("h\nx,\"a\"\"\n\"\"\n", true), 2);
	CHECK_INT(ROWS_END("h\r\nr\r\n", true), 6);
	CHECK_INT(ROWS_END("h\r\nr\r", true), 3);
	CHECK_INT(ROWS_END("h", true), 0);
	CHECK_INT(ROWS_END("37\"N,x\n\"a\"  ,b\n", true), 15); /* quotes as the reader reads them */
	/* NDJSON: the last line end, quotes or not. */
	CHECK_INT(ROWS_END("{\"a\":\"x\"}\n{\"a\":\"", false), 10);
	CHECK_INT(ROWS_END("{\"a\":1}", false), 0);

	/*
	 * Files larger than the window, cut at pseudo-random points: the answer
	 * must be the last row end before the cut, whether it comes from an
	 * opening quote that is certain, a window without quotes, or (only
	 * empty "" fields) the whole file followed from the start.
	 */
	unsigned long long seed = 0x5eed17;
	for (int kind = 0; kind < 3; kind++) {
		size_t size = (3u << 20) / 2;
		struct buf b = {0};
		bool *ends = xcalloc(size + 4096, sizeof *ends);
		buf_puts(&b, "a,b,c,d\n");
		ends[b.len] = true;
		make_rows(&b, ends, size, kind, &seed);
		FILE *f = fopen(at("big"), "w");
		if (f) {
			fwrite(b.data, 1, b.len, f);
			fclose(f);
		}
		int fd = open(at("big"), O_RDONLY);
		for (int i = 0; i < 40 && fd >= 0; i++) {
			size_t cut = b.len - next_random(&seed) % 4096;
			size_t want = cut;
			while (!ends[want])
				want--;
			struct cs_error err;
			off_t got = file_rows_end(fd, (off_t)cut, true, "big", &err);
			if (got != (off_t)want)
				fprintf(stderr, "kind %d, cut at %zu: %lld, want %zu\n", kind, cut,
				        (long long)got, want);
			CHECK(got == (off_t)want);
		}
		if (fd >= 0)
			close(fd);
		unlink(at("big"));
		free(ends);
		buf_free(&b);
	}
}

/* cs_warn_fn: keep the last warning. */
static void
keep_warning(void *ctx, const struct cs_error *w)
{
	snprintf(ctx, sizeof((struct cs_error *)0)->msg, "%s", w->msg);
}

static void
test_torn_tail(void)
{
	struct cs_error err;
	char warning[sizeof err.msg] = "";
	/* A torn last row is cut off, kept in .torn, and reported with its bytes. */
	put("log", "h\nr1\nr2 to");
	struct file_append *a =
	    file_append_open(at("log"), "the log", 0, check, NULL, keep_warning, warning, &err);
	CHECK(a != NULL);
	if (a) {
		CHECK_INT(file_append_write(a, "r2\n", 3, &err), 0);
		/* A rollback goes back to the repaired length, not the torn one. */
		CHECK_INT(file_append_rollback(a, &err), 0);
		file_append_close(a);
	}
	CHECK_STR(get("log"), "h\nr1\n");
	CHECK_STR(get("log.torn"), "r2 to");
	CHECK(strncmp(warning,
	              "the log ended in an incomplete row, as an interrupted append leaves: "
	              "its last 5 bytes, after byte 5, were cut off and kept in ",
	              125) == 0);
	CHECK(strstr(warning, "/log.torn (from byte 0)") != NULL);
	/* A second repair adds to the .torn file; a complete file is left alone. */
	put("log", "h\nr1\n\"r2\n");
	warning[0] = '\0';
	a = file_append_open(at("log"), "the log", 0, check, NULL, keep_warning, warning, &err);
	file_append_close(a);
	CHECK_STR(get("log"), "h\nr1\n");
	CHECK_STR(get("log.torn"), "r2 to\"r2\n");
	CHECK(strstr(warning, "its last 4 bytes, after byte 5, were cut off") != NULL);
	CHECK(strstr(warning, "/log.torn (from byte 5)") != NULL);
	warning[0] = '\0';
	a = file_append_open(at("log"), "the log", 0, check, NULL, keep_warning, warning, &err);
	file_append_close(a);
	CHECK_STR(get("log"), "h\nr1\n");
	CHECK_STR(warning, "");
	/* No complete line at all: refused, the file left as it is. */
	put("log", "h");
	CHECK(file_append_open(at("log"), "the log", 0, NULL, NULL, NULL, NULL, &err) == NULL);
	CHECK(strstr(err.msg, "no line of the log is complete") != NULL);
	CHECK_STR(get("log"), "h");
	/* Where the torn bytes cannot be kept, nothing is cut and nothing appended. */
	put("log", "h\nr1\nr2");
	unlink(at("log.torn"));
	CHECK(mkdir(at("log.torn"), 0700) == 0);
	CHECK(file_append_open(at("log"), "the log", 0, check, NULL, NULL, NULL, &err) == NULL);
	CHECK(strstr(err.msg, "which cannot be kept in") != NULL);
	CHECK_STR(get("log"), "h\nr1\nr2");
	rmdir(at("log.torn"));
	unlink(at("log"));
}

static void
test_copy_stream(void)
{
	FILE *spool = tmp_nameless(), *to = tmp_nameless();
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
	unit_tmp_template(dir, sizeof dir, "cs-file");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_output();
	test_changed_meanwhile();
	test_append();
	test_rows_end();
	test_torn_tail();
	test_copy_stream();
	CHECK_INT(entries(), 0); /* nothing left behind */
	rmdir(dir);
	return unit_report("file");
}
