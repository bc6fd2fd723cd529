/*
 * model.h - the client service model file (DESIGN section 4): tiers and
 * their touches, tiering and removal rules, partners, the transition script
 * and optional score weights.
 *
 * A model is loaded once, validated completely (every key, every type, every
 * interval, every rule expression), and is read-only afterwards except for
 * model_bind, which resolves the rules' field names against a stream's
 * header.  Every mistake is reported as FILE:LINE:COL: the position of the
 * offending key or value in the file, or of the offending character inside
 * a rule's expression.
 *
 * Ownership: a struct model owns everything reachable from it (strings,
 * arrays, expressions).  Pointers into it are borrowed: valid until
 * model_free.
 */
#ifndef CS_MODEL_H
#define CS_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "date.h"
#include "error.h"
#include "expr.h"
#include "record.h"
#include "strtab.h"
#include "util.h"

/* The built-in model: lib/model_default.json, compiled in at build time. */
extern const char cs_default_model_json[];

/* The name the built-in model goes by in messages (err->file). */
#define MODEL_BUILTIN_NAME "(built-in model)"

enum touch_kind {
	TOUCH_EVERY,       /* "every": recurring at an interval after the last one */
	TOUCH_ON,          /* "on": FIELD: yearly on the field's month and day */
	TOUCH_ONCE_AFTER,  /* "on", "after", "once": once, at the field's date + after */
	TOUCH_ONCE_WITHIN, /* "on", "within", "once": once, from the date until date + within */
};

/*
 * struct touch - one touch of a tier.  Durations that do not apply to the
 * kind are zero ({0, DUR_DAYS}).
 */
struct touch {
	char *name; /* "touch": how the touch log names it */
	enum touch_kind kind;
	struct duration every;   /* TOUCH_EVERY: the interval */
	struct duration lead;    /* TOUCH_ON: list it this long ahead (default 0d) */
	struct duration after;   /* TOUCH_ONCE_AFTER */
	struct duration within;  /* TOUCH_ONCE_WITHIN */
	struct duration expires; /* TOUCH_ONCE_AFTER: dropped this long after due (default 90d) */
	char *on;                /* the date field of TOUCH_ON and TOUCH_ONCE_*, else NULL */
	char *channel;           /* "" when not given */
	char *by;                /* who delivers it; NULL: the client's owner */
	double minutes;          /* time one touch takes; 0 when not given */
	struct duration grace;   /* TOUCH_EVERY: late, not overdue, this long past due; 0: none */
	struct duration retry;   /* a "no-answer" defers the touch this long (default 3d) */
	bool per_household;      /* "per": "household": once per household */
	char *fallback;          /* the channel when the client refused channel's; NULL: none */
	/*
	 * "satisfies": the touches of the same tier that doing this one counts
	 * as doing (indices into the tier's touches), and the inverse: the
	 * touches whose doing counts as doing this one.
	 */
	size_t *satisfies, nsatisfies;
	size_t *satisfied_by, nsatisfied_by;
	int line, col; /* where the touch's object starts */
};

struct tier {
	char *name;  /* "A" */
	char *label; /* "Prime"; "" when not given */
	struct touch *touches;
	size_t ntouches;     /* at least 1 */
	struct strtab names; /* the touches' names: index i is touches[i] */
	int line, col;
};

/*
 * struct rule - a tiering or removal rule.  name is the tier (tiering) or the
 * reason (removal).  when is NULL for a rule that always matches.
 */
struct rule {
	char *name;
	struct expr *when;
	int line, col; /* the rule's object in the file; 0 for a --rule */
	/* Where when's text sits, so errors found by model_bind point into it. */
	size_t when_off; /* byte offset of the opening quote in the model text */
	int when_line, when_col;
	char *spec;      /* a rule given on the command line: its text; else NULL */
	size_t spec_off; /* where the expression starts in spec */
};

/*
 * struct partner - who takes over removed clients: rule.name is the partner's
 * name, rule.when (NULL: anyone) which clients they take.
 */
