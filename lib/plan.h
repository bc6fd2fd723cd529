/*
 * plan.h - letting clients go: who goes and why, and what to tell them
 * (DESIGN section 4, cs-remove).  The archive that keeps every removed
 * record is lib/archive.h.
 *
 * Three parts, used in this order by cs-remove:
 *
 *  - the selector decides per record: keep it, remove it (with a reason and
 *    the partner who takes the client over), or keep it because it is
 *    protected (a tier_locked A client, unless forced);
 *  - the plan collects the removed records (copies, spooled to a temporary
 *    file when they are many, so memory holds a few bytes a record: the
 *    transition plan groups them by owner, and nothing is written until
 *    the whole book is read) and renders them: the Markdown transition
 *    plan, its CSV form for mail merge, and the dry-run table;
 *  - the script is the model's transition.script template, parsed once and
 *    bound to the stream's header so an unknown placeholder is a model error
 *    found before the first record.
 *
 * Ownership: plan_new and plan_script_parse return new objects freed by
 * plan_free / plan_script_free.  Models, headers and expressions given to
 * these functions are borrowed and must outlive their user.
 */
#ifndef CS_PLAN_H
#define CS_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "date.h"
#include "error.h"
#include "expr.h"
#include "model.h"
#include "record.h"
#include "stream.h"
#include "util.h"

/* ---- who goes ------------------------------------------------------------ */

enum plan_verdict {
	PLAN_KEEP,
	PLAN_REMOVE,
	PLAN_PROTECTED, /* selected, but a tier_locked A client: kept (no --force) */
};

/*
 * struct plan_selector - set up by plan_selector_init, then bound to a
 * header by plan_selector_bind.  With where NULL, the model's removal rules
 * decide (any match removes; the first match names the reason); else where
 * decides and reason names it.  Either way the model's partners rules pick
 * the partner.
 */
struct plan_selector {
	struct model *model; /* borrowed */
	struct expr *where;  /* owned; NULL: the model's removal rules */
	const char *reason;  /* borrowed: the reason given with where */
	bool force;          /* remove tier_locked A clients too */
	long tier_col;       /* set by plan_selector_bind: -1 when absent */
	long locked_col;
};

/*
 * Set s up for the model m (borrowed until the selector's last use): where
 * (the text of --where, NULL for the model's rules) is parsed into an
 * expression s owns; reason (borrowed) names its matches; force removes
 * locked A clients too.  Returns 0, or -1 with err filled - where does not
 * parse ("--where "EXPR": column N: ..."), or without where the model has
 * no removal rules (placed at the model's file) - a usage error either way;
 * s is then empty.  Release with plan_selector_free.
 */
int plan_selector_init(struct plan_selector *s, struct model *m, const char *where,
                       const char *reason, bool force, struct cs_error *err);
/* Free the expression s owns and empty it. */
void plan_selector_free(struct plan_selector *s);

/*
 * Bind the expressions the selector uses (the model's removal rules or
 * where, and the partners) to h, borrowed until the selector's last use.
 * Returns 0, or -1 with err filled: a model rule's error placed in the model
 * file (file:line:col), a where error as "--where: column N: ...".  Either is
 * a usage or model error (exit 2).
 */
int plan_selector_bind(struct plan_selector *s, const struct header *h, struct cs_error *err);

/*
 * Judge rec.  For PLAN_REMOVE and PLAN_PROTECTED, *reason (borrowed from the
 * model or the selector) says why it was selected and *partner (borrowed
 * from the model; NULL when no partner rule matches) who takes it over.
 */
enum plan_verdict plan_judge(const struct plan_selector *s, const struct record *rec,
                             const struct expr_env *env, const char **reason,
                             const struct partner **partner);

/* ---- the transition script ------------------------------------------------ */

