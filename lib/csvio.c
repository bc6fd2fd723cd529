/*
 * csvio.c - the libcsv reader and the CSV field writer.
 *
 * libcsv is a push parser: it calls back per field and per row.  The
 * callbacks append into a queue (one byte buffer, a (offset, length) per
 * field, a field count per row) that csv_reader_next drains before feeding
 * the next chunk.  libcsv gives no positions, so rows are counted here: the
 * n-th row delivered is spreadsheet row n (header = 1).
 *
 * Quotes: a '"' inside an unquoted field is data (37°36'37.8"N), as every
 * spreadsheet reads it, so libcsv runs in its lenient mode, which allows it.
 * But lenient libcsv also glues text after a closing quote ("a"b,c) onto the
 * field and reads on inside the quotes, silently swallowing rows.  A small
 * scan of each chunk (scan_quotes) follows the quoting states and stops the
 * parse right there with an error instead.  CSV_STRICT_FINI and csv_fini's
 * return catch a quote never closed; a space function that trims nothing
 * keeps the bytes exact.
 *
 * The fast path: libcsv costs some 40 instructions a byte and a call per
 * field.  So where a row starts (libcsv holding nothing), the rows of the
 * common shapes - unquoted fields, and quoted ones with no quote inside and
 * a delimiter or line end right after the closing quote - are split here,
 * their fields pointing into the read buffer, and copied once, straight
 * into the record; a field's end is found sixteen bytes at a time
 * (bytescan.h).  The first row of any other shape (a doubled or stray
 * quote, a lone CR, text after a closing quote) goes to libcsv, which
 * stays the parser of record, up to the line end after which it holds
 * nothing again.  UTF-8 and NUL bytes are checked once per chunk; a row
 * with a bad byte goes to libcsv, whose callback names the field.  A row cut
 * by the end of a chunk is held back and read again with the next chunk.
 * tests/fuzz/fuzz_csv_fast.c proves both paths give the same records.
 */
#include "csvio.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "bytescan.h"
#include "utf8.h"

struct csv_reader {
	struct csv_parser parser;
	struct input *in;
	int delimiter;

	/* The queue: rows completed by the last chunk, then a partial row. */
	struct buf data;
	struct field *fields;
	size_t nfields, fields_cap;
	struct queued_row *rows;
	size_t nrows, rows_cap;
	size_t next;      /* next row to hand out */
	size_t partial;   /* first field of the row not yet complete */
	long rows_before; /* rows handed out before this queue */

	/* A bad field found by a callback: reported after the rows before it. */
	bool bad;
	size_t bad_at; /* queue index of the row holding it */
	struct cs_error bad_err;
	bool done;
	enum quote_state {
		Q_FIELD_START,
		Q_UNQUOTED,
		Q_QUOTED,
		Q_QUOTE_IN_QUOTED, /* a quote inside quotes: closing, or the first of "" */
		Q_AFTER_QUOTE,     /* spaces after a closing quote */
	} qstate;
	size_t held; /* bytes at the end of the input held back by scan_quotes */

	/* The fast path (see the top of the file). */
	bool fast;            /* on: the delimiter is ASCII and no quote or line end */
	bool row_start;       /* libcsv holds no part of a row */
	struct byteset stops; /* the bytes that end an unquoted field: delimiter, '"', CR, LF */
	struct byteset quote; /* '"', which ends a quoted one */
};

/*
 * A row of the queue: its fields end at fields[end].  A row libcsv read has
 * its bytes in data (raw is NULL); a row the fast path split still has them
 * in the read buffer, raw[0..raw_len), its fields' offsets counted from raw.
 */
struct queued_row {
	size_t end;
	const char *raw;
	size_t raw_len;
};

