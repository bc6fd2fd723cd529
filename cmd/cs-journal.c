/*
 * cs-journal - check a journal's hash chain, show a client's history, and
 * rebuild a book as it was on a date.
 *
 *   cs-journal verify [FILE]
 *   cs-journal show [--journal FILE] [-c | -j] ID
 *   cs-journal replay [--journal FILE] --as-of DATE [-o OUT] BOOK
 *
 * The journal is written by the tools that change books (--journal, or
 * $CS_JOURNAL); lib/journal.c documents its lines, lib/journal_replay.c
 * how a replay undoes them.
 */
/* realpath(3) is an X/Open function: ask for it (this implies POSIX 2008). */
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "error.h"
#include "journal.h"
#include "journal_replay.h"
#include "record.h"
#include "stream.h"
#include "writer.h"

static const char prog[] = "cs-journal";

enum { OPT_AS_OF = CLI_OPT_OWN };

static const struct cli_opt option_table[] = {
    {CLI_OPT_JOURNAL, "journal", "FILE", "the journal (default: $CS_JOURNAL)"},
    {OPT_AS_OF, "as-of", "DATE", "replay: the book as it was at the end of DATE\n"
                                 "(or at a journal time, 2026-11-26T09:30:00Z)"},
    CLI_COMMON_OUTPUT("replay: write the book to FILE instead of standard output"),
    CLI_COMMON_CSV("show, replay: write CSV"),
    CLI_COMMON_JSON("show, replay: write NDJSON"),
    CLI_COMMON_HELP_VERSION,
    {0},
};

static void
usage(FILE *f)
{
	fprintf(f,
	        "usage: %s verify [FILE]\n"
	        "       %s show [--journal FILE] [-c | -j] ID\n"
	        "       %s replay [--journal FILE] --as-of DATE [-c | -j] [-o OUT] BOOK\n\n"
	        "Check a journal's hash chain, show one client's history, or rebuild a\n"
	        "book as it was on a date from the book and its journal.\n\n",
	        prog, prog, prog);
	cli_print_help(f, option_table, 22);
}

struct options {
	struct cli_common common;
	const char *as_of;
};

static void
parse_options(int argc, char **argv, struct options *o)
{
	int c;
	while ((c = cli_getopt(argc, argv, option_table)) != -1) {
		if (c == OPT_AS_OF)
			o->as_of = optarg;
		else
			cli_common_option(c, &o->common, prog, usage);
	}
}

static const char *
journal_or_die(const struct options *o)
{
	const char *path = cli_journal_path(&o->common);
	if (!path)
		cli_die(prog, CLI_USAGE, "which journal? name it with --journal FILE or $CS_JOURNAL");
	return path;
}

static int
verify(const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "%s: %s: cannot open: %s\n", prog, path, strerror(errno));
		return CLI_DATA;
	}
	struct journal_check c;
	int broken = journal_verify(f, &c);
	if (f != stdin)
		fclose(f);
	if (broken) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, c.why);
		return CLI_DATA;
	}
	printf("%s: %ld line%s, chain intact; head %s\n", path, c.lines, c.lines == 1 ? "" : "s",
	       c.head);
	return CLI_OK;
}

static struct stream *
open_stream(const char *path)
{
	struct cs_error err;
	struct stream *s = stream_open(path, NULL, &err);
	if (!s)
		cs_error_print(prog, &err, false);
	return s;
}

/* The text of column col of r (a journal line). */
static const char *
get(const struct record *r, long col, struct buf *b)
{
	size_t len = 0;
	const char *p = col >= 0 && (size_t)col < r->n ? record_get(r, (size_t)col, &len) : "";
	buf_reset(b);
	buf_append(b, p, len);
	return buf_str(b);
}

/* One journal line as a person reads it. */
static void
show_line(const struct record *r, const long *col, struct buf *v)
{
	printf("%s  %s  %s", get(r, col[0], &v[0]), get(r, col[1], &v[1]), get(r, col[2], &v[2]));
	const char *op = get(r, col[3], &v[3]);
	const char *field = get(r, col[4], &v[4]);
	const char *old = get(r, col[5], &v[5]), *new = get(r, col[6], &v[6]);
	if (strcmp(op, "change") == 0)
		printf("  %s: \"%s\" -> \"%s\"", field, old, new);
	else if (strcmp(op, "erase") == 0)
		printf("  erased (an erasure request: nothing about the client is kept here)");
	else
		printf("  %s %s: \"%s\"", op, field, *old ? old : new);
	const char *cause = get(r, col[7], &v[7]);
	if (*cause)
		printf("  (%s)", cause);
	putchar('\n');
}

