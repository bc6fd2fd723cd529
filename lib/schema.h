/*
 * schema.h - the canonical fields of DESIGN section 3: their names and
 * types, in the order cs-import writes them.
 *
 * The type decides how NDJSON writes a value (a number, a bool or a string)
 * and how expressions read a field that the stream lacks (a canonical field
 * that is absent reads as null; any other unknown name is an error).
 *
 * Everything here is a pure function of its arguments: no state, no
 * allocation.
 */
#ifndef CS_SCHEMA_H
#define CS_SCHEMA_H

#include <stdbool.h>

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
	CANON_STREET,
	CANON_CITY,
	CANON_POSTCODE,
	CANON_REGION,
	CANON_COUNTRY,
	CANON_HOUSEHOLD,
	CANON_SPOUSE,
	CANON_DO_NOT_CALL,
	CANON_DO_NOT_EMAIL,
	CANON_DO_NOT_MAIL,
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
/* Sets of canonical fields are 64-bit masks (import_plan.c). */
_Static_assert(CANON_COUNT <= 64, "a set of canonical fields no longer fits in 64 bits");

/* True if name is one of the canonical fields. */
bool schema_is_canonical(const char *name);
/* The type of a canonical field; FIELD_STRING for any other name. */
enum field_type schema_type(const char *name);
/* The canonical field named exactly name, or -1. */
int schema_index(const char *name);
/* Name and type of canonical field f (0 <= f < CANON_COUNT).  The name is static. */
const char *schema_name(int f);
enum field_type schema_type_of(int f);
/*
 * Parse a boolean spelled true/false/yes/no/y/n/1/0/x (any case, spaces
 * around ignored).  Returns 1 or 0, or -1 when s is none of these.  An empty
 * string is -1 too: callers decide what a missing value means.
 */
int schema_parse_bool(const char *s);

#endif
