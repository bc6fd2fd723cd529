/*
 * error.h - the one error type every module fills, and the one printer.
 *
 * The library never prints and never exits (out of memory aside, see
 * util.h): a function that fails fills a struct cs_error and returns a
 * status, and the tool in cmd/ prints it with cs_error_print and decides
 * what to do.  A module that finds a problem it can go on from reports it
 * through a cs_warn_fn the caller gave it.
 */
#ifndef CS_ERROR_H
#define CS_ERROR_H

#include <stdarg.h>
#include <stdbool.h>

/*
 * struct cs_error - what went wrong and where.  file is borrowed (it must
 * outlive the error: it is normally the path a stream was opened with); row is
 * the spreadsheet row (header = 1) or 0 when unknown; col is a 1-based column
 * in an expression or model file, or 0.
 */
struct cs_error {
	const char *file;
	long row;
	int col;
	char msg[512];
};

/*
 * Fill err (if not NULL) with a formatted message; col becomes 0.  file is
 * borrowed.  Always returns -1.
 */
int cs_error_set(struct cs_error *err, const char *file, long row, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * Print "prog: file:row:col: msg" (parts that are unknown are left out) on
 * stderr, prefixing "warning: " when warning is true.
 */
void cs_error_print(const char *prog, const struct cs_error *err, bool warning);

/*
 * A warning a module reports and goes on from (a duplicate header, a padded
 * row...).  ctx is the caller's, given with the callback; warning is
 * borrowed for the call.
 */
typedef void cs_warn_fn(void *ctx, const struct cs_error *warning);

/*
 * Hand fn (nothing when NULL) a warning about file:row (row 0: the whole
 * file), formatted from fmt: the one way modules report what they go on from.
 */
void cs_warn(cs_warn_fn *fn, void *ctx, const char *file, long row, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void cs_vwarn(cs_warn_fn *fn, void *ctx, const char *file, long row, const char *fmt,
              va_list ap) __attribute__((format(printf, 5, 0)));

#endif
