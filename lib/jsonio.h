/*
 * jsonio.h - NDJSON in through jansson, NDJSON out by a small writer.
 *
 * Reading: one JSON object per line; blank lines are skipped.  The keys of
 * the first object are the header (the key "" is named column_N, as an
 * empty CSV column is); a later object may leave keys out (they
 * read as empty) but may not bring new ones, because a stream has one header.
 * Values become the text the CSV form would hold: strings as they are,
 * integers with their digits, reals in their shortest form (in plain
 * digits when 15 decimals or fewer say it: 0.0000001, not 1e-07), true/false,
 * null as empty, nested values as compact JSON.
 *
 * Writing builds the line by hand with a correct escaper: building a
 * jansson object per record and dumping it is several times slower.
 */
#ifndef CS_JSONIO_H
#define CS_JSONIO_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "input.h"
#include "record.h"
#include "util.h"

struct json_reader;

/* A new reader of in (borrowed). */
struct json_reader *json_reader_new(struct input *in);
/*
 * Read the next object into rec (cleared first, rec->row = its line number),
 * in the order of h's columns.  When define is true, h is empty and the
 * object's keys are added to it (the first record; an object without keys
 * is an error there).  Returns 1, 0 at the end,
 * -1 with err naming the line.
 */
int json_reader_next(struct json_reader *r, struct header *h, bool define, struct record *rec,
                     struct cs_error *err);
void json_reader_free(struct json_reader *r);
/*
 * Read every line with jansson, leaving out the flat reader that takes
 * the flat objects itself: tests/fuzz/fuzz_ndjson_fast.c compares the two.
 */
void json_reader_jansson_only(struct json_reader *r);

/* Append p[0..len) to out as a JSON string, quotes included. */
void json_put_string(struct buf *out, const char *p, size_t len);

#endif
