/*
 * plan.c - who goes, what to tell them, and the archive that keeps them.
 *
 * The removed records are copied into memory.  That is a deliberate limit:
 * the transition plan groups them by owner, and the archive is written only
 * once every record has been read (so --limit and a bad input row can stop
 * the run before anything is written).  Removals are few next to the book,
 * and cs-remove streams the kept records to a file, so memory grows with
 * what is removed, never with the book.
 *
 * The archive is the record of last resort, so it is appended to, never
 * rewritten: opened with O_APPEND, locked with flock(2) for the whole run
 * (two runs on one archive take turns instead of interleaving rows), and
 * fsynced before cs-remove lets the kept records go anywhere.  Its length
 * before the append is remembered, so a step that fails afterwards (the
 * in-place rename, a full disk on stdout) can cut the new rows off again:
 * either the removed records are in the archive and gone from the book, or
 * the archive is as it was.  flock, not fcntl locks: an fcntl lock is
 * dropped when the process closes *any* descriptor of the file, and reading
 * the archive's header opens one.
 *
 * The transition script's placeholders are checked against the stream's
 * header before the first record, and a mistake is placed in the model file
 * (file:line:col).  The model keeps its text but not where the script sits
 * in it, so a small scanner finds "transition" -> "script" again; the JSON
 * has already been accepted by jansson, so the scanner only has to find
 * things, not validate them.
 */
/* flock(2) is a BSD interface: glibc declares it for the default feature set. */
#define _DEFAULT_SOURCE

#include "plan.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvio.h"
#include "fields.h"
#include "table.h"

/* ---- who goes ------------------------------------------------------------ */

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
static size_t
trimmed(const struct record *rec, long col, const char **start)
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
	size_t len = trimmed(rec, s->tier_col, &tier);
	if (len != 1 || tier[0] != 'A' || s->locked_col < 0)
		return false;
	return fields_parse_bool(record_get(rec, (size_t)s->locked_col, NULL)) == 1;
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

/* ---- finding the script in the model text ------------------------------ */

struct cursor {
	const char *text;
	size_t len, i;
	int line, col;
};

static void
cur_advance(struct cursor *c)
{
	unsigned char ch = (unsigned char)c->text[c->i++];
	if (ch == '\n') {
		c->line++;
		c->col = 1;
	} else if ((ch & 0xc0) != 0x80) {
		c->col++; /* columns count characters, as jansson's do */
	}
}

static int
cur_peek(const struct cursor *c)
{
	return c->i < c->len ? (unsigned char)c->text[c->i] : -1;
}

static void
cur_space(struct cursor *c)
{
	for (int ch; (ch = cur_peek(c)) == ' ' || ch == '\t' || ch == '\n' || ch == '\r';)
		cur_advance(c);
}

static void
cur_string(struct cursor *c)
{
	cur_advance(c);
	for (int ch; (ch = cur_peek(c)) != -1 && ch != '"';) {
		cur_advance(c);
		if (ch == '\\' && cur_peek(c) != -1)
			cur_advance(c);
	}
	if (cur_peek(c) == '"')
		cur_advance(c);
}

static void
cur_value(struct cursor *c)
{
	cur_space(c);
	int ch = cur_peek(c);
	if (ch == '"') {
		cur_string(c);
	} else if (ch == '{' || ch == '[') {
		int depth = 0;
		/* Brackets inside strings do not count: skip strings whole. */
		while ((ch = cur_peek(c)) != -1) {
			if (ch == '"') {
				cur_string(c);
				continue;
			}
			if (ch == '{' || ch == '[')
				depth++;
			else if (ch == '}' || ch == ']')
				depth--;
			cur_advance(c);
			if (depth == 0)
				return;
		}
	} else {
		while ((ch = cur_peek(c)) != -1 && !strchr(",]} \t\r\n", ch))
			cur_advance(c);
	}
}

/*
 * With the cursor on an object's '{', move it to the value of the member
 * named key (compared raw: a key spelt with escapes is not found).
 */
