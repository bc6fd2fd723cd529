/*
 * input.c - buffered, encoding-aware reading.
 *
 * Reads go straight into one buffer of INPUT_CHUNK bytes or more with
 * read(2): stdio would copy every byte once more.  Converted inputs read into
 * a second, raw buffer and iconv writes the UTF-8 into the main one; a
 * multibyte sequence cut by a chunk boundary stays in the raw buffer for the
 * next round (EINVAL from iconv).
 *
 * An .xlsx workbook is not parsed here: Debian's xlsx2csv, run as a child
 * with an argument array (no shell), writes its CSV into a pipe that
 * becomes the input's descriptor, so every reader above sees CSV and the
 * rows are read as they come.  Its standard error goes to a temporary
 * file, read only when it fails, so its message (not a Python traceback)
 * names what was wrong.
 */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "utf8.h"

extern char **environ;

struct input {
	int fd;
	bool is_stdin; /* fd is not enough: with fd 0 closed, a file opens as 0 */
	const char *name;
	char *buf; /* data: buf[pos..len) unconsumed */
	size_t pos, len, cap;
	bool eof;
	iconv_t cd; /* (iconv_t)-1 when reading UTF-8 */
	char *raw;  /* converted inputs: bytes read, not yet converted */
	size_t raw_len;
	bool raw_eof;
	char encoding[32];
	uint64_t bytes_read, size; /* for input_bytes_read and input_size */
	/* A workbook: xlsx2csv's process (0 once reaped), its stderr, a stdin spool. */
	pid_t child;
	FILE *child_err;
	char *spool;
};

const char *
input_name(const struct input *in)
{
	return in->name;
}

uint64_t
input_bytes_read(const struct input *in)
{
	return in->bytes_read;
}

uint64_t
input_size(const struct input *in)
{
	return in->size;
}

const char *
input_encoding(const struct input *in)
{
	return in->encoding;
}

const char *
input_peek(const struct input *in, size_t *len)
{
	*len = in->len - in->pos;
	return in->buf + in->pos;
}

void
input_consume(struct input *in, size_t n)
{
	in->pos += n;
}

bool
input_eof(const struct input *in)
{
	return in->eof && in->pos == in->len;
}

static int
xlsx2csv_missing(const struct input *in, struct cs_error *err)
{
	return cs_error_set(err, in->name, 0,
	                    "this is an .xlsx workbook, and reading one needs xlsx2csv, which is "
	                    "not installed (Debian and Ubuntu: apt-get install xlsx2csv); or save "
	                    "it from the spreadsheet as \"CSV UTF-8\"");
}

/*
 * Wait for xlsx2csv, once its output has ended.  Returns 0 if it succeeded,
 * else -1 with err filled from the first line it wrote on stderr.
 */
