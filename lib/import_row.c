/*
 * import_row.c - one input row into one output record: each field from its
 * first non-empty candidate, normalised (a value that does not parse is
 * warned about and kept as it was), names split or joined, the other columns
 * copied untouched; or the row rejected, as it was read, when it cannot say
 * who it is.
 *
 * Speed: the full import is measured against --raw (bench/import.sh), so
 * this hot path avoids what a profile showed: the normalisers append to one
 * row buffer that becomes the output record in one record_assign, words
 * (Client, Gold, Y) are looked up once per column and remembered, and the
 * buffers are the importer's, reused, so a row allocates nothing once they
 * have grown.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "import_int.h"
#include "writer.h"

/* Normalisation of one value. */

bool
import_contains(const char *p, size_t n, const char *what)
{
	size_t m = strlen(what);
	for (size_t i = 0; i + m <= n; i++)
		if (memcmp(p + i, what, m) == 0)
			return true;
	return false;
}

/* The digits of p[0..n) as a number (n at most 4, all digits). */
static int
small_number(const char *p, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (p[i] - '0');
	return v;
}

/*
 * The commonest date of an export, "3/14/2024" (or "14/3/2024"), read in a
 * column whose order is settled: true with *d set if p[0..n) is one, with
 * just what date_parse would make of it; false for anything else, which
 * date_parse reads (and explains).  A date field of every row of a large
 * book pays for date_parse's generality otherwise.
 */
static bool
slash_date(const char *p, size_t n, enum date_order order, struct date *d)
{
	if ((order != DATE_ORDER_MDY && order != DATE_ORDER_DMY) || n < 8 || n > 10)
		return false;
	size_t a = 0, b;
	while (a < n && ascii_digit(p[a]))
		a++;
	if (a < 1 || a > 2 || p[a] != '/')
		return false;
	b = a + 1;
	while (b < n && ascii_digit(p[b]))
		b++;
	if (b - a - 1 < 1 || b - a - 1 > 2 || b + 5 != n || p[b] != '/')
		return false;
	for (size_t i = b + 1; i < n; i++)
		if (!ascii_digit(p[i]))
			return false;
	int first = small_number(p, a), second = small_number(p + a + 1, b - a - 1);
	int year = small_number(p + b + 1, 4);
	int month = order == DATE_ORDER_MDY ? first : second;
	int day = order == DATE_ORDER_MDY ? second : first;
	if (year == 0 || month < 1 || month > 12 || day < 1 ||
	    day > date_days_in_month(year, month))
		return false;
	*d = (struct date){.year = year, .month = month, .day = day};
	return true;
}

static int
norm_date(struct importer *im, int f, const struct column *col, const char *v, size_t len,
          struct buf *out)
{
	const char *p = v;
	size_t n = len;
	str_trim(&p, &n);
	struct date d;
	char why[96];
	if (slash_date(p, n, col->order, &d))
		goto parsed;
	if (n == 4 && p[0] >= '1' && p[0] <= '2' && p[1] >= '0' && p[1] <= '9' && p[2] >= '0' &&
	    p[2] <= '9' && p[3] >= '0' && p[3] <= '9') {
		snprintf(im->why, sizeof im->why, "not a date (only a year)");
		return -1;
	}
	/*
	 * A bare number in a date column is what Excel writes for a date it did
	 * not format, but one of one to three digits is a lone day or month
	 * ("Birth Day" 15), never 15 January 1900.
	 */
	size_t digits = 0;
	while (digits < n && p[digits] >= '0' && p[digits] <= '9')
		digits++;
	if (digits == n && n >= 1 && n <= 3) {
		snprintf(im->why, sizeof im->why, "not a date (only a day or a month?)");
		return -1;
	}
	if (date_parse(p, n, col->order, DATE_SERIAL, &d, why, sizeof why) < 0) {
		/* "day 29 in February 1990 (not a leap year)": one level of brackets. */
		char *inner = strstr(why, " (");
		if (inner && why[strlen(why) - 1] == ')') {
			inner[0] = ',';
			inner[1] = ' ';
			why[strlen(why) - 1] = '\0';
		}
		if (strcmp(why, "not a date") == 0)
			snprintf(im->why, sizeof im->why, "not a date");
		else
			snprintf(im->why, sizeof im->why, "not a date (%s)", why);
		return -1;
	}
parsed:
	if (d.year == 0 && f != CANON_BIRTHDAY && f != CANON_ANNIVERSARY) {
		snprintf(im->why, sizeof im->why, "not a date (no year)");
		return -1;
	}
	if (f == CANON_BIRTHDAY && d.year && im->o.today.year && date_cmp(d, im->o.today) > 0) {
		char year[8];
		snprintf(year, sizeof year, "%04d", d.year);
		/* "3/15/65" read as 2065: a birthday is in the past. */
		if (!import_contains(p, n, year) && date_valid(d.year - 100, d.month, d.day)) {
			d.year -= 100;
		} else {
			snprintf(im->why, sizeof im->why,
			         "in the future (kept, but touches read it as no birthday)");
			return -1;
		}
	}
	/* Formatted in place: a date field of every row of a large book. */
	buf_reserve(out, 16);
	out->len += date_put(d, out->data + out->len);
	return 0;
}

