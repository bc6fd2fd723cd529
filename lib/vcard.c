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
 * Line ends: LF, CRLF, CR CR LF (a CRLF file that passed through a mail
 * program that added a CR) and, in a file whose first line ends in a lone CR,
 * CR (old Mac OS).  The choice is made once, at the first line end, so that a
 * stray CR inside a line of an LF file stays part of its value.
 *
 * Preferences are settled at END:VCARD, when the whole card is known: an
 * Apple label (itemN.X-ABLabel) may follow the property it names.  Phones:
 * mobile, then home/work/main, then any other voice number, never a fax or a
 * pager; addresses: home or preferred, then work, then the first; within a
 * class, PREF (or TYPE=pref), then the order of the card.
 *
 * The raw text of the card is kept alongside, because a card that cannot be
 * read (no END:VCARD before the next BEGIN or the end of the file) is
 * handed back verbatim for --reject rather than dropped.  Values are kept as
 * text: dates and phones are normalised by the importer, like any column.
 */
#include "vcard.h"

#include "utf8.h"

#include <iconv.h>
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
	COL_STREET,
	COL_CITY,
	COL_POSTCODE,
	COL_REGION,
	COL_COUNTRY,
	COL_SPOUSE,
	COL_BIRTHDAY,
	COL_ANNIVERSARY,
	COL_NOTES,
	COL_TITLE,
	COL_OTHER_EMAILS,
	COL_OTHER_PHONES,
	COL_OTHER_ADDRESSES,
	COL_OTHER_DATES,
	COL_CATEGORIES,
	COL_COUNT
};

static const char *const column_names[COL_COUNT] = {
    "name",       "first_name",   "last_name",    "email",           "phone",
    "company",    "street",       "city",         "postcode",        "region",
    "country",    "spouse",       "birthday",     "anniversary",     "notes",
    "Job Title",  "Other Emails", "Other Phones", "Other Addresses", "Other Dates",
    "Categories",
};

/* The TYPE words (and vCard 2.1 bare parameters) that choose among values. */
enum {
	T_CELL = 1 << 0, /* CELL, MOBILE, IPHONE */
	T_HOME = 1 << 1,
	T_WORK = 1 << 2,
	T_MAIN = 1 << 3,
	T_FAX = 1 << 4,
	T_PAGER = 1 << 5,
};

enum item_kind { ITEM_TEL, ITEM_ADR, ITEM_RELATED };

/* ADR's components: post-office box; extended; street; locality; region; code; country. */
enum { ADR_BOX, ADR_EXT, ADR_STREET, ADR_CITY, ADR_REGION, ADR_CODE, ADR_COUNTRY, ADR_N };

/*
 * A TEL, ADR or related name of the card, its strings in r->itext (offsets:
 * the buffer moves as it grows).  An ADR's value is its ADR_N components,
 * each followed by a NUL.
 */
struct item {
	enum item_kind kind;
	unsigned types;
	unsigned pref; /* 0: not preferred; else PREF=n, TYPE=pref being 1 */
	bool uri;      /* RELATED: the value is a URI, not a name */
	size_t group, glen, value, vlen, label, llen;
};

enum eol { EOL_UNKNOWN, EOL_LF, EOL_CR };

struct vcard_reader {
	struct input *in;
	cs_warn_fn *warn;
	void *warn_ctx;
	struct header *header;
	long lineno;      /* physical lines read */
	enum eol eol;     /* decided at the first line end */
	struct buf phys;  /* the last physical line, line end removed */
	struct buf line;  /* the logical line being parsed */
	struct buf raw;   /* the current card's text as read */
	struct buf bad;   /* the text VCARD_BAD reported */
	struct buf value; /* scratch: an unescaped value */
	struct buf text;  /* scratch: a property's TYPE words */
	struct buf scratch;
	bool done;
	bool pending_begin; /* a BEGIN:VCARD was read while reporting a bad card */
	long pending_row;

	/* The card being read. */
	struct buf fields[COL_COUNT];
	struct buf emails; /* values, NUL-separated */
	size_t nemails, email_pref;
	unsigned email_rank;
	struct buf dates;  /* "group\0value\0" pairs */
	struct buf labels; /* "group\0label\0" pairs */
	struct item *items;
	size_t nitems, items_cap;
	struct buf itext;     /* the items' strings */
	struct buf related;   /* lines for the notes: related names, a company's contact */
	bool n_seen, n_blank; /* an N property, and whether all its components are empty */
	bool company_card;    /* X-ABShowAs:COMPANY or KIND:org */
	const char *nul_in;   /* what held a NUL byte in a NUL-separated list, or NULL */

