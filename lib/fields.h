/*
 * fields.h - the canonical fields of DESIGN section 3: their names and types.
 *
 * The type decides how NDJSON writes a value (a number, a bool or a string)
 * and how expressions read a field that the stream lacks (a canonical field
 * that is absent reads as null; any other unknown name is an error).
 */
#ifndef CS_FIELDS_H
#define CS_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

enum field_type {
	FIELD_STRING,
	FIELD_NUMBER,
	FIELD_INTEGER,
	FIELD_BOOL,
	FIELD_DATE,
};

/* True if name is one of the canonical fields. */
bool fields_is_canonical(const char *name);
/* The type of a canonical field; FIELD_STRING for any other name. */
enum field_type fields_type(const char *name);
/*
 * Parse a boolean spelled true/false/yes/no/y/n/1/0/x (any case, spaces
 * around ignored).  Returns 1 or 0, or -1 when s is none of these.  An empty
 * string is -1 too: callers decide what a missing value means.
 */
int fields_parse_bool(const char *s);

#endif
