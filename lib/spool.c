/*
 * spool.c - records set aside in memory, then in a nameless temporary file.
 *
 * A record is laid out as its byte count, its row, its number of fields,
 * their lengths (32 bits: a field of 4 GiB is refused, as strtab refuses
 * one), then its values, each followed by a NUL, so reading one back is
 * one copy (record_take_bytes).  Positions run on from the file into
 * memory: the bytes below file_len are in the file, the rest in mem, and a
 * record is never split between the two, since mem is written out whole.
 *
 * Reading back keeps a window of the file: a record read where the last
 * one ended (the archive reads them all in order) brings the next
 * READ_AHEAD bytes with it; one read out of order (the transition plan
 * reads them owner by owner) brings only a few KiB, so reading the plan's
 * records in its order copies each about once.
 */
#include "spool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

enum {
	HEAD_SIZE = 8 + 8 + 4,  /* bytes, row, n */
	READ_AHEAD = 128 << 10, /* read on in order: bytes a read brings */
	READ_ONE = 4 << 10,     /* read out of order: most records fit */
};

struct spool {
	const char *what;
	size_t budget;
	struct buf mem;    /* the records at positions file_len and on */
	FILE *file;        /* NULL until mem first fills */
	uint64_t file_len; /* bytes written to the file */
	struct buf window; /* a copy of the file's bytes from window_at */
	uint64_t window_at;
	uint64_t next_at; /* where the record read last ends */
	bool failed;      /* error says why: spool_put takes nothing more */
	struct cs_error error;
};

struct spool *
spool_new(size_t budget, const char *what)
{
	struct spool *s = xcalloc(1, sizeof *s);
	s->budget = budget;
	s->what = what;
	return s;
}

static int
fail(struct spool *s, struct cs_error *err)
{
	s->failed = true;
	if (err)
		*err = s->error;
	return -1;
}

/* Write mem to the file (created now if need be) and empty it. */
static int
spill(struct spool *s, struct cs_error *err)
{
	if (!s->file && !(s->file = tmp_nameless())) {
		cs_error_set(&s->error, NULL, 0, "cannot create a temporary file for %s in %s: %s",
		             s->what, tmp_dir(), strerror(errno));
		return fail(s, err);
	}
	int fd = fileno(s->file);
	const char *p = s->mem.data;
	size_t left = s->mem.len;
	while (left > 0) {
		ssize_t put = write(fd, p, left);
		if (put < 0 && errno == EINTR)
			continue;
		if (put <= 0) {
			cs_error_set(&s->error, NULL, 0,
			             "cannot write %s to their temporary file in %s: %s", s->what,
			             tmp_dir(), put < 0 ? strerror(errno) : "nothing written");
			return fail(s, err);
		}
		p += put;
		left -= (size_t)put;
	}
	s->file_len += s->mem.len;
	buf_reset(&s->mem);
	return 0;
}

int
spool_put(struct spool *s, const struct record *rec, uint64_t *at, struct cs_error *err)
{
	if (s->failed)
		return fail(s, err);
	uint64_t bytes = 0;
	for (size_t i = 0; i < rec->n; i++) {
		size_t len;
		record_get(rec, i, &len);
		if (len >= UINT32_MAX) {
			cs_error_set(&s->error, NULL, rec->row, "a field of 4 GiB or more in %s",
			             s->what);
			return fail(s, err);
		}
		bytes += len + 1;
	}
	size_t size = HEAD_SIZE + 4 * rec->n + (size_t)bytes;
	if (s->mem.len > 0 && s->mem.len + size > s->budget && spill(s, err) < 0)
		return -1;
	*at = s->file_len + s->mem.len;
	buf_reserve(&s->mem, size);
	char *d = s->mem.data + s->mem.len;
	int64_t row = rec->row;
	uint32_t n = (uint32_t)rec->n;
	memcpy(d, &bytes, 8);
	memcpy(d + 8, &row, 8);
	memcpy(d + 16, &n, 4);
	char *lens = d + HEAD_SIZE, *values = lens + 4 * rec->n;
	for (size_t i = 0; i < rec->n; i++) {
		size_t len;
		const char *v = record_get(rec, i, &len);
		uint32_t len32 = (uint32_t)len;
		memcpy(lens + 4 * i, &len32, 4);
		memcpy(values, v, len + 1); /* with its NUL */
		values += len + 1;
	}
	s->mem.len += size;
	s->mem.data[s->mem.len] = '\0';
	return 0;
}

