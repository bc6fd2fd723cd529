/*
 * cli.h - the plumbing every tool in cmd/ shares: warnings, output files,
 * today's date, the exit statuses of DESIGN section 6.
 */
#ifndef CS_CLI_H
#define CS_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "date.h"
#include "util.h"

enum cli_status {
	CLI_OK = 0,
	CLI_DATA = 1,  /* bad input data, or any problem under --strict */
	CLI_USAGE = 2, /* usage or model error */
};

/*
 * struct cli_warnings - a stream_warn_fn context: prints each warning as
 * "prog: warning: file:row: msg" and counts them, so --strict can fail.
 */
struct cli_warnings {
	const char *prog;
	long count;
	bool quiet;
};
void cli_warn(void *ctx, const struct cs_error *w);

/* Open path for writing ("-" or NULL: stdout).  NULL with err filled on failure. */
FILE *cli_open_output(const char *path, struct cs_error *err);
/*
 * Close what cli_open_output opened (stdout is flushed, not closed) and
 * check for write errors.  Returns 0 or -1 with err filled.
 */
int cli_close_output(FILE *f, const char *path, struct cs_error *err);

/* Today from --today (may be NULL), $CS_TODAY or the clock; exits 2 on a bad date. */
struct date cli_today(const char *prog, const char *option);

/* Print "prog: msg" on stderr, then exit with status. */
void cli_die(const char *prog, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));

#endif
