/*
 * report.c - the book at a glance: the aggregation behind cs-report.
 *
 * Two decisions shape this module.
 *
 * Sums and counts only.  Every figure the report shows is a ratio of sums
 * and counts computed at the end, so the state after a stream is a small
 * set of integers that adds up across machines: a book split in parts,
 * reported part by part with --partial and merged, gives the same integers
 * as the whole book and therefore the same report, byte for byte.  Amounts
 * (revenue, assets, hours) are parsed from their decimal text into integers
 * in 1/10,000 units rather than summed as doubles, because floating-point
 * addition depends on its order and the parts are added in another order
 * than the whole.  Planned time is kept as a count per (tier, touch) of the
 * clients the touch applies to and multiplied by the model's rate at the
 * end, for the same reason.
 *
 * Nothing per record is kept.  What grows is keyed by distinct values: tier
 * names the model lacks, owners, the group-by field's values (each a small
 * interning hash map); the one list of records is the ten most overdue
 * clients of the top tier, a fixed array kept in order, which merges by
 * keeping the ten best of the union under a total order (days overdue, then
 * id, name, touch), so ties break the same way in every split.
 *
 * The partials live in report_partial.c, the figures each section shows in
 * report_view.c, and the output in report_render.c and report_json.c.
 */
#include "report.h"

#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cadence.h"
#include "fields.h"
#include "html.h"
#include "report_int.h"
#include "report_render.h"
#include "table.h"

/* ---- a string interning map -------------------------------------------- */

static uint64_t
hash_bytes(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3u;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdu;
	h ^= h >> 33;
	return h;
}

static long
strmap_find(const struct strmap *m, const char *s, size_t len)
{
	if (!m->nslots)
		return -1;
	size_t mask = m->nslots - 1;
	for (size_t i = (size_t)hash_bytes(s, len) & mask;; i = (i + 1) & mask) {
		size_t v = m->slots[i];
		if (!v)
			return -1;
		if (m->lens[v - 1] == len && memcmp(m->names[v - 1], s, len) == 0)
			return (long)(v - 1);
	}
}

static void
strmap_place(struct strmap *m, size_t index)
{
	size_t mask = m->nslots - 1;
	size_t i = (size_t)hash_bytes(m->names[index], m->lens[index]) & mask;
	while (m->slots[i])
		i = (i + 1) & mask;
	m->slots[i] = index + 1;
}

size_t
strmap_intern(struct strmap *m, const char *s, size_t len)
{
	long found = strmap_find(m, s, len);
	if (found >= 0)
		return (size_t)found;
	if ((m->n + 1) * 2 > m->nslots) {
		free(m->slots);
		m->nslots = m->nslots ? m->nslots * 2 : 16;
		m->slots = xcalloc(m->nslots, sizeof *m->slots);
		for (size_t i = 0; i < m->n; i++)
			strmap_place(m, i);
	}
	m->names = xgrow(m->names, &m->cap, m->n + 1, sizeof *m->names);
	m->lens = xgrow(m->lens, &m->capl, m->n + 1, sizeof *m->lens);
	m->names[m->n] = xstrndup(s, len);
	m->lens[m->n] = len;
	strmap_place(m, m->n);
	return m->n++;
}

size_t
strmap_add(struct strmap *m, const char *s)
{
	return strmap_intern(m, s, strlen(s));
}

void
strmap_free(struct strmap *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->names[i]);
	free(m->names);
	free(m->lens);
	free(m->slots);
}

struct named {
	const char *name;
	size_t index;
};

/* By name, bytewise; the empty name last. */
static int
named_cmp(const void *pa, const void *pb)
{
	const struct named *a = pa, *b = pb;
	if (!*a->name != !*b->name)
		return *a->name ? -1 : 1;
	return strcmp(a->name, b->name);
}

size_t *
strmap_sorted(const struct strmap *m)
{
	struct named *v = xcalloc(m->n + 1, sizeof *v);
	for (size_t i = 0; i < m->n; i++)
		v[i] = (struct named){m->names[i], i};
	qsort(v, m->n, sizeof *v, named_cmp);
	size_t *idx = xcalloc(m->n + 1, sizeof *idx);
	for (size_t i = 0; i < m->n; i++)
		idx[i] = v[i].index;
	free(v);
	return idx;
}

/* ---- counters ---------------------------------------------------------- */

long long
sat_add(long long a, long long b)
{
	if (b > 0 && a > LLONG_MAX - b)
		return LLONG_MAX;
	if (b < 0 && a < LLONG_MIN - b)
		return LLONG_MIN;
	return a + b;
}

static const struct {
	const char *name;
	size_t off;
} count_fields[] = {
    {"records", offsetof(struct counts, records)},
    {"clients", offsetof(struct counts, clients)},
    {"prospects", offsetof(struct counts, prospects)},
    {"revenue", offsetof(struct counts, revenue)},
    {"revenue_n", offsetof(struct counts, revenue_n)},
    {"assets", offsetof(struct counts, assets)},
    {"assets_n", offsetof(struct counts, assets_n)},
    {"hours", offsetof(struct counts, hours)},
    {"hours_n", offsetof(struct counts, hours_n)},
    {"referrals", offsetof(struct counts, referrals)},
    {"coi", offsetof(struct counts, coi)},
    {"on_schedule", offsetof(struct counts, on_schedule)},
    {"never_contacted", offsetof(struct counts, never_contacted)},
    {"due_30", offsetof(struct counts, due)},
    {"overdue", offsetof(struct counts, overdue)},
};
_Static_assert(sizeof count_fields / sizeof *count_fields == NCOUNT_FIELDS,
               "NCOUNT_FIELDS counts the fields of struct counts");

const char *
count_name(size_t i)
{
	return count_fields[i].name;
}

long long *
count_field(struct counts *c, size_t i)
{
	return (long long *)((char *)c + count_fields[i].off);
}

void
counts_add(struct counts *to, const struct counts *from)
{
	for (size_t i = 0; i < NCOUNT_FIELDS; i++)
		*count_field(to, i) =
		    sat_add(*count_field(to, i), *count_field((struct counts *)from, i));
}

struct counts *
counts_at(struct counts_vec *cv, size_t i)
{
	if (i >= cv->cap) {
		size_t old = cv->cap;
		cv->v = xgrow(cv->v, &cv->cap, i + 1, sizeof *cv->v);
		memset(cv->v + old, 0, (cv->cap - old) * sizeof *cv->v);
	}
	return &cv->v[i];
}

struct counts
counts_get(const struct counts_vec *cv, size_t i)
{
	return i < cv->cap ? cv->v[i] : (struct counts){0};
}

long long *
ll_at(struct ll_vec *lv, size_t i)
{
	if (i >= lv->cap) {
		size_t old = lv->cap;
		lv->v = xgrow(lv->v, &lv->cap, i + 1, sizeof *lv->v);
		memset(lv->v + old, 0, (lv->cap - old) * sizeof *lv->v);
	}
	return &lv->v[i];
}

long long
ll_get(const struct ll_vec *lv, size_t i)
{
	return i < lv->cap ? lv->v[i] : 0;
}