static int
reap_child(struct input *in, struct cs_error *err)
{
	int st;
	pid_t pid = in->child;
	in->child = 0;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return cs_error_set(err, in->name, 0, "cannot wait for xlsx2csv: %s",
			                    strerror(errno));
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	char line[256] = "";
	rewind(in->child_err);
	if (!fgets(line, sizeof line, in->child_err) || !line[0] || line[0] == '\n') {
		/* POSIX lets posix_spawnp report a failed exec as a child that exits 127. */
		if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
			return xlsx2csv_missing(in, err);
		snprintf(line, sizeof line, "exit status %d", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	}
	line[strcspn(line, "\n")] = '\0';
	/* Standard input was spooled: say "<stdin>", not the temporary name. */
	char *at = in->spool ? strstr(line, in->spool) : NULL;
	if (at)
		*at = '\0';
	return cs_error_set(err, in->name, 0,
	                    "xlsx2csv could not read the workbook: %s%s%s (or save it from the "
	                    "spreadsheet as \"CSV UTF-8\")",
	                    line, at ? in->name : "", at ? at + strlen(in->spool) : "");
}

/* Read up to n bytes into p; returns the count, 0 at end, -1 on error. */
static long
read_some(struct input *in, char *p, size_t n, struct cs_error *err)
{
	for (;;) {
		ssize_t got = read(in->fd, p, n);
		if (got == 0 && in->child)
			return reap_child(in, err) < 0 ? -1 : 0;
		if (got >= 0) {
			in->bytes_read += (uint64_t)got;
			return (long)got;
		}
		if (errno != EINTR)
			return cs_error_set(err, in->name, 0, "cannot read: %s", strerror(errno));
	}
}

/* Make room at the end of the buffer: drop consumed bytes, grow when full. */
static void
make_room(struct input *in)
{
	if (in->pos > 0) {
		memmove(in->buf, in->buf + in->pos, in->len - in->pos);
		in->len -= in->pos;
		in->pos = 0;
	}
	if (in->cap - in->len < INPUT_CHUNK / 2) {
		in->cap *= 2;
		in->buf = xrealloc(in->buf, in->cap);
	}
}

static int
fill_converted(struct input *in, struct cs_error *err)
{
	size_t before = in->len;
	while (in->len == before) {
		if (!in->raw_eof && in->raw_len < INPUT_CHUNK) {
			long got =
			    read_some(in, in->raw + in->raw_len, INPUT_CHUNK - in->raw_len, err);
			if (got < 0)
				return -1;
			if (got == 0)
				in->raw_eof = true;
			in->raw_len += (size_t)got;
		}
		if (in->raw_len == 0) {
			in->eof = true;
			return 0;
		}
		char *src = in->raw, *dst = in->buf + in->len;
		size_t src_left = in->raw_len, dst_left = in->cap - in->len;
		size_t r = iconv(in->cd, &src, &src_left, &dst, &dst_left);
		in->len = (size_t)(dst - in->buf);
		if (r == (size_t)-1 && errno == EILSEQ)
			return cs_error_set(
			    err, in->name, 0,
			    "a byte sequence is not valid %s (near byte %zu of a chunk)",
			    in->encoding, (size_t)(src - in->raw));
		if (r == (size_t)-1 && errno == EINVAL && in->raw_eof)
			return cs_error_set(err, in->name, 0, "input ends inside a %s character",
			                    in->encoding);
		memmove(in->raw, src, src_left);
		in->raw_len = src_left;
		if (r == (size_t)-1 && errno == E2BIG && in->len == before)
			make_room(in);
	}
	return 1;
}

int
input_fill(struct input *in, struct cs_error *err)
{
	if (in->eof)
		return 0;
	make_room(in);
	if (in->cd != (iconv_t)-1)
		return fill_converted(in, err);
	long got = read_some(in, in->buf + in->len, in->cap - in->len, err);
	if (got < 0)
		return -1;
	if (got == 0) {
		in->eof = true;
		return 0;
	}
	in->len += (size_t)got;
	return 1;
}

static int
start_iconv(struct input *in, const char *from, struct cs_error *err)
{
	in->cd = iconv_open("UTF-8", from);
	if (in->cd == (iconv_t)-1)
		return cs_error_set(err, in->name, 0, "unknown encoding \"%s\"", from);
	snprintf(in->encoding, sizeof in->encoding, "%s", from);
	in->raw = xmalloc(INPUT_CHUNK);
	/* What was read so far is raw input: move it over. */
	memcpy(in->raw, in->buf + in->pos, in->len - in->pos);
	in->raw_len = in->len - in->pos;
	in->pos = in->len = 0;
	in->raw_eof = in->eof;
	in->eof = false;
	/* Callers peek at the first chunk: have it converted already. */
	return fill_converted(in, err) < 0 ? -1 : 0;
}

static const char *
iconv_name(const char *encoding)
{
	if (ascii_casecmp_eq(encoding, "cp1252") || ascii_casecmp_eq(encoding, "windows-1252"))
		return "WINDOWS-1252";
	if (ascii_casecmp_eq(encoding, "latin1") || ascii_casecmp_eq(encoding, "iso-8859-1"))
		return "ISO-8859-1";
	if (ascii_casecmp_eq(encoding, "utf16") || ascii_casecmp_eq(encoding, "utf-16"))
		return "UTF-16";
	return encoding;
}

/* Fill the first chunk (more than one read if need be, for a pipe). */
static int
fill_first(struct input *in, struct cs_error *err)
{
	while (!in->eof && in->len < INPUT_CHUNK / 4) {
		long got = read_some(in, in->buf + in->len, in->cap - in->len, err);
		if (got < 0)
			return -1;
		if (got == 0)
			in->eof = true;
		in->len += (size_t)got;
	}
	return 0;
}

/*
 * Text in UTF-16 without a BOM has a NUL beside each ASCII character: a
 * reader of UTF-8 would only say "a NUL byte".  Look at the first few pairs.
 */
static bool
looks_utf16(const struct input *in)
{
	const unsigned char *b = (const unsigned char *)in->buf + in->pos;
	size_t n = in->len - in->pos;
	if (n < 8)
		return false;
	bool le = true, be = true;
	for (size_t i = 0; i + 1 < 8; i += 2) {
		le = le && b[i] && !b[i + 1];
		be = be && !b[i] && b[i + 1];
	}
	return le || be;
}

bool
input_encoding_known(const char *encoding)
{
	if (ascii_casecmp_eq(encoding, "auto") || ascii_casecmp_eq(encoding, "utf8") ||
	    ascii_casecmp_eq(encoding, "utf-8"))
		return true;
	iconv_t cd = iconv_open("UTF-8", iconv_name(encoding));
	if (cd == (iconv_t)-1)
		return false;
	iconv_close(cd);
	return true;
}

/*
 * Standard input holds a workbook: copy what was read and the rest to a
 * temporary file (in->spool, removed by input_close) for xlsx2csv to read.
 */
static int
spool_stdin(struct input *in, struct cs_error *err)
{
	struct buf path = {0};
	int fd = tmp_named("cs-workbook", &path);
	if (fd < 0) {
		buf_free(&path);
		return cs_error_set(err, in->name, 0, "cannot copy the workbook to a temporary file: %s",
		                    strerror(errno));
	}
	in->spool = path.data;
	for (;;) {
		for (size_t done = 0; done < in->len;) {
			ssize_t put = write(fd, in->buf + done, in->len - done);
			if (put < 0 && errno == EINTR)
				continue;
			if (put < 0) {
				cs_error_set(err, in->name, 0, "cannot copy the workbook: %s", strerror(errno));
				close(fd);
				return -1;
			}
			done += (size_t)put;
		}
		in->len = 0;
		if (in->eof)
			break;
		long got = read_some(in, in->buf, in->cap, err);
		if (got < 0) {
			close(fd);
			return -1;
		}
		in->eof = got == 0;
		in->len = (size_t)got;
	}
	if (close(fd) < 0)
		return cs_error_set(err, in->name, 0, "cannot copy the workbook: %s", strerror(errno));
	return 0;
}

/* Run xlsx2csv on the workbook and read its CSV instead (see the top of the file). */
static int
start_xlsx2csv(struct input *in, const char *sheet, struct cs_error *err)
{
	if (in->is_stdin && spool_stdin(in, err) < 0)
		return -1;
	const char *path = in->spool ? in->spool : in->name;
	const char *argv[12];
	size_t n = 0;
	argv[n++] = "xlsx2csv";
	argv[n++] = "--delimiter=,";
	argv[n++] = "--dateformat=%Y-%m-%d";
	if (sheet) {
		bool number = sheet[0] && sheet[0] != '0' && strspn(sheet, "0123456789") == strlen(sheet);
		argv[n++] = number ? "--sheet" : "--sheetname";
		argv[n++] = sheet;
	}
	argv[n++] = "--";
	argv[n++] = path;
	argv[n] = NULL;

	int fds[2];
	in->child_err = tmp_nameless();
	if (!in->child_err || pipe(fds) < 0)
		return cs_error_set(err, in->name, 0, "cannot start xlsx2csv: %s", strerror(errno));
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, fileno(in->child_err), STDERR_FILENO);
	pid_t pid;
	int rc = posix_spawnp(&pid, "xlsx2csv", &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (rc != 0) {
		close(fds[0]);
		if (rc == ENOENT)
			return xlsx2csv_missing(in, err);
		return cs_error_set(err, in->name, 0, "cannot start xlsx2csv: %s", strerror(rc));
	}
	in->child = pid;
	if (!in->is_stdin)
		close(in->fd);
	in->fd = fds[0];
	in->pos = in->len = 0;
	in->eof = false;
	if (fill_first(in, err) < 0)
		return -1;
	/* xlsx2csv writes nothing, and succeeds, for a sheet number the workbook lacks. */
	if (in->len == 0)
		return cs_error_set(err, in->name, 0, "the workbook has no sheet %s, or it is empty",
		                    sheet ? sheet : "1");
	return 0;
}

/* An .ods is a ZIP file too, whose first member is "mimetype", stored, naming it. */
static bool
is_ods(const char *b, size_t n)
{
	static const char mime[] = "mimetypeapplication/vnd.oasis.opendocument";
	return n >= 30 + sizeof mime - 1 && memcmp(b + 30, mime, sizeof mime - 1) == 0;
}

struct input *
input_open(const char *path, const char *encoding, struct cs_error *err)
{
	return input_open_sheet(path, encoding, NULL, err);
}

struct input *
input_open_sheet(const char *path, const char *encoding, const char *sheet, struct cs_error *err)
{
	struct input *in = xcalloc(1, sizeof *in);
	in->cd = (iconv_t)-1;
	if (!path || strcmp(path, "-") == 0) {
		in->fd = STDIN_FILENO;
		in->is_stdin = true;
		in->name = "<stdin>";
	} else {
		in->name = path;
		in->fd = open(path, O_RDONLY);
		if (in->fd < 0) {
			cs_error_set(err, path, 0, "cannot open: %s", strerror(errno));
			free(in);
			return NULL;
		}
	}
	in->cap = INPUT_CHUNK;
	in->buf = xmalloc(in->cap);
	snprintf(in->encoding, sizeof in->encoding, "UTF-8");
	if (fill_first(in, err) < 0)
		goto fail;

	const unsigned char *b = (const unsigned char *)in->buf;
	if (in->len >= 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4) {
		if (is_ods(in->buf, in->len)) {
			cs_error_set(err, in->name, 0,
			             "this is an .ods workbook, not CSV: save it from the spreadsheet "
			             "as \"CSV UTF-8\" (or as .xlsx, which cs reads through xlsx2csv)");
			goto fail;
		}
		if (start_xlsx2csv(in, sheet, err) < 0)
			goto fail;
		b = (const unsigned char *)in->buf;
	}
	struct stat st;
	if (!in->child && fstat(in->fd, &st) == 0 && S_ISREG(st.st_mode))
		in->size = (uint64_t)st.st_size;
	if (in->len >= 8 && memcmp(b, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0) {
		cs_error_set(err, in->name, 0,
		             "this is an .xls workbook (an OLE file), not CSV: save it from the "
		             "spreadsheet as \"CSV UTF-8\", or convert it: xls2csv %s | cs-import",
		             in->is_stdin ? "FILE" : in->name);
		goto fail;
	}
	if (in->len >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf) {
		in->pos = 3;
	} else if (in->len >= 2 &&
	           ((b[0] == 0xff && b[1] == 0xfe) || (b[0] == 0xfe && b[1] == 0xff))) {
		/* iconv's "UTF-16" reads the BOM, picks the byte order and drops it. */
		if (start_iconv(in, "UTF-16", err) < 0)
			goto fail;
		return in;
	}
	if ((!encoding || ascii_casecmp_eq(encoding, "auto")) && looks_utf16(in)) {
		cs_error_set(err, in->name, 0,
		             "this looks like UTF-16 without a byte-order mark: give --encoding "
		             "utf-16le (or utf-16be)");
		goto fail;
	}
	if (encoding && ascii_casecmp_eq(encoding, "auto")) {
		size_t n = in->len - in->pos;
		size_t ok = utf8_valid_prefix(in->buf + in->pos, n);
		/* A chunk may end inside a character: only an early stop counts. */
		if (ok < n && (n - ok >= 4 || in->eof))
			encoding = "cp1252";
		else
			encoding = NULL;
	}
	if (encoding && !ascii_casecmp_eq(encoding, "utf8") && !ascii_casecmp_eq(encoding, "utf-8"))
		if (start_iconv(in, iconv_name(encoding), err) < 0)
			goto fail;
	return in;
fail:
	input_close(in);
	return NULL;
}

void
input_close(struct input *in)
{
	if (!in)
		return;
	if (!in->is_stdin)
		close(in->fd);
	if (in->child) {
		/* Stopped early (an error, or a reader that had enough). */
		kill(in->child, SIGTERM);
		while (waitpid(in->child, NULL, 0) < 0 && errno == EINTR)
			;
	}
	if (in->child_err)
		fclose(in->child_err);
	if (in->spool) {
		unlink(in->spool);
		free(in->spool);
	}
	if (in->cd != (iconv_t)-1)
		iconv_close(in->cd);
	free(in->raw);
	free(in->buf);
	free(in);
}
