/*
 * writer.c - CSV and NDJSON rows out, for every tool.
 *
 * A row is built in one buffer and the buffer is written when it passes
 * 64 KiB, so a record costs no stdio call.  For NDJSON the escaped `"key":`
 * prefix of every column is built once, at the first row, beside the
 * column's type: a record is then a walk over its fields with one branch on
 * the type.  Numbers keep the digits they were read with (never a trip
 * through a double), which is why a value that is not a canonical number is
 * written as a string even in a numeric column.
 *
 * --excel-safe costs nothing when it is off: the bytes that may start a
 * formula are marked in a table beside the quoting one, all unmarked
 * without the option, so each field pays one lookup of its first byte.  A
 * workbook is the xlsx module's; the writer only opens it at the first row,
 * when the header is final, and keeps its first error for writer_close.
 */
#include "writer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bytescan.h"
#include "csvio.h"
#include "jsonio.h"
#include "xlsx.h"

enum { WRITER_FLUSH_AT = 64 * 1024 };

struct writer {
	FILE *out;
	struct writer_options o;
	const struct header *header;
	bool started;
	enum field_type *types; /* NDJSON: per column */
	struct buf names;       /* NDJSON: the escaped "key": prefixes, NUL-separated */
	size_t *name_off;
	size_t *name_len;       /* NDJSON: each prefix's length, so a row costs no strlen */
	struct byteset special; /* CSV: the bytes that make a field need quotes */
	bool formula[256];      /* CSV with excel_safe: the bytes a formula may start with */
	struct buf own;         /* the row buffer, unless o.to is given */
	struct buf *line;       /* &own or o.to */
	struct buf cell;        /* excel_safe: the value with its ' */
	/* XLSX: the workbook, once started; failed when it could not go on (err). */
	struct xlsx_writer *xlsx;
	bool failed;
	struct cs_error err;
	struct record strings; /* XLSX: writer_put_strings' row as a record */
};

bool
writer_excel_formula(const char *p, size_t len)
{
	if (len == 0 || !strchr("=+-@\t\r", p[0]) || p[0] == '\0')
		return false;
	if (p[0] == '=' || p[0] == '@' || p[0] == '\t' || p[0] == '\r')
		return true;
	/* A signed decimal: "-5", "-12.50", "+44". */
	size_t i = 1, digits = 0;
	while (i < len && p[i] >= '0' && p[i] <= '9')
		i++, digits++;
	if (i < len && p[i] == '.' && digits) {
		size_t start = ++i;
		while (i < len && p[i] >= '0' && p[i] <= '9')
			i++;
		if (i == start)
			return true;
	}
	if (i == len && digits)
		return false;
	/* A phone number: "+44 20 7946 0000", "+1 (555) 010-0100". */
	if (p[0] != '+')
		return true;
	digits = 0;
	for (i = 1; i < len; i++) {
		char c = p[i];
		if (c >= '0' && c <= '9')
			digits++;
		else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')')
			return true;
	}
	return digits < 7 || !((p[1] >= '0' && p[1] <= '9') || p[1] == '(');
}

struct writer *
writer_open(FILE *out, const struct header *h, const struct writer_options *opts)
{
	struct writer *w = xcalloc(1, sizeof *w);
	if (opts)
		w->o = *opts;
	if (w->o.format != STREAM_NDJSON && w->o.format != STREAM_XLSX)
		w->o.format = STREAM_CSV;
	if (!w->o.delimiter)
		w->o.delimiter = ',';
	w->out = out;
	w->header = h;
	w->line = w->o.to ? w->o.to : &w->own;
	/* As csv_needs_quotes decides. */
	const char special[] = {',', '"', '\n', '\r', (char)w->o.delimiter};
	byteset_init(&w->special, special, sizeof special);
	if (w->o.excel_safe)
		for (const char *c = "=+-@\t\r"; *c; c++)
			w->formula[(unsigned char)*c] = true;
	return w;
}

struct writer *
writer_new(FILE *out, enum stream_format format, const struct header *h, unsigned flags)
{
	struct writer_options o = {.format = format,
	                           .raw = (flags & STREAM_RAW) != 0,
	                           .excel_safe = (flags & STREAM_EXCEL_SAFE) != 0};
	return writer_open(out, h, &o);
}

static void
flush_line(struct writer *w, bool force)
{
	if (w->o.to)
		return;
	if (w->line->len >= WRITER_FLUSH_AT || (force && w->line->len)) {
		fwrite(w->line->data, 1, w->line->len, w->out);
		buf_reset(w->line);
	}
}

