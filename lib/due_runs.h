/*
 * due_runs.h - cs-due's list in bounded memory, and the merge of lists
 * made from shards of a book.
 *
 * Both are a k-way merge (lib/runsort) of lists already sorted in stream
 * order by due_item_cmp, the one comparison due_list_sort uses, so the
 * merged rows are the bytes a single run over the whole book writes:
 *
 * - past a memory budget, the list is sorted and written to a temporary
 *   file as cs-due's own CSV (a run), then emptied; at the end the runs and
 *   what is left in memory are merged into the output;
 * - `cs-due --merge` merges lists that cs-due wrote, one per shard.
 *
 * The runs are read back with due_reader, so a run is checked like any
 * list cs-due reads.  At most DUE_RUNS_FAN_IN runs are open at once: more
 * are first merged into one longer run, so memory stays bounded whatever
 * the book's size.
 */
#ifndef CS_DUE_RUNS_H
#define CS_DUE_RUNS_H

#include <stdbool.h>
#include <stdio.h>

#include "due.h"
#include "error.h"
#include "model.h"
#include "stream.h"

enum { DUE_RUNS_FAN_IN = 16 };

struct due_runs;

/*
 * Runs for a list of items of model m (borrowed), spilled past budget bytes
 * (due_list_bytes); 0 is no budget: nothing is ever spilled.
 *
 * sorted_by_owner (cs-due --sorted-by owner): each book comes sorted by
 * owner, in the byte order of the stream's "by" (LC_ALL=C sort).  Then, with
 * a budget, when a record's owner differs from the one before, the items of
 * the owner before that go by the client's owner are written, sorted, to
 * that book's owner run at once, and the list holds only one owner's items
 * again; the items whose touch names a fixed "by" (the assistant's cards,
 * from every owner's clients) are held apart, spilled past the budget like
 * the list, and merged in at their place at the end.  Without a budget
 * (text, iCalendar, --plan: written from the whole list) the order is only
 * checked.  A record whose owner sorts before the one before it is refused
 * (due_runs_check's error names the book, its row and both owners), and
 * nothing more is listed: due_runs_write then writes nothing.
 */
struct due_runs *due_runs_new(size_t budget, const struct model *m, bool sorted_by_owner);

/*
 * Call after each record added to l: when l holds more than the budget,
 * sort it, write it as a run to a nameless temporary file in $TMPDIR
 * (runsort_tmpfile) and empty it
 * (due_list_clear: b's household members are kept; b may be NULL).
 * Returns 0, or -1 with err filled (the file could not be written).
 */
int due_runs_check(struct due_runs *r, struct due_list *l, struct due_book *b,
                   struct cs_error *err);

/*
 * Not 0 when items are kept outside the list (runs written so far, the owner
 * run, held items) or the book was refused: the list must then be written
 * with due_runs_write.
 */
size_t due_runs_count(const struct due_runs *r);

/*
 * Sort l and write it merged with every run, in stream order, as CSV or
 * NDJSON to out (name: out's name for messages): the same bytes as
 * due_write_rows of the whole list, and nothing at all when there is no
 * item.  Returns 0, or -1 with err filled.
 */
int due_runs_write(struct due_runs *r, struct due_list *l, FILE *out, enum stream_format format,
                   const char *name, struct cs_error *err);

/* End the runs' temporary files (whatever happened) and free r.  NULL is fine. */
void due_runs_free(struct due_runs *r);

/*
 * Merge the lists paths[0..n) that cs-due wrote with model m (CSV or
 * NDJSON, each in stream order; an empty file is an empty list) into out,
 * in format (STREAM_AUTO: the first non-empty list's).  Returns 0, or -1
 * with err filled (a list out of order names its row).
 */
int due_merge_write(char *const *paths, size_t n, const struct model *m, FILE *out,
                    enum stream_format format, const char *name, struct cs_error *err);

/*
 * Read the lists paths[0..n) (as due_merge_write) into l, for an output
 * that needs the whole list (text, iCalendar).  Returns 0, or -1 with err
 * filled.
 */
int due_merge_load(char *const *paths, size_t n, const struct model *m, struct due_list *l,
                   struct cs_error *err);

#endif
