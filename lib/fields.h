/*
 * fields.h - the canonical fields of DESIGN section 3: their names and
 * types, the header synonyms that map real exports onto them, and the
 * normalisers that turn what spreadsheets hold into canonical values.
 *
 * The type decides how NDJSON writes a value (a number, a bool or a string)
 * and how expressions read a field that the stream lacks (a canonical field
 * that is absent reads as null; any other unknown name is an error).
 *
 * Everything here is a pure function of its arguments: no state, no
 * allocation except into the struct buf the caller passes (and owns).
 */
#ifndef CS_FIELDS_H
#define CS_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

enum field_type {
	FIELD_STRING,
	FIELD_NUMBER,
	FIELD_INTEGER,
	FIELD_BOOL,
	FIELD_DATE,
};

/* The canonical fields, in the order cs-import writes them (DESIGN order). */
enum canon {
	CANON_ID,
	CANON_NAME,
	CANON_FIRST_NAME,
	CANON_LAST_NAME,
	CANON_EMAIL,
	CANON_PHONE,
	CANON_COMPANY,
	CANON_CITY,
	CANON_KIND,
	CANON_TIER,
	CANON_TIER_LOCKED,
	CANON_REVENUE,
	CANON_ASSETS,
	CANON_REFERRALS,
	CANON_COI,
	CANON_HOURS,
	CANON_OWNER,
	CANON_SINCE,
	CANON_LAST_CONTACT,
	CANON_BIRTHDAY,
	CANON_ANNIVERSARY,
	CANON_HOME_PURCHASE,
	CANON_CHILD_BIRTH,
	CANON_NOTES,
	CANON_SCORE,
	CANON_COUNT
};

/* True if name is one of the canonical fields. */
bool fields_is_canonical(const char *name);
/* The type of a canonical field; FIELD_STRING for any other name. */
enum field_type fields_type(const char *name);
/* The canonical field named exactly name, or -1. */
int fields_index(const char *name);
/* Name and type of canonical field f (0 <= f < CANON_COUNT).  The name is static. */
const char *fields_name(int f);
enum field_type fields_type_of(int f);
/*
 * Parse a boolean spelled true/false/yes/no/y/n/1/0/x (any case, spaces
 * around ignored).  Returns 1 or 0, or -1 when s is none of these.  An empty
 * string is -1 too: callers decide what a missing value means.
 */
int fields_parse_bool(const char *s);

/*
 * Header matching.
 *
 * A header is matched by its key: ASCII letters lower-cased, digits kept,
 * '#' read as "number", bytes of UTF-8 characters kept as they are, and
 * everything else (spaces, punctuation) dropped: "E-mail 1 - Value" is
 * "email1value", "# Referrals" is "numberreferrals".  The synonym table maps
 * keys to what a column means; a '#' in a table key stands for a run of
 * digits, so "phone#value" matches Google's "Phone 1 - Value", "Phone 2 - Value"...
 */
enum { FIELDS_KEY_MAX = 64 };

/*
 * Write the key of s[0..len) into key (NUL-terminated, cut at
 * FIELDS_KEY_MAX - 1 bytes).  Returns its length.
 */
size_t fields_header_key(const char *s, size_t len, char key[FIELDS_KEY_MAX]);

enum header_role {
	HEADER_UNKNOWN,    /* no meaning: the column is kept as it is */
	HEADER_FIELD,      /* a value for field */
	HEADER_PAIR_LABEL, /* "Event 1 - Label": names the field of its pair's value */
	HEADER_PAIR_VALUE, /* "Event 1 - Value" */
	HEADER_LABELLED,   /* "Other Dates": "Label: value; Label: value" */
	HEADER_TAGS,       /* Labels, Categories: tags that may give kind and tier */
};

struct header_meaning {
	enum header_role role;
	int field;                 /* HEADER_FIELD: the canonical field */
	char pair[FIELDS_KEY_MAX]; /* pairs: what the two columns share ("event1") */
};

/* What the column named name means; returns m->role. */
enum header_role fields_match_header(const char *name, struct header_meaning *m);
/*
 * The canonical field a label names ("Anniversary", Apple's
 * "_$!<Anniversary>!$_", "Client since"), or -1.  Only plain field synonyms
 * count: a label never names a pair or a tag column.
 */
int fields_match_label(const char *label, size_t len);

/*
 * Value normalisers.  Each reads s[0..len), appends the canonical value to
 * out (which it does not reset), and returns 0; or returns -1 with a reason
 * for a person in why[0..whylen) ("not an amount") and out unchanged.
 * Leading and trailing white space is never significant.
 */