	/* CHARSET of quoted-printable values: the last converter opened, and its charset. */
	iconv_t cd;
	char cd_charset[40];
	struct buf recoded;
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

static void warn(struct vcard_reader *r, long row, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
warn(struct vcard_reader *r, long row, const char *fmt, ...)
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
		/* A soft break first: the next line is the value's, even from a blank
		 * (Outlook breaks "sale=" / " before May."); the '=' must go. */
		size_t colon = find_colon(r->line.data, r->line.len);
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

static bool
word_eq(const char *p, size_t n, const char *word)
{
	size_t i = 0;
	for (; i < n && word[i]; i++)
		if (ascii_lower((unsigned char)p[i]) != word[i])
			return false;
	return i == n && word[i] == '\0';
}

/* Does p[0..n) hold word (lower case), in any case? */
static bool
contains_word(const char *p, size_t n, const char *word)
{
	size_t m = strlen(word);
	for (size_t i = 0; i + m <= n; i++)
		if (word_eq(p + i, m, word))
			return true;
	return false;
}

/* The T_* bit of a TYPE word, or 0. */
static unsigned
type_bit(const char *p, size_t n)
{
	if (word_eq(p, n, "cell") || word_eq(p, n, "mobile") || word_eq(p, n, "iphone"))
		return T_CELL;
	if (word_eq(p, n, "home"))
		return T_HOME;
	if (word_eq(p, n, "work"))
		return T_WORK;
	if (word_eq(p, n, "main"))
		return T_MAIN;
	if (word_eq(p, n, "fax"))
		return T_FAX;
	if (word_eq(p, n, "pager"))
		return T_PAGER;
	return 0;
}

/* Parameters of a property that matter here. */
struct params {
	unsigned pref; /* 0, or the rank PREF=n gives (TYPE=pref: 1) */
	bool qp;
	bool text;     /* VALUE=text */
	int omit_year; /* X-APPLE-OMIT-YEAR, or 0 */
	unsigned types;
	const char *charset; /* CHARSET's value (in the line), or NULL */
	size_t charset_len;
};

static void
set_pref(struct params *pr, unsigned rank)
{
	if (rank && (!pr->pref || rank < pr->pref))
		pr->pref = rank;
}

/* One TYPE word: a bit, a preference, or (words != NULL) a word kept in lower case. */
static void
type_word(struct params *pr, const char *p, size_t n, struct buf *words)
{
	if (n == 0)
		return;
	if (word_eq(p, n, "pref")) {
		set_pref(pr, 1);
		return;
	}
	pr->types |= type_bit(p, n);
	if (!words)
		return;
	if (words->len)
		buf_puts(words, ", ");
	for (size_t i = 0; i < n; i++)
		buf_putc(words, (char)ascii_lower((unsigned char)p[i]));
}

/*
 * Read the parameters p[0..len) into pr, and the TYPE words other than
 * "pref" into words (reset first), lower case, joined by ", ".
 */
static void
parse_params(const char *p, size_t len, struct params *pr, struct buf *words)
{
	memset(pr, 0, sizeof *pr);
	buf_reset(words);
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
			/* vCard 2.1 bare parameters: TEL;CELL;PREF:..., TEL;WORK;FAX:... */
			if (word_eq(param, n, "quoted-printable"))
				pr->qp = true;
			else
				type_word(pr, param, n, NULL);
		} else if (word_eq(param, klen, "type")) {
			/* A list, quoted or not: TYPE=cell,voice  TYPE="fax,work" */
			size_t k = 0;
			while (k < vlen) {
				while (k < vlen && (val[k] == '"' || val[k] == ','))
					k++;
				size_t w = k;
				while (k < vlen && val[k] != ',' && val[k] != '"')
					k++;
				type_word(pr, val + w, k - w, words);
			}
		} else if (word_eq(param, klen, "pref")) {
			unsigned rank = 0;
			for (size_t k = 0; k < vlen && val[k] >= '0' && val[k] <= '9'; k++)
				rank = rank < 100 ? rank * 10 + (unsigned)(val[k] - '0') : 100;
			set_pref(pr, rank);
		} else if (word_eq(param, klen, "encoding")) {
			if (word_eq(val, vlen, "quoted-printable"))
				pr->qp = true;
		} else if (word_eq(param, klen, "charset")) {
			pr->charset = val;
			pr->charset_len = vlen;
		} else if (word_eq(param, klen, "value")) {
			pr->text = word_eq(val, vlen, "text");
		} else if (word_eq(param, klen, "x-apple-omit-year")) {
			pr->omit_year = atoi(val);
		}
	}
}

