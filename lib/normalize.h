/*
 * normalize.h - the value normalisers cs-import applies: they turn what
 * spreadsheets hold (names, email addresses, phone numbers, amounts,
 * booleans, status and tier words) into the canonical values of DESIGN
 * section 3.
 *
 * Everything here is a pure function of its arguments: no state, no
 * allocation except into the struct buf the caller passes (and owns).
 */
#ifndef CS_NORMALIZE_H
#define CS_NORMALIZE_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/*
 * Each normaliser reads s[0..len), appends the canonical value to
 * out (which it does not reset), and returns 0; or returns -1 with a reason
 * for a person in why[0..whylen) ("not an amount") and out unchanged.
 * Leading and trailing white space is never significant.
 */

/* True if s[0..len) is a placeholder for "no value": n/a, none, -, tbd, 0/0/00... */
bool norm_is_placeholder(const char *s, size_t len);

/* Copy s trimmed, with every run of white space made one space. */
void norm_clean_text(const char *s, size_t len, struct buf *out);

/*
 * An email address, lower-cased, from "Ana <ANA@X.ORG>", "mailto:a@x.org" or
 * a cell holding several ("a@x.org ::: b@y.org", "a@x.org; b@y.org"): the
 * first goes to out, the others (if rest is not NULL) to rest, one per line.
 */
int norm_email(const char *s, size_t len, struct buf *out, struct buf *rest, char *why,
               size_t whylen);

/*
 * A phone number kept readable: a leading '+', digit groups as the input
 * grouped them, separated by single spaces, an extension as " ext N"
 * ("+1 (555) 010-2030" -> "+1 555 010 2030"; "+44 (0)20 7946 0958" ->
 * "+44 20 7946 0958").  Several in one cell: the first to out, the others
 * to rest (if not NULL), one per line.
 */
int norm_phone(const char *s, size_t len, struct buf *out, struct buf *rest, char *why,
               size_t whylen);
/*
 * The digits of a phone number for comparing two of them: the last ten, so
 * "+1 555 010 2030" and "(555) 010-2030" agree.  Writes at most 10 digits
 * and a NUL into digits; returns how many.
 */
size_t norm_phone_digits(const char *phone, char digits[11]);

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
int norm_number(const char *s, size_t len, bool decimal_comma, bool integer, struct buf *out,
                char *why, size_t whylen);

/*
 * A boolean: what schema_parse_bool reads, plus on/off, checked/unchecked
 * and check marks.  Returns 1 or 0, or -1.
 */
int norm_bool(const char *s, size_t len);

enum kind { KIND_CLIENT, KIND_PROSPECT };
/*
 * The kind a status word gives: client, customer, active... -> KIND_CLIENT;
 * prospect, lead, opportunity, HubSpot's and Salesforce's lead stages ->
 * KIND_PROSPECT.  -1 for any other word.
 */
int norm_kind(const char *s, size_t len);

/*
 * The tier a value gives: 'A', 'B' or 'C' from A/B/C, 1/2/3, "Tier 2",
 * "B client", Prime/Good/Kept, High/Medium/Low and medal words.  Gold is A,
 * Silver B and Bronze C, unless platinum_top (the column uses Platinum),
 * when Platinum is A, Gold B, Silver and Bronze C.  Returns -1 otherwise.
 */
int norm_tier(const char *s, size_t len, bool platinum_top);
/* True if s[0..len) names the Platinum medal (any case). */
bool norm_is_platinum(const char *s, size_t len);

/*
 * The tier and the kind a tag gives (Google's Labels, Outlook's
 * Categories): norm_tag_tier reads "Tier A", "A clients", "Gold" and
 * returns 'A', 'B' or 'C' (a bare letter or digit is no tier here);
 * norm_tag_kind reads "Clients", "Prospects", "Leads" and returns
 * KIND_CLIENT or KIND_PROSPECT.  Both return -1 for any other tag.
 */
int norm_tag_tier(const char *s, size_t len, bool platinum_top);
int norm_tag_kind(const char *s, size_t len);

/*
 * A display name in its parts.  "Silva, Ana" (the comma form) is read as
 * last, first; otherwise the last word is the last name, with particles
 * that precede it ("van der Berg", "da Silva"), and the words before are the
 * first name.  Titles (Mr, Dr...) and suffixes (Jr, III, PhD...) are left out
 * of the parts.  display gets the name in first-last order ("Ana Silva").
 * The three bufs are appended to.  Returns true if the comma form was read.
 */
bool norm_split_name(const char *s, size_t len, struct buf *display, struct buf *first,
                     struct buf *last);

#endif