/* ---- the report --------------------------------------------------------- */

const char *const missing_names[NMISSING] = {"email", "phone", "birthday", "owner", "tier"};

static const char *const column_names[NCOLUMNS - 1] = {
    "id",        "name", "kind",  "tier",  "owner", "revenue",  "assets",
    "referrals", "coi",  "hours", "email", "phone", "birthday", "last_contact",
};

int
report_format_parse(const char *name)
{
	if (strcmp(name, "text") == 0)
		return REPORT_TEXT;
	if (strcmp(name, "markdown") == 0 || strcmp(name, "md") == 0)
		return REPORT_MARKDOWN;
	if (strcmp(name, "json") == 0)
		return REPORT_JSON;
	if (strcmp(name, "html") == 0)
		return REPORT_HTML;
	return -1;
}

static struct report *
report_alloc(struct model *m)
{
	struct report *r = xcalloc(1, sizeof *r);
	r->m = m;
	r->touch_first = xcalloc(m->ntiers + 1, sizeof *r->touch_first);
	for (size_t i = 0; i < m->ntiers; i++) {
		r->touch_first[i] = r->ntouches;
		r->ntouches += m->tiers[i].ntouches;
		strmap_add(&r->tiers, m->tiers[i].name);
	}
	r->touch = xcalloc(r->ntouches + 1, sizeof *r->touch);
	r->touch_member = xcalloc(r->ntouches + 1, sizeof *r->touch_member);
	for (size_t i = 0, f = 0; i < m->ntiers; i++)
		for (size_t j = 0; j < m->tiers[i].ntouches; j++, f++) {
			r->touch[f] = &m->tiers[i].touches[j];
			r->touch_member[f] = -1;
		}
	/* A model may (oddly) name a tier ""; then it is the no-tier key too. */
	r->none_key = strmap_add(&r->tiers, "");
	r->removal = xcalloc(m->nremoval + 1, sizeof *r->removal);
	for (size_t c = 0; c < NCOLUMNS; c++)
		r->col[c] = -1;
	return r;
}

void
report_settle(struct report *r, const char *by, struct date today)
{
	r->by = by ? xstrdup(by) : NULL;
	r->today = today;
	r->env.today = today;
	r->window = cadence_window(today, (struct duration){WINDOW_DAYS, DUR_DAYS});
	r->settled = true;
}

struct report *
report_new(struct model *m, const char *by, struct date today)
{
	struct report *r = report_alloc(m);
	report_settle(r, by, today);
	return r;
}

struct report *
report_new_merge(struct model *m)
{
	return report_alloc(m);
}

static void
overdue_free(struct report_overdue *o)
{
	free(o->id);
	free(o->name);
	free(o->owner);
	free(o->touch);
}

void
report_free(struct report *r)
{
	if (!r)
		return;
	free(r->by);
	free(r->touch_first);
	free(r->touch);
	free(r->touch_member);
	strmap_free(&r->tiers);
	free(r->all.v);
	free(r->planned.v);
	for (size_t i = 0; i < r->groups.n; i++)
		free(r->group[i].v);
	free(r->group);
	strmap_free(&r->groups);
	for (size_t i = 0; i < r->members.n; i++) {
		free(r->member[i].clients.v);
		free(r->member[i].touches.v);
	}
	free(r->member);
	strmap_free(&r->members);
	for (size_t i = 0; i < r->ntop; i++)
		overdue_free(&r->top[i]);
	free(r->removal);
	strmap_free(&r->bad);
	free(r->bad_n.v);
	cadence_free(r->cadence);
	free(r->items);
	free(r);
}

long long
report_records(const struct report *r)
{
	long long n = 0;
	for (size_t k = 0; k < r->tiers.n; k++)
		n = sat_add(n, counts_get(&r->all, k).records);
	return n;
}

/* ---- keys --------------------------------------------------------------- */

size_t
report_group(struct report *r, const char *s, size_t len)
{
	size_t g = strmap_intern(&r->groups, s, len);
	if (g >= r->capgroup) {
		size_t old = r->capgroup;
		r->group = xgrow(r->group, &r->capgroup, g + 1, sizeof *r->group);
		memset(r->group + old, 0, (r->capgroup - old) * sizeof *r->group);
	}
	return g;
}

size_t
report_member(struct report *r, const char *s, size_t len)
{
	size_t i = strmap_intern(&r->members, s, len);
	if (i >= r->capmember) {
		size_t old = r->capmember;
		r->member = xgrow(r->member, &r->capmember, i + 1, sizeof *r->member);
		memset(r->member + old, 0, (r->capmember - old) * sizeof *r->member);
	}
	return i;
}

size_t
report_tier_key(struct report *r, const char *s, size_t len)
{
	if (!len)
		return r->none_key;
	for (size_t i = 0; i < r->m->ntiers; i++)
		if (r->tiers.lens[i] == len && memcmp(r->tiers.names[i], s, len) == 0)
			return i;
	return strmap_intern(&r->tiers, s, len);
}

void
report_bad_value(struct report *r, const char *field)
{
	long long *n = ll_at(&r->bad_n, strmap_add(&r->bad, field));
	*n = sat_add(*n, 1);
}

/* Total order of the most overdue list: more days first, then id, name, touch. */
static int
overdue_cmp(const struct report_overdue *a, const struct report_overdue *b)
{
	if (a->days != b->days)
		return a->days > b->days ? -1 : 1;
	int c = strcmp(a->id, b->id);
	if (!c)
		c = strcmp(a->name, b->name);
	if (!c)
		c = strcmp(a->touch, b->touch);
	return c;
}

void
report_top_offer(struct report *r, struct report_overdue *o)
{
	size_t at = r->ntop;
	while (at > 0 && overdue_cmp(o, &r->top[at - 1]) < 0)
		at--;
	if (at >= TOP) {
		overdue_free(o);
		return;
	}
	if (r->ntop == TOP)
		overdue_free(&r->top[--r->ntop]);
	memmove(&r->top[at + 1], &r->top[at], (r->ntop - at) * sizeof *r->top);
	r->top[at] = *o;
	r->ntop++;
}

/*
 * Could the record with id[0..len) and days overdue enter the list?  Decided
 * before its strings are copied: in a large book many clients tie with the
 * last entry, and the id settles most ties (a larger id loses).
 */
static bool
top_wants(const struct report *r, const char *id, size_t len, long days)
{
	if (r->ntop < TOP || days > r->top[TOP - 1].days)
		return true;
	if (days < r->top[TOP - 1].days)
		return false;
	const char *last = r->top[TOP - 1].id;
	size_t n = strlen(last);
	int c = memcmp(id, last, len < n ? len : n);
	return c < 0 || (c == 0 && len <= n);
}

/* ---- reading a record --------------------------------------------------- */

