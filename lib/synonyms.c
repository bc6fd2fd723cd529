/*
 * synonyms.c - the header synonyms that map the columns of real exports onto
 * the canonical fields.
 *
 * Headers are compared by a key that keeps only letters and digits, so one
 * table entry covers "E-mail Address", "Email address" and "EMAIL_ADDRESS".
 * The table is data, grouped by field, and scanned linearly: it is consulted
 * once per column when a file is opened (and per row only for the labels of
 * Google's label/value pairs, which the importer caches), so a sorted index
 * would buy nothing.  Entries with a '#' match any run of digits there, which
 * covers the numbered columns of Google and Outlook exports in one line each.
 */
#include "synonyms.h"

#include <string.h>

#include "util.h"

enum { SYN_FIELD, SYN_PAIR_LABEL, SYN_PAIR_VALUE, SYN_LABELLED, SYN_TAGS, SYN_LABEL_ONLY };

/*
 * rank: among a field's columns, the lower wins (SYNONYMS_RANK_* in
 * synonyms.h); group: how many bytes of the key name the column's group
 * (an address's "home", "mailing"), or -1 for the key up to its number
 * (Google's "address1").
 */
static const struct synonym {
	const char *key;
	signed char field;
	unsigned char role;
	signed char rank;
	signed char group;
} synonyms[] = {
/* clang-format off */
#define F(key, field) {key, field, SYN_FIELD, SYNONYMS_RANK_PLAIN, 0}
#define R(key, field, rank) {key, field, SYN_FIELD, rank, 0}
#define A(key, field, rank, group) {key, field, SYN_FIELD, rank, group}
	/* id: adviser sheets, HubSpot "Record ID", Salesforce "Id". */
	F("id", CANON_ID), F("clientid", CANON_ID), F("customerid", CANON_ID),
	F("contactid", CANON_ID), F("recordid", CANON_ID), F("clientnumber", CANON_ID),
	F("clientno", CANON_ID), F("customernumber", CANON_ID), F("externalid", CANON_ID),
	F("accountnumber", CANON_ID),

	/* name: the display name. */
	F("name", CANON_NAME), F("fullname", CANON_NAME), F("clientname", CANON_NAME),
	F("contactname", CANON_NAME), F("displayname", CANON_NAME), F("customername", CANON_NAME),
	F("client", CANON_NAME), F("contact", CANON_NAME), F("fn", CANON_NAME),
	F("nomecompleto", CANON_NAME), F("nome", CANON_NAME), F("nombrecompleto", CANON_NAME),
	F("nomcomplet", CANON_NAME),

	F("firstname", CANON_FIRST_NAME), F("givenname", CANON_FIRST_NAME),
	F("first", CANON_FIRST_NAME), F("forename", CANON_FIRST_NAME),
	F("primeironome", CANON_FIRST_NAME), F("vorname", CANON_FIRST_NAME),
	F("pr\xc3\xa9nom", CANON_FIRST_NAME), F("prenom", CANON_FIRST_NAME),

	F("lastname", CANON_LAST_NAME), F("familyname", CANON_LAST_NAME),
	F("surname", CANON_LAST_NAME), F("last", CANON_LAST_NAME), F("apelido", CANON_LAST_NAME),
	F("apelidos", CANON_LAST_NAME), F("apellido", CANON_LAST_NAME),
	F("apellidos", CANON_LAST_NAME), F("nachname", CANON_LAST_NAME),
	F("nomdefamille", CANON_LAST_NAME),

	/* email: Outlook "E-mail 2 Address", Google "E-mail 1 - Value". */
	F("email", CANON_EMAIL), F("emailaddress", CANON_EMAIL), F("email#address", CANON_EMAIL),
	F("email#value", CANON_EMAIL), F("email#", CANON_EMAIL), F("primaryemail", CANON_EMAIL),
	F("personalemail", CANON_EMAIL), F("workemail", CANON_EMAIL), F("mail", CANON_EMAIL),
	F("emails", CANON_EMAIL), F("correoelectronico", CANON_EMAIL),
	F("correoelectr\xc3\xb3nico", CANON_EMAIL), F("courriel", CANON_EMAIL),

	/*
	 * phone: a mobile first, then home (or a plain phone), then work, then
	 * other; fax and pager columns (Outlook "Business Fax", "Pager",
	 * Thunderbird "Fax Number") are no phone.  Google's "Phone 1 - Value"
	 * is ranked by its "Phone 1 - Label" in each row.
	 */
	F("phone", CANON_PHONE), F("phonenumber", CANON_PHONE), A("phone#value", CANON_PHONE, SYNONYMS_RANK_PLAIN, -1),
	F("phone#", CANON_PHONE), F("telephone", CANON_PHONE), F("tel", CANON_PHONE),
	R("mobile", CANON_PHONE, SYNONYMS_RANK_BEST), R("mobilephone", CANON_PHONE, SYNONYMS_RANK_BEST),
	R("mobilephonenumber", CANON_PHONE, SYNONYMS_RANK_BEST), R("mobilenumber", CANON_PHONE, SYNONYMS_RANK_BEST),
	R("cell", CANON_PHONE, SYNONYMS_RANK_BEST), R("cellphone", CANON_PHONE, SYNONYMS_RANK_BEST),
	R("primaryphone", CANON_PHONE, SYNONYMS_RANK_PLAIN), R("homephone", CANON_PHONE, SYNONYMS_RANK_PLAIN),
	R("homephone#", CANON_PHONE, SYNONYMS_RANK_PLAIN), R("personalphone", CANON_PHONE, SYNONYMS_RANK_PLAIN),
	R("businessphone", CANON_PHONE, SYNONYMS_RANK_WORK), R("businessphone#", CANON_PHONE, SYNONYMS_RANK_WORK),
	R("workphone", CANON_PHONE, SYNONYMS_RANK_WORK), R("companymainphone", CANON_PHONE, SYNONYMS_RANK_OTHER),
	R("otherphone", CANON_PHONE, SYNONYMS_RANK_OTHER), F("mainphone", CANON_PHONE),
	F("telefone", CANON_PHONE), R("telem\xc3\xb3vel", CANON_PHONE, SYNONYMS_RANK_BEST),
	R("telemovel", CANON_PHONE, SYNONYMS_RANK_BEST),
	F("tel\xc3\xa9\x66ono", CANON_PHONE), F("telefono", CANON_PHONE),
	F("t\xc3\xa9l\xc3\xa9phone", CANON_PHONE), F("telefon", CANON_PHONE),
	R("handy", CANON_PHONE, SYNONYMS_RANK_BEST),

	/* company: Google "Organization Name" / legacy "Organization 1 - Name". */
	F("company", CANON_COMPANY), F("companyname", CANON_COMPANY),
	F("organization", CANON_COMPANY), F("organisation", CANON_COMPANY),
	F("organizationname", CANON_COMPANY), F("organization#name", CANON_COMPANY),
	F("org", CANON_COMPANY), F("employer", CANON_COMPANY), F("accountname", CANON_COMPANY),
	F("associatedcompany", CANON_COMPANY), F("business", CANON_COMPANY),
	F("empresa", CANON_COMPANY), F("firma", CANON_COMPANY),
	F("soci\xc3\xa9t\xc3\xa9", CANON_COMPANY), F("entreprise", CANON_COMPANY),

	/*
	 * The postal address, in groups: the mailing or home address before a
	 * plain one, then work, then other (RANK), each part from the group
	 * chosen for the row (import_row.c).  Outlook "Home Street", Salesforce
	 * "MailingStreet", Google "Address 1 - Street", Thunderbird "Home
	 * Address", HubSpot "Street Address".
	 */
#define ADDRESS(prefix, n, rank) \
	A(prefix "street", CANON_STREET, rank, n), A(prefix "address", CANON_STREET, rank, n), \
	A(prefix "city", CANON_CITY, rank, n), A(prefix "state", CANON_REGION, rank, n), \
	A(prefix "province", CANON_REGION, rank, n), A(prefix "postalcode", CANON_POSTCODE, rank, n), \
	A(prefix "zipcode", CANON_POSTCODE, rank, n), A(prefix "zip", CANON_POSTCODE, rank, n), \
	A(prefix "postcode", CANON_POSTCODE, rank, n), A(prefix "country", CANON_COUNTRY, rank, n), \
	A(prefix "countryregion", CANON_COUNTRY, rank, n), \
	A(prefix "stateprovince", CANON_REGION, rank, n), \
	A(prefix "zippostalcode", CANON_POSTCODE, rank, n)
	ADDRESS("mailing", 7, SYNONYMS_RANK_BEST), ADDRESS("home", 4, SYNONYMS_RANK_BEST),
	ADDRESS("business", 8, SYNONYMS_RANK_WORK), ADDRESS("work", 4, SYNONYMS_RANK_WORK),
	ADDRESS("other", 5, SYNONYMS_RANK_OTHER), ADDRESS("address#", -1, SYNONYMS_RANK_PLAIN),
#undef ADDRESS
	A("address#region", CANON_REGION, SYNONYMS_RANK_PLAIN, -1),
	F("street", CANON_STREET), F("streetaddress", CANON_STREET), F("address", CANON_STREET),
	F("addressline1", CANON_STREET), F("address1", CANON_STREET),
	F("city", CANON_CITY), F("town", CANON_CITY),
	F("cidade", CANON_CITY), F("localidade", CANON_CITY),
	F("ciudad", CANON_CITY), F("ville", CANON_CITY), F("stadt", CANON_CITY),
	F("ort", CANON_CITY),
	F("postcode", CANON_POSTCODE), F("postalcode", CANON_POSTCODE), F("zip", CANON_POSTCODE),
	F("zipcode", CANON_POSTCODE), F("codigopostal", CANON_POSTCODE), F("plz", CANON_POSTCODE),
	F("zippostalcode", CANON_POSTCODE),
	F("region", CANON_REGION), F("state", CANON_REGION), F("stateregion", CANON_REGION),
	F("province", CANON_REGION), F("stateprovince", CANON_REGION),
	F("country", CANON_COUNTRY), F("countryregion", CANON_COUNTRY), F("pais", CANON_COUNTRY),
	F("pa\xc3\xads", CANON_COUNTRY), F("pays", CANON_COUNTRY),

	/* household: a "Household ID" is the household's, never the client's id. */
	F("household", CANON_HOUSEHOLD), F("householdid", CANON_HOUSEHOLD),
	F("spouse", CANON_SPOUSE), F("spousename", CANON_SPOUSE), F("partnername", CANON_SPOUSE),
	F("spousepartner", CANON_SPOUSE),
	/* As a label only (Google "Relation 1 - Label"): a "Partner" column may be a firm's. */
	{"partner", CANON_SPOUSE, SYN_LABEL_ONLY, 0, 0}, {"husband", CANON_SPOUSE, SYN_LABEL_ONLY, 0, 0},
	{"wife", CANON_SPOUSE, SYN_LABEL_ONLY, 0, 0}, {"domesticpartner", CANON_SPOUSE, SYN_LABEL_ONLY, 0, 0},

	/*
	 * consent: Salesforce DoNotCall, HasOptedOutOfEmail ("Email Opt Out";
	 * HasOptedOutOfFax is no refusal of mail), HubSpot "Unsubscribed from all
	 * email" and "Opted out of email: NAME" ('*': any rest).  Any of a
	 * field's columns saying yes is a refusal.
	 */
	F("donotcall", CANON_DO_NOT_CALL), F("donotphone", CANON_DO_NOT_CALL),
	F("nocalls", CANON_DO_NOT_CALL), F("donotemail", CANON_DO_NOT_EMAIL),
	F("hasoptedoutofemail", CANON_DO_NOT_EMAIL), F("emailoptout", CANON_DO_NOT_EMAIL),
	F("unsubscribedfromallemail", CANON_DO_NOT_EMAIL), F("optedoutofemail*", CANON_DO_NOT_EMAIL),
	F("donotmail", CANON_DO_NOT_MAIL), F("donotsendmail", CANON_DO_NOT_MAIL),
	F("mailoptout", CANON_DO_NOT_MAIL),

	/* kind: status words (HubSpot "Lifecycle Stage"). */
	F("kind", CANON_KIND), F("status", CANON_KIND), F("clientstatus", CANON_KIND),
	F("type", CANON_KIND), F("clienttype", CANON_KIND), F("contacttype", CANON_KIND),
	F("lifecyclestage", CANON_KIND), F("relationship", CANON_KIND), F("stage", CANON_KIND),
	F("tipo", CANON_KIND), F("estado", CANON_KIND),

	F("tier", CANON_TIER), F("segment", CANON_TIER), F("category", CANON_TIER),
	F("clienttier", CANON_TIER), F("clientsegment", CANON_TIER), F("grade", CANON_TIER),
	F("abc", CANON_TIER), F("abccategory", CANON_TIER), F("abcrating", CANON_TIER),
	F("servicelevel", CANON_TIER), F("level", CANON_TIER), F("class", CANON_TIER),
	F("classification", CANON_TIER), F("segmento", CANON_TIER), F("categoria", CANON_TIER),

	F("tierlocked", CANON_TIER_LOCKED), F("lockedtier", CANON_TIER_LOCKED),
	F("tierpinned", CANON_TIER_LOCKED), F("pinned", CANON_TIER_LOCKED),
	F("pintier", CANON_TIER_LOCKED),

	/* revenue: what the client brings in a year; adviser jargon included. */
	F("revenue", CANON_REVENUE), F("annualrevenue", CANON_REVENUE),
	F("annualfees", CANON_REVENUE), F("annualfee", CANON_REVENUE), F("fees", CANON_REVENUE),
	F("fee", CANON_REVENUE), F("yearlyrevenue", CANON_REVENUE),
	F("totalrevenue", CANON_REVENUE), F("commission", CANON_REVENUE),
	F("commissions", CANON_REVENUE), F("gdc", CANON_REVENUE), F("t12", CANON_REVENUE),
	F("t12revenue", CANON_REVENUE), F("trailing12", CANON_REVENUE),
	F("production", CANON_REVENUE), F("receita", CANON_REVENUE),
	F("receitaanual", CANON_REVENUE), F("honor\xc3\xa1rios", CANON_REVENUE),
	F("honorarios", CANON_REVENUE), F("umsatz", CANON_REVENUE), F("ingresos", CANON_REVENUE),

	F("assets", CANON_ASSETS), F("aum", CANON_ASSETS), F("assetsundermanagement", CANON_ASSETS),
	F("totalassets", CANON_ASSETS), F("investableassets", CANON_ASSETS),
	F("portfolio", CANON_ASSETS), F("portfoliovalue", CANON_ASSETS),
	F("accountvalue", CANON_ASSETS), F("contractvalue", CANON_ASSETS),
	F("householdassets", CANON_ASSETS), F("patrim\xc3\xb3nio", CANON_ASSETS),
	F("patrimonio", CANON_ASSETS), F("patrim\xc3\xb4nio", CANON_ASSETS),

	F("referrals", CANON_REFERRALS), F("numberreferrals", CANON_REFERRALS),
	F("numberofreferrals", CANON_REFERRALS), F("referralcount", CANON_REFERRALS),
	F("referralsgiven", CANON_REFERRALS), F("referralssent", CANON_REFERRALS),
	F("referralsnumber", CANON_REFERRALS),

	F("coi", CANON_COI), F("centerofinfluence", CANON_COI), F("centreofinfluence", CANON_COI),
	F("iscoi", CANON_COI), F("influencer", CANON_COI),

	F("hours", CANON_HOURS), F("hoursperyear", CANON_HOURS), F("hoursyear", CANON_HOURS),
	F("annualhours", CANON_HOURS), F("timespent", CANON_HOURS), F("servicehours", CANON_HOURS),

	/* owner: who serves the client; HubSpot "Contact owner", Salesforce OwnerId. */
	F("owner", CANON_OWNER), F("advisor", CANON_OWNER), F("adviser", CANON_OWNER),
	F("assignedto", CANON_OWNER), R("contactowner", CANON_OWNER, SYNONYMS_RANK_BEST),
	R("ownerid", CANON_OWNER, SYNONYMS_RANK_OTHER), R("ownername", CANON_OWNER, SYNONYMS_RANK_BEST),
	R("owneralias", CANON_OWNER, SYNONYMS_RANK_WORK), R("ownerfullname", CANON_OWNER, SYNONYMS_RANK_BEST), F("accountowner", CANON_OWNER), F("rep", CANON_OWNER),
	F("salesrep", CANON_OWNER), F("agent", CANON_OWNER), F("relationshipmanager", CANON_OWNER),
	F("servicedby", CANON_OWNER), F("leadadvisor", CANON_OWNER),
	F("primaryadvisor", CANON_OWNER), F("planner", CANON_OWNER),
	F("respons\xc3\xa1vel", CANON_OWNER), F("responsavel", CANON_OWNER),
	F("gestor", CANON_OWNER), F("berater", CANON_OWNER),

	F("since", CANON_SINCE), F("clientsince", CANON_SINCE), F("customersince", CANON_SINCE),
	F("createdate", CANON_SINCE), F("createddate", CANON_SINCE), F("datecreated", CANON_SINCE),
	F("becameacustomerdate", CANON_SINCE), F("startdate", CANON_SINCE),
	F("onboarded", CANON_SINCE), F("onboardingdate", CANON_SINCE), F("dateadded", CANON_SINCE),
	F("clientedesde", CANON_SINCE), F("clientdepuis", CANON_SINCE), F("kundeseit", CANON_SINCE),

	F("lastcontact", CANON_LAST_CONTACT), F("lastcontacted", CANON_LAST_CONTACT),
	F("lastcontactdate", CANON_LAST_CONTACT), F("lastcontacteddate", CANON_LAST_CONTACT),
	F("lastactivitydate", CANON_LAST_CONTACT), F("lastactivity", CANON_LAST_CONTACT),
	F("lastengagementdate", CANON_LAST_CONTACT), F("lastmeeting", CANON_LAST_CONTACT),
	F("lastreview", CANON_LAST_CONTACT), F("lasttouch", CANON_LAST_CONTACT),
	F("ultimocontacto", CANON_LAST_CONTACT), F("\xc3\xbaltimocontacto", CANON_LAST_CONTACT),

	F("birthday", CANON_BIRTHDAY), F("birthdate", CANON_BIRTHDAY), F("dob", CANON_BIRTHDAY),
	F("dateofbirth", CANON_BIRTHDAY), F("born", CANON_BIRTHDAY), F("bday", CANON_BIRTHDAY),
	F("datadenascimento", CANON_BIRTHDAY), F("nascimento", CANON_BIRTHDAY),
	F("fechadenacimiento", CANON_BIRTHDAY), F("datedenaissance", CANON_BIRTHDAY),
	F("geburtstag", CANON_BIRTHDAY), F("geburtsdatum", CANON_BIRTHDAY),

	F("anniversary", CANON_ANNIVERSARY), F("weddinganniversary", CANON_ANNIVERSARY),
	F("weddingdate", CANON_ANNIVERSARY), F("marriagedate", CANON_ANNIVERSARY),
	F("anniversarydate", CANON_ANNIVERSARY),

	F("homepurchase", CANON_HOME_PURCHASE), F("homepurchasedate", CANON_HOME_PURCHASE),
	F("housepurchase", CANON_HOME_PURCHASE), F("boughthome", CANON_HOME_PURCHASE),
	F("closingdate", CANON_HOME_PURCHASE), F("homeclosingdate", CANON_HOME_PURCHASE),
	F("moveindate", CANON_HOME_PURCHASE),

	F("childbirth", CANON_CHILD_BIRTH), F("childbirthdate", CANON_CHILD_BIRTH),
	F("babybirth", CANON_CHILD_BIRTH), F("babyborn", CANON_CHILD_BIRTH),
	F("babyduedate", CANON_CHILD_BIRTH), F("newbaby", CANON_CHILD_BIRTH),

	F("notes", CANON_NOTES), F("note", CANON_NOTES), F("comments", CANON_NOTES),
	F("comment", CANON_NOTES), F("description", CANON_NOTES), F("remarks", CANON_NOTES),
	F("memo", CANON_NOTES), F("notas", CANON_NOTES),
	F("observa\xc3\xa7\xc3\xb5\x65s", CANON_NOTES), F("observacoes", CANON_NOTES),
	F("notizen", CANON_NOTES), F("bemerkungen", CANON_NOTES), F("remarques", CANON_NOTES),

	F("score", CANON_SCORE), F("leadscore", CANON_SCORE), F("hubspotscore", CANON_SCORE),
#undef F
#undef R
#undef A
	/* Google's label/value pairs: the label names the field of the value. */
	{"event#label", -1, SYN_PAIR_LABEL, 0, 0}, {"event#type", -1, SYN_PAIR_LABEL, 0, 0},
	{"event#value", -1, SYN_PAIR_VALUE, 0, 0}, {"customfield#label", -1, SYN_PAIR_LABEL, 0, 0},
	{"customfield#type", -1, SYN_PAIR_LABEL, 0, 0}, {"customfield#value", -1, SYN_PAIR_VALUE, 0, 0},
	{"relation#label", -1, SYN_PAIR_LABEL, 0, 0}, {"relation#type", -1, SYN_PAIR_LABEL, 0, 0},
	{"relation#value", -1, SYN_PAIR_VALUE, 0, 0},
	{"otherdates", -1, SYN_LABELLED, 0, 0}, {"labels", -1, SYN_TAGS, 0, 0},
	{"groupmembership", -1, SYN_TAGS, 0, 0}, {"categories", -1, SYN_TAGS, 0, 0}, {"tags", -1, SYN_TAGS, 0, 0},
    /* clang-format on */
};

