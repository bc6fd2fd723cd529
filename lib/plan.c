/*
 * plan.c - who goes, and what to tell them.
 *
 * The removed records are copied aside: the transition plan groups them by
 * owner, and the archive is written only once every record has been read
 * (so --limit and a bad input row can stop the run before anything is
 * written).  The copies go to a spool (lib/spool.h), in memory while they
 * are few and in a temporary file past its budget, so memory holds only
 * what the plan's order needs, 16 bytes a record (its position, its owner,
 * its reason and partner), however many are removed: a removal of half a
 * million-row book runs in the memory of a small one.  The archive itself
 * is lib/archive.c.
 *
 * The transition script's placeholders are checked against the stream's
 * header before the first record, and a mistake is placed in the model file
 * (file:line:col): the model records where the script's text sits, and
 * model_string_col turns a character of the decoded script into a column of
 * the file (an escape such as \n is one character but two columns).
 */
#include "plan.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "plan_int.h"
#include "schema.h"

/* ---- who goes ------------------------------------------------------------ */

int
plan_selector_init(struct plan_selector *s, struct model *m, const char *where, const char *reason,
                   bool force, struct cs_error *err)
{
	*s = (struct plan_selector){.model = m, .reason = reason, .force = force};
	if (where) {
		struct cs_error e = {0};
		if (!(s->where = expr_parse(where, &e)))
			return cs_error_set(err, NULL, 0, "--where \"%s\": column %d: %s", where,
			                    e.col, e.msg);
	} else if (m->nremoval == 0) {
		return cs_error_set(err, m->path, 0,
		                    "the model has no removal rules: give --where EXPR");
	}
	return 0;
}

void
plan_selector_free(struct plan_selector *s)
{
	expr_free(s->where);
	s->where = NULL;
}

int
plan_selector_bind(struct plan_selector *s, const struct header *h, struct cs_error *err)
{
	unsigned what = MODEL_BIND_PARTNERS | (s->where ? 0 : MODEL_BIND_REMOVAL);
	if (model_bind(s->model, h, what, err) < 0)
		return -1;
	if (s->where) {
		struct cs_error e = {0};
		if (expr_bind(s->where, h, &e) < 0)
			return cs_error_set(err, NULL, 0, "--where \"%s\": column %d: %s",
			                    expr_source(s->where), e.col > 0 ? e.col : 1, e.msg);
	}
	s->tier_col = header_find(h, "tier");
	s->locked_col = header_find(h, "tier_locked");
	return 0;
}

/* Field col of rec without the spaces and tabs around it, as [*start, *start + return). */
size_t
plan_trimmed(const struct record *rec, long col, const char **start)
{
	size_t len = 0;
	const char *p = col >= 0 ? record_get(rec, (size_t)col, &len) : "";
	while (len && (*p == ' ' || *p == '\t')) {
		p++;
		len--;
	}
	while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	*start = p;
	return len;
}

static bool
locked_a(const struct plan_selector *s, const struct record *rec)
{
	const char *tier;
	size_t len = plan_trimmed(rec, s->tier_col, &tier);
	if (len != 1 || tier[0] != 'A' || s->locked_col < 0)
		return false;
	return schema_parse_bool(record_get(rec, (size_t)s->locked_col, NULL)) == 1;
}

enum plan_verdict
plan_judge(const struct plan_selector *s, const struct record *rec, const struct expr_env *env,
           const char **reason, const struct partner **partner)
{
	const char *why = NULL;
	if (s->where) {
		if (expr_test(s->where, rec, env))
			why = s->reason;
	} else {
		const struct rule *r = model_match_removal(s->model, rec, env);
		if (r)
			why = r->name;
	}
	if (!why)
		return PLAN_KEEP;
	*reason = why;
	*partner = model_match_partner(s->model, rec, env);
	return !s->force && locked_a(s, rec) ? PLAN_PROTECTED : PLAN_REMOVE;
}

/* ---- the transition script ------------------------------------------------ */

enum part_kind { PART_TEXT, PART_FIELD, PART_FIRST_NAME, PART_NAME, PART_PARTNER, PART_CONTACT };