static int
no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void
on_field(void *p, size_t len, void *ctx)
{
	struct csv_reader *r = ctx;
	const char *s = p ? p : "";
	if (!r->bad) {
		size_t at = utf8_text_prefix(s, len);
		if (at < len) {
			const char *why = s[at] == '\0' ? "a NUL byte" : "bytes that are not UTF-8";
			r->bad = true;
			r->bad_at = r->nrows;
			cs_error_set(
			    &r->bad_err, input_name(r->in), r->rows_before + (long)r->nrows + 1,
			    "field %zu holds %s%s", r->nfields - r->partial + 1, why,
			    *why == 'b' ? " (if this is an Excel export, try --encoding cp1252)"
			                : "");
		}
	}
	r->fields = xgrow(r->fields, &r->fields_cap, r->nfields + 1, sizeof *r->fields);
	r->fields[r->nfields].off = r->data.len;
	r->fields[r->nfields].len = len;
	r->nfields++;
	buf_append(&r->data, s, len);
	buf_putc(&r->data, '\0');
}

static void
on_row(int c, void *ctx)
{
	(void)c;
	struct csv_reader *r = ctx;
	r->rows = xgrow(r->rows, &r->rows_cap, r->nrows + 1, sizeof *r->rows);
	r->rows[r->nrows++] = (struct queued_row){.end = r->nfields};
	r->partial = r->nfields;
}

struct csv_reader *
csv_reader_new(struct input *in, int delimiter)
{
	struct csv_reader *r = xcalloc(1, sizeof *r);
	if (csv_init(&r->parser, CSV_STRICT_FINI) != 0) {
		free(r);
		fputs("cs: out of memory\n", stderr);
		exit(2);
	}
	csv_set_delim(&r->parser, (unsigned char)delimiter);
	csv_set_space_func(&r->parser, no_space);
	r->in = in;
	r->delimiter = delimiter;
	r->fast = delimiter > 0 && delimiter < 0x80 && delimiter != '"' && delimiter != '\r' &&
	          delimiter != '\n';
	r->row_start = true;
	const char stops[] = {'"', '\r', '\n', r->fast ? (char)delimiter : '"'};
	byteset_init(&r->stops, stops, sizeof stops);
	byteset_init(&r->quote, "\"", 1);
	return r;
}

void
csv_reader_libcsv_only(struct csv_reader *r)
{
	r->fast = false;
}

void
csv_reader_free(struct csv_reader *r)
{
	if (!r)
		return;
	csv_free(&r->parser);
	buf_free(&r->data);
	free(r->fields);
	free(r->rows);
	free(r);
}

/* Drop the rows handed out, keeping the fields of a partial row. */
static void
compact(struct csv_reader *r)
{
	r->rows_before += (long)r->nrows;
	size_t keep = r->nfields - r->partial;
	if (keep) {
		size_t base = r->fields[r->partial].off;
		memmove(r->data.data, r->data.data + base, r->data.len - base);
		r->data.len -= base;
		for (size_t i = 0; i < keep; i++) {
			r->fields[i] = r->fields[r->partial + i];
			r->fields[i].off -= base;
		}
	} else {
		buf_reset(&r->data);
	}
	r->nfields = keep;
	r->partial = 0;
	r->nrows = r->next = 0;
}

/* True if c ends a field outside quotes. */
static inline bool
is_end(char c, char delimiter)
{
	return c == delimiter || c == '\n' || c == '\r';
}

enum scan_result {
	SCAN_END,    /* p[from..*stop) is fine; anything after it is held back */
	SCAN_SPACES, /* p[from..*stop) is fine, then spaces to skip up to *resume */
	SCAN_GLUED,  /* p[from..*stop) is fine, then text after a closing quote */
};

/*
 * Follow the quoting of p[from..n) from r->qstate.  Spaces after a closing
 * quote ("B" ,C) are dropped, as spreadsheets do, but only once what follows
 * them is known: at the end of a chunk they are held back for the next one.
 */