size_t
synonyms_header_key(const char *s, size_t len, char key[SYNONYMS_KEY_MAX])
{
	size_t n = 0;
	for (size_t i = 0; i < len && n < SYNONYMS_KEY_MAX - 1; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '#') {
			const char *word = "number";
			for (; *word && n < SYNONYMS_KEY_MAX - 1; word++)
				key[n++] = *word;
		} else if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c >= 0x80) {
			key[n++] = (char)c;
		} else if (c >= 'A' && c <= 'Z') {
			key[n++] = (char)ascii_lower(c);
		}
	}
	key[n] = '\0';
	return n;
}

/*
 * Match key against pattern, where '#' in the pattern is a run of digits.
 * On a match, *digits_end (if not NULL) gets the length of the key up to the
 * end of the first digit run (the pair's identity: "event1").
 */
static bool
key_matches(const char *pattern, const char *key, size_t *digits_end)
{
	const char *k = key;
	for (const char *p = pattern; *p; p++) {
		if (*p == '#') {
			if (!(*k >= '0' && *k <= '9'))
				return false;
			while (*k >= '0' && *k <= '9')
				k++;
			if (digits_end && *digits_end == 0)
				*digits_end = (size_t)(k - key);
		} else if (*p == '*') {
			return true;
		} else if (*k++ != *p) {
			return false;
		}
	}
	return *k == '\0';
}