/* Is CHARSET's value p[0..n) UTF-8 (or ASCII, a part of it)? */
static bool
is_utf8_charset(const char *p, size_t n)
{
	return word_eq(p, n, "utf-8") || word_eq(p, n, "utf8") || word_eq(p, n, "us-ascii") ||
	       word_eq(p, n, "ascii");
}

/*
 * Make the bytes of out from start on, decoded from quoted-printable, UTF-8
 * from the charset pr names.  The input's encoding (--encoding, or
 * Windows-1252 found by "auto") converted the bytes the file holds, but not
 * the ones quoted-printable hides (Outlook, old phones:
 * NOTE;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:caf=E9).  A charset
 * iconv does not know, or bytes it cannot convert, are left as they are:
 * the card is then refused as not UTF-8 (vcard_reader_next).
 */
static void
recode(struct vcard_reader *r, const struct params *pr, struct buf *out, size_t start)
{
	bool ascii = true;
	for (size_t i = start; i < out->len && ascii; i++)
		ascii = (unsigned char)out->data[i] < 0x80;
	if (ascii || pr->charset_len >= sizeof r->cd_charset)
		return;
	char name[sizeof r->cd_charset];
	memcpy(name, pr->charset, pr->charset_len);
	name[pr->charset_len] = '\0';
	if (r->cd == (iconv_t)-1 || strcmp(name, r->cd_charset) != 0) {
		if (r->cd != (iconv_t)-1)
			iconv_close(r->cd);
		memcpy(r->cd_charset, name, sizeof name);
		r->cd = iconv_open("UTF-8", name);
		if (r->cd == (iconv_t)-1)
			return;
	}
	iconv(r->cd, NULL, NULL, NULL, NULL);
	struct buf *t = &r->recoded;
	buf_reset(t);
	size_t n = out->len - start;
	buf_reserve(t, 4 * n);
	char *src = out->data + start, *dst = t->data;
	size_t src_left = n, dst_left = t->cap - 1;
	if (iconv(r->cd, &src, &src_left, &dst, &dst_left) == (size_t)-1)
		return;
	out->len = start;
	buf_append(out, t->data, (size_t)(dst - t->data));
}

/* Component index of a value (-1: all of it), unescaped and as UTF-8, appended to out. */
static void
value_part(struct vcard_reader *r, const struct params *pr, const char *value, size_t vlen,
           int index, struct buf *out)
{
	size_t start = out->len;
	unescape_component(value, vlen, index, pr->qp, out);
	if (pr->qp && pr->charset && !is_utf8_charset(pr->charset, pr->charset_len))
		recode(r, pr, out, start);
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
	buf_reset(&r->dates);
	buf_reset(&r->labels);
	buf_reset(&r->itext);
	buf_reset(&r->related);
	r->nemails = r->nitems = 0;
	r->email_pref = (size_t)-1;
	r->email_rank = 0;
	r->n_seen = r->n_blank = r->company_card = false;
	r->nul_in = NULL;
}

/*
 * The lists keep values NUL-separated, so a value holding a NUL byte (raw,
 * or quoted-printable =00) would be cut there: note it, and the card is
 * refused at END:VCARD as a field holding one is.
 */
static void
check_nul(struct vcard_reader *r, const char *v, size_t n, const char *what)
{
	if (!r->nul_in && memchr(v, '\0', n))
		r->nul_in = what;
}

