/*
 * vcard.c - a vCard reader that yields the records cs-import maps.
 *
 * A small line machine over lib/input: physical lines are read from the
 * input buffer, folded continuations (a line starting with a space or tab)
 * and QUOTED-PRINTABLE soft breaks are joined into one logical line, and each
 * logical line is split into group, name, parameters and value.  A card's
 * properties are collected into a few buffers and turned into a record at
 * END:VCARD, so memory is one card's worth whatever the file's size.
 *
 * The raw text of the card is kept alongside, because a card that cannot be
 * read (no END:VCARD before the next BEGIN or the end of the file) is
 * handed back verbatim for --reject rather than dropped.  Values are kept as
 * text: dates and phones are normalised by the importer, like any column.
 */
#include "vcard.h"

#include "utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum column {
	COL_NAME,
	COL_FIRST,
	COL_LAST,
	COL_EMAIL,
	COL_PHONE,
	COL_COMPANY,
	COL_CITY,
	COL_BIRTHDAY,
	COL_ANNIVERSARY,
	COL_NOTES,
	COL_TITLE,
	COL_OTHER_EMAILS,
	COL_OTHER_PHONES,
	COL_OTHER_DATES,
	COL_CATEGORIES,
	COL_COUNT
};

static const char *const column_names[COL_COUNT] = {
    "name",      "first_name",   "last_name",    "email",       "phone",
    "company",   "city",         "birthday",     "anniversary", "notes",
    "Job Title", "Other Emails", "Other Phones", "Other Dates", "Categories",
};

struct vcard_reader {
	struct input *in;
	cs_warn_fn *warn;
	void *warn_ctx;
	struct header *header;
	long lineno;      /* physical lines read */
	struct buf phys;  /* the last physical line, line end removed */
	struct buf line;  /* the logical line being parsed */
	struct buf raw;   /* the current card's text as read */
	struct buf bad;   /* the text VCARD_BAD reported */
	struct buf value; /* scratch: an unescaped value */
	bool done;
	bool pending_begin; /* a BEGIN:VCARD was read while reporting a bad card */
	long pending_row;

	/* The card being read. */
	struct buf fields[COL_COUNT];
	struct buf emails, phones; /* values, NUL-separated */
	size_t nemails, nphones, email_pref, phone_pref;
	struct buf dates;  /* "group\0value\0" pairs */
	struct buf labels; /* "group\0label\0" pairs */
};

bool
vcard_detect(const char *p, size_t n)
{
	size_t i = 0;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	static const char begin[] = "begin:vcard";
	if (n - i < sizeof begin - 1)
		return false;
	for (size_t k = 0; k < sizeof begin - 1; k++)
		if (ascii_lower((unsigned char)p[i + k]) != begin[k])
			return false;
	return true;
}

struct vcard_reader *
vcard_reader_new(struct input *in, cs_warn_fn *warn, void *warn_ctx)
{
	struct vcard_reader *r = xcalloc(1, sizeof *r);
	r->in = in;
	r->warn = warn;
	r->warn_ctx = warn_ctx;
	r->header = header_new();
	for (size_t i = 0; i < COL_COUNT; i++)
		header_add(r->header, column_names[i]);
	return r;
}

const struct header *
vcard_reader_header(const struct vcard_reader *r)
{
	return r->header;
}

const char *
vcard_reader_name(const struct vcard_reader *r)
{
	return input_name(r->in);
}

void
vcard_reader_free(struct vcard_reader *r)
{
	if (!r)
		return;
	input_close(r->in);
	header_free(r->header);
	buf_free(&r->phys);
	buf_free(&r->line);
	buf_free(&r->raw);
	buf_free(&r->bad);
	buf_free(&r->value);
	for (size_t i = 0; i < COL_COUNT; i++)
		buf_free(&r->fields[i]);
	buf_free(&r->emails);
	buf_free(&r->phones);
	buf_free(&r->dates);
	buf_free(&r->labels);
	free(r);
}

