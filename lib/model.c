/*
 * model.c - load, validate and use the service model file.
 *
 * jansson parses the JSON and reports syntax errors with a line and column,
 * but once a document parses it keeps no positions, and a model's mistakes
 * are mostly semantic: an unknown key, an interval like "3 weeks", a rule
 * whose expression does not parse.  So after jansson accepts the text,
 * model_pos.c walks the same bytes and builds a position tree (struct jpos)
 * mirroring the document: the line and column of every value and every
 * member name.  The validator walks jansson's values and the position tree
 * side by side, so every message points at the key or value that is wrong,
 * and an expression error points at the very character inside the string.
 * The text is kept in the model so errors found later, when the rules are
 * bound to a stream's header, can be placed the same way.
 *
 * Validation is strict: unknown keys are errors at every level (a misspelt
 * "evry" must not silently drop a touch), and anything a tool would have to
 * guess about (a touch with both "every" and "on", "after" without "once")
 * is refused with a message saying what to write instead.
 */
#include "model.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "model_pos.h"
#include "schema.h"
#include "strtab.h"

/* ---- errors ------------------------------------------------------------ */

struct loader {
	const char *file; /* for messages, borrowed */
	const char *text;
	struct cs_error *err;
};

__attribute__((format(printf, 4, 5))) static int
fail_at(struct loader *ld, int line, int col, const char *fmt, ...)
{
	if (!ld->err)
		return -1;
	ld->err->file = ld->file;
	ld->err->row = line;
	ld->err->col = col;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ld->err->msg, sizeof ld->err->msg, fmt, ap);
	va_end(ap);
	return -1;
}

#define FAIL_VALUE(ld, pos, ...) fail_at((ld), (pos)->line, (pos)->col, __VA_ARGS__)
#define FAIL_KEY(ld, pos, ...)                                                                     \
	fail_at((ld), (pos)->key_line ? (pos)->key_line : (pos)->line,                             \
	        (pos)->key_line ? (pos)->key_col : (pos)->col, __VA_ARGS__)

/* Refuse any member of obj not in allowed (NULL-terminated). */
static int
check_keys(struct loader *ld, json_t *obj, const struct jpos *p, const char *what,
           const char *const *allowed)
{
	for (void *it = json_object_iter(obj); it; it = json_object_iter_next(obj, it)) {
		const char *key = json_object_iter_key(it);
		const char *near = NULL;
		size_t best = 3;
		bool ok = false;
		for (const char *const *a = allowed; *a; a++) {
			if (strcmp(*a, key) == 0)
				ok = true;
			size_t d = str_edit_distance(key, *a);
			if (d < best) {
				best = d;
				near = *a;
			}
		}
		if (ok)
			continue;
		const struct jpos *kp = jpos_member(p, key);
		if (near)
			return FAIL_KEY(ld, kp, "%s: unknown key \"%s\" (did you mean \"%s\"?)",
			                what, key, near);
		char list[256] = "";
		for (const char *const *a = allowed; *a; a++) {
			size_t n = strlen(list);
			snprintf(list + n, sizeof list - n, "%s%s", n ? ", " : "", *a);
		}
		return FAIL_KEY(ld, kp, "%s: unknown key \"%s\" (known keys: %s)", what, key, list);
	}
	return 0;
}

/* obj's member key as a string: *out is borrowed from obj, NULL when absent. */
static int
get_string(struct loader *ld, json_t *obj, const struct jpos *p, const char *what, const char *key,
           const char **out)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v)
		return 0;
	if (!json_is_string(v))
		return FAIL_VALUE(ld, jpos_member(p, key), "%s: \"%s\" must be a string", what,
		                  key);
	*out = json_string_value(v);
	return 0;
}

static char *
dup_or_empty(const char *s)
{
	return xstrdup(s ? s : "");
}

/* obj's member key as an interval; *present says whether it was there. */
static int
get_duration(struct loader *ld, json_t *obj, const struct jpos *p, const char *what,
             const char *key, struct duration *out, bool *present)
{
	const char *s;
	*present = false;
	if (get_string(ld, obj, p, what, key, &s) < 0)
		return -1;
	if (!s)
		return 0;
	const struct jpos *vp = jpos_member(p, key);
	char why[160];
	if (duration_parse(s, out, why, sizeof why) < 0)
		return FAIL_VALUE(ld, vp, "%s: %s: %s", what, key, why);
	if (out->amount <= 0)
		return FAIL_VALUE(ld, vp, "%s: %s: \"%s\" must be longer than nothing", what, key,
		                  s);
	*present = true;
	return 0;
}

/*
 * Parse the expression in obj's member "when" into *out (NULL when absent),
 * recording where its text sits in r.
 */
static int
get_when(struct loader *ld, json_t *obj, const struct jpos *p, const char *what, struct rule *r)
{
	const char *src;
	if (get_string(ld, obj, p, what, "when", &src) < 0)
		return -1;
	if (!src)
		return 0;
	const struct jpos *vp = jpos_member(p, "when");
	r->when_off = vp->off;
	r->when_line = vp->line;
	r->when_col = vp->col;
	struct cs_error e = {0};
	r->when = expr_parse(src, &e);
	if (!r->when) {
		int col = e.col > 0 ? jpos_string_col(ld->text, vp->off, vp->col, (size_t)e.col - 1)
		                    : vp->col;
		return fail_at(ld, vp->line, col, "%s: %s", what, e.msg);
	}
	return 0;
}

/* ---- freeing ----------------------------------------------------------- */

static void
rule_free(struct rule *r)
{
	free(r->name);
	expr_free(r->when);
	free(r->spec);
}

static void
tier_free(struct tier *t)
{
	for (size_t i = 0; i < t->ntouches; i++) {
		struct touch *tc = &t->touches[i];
		free(tc->name);
		free(tc->on);
		free(tc->channel);
		free(tc->by);
		free(tc->fallback);
		free(tc->satisfies);
		free(tc->satisfied_by);
	}
	free(t->touches);
	strtab_free(&t->names);
	free(t->name);
	free(t->label);
}

static void
rules_free(struct rule *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		rule_free(&r[i]);
	free(r);
}

void
model_free(struct model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->ntiers; i++)
		tier_free(&m->tiers[i]);
	free(m->tiers);
	rules_free(m->tiering, m->ntiering);
	rules_free(m->removal, m->nremoval);
	for (size_t i = 0; i < m->npartners; i++) {
		rule_free(&m->partners[i].rule);
		free(m->partners[i].contact);
	}
	free(m->partners);
	for (size_t i = 0; i < m->nscore; i++)
		free(m->score[i].field);
	free(m->score);
	free(m->transition_script);
	for (size_t i = 0; i < m->nteam; i++) {
		free(m->team[i].name);
		free(m->team[i].email);
	}
	free(m->team);
	free(m->path);
	free(m->name);
	free(m->text);
	free(m);
}

