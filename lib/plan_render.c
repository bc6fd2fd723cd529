/*
 * plan_render.c - the transition plan written out (Markdown for people, CSV
 * for a mail merge) and cs-remove's dry-run table.
 *
 * The plan is grouped by owner, so each owner reads their own clients'
 * letters together; within an owner, clients stay in the order they were
 * read, so a plan is the same whatever the run.  Each record is read back
 * from the plan's spool as it is written out (plan_record), so a plan of
 * half a million clients is written in the memory of a small one.
 */
#include "plan_render.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "plan_int.h"
#include "table.h"
#include "writer.h"

static void
entry_name(const struct plan *p, const struct record *rec, struct buf *out)
{
	buf_reset(out);
	plan_put_full_name(out, rec, p->col);
}

/* An owner for the plan's order: its key in p->owners and its name. */
struct owner {
	const char *name;
	uint32_t key;
};

/* By name, no owner last. */
static int
cmp_owner(const void *a, const void *b)
{
	const struct owner *x = a, *y = b;
	if (!*x->name != !*y->name)
		return *x->name ? -1 : 1;
	return strcmp(x->name, y->name);
}

/*
 * A new array of p's entry indexes in the transition plan's order: by
 * owner (no owner last), then as read.  The owners are few and sorted
 * once; the entries are then placed owner by owner, in the order read.
 * 32 bits an index: plan_add keeps fewer entries than that.
 */