/* Notes: line ends made LF, white space around dropped. */
static void
norm_notes(const char *v, size_t len, struct buf *out)
{
	const char *p = v, *end = v + len;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
		end--;
	if (!memchr(p, '\r', (size_t)(end - p))) {
		buf_append(out, p, (size_t)(end - p));
		return;
	}
	for (; p < end; p++) {
		if (*p == '\r') {
			buf_putc(out, '\n');
			if (p + 1 < end && p[1] == '\n')
				p++;
		} else {
			buf_putc(out, *p);
		}
	}
}

void
import_add_extra(struct importer *im, const char *fmt, ...)
{
	if (im->extra.len)
		buf_putc(&im->extra, '\n');
	/* The whole line, however long: it holds a value the notes must keep (a
	 * fixed buffer cut merged values short, and inside a UTF-8 character). */
	va_list ap, again;
	va_start(ap, fmt);
	va_copy(again, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n > 0) {
		buf_reserve(&im->extra, (size_t)n);
		vsnprintf(im->extra.data + im->extra.len, (size_t)n + 1, fmt, again);
		im->extra.len += (size_t)n;
	}
	va_end(again);
}

/* The lines of im->rest (several values in one cell) into the notes. */
static void
rest_to_notes(struct importer *im, const char *what)
{
	const char *p = buf_str(&im->rest);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		import_add_extra(im, "also %s: %.*s", what, (int)n, p);
		p += n + (nl != NULL);
	}
	buf_reset(&im->rest);
}

/* A word of col (Client, Gold, Y) read lately as f: true, with its value set. */
static bool
put_cached_word(struct importer *im, int f, struct column *col, const char *v, size_t len)
{
	for (size_t i = 0; i < WORDS_CACHED; i++) {
		const struct word_cache *w = &col->words[i];
		if (w->field == f + 1 && w->inlen == len && memcmp(w->in, v, len) == 0) {
			out_set(im, (size_t)im->field_out[f], w->out, w->outlen);
			im->set[f] = true;
			return true;
		}
	}
	return false;
}

/* Remember that col's word v reads as f's value out[0..outlen). */
static void
remember_word(struct column *col, int f, const char *v, size_t len, const char *out, size_t outlen)
{
	struct word_cache *w = &col->words[col->next_word++ % WORDS_CACHED];
	memcpy(w->in, v, len);
	w->inlen = (unsigned char)len;
	memcpy(w->out, out, outlen);
	w->outlen = (unsigned char)outlen;
	w->field = (signed char)(f + 1);
}

/*
 * Append v normalised as field f, read from col, to out.  0, or -1 with
 * im->why set (and out perhaps grown: the caller cuts it back).
 */