const char *
vcard_reader_raw(const struct vcard_reader *r, size_t *len)
{
	*len = r->bad.len;
	return buf_str(&r->bad);
}

static void warn(struct vcard_reader *r, long row, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
warn(struct vcard_reader *r, long row, const char *fmt, ...)
{
	if (!r->warn)
		return;
	struct cs_error w = {.file = input_name(r->in), .row = row};
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w.msg, sizeof w.msg, fmt, ap);
	va_end(ap);
	r->warn(r->warn_ctx, &w);
}

/* Read one physical line into r->phys.  Returns 1, 0 at the end, -1 on error. */
static int
read_physical(struct vcard_reader *r, struct cs_error *err)
{
	bool at_end = false;
	for (;;) {
		size_t n;
		const char *p = input_peek(r->in, &n);
		const char *nl = memchr(p, '\n', n);
		if (nl || (at_end && n > 0)) {
			size_t used = nl ? (size_t)(nl - p) + 1 : n;
			size_t len = nl ? (size_t)(nl - p) : n;
			buf_append(&r->raw, p, used);
			if (len && p[len - 1] == '\r')
				len--;
			buf_reset(&r->phys);
			buf_append(&r->phys, p, len);
			input_consume(r->in, used);
			r->lineno++;
			return 1;
		}
		if (at_end)
			return 0;
		int got = input_fill(r->in, err);
		if (got < 0)
			return -1;
		if (got == 0)
			at_end = true;
	}
}

/* The next byte without consuming it: its value, -1 at the end, -2 on error. */
static int
peek_byte(struct vcard_reader *r, struct cs_error *err)
{
	for (;;) {
		size_t n;
		const char *p = input_peek(r->in, &n);
		if (n)
			return (unsigned char)p[0];
		int got = input_fill(r->in, err);
		if (got < 0)
			return -2;
		if (got == 0)
			return -1;
	}
}

/* Is the parameter part of line p[0..colon) marking QUOTED-PRINTABLE? */
static bool
is_quoted_printable(const char *p, size_t colon)
{
	static const char qp[] = "quoted-printable";
	size_t n = sizeof qp - 1;
	for (size_t i = 0; i + n <= colon; i++) {
		size_t k = 0;
		while (k < n && ascii_lower((unsigned char)p[i + k]) == qp[k])
			k++;
		if (k == n)
			return true;
	}
	return false;
}

/* Where the value starts: the first ':' outside double quotes, or len. */
static size_t
find_colon(const char *p, size_t len)
{
	bool quoted = false;
	for (size_t i = 0; i < len; i++) {
		if (p[i] == '"')
			quoted = !quoted;
		else if (p[i] == ':' && !quoted)
			return i;
	}
	return len;
}

/*
 * Read one logical line into r->line: a physical line, its folded
 * continuations, and QUOTED-PRINTABLE soft line breaks.  *row gets the
 * number of its first physical line.  Returns 1, 0, -1 as read_physical.
 */
static int
read_logical(struct vcard_reader *r, long *row, struct cs_error *err)
{
	int got = read_physical(r, err);
	if (got <= 0)
		return got;
	*row = r->lineno;
	buf_reset(&r->line);
	buf_append(&r->line, r->phys.data, r->phys.len);
	for (;;) {
		int c = peek_byte(r, err);
		if (c == -2)
			return -1;
		bool fold = c == ' ' || c == '\t';
		size_t colon = find_colon(r->line.data, r->line.len);
		bool soft = !fold && c >= 0 && r->line.len &&
		            r->line.data[r->line.len - 1] == '=' && colon < r->line.len &&
		            is_quoted_printable(r->line.data, colon);
		if (!fold && !soft)
			return 1;
		if (read_physical(r, err) < 0)
			return -1;
		if (soft) {
			r->line.len--; /* the '=' */
			buf_append(&r->line, r->phys.data, r->phys.len);
		} else {
			buf_append(&r->line, r->phys.data + 1, r->phys.len - 1);
		}
	}
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)ascii_lower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * Append component index of the structured value p[0..len) (components are
 * separated by unescaped ';'; index -1: the whole value) to out, unescaped.
 */