static uint32_t *
plan_order(const struct plan *p)
{
	size_t nowners = strtab_count(&p->owners);
	struct owner *owners = xcalloc(nowners + 1, sizeof *owners);
	for (size_t k = 0; k < nowners; k++)
		owners[k] = (struct owner){strtab_key(&p->owners, k, NULL), (uint32_t)k};
	qsort(owners, nowners, sizeof *owners, cmp_owner);
	/* start[key]: where the owner's entries begin in the order. */
	size_t *start = xcalloc(nowners + 1, sizeof *start);
	for (size_t i = 0; i < p->n; i++)
		start[p->entries[i].owner]++;
	size_t at = 0;
	for (size_t k = 0; k < nowners; k++) {
		size_t count = start[owners[k].key];
		start[owners[k].key] = at;
		at += count;
	}
	uint32_t *order = xcalloc(p->n ? p->n : 1, sizeof *order);
	for (size_t i = 0; i < p->n; i++)
		order[start[p->entries[i].owner]++] = (uint32_t)i;
	free(start);
	free(owners);
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
md_field(FILE *out, const struct record *rec, long col)
{
	const char *p;
	size_t len = plan_trimmed(rec, col, &p);
	char *s = xstrndup(p, len);
	md_inline(out, s);
	free(s);
}

static bool
has_value(const struct record *rec, long col)
{
	const char *p;
	return plan_trimmed(rec, col, &p) > 0;
}

static void
md_entry(const struct plan *p, const struct record *rec, const char *reason,
         const struct partner *partner, const struct plan_script *s, FILE *out, struct buf *scratch)
{
	entry_name(p, rec, scratch);
	fputs("\n### ", out);
	md_inline(out, scratch->len ? buf_str(scratch) : "(no name)");
	if (has_value(rec, p->col[COL_ID])) {
		fputs(" (", out);
		md_field(out, rec, p->col[COL_ID]);
		fputc(')', out);
	}
	fputs("\n\n- Reason: ", out);
	md_inline(out, reason);
	fputs("\n- Partner: ", out);
	if (partner) {
		md_inline(out, partner->rule.name);
		if (*partner->contact) {
			fputs(", ", out);
			md_inline(out, partner->contact);
		}
	} else {
		fputs("none: no partner rule of the model matches", out);
	}
	fputs("\n- Contact: ", out);
	bool email = has_value(rec, p->col[COL_EMAIL]), phone = has_value(rec, p->col[COL_PHONE]);
	if (email)
		md_field(out, rec, p->col[COL_EMAIL]);
	if (email && phone)
		fputs(", ", out);
	if (phone)
		md_field(out, rec, p->col[COL_PHONE]);
	if (!email && !phone)
		fputs("none on file", out);
	fputc('\n', out);
	if (!s)
		return;
	buf_reset(scratch);
	plan_script_fill(s, rec, partner, true, scratch);
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

int
plan_write_markdown(const struct plan *p, const struct plan_script *s, const char *model_name,
                    struct date today, FILE *out, struct cs_error *err)
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
	struct buf scratch = {0};
	struct record rec = {0};
	uint32_t *order = plan_order(p);
	int rc = 0;
	for (size_t i = 0; i < p->n && rc == 0; i++) {
		uint32_t owner = p->entries[order[i]].owner;
		if (i == 0 || owner != p->entries[order[i - 1]].owner) {
			size_t count = 1;
			while (i + count < p->n && p->entries[order[i + count]].owner == owner)
				count++;
			const char *name = strtab_key(&p->owners, owner, NULL);
			fputs("\n## ", out);
			md_inline(out, *name ? name : "No owner");
			fprintf(out, " (%zu)\n", count);
		}
		const char *reason;
		const struct partner *partner;
		rc = plan_record(p, order[i], &rec, &reason, &partner, err);
		if (rc == 0)
			md_entry(p, &rec, reason, partner, s, out, &scratch);
	}
	free(order);
	record_free(&rec);
	buf_free(&scratch);
	return rc;
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
	struct buf value = {0};
	uint32_t *order = for_plan ? plan_order(p) : NULL;
	struct record row = {0}, rec = {0};
	int rc = 0;
	for (size_t i = 0; i < p->n && rc == 0; i++) {
		const char *reason;
		const struct partner *e_partner;
		if ((rc = plan_record(p, order ? order[i] : i, &rec, &reason, &e_partner, err)) < 0)
			break;
		const char *partner = e_partner ? e_partner->rule.name : "";
		record_clear(&row);
		for (size_t c = 0; c < ncols; c++) {
			buf_reset(&value);
			if (strcmp(cols[c], "name") == 0)
				entry_name(p, &rec, &value);
			else if (strcmp(cols[c], "first_name") == 0)
				plan_put_first_name(&value, &rec, p->col);
			else if (strcmp(cols[c], "reason") == 0)
				buf_puts(&value, reason);
			else if (strcmp(cols[c], "partner") == 0)
				buf_puts(&value, partner);
			else if (strcmp(cols[c], "partner_contact") == 0)
				buf_puts(&value, e_partner ? e_partner->contact : "");
			else if (strcmp(cols[c], "script") == 0 && s)
				plan_script_fill(s, &rec, e_partner, false, &value);
			else
				plan_put_column(&value, &rec, header_find(p->h, cols[c]));
			record_push(&row, buf_str(&value), value.len);
		}
		writer_put(w, &row);
	}
	if (rc < 0)
		writer_close(w, name, NULL);
	else
		rc = writer_close(w, name, err);
	record_free(&row);
	record_free(&rec);
	free(order);
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
	return plan_write_markdown(p, s, model_name, today, out, err);
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
	struct record rec = {0};
	for (size_t i = 0; i < p->n; i++) {
		const char *reason;
		const struct partner *partner;
		if (plan_record(p, i, &rec, &reason, &partner, err) < 0) {
			table_free(t);
			buf_free(&cell);
			record_free(&rec);
			return -1;
		}
		size_t row = table_add_row(t);
		static const enum plan_col from[] = {COL_ID, COL_NAME, COL_OWNER, COL_TIER};
		for (size_t c = 0; c < sizeof from / sizeof *from; c++) {
			buf_reset(&cell);
			if (from[c] == COL_NAME)
				entry_name(p, &rec, &cell);
			else
				plan_put_column(&cell, &rec, p->col[from[c]]);
			table_set(t, row, c, buf_str(&cell));
		}
		table_set(t, row, 4, reason);
		table_set(t, row, 5, partner ? partner->rule.name : "-");
	}
	record_free(&rec);
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
