/*
 * import_review.c - what --review lists: per input, the rows read, written,
 * rejected and merged, the mapping, the duplicates, the values missing and
 * the values that did not parse, and the values a spreadsheet would run or
 * mangle when the CSV written is opened in one (formulas, ids with leading
 * zeros, E notation, more than 15 digits, things it takes for dates).
 *
 * The tally is kept as the import runs, in each source's stats, and stays
 * small whatever the input's size: counts, and the first few rows or events
 * of each kind (ROWS_MAX, EVENTS_MAX, PROBLEMS_MAX) to show.
 */
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "import_int.h"
#include "writer.h"

/* The fields --review counts missing values of. */
static const int missing_fields[NMISSING] = {CANON_EMAIL, CANON_PHONE, CANON_BIRTHDAY, CANON_OWNER};

/* The tally. */

void
import_add_event(struct events *ev, long row, const char *text)
{
	if (ev->count < EVENTS_MAX) {
		ev->e[ev->count].row = row;
		snprintf(ev->e[ev->count].text, sizeof ev->e[ev->count].text, "%s", text);
	}
	ev->count++;
}

static void
add_row(struct rowlist *l, long row)
{
	if (l->count < ROWS_MAX)
		l->rows[l->count] = row;
	l->count++;
}

void
import_add_problem(struct importer *im, struct source *s, long row, const char *text)
{
	struct stats *st = &s->st;
	uint64_t h = hash_fnv1a(text, strlen(text), HASH_FNV64_BASIS);
	st->nproblems++;
	for (size_t i = 0; i < st->ngroups; i++)
		if (st->problems[i].hash == h && strcmp(st->problems[i].text, text) == 0) {
			add_row(&st->problems[i].rows, row);
			return;
		}
	if (st->ngroups < PROBLEMS_MAX) {
		struct problem *p = &st->problems[st->ngroups++];
		p->hash = h;
		snprintf(p->text, sizeof p->text, "%s", text);
		p->rows.count = 0;
		add_row(&p->rows, row);
		return;
	}
	/* Too many distinct values to hold: each is warned about as it comes. */
	st->ungrouped++;
	import_warnf(im, s, row, "%s", text);
}

/* " (N rows: 5, 9, ..., and M more)" for a list of more than one row, else "". */
static void
rows_suffix(const struct rowlist *l, struct buf *out)
{
	if (l->count < 2)
		return;
	buf_printf(out, " (%ld rows: ", l->count);
	for (long i = 0; i < l->count && i < ROWS_MAX; i++)
		buf_printf(out, "%s%ld", i ? ", " : "", l->rows[i]);
	if (l->count > ROWS_MAX)
		buf_printf(out, ", and %ld more", l->count - ROWS_MAX);
	buf_putc(out, ')');
}

void
import_add_owner_id(struct source *s, long row, const char *v, size_t len)
{
	if (s->st.owner_ids.count == 0)
		import_shown(v, len, s->st.owner_id);
	add_row(&s->st.owner_ids, row);
}

bool
import_is_system_id(const char *v, size_t len)
{
	/* Each kind below starts with a hex digit or a dash: most names are refused by it. */
	unsigned char c0 = len ? (unsigned char)v[0] : 0;
	if (len < 4 || !((c0 >= '0' && c0 <= '9') || (c0 >= 'a' && c0 <= 'f') ||
	                 (c0 >= 'A' && c0 <= 'F') || c0 == '-'))
		return false;
	size_t digits = 0, hex = 0, alnum = 0, dashes = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i];
		digits += c >= '0' && c <= '9';
		hex += (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
		alnum += (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
		dashes += c == '-';
	}
	if (len >= 4 && digits == len)
		return true; /* HubSpot's numeric owner ids */
	/* Salesforce's 15- or 18-character ids: 005 a user, 00G a queue. */
	if (len >= 15 && len <= 18 && alnum == len && v[0] == '0' && v[1] == '0' &&
	    (v[2] == '5' || v[2] == 'G'))
		return true;
	/* Long hex and UUIDs. */
	return len >= 16 && digits > 0 && hex + dashes == len && dashes <= 4;
}