int
report_bind(struct report *r, const struct header *h, struct cs_error *err)
{
	for (size_t c = 0; c < NCOLUMNS - 1; c++)
		r->col[c] = header_find(h, column_names[c]);
	r->col[COL_BY] = r->by ? header_find(h, r->by) : -1;
	if (r->by && r->col[COL_BY] < 0)
		return cs_error_set(err, NULL, 0, "there is no column \"%s\" to group by", r->by);
	if (model_bind(r->m, h, MODEL_BIND_REMOVAL, err) < 0)
		return -1;
	cadence_free(r->cadence);
	r->cadence = cadence_new(r->m, h);
	free(r->items);
	r->items = xcalloc(cadence_max_items(r->cadence) + 1, sizeof *r->items);
	return 0;
}

/* Field col of rec without spaces and tabs around it; "" when the stream lacks it. */
static const char *
field(const struct report *r, const struct record *rec, enum column col, size_t *len)
{
	if (r->col[col] < 0) {
		*len = 0;
		return "";
	}
	const char *s = record_get(rec, (size_t)r->col[col], len);
	while (*len && (*s == ' ' || *s == '\t')) {
		s++;
		(*len)--;
	}
	while (*len && (s[*len - 1] == ' ' || s[*len - 1] == '\t'))
		(*len)--;
	return s;
}

/*
 * Read a plain decimal ("12500", "-3", "402.35") into 1/SCALE units,
 * rounding past the fourth decimal.  Returns 1, 0 for an empty value, -1
 * for anything else ("n/a", "1,200", "$5", more than 14 integer digits).
 */
static int
parse_amount(const char *s, size_t len, long long *out)
{
	if (!len)
		return 0;
	size_t i = 0;
	bool neg = s[0] == '-';
	if (neg)
		i++;
	long long whole = 0, frac = 0;
	size_t ndigits = 0, nfrac = 0;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		if (++ndigits > 14)
			return -1;
		whole = whole * 10 + (s[i] - '0');
	}
	bool round_up = false;
	if (i < len && s[i] == '.') {
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, nfrac++) {
			if (nfrac < 4)
				frac = frac * 10 + (s[i] - '0');
			else if (nfrac == 4)
				round_up = s[i] >= '5';
		}
	}
	if (i != len || ndigits + nfrac == 0)
		return -1;
	for (size_t k = nfrac; k < 4; k++)
		frac *= 10;
	long long v = whole * SCALE + frac + round_up;
	*out = neg ? -v : v;
	return 1;
}

/* Read an amount field into *sum and *n; count it as bad when it does not read. */
static void
add_amount(struct report *r, const struct record *rec, enum column col, long long *sum,
           long long *n)
{
	size_t len;
	const char *s = field(r, rec, col, &len);
	long long v;
	int got = parse_amount(s, len, &v);
	if (got > 0) {
		*sum = v;
		*n = 1;
	} else if (got < 0) {
		report_bad_value(r, column_names[col]);
	}
}

static bool
equal_nocase(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word);
	if (n != len)
		return false;
	for (size_t i = 0; i < n; i++)
		if (ascii_lower((unsigned char)s[i]) != word[i])
			return false;
	return true;
}

static char *
dup_field(const struct report *r, const struct record *rec, enum column col)
{
	size_t len;
	const char *s = field(r, rec, col, &len);
	return xstrndup(s, len);
}

/* Offer rec to the most overdue list, with worst its most overdue touch. */
static void
offer_overdue(struct report *r, const struct record *rec, const struct cadence_item *worst)
{
	size_t idlen;
	const char *id = field(r, rec, COL_ID, &idlen);
	if (!top_wants(r, id, idlen, worst->overdue_days))
		return;
	struct report_overdue o = {
	    .id = dup_field(r, rec, COL_ID),
	    .name = dup_field(r, rec, COL_NAME),
	    .owner = dup_field(r, rec, COL_OWNER),
	    .touch = xstrdup(worst->touch->name),
	    .due = worst->due,
	    .days = worst->overdue_days,
	};
	report_top_offer(r, &o);
}

/* The cadence part of a record: planned touches, due and overdue, adherence, the top list. */
static void
follow(struct report *r, const struct record *rec, const struct touchlog *log, size_t key,
       size_t owner)
{
	struct cadence_client info;
	size_t n = cadence_record(r->cadence, rec, log, r->today, r->items, &info);
	if (info.bad_field)
		report_bad_value(r, info.bad_field);
	if (info.status != CADENCE_OK)
		return;
	size_t ti = (size_t)(info.tier - r->m->tiers);
	bool on_schedule = true;
	const struct cadence_item *worst = NULL;
	long long due = 0, overdue = 0;
	for (size_t i = 0; i < n; i++) {
		const struct cadence_item *it = &r->items[i];
		size_t f = r->touch_first[ti] + (size_t)(it->touch - info.tier->touches);
		size_t who = owner;
		if (it->touch->by) {
			if (r->touch_member[f] < 0)
				r->touch_member[f] =
				    (long)report_member(r, it->touch->by, strlen(it->touch->by));
			who = (size_t)r->touch_member[f];
		}
		struct member *mb = &r->member[who];
		(*ll_at(&r->planned, f))++;
		(*ll_at(&mb->touches, f))++;
		if (it->touch->kind == TOUCH_EVERY && cadence_missed(it))
			on_schedule = false;
		if (!cadence_listed(it, &r->window))
			continue;
		if (it->overdue_days > 0) {
			overdue++;
			mb->overdue++;
			if (!worst || it->overdue_days > worst->overdue_days)
				worst = it;
		} else {
			due++;
			mb->due++;
		}
	}
	struct counts *tier = counts_at(&r->all, key);
	tier->on_schedule += on_schedule;
	tier->due += due;
	tier->overdue += overdue;
	if (key == 0 && worst)
		offer_overdue(r, rec, worst);
}

/* The counts of rec for the tiers section: kind, amounts, referrals, COI. */
static struct counts
record_counts(struct report *r, const struct record *rec, bool *prospect)
{
	size_t len;
	struct counts one = {.records = 1};
	const char *s = field(r, rec, COL_KIND, &len);
	*prospect = len && equal_nocase(s, len, "prospect");
	if (len && !*prospect && !equal_nocase(s, len, "client"))
		report_bad_value(r, "kind");
	one.prospects = *prospect;
	one.clients = !*prospect;
	add_amount(r, rec, COL_REVENUE, &one.revenue, &one.revenue_n);
	add_amount(r, rec, COL_ASSETS, &one.assets, &one.assets_n);
	add_amount(r, rec, COL_HOURS, &one.hours, &one.hours_n);
	s = field(r, rec, COL_REFERRALS, &len);
	long long referrals;
	int got = parse_amount(s, len, &referrals);
	if (got > 0 && referrals % SCALE == 0 && referrals >= 0)
		one.referrals = referrals / SCALE;
	else if (got)
		report_bad_value(r, "referrals");
	field(r, rec, COL_COI, &len);
	if (len) {
		int b = fields_parse_bool(record_get(rec, (size_t)r->col[COL_COI], NULL));
		if (b < 0)
			report_bad_value(r, "coi");
		else
			one.coi = b;
	}
	return one;
}

