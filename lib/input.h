/*
 * input.h - bytes in: large reads, a BOM stripped, other encodings converted.
 *
 * The readers (csvio, jsonio) see UTF-8 only.  An input decides its encoding
 * once, from the first bytes: a UTF-16 or UTF-8 byte order mark, or the one
 * the caller names.  Anything but UTF-8 goes through iconv into the buffer.
 */
#ifndef CS_INPUT_H
#define CS_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "util.h"

/*
 * The read size.  The fuzzing build makes it small (-DCS_INPUT_CHUNK=1024,
 * tests/fuzz/README) so that inputs of a few KB cross chunk boundaries,
 * where the readers hold back partial rows, quotes and characters.
 */
#ifndef CS_INPUT_CHUNK
#define CS_INPUT_CHUNK (256 * 1024)
#endif
enum { INPUT_CHUNK = CS_INPUT_CHUNK };

struct input;

/*
 * Open path ("-" or NULL: standard input).  encoding is NULL or "utf8" (bytes
 * as they are, checked later by the readers), "auto" (UTF-8, or Windows-1252
 * when the first chunk is not valid UTF-8), or any name iconv knows
 * ("cp1252", "latin1", "utf16").  A UTF-16 BOM always selects UTF-16.
 *
 * An .xlsx workbook (a ZIP file, "PK\3\4", that is not an .ods) is known by
 * its bytes, whatever its name, and read as the CSV that Debian's xlsx2csv
 * makes of its first sheet, or of sheet (a number from 1, else a name; NULL:
 * the first): a child process writes it into a pipe, dates as YYYY-MM-DD.
 * A workbook on standard input is first copied to a temporary file, since
 * xlsx2csv must seek in it.  Without xlsx2csv, the error names the package;
 * when xlsx2csv fails, input_fill's error gives its message.  An .ods (ZIP)
 * or .xls (OLE "D0 CF 11 E0") workbook is refused with what to do instead.
 * Returns a new input or NULL with err filled.
 */
struct input *input_open_sheet(const char *path, const char *encoding, const char *sheet,
                               struct cs_error *err);
/* input_open_sheet of the first sheet. */
struct input *input_open(const char *path, const char *encoding, struct cs_error *err);
/* The name for messages: the path or "<stdin>".  Borrowed. */
const char *input_name(const struct input *in);
/* The encoding the input is read in: "UTF-8", "UTF-16", "WINDOWS-1252"... Borrowed. */
const char *input_encoding(const struct input *in);

/*
 * The bytes read from the file so far, before any conversion, and the
 * file's size: 0 when it is not known (a pipe, a terminal, a workbook read
 * through xlsx2csv).  For the progress line (progress.h).
 */
uint64_t input_bytes_read(const struct input *in);
uint64_t input_size(const struct input *in);

/*
 * The bytes buffered and not yet consumed, borrowed until the next
 * input_fill or input_consume.
 */
const char *input_peek(const struct input *in, size_t *len);
/*
 * Read more, keeping the unconsumed bytes (the buffer grows when it is full,
 * so a caller looking for a line end always gets one).  Returns 1 if bytes
 * were added, 0 at the end of input, -1 on a read or conversion error (err
 * filled).
 */
int input_fill(struct input *in, struct cs_error *err);
void input_consume(struct input *in, size_t n);
bool input_eof(const struct input *in);
/* Close in; a workbook's xlsx2csv still running is stopped (SIGTERM) and waited for. */
void input_close(struct input *in);

/* True if encoding is a name input_open takes ("auto", "utf8", "cp1252", "latin1"...). */
bool input_encoding_known(const char *encoding);

#endif
