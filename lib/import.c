/*
 * import.c - the importer and its driver: inputs opened and read ahead,
 * then every input streamed through the row mapper, the key table and a
 * writer.
 *
 * Each input becomes a source with a plan (import_plan.c): for every input
 * column a role, for every canonical field its candidate columns.  A row is
 * turned into one output record by walking the plan once (import_row.c),
 * then given its id and checked for duplicates (import_keys.c); what
 * happened is tallied for --review (import_review.c).
 *
 * Two decisions need more than one row: the order of dates like 3/4/2024
 * (per column: a day above 12 settles it) and which fields the label/value
 * columns bring (Google's "Event 1 - Label" = Anniversary).  So a source
 * reads ahead up to IMPORT_LOOKAHEAD rows into memory when it is added,
 * decides, and then replays those rows before streaming the rest.  Reader
 * warnings met while reading ahead are kept with their row, so that every
 * message still comes out in row order.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "import_int.h"
#include "input.h"
#include "vcard.h"

enum { AHEAD_BYTES = 4 << 20 }; /* stop reading ahead past this much data */

/* Messages. */

static void
report(struct importer *im, cs_warn_fn *fn, const char *file, long row, const char *fmt, va_list ap)
{
	cs_vwarn(fn, im->o.ctx, file, row, fmt, ap);
}

void
import_warnf(struct importer *im, const struct source *s, long row, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(im, im->o.warn, s->path, row, fmt, ap);
	va_end(ap);
}

void
import_notef(struct importer *im, const struct source *s, long row, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(im, im->o.note, s->path, row, fmt, ap);
	va_end(ap);
}

/* A value as messages show it: at most VALUE_SHOWN bytes, line breaks as spaces. */
const char *
import_shown(const char *v, size_t len, char out[VALUE_SHOWN + 8])
{
	size_t n = len > VALUE_SHOWN ? VALUE_SHOWN : len;
	while (n < len && n > 0 && ((unsigned char)v[n] & 0xc0) == 0x80)
		n--;
	for (size_t i = 0; i < n; i++)
		out[i] = v[i] == '\n' || v[i] == '\r' || v[i] == '\t' ? ' ' : v[i];
	strcpy(out + n, n < len ? "..." : "");
	return out;
}

/* The importer. */

struct importer *
import_new(const struct import_options *o, struct cs_error *err)
{
	struct importer *im = xcalloc(1, sizeof *im);
	im->o = *o;
	if (import_parse_maps(im, err) < 0) {
		import_free(im);
		return NULL;
	}
	im->out = header_new();
	for (int f = 0; f < CANON_COUNT; f++) {
		im->field_out[f] = -1;
		im->types[f] = schema_type_of(f);
	}
	return im;
}

static void
source_free(struct source *s)
{
	if (!s)
		return;
	stream_close(s->stream);
	if (s->reject)
		writer_close(s->reject, NULL, NULL);
	vcard_reader_free(s->vcard);
	for (size_t i = 0; i < s->ncols; i++) {
		buf_free(&s->cols[i].cache);
	}
	free(s->cols);
	free(s->st.hazards);
	for (int f = 0; f < CANON_COUNT; f++)
		free(s->cand[f]);
	free(s->pairs);
	free(s->lists);
	free(s->tags);
	free(s->kept);
	for (size_t i = 0; i < s->nahead; i++) {
		record_free(&s->ahead[i].rec);
		buf_free(&s->ahead[i].raw);
		free(s->ahead[i].warnings);
	}
	free(s->ahead);
	free(s);
}

void
import_free(struct importer *im)
{
	if (!im)
		return;
	for (size_t i = 0; i < im->nsrc; i++)
		source_free(im->src[i]);
	free(im->src);
	free(im->maps);
	header_free(im->out);
	free(im->keys);
	free(im->held);
	for (size_t i = 0; i < im->nchunks; i++)
		free(im->chunks[i]);
	free(im->chunks);
	free(im->unpacked);
	record_free(&im->merged);
	record_free(&im->rec);
	record_free(&im->outrec);
	buf_free(&im->row);
	free(im->ofs);

	buf_free(&im->rest);
	buf_free(&im->extra);
	buf_free(&im->key);
	buf_free(&im->disp);
	buf_free(&im->first);
	buf_free(&im->last);
	buf_free(&im->line);
	buf_free(&im->text);
	buf_free(&im->id);
	free(im);
}

/* Reading a source. */

