/*
 * import_update.h - cs-import --update: a book brought up to date from the
 * next export of the list it came from.
 *
 * The export goes through the full import first (mapping, normalisation,
 * ids), so the book and the export are compared canonical to canonical.
 * Each export record is matched to the book by id, else by email, else by
 * name and phone: the first key that finds a book record decides.  A record
 * that finds two book records by that key, and a book record that two export
 * records find, are conflicts: reported with both rows and left as they were.
 * A matched record takes the export's values of the fields the export owns
 * (every field but id, tier, tier_locked, owner, last_contact, household,
 * gone_since and the --keep columns) by its take rule; an unmatched one is
 * added unless it matches a client in a cs-remove archive; a book record no
 * export record matches is kept and reported ("gone").  Every difference
 * goes to the diff as id,field,old,new,action: first, in the export's order,
 * the records added, skipped (archived) and in conflict; then, in the
 * book's order, the fields changed and the records gone.
 *
 * Records that do not change are written with the values they were read
 * with, in the book's column order (new columns go at the end), so an
 * update that changes nothing writes the book byte for byte.
 */
#ifndef CS_IMPORT_UPDATE_H
#define CS_IMPORT_UPDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "date.h"
#include "error.h"
#include "import.h"
#include "journal.h"
#include "stream.h"

/* When a matched record takes the export's value of a field it owns. */
enum update_take {
	UPDATE_TAKE_IF_NOT_EMPTY, /* the export's value when it has one (the default) */
	UPDATE_TAKE_ALWAYS,       /* the export's value, even empty */
	UPDATE_TAKE_IF_BOOK_EMPTY /* only to fill a field the book has empty */
};

/* What a book record no export record matches gets. */
enum update_gone {
	UPDATE_GONE_KEEP, /* kept as it is, reported at every update */
	UPDATE_GONE_MARK  /* kept, its gone_since set to today (reported once) */
};

struct update_options {
	const char *book;      /* the book's path (borrowed) */
	const char *export_name; /* the export as messages name it ("export.csv") */
	enum update_take take; /* the rule of every field no --take names */
	/* "FIELD=RULE" (borrowed, ntakes of them), as update_parse_take reads them */
	const char *const *takes;
	size_t ntakes;
	/* Columns the book owns besides the fixed ones: "COL,COL..." lists (borrowed) */
	const char *const *keeps;
	size_t nkeeps;
	enum update_gone gone;
	const char *const *archives; /* cs-remove archives (borrowed paths) */
	size_t narchives;
	struct date today;
	enum stream_format format; /* of the book written; STREAM_AUTO: the book's */
	bool excel_safe;           /* the book written: writer_options' excel_safe */
	FILE *out;                 /* the updated book (borrowed); NULL: none (-n) */
	const char *out_name;      /* for messages (NULL: standard output) */
	FILE *diff;                /* the diff (borrowed); NULL: none */
	enum stream_format diff_format; /* STREAM_NDJSON, else CSV */
	const char *diff_name;
	/*
	 * When set, every change the book gets is journalled (journal.h): a
	 * line per field changed (gone_since of a record marked gone too), the
	 * records added, the columns added.  The caller commits it.
	 */
	struct journal *journal;
	/*
	 * When set, an export record for which skip(skip_ctx, rec) is true is
	 * left out before it is matched (cs-import --suppress), and counted.
	 */
	bool (*skip)(void *skip_ctx, const struct record *rec);
	void *skip_ctx;
	cs_warn_fn *warn; /* a conflict (--strict fails the run) */
	cs_warn_fn *note; /* a record gone, an archived client not re-added */
	void *ctx;        /* passed to both */
};

/* What an update did. */
struct update_totals {
	long unchanged;  /* book records matched that needed no change */
	long changed;    /* book records changed, */
	long fields;     /* and the fields changed in them */
	long added;      /* export records added */
	long gone;       /* book records reported gone (with mark: newly marked) */
	long still_gone; /* with mark: gone and marked before */
	long archived;   /* export records not re-added, being archived */
	long conflicts;  /* export records not applied, being in a conflict */
	long skipped;    /* export records left out by skip */
};

/*
 * Read a --take argument: "RULE" (*field NULL) or "FIELD=RULE" (*field
 * points into s, *flen its length), RULE one of always, if-not-empty,
 * if-book-empty.  Returns 0, or -1 when s is neither.
 */
int update_parse_take(const char *s, const char **field, size_t *flen, enum update_take *rule);

/*
 * Update the book o->book from the import im (its inputs added and its maps
 * checked: import_update runs it): write the updated book to o->out and
 * every difference to o->diff, and fill *t.  Problems with the data go to
 * the warn and note callbacks.  Returns 0; 1 if an export input failed
 * midway (the import's error callback has said why; nothing is written,
 * since the records after the failure would read as gone); -1 with err
 * filled when the book or an archive cannot be read, or the spool, the diff
 * or the book cannot be written.
 */
int import_update(struct importer *im, const struct update_options *o, struct update_totals *t,
                  struct cs_error *err);

#endif
