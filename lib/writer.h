/*
 * writer.h - the one row writer: every row cs writes, CSV or NDJSON, goes
 * through it.
 *
 * CSV is RFC 4180 with LF line ends, each field quoted only when it must be
 * (csv_needs_quotes).  NDJSON
 * writes one object per record with the keys in header order; each value is
 * typed by its column: numbers and booleans bare when their text is a
 * canonical number or true/false, empty as null, everything else a string.
 * Column types come from the options, or from the canonical schema by name.
 *
 * Rows go to a FILE in 64 KiB writes, or, for a caller that must write a
 * batch with one write(2) (an append to a shared file), into a buffer it owns.
 *
 * Two outputs are for people opening the rows in a spreadsheet rather than
 * for the next tool: CSV with excel_safe, where a value a spreadsheet would
 * run as a formula is written with a leading ' (writer_excel_formula), and
 * STREAM_XLSX, a workbook (xlsx.h) whose cells are typed by column, so ids
 * and phones stay text and no cell is a formula.
 */
#ifndef CS_WRITER_H
#define CS_WRITER_H

#include <stdbool.h>
#include <stdio.h>

#include "error.h"
#include "record.h"
#include "schema.h"
#include "stream.h"
#include "util.h"

/*
 * struct writer_options - how to write; {0} is CSV with a header row, comma
 * separated, NDJSON values typed by the canonical schema.
 */
struct writer_options {
	enum stream_format format; /* STREAM_NDJSON, STREAM_XLSX, else CSV */
	bool no_header;  /* CSV: leave the header row out (appending to a file that has one) */
	int delimiter;   /* CSV: 0 is ',' */
	bool raw;        /* NDJSON: every value a string, empty as "" */
	bool whole_rows; /* CSV: a record longer than the header is written whole */
	bool excel_safe; /* CSV: a value writer_excel_formula takes gets a leading ' */
	/*
	 * NDJSON and XLSX: the type of each column of the header (borrowed, header->n
	 * entries, valid until writer_close); NULL: canonical fields by their
	 * type, other columns strings.
	 */
	const enum field_type *types;
	/* Write into this buffer (borrowed, appended to) instead of a FILE. */
	struct buf *to;
	/*
	 * Hand each record writer_put is given to each(each_ctx, rec) (rec
	 * borrowed for the call) instead of writing anything: a caller that
	 * wants another module's records, not their text (cs-import --update
	 * takes the import's).  writer_put_strings is not for such a writer.
	 */
	void (*each)(void *each_ctx, const struct record *rec);
	void *each_ctx;
};

struct writer;

/*
 * A new writer to out (borrowed, never closed; ignored when opts->to is
 * set) for records with the columns of h (borrowed: it must outlive the
 * writer, and may grow until the first writer_put).  opts may be NULL.
 * The CSV header row is written with the first record, or by writer_close
 * when there was none.
 */
struct writer *writer_open(FILE *out, const struct header *h, const struct writer_options *opts);
/*
 * The same as writer_open with only a format and, in flags, STREAM_RAW (raw
 * NDJSON) and STREAM_EXCEL_SAFE (excel_safe).
 */
struct writer *writer_new(FILE *out, enum stream_format format, const struct header *h,
                          unsigned flags);
/* Write one record: fields past the header's width are ignored, missing ones are empty. */
void writer_put(struct writer *w, const struct record *rec);
/*
 * Write one row given as n strings (n at most the header's width; missing
 * ones are empty).  The strings are borrowed for the call.
 */
void writer_put_strings(struct writer *w, const char *const *values, size_t n);
/*
 * Flush, free the writer and check the output for errors (a full disk; for
 * a workbook, also one that could not be built or has too many rows: it is
 * written only here, whole).
 * Returns 0, or -1 with err filled; name is used in the message (NULL:
 * standard output).
 */
int writer_close(struct writer *w, const char *name, struct cs_error *err);

/*
 * True if a spreadsheet opening p[0..len) from a CSV file would take it for
 * a formula, which excel_safe prevents with a leading ' (OWASP's advice on
 * CSV injection): it starts with =, +, -, @, a tab or a CR, and is not
 * plainly a number.  Plainly numbers are decimals with an optional sign
 * ("-5", "-12.50", "+44") and phone numbers written with a + ("+44 20 7946
 * 0000", "+1 (555) 010-0100": at least 7 digits, separated only by spaces,
 * '-', '.' and parentheses); these cannot call anything.  "=HYPERLINK(...)",
 * "@SUM(A1)", "-2+3" and "+2-3" are formulas.
 */
bool writer_excel_formula(const char *p, size_t len);

#endif
