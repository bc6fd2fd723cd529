/*
 * filter.c - read every input, hand each record to the tool, write one
 * output or rewrite each input.
 *
 * The rule that shaped it: an output is a promise that either the whole run
 * landed or nothing changed.  So the output is committed (renamed into
 * place) only after the last input has been read without an error, and any
 * failure before that aborts it, leaving the file as it was.
 */
#include "filter.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "writer.h"

/*
 * What the journal needs to tell a record's changes: the output's columns
 * mapped to the input's, and where the record's fields were as it was read.
 * Not a copy of the record: record_set only appends, so the bytes read are
 * still in the record after the callback, where before says they are.
 * When the tool names the columns it changes (filter_options.changes), only
 * those fields are noted and compared; else all of them.
 */
struct diff {
	struct journal *j;
	const struct header *in, *out;
	long *from;  /* output column -> input column, or -1 */
	size_t same; /* the leading output columns that are the input's, in place */
	long id_in, id_out;
	bool *mut;    /* by field: the callback may change it (NULL: every field may) */
	size_t nmut;  /* fields mut covers; past them none is changed */
	size_t *look; /* with mut: the output columns that can differ from the input's */
	size_t nlook;
	struct field *before; /* the fields as read (with mut: those it marks) */
	size_t nbefore, cap;
	long at; /* records read from this input */
};

/* With o->changes: which fields the callback may change, and which columns to look at. */
static void
diff_changes(struct diff *d, const char *const *changes)
{
	d->nmut = d->out->n;
	d->mut = xcalloc(d->nmut + 1, sizeof *d->mut);
	for (const char *const *name = changes; *name; name++) {
		long c = header_find(d->out, *name);
		if (c >= 0)
			d->mut[c] = true;
	}
	d->look = xcalloc(d->out->n + 1, sizeof *d->look);
	for (size_t c = 0; c < d->out->n; c++)
		if (d->mut[c] || d->from[c] != (long)c)
			d->look[d->nlook++] = c;
}

static void
diff_start(struct diff *d, const struct filter_options *o, const char *file,
           const struct header *in, const struct header *out)
{
	*d = (struct diff){.j = o->journal, .in = in, .out = out};
	if (!d->j)
		return;
	journal_file(d->j, file);
	journal_cause(d->j, o->cause);
	d->from = xcalloc(out->n + 1, sizeof *d->from);
	for (size_t c = 0; c < out->n; c++) {
		d->from[c] = header_find(in, out->names[c]);
		if (d->from[c] < 0)
			journal_column(d->j, out->names[c], (long)c);
	}
	while (d->same < out->n && d->from[d->same] == (long)d->same)
		d->same++;
	d->id_in = header_find(in, "id");
	d->id_out = header_find(out, "id");
	if (o->changes)
		diff_changes(d, o->changes);
}

static void
diff_end(struct diff *d)
{
	free(d->from);
	free(d->mut);
	free(d->look);
	free(d->before);
}

/* Note where rec's fields are before the callback changes them. */
static void
diff_before(struct diff *d, const struct record *rec)
{
	if (rec->n > d->cap)
		d->before = xgrow(d->before, &d->cap, rec->n, sizeof *d->before);
	d->nbefore = rec->n;
	if (!d->mut) {
		if (rec->n)
			memcpy(d->before, rec->fields, rec->n * sizeof *rec->fields);
		return;
	}
	for (size_t k = 0; k < d->nlook; k++) {
		size_t c = d->look[k];
		if (d->mut[c] && c < rec->n)
			d->before[c] = rec->fields[c];
	}
}

/* With mut: the fields as read, those the callback did not change taken from rec. */
static void
diff_fill(struct diff *d, const struct record *rec)
{
	for (size_t i = 0; i < d->nbefore; i++)
		if ((i >= d->nmut || !d->mut[i]) && i < rec->n)
			d->before[i] = rec->fields[i];
}

static const char *
field_of(const struct record *r, long i, size_t *len)
{
	*len = 0;
	return i >= 0 && (size_t)i < r->n ? record_get(r, (size_t)i, len) : "";
}

/* The record as it was read: rec's bytes through the fields noted before. */
static struct record
diff_view(const struct diff *d, const struct record *rec)
{
	return (struct record){.n = d->nbefore,
	                       .cap = d->nbefore,
	                       .fields = d->before,
	                       .data = rec->data,
	                       .row = rec->row};
}

/* Journal output column c of rec if it is not what before held. */
static void
diff_field(struct diff *d, const struct record *before, const struct record *rec, size_t c,
           const char *id, size_t idlen)
{
	size_t olen, nlen;
	const char *old = field_of(before, d->from[c], &olen);
	const char *new = field_of(rec, (long)c, &nlen);
	if (olen != nlen || memcmp(old, new, nlen) != 0)
		journal_change(d->j, id, idlen, d->out->names[c], old, olen, new, nlen);
}

