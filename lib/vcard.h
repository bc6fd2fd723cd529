/*
 * vcard.h - vCard (.vcf) files read as records, for cs-import.
 *
 * Each card becomes one record with a fixed header: the properties that
 * have a canonical field take its name (FN -> name, N -> first_name and
 * last_name, EMAIL, TEL -> phone, ORG -> company, ADR -> street, city,
 * postcode, region and country, a spouse or partner -> spouse, BDAY,
 * ANNIVERSARY, NOTE -> notes) and the rest keep a readable name: "Job
 * Title" (TITLE), "Other Emails", "Other Phones", "Other Addresses" (the
 * values not chosen), "Other Dates" (Apple's itemN.X-ABDATE with the
 * itemN.X-ABLABEL of the same item, as "Label: date; Label: date") and
 * "Categories".  Other properties (PHOTO, UID, REV...) are not read.
 *
 * Which value, when a card has several: the email with the best PREF (else
 * the first); the phone that is a mobile, else a home, work or main number,
 * else any other, never a fax or a pager, PREF breaking a tie within a
 * class; the address that is the home or the preferred one, else a work
 * one, else the first.  Every NOTE is kept, joined by line breaks; related
 * names other than the first spouse or partner are added to the notes as
 * "related (LABEL): NAME".  A company's card (X-ABShowAs:COMPANY, KIND:org,
 * or an empty N with an ORG that FN, if any, repeats) has the company as
 * its name and no first or last name; a person it also names is added to
 * the notes as "contact: NAME".
 *
 * vCard 2.1, 3.0 and 4.0 are read: folded lines, backslash escapes (\, \;
 * \n), quoted parameter values, QUOTED-PRINTABLE values, "tel:" URIs, dates
 * in basic form (19800515) and Apple's year-less birthdays (year 1604 or
 * X-APPLE-OMIT-YEAR) written as --MM-DD.  Lines may end in LF, CRLF, CR CR
 * LF or (old Mac OS, decided at the first line end) CR.
 */
#ifndef CS_VCARD_H
#define CS_VCARD_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "input.h"
#include "record.h"
#include "stream.h"
#include "util.h"

struct vcard_reader;

/* True if p[0..n) (the start of an input) begins, after blank lines, with BEGIN:VCARD. */
bool vcard_detect(const char *p, size_t n);

/*
 * A new reader of in, which it steals (vcard_reader_free closes it).
 * warn (may be NULL) gets problems inside a card that do not stop it (a
 * line that is not a property).
 */
struct vcard_reader *vcard_reader_new(struct input *in, cs_warn_fn *warn, void *warn_ctx);
/* The header every record has; borrowed, valid until vcard_reader_free. */
const struct header *vcard_reader_header(const struct vcard_reader *r);
/* The name used in messages (the input's). Borrowed. */
const char *vcard_reader_name(const struct vcard_reader *r);

enum { VCARD_BAD = 2 };
/*
 * Read the next card into rec (cleared first; rec->row is the line of its
 * BEGIN:VCARD).  Returns 1 for a card; VCARD_BAD for text that is not a
 * readable card (a card with no END:VCARD, text between cards, a value
 * holding a NUL byte or bytes that are not UTF-8), with err
 * saying why and vcard_reader_raw giving the text; 0 at the end; -1 on a
 * read error (err filled).
 */
int vcard_reader_next(struct vcard_reader *r, struct record *rec, struct cs_error *err);
/*
 * The text of the card last read (as it was in the file, folded lines and
 * line ends included), or of the text VCARD_BAD reported.  Borrowed: valid
 * until the next vcard_reader_next.
 */
const char *vcard_reader_raw(const struct vcard_reader *r, size_t *len);
void vcard_reader_free(struct vcard_reader *r);

#endif
