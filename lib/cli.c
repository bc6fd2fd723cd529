/*
 * cli.c - what every tool does the same way.  This is the one module that
 * may exit: its callers are the mains in cmd/, and -h, --version, a usage
 * error or a bad --today end a run the same way in every tool.
 */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shard.h"
#include "utf8.h"

/* The getopt_long tables for options: new, free both (*longopts, *shortopts). */
static void
getopt_tables(const struct cli_opt *options, struct option **longopts, char **shortopts)
{
	size_t n = 0;
	while (options[n].name)
		n++;
	*longopts = xcalloc(n + 1, sizeof **longopts);
	/* A leading ':' makes a missing argument ':' rather than '?', and no message. */
	char *s = *shortopts = xmalloc(2 * n + 2);
	*s++ = ':';
	for (size_t i = 0; i < n; i++) {
		const struct cli_opt *opt = &options[i];
		int has_arg = opt->arg ? required_argument : no_argument;
		int id = opt->id & ~CLI_FORMAT;
		(*longopts)[i] = (struct option){opt->name, has_arg, NULL, id};
		if (id < CLI_OPT_TODAY) {
			*s++ = (char)id;
			if (opt->arg)
				*s++ = ':';
		}
	}
	*s = '\0';
}

static const struct cli_opt *
find_id(const struct cli_opt *options, int id)
{
	for (const struct cli_opt *opt = options; opt->name; opt++)
		if ((opt->id & ~CLI_FORMAT) == id)
			return opt;
	return NULL;
}

/* The program's name for messages: argv[0] without its directory. */
static const char *
prog_name(char **argv)
{
	const char *slash = strrchr(argv[0], '/');
	return slash ? slash + 1 : argv[0];
}

/*
 * Say what getopt_long's '?' or ':' was about, as "prog: ..." on stderr:
 * the argument that failed is argv[optind - 1] for a long option; a short
 * one is optopt.
 */
static void
explain_error(int c, char **argv, const struct cli_opt *options)
{
	const char *prog = prog_name(argv);
	const char *arg = optind > 0 ? argv[optind - 1] : "";
	const struct cli_opt *known = optopt ? find_id(options, optopt) : NULL;
	bool is_long = strncmp(arg, "--", 2) == 0 && (optopt == 0 || known);
	if (!is_long) {
		if (c == ':')
			fprintf(stderr, "%s: option -%c needs an argument (%s)\n", prog, optopt,
			        known ? known->arg : "?");
		else
			fprintf(stderr, "%s: unknown option -%c\n", prog, isprint(optopt) ? optopt : '?');
		return;
	}
	size_t len = strcspn(arg + 2, "=");
	if (c == ':') {
		fprintf(stderr, "%s: option --%s needs an argument (%s)\n", prog, known->name,
		        known->arg);
		return;
	}
	if (known) {
		fprintf(stderr, "%s: option --%s takes no argument\n", prog, known->name);
		return;
	}
	/* Unknown or ambiguous: the names it abbreviates, else the closest. */
	struct buf word = {0}, matches = {0};
	buf_append(&word, arg + 2, len);
	size_t n = 0, nmatch = 0;
	while (options[n].name)
		n++;
	const char **names = xcalloc(n + 1, sizeof *names);
	for (size_t i = 0; i < n; i++) {
		names[i] = options[i].name;
		if (len && strncmp(options[i].name, word.data, len) == 0) {
			buf_printf(&matches, "%s--%s", nmatch ? ", " : "", options[i].name);
			nmatch++;
		}
	}
	if (nmatch > 1) {
		fprintf(stderr, "%s: option --%s is ambiguous: %s\n", prog, word.data, matches.data);
	} else if (strcmp(word.data, "shard") == 0 || strcmp(word.data, "shard-by") == 0) {
		/* Every tool that reads the book as a stream takes it: say which. */
		fprintf(
		    stderr,
		    "%s: --%s is not taken here: split a book with cs-shard, or give --shard to "
		    "cs-tier, cs-due, cs-report or cs-remove (cs(1), SHARDS)\n",
		    prog, word.data);
	} else {
		const char *near = str_suggest(word.data, names, n);
		fprintf(stderr, "%s: unknown option --%s", prog, word.data);
		if (near)
			fprintf(stderr, " (did you mean --%s?)", near);
		fputc('\n', stderr);
	}
	free(names);
	buf_free(&matches);
	buf_free(&word);
}

