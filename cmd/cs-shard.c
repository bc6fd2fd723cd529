/*
 * cs-shard - split a book into N files by the hash of a field, the same
 * split every tool's --shard K/N reads, so each shard can be worked on by
 * its own process or machine and the results merged.
 *
 *   cs-shard [--by FIELD] [-p PREFIX] [-c | -j] N [FILE ...]
 *
 * writes PREFIX-K.csv (or .ndjson) for K from 0 to N-1, each with the
 * header, every record in exactly one of them (shard.h gives the hash).
 * The files are replaced together only when the whole input was read.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "error.h"
#include "record.h"
#include "shard.h"
#include "stream.h"
#include "writer.h"

static const char prog[] = "cs-shard";

enum { OPT_BY = CLI_OPT_OWN, OPT_PREFIX };

/* Past this many, one process would hold too many open files. */
enum { MAX_FILES = 1000 };

static const struct cli_opt option_table[] = {
    {OPT_BY, "by", "FIELD", "split by FIELD's value (default: id)"},
    {'p', "prefix", "PREFIX", "write PREFIX-K.csv ... (default: shard)"},
    CLI_COMMON_CSV("write CSV (default: the input's format)"),
    CLI_COMMON_JSON("write NDJSON"),
    CLI_COMMON_EXCEL_SAFE,
    CLI_COMMON_HELP_VERSION,
    {0},
};

static void
usage(FILE *f)
{
	fprintf(f,
	        "usage: %s [--by FIELD] [-p PREFIX] [-c | -j] N [FILE ...]\n\n"
	        "Split a book into N files by the FNV-1a hash of a field (see cs(1)):\n"
	        "PREFIX-0 ... PREFIX-(N-1), each with the header.  `cs-tier --shard K/N`\n"
	        "and every other tool read the same shard K without splitting first.\n\n",
	        prog);
	cli_print_help(f, option_table, 22);
}

struct options {
	struct cli_common common;
	const char *by;
	const char *prefix;
	uint32_t n;
	char *const *paths; /* the inputs */
	size_t npaths;
};

static void
parse_options(int argc, char **argv, struct options *o)
{
	int c;
	while ((c = cli_getopt(argc, argv, option_table)) != -1) {
		switch (c) {
		case OPT_BY:
			o->by = optarg;
			break;
		case 'p':
			o->prefix = optarg;
			break;
		default:
			cli_common_option(c, &o->common, prog, usage);
		}
	}
	if (optind == argc) {
		usage(stderr);
		exit(CLI_USAGE);
	}
	const char *s = argv[optind++];
	char *end;
	unsigned long n = strtoul(s, &end, 10);
	if (*s < '1' || *s > '9' || *end || n > MAX_FILES)
		cli_die(prog, CLI_USAGE, "N \"%s\": a number of files from 1 to %d", s, MAX_FILES);
	o->n = (uint32_t)n;
}

/* The N outputs, opened as the first input's header is known. */
struct shards {
	uint32_t n;
	char **paths;
	struct file_output **out;
	struct writer **w;
};

/* The writers borrow h: it must outlive them. */
static int
open_shards(struct shards *sh, const struct options *o, const struct stream *s,
            const struct header *h)
{
	enum stream_format f = cli_output_format(&o->common, stream_format(s));
	const char *ext = f == STREAM_NDJSON ? "ndjson" : "csv";
	struct cli_paths check = {0};
	cli_paths_add_all(&check, o->paths, o->npaths, CLI_IN_BOOK);
	for (uint32_t k = 0; k < sh->n; k++) {
		struct buf b = {0};
		buf_printf(&b, "%s-%u.%s", o->prefix ? o->prefix : "shard", k, ext);
		sh->paths[k] = b.data;
		cli_paths_add(&check, sh->paths[k], "-p", CLI_OUT_OTHER);
	}
	cli_paths_check(prog, &check);
	for (uint32_t k = 0; k < sh->n; k++) {
		if (!(sh->out[k] = cli_output_open(prog, sh->paths[k])))
			return CLI_DATA;
		sh->w[k] = writer_new(file_output_stream(sh->out[k]), f, h,
		                      STREAM_RAW | o->common.writer_flags);
	}
	return CLI_OK;
}

/* Close every writer, then commit all the files or none. */
static int
close_shards(struct shards *sh, int status)
{
	struct cs_error err;
	for (uint32_t k = 0; k < sh->n; k++)
		if (sh->w[k] && writer_close(sh->w[k], sh->paths[k], &err) < 0) {
			cs_error_print(prog, &err, false);
			status = CLI_DATA;
		}
	for (uint32_t k = 0; k < sh->n; k++) {
		if (sh->out[k])
			status = cli_output_finish(prog, sh->out[k], status);
		free(sh->paths[k]);
	}
	free(sh->paths);
	free(sh->out);
	free(sh->w);
	return status;
}

/* Split s; first is the first input's header, and s is that input when opened is false. */
static int
split(struct shards *sh, const struct options *o, struct stream *s, const struct header *first,
      bool opened, long *col)
{
	if (!opened && open_shards(sh, o, s, first) != CLI_OK)
		return CLI_DATA;
	if (!header_equal(stream_header(s), first)) {
		fprintf(stderr, "%s: %s: its columns differ from the first input's\n", prog,
		        stream_name(s));
		return CLI_DATA;
	}
	const char *by = o->by ? o->by : "id";
	if (*col < 0 && (*col = header_find(stream_header(s), by)) < 0) {
		fprintf(stderr, "%s: %s: no column \"%s\" to split by\n", prog, stream_name(s), by);
		return CLI_DATA;
	}
	struct record rec = {0};
	struct cs_error err;
	int got;
	while ((got = stream_next(s, &rec, &err)) == 1) {
		size_t len = 0;
		const char *v = (size_t)*col < rec.n ? record_get(&rec, (size_t)*col, &len) : "";
		writer_put(sh->w[shard_of(v, len, sh->n)], &rec);
	}
	record_free(&rec);
	if (got < 0) {
		cs_error_print(prog, &err, false);
		return CLI_DATA;
	}
	return CLI_OK;
}

int
main(int argc, char **argv)
{
	cli_std_fds();
	argv[0] = (char *)prog;
	struct options o = {0};
	parse_options(argc, argv, &o);
	char **paths = argv + optind;
	size_t npaths = (size_t)(argc - optind);
	o.paths = paths;
	o.npaths = npaths;
	struct cli_warnings cw = {.prog = prog};
	struct stream_options so = {.warn = cli_warn, .warn_ctx = &cw};
	struct shards sh = {o.n, xcalloc(o.n, sizeof *sh.paths), xcalloc(o.n, sizeof *sh.out),
	                    xcalloc(o.n, sizeof *sh.w)};
	struct header *first = NULL;
	long col = -1;
	int status = CLI_OK;
	for (size_t i = 0; i < (npaths ? npaths : 1) && status == CLI_OK; i++) {
		struct cs_error err;
		struct stream *s = stream_open(npaths ? paths[i] : "-", &so, &err);
		if (!s) {
			cs_error_print(prog, &err, false);
			status = CLI_DATA;
			break;
		}
		bool opened = first != NULL;
		if (!first)
			first = header_copy(stream_header(s));
		status = split(&sh, &o, s, first, opened, &col);
		stream_close(s);
	}
	status = close_shards(&sh, status);
	header_free(first);
	return status;
}