struct partner {
	struct rule rule;
	char *contact; /* "" when not given */
};

/* struct score_weight - one term of the score: weight times the field's value. */
struct score_weight {
	char *field;
	double weight;
	long column; /* its column after model_bind(MODEL_BIND_SCORE), -1 when absent */
	int line, col;
};

/* struct team_member - one person of the model's "team". */
struct team_member {
	char *name;
	double hours;  /* a week, for touches; >= 0 */
	char *email;   /* where their weekly list goes (cs-due --mail); NULL: none */
	int line, col; /* the member's key in the file */
};

struct model {
	char *path;         /* the file's name, or MODEL_BUILTIN_NAME */
	char *name;         /* the model's "name"; "" when not given */
	struct tier *tiers; /* in file order */
	size_t ntiers;
	struct rule *tiering; /* first match wins */
	size_t ntiering;
	struct rule *removal; /* any match removes; the first names the reason */
	size_t nremoval;
	struct partner *partners;
	size_t npartners;
	char *transition_script; /* NULL when the model has none */
	size_t script_off;       /* where its text sits (opening quote), for messages */
	int script_line, script_col;
	struct score_weight *score; /* empty when the model has no "score" */
	size_t nscore;
	char *text; /* the file's text, kept so that late errors can be placed */
	/*
	 * "start" and "stagger": a client never contacted has the first
	 * occurrence of an "every" touch due from start (see lib/cadence.h).
	 */
	bool has_start;
	struct date start;
	bool stagger;
	/* "team": each person's hours a week for touches and e-mail, sorted by name. */
	struct team_member *team;
	size_t nteam;
	/*
	 * "retention": how long a removed client's archive row and a touch-log
	 * row are kept (cs-purge); {0, DUR_DAYS} when the model says nothing.
	 */
	struct duration retain_archive;
	struct duration retain_log;
};

/*
 * Parse and validate the model in text[0..len).  name is the file name used
 * in messages: it is borrowed by err->file (so it must outlive err) and
 * copied into the model.  Returns a new model (free with model_free), or NULL
 * with err filled: err->file = name, err->row = line, err->col = column
 * (0 when unknown), err->msg what is wrong.
 */
struct model *model_parse(const char *text, size_t len, const char *name, struct cs_error *err);

/* Read and parse the file at path.  As model_parse; path is borrowed by err. */
struct model *model_load(const char *path, struct cs_error *err);

/* Parse the built-in model (cannot fail unless the build is broken). */
struct model *model_load_default(struct cs_error *err);

/*
 * The model a tool should use: opt_path if not NULL (the -m option), else
 * $CS_MODEL if set and not empty, else the built-in model.  As model_load.
 */
struct model *model_open(const char *opt_path, struct cs_error *err);

/* The team member called name (exactly), or NULL.  Borrowed. */
const struct team_member *model_team_member(const struct model *m, const char *name);

/* The tier called name, or NULL.  Borrowed. */
const struct tier *model_tier(const struct model *m, const char *name);

/* The touch of tier t called name, or NULL.  Borrowed. */
const struct touch *model_touch(const struct tier *t, const char *name);

/* True if the model has a tier called name, in any ASCII case (a --tier option). */
bool model_has_tier(const struct model *m, const char *name);

/*
 * The touch called touch in any ASCII case, so that a typed name takes the
 * model's spelling: tier's touch when tier (may be NULL) is a tier of the
 * model that has one, else the first in file order of any tier; NULL when
 * no tier has it.  Borrowed.
 */
const struct touch *model_find_touch(const struct model *m, const char *tier, const char *touch);

/*
 * Replace the model's tiering rules by rules given as "TIER: EXPRESSION" (or
 * "TIER" alone: always matches), as cs-tier --rule takes them.  specs is
 * borrowed (copied).  Returns 0, or -1 with err naming the bad spec (the
 * model is unchanged then).
 */
