/*
 * cs-tier - set each client's tier (A, B, C...) by the model's tiering rules,
 * or bulk re-tier the records an expression selects; explain, list the
 * changes, rewrite a file in place atomically.
 *
 * Each record is decided on its own (DESIGN section 8): its old tier is
 * checked against the model, a locked tier is kept unless --force, then
 * --set or the first matching rule gives the new tier.  A record that no
 * rule matches keeps its tier.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "atomic.h"
#include "cli.h"
#include "fields.h"
#include "model.h"
#include "record.h"
#include "stream.h"

static const char *prog = "cs-tier";

struct options {
	const char *model;
	const char **rules; /* --rule, in order */
	size_t nrules;
	const char *where;
	const char *set;
	bool lock, force, explain, changes, summary, score, in_place, check_model, strict;
	enum stream_format format; /* STREAM_AUTO: the input's */
	const char *output;
	const char *today;
};

static void
usage(FILE *f)
{
	fprintf(f,
	        "usage: %s [-cj] [-m MODEL] [--rule 'TIER: EXPR'] [--where EXPR] [--set TIER]\n"
	        "               [--lock] [--force] [--explain] [--changes] [--summary] [--score]\n"
	        "               [--strict] [--today DATE] [-i | -o FILE] [FILE ...]\n"
	        "       %s [-m MODEL] [--rule 'TIER: EXPR'] --check-model\n",
	        prog, prog);
	if (f == stdout)
		fputs(
		    "\n"
		    "Set each client's tier by the model's tiering rules (first match wins).\n"
		    "\n"
		    "  -m, --model FILE    the service model (default: $CS_MODEL, else built in)\n"
		    "      --rule 'T: E'   tier T when E; repeatable; replaces the model's rules\n"
		    "      --where EXPR    re-tier only the records EXPR selects\n"
		    "      --set TIER      give the selected records TIER instead of a rule's\n"
		    "      --lock          mark the tiers this run sets as tier_locked\n"
		    "      --force         re-tier locked records too\n"
		    "      --explain       add a tier_reason column naming the rule that matched\n"
		    "      --changes       write only records whose tier changed, with old_tier\n"
		    "      --summary       print how many moved between which tiers on stderr\n"
		    "      --score         add a score column from the model's score weights\n"
		    "      --check-model   check the model, print a summary of it and exit\n"
		    "  -i, --in-place      rewrite each FILE atomically instead of writing stdout\n"
		    "  -o, --output FILE   write to FILE instead of standard output\n"
		    "  -c, --csv           write CSV\n"
		    "  -j, --json          write NDJSON\n"
		    "      --strict        treat warnings as errors (exit 1)\n"
		    "      --today DATE    take DATE as today (default: $CS_TODAY, else the "
		    "clock)\n"
		    "  -h, --help          show this help\n"
		    "      --version       show the version\n",
		    f);
}