struct part {
	enum part_kind kind;
	char *text;   /* PART_TEXT: the text; else the placeholder's name */
	long column;  /* PART_FIELD: after bind, -1 when the stream lacks it */
	size_t chars; /* characters of the script before its opening brace */
};

struct plan_script {
	struct part *parts;
	size_t n, cap;
	const struct model *model; /* borrowed: where the script's text sits, for messages */
	long col[NCOLS];           /* the names' columns, for {first_name} and {name} */
};

static struct part *
add_part(struct plan_script *s, enum part_kind kind, const char *p, size_t n)
{
	s->parts = xgrow(s->parts, &s->cap, s->n + 1, sizeof *s->parts);
	struct part *part = &s->parts[s->n++];
	*part = (struct part){.kind = kind, .text = xstrndup(p, n), .column = -1};
	return part;
}

/*
 * Fail at the brace after chars characters of the script.  Its column is
 * found only here: finding it for every placeholder would make a script
 * of n placeholders take n^2 steps.
 */
static int
script_fail(const struct plan_script *s, size_t chars, struct cs_error *err, const char *msg,
            const char *name)
{
	const struct model *m = s->model;
	int line = m->script_line;
	cs_error_set(err, m->path, line, "transition script: %s%s%s", msg, name ? name : "",
	             name ? "}" : "");
	if (err)
		err->col = line ? model_string_col(m, m->script_off, m->script_col, chars) : 0;
	return -1;
}

int
plan_script_parse(const struct model *m, struct plan_script **out, struct cs_error *err)
{
	*out = NULL;
	const char *src = m->transition_script;
	if (!src)
		return 0;
	struct plan_script *s = xcalloc(1, sizeof *s);
	s->model = m;
	struct buf text = {0};
	size_t chars = 0; /* characters before p, for the error column */
	for (const char *p = src; *p;) {
		if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
			buf_putc(&text, p[0]);
			p += 2;
			chars += 2;
			continue;
		}
		if (p[0] != '{') {
			if (((unsigned char)*p & 0xc0) != 0x80)
				chars++;
			buf_putc(&text, *p++);
			continue;
		}
		const char *close = strpbrk(p + 1, "{}\n");
		if (!close || *close != '}') {
			script_fail(s, chars, err,
			            "'{' is not closed: write {first_name} for a "
			            "placeholder, {{ for a brace",
			            NULL);
			buf_free(&text);
			plan_script_free(s);
			return -1;
		}
		const char *name = p + 1, *end = close;
		while (name < end && (*name == ' ' || *name == '\t'))
			name++;
		while (end > name && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (name == end) {
			script_fail(s, chars, err,
			            "empty placeholder {}: name a field, such as "
			            "{first_name}",
			            NULL);
			buf_free(&text);
			plan_script_free(s);
			return -1;
		}
		if (text.len) {
			add_part(s, PART_TEXT, text.data, text.len);
			buf_reset(&text);
		}
		struct part *part = add_part(s, PART_FIELD, name, (size_t)(end - name));
		part->chars = chars;
		if (strcmp(part->text, "first_name") == 0)
			part->kind = PART_FIRST_NAME;
		else if (strcmp(part->text, "name") == 0)
			part->kind = PART_NAME;
		else if (strcmp(part->text, "partner") == 0)
			part->kind = PART_PARTNER;
		else if (strcmp(part->text, "partner_contact") == 0)
			part->kind = PART_CONTACT;
		for (const char *q = p; q <= close; q++)
			if (((unsigned char)*q & 0xc0) != 0x80)
				chars++;
		p = close + 1;
	}
	if (text.len)
		add_part(s, PART_TEXT, text.data, text.len);
	buf_free(&text);
	*out = s;
	return 0;
}

int
plan_script_bind(struct plan_script *s, const struct header *h, struct cs_error *err)
{
	plan_find_columns(h, s->col);
	for (size_t i = 0; i < s->n; i++) {
		struct part *part = &s->parts[i];
		if (part->kind != PART_FIELD)
			continue;
		part->column = header_find(h, part->text);
		if (part->column >= 0 || schema_is_canonical(part->text))
			continue;
		const char *near = NULL;
		for (size_t k = 0; k < h->n && !near; k++)
			if (ascii_casecmp_eq(h->names[k], part->text))
				near = h->names[k];
		char msg[400];
		if (near)
			snprintf(msg, sizeof msg, "unknown placeholder {%s} (did you mean {%s}?)",
			         part->text, near);
		else
			snprintf(msg, sizeof msg,
			         "unknown placeholder {%s}: not a column of the book nor one of "
			         "{first_name} {name} {owner} {partner} {partner_contact}",
			         part->text);
		return script_fail(s, part->chars, err, msg, NULL);
	}
	return 0;
}

