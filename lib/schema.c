/*
 * schema.c - the canonical field table: names and types in DESIGN order.
 *
 * The table is indexed by enum canon, so the order cs-import writes the
 * fields in and the order of the enum are one fact.  Lookup by name is a
 * linear scan of 34 names: callers ask once per column when a header is
 * read or an expression bound, never per row.
 */
#include "schema.h"

#include <string.h>

#include "util.h"

static const struct canonical {
	const char *name;
	enum field_type type;
} canonical[CANON_COUNT] = {
    [CANON_ID] = {"id", FIELD_STRING},
    [CANON_NAME] = {"name", FIELD_STRING},
    [CANON_FIRST_NAME] = {"first_name", FIELD_STRING},
    [CANON_LAST_NAME] = {"last_name", FIELD_STRING},
    [CANON_EMAIL] = {"email", FIELD_STRING},
    [CANON_PHONE] = {"phone", FIELD_STRING},
    [CANON_COMPANY] = {"company", FIELD_STRING},
    [CANON_STREET] = {"street", FIELD_STRING},
    [CANON_CITY] = {"city", FIELD_STRING},
    [CANON_POSTCODE] = {"postcode", FIELD_STRING},
    [CANON_REGION] = {"region", FIELD_STRING},
    [CANON_COUNTRY] = {"country", FIELD_STRING},
    [CANON_HOUSEHOLD] = {"household", FIELD_STRING},
    [CANON_SPOUSE] = {"spouse", FIELD_STRING},
    [CANON_DO_NOT_CALL] = {"do_not_call", FIELD_BOOL},
    [CANON_DO_NOT_EMAIL] = {"do_not_email", FIELD_BOOL},
    [CANON_DO_NOT_MAIL] = {"do_not_mail", FIELD_BOOL},
    [CANON_KIND] = {"kind", FIELD_STRING},
    [CANON_TIER] = {"tier", FIELD_STRING},
    [CANON_TIER_LOCKED] = {"tier_locked", FIELD_BOOL},
    [CANON_REVENUE] = {"revenue", FIELD_NUMBER},
    [CANON_ASSETS] = {"assets", FIELD_NUMBER},
    [CANON_REFERRALS] = {"referrals", FIELD_INTEGER},
    [CANON_COI] = {"coi", FIELD_BOOL},
    [CANON_HOURS] = {"hours", FIELD_NUMBER},
    [CANON_OWNER] = {"owner", FIELD_STRING},
    [CANON_SINCE] = {"since", FIELD_DATE},
    [CANON_LAST_CONTACT] = {"last_contact", FIELD_DATE},
    [CANON_BIRTHDAY] = {"birthday", FIELD_DATE},
    [CANON_ANNIVERSARY] = {"anniversary", FIELD_DATE},
    [CANON_HOME_PURCHASE] = {"home_purchase", FIELD_DATE},
    [CANON_CHILD_BIRTH] = {"child_birth", FIELD_DATE},
    [CANON_NOTES] = {"notes", FIELD_STRING},
    [CANON_SCORE] = {"score", FIELD_NUMBER},
};

int
schema_index(const char *name)
{
	for (int i = 0; i < CANON_COUNT; i++)
		if (strcmp(canonical[i].name, name) == 0)
			return i;
	return -1;
}

bool
schema_is_canonical(const char *name)
{
	return schema_index(name) >= 0;
}

enum field_type
schema_type(const char *name)
{
	int i = schema_index(name);
	return i >= 0 ? canonical[i].type : FIELD_STRING;
}

const char *
schema_name(int f)
{
	return canonical[f].name;
}

enum field_type
schema_type_of(int f)
{
	return canonical[f].type;
}

int
schema_parse_bool(const char *s)
{
	size_t n = strlen(s);
	str_trim(&s, &n);
	static const char *const yes[] = {"true", "yes", "y", "1", "x"};
	static const char *const no[] = {"false", "no", "n", "0"};
	char word[8];
	if (n == 0 || n >= sizeof word)
		return -1;
	for (size_t i = 0; i < n; i++)
		word[i] = (char)ascii_lower((unsigned char)s[i]);
	word[n] = '\0';
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (strcmp(word, yes[i]) == 0)
			return 1;
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		if (strcmp(word, no[i]) == 0)
			return 0;
	return -1;
}