static void
parse_options(int argc, char **argv, struct options *o)
{
	enum {
		OPT_RULE = 256,
		OPT_WHERE,
		OPT_SET,
		OPT_LOCK,
		OPT_FORCE,
		OPT_EXPLAIN,
		OPT_CHANGES,
		OPT_SUMMARY,
		OPT_SCORE,
		OPT_CHECK_MODEL,
		OPT_STRICT,
		OPT_TODAY,
		OPT_VERSION,
	};
	static const struct option longopts[] = {
	    {"model", required_argument, NULL, 'm'},
	    {"rule", required_argument, NULL, OPT_RULE},
	    {"where", required_argument, NULL, OPT_WHERE},
	    {"set", required_argument, NULL, OPT_SET},
	    {"lock", no_argument, NULL, OPT_LOCK},
	    {"force", no_argument, NULL, OPT_FORCE},
	    {"explain", no_argument, NULL, OPT_EXPLAIN},
	    {"changes", no_argument, NULL, OPT_CHANGES},
	    {"summary", no_argument, NULL, OPT_SUMMARY},
	    {"score", no_argument, NULL, OPT_SCORE},
	    {"check-model", no_argument, NULL, OPT_CHECK_MODEL},
	    {"in-place", no_argument, NULL, 'i'},
	    {"output", required_argument, NULL, 'o'},
	    {"csv", no_argument, NULL, 'c'},
	    {"json", no_argument, NULL, 'j'},
	    {"strict", no_argument, NULL, OPT_STRICT},
	    {"today", required_argument, NULL, OPT_TODAY},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, OPT_VERSION},
	    {NULL, 0, NULL, 0},
	};
	/* --rule can repeat: argc bounds how often. */
	o->rules = xcalloc((size_t)argc, sizeof *o->rules);
	int c;
	while ((c = getopt_long(argc, argv, "m:io:cjh", longopts, NULL)) != -1) {
		switch (c) {
		case 'm':
			o->model = optarg;
			break;
		case OPT_RULE:
			o->rules[o->nrules++] = optarg;
			break;
		case OPT_WHERE:
			o->where = optarg;
			break;
		case OPT_SET:
			o->set = optarg;
			break;
		case OPT_LOCK:
			o->lock = true;
			break;
		case OPT_FORCE:
			o->force = true;
			break;
		case OPT_EXPLAIN:
			o->explain = true;
			break;
		case OPT_CHANGES:
			o->changes = true;
			break;
		case OPT_SUMMARY:
			o->summary = true;
			break;
		case OPT_SCORE:
			o->score = true;
			break;
		case OPT_CHECK_MODEL:
			o->check_model = true;
			break;
		case 'i':
			o->in_place = true;
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'c':
			o->format = STREAM_CSV;
			break;
		case 'j':
			o->format = STREAM_NDJSON;
			break;
		case OPT_STRICT:
			o->strict = true;
			break;
		case OPT_TODAY:
			o->today = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(CLI_OK);
		case OPT_VERSION:
			printf("%s %s\n", prog, CS_VERSION);
			exit(CLI_OK);
		default:
			usage(stderr);
			exit(CLI_USAGE);
		}
	}
	if (o->check_model)
		return;
	if (o->in_place && o->output)
		cli_die(prog, CLI_USAGE, "-i and -o cannot go together");
	if (o->in_place && optind == argc)
		cli_die(prog, CLI_USAGE, "-i needs the files to rewrite");
	if (o->in_place && o->changes)
		cli_die(prog, CLI_USAGE,
		        "-i and --changes cannot go together: the file would keep "
		        "only the changed records");
	for (int i = optind; o->in_place && i < argc; i++)
		if (strcmp(argv[i], "-") == 0)
			cli_die(prog, CLI_USAGE, "-i cannot rewrite standard input");
	if (o->rules && o->nrules && o->set)
		cli_die(prog, CLI_USAGE, "--rule and --set cannot go together");
}

/* What the run decides with, and what it has counted: shared by every input. */
struct tierer {
	const struct options *o;
	struct model *m;
	struct expr *where;
	struct expr_env env;
	char **reasons;   /* per tiering rule, for --explain */
	char *set_reason; /* for --set */
	long *moves;      /* (ntiers + 1)^2 counts, index 0 = no tier */
	long unchanged, kept_locked;
	struct cli_warnings cw;
	struct buf old; /* the record's old tier, while it is replaced */
	bool score_warned;
};

/* Columns of one output header. */
struct columns {
	long tier, locked_in;                 /* locked_in: tier_locked in the input, or -1 */
	long locked, score, reason, old_tier; /* -1 when not written */
};

static int
expr_error(const char *what, const char *src, const struct cs_error *e)
{
	fprintf(stderr, "%s: %s \"%s\": column %d: %s\n", prog, what, src, e->col, e->msg);
	return CLI_USAGE;
}

/* Build the output header of an input with header in, and bind everything to it. */
static int
prepare(struct tierer *t, const struct header *in, struct header **out, struct columns *col)
{
	const struct options *o = t->o;
	struct header *h = header_copy(in);
	col->locked_in = header_find(in, "tier_locked");
	col->tier = (long)header_ensure(h, "tier");
	col->locked = o->lock ? (long)header_ensure(h, "tier_locked") : -1;
	col->score = o->score ? (long)header_ensure(h, "score") : -1;
	col->reason = o->explain ? (long)header_ensure(h, "tier_reason") : -1;
	col->old_tier = o->changes ? (long)header_ensure(h, "old_tier") : -1;
	*out = h;

	struct cs_error err;
	unsigned what = (o->set ? 0 : MODEL_BIND_TIERING) | (o->score ? MODEL_BIND_SCORE : 0);
	if (model_bind(t->m, h, what, &err) < 0) {
		cs_error_print(prog, &err, false);
		return CLI_USAGE;
	}
	if (t->where && expr_bind(t->where, h, &err) < 0)
		return expr_error("--where", o->where, &err);
	/* A rule on score in a stream without one would silently never match. */
	if (!o->set && header_find(h, "score") < 0 && !t->score_warned)
		for (size_t i = 0; i < t->m->ntiering; i++) {
			const char *const *names;
			size_t n =
			    t->m->tiering[i].when ? expr_fields(t->m->tiering[i].when, &names) : 0;
			for (size_t j = 0; j < n; j++)
				if (strcmp(names[j], "score") == 0 && !t->score_warned) {
					fprintf(stderr,
					        "%s: warning: tiering rule %zu uses score, which "
					        "the stream lacks: add --score\n",
					        prog, i + 1);
					t->score_warned = true;
				}
		}
	return CLI_OK;
}