/* The first entry key matches; label_only entries only when labels is true. */
static const struct synonym *
find_synonym(const char *key, size_t *digits_end, bool labels)
{
	for (size_t i = 0; i < sizeof synonyms / sizeof synonyms[0]; i++) {
		size_t end = 0;
		if (synonyms[i].role == SYN_LABEL_ONLY && !labels)
			continue;
		if (key_matches(synonyms[i].key, key, &end)) {
			if (digits_end)
				*digits_end = end;
			return &synonyms[i];
		}
	}
	return NULL;
}

enum header_role
synonyms_match_header(const char *name, struct header_meaning *m)
{
	char key[SYNONYMS_KEY_MAX];
	synonyms_header_key(name, strlen(name), key);
	memset(m, 0, sizeof *m);
	m->field = -1;
	size_t end = 0;
	const struct synonym *syn = find_synonym(key, &end, false);
	if (!syn)
		return m->role = HEADER_UNKNOWN;
	switch (syn->role) {
	case SYN_FIELD:
		m->role = HEADER_FIELD;
		m->field = syn->field;
		m->rank = syn->rank;
		if (syn->group != 0) {
			size_t n = syn->group < 0 ? end : (size_t)syn->group;
			memcpy(m->group, key, n);
			m->group[n] = '\0';
		}
		break;
	case SYN_PAIR_LABEL:
	case SYN_PAIR_VALUE:
		m->role = syn->role == SYN_PAIR_LABEL ? HEADER_PAIR_LABEL : HEADER_PAIR_VALUE;
		memcpy(m->pair, key, end);
		m->pair[end] = '\0';
		break;
	case SYN_LABELLED:
		m->role = HEADER_LABELLED;
		break;
	default:
		m->role = HEADER_TAGS;
		break;
	}
	return m->role;
}