static bool
has_suffix(const char *path, const char *suffix)
{
	size_t n = strlen(path), m = strlen(suffix);
	return n > m && ascii_casecmp_eq(path + n - m, suffix);
}

/*
 * What the readers warn about (a line that is not a vCard property, a long
 * row dropped under --lenient): passed on, or while reading ahead kept with
 * the row being read, so that it comes out among the row's other messages.
 */
static void
reader_warn(void *ctx, const struct cs_error *w)
{
	struct source *s = ctx;
	if (s->reading_ahead) {
		struct ahead_item *item = &s->ahead[s->nahead];
		item->warnings =
		    xrealloc(item->warnings, (item->nwarnings + 1) * sizeof *item->warnings);
		item->warnings[item->nwarnings++] = *w;
		return;
	}
	if (s->im->o.warn)
		s->im->o.warn(s->im->o.ctx, w);
}

/* The next record of s into rec.  1, VCARD_BAD, 0 or -1 as vcard_reader_next. */
static int
source_next(struct source *s, struct record *rec, struct cs_error *err)
{
	if (s->vcard)
		return vcard_reader_next(s->vcard, rec, err);
	return stream_next(s->stream, rec, err);
}

/*
 * Open the reader of s on in (stolen): vCard for a .vcf file or an input
 * starting with BEGIN:VCARD, else the stream.  0, or -1 with err filled.
 */
static int
open_reader(struct importer *im, struct source *s, const char *path, struct input *in,
            struct cs_error *err)
{
	size_t n;
	const char *p = input_peek(in, &n);
	if (has_suffix(path ? path : "", ".vcf") || has_suffix(path ? path : "", ".vcard") ||
	    vcard_detect(p, n)) {
		if (is_blank(p, n)) {
			cs_error_set(err, input_name(in), 0, "the file is empty");
			input_close(in);
			return -1;
		}
		s->vcard = vcard_reader_new(in, reader_warn, s);
		s->in = vcard_reader_header(s->vcard);
		s->format = STREAM_CSV;
		s->decimal_comma = im->o.decimal_comma > 0;
		return 0;
	}
	struct stream_options so = {
	    .delimiter = im->o.delimiter,
	    .lenient = im->o.lenient,
	    .keep_long = !im->o.lenient,
	    .warn = reader_warn,
	    .warn_ctx = s,
	};
	s->stream = stream_open_input(in, &so, err);
	if (!s->stream)
		return -1;
	s->in = stream_header(s->stream);
	s->format = stream_format(s->stream);
	s->delimiter = s->format == STREAM_CSV ? stream_delimiter(s->stream) : ',';
	s->decimal_comma = im->o.decimal_comma < 0 ? s->delimiter == ';' : im->o.decimal_comma > 0;
	return 0;
}

/*
 * Read up to IMPORT_LOOKAHEAD rows of s (or AHEAD_BYTES) into s->ahead, and
 * how the reading ended into s->ahead_end.  Returns the bytes read.
 */
static size_t
read_ahead(struct source *s)
{
	size_t bytes = 0;
	s->ahead_end = 1;
	s->reading_ahead = true;
	while (s->nahead < IMPORT_LOOKAHEAD && bytes < AHEAD_BYTES) {
		s->ahead = xgrow(s->ahead, &s->ahead_cap, s->nahead + 1, sizeof *s->ahead);
		struct ahead_item *item = &s->ahead[s->nahead];
		memset(item, 0, sizeof *item);
		int got = source_next(s, &item->rec, &item->err);
		if (got == 1 || got == VCARD_BAD) {
			item->kind = got;
			if (s->vcard) {
				size_t rlen;
				const char *raw = vcard_reader_raw(s->vcard, &rlen);
				buf_append(&item->raw, raw, rlen);
			}
			bytes += item->rec.data.len + item->rec.n + item->raw.len;
			s->nahead++;
			continue;
		}
		/* Warnings before the end or a failure: they go out last. */
		record_free(&item->rec);
		s->ahead_end = got;
		if (got < 0)
			s->ahead_err = item->err;
		if (item->nwarnings)
			s->nahead++;
		else
			free(item->warnings);
		break;
	}
	s->reading_ahead = false;
	return bytes;
}