static void
unescape_component(const char *p, size_t len, int index, bool qp, struct buf *out)
{
	int at = 0;
	for (size_t i = 0; i < len; i++) {
		char c = p[i];
		if (c == '\\' && i + 1 < len) {
			char e = p[++i];
			if (at == index || index < 0)
				buf_putc(out, e == 'n' || e == 'N' ? '\n' : e);
			continue;
		}
		if (c == ';' && index >= 0) {
			if (++at > index)
				return;
			continue;
		}
		if (at != index && index >= 0)
			continue;
		if (qp && c == '=' && i + 2 < len && hex_value(p[i + 1]) >= 0 &&
		    hex_value(p[i + 2]) >= 0) {
			buf_putc(out, (char)(hex_value(p[i + 1]) * 16 + hex_value(p[i + 2])));
			i += 2;
			continue;
		}
		buf_putc(out, c);
	}
}

/* Parameters of a property that matter here. */
struct params {
	bool pref;
	bool qp;
	int omit_year; /* X-APPLE-OMIT-YEAR, or 0 */
};

static bool
word_eq(const char *p, size_t n, const char *word)
{
	size_t i = 0;
	for (; i < n && word[i]; i++)
		if (ascii_lower((unsigned char)p[i]) != word[i])
			return false;
	return i == n && word[i] == '\0';
}

/* Does the comma-separated list p[0..n) (quotes allowed) hold word? */
static bool
list_has(const char *p, size_t n, const char *word)
{
	size_t i = 0;
	while (i < n) {
		while (i < n && (p[i] == '"' || p[i] == ','))
			i++;
		size_t start = i;
		while (i < n && p[i] != ',' && p[i] != '"')
			i++;
		if (i > start && word_eq(p + start, i - start, word))
			return true;
	}
	return false;
}

static void
parse_params(const char *p, size_t len, struct params *pr)
{
	memset(pr, 0, sizeof *pr);
	size_t i = 0;
	while (i < len) {
		size_t start = i;
		bool quoted = false;
		while (i < len && (quoted || p[i] != ';')) {
			if (p[i] == '"')
				quoted = !quoted;
			i++;
		}
		const char *param = p + start;
		size_t n = i - start;
		i++;
		const char *eq = memchr(param, '=', n);
		size_t klen = eq ? (size_t)(eq - param) : n;
		const char *val = eq ? eq + 1 : param;
		size_t vlen = eq ? n - klen - 1 : n;
		if (!eq) {
			/* vCard 2.1 bare parameters: TEL;CELL;PREF:... */
			if (word_eq(param, n, "pref"))
				pr->pref = true;
			else if (word_eq(param, n, "quoted-printable"))
				pr->qp = true;
		} else if (word_eq(param, klen, "type")) {
			if (list_has(val, vlen, "pref"))
				pr->pref = true;
		} else if (word_eq(param, klen, "pref")) {
			pr->pref = vlen > 0 && val[0] == '1';
		} else if (word_eq(param, klen, "encoding")) {
			if (word_eq(val, vlen, "quoted-printable"))
				pr->qp = true;
		} else if (word_eq(param, klen, "x-apple-omit-year")) {
			pr->omit_year = atoi(val);
		}
	}
}

/*
 * A vCard date as date_parse reads it: basic form "19800515" becomes
 * "1980-05-15", and Apple's placeholder year (1604, or X-APPLE-OMIT-YEAR)
 * becomes a year-less "--05-15".
 */