int
synonyms_match_label(const char *label, size_t len)
{
	char key[SYNONYMS_KEY_MAX];
	if (synonyms_header_key(label, len, key) == 0)
		return -1;
	const struct synonym *syn = find_synonym(key, NULL, true);
	return syn && (syn->role == SYN_FIELD || syn->role == SYN_LABEL_ONLY) ? syn->field : -1;
}

/* Whether word is in key (a header key: lower-case letters and digits). */
static bool
key_has(const char *key, const char *word)
{
	return strstr(key, word) != NULL;
}

int
synonyms_label_rank(const char *label, size_t len, bool home_best)
{
	char key[SYNONYMS_KEY_MAX];
	synonyms_header_key(label, len, key);
	if (key_has(key, "fax") || key_has(key, "pager") || key_has(key, "beeper"))
		return SYNONYMS_RANK_NONE;
	if (key_has(key, "mobile") || key_has(key, "cell") || key_has(key, "iphone"))
		return SYNONYMS_RANK_BEST;
	if (key_has(key, "home") || key_has(key, "mailing"))
		return home_best ? SYNONYMS_RANK_BEST : SYNONYMS_RANK_PLAIN;
	if (key_has(key, "work") || key_has(key, "business") || key_has(key, "office"))
		return SYNONYMS_RANK_WORK;
	if (key_has(key, "other"))
		return SYNONYMS_RANK_OTHER;
	return SYNONYMS_RANK_PLAIN;
}