/* Append the value of one column, trimmed; returns how many bytes it added. */
size_t
plan_put_column(struct buf *out, const struct record *rec, long col)
{
	const char *p;
	size_t len = plan_trimmed(rec, col, &p);
	buf_append(out, p, len);
	return len;
}

/* The display name: name, else first_name and last_name, else the company. */
void
plan_put_full_name(struct buf *out, const struct record *rec, const long col[NCOLS])
{
	if (plan_put_column(out, rec, col[COL_NAME]))
		return;
	size_t before = out->len;
	if (plan_put_column(out, rec, col[COL_FIRST]))
		buf_putc(out, ' ');
	if (!plan_put_column(out, rec, col[COL_LAST]) && out->len > before) {
		out->len--; /* the space after a lone first name */
		out->data[out->len] = '\0';
	}
	if (out->len == before)
		plan_put_column(out, rec, col[COL_COMPANY]);
}

/*
 * A company's record: no first or last name, a company, and a name that is
 * empty or the company's (ASCII case aside).  Its name is no one's, so its
 * first word is no first name: "Dear Harbour," greets nobody.
 */
static bool
is_company(const struct record *rec, const long col[NCOLS])
{
	const char *first, *last, *name, *company;
	if (plan_trimmed(rec, col[COL_FIRST], &first) || plan_trimmed(rec, col[COL_LAST], &last))
		return false;
	size_t clen = plan_trimmed(rec, col[COL_COMPANY], &company);
	size_t nlen = plan_trimmed(rec, col[COL_NAME], &name);
	if (clen == 0 || (nlen != 0 && nlen != clen))
		return false;
	for (size_t i = 0; i < nlen; i++)
		if (ascii_lower((unsigned char)name[i]) != ascii_lower((unsigned char)company[i]))
			return false;
	return true;
}

/* first_name; else a company's name; else the first word of name. */
void
plan_put_first_name(struct buf *out, const struct record *rec, const long col[NCOLS])
{
	if (plan_put_column(out, rec, col[COL_FIRST]))
		return;
	if (is_company(rec, col)) {
		plan_put_column(out, rec, col[COL_COMPANY]);
		return;
	}
	const char *p;
	size_t len = plan_trimmed(rec, col[COL_NAME], &p);
	size_t word = 0;
	while (word < len && p[word] != ' ' && p[word] != '\t')
		word++;
	buf_append(out, p, word);
}

void
plan_script_fill(const struct plan_script *s, const struct record *rec,
                 const struct partner *partner, bool mark_missing, struct buf *out)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct part *part = &s->parts[i];
		size_t before = out->len;
		switch (part->kind) {
		case PART_TEXT:
			buf_puts(out, part->text);
			continue;
		case PART_FIELD:
			plan_put_column(out, rec, part->column);
			break;
		case PART_FIRST_NAME:
			plan_put_first_name(out, rec, s->col);
			break;
		case PART_NAME:
			plan_put_full_name(out, rec, s->col);
			break;
		case PART_PARTNER:
			if (partner)
				buf_puts(out, partner->rule.name);
			break;
		case PART_CONTACT:
			if (partner)
				buf_puts(out, partner->contact);
			break;
		}
		if (out->len == before && mark_missing)
			buf_printf(out, "[%s?]", part->text);
	}
	/* An empty script appends nothing, but out must still read as a string. */
	buf_reserve(out, 0);
	out->data[out->len] = '\0';
}

void
plan_script_free(struct plan_script *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->parts[i].text);
	free(s->parts);
	free(s);
}

/* ---- the plan ------------------------------------------------------------- */

const char *const plan_col_names[NCOLS] = {
    "id", "name", "first_name", "last_name", "owner", "tier", "email", "phone", "company",
};