/* ---- validation ---------------------------------------------------------- */

static const char *const model_keys[] = {"name",       "tiers", "tiering", "removal", "partners",
                                         "transition", "score", "start",   "stagger", "team",
                                         "retention", NULL};
static const char *const tier_keys[] = {"label", "touches", NULL};
static const char *const touch_keys[] = {
    "touch", "every", "on",    "lead", "after",     "within",   "once",  "expires", "channel",
    "by",    "minutes", "grace", "retry", "satisfies", "fallback", "per", NULL};

/*
 * The channels a "fallback" may name: those consent covers, and the others
 * people keep in touch by.
 */
static const char *const known_channels[] = {"phone", "call",  "email", "card", "gift",  "letter",
                                             "meeting", "video", "sms",   "text", "visit", NULL};

const char *
model_channel_consent(const char *channel)
{
	static const struct {
		const char *channel, *field;
	} map[] = {
	    {"phone", "do_not_call"}, {"call", "do_not_call"},  {"email", "do_not_email"},
	    {"card", "do_not_mail"},  {"gift", "do_not_mail"},  {"letter", "do_not_mail"},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (ascii_casecmp_eq(channel, map[i].channel))
			return map[i].field;
	return NULL;
}
static const char *const tiering_keys[] = {"tier", "when", NULL};
static const char *const removal_keys[] = {"reason", "when", NULL};
static const char *const partner_keys[] = {"name", "contact", "when", NULL};
static const char *const transition_keys[] = {"script", NULL};
static const char *const member_keys[] = {"hours", "email", NULL};
static const char *const retention_keys[] = {"archive", "log", NULL};

static bool
valid_tier_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' || *s == '+'))
			return false;
	return true;
}

/* Which of a touch's optional members it has: its kind follows from them. */
struct touch_spec {
	const char *on; /* borrowed from the JSON value; NULL when absent */
	bool every, lead, after, within, expires, once, grace, retry;
};

/* Read the members of touch v other than "touch" into t and spec. */
static int
touch_members(struct loader *ld, json_t *v, const struct jpos *p, const char *what, struct touch *t,
              struct touch_spec *spec)
{
	const char *channel, *by, *fallback, *per;
	if (get_string(ld, v, p, what, "on", &spec->on) < 0 ||
	    get_string(ld, v, p, what, "channel", &channel) < 0 ||
	    get_string(ld, v, p, what, "by", &by) < 0 ||
	    get_string(ld, v, p, what, "fallback", &fallback) < 0 ||
	    get_string(ld, v, p, what, "per", &per) < 0)
		return -1;
	t->channel = dup_or_empty(channel);
	t->by = by && *by ? xstrdup(by) : NULL;
	if (fallback) {
		bool known = false;
		for (const char *const *c = known_channels; *c; c++)
			known |= ascii_casecmp_eq(fallback, *c);
		if (!known)
			return FAIL_VALUE(ld, jpos_member(p, "fallback"),
			                  "%s: \"fallback\": \"%s\" is not a channel (phone, email, "
			                  "card, gift, letter, meeting, video, sms, visit...)",
			                  what, fallback);
		t->fallback = xstrdup(fallback);
	}
	if (per) {
		if (strcmp(per, "household") != 0 && strcmp(per, "client") != 0)
			return FAIL_VALUE(ld, jpos_member(p, "per"),
			                  "%s: \"per\" must be \"household\" or \"client\", not \"%s\"",
			                  what, per);
		t->per_household = strcmp(per, "household") == 0;
	}

	if (get_duration(ld, v, p, what, "every", &t->every, &spec->every) < 0 ||
	    get_duration(ld, v, p, what, "lead", &t->lead, &spec->lead) < 0 ||
	    get_duration(ld, v, p, what, "after", &t->after, &spec->after) < 0 ||
	    get_duration(ld, v, p, what, "within", &t->within, &spec->within) < 0 ||
	    get_duration(ld, v, p, what, "expires", &t->expires, &spec->expires) < 0 ||
	    get_duration(ld, v, p, what, "grace", &t->grace, &spec->grace) < 0 ||
	    get_duration(ld, v, p, what, "retry", &t->retry, &spec->retry) < 0)
		return -1;
	json_t *sat = json_object_get(v, "satisfies");
	if (sat && !json_is_array(sat))
		return FAIL_VALUE(ld, jpos_member(p, "satisfies"),
		                  "%s: \"satisfies\" must be a list of touches, such as [\"call\"]",
		                  what);

	json_t *once_v = json_object_get(v, "once");
	if (once_v && !json_is_boolean(once_v))
		return FAIL_VALUE(ld, jpos_member(p, "once"), "%s: \"once\" must be true or false",
		                  what);
	spec->once = json_is_true(once_v);

	json_t *minutes = json_object_get(v, "minutes");
	if (minutes) {
		if (!json_is_number(minutes) || json_number_value(minutes) < 0)
			return FAIL_VALUE(ld, jpos_member(p, "minutes"),
			                  "%s: \"minutes\" must be a number of minutes, 0 or more",
			                  what);
		t->minutes = json_number_value(minutes);
	}
	return 0;
}

/*
 * Set t's kind (and "on") from the members spec says it has, refusing a mix
 * a tool would have to guess about.
 */