void
report_add(struct report *r, const struct record *rec, const struct touchlog *log)
{
	size_t len;
	const char *s = field(r, rec, COL_TIER, &len);
	size_t key = report_tier_key(r, s, len);
	bool has_tier = len > 0, prospect;

	struct counts one = record_counts(r, rec, &prospect);
	counts_add(counts_at(&r->all, key), &one);
	if (r->by) {
		s = field(r, rec, COL_BY, &len);
		size_t g = report_group(r, s, len);
		counts_add(counts_at(&r->group[g], key), &one);
	}

	static const enum column missing_cols[NMISSING] = {COL_EMAIL, COL_PHONE, COL_BIRTHDAY,
	                                                   COL_OWNER, COL_TIER};
	for (size_t i = 0; i < NMISSING; i++) {
		field(r, rec, missing_cols[i], &len);
		r->missing[i] += len == 0;
	}
	r->untiered_clients += !has_tier && !prospect;
	const struct rule *removal = model_match_removal(r->m, rec, &r->env);
	if (removal)
		r->removal[removal - r->m->removal]++;

	s = field(r, rec, COL_OWNER, &len);
	size_t owner = report_member(r, s, len);
	(*ll_at(&r->member[owner].clients, key))++;

	follow(r, rec, log, key, owner);

	field(r, rec, COL_LAST_CONTACT, &len);
	if (!len) {
		struct date any;
		const char *id =
		    r->col[COL_ID] >= 0 ? record_get(rec, (size_t)r->col[COL_ID], NULL) : "";
		if (!(log && *id && touchlog_last_any(log, id, &any)))
			counts_at(&r->all, key)->never_contacted++;
	}
}

/* ---- derived figures ---------------------------------------------------- */

static double
ratio(double part, double whole)
{
	return whole != 0 ? part / whole : NAN;
}

static double
amount(long long scaled)
{
	return (double)scaled / SCALE;
}

/* Touches a year and planned hours a year from per-touch counts, over the model tiers in mask
 * (NULL: all). */
static void
planned(const struct report *r, const struct ll_vec *lv, long ti_only, double *touches,
        double *hours)
{
	double t = 0, h = 0;
	for (size_t f = 0; f < r->ntouches; f++) {
		if (ti_only >= 0 && (f < r->touch_first[ti_only] ||
		                     f >= r->touch_first[ti_only] + r->m->tiers[ti_only].ntouches))
			continue;
		double n = (double)ll_get(lv, f), per_year = touch_per_year(r->touch[f]);
		t += n * per_year;
		h += n * per_year * r->touch[f]->minutes / 60;
	}
	if (touches)
		*touches = t;
	if (hours)
		*hours = h;
}

static struct counts
counts_total(const struct report *r, const struct counts_vec *cv, bool model_only)
{
	struct counts total = {0};
	for (size_t k = 0; k < r->tiers.n; k++)
		if (!model_only || k < r->m->ntiers) {
			struct counts c = counts_get(cv, k);
			counts_add(&total, &c);
		}
	return total;
}

/*
 * The tier keys to show, in order, into keys (room for r->tiers.n): the
 * model's tiers always, then tiers the model lacks by name, then no tier;
 * those two only when cv has records for them.  Returns how many.
 */
static size_t
display_keys(const struct report *r, const struct counts_vec *cv, size_t *keys)
{
	size_t n = 0;
	for (size_t k = 0; k < r->m->ntiers; k++)
		keys[n++] = k;
	size_t *order = strmap_sorted(&r->tiers);
	for (size_t i = 0; i < r->tiers.n; i++) {
		size_t k = order[i];
		if (k >= r->m->ntiers && counts_get(cv, k).records)
			keys[n++] = k;
	}
	free(order);
	return n;
}

static const char *
tier_label(const struct report *r, size_t key, char *buf, size_t size)
{
	if (key == r->none_key)
		return "(none)";
	if (key < r->m->ntiers && *r->m->tiers[key].label) {
		snprintf(buf, size, "%s %s", r->tiers.names[key], r->m->tiers[key].label);
		return buf;
	}
	return r->tiers.names[key];
}

/* The tier in prose: "tier A (Prime)", or "tier A" without a label. */
static const char *
tier_prose(const struct report *r, size_t key, char *buf, size_t size)
{
	if (key < r->m->ntiers && *r->m->tiers[key].label)
		snprintf(buf, size, "tier %s (%s)", r->tiers.names[key], r->m->tiers[key].label);
	else
		snprintf(buf, size, "tier %s", r->tiers.names[key]);
	return buf;
}

static size_t
tier_color(const struct report *r, size_t key)
{
	if (key == r->none_key)
		return HTML_GREY;
	if (key < r->m->ntiers)
		return key % (HTML_COLORS - 1);
	return (r->m->ntiers + key) % (HTML_COLORS - 1);
}

static char *
pct(double fraction, char buf[48])
{
	if (isnan(fraction))
		strcpy(buf, "-");
	else
		snprintf(buf, 48, "%.1f%%", fraction * 100);
	return buf;
}

static char *
num(double v, int decimals, char buf[48])
{
	return table_number(v, decimals, buf);
}

/* Hours: whole above 100, else one decimal. */
static char *
hours_text(double h, char buf[48])
{
	return table_number(h, fabs(h) >= 100 ? 0 : 1, buf);
}

/* ---- output ------------------------------------------------------------- */

struct out {
	FILE *f;
	enum report_format format;
	size_t width;
	bool ascii;
};

/* Write text word-wrapped to o->width, indented by two spaces. */
static void
text_wrap(struct out *o, const char *text)
{
	size_t width = o->width > 20 ? o->width - 2 : 18, col = 0;
	const char *p = text;
	fputs("  ", o->f);
	while (*p) {
		size_t wlen = strcspn(p, " ");
		size_t ww = utf8_width(p, wlen);
		if (col && col + 1 + ww > width) {
			fputs("\n  ", o->f);
			col = 0;
		} else if (col) {
			fputc(' ', o->f);
			col++;
		}
		for (size_t i = 0; i < wlen; i++)
			fputc((unsigned char)p[i] < 0x20 ? ' ' : p[i], o->f);
		col += ww;
		p += wlen;
		while (*p == ' ')
			p++;
	}
	fputc('\n', o->f);
}

static void
out_section(struct out *o, const char *id, const char *title)
{
	switch (o->format) {
	case REPORT_TEXT:
		fprintf(o->f, "\n%s\n", title);
		for (size_t i = utf8_width(title, strlen(title)); i > 0; i--)
			fputc('=', o->f);
		fputc('\n', o->f);
		break;
	case REPORT_MARKDOWN:
		fputs("\n## ", o->f);
		table_markdown_escape(o->f, title);
		fputc('\n', o->f);
		break;
	case REPORT_HTML:
		html_section_begin(o->f, id, title);
		break;
	case REPORT_JSON:
		break;
	}
}

static void
out_section_end(struct out *o)
{
	if (o->format == REPORT_HTML)
		html_section_end(o->f);
}

