/*
 * report_partial.c - a report's raw aggregates as JSON (a partial), and the
 * merge that adds partials back up.
 *
 * A partial is the struct report after a stream, written as it is: every
 * count by name, amounts in their integer units (with the scale stated),
 * per-touch counts as arrays in the model's order.  Nothing derived is
 * written, so merging is addition, and a merged report is the report of
 * the whole book.  The merge trusts nothing: every value is type-checked,
 * and a partial made with another model, another group-by field or another
 * today is refused, because its numbers would add up to nonsense.
 *
 * This and report_json.c are the report's only users of jansson.
 */
#include "report.h"

#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <string.h>

#include "report_int.h"
#include "report_jansson.h"
#include "utf8.h"

enum { PARTIAL_VERSION = 1 };

/* ---- writing ------------------------------------------------------------ */

json_t *
report_json_string(const char *s)
{
	json_t *j = json_string(s);
	if (j)
		return j;
	struct buf b = {0};
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		size_t ok = utf8_valid_prefix(s + i, len - i);
		buf_append(&b, s + i, ok);
		i += ok;
		if (i < len) {
			buf_puts(&b, "\xef\xbf\xbd");
			i++;
		}
	}
	j = json_string(buf_str(&b));
	buf_free(&b);
	return j ? j : json_string("");
}

json_t *
report_json_overdue(const struct report_overdue *o)
{
	char due[16];
	json_t *j = json_object();
	json_object_set_new(j, "id", report_json_string(o->id));
	json_object_set_new(j, "name", report_json_string(o->name));
	json_object_set_new(j, "owner", report_json_string(o->owner));
	json_object_set_new(j, "touch", report_json_string(o->touch));
	json_object_set_new(j, "due", json_string(date_format(o->due, due)));
	json_object_set_new(j, "overdue_days", json_integer(o->days));
	return j;
}

static json_t *
counts_json(const struct counts *c, size_t nfields)
{
	json_t *o = json_object();
	for (size_t i = 0; i < nfields; i++)
		json_object_set_new(o, count_name(i),
		                    json_integer(*count_field((struct counts *)c, i)));
	return o;
}

/* Per-touch counts of model tier ti as an array in the tier's order. */
static json_t *
touches_json(const struct report *r, size_t ti, const struct ll_vec *lv)
{
	json_t *a = json_array();
	for (size_t j = 0; j < r->m->tiers[ti].ntouches; j++)
		json_array_append_new(a, json_integer(ll_get(lv, r->touch_first[ti] + j)));
	return a;
}

static json_t *
partial_tiers(const struct report *r)
{
	json_t *tiers = json_object();
	for (size_t k = 0; k < strtab_count(&r->tiers); k++) {
		struct counts c = counts_get(&r->all, k);
		if (k >= r->m->ntiers && !c.records)
			continue;
		json_t *o = counts_json(&c, NCOUNT_FIELDS);
		if (k < r->m->ntiers)
			json_object_set_new(o, "touches", touches_json(r, k, &r->planned));
		json_object_set_new(tiers, strtab_key(&r->tiers, k, NULL), o);
	}
	return tiers;
}

static json_t *
partial_groups(const struct report *r)
{
	json_t *groups = json_object();
	for (size_t g = 0; g < strtab_count(&r->groups); g++) {
		json_t *o = json_object();
		for (size_t k = 0; k < strtab_count(&r->tiers); k++) {
			struct counts c = counts_get(&r->group[g], k);
			if (c.records)
				json_object_set_new(o, strtab_key(&r->tiers, k, NULL),
				                    counts_json(&c, NBASE));
		}
		json_object_set_new(groups, strtab_key(&r->groups, g, NULL), o);
	}
	return groups;
}

static json_t *
partial_team(const struct report *r)
{
	json_t *team = json_object();
	for (size_t i = 0; i < strtab_count(&r->members); i++) {
		const struct member *mb = &r->member[i];
		json_t *o = json_object(), *clients = json_object(), *touches = json_object();
		for (size_t k = 0; k < strtab_count(&r->tiers); k++)
			if (ll_get(&mb->clients, k))
				json_object_set_new(clients, strtab_key(&r->tiers, k, NULL),
				                    json_integer(ll_get(&mb->clients, k)));
		for (size_t ti = 0; ti < r->m->ntiers; ti++)
			json_object_set_new(touches, r->m->tiers[ti].name,
			                    touches_json(r, ti, &mb->touches));
		json_object_set_new(o, "clients", clients);
		json_object_set_new(o, "due_30", json_integer(mb->due));
		json_object_set_new(o, "overdue", json_integer(mb->overdue));
		json_object_set_new(o, "touches", touches);
		json_object_set_new(team, strtab_key(&r->members, i, NULL), o);
	}
	return team;
}

