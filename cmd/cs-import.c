/*
 * cs-import - any client spreadsheet in, the canonical stream out.
 *
 * With --raw it only converts between the encodings (CSV and NDJSON), with
 * no mapping: every value is carried byte for byte.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "record.h"
#include "stream.h"

static const char *prog = "cs-import";

struct options {
	bool raw;
	enum stream_format format; /* STREAM_AUTO: the input's */
	int delimiter;
	bool lenient;
	bool strict;
	const char *encoding;
	const char *output;
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: %s --raw [-cj] [-d DELIM] [--lenient] [--strict] [--encoding ENC]\n"
		   "                 [-o FILE] [FILE ...]\n",
		prog);
	if (f == stdout)
		fputs("\n"
		      "Convert client spreadsheets to the canonical stream.\n"
		      "\n"
		      "  --raw              only convert CSV <-> NDJSON: no mapping, bytes kept\n"
		      "  -c, --csv          write CSV\n"
		      "  -j, --json         write NDJSON (with --raw, every value a string)\n"
		      "  -d, --delimiter C  read CSV with delimiter C (, ; | or 'tab'); default: detect\n"
		      "      --lenient      drop extra fields of long rows with a warning\n"
		      "      --strict       treat warnings as errors (exit 1)\n"
		      "      --encoding ENC read ENC (utf8, cp1252, latin1, utf16) and convert\n"
		      "  -o, --output FILE  write to FILE instead of standard output\n"
		      "  -h, --help         show this help\n"
		      "      --version      show the version\n",
		      f);
}

static int
parse_delimiter(const char *s)
{
	if (strcmp(s, "tab") == 0 || strcmp(s, "\\t") == 0)
		return '\t';
	if (strlen(s) == 1 && strchr(",;|\t", s[0]))
		return s[0];
	cli_die(prog, CLI_USAGE, "delimiter \"%s\" is not one of , ; | tab", s);
}

static void
parse_options(int argc, char **argv, struct options *o)
{
	enum { OPT_RAW = 256, OPT_LENIENT, OPT_STRICT, OPT_ENCODING, OPT_VERSION };
	static const struct option longopts[] = {
		{"raw", no_argument, NULL, OPT_RAW},
		{"csv", no_argument, NULL, 'c'},
		{"json", no_argument, NULL, 'j'},
		{"delimiter", required_argument, NULL, 'd'},
		{"lenient", no_argument, NULL, OPT_LENIENT},
		{"strict", no_argument, NULL, OPT_STRICT},
		{"encoding", required_argument, NULL, OPT_ENCODING},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, OPT_VERSION},
		{NULL, 0, NULL, 0},
	};
	int c;
	while ((c = getopt_long(argc, argv, "cjd:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_RAW: o->raw = true; break;
		case 'c': o->format = STREAM_CSV; break;
		case 'j': o->format = STREAM_NDJSON; break;
		case 'd': o->delimiter = parse_delimiter(optarg); break;
		case OPT_LENIENT: o->lenient = true; break;
		case OPT_STRICT: o->strict = true; break;
		case OPT_ENCODING: o->encoding = optarg; break;
		case 'o': o->output = optarg; break;
		case 'h': usage(stdout); exit(CLI_OK);
		case OPT_VERSION: printf("%s %s\n", prog, CS_VERSION); exit(CLI_OK);
		default: usage(stderr); exit(CLI_USAGE);
		}
	}
	if (!o->raw)
		cli_die(prog, CLI_USAGE, "only --raw conversion is available in this version");
}

static bool
same_columns(const struct header *a, const struct header *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->names[i], b->names[i]) != 0)
			return false;
	return true;
}

/* Convert one input; returns the exit status for it. */
static int
convert(const char *path, const struct options *o, struct cli_warnings *cw, FILE *out,
	struct writer **w, struct header **out_header)
{
	struct cs_error err;
	struct stream_options so = {
		.delimiter = o->delimiter,
		.lenient = o->lenient,
		.encoding = o->encoding,
		.warn = cli_warn,
		.warn_ctx = cw,
	};
	struct stream *s = stream_open(path, &so, &err);
	if (!s) {
		cs_error_print(prog, &err, false);
		return CLI_DATA;
	}
	const struct header *h = stream_header(s);
	if (!*w) {
		*out_header = header_copy(h);
		enum stream_format f = o->format ? o->format : stream_format(s);
		*w = writer_new(out, f, *out_header, o->raw ? STREAM_RAW : 0);
	} else if (!same_columns(h, *out_header)) {
		fprintf(stderr, "%s: %s: its columns differ from the first input's\n", prog,
			stream_name(s));
		stream_close(s);
		return CLI_DATA;
	}
	struct record rec = {0};
	int got, status = CLI_OK;
	while ((got = stream_next(s, &rec, &err)) == 1)
		writer_put(*w, &rec);
	if (got < 0) {
		cs_error_print(prog, &err, false);
		status = CLI_DATA;
	}
	record_free(&rec);
	stream_close(s);
	return status;
}

int
main(int argc, char **argv)
{
	struct options o = {0};
	argv[0] = (char *)prog; /* getopt's messages name the tool, not its path */
	parse_options(argc, argv, &o);
	struct cs_error err;
	FILE *out = cli_open_output(o.output, &err);
	if (!out) {
		cs_error_print(prog, &err, false);
		return CLI_DATA;
	}
	struct cli_warnings cw = {.prog = prog};
	struct writer *w = NULL;
	struct header *h = NULL;
	int status = CLI_OK;
	if (optind == argc) {
		status = convert("-", &o, &cw, out, &w, &h);
	} else {
		for (int i = optind; i < argc; i++) {
			int st = convert(argv[i], &o, &cw, out, &w, &h);
			if (st > status)
				status = st;
		}
	}
	if (w && writer_close(w, o.output, &err) < 0) {
		cs_error_print(prog, &err, false);
		status = CLI_DATA;
	}
	if (cli_close_output(out, o.output, &err) < 0) {
		cs_error_print(prog, &err, false);
		status = CLI_DATA;
	}
	header_free(h);
	if (o.strict && cw.count > 0 && status == CLI_OK)
		status = CLI_DATA;
	return status;
}
