/*
 * stream.h - one reader for both encodings of the canonical
 * stream (CSV and NDJSON).
 *
 * stream_open looks at the first non-blank byte of the input to tell the
 * encodings apart ('{' is NDJSON), reads the header (for NDJSON, the keys of
 * the first object), and then hands out one record at a time with
 * stream_next.  Memory stays flat: the stream holds one read buffer and the
 * rows of the current chunk, never the whole input.
 *
 * Writing is writer.h's.
 */
#ifndef CS_STREAM_H
#define CS_STREAM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "input.h"
#include "record.h"
#include "util.h"

/* STREAM_XLSX is written only (writer.h); a workbook is read as the CSV xlsx2csv makes of it. */
enum stream_format { STREAM_AUTO, STREAM_CSV, STREAM_NDJSON, STREAM_XLSX };


struct stream_options {
	int delimiter;        /* 0: detect from the header row (, ; tab |) */
	bool lenient;         /* long rows: warn and drop the extra fields */
	bool keep_long;       /* long rows: deliver them whole (rec->n > width), no error */
	const char *encoding; /* NULL: UTF-8; "auto", "cp1252"...: see input_open */
	const char *sheet;    /* a workbook's sheet to read (NULL: the first): see input_open */
	cs_warn_fn *warn;     /* NULL: warnings are dropped */
	void *warn_ctx;
	/*
	 * Deliver only the records of shard shard_k of shard_n (shard.h), by the
	 * column shard_by (NULL: "id"); shard_n 0 delivers every record.
	 */
	uint32_t shard_k, shard_n;
	const char *shard_by;
};

struct stream;

/*
 * Open path ("-" or NULL: standard input) and read its header.  Returns a new
 * stream, or NULL with err filled (the file cannot be opened, is empty, is
 * not UTF-8, ...).  opts may be NULL.  path is kept (borrowed) for messages.
 */
struct stream *stream_open(const char *path, const struct stream_options *opts,
                           struct cs_error *err);
/*
 * The same for an input the caller opened (and may have peeked at): in is
 * stolen, closed by stream_close or on failure.
 */
struct stream *stream_open_input(struct input *in, const struct stream_options *opts,
                                 struct cs_error *err);
/* The header, borrowed: valid until stream_close. */
const struct header *stream_header(const struct stream *s);
enum stream_format stream_format(const struct stream *s);
/* The delimiter of a CSV stream (after detection). */
int stream_delimiter(const struct stream *s);
/* The encoding the input was read in ("UTF-8", "WINDOWS-1252"...). */
const char *stream_encoding(const struct stream *s);
/* The name used in messages: the path, or "<stdin>". */
const char *stream_name(const struct stream *s);
/*
 * Read the next record into rec (cleared first), padded to the header's
 * width.  Returns 1 for a record, 0 at the end, -1 on an error (err filled,
 * naming the row); after an error the stream can only be closed.
 */
int stream_next(struct stream *s, struct record *rec, struct cs_error *err);
void stream_close(struct stream *s);

/*
 * writer_new's flags (writer.h): NDJSON with every value a string, empty as
 * ""; CSV with formula-like values prefixed with ' (--excel-safe).
 */
enum {
	STREAM_RAW = 1 << 0,
	STREAM_EXCEL_SAFE = 1 << 1,
};

#endif