/* Where a tier counts in the moves: 0 for none, 1.. for the model's, then "other". */
static size_t
tier_index(const struct model *m, const char *name)
{
	if (!*name)
		return 0;
	for (size_t i = 0; i < m->ntiers; i++)
		if (strcmp(m->tiers[i].name, name) == 0)
			return i + 1;
	return m->ntiers + 1;
}

/*
 * Re-tier rec (resized to the output header).  Returns -1 for a record with
 * an error (printed; the record is left as it was), 0 when its tier stayed,
 * 1 when it changed.
 */
static int
tier_record(struct tierer *t, const struct columns *col, size_t width, struct record *rec,
            const char *file)
{
	const struct options *o = t->o;
	record_resize(rec, width);
	buf_reset(&t->old);
	buf_puts(&t->old, record_get(rec, (size_t)col->tier, NULL));
	const char *old = buf_str(&t->old);
	struct cs_error err;
	bool locked = false;
	if (col->locked_in >= 0 && !record_blank(rec, (size_t)col->locked_in)) {
		const char *v = record_get(rec, (size_t)col->locked_in, NULL);
		int b = fields_parse_bool(v);
		if (b < 0) {
			cs_error_set(&err, file, rec->row,
			             "tier_locked \"%s\" is not true or false", v);
			cs_error_print(prog, &err, false);
			return -1;
		}
		locked = b;
	}
	if (col->score >= 0) {
		char num[32];
		record_set_str(rec, (size_t)col->score, format_double(model_score(t->m, rec), num));
	}

	const char *tier = NULL, *reason = "";
	bool selected = !t->where || expr_test(t->where, rec, &t->env);
	/* A tier the model does not know is an error, unless --set replaces it. */
	if (*old && !model_tier(t->m, old) && !(selected && o->set && (!locked || o->force))) {
		char list[256];
		cs_error_set(&err, file, rec->row,
		             "tier \"%s\" is not one of the model's tiers (%s)", old,
		             model_tier_list(t->m, list, sizeof list));
		cs_error_print(prog, &err, false);
		return -1;
	}
	if (!selected) {
		/* Passes unchanged. */
	} else if (locked && !o->force) {
		reason = "locked";
		t->kept_locked++;
	} else if (o->set) {
		tier = o->set;
		reason = t->set_reason;
	} else {
		const struct rule *r = model_match_tier(t->m, rec, &t->env);
		if (r) {
			tier = r->name;
			reason = t->reasons[r - t->m->tiering];
		} else {
			reason = "no rule matched";
		}
	}
	if (tier) {
		record_set_str(rec, (size_t)col->tier, tier);
		if (col->locked >= 0)
			record_set_str(rec, (size_t)col->locked, "true");
	}
	if (col->reason >= 0)
		record_set_str(rec, (size_t)col->reason, reason);
	if (col->old_tier >= 0)
		record_set_str(rec, (size_t)col->old_tier, old);
	if (!tier || strcmp(tier, old) == 0) {
		t->unchanged++;
		return 0;
	}
	t->moves[tier_index(t->m, old) * (t->m->ntiers + 2) + tier_index(t->m, tier)]++;
	return 1;
}

/*
 * Read s to the end, writing each re-tiered record to w.  Returns the worst
 * status: CLI_DATA after a bad record or a read error.
 */
static int
tier_stream(struct tierer *t, struct stream *s, const struct columns *col, size_t width,
            struct writer *w)
{
	struct record rec;
	record_init(&rec);
	struct cs_error err;
	int got, status = CLI_OK;
	while ((got = stream_next(s, &rec, &err)) == 1) {
		int changed = tier_record(t, col, width, &rec, stream_name(s));
		if (changed < 0)
			status = CLI_DATA;
		if (!t->o->changes || changed > 0)
			writer_put(w, &rec);
	}
	if (got < 0) {
		cs_error_print(prog, &err, false);
		status = CLI_DATA;
	}
	record_free(&rec);
	return status;
}

static struct stream *
open_input(struct tierer *t, const char *path)
{
	struct stream_options so = {.warn = cli_warn, .warn_ctx = &t->cw};
	struct cs_error err;
	struct stream *s = stream_open(path, &so, &err);
	if (!s)
		cs_error_print(prog, &err, false);
	return s;
}

