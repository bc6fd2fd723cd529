/*
 * cli.h - the plumbing every tool in cmd/ shares: the common options,
 * warnings, output files, today's date, the exit statuses of DESIGN section 6.
 */
#ifndef CS_CLI_H
#define CS_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "date.h"
#include "error.h"
#include "file.h"
#include "journal.h"
#include "stream.h"
#include "util.h"

enum cli_status {
	CLI_OK = 0,
	CLI_DATA = 1,  /* bad input data, or any problem under --strict */
	CLI_USAGE = 2, /* usage or model error */
};

/*
 * Options are declared once, as data: a tool lists its options in one table
 * of struct cli_opt, and cli_getopt parses argv by it and cli_print_help
 * prints its option lines for --help, in the table's order.
 *
 * An option's id is what cli_getopt returns for it: a short option's letter
 * ('m' for -m/--model), or for a long-only option a number from CLI_OPT_OWN
 * up (a tool's own enum), so it never meets a letter or a common option.
 */
enum cli_option_id {
	CLI_OPT_TODAY = 256, /* past every short option's character; below CLI_FORMAT */
	CLI_OPT_VERSION,
	CLI_OPT_JOURNAL,
	CLI_OPT_SHARD,
	CLI_OPT_SHARD_BY,
	CLI_OPT_EXCEL_SAFE,
	CLI_OPT_XLSX,
	CLI_OPT_SHEET,
	CLI_OPT_OWN,
};

/*
 * struct cli_opt - one option.  name is the long name without "--"; every
 * option has one.  arg names the argument in --help ("FILE"); NULL: the
 * option takes none.  help is its description; each '\n' in it starts a
 * continuation line, indented to the description's column.  A table ends
 * with an entry whose name is NULL ({0}).
 *
 * An option that chooses the output format (-c, -j, cs-due's --ics,
 * cs-report's --format) has CLI_FORMAT or'ed into its id in the table
 * ({OPT_ICS | CLI_FORMAT, "ics", ...}); cli_getopt returns the id without
 * it, and refuses two different such options in one run.  (A flag in the
 * id rather than a field of its own keeps every table's four-member
 * entries as they are.)
 */
struct cli_opt {
	int id;
	const char *name;
	const char *arg;
	const char *help;
};

enum { CLI_FORMAT = 1 << 16 };

/*
 * The common options of DESIGN section 6: -m/--model FILE, -c/--csv,
 * -j/--json, -o/--output FILE, --today DATE, -h/--help and --version.  Not
 * every tool takes every one (cs-import has no -m, cs-report no -c), and the
 * tools word some of them their own way, so a tool's table names the ones it
 * takes with these entries and gives each its help text; CLI_HELP_* is the
 * wording most tools use.  cli_common_option takes their ids.
 */
/* Kept by hand: clang-format takes a braced initializer in a macro for a block. */
/* clang-format off */
#define CLI_COMMON_MODEL(help) {'m', "model", "FILE", help}
#define CLI_COMMON_CSV(help) {'c' | CLI_FORMAT, "csv", NULL, help}
#define CLI_COMMON_JSON(help) {'j' | CLI_FORMAT, "json", NULL, help}
#define CLI_COMMON_OUTPUT(help) {'o', "output", "FILE", help}
#define CLI_COMMON_TODAY(help) {CLI_OPT_TODAY, "today", "DATE", help}
#define CLI_COMMON_JOURNAL {CLI_OPT_JOURNAL, "journal", "FILE", CLI_HELP_JOURNAL}
#define CLI_COMMON_SHARD \
	{CLI_OPT_SHARD, "shard", "K/N", "read only shard K of N (0 to N-1; see cs(1))"}, \
	{CLI_OPT_SHARD_BY, "shard-by", "FIELD", "take shards by FIELD instead of id"}
/*
 * For people opening the output in a spreadsheet: every tool that writes
 * CSV takes --excel-safe, and every tool that writes one stream to -o or
 * standard output takes --xlsx, worded the same.  --xlsx is an output
 * format like -c and -j; cli_getopt refuses it with --in-place (a book
 * stays CSV or NDJSON) and, without -o, when standard output is a terminal.
 */
#define CLI_COMMON_EXCEL_SAFE {CLI_OPT_EXCEL_SAFE, "excel-safe", NULL, CLI_HELP_EXCEL_SAFE}
#define CLI_COMMON_XLSX {CLI_OPT_XLSX | CLI_FORMAT, "xlsx", NULL, CLI_HELP_XLSX}
#define CLI_COMMON_EXCEL CLI_COMMON_EXCEL_SAFE, CLI_COMMON_XLSX
/* Every tool that reads books may read a workbook's sheet other than the first. */
#define CLI_COMMON_SHEET {CLI_OPT_SHEET, "sheet", "N|NAME", CLI_HELP_SHEET}
/* Every tool takes both, worded the same. */
#define CLI_COMMON_HELP_VERSION \
	{'h', "help", NULL, "show this help"}, {CLI_OPT_VERSION, "version", NULL, "show the version"}
