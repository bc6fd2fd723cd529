/*
 * clientfind.c - find clients by id, email or name in a streamed book.
 *
 * Every reference is turned into keys once: its id ("i" + the trimmed
 * reference), its email ("e" + norm_email's), its names ("n" + the folded
 * reference, and for "LAST, FIRST" the folded "FIRST LAST").  The keys go
 * in one string table, each with a list of the references that have it.
 * Each record then builds its own keys the same way (id, email, name and
 * "first last") and looks each up: a record costs a few hash lookups
 * however many references a --from batch holds.  A record's email is
 * normalised only when some reference has an email key.
 *
 * Folding reuses utf8_namefold (utf8proc) and the edit distance is the
 * one of util: nothing here knows Unicode or distances itself.
 */
#include "clientfind.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "normalize.h"
#include "stream.h"
#include "strtab.h"
#include "utf8.h"

/* The columns a book is read for. */
enum column { COL_ID, COL_NAME, COL_EMAIL, COL_FIRST, COL_LAST, COL_OWNER, COL_TIER, NCOLS };

/* One reference and what the book said about it. */
struct query {
	struct clientfind_answer a;
	char *name_key;     /* folded, for suggestions; NULL when it has none */
	char *email_key;    /* normalised, for suggestions; NULL when not an email */
	char *number;       /* an all-digit reference without its leading zeros, else NULL */
	unsigned long seen; /* the last record counted (cf->seq), so a record counts once */
};

/* A key's reference and the kind it matches by; next: the key's next link or -1. */
struct link {
	size_t query;
	enum clientfind_by by;
	long next;
};

struct clientfind {
	bool keep_records;
	struct query *q;
	size_t n, cap;
	struct strtab refs; /* reference -> query */
	struct strtab keys; /* kind byte + key -> first link */
	long *head;         /* per key */
	size_t head_cap;
	struct link *links;
	size_t nlinks, links_cap;
	bool emails; /* some reference has an email key */
	/* The bound book. */
	const struct header *h;
	const char *book;
	long col[NCOLS];
	unsigned long seq;
	struct casefold fold;
	struct buf key, scratch, rec_name, rec_full, rec_email;
};

static const char *const col_names[NCOLS] = {"id",        "name",  "email", "first_name",
                                             "last_name", "owner", "tier"};

struct clientfind *
clientfind_new(bool keep_records)
{
	struct clientfind *cf = xcalloc(1, sizeof *cf);
	cf->keep_records = keep_records;
	return cf;
}

static void
client_free(struct clientfind_client *c)
{
	free(c->id);
	free(c->name);
	free(c->email);
	free(c->owner);
	free(c->tier);
	*c = (struct clientfind_client){0};
}

void
clientfind_free(struct clientfind *cf)
{
	if (!cf)
		return;
	for (size_t i = 0; i < cf->n; i++) {
		struct query *q = &cf->q[i];
		for (size_t k = 0; k < CLIENTFIND_SHOWN; k++)
			client_free(&q->a.match[k]);
		for (size_t k = 0; k < CLIENTFIND_NEAR; k++)
			client_free(&q->a.near[k]);
		record_free(&q->a.record);
		header_free(q->a.header);
		free((char *)q->a.ref);
		free(q->name_key);
		free(q->email_key);
		free(q->number);
	}
	free(cf->q);
	strtab_free(&cf->refs);
	strtab_free(&cf->keys);
	free(cf->head);
	free(cf->links);
	utf8_casefold_free(&cf->fold);
	buf_free(&cf->key);
	buf_free(&cf->scratch);
	buf_free(&cf->rec_name);
	buf_free(&cf->rec_full);
	buf_free(&cf->rec_email);
	free(cf);
}

/* Append s[0..n) to out with every run of blanks one space, and none at the ends. */
static void
squeeze(struct buf *out, const char *s, size_t n)
{
	bool blank = false;
	size_t start = out->len;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
			blank = true;
			continue;
		}
		if (blank && out->len > start)
			buf_putc(out, ' ');
		blank = false;
		buf_putc(out, s[i]);
	}
	buf_reserve(out, 0); /* NUL-terminated even when empty */
	out->data[out->len] = '\0';
}

/* Reset out to s[0..n) folded for names (utf8_namefold), blanks squeezed. */
static void
name_key(struct clientfind *cf, const char *s, size_t n, struct buf *out)
{
	size_t len;
	const char *f = utf8_namefold(&cf->fold, s, n, &len);
	buf_reset(out);
	squeeze(out, f, len);
}

/* Reset out to the email in s[0..n) as norm_email gives it; false if it is none. */
static bool
email_key(const char *s, size_t n, struct buf *out)
{
	char why[64];
	buf_reset(out);
	return n && norm_email(s, n, out, NULL, why, sizeof why) == 0 && out->len;
}