/* Write t and free it. */
static void
out_table(struct out *o, struct table *t)
{
	switch (o->format) {
	case REPORT_TEXT:
		fputc('\n', o->f);
		table_write_text(o->f, t, o->width, o->ascii ? TABLE_ASCII : 0);
		break;
	case REPORT_MARKDOWN:
		fputc('\n', o->f);
		table_write_markdown(o->f, t);
		break;
	case REPORT_HTML:
		html_table(o->f, t);
		break;
	case REPORT_JSON:
		break;
	}
	table_free(t);
}

static void
out_note(struct out *o, const char *text)
{
	if (!*text)
		return;
	switch (o->format) {
	case REPORT_TEXT:
		fputc('\n', o->f);
		text_wrap(o, text);
		break;
	case REPORT_MARKDOWN:
		fputc('\n', o->f);
		table_markdown_escape(o->f, text);
		fputc('\n', o->f);
		break;
	case REPORT_HTML:
		html_paragraph(o->f, "note", text);
		break;
	case REPORT_JSON:
		break;
	}
}

/* ---- tiers -------------------------------------------------------------- */

static struct table *
tiers_table(const struct report *r, const struct counts_vec *cv, const char *title)
{
	enum { TIER, CLIENTS, PROSPECTS, BOOK, REVENUE, REVSHARE, MEAN, REFS, COI, BAR };
	struct table *t = table_new(title);
	table_add_column(t, "tier", TABLE_LEFT);
	table_add_column(t, "clients", TABLE_RIGHT);
	table_add_column(t, "prosp.", TABLE_RIGHT);
	table_add_column(t, "% book", TABLE_RIGHT);
	table_add_column(t, "revenue", TABLE_RIGHT);
	table_add_column(t, "% rev.", TABLE_RIGHT);
	table_add_column(t, "mean", TABLE_RIGHT);
	table_add_column(t, "refs", TABLE_RIGHT);
	table_add_column(t, "COI", TABLE_RIGHT);
	table_add_bar(t, "");
	size_t *keys = xcalloc(r->tiers.n, sizeof *keys);
	size_t n = display_keys(r, cv, keys);
	struct counts total = counts_total(r, cv, false);
	char b[48], label[128];
	for (size_t i = 0; i <= n; i++) {
		struct counts c = i < n ? counts_get(cv, keys[i]) : total;
		size_t row = table_add_row(t);
		if (i == n)
			table_set_total(t, row);
		table_set(t, row, TIER,
		          i < n ? tier_label(r, keys[i], label, sizeof label) : "total");
		table_set(t, row, CLIENTS, num((double)c.clients, 0, b));
		table_set(t, row, PROSPECTS, num((double)c.prospects, 0, b));
		table_set(t, row, BOOK, pct(ratio((double)c.records, (double)total.records), b));
		table_set(t, row, REVENUE, num(amount(c.revenue), 0, b));
		double share = ratio((double)c.revenue, (double)total.revenue);
		table_set(t, row, REVSHARE, pct(share, b));
		table_set(t, row, MEAN,
		          c.revenue_n ? num(amount(c.revenue) / (double)c.revenue_n, 0, b) : "-");
		table_set(t, row, REFS, num((double)c.referrals, 0, b));
		table_set(t, row, COI, num((double)c.coi, 0, b));
		if (i < n)
			table_set_bar(t, row, BAR, share);
	}
	free(keys);
	return t;
}

/* "A Prime: 22.2% of clients bring 60.1% of revenue." */
static void
pareto_note(const struct report *r, char *buf, size_t size)
{
	buf[0] = '\0';
	struct counts top = counts_get(&r->all, 0), total = counts_total(r, &r->all, false);
	if (!r->m->ntiers || !total.clients)
		return;
	char label[128], a[48], b[48];
	snprintf(buf, size, "In %s, %s of the clients bring %s of the revenue.",
	         tier_prose(r, 0, label, sizeof label),
	         pct(ratio((double)top.clients, (double)total.clients), a),
	         pct(ratio((double)top.revenue, (double)total.revenue), b));
}

static void
write_tiers(const struct report *r, struct out *o)
{
	out_section(o, "tiers", "Tiers");
	char note[512];
	pareto_note(r, note, sizeof note);
	if (o->format == REPORT_HTML) {
		size_t *keys = xcalloc(r->tiers.n, sizeof *keys);
		size_t n = display_keys(r, &r->all, keys);
		const char **labels = xcalloc(n + 1, sizeof *labels);
		char(*lbuf)[128] = xcalloc(n + 1, sizeof *lbuf);
		double *records = xcalloc(n + 1, sizeof *records);
		double *shares = xcalloc(2 * n + 1, sizeof *shares);
		size_t *colors = xcalloc(n + 1, sizeof *colors);
		for (size_t i = 0; i < n; i++) {
			struct counts c = counts_get(&r->all, keys[i]);
			labels[i] = tier_label(r, keys[i], lbuf[i], sizeof lbuf[i]);
			records[i] = (double)c.records;
			shares[i] = (double)c.clients;
			shares[n + i] = amount(c.revenue);
			colors[i] = tier_color(r, keys[i]);
		}
		if (*note)
			html_paragraph(o->f, "lead", note);
		html_charts_begin(o->f);
		html_chart_pie(o->f, "Clients and prospects by tier", n, labels, records, NULL,
		               colors);
		static const char *const rows[] = {"clients", "revenue"};
		html_chart_shares(o->f, "Share of clients against share of revenue", 2, rows, n,
		                  labels, shares, colors);
		html_charts_end(o->f);
		free(keys);
		free(labels);
		free(lbuf);
		free(records);
		free(shares);
		free(colors);
	}
	out_table(o, tiers_table(r, &r->all, r->by ? "All" : NULL));
	if (o->format != REPORT_HTML)
		out_note(o, note);
	if (r->by) {
		size_t *order = strmap_sorted(&r->groups);
		for (size_t i = 0; i < r->groups.n; i++) {
			size_t g = order[i];
			struct buf title = {0};
			buf_printf(&title, "%s: %s", r->by,
			           *r->groups.names[g] ? r->groups.names[g] : "(empty)");
			out_table(o, tiers_table(r, &r->group[g], buf_str(&title)));
			buf_free(&title);
		}
		free(order);
	}
	out_section_end(o);
}

/* ---- time --------------------------------------------------------------- */

