/*
 * xlsx.c - write records as an Excel workbook (xlsx.h).
 *
 * libxlsxwriter's constant-memory mode writes each row as it comes, so a
 * large book costs a temporary file, not memory.
 */
#include "xlsx.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "date.h"
#include "file.h"
#include "util.h"

/* Excel's last row is 1,048,576; the header takes one. */
enum { XLSX_MAX_RECORDS = 1048575 };

struct xlsx_writer {
	FILE *out;
	char *tmp; /* the workbook being built */
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *date_format, *header_format;
	const struct header *h;
	enum field_type *types;
	lxw_row_t row;
	char *cell; /* a NUL-terminated copy of the value being written */
	size_t cell_cap;
};

static int
lxw_failed(lxw_error e, const char *what, struct cs_error *err)
{
	return cs_error_set(err, NULL, 0, "cannot write the workbook (%s): %s", what,
	                    lxw_strerror(e));
}

struct xlsx_writer *
xlsx_open(FILE *out, const struct header *h, const enum field_type *types, const char *sheet,
          struct cs_error *err)
{
	struct buf path = {0};
	int fd = tmp_named("cs-xlsx", &path);
	if (fd < 0) {
		cs_error_set(err, NULL, 0, "cannot make a temporary file for the workbook: %s",
		             strerror(errno));
		buf_free(&path);
		return NULL;
	}
	close(fd);
	struct xlsx_writer *x = xcalloc(1, sizeof *x);
	x->out = out;
	x->tmp = path.data;
	x->h = h;
	lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
	x->wb = workbook_new_opt(x->tmp, &opts);
	x->ws = x->wb ? workbook_add_worksheet(x->wb, sheet) : NULL;
	if (!x->ws) {
		cs_error_set(err, NULL, 0, "cannot start the workbook");
		if (x->wb)
			workbook_close(x->wb);
		unlink(x->tmp);
		free(x->tmp);
		free(x);
		return NULL;
	}
	x->date_format = workbook_add_format(x->wb);
	format_set_num_format(x->date_format, "yyyy-mm-dd");
	x->header_format = workbook_add_format(x->wb);
	format_set_bold(x->header_format);
	x->types = xcalloc(h->n + 1, sizeof *x->types);
	for (size_t c = 0; c < h->n; c++) {
		int f = schema_index(h->names[c]);
		x->types[c] = types ? types[c] : f >= 0 ? schema_type_of(f) : FIELD_STRING;
		worksheet_write_string(x->ws, 0, (lxw_col_t)c, h->names[c], x->header_format);
	}
	x->row = 1;
	return x;
}

/*
 * Write value v of a column of type t into (row, col): a number or a date
 * when it reads as one, else text.  Booleans stay the text true/false: a
 * boolean cell reads back as TRUE, and a book must come back as it went.
 */
static lxw_error
put_cell(struct xlsx_writer *x, lxw_col_t col, enum field_type t, const char *v, size_t len)
{
	lxw_row_t row = x->row;
	if (len == 0)
		return LXW_NO_ERROR;
	if ((t == FIELD_NUMBER || t == FIELD_INTEGER) && is_canonical_number(v, len))
		return worksheet_write_number(x->ws, row, col, strtod(v, NULL), NULL);
	struct date d;
	char why[64];
	if (t == FIELD_DATE && len == 10 &&
	    date_parse(v, len, DATE_ORDER_YMD, 0, &d, why, sizeof why) == 0 && d.year >= 1900) {
		lxw_datetime dt = {d.year, d.month, d.day, 0, 0, 0};
		return worksheet_write_datetime(x->ws, row, col, &dt, x->date_format);
	}
	return worksheet_write_string(x->ws, row, col, v, NULL);
}

int
xlsx_put(struct xlsx_writer *x, const struct record *r, struct cs_error *err)
{
	if (x->row > XLSX_MAX_RECORDS)
		return cs_error_set(err, NULL, 0,
		                    "a workbook sheet holds at most %d records; write CSV instead",
		                    XLSX_MAX_RECORDS);
	for (size_t c = 0; c < x->h->n && c < r->n; c++) {
		size_t len = 0;
		const char *v = record_get(r, c, &len);
		x->cell = xgrow(x->cell, &x->cell_cap, len + 1, 1);
		memcpy(x->cell, v, len);
		x->cell[len] = '\0';
		lxw_error e = put_cell(x, (lxw_col_t)c, x->types[c], x->cell, len);
		if (e != LXW_NO_ERROR)
			return lxw_failed(e, x->h->names[c], err);
	}
	x->row++;
	return 0;
}

int
xlsx_close(struct xlsx_writer *x, const char *name, struct cs_error *err)
{
	worksheet_freeze_panes(x->ws, 1, 0);
	if (x->h->n)
		worksheet_autofilter(x->ws, 0, 0, x->row - 1, (lxw_col_t)(x->h->n - 1));
	lxw_error e = workbook_close(x->wb);
	int rc = 0;
	if (e != LXW_NO_ERROR) {
		rc = lxw_failed(e, "closing it", err);
	} else {
		FILE *f = fopen(x->tmp, "r+b");
		if (!f)
			rc = cs_error_set(err, NULL, 0, "cannot read the workbook back: %s",
			                  strerror(errno));
		else {
			rc = file_copy_stream(f, x->out, name, err);
			fclose(f);
		}
	}
	unlink(x->tmp);
	free(x->tmp);
	free(x->types);
	free(x->cell);
	free(x);
	return rc;
}