static void
start_csv(struct writer *w)
{
	const struct header *h = w->header;
	if (w->o.no_header)
		return;
	for (size_t i = 0; i < h->n; i++) {
		if (i)
			buf_putc(w->line, (char)w->o.delimiter);
		const char *name = h->names[i];
		size_t len = strlen(name);
		if (w->formula[(unsigned char)name[0]] && writer_excel_formula(name, len)) {
			buf_reset(&w->cell);
			buf_putc(&w->cell, '\'');
			buf_append(&w->cell, name, len);
			name = w->cell.data;
			len = w->cell.len;
		}
		csv_put_header_field(w->line, name, len, w->o.delimiter, i == 0);
	}
	if (h->n == 1 && h->names[0][0] == '\0')
		buf_puts(w->line, "\"\"");
	buf_putc(w->line, '\n');
}

/* NDJSON: the key prefixes and the column types, once. */
static void
start_json(struct writer *w)
{
	const struct header *h = w->header;
	w->types = xcalloc(h->n ? h->n : 1, sizeof *w->types);
	w->name_off = xcalloc(h->n ? h->n : 1, sizeof *w->name_off);
	w->name_len = xcalloc(h->n ? h->n : 1, sizeof *w->name_len);
	for (size_t i = 0; i < h->n; i++) {
		if (w->o.raw)
			w->types[i] = FIELD_STRING;
		else
			w->types[i] = w->o.types ? w->o.types[i] : schema_type(h->names[i]);
		w->name_off[i] = w->names.len;
		buf_puts(&w->names, i ? "," : "{");
		json_put_string(&w->names, h->names[i], strlen(h->names[i]));
		buf_putc(&w->names, ':');
		w->name_len[i] = w->names.len - w->name_off[i];
		buf_putc(&w->names, '\0');
	}
}

static void
start(struct writer *w)
{
	w->started = true;
	if (w->o.format == STREAM_CSV)
		start_csv(w);
	else if (w->o.format == STREAM_XLSX)
		w->failed =
		    !(w->xlsx = xlsx_open(w->out, w->header, w->o.types, "Sheet1", &w->err));
	else
		start_json(w);
}

/* A CSV field a spreadsheet would run, written with its ' (and quoted if it must be). */
static void
put_excel_safe(struct writer *w, const char *p, size_t len)
{
	buf_reset(&w->cell);
	buf_putc(&w->cell, '\'');
	buf_append(&w->cell, p, len);
	csv_put_field(w->line, w->cell.data, w->cell.len, w->o.delimiter);
}

/* XLSX: one row, unless the workbook has already failed. */
static void
put_xlsx(struct writer *w, const struct record *rec)
{
	if (!w->failed && xlsx_put(w->xlsx, rec, &w->err) < 0)
		w->failed = true;
}

static void
put_json_value(struct writer *w, enum field_type type, const char *p, size_t len)
{
	if (w->o.raw) {
		json_put_string(w->line, p, len);
		return;
	}
	if (len == 0) {
		buf_puts(w->line, "null");
		return;
	}
	switch (type) {
	case FIELD_NUMBER:
	case FIELD_INTEGER:
		if (is_canonical_number(p, len)) {
			buf_append(w->line, p, len);
			return;
		}
		break;
	case FIELD_BOOL:
		if ((len == 4 && memcmp(p, "true", 4) == 0) ||
		    (len == 5 && memcmp(p, "false", 5) == 0)) {
			buf_append(w->line, p, len);
			return;
		}
		break;
	default:
		break;
	}
	json_put_string(w->line, p, len);
}

/* One field of the row; i is its column. */
static void
put_field(struct writer *w, size_t i, const char *p, size_t len)
{
	if (w->o.format == STREAM_CSV) {
		if (i)
			buf_putc(w->line, (char)w->o.delimiter);
		if (len && w->formula[(unsigned char)p[0]] && writer_excel_formula(p, len))
			put_excel_safe(w, p, len);
		else
			csv_put_field(w->line, p, len, w->o.delimiter);
	} else {
		buf_append(w->line, w->names.data + w->name_off[i], w->name_len[i]);
		put_json_value(w, w->types[i], p, len);
	}
}

static void
end_row(struct writer *w, bool lone_empty)
{
	if (w->o.format == STREAM_CSV) {
		/* A lone empty field would be a blank line, which readers skip. */
		if (lone_empty)
			buf_puts(w->line, "\"\"");
		buf_putc(w->line, '\n');
	} else {
		buf_puts(w->line, w->header->n ? "}\n" : "{}\n");
	}
	flush_line(w, false);
}