static int
normalise(struct importer *im, const struct source *s, int f, const struct column *col,
          const char *v, size_t len, struct buf *out)
{
	enum field_type type = im->types[f];
	int rc = 0, k;
	switch (f) {
	case CANON_EMAIL:
		rc = norm_email(v, len, out, &im->rest, im->why, sizeof im->why);
		im->email_ok = rc == 0;
		rest_to_notes(im, "email");
		break;
	case CANON_PHONE:
		rc = norm_phone(v, len, out, &im->rest, im->why, sizeof im->why);
		im->phone_ok = rc == 0;
		rest_to_notes(im, "phone");
		break;
	case CANON_KIND:
		k = norm_kind(v, len);
		if (k < 0)
			rc = -1,
			snprintf(im->why, sizeof im->why, "not a kind (client or prospect)");
		else
			buf_puts(out, k == KIND_PROSPECT ? "prospect" : "client");
		break;
	case CANON_TIER:
		k = norm_tier(v, len, col->platinum);
		if (k < 0)
			rc = -1, snprintf(im->why, sizeof im->why, "not a tier (A, B or C)");
		else
			buf_putc(out, (char)k);
		break;
	case CANON_NOTES:
		norm_notes(v, len, out);
		break;
	default:
		switch (type) {
		case FIELD_BOOL:
			k = norm_bool(v, len);
			if (k < 0)
				rc = -1, snprintf(im->why, sizeof im->why, "not a yes/no value");
			else
				buf_puts(out, k ? "true" : "false");
			break;
		case FIELD_NUMBER:
		case FIELD_INTEGER:
			rc = norm_number(v, len, s->decimal_comma, type == FIELD_INTEGER, out,
			                 im->why, sizeof im->why);
			break;
		case FIELD_DATE:
			rc = norm_date(im, f, col, v, len, out);
			break;
		default:
			norm_clean_text(v, len, out);
			break;
		}
	}
	return rc;
}

/*
 * v did not parse as f (im->why says why): note it, to be warned about once
 * per value and listed by --review, and keep it trimmed.
 */
static void
put_bad_value(struct importer *im, struct source *s, long row, int f, const char *v, size_t len,
              struct buf *out)
{
	char value[VALUE_SHOWN + 8], text[200];
	import_shown(v, len, value);
	snprintf(text, sizeof text, "%s \"%s\" is %.100s", schema_name(f), value, im->why);
	import_add_problem(im, s, row, text);
	norm_clean_text(v, len, out);
}

/*
 * Normalise v (not blank) as field f, read from col, into the output
 * record.  A value that does not parse is warned about and kept as it was
 * (trimmed).  Returns false, setting nothing, for a placeholder (n/a, -).
 */
static bool
put_field(struct importer *im, struct source *s, long row, int f, struct column *col, const char *v,
          size_t len)
{
	/* A column of words (Client, Gold, Y) repeats a few values: remember the last. */
	bool wordy = f == CANON_KIND || f == CANON_TIER || im->types[f] == FIELD_BOOL;
	if (wordy && len < sizeof col->words[0].in && put_cached_word(im, f, col, v, len))
		return true;
	/* The normalisers append to the row itself, and leave it as it was on failure. */
	struct buf *out = &im->row;
	size_t start = out->len;
	int rc = normalise(im, s, f, col, v, len, out);
	/* Every placeholder (n/a, -, 0/0/00) fails its field's parse: test only then. */
	if (rc < 0) {
		out->len = start;
		out->data[start] = '\0';
	}
	if (rc < 0 && norm_is_placeholder(v, len)) {
		buf_reset(&im->rest);
		return false;
	}
	if (rc < 0)
		put_bad_value(im, s, row, f, v, len, out);
	else if (wordy && len < sizeof col->words[0].in &&
	         out->len - start < sizeof col->words[0].out)
		remember_word(col, f, v, len, out->data + start, out->len - start);
	im->set[f] = out->len > start;
	out_commit(im, (size_t)im->field_out[f], start);
	return true;
}

/* Labels, tags and names. */

struct row_ctx {
	struct importer *im;
	struct source *s;
	struct column *col;
	long row;
};

static void
put_labelled(void *ctx, const char *label, size_t llen, const char *val, size_t vlen)
{
	struct row_ctx *rc = ctx;
	int f = synonyms_match_label(label, llen);
	if (f < 0 || rc->im->field_out[f] < 0 || rc->im->set[f] || is_blank(val, vlen))
		return;
	put_field(rc->im, rc->s, rc->row, f, rc->col, val, vlen);
}

