/*
 * vcard_property.c - one property of a vCard: its parameters, its value and
 * what it adds to the card being read.
 *
 * A logical line (vcard.c has joined its folds) is cut into group, name,
 * parameters and value, and the name chooses a handler from one table, so
 * a property newly read is a line of that table.  Values are unescaped
 * (\, \; \n), QUOTED-PRINTABLE is decoded, and a quoted-printable value in
 * another CHARSET is recoded to UTF-8 (the bytes the file holds were
 * converted by lib/input; the ones quoted-printable hides were not).
 *
 * Nothing is decided here that needs the whole card: phones, addresses and
 * related names are kept as items, with their TYPE words and PREF, for
 * vcard_card.c to choose among at END:VCARD, since an Apple label
 * (itemN.X-ABLabel) may follow the property it names.
 */
#include "vcard_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- values and parameters ---------------------------------------------- */

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

bool
vcard_word_eq(const char *p, size_t n, const char *word)
{
	size_t i = 0;
	for (; i < n && word[i]; i++)
		if (ascii_lower((unsigned char)p[i]) != word[i])
			return false;
	return i == n && word[i] == '\0';
}

/* The T_* bit of a TYPE word, or 0. */
unsigned
vcard_type_bit(const char *p, size_t n)
{
	if (vcard_word_eq(p, n, "cell") || vcard_word_eq(p, n, "mobile") ||
	    vcard_word_eq(p, n, "iphone"))
		return T_CELL;
	if (vcard_word_eq(p, n, "home"))
		return T_HOME;
	if (vcard_word_eq(p, n, "work"))
		return T_WORK;
	if (vcard_word_eq(p, n, "main"))
		return T_MAIN;
	if (vcard_word_eq(p, n, "fax"))
		return T_FAX;
	if (vcard_word_eq(p, n, "pager"))
		return T_PAGER;
	return 0;
}

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
	if (vcard_word_eq(p, n, "pref")) {
		set_pref(pr, 1);
		return;
	}
	pr->types |= vcard_type_bit(p, n);
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
void
vcard_parse_params(const char *p, size_t len, struct params *pr, struct buf *words)
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
			if (vcard_word_eq(param, n, "quoted-printable"))
				pr->qp = true;
			else
				type_word(pr, param, n, NULL);
		} else if (vcard_word_eq(param, klen, "type")) {
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
		} else if (vcard_word_eq(param, klen, "pref")) {
			unsigned rank = 0;
			for (size_t k = 0; k < vlen && val[k] >= '0' && val[k] <= '9'; k++)
				rank = rank < 100 ? rank * 10 + (unsigned)(val[k] - '0') : 100;
			set_pref(pr, rank);
		} else if (vcard_word_eq(param, klen, "encoding")) {
			if (vcard_word_eq(val, vlen, "quoted-printable"))
				pr->qp = true;
		} else if (vcard_word_eq(param, klen, "charset")) {
			pr->charset = val;
			pr->charset_len = vlen;
		} else if (vcard_word_eq(param, klen, "value")) {
			pr->text = vcard_word_eq(val, vlen, "text");
		} else if (vcard_word_eq(param, klen, "x-apple-omit-year")) {
			pr->omit_year = atoi(val);
		}
	}
}