static json_t *
partial_quality(const struct report *r)
{
	json_t *quality = json_object(), *missing = json_object(), *removal = json_array(),
	       *bad = json_object();
	for (size_t i = 0; i < NMISSING; i++)
		json_object_set_new(missing, missing_names[i], json_integer(r->missing[i]));
	json_t *consent = json_object();
	for (size_t i = 0; i < NCONSENT; i++)
		json_object_set_new(consent, consent_names[i], json_integer(r->refused[i]));
	json_object_set_new(quality, "consent", consent);
	for (size_t i = 0; i < r->m->nremoval; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "reason", report_json_string(r->m->removal[i].name));
		json_object_set_new(o, "records", json_integer(r->removal[i]));
		json_array_append_new(removal, o);
	}
	for (size_t i = 0; i < strtab_count(&r->bad); i++)
		json_object_set_new(bad, strtab_key(&r->bad, i, NULL),
		                    json_integer(ll_get(&r->bad_n, i)));
	json_object_set_new(quality, "missing", missing);
	json_object_set_new(quality, "untiered_clients", json_integer(r->untiered_clients));
	json_object_set_new(quality, "removal", removal);
	json_object_set_new(quality, "unreadable", bad);
	return quality;
}

/* A date, or null. */
static json_t *
jdate(bool has, struct date d)
{
	char buf[16];
	return has ? json_string(date_format(d, buf)) : json_null();
}

json_t *
report_json_undelivered(const struct report_undelivered *u)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", report_json_string(u->id));
	json_object_set_new(j, "name", report_json_string(u->name));
	json_object_set_new(j, "owner", report_json_string(u->owner));
	json_object_set_new(j, "tier", report_json_string(u->tier));
	json_object_set_new(j, "touch", report_json_string(u->touch));
	json_object_set_new(j, "last_done", jdate(u->has_last_done, u->last_done));
	json_object_set_new(j, "declined", jdate(u->has_declined, u->declined));
	return j;
}

/* Planned, done and declined per touch of each model tier; the reviews not delivered. */
static json_t *
partial_delivery(const struct report *r)
{
	json_t *o = json_object(), *tiers = json_object(), *list = json_array();
	for (size_t ti = 0; ti < r->m->ntiers; ti++) {
		json_t *t = json_object();
		json_object_set_new(t, "planned", touches_json(r, ti, &r->d_planned));
		json_object_set_new(t, "done", touches_json(r, ti, &r->d_done));
		json_object_set_new(t, "declined", touches_json(r, ti, &r->d_declined));
		json_object_set_new(tiers, r->m->tiers[ti].name, t);
	}
	for (size_t i = 0; i < r->nundelivered; i++)
		json_array_append_new(list, report_json_undelivered(&r->undelivered[i]));
	json_object_set_new(o, "tiers", tiers);
	json_object_set_new(o, "undelivered", list);
	return o;
}

void
report_write_partial(const struct report *r, FILE *out)
{
	char day[16];
	json_t *root = json_object();
	json_object_set_new(root, "cs_report_partial", json_integer(PARTIAL_VERSION));
	json_object_set_new(root, "model", report_json_string(r->m->name));
	json_object_set_new(root, "today", json_string(date_format(r->today, day)));
	json_object_set_new(root, "by", r->by ? report_json_string(r->by) : json_null());
	json_object_set_new(root, "amount_scale", json_integer(SCALE));
	json_object_set_new(root, "records", json_integer(report_records(r)));
	json_object_set_new(root, "tiers", partial_tiers(r));
	if (r->by)
		json_object_set_new(root, "groups", partial_groups(r));
	json_object_set_new(root, "team", partial_team(r));
	json_t *top = json_array();
	for (size_t i = 0; i < r->ntop; i++)
		json_array_append_new(top, report_json_overdue(&r->top[i]));
	json_object_set_new(root, "most_overdue", top);
	json_object_set_new(root, "quality", partial_quality(r));
	if (r->delivery)
		json_object_set_new(root, "delivery", partial_delivery(r));

	/* Sorted keys: a merge of partials is the same bytes whatever their order. */
	json_dumpf(root, out, JSON_INDENT(1) | JSON_SORT_KEYS);
	fputc('\n', out);
	json_decref(root);
}

/* ---- merging ------------------------------------------------------------ */

/* Merging: the first problem found is kept in err; later checks are skipped. */
struct merge {
	struct report *r;
	const char *path;
	struct cs_error *err;
	bool failed;
};