static void
put_tag(void *ctx, const char *tag, size_t n)
{
	struct row_ctx *rc = ctx;
	struct importer *im = rc->im;
	int k;
	if (im->field_out[CANON_KIND] >= 0 && !im->set[CANON_KIND] &&
	    (k = norm_tag_kind(tag, n)) >= 0) {
		const char *kind = k == KIND_PROSPECT ? "prospect" : "client";
		out_set(im, (size_t)im->field_out[CANON_KIND], kind, strlen(kind));
		im->set[CANON_KIND] = true;
	}
	if (im->field_out[CANON_TIER] >= 0 && !im->set[CANON_TIER] &&
	    (k = norm_tag_tier(tag, n, rc->col->platinum)) >= 0) {
		char t[2] = {(char)k, '\0'};
		out_set(im, (size_t)im->field_out[CANON_TIER], t, 1);
		im->set[CANON_TIER] = true;
	}
}

static bool
same_words(const char *a, size_t alen, const struct buf *b)
{
	if (alen != b->len)
		return false;
	for (size_t i = 0; i < alen; i++)
		if (ascii_lower((unsigned char)a[i]) != ascii_lower((unsigned char)b->data[i]))
			return false;
	return true;
}

/*
 * Whether the text after the last comma of name[0..len) is what column c
 * of rec holds (a "Name Suffix" column: "Marie Dupont, Notaire").
 */
static bool
comma_ends_in(const char *name, size_t len, const struct record *rec, long c)
{
	if (c < 0)
		return false;
	size_t slen;
	const char *suffix = in_get(rec, (size_t)c, &slen);
	str_trim(&suffix, &slen);
	const char *comma = NULL;
	for (size_t i = 0; i < len; i++)
		if (name[i] == ',')
			comma = name + i;
	if (!comma || !slen)
		return false;
	const char *after = comma + 1;
	size_t alen = (size_t)(name + len - after);
	str_trim(&after, &alen);
	return alen == slen && memcmp(after, suffix, slen) == 0;
}

/*
 * name from first and last, or first and last from name.  "Silva, Ana" is
 * read last name first only when nothing better is known: not when the row
 * has a first or last name the comma form does not agree with (vCard
 * "FN:Mr. John Richter, James Doe Sr." with its N:), nor when what follows
 * the comma is the row's name suffix (Google's legacy "Marie Dupont,
 * Notaire").
 */
static void
fix_names(struct importer *im, struct source *s, const struct record *rec)
{
	if (im->field_out[CANON_NAME] < 0)
		return;
	size_t nlen, flen, llen;
	const char *name = out_get(im, CANON_NAME, &nlen);
	const char *first = out_get(im, CANON_FIRST_NAME, &flen);
	const char *last = out_get(im, CANON_LAST_NAME, &llen);
	if (nlen == 0) {
		if (flen == 0 && llen == 0)
			return;
		buf_reset(&im->disp);
		buf_append(&im->disp, first, flen);
		if (flen && llen)
			buf_putc(&im->disp, ' ');
		buf_append(&im->disp, last, llen);
		out_set(im, (size_t)im->field_out[CANON_NAME], im->disp.data, im->disp.len);
		im->set[CANON_NAME] = true;
		return;
	}
	/* Both parts known and no comma form to weigh: nothing to split. */
	if (flen && llen && !memchr(name, ',', nlen))
		return;
	/* A company's record (its name is its company, vCard's company cards): no one's name. */
	if (flen == 0 && llen == 0) {
		size_t clen;
		const char *company = out_get(im, CANON_COMPANY, &clen);
		if (nlen == clen && memcmp(name, company, nlen) == 0)
			return;
	}
	buf_reset(&im->disp);
	buf_reset(&im->first);
	buf_reset(&im->last);
	bool comma = norm_split_name(name, nlen, &im->disp, &im->first, &im->last);
	if (comma && comma_ends_in(name, nlen, rec, s->suffix_col)) {
		/* "Given Family, Suffix": the parts from what precedes the comma. */
		const char *end = memchr(name, ',', nlen);
		buf_reset(&im->disp);
		buf_reset(&im->first);
		buf_reset(&im->last);
		norm_split_name(name, (size_t)(end - name), &im->disp, &im->first, &im->last);
		comma = false;
	}
	bool set_first = flen == 0 && (llen == 0 || same_words(last, llen, &im->last));
	bool set_last = llen == 0 && (flen == 0 || same_words(first, flen, &im->first));
	if (set_first && im->first.len)
		out_set(im, (size_t)im->field_out[CANON_FIRST_NAME], im->first.data, im->first.len);
	if (set_last && im->last.len)
		out_set(im, (size_t)im->field_out[CANON_LAST_NAME], im->last.data, im->last.len);
	/* Turned round only when what is known agrees with the comma form. */
	if (comma && (flen == 0 || same_words(first, flen, &im->first)) &&
	    (llen == 0 || same_words(last, llen, &im->last)))
		out_set(im, (size_t)im->field_out[CANON_NAME], im->disp.data, im->disp.len);
	im->set[CANON_FIRST_NAME] = im->set[CANON_FIRST_NAME] || (set_first && im->first.len);
	im->set[CANON_LAST_NAME] = im->set[CANON_LAST_NAME] || (set_last && im->last.len);
}