void
import_flush_problems(struct importer *im, struct source *s)
{
	struct stats *st = &s->st;
	struct buf text = {0};
	for (size_t i = 0; i < st->ngroups; i++) {
		buf_reset(&text);
		buf_puts(&text, st->problems[i].text);
		rows_suffix(&st->problems[i].rows, &text);
		import_warnf(im, s, st->problems[i].rows.rows[0], "%s", buf_str(&text));
	}
	if (st->owner_ids.count) {
		buf_reset(&text);
		rows_suffix(&st->owner_ids, &text);
		import_warnf(im, s, st->owner_ids.rows[0],
		             "owner \"%s\" looks like a system id, not a person's name%s: map a "
		             "column of owner names (--map 'Owner Name=owner')",
		             st->owner_id, buf_str(&text));
	}
	if (st->rejected_who) {
		buf_reset(&text);
		import_map_hint(s, &text);
		if (text.len)
			import_warnf(im, s, 0,
			             "%ld row%s had no name, email, phone, company or id; these "
			             "columns seem to hold them: %s",
			             st->rejected_who, st->rejected_who == 1 ? "" : "s",
			             buf_str(&text));
	}
	buf_free(&text);
}

/* Digits from *i on, at most max of them (0: any number); returns how many, *value their value. */
static size_t
digits_at(const char *v, size_t len, size_t *i, size_t max, long *value)
{
	size_t n = 0;
	long x = 0;
	while (*i < len && ascii_digit(v[*i]) && (max == 0 || n < max)) {
		x = x < 100000 ? x * 10 + (v[*i] - '0') : x;
		(*i)++;
		n++;
	}
	if (value)
		*value = x;
	return n;
}

/* "1E5", "12e3", "1.5E-3": what a spreadsheet reads as a number in E notation. */
static bool
looks_exponent(const char *v, size_t len)
{
	size_t i = 0;
	if (!digits_at(v, len, &i, 0, NULL))
		return false;
	if (i < len && v[i] == '.') {
		i++;
		if (!digits_at(v, len, &i, 0, NULL))
			return false;
	}
	if (i == len || (v[i] != 'E' && v[i] != 'e'))
		return false;
	i++;
	if (i < len && (v[i] == '+' || v[i] == '-'))
		i++;
	return digits_at(v, len, &i, 0, NULL) && i == len;
}

/* Letters from *i on that name a month ("MAR", "march", "SEPT"), case aside. */
static bool
month_at(const char *v, size_t len, size_t *i)
{
	static const char *const months[] = {"january", "february", "march",    "april",
	                                     "may",     "june",     "july",     "august",
	                                     "september", "october", "november", "december"};
	size_t start = *i;
	char word[12];
	size_t n = 0;
	while (*i < len && ascii_alpha(v[*i]) && n < sizeof word - 1)
		word[n++] = (char)ascii_lower(v[(*i)++]);
	word[n] = '\0';
	if (n >= 3 && (*i == len || !ascii_alpha(v[*i])))
		for (size_t m = 0; m < 12; m++)
			if (strncmp(months[m], word, n) == 0)
				return true;
	*i = start;
	return false;
}

/*
 * What a spreadsheet takes for a date: "3-4", "12/25", "3/4/24", and gene
 * names and codes such as "MARCH1", "SEPT2", "1-Mar".
 */
static bool
looks_date(const char *v, size_t len)
{
	size_t i = 0;
	long a, b;
	if (digits_at(v, len, &i, 2, &a)) {
		if (i < len && (v[i] == '-' || v[i] == '/') && i + 1 < len && ascii_digit(v[i + 1])) {
			i++;
			digits_at(v, len, &i, 2, &b);
			if (i < len && (v[i] == '-' || v[i] == '/')) {
				i++;
				size_t year = digits_at(v, len, &i, 4, NULL);
				if (year != 2 && year != 4)
					return false;
			}
			return i == len && a >= 1 && b >= 1 && a <= 31 && b <= 31 && (a <= 12 || b <= 12);
		}
		if (i < len && (v[i] == '-' || v[i] == ' '))
			i++;
		return a >= 1 && a <= 31 && month_at(v, len, &i) && i == len;
	}
	if (!month_at(v, len, &i))
		return false;
	if (i < len && (v[i] == '-' || v[i] == ' '))
		i++;
	return digits_at(v, len, &i, 2, &a) && i == len && a >= 1 && a <= 31;
}