static enum scan_result
scan_quotes(struct csv_reader *r, const char *p, size_t from, size_t n, size_t *stop,
            size_t *resume)
{
	enum quote_state st = r->qstate;
	const char delimiter = (char)r->delimiter;
	size_t spaces = 0; /* where the spaces after a closing quote began */
	for (size_t i = from; i < n; i++) {
		char c = p[i];
		bool ends = is_end(c, delimiter);
		switch (st) {
		case Q_FIELD_START:
		case Q_UNQUOTED: {
			/* Outside quotes only a quote matters: jump to the next one.
			 * It opens a quoted field if it starts a field. */
			const char *q = memchr(p + i, '"', n - i);
			if (!q) {
				st = is_end(p[n - 1], delimiter) ? Q_FIELD_START : Q_UNQUOTED;
				i = n;
				break;
			}
			size_t k = (size_t)(q - p);
			bool starts = k == i ? st == Q_FIELD_START : is_end(p[k - 1], delimiter);
			st = starts ? Q_QUOTED : Q_UNQUOTED;
			i = k;
			break;
		}
		case Q_QUOTED: {
			const char *q = memchr(p + i, '"', n - i);
			if (!q) {
				i = n;
				break;
			}
			i = (size_t)(q - p);
			st = Q_QUOTE_IN_QUOTED;
			break;
		}
		case Q_QUOTE_IN_QUOTED:
			if (c == '"') {
				st = Q_QUOTED;
			} else if (ends) {
				st = Q_FIELD_START;
			} else if (c == ' ' || c == '\t') {
				st = Q_AFTER_QUOTE;
				spaces = i;
			} else {
				r->qstate = st;
				*stop = i;
				return SCAN_GLUED;
			}
			break;
		case Q_AFTER_QUOTE:
			if (ends) {
				r->qstate = Q_QUOTE_IN_QUOTED;
				*stop = spaces;
				*resume = i;
				return SCAN_SPACES;
			}
			if (c != ' ' && c != '\t') {
				r->qstate = Q_QUOTE_IN_QUOTED;
				*stop = i;
				return SCAN_GLUED;
			}
			break;
		}
	}
	if (st == Q_AFTER_QUOTE) {
		r->qstate = Q_QUOTE_IN_QUOTED;
		*stop = spaces;
		return SCAN_END;
	}
	r->qstate = st;
	*stop = n;
	return SCAN_END;
}

static int
glued_error(struct csv_reader *r, const char *p, size_t len, size_t at, struct cs_error *err)
{
	/* Show the closing quote and what follows it. */
	size_t from = at, to = at;
	while (from > 0 && at - from < 24 && p[from - 1] != '\n' && p[from - 1] != '\r')
		from--;
	while (to < len && to - at < 8 && p[to] != '\n' && p[to] != '\r')
		to++;
	char near[40];
	snprintf(near, sizeof near, "%.*s", (int)(to - from), p + from);
	return cs_error_set(err, input_name(r->in), r->rows_before + (long)r->nrows + 1,
	                    "text after a closing quote (near `%s`): quote the whole field and "
	                    "double the quotes inside it",
	                    near);
}

static int
parse(struct csv_reader *r, const char *p, size_t len, struct cs_error *err)
{
	if (len && csv_parse(&r->parser, p, len, on_field, on_row, r) < len)
		return cs_error_set(err, input_name(r->in), r->rows_before + (long)r->nrows + 1,
		                    "the CSV parser failed: %s",
		                    csv_strerror(csv_error(&r->parser)));
	return 0;
}

static void
push_field(struct csv_reader *r, size_t off, size_t len)
{
	if (r->nfields == r->fields_cap)
		r->fields = xgrow(r->fields, &r->fields_cap, r->nfields + 1, sizeof *r->fields);
	r->fields[r->nfields++] = (struct field){.off = off, .len = len};
}

/* fast_row's answer for a row that runs into the end of what it may read. */
enum { FAST_CUT = -1 };