/* Rows that cannot be imported. */

static bool
is_totals_row(const char *name, size_t len)
{
	static const char *const words[] = {"total",    "totals", "grandtotal",
	                                    "subtotal", "sum",    NULL};
	char key[SYNONYMS_KEY_MAX];
	if (len == 0 || synonyms_header_key(name, len, key) == 0)
		return false;
	for (size_t i = 0; words[i]; i++)
		if (strcmp(key, words[i]) == 0)
			return true;
	return false;
}

/* Write a row that cannot be imported to --reject, as it was read. */
void
import_reject(struct importer *im, struct source *s, const struct record *rec, const char *raw,
              size_t rawlen, long row, const char *why)
{
	s->st.rejected++;
	import_add_event(&s->st.rejects, row, why);
	if (im->o.reject)
		import_warnf(im, s, row, "%s: not imported (written to %s)", why,
		             im->o.reject_name);
	else
		import_warnf(im, s, row, "%s: not imported (--reject FILE keeps such rows)", why);
	if (!im->o.reject)
		return;
	struct buf *b = &im->line;
	buf_reset(b);
	if (raw) {
		buf_append(b, raw, rawlen);
	} else {
		/* The input's own columns, delimiter and format: a reject reads back as it was. */
		if (!s->reject) {
			struct writer_options wo = {
			    .format = s->format,
			    .delimiter = s->delimiter,
			    .raw = true,
			    .whole_rows = true,
			    .to = b,
			};
			s->reject = writer_open(NULL, s->in, &wo);
		}
		writer_put(s->reject, rec);
	}
	fwrite(b->data, 1, b->len, im->o.reject);
}

/* The row. */

/* Start building a record: no values, no keys. */
static void
begin_row(struct importer *im, struct row_keys *keys)
{
	im->ofs = xgrow(im->ofs, &im->ofs_cap, im->out->n, sizeof *im->ofs);
	memset(im->ofs, 0, im->out->n * sizeof *im->ofs);
	buf_reset(&im->row);
	buf_reserve(&im->row, 256);
	/* Offset 0 is the NUL of every empty value, as in a record. */
	buf_putc(&im->row, '\0');
	memset(im->set, 0, sizeof im->set);
	*keys = (struct row_keys){0, 0, 0};
	im->email_ok = im->phone_ok = false;
	buf_reset(&im->extra);
}

/*
 * The rank of candidate column c of field f in rec (lower wins), or
 * SYNONYMS_RANK_NONE when its value is no value for f (a fax, a pager).
 */
