/*
 * import_driver.c - cs-import's full import and --update, end to end
 * (import_driver.h).
 *
 * Both start the same way (the outputs opened, the importer given every
 * input and its --map checked) and end the same way (the reject file, then
 * the book with its journal); what lies between is the import written
 * through a sink that suppresses and journals, or import_update.
 */
#include "import_driver.h"

#include <stdio.h>
#include <string.h>

#include "filter.h"
#include "writer.h"

static void
print_error(void *ctx, const struct cs_error *e)
{
	const struct import_driver *d = ctx;
	cs_error_print(d->prog, e, false);
}

static void
print_warning(void *ctx, const struct cs_error *e)
{
	const struct import_driver *d = ctx;
	cli_warn(d->warnings, e);
}

/* The importer's options: the tool's, with the reject file and the callbacks. */
static struct import_options
import_options_of(const struct import_driver *d, struct file_output *reject)
{
	struct import_options io = d->import;
	io.today = cli_today(d->prog, d->common->today);
	io.sheet = d->common->sheet;
	io.reject = reject ? file_output_stream(reject) : NULL;
	io.reject_name = d->reject && strcmp(d->reject, "-") == 0 ? "standard output" : d->reject;
	io.warn = print_warning;
	io.error = print_error;
	io.note = print_error;
	io.ctx = (void *)d;
	return io;
}

/*
 * A new importer with every input added (one that cannot be read makes
 * *status CLI_DATA) and its --map checked; a bad --map aborts the outputs
 * and exits 2.
 */
static struct importer *
start(const struct import_driver *d, const struct import_options *io, struct file_output **outs,
      size_t nouts, int *status)
{
	struct cs_error err;
	struct importer *im = import_new(io, &err);
	if (im) {
		for (size_t i = 0; i < (d->npaths ? d->npaths : 1); i++)
			if (import_add(im, d->npaths ? d->paths[i] : "-", &err) < 0) {
				cs_error_print(d->prog, &err, false);
				*status = CLI_DATA;
			}
	}
	if (!im || (import_count(im) > 0 && import_check_maps(im, &err) < 0)) {
		/* A bad --map: nothing is written. */
		import_free(im);
		for (size_t i = 0; i < nouts; i++)
			file_output_abort(outs[i]);
		cli_die(d->prog, CLI_USAGE, "%s", err.msg);
	}
	return im;
}

/* The --suppress count: suppressed rows go nowhere, so they are at least counted. */
static void
say_suppressed(const struct import_driver *d, long n)
{
	if (d->suppress)
		fprintf(stderr, "%s: %ld row%s suppressed (on %s)\n", d->prog, n, n == 1 ? "" : "s",
		        d->suppress);
}

static void
say_review(const struct importer *im)
{
	struct buf text = {0};
	import_review(im, &text);
	fwrite(text.data, 1, text.len, stderr);
	buf_free(&text);
}

/* The status at the end: --strict fails a run that warned; then the reject file. */
static int
finish(const struct import_driver *d, struct file_output *reject, int status)
{
	if (d->strict && d->warnings->count > 0)
		status = status > CLI_DATA ? status : CLI_DATA;
	return cli_output_finish(d->prog, reject, status);
}

/* ---- --raw --------------------------------------------------------------------- */

/* filter_ops for --raw: every column as it is, every record as it is. */
static int
raw_start(void *ctx, const struct stream *in, struct header **out)
{
	(void)ctx;
	*out = header_copy(stream_header(in));
	return CLI_OK;
}

static int
raw_record(void *ctx, struct record *rec, const char *name, bool *write)
{
	(void)ctx, (void)rec, (void)name, (void)write;
	return 0;
}

int
import_driver_raw(const struct import_driver *d)
{
	struct filter_options fo = {
	    .prog = d->prog,
	    .paths = d->paths,
	    .npaths = d->npaths,
	    .output = d->common->output,
	    .format = d->common->format,
	    .writer_flags = STREAM_RAW | d->common->writer_flags,
	    .stream = {.delimiter = d->import.delimiter,
	               .lenient = d->import.lenient,
	               .encoding = d->import.encoding,
	               .sheet = d->common->sheet},
	    .warnings = d->warnings,
	    .strict = d->strict,
	    .journal = d->journal,
	};
	static const struct filter_ops ops = {.start = raw_start, .record = raw_record};
	return filter_run(&fo, &ops, NULL);
}

/* ---- the full import ------------------------------------------------------- */

/*
 * Between the import and the book (--suppress, --journal): each record is
 * left out when suppressed, else journalled as added and written.
 */
struct sink {
	struct writer *w;
	const struct import_driver *d;
	const struct header *h;
	long id_col;
	long at;         /* records written */
	long suppressed; /* records left out */
};

static void
sink_put(void *ctx, const struct record *rec)
{
	struct sink *k = ctx;
	if (k->d->suppressed && suppress_match(k->d->suppressed, rec)) {
		k->suppressed++;
		return;
	}
	if (k->d->journal)
		journal_record(k->d->journal, JOURNAL_ADD, k->at, k->h, rec,
		               k->id_col >= 0 ? (size_t)k->id_col : k->h->n);
	k->at++;
	writer_put(k->w, rec);
}

