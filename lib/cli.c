/*
 * cli.c - what every tool does the same way.  This is the one module that
 * may exit: its callers are the mains in cmd/, and -h, --version, a usage
 * error or a bad --today end a run the same way in every tool.
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "utf8.h"

int
cli_getopt(int argc, char **argv, const struct cli_opt *options)
{
	size_t n = 0;
	while (options[n].name)
		n++;
	struct option *longopts = xcalloc(n + 1, sizeof *longopts);
	char *shortopts = xmalloc(2 * n + 1), *s = shortopts;
	for (size_t i = 0; i < n; i++) {
		const struct cli_opt *opt = &options[i];
		int has_arg = opt->arg ? required_argument : no_argument;
		longopts[i] = (struct option){opt->name, has_arg, NULL, opt->id};
		if (opt->id < CLI_OPT_TODAY) {
			*s++ = (char)opt->id;
			if (opt->arg)
				*s++ = ':';
		}
	}
	*s = '\0';
	int c = getopt_long(argc, argv, shortopts, longopts, NULL);
	free(shortopts);
	free(longopts);
	return c;
}

void
cli_print_help(FILE *f, const struct cli_opt *options, int column)
{
	for (const struct cli_opt *opt = options; opt->name; opt++) {
		int width;
		if (opt->id < CLI_OPT_TODAY)
			width = fprintf(f, "  -%c, --%s", opt->id, opt->name);
		else
			width = fprintf(f, "      --%s", opt->name);
		if (opt->arg)
			width += fprintf(f, " %s", opt->arg);
		if (width + 2 > column) {
			fputc('\n', f);
			width = 0;
		}
		const char *line = opt->help;
		for (;;) {
			const char *end = strchr(line, '\n');
			int len = end ? (int)(end - line) : (int)strlen(line);
			fprintf(f, "%*s%.*s\n", column - width, "", len, line);
			if (!end)
				break;
			line = end + 1;
			width = 0;
		}
	}
}

void
cli_common_option(int c, struct cli_common *common, const char *prog, void (*usage)(FILE *))
{
	switch (c) {
	case 'm':
		common->model = optarg;
		break;
	case 'c':
		common->format = STREAM_CSV;
		break;
	case 'j':
		common->format = STREAM_NDJSON;
		break;
	case 'o':
		common->output = optarg;
		break;
	case CLI_OPT_TODAY:
		common->today = optarg;
		break;
	case 'h':
		usage(stdout);
		exit(CLI_OK);
	case CLI_OPT_VERSION:
		printf("%s %s\n", prog, CS_VERSION);
		exit(CLI_OK);
	default:
		usage(stderr);
		exit(CLI_USAGE);
	}
}

enum stream_format
cli_output_format(const struct cli_common *common, enum stream_format input)
{
	return common->format != STREAM_AUTO ? common->format : input;
}

void
cli_warn(void *ctx, const struct cs_error *w)
{
	struct cli_warnings *cw = ctx;
	cw->count++;
	if (!cw->quiet)
		cs_error_print(cw->prog, w, true);
}

struct file_output *
cli_output_open(const char *prog, const char *path)
{
	struct cs_error err;
	struct file_output *out = file_output_open(path, &err);
	if (!out)
		cs_error_print(prog, &err, false);
	return out;
}

static void
say_untouched(const char *prog, const char *name, enum file_output_kind kind)
{
	if (kind != FILE_OUTPUT_DIRECT)
		fprintf(stderr, "%s: %s: %s\n", prog, name,
		        kind == FILE_OUTPUT_REPLACES ? "left unchanged" : "not written");
}

void
cli_output_untouched(const char *prog, const char *path)
{
	struct stat st;
	if (!path || strcmp(path, "-") == 0)
		return;
	if (stat(path, &st) == 0)
		say_untouched(prog, path,
		              S_ISREG(st.st_mode) ? FILE_OUTPUT_REPLACES : FILE_OUTPUT_DIRECT);
	else if (errno == ENOENT)
		say_untouched(prog, path, FILE_OUTPUT_CREATES);
}

int
cli_output_finish(const char *prog, struct file_output *out, int status)
{
	if (!out)
		return status;
	if (status != CLI_OK) {
		say_untouched(prog, file_output_name(out), file_output_kind(out));
		file_output_abort(out);
		return status;
	}
	struct cs_error err;
	if (file_output_commit(out, &err) < 0) {
		cs_error_print(prog, &err, false);
		return CLI_DATA;
	}
	return status;
}

/* True if a and b name one file: the same path, or the same device and inode. */
static bool
same_file(const char *a, const char *b)
{
	if (strcmp(a, b) == 0)
		return true;
	struct stat sa, sb;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

static bool
is_stream(const char *path)
{
	return !path || strcmp(path, "-") == 0;
}

static bool
is_output(enum cli_role role)
{
	return role == CLI_OUT_BOOK || role == CLI_OUT_OTHER;
}

static const char *
named(const struct cli_path *p, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s", p->option, *p->option ? " " : "", p->path);
	return buf;
}

void
cli_check_paths(const char *prog, const struct cli_path *paths, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct cli_path *out = &paths[i];
		if (!is_output(out->role) || is_stream(out->path))
			continue;
		for (size_t j = 0; j < n; j++) {
			const struct cli_path *other = &paths[j];
			if (j == i || is_stream(other->path) || !same_file(out->path, other->path))
				continue;
			if (out->role == CLI_OUT_BOOK && other->role == CLI_IN_BOOK)
				continue; /* -o book.csv book.csv: like sort -o */
			if (is_output(other->role) && j < i)
				continue; /* said once, for the first of the two */
			char a[512], b[512];
			cli_die(prog, CLI_USAGE, "%s: the same file as %s: %s",
			        named(out, a, sizeof a), named(other, b, sizeof b),
			        is_output(other->role) ? "two outputs cannot share a file"
			                               : "refusing to overwrite an input");
		}
	}
}

