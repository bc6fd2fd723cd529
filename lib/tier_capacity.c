/*
 * tier_capacity.c - a book's planned hours against capacity, tiered in
 * memory when it has to be.
 *
 * The book is streamed once into a report (lib/report), which keeps only
 * sums: tiering a record in memory, when asked, happens just before it is
 * counted, so a book of any size is checked in the memory of one record.
 */
#include "tier_capacity.h"

#include <string.h>

#include "record.h"
#include "report.h"
#include "report_render.h"
#include "stream.h"
#include "tiering.h"

/*
 * Stream s into rep, tiering each record with t first when t is not NULL.
 * Returns what tier_capacity_write does (err filled on a negative value).
 */
static int
count(struct stream *s, struct report *rep, struct tiering *t,
      const struct tier_capacity_options *o, struct cs_error *err)
{
	struct header *tiered = NULL;
	const struct header *h = stream_header(s);
	int rc = 0;
	if (t && tiering_start(t, h, &tiered, err) < 0)
		rc = TIER_CAPACITY_MODEL;
	if (rc == 0 && report_bind(rep, tiered ? tiered : h, err) < 0)
		rc = TIER_CAPACITY_MODEL;
	struct record rec;
	record_init(&rec);
	int got = 0;
	bool untiered = false;
	while (rc == 0 && (got = stream_next(s, &rec, err)) == 1) {
		struct cs_error why;
		if (tiered && tiering_apply(t, &rec, stream_name(s), &why) < 0) {
			if (o->untiered) /* counted with the tier it had: none */
				o->untiered(o->untiered_ctx, &why);
			untiered = true;
		}
		report_add(rep, &rec, NULL);
	}
	if (got < 0)
		rc = TIER_CAPACITY_DATA;
	else if (rc == 0 && untiered)
		rc = TIER_CAPACITY_UNTIERED;
	if (rc < 0 && !err->file)
		err->file = stream_name(s);
	record_free(&rec);
	header_free(tiered);
	return rc;
}

int
tier_capacity_write(struct model *m, const struct tier_capacity_options *o, FILE *out,
                    struct cs_error *err)
{
	struct stream_options so = {.warn = o->warn, .warn_ctx = o->warn_ctx};
	struct stream *s = stream_open(o->book, &so, err);
	if (!s)
		return TIER_CAPACITY_DATA;
	struct tiering *t = NULL;
	if (header_find(stream_header(s), "tier") < 0 || o->retier) {
		struct tiering_options to = {
		    .today = o->today, .warn = o->advise, .warn_ctx = o->advise_ctx};
		t = tiering_new(m, &to);
	}
	struct report *rep = report_new(m, NULL, o->today);
	int rc = count(s, rep, t, o, err);
	if (rc >= 0) {
		long long n = report_records(rep);
		fprintf(out, "\nbook: %s: %lld record%s%s\n",
		        strcmp(o->book, "-") ? o->book : "<stdin>", n, n == 1 ? "" : "s",
		        t ? ", tiered by the model's rules" : "");
		struct report_style style = {.format = REPORT_TEXT,
		                             .sections = REPORT_CAPACITY,
		                             .width = o->width,
		                             .weeks = o->weeks,
		                             .untitled = true};
		report_write(rep, &style, out);
	}
	report_free(rep);
	tiering_free(t);
	stream_close(s);
	return rc;
}