static void
merge_fail(struct merge *mg, const char *fmt, const char *what)
{
	if (mg->failed)
		return;
	mg->failed = true;
	char msg[sizeof mg->err->msg];
	snprintf(msg, sizeof msg, fmt, what);
	cs_error_set(mg->err, mg->path, 0, "%s", msg);
}

/* obj[key] when it has type (or is absent: NULL); another type is an error. */
static json_t *
jget(struct merge *mg, json_t *obj, const char *key, json_type type)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
	if (v && json_typeof(v) != type) {
		merge_fail(mg, "\"%s\" has the wrong type: not a cs-report partial", key);
		return NULL;
	}
	return v;
}

static long long
jcount_value(struct merge *mg, json_t *v, const char *key)
{
	if (!v)
		return 0;
	if (!json_is_integer(v)) {
		merge_fail(mg, "\"%s\" is not a count: not a cs-report partial", key);
		return 0;
	}
	return json_integer_value(v);
}

static long long
jcount(struct merge *mg, json_t *obj, const char *key)
{
	return jcount_value(mg, json_is_object(obj) ? json_object_get(obj, key) : NULL, key);
}

static const char *
jstring(struct merge *mg, json_t *obj, const char *key)
{
	json_t *v = jget(mg, obj, key, JSON_STRING);
	if (!v) {
		merge_fail(mg, "\"%s\" is missing: not a cs-report partial", key);
		return "";
	}
	return json_string_value(v);
}

static void
merge_counts(struct merge *mg, json_t *o, struct counts *to, size_t nfields)
{
	if (!json_is_object(o)) {
		merge_fail(mg, "%s: not a cs-report partial", "a count set is not an object");
		return;
	}
	for (size_t i = 0; i < nfields; i++) {
		long long *f = count_field(to, i);
		*f = sat_add(*f, jcount(mg, o, count_name(i)));
	}
}

/* Add a per-touch array of model tier `tier` (a name) into lv. */
static void
merge_touches(struct merge *mg, const char *tier, json_t *a, struct ll_vec *lv)
{
	struct report *r = mg->r;
	const struct tier *t = model_tier(r->m, tier);
	if (!t || !json_is_array(a) || json_array_size(a) != t->ntouches) {
		merge_fail(mg,
		           "the touches of tier \"%s\" differ from the model's: "
		           "was it made with another model?",
		           tier);
		return;
	}
	size_t first = r->touch_first[t - r->m->tiers];
	for (size_t j = 0; j < t->ntouches; j++) {
		long long *n = ll_at(lv, first + j);
		*n = sat_add(*n, jcount_value(mg, json_array_get(a, j), "touches"));
	}
}

/* Does the partial's model, today and group-by field agree with r's?  The first sets r's. */
static void
merge_settle(struct merge *mg, const char *by, const char *today)
{
	struct report *r = mg->r;
	struct date day;
	if (date_parse(today, strlen(today), DATE_ORDER_YMD, 0, &day, NULL, 0) < 0 ||
	    day.year == 0) {
		merge_fail(mg, "today \"%s\" is not a date", today);
		return;
	}
	if (!r->settled) {
		report_settle(r, by, day);
		return;
	}
	char msg[300], a[16], b[16];
	if (date_cmp(day, r->today) != 0) {
		snprintf(msg, sizeof msg, "made for %s, but the partials before it for %s",
		         date_format(day, a), date_format(r->today, b));
		merge_fail(mg, "%s", msg);
	} else if ((by == NULL) != (r->by == NULL) || (by && strcmp(by, r->by) != 0)) {
		snprintf(msg, sizeof msg,
		         "grouped by %s%.100s%s, but the partials before it by %s%.100s%s",
		         by ? "\"" : "", by ? by : "nothing", by ? "\"" : "", r->by ? "\"" : "",
		         r->by ? r->by : "nothing", r->by ? "\"" : "");
		merge_fail(mg, "%s", msg);
	}
}

