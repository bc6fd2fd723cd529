/*
 * plan_int.h - what plan.c (who goes) and plan_render.c (the plan and the
 * dry-run table written out) share: the plan's entries and the columns it
 * reads.  Private to those two files.
 */
#ifndef CS_PLAN_INT_H
#define CS_PLAN_INT_H

#include <stdint.h>

#include "plan.h"
#include "spool.h"
#include "strtab.h"

enum plan_col {
	COL_ID,
	COL_NAME,
	COL_FIRST,
	COL_LAST,
	COL_OWNER,
	COL_TIER,
	COL_EMAIL,
	COL_PHONE,
	COL_COMPANY,
	NCOLS
};

/*
 * A removed record, as memory holds it: where it lies in the spool, and
 * what the plan's order and its lines need without reading it back.
 */
struct plan_entry {
	uint64_t at;    /* its position in the spool */
	uint32_t owner; /* its owner, trimmed: a key of owners */
	uint32_t why;   /* its reason and partner: an index into whys */
};

/* A reason with a partner (NULL: none), both borrowed as plan_add was given them. */
struct plan_why {
	const char *reason;
	const struct partner *partner;
};

struct plan {
	const struct header *h;
	struct plan_entry *entries;
	size_t n, cap;
	struct spool *spool;   /* the records themselves */
	struct strtab owners;  /* each owner once */
	struct plan_why *whys; /* each pair once: few, as the model's rules are */
	size_t nwhys, whys_cap;
	bool failed; /* plan_add could not keep a record: error says why */
	struct cs_error error;
	long col[NCOLS];
	long sifted, protected; /* records plan_sift judged; those it kept as locked */
};

/* The names of enum plan_col's columns, looked up in the book's header. */
extern const char *const plan_col_names[NCOLS];

/* Column col of rec (-1: none) without spaces around it: *start and the length. */
size_t plan_trimmed(const struct record *rec, long col, const char **start);
/*
 * Append the name to greet the client by (rec's columns are col, as
 * plan_new finds them): first_name; else, for a company's record (no first
 * or last name, a company, and a name that is empty or the company's, as
 * cs-import writes a company's card), the company; else the first word of
 * name.
 */
void plan_put_first_name(struct buf *out, const struct record *rec, const long col[NCOLS]);
/* Append the value of column col of rec (-1: none), trimmed; returns the bytes added. */
size_t plan_put_column(struct buf *out, const struct record *rec, long col);
/* Append the client's name: name, else first and last name joined, else the company. */
void plan_put_full_name(struct buf *out, const struct record *rec, const long col[NCOLS]);
/* Find enum plan_col's columns in h: -1 for each it lacks. */
void plan_find_columns(const struct header *h, long col[NCOLS]);

#endif
