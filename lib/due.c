/*
 * due.c - collect the touches due in a window from books, and sort them.
 *
 * The book is streamed past lib/cadence and the touch log's index: each
 * client's touches are computed and dropped unless listed.  Only the listed
 * items are kept, because they must be sorted before anything is written;
 * they keep their client's strings in one arena, as offsets while it grows,
 * turned into pointers once (due_list_sort), so an item stays small and a
 * million-client book costs only what it lists.
 */
#include <stdlib.h>
#include <string.h>

#include "due.h"

/* Where the book's columns are (-1: absent). */
struct book_columns {
	long id, name, first_name, last_name, owner, email, phone, tier;
};

/* What the warnings of one book count. */
struct tally {
	long no_tier, unknown_tier, bad_date;
	long no_tier_row, unknown_tier_row, bad_date_row;
	char unknown_tier_value[32];
	char bad_date_text[160];
};

struct due_book {
	struct due_list *list;
	const struct due_query *query;
	const char *name;
	struct book_columns col;
	struct cadence *cadence;
	struct cadence_item *items; /* room for cadence_max_items */
	struct tally tally;
};

static struct book_columns
find_columns(const struct header *h)
{
	return (struct book_columns){
	    .id = header_find(h, "id"),
	    .name = header_find(h, "name"),
	    .first_name = header_find(h, "first_name"),
	    .last_name = header_find(h, "last_name"),
	    .owner = header_find(h, "owner"),
	    .email = header_find(h, "email"),
	    .phone = header_find(h, "phone"),
	    .tier = header_find(h, "tier"),
	};
}

static const char *
field(const struct record *rec, long col)
{
	return col >= 0 ? record_get(rec, (size_t)col, NULL) : "";
}

/* ---- filters ---------------------------------------------------------------- */

static bool
names_have(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (ascii_casecmp_eq(names[i], s))
			return true;
	return false;
}

static bool
wanted(const struct due_filter *f, const struct cadence_item *it, const char *owner)
{
	if (f->overdue && it->overdue_days <= 0)
		return false;
	if (f->ntiers && !names_have(f->tiers, f->ntiers, it->tier->name))
		return false;
	if (f->ntouches && !names_have(f->touches, f->ntouches, it->touch->name))
		return false;
	if (f->nowners) {
		const char *by = it->touch->by ? it->touch->by : owner;
		if (!names_have(f->owners, f->nowners, by) &&
		    !names_have(f->owners, f->nowners, owner))
			return false;
	}
	return true;
}

/* ---- the string arena --------------------------------------------------------- */

/* Copy s into the string arena without its surrounding spaces; returns its offset. */
static size_t
keep(struct buf *b, const char *s)
{
	size_t len = strlen(s);
	str_trim(&s, &len);
	size_t off = b->len;
	buf_append(b, s, len);
	buf_putc(b, '\0');
	return off;
}

static size_t
keep_owner(struct due_list *l, const char *owner)
{
	bool added;
	long i = strtab_intern(&l->owners, owner, strlen(owner), &added);
	if (i < 0)
		return keep(&l->strings, owner);
	if (added) {
		l->owner_off =
		    xgrow(l->owner_off, &l->owner_cap, (size_t)i + 1, sizeof *l->owner_off);
		l->owner_off[i] = keep(&l->strings, owner);
	}
	return l->owner_off[i];
}

/*
 * Store the client's strings once; every item of the client shares them.
 * The name is name, else first and last name (as cs-import builds it).
 */
static void
keep_client(struct due_list *l, const struct record *rec, const struct book_columns *col,
            size_t str[DUE_NSTRINGS])
{
	str[DUE_ID] = keep(&l->strings, field(rec, col->id));
	str[DUE_OWNER] = keep_owner(l, field(rec, col->owner));
	str[DUE_EMAIL] = keep(&l->strings, field(rec, col->email));
	str[DUE_PHONE] = keep(&l->strings, field(rec, col->phone));
	const char *name = field(rec, col->name);
	if (*name == '\0') {
		const char *first = field(rec, col->first_name), *last = field(rec, col->last_name);
		buf_reset(&l->scratch);
		buf_printf(&l->scratch, "%s%s%s", first, *first && *last ? " " : "", last);
		name = buf_str(&l->scratch);
	}
	str[DUE_NAME] = keep(&l->strings, name);
}

/* ---- a book ------------------------------------------------------------------ */

struct due_book *
due_book_new(struct due_list *l, const struct due_query *q, const struct header *h,
             const char *name, struct cs_error *err)
{
	struct book_columns col = find_columns(h);
	if (col.id < 0) {
		cs_error_set(err, name, 0, "no \"id\" column (cs-import gives every client one)");
		return NULL;
	}
	struct due_book *b = xcalloc(1, sizeof *b);
	b->list = l;
	b->query = q;
	b->name = name;
	b->col = col;
	b->cadence = cadence_new(q->model, h);
	b->items = xcalloc(cadence_max_items(b->cadence), sizeof *b->items);
	return b;
}

static void
tally_client(struct tally *t, const struct cadence_client *info, const struct record *rec,
             long tier_col)
{
	if (info->status == CADENCE_NO_TIER && t->no_tier++ == 0)
		t->no_tier_row = rec->row;
	if (info->status == CADENCE_UNKNOWN_TIER && t->unknown_tier++ == 0) {
		t->unknown_tier_row = rec->row;
		snprintf(t->unknown_tier_value, sizeof t->unknown_tier_value, "%s",
		         field(rec, tier_col));
	}
	if (info->bad_field && t->bad_date++ == 0) {
		t->bad_date_row = rec->row;
		snprintf(t->bad_date_text, sizeof t->bad_date_text, "%s \"%.40s\": %s",
		         info->bad_field, info->bad_value, info->bad_why);
	}
}