void
cli_paths_add(struct cli_paths *p, const char *path, const char *option, enum cli_role role)
{
	if (!path)
		return;
	p->v = xgrow(p->v, &p->cap, p->n + 1, sizeof *p->v);
	p->v[p->n++] = (struct cli_path){.path = path, .option = option, .role = role};
}

void
cli_paths_add_all(struct cli_paths *p, char *const *paths, size_t n, enum cli_role role)
{
	for (size_t i = 0; i < n; i++)
		cli_paths_add(p, paths[i], "", role);
}

void
cli_paths_check(const char *prog, struct cli_paths *p)
{
	cli_check_paths(prog, p->v, p->n); /* exits on an overlap */
	free(p->v);
	*p = (struct cli_paths){0};
}

FILE *
cli_open_output(const char *path, struct cs_error *err)
{
	if (!path || strcmp(path, "-") == 0)
		return stdout;
	FILE *f = fopen(path, "w");
	if (!f)
		cs_error_set(err, path, 0, "cannot write: %s", strerror(errno));
	return f;
}

int
cli_close_output(FILE *f, const char *path, struct cs_error *err)
{
	const char *name = path && strcmp(path, "-") != 0 ? path : "<stdout>";
	int bad = fflush(f) != 0 || ferror(f);
	int saved = errno;
	if (f != stdout && fclose(f) != 0 && !bad) {
		bad = 1;
		saved = errno;
	}
	if (bad)
		return cs_error_set(err, name, 0, "write error: %s", strerror(saved));
	return 0;
}

size_t
cli_text_width(void)
{
	const char *s = getenv("COLUMNS");
	char *end;
	long n = s && *s ? strtol(s, &end, 10) : 0;
	if (n <= 0 || *end)
		return 80;
	return n < 40 ? 40 : n > 1000 ? 1000 : (size_t)n;
}

struct date
cli_today(const char *prog, const char *option)
{
	struct date today;
	char why[128];
	if (date_today(option, &today, why, sizeof why) < 0)
		cli_die(prog, CLI_USAGE, "today's date \"%s\" is not a date (%s)",
		        option && *option ? option : getenv("CS_TODAY"), why);
	return today;
}

void
cli_die(const char *prog, int status, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

void
cli_check_text(const char *prog, const char *option, const char *value, bool lines)
{
	if (!value)
		return;
	size_t len = strlen(value), at = utf8_clean_prefix(value, len, lines);
	if (at == len)
		return;
	unsigned char c = (unsigned char)value[at];
	if (at == utf8_valid_prefix(value, len))
		cli_die(prog, CLI_USAGE,
		        "%s: byte %zu (0x%02x) is not UTF-8: give the text in UTF-8", option,
		        at + 1, c);
	unsigned cp = c == 0xc2 ? (unsigned char)value[at + 1] : c; /* C1 is U+0080..U+009F */
	cli_die(prog, CLI_USAGE,
	        "%s: byte %zu is a control character (U+%04X): it would be stored and "
	        "shown again; leave it out",
	        option, at + 1, cp);
}