static int
touch_kind(struct loader *ld, const struct jpos *p, const char *what, const struct touch_spec *spec,
           struct touch *t)
{
	if (spec->every && spec->on)
		return FAIL_VALUE(ld, jpos_member(p, "on"),
		                  "%s has both \"every\" and \"on\": a touch recurs at an interval "
		                  "or falls on a date, not both",
		                  what);
	if (!spec->every && !spec->on)
		return FAIL_VALUE(ld, p,
		                  "%s needs \"every\" (an interval such as \"monthly\") or "
		                  "\"on\" (a date field such as \"birthday\")",
		                  what);
	if (spec->on) {
		const struct jpos *op = jpos_member(p, "on");
		if (!*spec->on)
			return FAIL_VALUE(ld, op, "%s: \"on\" names no field", what);
		if (schema_is_canonical(spec->on) && schema_type(spec->on) != FIELD_DATE)
			return FAIL_VALUE(ld, op, "%s: \"on\": %s is not a date field", what,
			                  spec->on);
		t->on = xstrdup(spec->on);
	}
	if (spec->every) {
		t->kind = TOUCH_EVERY;
		if (spec->once)
			return FAIL_VALUE(ld, jpos_member(p, "once"),
			                  "%s: \"once\" needs \"on\", not \"every\"", what);
		if (spec->after || spec->within)
			return FAIL_VALUE(ld, jpos_member(p, spec->after ? "after" : "within"),
			                  "%s: \"%s\" needs \"on\", not \"every\"", what,
			                  spec->after ? "after" : "within");
	} else if (spec->after && spec->within) {
		return FAIL_VALUE(ld, jpos_member(p, "within"),
		                  "%s has both \"after\" and \"within\": give one", what);
	} else if (spec->after || spec->within) {
		const char *which = spec->after ? "after" : "within";
		if (!spec->once)
			return FAIL_VALUE(ld, jpos_member(p, which),
			                  "%s: \"%s\" is for a one-off touch: add \"once\": true",
			                  what, which);
		t->kind = spec->after ? TOUCH_ONCE_AFTER : TOUCH_ONCE_WITHIN;
	} else if (spec->once) {
		return FAIL_VALUE(
		    ld, jpos_member(p, "once"),
		    "%s: a \"once\" touch needs \"after\" (due that long after the date) "
		    "or \"within\" (due from the date until that long after)",
		    what);
	} else {
		t->kind = TOUCH_ON;
	}
	return 0;
}

/* The durations that apply only to some kinds, and their defaults. */
static int
touch_defaults(struct loader *ld, const struct jpos *p, const char *what,
               const struct touch_spec *spec, struct touch *t)
{
	if (spec->lead && t->kind != TOUCH_ON)
		return FAIL_VALUE(ld, jpos_member(p, "lead"),
		                  "%s: \"lead\" applies only to yearly \"on\" touches", what);
	if (spec->expires && t->kind != TOUCH_ONCE_AFTER)
		return FAIL_VALUE(ld, jpos_member(p, "expires"),
		                  "%s: \"expires\" applies only to \"once\" touches with \"after\"",
		                  what);
	if (spec->grace && t->kind != TOUCH_EVERY)
		return FAIL_VALUE(ld, jpos_member(p, "grace"),
		                  "%s: \"grace\" applies only to recurring \"every\" touches", what);
	if (!spec->grace)
		t->grace = (struct duration){0, DUR_DAYS};
	if (!spec->retry)
		t->retry = (struct duration){3, DUR_DAYS};
	if (!spec->lead)
		t->lead = (struct duration){0, DUR_DAYS};
	if (t->kind == TOUCH_ONCE_AFTER && !spec->expires)
		t->expires = (struct duration){90, DUR_DAYS};
	return 0;
}

/* Touch index of tier (whose earlier touches are loaded) from v into t. */
static int
load_touch(struct loader *ld, struct tier *tier, size_t index, json_t *v,
           const struct jpos *p, struct touch *t)
{
	char what[160];
	snprintf(what, sizeof what, "touch %zu of tier \"%s\"", index + 1, tier->name);
	t->line = p->line;
	t->col = p->col;
	if (!json_is_object(v))
		return FAIL_VALUE(ld, p,
		                  "%s must be an object such as {\"touch\": \"call\", \"every\": "
		                  "\"monthly\"}",
		                  what);
	const char *name;
	if (get_string(ld, v, p, what, "touch", &name) < 0)
		return -1;
	if (!name || !*name)
		return FAIL_VALUE(ld, name ? jpos_member(p, "touch") : p,
		                  "%s has no name: give it \"touch\": \"call\" or the like", what);
	t->name = xstrdup(name);
	bool added;
	if (strtab_intern(&tier->names, name, strlen(name), &added) < 0)
		return FAIL_VALUE(ld, p, "tier \"%s\" has too many touches", tier->name);
	if (!added)
		return FAIL_VALUE(ld, jpos_member(p, "touch"),
		                  "tier \"%s\" has two touches called \"%s\"", tier->name, name);
	snprintf(what, sizeof what, "touch \"%s\" of tier \"%s\"", name, tier->name);
	struct touch_spec spec = {0};
	if (check_keys(ld, v, p, what, touch_keys) < 0 ||
	    touch_members(ld, v, p, what, t, &spec) < 0 || touch_kind(ld, p, what, &spec, t) < 0 ||
	    touch_defaults(ld, p, what, &spec, t) < 0)
		return -1;
	return 0;
}

/*
 * Resolve each touch's "satisfies" (in touches, the tier's JSON array at sp)
 * to touch indices of the same tier, and fill the inverse satisfied_by.
 */
static int
resolve_satisfies(struct loader *ld, struct tier *t, json_t *touches, const struct jpos *sp)
{
	for (size_t i = 0; i < t->ntouches; i++) {
		struct touch *s = &t->touches[i];
		const struct jpos *tp = jpos_item(sp, i);
		json_t *arr = json_object_get(json_array_get(touches, i), "satisfies");
		const struct jpos *ap = jpos_member(tp, "satisfies");
		size_t n = json_array_size(arr);
		s->satisfies = n ? xcalloc(n, sizeof *s->satisfies) : NULL;
		for (size_t k = 0; k < n; k++) {
			json_t *name = json_array_get(arr, k);
			const struct jpos *np = jpos_item(ap, k);
			if (!json_is_string(name))
				return FAIL_VALUE(ld, np,
				                  "touch \"%s\" of tier \"%s\": \"satisfies\" lists touch "
				                  "names, such as \"call\"",
				                  s->name, t->name);
			const char *want = json_string_value(name);
			long found = strtab_lookup(&t->names, want);
			size_t j = found < 0 ? t->ntouches : (size_t)found;
			if (j == t->ntouches) {
				char list[256] = "";
				for (size_t x = 0; x < t->ntouches; x++) {
					size_t len = strlen(list);
					snprintf(list + len, sizeof list - len, "%s%s", len ? ", " : "",
					         t->touches[x].name);
				}
				return FAIL_VALUE(ld, np,
				                  "touch \"%s\" of tier \"%s\": \"satisfies\": the tier has "
				                  "no touch \"%s\" (it has %s)",
				                  s->name, t->name, want, list);
			}
			if (j == i)
				return FAIL_VALUE(ld, np,
				                  "touch \"%s\" of tier \"%s\": a touch cannot satisfy itself",
				                  s->name, t->name);
			s->satisfies[s->nsatisfies++] = j;
			struct touch *target = &t->touches[j];
			target->satisfied_by =
			    xrealloc(target->satisfied_by,
			             (target->nsatisfied_by + 1) * sizeof *target->satisfied_by);
			target->satisfied_by[target->nsatisfied_by++] = i;
		}
	}
	return 0;
}