static bool
cur_member(struct cursor *c, const char *key)
{
	size_t klen = strlen(key);
	cur_space(c);
	if (cur_peek(c) != '{')
		return false;
	cur_advance(c);
	for (;;) {
		cur_space(c);
		int ch = cur_peek(c);
		if (ch == ',') {
			cur_advance(c);
			continue;
		}
		if (ch != '"')
			return false;
		size_t start = c->i;
		cur_string(c);
		bool match =
		    c->i - start == klen + 2 && memcmp(c->text + start + 1, key, klen) == 0;
		cur_space(c);
		if (cur_peek(c) != ':')
			return false;
		cur_advance(c);
		cur_space(c);
		if (match)
			return true;
		cur_value(c);
	}
}

/* ---- the transition script ------------------------------------------------ */

enum part_kind { PART_TEXT, PART_FIELD, PART_FIRST_NAME, PART_NAME, PART_PARTNER, PART_CONTACT };

struct part {
	enum part_kind kind;
	char *text;    /* PART_TEXT: the text; else the placeholder's name */
	long column;   /* PART_FIELD: after bind, -1 when the stream lacks it */
	int line, col; /* the opening brace in the model file; 0 when unknown */
};

struct plan_script {
	struct part *parts;
	size_t n, cap;
	const char *file; /* the model's path, borrowed */
	long first_col, name_col, last_col;
};

/* Where the script's characters sit in the model file. */
struct script_pos {
	const char *text; /* the model text; NULL when the script was not found */
	size_t quote_off; /* its opening quote */
	int line, quote_col;
};

/*
 * The column of decoded character k of the script: walk the raw JSON text,
 * where an escape is one character decoded but several in the file.
 */
static int
script_col(const struct script_pos *sp, size_t k)
{
	const char *p = sp->text + sp->quote_off + 1;
	int col = sp->quote_col + 1;
	for (size_t decoded = 0; decoded < k && *p && *p != '"'; decoded++) {
		if (p[0] == '\\' && p[1] == 'u') {
			unsigned hi =
			    (unsigned)strtoul((char[5]){p[2], p[3], p[4], p[5], 0}, NULL, 16);
			/* A surrogate pair is one character in two escapes. */
			int n = hi >= 0xd800 && hi < 0xdc00 && p[6] == '\\' && p[7] == 'u' ? 12 : 6;
			p += n;
			col += n;
		} else if (p[0] == '\\' && p[1]) {
			p += 2;
			col += 2;
		} else {
			p++;
			while (((unsigned char)*p & 0xc0) == 0x80)
				p++;
			col++;
		}
	}
	return col;
}

static struct part *
add_part(struct plan_script *s, enum part_kind kind, const char *p, size_t n)
{
	s->parts = xgrow(s->parts, &s->cap, s->n + 1, sizeof *s->parts);
	struct part *part = &s->parts[s->n++];
	*part = (struct part){.kind = kind, .text = xstrndup(p, n), .column = -1};
	return part;
}

static int
script_fail(const struct plan_script *s, int line, int col, struct cs_error *err, const char *msg,
            const char *name)
{
	cs_error_set(err, s->file, line, "transition script: %s%s%s", msg, name ? name : "",
	             name ? "}" : "");
	if (err)
		err->col = line ? col : 0;
	return -1;
}