/* Link query to the key kind byte + k[0..n). */
static void
add_key(struct clientfind *cf, char kind, const char *k, size_t n, size_t query,
        enum clientfind_by by)
{
	buf_reset(&cf->key);
	buf_putc(&cf->key, kind);
	buf_append(&cf->key, k, n);
	bool added;
	long i = strtab_intern(&cf->keys, cf->key.data, cf->key.len, &added);
	if (i < 0)
		return;
	if (added) {
		cf->head = xgrow(cf->head, &cf->head_cap, (size_t)i + 1, sizeof *cf->head);
		cf->head[i] = -1;
	}
	cf->links = xgrow(cf->links, &cf->links_cap, cf->nlinks + 1, sizeof *cf->links);
	cf->links[cf->nlinks] = (struct link){.query = query, .by = by, .next = cf->head[i]};
	cf->head[i] = (long)cf->nlinks++;
}

size_t
clientfind_add(struct clientfind *cf, const char *ref)
{
	size_t len = strlen(ref);
	str_trim(&ref, &len);
	bool added;
	long i = strtab_intern(&cf->refs, ref, len, &added);
	if (!added && i >= 0)
		return (size_t)i;
	cf->q = xgrow(cf->q, &cf->cap, cf->n + 1, sizeof *cf->q);
	size_t h = cf->n++;
	struct query *q = &cf->q[h];
	*q = (struct query){.a = {.ref = xstrndup(ref, len)}};
	record_init(&q->a.record);
	add_key(cf, 'i', ref, len, h, CLIENTFIND_ID);
	if (len && strspn(ref, "0123456789") >= len) {
		/* A spreadsheet reads 007 as 7: suggest the ids that lost their zeros. */
		size_t zeros = 0;
		while (zeros + 1 < len && ref[zeros] == '0')
			zeros++;
		q->number = xstrndup(ref + zeros, len - zeros);
	}
	if (memchr(ref, '@', len) && email_key(ref, len, &cf->scratch)) {
		add_key(cf, 'e', cf->scratch.data, cf->scratch.len, h, CLIENTFIND_EMAIL);
		q->email_key = xstrdup(cf->scratch.data);
		cf->emails = true;
		return h;
	}
	name_key(cf, ref, len, &cf->scratch);
	if (!cf->scratch.len)
		return h;
	add_key(cf, 'n', cf->scratch.data, cf->scratch.len, h, CLIENTFIND_NAME);
	q->name_key = xstrdup(cf->scratch.data);
	const char *comma = strchr(q->name_key, ',');
	if (comma) {
		/* "Silva, Ana": also "Ana Silva". */
		struct buf swapped = {0};
		buf_puts(&swapped, comma + 1);
		buf_putc(&swapped, ' ');
		buf_append(&swapped, q->name_key, (size_t)(comma - q->name_key));
		buf_reset(&cf->scratch);
		squeeze(&cf->scratch, swapped.data, swapped.len);
		buf_free(&swapped);
		if (cf->scratch.len)
			add_key(cf, 'n', cf->scratch.data, cf->scratch.len, h, CLIENTFIND_NAME);
	}
	return h;
}

int
clientfind_bind(struct clientfind *cf, const struct header *h, const char *name,
                struct cs_error *err)
{
	cf->h = h;
	cf->book = name;
	for (int c = 0; c < NCOLS; c++)
		cf->col[c] = header_find(h, col_names[c]);
	if (cf->col[COL_ID] < 0)
		return cs_error_set(err, name, 1, "no \"id\" column: clients cannot be looked up");
	return 0;
}

/* Column c of rec trimmed, or "" when the book has no such column. */
static const char *
field(const struct clientfind *cf, const struct record *rec, int c, size_t *len)
{
	*len = 0;
	if (cf->col[c] < 0)
		return "";
	const char *s = record_get(rec, (size_t)cf->col[c], len);
	str_trim(&s, len);
	return s;
}

/* The record's display name: its name, else "first last"; into out (reset). */
static void
display_name(const struct clientfind *cf, const struct record *rec, struct buf *out)
{
	size_t n, f, l;
	const char *name = field(cf, rec, COL_NAME, &n);
	buf_reset(out);
	if (n) {
		buf_append(out, name, n);
		return;
	}
	const char *first = field(cf, rec, COL_FIRST, &f), *last = field(cf, rec, COL_LAST, &l);
	buf_append(out, first, f);
	if (f && l)
		buf_putc(out, ' ');
	buf_append(out, last, l);
}

