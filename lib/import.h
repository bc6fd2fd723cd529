/*
 * import.h - a client spreadsheet (CSV, NDJSON or vCard) in, canonical
 * records out: headers mapped, values normalised, ids given, duplicates
 * found, every problem reported by file, row and field.
 *
 * Use: import_new, import_add for each input (it opens the input, maps its
 * header and reads ahead up to IMPORT_LOOKAHEAD rows to settle date orders
 * and the fields that labelled columns bring), import_header for the output
 * columns, then import_run to stream every input through a writer.  Memory
 * stays flat (the look-ahead rows, and a table of 12-byte slots, three keys
 * a record, for the duplicate and id checks) unless dedupe is on, which
 * holds the records until the end to merge them.
 */
#ifndef CS_IMPORT_H
#define CS_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "date.h"
#include "error.h"
#include "record.h"
#include "stream.h"
#include "util.h"
#include "writer.h"

enum { IMPORT_LOOKAHEAD = 1000 };

struct import_options {
	int delimiter;           /* 0: detect from the header row */
	bool lenient;            /* long rows: drop the extra fields (else reject the row) */
	const char *encoding;    /* NULL: "auto" (UTF-8, else Windows-1252) */
	const char *sheet;       /* an .xlsx input's sheet (input_open_sheet); NULL: the first */
	int decimal_comma;       /* -1: on for ';'-separated files, 0: off, 1: on */
	int date_order;          /* -1: per column from the values, else an enum date_order */
	bool dedupe;             /* merge duplicates */
	bool review;             /* tally what import_review lists that costs a scan of every value */
	const char *const *maps; /* "Header=field" overrides (borrowed), nmaps of them */
	size_t nmaps;
	struct date today;       /* for dates that cannot be right (a birthday to come) */
	FILE *reject;            /* NULL, or where unreadable rows go verbatim (borrowed) */
	const char *reject_name; /* its name for messages */
	cs_warn_fn *warn;        /* a problem with the data; the import goes on */
	cs_warn_fn *error;       /* an input that stops being readable midway */
	cs_warn_fn *note;        /* what the import did that is not a problem (merges) */
	void *ctx;               /* passed to the three */
};

struct importer;

/*
 * A new importer with options o (copied; the strings it points to are
 * borrowed and must outlive it).  NULL with err filled when a --map is not
 * "Header=field" with a canonical field.
 */
struct importer *import_new(const struct import_options *o, struct cs_error *err);
void import_free(struct importer *im);

/*
 * Open path ("-": standard input; path is borrowed), map its header and read
 * ahead.  A .vcf file, or an input starting with BEGIN:VCARD, is read as
 * vCard.  Returns 0, or -1 with err filled when the input cannot be read at
 * all (the importer goes on without it).
 */
int import_add(struct importer *im, const char *path, struct cs_error *err);
/* Inputs added so far. */
size_t import_count(const struct importer *im);
/*
 * Check the --map overrides against the inputs added: -1 with err filled
 * if one names a column that no input has.
 */
int import_check_maps(const struct importer *im, struct cs_error *err);

/*
 * The output columns: id, the canonical fields the inputs provide (in the
 * order of DESIGN section 3; notes always), then the columns kept as they
 * were, in input order.  Borrowed: valid until import_free.  Fixed by the
 * first call: add every input first.
 */
const struct header *import_header(struct importer *im);
/* The first input's encoding of the stream (CSV for vCard). */
enum stream_format import_format(const struct importer *im);

/* Append to out, for each input, how its columns are read (--show-mapping). */
void import_describe(struct importer *im, struct buf *out);

/*
 * Read every input and write the records to w (whose header must be
 * import_header's).  Problems go to the warn callback; an input that fails
 * midway to the error callback, after the records before the failure.
 * Returns 0, or 1 if an input failed.
 */
int import_run(struct importer *im, struct writer *w);

/* What an import did, over every input. */
struct import_totals {
	long read, written, rejected, duplicates, merged;
};
void import_totals(const struct importer *im, struct import_totals *t);

/* Append the --review summary to out. */
void import_review(const struct importer *im, struct buf *out);

/*
 * The stable id of a record with neither an input id: "c-" and the first 10
 * hex digits of the FNV-1a 64-bit hash of key (the normalised email, else
 * the lower-cased name, '|', and the phone's digits).  out gets it,
 * NUL-terminated.
 */
void import_derive_id(const char *key, size_t len, char out[16]);

#endif