static void
write_time(const struct report *r, struct out *o)
{
	enum { TIER, RECORDS, PER_CLIENT, PLANNED, LOGGED, TIME, REVENUE, PER_1K };
	out_section(o, "time", "Time");
	struct table *t = table_new(NULL);
	table_add_column(t, "tier", TABLE_LEFT);
	table_add_column(t, "in tier", TABLE_RIGHT);
	table_add_column(t, "h/client", TABLE_RIGHT);
	table_add_column(t, "planned h", TABLE_RIGHT);
	table_add_column(t, "logged h", TABLE_RIGHT);
	table_add_column(t, "% time", TABLE_RIGHT);
	table_add_column(t, "% rev.", TABLE_RIGHT);
	table_add_column(t, "h/1k rev.", TABLE_RIGHT);
	size_t *keys = xcalloc(r->tiers.n, sizeof *keys);
	size_t n = display_keys(r, &r->all, keys);
	struct counts total = counts_total(r, &r->all, false);
	double all_hours;
	planned(r, &r->planned, -1, NULL, &all_hours);
	double *time_share = xcalloc(r->m->ntiers * 2 + 1, sizeof *time_share);
	const char **labels = xcalloc(r->m->ntiers + 1, sizeof *labels);
	char(*lbuf)[128] = xcalloc(r->m->ntiers + 1, sizeof *lbuf);
	char b[48], label[128], note[512] = "";
	for (size_t i = 0; i <= n; i++) {
		bool is_total = i == n;
		size_t k = is_total ? 0 : keys[i];
		struct counts c = is_total ? total : counts_get(&r->all, k);
		double hours = 0;
		if (is_total)
			hours = all_hours;
		else if (k < r->m->ntiers)
			planned(r, &r->planned, (long)k, NULL, &hours);
		size_t row = table_add_row(t);
		if (is_total)
			table_set_total(t, row);
		table_set(t, row, TIER, is_total ? "total" : tier_label(r, k, label, sizeof label));
		table_set(t, row, RECORDS, num((double)c.records, 0, b));
		table_set(t, row, PER_CLIENT,
		          c.records ? hours_text(hours / (double)c.records, b) : "-");
		table_set(t, row, PLANNED, hours_text(hours, b));
		table_set(t, row, LOGGED, c.hours_n ? hours_text(amount(c.hours), b) : "-");
		double ts = ratio(hours, all_hours),
		       rs = ratio((double)c.revenue, (double)total.revenue);
		table_set(t, row, TIME, pct(ts, b));
		table_set(t, row, REVENUE, pct(rs, b));
		double per_1k = c.revenue > 0 ? hours / (amount(c.revenue) / 1000) : NAN;
		table_set(t, row, PER_1K, isnan(per_1k) ? "-" : num(per_1k, 2, b));
		if (!is_total && k < r->m->ntiers) {
			labels[k] = tier_label(r, k, lbuf[k], sizeof lbuf[k]);
			time_share[k * 2] = isnan(ts) ? 0 : ts;
			time_share[k * 2 + 1] = isnan(rs) ? 0 : rs;
			if (k == 0 && all_hours > 0) {
				char x[48], y[48], prose[128];
				snprintf(note, sizeof note,
				         "In %s, %s of the planned time goes to %s of the revenue.",
				         tier_prose(r, k, prose, sizeof prose), pct(ts, x),
				         pct(rs, y));
			}
		}
	}
	if (o->format == REPORT_HTML) {
		if (*note)
			html_paragraph(o->f, "lead", note);
		static const char *const series[] = {"planned time", "revenue"};
		static const size_t colors[] = {4, 1};
		html_charts_begin(o->f);
		html_chart_bars(o->f, "Share of planned time against share of revenue",
		                r->m->ntiers, labels, 2, series, colors, time_share, true, NULL,
		                false);
		html_charts_end(o->f);
	}
	out_table(o, t);
	if (o->format != REPORT_HTML)
		out_note(o, note);
	out_note(o, "Planned hours a year: each client's touches a year times their minutes, from "
	            "the model (a touch without minutes counts none). Logged hours: the clients' "
	            "hours column.");
	free(keys);
	free(time_share);
	free(labels);
	free(lbuf);
	out_section_end(o);
}

/* ---- team --------------------------------------------------------------- */

/* Does any member own clients outside the model's tiers? */
static bool
team_has_other(const struct report *r)
{
	for (size_t i = 0; i < r->members.n; i++)
		for (size_t k = r->m->ntiers; k < r->tiers.n; k++)
			if (ll_get(&r->member[i].clients, k))
				return true;
	return false;
}

static void
write_team(const struct report *r, struct out *o)
{
	out_section(o, "team", "Team");
	bool other = team_has_other(r);
	size_t nt = r->m->ntiers;
	struct table *t = table_new(NULL);
	table_add_column(t, "member", TABLE_LEFT);
	for (size_t k = 0; k < nt; k++)
		table_add_column(t, r->m->tiers[k].name, TABLE_RIGHT);
	if (other)
		table_add_column(t, "other", TABLE_RIGHT);
	size_t c_planned = table_add_column(t, "planned h", TABLE_RIGHT);
	size_t c_due = table_add_column(t, "due 30d", TABLE_RIGHT);
	size_t c_overdue = table_add_column(t, "overdue", TABLE_RIGHT);
	size_t c_bar = table_add_bar(t, "workload");
	size_t *order = strmap_sorted(&r->members);
	size_t n = r->members.n;
	double *hours = xcalloc(n + 1, sizeof *hours), max = 0, total_hours = 0;
	for (size_t i = 0; i < n; i++) {
		planned(r, &r->member[order[i]].touches, -1, NULL, &hours[i]);
		if (hours[i] > max)
			max = hours[i];
		total_hours += hours[i];
	}
	long long *tot = xcalloc(nt + 1, sizeof *tot), tot_other = 0, tot_due = 0, tot_overdue = 0;
	char b[48];
	const char **names = xcalloc(n + 1, sizeof *names);
	double *work = xcalloc(2 * n + 1, sizeof *work);
	for (size_t i = 0; i <= n; i++) {
		size_t row = table_add_row(t);
		if (i == n) {
			table_set_total(t, row);
			table_set(t, row, 0, "total");
			for (size_t k = 0; k < nt; k++)
				table_set(t, row, 1 + k, num((double)tot[k], 0, b));
			if (other)
				table_set(t, row, 1 + nt, num((double)tot_other, 0, b));
			table_set(t, row, c_planned, hours_text(total_hours, b));
			table_set(t, row, c_due, num((double)tot_due, 0, b));
			table_set(t, row, c_overdue, num((double)tot_overdue, 0, b));
			break;
		}
		const struct member *mb = &r->member[order[i]];
		const char *name = r->members.names[order[i]];
		names[i] = *name ? name : "(no owner)";
		table_set(t, row, 0, names[i]);
		for (size_t k = 0; k < nt; k++) {
			long long c = ll_get(&mb->clients, k);
			tot[k] += c;
			table_set(t, row, 1 + k, num((double)c, 0, b));
		}
		if (other) {
			long long c = 0;
			for (size_t k = nt; k < r->tiers.n; k++)
				c += ll_get(&mb->clients, k);
			tot_other += c;
			table_set(t, row, 1 + nt, num((double)c, 0, b));
		}
		tot_due += mb->due;
		tot_overdue += mb->overdue;
		table_set(t, row, c_planned, hours_text(hours[i], b));
		table_set(t, row, c_due, num((double)mb->due, 0, b));
		table_set(t, row, c_overdue, num((double)mb->overdue, 0, b));
		table_set_bar(t, row, c_bar, ratio(hours[i], max));
		work[i * 2] = (double)mb->due;
		work[i * 2 + 1] = (double)mb->overdue;
	}
	if (o->format == REPORT_HTML) {
		static const char *const series[] = {"due in 30 days", "overdue"};
		static const size_t colors[] = {0, 3};
		static const char *const hseries[] = {"planned hours a year"};
		static const size_t hcolors[] = {4};
		html_charts_begin(o->f);
		html_chart_bars(o->f, "Touches per team member", n, names, 2, series, colors, work,
		                false, NULL, true);
		html_chart_bars(o->f, "Planned hours a year per team member", n, names, 1, hseries,
		                hcolors, hours, false, " h", false);
		html_charts_end(o->f);
	}
	out_table(o, t);
	char day[16], note[512];
	snprintf(
	    note, sizeof note,
	    "Clients by the tier they are in; due 30d: touches due from today to %s; overdue: "
	    "due before today and not done. A touch the model gives to someone (\"by\") counts "
	    "for them, any other for the client's owner.",
	    date_format(date_add_days(r->today, WINDOW_DAYS - 1), day));
	out_note(o, note);
	free(order);
	free(hours);
	free(tot);
	free(names);
	free(work);
	out_section_end(o);
}