/* -i: rewrite path through a temporary file; on any error the file is left as it was. */
static int
tier_in_place(struct tierer *t, const char *path)
{
	long warnings = t->cw.count;
	struct stream *s = open_input(t, path);
	if (!s)
		return CLI_DATA;
	struct header *h;
	struct columns col;
	int status = prepare(t, stream_header(s), &h, &col);
	struct cs_error err;
	struct atomic_file *af = NULL;
	if (status == CLI_OK && !(af = atomic_open(path, &err))) {
		cs_error_print(prog, &err, false);
		status = CLI_DATA;
	}
	if (status == CLI_OK) {
		enum stream_format f = t->o->format ? t->o->format : stream_format(s);
		struct writer *w = writer_new(atomic_stream(af), f, h, 0);
		status = tier_stream(t, s, &col, h->n, w);
		if (t->o->strict && t->cw.count > warnings)
			status = CLI_DATA;
		if (writer_close(w, path, &err) < 0 && status == CLI_OK) {
			cs_error_print(prog, &err, false);
			status = CLI_DATA;
		}
		if (status == CLI_OK) {
			if (atomic_commit(af, &err) < 0) {
				cs_error_print(prog, &err, false);
				status = CLI_DATA;
			}
		} else {
			fprintf(stderr, "%s: %s: left unchanged\n", prog, path);
			atomic_abort(af);
		}
	}
	header_free(h);
	stream_close(s);
	return status;
}

/*
 * -o FILE goes through a temporary file too, so `-o book.csv book.csv` does
 * not empty the book before reading it; anything but a regular file (a
 * terminal, /dev/null, a pipe) is opened as it is.
 */
struct output {
	const char *name;
	FILE *f;
	struct atomic_file *af;
};

static int
output_open(struct output *out, const char *path)
{
	struct cs_error err;
	struct stat st;
	out->name = path ? path : "<stdout>";
	if (path && strcmp(path, "-") != 0 && (stat(path, &st) != 0 || S_ISREG(st.st_mode))) {
		out->af = atomic_open(path, &err);
		out->f = out->af ? atomic_stream(out->af) : NULL;
	} else {
		out->f = cli_open_output(path, &err);
	}
	if (!out->f)
		cs_error_print(prog, &err, false);
	return out->f ? 0 : -1;
}

/*
 * Finish the output.  keep is false after a failure already reported (a
 * usage error, a failed write): a file named by -o is then left as it was.
 */
static int
output_close(struct output *out, bool keep)
{
	struct cs_error err;
	if (out->af && !keep) {
		atomic_abort(out->af);
		return -1;
	}
	int rc = out->af ? atomic_commit(out->af, &err) : cli_close_output(out->f, out->name, &err);
	if (rc < 0 && keep)
		cs_error_print(prog, &err, false);
	return rc;
}

/* Without -i: every input to one output, which takes the first input's columns. */
static int
tier_to_output(struct tierer *t, char *const *paths, int npaths)
{
	struct output out = {0};
	if (output_open(&out, t->o->output) < 0)
		return CLI_DATA;
	struct header *first = NULL, *h = NULL;
	struct columns col;
	struct writer *w = NULL;
	int status = CLI_OK;
	for (int i = 0; i < (npaths ? npaths : 1); i++) {
		struct stream *s = open_input(t, npaths ? paths[i] : "-");
		if (!s) {
			status = status > CLI_DATA ? status : CLI_DATA;
			continue;
		}
		int st = CLI_OK;
		if (!first) {
			first = header_copy(stream_header(s));
			st = prepare(t, first, &h, &col);
			if (st == CLI_OK) {
				enum stream_format f =
				    t->o->format ? t->o->format : stream_format(s);
				w = writer_new(out.f, f, h, 0);
			}
		} else if (!header_equal(stream_header(s), first)) {
			fprintf(stderr,
			        "%s: %s: its columns differ from the first input's: skipped\n",
			        prog, stream_name(s));
			st = CLI_DATA;
		}
		if (st == CLI_OK && w)
			st = tier_stream(t, s, &col, h->n, w);
		stream_close(s);
		if (st > status)
			status = st;
		if (st == CLI_USAGE)
			break;
	}
	struct cs_error err;
	bool written = false;
	if (w) {
		written = writer_close(w, out.name, &err) == 0;
		if (!written) {
			cs_error_print(prog, &err, false);
			status = status > CLI_DATA ? status : CLI_DATA;
		}
	}
	if (output_close(&out, written && status != CLI_USAGE) < 0 && status == CLI_OK)
		status = CLI_DATA;
	header_free(h);
	header_free(first);
	return status;
}