void
due_book_add(struct due_book *b, const struct record *rec)
{
	const struct due_query *q = b->query;
	struct due_list *l = b->list;
	struct cadence_client info;
	size_t n = cadence_record(b->cadence, rec, q->log, q->window.today, b->items, &info);
	tally_client(&b->tally, &info, rec, b->col.tier);
	size_t client[DUE_NSTRINGS];
	bool kept = false;
	const char *owner = field(rec, b->col.owner);
	for (size_t i = 0; i < n; i++) {
		const struct cadence_item *it = &b->items[i];
		if (!cadence_listed(it, &q->window) || !wanted(&q->filter, it, owner))
			continue;
		if (!kept)
			keep_client(l, rec, &b->col, client);
		kept = true;
		l->items = xgrow(l->items, &l->cap, l->n + 1, sizeof *l->items);
		struct due_item *d = &l->items[l->n++];
		*d = (struct due_item){
		    .tier = it->tier,
		    .touch = it->touch,
		    .due = it->due,
		    .due_days = date_to_days(it->due),
		    .overdue_days = it->overdue_days,
		    .tier_rank = (size_t)(it->tier - q->model->tiers),
		};
		memcpy(d->str, client, sizeof client);
	}
}

/* "1 client has" / "2 clients have" */
static const char *
clients_have(long n)
{
	return n == 1 ? "client has" : "clients have";
}

static void
report_tally(const struct tally *t, const char *name, cs_warn_fn *warn, void *warn_ctx)
{
	struct cs_error w = {.file = name};
	if (t->no_tier) {
		snprintf(w.msg, sizeof w.msg,
		         "%ld %s no tier and no touches (first: row %ld; cs-tier sets tiers)",
		         t->no_tier, clients_have(t->no_tier), t->no_tier_row);
		warn(warn_ctx, &w);
	}
	if (t->unknown_tier) {
		snprintf(w.msg, sizeof w.msg,
		         "%ld %s a tier the model does not define and no touches "
		         "(first: row %ld, tier \"%s\")",
		         t->unknown_tier, clients_have(t->unknown_tier), t->unknown_tier_row,
		         t->unknown_tier_value);
		warn(warn_ctx, &w);
	}
	if (t->bad_date) {
		snprintf(w.msg, sizeof w.msg,
		         "%ld %s a date that does not parse, taken as missing (first: row %ld, %s)",
		         t->bad_date, clients_have(t->bad_date), t->bad_date_row, t->bad_date_text);
		warn(warn_ctx, &w);
	}
}

void
due_book_end(struct due_book *b, cs_warn_fn *warn, void *warn_ctx)
{
	if (!b)
		return;
	if (warn)
		report_tally(&b->tally, b->name, warn, warn_ctx);
	free(b->items);
	cadence_free(b->cadence);
	free(b);
}

/* ---- sorting ------------------------------------------------------------------ */

const char *
due_str(const struct due_list *l, const struct due_item *d, enum due_string which)
{
	return l->strings.data + d->str[which];
}

/* Point each item at its strings, now that the arena stops moving. */
static void
resolve(struct due_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct due_item *d = &l->items[i];
		d->by = d->touch->by ? d->touch->by : due_str(l, d, DUE_OWNER);
		d->id = due_str(l, d, DUE_ID);
		/* For people: a client without any name goes by its id. */
		d->name = due_str(l, d, DUE_NAME);
		if (*d->name == '\0')
			d->name = d->id;
	}
}

static int
cmp_long(long a, long b)
{
	return a < b ? -1 : a > b;
}

/* The rest of both orders: name, then id and touch so equal keys sort the same every run. */
static int
cmp_tail(const struct due_item *a, const struct due_item *b)
{
	int c = strcmp(a->name, b->name);
	if (!c)
		c = strcmp(a->id, b->id);
	if (!c && a->touch != b->touch)
		c = strcmp(a->touch->name, b->touch->name);
	return c;
}

/* The stream order of DESIGN section 4: by, tier, due, name. */
static int
cmp_stream(const void *pa, const void *pb)
{
	const struct due_item *a = pa, *b = pb;
	int c = a->by == b->by ? 0 : strcmp(a->by, b->by);
	if (!c)
		c = cmp_long((long)a->tier_rank, (long)b->tier_rank);
	if (!c)
		c = cmp_long(a->due_days, b->due_days);
	return c ? c : cmp_tail(a, b);
}

/* The text order: by (no one last), then day (overdue first), tier, name. */
static int
cmp_text(const void *pa, const void *pb)
{
	const struct due_item *a = pa, *b = pb;
	int c = 0;
	if (a->by != b->by) {
		c = (*a->by == '\0') - (*b->by == '\0');
		if (!c)
			c = strcmp(a->by, b->by);
	}
	if (!c)
		c = cmp_long(a->due_days, b->due_days);
	if (!c)
		c = cmp_long((long)a->tier_rank, (long)b->tier_rank);
	return c ? c : cmp_tail(a, b);
}

void
due_list_sort(struct due_list *l, enum due_order order)
{
	resolve(l);
	if (l->n > 0)
		qsort(l->items, l->n, sizeof *l->items,
		      order == DUE_ORDER_TEXT ? cmp_text : cmp_stream);
}

void
due_list_free(struct due_list *l)
{
	free(l->items);
	buf_free(&l->strings);
	buf_free(&l->scratch);
	strtab_free(&l->owners);
	free(l->owner_off);
	*l = (struct due_list){0};
}