/* clang-format on */

#define CLI_HELP_MODEL "the service model (default: $CS_MODEL, else built in)"
#define CLI_HELP_CSV "write CSV"
#define CLI_HELP_JSON "write NDJSON"
#define CLI_HELP_OUTPUT "write to FILE instead of standard output"
#define CLI_HELP_TODAY "take DATE as today (default: $CS_TODAY, else the clock)"
#define CLI_HELP_EXCEL_SAFE "CSV: quote formula-like values with ' (see cs(1))"
#define CLI_HELP_XLSX "write an Excel workbook (to -o FILE or a redirect)"
#define CLI_HELP_SHEET "read sheet N (from 1) or NAME of an .xlsx input"
#define CLI_HELP_JOURNAL "record every change to the book in FILE (default: $CS_JOURNAL)"

/*
 * getopt_long over the table options (borrowed): returns the next option's
 * id, '?' for an option the table does not have or one missing its argument,
 * or -1 after the last option.  optarg and optind are getopt_long's, as
 * ever.  On '?' it has said why on stderr, unless opterr is 0:
 *   "prog: unknown option --wehre (did you mean --where?)"
 *   "prog: option --s is ambiguous: --set, --summary, --score, --strict"
 *   "prog: option --where needs an argument (EXPR)"
 *   "prog: option --lock takes no argument"
 * (prog is argv[0]'s last component); the caller then prints its short
 * usage and exits 2 (cli_common_option does).  Before returning -1 it
 * checks the options it read for two that choose different output formats
 * (CLI_FORMAT: -c -j, -j --ics, --format html --format text): that prints
 * "prog: -c and -j cannot be used together: give one output format" and
 * exits 2, whatever order they came in.  Nothing to free: the getopt_long
 * tables are built for each call, and getopt_long keeps its place in argv,
 * not in them.
 */
int cli_getopt(int argc, char **argv, const struct cli_opt *options);

/*
 * Every tool's first call: a standard descriptor that is closed (a caller
 * ran `tool <&-` or `>&-`) is held by /dev/null, opened read-only, so the
 * next file opened cannot take its number.  Otherwise an output file opened
 * as fd 1 would receive what is printed to standard output, and an input
 * opened as fd 0 would pass for standard input.  Writes to a stdout or
 * stderr held this way still fail (EBADF), as they did closed.
 */
void cli_std_fds(void);

/*
 * Print the option lines of --help for options (borrowed), one entry after
 * another: "  -m, --model FILE" or "      --where EXPR", then the help text
 * from column (counted from 0; at least two spaces on, else on the next
 * line), and each continuation line indented to column.
 */
void cli_print_help(FILE *f, const struct cli_opt *options, int column);

/*
 * struct cli_common - the values of the common options, borrowed from argv
 * (NULL: not given).  format is STREAM_AUTO unless -c, -j or --xlsx was given
 * (only one: cli_getopt refuses more).  writer_flags holds STREAM_EXCEL_SAFE
 * after --excel-safe: a tool hands it to writer_new with its own flags.
 */
struct cli_common {
	const char *model;
	const char *output;
	const char *today;
	const char *journal;
	uint32_t shard_k, shard_n; /* --shard K/N; shard_n 0: every record */
	const char *shard_by;      /* --shard-by */
	const char *sheet;         /* --sheet */
	enum stream_format format;
	unsigned writer_flags;
};

/*
 * Take cli_getopt's result c (optarg with it) for a common option: -m, -c,
 * -j, -o and --today fill common.  -h prints usage(stdout) and exits 0;
 * --version prints "prog VERSION" and exits 0; anything else (getopt's '?',
 * once getopt has named the bad option) prints usage(stderr) and exits 2.
 * A tool's switch takes its own options and hands every other result here;
 * it may take a common letter itself (cs-due's -c and -j pick its own
 * formats), and then common keeps that value unset.
 */
void cli_common_option(int c, struct cli_common *common, const char *prog, void (*usage)(FILE *));

/*
 * Read only the shard --shard and --shard-by name (no change without
 * --shard), and the sheet --sheet names.
 */
void cli_stream_shard(const struct cli_common *common, struct stream_options *so);

/* The journal a run writes: --journal's, else $CS_JOURNAL's; NULL for none. */
const char *cli_journal_path(const struct cli_common *common);
/*
 * Start the run's journal (journal.h), or return NULL when there is none.
 * The arguments argv[1..argc) are recorded; model is the model file the run
 * uses ("" for the built-in one, NULL when it uses none).  A model that
 * cannot be read for its hash prints the error and exits 2.
 */