/* Is CHARSET's value p[0..n) UTF-8 (or ASCII, a part of it)? */
static bool
is_utf8_charset(const char *p, size_t n)
{
	return vcard_word_eq(p, n, "utf-8") || vcard_word_eq(p, n, "utf8") ||
	       vcard_word_eq(p, n, "us-ascii") || vcard_word_eq(p, n, "ascii");
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
void
vcard_put_date(const char *p, size_t n, int omit_year, struct buf *out)
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

/* p[0..n) with white space around it and each line break inside it made ", ". */
void
vcard_put_one_line(const char *p, size_t n, struct buf *out)
{
	while (n && vcard_is_space(*p))
		p++, n--;
	while (n && vcard_is_space(p[n - 1]))
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
		while (i + 1 < n && vcard_is_space(p[i + 1]))
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
	while (n && vcard_is_space(p[n - 1]))
		n--;
	size_t lead = 0;
	while (lead < n && vcard_is_space(p[lead]))
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
	if (!vcard_word_eq(buf_str(v), v->len, mime))
		return;
	buf_reset(v);
	value_part(r, pr, value, vlen, 1, v);
	buf_reset(s);
	vcard_put_one_line(buf_str(v), v->len, s);
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

/* ---- the properties ----------------------------------------------------- */

/* One property line, cut into its parts (pointers into r->line). */
struct property {
	const char *line; /* the whole logical line */
	size_t len;
	const char *group; /* "item1" of item1.TEL, or NULL */
	size_t glen;
	const char *name;
	size_t nlen;
	const char *value;
	size_t vlen;
	struct params pr;     /* its TYPE words are in r->text */
	enum column col;      /* the column the table names, for the handlers that fill one */
	const char *relation; /* the relation the table names, for a named relation */
};

static void
on_column(struct vcard_reader *r, const struct property *p)
{
	set_once(r, p->col, p->value, p->vlen, &p->pr);
}

static void
on_date(struct vcard_reader *r, const struct property *p)
{
	if (!r->fields[p->col].len)
		vcard_put_date(p->value, p->vlen, p->pr.omit_year, &r->fields[p->col]);
}

static void
on_n(struct vcard_reader *r, const struct property *p)
{
	bool blank = true;
	for (size_t i = 0; i < p->vlen && blank; i++)
		blank = p->value[i] == ';' || p->value[i] == ' ' || p->value[i] == '\t';
	if (!r->n_seen)
		r->n_blank = true;
	r->n_seen = true;
	r->n_blank = r->n_blank && blank;
	if (!r->fields[COL_LAST].len && !r->fields[COL_FIRST].len) {
		value_part(r, &p->pr, p->value, p->vlen, 0, &r->fields[COL_LAST]);
		value_part(r, &p->pr, p->value, p->vlen, 1, &r->fields[COL_FIRST]);
	}
}

static void
on_email(struct vcard_reader *r, const struct property *p)
{
	struct buf *v = &r->value;
	value_part(r, &p->pr, p->value, p->vlen, -1, v);
	if (v->len)
		add_email(r, p->pr.pref, v->data, v->len);
}

static void
on_tel(struct vcard_reader *r, const struct property *p)
{
	struct buf *v = &r->value;
	value_part(r, &p->pr, p->value, p->vlen, -1, v);
	const char *t = buf_str(v);
	size_t tn = v->len;
	if (tn > 4 && vcard_word_eq(t, 4, "tel:"))
		t += 4, tn -= 4;
	if (tn)
		add_item(r, ITEM_TEL, &p->pr, p->group, p->glen, t, tn, NULL, 0);
}

static void
on_org(struct vcard_reader *r, const struct property *p)
{
	if (!r->fields[COL_COMPANY].len)
		value_part(r, &p->pr, p->value, p->vlen, 0, &r->fields[COL_COMPANY]);
}

/* An ADR: its components, each on one line, NUL-separated. */
static void
on_adr(struct vcard_reader *r, const struct property *p)
{
	struct buf *v = &r->value;
	bool any = false;
	for (int k = 0; k < ADR_N; k++) {
		buf_reset(&r->scratch);
		value_part(r, &p->pr, p->value, p->vlen, k, &r->scratch);
		check_nul(r, buf_str(&r->scratch), r->scratch.len, "address");
		size_t at = v->len;
		vcard_put_one_line(r->scratch.data ? r->scratch.data : "", r->scratch.len, v);
		any = any || v->len > at;
		buf_putc(v, '\0');
	}
	if (any)
		add_item(r, ITEM_ADR, &p->pr, p->group, p->glen, v->data, v->len, NULL, 0);
}

static void
on_note(struct vcard_reader *r, const struct property *p)
{
	add_note(r, p->value, p->vlen, &p->pr);
}

/* Apple's itemN.X-ABDATE: a date the label of its item names. */
static void
on_abdate(struct vcard_reader *r, const struct property *p)
{
	check_nul(r, p->line, p->len, "Other Dates");
	buf_append(&r->dates, p->group ? p->group : "", p->glen);
	buf_putc(&r->dates, '\0');
	vcard_put_date(p->value, p->vlen, p->pr.omit_year, &r->dates);
	buf_putc(&r->dates, '\0');
}

/* Apple's itemN.X-ABLABEL: the label of the other properties of its item. */
static void
on_ablabel(struct vcard_reader *r, const struct property *p)
{
	check_nul(r, p->line, p->len, "labels");
	buf_append(&r->labels, p->group ? p->group : "", p->glen);
	buf_putc(&r->labels, '\0');
	size_t at = r->labels.len;
	value_part(r, &p->pr, p->value, p->vlen, -1, &r->labels);
	check_nul(r, r->labels.data + at, r->labels.len - at, "labels");
	buf_putc(&r->labels, '\0');
}

/* Apple's X-ABShowAs:COMPANY: the card names a company. */
static void
on_show_as(struct vcard_reader *r, const struct property *p)
{
	const char *t = p->value;
	size_t tn = p->vlen;
	str_trim(&t, &tn);
	if (vcard_word_eq(t, tn, "company"))
		r->company_card = true;
}

/* vCard 4's KIND:org: the card names a company. */
static void
on_kind(struct vcard_reader *r, const struct property *p)
{
	const char *t = p->value;
	size_t tn = p->vlen;
	str_trim(&t, &tn);
	if (vcard_word_eq(t, tn, "org") || vcard_word_eq(t, tn, "organization"))
		r->company_card = true;
}

/* The value, on one line, into r->scratch; false when that is empty. */
static bool
one_line_value(struct vcard_reader *r, const struct property *p)
{
	struct buf *v = &r->value;
	value_part(r, &p->pr, p->value, p->vlen, -1, v);
	buf_reset(&r->scratch);
	vcard_put_one_line(buf_str(v), v->len, &r->scratch);
	return r->scratch.len > 0;
}

/* RELATED (vCard 4) and Apple's X-ABRELATEDNAMES: labelled by their TYPE words. */
static void
on_related(struct vcard_reader *r, const struct property *p)
{
	if (!one_line_value(r, p))
		return;
	add_item(r, ITEM_RELATED, &p->pr, p->group, p->glen, r->scratch.data, r->scratch.len,
	         buf_str(&r->text), r->text.len);
	r->items[r->nitems - 1].uri = vcard_word_eq(p->name, p->nlen, "related") && !p->pr.text &&
	                              looks_like_uri(r->scratch.data, r->scratch.len);
}

/* Properties that name a relation of their own (Outlook, Evolution). */
static void
on_named_relation(struct vcard_reader *r, const struct property *p)
{
	if (one_line_value(r, p))
		add_item(r, ITEM_RELATED, &p->pr, p->group, p->glen, r->scratch.data,
		         r->scratch.len, p->relation, strlen(p->relation));
}

static void
on_android(struct vcard_reader *r, const struct property *p)
{
	android_relation(r, &p->pr, p->value, p->vlen);
}

/* The properties read, by name in lower case; any other is ignored. */
static const struct {
	const char *name;
	void (*handle)(struct vcard_reader *r, const struct property *p);
	enum column col;
	const char *relation;
} properties[] = {
    {"fn", on_column, COL_NAME, NULL},
    {"n", on_n, 0, NULL},
    {"email", on_email, 0, NULL},
    {"tel", on_tel, 0, NULL},
    {"org", on_org, 0, NULL},
    {"adr", on_adr, 0, NULL},
    {"title", on_column, COL_TITLE, NULL},
    {"note", on_note, 0, NULL},
    {"categories", on_column, COL_CATEGORIES, NULL},
    {"bday", on_date, COL_BIRTHDAY, NULL},
    {"anniversary", on_date, COL_ANNIVERSARY, NULL},
    {"x-anniversary", on_date, COL_ANNIVERSARY, NULL},
    {"x-ms-anniversary", on_date, COL_ANNIVERSARY, NULL},
    {"x-evolution-anniversary", on_date, COL_ANNIVERSARY, NULL},
    {"x-abdate", on_abdate, 0, NULL},
    {"x-ablabel", on_ablabel, 0, NULL},
    {"x-abshowas", on_show_as, 0, NULL},
    {"kind", on_kind, 0, NULL},
    {"x-abrelatednames", on_related, 0, NULL},
    {"related", on_related, 0, NULL},
    {"x-android-custom", on_android, 0, NULL},
    {"x-ms-spouse", on_named_relation, 0, "spouse"},
    {"x-spouse", on_named_relation, 0, "spouse"},
    {"x-evolution-spouse", on_named_relation, 0, "spouse"},
    {"x-ms-child", on_named_relation, 0, "child"},
    {"x-ms-manager", on_named_relation, 0, "manager"},
    {"x-evolution-manager", on_named_relation, 0, "manager"},
    {"x-ms-assistant", on_named_relation, 0, "assistant"},
    {"x-evolution-assistant", on_named_relation, 0, "assistant"},
    {"x-assistant", on_named_relation, 0, "assistant"},
    {"x-manager", on_named_relation, 0, "manager"},
};

/*
 * Cut the line p[0..len) into p's group, name, parameters (into p->pr and
 * r->text) and value.  False if it has no ':'.
 */
static bool
split_property(struct vcard_reader *r, const char *line, size_t len, struct property *p)
{
	size_t colon = vcard_find_colon(line, len);
	if (colon == len)
		return false;
	p->line = line;
	p->len = len;
	p->value = line + colon + 1;
	p->vlen = len - colon - 1;
	size_t name_end = 0;
	while (name_end < colon && line[name_end] != ';')
		name_end++;
	p->name = line;
	const char *dot = memchr(line, '.', name_end);
	if (dot) {
		p->group = line;
		p->glen = (size_t)(dot - line);
		p->name = dot + 1;
	}
	p->nlen = (size_t)(line + name_end - p->name);
	size_t params = name_end + (name_end < colon);
	vcard_parse_params(line + params, colon - params, &p->pr, &r->text);
	return true;
}

void
vcard_property(struct vcard_reader *r, long row)
{
	struct property p = {0};
	if (!split_property(r, r->line.data, r->line.len, &p)) {
		if (r->line.len > 0)
			vcard_warn(r, row, "line is not a vCard property (no ':'): ignored");
		return;
	}
	buf_reset(&r->value);
	for (size_t i = 0; i < sizeof properties / sizeof *properties; i++) {
		if (!vcard_word_eq(p.name, p.nlen, properties[i].name))
			continue;
		p.col = properties[i].col;
		p.relation = properties[i].relation;
		properties[i].handle(r, &p);
		return;
	}
}