static int
candidate_rank(const struct source *s, int f, size_t c, const struct record *rec)
{
	const struct column *col = &s->cols[c];
	if (f >= CANON_DO_NOT_CALL && f <= CANON_DO_NOT_MAIL) {
		/* Consent: any column saying yes is a refusal. */
		size_t len;
		const char *v = in_get(rec, c, &len);
		return norm_bool(v, len) == 1 ? SYNONYMS_RANK_BEST : SYNONYMS_RANK_PLAIN;
	}
	if (col->label < 0)
		return col->rank;
	size_t llen;
	const char *label = in_get(rec, (size_t)col->label, &llen);
	if (is_blank(label, llen))
		return col->rank;
	return synonyms_label_rank(label, llen, f >= CANON_STREET && f <= CANON_COUNTRY);
}

/*
 * Field f from the best-ranked non-empty candidate of rec (then the first),
 * among those of address group group (-1: any).  True if f was set.
 */
static bool
put_best(struct importer *im, struct source *s, int f, const struct record *rec, int group)
{
	uint64_t tried = 0;
	for (;;) {
		long best = -1;
		int best_rank = 0;
		for (size_t k = 0; k < s->ncand[f] && k < 64; k++) {
			size_t c = s->cand[f][k], len;
			if ((tried >> k & 1) || (group >= 0 && s->cols[c].group != group))
				continue;
			const char *v = in_get(rec, c, &len);
			int r =
			    is_blank(v, len) ? SYNONYMS_RANK_NONE : candidate_rank(s, f, c, rec);
			if (r == SYNONYMS_RANK_NONE) {
				tried |= (uint64_t)1 << k;
				continue;
			}
			if (best < 0 || r < best_rank)
				best = (long)k, best_rank = r;
		}
		if (best < 0)
			return false;
		size_t c = s->cand[f][best], len;
		const char *v = in_get(rec, c, &len);
		if (put_field(im, s, rec->row, f, &s->cols[c], v, len))
			return true;
		tried |= (uint64_t)1 << best;
	}
}

/*
 * The postal address from one group of columns, so that a street is never
 * paired with another address's city: the group of the best-ranked
 * non-empty part (a mailing or home address before a plain one, then work,
 * then other).  A part the group has no column for comes from any column.
 */
static void
map_address(struct importer *im, struct source *s, const struct record *rec)
{
	int group = -1, best_rank = 0;
	for (int f = CANON_STREET; f <= CANON_COUNTRY; f++)
		for (size_t k = 0; k < s->ncand[f]; k++) {
			size_t c = s->cand[f][k], len;
			const char *v = in_get(rec, c, &len);
			if (is_blank(v, len))
				continue;
			int r = candidate_rank(s, f, c, rec);
			if (group < 0 || r < best_rank)
				group = s->cols[c].group, best_rank = r;
		}
	if (group < 0)
		return;
	for (int f = CANON_STREET; f <= CANON_COUNTRY; f++) {
		bool has_column = false;
		for (size_t k = 0; k < s->ncand[f] && !has_column; k++)
			has_column = s->cols[s->cand[f][k]].group == group;
		put_best(im, s, f, rec, has_column ? group : -1);
	}
}

/* Digits only, at most n of them: a part of a split date. */
static bool
date_part_ok(const char *v, size_t len, size_t n)
{
	if (len == 0 || len > n)
		return false;
	for (size_t i = 0; i < len; i++)
		if (v[i] < '0' || v[i] > '9')
			return false;
	return true;
}

/*
 * Field f from a date split into columns (Thunderbird's "Birth Year",
 * "Birth Month", "Birth Day"): YYYY-MM-DD, or --MM-DD without a year, read
 * as any date; a day without a month (or the reverse) is not a date.
 */