struct journal *cli_journal_open(const char *prog, const struct cli_common *common, int argc,
                                 char *const *argv, const char *model);
/* The model file a run uses, for the journal: -m's, else $CS_MODEL's, else "" (built in). */
const char *cli_model_path(const struct cli_common *common);

/* The format to write: -c's or -j's when given, else input, the format that was read. */
enum stream_format cli_output_format(const struct cli_common *common, enum stream_format input);

/*
 * struct cli_warnings - a cs_warn_fn context: prints each warning as
 * "prog: warning: file:row: msg" and counts them, so --strict can fail.
 */
struct cli_warnings {
	const char *prog;
	long count;
	bool quiet;
};
void cli_warn(void *ctx, const struct cs_error *w);

/*
 * Open an output (file.h: "-" or NULL is standard output, a file is written
 * through a temporary file).  On failure prints "prog: path: why" and
 * returns NULL.
 */
struct file_output *cli_output_open(const char *prog, const char *path);
/*
 * End a run's output: commit it when status is CLI_OK, else abort it (a
 * file it would have replaced is left as it was, and the message says so).
 * NULL is fine.  Returns status, made CLI_DATA by a failed commit (printed).
 */
int cli_output_finish(const char *prog, struct file_output *out, int status);
/* cli_output_finish, calling landed(ctx) once the output is in place (file_output_commit_then). */
int cli_output_finish_then(const char *prog, struct file_output *out, int status,
                           file_landed_fn *landed, void *ctx);
/*
 * For a run that failed before it opened its output: say of path what
 * cli_output_finish would ("left unchanged" for a file, "not written" for
 * a name that does not exist yet; nothing for standard output or a device).
 */
void cli_output_untouched(const char *prog, const char *path);

/*
 * struct cli_path - a file a run names, for cli_check_paths: path (NULL or
 * "-" is a standard stream and is skipped), the option that named it for
 * the message ("-o", "--reject"; "" for an operand), and its role.
 */
enum cli_role {
	CLI_IN_BOOK,   /* a book the run reads */
	CLI_IN_OTHER,  /* anything else it reads: a model, a log, a partial */
	CLI_OUT_BOOK,  /* where it writes the book it read: may be one of CLI_IN_BOOK */
	CLI_OUT_OTHER, /* any other output: a due list, a report, a plan, rejects, an archive */
};
struct cli_path {
	const char *path;
	const char *option;
	enum cli_role role;
};
/*
 * Refuse a run whose outputs would overwrite one of its inputs or each
 * other (the same path, or the same file through another name or a link),
 * before anything is read or written: prints "prog: OPTION PATH: ..." and
 * exits 2.  The one overlap allowed is a book output naming a book input,
 * which works like sort -o (the output replaces the input at the end).
 */
void cli_check_paths(const char *prog, const struct cli_path *paths, size_t n);

/* A list of paths to check, built as options are known; free with cli_paths_free. */
struct cli_paths {
	struct cli_path *v;
	size_t n, cap;
};
/* Add path (borrowed; NULL is skipped) named by option, in role. */
void cli_paths_add(struct cli_paths *p, const char *path, const char *option, enum cli_role role);
/* Add the n operands paths[0..n) in role; none means standard input, which needs no check. */
void cli_paths_add_all(struct cli_paths *p, char *const *paths, size_t n, enum cli_role role);
/* cli_check_paths on the list, then free it. */
void cli_paths_check(const char *prog, struct cli_paths *p);

/* Open path for writing ("-" or NULL: stdout).  NULL with err filled on failure. */
FILE *cli_open_output(const char *path, struct cs_error *err);
/*
 * Close what cli_open_output opened (stdout is flushed, not closed) and
 * check for write errors.  Returns 0 or -1 with err filled.
 */
int cli_close_output(FILE *f, const char *path, struct cs_error *err);

/*
 * The width of text output, in display cells: the terminal's (ioctl
 * TIOCGWINSZ) when standard output is one and says, else $COLUMNS when it
 * is a positive number, else 80; clamped to 40..1000 (narrower cannot hold
 * a table, wider is a mistake).
 */
size_t cli_text_width(void);

/* Today from --today (may be NULL), $CS_TODAY or the clock; exits 2 on a bad date. */
struct date cli_today(const char *prog, const char *option);

/* Print "prog: msg" on stderr, then exit with status. */
void cli_die(const char *prog, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));

/*
 * A text option (cs-log's --note, --by, --channel) must be UTF-8 without
 * control characters (line feeds are allowed when lines is true: a note
 * may have several), since it is stored and shown again: else exit
 * CLI_USAGE with "prog: OPTION: ..." naming the byte.  value NULL is fine.
 */
void cli_check_text(const char *prog, const char *option, const char *value, bool lines);

#endif