/* ---- adherence ---------------------------------------------------------- */

static void
write_adherence(const struct report *r, struct out *o)
{
	enum { TIER, CLIENTS, ON, SHARE, BEHIND, NEVER, BAR };
	out_section(o, "adherence", "Adherence");
	struct table *t = table_new(NULL);
	table_add_column(t, "tier", TABLE_LEFT);
	table_add_column(t, "in tier", TABLE_RIGHT);
	table_add_column(t, "on schedule", TABLE_RIGHT);
	table_add_column(t, "share", TABLE_RIGHT);
	table_add_column(t, "behind", TABLE_RIGHT);
	table_add_column(t, "never contacted", TABLE_RIGHT);
	table_add_bar(t, "on schedule");
	size_t nt = r->m->ntiers;
	struct counts total = counts_total(r, &r->all, true), all = counts_total(r, &r->all, false);
	char b[48], label[128];
	const char **labels = xcalloc(nt + 1, sizeof *labels);
	char(*lbuf)[128] = xcalloc(nt + 1, sizeof *lbuf);
	double *shares = xcalloc(nt + 1, sizeof *shares);
	for (size_t k = 0; k <= nt; k++) {
		struct counts c = k < nt ? counts_get(&r->all, k) : total;
		size_t row = table_add_row(t);
		if (k == nt)
			table_set_total(t, row);
		table_set(t, row, TIER, k < nt ? tier_label(r, k, label, sizeof label) : "total");
		table_set(t, row, CLIENTS, num((double)c.records, 0, b));
		table_set(t, row, ON, num((double)c.on_schedule, 0, b));
		double share = ratio((double)c.on_schedule, (double)c.records);
		table_set(t, row, SHARE, pct(share, b));
		table_set(t, row, BEHIND, num((double)(c.records - c.on_schedule), 0, b));
		table_set(t, row, NEVER, num((double)c.never_contacted, 0, b));
		if (k < nt) {
			table_set_bar(t, row, BAR, share);
			labels[k] = tier_label(r, k, lbuf[k], sizeof lbuf[k]);
			shares[k] = isnan(share) ? 0 : share;
		}
	}
	if (o->format == REPORT_HTML) {
		static const char *const series[] = {"on schedule"};
		static const size_t colors[] = {1};
		html_charts_begin(o->f);
		html_chart_bars(o->f, "Clients with every recurring touch on schedule", nt, labels,
		                1, series, colors, shares, true, NULL, false);
		html_charts_end(o->f);
	}
	out_table(o, t);
	out_note(o,
	         "On schedule: no recurring touch overdue (due dates from the touch log, else "
	         "last_contact). Never contacted: no last_contact and nothing in the touch log.");
	long long outside = all.records - total.records;
	if (outside) {
		char note[256];
		snprintf(note, sizeof note,
		         "%lld record%s without a tier of the model %s left out; %lld of them %s "
		         "never contacted.",
		         outside, outside == 1 ? "" : "s", outside == 1 ? "is" : "are",
		         all.never_contacted - total.never_contacted,
		         all.never_contacted - total.never_contacted == 1 ? "was" : "were");
		out_note(o, note);
	}
	if (nt) {
		struct buf title = {0};
		buf_printf(&title, "Most overdue clients in %s",
		           tier_prose(r, 0, label, sizeof label));
		if (o->format == REPORT_HTML)
			html_subheading(o->f, buf_str(&title));
		if (r->ntop == 0) {
			buf_printf(&title, ": none overdue.");
			out_note(o, buf_str(&title));
		} else {
			struct table *top =
			    table_new(o->format == REPORT_HTML ? NULL : buf_str(&title));
			table_add_column(top, "client", TABLE_LEFT);
			table_add_column(top, "id", TABLE_LEFT);
			table_add_column(top, "owner", TABLE_LEFT);
			table_add_column(top, "touch", TABLE_LEFT);
			table_add_column(top, "due", TABLE_RIGHT);
			table_add_column(top, "days", TABLE_RIGHT);
			for (size_t i = 0; i < r->ntop; i++) {
				const struct report_overdue *e = &r->top[i];
				size_t row = table_add_row(top);
				char due[16];
				table_set(top, row, 0, *e->name ? e->name : e->id);
				table_set(top, row, 1, e->id);
				table_set(top, row, 2, e->owner);
				table_set(top, row, 3, e->touch);
				table_set(top, row, 4, date_format(e->due, due));
				table_set(top, row, 5, num((double)e->days, 0, b));
			}
			out_table(o, top);
		}
		buf_free(&title);
	}
	free(labels);
	free(lbuf);
	free(shares);
	out_section_end(o);
}

/* ---- quality ------------------------------------------------------------ */

/*
 * The removal reasons, each once in the model's order, with the records of
 * every rule that gives it (a record counts for its first matching rule, so
 * the sums do not overlap).  *reasons (borrowed strings) and *counts are new
 * arrays.  Returns how many.
 */
static size_t
removal_reasons(const struct report *r, const char ***reasons, long long **counts)
{
	size_t n = 0;
	*reasons = xcalloc(r->m->nremoval + 1, sizeof **reasons);
	*counts = xcalloc(r->m->nremoval + 1, sizeof **counts);
	for (size_t i = 0; i < r->m->nremoval; i++) {
		size_t j = 0;
		while (j < n && strcmp((*reasons)[j], r->m->removal[i].name) != 0)
			j++;
		if (j == n)
			(*reasons)[n++] = r->m->removal[i].name;
		(*counts)[j] += r->removal[i];
	}
	return n;
}