/*
 * Split the row at p[from..end) the fast way, queueing it.  Returns where
 * the next row starts; from when the row is not of the fast shapes, or
 * (size_t)FAST_CUT when it is not whole before end (nothing queued then).
 * A blank line gives no row, as with libcsv.
 */
static size_t
fast_row(struct csv_reader *r, const char *p, size_t from, size_t end)
{
	const char delimiter = (char)r->delimiter;
	size_t first = r->nfields, i = from, next = (size_t)FAST_CUT;
	if (i < end && p[i] == '\n')
		return i + 1;
	if (i + 1 < end && p[i] == '\r' && p[i + 1] == '\n')
		return i + 2;
	for (;;) {
		size_t after; /* the byte after the field: a delimiter or a line end */
		if (i < end && p[i] == '"') {
			size_t q = i + 1 + byteset_find(&r->quote, p + i + 1, end - i - 1);
			if (q == end)
				break;
			after = q + 1;
			push_field(r, i + 1 - from, after - 2 - i);
		} else {
			size_t start = i;
			i += byteset_find(&r->stops, p + i, end - i);
			if (i == end)
				break;
			if (p[i] == '"') {
				next = from; /* a quote inside an unquoted field: libcsv's */
				break;
			}
			after = i;
			push_field(r, start - from, i - start);
		}
		if (after >= end)
			break;
		char c = p[after];
		if (c == delimiter) {
			i = after + 1;
			continue;
		}
		if (c == '\r' && after + 1 == end)
			break;
		if (c == '\n' || (c == '\r' && p[after + 1] == '\n')) {
			if (r->nrows == r->rows_cap)
				r->rows =
				    xgrow(r->rows, &r->rows_cap, r->nrows + 1, sizeof *r->rows);
			r->rows[r->nrows++] =
			    (struct queued_row){r->nfields, p + from, after + 1 - from};
			r->partial = r->nfields;
			return after + (c == '\n' ? 1 : 2);
		}
		next = from; /* a doubled quote, text after a closing quote, a lone CR */
		break;
	}
	r->nfields = first;
	return next;
}

/*
 * libcsv's part: p[from..to) through scan_quotes and csv_parse.  *stop gets
 * the end of what was parsed (before spaces held back at to).  Returns 0 or
 * -1 (err filled).
 */
static int
slow_part(struct csv_reader *r, const char *p, size_t from, size_t to, size_t len, size_t *stop,
          struct cs_error *err)
{
	size_t pos = from, resume = 0;
	for (;;) {
		enum scan_result how = scan_quotes(r, p, pos, to, stop, &resume);
		if (parse(r, p + pos, *stop - pos, err) < 0)
			return -1;
		if (how == SCAN_GLUED)
			return glued_error(r, p, len, *stop, err);
		if (how == SCAN_END)
			return 0;
		pos = resume;
	}
}

/* At the end of the input: what was held back, then libcsv's last row.  Returns 0 or -1. */
static int
finish(struct csv_reader *r, const char *p, size_t len, struct cs_error *err)
{
	r->done = true;
	if (r->held && r->row_start) {
		/* A last row without a line end, held back by the fast path. */
		size_t stop;
		r->row_start = false;
		if (slow_part(r, p, 0, len, len, &stop, err) < 0)
			return -1;
	} else if (r->held) {
		/* Spaces after a closing quote at the very end: dropped. */
		r->qstate = Q_FIELD_START;
	}
	input_consume(r->in, len);
	r->held = 0;
	/* libcsv reports this only in strict mode, which we cannot use. */
	if (r->qstate == Q_QUOTED || csv_fini(&r->parser, on_field, on_row, r) != 0)
		return cs_error_set(err, input_name(r->in), r->rows_before + (long)r->nrows + 1,
		                    "a quoted field is never closed: the file ends inside "
		                    "quotes opened in this row");
	return 0;
}