/*
 * Once every option is read: parse argv[0..end) again, the options alone
 * (getopt_long has moved the operands past them), and refuse two different
 * CLI_FORMAT options, or one given twice with different arguments.
 */
static void
check_formats(char **argv, int end, const struct cli_opt *options, struct option *longopts,
              const char *shortopts)
{
	const char *prog = prog_name(argv);
	char **copy = xcalloc((size_t)end + 1, sizeof *copy);
	memcpy(copy, argv, (size_t)end * sizeof *copy);
	int saved_opterr = opterr;
	opterr = 0;
	optind = 0; /* start getopt_long afresh */
	const struct cli_opt *first = NULL;
	const char *first_arg = NULL;
	char first_name[80] = "";
	bool xlsx = false, output = false, in_place = false;
	int c, longindex = -1;
	while ((c = getopt_long(end, copy, shortopts, longopts, &longindex)) != -1) {
		const struct cli_opt *opt = c == '?' || c == ':' ? NULL : find_id(options, c);
		xlsx |= c == CLI_OPT_XLSX;
		output |= c == 'o' && strcmp(optarg, "-") != 0;
		in_place |= opt && strcmp(opt->name, "in-place") == 0;
		/* getopt_long sets longindex only for a long option: how it was written. */
		char name[80];
		if (opt && longindex >= 0)
			snprintf(name, sizeof name, "--%s", opt->name);
		else if (opt)
			snprintf(name, sizeof name, "-%c", c);
		longindex = -1;
		if (!opt || !(opt->id & CLI_FORMAT))
			continue;
		if (!first) {
			first = opt;
			first_arg = optarg;
			memcpy(first_name, name, sizeof name);
			continue;
		}
		if (opt != first || (opt->arg && strcmp(optarg, first_arg) != 0)) {
			free(copy);
			if (strcmp(first_name, name) == 0)
				cli_die(prog, CLI_USAGE, "%s given twice (%s, %s): give one output format",
				        name, first_arg, optarg);
			cli_die(prog, CLI_USAGE, "%s and %s cannot be used together: give one output format",
			        first_name, name);
		}
	}
	free(copy);
	opterr = saved_opterr;
	optind = end;
	if (xlsx && in_place)
		cli_die(prog, CLI_USAGE,
		        "--xlsx and --in-place cannot be used together: a book stays CSV or NDJSON; "
		        "write the workbook with -o FILE");
	if (xlsx && !output && isatty(STDOUT_FILENO))
		cli_die(prog, CLI_USAGE,
		        "--xlsx writes a workbook, which a terminal cannot show: give -o FILE or "
		        "redirect standard output");
}

void
cli_std_fds(void)
{
	/* Ascending, so open's lowest free number is the one that was closed. */
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF)
			open("/dev/null", O_RDONLY);
}

int
cli_getopt(int argc, char **argv, const struct cli_opt *options)
{
	struct option *longopts;
	char *shortopts;
	getopt_tables(options, &longopts, &shortopts);
	int saved_opterr = opterr;
	opterr = 0; /* the messages are ours (explain_error) */
	int c = getopt_long(argc, argv, shortopts, longopts, NULL);
	opterr = saved_opterr;
	if (c == '?' || c == ':') {
		if (opterr)
			explain_error(c, argv, options);
		c = '?';
	} else if (c == -1) {
		check_formats(argv, optind, options, longopts, shortopts);
	}
	free(shortopts);
	free(longopts);
	return c;
}

