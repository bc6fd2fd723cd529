/*
 * runsort.h - the two halves of an external sort: temporary files that hold
 * sorted runs, and the k-way merge of sorted sources.
 *
 * What a record is, how a run is written and read back, and how two
 * records compare belong to the caller (lib/due_runs.c spills cs-due's
 * items as its own CSV rows); this module keeps the parts that have
 * nothing to do with the records: where temporary files go and that they
 * can never be left behind, and which source holds the least head.
 *
 *	struct runsort_merge *m = runsort_merge_new(sources, n, next, cmp, ctx);
 *	long i;
 *	while ((i = runsort_merge_next(m, &err)) >= 0)
 *		... write the head of sources[i] ...
 *	runsort_merge_free(m);
 */
#ifndef CS_RUNSORT_H
#define CS_RUNSORT_H

#include <stdio.h>

#include "error.h"

/*
 * Create a temporary file for a run in $TMPDIR (else /tmp) that has no name
 * there (O_TMPFILE, else mkstemp(3) and unlink at once), so that nothing is
 * left behind however the process ends, kill -9 included.  Returns the
 * file, open for reading and writing (the caller closes it; that is its
 * end), with in *path (new: the caller frees it) a name that opens it
 * again, at its start, for as long as the returned file is open:
 * "/dev/fd/N" (on Linux, opening it opens the file anew; flush the file
 * first).  NULL with err filled when no file can be made.
 */
FILE *runsort_tmpfile(char **path, struct cs_error *err);

/*
 * Move source on to its next record: returns 1 when it has one (its
 * head), 0 at its end, -1 on an error with err filled.
 */
typedef int runsort_next_fn(void *source, struct cs_error *err);
/* Compare the heads of two sources, as strcmp does. */
typedef int runsort_cmp_fn(const void *source_a, const void *source_b, void *ctx);

struct runsort_merge;

/*
 * A merge of the sources[0..n) (borrowed until runsort_merge_free), each of
 * which gives its records in cmp's order.  No source is read yet.  Heads
 * that compare equal come in source order, so a merge of the runs of a
 * stable sort is stable.
 */
struct runsort_merge *runsort_merge_new(void *const *sources, size_t n, runsort_next_fn *next,
                                        runsort_cmp_fn *cmp, void *ctx);

/*
 * The index of the source whose head comes next; the head stays valid
 * until the next call, which moves that source on.  Returns -1 when every
 * source has ended, -2 on a source's error (err filled; the merge can only
 * be freed then).
 */
long runsort_merge_next(struct runsort_merge *m, struct cs_error *err);

void runsort_merge_free(struct runsort_merge *m);

#endif