static void
client_set(const struct clientfind *cf, const struct record *rec, struct clientfind_client *c,
           struct buf *scratch)
{
	client_free(c);
	size_t len;
	const char *s = field(cf, rec, COL_ID, &len);
	c->id = xstrndup(s, len);
	display_name(cf, rec, scratch);
	c->name = xstrdup(buf_str(scratch));
	s = field(cf, rec, COL_EMAIL, &len);
	c->email = xstrndup(s, len);
	s = field(cf, rec, COL_OWNER, &len);
	c->owner = xstrndup(s, len);
	s = field(cf, rec, COL_TIER, &len);
	c->tier = xstrndup(s, len);
	c->row = rec->row;
}

/* rec matches query qi by kind by.  Returns true when it is now among the best matches. */
static bool
hit(struct clientfind *cf, size_t qi, enum clientfind_by by, const struct record *rec)
{
	struct query *q = &cf->q[qi];
	struct clientfind_answer *a = &q->a;
	if (q->seen == cf->seq)
		return false; /* by a name and by "first last": one record */
	if (a->by != CLIENTFIND_NONE && by > a->by)
		return false;
	q->seen = cf->seq;
	if (by != a->by) {
		a->by = by;
		a->n = 0;
		record_clear(&a->record);
		header_free(a->header);
		a->header = NULL;
	}
	if (a->n < CLIENTFIND_SHOWN)
		client_set(cf, rec, &a->match[a->n], &cf->scratch);
	if (a->n == 0 && cf->keep_records) {
		record_copy(&a->record, rec);
		a->header = header_copy(cf->h);
	}
	a->n++;
	return true;
}

/* Look the kind byte + k[0..n) up; every reference with it is hit. */
static bool
lookup(struct clientfind *cf, char kind, const char *k, size_t n, const struct record *rec)
{
	if (!n)
		return false;
	buf_reset(&cf->key);
	buf_putc(&cf->key, kind);
	buf_append(&cf->key, k, n);
	long i = strtab_find(&cf->keys, cf->key.data, cf->key.len);
	bool any = false;
	for (long l = i >= 0 ? cf->head[i] : -1; l >= 0; l = cf->links[l].next)
		any |= hit(cf, cf->links[l].query, cf->links[l].by, rec);
	return any;
}

/* True if the words of key occur as whole words in name (both folded, squeezed). */
static bool
has_words(const char *name, const char *key)
{
	size_t k = strlen(key), n = strlen(name);
	for (const char *p = name; k && (p = strstr(p, key)); p++) {
		bool starts = p == name || p[-1] == ' ';
		bool ends = (size_t)(p - name) + k == n || p[k] == ' ';
		if (starts && ends)
			return true;
	}
	return false;
}

/* How close key is to candidate, if close enough to suggest; else SIZE_MAX. */
static size_t
closeness(const char *key, const char *candidate)
{
	if (!*candidate)
		return SIZE_MAX;
	size_t len = strlen(key), clen = strlen(candidate);
	if (len >= 3 && has_words(candidate, key))
		return 1;
	/* The distance is at least the gap in length: most names are ruled out by it. */
	size_t gap = len > clen ? len - clen : clen - len;
	if (!str_is_slip(gap, len))
		return SIZE_MAX;
	size_t d = str_edit_distance(key, candidate);
	return str_is_slip(d, len) ? d : SIZE_MAX;
}

/* Keep rec among q's suggestions when it is close enough and closer than the last kept. */
static void
consider(struct clientfind *cf, struct query *q, const struct record *rec)
{
	size_t d = SIZE_MAX, len;
	const char *id = field(cf, rec, COL_ID, &len);
	if (q->number) {
		while (len > 1 && *id == '0')
			id++, len--;
		if (len == strlen(q->number) && memcmp(id, q->number, len) == 0)
			d = 0;
	}
	if (d == 0) {
		/* the same number: the likeliest of all */
	} else if (q->email_key) {
		d = closeness(q->email_key, buf_str(&cf->rec_email));
	} else if (q->name_key) {
		d = closeness(q->name_key, buf_str(&cf->rec_name));
		size_t d2 = closeness(q->name_key, buf_str(&cf->rec_full));
		if (d2 < d)
			d = d2;
	}
	struct clientfind_answer *a = &q->a;
	if (d == SIZE_MAX || (a->nnear == CLIENTFIND_NEAR && d >= a->near_distance[a->nnear - 1]))
		return;
	size_t at = a->nnear < CLIENTFIND_NEAR ? a->nnear++ : CLIENTFIND_NEAR - 1;
	client_free(&a->near[at]);
	/* Insert in order: equally close ones keep the book's order. */
	while (at > 0 && a->near_distance[at - 1] > d) {
		a->near[at] = a->near[at - 1];
		a->near_distance[at] = a->near_distance[at - 1];
		at--;
	}
	a->near[at] = (struct clientfind_client){0};
	a->near_distance[at] = d;
	client_set(cf, rec, &a->near[at], &cf->scratch);
}