int
import_add(struct importer *im, const char *path, struct cs_error *err)
{
	if (im->finalised)
		return cs_error_set(err, path, 0, "inputs must be added before the header is made");
	const char *encoding = im->o.encoding ? im->o.encoding : "auto";
	struct input *in = input_open_sheet(path, encoding, im->o.sheet, err);
	if (!in)
		return -1;
	struct source *s = xcalloc(1, sizeof *s);
	s->im = im;
	s->path = input_name(in);
	if (open_reader(im, s, path, in, err) < 0) {
		free(s);
		return -1;
	}
	import_plan_columns(im, s);
	size_t bytes = read_ahead(s);
	import_look_ahead(im, s);
	/* How many rows to expect, so the key table is made the right size once. */
	s->rows_expected = (double)s->nahead;
	struct stat st;
	if (s->ahead_end == 1 && path && strcmp(path, "-") != 0 && stat(path, &st) == 0 &&
	    S_ISREG(st.st_mode) && bytes > 0)
		s->rows_expected = (double)st.st_size / ((double)bytes / (double)s->nahead);
	im->src = xgrow(im->src, &im->src_cap, im->nsrc + 1, sizeof *im->src);
	s->index = im->nsrc;
	im->src[im->nsrc++] = s;
	return 0;
}

size_t
import_count(const struct importer *im)
{
	return im->nsrc;
}

enum stream_format
import_format(const struct importer *im)
{
	return im->nsrc ? im->src[0]->format : STREAM_CSV;
}

/* The run. */

/* Map a record and queue it to be settled, or report text that is not one. */
static void
dispatch(struct importer *im, struct source *s, int kind, struct record *rec,
         const struct cs_error *err, const char *raw, size_t rawlen)
{
	struct row_keys keys;
	if (kind == VCARD_BAD) {
		s->st.read++;
		import_reject(im, s, rec, raw, rawlen, err->row, err->msg);
	} else if (import_map_record(im, s, rec, s->vcard ? raw : NULL, rawlen, &keys)) {
		import_settle_later(im, s, rec->row, &keys);
	}
}

/* Stream one source: its rows read ahead, then the rest. */
static int
run_source(struct importer *im, struct source *s)
{
	s->base = im->next_base;
	im->running = s->index;
	import_plan_rows(s);
	for (size_t i = 0; i < s->nahead; i++) {
		struct ahead_item *item = &s->ahead[i];
		for (size_t k = 0; k < item->nwarnings; k++)
			if (im->o.warn)
				im->o.warn(im->o.ctx, &item->warnings[k]);
		if (item->kind)
			dispatch(im, s, item->kind, &item->rec, &item->err, buf_str(&item->raw),
			         item->raw.len);
		record_free(&item->rec);
		buf_free(&item->raw);
		free(item->warnings);
	}
	s->nahead = 0;
	free(s->ahead);
	s->ahead = NULL;
	struct cs_error err = s->ahead_err;
	int got = s->ahead_end;
	while (got == 1) {
		got = source_next(s, &im->rec, &err);
		if (got == 1 || got == VCARD_BAD) {
			size_t rawlen = 0;
			const char *raw = s->vcard ? vcard_reader_raw(s->vcard, &rawlen) : NULL;
			dispatch(im, s, got, &im->rec, &err, raw, rawlen);
			got = 1;
		}
	}
	import_settle_all(im);
	import_flush_problems(im, s);
	uint64_t next = (uint64_t)s->base + (uint64_t)s->last_row + 1;
	im->next_base = next > UINT32_MAX ? UINT32_MAX : (uint32_t)next;
	if (got < 0) {
		if (im->o.error)
			im->o.error(im->o.ctx, &err);
		return 1;
	}
	return 0;
}

int
import_run(struct importer *im, struct writer *w)
{
	import_header(im);
	import_presize_keys(im);
	int status = 0;
	import_settle_begin(im, w);
	for (size_t i = 0; i < im->nsrc; i++)
		if (run_source(im, im->src[i]))
			status = 1;
	import_settle_end(im);
	import_write_held(im, w);
	/* A file that had rows but gave no record is a failure, never a success. */
	for (size_t i = 0; i < im->nsrc; i++) {
		const struct source *s = im->src[i];
		if (s->st.read > 0 && s->st.written + s->st.merged == 0) {
			struct cs_error e = {.file = s->path};
			snprintf(e.msg, sizeof e.msg, "no record imported: %ld row%s read, %ld rejected",
			         s->st.read, s->st.read == 1 ? "" : "s", s->st.rejected);
			if (im->o.error)
				im->o.error(im->o.ctx, &e);
			status = 1;
		}
	}
	return status;
}