static void
merge_header(struct merge *mg, json_t *root)
{
	struct report *r = mg->r;
	if (!json_is_object(root) || jcount(mg, root, "cs_report_partial") != PARTIAL_VERSION) {
		merge_fail(mg, "%s",
		           "not a cs-report partial (make one with cs-report --json --partial)");
		return;
	}
	const char *model = jstring(mg, root, "model");
	if (!mg->failed && strcmp(model, r->m->name) != 0) {
		char msg[300];
		snprintf(msg, sizeof msg, "made with the model \"%.100s\", not \"%.100s\" (use -m)",
		         model, r->m->name);
		merge_fail(mg, "%s", msg);
	}
	if (jcount(mg, root, "amount_scale") != SCALE)
		merge_fail(mg, "%s",
		           "amounts in another scale: not a cs-report partial of this version");
	const char *today = jstring(mg, root, "today");
	json_t *byv = json_object_get(root, "by");
	if (byv && !json_is_null(byv) && !json_is_string(byv))
		merge_fail(mg, "%s", "\"by\" has the wrong type: not a cs-report partial");
	if (mg->failed)
		return;
	merge_settle(mg, json_is_string(byv) ? json_string_value(byv) : NULL, today);
}

static void
merge_tiers(struct merge *mg, json_t *root)
{
	struct report *r = mg->r;
	const char *name;
	json_t *v;
	json_t *tiers = jget(mg, root, "tiers", JSON_OBJECT);
	json_object_foreach(tiers, name, v)
	{
		size_t key = report_tier_key(r, name, strlen(name));
		merge_counts(mg, v, counts_at(&r->all, key), NCOUNT_FIELDS);
		json_t *touches = json_object_get(v, "touches");
		if (touches)
			merge_touches(mg, name, touches, &r->planned);
	}

	json_t *groups = jget(mg, root, "groups", JSON_OBJECT);
	if (groups && !r->by)
		merge_fail(mg, "%s", "has groups but no \"by\": not a cs-report partial");
	json_object_foreach(groups, name, v)
	{
		size_t g = report_group(r, name, strlen(name));
		const char *tier;
		json_t *c;
		if (!json_is_object(v))
			merge_fail(mg, "group \"%s\" is not an object: not a cs-report partial",
			           name);
		json_object_foreach(v, tier, c) merge_counts(
		    mg, c, counts_at(&r->group[g], report_tier_key(r, tier, strlen(tier))), NBASE);
	}
}

static void
merge_team(struct merge *mg, json_t *root)
{
	struct report *r = mg->r;
	const char *name;
	json_t *v;
	json_t *team = jget(mg, root, "team", JSON_OBJECT);
	json_object_foreach(team, name, v)
	{
		size_t i = report_member(r, name, strlen(name));
		struct member *mb = &r->member[i];
		const char *tier;
		json_t *c;
		json_t *clients = jget(mg, v, "clients", JSON_OBJECT);
		json_object_foreach(clients, tier, c)
		{
			long long *n = ll_at(&mb->clients, report_tier_key(r, tier, strlen(tier)));
			*n = sat_add(*n, jcount_value(mg, c, "clients"));
		}
		mb->due = sat_add(mb->due, jcount(mg, v, "due_30"));
		mb->overdue = sat_add(mb->overdue, jcount(mg, v, "overdue"));
		json_t *touches = jget(mg, v, "touches", JSON_OBJECT);
		json_object_foreach(touches, tier, c) merge_touches(mg, tier, c, &mb->touches);
	}
}

static void
merge_top(struct merge *mg, json_t *root)
{
	size_t i;
	json_t *v;
	json_t *top = jget(mg, root, "most_overdue", JSON_ARRAY);
	json_array_foreach(top, i, v)
	{
		const char *due = jstring(mg, v, "due");
		struct report_overdue o = {.days = (long)jcount(mg, v, "overdue_days")};
		if (date_parse(due, strlen(due), DATE_ORDER_YMD, 0, &o.due, NULL, 0) < 0)
			merge_fail(mg, "most_overdue: due \"%s\" is not a date", due);
		if (mg->failed)
			break;
		o.id = xstrdup(jstring(mg, v, "id"));
		o.name = xstrdup(jstring(mg, v, "name"));
		o.owner = xstrdup(jstring(mg, v, "owner"));
		o.touch = xstrdup(jstring(mg, v, "touch"));
		report_top_offer(mg->r, &o);
	}
}