static void
map_date_parts(struct importer *im, struct source *s, int f, const struct record *rec)
{
	const char *v[3];
	size_t len[3];
	for (int i = 0; i < 3; i++) {
		v[i] = s->parts[f][i] >= 0 ? in_get(rec, (size_t)s->parts[f][i], &len[i]) : "";
		if (s->parts[f][i] < 0)
			len[i] = 0;
		str_trim(&v[i], &len[i]);
	}
	if (!len[0] && !len[1] && !len[2])
		return;
	struct buf *t = &im->text;
	buf_reset(t);
	if (date_part_ok(v[0], len[0], 4) && date_part_ok(v[1], len[1], 2) &&
	    date_part_ok(v[2], len[2], 2)) {
		buf_printf(t, "%.*s-%02d-%02d", (int)len[0], v[0], atoi(v[1]), atoi(v[2]));
	} else if (!len[0] && date_part_ok(v[1], len[1], 2) && date_part_ok(v[2], len[2], 2)) {
		buf_printf(t, "--%02d-%02d", atoi(v[1]), atoi(v[2]));
	} else if (!len[1] || !len[2]) {
		/* Left empty: the part there is stays in its own column. */
		int have = len[2] ? 2 : len[1] ? 1 : 0, lack = !len[1] ? 1 : 2;
		char value[VALUE_SHOWN + 8], text[200];
		snprintf(text, sizeof text, "%s: \"%s\" \"%s\" is no date without \"%s\"",
		         schema_name(f), s->in->names[s->parts[f][have]],
		         import_shown(v[have], len[have], value),
		         s->parts[f][lack] >= 0 ? s->in->names[s->parts[f][lack]] : "a day");
		import_add_problem(im, s, rec->row, text);
		return;
	} else {
		/* As the columns hold it, for the warning. */
		buf_printf(t, "%.*s-%.*s-%.*s", (int)len[0], v[0], (int)len[1], v[1], (int)len[2],
		           v[2]);
	}
	long c = s->parts[f][1];
	put_field(im, s, rec->row, f, &s->cols[c], t->data, t->len);
}

/*
 * The fields a row of s maps, in order, and its columns kept as they are:
 * a row then walks what it has (an export has a dozen of the 34 fields),
 * not every field and column with a test each.  The company is always in,
 * since the names and keys are settled after it.
 */
void
import_plan_rows(struct source *s)
{
	s->nfields = 0;
	for (int f = 0; f < CANON_COUNT; f++) {
		bool address = s->grouped && f >= CANON_STREET && f <= CANON_COUNTRY;
		if (address ? f == CANON_STREET
		            : s->ranked[f] || s->ncand[f] || s->split[f] || f == CANON_COMPANY)
			s->fields[s->nfields++] = (unsigned char)f;
	}
	free(s->kept);
	s->kept = xcalloc(s->ncols ? s->ncols : 1, sizeof *s->kept);
	s->nkept = 0;
	for (size_t c = 0; c < s->ncols; c++)
		if (s->cols[c].out >= 0)
			s->kept[s->nkept++] = c;
}

/* Each field from its first non-empty candidate; the keys once the company is set. */
static void
map_fields(struct importer *im, struct source *s, const struct record *rec, struct row_keys *keys)
{
	long row = rec->row;
	for (size_t i = 0; i < s->nfields; i++) {
		int f = s->fields[i];
		if (s->grouped && f >= CANON_STREET && f <= CANON_COUNTRY) {
			if (f == CANON_STREET)
				map_address(im, s, rec);
		} else if (s->ranked[f]) {
			put_best(im, s, f, rec, -1);
		} else {
			for (size_t k = 0; k < s->ncand[f]; k++) {
				size_t c = s->cand[f][k], len;
				const char *v = in_get(rec, c, &len);
				if (!is_blank(v, len) &&
				    put_field(im, s, row, f, &s->cols[c], v, len))
					break;
			}
		}
		if (s->split[f] && !im->set[f])
			map_date_parts(im, s, f, rec);
		if (f == CANON_COMPANY) {
			fix_names(im, s, rec);
			import_hash_keys(im, keys);
		}
	}
}

