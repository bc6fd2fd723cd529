/*
 * journal.c - the record of every change a tool makes to a book.
 *
 * Lines are built as the tool goes, but kept without what they share: the
 * run's head (time to model, some 250 bytes) is left out, and file and
 * cause are kept once for the lines that follow them, so waiting lines
 * take about a third of their size.  The chain can only be computed under
 * the journal's lock, which is taken at commit, so the run holds the lock
 * for the length of one append.  They wait in memory up to a budget
 * (64 MiB), then in an unnamed temporary file.  At commit each line is
 * made whole in a chunk of 8 MiB, with its run and prev, and hashed there;
 * each chunk is one append.  SHA-256 is OpenSSL's (libcrypto), not ours.
 */
/* realpath(3) is an X/Open function: ask for it (this implies POSIX 2008). */
#define _XOPEN_SOURCE 700

#include "journal.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "file.h"
#include "jsonio.h"
#include "util.h"

extern const char cs_default_model_json[];

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/*
 * What waits, one entry a line: a line's keys from op to at, or WHERE and
 * the file and cause of the lines that follow.  Neither holds a line feed
 * or a control character (JSON escapes them).
 */
#define WHERE '\001'

/* Lines wait in memory up to this many bytes (journal_options.budget 0). */
#define DEFAULT_BUDGET ((size_t)64 << 20)
/* Lines are made whole, and appended, this many bytes at a time. */
#define CHUNK ((size_t)8 << 20)

struct journal {
	char *path;
	char *tool;       /* for warnings */
	struct buf head;  /* {"time":…,"user":…,"tool":…,"args":…,"model":… */
	struct buf where; /* ,"file":…,"cause":… */
	bool where_stale; /* file or cause changed since where was built */
	char *file;       /* the book, absolute */
	char *cause;
	struct buf sent;  /* the where the waiting lines' last WHERE gave; empty: none */
	struct buf lines; /* lines waiting (see WHERE) */
	size_t budget;    /* lines beyond this many bytes go to spill */
	FILE *spill;      /* lines waiting before those in lines, in blocks of whole lines */
	bool spilled;     /* spill holds lines */
	size_t npending;
	int pending_errno;       /* why lines could not be kept, or 0 */
	struct file_append *out; /* held from commit until the output lands or not */
	bool made;               /* the commit created the journal file */
	char prev[65];           /* the hash of the journal's last line, while out is held */
};

/* A 32-byte digest in lower-case hex. */
static void
hex32(const unsigned char md[32], char out[65])
{
	static const char hex[] = "0123456789abcdef";
	for (unsigned i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
}

void
journal_sha256_hex(const void *p, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	if (!EVP_Digest(p, len, md, &n, EVP_sha256(), NULL) || n != 32) {
		fputs("cs: SHA-256 failed (libcrypto)\n", stderr);
		exit(3);
	}
	hex32(md, out);
}

void
journal_hmac_hex(const void *key, size_t keylen, const void *p, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	if (!HMAC(EVP_sha256(), key, (int)keylen, p, len, md, &n) || n != 32) {
		fputs("cs: HMAC-SHA-256 failed (libcrypto)\n", stderr);
		exit(3);
	}
	hex32(md, out);
}

/* Append s to b shell-quoted when it needs quoting, as a person would type it. */
static void
put_shell_word(struct buf *b, const char *s)
{
	bool plain = *s != '\0';
	for (const char *p = s; *p && plain; p++)
		plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
		               "-_./=:,+@%",
		               *p) != NULL;
	if (plain) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '\'');
	for (const char *p = s; *p; p++)
		if (*p == '\'')
			buf_puts(b, "'\\''");
		else
			buf_putc(b, *p);
	buf_putc(b, '\'');
}

static void
put_key(struct buf *b, const char *key, const char *val, size_t len)
{
	/* Not buf_printf: this runs for every field of every line. */
	buf_puts(b, ",\"");
	buf_puts(b, key);
	buf_puts(b, "\":");
	json_put_string(b, val, len);
}