static int
load_tiers(struct loader *ld, struct model *m, json_t *tiers, const struct jpos *p)
{
	if (!tiers)
		return FAIL_VALUE(ld, p,
		                  "the model has no \"tiers\": give at least one, such as "
		                  "\"A\": {\"touches\": [...]}");
	if (!json_is_object(tiers))
		return FAIL_VALUE(ld, p, "\"tiers\" must be an object of tiers by name");
	if (json_object_size(tiers) == 0)
		return FAIL_VALUE(ld, p, "\"tiers\" is empty: give at least one tier");
	m->tiers = xcalloc(json_object_size(tiers), sizeof *m->tiers);
	for (void *it = json_object_iter(tiers); it; it = json_object_iter_next(tiers, it)) {
		const char *name = json_object_iter_key(it);
		json_t *v = json_object_iter_value(it);
		const struct jpos *tp = jpos_member(p, name);
		struct tier *t = &m->tiers[m->ntiers++];
		t->name = xstrdup(name);
		t->line = tp->key_line;
		t->col = tp->key_col;
		if (!valid_tier_name(name))
			return FAIL_KEY(
			    ld, tp,
			    "tier name \"%s\" may hold only letters, digits, '_', '-' and '+'",
			    name);
		char what[96];
		snprintf(what, sizeof what, "tier \"%s\"", name);
		if (!json_is_object(v))
			return FAIL_VALUE(ld, tp, "%s must be an object with \"touches\"", what);
		if (check_keys(ld, v, tp, what, tier_keys) < 0)
			return -1;
		const char *label;
		if (get_string(ld, v, tp, what, "label", &label) < 0)
			return -1;
		t->label = dup_or_empty(label);
		json_t *touches = json_object_get(v, "touches");
		const struct jpos *sp = jpos_member(tp, "touches");
		if (touches && !json_is_array(touches))
			return FAIL_VALUE(ld, sp, "%s: \"touches\" must be an array", what);
		if (!touches)
			return FAIL_KEY(ld, tp, "%s has no touches", what);
		if (json_array_size(touches) == 0)
			return FAIL_VALUE(ld, sp, "%s has no touches", what);
		t->touches = xcalloc(json_array_size(touches), sizeof *t->touches);
		for (size_t i = 0; i < json_array_size(touches); i++) {
			t->ntouches++;
			if (load_touch(ld, t, i, json_array_get(touches, i), jpos_item(sp, i),
			               &t->touches[i]) < 0)
				return -1;
		}
		if (resolve_satisfies(ld, t, touches, sp) < 0)
			return -1;
	}
	return 0;
}

/* The model's "start" (a date with a year) and "stagger" (a boolean). */
static int
load_start(struct loader *ld, struct model *m, json_t *root, const struct jpos *p)
{
	const char *start;
	if (get_string(ld, root, p, "the model", "start", &start) < 0)
		return -1;
	if (start) {
		char why[64];
		const struct jpos *vp = jpos_member(p, "start");
		if (date_parse(start, strlen(start), DATE_ORDER_YMD, 0, &m->start, why, sizeof why) <
		        0 ||
		    m->start.year == 0)
			return FAIL_VALUE(ld, vp,
			                  "\"start\": \"%s\" is not a date such as \"2027-01-01\"",
			                  start);
		m->has_start = true;
	}
	json_t *stagger = json_object_get(root, "stagger");
	if (stagger && !json_is_boolean(stagger))
		return FAIL_VALUE(ld, jpos_member(p, "stagger"), "\"stagger\" must be true or false");
	m->stagger = json_is_true(stagger);
	return 0;
}

char *
model_tier_list(const struct model *m, char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < m->ntiers && n < size; i++) {
		int w = snprintf(buf + n, size - n, "%s%s", i ? ", " : "", m->tiers[i].name);
		if (w < 0)
			break;
		n += (size_t)w;
	}
	return buf;
}

/* A rule after one that always matches can never match: say so. */
static int
check_reachable(struct loader *ld, const struct rule *rules, size_t n, const char *set, int line,
                int col)
{
	for (size_t i = 0; i + 1 < n; i++)
		if (!rules[i].when)
			return fail_at(ld, line, col,
			               "%s rule %zu can never match: rule %zu has no \"when\" and "
			               "matches everything",
			               set, n, i + 1);
	return 0;
}

/* Tiering rules (tiering) or removal rules (!tiering). */
static int
load_rules(struct loader *ld, struct model *m, json_t *arr, const struct jpos *p, bool tiering)
{
	const char *set = tiering ? "tiering" : "removal";
	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return FAIL_VALUE(ld, p, "\"%s\" must be an array of rules", set);
	size_t n = json_array_size(arr);
	struct rule *rules = xcalloc(n, sizeof *rules);
	size_t *count = tiering ? &m->ntiering : &m->nremoval;
	if (tiering)
		m->tiering = rules;
	else
		m->removal = rules;
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_array_get(arr, i);
		const struct jpos *rp = jpos_item(p, i);
		struct rule *r = &rules[(*count)++];
		r->line = rp->line;
		r->col = rp->col;
		char what[64];
		snprintf(what, sizeof what, "%s rule %zu", set, i + 1);
		if (!json_is_object(v))
			return FAIL_VALUE(ld, rp, "%s must be an object such as %s", what,
			                  tiering
			                      ? "{\"tier\": \"A\", \"when\": \"revenue >= 10000\"}"
			                      : "{\"reason\": \"...\", \"when\": \"...\"}");
		if (check_keys(ld, v, rp, what, tiering ? tiering_keys : removal_keys) < 0)
			return -1;
		const char *key = tiering ? "tier" : "reason";
		const char *name;
		if (get_string(ld, v, rp, what, key, &name) < 0)
			return -1;
		if (!name || !*name)
			return FAIL_VALUE(ld, name ? jpos_member(rp, key) : rp, "%s has no \"%s\"",
			                  what, key);
		r->name = xstrdup(name);
		if (tiering && !model_tier(m, name)) {
			char list[256];
			return FAIL_VALUE(ld, jpos_member(rp, key),
			                  "%s: tier \"%s\" is not a tier of this model (%s)", what,
			                  name, model_tier_list(m, list, sizeof list));
		}
		if (get_when(ld, v, rp, what, r) < 0)
			return -1;
		if (!tiering && !r->when)
			return FAIL_VALUE(ld, rp, "%s has no \"when\": it would remove everyone",
			                  what);
		if (check_reachable(ld, rules, *count, set, rp->line, rp->col) < 0)
			return -1;
	}
	return 0;
}