/*
 * With mut: journal the columns that can differ.  A field the callback may
 * change is compared to what before noted; any other is as it was read.
 */
static void
diff_look(struct diff *d, const struct record *before, const struct record *rec, const char *id,
          size_t idlen)
{
	for (size_t k = 0; k < d->nlook; k++) {
		size_t c = d->look[k];
		long from = d->from[c];
		if (from == (long)c && c < rec->n && c < d->nbefore &&
		    rec->fields[c].off == d->before[c].off &&
		    rec->fields[c].len == d->before[c].len)
			continue;
		if (from >= 0 && (size_t)from < d->nbefore && (size_t)from < rec->n &&
		    ((size_t)from >= d->nmut || !d->mut[from]))
			d->before[from] = rec->fields[from]; /* not changed: as read */
		diff_field(d, before, rec, c, id, idlen);
	}
}

/* Journal what the callback did to the record as it was read (d->before). */
static void
diff_record(struct diff *d, const struct record *rec, bool write)
{
	long at = d->at++;
	struct record before = diff_view(d, rec);
	if (d->mut && (!write || d->id_out < 0))
		diff_fill(d, rec);
	if (!write) {
		journal_record(d->j, JOURNAL_REMOVE, at, d->in, &before,
		               d->id_in >= 0 ? (size_t)d->id_in : d->in->n);
		return;
	}
	size_t idlen;
	const char *id =
	    d->id_out >= 0 ? field_of(rec, d->id_out, &idlen) : field_of(&before, d->id_in, &idlen);
	/*
	 * A field still where it was read is the bytes read: unchanged.  Most
	 * are, so the fields are compared eight at a time (one memcmp), and
	 * only a block where one moved is looked at field by field.
	 */
	if (d->mut) {
		diff_look(d, &before, rec, id, idlen);
		return;
	}
	size_t same = d->same < rec->n ? d->same : rec->n;
	same = same < d->nbefore ? same : d->nbefore;
	for (size_t at8 = 0; at8 < same; at8 += 8) {
		size_t k = same - at8 < 8 ? same - at8 : 8;
		const struct field *now = rec->fields + at8, *was = d->before + at8;
		if (memcmp(now, was, k * sizeof *now) == 0)
			continue;
		for (size_t i = 0; i < k; i++)
			if (now[i].off != was[i].off || now[i].len != was[i].len)
				diff_field(d, &before, rec, at8 + i, id, idlen);
	}
	for (size_t c = same; c < d->out->n; c++)
		diff_field(d, &before, rec, c, id, idlen);
}

/* The worse of two statuses. */
static int
worse(int a, int b)
{
	return a > b ? a : b;
}

static struct stream *
open_input(const struct filter_options *o, const char *path)
{
	struct stream_options so = o->stream;
	so.warn = cli_warn;
	so.warn_ctx = o->warnings;
	struct cs_error err;
	struct stream *s = stream_open(path, &so, &err);
	if (!s)
		cs_error_print(o->prog, &err, false);
	return s;
}

/*
 * Read s to the end through ops into w (NULL: write nothing), journalling
 * through d (NULL: not); returns the worst status.
 */
static int
pass(const struct filter_options *o, const struct filter_ops *ops, void *ctx, struct stream *s,
     struct writer *w, struct diff *d)
{
	struct record rec = {0};
	struct cs_error err;
	int got, status = CLI_OK;
	bool journal = d && d->j;
	while ((got = stream_next(s, &rec, &err)) == 1) {
		bool write = true;
		if (journal)
			diff_before(d, &rec);
		if (ops->record(ctx, &rec, stream_name(s), &write) < 0)
			status = CLI_DATA;
		if (journal)
			diff_record(d, &rec, write);
		if (write && w)
			writer_put(w, &rec);
	}
	if (got < 0) {
		cs_error_print(o->prog, &err, false);
		status = CLI_DATA;
	}
	record_free(&rec);
	return status;
}

static struct writer *
new_writer(const struct filter_options *o, FILE *out, const struct stream *s,
           const struct header *h)
{
	enum stream_format f = o->format != STREAM_AUTO ? o->format : stream_format(s);
	return writer_new(out, f, h, o->writer_flags);
}

/*
 * Close the writer, then commit the journal and the output, or abort both
 * (cli_output_finish).
 */
static int
finish(const struct filter_options *o, struct file_output *out, struct writer *w, int status,
       long warnings_before)
{
	struct cs_error err;
	if (w && writer_close(w, file_output_name(out), &err) < 0) {
		cs_error_print(o->prog, &err, false);
		status = worse(status, CLI_DATA);
	}
	if (o->strict && o->warnings->count > warnings_before)
		status = worse(status, CLI_DATA);
	return filter_commit(o->prog, out, o->journal, status);
}

