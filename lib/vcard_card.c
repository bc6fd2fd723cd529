/*
 * vcard_card.c - a vCard's card settled into one record at END:VCARD.
 *
 * The properties (vcard_property.c) have collected the card: its fields,
 * its emails, and its phones, addresses and related names as items with
 * their TYPE words and PREF.  Only now, with the whole card known, are the
 * preferences settled, because an Apple label (itemN.X-ABLabel) may follow
 * the property it names.  Phones: mobile, then home/work/main, then any
 * other voice number, never a fax or a pager; addresses: home or
 * preferred, then work, then the first; within a class, PREF (or
 * TYPE=pref), then the order of the card.  What is not chosen goes to the
 * Other columns, and related names (but the first spouse or partner) and a
 * company card's contact to the notes, so nothing the card says is dropped.
 */
#include "vcard_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
vcard_card_reset(struct vcard_reader *r)
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

/* Does p[0..n) hold word (lower case), in any case? */
static bool
contains_word(const char *p, size_t n, const char *word)
{
	size_t m = strlen(word);
	for (size_t i = 0; i + m <= n; i++)
		if (vcard_word_eq(p + i, m, word))
			return true;
	return false;
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
	return t | vcard_type_bit(p, n);
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
	return vcard_word_eq(p, n, "spouse") || vcard_word_eq(p, n, "partner") ||
	       vcard_word_eq(p, n, "husband") || vcard_word_eq(p, n, "wife") ||
	       vcard_word_eq(p, n, "domestic partner");
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
		if (!vcard_is_space(b->data[i]))
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

void
vcard_card_finish(struct vcard_reader *r, struct record *rec)
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
