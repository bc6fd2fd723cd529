/*
 * plan_render.c - the transition plan written out (Markdown for people, CSV
 * for a mail merge) and cs-remove's dry-run table.
 *
 * The plan is grouped by owner, so each owner reads their own clients'
 * letters together; within an owner, clients stay in the order they were
 * read, so a plan is the same whatever the run.
 */
#include "plan_render.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "plan_int.h"
#include "table.h"
#include "writer.h"

static void
entry_name(const struct plan *p, const struct plan_entry *e, struct buf *out)
{
	buf_reset(out);
	plan_put_full_name(out, &e->rec, p->col);
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
		plan_put_column(names, &p->entries[i].rec, p->col[COL_OWNER]);
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

/*
 * One line of the filled-in script, as text: the data filled in (a name
 * such as "[click](http://x)" or "<img src=x>") must not become a link,
 * markup or HTML in the rendered plan, so every character with a meaning
 * is escaped, and so is one that would start a heading, list or rule at
 * the start of the line.  The script is something to say or send, not
 * Markdown, so its own text is escaped the same way.
 */
static void
md_text_line(FILE *out, const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && s[i] == ' ')
		fputc(s[i++], out);
	size_t digits = i;
	while (digits < len && s[digits] >= '0' && s[digits] <= '9')
		digits++;
	if (i < len && strchr("#+-=", s[i]))
		fputc('\\', out);
	else if (digits > i && digits < len && (s[digits] == '.' || s[digits] == ')')) {
		fwrite(s + i, 1, digits - i, out);
		fputc('\\', out);
		i = digits;
	}
	for (; i < len; i++) {
		if (strchr("\\`*_[]<>&~|", s[i]))
			fputc('\\', out);
		fputc(s[i], out);
	}
}

static void
md_field(FILE *out, const struct plan_entry *e, long col)
{
	const char *p;
	size_t len = plan_trimmed(&e->rec, col, &p);
	char *s = xstrndup(p, len);
	md_inline(out, s);
	free(s);
}

static bool
has_value(const struct plan_entry *e, long col)
{
	const char *p;
	return plan_trimmed(&e->rec, col, &p) > 0;
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
	 * The script as a quotation, line by line, escaped: "> " on text, ">" on
	 * blank lines, and two spaces (a Markdown line break) where a line is followed
	 * by another, so "Warm regards,\nAna" keeps its shape.
	 */
	for (const char *line = buf_str(scratch); *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		fputs(len ? "> " : ">", out);
		md_text_line(out, line, len);
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
				plan_put_first_name(&value, &e->rec, p->col);
			else if (strcmp(cols[c], "reason") == 0)
				buf_puts(&value, e->reason);
			else if (strcmp(cols[c], "partner") == 0)
				buf_puts(&value, partner);
			else if (strcmp(cols[c], "partner_contact") == 0)
				buf_puts(&value, e->partner ? e->partner->contact : "");
			else if (strcmp(cols[c], "script") == 0 && s)
				plan_script_fill(s, &e->rec, e->partner, false, &value);
			else
				plan_put_column(&value, &e->rec, header_find(p->h, cols[c]));
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
plan_write(const struct plan *p, const struct plan_script *s, bool csv, const char *model_name,
           struct date today, FILE *out, const char *name, struct cs_error *err)
{
	if (csv)
		return plan_write_csv(p, s, out, name, err);
	plan_write_markdown(p, s, model_name, today, out);
	return 0;
}

/* The dry run's aligned text table (the plan is not empty). */
static int
write_text_table(const struct plan *p, size_t width, FILE *out, const char *name,
                 struct cs_error *err)
{
	static const char *const titles[] = {"id", "name", "owner", "tier", "reason", "partner"};
	struct table *t = table_new(NULL);
	for (size_t c = 0; c < sizeof titles / sizeof *titles; c++)
		table_add_column(t, titles[c], TABLE_LEFT);
	table_column_keep_end(t, 0);
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
				plan_put_column(&cell, &e->rec, p->col[from[c]]);
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

int
plan_write_table(const struct plan *p, enum stream_format format, size_t width, FILE *out,
                 const char *name, struct cs_error *err)
{
	if (format != STREAM_AUTO)
		return write_rows(p, NULL, false, format, out, name, err);
	if (p->n > 0 && write_text_table(p, width, out, name, err) < 0)
		return -1;
	fprintf(out, "%zu of %ld record%s would be removed", p->n, p->sifted,
	        p->sifted == 1 ? "" : "s");
	if (p->protected)
		fprintf(out, " (%ld locked A client%s kept)", p->protected,
		        p->protected == 1 ? "" : "s");
	fputs(".\n", out);
	return 0;
}
