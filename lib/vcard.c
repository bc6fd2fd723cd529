/*
 * vcard.c - a vCard reader that yields the records cs-import maps: its
 * lines and its cards.
 *
 * A small line machine over lib/input: physical lines are read from the
 * input buffer, and folded continuations (a line starting with a space or
 * tab) and QUOTED-PRINTABLE soft breaks are joined into one logical line.
 * Between BEGIN:VCARD and END:VCARD each logical line is a property, read
 * by vcard_property.c into the card being collected, and at END:VCARD
 * vcard_card.c settles the card into a record; so memory is one card's
 * worth whatever the file's size.  What the three files share is
 * vcard_int.h.
 *
 * Line ends: LF, CRLF, CR CR LF (a CRLF file that passed through a mail
 * program that added a CR) and, in a file whose first line ends in a lone CR,
 * CR (old Mac OS).  The choice is made once, at the first line end, so that a
 * stray CR inside a line of an LF file stays part of its value.
 *
 * The raw text of the card is kept alongside, because a card that cannot be
 * read (no END:VCARD before the next BEGIN or the end of the file) is
 * handed back verbatim for --reject rather than dropped.  Values are kept as
 * text: dates and phones are normalised by the importer, like any column.
 */
#include "vcard_int.h"

#include "utf8.h"

#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The header: canonical fields, and readable names for the rest. */
static const char *const column_names[COL_COUNT] = {
    "name",       "first_name",   "last_name",    "email",           "phone",
    "company",    "street",       "city",         "postcode",        "region",
    "country",    "spouse",       "birthday",     "anniversary",     "notes",
    "Job Title",  "Other Emails", "Other Phones", "Other Addresses", "Other Dates",
    "Categories",
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
	r->cd = (iconv_t)-1;
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
	buf_free(&r->text);
	buf_free(&r->scratch);
	for (size_t i = 0; i < COL_COUNT; i++)
		buf_free(&r->fields[i]);
	buf_free(&r->emails);
	buf_free(&r->dates);
	buf_free(&r->labels);
	free(r->items);
	buf_free(&r->itext);
	buf_free(&r->related);
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	buf_free(&r->recoded);
	free(r);
}

const char *
vcard_reader_raw(const struct vcard_reader *r, size_t *len)
{
	*len = r->bad.len;
	return buf_str(&r->bad);
}

void
vcard_warn(struct vcard_reader *r, long row, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cs_vwarn(r->warn, r->warn_ctx, input_name(r->in), row, fmt, ap);
	va_end(ap);
}

/*
 * Where the first line of p[0..n) ends: *len gets its length without the
 * line end, *used with it.  False if the buffer may end inside the line or
 * its line end (more is needed, unless at_end).  Decides r->eol at the
 * first line end.
 */
static bool
find_line_end(struct vcard_reader *r, const char *p, size_t n, bool at_end, size_t *len,
              size_t *used)
{
	if (r->eol == EOL_LF) {
		const char *nl = memchr(p, '\n', n);
		if (!nl)
			return false;
		*len = (size_t)(nl - p);
		*used = *len + 1;
		/* CRLF, and CR CR LF: a CRLF file passed through a program that added a CR. */
		while (*len && p[*len - 1] == '\r')
			(*len)--;
		return true;
	}
	size_t i = 0;
	while (i < n && p[i] != '\n' && p[i] != '\r')
		i++;
	if (i == n)
		return false;
	size_t j = i;
	while (j < n && p[j] == '\r')
		j++;
	if (j == n && !at_end)
		return false; /* a run of CRs that an LF may follow */
	if (r->eol == EOL_UNKNOWN)
		r->eol = j < n && p[j] != '\n' && p[i] == '\r' ? EOL_CR : EOL_LF;
	*len = i;
	if (j < n && p[j] == '\n')
		*used = j + 1; /* CR...CR LF, or LF: one line end */
	else if (r->eol == EOL_CR)
		*used = i + 1; /* a lone CR; the next CR ends an empty line */
	else
		*used = j; /* the CRs the file ends with */
	return true;
}

/* Read one physical line into r->phys.  Returns 1, 0 at the end, -1 on error. */
static int
read_physical(struct vcard_reader *r, struct cs_error *err)
{
	bool at_end = false;
	for (;;) {
		size_t n, len, used;
		const char *p = input_peek(r->in, &n);
		bool found = find_line_end(r, p, n, at_end, &len, &used);
		if (!found && at_end && n > 0) {
			len = used = n;
			while (len && p[len - 1] == '\r')
				len--;
			found = true;
		}
		if (found) {
			buf_append(&r->raw, p, used);
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

size_t
vcard_find_colon(const char *p, size_t len)
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
		/* A soft break first: the next line is the value's, even from a blank
		 * (Outlook breaks "sale=" / " before May."); the '=' must go. */
		size_t colon = vcard_find_colon(r->line.data, r->line.len);
		bool soft = c >= 0 && r->line.len && r->line.data[r->line.len - 1] == '=' &&
		            colon < r->line.len && is_quoted_printable(r->line.data, colon);
		bool fold = !soft && (c == ' ' || c == '\t');
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

static bool
is_line(const struct buf *line, const char *what)
{
	const char *p = buf_str(line);
	size_t n = line->len;
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	return vcard_word_eq(p, n, what);
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

/*
 * END:VCARD of the card that began at line begin_row: its record into rec,
 * and 1; or VCARD_BAD for a card that holds what the CSV reader refuses in
 * a field (a NUL, or a byte that is not UTF-8, raw or quoted-printable).
 */
static int
end_card(struct vcard_reader *r, struct record *rec, long begin_row, struct cs_error *err)
{
	if (r->nul_in) {
		char msg[160];
		snprintf(msg, sizeof msg, "the card's %s holds a NUL byte", r->nul_in);
		record_clear(rec);
		return report_bad(r, r->raw.len, err, begin_row, msg);
	}
	vcard_card_finish(r, rec);
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

int
vcard_reader_next(struct vcard_reader *r, struct record *rec, struct cs_error *err)
{
	if (r->done)
		return 0;
	record_clear(rec);
	vcard_card_reset(r);
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
		if (is_line(&r->line, "end:vcard"))
			return end_card(r, rec, begin_row, err);
		vcard_property(r, row);
	}
}