/* Feed the next chunk.  Returns 0 or -1 (err filled). */
static int
feed(struct csv_reader *r, struct cs_error *err)
{
	size_t len;
	const char *p = input_peek(r->in, &len);
	if (len == r->held) {
		int got = input_fill(r->in, err);
		if (got < 0)
			return -1;
		p = input_peek(r->in, &len);
		if (got == 0)
			return finish(r, p, len, err);
	}
	/* Bytes past ok are not known to be UTF-8 without NUL: libcsv's. */
	size_t pos = 0, stop = 0, ok = utf8_text_prefix(p, len);
	for (;;) {
		if (r->fast && r->row_start && !r->bad) {
			size_t next;
			while ((next = fast_row(r, p, pos, ok)) != pos && next != (size_t)FAST_CUT)
				pos = next;
			/* A row cut by the end of the chunk (maybe inside a character):
			 * read again, whole, with the next one (finish gives libcsv a
			 * last row held back at the end of the input). */
			if (pos == len || (next == (size_t)FAST_CUT && len - ok < 4)) {
				stop = pos;
				break;
			}
		}
		const char *nl = memchr(p + pos, '\n', len - pos);
		size_t to = nl ? (size_t)(nl - p) + 1 : len;
		r->row_start = false;
		if (slow_part(r, p, pos, to, len, &stop, err) < 0)
			return -1;
		if (to == len)
			break;
		/* A line end outside quotes: libcsv has finished the row. */
		r->row_start = r->qstate == Q_FIELD_START;
		pos = to;
		if (ok < pos)
			ok = pos + utf8_text_prefix(p + pos, len - pos);
	}
	r->row_start = r->row_start ||
	               (stop == len && r->qstate == Q_FIELD_START && len && p[len - 1] == '\n');
	input_consume(r->in, stop);
	r->held = len - stop;
	return 0;
}

int
csv_reader_next(struct csv_reader *r, struct record *rec, struct cs_error *err)
{
	for (;;) {
		/* Rows before a fault are all handed out; then the fault. */
		if (r->bad && r->bad_at <= r->next) {
			*err = r->bad_err;
			return -1;
		}
		if (r->next < r->nrows)
			break;
		if (r->done)
			return 0;
		compact(r);
		if (feed(r, err) < 0) {
			if (!r->bad) {
				r->bad = true;
				r->bad_at = r->nrows;
				r->bad_err = *err;
			}
			r->done = true;
		}
	}
	size_t first = r->next ? r->rows[r->next - 1].end : 0, end = r->rows[r->next].end;
	const struct queued_row *row = &r->rows[r->next];
	if (first == end) {
		record_clear(rec);
	} else if (row->raw) {
		record_assign_split(rec, row->raw, row->raw_len, r->fields + first, end - first);
	} else {
		size_t base = r->fields[first].off;
		size_t last = r->fields[end - 1].off + r->fields[end - 1].len + 1;
		record_assign(rec, r->data.data + base, last - base, r->fields + first, end - first,
		              base);
	}
	rec->row = r->rows_before + (long)r->next + 1;
	r->next++;
	return 1;
}

int
csv_detect_delimiter(const char *p, size_t n)
{
	static const char candidates[] = {',', ';', '\t', '|'};
	size_t count[4] = {0};
	bool quoted = false;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (c == '"')
			quoted = !quoted;
		else if (!quoted && (c == '\n' || c == '\r'))
			break;
		else if (!quoted)
			for (size_t k = 0; k < 4; k++)
				count[k] += c == candidates[k];
	}
	size_t best = 0;
	for (size_t k = 1; k < 4; k++)
		if (count[k] > count[best])
			best = k;
	return candidates[best];
}

bool
csv_has_line_end(const char *p, size_t n)
{
	bool quoted = false;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '"')
			quoted = !quoted;
		else if (!quoted && (p[i] == '\n' || p[i] == '\r'))
			return true;
	}
	return false;
}

