/*
 * csvio.h - CSV in through libcsv, CSV out by hand.
 *
 * The reader pulls chunks from an input, pushes them through libcsv, and
 * queues the rows a chunk completes; csv_reader_next hands them out one at a
 * time.  The queue holds at most one chunk's rows, so memory is flat.
 * Parsing is strict (a stray quote or an unterminated quoted field is an
 * error, never glued data) and exact (spaces around unquoted fields are
 * data: normalising them is cs-import's job, not the reader's).  Every field
 * is checked for NUL bytes and for UTF-8.
 */
#ifndef CS_CSVIO_H
#define CS_CSVIO_H

#include <stddef.h>

#include "error.h"
#include "input.h"
#include "record.h"
#include "util.h"

struct csv_reader;

/* A new reader of in (borrowed) with the given delimiter. */
struct csv_reader *csv_reader_new(struct input *in, int delimiter);
/*
 * Read the next row into rec (cleared first; rec->row set).  Returns 1, 0 at
 * the end, -1 on malformed input with err naming the row.  Rows before the
 * bad one are all delivered first.
 */
int csv_reader_next(struct csv_reader *r, struct record *rec, struct cs_error *err);
void csv_reader_free(struct csv_reader *r);
/*
 * Read every row through libcsv, leaving out the fast path that splits
 * rows of the common shapes itself: tests/fuzz/fuzz_csv_fast.c compares
 * the two.  Call before the first csv_reader_next.
 */
void csv_reader_libcsv_only(struct csv_reader *r);

/*
 * The delimiter of a header line at p[0..n): the most frequent of , ; tab |
 * outside quotes; ',' on a tie or when there is none.
 */
int csv_detect_delimiter(const char *p, size_t n);
/* True if p[0..n) holds a line end outside quotes (as csv_detect_delimiter reads them). */
bool csv_has_line_end(const char *p, size_t n);
/*
 * If p[0..n) starts with Excel's "sep=X" line, store X in *delimiter and
 * return the length of the line with its line end; else return 0 (also
 * when X is a quote, CR, LF or NUL, which cannot separate fields).
 */
size_t csv_sep_line(const char *p, size_t n, int *delimiter);

/*
 * True if a field needs quotes: it holds the delimiter, '"', CR or LF; with
 * any delimiter but ',', a ',' too, because a reader that finds no
 * delimiter in a one-column header reads the rows with ','.
 */
bool csv_needs_quotes(const char *p, size_t len, int delimiter);
/* Append the field to out, quoted only when needed. */
void csv_put_field(struct buf *out, const char *p, size_t len, int delimiter);

/*
 * What one tool writes, the next must read back as the same columns, and
 * readers guess from the header row: its delimiter (the most frequent
 * candidate outside quotes), and before that, from the first bytes, whether
 * the input is NDJSON, empty, a workbook, a vCard, has Excel's "sep=" line
 * or a BOM.  So a header field is quoted also when it holds any candidate
 * delimiter (, ; tab |), and the first one when it is blanks only or starts
 * with '{' (after blanks), "sep=", a UTF-8 BOM, a .xlsx's "PK\3\4" or
 * BEGIN:VCARD (an old .xls's signature is not UTF-8, so no field holds it).
 */
bool csv_header_needs_quotes(const char *p, size_t len, int delimiter, bool first);
/* Append a header field to out, quoted when csv_header_needs_quotes. */
void csv_put_header_field(struct buf *out, const char *p, size_t len, int delimiter, bool first);

#endif