bool
clientfind_record(struct clientfind *cf, const struct record *rec)
{
	cf->seq++;
	size_t len, f, l;
	const char *id = field(cf, rec, COL_ID, &len);
	bool any = lookup(cf, 'i', id, len, rec);
	buf_reset(&cf->rec_email);
	if (cf->emails) {
		const char *email = field(cf, rec, COL_EMAIL, &len);
		if (email_key(email, len, &cf->rec_email))
			any |= lookup(cf, 'e', cf->rec_email.data, cf->rec_email.len, rec);
	}
	const char *name = field(cf, rec, COL_NAME, &len);
	name_key(cf, name, len, &cf->rec_name);
	any |= lookup(cf, 'n', cf->rec_name.data, cf->rec_name.len, rec);
	const char *first = field(cf, rec, COL_FIRST, &f), *last = field(cf, rec, COL_LAST, &l);
	buf_reset(&cf->rec_full);
	if (f || l) {
		buf_reset(&cf->scratch);
		buf_append(&cf->scratch, first, f);
		buf_putc(&cf->scratch, ' ');
		buf_append(&cf->scratch, last, l);
		name_key(cf, cf->scratch.data, cf->scratch.len, &cf->rec_full);
		if (strcmp(buf_str(&cf->rec_full), buf_str(&cf->rec_name)) != 0)
			any |= lookup(cf, 'n', cf->rec_full.data, cf->rec_full.len, rec);
	}
	for (size_t i = 0; i < cf->n && i < CLIENTFIND_SUGGESTED; i++)
		if (cf->q[i].a.by == CLIENTFIND_NONE)
			consider(cf, &cf->q[i], rec);
	return any;
}

int
clientfind_scan(struct clientfind *cf, const char *path, const char **name, struct cs_error *err)
{
	struct stream *s = stream_open(path, NULL, err);
	if (name)
		*name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	if (!s || clientfind_bind(cf, stream_header(s), stream_name(s), err) < 0) {
		stream_close(s);
		return -1;
	}
	struct record rec = {0};
	int got;
	while ((got = stream_next(s, &rec, err)) == 1)
		clientfind_record(cf, &rec);
	record_free(&rec);
	stream_close(s); /* the book's name, in err->file, is the path: it outlives s */
	return got < 0 ? -1 : 0;
}

const struct clientfind_answer *
clientfind_answer(const struct clientfind *cf, size_t q)
{
	return &cf->q[q].a;
}

/* Append to out[*at..size) as snprintf would; *at stops at the end. */
static void put(char *out, size_t size, size_t *at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
put(char *out, size_t size, size_t *at, const char *fmt, ...)
{
	if (*at >= size)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(out + *at, size - *at, fmt, ap);
	va_end(ap);
	*at = n < 0 ? size : *at + (size_t)n;
	if (*at >= size)
		*at = size;
}

static const char *const by_words[] = {"", "id", "email", "name"};

void
clientfind_explain(const struct clientfind_answer *a, const char *book, char *out, size_t size)
{
	size_t at = 0;
	if (size)
		out[0] = '\0';
	if (a->n == 1)
		return;
	if (a->n > 1) {
		put(out, size, &at,
		    "\"%.60s\": %zu clients in %s have this %s; give the id or "
		    "the email to say which:",
		    a->ref, a->n, book, by_words[a->by]);
		for (size_t i = 0; i < a->n && i < CLIENTFIND_SHOWN; i++) {
			const struct clientfind_client *c = &a->match[i];
			put(out, size, &at, "\n  %.40s  %.40s  %.60s  owner %.30s", c->id,
			    *c->name ? c->name : "(no name)", *c->email ? c->email : "(no email)",
			    *c->owner ? c->owner : "(none)");
		}
		if (a->n > CLIENTFIND_SHOWN)
			put(out, size, &at, "\n  and %zu more", a->n - CLIENTFIND_SHOWN);
		return;
	}
	put(out, size, &at, "\"%.60s\": no client in %s has this id, email or name", a->ref, book);
	for (size_t i = 0; i < a->nnear; i++) {
		const struct clientfind_client *c = &a->near[i];
		put(out, size, &at, "%s\"%.60s\" (%.40s)",
		    i == 0              ? "; did you mean "
		    : i + 1 == a->nnear ? " or "
		                        : ", ",
		    *c->name ? c->name : c->email, c->id);
	}
	if (a->nnear)
		put(out, size, &at, "?");
}