static void
put_date(const char *p, size_t n, int omit_year, struct buf *out)
{
	char iso[16];
	bool digits8 = n >= 8;
	for (size_t i = 0; i < 8 && i < n; i++)
		digits8 = digits8 && p[i] >= '0' && p[i] <= '9';
	if (digits8 && (n == 8 || p[8] == 'T' || p[8] == 't')) {
		snprintf(iso, sizeof iso, "%.4s-%.2s-%.2s", p, p + 4, p + 6);
		p = iso;
		n = 10;
	}
	if (n >= 10 && p[4] == '-' && p[7] == '-') {
		int year = atoi(p);
		if (year == 1604 || (omit_year && year == omit_year)) {
			buf_puts(out, "--");
			buf_append(out, p + 5, 5);
			return;
		}
	}
	buf_append(out, p, n);
}

static void
card_reset(struct vcard_reader *r)
{
	for (size_t i = 0; i < COL_COUNT; i++)
		buf_reset(&r->fields[i]);
	buf_reset(&r->emails);
	buf_reset(&r->phones);
	buf_reset(&r->dates);
	buf_reset(&r->labels);
	r->nemails = r->nphones = 0;
	r->email_pref = r->phone_pref = (size_t)-1;
}

/* Set a column once: the first property of its kind wins. */
static void
set_once(struct vcard_reader *r, enum column c, const char *value, size_t len, bool qp)
{
	if (r->fields[c].len)
		return;
	unescape_component(value, len, -1, qp, &r->fields[c]);
}

/* Add a value to a NUL-separated list. */
static void
list_add(struct buf *list, size_t *count, size_t *pref, bool is_pref, const char *v, size_t n)
{
	if (is_pref && *pref == (size_t)-1)
		*pref = *count;
	buf_append(list, v, n);
	buf_putc(list, '\0');
	(*count)++;
}

/* Handle one logical line inside a card. */
static void
property(struct vcard_reader *r, long row)
{
	const char *p = r->line.data;
	size_t len = r->line.len;
	size_t colon = find_colon(p, len);
	if (colon == len) {
		if (len > 0)
			warn(r, row, "line is not a vCard property (no ':'): ignored");
		return;
	}
	const char *value = p + colon + 1;
	size_t vlen = len - colon - 1;
	size_t name_end = 0;
	while (name_end < colon && p[name_end] != ';')
		name_end++;
	const char *name = p, *group = NULL;
	size_t glen = 0;
	const char *dot = memchr(p, '.', name_end);
	if (dot) {
		group = p;
		glen = (size_t)(dot - p);
		name = dot + 1;
	}
	size_t nlen = (size_t)(p + name_end - name);
	struct params pr;
	parse_params(p + name_end + (name_end < colon), colon - name_end - (name_end < colon), &pr);

	struct buf *v = &r->value;
	buf_reset(v);
	if (word_eq(name, nlen, "fn")) {
		set_once(r, COL_NAME, value, vlen, pr.qp);
	} else if (word_eq(name, nlen, "n")) {
		if (!r->fields[COL_LAST].len && !r->fields[COL_FIRST].len) {
			unescape_component(value, vlen, 0, pr.qp, &r->fields[COL_LAST]);
			unescape_component(value, vlen, 1, pr.qp, &r->fields[COL_FIRST]);
		}
	} else if (word_eq(name, nlen, "email")) {
		unescape_component(value, vlen, -1, pr.qp, v);
		if (v->len)
			list_add(&r->emails, &r->nemails, &r->email_pref, pr.pref, v->data, v->len);
	} else if (word_eq(name, nlen, "tel")) {
		unescape_component(value, vlen, -1, pr.qp, v);
		const char *t = buf_str(v);
		size_t tn = v->len;
		if (tn > 4 && word_eq(t, 4, "tel:"))
			t += 4, tn -= 4;
		if (tn)
			list_add(&r->phones, &r->nphones, &r->phone_pref, pr.pref, t, tn);
	} else if (word_eq(name, nlen, "org")) {
		if (!r->fields[COL_COMPANY].len)
			unescape_component(value, vlen, 0, pr.qp, &r->fields[COL_COMPANY]);
	} else if (word_eq(name, nlen, "adr")) {
		if (!r->fields[COL_CITY].len)
			unescape_component(value, vlen, 3, pr.qp, &r->fields[COL_CITY]);
	} else if (word_eq(name, nlen, "title")) {
		set_once(r, COL_TITLE, value, vlen, pr.qp);
	} else if (word_eq(name, nlen, "note")) {
		set_once(r, COL_NOTES, value, vlen, pr.qp);
	} else if (word_eq(name, nlen, "categories")) {
		set_once(r, COL_CATEGORIES, value, vlen, pr.qp);
	} else if (word_eq(name, nlen, "bday")) {
		if (!r->fields[COL_BIRTHDAY].len)
			put_date(value, vlen, pr.omit_year, &r->fields[COL_BIRTHDAY]);
	} else if (word_eq(name, nlen, "anniversary") || word_eq(name, nlen, "x-anniversary") ||
	           word_eq(name, nlen, "x-ms-anniversary") ||
	           word_eq(name, nlen, "x-evolution-anniversary")) {
		if (!r->fields[COL_ANNIVERSARY].len)
			put_date(value, vlen, pr.omit_year, &r->fields[COL_ANNIVERSARY]);
	} else if (word_eq(name, nlen, "x-abdate")) {
		buf_append(&r->dates, group ? group : "", glen);
		buf_putc(&r->dates, '\0');
		put_date(value, vlen, pr.omit_year, &r->dates);
		buf_putc(&r->dates, '\0');
	} else if (word_eq(name, nlen, "x-ablabel")) {
		buf_append(&r->labels, group ? group : "", glen);
		buf_putc(&r->labels, '\0');
		unescape_component(value, vlen, -1, pr.qp, &r->labels);
		buf_putc(&r->labels, '\0');
	}
}

