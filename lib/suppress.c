/*
 * suppress.c - the suppression list: keyed hashes of the emails and phones
 * of erased clients.
 *
 * Each kind is hashed with its own prefix ("email:", "phone:", "id:"), so
 * an email and a phone that happened to normalise alike never match each
 * other.  The list is read whole into a string table (it holds a few
 * hashes per erasure: small); appends go through file.h's locked append,
 * so cs-remove can take them back when its later steps fail.
 */
#include "suppress.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"
#include "journal.h"
#include "stream.h"
#include "strtab.h"
#include "util.h"

enum { KEY_MIN = 16, CHECK_LEN = 16 };

struct suppress_key {
	struct buf key;
	char check[CHECK_LEN + 1]; /* what the list's key column must say */
};

static const char *const kind_names[] = {"id", "email", "phone"};

void
suppress_key_free(struct suppress_key *k)
{
	if (!k)
		return;
	/* The key is a secret: do not leave it in freed memory. */
	if (k->key.data)
		memset(k->key.data, 0, k->key.len);
	buf_free(&k->key);
	free(k);
}

/* Read the key file at path into b, a final line end dropped. */
static int
read_key_file(const char *path, struct buf *b, struct cs_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return cs_error_set(err, path, 0, "cannot read the suppression key: %s",
		                    strerror(errno));
	char chunk[256];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(b, chunk, n);
	int bad = ferror(f);
	fclose(f);
	memset(chunk, 0, sizeof chunk);
	if (bad)
		return cs_error_set(err, path, 0, "cannot read the suppression key");
	while (b->len && (b->data[b->len - 1] == '\n' || b->data[b->len - 1] == '\r'))
		b->len--;
	return 0;
}

struct suppress_key *
suppress_key_load(struct cs_error *err)
{
	struct suppress_key *k = xcalloc(1, sizeof *k);
	const char *env = getenv("CS_SUPPRESS_KEY"), *file = getenv("CS_SUPPRESS_KEY_FILE");
	const char *from = "$CS_SUPPRESS_KEY";
	if (env && *env) {
		buf_puts(&k->key, env);
	} else if (file && *file) {
		from = file;
		if (read_key_file(file, &k->key, err) < 0) {
			suppress_key_free(k);
			return NULL;
		}
	} else {
		cs_error_set(err, NULL, 0,
		             "the suppression list needs a key: set CS_SUPPRESS_KEY, or "
		             "CS_SUPPRESS_KEY_FILE to a file holding it (at least %d bytes, "
		             "the same for every run)",
		             KEY_MIN);
		suppress_key_free(k);
		return NULL;
	}
	if (k->key.len < KEY_MIN) {
		cs_error_set(err, NULL, 0, "the suppression key (%s) is %zu bytes: use at least %d",
		             from, k->key.len, KEY_MIN);
		suppress_key_free(k);
		return NULL;
	}
	static const char probe[] = "cs suppression key check";
	char hex[65];
	journal_hmac_hex(k->key.data, k->key.len, probe, sizeof probe - 1, hex);
	memcpy(k->check, hex, CHECK_LEN);
	k->check[CHECK_LEN] = '\0';
	return k;
}

/* The normalised value of kind into b; false when it gives no hash. */
static bool
normalise(enum suppress_kind kind, const char *v, size_t len, struct buf *b)
{
	buf_reset(b);
	if (kind == SUPPRESS_PHONE) {
		for (size_t i = 0; i < len; i++)
			if (v[i] >= '0' && v[i] <= '9')
				buf_putc(b, v[i]);
		/* 00 is how much of the world dials the + of an international number. */
		if (b->len > 2 && b->data[0] == '0' && b->data[1] == '0') {
			memmove(b->data, b->data + 2, b->len - 2);
			b->len -= 2;
		}
		return b->len >= 6;
	}
	while (len && (*v == ' ' || *v == '\t'))
		v++, len--;
	while (len && (v[len - 1] == ' ' || v[len - 1] == '\t'))
		len--;
	for (size_t i = 0; i < len; i++)
		buf_putc(b, kind == SUPPRESS_EMAIL ? (char)ascii_lower((unsigned char)v[i]) : v[i]);
	return b->len > 0 && (kind != SUPPRESS_EMAIL || memchr(b->data, '@', b->len));
}

