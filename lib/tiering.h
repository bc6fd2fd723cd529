/*
 * tiering.h - deciding each client's tier (DESIGN section 8, cs-tier).
 *
 * A run is set up once (tiering_new), started on each input's header
 * (tiering_start: the output columns, and the rules bound to them), and then
 * decides one record at a time (tiering_apply), counting what moved where
 * for the summary (tiering_summary).  Each record is decided on its own: its
 * old tier is checked against the model, a locked tier is kept unless
 * forced, then --set or the first matching tiering rule gives the new tier;
 * a record that no rule matches keeps its tier.  A record --where does not
 * select passes unchanged.
 *
 * Ownership: tiering_new returns a new run freed by tiering_free.  The model
 * and the expression and strings in struct tiering_options are borrowed and
 * must outlive the run; tiering_start returns a new header.
 */
#ifndef CS_TIERING_H
#define CS_TIERING_H

#include <stdbool.h>
#include <stdio.h>

#include "date.h"
#include "error.h"
#include "expr.h"
#include "model.h"
#include "record.h"
#include "stream.h"
#include "util.h"

struct tiering_options {
	struct expr *where; /* borrowed: re-tier only what it selects; NULL: every record */
	const char *set;    /* borrowed: give the selected this tier; NULL: the model's rules */
	bool lock;          /* mark the tiers this run sets as tier_locked */
	bool force;         /* re-tier locked records too */
	bool explain;       /* add a tier_reason column naming what decided */
	bool changes;       /* add an old_tier column */
	bool score;         /* add a score column from the model's score weights */
	struct date today;  /* today() in the rules and in where */
	/*
	 * Advice about the rules that does not stop the run (a rule reads score,
	 * which the stream lacks), at most once a run.  NULL: dropped.
	 */
	cs_warn_fn *warn;
	void *warn_ctx;
};

struct tiering;

/*
 * A new run tiering with m (borrowed, and bound by tiering_start: it must
 * outlive the run) and o (copied; what it points to is borrowed).  o->set,
 * if given, should be one of m's tiers: the caller checks (tiering_check).
 * Cannot fail.
 */
struct tiering *tiering_new(struct model *m, const struct tiering_options *o);

/*
 * Check o against m before a run: o->set, when given, must be one of m's
 * tiers ("--set X: not a tier of the model (A, B, C)"), and o->score needs
 * the model's score weights (err->file the model's path).  Returns 0, or -1
 * with err filled: a usage or model error.
 */
int tiering_check(const struct model *m, const struct tiering_options *o, struct cs_error *err);

/* tiering_start's result when where does not bind to the header. */
enum { TIERING_WHERE_ERROR = -2 };

/*
 * Start an input whose header is in (only read during the call).  *out gets
 * a new header for the output: in's columns, then tier and, as the options
 * ask, tier_locked, score, tier_reason and old_tier, each unless in has it
 * already.  The model's tiering rules (unless set), its score weights
 * (score) and where are bound to *out, which must outlive the records
 * tiered until the next tiering_start.  Returns 0; -1 with err filled when a
 * model rule does not bind (placed in the model file, or naming the --rule);
 * TIERING_WHERE_ERROR with expr_bind's error in err (err->col, err->msg) for
 * the caller to name the option.  Either is a usage or model error, and
 * *out is NULL then.
 */
int tiering_start(struct tiering *t, const struct header *in, struct header **out,
                  struct cs_error *err);

/*
 * Re-tier rec, a record of the input last started (file, borrowed, names it
 * in messages): resize it to the output header, fill the score, tier,
 * tier_locked, tier_reason and old_tier columns the options ask for, and
 * count the move.  Returns 1 when its tier changed, 0 when it stayed (only
 * the records that return 1 belong in a --changes output), or -1 with err
 * filled (file:row) when the record cannot be tiered: a tier_locked that is
 * not a boolean, or an old tier the model does not know (unless --set
 * replaces it).  Such a record keeps its tier and is not counted.
 */
int tiering_apply(struct tiering *t, struct record *rec, const char *file, struct cs_error *err);

/*
 * Write the summary to out: "B→A 12" per move between two tiers (the
 * model's tiers in order, then "(none)" for no tier, then "(other)" for a
 * tier the model does not know), then "unchanged N", with " (N locked)"
 * when locked records were kept.
 */
/* Why the record last applied got its tier ("rule 2: revenue >= 10000", "--set A", "locked"). */
const char *tiering_reason(const struct tiering *t);
void tiering_summary(const struct tiering *t, FILE *out);

/* Free t and what it owns (not the model or the options' pointers).  NULL is fine. */
void tiering_free(struct tiering *t);

#endif