static int
load_partners(struct loader *ld, struct model *m, json_t *arr, const struct jpos *p)
{
	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return FAIL_VALUE(ld, p, "\"partners\" must be an array");
	m->partners = xcalloc(json_array_size(arr), sizeof *m->partners);
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *v = json_array_get(arr, i);
		const struct jpos *pp = jpos_item(p, i);
		struct partner *pa = &m->partners[m->npartners++];
		pa->rule.line = pp->line;
		pa->rule.col = pp->col;
		char what[64];
		snprintf(what, sizeof what, "partner %zu", i + 1);
		if (!json_is_object(v))
			return FAIL_VALUE(ld, pp,
			                  "%s must be an object such as {\"name\": \"...\", "
			                  "\"contact\": \"...\", \"when\": \"...\"}",
			                  what);
		if (check_keys(ld, v, pp, what, partner_keys) < 0)
			return -1;
		const char *name, *contact;
		if (get_string(ld, v, pp, what, "name", &name) < 0 ||
		    get_string(ld, v, pp, what, "contact", &contact) < 0)
			return -1;
		if (!name || !*name)
			return FAIL_VALUE(ld, name ? jpos_member(pp, "name") : pp,
			                  "%s has no \"name\"", what);
		pa->rule.name = xstrdup(name);
		pa->contact = dup_or_empty(contact);
		if (get_when(ld, v, pp, what, &pa->rule) < 0)
			return -1;
	}
	return 0;
}

static int
load_transition(struct loader *ld, struct model *m, json_t *v, const struct jpos *p)
{
	if (!v)
		return 0;
	if (!json_is_object(v))
		return FAIL_VALUE(ld, p,
		                  "\"transition\" must be an object such as {\"script\": "
		                  "\"Dear {first_name}, ...\"}");
	if (check_keys(ld, v, p, "transition", transition_keys) < 0)
		return -1;
	const char *script;
	if (get_string(ld, v, p, "transition", "script", &script) < 0)
		return -1;
	if (script) {
		const struct jpos *sp = jpos_member(p, "script");
		m->transition_script = xstrdup(script);
		m->script_off = sp->off;
		m->script_line = sp->line;
		m->script_col = sp->col;
	}
	return 0;
}

static int
load_score(struct loader *ld, struct model *m, json_t *v, const struct jpos *p)
{
	if (!v)
		return 0;
	if (!json_is_object(v) || json_object_size(v) == 0)
		return FAIL_VALUE(ld, p,
		                  "\"score\" must be an object of weights by field, such as "
		                  "{\"revenue\": 0.001, \"referrals\": 5}");
	m->score = xcalloc(json_object_size(v), sizeof *m->score);
	for (void *it = json_object_iter(v); it; it = json_object_iter_next(v, it)) {
		const char *field = json_object_iter_key(it);
		json_t *w = json_object_iter_value(it);
		const struct jpos *wp = jpos_member(p, field);
		struct score_weight *s = &m->score[m->nscore++];
		s->field = xstrdup(field);
		s->column = -1;
		s->line = wp->key_line;
		s->col = wp->key_col;
		if (!*field)
			return FAIL_KEY(ld, wp, "score: a weight names no field");
		if (!json_is_number(w))
			return FAIL_VALUE(ld, wp, "score: the weight of %s must be a number",
			                  field);
		s->weight = json_number_value(w);
	}
	return 0;
}

static int
member_cmp(const void *a, const void *b)
{
	return strcmp(((const struct team_member *)a)->name, ((const struct team_member *)b)->name);
}

/* "team": {"NAME": {"hours": H}, ...}: hours a week for touches. */
static int
load_team(struct loader *ld, struct model *m, json_t *v, const struct jpos *p)
{
	if (!v)
		return 0;
	if (!json_is_object(v))
		return FAIL_VALUE(ld, p,
		                  "\"team\" must be an object of people, such as "
		                  "{\"Ann\": {\"hours\": 20}}");
	m->team = xcalloc(json_object_size(v) + 1, sizeof *m->team);
	for (void *it = json_object_iter(v); it; it = json_object_iter_next(v, it)) {
		const char *name = json_object_iter_key(it);
		json_t *mv = json_object_iter_value(it);
		const struct jpos *mp = jpos_member(p, name);
		struct team_member *tm = &m->team[m->nteam++];
		tm->name = xstrdup(name);
		tm->line = mp->key_line;
		tm->col = mp->key_col;
		char what[96];
		snprintf(what, sizeof what, "team member \"%.60s\"", name);
		if (!*name)
			return FAIL_KEY(ld, mp, "team: a member has no name");
		if (!json_is_object(mv))
			return FAIL_VALUE(ld, mp, "%s must be an object such as {\"hours\": 20}",
			                  what);
		if (check_keys(ld, mv, mp, what, member_keys) < 0)
			return -1;
		json_t *h = json_object_get(mv, "hours");
		if (!h)
			return FAIL_VALUE(ld, mp, "%s has no \"hours\" (hours a week for touches)",
			                  what);
		const struct jpos *hp = jpos_member(mp, "hours");
		if (!json_is_number(h))
			return FAIL_VALUE(ld, hp, "%s: \"hours\" must be a number", what);
		tm->hours = json_number_value(h);
		if (!(tm->hours >= 0 && tm->hours <= 168))
			return FAIL_VALUE(ld, hp,
			                  "%s: \"hours\" must be between 0 and 168 (a week)", what);
		const char *email;
		if (get_string(ld, mv, mp, what, "email", &email) < 0)
			return -1;
		if (email && (!strchr(email, '@') || strpbrk(email, " \t\r\n,;<>\"")))
			return FAIL_VALUE(ld, jpos_member(mp, "email"),
			                  "%s: \"email\": \"%s\" is not one e-mail address", what,
			                  email);
		tm->email = email ? xstrdup(email) : NULL;
	}
	qsort(m->team, m->nteam, sizeof *m->team, member_cmp);
	return 0;
}

const struct team_member *
model_team_member(const struct model *m, const char *name)
{
	if (!m->nteam)
		return NULL;
	struct team_member key = {.name = (char *)name};
	return bsearch(&key, m->team, m->nteam, sizeof *m->team, member_cmp);
}

/* "retention": {"archive": "6y", "log": "6y"}. */
static int
load_retention(struct loader *ld, struct model *m, json_t *v, const struct jpos *p)
{
	if (!v)
		return 0;
	if (!json_is_object(v))
		return FAIL_VALUE(ld, p,
		                  "\"retention\" must be an object such as {\"archive\": \"6y\", "
		                  "\"log\": \"6y\"}");
	if (check_keys(ld, v, p, "retention", retention_keys) < 0)
		return -1;
	bool present;
	if (get_duration(ld, v, p, "retention", "archive", &m->retain_archive, &present) < 0 ||
	    get_duration(ld, v, p, "retention", "log", &m->retain_log, &present) < 0)
		return -1;
	return 0;
}