bool
suppress_hash(const struct suppress_key *k, enum suppress_kind kind, const char *v, size_t len,
              char out[65])
{
	struct buf b = {0};
	buf_printf(&b, "%s:", kind_names[kind]);
	struct buf norm = {0};
	bool ok = normalise(kind, v, len, &norm);
	if (ok) {
		buf_append(&b, norm.data, norm.len);
		journal_hmac_hex(k->key.data, k->key.len, b.data, b.len, out);
	}
	buf_free(&norm);
	buf_free(&b);
	return ok;
}

/* ---- reading ------------------------------------------------------------------ */

struct suppress_list {
	const struct suppress_key *key;
	struct strtab hashes;
	long email, phone;
};

/* Read the rows of the list at path into hashes, checking each row's key. */
static int
read_list(const char *path, const struct suppress_key *k, struct strtab *hashes,
          struct cs_error *err)
{
	struct cs_error e = {0};
	struct stream *s = stream_open(path, NULL, &e);
	if (!s)
		return cs_error_set(err, path, e.row, "cannot read the suppression list: %s", e.msg);
	long hash = header_find(stream_header(s), "hash");
	long key = header_find(stream_header(s), "key");
	int rc = 0;
	if (hash < 0 || key < 0)
		rc = cs_error_set(err, path, 1,
		                  "not a suppression list: it has no \"%s\" column",
		                  hash < 0 ? "hash" : "key");
	struct record r = {0};
	int got = 0;
	while (rc == 0 && (got = stream_next(s, &r, &e)) == 1) {
		size_t hlen = 0, klen = 0;
		const char *h = (size_t)hash < r.n ? record_get(&r, (size_t)hash, &hlen) : "";
		const char *kv = (size_t)key < r.n ? record_get(&r, (size_t)key, &klen) : "";
		if (klen != CHECK_LEN || memcmp(kv, k->check, CHECK_LEN) != 0)
			rc = cs_error_set(err, path, r.row,
			                  "this row was made with another suppression key: with "
			                  "this one the list would match nobody (set the key it "
			                  "was made with)");
		else if (hlen != 64)
			rc = cs_error_set(err, path, r.row, "\"%.*s\" is not a hash", (int)hlen, h);
		else
			strtab_intern(hashes, h, hlen, NULL);
	}
	if (rc == 0 && got < 0)
		rc = cs_error_set(err, path, e.row, "%s", e.msg);
	record_free(&r);
	stream_close(s);
	return rc;
}

struct suppress_list *
suppress_load(const char *path, const struct suppress_key *k, struct cs_error *err)
{
	struct suppress_list *l = xcalloc(1, sizeof *l);
	l->key = k;
	l->email = l->phone = -1;
	strtab_init(&l->hashes, false);
	if (read_list(path, k, &l->hashes, err) < 0) {
		suppress_free(l);
		return NULL;
	}
	return l;
}

void
suppress_bind(struct suppress_list *l, const struct header *h)
{
	l->email = header_find(h, "email");
	l->phone = header_find(h, "phone");
}

/* True if column col of rec, as kind, hashes to a hash of t. */
static bool
listed(const struct suppress_key *k, const struct strtab *t, enum suppress_kind kind,
       const struct record *rec, long col)
{
	size_t len = 0;
	if (col < 0 || (size_t)col >= rec->n)
		return false;
	const char *v = record_get(rec, (size_t)col, &len);
	char hex[65];
	return len && suppress_hash(k, kind, v, len, hex) && strtab_find(t, hex, 64) >= 0;
}