/* Put the values of a NUL-separated list: the preferred (else first) to one, the rest to others. */
static void
put_list(const struct buf *list, size_t count, size_t pref, struct buf *one, struct buf *others)
{
	if (pref == (size_t)-1)
		pref = 0;
	const char *p = list->data;
	for (size_t i = 0; i < count; i++) {
		size_t n = strlen(p);
		if (i == pref) {
			buf_append(one, p, n);
		} else {
			if (others->len)
				buf_puts(others, ", ");
			buf_append(others, p, n);
		}
		p += n + 1;
	}
}

/* Apple's "_$!<Anniversary>!$_" is "Anniversary". */
static void
put_label(const char *label, struct buf *out)
{
	size_t n = strlen(label);
	if (n > 8 && strncmp(label, "_$!<", 4) == 0 && strcmp(label + n - 4, ">!$_") == 0) {
		buf_append(out, label + 4, n - 8);
		return;
	}
	buf_append(out, label, n);
}

static const char *
label_of(const struct vcard_reader *r, const char *group)
{
	/* buf_str: an empty list has no data, and NULL + 0 is undefined. */
	const char *p = buf_str(&r->labels), *end = p + r->labels.len;
	while (p < end) {
		const char *label = p + strlen(p) + 1;
		if (*group && strcmp(p, group) == 0)
			return label;
		p = label + strlen(label) + 1;
	}
	return NULL;
}

static void
finish_card(struct vcard_reader *r, struct record *rec)
{
	put_list(&r->emails, r->nemails, r->email_pref, &r->fields[COL_EMAIL],
	         &r->fields[COL_OTHER_EMAILS]);
	put_list(&r->phones, r->nphones, r->phone_pref, &r->fields[COL_PHONE],
	         &r->fields[COL_OTHER_PHONES]);
	const char *p = buf_str(&r->dates), *end = p + r->dates.len;
	struct buf *od = &r->fields[COL_OTHER_DATES];
	while (p < end) {
		const char *date = p + strlen(p) + 1;
		const char *label = label_of(r, p);
		if (od->len)
			buf_puts(od, "; ");
		if (label)
			put_label(label, od);
		else
			buf_puts(od, "Date");
		buf_puts(od, ": ");
		buf_puts(od, date);
		p = date + strlen(date) + 1;
	}
	record_clear(rec);
	for (size_t i = 0; i < COL_COUNT; i++)
		record_push(rec, buf_str(&r->fields[i]), r->fields[i].len);
}