int model_set_tiering(struct model *m, const char *const *specs, size_t n, struct cs_error *err);

enum {
	MODEL_BIND_TIERING = 1 << 0,
	MODEL_BIND_REMOVAL = 1 << 1,
	MODEL_BIND_PARTNERS = 1 << 2,
	MODEL_BIND_SCORE = 1 << 3,
	MODEL_BIND_ALL = 0xf,
};

/*
 * Bind the expressions of the rule sets named in what (a mask of
 * MODEL_BIND_*) to h (borrowed: it must outlive their use), so that
 * model_eval_* can run on records with that header.  A tool binds only what
 * it uses, so a removal rule naming a column the stream lacks does not stop
 * cs-tier.  Returns 0, or -1 with err placed in the model file (or naming
 * the --rule).  May be called again with another header.
 */
int model_bind(struct model *m, const struct header *h, unsigned what, struct cs_error *err);

/*
 * The first tiering rule that matches rec, or NULL when none does.  The model
 * must be bound (MODEL_BIND_TIERING) to rec's header.  Borrowed.
 */
const struct rule *model_match_tier(const struct model *m, const struct record *rec,
                                    const struct expr_env *env);

/* The first removal rule that matches rec, or NULL (MODEL_BIND_REMOVAL).  Borrowed. */
const struct rule *model_match_removal(const struct model *m, const struct record *rec,
                                       const struct expr_env *env);

/* The first partner whose rule matches rec, or NULL (MODEL_BIND_PARTNERS).  Borrowed. */
const struct partner *model_match_partner(const struct model *m, const struct record *rec,
                                          const struct expr_env *env);

/*
 * The score of rec (MODEL_BIND_SCORE): the sum of weight x value over the
 * score weights, where a field's value is its number, 1 or 0 for a boolean
 * (true/yes/...; false/no/...), and 0 when it is empty, absent or neither.
 * Rounded to 2 decimals.
 */
double model_score(const struct model *m, const struct record *rec);

/* Write the tier names as "A, B, C" into buf (truncated to size); returns buf. */
char *model_tier_list(const struct model *m, char *buf, size_t size);

/*
 * The column in the model file of character k (0-based, counted in
 * characters, as expressions count them) of the string value whose opening
 * quote is at byte quote_off of m->text, column quote_col: escapes such as
 * \n or \u00e9 are one character but several columns.  A string holds no
 * raw newline, so the line is the quote's.  For errors found inside a rule
 * or the transition script after loading.
 */
int model_string_col(const struct model *m, size_t quote_off, int quote_col, size_t k);

/* Touches a year of t: every -> duration_per_year, on -> 1, once -> 0. */
double touch_per_year(const struct touch *t);

/*
 * Touches a year of touch j of tier t that are done as themselves, the
 * credit of "satisfies" applied: a monthly call satisfied by a quarterly
 * review is 12 - 4 = 8 calls a year (never below 0).
 */
double touch_per_year_credited(const struct tier *t, size_t j);

/*
 * Minutes a year the touches of tier t plan for one client who gets every
 * one of them: each touch's touches a year (the credit of "satisfies"
 * applied) times its minutes.  A touch without minutes counts none.
 */
double tier_minutes_per_year(const struct tier *t);

/* True if doing touch s counts as doing touch t (s "satisfies" t; same tier). */
bool touch_satisfies(const struct tier *tier, const struct touch *s, const struct touch *t);

/*
 * The consent field a channel needs: "do_not_call" for phone and call,
 * "do_not_email" for email, "do_not_mail" for card, gift and letter (any
 * ASCII case); NULL for any other channel (a meeting needs none).
 */
const char *model_channel_consent(const char *channel);

/*
 * Print a summary of m on out: each tier's touches, touches and minutes a
 * year, the rules, partners and score weights.  For cs-tier --check-model.
 */
void model_summary(FILE *out, const struct model *m);

/* Free m and everything it owns.  NULL is fine. */
void model_free(struct model *m);

#endif