static int
load_model(struct loader *ld, struct model *m, json_t *root, const struct jpos *p)
{
	if (!json_is_object(root))
		return FAIL_VALUE(ld, p, "the model must be a JSON object {\"tiers\": ...}");
	if (check_keys(ld, root, p, "the model", model_keys) < 0)
		return -1;
	const char *name;
	if (get_string(ld, root, p, "the model", "name", &name) < 0)
		return -1;
	m->name = dup_or_empty(name);
	json_t *tiers = json_object_get(root, "tiers");
	if (load_tiers(ld, m, tiers, tiers ? jpos_member(p, "tiers") : p) < 0 ||
	    load_start(ld, m, root, p) < 0 ||
	    load_rules(ld, m, json_object_get(root, "tiering"), jpos_member(p, "tiering"), true) <
	        0 ||
	    load_rules(ld, m, json_object_get(root, "removal"), jpos_member(p, "removal"), false) <
	        0 ||
	    load_partners(ld, m, json_object_get(root, "partners"), jpos_member(p, "partners")) <
	        0 ||
	    load_transition(ld, m, json_object_get(root, "transition"),
	                    jpos_member(p, "transition")) < 0 ||
	    load_score(ld, m, json_object_get(root, "score"), jpos_member(p, "score")) < 0 ||
	    load_team(ld, m, json_object_get(root, "team"), jpos_member(p, "team")) < 0 ||
	    load_retention(ld, m, json_object_get(root, "retention"),
	                   jpos_member(p, "retention")) < 0)
		return -1;
	return 0;
}

struct model *
model_parse(const char *text, size_t len, const char *name, struct cs_error *err)
{
	/* Editors on Windows start a file with a BOM, which jansson refuses; no editor shows it. */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		text += 3;
		len -= 3;
	}
	json_error_t je;
	/* A repeated key would silently overwrite the first: refuse it. */
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		if (err) {
			cs_error_set(err, name, je.line > 0 ? je.line : 0, "%s", je.text);
			err->col = je.column > 0 ? je.column : 0;
		}
		return NULL;
	}
	struct model *m = xcalloc(1, sizeof *m);
	m->path = xstrdup(name);
	/* All len bytes: the scanner must see what jansson saw, NUL bytes too. */
	m->text = xmalloc(len + 1);
	memcpy(m->text, text, len);
	m->text[len] = '\0';
	struct jpos pos = {0};
	struct loader ld = {.file = name, .text = m->text, .err = err};
	int rc = jpos_scan(m->text, len, &pos, err);
	if (rc < 0 && err)
		err->file = name;
	else if (rc == 0)
		rc = load_model(&ld, m, root, &pos);
	jpos_free(&pos);
	json_decref(root);
	if (rc < 0) {
		model_free(m);
		return NULL;
	}
	return m;
}

struct model *
model_load(const char *path, struct cs_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		cs_error_set(err, path, 0, "cannot open the model: %s", strerror(errno));
		return NULL;
	}
	struct buf text = {0};
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&text, chunk, n);
	int failed = ferror(f);
	int saved = errno;
	fclose(f);
	struct model *m = NULL;
	if (failed)
		cs_error_set(err, path, 0, "cannot read the model: %s", strerror(saved));
	else
		m = model_parse(buf_str(&text), text.len, path, err);
	buf_free(&text);
	return m;
}

struct model *
model_load_default(struct cs_error *err)
{
	return model_parse(cs_default_model_json, strlen(cs_default_model_json), MODEL_BUILTIN_NAME,
	                   err);
}

struct model *
model_open(const char *opt_path, struct cs_error *err)
{
	if (opt_path)
		return model_load(opt_path, err);
	const char *env = getenv("CS_MODEL");
	if (env && *env)
		return model_load(env, err);
	return model_load_default(err);
}

const struct tier *
model_tier(const struct model *m, const char *name)
{
	for (size_t i = 0; i < m->ntiers; i++)
		if (strcmp(m->tiers[i].name, name) == 0)
			return &m->tiers[i];
	return NULL;
}

const struct touch *
model_touch(const struct tier *t, const char *name)
{
	long i = strtab_lookup(&t->names, name);
	return i < 0 ? NULL : &t->touches[i];
}

bool
model_has_tier(const struct model *m, const char *name)
{
	for (size_t i = 0; i < m->ntiers; i++)
		if (ascii_casecmp_eq(m->tiers[i].name, name))
			return true;
	return false;
}

const struct touch *
model_find_touch(const struct model *m, const char *tier, const char *touch)
{
	const struct tier *t = tier ? model_tier(m, tier) : NULL;
	for (size_t j = 0; t && j < t->ntouches; j++)
		if (ascii_casecmp_eq(t->touches[j].name, touch))
			return &t->touches[j];
	for (size_t i = 0; i < m->ntiers; i++)
		for (size_t j = 0; j < m->tiers[i].ntouches; j++)
			if (ascii_casecmp_eq(m->tiers[i].touches[j].name, touch))
				return &m->tiers[i].touches[j];
	return NULL;
}

/* ---- rules from the command line ----------------------------------------- */

/* Parse one "TIER: EXPRESSION" into r. */
static int
parse_rule_spec(const struct model *m, const char *spec, struct rule *r, struct cs_error *err)
{
	const char *colon = strchr(spec, ':');
	const char *name = spec;
	size_t len = colon ? (size_t)(colon - spec) : strlen(spec);
	str_trim(&name, &len);
	r->spec = xstrdup(spec);
	r->name = xstrndup(name, len);
	if (!*r->name)
		return cs_error_set(err, NULL, 0,
		                    "--rule \"%s\": no tier before ':' (write TIER: "
		                    "EXPRESSION, such as 'A: revenue > 20000')",
		                    spec);
	if (!model_tier(m, r->name)) {
		char list[256];
		return cs_error_set(err, NULL, 0,
		                    "--rule \"%s\": tier \"%s\" is not a tier of the "
		                    "model (%s)",
		                    spec, r->name, model_tier_list(m, list, sizeof list));
	}
	if (!colon)
		return 0;
	const char *src = colon + 1;
	while (*src == ' ' || *src == '\t')
		src++;
	/* "A:" with nothing after it is a slip, not a rule that matches everything ("A"). */
	if (!*src)
		return cs_error_set(
		    err, NULL, 0,
		    "--rule \"%s\": no expression after ':' (write '%s' alone for a "
		    "rule that matches every record)",
		    spec, r->name);
	r->spec_off = (size_t)(src - spec);
	struct cs_error e = {0};
	r->when = expr_parse(src, &e);
	if (!r->when)
		return cs_error_set(err, NULL, 0, "--rule \"%s\": column %zu: %s", spec,
		                    r->spec_off + (size_t)(e.col > 0 ? e.col : 1), e.msg);
	return 0;
}