/*
 * One CSV row: room reserved once for the row unquoted, each field copied
 * and checked for what needs quotes in the same pass (byteset_copy), and
 * written again quoted (put_quoted's own reserve) in the rare case it does.
 */
static void
put_csv_row(struct writer *w, const struct record *rec, size_t n)
{
	const bool *formula = w->formula;
	struct buf *line = w->line;
	size_t have = rec->n < n ? rec->n : n, need = n + 3;
	for (size_t i = 0; i < have; i++)
		need += rec->fields[i].len;
	buf_reserve(line, need);
	char *out = line->data + line->len;
	for (size_t i = 0; i < n; i++) {
		if (i)
			*out++ = (char)w->o.delimiter;
		if (i >= have || rec->fields[i].len == 0)
			continue;
		const unsigned char *p = (const unsigned char *)rec->data.data + rec->fields[i].off;
		size_t len = rec->fields[i].len;
		if (formula[p[0]] && writer_excel_formula((const char *)p, len)) {
			line->len = (size_t)(out - line->data);
			put_excel_safe(w, (const char *)p, len);
			buf_reserve(line, need);
			out = line->data + line->len;
			continue;
		}
		if (!byteset_copy(&w->special, out, (const char *)p, len)) {
			out += len;
			continue;
		}
		line->len = (size_t)(out - line->data);
		csv_put_field(line, (const char *)p, len, w->o.delimiter);
		buf_reserve(line, need);
		out = line->data + line->len;
	}
	line->len = (size_t)(out - line->data);
	line->data[line->len] = '\0';
}

/* The hot path of every tool that writes a book: one loop per format, no branch per field. */
void
writer_put(struct writer *w, const struct record *rec)
{
	if (w->o.each) {
		w->o.each(w->o.each_ctx, rec);
		return;
	}
	if (!w->started)
		start(w);
	if (w->o.format == STREAM_XLSX) {
		put_xlsx(w, rec);
		return;
	}
	size_t n = w->header->n;
	struct buf *line = w->line;
	if (w->o.format == STREAM_CSV) {
		if (w->o.whole_rows && rec->n > n)
			n = rec->n;
		put_csv_row(w, rec, n);
	} else {
		size_t len;
		for (size_t i = 0; i < n; i++) {
			buf_append(line, w->names.data + w->name_off[i], w->name_len[i]);
			const char *p = record_get(rec, i, &len);
			put_json_value(w, w->types[i], p, len);
		}
	}
	end_row(w, n == 1 && record_get(rec, 0, NULL)[0] == '\0');
}

void
writer_put_strings(struct writer *w, const char *const *values, size_t n)
{
	if (!w->started)
		start(w);
	size_t width = w->header->n;
	if (w->o.format == STREAM_XLSX) {
		record_clear(&w->strings);
		for (size_t i = 0; i < width; i++) {
			const char *p = i < n && values[i] ? values[i] : "";
			record_push(&w->strings, p, strlen(p));
		}
		put_xlsx(w, &w->strings);
		return;
	}
	for (size_t i = 0; i < width; i++) {
		const char *p = i < n && values[i] ? values[i] : "";
		put_field(w, i, p, strlen(p));
	}
	end_row(w, width == 1 && (n == 0 || !values[0] || !values[0][0]));
}

int
writer_close(struct writer *w, const char *name, struct cs_error *err)
{
	int rc = 0;
	const char *shown = name ? name : "<stdout>";
	if (!w->started && w->o.format != STREAM_NDJSON && !w->o.each)
		start(w);
	if (w->xlsx) {
		struct cs_error closing;
		/* xlsx_close frees the workbook even after an error; the first error is the one to
		 * tell. */
		if (xlsx_close(w->xlsx, shown, &closing) < 0 && !w->failed) {
			w->failed = true;
			w->err = closing;
		}
	}
	if (w->failed) {
		rc = cs_error_set(err, shown, 0, "%s", w->err.msg);
	} else {
		if (!w->o.each)
			flush_line(w, true);
		if (!w->o.to && !w->o.each && (fflush(w->out) != 0 || ferror(w->out)))
			rc = cs_error_set(err, shown, 0, "write error: %s", strerror(errno));
	}
	buf_free(&w->cell);
	record_free(&w->strings);
	buf_free(&w->own);
	buf_free(&w->names);
	free(w->types);
	free(w->name_off);
	free(w->name_len);
	free(w);
	return rc;
}