/* What a spreadsheet would do to v, opened from CSV; NHAZARDS: nothing. */
static enum hazard_kind
hazard_of(const char *v, size_t len, bool date_column)
{
	if (writer_excel_formula(v, len))
		return HAZARD_FORMULA;
	size_t i = 0, digits = digits_at(v, len, &i, 0, NULL);
	if (digits == len)
		return len > 1 && v[0] == '0' ? HAZARD_ZEROS : len > 15 ? HAZARD_DIGITS : NHAZARDS;
	if (looks_exponent(v, len))
		return HAZARD_EXPONENT;
	if (!date_column && looks_date(v, len))
		return HAZARD_DATE;
	return NHAZARDS;
}

static void
count_hazards(struct importer *im, struct source *s, const struct record *rec)
{
	struct stats *st = &s->st;
	if (!st->hazards) {
		st->hazard_cols = im->out->n;
		st->hazards = xcalloc(st->hazard_cols * NHAZARDS + 1, sizeof *st->hazards);
	}
	for (size_t c = 0; c < rec->n && c < st->hazard_cols; c++) {
		size_t len;
		const char *v = record_get(rec, c, &len);
		if (len == 0)
			continue;
		enum hazard_kind k = hazard_of(v, len, schema_type(im->out->names[c]) == FIELD_DATE);
		if (k == NHAZARDS)
			continue;
		struct hazard *h = &st->hazards[c * NHAZARDS + k];
		if (h->count++ == 0) {
			h->row = rec->row;
			import_shown(v, len, h->value);
		}
	}
}

/* Count what the record written lacks, and with review, what a spreadsheet would do to it. */
void
import_count_missing(struct importer *im, struct source *s, const struct record *rec)
{
	if (im->o.review)
		count_hazards(im, s, rec);
	for (size_t i = 0; i < NMISSING; i++) {
		long at = im->field_out[missing_fields[i]];
		if (at < 0 || record_get(rec, (size_t)at, NULL)[0] == '\0')
			add_row(&s->st.missing[i], rec->row);
	}
	s->st.written++;
}

/* The summary. */

static void
review_rows(const struct rowlist *l, struct buf *out)
{
	buf_printf(out, "%ld row%s (", l->count, l->count == 1 ? "" : "s");
	for (long i = 0; i < l->count && i < ROWS_MAX; i++)
		buf_printf(out, "%s%ld", i ? ", " : "", l->rows[i]);
	if (l->count > ROWS_MAX)
		buf_printf(out, ", and %ld more", l->count - ROWS_MAX);
	buf_puts(out, ")\n");
}

/* The hazards of one input, each once per column, with a count and the first example. */
static void
review_hazards(const struct importer *im, const struct stats *st, struct buf *out)
{
	static const char *const what[NHAZARDS] = {
	    [HAZARD_FORMULA] = "a spreadsheet would run as a formula",
	    [HAZARD_ZEROS] = "with leading zeros a spreadsheet would drop",
	    [HAZARD_EXPONENT] = "a spreadsheet would read as a number in E notation",
	    [HAZARD_DIGITS] = "of more than 15 digits a spreadsheet would round",
	    [HAZARD_DATE] = "a spreadsheet would turn into a date",
	};
	bool any = false;
	for (size_t c = 0; c < st->hazard_cols; c++)
		for (int k = 0; k < NHAZARDS; k++) {
			const struct hazard *h = &st->hazards[c * NHAZARDS + k];
			if (!h->count)
				continue;
			if (!any)
				buf_puts(out, "  spreadsheet hazards (open the CSV with every column as "
				              "text, or write --xlsx or --excel-safe):\n");
			any = true;
			buf_printf(out, "    %s: %ld value%s %s (row %ld: \"%s\")\n", im->out->names[c],
			           h->count, h->count == 1 ? "" : "s", what[k], h->row, h->value);
		}
	if (!any)
		buf_puts(out, "  spreadsheet hazards: none\n");
}