static int
read_fail(const struct spool *s, struct cs_error *err, const char *why)
{
	return cs_error_set(err, NULL, 0, "cannot read %s back from their temporary file: %s",
	                    s->what, why);
}

/*
 * Make the window hold the file's bytes [at, at + need), reading at least
 * want from at (less only at the end of the file).
 */
static int
window_cover(struct spool *s, uint64_t at, size_t need, size_t want, struct cs_error *err)
{
	if (at >= s->window_at && at + need <= s->window_at + s->window.len)
		return 0;
	if (at + need > s->file_len)
		return read_fail(s, err, "a record runs past its end");
	if (want < need)
		want = need;
	if (want > s->file_len - at)
		want = (size_t)(s->file_len - at);
	buf_reset(&s->window);
	buf_reserve(&s->window, want);
	size_t got = 0;
	while (got < want) {
		ssize_t r =
		    pread(fileno(s->file), s->window.data + got, want - got, (off_t)(at + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			s->window_at = s->window.len = 0;
			return read_fail(s, err,
			                 r < 0 ? strerror(errno) : "it is shorter than written");
		}
		got += (size_t)r;
	}
	s->window.len = got;
	s->window_at = at;
	return 0;
}

/* The bytes from position at on, at least need of them: in memory or the window. */
static const char *
bytes_at(struct spool *s, uint64_t at, size_t need, struct cs_error *err)
{
	if (at >= s->file_len) {
		uint64_t off = at - s->file_len;
		if (off + need > s->mem.len) {
			read_fail(s, err, "a record runs past its end");
			return NULL;
		}
		return s->mem.data + off;
	}
	size_t want = at == s->next_at ? READ_AHEAD : READ_ONE;
	if (window_cover(s, at, need, want, err) < 0)
		return NULL;
	return s->window.data + (at - s->window_at);
}

int
spool_get(struct spool *s, uint64_t at, struct record *rec, struct cs_error *err)
{
	const char *d = bytes_at(s, at, HEAD_SIZE, err);
	if (!d)
		return -1;
	uint64_t bytes;
	int64_t row;
	uint32_t n;
	memcpy(&bytes, d, 8);
	memcpy(&row, d + 8, 8);
	memcpy(&n, d + 16, 4);
	size_t size = HEAD_SIZE + 4 * (size_t)n + (size_t)bytes;
	if (!(d = bytes_at(s, at, size, err)))
		return -1;
	s->next_at = at + size;
	const char *lens = d + HEAD_SIZE, *values = lens + 4 * (size_t)n;
	record_take_bytes(rec, values, (size_t)bytes, n);
	size_t off = 1; /* take_bytes puts a NUL first, the one empty fields share */
	for (size_t i = 0; i < n; i++) {
		uint32_t len;
		memcpy(&len, lens + 4 * i, 4);
		rec->fields[i].off = len ? off : 0;
		rec->fields[i].len = len;
		off += (size_t)len + 1;
	}
	rec->n = n;
	rec->row = (long)row;
	return 0;
}

bool
spool_on_disk(const struct spool *s)
{
	return s->file != NULL;
}

void
spool_free(struct spool *s)
{
	if (!s)
		return;
	if (s->file)
		fclose(s->file);
	buf_free(&s->mem);
	buf_free(&s->window);
	free(s);
}