static void
write_quality(const struct report *r, struct out *o)
{
	out_section(o, "quality", "Data quality");
	struct counts all = counts_total(r, &r->all, false), model = counts_total(r, &r->all, true);
	long long unknown = all.records - model.records - counts_get(&r->all, r->none_key).records;
	if (r->none_key < r->m->ntiers) /* a model tier named "": no "none" of its own */
		unknown = all.records - model.records;
	struct table *t = table_new(NULL);
	table_add_column(t, "check", TABLE_LEFT);
	table_add_column(t, "records", TABLE_RIGHT);
	table_add_column(t, "% book", TABLE_RIGHT);
	table_add_bar(t, "share of the book");
	char b[48], what[64];
	const char *names[NMISSING + 2];
	double values[NMISSING + 2];
	for (size_t i = 0; i < NMISSING + 2; i++) {
		long long n;
		if (i < NMISSING) {
			n = r->missing[i];
			snprintf(what, sizeof what, "missing %s", missing_names[i]);
		} else if (i == NMISSING) {
			n = r->untiered_clients;
			snprintf(what, sizeof what, "clients without a tier");
		} else {
			n = unknown;
			snprintf(what, sizeof what, "tier not in the model");
		}
		size_t row = table_add_row(t);
		table_set(t, row, 0, what);
		table_set(t, row, 1, num((double)n, 0, b));
		double share = ratio((double)n, (double)all.records);
		table_set(t, row, 2, pct(share, b));
		table_set_bar(t, row, 3, share);
		names[i] = i < NMISSING    ? missing_names[i]
		           : i == NMISSING ? "no tier"
		                           : "unknown tier";
		values[i] = (double)n;
	}
	if (o->format == REPORT_HTML) {
		static const char *const series[] = {"records"};
		static const size_t colors[] = {2};
		html_charts_begin(o->f);
		html_chart_bars(o->f, "Records with a gap", NMISSING + 2, names, 1, series, colors,
		                values, false, NULL, false);
		html_charts_end(o->f);
	}
	out_table(o, t);

	struct table *rm = table_new("Removal candidates (the model's rules)");
	table_add_column(rm, "reason", TABLE_LEFT);
	table_add_column(rm, "records", TABLE_RIGHT);
	table_add_column(rm, "% book", TABLE_RIGHT);
	long long removal_total = 0, *counts;
	const char **reasons;
	size_t nreasons = removal_reasons(r, &reasons, &counts);
	for (size_t i = 0; i < nreasons; i++) {
		size_t row = table_add_row(rm);
		table_set(rm, row, 0, reasons[i]);
		table_set(rm, row, 1, num((double)counts[i], 0, b));
		table_set(rm, row, 2, pct(ratio((double)counts[i], (double)all.records), b));
		removal_total += counts[i];
	}
	free(reasons);
	free(counts);
	size_t row = table_add_row(rm);
	table_set_total(rm, row);
	table_set(rm, row, 0, "total");
	table_set(rm, row, 1, num((double)removal_total, 0, b));
	table_set(rm, row, 2, pct(ratio((double)removal_total, (double)all.records), b));
	out_table(o, rm);

	if (r->bad.n) {
		struct table *bad = table_new("Values that do not read");
		table_add_column(bad, "field", TABLE_LEFT);
		table_add_column(bad, "records", TABLE_RIGHT);
		size_t *order = strmap_sorted(&r->bad);
		for (size_t i = 0; i < r->bad.n; i++) {
			size_t br = table_add_row(bad);
			table_set(bad, br, 0, r->bad.names[order[i]]);
			table_set(bad, br, 1, num((double)ll_get(&r->bad_n, order[i]), 0, b));
		}
		free(order);
		out_table(o, bad);
	}
	out_section_end(o);
}

/* ---- the report --------------------------------------------------------- */

static void
html_summary(const struct report *r, unsigned sections, FILE *out)
{
	struct counts all = counts_total(r, &r->all, false), model = counts_total(r, &r->all, true);
	char b[48], label[160], tl[128];
	html_stats_begin(out);
	snprintf(label, sizeof label, "record%s (%s client%s, ", all.records == 1 ? "" : "s",
	         num((double)all.clients, 0, b), all.clients == 1 ? "" : "s");
	snprintf(label + strlen(label), sizeof label - strlen(label), "%s prospect%s)",
	         num((double)all.prospects, 0, b), all.prospects == 1 ? "" : "s");
	html_stat(out, label, num((double)all.records, 0, b));
	if (sections & REPORT_TIERS) {
		html_stat(out, "revenue a year", num(amount(all.revenue), 0, b));
		if (r->m->ntiers) {
			struct counts top = counts_get(&r->all, 0);
			snprintf(label, sizeof label, "of the revenue from %s",
			         tier_prose(r, 0, tl, sizeof tl));
			html_stat(out, label,
			          pct(ratio((double)top.revenue, (double)all.revenue), b));
		}
	}
	if (sections & REPORT_TIME) {
		double hours;
		planned(r, &r->planned, -1, NULL, &hours);
		html_stat(out, "planned hours a year", hours_text(hours, b));
	}
	if (sections & REPORT_TEAM) {
		html_stat(out, "touches due in 30 days", num((double)model.due, 0, b));
		html_stat(out, "overdue touches", num((double)model.overdue, 0, b));
	}
	if (sections & REPORT_ADHERENCE)
		html_stat(out, "clients on schedule",
		          pct(ratio((double)model.on_schedule, (double)model.records), b));
	if (sections & REPORT_QUALITY) {
		long long n = 0;
		for (size_t i = 0; i < r->m->nremoval; i++)
			n += r->removal[i];
		html_stat(out, "removal candidates", num((double)n, 0, b));
	}
	html_stats_end(out);
}

void
report_write(const struct report *r, const struct report_style *style, FILE *out)
{
	unsigned sections = style->sections ? style->sections : REPORT_ALL;
	if (style->format == REPORT_JSON) {
		struct report_view *v = report_view_new(r, sections);
		report_write_json(v, out);
		report_view_free(v);
		return;
	}
	struct out o = {out, style->format, style->width ? style->width : 80, style->ascii};
	struct counts all = counts_total(r, &r->all, false);
	char day[16], a[48], b[48], c[48];
	struct buf sub = {0};
	buf_printf(&sub, "%s, %s: %s record%s (%s client%s, %s prospect%s)", r->m->name,
	           date_format(r->today, day), num((double)all.records, 0, a),
	           all.records == 1 ? "" : "s", num((double)all.clients, 0, b),
	           all.clients == 1 ? "" : "s", num((double)all.prospects, 0, c),
	           all.prospects == 1 ? "" : "s");
	if (r->by)
		buf_printf(&sub, "; tiers by %s", r->by);
	const char *title = "Book report";
	switch (o.format) {
	case REPORT_TEXT:
		fprintf(out, "%s\n", title);
		text_wrap(&o, buf_str(&sub));
		break;
	case REPORT_MARKDOWN:
		fprintf(out, "# %s\n\n", title);
		table_markdown_escape(out, buf_str(&sub));
		fputc('\n', out);
		break;
	case REPORT_HTML:
		html_begin(out, title, buf_str(&sub));
		html_summary(r, sections, out);
		break;
	case REPORT_JSON:
		break;
	}
	buf_free(&sub);
	if (sections & REPORT_TIERS)
		write_tiers(r, &o);
	if (sections & REPORT_TIME)
		write_time(r, &o);
	if (sections & REPORT_TEAM)
		write_team(r, &o);
	if (sections & REPORT_ADHERENCE)
		write_adherence(r, &o);
	if (sections & REPORT_QUALITY)
		write_quality(r, &o);
	if (o.format == REPORT_HTML)
		html_end(out);
}