void
cli_print_help(FILE *f, const struct cli_opt *options, int column)
{
	for (const struct cli_opt *opt = options; opt->name; opt++) {
		int width;
		int id = opt->id & ~CLI_FORMAT;
		if (id < CLI_OPT_TODAY)
			width = fprintf(f, "  -%c, --%s", id, opt->name);
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

/* After --help or --version: 0, or 1 when what was printed did not get out. */
static int
stdout_status(const char *prog)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return CLI_OK;
	fprintf(stderr, "%s: <stdout>: write error: %s\n", prog, strerror(errno));
	return CLI_DATA;
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
	case CLI_OPT_JOURNAL:
		common->journal = optarg;
		break;
	case CLI_OPT_SHARD: {
		char why[96];
		if (shard_parse(optarg, &common->shard_k, &common->shard_n, why, sizeof why) < 0)
			cli_die(prog, CLI_USAGE, "--shard %s: %s", optarg, why);
		break;
	}
	case CLI_OPT_SHARD_BY:
		common->shard_by = optarg;
		break;
	case CLI_OPT_SHEET:
		common->sheet = optarg;
		break;
	case CLI_OPT_EXCEL_SAFE:
		common->writer_flags |= STREAM_EXCEL_SAFE;
		break;
	case CLI_OPT_XLSX:
		common->format = STREAM_XLSX;
		break;
	case 'h':
		usage(stdout);
		exit(stdout_status(prog));
	case CLI_OPT_VERSION:
		printf("%s %s\n", prog, CS_VERSION);
		exit(stdout_status(prog));
	default:
		usage(stderr);
		exit(CLI_USAGE);
	}
}

void
cli_stream_shard(const struct cli_common *common, struct stream_options *so)
{
	so->shard_k = common->shard_k;
	so->shard_n = common->shard_n;
	so->shard_by = common->shard_by;
	so->sheet = common->sheet;
}

const char *
cli_journal_path(const struct cli_common *common)
{
	const char *path = common->journal ? common->journal : getenv("CS_JOURNAL");
	return path && *path ? path : NULL;
}

const char *
cli_model_path(const struct cli_common *common)
{
	if (common->model)
		return common->model;
	const char *env = getenv("CS_MODEL");
	return env && *env ? env : "";
}

struct journal *
cli_journal_open(const char *prog, const struct cli_common *common, int argc, char *const *argv,
                 const char *model)
{
	const char *path = cli_journal_path(common);
	if (!path)
		return NULL;
	/* A fixed today (tests, replays) stamps the lines with its midnight. */
	const char *env = getenv("CS_TODAY");
	char today[16];
	bool fixed = (common->today && *common->today) || (env && *env);
	if (fixed)
		date_format(cli_today(prog, common->today), today);
	struct journal_options jo = {
	    .path = path,
	    .tool = prog,
	    .argc = argc > 0 ? argc - 1 : 0,
	    .argv = argv + 1,
	    .today = fixed ? today : NULL,
	    .model = model,
	};
	struct cs_error err;
	struct journal *j = journal_open(&jo, &err);
	if (!j) {
		cs_error_print(prog, &err, false);
		exit(CLI_USAGE);
	}
	return j;
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
	return cli_output_finish_then(prog, out, status, NULL, NULL);
}

int
cli_output_finish_then(const char *prog, struct file_output *out, int status,
                       file_landed_fn *landed, void *ctx)
{
	if (!out)
		return status;
	if (status != CLI_OK) {
		say_untouched(prog, file_output_name(out), file_output_kind(out));
		file_output_abort(out);
		return status;
	}
	struct cs_error err;
	if (file_output_commit_then(out, landed, ctx, &err) < 0) {
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
	long n = 0;
	struct winsize ws;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
		n = ws.ws_col;
	} else {
		/* Shells set COLUMNS but seldom export it: a pipe or cron gets 80. */
		const char *s = getenv("COLUMNS");
		char *end;
		n = s && *s ? strtol(s, &end, 10) : 0;
		if (n <= 0 || *end)
			return 80;
	}
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