/* True if s[0..len) is a placeholder for "no value": n/a, none, -, tbd, 0/0/00... */
bool fields_is_placeholder(const char *s, size_t len);

/* Copy s trimmed, with every run of white space made one space. */
void fields_clean_text(const char *s, size_t len, struct buf *out);

/*
 * An email address, lower-cased, from "Ana <ANA@X.ORG>", "mailto:a@x.org" or
 * a cell holding several ("a@x.org ::: b@y.org", "a@x.org; b@y.org"): the
 * first goes to out, the others (if rest is not NULL) to rest, one per line.
 */
int fields_norm_email(const char *s, size_t len, struct buf *out, struct buf *rest, char *why,
                      size_t whylen);

/*
 * A phone number kept readable: a leading '+', digit groups as the input
 * grouped them, separated by single spaces, an extension as " ext N"
 * ("+1 (555) 010-2030" -> "+1 555 010 2030"; "+44 (0)20 7946 0958" ->
 * "+44 20 7946 0958").  Several in one cell: the first to out, the others
 * to rest (if not NULL), one per line.
 */
int fields_norm_phone(const char *s, size_t len, struct buf *out, struct buf *rest, char *why,
                      size_t whylen);
/*
 * The digits of a phone number for comparing two of them: the last ten, so
 * "+1 555 010 2030" and "(555) 010-2030" agree.  Writes at most 10 digits
 * and a NUL into digits; returns how many.
 */
size_t fields_phone_digits(const char *phone, char digits[11]);

/*
 * A number or an amount of money as a canonical number (DESIGN section 3):
 * currency symbols and codes dropped ("$12,500.00", "12 500 €", "EUR 80"),
 * thousands separators (, . space ' and no-break spaces) dropped, "(1,200)"
 * and a trailing minus negative, "12k" and "1.5M" multiplied.  When only one
 * kind of separator appears once, followed by exactly three digits
 * ("12,500", "12.500"), decimal_comma decides what it is; in every other
 * case the input itself says which separator is the decimal one.  With
 * integer, a fraction is refused.
 */
int fields_norm_number(const char *s, size_t len, bool decimal_comma, bool integer, struct buf *out,
                       char *why, size_t whylen);

/*
 * A boolean: what fields_parse_bool reads, plus on/off, checked/unchecked
 * and check marks.  Returns 1 or 0, or -1.
 */
int fields_norm_bool(const char *s, size_t len);

enum kind { KIND_CLIENT, KIND_PROSPECT };
/*
 * The kind a status word gives: client, customer, active... -> KIND_CLIENT;
 * prospect, lead, opportunity, HubSpot's and Salesforce's lead stages ->
 * KIND_PROSPECT.  -1 for any other word.
 */
int fields_norm_kind(const char *s, size_t len);

/*
 * The tier a value gives: 'A', 'B' or 'C' from A/B/C, 1/2/3, "Tier 2",
 * "B client", Prime/Good/Kept, High/Medium/Low and medal words.  Gold is A,
 * Silver B and Bronze C, unless platinum_top (the column uses Platinum),
 * when Platinum is A, Gold B, Silver and Bronze C.  Returns -1 otherwise.
 */
int fields_norm_tier(const char *s, size_t len, bool platinum_top);
/* True if s[0..len) names the Platinum medal (any case). */
bool fields_is_platinum(const char *s, size_t len);

/*
 * The tier and the kind a tag gives (Google's Labels, Outlook's
 * Categories): fields_tag_tier reads "Tier A", "A clients", "Gold" and
 * returns 'A', 'B' or 'C' (a bare letter or digit is no tier here);
 * fields_tag_kind reads "Clients", "Prospects", "Leads" and returns
 * KIND_CLIENT or KIND_PROSPECT.  Both return -1 for any other tag.
 */
int fields_tag_tier(const char *s, size_t len, bool platinum_top);
int fields_tag_kind(const char *s, size_t len);

/*
 * A display name in its parts.  "Silva, Ana" (the comma form) is read as
 * last, first; otherwise the last word is the last name, with particles
 * that precede it ("van der Berg", "da Silva"), and the words before are the
 * first name.  Titles (Mr, Dr...) and suffixes (Jr, III, PhD...) are left out
 * of the parts.  display gets the name in first-last order ("Ana Silva").
 * The three bufs are appended to.  Returns true if the comma form was read.
 */
bool fields_split_name(const char *s, size_t len, struct buf *display, struct buf *first,
                       struct buf *last);

#endif
