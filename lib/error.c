/*
 * error.c - filling and printing a struct cs_error.
 *
 * cs_error_print builds the whole line first and writes it once: stderr is
 * unbuffered, so a message written in parts could interleave with another
 * process's.
 */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

int
cs_error_set(struct cs_error *err, const char *file, long row, const char *fmt, ...)
{
	if (!err)
		return -1;
	err->file = file;
	err->row = row;
	err->col = 0;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return -1;
}

void
cs_error_print(const char *prog, const struct cs_error *err, bool warning)
{
	/* One write per message: stderr is unbuffered, and a messy file can warn a lot. */
	char where[64] = "";
	if (err->file) {
		int n = err->row > 0 ? snprintf(where, sizeof where, ":%ld", err->row) : 0;
		if (err->col > 0 && n >= 0)
			snprintf(where + n, sizeof where - (size_t)n, ":%d", err->col);
	}
	fprintf(stderr, "%s: %s%s%s%s%s\n", prog, warning ? "warning: " : "",
	        err->file ? err->file : "", where, err->file ? ": " : "", err->msg);
}

void
cs_vwarn(cs_warn_fn *fn, void *ctx, const char *file, long row, const char *fmt, va_list ap)
{
	if (!fn)
		return;
	struct cs_error w = {.file = file, .row = row};
	vsnprintf(w.msg, sizeof w.msg, fmt, ap);
	fn(ctx, &w);
}

void
cs_warn(cs_warn_fn *fn, void *ctx, const char *file, long row, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cs_vwarn(fn, ctx, file, row, fmt, ap);
	va_end(ap);
}