/*
 * The model's transition.script is text with placeholders in braces:
 *   {first_name} {name} {owner} {partner} {partner_contact} or any column
 *   by name ({city}, {Annual Fees}); spaces just inside the braces are
 *   ignored; {{ and }} write a brace.
 * {partner} and {partner_contact} come from the chosen partner, never from a
 * column.  {first_name} falls back, when empty, to the company for a
 * company's record (no first or last name, a company, and a name that is
 * empty or the company's: what cs-import makes of a company's card), else
 * to the first word of name; {name} falls back to first_name and
 * last_name, then to the company.  A canonical field the stream lacks
 * fills in empty.
 */
struct plan_script;

/*
 * Parse m->transition_script.  *out gets a new script (plan_script_free), or
 * NULL when the model has none.  Returns 0, or -1 with err placed in the
 * model file (file:line:col of the offending brace) for an unclosed '{' or
 * an empty "{}".
 */
int plan_script_parse(const struct model *m, struct plan_script **out, struct cs_error *err);

/*
 * Resolve the placeholders against h (only read during the call).  Returns
 * 0, or -1 with err placed in the model file for a placeholder that is
 * neither built in nor a column of h nor a canonical field: a model error.
 */
int plan_script_bind(struct plan_script *s, const struct header *h, struct cs_error *err);

/*
 * Append the script filled in for rec (which matches the bound header) to
 * out.  With mark_missing, an empty value shows as "[placeholder?]", so a
 * person reading the plan sees what is missing; else it is left empty.
 */
void plan_script_fill(const struct plan_script *s, const struct record *rec,
                      const struct partner *partner, bool mark_missing, struct buf *out);

void plan_script_free(struct plan_script *s);

/* ---- the plan: the removed records ------------------------------------- */

struct plan;

/* A new empty plan for records with header h (borrowed until plan_free). */
struct plan *plan_new(const struct header *h);

/*
 * Hold at most bytes of removed records in memory (lib/spool.h; the
 * default is SPOOL_BUDGET): past it they go to a temporary file in TMPDIR.
 * Call before the first plan_add.
 */
void plan_spool_after(struct plan *p, size_t bytes);

/*
 * Add a copy of rec with its reason and partner (both borrowed: they must
 * outlive the plan; partner may be NULL).  The copy goes to the plan's
 * spool.  Returns 0, or -1 when it could not be kept (the temporary file
 * could not be created or written): the plan then takes nothing more, and
 * plan_end_input says why.
 */
int plan_add(struct plan *p, const struct record *rec, const char *reason,
             const struct partner *partner);

/*
 * Judge rec by s (plan_judge) and count it: a record to remove is added to
 * p, with its reason and partner (a failure to keep it is for
 * plan_end_input to report).  For PLAN_PROTECTED, *warning (may be NULL)
 * gets the warning to give - "ID matches "REASON" but is a locked A
 * client: kept (--force removes it)" - at file (borrowed) and rec->row;
 * otherwise it is left alone.  Returns the verdict.
 */
enum plan_verdict plan_sift(struct plan *p, const struct plan_selector *s, const struct record *rec,
                            const struct expr_env *env, const char *file, struct cs_error *warning);

/*
 * Every record has been added: returns 0, or -1 with err filled when one
 * could not be kept ("cannot write the removed records to their temporary
 * file in /tmp: No space left on device"); the plan is then incomplete.
 */
int plan_end_input(const struct plan *p, struct cs_error *err);

/* How many records were added (plan_add, or plan_sift's removals). */
size_t plan_count(const struct plan *p);

/*
 * The reason and partner (NULL when none) of the i-th record added (i <
 * plan_count), borrowed as given to plan_add.  Either pointer may be NULL.
 */
void plan_why(const struct plan *p, size_t i, const char **reason, const struct partner **partner);

/*
 * Read the i-th record added (i < plan_count) back into rec (the caller's:
 * record_init'ed, reused from call to call), with plan_why's reason and
 * partner.  Reading them in order is the fast way.  Returns 0, or -1 with
 * err filled when the spool cannot be read back (an I/O error).
 */
int plan_record(const struct plan *p, size_t i, struct record *rec, const char **reason,
                const struct partner **partner, struct cs_error *err);

void plan_free(struct plan *p);

#endif