static void
put_key_str(struct buf *b, const char *key, const char *val)
{
	put_key(b, key, val, strlen(val));
}

static const char *
user_name(void)
{
	const char *u = getenv("CS_USER");
	if (u && *u)
		return u;
	struct passwd *pw = getpwuid(geteuid());
	if (pw && pw->pw_name && *pw->pw_name)
		return pw->pw_name;
	u = getenv("LOGNAME");
	return u && *u ? u : "unknown";
}

/* The SHA-256 of the model the run used into hash; "" when it used none. */
static int
model_hash(const char *model, char hash[65], struct cs_error *err)
{
	hash[0] = '\0';
	if (!model)
		return 0;
	if (!*model) {
		journal_sha256_hex(cs_default_model_json, strlen(cs_default_model_json), hash);
		return 0;
	}
	FILE *f = fopen(model, "rb");
	if (!f)
		return cs_error_set(err, model, 0, "cannot read the model for the journal: %s",
		                    strerror(errno));
	struct buf b = {0};
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		buf_free(&b);
		return cs_error_set(err, model, 0, "cannot read the model for the journal");
	}
	journal_sha256_hex(b.data ? b.data : "", b.len, hash);
	buf_free(&b);
	return 0;
}

static void
put_time(struct buf *b, const char *today)
{
	char t[32];
	if (today) {
		snprintf(t, sizeof t, "%.10sT00:00:00Z", today);
	} else {
		time_t now = time(NULL);
		struct tm tm;
		gmtime_r(&now, &tm);
		strftime(t, sizeof t, "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	buf_puts(b, "{\"time\":");
	json_put_string(b, t, strlen(t));
}

struct journal *
journal_open(const struct journal_options *o, struct cs_error *err)
{
	char hash[65];
	if (model_hash(o->model, hash, err) < 0)
		return NULL;
	struct journal *j = xcalloc(1, sizeof *j);
	j->path = xstrdup(o->path);
	j->tool = xstrdup(o->tool);
	j->budget = o->budget ? o->budget : DEFAULT_BUDGET;
	put_time(&j->head, o->today);
	put_key_str(&j->head, "user", user_name());
	put_key_str(&j->head, "tool", o->tool);
	struct buf args = {0};
	for (int i = 0; i < o->argc; i++) {
		if (i)
			buf_putc(&args, ' ');
		put_shell_word(&args, o->argv[i]);
	}
	put_key(&j->head, "args", args.data ? args.data : "", args.len);
	buf_free(&args);
	put_key_str(&j->head, "model", hash);
	journal_file(j, "");
	return j;
}

const char *
journal_path(const struct journal *j)
{
	return j->path;
}

static void
set_where(struct journal *j)
{
	buf_reset(&j->where);
	put_key_str(&j->where, "file", j->file ? j->file : "");
	put_key_str(&j->where, "cause", j->cause ? j->cause : "");
}

/* path made absolute, without resolving a file that does not exist yet. */
static char *
absolute(const char *path)
{
	if (!*path || strcmp(path, "-") == 0)
		return xstrdup(path);
	char *real = realpath(path, NULL);
	if (real || path[0] == '/')
		return real ? real : xstrdup(path);
	char cwd[4096];
	if (!getcwd(cwd, sizeof cwd))
		return xstrdup(path);
	struct buf b = {0};
	buf_printf(&b, "%s/%s", cwd, path);
	return b.data;
}

void
journal_file(struct journal *j, const char *path)
{
	free(j->file);
	j->file = absolute(path);
	j->where_stale = true;
}

void
journal_cause(struct journal *j, const char *cause)
{
	if ((!cause || !*cause) && !j->cause)
		return;
	if (cause && j->cause && strcmp(cause, j->cause) == 0)
		return;
	free(j->cause);
	j->cause = cause && *cause ? xstrdup(cause) : NULL;
	/* Built at the next line: cs-tier names a cause for every record, most unchanged. */
	j->where_stale = true;
}

static const char *const op_names[] = {"change", "add", "remove", "column", "erase", "purge"};

/* Move the lines waiting in memory to the temporary file, which keeps memory flat. */
static void
spill(struct journal *j)
{
	if (!j->pending_errno && !j->spill && !(j->spill = tmp_nameless()))
		j->pending_errno = errno ? errno : EIO;
	/* One block, straight to write(2): stdio buffers nothing this large. */
	if (!j->pending_errno && fwrite(j->lines.data, 1, j->lines.len, j->spill) != j->lines.len)
		j->pending_errno = errno ? errno : EIO;
	j->spilled = true;
	buf_reset(&j->lines);
}

/* Add one line, its run and prev still zeros, to those waiting. */
static void
emit(struct journal *j, enum journal_op op, const char *id, size_t idlen, const char *field,
     const char *old, size_t oldlen, const char *new, size_t newlen, long at)
{
	struct buf *b = &j->lines;
	if (j->where_stale) {
		set_where(j);
		j->where_stale = false;
	}
	if (b->len >= j->budget)
		spill(j);
	if (j->where.len != j->sent.len || memcmp(j->where.data, j->sent.data, j->sent.len) != 0) {
		buf_putc(b, WHERE);
		buf_append(b, j->where.data, j->where.len);
		buf_putc(b, '\n');
		buf_reset(&j->sent);
		buf_append(&j->sent, j->where.data, j->where.len);
	}
	put_key_str(b, "op", op_names[op]);
	put_key(b, "id", id, idlen);
	put_key_str(b, "field", field);
	put_key(b, "old", old, oldlen);
	put_key(b, "new", new, newlen);
	if (at >= 0)
		buf_printf(b, ",\"at\":%ld\n", at);
	else
		buf_puts(b, ",\"at\":null\n");
	j->npending++;
}

void
journal_change(struct journal *j, const char *id, size_t idlen, const char *field, const char *old,
               size_t oldlen, const char *new, size_t newlen)
{
	emit(j, JOURNAL_CHANGE, id, idlen, field, old, oldlen, new, newlen, -1);
}

void
journal_record(struct journal *j, enum journal_op op, long at, const struct header *h,
               const struct record *r, size_t id_col)
{
	size_t idlen = 0;
	const char *id = id_col < r->n ? record_get(r, id_col, &idlen) : "";
	for (size_t i = 0; i < h->n; i++) {
		size_t len = 0;
		const char *v = i < r->n ? record_get(r, i, &len) : "";
		if (len == 0 && i != id_col)
			continue;
		if (op == JOURNAL_REMOVE)
			emit(j, op, id, idlen, h->names[i], v, len, "", 0, at);
		else
			emit(j, op, id, idlen, h->names[i], "", 0, v, len, at);
	}
}

void
journal_column(struct journal *j, const char *name, long at)
{
	emit(j, JOURNAL_COLUMN, "", 0, name, "", 0, "", 0, at);
}

void
journal_event(struct journal *j, enum journal_op op, const char *id, size_t idlen,
              const char *field, const char *old, size_t oldlen, long at)
{
	emit(j, op, id, idlen, field, old, oldlen, "", 0, at);
}

size_t
journal_pending(const struct journal *j)
{
	return j->npending;
}

/* file_append's check: a journal's rows are lines (its torn tail is cut by line). */
static int
check_lines(void *ctx, const char *path, int fd, off_t size, struct cs_error *err)
{
	(void)ctx, (void)path, (void)fd, (void)size, (void)err;
	return FILE_CHECK_LINES;
}

/* A torn tail cut off: say so under the tool's name. */
static void
warn_torn(void *ctx, const struct cs_error *w)
{
	cs_error_print(ctx, w, true);
}

/* The hash of the last line of path (fd, size bytes) into prev; 1 when it has none. */
static int
read_last_line(char *prev, const char *path, int fd, off_t size, struct cs_error *err)
{
	off_t end = size;
	char c;
	/* A last line without its line end is still the last line. */
	if (pread(fd, &c, 1, end - 1) == 1 && c == '\n')
		end--;
	off_t start = end;
	char chunk[4096];
	while (start > 0) {
		off_t at = start > (off_t)sizeof chunk ? start - (off_t)sizeof chunk : 0;
		ssize_t n = pread(fd, chunk, (size_t)(start - at), at);
		if (n != start - at)
			return cs_error_set(err, path, 0, "cannot read the journal: %s",
			                    strerror(errno ? errno : EIO));
		char *nl = NULL;
		for (ssize_t i = n; i > 0 && !nl; i--)
			if (chunk[i - 1] == '\n')
				nl = &chunk[i - 1];
		if (nl) {
			start = at + (nl - chunk) + 1;
			break;
		}
		start = at;
	}
	if (end == start)
		return 1;
	char *line = xmalloc((size_t)(end - start));
	ssize_t n = pread(fd, line, (size_t)(end - start), start);
	if (n != end - start) {
		free(line);
		return cs_error_set(err, path, 0, "cannot read the journal's last line");
	}
	journal_sha256_hex(line, (size_t)n, prev);
	free(line);
	return 0;
}

/* The chain goes on from the journal's last line (its torn tail already cut). */
static int
chain_start(struct journal *j, struct cs_error *err)
{
	memcpy(j->prev, ZERO_HASH, sizeof j->prev);
	int fd = open(j->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return cs_error_set(err, j->path, 0, "cannot read the journal: %s",
		                    strerror(errno));
	off_t size = lseek(fd, 0, SEEK_END);
	int rc = size > 0 ? read_last_line(j->prev, j->path, fd, size, err) : 0;
	close(fd);
	return rc < 0 ? -1 : 0;
}

/* Create the journal readable by its owner only, if it does not exist: 1 when made. */
static int
create_private(const char *path, struct cs_error *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0)
		return close(fd) == 0 ? 1 : 0;
	if (errno == EEXIST)
		return 0;
	return cs_error_set(err, path, 0, "cannot create the journal: %s", strerror(errno));
}

/* journal_sha256_hex of p[0..len) through ctx and md, fetched once for many lines. */
static void
sha256_line(EVP_MD_CTX *ctx, const EVP_MD *md, const void *p, size_t len, char out[65])
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	if (!EVP_DigestInit_ex(ctx, md, NULL) || !EVP_DigestUpdate(ctx, p, len) ||
	    !EVP_DigestFinal_ex(ctx, digest, &n) || n != 32) {
		fputs("cs: SHA-256 failed (libcrypto)\n", stderr);
		exit(3);
	}
	hex32(digest, out);
}

/* What making lines whole needs: the run's id, the chain so far, a digest context. */
struct seal {
	char run[17];
	char prev[65]; /* the hash of the last line sealed (or of the journal's last) */
	EVP_MD *sha256;
	EVP_MD_CTX *ctx;
	struct buf where; /* the file and cause of the lines that follow */
	struct buf out;   /* whole lines, up to CHUNK bytes, to append */
};

/*
 * Make each line of the whole entries in p[0..len) whole in s->out (head,
 * where, its keys, run and prev) and hash it; append s->out when it holds
 * CHUNK bytes.  Returns 0 with *used the bytes of whole entries, or -1
 * with err filled.
 */
static int
seal_entries(struct journal *j, struct seal *s, const char *p, size_t len, size_t *used,
             struct cs_error *err)
{
	const char *end = p + len, *entry = p, *nl;
	int rc = 0;
	while (rc == 0 && entry < end && (nl = memchr(entry, '\n', (size_t)(end - entry)))) {
		if (*entry == WHERE) {
			buf_reset(&s->where);
			buf_append(&s->where, entry + 1, (size_t)(nl - entry - 1));
		} else {
			struct buf *o = &s->out;
			size_t start = o->len;
			buf_append(o, j->head.data, j->head.len);
			buf_append(o, s->where.data, s->where.len);
			buf_append(o, entry, (size_t)(nl - entry));
			buf_puts(o, ",\"run\":\"");
			buf_append(o, s->run, 16);
			buf_puts(o, "\",\"prev\":\"");
			buf_append(o, s->prev, 64);
			buf_puts(o, "\"}");
			sha256_line(s->ctx, s->sha256, o->data + start, o->len - start, s->prev);
			buf_putc(o, '\n');
			if (o->len >= CHUNK) {
				rc = file_append_write(j->out, o->data, o->len, err);
				buf_reset(o);
			}
		}
		entry = nl + 1;
	}
	*used = (size_t)(entry - p);
	return rc;
}

/* Seal the lines waiting in the temporary file, a chunk at a time. */
static int
chain_spilled(struct journal *j, struct seal *s, struct cs_error *err)
{
	if (fflush(j->spill) != 0 || fseek(j->spill, 0, SEEK_SET) != 0)
		return cs_error_set(err, j->path, 0, "cannot read the journal's temporary file: %s",
		                    strerror(errno));
	struct buf chunk = {0};
	/* No more than the budget asks (a small one, in the tests, cuts entries). */
	size_t want = j->budget < CHUNK ? j->budget : CHUNK;
	int rc = 0;
	for (;;) {
		buf_reserve(&chunk, want);
		size_t n = fread(chunk.data + chunk.len, 1, want, j->spill);
		chunk.len += n;
		size_t used;
		if ((rc = seal_entries(j, s, chunk.data, chunk.len, &used, err)) < 0)
			break;
		/* An entry cut by the chunk's end is finished by the next read. */
		memmove(chunk.data, chunk.data + used, chunk.len - used);
		chunk.len -= used;
		if (n == 0)
			break;
	}
	if (rc == 0 && (ferror(j->spill) || chunk.len))
		rc = cs_error_set(err, j->path, 0, "cannot read the journal's temporary file");
	buf_free(&chunk);
	return rc;
}

/* Append the waiting lines to the journal, each finished with run and prev. */
static int
chain(struct journal *j, char prev[65], struct cs_error *err)
{
	struct seal s;
	/* The run's id: the first 16 hex digits of SHA-256(prev, head). */
	struct buf id = {0};
	buf_append(&id, prev, 64);
	buf_append(&id, j->head.data, j->head.len);
	journal_sha256_hex(id.data, id.len, s.prev);
	buf_free(&id);
	memcpy(s.run, s.prev, 16);
	s.run[16] = '\0';
	memcpy(s.prev, prev, 65);
	/*
	 * One digest context for every line: EVP_Digest with EVP_sha256()
	 * looks the algorithm up again on each call (OpenSSL 3), which cost
	 * more than the hashing of a 400-byte line.
	 */
	s.sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	s.ctx = EVP_MD_CTX_new();
	if (!s.sha256 || !s.ctx) {
		fputs("cs: SHA-256 failed (libcrypto)\n", stderr);
		exit(3);
	}
	s.where = (struct buf){0};
	s.out = (struct buf){0};
	int rc = j->spilled ? chain_spilled(j, &s, err) : 0;
	size_t used;
	if (rc == 0)
		rc = seal_entries(j, &s, j->lines.data, j->lines.len, &used, err);
	if (rc == 0 && s.out.len)
		rc = file_append_write(j->out, s.out.data, s.out.len, err);
	buf_free(&s.where);
	buf_free(&s.out);
	EVP_MD_CTX_free(s.ctx);
	EVP_MD_free(s.sha256);
	memcpy(prev, s.prev, 65);
	return rc;
}

/* Forget the lines committed or taken back. */
static void
clear_pending(struct journal *j)
{
	buf_reset(&j->lines);
	buf_reset(&j->sent);
	if (j->spill && (j->pending_errno || ftruncate(fileno(j->spill), 0) != 0 ||
	                 fseek(j->spill, 0, SEEK_SET) != 0)) {
		fclose(j->spill); /* a fresh one is made for the next lines */
		j->spill = NULL;
	}
	j->spilled = false;
	j->npending = 0;
	j->pending_errno = 0;
}

int
journal_commit(struct journal *j, struct cs_error *err)
{
	if (j->npending == 0)
		return 0;
	if (!j->pending_errno && j->spilled && fflush(j->spill) != 0)
		j->pending_errno = errno ? errno : EIO;
	if (j->pending_errno)
		return cs_error_set(err, j->path, 0,
		                    "cannot keep the journal's lines in a temporary file: %s",
		                    strerror(j->pending_errno));
	if (!j->out) {
		int made = create_private(j->path, err);
		if (made < 0)
			return -1;
		j->made = made == 1;
		j->out = file_append_open(j->path, "the journal", 0, check_lines, NULL, warn_torn,
		                          j->tool, err);
		if (!j->out)
			return -1;
		if (file_append_ready(j->out, err) < 0 || chain_start(j, err) < 0) {
			file_append_close(j->out);
			j->out = NULL;
			return -1;
		}
	}
	char prev[65];
	memcpy(prev, j->prev, sizeof prev);
	if (chain(j, prev, err) < 0) {
		journal_rollback(j, NULL);
		return -1;
	}
	memcpy(j->prev, prev, sizeof prev);
	return 0;
}

int
journal_rollback(struct journal *j, struct cs_error *err)
{
	int rc = 0;
	if (j && j->out) {
		rc = file_append_rollback(j->out, err);
		/* Made for lines taken back, and still empty: as it was is not there. */
		struct stat st;
		if (rc == 0 && j->made && stat(j->path, &st) == 0 && st.st_size == 0)
			unlink(j->path);
		file_append_close(j->out);
		j->out = NULL;
	}
	if (j)
		j->made = false;
	if (j)
		clear_pending(j);
	return rc;
}

void
journal_landed(struct journal *j)
{
	if (!j)
		return;
	file_append_close(j->out);
	j->out = NULL;
	j->made = false;
	clear_pending(j);
}

void
journal_lands(void *j)
{
	journal_landed(j);
}

void
journal_close(struct journal *j)
{
	if (!j)
		return;
	file_append_close(j->out);
	if (j->spill)
		fclose(j->spill);
	free(j->path);
	free(j->tool);
	free(j->file);
	free(j->cause);
	buf_free(&j->head);
	buf_free(&j->where);
	buf_free(&j->lines);
	buf_free(&j->sent);
	free(j);
}

/* The prev a line carries, or NULL when it does not end as a journal line. */
static const char *
line_prev(const char *line, size_t len)
{
	static const char key[] = ",\"prev\":\"";
	size_t klen = sizeof key - 1;
	if (len < klen + 64 + 2 || memcmp(line + len - 2, "\"}", 2) != 0)
		return NULL;
	const char *p = line + len - 2 - 64;
	if (memcmp(p - klen, key, klen) != 0)
		return NULL;
	for (int i = 0; i < 64; i++)
		if (!p[i] || !strchr("0123456789abcdef", p[i]))
			return NULL;
	return p;
}

int
journal_verify(FILE *f, struct journal_check *c)
{
	memset(c, 0, sizeof *c);
	char expect[65] = ZERO_HASH;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, f)) > 0) {
		size_t len = (size_t)n;
		if (line[len - 1] == '\n')
			len--;
		c->lines++;
		const char *prev = line_prev(line, len);
		if (!prev) {
			c->broken = c->lines;
			snprintf(c->why, sizeof c->why,
			         "line %ld is not a journal line (cut short or edited)", c->lines);
			break;
		}
		if (memcmp(prev, expect, 64) != 0) {
			c->broken = c->lines - 1;
			if (c->lines == 1)
				snprintf(c->why, sizeof c->why,
				         "line 1 does not start the chain (lines were removed "
				         "before it)");
			else
				snprintf(c->why, sizeof c->why,
				         "line %ld was changed, or lines were removed or inserted "
				         "after it "
				         "(line %ld does not carry its hash)",
				         c->lines - 1, c->lines);
			if (c->broken == 0)
				c->broken = 1;
			break;
		}
		journal_sha256_hex(line, len, expect);
	}
	free(line);
	memcpy(c->head, expect, sizeof c->head);
	if (!c->broken && ferror(f)) {
		c->broken = c->lines + 1;
		snprintf(c->why, sizeof c->why, "read error after line %ld", c->lines);
	}
	return c->broken ? 1 : 0;
}
