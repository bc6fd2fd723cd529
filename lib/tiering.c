/*
 * tiering.c - deciding each client's tier, and counting the moves.
 *
 * A record is decided from its own fields only, so a run streams: nothing
 * is kept from one record to the next but the counts.  The summary counts
 * moves in a square table indexed by tier (no tier, the model's tiers, then
 * "other" for a tier the model does not know), so counting is an increment
 * and the summary can list the moves in the model's order.
 *
 * The --explain reasons ("rule 2: revenue >= 10000", "--where ...") are
 * built once when the run is set up, so a record's reason is a borrowed
 * string, not a format per record.
 */
#include "tiering.h"

#include <stdlib.h>
#include <string.h>

#include "schema.h"

/* The columns of the output header; -1 for one not written. */
struct columns {
	long tier, locked_in;                 /* locked_in: tier_locked in the input, or -1 */
	long locked, score, reason, old_tier; /* -1 when not written */
};

struct tiering {
	struct model *m; /* borrowed */
	struct tiering_options o;
	struct expr_env env;
	char **reasons; /* per tiering rule, for tier_reason */
	size_t nreasons;
	char *set_reason; /* for --set */
	long *moves;      /* (ntiers + 2)^2 counts: see tier_index */
	long unchanged, kept_locked;
	struct columns col; /* of the input last started */
	size_t width;       /* its output header's width */
	struct buf old;     /* the record's old tier, while it is replaced */
	bool score_warned;
	const char *reason; /* the last record's, borrowed */
};

struct tiering *
tiering_new(struct model *m, const struct tiering_options *o)
{
	struct tiering *t = xcalloc(1, sizeof *t);
	t->m = m;
	t->o = *o;
	t->env.today = o->today;
	t->moves = xcalloc((m->ntiers + 2) * (m->ntiers + 2), sizeof *t->moves);
	t->nreasons = m->ntiering;
	t->reasons = xcalloc(t->nreasons + 1, sizeof *t->reasons);
	for (size_t i = 0; i < t->nreasons; i++) {
		struct buf b = {0};
		const struct rule *r = &m->tiering[i];
		buf_printf(&b, "%srule %zu: %s", r->spec ? "--" : "", i + 1,
		           r->when ? expr_source(r->when) : "always");
		t->reasons[i] = b.data;
	}
	struct buf b = {0};
	if (o->where)
		buf_printf(&b, "--where %s", expr_source(o->where));
	else
		buf_puts(&b, "--set");
	t->set_reason = b.data;
	return t;
}

int
tiering_check(const struct model *m, const struct tiering_options *o, struct cs_error *err)
{
	char list[256];
	if (o->set && !model_tier(m, o->set))
		return cs_error_set(err, NULL, 0, "--set %s: not a tier of the model (%s)", o->set,
		                    model_tier_list(m, list, sizeof list));
	if (o->score && !m->nscore)
		return cs_error_set(err, m->path, 0,
		                    "--score needs \"score\" weights in the model");
	return 0;
}

/* A rule on score in a stream without one would silently never match: say so, once. */
static void
warn_score(struct tiering *t, const struct header *h)
{
	if (t->o.set || header_find(h, "score") >= 0 || t->score_warned)
		return;
	for (size_t i = 0; i < t->m->ntiering && !t->score_warned; i++) {
		const char *const *names;
		size_t n = t->m->tiering[i].when ? expr_fields(t->m->tiering[i].when, &names) : 0;
		for (size_t j = 0; j < n && !t->score_warned; j++) {
			if (strcmp(names[j], "score") != 0)
				continue;
			t->score_warned = true;
			if (!t->o.warn)
				continue;
			struct cs_error w = {0};
			snprintf(w.msg, sizeof w.msg,
			         "tiering rule %zu uses score, which the stream lacks: add --score",
			         i + 1);
			t->o.warn(t->o.warn_ctx, &w);
		}
	}
}

int
tiering_start(struct tiering *t, const struct header *in, struct header **out, struct cs_error *err)
{
	const struct tiering_options *o = &t->o;
	struct header *h = header_copy(in);
	struct columns *col = &t->col;
	col->locked_in = header_find(in, "tier_locked");
	col->tier = (long)header_ensure(h, "tier");
	col->locked = o->lock ? (long)header_ensure(h, "tier_locked") : -1;
	col->score = o->score ? (long)header_ensure(h, "score") : -1;
	col->reason = o->explain ? (long)header_ensure(h, "tier_reason") : -1;
	col->old_tier = o->changes ? (long)header_ensure(h, "old_tier") : -1;
	t->width = h->n;
	*out = NULL;

	unsigned what = (o->set ? 0 : MODEL_BIND_TIERING) | (o->score ? MODEL_BIND_SCORE : 0);
	if (model_bind(t->m, h, what, err) < 0) {
		header_free(h);
		return -1;
	}
	if (o->where && expr_bind(o->where, h, err) < 0) {
		header_free(h);
		return TIERING_WHERE_ERROR;
	}
	warn_score(t, h);
	*out = h;
	return 0;
}