/* Every record of im through the sink to out; returns the exit status. */
static int
write_book(const struct import_driver *d, struct importer *im, FILE *out)
{
	struct cs_error err;
	int status = CLI_OK;
	const struct header *h = import_header(im);
	enum stream_format f = cli_output_format(d->common, import_format(im));
	struct sink k = {.w = writer_new(out, f, h, d->common->writer_flags),
	                 .d = d,
	                 .h = h,
	                 .id_col = header_find(h, "id")};
	if (d->suppressed)
		suppress_bind(d->suppressed, h);
	struct writer_options each = {.each = sink_put, .each_ctx = &k};
	struct writer *in = writer_open(NULL, h, &each);
	if (import_run(im, in) != 0)
		status = CLI_DATA;
	writer_close(in, NULL, NULL);
	say_suppressed(d, k.suppressed);
	if (writer_close(k.w, d->common->output, &err) < 0) {
		cs_error_print(d->prog, &err, false);
		status = CLI_DATA;
	}
	struct import_totals t;
	import_totals(im, &t);
	if (d->import.dedupe)
		fprintf(stderr, "%s: %ld duplicate%s merged\n", d->prog, t.merged,
		        t.merged == 1 ? "" : "s");
	if (d->import.review)
		say_review(im);
	return status;
}

int
import_driver_full(const struct import_driver *d)
{
	struct file_output *reject = NULL, *output = NULL;
	if (d->reject && !(reject = cli_output_open(d->prog, d->reject)))
		return CLI_USAGE;
	if (!(output = cli_output_open(d->prog, d->common->output))) {
		file_output_abort(reject);
		return CLI_DATA;
	}
	FILE *out = file_output_stream(output);
	struct import_options io = import_options_of(d, reject);
	int status = CLI_OK;
	struct importer *im = start(d, &io, (struct file_output *[]){reject, output}, 2, &status);
	if (d->show_mapping && import_count(im) > 0) {
		struct buf text = {0};
		import_describe(im, &text);
		fwrite(text.data, 1, text.len, out);
		buf_free(&text);
	} else if (import_count(im) > 0) {
		int st = write_book(d, im, out);
		status = st > status ? st : status;
	}
	import_free(im);
	status = finish(d, reject, status);
	return filter_commit(d->prog, output, d->journal, status);
}

/* ---- --update ---------------------------------------------------------------- */

/* update_options.skip: an export record on the suppression list. */
static bool
suppressed(void *ctx, const struct record *rec)
{
	return suppress_match(ctx, rec);
}

/* The --update summary line. */
static void
update_summary(const struct import_driver *d, const struct update_totals *t)
{
	fprintf(stderr, "%s: %s: %ld changed (%ld field%s), %ld added, %ld unchanged, %ld gone",
	        d->prog, d->update.book, t->changed, t->fields, t->fields == 1 ? "" : "s", t->added,
	        t->unchanged, t->gone);
	if (d->update.gone == UPDATE_GONE_MARK)
		fprintf(stderr, " (marked), %ld gone before", t->still_gone);
	fprintf(stderr, ", %ld archived not re-added, %ld conflict%s%s\n", t->archived,
	        t->conflicts, t->conflicts == 1 ? "" : "s", d->dry_run ? " (dry run)" : "");
}

/* The update's options: the tool's, with the outputs, the diff's format and the callbacks. */
static struct update_options
update_options_of(const struct import_driver *d, const struct import_options *io,
                  struct file_output *output, struct file_output *diff)
{
	struct update_options uo = d->update;
	const char *diff_name = d->diff && strcmp(d->diff, "-") != 0 ? d->diff : NULL;
	bool diff_json =
	    diff_name ? file_name_is_ndjson(diff_name) : d->common->format == STREAM_NDJSON;
	uo.export_name = d->npaths == 0 ? "<stdin>" : d->npaths == 1 ? d->paths[0] : "the export";
	uo.today = io->today;
	uo.format = d->common->format;
	uo.excel_safe = (d->common->writer_flags & STREAM_EXCEL_SAFE) != 0;
	uo.out = output ? file_output_stream(output) : NULL;
	uo.out_name = d->common->output;
	uo.diff = diff ? file_output_stream(diff) : d->dry_run ? stdout : NULL;
	uo.diff_format = diff_json ? STREAM_NDJSON : STREAM_CSV;
	uo.diff_name = diff_name;
	uo.journal = d->dry_run ? NULL : d->journal;
	uo.skip = d->suppressed ? suppressed : NULL;
	uo.skip_ctx = d->suppressed;
	uo.warn = print_warning;
	uo.note = print_error;
	uo.ctx = (void *)d;
	return uo;
}

int
import_driver_update(const struct import_driver *d)
{
	struct cs_error err;
	struct file_output *reject = NULL, *output = NULL, *diff = NULL;
	int status = CLI_OK;
	if (d->reject && !(reject = cli_output_open(d->prog, d->reject)))
		return CLI_USAGE;
	if ((!d->dry_run && !(output = cli_output_open(d->prog, d->common->output))) ||
	    (d->diff && !(diff = cli_output_open(d->prog, d->diff)))) {
		file_output_abort(reject);
		file_output_abort(output);
		return CLI_DATA;
	}
	struct import_options io = import_options_of(d, reject);
	struct importer *im =
	    start(d, &io, (struct file_output *[]){reject, diff, output}, 3, &status);
	struct update_options uo = update_options_of(d, &io, output, diff);
	if (d->suppressed)
		suppress_bind(d->suppressed, import_header(im));
	if (d->journal)
		journal_file(d->journal, d->common->output ? d->common->output : "-");
	struct update_totals t;
	int rc = status == CLI_OK && import_count(im) > 0 ? import_update(im, &uo, &t, &err) : 1;
	if (rc < 0)
		cs_error_print(d->prog, &err, false);
	if (rc != 0) {
		status = CLI_DATA;
	} else {
		update_summary(d, &t);
		say_suppressed(d, t.skipped);
		if (d->import.review)
			say_review(im);
	}
	import_free(im);
	status = finish(d, reject, status);
	status = cli_output_finish(d->prog, diff, status);
	return filter_commit(d->prog, output, uo.journal, status);
}