int
plan_script_parse(const struct model *m, struct plan_script **out, struct cs_error *err)
{
	*out = NULL;
	const char *src = m->transition_script;
	if (!src)
		return 0;
	struct script_pos sp = {0};
	struct cursor c = {
	    .text = m->text, .len = m->text ? strlen(m->text) : 0, .line = 1, .col = 1};
	if (m->text && cur_member(&c, "transition") && cur_member(&c, "script") &&
	    cur_peek(&c) == '"')
		sp = (struct script_pos){m->text, c.i, c.line, c.col};

	struct plan_script *s = xcalloc(1, sizeof *s);
	s->file = m->path;
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
		int line = sp.text ? sp.line : 0;
		int col = sp.text ? script_col(&sp, chars) : 0;
		const char *close = strpbrk(p + 1, "{}\n");
		if (!close || *close != '}') {
			script_fail(s, line, col, err,
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
			script_fail(s, line, col, err,
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
		part->line = line;
		part->col = col;
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
	s->first_col = header_find(h, "first_name");
	s->name_col = header_find(h, "name");
	s->last_col = header_find(h, "last_name");
	for (size_t i = 0; i < s->n; i++) {
		struct part *part = &s->parts[i];
		if (part->kind != PART_FIELD)
			continue;
		part->column = header_find(h, part->text);
		if (part->column >= 0 || fields_is_canonical(part->text))
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
		return script_fail(s, part->line, part->col, err, msg, NULL);
	}
	return 0;
}

/* Append the value of one column, trimmed; returns how many bytes it added. */
static size_t
put_column(struct buf *out, const struct record *rec, long col)
{
	const char *p;
	size_t len = trimmed(rec, col, &p);
	buf_append(out, p, len);
	return len;
}

/* The display name: name, else first_name and last_name. */
static void
put_full_name(struct buf *out, const struct record *rec, long name_col, long first_col,
              long last_col)
{
	if (put_column(out, rec, name_col))
		return;
	size_t before = out->len;
	if (put_column(out, rec, first_col))
		buf_putc(out, ' ');
	if (!put_column(out, rec, last_col) && out->len > before) {
		out->len--; /* the space after a lone first name */
		out->data[out->len] = '\0';
	}
}

/* first_name, else the first word of name. */
static void
put_first_name(struct buf *out, const struct record *rec, long first_col, long name_col)
{
	if (put_column(out, rec, first_col))
		return;
	const char *p;
	size_t len = trimmed(rec, name_col, &p);
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
			put_column(out, rec, part->column);
			break;
		case PART_FIRST_NAME:
			put_first_name(out, rec, s->first_col, s->name_col);
			break;
		case PART_NAME:
			put_full_name(out, rec, s->name_col, s->first_col, s->last_col);
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

enum plan_col {
	COL_ID,
	COL_NAME,
	COL_FIRST,
	COL_LAST,
	COL_OWNER,
	COL_TIER,
	COL_EMAIL,
	COL_PHONE,
	NCOLS
};
static const char *const plan_col_names[NCOLS] = {
    "id", "name", "first_name", "last_name", "owner", "tier", "email", "phone",
};

struct plan_entry {
	struct record rec;
	const char *reason;
	const struct partner *partner;
};

struct plan {
	const struct header *h;
	struct plan_entry *entries;
	size_t n, cap;
	long col[NCOLS];
};

struct plan *
plan_new(const struct header *h)
{
	struct plan *p = xcalloc(1, sizeof *p);
	p->h = h;
	for (int i = 0; i < NCOLS; i++)
		p->col[i] = header_find(h, plan_col_names[i]);
	return p;
}

void
plan_add(struct plan *p, const struct record *rec, const char *reason,
         const struct partner *partner)
{
	p->entries = xgrow(p->entries, &p->cap, p->n + 1, sizeof *p->entries);
	struct plan_entry *e = &p->entries[p->n++];
	record_init(&e->rec);
	record_copy(&e->rec, rec);
	e->reason = reason;
	e->partner = partner;
}

size_t
plan_count(const struct plan *p)
{
	return p->n;
}

void
plan_free(struct plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		record_free(&p->entries[i].rec);
	free(p->entries);
	free(p);
}

static void
entry_name(const struct plan *p, const struct plan_entry *e, struct buf *out)
{
	buf_reset(out);
	put_full_name(out, &e->rec, p->col[COL_NAME], p->col[COL_FIRST], p->col[COL_LAST]);
}

/* The order of the transition plan: by owner (no owner last), then as read. */
struct by_owner {
	const char *owner;
	size_t index;
};

static int
cmp_owner(const void *a, const void *b)
{
	const struct by_owner *x = a, *y = b;
	if (!*x->owner != !*y->owner)
		return *x->owner ? -1 : 1;
	int c = strcmp(x->owner, y->owner);
	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* A new array of p's entries in plan order; owners are trimmed copies in names. */
static struct by_owner *
plan_order(const struct plan *p, struct buf *names)
{
	struct by_owner *order = xcalloc(p->n ? p->n : 1, sizeof *order);
	size_t *offs = xcalloc(p->n ? p->n : 1, sizeof *offs);
	buf_reset(names);
	for (size_t i = 0; i < p->n; i++) {
		offs[i] = names->len;
		put_column(names, &p->entries[i].rec, p->col[COL_OWNER]);
		buf_putc(names, '\0');
	}
	/* Only now, when names has stopped moving, take pointers into it. */
	for (size_t i = 0; i < p->n; i++)
		order[i] = (struct by_owner){buf_str(names) + offs[i], i};
	free(offs);
	qsort(order, p->n, sizeof *order, cmp_owner);
	return order;
}

/* Markdown inline text: line breaks become spaces, markup characters are escaped. */
static void
md_inline(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n' || *s == '\r') {
			fputc(' ', out);
			continue;
		}
		if (strchr("\\`*_[]<>", *s))
			fputc('\\', out);
		fputc(*s, out);
	}
}

static void
md_field(FILE *out, const struct plan_entry *e, long col)
{
	const char *p;
	size_t len = trimmed(&e->rec, col, &p);
	char *s = xstrndup(p, len);
	md_inline(out, s);
	free(s);
}

static bool
has_value(const struct plan_entry *e, long col)
{
	const char *p;
	return trimmed(&e->rec, col, &p) > 0;
}

static void
md_entry(const struct plan *p, const struct plan_entry *e, const struct plan_script *s, FILE *out,
         struct buf *scratch)
{
	entry_name(p, e, scratch);
	fputs("\n### ", out);
	md_inline(out, scratch->len ? buf_str(scratch) : "(no name)");
	if (has_value(e, p->col[COL_ID])) {
		fputs(" (", out);
		md_field(out, e, p->col[COL_ID]);
		fputc(')', out);
	}
	fputs("\n\n- Reason: ", out);
	md_inline(out, e->reason);
	fputs("\n- Partner: ", out);
	if (e->partner) {
		md_inline(out, e->partner->rule.name);
		if (*e->partner->contact) {
			fputs(", ", out);
			md_inline(out, e->partner->contact);
		}
	} else {
		fputs("none: no partner rule of the model matches", out);
	}
	fputs("\n- Contact: ", out);
	bool email = has_value(e, p->col[COL_EMAIL]), phone = has_value(e, p->col[COL_PHONE]);
	if (email)
		md_field(out, e, p->col[COL_EMAIL]);
	if (email && phone)
		fputs(", ", out);
	if (phone)
		md_field(out, e, p->col[COL_PHONE]);
	if (!email && !phone)
		fputs("none on file", out);
	fputc('\n', out);
	if (!s)
		return;
	buf_reset(scratch);
	plan_script_fill(s, &e->rec, e->partner, true, scratch);
	fputc('\n', out);
	/*
	 * The script as a quotation, line by line: "> " on text, ">" on blank
	 * lines, and two spaces (a Markdown line break) where a line is followed
	 * by another, so "Warm regards,\nAna" keeps its shape.
	 */
	for (const char *line = buf_str(scratch); *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		fputs(len ? "> " : ">", out);
		fwrite(line, 1, len, out);
		if (len && nl && nl[1] && nl[1] != '\n')
			fputs("  ", out);
		fputc('\n', out);
		line += len + (nl ? 1 : 0);
	}
}

void
plan_write_markdown(const struct plan *p, const struct plan_script *s, const char *model_name,
                    struct date today, FILE *out)
{
	char day[16];
	/* Every block after the title starts with the blank line that separates it. */
	fputs("# Transition plan\n\n", out);
	fprintf(out, "%zu client%s to hand over, prepared %s", p->n, p->n == 1 ? "" : "s",
	        date_format(today, day));
	if (*model_name) {
		fputs(" from the model \"", out);
		md_inline(out, model_name);
		fputc('"', out);
	}
	fputs(".\n", out);
	struct buf names = {0}, scratch = {0};
	struct by_owner *order = plan_order(p, &names);
	for (size_t i = 0; i < p->n; i++) {
		const char *owner = order[i].owner;
		if (i == 0 || strcmp(owner, order[i - 1].owner) != 0) {
			size_t count = 1;
			while (i + count < p->n && strcmp(order[i + count].owner, owner) == 0)
				count++;
			fputs("\n## ", out);
			md_inline(out, *owner ? owner : "No owner");
			fprintf(out, " (%zu)\n", count);
		}
		md_entry(p, &p->entries[order[i].index], s, out, &scratch);
	}
	free(order);
	buf_free(&names);
	buf_free(&scratch);
}

/* Write rows of strings through the stream writer; returns writer_close's result. */
static int
write_rows(const struct plan *p, const struct plan_script *s, bool for_plan,
           enum stream_format format, FILE *out, const char *name, struct cs_error *err)
{
	static const char *const table_cols[] = {"id",   "name",   "owner",
	                                         "tier", "reason", "partner"};
	static const char *const plan_cols[] = {
	    "id",    "name",   "first_name", "email",           "phone",
	    "owner", "reason", "partner",    "partner_contact", "script"};
	const char *const *cols = for_plan ? plan_cols : table_cols;
	size_t ncols = for_plan ? sizeof plan_cols / sizeof *plan_cols
	                        : sizeof table_cols / sizeof *table_cols;
	struct header *h = header_new();
	for (size_t i = 0; i < ncols; i++)
		header_add(h, cols[i]);
	struct writer *w = writer_new(out, format, h, 0);
	struct buf names = {0}, value = {0};
	struct by_owner *order = for_plan ? plan_order(p, &names) : NULL;
	struct record row = {0};
	for (size_t i = 0; i < p->n; i++) {
		const struct plan_entry *e = &p->entries[order ? order[i].index : i];
		const char *partner = e->partner ? e->partner->rule.name : "";
		record_clear(&row);
		for (size_t c = 0; c < ncols; c++) {
			buf_reset(&value);
			if (strcmp(cols[c], "name") == 0)
				entry_name(p, e, &value);
			else if (strcmp(cols[c], "first_name") == 0)
				put_first_name(&value, &e->rec, p->col[COL_FIRST],
				               p->col[COL_NAME]);
			else if (strcmp(cols[c], "reason") == 0)
				buf_puts(&value, e->reason);
			else if (strcmp(cols[c], "partner") == 0)
				buf_puts(&value, partner);
			else if (strcmp(cols[c], "partner_contact") == 0)
				buf_puts(&value, e->partner ? e->partner->contact : "");
			else if (strcmp(cols[c], "script") == 0 && s)
				plan_script_fill(s, &e->rec, e->partner, false, &value);
			else
				put_column(&value, &e->rec, header_find(p->h, cols[c]));
			record_push(&row, buf_str(&value), value.len);
		}
		writer_put(w, &row);
	}
	int rc = writer_close(w, name, err);
	record_free(&row);
	free(order);
	buf_free(&names);
	buf_free(&value);
	header_free(h);
	return rc;
}

int
plan_write_csv(const struct plan *p, const struct plan_script *s, FILE *out, const char *name,
               struct cs_error *err)
{
	return write_rows(p, s, true, STREAM_CSV, out, name, err);
}

int
plan_write_table(const struct plan *p, enum stream_format format, size_t width, FILE *out,
                 const char *name, struct cs_error *err)
{
	if (format != STREAM_AUTO)
		return write_rows(p, NULL, false, format, out, name, err);
	if (p->n == 0)
		return 0;
	static const char *const titles[] = {"id", "name", "owner", "tier", "reason", "partner"};
	struct table *t = table_new(NULL);
	for (size_t c = 0; c < sizeof titles / sizeof *titles; c++)
		table_add_column(t, titles[c], TABLE_LEFT);
	struct buf cell = {0};
	for (size_t i = 0; i < p->n; i++) {
		const struct plan_entry *e = &p->entries[i];
		size_t row = table_add_row(t);
		static const enum plan_col from[] = {COL_ID, COL_NAME, COL_OWNER, COL_TIER};
		for (size_t c = 0; c < sizeof from / sizeof *from; c++) {
			buf_reset(&cell);
			if (from[c] == COL_NAME)
				entry_name(p, e, &cell);
			else
				put_column(&cell, &e->rec, p->col[from[c]]);
			table_set(t, row, c, buf_str(&cell));
		}
		table_set(t, row, 4, e->reason);
		table_set(t, row, 5, e->partner ? e->partner->rule.name : "-");
	}
	table_write_text(out, t, width, 0);
	table_free(t);
	buf_free(&cell);
	if (fflush(out) != 0 || ferror(out))
		return cs_error_set(err, name ? name : "<stdout>", 0, "write error: %s",
		                    strerror(errno));
	return 0;
}

/* ---- the archive ---------------------------------------------------------- */

static const char *const archive_cols[] = {"removed_on", "reason", "partner"};
enum { NARCHIVE_COLS = sizeof archive_cols / sizeof *archive_cols };

struct header *
plan_archive_header(const struct header *h, const char *name, struct cs_error *err)
{
	for (size_t i = 0; i < NARCHIVE_COLS; i++)
		if (header_find(h, archive_cols[i]) >= 0) {
			cs_error_set(
			    err, name, 1,
			    "the book already has a \"%s\" column, which cs-remove adds to "
			    "archived records (removed_on, reason, partner): rename it first",
			    archive_cols[i]);
			return NULL;
		}
	struct header *a = header_copy(h);
	for (size_t i = 0; i < NARCHIVE_COLS; i++)
		header_add(a, archive_cols[i]);
	return a;
}

struct plan_archive {
	const char *path;
	const struct header *h;
	enum stream_format format;
	int fd;             /* -1 while the file does not exist */
	bool needs_header;  /* new or empty: the CSV header goes first */
	bool needs_newline; /* the last line has no line end yet */
	bool created;       /* plan_archive_append created the file */
	bool appended;      /* rows were appended (and can be taken back) */
	off_t start;        /* the file's length before the append */
};

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && ascii_casecmp_eq(s + n - k, suffix);
}

static bool
same_file(int fd, const char *path)
{
	struct stat a, b;
	return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

/*
 * Open the archive and lock it.  Another run may replace or remove the file
 * while this one waits for the lock (removing it is how a failed first
 * append is taken back), so after the lock check that the path still names
 * the file locked, and start again if not.  Returns the descriptor; -1 with
 * errno ENOENT when the file does not exist and create is false; -1 with err
 * filled on any other failure.
 */
static int
open_locked(struct plan_archive *a, bool create, struct cs_error *err)
{
	for (int attempt = 0; attempt < 100; attempt++) {
		bool created = false;
		int fd = open(a->path, O_RDWR | O_APPEND | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT) {
			if (!create)
				return -1;
			fd = open(a->path, O_RDWR | O_APPEND | O_CLOEXEC | O_CREAT | O_EXCL, 0666);
			if (fd < 0 && errno == EEXIST)
				continue;
			created = fd >= 0;
		}
		if (fd < 0) {
			cs_error_set(err, a->path, 0, "cannot open the archive for appending: %s",
			             strerror(errno));
			errno = 0;
			return -1;
		}
		if (flock(fd, LOCK_EX) != 0) {
			cs_error_set(err, a->path, 0, "cannot lock the archive: %s",
			             strerror(errno));
			close(fd);
			errno = 0;
			return -1;
		}
		if (same_file(fd, a->path)) {
			a->created = created;
			return fd;
		}
		close(fd);
	}
	cs_error_set(err, a->path, 0,
	             "the archive keeps being replaced: is another program "
	             "rewriting it?");
	errno = 0;
	return -1;
}

/* Describe how the archive's columns differ from h, for the refusal. */
static void
describe_difference(const struct header *have, const struct header *want, char *msg, size_t size)
{
	size_t i = 0;
	while (i < have->n && i < want->n && strcmp(have->names[i], want->names[i]) == 0)
		i++;
	if (i < have->n && i < want->n)
		snprintf(msg, size, "its column %zu is \"%s\" where this run writes \"%s\"", i + 1,
		         have->names[i], want->names[i]);
	else if (i < want->n)
		snprintf(msg, size, "it has %zu columns where this run writes %zu (next: \"%s\")",
		         have->n, want->n, want->names[i]);
	else
		snprintf(msg, size,
		         "it has %zu columns where this run writes %zu (first extra: "
		         "\"%s\")",
		         have->n, want->n, have->names[i]);
}

/* Look at an existing, locked archive: its type, length, format and header. */
static int
inspect(struct plan_archive *a, struct cs_error *err)
{
	struct stat st;
	if (fstat(a->fd, &st) != 0)
		return cs_error_set(err, a->path, 0, "cannot read the archive: %s",
		                    strerror(errno));
	if (!S_ISREG(st.st_mode))
		return cs_error_set(err, a->path, 0, "the archive must be a regular file");
	a->start = st.st_size;
	a->needs_header = true;
	a->needs_newline = false;
	if (st.st_size == 0)
		return 0;
	char head[4096];
	ssize_t got = pread(a->fd, head, sizeof head, 0);
	if (got < 0)
		return cs_error_set(err, a->path, 0, "cannot read the archive: %s",
		                    strerror(errno));
	char last;
	if (pread(a->fd, &last, 1, st.st_size - 1) != 1)
		return cs_error_set(err, a->path, 0, "cannot read the archive: %s",
		                    strerror(errno));
	a->needs_newline = last != '\n';
	bool blank = got == st.st_size;
	for (ssize_t i = 0; i < got && blank; i++)
		blank = strchr(" \t\r\n", head[i]) != NULL;
	if (blank) /* only blank lines: as good as empty */
		return 0;
	a->needs_header = false;
	struct cs_error e = {0};
	struct stream *s = stream_open(a->path, NULL, &e);
	if (!s) {
		cs_error_set(err, a->path, e.row, "cannot read the archive's header: %s", e.msg);
		return -1;
	}
	int rc = 0;
	const struct header *have = stream_header(s);
	a->format = stream_format(s);
	if (a->format == STREAM_CSV && stream_delimiter(s) != ',') {
		rc = cs_error_set(
		    err, a->path, 1,
		    "the archive separates fields with '%c' and cs-remove appends "
		    "comma-separated rows: convert it (cs-import --raw) or name another",
		    stream_delimiter(s) == '\t' ? 't' : stream_delimiter(s));
	} else {
		bool same = have->n == a->h->n;
		for (size_t i = 0; same && i < have->n; i++)
			same = strcmp(have->names[i], a->h->names[i]) == 0;
		if (!same) {
			char why[300];
			describe_difference(have, a->h, why, sizeof why);
			rc = cs_error_set(err, a->path, 1,
			                  "the archive's columns differ from the records this run "
			                  "would append (%s): name another archive",
			                  why);
		}
	}
	stream_close(s);
	return rc;
}

/* The directory part of path, for the permission check of a new archive. */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	return slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
}

/* fsync the directory holding path; a file system that cannot (EINVAL) is accepted. */
static int
sync_dir(const char *path)
{
	char *dir = dir_of(path);
	int fd = open(dir, O_RDONLY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return -1;
	int rc = fsync(fd) != 0 && errno != EINVAL ? -1 : 0;
	int saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

struct plan_archive *
plan_archive_open(const char *path, const struct header *h, struct cs_error *err)
{
	struct plan_archive *a = xcalloc(1, sizeof *a);
	a->path = path;
	a->h = h;
	a->fd = -1;
	a->needs_header = true;
	a->format =
	    ends_with(path, ".ndjson") || ends_with(path, ".jsonl") || ends_with(path, ".json")
	        ? STREAM_NDJSON
	        : STREAM_CSV;
	errno = 0;
	a->fd = open_locked(a, false, err);
	if (a->fd >= 0) {
		if (inspect(a, err) < 0) {
			plan_archive_close(a);
			return NULL;
		}
		return a;
	}
	if (errno != ENOENT) {
		plan_archive_close(a);
		return NULL;
	}
	/* A new archive is created only when there is something to put in it. */
	char *dir = dir_of(path);
	int rc = access(dir, W_OK | X_OK);
	if (rc != 0)
		cs_error_set(err, path, 0, "cannot create the archive in %s: %s", dir,
		             strerror(errno));
	free(dir);
	if (rc != 0) {
		plan_archive_close(a);
		return NULL;
	}
	return a;
}

/* Append the records' rows to out; CSV by hand, since the stream writer always starts with a
 * header. */
static void
put_rows(struct plan_archive *a, const struct plan *p, struct date today, FILE *out,
         struct writer *w)
{
	char day[16];
	date_format(today, day);
	size_t width = a->h->n - NARCHIVE_COLS;
	struct record row = {0};
	struct buf line = {0};
	if (a->needs_newline)
		fputc('\n', out);
	if (!w && a->needs_header) {
		for (size_t i = 0; i < a->h->n; i++) {
			if (i)
				buf_putc(&line, ',');
			csv_put_field(&line, a->h->names[i], strlen(a->h->names[i]), ',');
		}
		buf_putc(&line, '\n');
	}
	for (size_t i = 0; i < p->n; i++) {
		const struct plan_entry *e = &p->entries[i];
		record_copy(&row, &e->rec);
		record_resize(&row, width);
		record_push(&row, day, strlen(day));
		record_push(&row, e->reason, strlen(e->reason));
		const char *partner = e->partner ? e->partner->rule.name : "";
		record_push(&row, partner, strlen(partner));
		if (w) {
			writer_put(w, &row);
			continue;
		}
		size_t len;
		for (size_t f = 0; f < row.n; f++) {
			if (f)
				buf_putc(&line, ',');
			const char *v = record_get(&row, f, &len);
			csv_put_field(&line, v, len, ',');
		}
		buf_putc(&line, '\n');
		if (line.len >= 64 * 1024) {
			fwrite(line.data, 1, line.len, out);
			buf_reset(&line);
		}
	}
	if (line.len)
		fwrite(line.data, 1, line.len, out);
	buf_free(&line);
	record_free(&row);
}

int
plan_archive_append(struct plan_archive *a, const struct plan *p, struct date today,
                    struct cs_error *err)
{
	if (a->fd < 0) {
		errno = 0;
		a->fd = open_locked(a, true, err);
		if (a->fd < 0)
			return -1;
		/* Someone may have made it meanwhile: then it is checked like any existing one. */
		if (inspect(a, err) < 0) {
			if (a->created)
				unlink(a->path);
			return -1;
		}
	}
	a->appended = true;
	int fd = dup(a->fd);
	FILE *out = fd >= 0 ? fdopen(fd, "a") : NULL;
	if (!out) {
		int saved = errno;
		if (fd >= 0)
			close(fd);
		plan_archive_rollback(a, NULL);
		return cs_error_set(err, a->path, 0, "cannot write the archive: %s",
		                    strerror(saved));
	}
	struct writer *w =
	    a->format == STREAM_NDJSON ? writer_new(out, STREAM_NDJSON, a->h, 0) : NULL;
	put_rows(a, p, today, out, w);
	struct cs_error e = {0};
	int bad = w && writer_close(w, a->path, &e) < 0;
	bad = bad || fflush(out) != 0 || ferror(out) || fsync(a->fd) != 0;
	int saved = errno;
	if (fclose(out) != 0 && !bad) {
		bad = 1;
		saved = errno;
	}
	/* A new file's name lives in its directory: sync that too, or a crash could lose it. */
	if (!bad && a->created && sync_dir(a->path) != 0) {
		bad = 1;
		saved = errno;
	}
	if (bad) {
		plan_archive_rollback(a, NULL);
		return cs_error_set(err, a->path, 0,
		                    "cannot write the archive (nothing was added to it): %s",
		                    strerror(saved));
	}
	return 0;
}

int
plan_archive_rollback(struct plan_archive *a, struct cs_error *err)
{
	if (!a->appended)
		return 0;
	a->appended = false;
	int rc = 0;
	if (a->created) {
		/* Still locked: a run waiting for the lock sees the file gone and starts again. */
		if (unlink(a->path) != 0 && errno != ENOENT)
			rc = -1;
	} else if (ftruncate(a->fd, a->start) != 0 || fsync(a->fd) != 0) {
		rc = -1;
	}
	if (rc < 0)
		cs_error_set(err, a->path, 0, "cannot take back the rows just appended: %s",
		             strerror(errno));
	return rc;
}

void
plan_archive_close(struct plan_archive *a)
{
	if (!a)
		return;
	if (a->fd >= 0)
		close(a->fd);
	free(a);
}