static void
review_events(const char *title, const struct events *ev, struct buf *out)
{
	if (!ev->count)
		return;
	buf_printf(out, "  %s: %ld\n", title, ev->count);
	for (long i = 0; i < ev->count && i < EVENTS_MAX; i++)
		buf_printf(out, "    row %ld: %s\n", ev->e[i].row, ev->e[i].text);
	if (ev->count > EVENTS_MAX)
		buf_printf(out, "    and %ld more\n", ev->count - EVENTS_MAX);
}

void
import_totals(const struct importer *im, struct import_totals *t)
{
	memset(t, 0, sizeof *t);
	for (size_t i = 0; i < im->nsrc; i++) {
		const struct stats *st = &im->src[i]->st;
		t->read += st->read;
		t->written += st->written;
		t->rejected += st->rejected;
		t->duplicates += st->duplicates;
		t->merged += st->merged;
	}
}

void
import_review(const struct importer *im, struct buf *out)
{
	long read = 0, written = 0;
	for (size_t i = 0; i < im->nsrc; i++) {
		const struct source *s = im->src[i];
		const struct stats *st = &s->st;
		read += st->read;
		written += st->written;
		buf_printf(out, "review of %s: %ld row%s read, %ld written", s->path, st->read,
		           st->read == 1 ? "" : "s", st->written);
		if (st->rejected)
			buf_printf(out, ", %ld rejected", st->rejected);
		if (st->merged)
			buf_printf(out, ", %ld merged", st->merged);
		buf_puts(out, "\n  mapping:\n");
		import_describe_source(s, out, "    ");
		bool any = false;
		for (size_t c = 0; c < s->ncols; c++)
			if (s->cols[c].role == HEADER_UNKNOWN) {
				buf_printf(out, "%s%s",
				           any ? ", " : "  kept unmapped: ", s->in->names[c]);
				any = true;
			}
		buf_puts(out, any ? "\n" : "  kept unmapped: none\n");
		review_events("duplicates", &st->dups, out);
		for (size_t k = 0; k < NMISSING; k++) {
			int f = missing_fields[k];
			buf_printf(out, "  missing %s: ", schema_name(f));
			if (!s->has[f])
				buf_puts(out, "no such column\n");
			else if (st->missing[k].count == 0)
				buf_puts(out, "none\n");
			else
				review_rows(&st->missing[k], out);
		}
		if (st->nproblems) {
			buf_printf(out, "  values that did not parse: %ld\n", st->nproblems);
			for (size_t k = 0; k < st->ngroups; k++) {
				buf_printf(out, "    row %ld: %s", st->problems[k].rows.rows[0],
				           st->problems[k].text);
				rows_suffix(&st->problems[k].rows, out);
				buf_putc(out, '\n');
			}
			if (st->ungrouped)
				buf_printf(out, "    and %ld more\n", st->ungrouped);
		} else {
			buf_puts(out, "  values that did not parse: none\n");
		}
		review_hazards(im, st, out);
		if (st->owner_ids.count) {
			buf_printf(out,
			           "  owners that look like system ids (\"%s\"): ", st->owner_id);
			review_rows(&st->owner_ids, out);
			buf_puts(out,
			         "    map a column of owner names: --map 'Owner Name=owner'\n");
		}
		review_events("rejected", &st->rejects, out);
		if (st->rejected_who) {
			struct buf hint = {0};
			import_map_hint(s, &hint);
			if (hint.len)
				buf_printf(out,
				           "    %s would import the rows with no name, email or "
				           "phone\n",
				           buf_str(&hint));
			buf_free(&hint);
		}
	}
	if (im->nsrc > 1)
		buf_printf(out, "review total: %ld rows read, %ld written\n", read, written);
}
