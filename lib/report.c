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
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cadence.h"
#include "report_int.h"
#include "schema.h"

/* ---- interned keys ----------------------------------------------------- */

size_t
report_intern(struct strtab *t, const char *s)
{
	return (size_t)strtab_intern(t, s, strlen(s), NULL);
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
report_sorted(const struct strtab *t)
{
	size_t n = strtab_count(t);
	struct named *v = xcalloc(n + 1, sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = (struct named){strtab_key(t, i, NULL), i};
	qsort(v, n, sizeof *v, named_cmp);
	size_t *idx = xcalloc(n + 1, sizeof *idx);
	for (size_t i = 0; i < n; i++)
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
    {"late", offsetof(struct counts, late)},
    {"declined", offsetof(struct counts, declined)},
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
const char *const consent_names[NCONSENT] = {"do_not_call", "do_not_email", "do_not_mail"};

static const char *const column_names[NCOLUMNS - 1] = {
    "id",       "name",         "kind",        "tier",         "owner",       "revenue",
    "assets",   "referrals",    "coi",         "hours",        "email",       "phone",
    "birthday", "last_contact", "do_not_call", "do_not_email", "do_not_mail", "since",
};

static struct report *
report_alloc(struct model *m)
{
	struct report *r = xcalloc(1, sizeof *r);
	r->m = m;
	r->touch_first = xcalloc(m->ntiers + 1, sizeof *r->touch_first);
	for (size_t i = 0; i < m->ntiers; i++) {
		r->touch_first[i] = r->ntouches;
		r->ntouches += m->tiers[i].ntouches;
		report_intern(&r->tiers, m->tiers[i].name);
	}
	r->touch = xcalloc(r->ntouches + 1, sizeof *r->touch);
	r->touch_member = xcalloc(r->ntouches + 1, sizeof *r->touch_member);
	for (size_t i = 0, f = 0; i < m->ntiers; i++)
		for (size_t j = 0; j < m->tiers[i].ntouches; j++, f++) {
			r->touch[f] = &m->tiers[i].touches[j];
			r->touch_member[f] = -1;
		}
	/* A model may (oddly) name a tier ""; then it is the no-tier key too. */
	r->none_key = report_intern(&r->tiers, "");
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
	strtab_free(&r->tiers);
	free(r->all.v);
	free(r->planned.v);
	for (size_t i = 0; i < strtab_count(&r->groups); i++)
		free(r->group[i].v);
	free(r->group);
	strtab_free(&r->groups);
	for (size_t i = 0; i < strtab_count(&r->members); i++) {
		free(r->member[i].clients.v);
		free(r->member[i].touches.v);
	}
	free(r->member);
	strtab_free(&r->members);
	for (size_t i = 0; i < r->ntop; i++)
		overdue_free(&r->top[i]);
	free(r->removal);
	strtab_free(&r->bad);
	free(r->bad_n.v);
	cadence_free(r->cadence);
	free(r->items);
	report_delivery_free(r);
	free(r);
}

long long
report_records(const struct report *r)
{
	long long n = 0;
	for (size_t k = 0; k < strtab_count(&r->tiers); k++)
		n = sat_add(n, counts_get(&r->all, k).records);
	return n;
}

/* ---- keys --------------------------------------------------------------- */

size_t
report_group(struct report *r, const char *s, size_t len)
{
	size_t g = (size_t)strtab_intern(&r->groups, s, len, NULL);
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
	size_t i = (size_t)strtab_intern(&r->members, s, len, NULL);
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
	/* The model's tiers were interned first, so their keys are their indices. */
	return (size_t)strtab_intern(&r->tiers, s, len, NULL);
}

void
report_bad_value(struct report *r, const char *field)
{
	long long *n = ll_at(&r->bad_n, report_intern(&r->bad, field));
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
	str_trim(&s, len);
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
       size_t owner, bool never)
{
	struct cadence_client info;
	size_t n = cadence_record(r->cadence, rec, log, r->today, r->items, &info);
	if (info.bad_field)
		report_bad_value(r, info.bad_field);
	if (info.status != CADENCE_OK)
		return;
	size_t ti = (size_t)(info.tier - r->m->tiers);
	bool on_schedule = true, late = false;
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
		late |= cadence_late(it);
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
	/* The partition: never contacted, on schedule, late, overdue (DESIGN section 4). */
	tier->on_schedule += !never && on_schedule && !late;
	tier->late += !never && on_schedule && late;
	tier->due += due;
	tier->overdue += overdue;
	if (key == 0 && worst)
		offer_overdue(r, rec, worst);
	if (r->delivery) {
		struct date since;
		size_t len;
		const char *s = field(r, rec, COL_SINCE, &len);
		bool has_since = len && date_parse(s, len, DATE_ORDER_YMD, 0, &since, NULL, 0) == 0;
		if (len && !has_since)
			report_bad_value(r, "since");
		report_delivery_add(r, rec, ti, key, r->items, n, has_since ? &since : NULL);
	}
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
		int b = schema_parse_bool(record_get(rec, (size_t)r->col[COL_COI], NULL));
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
	for (size_t i = 0; i < NCONSENT; i++) {
		s = field(r, rec, COL_DO_NOT_CALL + (int)i, &len);
		r->refused[i] += len && schema_parse_bool(s) == 1;
	}
	r->untiered_clients += !has_tier && !prospect;
	const struct rule *removal = model_match_removal(r->m, rec, &r->env);
	if (removal)
		r->removal[removal - r->m->removal]++;

	s = field(r, rec, COL_OWNER, &len);
	size_t owner = report_member(r, s, len);
	(*ll_at(&r->member[owner].clients, key))++;

	bool never = false;
	field(r, rec, COL_LAST_CONTACT, &len);
	if (!len) {
		struct date any;
		const char *id =
		    r->col[COL_ID] >= 0 ? record_get(rec, (size_t)r->col[COL_ID], NULL) : "";
		never = !(log && *id && touchlog_last_any(log, id, &any));
		counts_at(&r->all, key)->never_contacted += never;
	}
	follow(r, rec, log, key, owner, never);
}