static const char *
tier_label(const struct model *m, size_t index)
{
	if (index == 0)
		return "(none)";
	return index <= m->ntiers ? m->tiers[index - 1].name : "(other)";
}

/* --summary: "B→A 12" per move, then what stayed. */
static void
print_summary(const struct tierer *t)
{
	size_t n = t->m->ntiers + 2;
	/* The order to list them in: the model's tiers, then "(none)", then "(other)". */
	size_t *order = xcalloc(n, sizeof *order);
	for (size_t i = 0; i < n; i++)
		order[i] = i < t->m->ntiers ? i + 1 : i == t->m->ntiers ? 0 : n - 1;
	for (size_t a = 0; a < n; a++)
		for (size_t b = 0; b < n; b++) {
			long count = t->moves[order[a] * n + order[b]];
			if (count)
				fprintf(stderr, "%s\xe2\x86\x92%s %ld\n",
				        tier_label(t->m, order[a]), tier_label(t->m, order[b]),
				        count);
		}
	free(order);
	fprintf(stderr, "unchanged %ld", t->unchanged);
	if (t->kept_locked)
		fprintf(stderr, " (%ld locked)", t->kept_locked);
	fputc('\n', stderr);
}

static void
set_up_reasons(struct tierer *t)
{
	const struct model *m = t->m;
	t->reasons = xcalloc(m->ntiering + 1, sizeof *t->reasons);
	for (size_t i = 0; i < m->ntiering; i++) {
		struct buf b = {0};
		const struct rule *r = &m->tiering[i];
		buf_printf(&b, "%srule %zu: %s", r->spec ? "--" : "", i + 1,
		           r->when ? expr_source(r->when) : "always");
		t->reasons[i] = b.data;
	}
	struct buf b = {0};
	if (t->o->where)
		buf_printf(&b, "--where %s", t->o->where);
	else
		buf_puts(&b, "--set");
	t->set_reason = b.data;
}

static void
tierer_free(struct tierer *t)
{
	for (size_t i = 0; t->reasons && i < t->m->ntiering; i++)
		free(t->reasons[i]);
	free(t->reasons);
	free(t->set_reason);
	free(t->moves);
	buf_free(&t->old);
	expr_free(t->where);
	model_free(t->m);
}

int
main(int argc, char **argv)
{
	struct options o = {0};
	parse_options(argc, argv, &o);
	struct tierer t = {.o = &o, .cw = {.prog = prog}};
	struct cs_error err;
	if (!(t.m = model_open(o.model, &err))) {
		cs_error_print(prog, &err, false);
		free(o.rules);
		return CLI_USAGE;
	}
	int status = CLI_OK;
	char list[256];
	if (o.nrules && model_set_tiering(t.m, o.rules, o.nrules, &err) < 0) {
		cs_error_print(prog, &err, false);
		status = CLI_USAGE;
	} else if (o.set && !model_tier(t.m, o.set)) {
		fprintf(stderr, "%s: --set %s: not a tier of the model (%s)\n", prog, o.set,
		        model_tier_list(t.m, list, sizeof list));
		status = CLI_USAGE;
	} else if (o.score && !t.m->nscore) {
		fprintf(stderr, "%s: %s: --score needs \"score\" weights in the model\n", prog,
		        t.m->path);
		status = CLI_USAGE;
	} else if (o.check_model) {
		model_summary(stdout, t.m);
		if (cli_close_output(stdout, NULL, &err) < 0) {
			cs_error_print(prog, &err, false);
			status = CLI_DATA;
		}
	} else {
		t.env.today = cli_today(prog, o.today);
		t.moves = xcalloc((t.m->ntiers + 2) * (t.m->ntiers + 2), sizeof *t.moves);
		set_up_reasons(&t);
		if (o.where && !(t.where = expr_parse(o.where, &err))) {
			status = expr_error("--where", o.where, &err);
		} else if (o.in_place) {
			for (int i = optind; i < argc; i++) {
				int st = tier_in_place(&t, argv[i]);
				status = st > status ? st : status;
			}
		} else {
			status = tier_to_output(&t, argv + optind, argc - optind);
		}
		if (o.strict && t.cw.count && status == CLI_OK)
			status = CLI_DATA;
		if (o.summary && status != CLI_USAGE)
			print_summary(&t);
	}
	tierer_free(&t);
	free(o.rules);
	return status;
}