static int
show(const struct options *o, const char *id)
{
	struct stream *s = open_stream(journal_or_die(o));
	if (!s)
		return CLI_DATA;
	static const char *const names[] = {"time", "user", "tool", "op", "field",
	                                    "old",  "new",  "cause", "id"};
	long col[9];
	for (int i = 0; i < 9; i++)
		col[i] = header_find(stream_header(s), names[i]);
	struct writer *w = o->common.format == STREAM_AUTO
	                       ? NULL
	                       : writer_new(stdout, o->common.format, stream_header(s), STREAM_RAW);
	struct record r = {0};
	struct buf v[9] = {{0}};
	struct cs_error err;
	int got, status = CLI_OK;
	long shown = 0;
	while ((got = stream_next(s, &r, &err)) == 1) {
		if (strcmp(get(&r, col[8], &v[8]), id) != 0)
			continue;
		shown++;
		if (w)
			writer_put(w, &r);
		else
			show_line(&r, col, v);
	}
	if (got < 0) {
		cs_error_print(prog, &err, false);
		status = CLI_DATA;
	}
	if (w && writer_close(w, NULL, &err) < 0) {
		cs_error_print(prog, &err, false);
		status = CLI_DATA;
	}
	if (!shown && status == CLI_OK)
		fprintf(stderr, "%s: %s: no line about \"%s\"\n", prog, stream_name(s), id);
	for (int i = 0; i < 9; i++)
		buf_free(&v[i]);
	record_free(&r);
	stream_close(s);
	return status;
}

static void
replay_warn(void *ctx, const struct cs_error *w)
{
	(void)ctx;
	cs_error_print(prog, w, true);
}

static int
replay(const struct options *o, const char *book)
{
	if (!o->as_of)
		cli_die(prog, CLI_USAGE, "replay needs --as-of DATE");
	const char *jpath = journal_or_die(o);
	char *file = realpath(book, NULL);
	if (!file) {
		fprintf(stderr, "%s: %s: %s\n", prog, book, strerror(errno));
		return CLI_DATA;
	}
	struct stream *j = open_stream(jpath), *b = j ? open_stream(book) : NULL;
	struct file_output *out = b ? cli_output_open(prog, o->common.output) : NULL;
	int status = CLI_DATA;
	if (out) {
		struct journal_replay_options ro = {
		    .file = file,
		    .as_of = o->as_of,
		    .format = o->common.format,
		    .journal_name = jpath,
		    .output_name = file_output_name(out),
		    .warn = replay_warn,
		};
		struct cs_error err;
		long n = journal_replay(j, b, &ro, file_output_stream(out), &err);
		if (n < 0)
			cs_error_print(prog, &err, false);
		else
			fprintf(stderr, "%s: %ld journal line%s undone\n", prog, n, n == 1 ? "" : "s");
		status = n < 0 ? CLI_DATA : CLI_OK;
	}
	status = cli_output_finish(prog, out, status);
	stream_close(b);
	stream_close(j);
	free(file);
	return status;
}

int
main(int argc, char **argv)
{
	cli_std_fds();
	argv[0] = (char *)prog;
	struct options o = {0};
	parse_options(argc, argv, &o);
	const char *cmd = optind < argc ? argv[optind++] : NULL;
	int left = argc - optind;
	if (cmd && strcmp(cmd, "verify") == 0 && left <= 1)
		return verify(left ? argv[optind] : journal_or_die(&o));
	if (cmd && strcmp(cmd, "show") == 0 && left == 1)
		return show(&o, argv[optind]);
	if (cmd && strcmp(cmd, "replay") == 0 && left == 1) {
		struct cli_paths paths = {0};
		cli_paths_add(&paths, argv[optind], "", CLI_IN_BOOK);
		cli_paths_add(&paths, cli_journal_path(&o.common), "--journal", CLI_IN_OTHER);
		cli_paths_add(&paths, o.common.output, "-o", CLI_OUT_OTHER);
		cli_paths_check(prog, &paths);
		return replay(&o, argv[optind]);
	}
	usage(stderr);
	return CLI_USAGE;
}