static bool
is_line(const struct buf *line, const char *what)
{
	const char *p = buf_str(line);
	size_t n = line->len;
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	return word_eq(p, n, what);
}

static bool
is_blank(const struct buf *line)
{
	for (size_t i = 0; i < line->len; i++)
		if (line->data[i] != ' ' && line->data[i] != '\t')
			return false;
	return true;
}

/* Report the raw text before mark as bad; keep what follows for the next card. */
static int
report_bad(struct vcard_reader *r, size_t mark, struct cs_error *err, long row, const char *msg)
{
	buf_reset(&r->bad);
	buf_append(&r->bad, r->raw.data, mark);
	size_t keep = r->raw.len - mark;
	memmove(r->raw.data, r->raw.data + mark, keep);
	r->raw.len = keep;
	r->raw.data[keep] = '\0';
	cs_error_set(err, input_name(r->in), row, "%s", msg);
	return VCARD_BAD;
}

int
vcard_reader_next(struct vcard_reader *r, struct record *rec, struct cs_error *err)
{
	if (r->done)
		return 0;
	record_clear(rec);
	card_reset(r);
	bool in_card = r->pending_begin;
	long begin_row = r->pending_row, outside_row = 0;
	r->pending_begin = false;
	if (!in_card)
		buf_reset(&r->raw);
	for (;;) {
		size_t mark = r->raw.len;
		long row = 0;
		int got = read_logical(r, &row, err);
		if (got < 0)
			return -1;
		if (got == 0) {
			r->done = true;
			if (in_card)
				return report_bad(r, r->raw.len, err, begin_row,
				                  "the card that starts here never ends (no "
				                  "END:VCARD)");
			if (outside_row)
				return report_bad(r, r->raw.len, err, outside_row,
				                  "text outside BEGIN:VCARD ... END:VCARD");
			return 0;
		}
		if (is_line(&r->line, "begin:vcard")) {
			if (in_card || outside_row) {
				r->pending_begin = true;
				r->pending_row = row;
				return report_bad(r, mark, err, in_card ? begin_row : outside_row,
				                  in_card ? "the card that starts here has no "
				                            "END:VCARD before the next card"
				                          : "text outside BEGIN:VCARD ... "
				                            "END:VCARD");
			}
			in_card = true;
			begin_row = row;
			continue;
		}
		if (!in_card) {
			if (is_blank(&r->line)) {
				if (!outside_row)
					buf_reset(&r->raw);
			} else if (!outside_row) {
				outside_row = row;
			}
			continue;
		}
		if (is_line(&r->line, "end:vcard")) {
			finish_card(r, rec);
			/* What the CSV reader refuses in a field, a card may not bring either
			 * (a NUL or a byte that is not UTF-8, raw or quoted-printable). */
			for (size_t i = 0; i < rec->n; i++) {
				size_t len, at;
				const char *v = record_get(rec, i, &len);
				if ((at = utf8_text_prefix(v, len)) == len)
					continue;
				char msg[160];
				snprintf(msg, sizeof msg, "the card's %s holds %s", column_names[i],
				         v[at] == '\0' ? "a NUL byte" : "bytes that are not UTF-8");
				record_clear(rec);
				return report_bad(r, r->raw.len, err, begin_row, msg);
			}
			rec->row = begin_row;
			buf_reset(&r->bad);
			buf_append(&r->bad, r->raw.data, r->raw.len);
			return 1;
		}
		property(r, row);
	}
}