/* The families of split dates: "Birth Year", "Birthday Month", "DOB Day"... */
static const struct {
	const char *family;
	signed char field;
} date_families[] = {
    {"birth", CANON_BIRTHDAY},         {"birthday", CANON_BIRTHDAY},
    {"birthdate", CANON_BIRTHDAY},     {"dob", CANON_BIRTHDAY},
    {"dateofbirth", CANON_BIRTHDAY},   {"bday", CANON_BIRTHDAY},
    {"anniversary", CANON_ANNIVERSARY}, {"weddinganniversary", CANON_ANNIVERSARY},
    {"wedding", CANON_ANNIVERSARY},
};

bool
synonyms_date_part(const char *key, int *field, char *part, char family[SYNONYMS_KEY_MAX])
{
	static const char *const parts[] = {"year", "month", "day"};
	size_t n = strlen(key);
	for (size_t p = 0; p < 3; p++) {
		size_t m = strlen(parts[p]);
		if (n <= m || strcmp(key + n - m, parts[p]) != 0)
			continue;
		for (size_t i = 0; i < sizeof date_families / sizeof date_families[0]; i++)
			if (strlen(date_families[i].family) == n - m &&
			    memcmp(key, date_families[i].family, n - m) == 0) {
				*field = date_families[i].field;
				*part = parts[p][0];
				memcpy(family, key, n - m);
				family[n - m] = '\0';
				return true;
			}
	}
	return false;
}
