/*
 * synonyms.h - header matching: which canonical field (or which other
 * meaning) a column of a real export holds, from its header.  The synonym
 * table covers Google, Outlook, HubSpot and Salesforce exports and
 * advisers' own sheets.
 *
 * Everything here is a pure function of its arguments: no state, no
 * allocation.
 */
#ifndef CS_SYNONYMS_H
#define CS_SYNONYMS_H

#include <stdbool.h>
#include <stddef.h>

#include "schema.h"

/*
 * A header is matched by its key: ASCII letters lower-cased, digits kept,
 * '#' read as "number", bytes of UTF-8 characters kept as they are, and
 * everything else (spaces, punctuation) dropped: "E-mail 1 - Value" is
 * "email1value", "# Referrals" is "numberreferrals".  The synonym table maps
 * keys to what a column means; a '#' in a table key stands for a run of
 * digits, so "phone#value" matches Google's "Phone 1 - Value", "Phone 2 - Value"...
 */
enum { SYNONYMS_KEY_MAX = 64 };

/*
 * Write the key of s[0..len) into key (NUL-terminated, cut at
 * SYNONYMS_KEY_MAX - 1 bytes).  Returns its length.
 */
size_t synonyms_header_key(const char *s, size_t len, char key[SYNONYMS_KEY_MAX]);

/*
 * When several columns give one field, the lower rank wins (then column
 * order): a mobile phone before a home or plain one, a mailing or home
 * address before a plain one, then work, then other; an owner's name
 * before an owner id.
 */
enum { SYNONYMS_RANK_BEST, SYNONYMS_RANK_PLAIN, SYNONYMS_RANK_WORK, SYNONYMS_RANK_OTHER };
/* A label's rank ("Work Fax", "Pager": SYNONYMS_RANK_NONE, no phone at all). */
enum { SYNONYMS_RANK_NONE = -9 };

enum header_role {
	HEADER_UNKNOWN,    /* no meaning: the column is kept as it is */
	HEADER_FIELD,      /* a value for field */
	HEADER_PAIR_LABEL, /* "Event 1 - Label": names the field of its pair's value */
	HEADER_PAIR_VALUE, /* "Event 1 - Value" */
	HEADER_LABELLED,   /* "Other Dates": "Label: value; Label: value" */
	HEADER_TAGS,       /* Labels, Categories: tags that may give kind and tier */
	HEADER_DATE_PART,  /* "Birth Month": a part of a date split into columns */
};

struct header_meaning {
	enum header_role role;
	int field;                   /* HEADER_FIELD: the canonical field */
	char pair[SYNONYMS_KEY_MAX]; /* pairs: what the two columns share ("event1") */
	int rank;                    /* HEADER_FIELD: SYNONYMS_RANK_* */
	/* HEADER_FIELD: the column's group ("home", "mailing", "address1", "phone1"), or "" */
	char group[SYNONYMS_KEY_MAX];
};

/* What the column named name means; fills *m and returns m->role. */
enum header_role synonyms_match_header(const char *name, struct header_meaning *m);
/*
 * The canonical field a label names ("Anniversary", Apple's
 * "_$!<Anniversary>!$_", "Client since"), or -1.  Only plain field synonyms
 * count: a label never names a pair or a tag column.
 */
int synonyms_match_label(const char *label, size_t len);
/*
 * The rank a label gives its column's value (Google's "Phone 1 - Label",
 * "Address 1 - Type"): mobile or cell SYNONYMS_RANK_BEST, home, main or
 * none SYNONYMS_RANK_PLAIN (home: BEST when home_best), work or business
 * SYNONYMS_RANK_WORK, other SYNONYMS_RANK_OTHER, and SYNONYMS_RANK_NONE
 * for a fax or a pager ("Work Fax", "Pager").
 */
int synonyms_label_rank(const char *label, size_t len, bool home_best);

/*
 * A date split into columns (Thunderbird "Birth Year", "Birth Month",
 * "Birth Day"; "Anniversary Year"; "DOB Day"...): if key (a header's key)
 * names such a part, its field, its part ('y', 'm' or 'd') and its family
 * (the key without the part, NUL-terminated: "birth") are written, and true
 * is returned.
 */
bool synonyms_date_part(const char *key, int *field, char *part, char family[SYNONYMS_KEY_MAX]);

#endif
