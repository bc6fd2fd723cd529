/*
 * tier_capacity.h - cs-tier --check-model --book: the hours a model asks of
 * each person, held against their capacity (lib/report_capacity), before
 * anyone commits to the model.
 *
 * The book is counted as it would be once tiered: by its tier column when
 * it has one, else - or when new rules are being tried (--rule) - tiered in
 * memory by the model's rules (lib/tiering), nothing written back.
 */
#ifndef CS_TIER_CAPACITY_H
#define CS_TIER_CAPACITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "date.h"
#include "error.h"
#include "model.h"

/* struct tier_capacity_options - how to count the book; everything borrowed for the call. */
struct tier_capacity_options {
	const char *book; /* its path; "-": standard input */
	bool retier;      /* tier it by the model's rules even when it has a tier column */
	int weeks;        /* working weeks a year; 0: the report's default */
	size_t width;     /* the text's width in display cells */
	struct date today;
	cs_warn_fn *warn; /* the book's warnings (stream.h) */
	void *warn_ctx;
	cs_warn_fn *advise; /* advice about the rules (tiering_options.warn) */
	void *advise_ctx;
	/*
	 * A record that cannot be tiered (tiering_apply's error): it is counted
	 * with the tier it had, none, and the run goes on.
	 */
	cs_warn_fn *untiered;
	void *untiered_ctx;
};

/* What tier_capacity_write returns besides 0. */
enum {
	TIER_CAPACITY_UNTIERED = 1, /* written, but some records could not be tiered */
	TIER_CAPACITY_DATA = -1,    /* the book could not be read: err filled, nothing written */
	TIER_CAPACITY_MODEL = -2,   /* the model's rules do not bind to the book: err filled */
};

/*
 * Count the book with model m (borrowed; its rules are bound to the book's
 * columns) and write to out "book: NAME: N records" (", tiered by the
 * model's rules" when it was), then the report's capacity section as text.
 * Returns 0, or one of the values above.
 */
int tier_capacity_write(struct model *m, const struct tier_capacity_options *o, FILE *out,
                        struct cs_error *err);

#endif