/* Set a column once: the first property of its kind wins. */
static void
set_once(struct vcard_reader *r, enum column c, const char *value, size_t len,
         const struct params *pr)
{
	if (r->fields[c].len)
		return;
	value_part(r, pr, value, len, -1, &r->fields[c]);
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* p[0..n) with white space around it and each line break inside it made ", ". */
static void
put_one_line(const char *p, size_t n, struct buf *out)
{
	while (n && is_space(*p))
		p++, n--;
	while (n && is_space(p[n - 1]))
		n--;
	for (size_t i = 0; i < n; i++) {
		if (p[i] != '\r' && p[i] != '\n') {
			buf_putc(out, p[i]);
			continue;
		}
		/* The break and the blanks around it. */
		while (out->len &&
		       (out->data[out->len - 1] == ' ' || out->data[out->len - 1] == '\t'))
			out->data[--out->len] = '\0';
		while (i + 1 < n && is_space(p[i + 1]))
			i++;
		if (out->len && out->data[out->len - 1] != ',')
			buf_putc(out, ',');
		buf_putc(out, ' ');
	}
}

/* Add a NOTE: the notes of a card are joined by line breaks. */
static void
add_note(struct vcard_reader *r, const char *value, size_t len, const struct params *pr)
{
	struct buf *notes = &r->fields[COL_NOTES];
	size_t before = notes->len;
	if (before)
		buf_putc(notes, '\n');
	size_t start = notes->len;
	value_part(r, pr, value, len, -1, notes);
	size_t n = notes->len - start;
	const char *p = n ? notes->data + start : "";
	while (n && is_space(p[n - 1]))
		n--;
	size_t lead = 0;
	while (lead < n && is_space(p[lead]))
		lead++;
	if (lead == n) {
		notes->len = before; /* a blank note */
	} else {
		memmove(notes->data + start, p + lead, n - lead);
		notes->len = start + n - lead;
	}
	if (notes->data)
		notes->data[notes->len] = '\0';
}

/* Keep a TEL, ADR or related name for END:VCARD. */
static void
add_item(struct vcard_reader *r, enum item_kind kind, const struct params *pr, const char *group,
         size_t glen, const char *value, size_t vlen, const char *label, size_t llen)
{
	if (kind != ITEM_ADR) /* an ADR's components are checked one by one */
		check_nul(r, value, vlen, kind == ITEM_TEL ? "phone" : "related names");
	r->items = xgrow(r->items, &r->items_cap, r->nitems + 1, sizeof *r->items);
	struct item *it = &r->items[r->nitems++];
	memset(it, 0, sizeof *it);
	it->kind = kind;
	it->types = pr->types;
	it->pref = pr->pref;
	struct buf *t = &r->itext;
	it->group = t->len;
	it->glen = glen;
	buf_append(t, group ? group : "", glen);
	buf_putc(t, '\0');
	it->value = t->len;
	it->vlen = vlen;
	buf_append(t, value, vlen);
	buf_putc(t, '\0');
	it->label = t->len;
	it->llen = llen;
	buf_append(t, label ? label : "", llen);
	buf_putc(t, '\0');
}

/* Does a RELATED value look like a URI (urn:uuid:..., mailto:...) rather than a name? */
static bool
looks_like_uri(const char *p, size_t n)
{
	size_t i = 0;
	if (!n || !((p[0] >= 'a' && p[0] <= 'z') || (p[0] >= 'A' && p[0] <= 'Z')))
		return false;
	while (i < n && ((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') ||
	                 (p[i] >= '0' && p[i] <= '9') || p[i] == '+' || p[i] == '-' || p[i] == '.'))
		i++;
	return i < n && p[i] == ':';
}

/* Add a list value; the first of the best PREF rank is the preferred one. */
static void
add_email(struct vcard_reader *r, unsigned pref, const char *v, size_t n)
{
	check_nul(r, v, n, "email");
	if (pref && (r->email_pref == (size_t)-1 || pref < r->email_rank)) {
		r->email_pref = r->nemails;
		r->email_rank = pref;
	}
	buf_append(&r->emails, v, n);
	buf_putc(&r->emails, '\0');
	r->nemails++;
}

/* Properties that name a relation of their own (Outlook, Evolution). */
static const struct {
	const char *name, *relation;
} named_relations[] = {
    {"x-ms-spouse", "spouse"},        {"x-spouse", "spouse"},
    {"x-evolution-spouse", "spouse"}, {"x-ms-child", "child"},
    {"x-ms-manager", "manager"},      {"x-evolution-manager", "manager"},
    {"x-ms-assistant", "assistant"},  {"x-evolution-assistant", "assistant"},
    {"x-assistant", "assistant"},     {"x-manager", "manager"},
};

/*
 * Android's relations: X-ANDROID-CUSTOM:vnd.android.cursor.item/relation;
 * then the name, the type (ContactsContract's Relation.TYPE_*) and, for a
 * custom type (0), its label.
 */
static void
android_relation(struct vcard_reader *r, const struct params *pr, const char *value, size_t vlen)
{
	static const char mime[] = "vnd.android.cursor.item/relation";
	static const char *const types[] = {
	    NULL,      "assistant",   "brother",  "child",  "domestic partner",
	    "father",  "friend",      "manager",  "mother", "parent",
	    "partner", "referred by", "relative", "sister", "spouse",
	};
	struct buf *v = &r->value, *s = &r->scratch;
	buf_reset(v);
	value_part(r, pr, value, vlen, 0, v);
	if (!word_eq(buf_str(v), v->len, mime))
		return;
	buf_reset(v);
	value_part(r, pr, value, vlen, 1, v);
	buf_reset(s);
	put_one_line(buf_str(v), v->len, s);
	if (!s->len)
		return;
	buf_reset(v);
	value_part(r, pr, value, vlen, 2, v);
	int type = v->len && v->len <= 2 ? atoi(buf_str(v)) : -1;
	buf_reset(v);
	if (type > 0 && (size_t)type < sizeof types / sizeof *types)
		buf_puts(v, types[type]);
	else if (type == 0)
		value_part(r, pr, value, vlen, 3, v);
	struct params none = {0};
	add_item(r, ITEM_RELATED, &none, NULL, 0, s->data, s->len, buf_str(v), v->len);
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
	struct buf *words = &r->text;
	parse_params(p + name_end + (name_end < colon), colon - name_end - (name_end < colon), &pr,
	             words);

	struct buf *v = &r->value;
	buf_reset(v);
	if (word_eq(name, nlen, "fn")) {
		set_once(r, COL_NAME, value, vlen, &pr);
	} else if (word_eq(name, nlen, "n")) {
		bool blank = true;
		for (size_t i = 0; i < vlen && blank; i++)
			blank = value[i] == ';' || value[i] == ' ' || value[i] == '\t';
		if (!r->n_seen)
			r->n_blank = true;
		r->n_seen = true;
		r->n_blank = r->n_blank && blank;
		if (!r->fields[COL_LAST].len && !r->fields[COL_FIRST].len) {
			value_part(r, &pr, value, vlen, 0, &r->fields[COL_LAST]);
			value_part(r, &pr, value, vlen, 1, &r->fields[COL_FIRST]);
		}
	} else if (word_eq(name, nlen, "email")) {
		value_part(r, &pr, value, vlen, -1, v);
		if (v->len)
			add_email(r, pr.pref, v->data, v->len);
	} else if (word_eq(name, nlen, "tel")) {
		value_part(r, &pr, value, vlen, -1, v);
		const char *t = buf_str(v);
		size_t tn = v->len;
		if (tn > 4 && word_eq(t, 4, "tel:"))
			t += 4, tn -= 4;
		if (tn)
			add_item(r, ITEM_TEL, &pr, group, glen, t, tn, NULL, 0);
	} else if (word_eq(name, nlen, "org")) {
		if (!r->fields[COL_COMPANY].len)
			value_part(r, &pr, value, vlen, 0, &r->fields[COL_COMPANY]);
	} else if (word_eq(name, nlen, "adr")) {
		/* Its components, each on one line, NUL-separated. */
		bool any = false;
		for (int k = 0; k < ADR_N; k++) {
			buf_reset(&r->scratch);
			value_part(r, &pr, value, vlen, k, &r->scratch);
			check_nul(r, buf_str(&r->scratch), r->scratch.len, "address");
			size_t at = v->len;
			put_one_line(r->scratch.data ? r->scratch.data : "", r->scratch.len, v);
			any = any || v->len > at;
			buf_putc(v, '\0');
		}
		if (any)
			add_item(r, ITEM_ADR, &pr, group, glen, v->data, v->len, NULL, 0);
	} else if (word_eq(name, nlen, "title")) {
		set_once(r, COL_TITLE, value, vlen, &pr);
	} else if (word_eq(name, nlen, "note")) {
		add_note(r, value, vlen, &pr);
	} else if (word_eq(name, nlen, "categories")) {
		set_once(r, COL_CATEGORIES, value, vlen, &pr);
	} else if (word_eq(name, nlen, "bday")) {
		if (!r->fields[COL_BIRTHDAY].len)
			put_date(value, vlen, pr.omit_year, &r->fields[COL_BIRTHDAY]);
	} else if (word_eq(name, nlen, "anniversary") || word_eq(name, nlen, "x-anniversary") ||
	           word_eq(name, nlen, "x-ms-anniversary") ||
	           word_eq(name, nlen, "x-evolution-anniversary")) {
		if (!r->fields[COL_ANNIVERSARY].len)
			put_date(value, vlen, pr.omit_year, &r->fields[COL_ANNIVERSARY]);
	} else if (word_eq(name, nlen, "x-abdate")) {
		check_nul(r, p, len, "Other Dates");
		buf_append(&r->dates, group ? group : "", glen);
		buf_putc(&r->dates, '\0');
		put_date(value, vlen, pr.omit_year, &r->dates);
		buf_putc(&r->dates, '\0');
	} else if (word_eq(name, nlen, "x-ablabel")) {
		check_nul(r, p, len, "labels");
		buf_append(&r->labels, group ? group : "", glen);
		buf_putc(&r->labels, '\0');
		size_t at = r->labels.len;
		value_part(r, &pr, value, vlen, -1, &r->labels);
		check_nul(r, r->labels.data + at, r->labels.len - at, "labels");
		buf_putc(&r->labels, '\0');
	} else if (word_eq(name, nlen, "x-abshowas")) {
		const char *t = value;
		size_t tn = vlen;
		str_trim(&t, &tn);
		if (word_eq(t, tn, "company"))
			r->company_card = true;
	} else if (word_eq(name, nlen, "kind")) {
		const char *t = value;
		size_t tn = vlen;
		str_trim(&t, &tn);
		if (word_eq(t, tn, "org") || word_eq(t, tn, "organization"))
			r->company_card = true;
	} else if (word_eq(name, nlen, "x-abrelatednames") || word_eq(name, nlen, "related")) {
		value_part(r, &pr, value, vlen, -1, v);
		buf_reset(&r->scratch);
		put_one_line(buf_str(v), v->len, &r->scratch);
		if (r->scratch.len) {
			add_item(r, ITEM_RELATED, &pr, group, glen, r->scratch.data, r->scratch.len,
			         buf_str(words), words->len);
			r->items[r->nitems - 1].uri =
			    word_eq(name, nlen, "related") && !pr.text &&
			    looks_like_uri(r->scratch.data, r->scratch.len);
		}
	} else if (word_eq(name, nlen, "x-android-custom")) {
		android_relation(r, &pr, value, vlen);
	} else {
		for (size_t i = 0; i < sizeof named_relations / sizeof *named_relations; i++) {
			if (!word_eq(name, nlen, named_relations[i].name))
				continue;
			value_part(r, &pr, value, vlen, -1, v);
			buf_reset(&r->scratch);
			put_one_line(buf_str(v), v->len, &r->scratch);
			const char *rel = named_relations[i].relation;
			if (r->scratch.len)
				add_item(r, ITEM_RELATED, &pr, group, glen, r->scratch.data,
				         r->scratch.len, rel, strlen(rel));
			break;
		}
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

/*
 * Apple's built-in labels are "_$!<Anniversary>!$_": the word inside, in
 * *p and *n; true for such a label.
 */
static bool
label_span(const char *label, const char **p, size_t *n)
{
	size_t len = strlen(label);
	if (len > 8 && strncmp(label, "_$!<", 4) == 0 && strcmp(label + len - 4, ">!$_") == 0) {
		*p = label + 4;
		*n = len - 8;
		return true;
	}
	*p = label;
	*n = len;
	return false;
}

static void
put_label(const char *label, struct buf *out)
{
	const char *p;
	size_t n;
	label_span(label, &p, &n);
	buf_append(out, p, n);
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

static const char *
item_str(const struct vcard_reader *r, size_t off)
{
	return r->itext.data + off;
}

/*
 * An item's label as the notes show it: its Apple label (a built-in one in
 * lower case, "_$!<Child>!$_" being "child"), else its TYPE words or the
 * relation its property names; into out, which is reset.
 */
static void
item_label(const struct vcard_reader *r, const struct item *it, struct buf *out)
{
	buf_reset(out);
	const char *label = label_of(r, item_str(r, it->group));
	if (!label) {
		buf_append(out, item_str(r, it->label), it->llen);
		return;
	}
	const char *p;
	size_t n;
	bool builtin = label_span(label, &p, &n);
	for (size_t i = 0; i < n; i++)
		buf_putc(out, builtin ? (char)ascii_lower((unsigned char)p[i]) : p[i]);
}

/* An item's T_* bits: its TYPE words and what its Apple label says. */
static unsigned
item_types(const struct vcard_reader *r, const struct item *it)
{
	unsigned t = it->types;
	const char *label = label_of(r, item_str(r, it->group));
	if (!label)
		return t;
	const char *p;
	size_t n;
	label_span(label, &p, &n);
	/* "Work fax", "HomeFAX": a fax whatever else it says. */
	if (contains_word(p, n, "fax"))
		t |= T_FAX;
	if (contains_word(p, n, "pager"))
		t |= T_PAGER;
	return t | type_bit(p, n);
}

/* Lower is better: the class, then PREF, then the order of the card. */
static bool
better(unsigned cls, unsigned pref, unsigned best_cls, unsigned best_pref)
{
	if (cls != best_cls)
		return cls < best_cls;
	return (pref ? pref : 1000) < (best_pref ? best_pref : 1000);
}

enum { CLASS_NEVER = 3 };

/* A phone's class: mobile, home/work/main, other voice; never a fax or a pager. */
static unsigned
phone_class(unsigned t)
{
	if (t & (T_FAX | T_PAGER))
		return CLASS_NEVER;
	if (t & T_CELL)
		return 0;
	if (t & (T_HOME | T_WORK | T_MAIN))
		return 1;
	return 2;
}

static void
put_phones(struct vcard_reader *r)
{
	size_t best = (size_t)-1;
	unsigned best_cls = CLASS_NEVER, best_pref = 0;
	for (size_t i = 0; i < r->nitems; i++) {
		const struct item *it = &r->items[i];
		if (it->kind != ITEM_TEL)
			continue;
		unsigned cls = phone_class(item_types(r, it));
		if (cls != CLASS_NEVER && better(cls, it->pref, best_cls, best_pref)) {
			best = i;
			best_cls = cls;
			best_pref = it->pref;
		}
	}
	struct buf *others = &r->fields[COL_OTHER_PHONES];
	for (size_t i = 0; i < r->nitems; i++) {
		const struct item *it = &r->items[i];
		if (it->kind != ITEM_TEL)
			continue;
		if (i == best) {
			buf_append(&r->fields[COL_PHONE], item_str(r, it->value), it->vlen);
			continue;
		}
		if (others->len)
			buf_puts(others, ", ");
		buf_append(others, item_str(r, it->value), it->vlen);
		unsigned t = item_types(r, it);
		if (t & T_FAX)
			buf_puts(others, " (fax)");
		else if (t & T_PAGER)
			buf_puts(others, " (pager)");
	}
}

/* Component k of an ADR item (its components are NUL-separated). */
static const char *
adr_part(const struct vcard_reader *r, const struct item *it, int k, size_t *n)
{
	const char *p = item_str(r, it->value);
	while (k-- > 0)
		p += strlen(p) + 1;
	*n = strlen(p);
	return p;
}

static void
join(struct buf *out, const char *p, size_t n)
{
	if (!n)
		return;
	if (out->len)
		buf_puts(out, ", ");
	buf_append(out, p, n);
}

/* The street line: street, extended address, post-office box ("PO Box 12"). */
static void
put_street(const struct vcard_reader *r, const struct item *it, struct buf *out)
{
	size_t n;
	const char *p = adr_part(r, it, ADR_STREET, &n);
	join(out, p, n);
	p = adr_part(r, it, ADR_EXT, &n);
	join(out, p, n);
	p = adr_part(r, it, ADR_BOX, &n);
	if (!n)
		return;
	bool letters = false;
	for (size_t i = 0; i < n; i++)
		letters = letters || (ascii_lower((unsigned char)p[i]) >= 'a' &&
		                      ascii_lower((unsigned char)p[i]) <= 'z');
	if (out->len)
		buf_puts(out, ", ");
	if (!letters)
		buf_puts(out, "PO Box ");
	buf_append(out, p, n);
}

/* An address's class: home or preferred, work, any other. */
static unsigned
address_class(unsigned t, unsigned pref)
{
	if ((t & T_HOME) || pref)
		return 0;
	return t & T_WORK ? 1 : 2;
}

static void
put_addresses(struct vcard_reader *r)
{
	size_t best = (size_t)-1;
	unsigned best_cls = CLASS_NEVER, best_pref = 0;
	for (size_t i = 0; i < r->nitems; i++) {
		const struct item *it = &r->items[i];
		if (it->kind != ITEM_ADR)
			continue;
		unsigned cls = address_class(item_types(r, it), it->pref);
		if (better(cls, it->pref, best_cls, best_pref)) {
			best = i;
			best_cls = cls;
			best_pref = it->pref;
		}
	}
	static const struct {
		enum column col;
		int part;
	} parts[] = {{COL_CITY, ADR_CITY},
	             {COL_REGION, ADR_REGION},
	             {COL_POSTCODE, ADR_CODE},
	             {COL_COUNTRY, ADR_COUNTRY}};
	struct buf *others = &r->fields[COL_OTHER_ADDRESSES], *line = &r->scratch;
	for (size_t i = 0; i < r->nitems; i++) {
		const struct item *it = &r->items[i];
		if (it->kind != ITEM_ADR)
			continue;
		if (i == best) {
			put_street(r, it, &r->fields[COL_STREET]);
			for (size_t k = 0; k < sizeof parts / sizeof *parts; k++) {
				size_t n;
				const char *p = adr_part(r, it, parts[k].part, &n);
				buf_append(&r->fields[parts[k].col], p, n);
			}
			continue;
		}
		/* "work: 1 Infinite Loop, Cupertino, CA, 95014, USA"; "; " between addresses. */
		buf_reset(line);
		put_street(r, it, line);
		static const int rest[] = {ADR_CITY, ADR_REGION, ADR_CODE, ADR_COUNTRY};
		for (size_t k = 0; k < sizeof rest / sizeof *rest; k++) {
			size_t n;
			const char *p = adr_part(r, it, rest[k], &n);
			join(line, p, n);
		}
		if (others->len)
			buf_puts(others, "; ");
		unsigned t = item_types(r, it);
		item_label(r, it, &r->value);
		if (r->value.len)
			buf_printf(others, "%s: ", r->value.data);
		else if (t & (T_HOME | T_WORK))
			buf_puts(others, t & T_HOME ? "home: " : "work: ");
		buf_append(others, line->data, line->len);
	}
}

static bool
is_spouse(const struct buf *label)
{
	const char *p = buf_str(label);
	size_t n = label->len;
	return word_eq(p, n, "spouse") || word_eq(p, n, "partner") || word_eq(p, n, "husband") ||
	       word_eq(p, n, "wife") || word_eq(p, n, "domestic partner");
}

static void add_related_line(struct vcard_reader *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A line for the notes, after the card's own notes. */
static void
add_related_line(struct vcard_reader *r, const char *fmt, ...)
{
	if (r->related.len)
		buf_putc(&r->related, '\n');
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	buf_reserve(&r->related, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(r->related.data + r->related.len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	r->related.len += (size_t)n;
}

/* The first spouse or partner named is spouse; every other related name goes to the notes. */
static void
put_related(struct vcard_reader *r)
{
	struct buf *label = &r->value;
	for (size_t i = 0; i < r->nitems; i++) {
		const struct item *it = &r->items[i];
		if (it->kind != ITEM_RELATED)
			continue;
		item_label(r, it, label);
		const char *name = item_str(r, it->value);
		if (!r->fields[COL_SPOUSE].len && !it->uri && is_spouse(label)) {
			buf_append(&r->fields[COL_SPOUSE], name, it->vlen);
		} else if (label->len) {
			add_related_line(r, "related (%s): %s", label->data, name);
		} else {
			add_related_line(r, "related: %s", name);
		}
	}
}

/* p[0..n) and b hold the same text, but for blanks around it and ASCII case. */
static bool
same_text(const char *p, size_t n, const struct buf *b)
{
	const char *q = buf_str(b);
	size_t m = b->len;
	str_trim(&p, &n);
	str_trim(&q, &m);
	if (n != m)
		return false;
	for (size_t i = 0; i < n; i++)
		if (ascii_lower((unsigned char)p[i]) != ascii_lower((unsigned char)q[i]))
			return false;
	return true;
}

static bool
is_blank_buf(const struct buf *b)
{
	for (size_t i = 0; i < b->len; i++)
		if (!is_space(b->data[i]))
			return false;
	return true;
}

/*
 * A company's card (Apple's X-ABShowAs:COMPANY, vCard 4's KIND:org, or an
 * empty N with an ORG that FN, if any, repeats) names the company: the
 * company is its name, it has no first or last name, and a person the card
 * also names is kept in the notes as "contact: ...".
 */
static void
put_company(struct vcard_reader *r)
{
	struct buf *company = &r->fields[COL_COMPANY], *fn = &r->fields[COL_NAME];
	/* A KIND:org card may name its company in FN only. */
	if (is_blank_buf(company) && r->company_card) {
		buf_reset(company);
		buf_append(company, fn->data, fn->len);
	}
	if (is_blank_buf(company))
		return;
	bool named = r->n_seen && !r->n_blank;
	bool fn_is_company = is_blank_buf(fn) || same_text(fn->data, fn->len, company);
	if (!r->company_card && (named || !fn_is_company))
		return;
	struct buf *person = &r->scratch;
	buf_reset(person);
	if (!fn_is_company) {
		buf_append(person, fn->data, fn->len);
	} else {
		buf_append(person, r->fields[COL_FIRST].data, r->fields[COL_FIRST].len);
		if (person->len && r->fields[COL_LAST].len)
			buf_putc(person, ' ');
		buf_append(person, r->fields[COL_LAST].data, r->fields[COL_LAST].len);
	}
	const char *p = buf_str(person);
	size_t n = person->len;
	str_trim(&p, &n);
	if (n)
		add_related_line(r, "contact: %.*s", (int)n, p);
	buf_reset(fn);
	buf_append(fn, company->data, company->len);
	buf_reset(&r->fields[COL_FIRST]);
	buf_reset(&r->fields[COL_LAST]);
}

static void
finish_card(struct vcard_reader *r, struct record *rec)
{
	put_list(&r->emails, r->nemails, r->email_pref, &r->fields[COL_EMAIL],
	         &r->fields[COL_OTHER_EMAILS]);
	put_phones(r);
	put_addresses(r);
	put_company(r);
	put_related(r);
	if (r->related.len) {
		struct buf *notes = &r->fields[COL_NOTES];
		if (notes->len)
			buf_putc(notes, '\n');
		buf_append(notes, r->related.data, r->related.len);
	}
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
			if (r->nul_in) {
				char msg[160];
				snprintf(msg, sizeof msg, "the card's %s holds a NUL byte",
				         r->nul_in);
				record_clear(rec);
				return report_bad(r, r->raw.len, err, begin_row, msg);
			}
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