/* Where a tier counts in the moves: 0 for none, 1.. for the model's, then "other". */
static size_t
tier_index(const struct model *m, const char *name)
{
	if (!*name)
		return 0;
	for (size_t i = 0; i < m->ntiers; i++)
		if (strcmp(m->tiers[i].name, name) == 0)
			return i + 1;
	return m->ntiers + 1;
}

int
tiering_apply(struct tiering *t, struct record *rec, const char *file, struct cs_error *err)
{
	const struct tiering_options *o = &t->o;
	const struct columns *col = &t->col;
	record_resize(rec, t->width);
	/* A copy: setting the tier field below may move the record's bytes. */
	buf_reset(&t->old);
	buf_puts(&t->old, record_get(rec, (size_t)col->tier, NULL));
	const char *old = buf_str(&t->old);
	bool locked = false;
	if (col->locked_in >= 0 && !record_blank(rec, (size_t)col->locked_in)) {
		const char *v = record_get(rec, (size_t)col->locked_in, NULL);
		int b = schema_parse_bool(v);
		if (b < 0)
			return cs_error_set(err, file, rec->row,
			                    "tier_locked \"%s\" is not true or false", v);
		locked = b;
	}
	if (col->score >= 0) {
		char num[32];
		record_set_str(rec, (size_t)col->score, format_double(model_score(t->m, rec), num));
	}

	const char *tier = NULL, *reason = "";
	bool selected = !o->where || expr_test(o->where, rec, &t->env);
	/* A tier the model does not know is an error, unless --set replaces it. */
	if (*old && !model_tier(t->m, old) && !(selected && o->set && (!locked || o->force))) {
		char list[256];
		return cs_error_set(err, file, rec->row,
		                    "tier \"%s\" is not one of the model's tiers (%s)", old,
		                    model_tier_list(t->m, list, sizeof list));
	}
	if (!selected) {
		/* Passes unchanged. */
	} else if (locked && !o->force) {
		reason = "locked";
		t->kept_locked++;
	} else if (o->set) {
		tier = o->set;
		reason = t->set_reason;
	} else {
		const struct rule *r = model_match_tier(t->m, rec, &t->env);
		if (r) {
			tier = r->name;
			reason = t->reasons[r - t->m->tiering];
		} else {
			reason = "no rule matched";
		}
	}
	if (tier) {
		record_set_str(rec, (size_t)col->tier, tier);
		if (col->locked >= 0)
			record_set_str(rec, (size_t)col->locked, "true");
	}
	t->reason = reason;
	if (col->reason >= 0)
		record_set_str(rec, (size_t)col->reason, reason);
	if (col->old_tier >= 0)
		record_set_str(rec, (size_t)col->old_tier, old);
	if (!tier || strcmp(tier, old) == 0) {
		t->unchanged++;
		return 0;
	}
	t->moves[tier_index(t->m, old) * (t->m->ntiers + 2) + tier_index(t->m, tier)]++;
	return 1;
}

static const char *
tier_label(const struct model *m, size_t index)
{
	if (index == 0)
		return "(none)";
	return index <= m->ntiers ? m->tiers[index - 1].name : "(other)";
}

const char *
tiering_reason(const struct tiering *t)
{
	return t->reason ? t->reason : "";
}

void
tiering_summary(const struct tiering *t, FILE *out)
{
	size_t n = t->m->ntiers + 2;
	/* The order to list them in: the model's tiers, then "(none)", then "(other)". */
	size_t *order = xcalloc(n, sizeof *order);
	for (size_t i = 0; i < n; i++)
		order[i] = i < t->m->ntiers ? i + 1 : i == t->m->ntiers ? 0 : n - 1;
	for (size_t a = 0; a < n; a++)
		for (size_t b = 0; b < n; b++) {
			long count = t->moves[order[a] * n + order[b]];
			if (count)
				fprintf(out, "%s\xe2\x86\x92%s %ld\n", tier_label(t->m, order[a]),
				        tier_label(t->m, order[b]), count);
		}
	free(order);
	fprintf(out, "unchanged %ld", t->unchanged);
	if (t->kept_locked)
		fprintf(out, " (%ld locked)", t->kept_locked);
	fputc('\n', out);
}

void
tiering_free(struct tiering *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nreasons; i++)
		free(t->reasons[i]);
	free(t->reasons);
	free(t->set_reason);
	free(t->moves);
	buf_free(&t->old);
	free(t);
}