int
model_set_tiering(struct model *m, const char *const *specs, size_t n, struct cs_error *err)
{
	struct rule *rules = xcalloc(n, sizeof *rules);
	for (size_t i = 0; i < n; i++) {
		int rc = parse_rule_spec(m, specs[i], &rules[i], err);
		if (rc == 0 && i > 0 && !rules[i - 1].when)
			rc = cs_error_set(err, NULL, 0,
			                  "--rule \"%s\" can never match: --rule \"%s\" "
			                  "before it matches everything",
			                  specs[i], specs[i - 1]);
		if (rc < 0) {
			rules_free(rules, i + 1);
			return -1;
		}
	}
	rules_free(m->tiering, m->ntiering);
	m->tiering = rules;
	m->ntiering = n;
	return 0;
}

int
model_string_col(const struct model *m, size_t quote_off, int quote_col, size_t k)
{
	return jpos_string_col(m->text, quote_off, quote_col, k);
}

/* ---- binding and evaluation ---------------------------------------------- */

static int
bind_rule(const struct model *m, struct rule *r, const char *what, const struct header *h,
          struct cs_error *err)
{
	if (!r->when)
		return 0;
	struct cs_error e = {0};
	if (expr_bind(r->when, h, &e) == 0)
		return 0;
	if (r->spec)
		return cs_error_set(err, NULL, 0, "--rule \"%s\": column %zu: %s", r->spec,
		                    r->spec_off + (size_t)(e.col > 0 ? e.col : 1), e.msg);
	cs_error_set(err, m->path, r->when_line, "%s: %s", what, e.msg);
	if (err)
		err->col = e.col > 0 ? jpos_string_col(m->text, r->when_off, r->when_col,
		                                       (size_t)e.col - 1)
		                     : r->when_col;
	return -1;
}

int
model_bind(struct model *m, const struct header *h, unsigned what, struct cs_error *err)
{
	char name[64];
	if (what & MODEL_BIND_TIERING)
		for (size_t i = 0; i < m->ntiering; i++) {
			snprintf(name, sizeof name, "tiering rule %zu", i + 1);
			if (bind_rule(m, &m->tiering[i], name, h, err) < 0)
				return -1;
		}
	if (what & MODEL_BIND_REMOVAL)
		for (size_t i = 0; i < m->nremoval; i++) {
			snprintf(name, sizeof name, "removal rule %zu", i + 1);
			if (bind_rule(m, &m->removal[i], name, h, err) < 0)
				return -1;
		}
	if (what & MODEL_BIND_PARTNERS)
		for (size_t i = 0; i < m->npartners; i++) {
			snprintf(name, sizeof name, "partner %zu", i + 1);
			if (bind_rule(m, &m->partners[i].rule, name, h, err) < 0)
				return -1;
		}
	if (what & MODEL_BIND_SCORE)
		for (size_t i = 0; i < m->nscore; i++) {
			struct score_weight *s = &m->score[i];
			s->column = header_find(h, s->field);
			/* As in expressions: an absent canonical field is null, anything else a
			 * mistake. */
			if (s->column < 0 && !schema_is_canonical(s->field)) {
				cs_error_set(err, m->path, s->line, "score: unknown field \"%s\"",
				             s->field);
				if (err)
					err->col = s->col;
				return -1;
			}
		}
	return 0;
}

const struct rule *
model_match_tier(const struct model *m, const struct record *rec, const struct expr_env *env)
{
	for (size_t i = 0; i < m->ntiering; i++)
		if (!m->tiering[i].when || expr_test(m->tiering[i].when, rec, env))
			return &m->tiering[i];
	return NULL;
}

const struct rule *
model_match_removal(const struct model *m, const struct record *rec, const struct expr_env *env)
{
	for (size_t i = 0; i < m->nremoval; i++)
		if (expr_test(m->removal[i].when, rec, env))
			return &m->removal[i];
	return NULL;
}

const struct partner *
model_match_partner(const struct model *m, const struct record *rec, const struct expr_env *env)
{
	for (size_t i = 0; i < m->npartners; i++)
		if (!m->partners[i].rule.when || expr_test(m->partners[i].rule.when, rec, env))
			return &m->partners[i];
	return NULL;
}

/* A field's value in the score: a number, a boolean as 1 or 0, else 0. */
static double
score_value(const char *field, const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	if (schema_type(field) != FIELD_BOOL &&
	    ((*s >= '0' && *s <= '9') || *s == '-' || *s == '+' || *s == '.')) {
		char *end;
		double d = strtod(s, &end);
		while (*end == ' ' || *end == '\t')
			end++;
		if (!*end && isfinite(d))
			return d;
	}
	int b = schema_parse_bool(s);
	return b > 0 ? 1 : 0;
}

double
model_score(const struct model *m, const struct record *rec)
{
	double sum = 0;
	for (size_t i = 0; i < m->nscore; i++) {
		const struct score_weight *s = &m->score[i];
		if (s->column >= 0)
			sum += s->weight *
			       score_value(s->field, record_get(rec, (size_t)s->column, NULL));
	}
	double r = round(sum * 100) / 100;
	return r == 0 ? 0 : r; /* no "-0" */
}

/* ---- summary ------------------------------------------------------------- */

double
touch_per_year(const struct touch *t)
{
	switch (t->kind) {
	case TOUCH_EVERY:
		return duration_per_year(t->every);
	case TOUCH_ON:
		return 1;
	default:
		return 0;
	}
}

double
touch_per_year_credited(const struct tier *t, size_t j)
{
	const struct touch *tc = &t->touches[j];
	double n = touch_per_year(tc);
	for (size_t k = 0; k < tc->nsatisfied_by; k++)
		n -= touch_per_year(&t->touches[tc->satisfied_by[k]]);
	return n > 0 ? n : 0;
}

double
tier_minutes_per_year(const struct tier *t)
{
	double minutes = 0;
	for (size_t j = 0; j < t->ntouches; j++)
		minutes += touch_per_year_credited(t, j) * t->touches[j].minutes;
	return minutes;
}

bool
touch_satisfies(const struct tier *tier, const struct touch *s, const struct touch *t)
{
	for (size_t k = 0; k < s->nsatisfies; k++)
		if (&tier->touches[s->satisfies[k]] == t)
			return true;
	return false;
}