void
plan_find_columns(const struct header *h, long col[NCOLS])
{
	for (int i = 0; i < NCOLS; i++)
		col[i] = header_find(h, plan_col_names[i]);
}

struct plan *
plan_new(const struct header *h)
{
	struct plan *p = xcalloc(1, sizeof *p);
	p->h = h;
	p->spool = spool_new(SPOOL_BUDGET, "the removed records");
	strtab_init(&p->owners, false);
	plan_find_columns(h, p->col);
	return p;
}

void
plan_spool_after(struct plan *p, size_t bytes)
{
	spool_free(p->spool);
	p->spool = spool_new(bytes, "the removed records");
}

/* The index of the pair reason, partner in p->whys, added when new. */
static uint32_t
why_index(struct plan *p, const char *reason, const struct partner *partner)
{
	/* Most removals share the last pair: look there first, then from the end. */
	for (size_t i = p->nwhys; i-- > 0;)
		if (p->whys[i].reason == reason && p->whys[i].partner == partner)
			return (uint32_t)i;
	p->whys = xgrow(p->whys, &p->whys_cap, p->nwhys + 1, sizeof *p->whys);
	p->whys[p->nwhys] = (struct plan_why){reason, partner};
	return (uint32_t)p->nwhys++;
}

int
plan_add(struct plan *p, const struct record *rec, const char *reason,
         const struct partner *partner)
{
	if (p->failed)
		return -1;
	const char *owner;
	size_t len = plan_trimmed(rec, p->col[COL_OWNER], &owner);
	uint64_t at;
	/* 32-bit indexes: the archive's matching table counts entries so. */
	if (p->n >= UINT32_MAX) {
		cs_error_set(&p->error, NULL, rec->row, "more than %lu records to remove",
		             (unsigned long)UINT32_MAX - 1);
		p->failed = true;
		return -1;
	}
	if (spool_put(p->spool, rec, &at, &p->error) < 0) {
		p->failed = true;
		return -1;
	}
	/* An owner of 4 GiB would have failed spool_put: intern cannot fail here. */
	long k = strtab_intern(&p->owners, owner, len, NULL);
	p->entries = xgrow(p->entries, &p->cap, p->n + 1, sizeof *p->entries);
	p->entries[p->n++] = (struct plan_entry){
	    .at = at, .owner = (uint32_t)k, .why = why_index(p, reason, partner)};
	return 0;
}

enum plan_verdict
plan_sift(struct plan *p, const struct plan_selector *s, const struct record *rec,
          const struct expr_env *env, const char *file, struct cs_error *warning)
{
	const char *reason = NULL;
	const struct partner *partner = NULL;
	p->sifted++;
	enum plan_verdict v = plan_judge(s, rec, env, &reason, &partner);
	if (v == PLAN_REMOVE) {
		plan_add(p, rec, reason, partner); /* a failure: plan_end_input */
	} else if (v == PLAN_PROTECTED) {
		p->protected ++;
		const char *id =
		    p->col[COL_ID] >= 0 ? record_get(rec, (size_t)p->col[COL_ID], NULL) : "";
		cs_error_set(
		    warning, file, rec->row,
		    "%s matches \"%s\" but is a locked A client: kept (--force removes it)",
		    *id ? id : "the record", reason);
	}
	return v;
}

int
plan_end_input(const struct plan *p, struct cs_error *err)
{
	if (!p->failed)
		return 0;
	if (err)
		*err = p->error;
	return -1;
}

size_t
plan_count(const struct plan *p)
{
	return p->n;
}

void
plan_why(const struct plan *p, size_t i, const char **reason, const struct partner **partner)
{
	const struct plan_why *w = &p->whys[p->entries[i].why];
	if (reason)
		*reason = w->reason;
	if (partner)
		*partner = w->partner;
}

int
plan_record(const struct plan *p, size_t i, struct record *rec, const char **reason,
            const struct partner **partner, struct cs_error *err)
{
	plan_why(p, i, reason, partner);
	return spool_get(p->spool, p->entries[i].at, rec, err);
}

void
plan_free(struct plan *p)
{
	if (!p)
		return;
	spool_free(p->spool);
	strtab_free(&p->owners);
	free(p->whys);
	free(p->entries);
	free(p);
}