size_t
csv_sep_line(const char *p, size_t n, int *delimiter)
{
	if (n < 5 || strncmp(p, "sep=", 4) != 0)
		return 0;
	size_t i = 5;
	if (i < n && p[i] == '\r')
		i++;
	if (i < n && p[i] == '\n')
		i++;
	if (i == 5 && n > 5)
		return 0; /* "sep=;x": not Excel's line */
	/* A line end, a quote or a NUL cannot separate fields ("sep=\r\n" is no
	 * delimiter at all): then the line is the header's, and read as such. */
	if (strchr("\"\r\n", p[4]))
		return 0;
	*delimiter = (unsigned char)p[4];
	return i;
}

bool
csv_needs_quotes(const char *p, size_t len, int delimiter)
{
	/* One table lookup a byte for the canonical ',' (the writer's only
	 * delimiter), a comparison chain for the others. */
	static const bool special[256] = {[','] = true, ['"'] = true, ['\n'] = true, ['\r'] = true};
	const unsigned char *u = (const unsigned char *)p;
	if (delimiter == ',') {
		for (size_t i = 0; i < len; i++)
			if (special[u[i]])
				return true;
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		char c = p[i];
		if (c == delimiter || c == ',' || c == '"' || c == '\n' || c == '\r')
			return true;
	}
	return false;
}

/* Append p[0..len) quoted, its quotes doubled. */
static void
put_quoted(struct buf *out, const char *p, size_t len)
{
	buf_reserve(out, len + 2);
	buf_putc(out, '"');
	for (const char *end = p + len, *q; p < end; p = q + 1) {
		q = memchr(p, '"', (size_t)(end - p));
		if (!q) {
			buf_append(out, p, (size_t)(end - p));
			break;
		}
		buf_append(out, p, (size_t)(q - p) + 1);
		buf_putc(out, '"');
	}
	buf_putc(out, '"');
}

void
csv_put_field(struct buf *out, const char *p, size_t len, int delimiter)
{
	if (!csv_needs_quotes(p, len, delimiter)) {
		buf_append(out, p, len);
		return;
	}
	put_quoted(out, p, len);
}

/* True if p[0..len) starts with prefix (ASCII case ignored when nocase). */
static bool
starts_with(const char *p, size_t len, const char *prefix, bool nocase)
{
	size_t n = strlen(prefix);
	if (len < n)
		return false;
	for (size_t i = 0; i < n; i++) {
		int a = (unsigned char)p[i], b = (unsigned char)prefix[i];
		if (a != b && (!nocase || ascii_lower(a) != b))
			return false;
	}
	return true;
}

bool
csv_header_needs_quotes(const char *p, size_t len, int delimiter, bool first)
{
	if (csv_needs_quotes(p, len, delimiter))
		return true;
	/* Detection counts the candidates outside quotes: only the delimiter may be. */
	for (size_t i = 0; i < len; i++)
		if (p[i] == ',' || p[i] == ';' || p[i] == '\t' || p[i] == '|')
			return true;
	if (!first || len == 0)
		return false;
	/* What the readers look at first (stream_open_input, input_open, csv_sep_line,
	 * vcard_detect) must see a quote, not a name that looks like something else. */
	size_t i = 0;
	while (i < len && (p[i] == ' ' || p[i] == '\t'))
		i++;
	return i == len || p[i] == '{' || starts_with(p, len, "sep=", false) ||
	       starts_with(p, len, "\xef\xbb\xbf", false) || starts_with(p, len, "PK\3\4", false) ||
	       starts_with(p, len, "begin:vcard", true);
}

void
csv_put_header_field(struct buf *out, const char *p, size_t len, int delimiter, bool first)
{
	if (!csv_header_needs_quotes(p, len, delimiter, first)) {
		buf_append(out, p, len);
		return;
	}
	put_quoted(out, p, len);
}