bool
suppress_match(const struct suppress_list *l, const struct record *rec)
{
	return listed(l->key, &l->hashes, SUPPRESS_EMAIL, rec, l->email) ||
	       listed(l->key, &l->hashes, SUPPRESS_PHONE, rec, l->phone);
}

void
suppress_free(struct suppress_list *l)
{
	if (!l)
		return;
	strtab_free(&l->hashes);
	free(l);
}

/* ---- appending ------------------------------------------------------------------ */

struct suppress_append {
	const char *path;
	const struct suppress_key *key;
	struct file_append *file;
	struct strtab hashes; /* on the list, or added by this run */
	struct buf rows;      /* waiting for commit */
	bool loaded;
};

/* file_append_check_fn: an existing list is read (and its key checked). */
static int
check_list(void *ctx, const char *path, int fd, off_t size, struct cs_error *err)
{
	struct suppress_append *a = ctx;
	(void)fd, (void)size;
	if (read_list(path, a->key, &a->hashes, err) < 0)
		return -1;
	a->loaded = true;
	return FILE_CHECK_CSV;
}

struct suppress_append *
suppress_append_open(const char *path, const struct suppress_key *k, struct cs_error *err)
{
	struct suppress_append *a = xcalloc(1, sizeof *a);
	a->path = path;
	a->key = k;
	strtab_init(&a->hashes, false);
	/* Created now, readable by its owner only: it is about people who asked to be forgotten. */
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
	else if (errno != EEXIST) {
		cs_error_set(err, path, 0, "cannot create the suppression list: %s",
		             strerror(errno));
		suppress_append_close(a);
		return NULL;
	}
	a->file = file_append_open(path, "the suppression list", 0, check_list, a, NULL, NULL, err);
	if (!a->file || file_append_ready(a->file, err) < 0) {
		suppress_append_close(a);
		return NULL;
	}
	return a;
}

/* Add the hash of column col of rec as kind, unless known; 1 if added. */
static int
add_one(struct suppress_append *a, enum suppress_kind kind, const struct record *rec, long col,
        const char *day)
{
	size_t len = 0;
	char hex[65];
	if (col < 0 || (size_t)col >= rec->n)
		return 0;
	const char *v = record_get(rec, (size_t)col, &len);
	if (!len || !suppress_hash(a->key, kind, v, len, hex))
		return 0;
	bool added = false;
	strtab_intern(&a->hashes, hex, 64, &added);
	if (!added)
		return 0;
	buf_printf(&a->rows, "%s,%s,%s,%s\n", kind_names[kind], hex, a->key->check, day);
	return 1;
}

int
suppress_append_record(struct suppress_append *a, const struct header *h, const struct record *rec,
                       struct date today)
{
	char day[16];
	date_format(today, day);
	return add_one(a, SUPPRESS_EMAIL, rec, header_find(h, "email"), day) +
	       add_one(a, SUPPRESS_PHONE, rec, header_find(h, "phone"), day);
}

int
suppress_append_commit(struct suppress_append *a, struct cs_error *err)
{
	if (!a->rows.len)
		return 0;
	struct buf out = {0};
	if (file_append_is_new(a->file))
		buf_puts(&out, "kind,hash,key,added_on\n");
	buf_append(&out, a->rows.data, a->rows.len);
	int rc = file_append_write(a->file, out.data, out.len, err);
	buf_free(&out);
	return rc;
}

int
suppress_append_rollback(struct suppress_append *a, struct cs_error *err)
{
	return a && a->file ? file_append_rollback(a->file, err) : 0;
}

void
suppress_append_keep(struct suppress_append *a)
{
	if (a)
		file_append_keep(a->file);
}

void
suppress_append_close(struct suppress_append *a)
{
	if (!a)
		return;
	file_append_close(a->file);
	strtab_free(&a->hashes);
	buf_free(&a->rows);
	free(a);
}
