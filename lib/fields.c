/*
 * fields.c - the canonical field table.
 */
#include "fields.h"

#include <string.h>

#include "util.h"

static const struct canonical {
	const char *name;
	enum field_type type;
} canonical[] = {
	{"id", FIELD_STRING},         {"name", FIELD_STRING},        {"first_name", FIELD_STRING},
	{"last_name", FIELD_STRING},  {"email", FIELD_STRING},       {"phone", FIELD_STRING},
	{"company", FIELD_STRING},    {"city", FIELD_STRING},        {"kind", FIELD_STRING},
	{"tier", FIELD_STRING},       {"tier_locked", FIELD_BOOL},   {"revenue", FIELD_NUMBER},
	{"assets", FIELD_NUMBER},     {"referrals", FIELD_INTEGER},  {"coi", FIELD_BOOL},
	{"hours", FIELD_NUMBER},      {"owner", FIELD_STRING},       {"since", FIELD_DATE},
	{"last_contact", FIELD_DATE}, {"birthday", FIELD_DATE},      {"anniversary", FIELD_DATE},
	{"home_purchase", FIELD_DATE}, {"child_birth", FIELD_DATE},  {"notes", FIELD_STRING},
	{"score", FIELD_NUMBER},
};

static const struct canonical *
lookup(const char *name)
{
	for (size_t i = 0; i < sizeof canonical / sizeof canonical[0]; i++)
		if (strcmp(canonical[i].name, name) == 0)
			return &canonical[i];
	return NULL;
}

bool
fields_is_canonical(const char *name)
{
	return lookup(name) != NULL;
}

enum field_type
fields_type(const char *name)
{
	const struct canonical *c = lookup(name);
	return c ? c->type : FIELD_STRING;
}

int
fields_parse_bool(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
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