int
filter_commit(const char *prog, struct file_output *out, struct journal *j, int status)
{
	struct cs_error err;
	if (j && status == CLI_OK && journal_commit(j, &err) < 0) {
		cs_error_print(prog, &err, false);
		status = CLI_DATA;
	}
	status = cli_output_finish_then(prog, out, status, j ? journal_lands : NULL, j);
	if (j && status == CLI_OK) {
		journal_landed(j);
	} else if (j && journal_rollback(j, &err) < 0) {
		cs_error_print(prog, &err, false);
		status = worse(status, CLI_DATA);
	}
	return status;
}

/*
 * -i: rewrite one input through a temporary file beside it.  The output is
 * opened first: it locks the file, so a second run rewriting it waits and
 * then reads what this one wrote.
 */
static int
rewrite(const struct filter_options *o, const struct filter_ops *ops, void *ctx, const char *path)
{
	long warnings = o->warnings->count;
	struct file_output *out = cli_output_open(o->prog, path);
	if (!out)
		return CLI_DATA;
	if (file_output_kind(out) == FILE_OUTPUT_CREATES) {
		/* No such file: there is nothing to rewrite, and the reader says so. */
		file_output_abort(out);
		out = NULL;
	}
	struct stream *s = open_input(o, path);
	if (!s || !out) {
		stream_close(s);
		return cli_output_finish(o->prog, out, CLI_DATA);
	}
	struct header *h = NULL;
	int status = ops->start(ctx, s, &h);
	struct writer *w = NULL;
	struct diff d = {0};
	if (status == CLI_OK) {
		w = new_writer(o, file_output_stream(out), s, h);
		diff_start(&d, o, path, stream_header(s), h);
		status = pass(o, ops, ctx, s, w, &d);
	}
	status = finish(o, out, w, status, warnings);
	diff_end(&d);
	header_free(h);
	stream_close(s);
	return status;
}

/* Every input to one output, which takes the first input's columns. */
static int
concatenate(const struct filter_options *o, const struct filter_ops *ops, void *ctx)
{
	long warnings = o->warnings->count;
	struct file_output *out = cli_output_open(o->prog, o->output);
	if (!out)
		return CLI_DATA;
	struct header *first = NULL, *h = NULL;
	struct writer *w = NULL;
	struct diff d = {0};
	int status = CLI_OK;
	for (size_t i = 0; i < (o->npaths ? o->npaths : 1); i++) {
		struct stream *s = open_input(o, o->npaths ? o->paths[i] : "-");
		if (!s) {
			status = worse(status, CLI_DATA);
			continue;
		}
		int st = CLI_OK;
		if (!first) {
			first = header_copy(stream_header(s));
			st = ops->start(ctx, s, &h);
			if (st == CLI_OK) {
				w = new_writer(o, file_output_stream(out), s, h);
				diff_start(&d, o, o->output ? o->output : "-", first, h);
			}
		} else if (!header_equal(stream_header(s), first)) {
			fprintf(stderr,
			        "%s: %s: its columns differ from the first input's: skipped\n",
			        o->prog, stream_name(s));
			st = CLI_DATA;
		}
		if (st == CLI_OK && w)
			st = pass(o, ops, ctx, s, w, &d);
		stream_close(s);
		status = worse(status, st);
		if (st == CLI_USAGE)
			break;
	}
	status = finish(o, out, w, status, warnings);
	diff_end(&d);
	header_free(h);
	header_free(first);
	return status;
}

int
filter_read(const struct filter_options *o, const struct filter_ops *ops, void *ctx)
{
	struct header *first = NULL;
	int status = CLI_OK;
	for (size_t i = 0; i < (o->npaths ? o->npaths : 1) && status == CLI_OK; i++) {
		struct stream *s = open_input(o, o->npaths ? o->paths[i] : "-");
		if (!s) {
			status = CLI_DATA;
			break;
		}
		if (!first) {
			first = header_copy(stream_header(s));
			struct header *unused = NULL;
			status = ops->start(ctx, s, &unused);
			header_free(unused);
		} else if (!header_equal(stream_header(s), first)) {
			fprintf(stderr, "%s: %s: its columns differ from the first input's\n",
			        o->prog, stream_name(s));
			status = CLI_DATA;
		}
		if (status == CLI_OK)
			status = pass(o, ops, ctx, s, NULL, NULL);
		stream_close(s);
	}
	header_free(first);
	return status;
}

int
filter_run(const struct filter_options *o, const struct filter_ops *ops, void *ctx)
{
	if (!o->in_place)
		return concatenate(o, ops, ctx);
	int status = CLI_OK;
	for (size_t i = 0; i < o->npaths && status != CLI_USAGE; i++)
		status = worse(status, rewrite(o, ops, ctx, o->paths[i]));
	return status;
}
