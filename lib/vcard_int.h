/*
 * vcard_int.h - what the three files of the vCard reader share: the reader
 * itself, the card it collects, and the calls between them.  Private to
 * vcard.c (lines and cards: the reader's line machine and BEGIN/END),
 * vcard_property.c (one property: its parameters, its value and what it adds
 * to the card) and vcard_card.c (the card settled into a record at
 * END:VCARD); nothing else sees struct vcard_reader's insides.
 */
#ifndef CS_VCARD_INT_H
#define CS_VCARD_INT_H

#include <iconv.h>
#include <stdbool.h>
#include <stddef.h>

#include "vcard.h"

/* The columns of every record, in the order of the header (vcard.c names them). */
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

/* ---- vcard.c ------------------------------------------------------------ */

/* Warn (r->warn) about line row of the input; the card goes on. */
void vcard_warn(struct vcard_reader *r, long row, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Where the value of the logical line p[0..len) starts: the first ':' outside double quotes, or
 * len. */
size_t vcard_find_colon(const char *p, size_t len);

/* ---- vcard_property.c --------------------------------------------------- */

/* Is p[0..n) word (given in lower case), in any ASCII case? */
bool vcard_word_eq(const char *p, size_t n, const char *word);

/* The T_* bit of a TYPE word p[0..n) (cell, home, fax...), or 0. */
unsigned vcard_type_bit(const char *p, size_t n);

/*
 * Read the parameters p[0..len) (what is between the property's name and
 * its ':') into pr, and the TYPE words other than "pref" into words (reset
 * first), lower case, joined by ", ".  pr->charset points into p.
 */
void vcard_parse_params(const char *p, size_t len, struct params *pr, struct buf *words);

/*
 * Append the vCard date p[0..n) to out as date_parse reads it: basic form
 * "19800515" becomes "1980-05-15", and Apple's placeholder year (1604, or
 * omit_year when not 0) becomes a year-less "--05-15".  Anything else is
 * appended as it is, for the importer to refuse.
 */
void vcard_put_date(const char *p, size_t n, int omit_year, struct buf *out);

/*
 * Append p[0..n) to out with the white space around it dropped and each
 * line break inside it, with the blanks around the break, made ", ".
 */
void vcard_put_one_line(const char *p, size_t n, struct buf *out);

/*
 * Handle the logical line r->line (read at line row) inside a card: add
 * what its property says to the card being read; warn about a line that is
 * not a property.  Properties not read here are ignored.
 */
void vcard_property(struct vcard_reader *r, long row);

/* ---- vcard_card.c ------------------------------------------------------- */

/* Empty the card being read, for the next BEGIN:VCARD. */
void vcard_card_reset(struct vcard_reader *r);

/*
 * Settle the card read into rec (cleared first), one field a column: the
 * preferred email, phone and address, the others in the Other columns, a
 * company's card named by its company, related names and a company's
 * contact in the notes, and Other Dates with their labels.
 */
void vcard_card_finish(struct vcard_reader *r, struct record *rec);

static inline bool
vcard_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

#endif