/* A rate for people: whole numbers as such, else one decimal. */
static void
format_rate(double d, char buf[32])
{
	if (fabs(d - round(d)) < 0.05)
		snprintf(buf, 32, "%.0f", round(d));
	else
		snprintf(buf, 32, "%.1f", d);
}

/* An interval for people: "3 months", "1 year"; "month" after "every". */
static const char *
say_duration(struct duration d, bool every, char buf[32])
{
	static const char *const units[] = {"day", "week", "month", "year"};
	if (d.amount == 1)
		snprintf(buf, 32, "%s%s", every ? "" : "1 ", units[d.unit]);
	else
		snprintf(buf, 32, "%ld %ss", d.amount, units[d.unit]);
	return buf;
}

static void
describe_touch(const struct touch *t, char *buf, size_t size)
{
	char a[32], b[32];
	switch (t->kind) {
	case TOUCH_EVERY:
		if (t->grace.amount)
			snprintf(buf, size, "every %s, grace %s", say_duration(t->every, true, a),
			         say_duration(t->grace, false, b));
		else
			snprintf(buf, size, "every %s", say_duration(t->every, true, a));
		break;
	case TOUCH_ON:
		if (t->lead.amount)
			snprintf(buf, size, "yearly on %s, %s ahead", t->on,
			         say_duration(t->lead, false, a));
		else
			snprintf(buf, size, "yearly on %s", t->on);
		break;
	case TOUCH_ONCE_AFTER:
		snprintf(buf, size, "once, %s after %s (listed for %s)",
		         say_duration(t->after, false, a), t->on,
		         say_duration(t->expires, false, b));
		break;
	case TOUCH_ONCE_WITHIN:
		snprintf(buf, size, "once, within %s of %s", say_duration(t->within, false, a),
		         t->on);
		break;
	}
}

static void
summary_rules(FILE *out, const char *title, const struct rule *r, size_t n)
{
	if (!n)
		return;
	fprintf(out, "\n%s:\n", title);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "  %zu. %s: %s\n", i + 1, r[i].name,
		        r[i].when ? expr_source(r[i].when) : "always");
}

/* One tier's line and its touches, the touches' columns name_w and when_w wide. */
static void
summary_tier(FILE *out, const struct tier *t, int name_w, int when_w)
{
	double per_year = 0, minutes = tier_minutes_per_year(t);
	size_t once = 0;
	for (size_t j = 0; j < t->ntouches; j++) {
		per_year += touch_per_year_credited(t, j);
		once += t->touches[j].kind == TOUCH_ONCE_AFTER ||
		        t->touches[j].kind == TOUCH_ONCE_WITHIN;
	}
	char py[32], mn[32], hr[32];
	format_rate(per_year, py);
	format_rate(minutes, mn);
	format_rate(minutes / 60, hr);
	fprintf(out, "\ntier %s%s%s%s: %s touch%s a year", t->name, *t->label ? " (" : "", t->label,
	        *t->label ? ")" : "", py, strcmp(py, "1") ? "es" : "");
	if (once)
		fprintf(out, " + %zu one-off", once);
	fprintf(out, ", %s minutes (%s hour%s) a year per client\n", mn, hr,
	        strcmp(hr, "1") ? "s" : "");
	for (size_t j = 0; j < t->ntouches; j++) {
		const struct touch *tc = &t->touches[j];
		char when[160], rate[32];
		describe_touch(tc, when, sizeof when);
		fprintf(out, "  %-*s  %-*s", name_w, tc->name, when_w, when);
		if (tc->kind == TOUCH_EVERY || tc->kind == TOUCH_ON) {
			format_rate(touch_per_year_credited(t, j), rate);
			fprintf(out, "  %4s/yr", rate);
		} else {
			fprintf(out, "  %7s", "");
		}
		if (tc->minutes > 0) {
			format_rate(tc->minutes, rate);
			fprintf(out, "  %4s min", rate);
		} else {
			fprintf(out, "  %8s", "");
		}
		fprintf(out, "  %s", *tc->channel ? tc->channel : "-");
		if (tc->by)
			fprintf(out, ", by %s", tc->by);
		if (tc->fallback)
			fprintf(out, ", else %s", tc->fallback);
		if (tc->per_household)
			fprintf(out, ", per household");
		for (size_t k = 0; k < tc->nsatisfies; k++)
			fprintf(out, "%s %s", k ? "," : "; counts as", t->touches[tc->satisfies[k]].name);
		fputc('\n', out);
	}
}

void
model_summary(FILE *out, const struct model *m)
{
	fprintf(out, "model: %s\n", *m->name ? m->name : "(no name)");
	fprintf(out, "file: %s\n", m->path);
	if (m->has_start) {
		char d[16];
		fprintf(out, "start: %s%s\n", date_format(m->start, d),
		        m->stagger ? ", never-contacted clients staggered over each interval" : "");
	} else if (m->stagger) {
		fprintf(out, "stagger: on, but no \"start\": never-contacted clients are due today\n");
	}
	/* Align the touches of all tiers alike, so tiers compare at a glance. */
	int name_w = 5, when_w = 4;
	for (size_t i = 0; i < m->ntiers; i++)
		for (size_t j = 0; j < m->tiers[i].ntouches; j++) {
			char when[160];
			describe_touch(&m->tiers[i].touches[j], when, sizeof when);
			if ((int)strlen(when) > when_w)
				when_w = (int)strlen(when);
			if ((int)strlen(m->tiers[i].touches[j].name) > name_w)
				name_w = (int)strlen(m->tiers[i].touches[j].name);
		}
	for (size_t i = 0; i < m->ntiers; i++)
		summary_tier(out, &m->tiers[i], name_w, when_w);
	summary_rules(out, "tiering (first match wins)", m->tiering, m->ntiering);
	summary_rules(out, "removal (first match gives the reason)", m->removal, m->nremoval);
	if (m->npartners) {
		fprintf(out, "\npartners:\n");
		for (size_t i = 0; i < m->npartners; i++) {
			const struct partner *p = &m->partners[i];
			fprintf(out, "  %s", p->rule.name);
			if (*p->contact)
				fprintf(out, " <%s>", p->contact);
			fprintf(out, ": %s\n", p->rule.when ? expr_source(p->rule.when) : "anyone");
		}
	}
	if (m->nscore) {
		fprintf(out, "\nscore =");
		for (size_t i = 0; i < m->nscore; i++) {
			char w[32];
			fprintf(out, "%s %s x %s", i ? " +" : "",
			        format_double(m->score[i].weight, w), m->score[i].field);
		}
		fputc('\n', out);
	}
	fprintf(out, "\ntransition script: %s\n", m->transition_script ? "yes" : "none");
}
