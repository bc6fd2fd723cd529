/*
 * xlsx.h - write records as an Excel workbook (libxlsxwriter), so a book
 * opened in a spreadsheet keeps what CSV loses there: ids, phones and
 * postcodes stay text ("007" stays 007), dates are dates, canonical numbers
 * are numbers, booleans the text true/false, and the header row is frozen
 * and filtered.  Read back through xlsx2csv, it gives the CSV it was
 * written from.
 *
 * A workbook is a ZIP file written in one go at the end, so the writer
 * builds it in a temporary file and copies it to out when it is closed:
 * out may then be anything a tool writes to, a file output that is renamed
 * into place only when the run succeeds, or standard output.
 */
#ifndef CS_XLSX_H
#define CS_XLSX_H

#include <stdio.h>

#include "error.h"
#include "record.h"
#include "schema.h"

struct xlsx_writer;

/*
 * A workbook of one sheet named sheet, with the columns of h (borrowed
 * until xlsx_close).  types gives each column's type (NULL: a canonical
 * column's own type, every other column text).  Returns NULL with err
 * filled when the temporary file cannot be made.
 */
struct xlsx_writer *xlsx_open(FILE *out, const struct header *h, const enum field_type *types,
                              const char *sheet, struct cs_error *err);
/*
 * One row.  A value that does not read as its column's type is written as
 * text, so nothing is lost.  Returns 0, or -1 with err filled (a sheet holds
 * at most 1,048,575 records).
 */
int xlsx_put(struct xlsx_writer *x, const struct record *r, struct cs_error *err);
/* Finish the workbook, copy it to out and free x.  Returns 0, or -1 with err filled. */
int xlsx_close(struct xlsx_writer *x, const char *name, struct cs_error *err);

#endif