static void
merge_quality(struct merge *mg, json_t *root)
{
	struct report *r = mg->r;
	const char *name;
	size_t i;
	json_t *v;
	json_t *quality = jget(mg, root, "quality", JSON_OBJECT);
	json_t *missing = jget(mg, quality, "missing", JSON_OBJECT);
	for (size_t k = 0; k < NMISSING; k++)
		r->missing[k] = sat_add(r->missing[k], jcount(mg, missing, missing_names[k]));
	/* Partials written before consent was counted have none: they count 0. */
	json_t *consent = json_object_get(quality, "consent");
	for (size_t k = 0; k < NCONSENT; k++)
		r->refused[k] = sat_add(r->refused[k], jcount(mg, consent, consent_names[k]));
	r->untiered_clients = sat_add(r->untiered_clients, jcount(mg, quality, "untiered_clients"));
	json_t *removal = jget(mg, quality, "removal", JSON_ARRAY);
	if (removal && json_array_size(removal) != r->m->nremoval)
		merge_fail(mg, "%s",
		           "its removal rules differ from the model's: was it made with "
		           "another model?");
	json_array_foreach(removal, i, v)
	{
		if (i >= r->m->nremoval)
			break;
		const char *reason = jstring(mg, v, "reason");
		if (!mg->failed && strcmp(reason, r->m->removal[i].name) != 0)
			merge_fail(mg,
			           "removal rule \"%s\" is not the model's: was it made with "
			           "another model?",
			           reason);
		r->removal[i] = sat_add(r->removal[i], jcount(mg, v, "records"));
	}
	json_t *bad = jget(mg, quality, "unreadable", JSON_OBJECT);
	json_object_foreach(bad, name, v)
	{
		long long *n = ll_at(&r->bad_n, report_intern(&r->bad, name));
		*n = sat_add(*n, jcount_value(mg, v, name));
	}
}

/* A date or null at obj[key] into *has and *d. */
static void
merge_date(struct merge *mg, json_t *obj, const char *key, bool *has, struct date *d)
{
	json_t *v = json_object_get(obj, key);
	*has = v && !json_is_null(v);
	if (!*has)
		return;
	const char *s = json_is_string(v) ? json_string_value(v) : "";
	if (date_parse(s, strlen(s), DATE_ORDER_YMD, 0, d, NULL, 0) < 0 || d->year == 0)
		merge_fail(mg, "delivery: \"%s\" is not a date: not a cs-report partial", key);
}

/*
 * The delivery counts and list.  Every partial must agree with the first on
 * having them (made with --log) or not: a part without them would pass for
 * a book where nothing was planned.
 */
static void
merge_delivery(struct merge *mg, json_t *root, bool first)
{
	struct report *r = mg->r;
	json_t *d = jget(mg, root, "delivery", JSON_OBJECT);
	if (first)
		r->delivery = d != NULL;
	else if (r->delivery != (d != NULL))
		merge_fail(mg, "%s",
		           r->delivery ? "made without --log, but the partials before it with one"
		                       : "made with --log, but the partials before it without");
	if (!d || mg->failed)
		return;
	const char *name;
	json_t *v;
	json_object_foreach(jget(mg, d, "tiers", JSON_OBJECT), name, v)
	{
		merge_touches(mg, name, json_object_get(v, "planned"), &r->d_planned);
		merge_touches(mg, name, json_object_get(v, "done"), &r->d_done);
		merge_touches(mg, name, json_object_get(v, "declined"), &r->d_declined);
	}
	size_t i;
	json_array_foreach(jget(mg, d, "undelivered", JSON_ARRAY), i, v)
	{
		struct report_undelivered u = {0};
		merge_date(mg, v, "last_done", &u.has_last_done, &u.last_done);
		merge_date(mg, v, "declined", &u.has_declined, &u.declined);
		const char *id = jstring(mg, v, "id"), *nm = jstring(mg, v, "name"),
		           *owner = jstring(mg, v, "owner"), *tier = jstring(mg, v, "tier"),
		           *touch = jstring(mg, v, "touch");
		if (mg->failed)
			break;
		u.id = xstrdup(id);
		u.name = xstrdup(nm);
		u.owner = xstrdup(owner);
		u.tier = xstrdup(tier);
		u.touch = xstrdup(touch);
		report_undelivered_add(r, &u);
	}
}

int
report_merge(struct report *r, const char *path, struct cs_error *err)
{
	bool std = strcmp(path, "-") == 0;
	FILE *f = std ? stdin : fopen(path, "r");
	if (!f)
		return cs_error_set(err, path, 0, "cannot read: %s", strerror(errno));
	json_error_t je;
	json_t *root = json_loadf(f, 0, &je);
	if (!std)
		fclose(f);
	if (!root)
		return cs_error_set(err, path, je.line > 0 ? je.line : 0,
		                    "not a cs-report partial: %s", je.text);
	struct merge mg = {.r = r, .path = path, .err = err};
	bool first = !r->settled;
	merge_header(&mg, root);
	if (!mg.failed) {
		merge_tiers(&mg, root);
		merge_team(&mg, root);
		merge_top(&mg, root);
		merge_quality(&mg, root);
		merge_delivery(&mg, root, first);
	}
	json_decref(root);
	return mg.failed ? -1 : 0;
}
