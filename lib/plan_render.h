/*
 * plan_render.h - the transition plan and the dry-run table, written out
 * (lib/plan.h holds who goes).
 */
#ifndef CS_PLAN_RENDER_H
#define CS_PLAN_RENDER_H

#include <stdio.h>

#include "date.h"
#include "plan.h"
#include "stream.h"
#include "util.h"

/*
 * The transition plan in Markdown: a title, then per owner (sorted; no owner
 * last) each client in input order with id, reason, partner and contact,
 * and the filled-in script (s may be NULL) as a quotation.  model_name may
 * be "".  Write errors are left on out for the caller to check.  Returns 0,
 * or -1 with err filled when a record cannot be read back from the plan's
 * spool (what was written so far is then incomplete).
 */
int plan_write_markdown(const struct plan *p, const struct plan_script *s, const char *model_name,
                        struct date today, FILE *out, struct cs_error *err);

/*
 * The transition plan as CSV, one row per client in the Markdown's order:
 * id, name, first_name, email, phone, owner, reason, partner,
 * partner_contact, script.  Returns 0, or -1 with err (named name) on a
 * write error.
 */
int plan_write_csv(const struct plan *p, const struct plan_script *s, FILE *out, const char *name,
                   struct cs_error *err);

/*
 * The transition plan as CSV (csv true: plan_write_csv) or Markdown
 * (plan_write_markdown, whose write errors are left on out).  Returns 0,
 * or -1 with err filled (a write error, or the plan's spool unreadable).
 */
int plan_write(const struct plan *p, const struct plan_script *s, bool csv, const char *model_name,
               struct date today, FILE *out, const char *name, struct cs_error *err);

/*
 * The dry-run table of who would go and why, in input order: id, name,
 * owner, tier, reason, partner.  format STREAM_AUTO writes aligned text
 * (lib/table, at most width columns; no table when the plan is empty) and
 * then the summary line "N of M records would be removed (K locked A
 * clients kept)." of what plan_sift saw, whose write errors are left on out
 * for the caller to find; STREAM_CSV or STREAM_NDJSON write a stream.
 * Returns 0, or -1 with err (named name) on a write error.
 */
int plan_write_table(const struct plan *p, enum stream_format format, size_t width, FILE *out,
                     const char *name, struct cs_error *err);

#endif