/* The fields still empty from label/value pairs, labelled lists and tags. */
static void
map_labels(struct importer *im, struct source *s, const struct record *rec)
{
	long row = rec->row;
	for (size_t i = 0; i < s->npairs; i++) {
		struct column *col = &s->cols[s->pairs[i]];
		size_t vlen, llen;
		const char *v = in_get(rec, s->pairs[i], &vlen);
		if (is_blank(v, vlen))
			continue;
		const char *label = record_get(rec, (size_t)col->partner, &llen);
		if (!col->cache_valid || col->cache.len != llen ||
		    memcmp(buf_str(&col->cache), label, llen) != 0) {
			buf_reset(&col->cache);
			buf_append(&col->cache, label, llen);
			col->cache_field = synonyms_match_label(label, llen);
			col->cache_valid = true;
		}
		int f = col->cache_field;
		if (f >= 0 && im->field_out[f] >= 0 && !im->set[f])
			put_field(im, s, row, f, col, v, vlen);
	}
	for (size_t i = 0; i < s->nlists; i++) {
		size_t len;
		const char *v = record_get(rec, s->lists[i], &len);
		struct row_ctx rc = {im, s, &s->cols[s->lists[i]], row};
		import_each_labelled(v, len, put_labelled, &rc);
	}
	for (size_t i = 0; i < s->ntags; i++) {
		size_t len;
		const char *v = record_get(rec, s->tags[i], &len);
		struct row_ctx rc = {im, s, &s->cols[s->tags[i]], row};
		import_each_tag(v, len, put_tag, &rc);
	}
}

/*
 * Whether the record built tells who it is and is not a totals row; if not,
 * the row is rejected.
 */
static bool
check_who(struct importer *im, struct source *s, const struct record *rec, const char *raw,
          size_t rawlen)
{
	long row = rec->row;
	size_t nlen;
	const char *name = out_get(im, CANON_NAME, &nlen);
	bool who = im->set[CANON_ID] || im->set[CANON_NAME] || im->set[CANON_EMAIL] ||
	           im->set[CANON_PHONE] || im->set[CANON_COMPANY];
	if (!who) {
		s->st.rejected_who++;
		import_reject(im, s, rec, raw, rawlen, row,
		              "no name, email, phone, company or id to tell who this is");
		return false;
	}
	size_t idlen;
	const char *id = out_get(im, CANON_ID, &idlen);
	if (!im->set[CANON_EMAIL] && !im->set[CANON_PHONE] &&
	    (is_totals_row(name, nlen) || is_totals_row(id, idlen))) {
		import_reject(im, s, rec, raw, rawlen, row, "a totals row");
		return false;
	}
	return true;
}

/* The lines gathered in im->extra appended to the notes. */
static void
extra_to_notes(struct importer *im)
{
	if (!im->extra.len)
		return;
	size_t at = (size_t)im->field_out[CANON_NOTES], len;
	const char *notes = out_at(im, at, &len);
	buf_reset(&im->text);
	buf_append(&im->text, notes, len);
	if (len)
		buf_putc(&im->text, '\n');
	buf_append(&im->text, im->extra.data, im->extra.len);
	out_set(im, at, im->text.data, im->text.len);
}

/*
 * Map one record of s into the record being built (im->row, im->ofs) and
 * hash its keys into *keys.  Returns false if the row cannot be imported
 * (it has been rejected).
 */
bool
import_map_record(struct importer *im, struct source *s, struct record *rec, const char *raw,
                  size_t rawlen, struct row_keys *keys)
{
	long row = rec->row;
	s->st.read++;
	if (row > s->last_row)
		s->last_row = row;
	if (rec->n > s->ncols) {
		char why[128];
		snprintf(why, sizeof why, "%zu fields but the header has %zu", rec->n, s->ncols);
		import_reject(im, s, rec, raw, rawlen, row, why);
		return false;
	}
	begin_row(im, keys);
	map_fields(im, s, rec, keys);
	bool who_before[CANON_COMPANY + 1];
	memcpy(who_before, im->set, sizeof who_before);
	map_labels(im, s, rec);
	/* A label (Custom Field "Email") may have set what the keys are made of. */
	if (memcmp(who_before, im->set, sizeof who_before) != 0) {
		fix_names(im, s, rec);
		import_hash_keys(im, keys);
	}
	if (!check_who(im, s, rec, raw, rawlen))
		return false;
	extra_to_notes(im);
	if (im->set[CANON_OWNER]) {
		size_t olen;
		const char *owner = out_get(im, CANON_OWNER, &olen);
		if (import_is_system_id(owner, olen))
			import_add_owner_id(s, row, owner, olen);
	}
	for (size_t i = 0; i < s->nkept; i++) {
		size_t c = s->kept[i], len;
		const char *v = in_get(rec, c, &len);
		if (len)
			out_set(im, (size_t)s->cols[c].out, v, len);
	}
	return true;
}
