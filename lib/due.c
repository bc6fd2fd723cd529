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
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "due.h"
#include "hash.h"
#include "writer.h"

/* Where the book's columns are (-1: absent). */
struct book_columns {
	long id, name, first_name, last_name, owner, email, phone, tier, household;
};

/* What the warnings of one book count. */
struct tally {
	long no_tier, unknown_tier, bad_date, refused;
	long no_tier_row, unknown_tier_row, bad_date_row, refused_row;
	char unknown_tier_value[32];
	char bad_date_text[160];
	char refused_text[96];
};

/* A member's item of a "per": "household" touch, kept until the book ends. */
struct pending {
	struct cadence_member member; /* member.id: see resolve_pending */
	const char *household;        /* likewise */
	struct due_strings str;
};

struct due_book {
	struct due_list *list;
	const struct due_query *query;
	const char *name;
	struct book_columns col;
	struct cadence *cadence;
	struct cadence_item *items; /* room for cadence_max_items */
	bool *listed;               /* as many */
	struct tally tally;
	struct pending *pending; /* household members' items */
	size_t npending, pending_cap;
	struct buf last_owner; /* the last record's owner and row (due_book_last_owner) */
	long last_row;
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
	    .household = header_find(h, "household"),
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

long
due_status_mask(const char *list)
{
	unsigned mask = 0;
	const char *p = list;
	while (*p) {
		size_t len = strcspn(p, ",");
		size_t k = 0;
		while (k < 4 && !(strlen(cadence_status_names[k]) == len &&
		                  strncmp(cadence_status_names[k], p, len) == 0))
			k++;
		if (k == 4)
			return -1;
		mask |= 1u << k;
		p += len;
		if (*p == ',')
			p++;
	}
	return mask ? (long)mask : -1;
}

static bool
wanted(const struct due_filter *f, const struct cadence_item *it, const char *owner)
{
	if (f->overdue && it->overdue_days <= 0)
		return false;
	if (f->statuses && !(f->statuses & (1u << it->status)))
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

/* The string n strings after s in the arena (each NUL-terminated, back to back). */
static const char *
string_after(const char *s, int n)
{
	while (n--)
		s += strlen(s) + 1;
	return s;
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
 * Keep a client's id, email, phone and household back to back (struct
 * due_strings), then its name; the owner is kept (once) by the caller.
 */
static void
keep_strings(struct buf *b, const char *id, const char *email, const char *phone,
             const char *household, const char *name, struct due_strings *str)
{
	str->id = keep(b, id);
	keep(b, email);
	keep(b, phone);
	keep(b, household);
	str->name = keep(b, name);
}

/*
 * Store the client's strings once; every item of the client shares them.
 * The name is name, else first and last name (as cs-import builds it).
 */
static void
keep_client(struct due_list *l, const struct record *rec, const struct book_columns *col,
            struct due_strings *str)
{
	str->owner = keep_owner(l, field(rec, col->owner));
	const char *name = field(rec, col->name);
	if (*name == '\0') {
		const char *first = field(rec, col->first_name), *last = field(rec, col->last_name);
		buf_reset(&l->scratch);
		buf_printf(&l->scratch, "%s%s%s", first, *first && *last ? " " : "", last);
		name = buf_str(&l->scratch);
	}
	keep_strings(&l->strings, field(rec, col->id), field(rec, col->email),
	             field(rec, col->phone), field(rec, col->household), name, str);
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
	b->listed = xcalloc(cadence_max_items(b->cadence) + 1, sizeof *b->listed);
	for (size_t i = 0; i < q->model->ntiers; i++)
		for (size_t j = 0; j < q->model->tiers[i].ntouches; j++)
			l->households |= q->model->tiers[i].touches[j].per_household;
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

/* Add item it of a client whose strings are str to the list. */
static void
list_item(struct due_list *l, const struct due_query *q, const struct cadence_item *it,
          const struct due_strings *str)
{
	l->items = xgrow(l->items, &l->cap, l->n + 1, sizeof *l->items);
	struct due_item *d = &l->items[l->n++];
	*d = (struct due_item){
	    .tier = it->tier,
	    .touch = it->touch,
	    .channel = it->channel,
	    .due_days = (int32_t)date_to_days(it->due),
	    .due_ymd = due_ymd(it->due),
	    .overdue_days = it->overdue_days,
	    .status = it->status,
	    .tier_rank = (uint32_t)(it->tier - q->model->tiers),
	    .str = *str,
	};
	if (it->basis == CADENCE_NEVER && it->touch->kind == TOUCH_EVERY && it->overdue_days == 0)
		l->never_today++;
}

/* True if it would be listed in w but for the client's consent. */
static bool
refused_in_window(const struct cadence_item *it, const struct cadence_window *w)
{
	struct cadence_item allowed = *it;
	allowed.refused = false;
	return it->refused && cadence_listed(&allowed, w);
}

static void
tally_refused(struct tally *t, const struct cadence_item *it, const struct record *rec)
{
	if (t->refused++ == 0) {
		t->refused_row = rec->row;
		snprintf(t->refused_text, sizeof t->refused_text, "%.40s by %.20s, %s",
		         it->touch->name, it->touch->channel,
		         model_channel_consent(it->touch->channel));
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
	struct due_strings client;
	bool kept = false;
	const char *owner = field(rec, b->col.owner);
	buf_reset(&b->last_owner);
	buf_puts(&b->last_owner, owner);
	b->last_row = rec->row;
	const char *household = field(rec, b->col.household);
	size_t hlen = strlen(household);
	str_trim(&household, &hlen);
	for (size_t i = 0; i < n; i++) {
		const struct cadence_item *it = &b->items[i];
		b->listed[i] = cadence_listed(it, &q->window);
		if (it->touch->per_household && hlen) {
			/* Listed or not, it counts for the household: decided at the book's end. */
			if (!kept)
				keep_client(l, rec, &b->col, &client);
			kept = true;
			b->pending =
			    xgrow(b->pending, &b->pending_cap, b->npending + 1, sizeof *b->pending);
			struct pending *p = &b->pending[b->npending++];
			*p = (struct pending){
			    .member = {.item = *it,
			               .tier_rank = (size_t)(it->tier - q->model->tiers)}};
			p->str = client;
			b->listed[i] = false;
			continue;
		}
		if (refused_in_window(it, &q->window))
			tally_refused(&b->tally, it, rec);
	}
	cadence_hide_satisfied(b->items, n, b->listed);
	for (size_t i = 0; i < n; i++) {
		const struct cadence_item *it = &b->items[i];
		if (!b->listed[i] || !wanted(&q->filter, it, owner))
			continue;
		if (!kept)
			keep_client(l, rec, &b->col, &client);
		kept = true;
		list_item(l, q, it, &client);
	}
}

/* ---- households ------------------------------------------------------------------ */

/*
 * Household, then touch, then id: a household's members of one touch side
 * by side.  The member's id and its household point into the arena, which
 * does not move while the pending items are sorted.
 */
static int
cmp_pending(const void *pa, const void *pb)
{
	const struct pending *a = pa, *b = pb;
	int c = strcmp(a->household, b->household);
	if (!c)
		c = strcmp(a->member.item.touch->name, b->member.item.touch->name);
	if (!c)
		c = strcmp(a->member.id, b->member.id);
	return c;
}

/* Point the pending items [from, to) at their strings, valid until the arena grows. */
static void
resolve_pending(const struct due_list *l, struct pending *p, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		p[i].member.id = l->strings.data + p[i].str.id;
		p[i].household = string_after(l->strings.data + p[i].str.id, 3);
	}
}

/*
 * The household's item of one touch from its members p[0..n) (sorted by
 * id), into *it and the strings str: those of the member who stands for
 * the household, with the members' names joined by " & ".
 */
static void
merge_members(struct due_book *b, struct pending *p, size_t n, struct cadence_item *it,
              struct due_strings *str)
{
	struct due_list *l = b->list;
	struct cadence_member *m = xcalloc(n, sizeof *m);
	for (size_t i = 0; i < n; i++) {
		m[i] = p[i].member;
		m[i].id = l->strings.data + p[i].str.id;
	}
	size_t rep = cadence_household(m, n, b->query->window.today, it);
	free(m);
	*str = p[rep].str;
	buf_reset(&l->scratch);
	for (size_t i = 0; i < n; i++) {
		const char *name = l->strings.data + p[i].str.name;
		if (!*name)
			name = l->strings.data + p[i].str.id;
		buf_printf(&l->scratch, "%s%s", i ? " & " : "", name);
	}
	str->name = keep(&l->strings, buf_str(&l->scratch));
}

/* List the households of the book: one item per household and touch. */
static void
list_households(struct due_book *b)
{
	struct due_list *l = b->list;
	const struct due_query *q = b->query;
	struct pending *p = b->pending;
	if (b->npending == 0)
		return;
	resolve_pending(l, p, 0, b->npending);
	qsort(p, b->npending, sizeof *p, cmp_pending);
	struct cadence_item *items = NULL;
	struct due_strings *strs = NULL;
	bool *listed = NULL;
	size_t cap = 0;
	for (size_t i = 0; i < b->npending;) {
		/* One household: its touches [i, end). */
		resolve_pending(l, p, i, b->npending);
		size_t end = i;
		while (end < b->npending && strcmp(p[end].household, p[i].household) == 0)
			end++;
		size_t n = 0;
		for (size_t j = i; j < end;) {
			resolve_pending(l, p, j, end);
			size_t k = j;
			while (k < end && strcmp(p[k].member.item.touch->name,
			                         p[j].member.item.touch->name) == 0)
				k++;
			if (n + 1 > cap) {
				cap = cap ? cap * 2 : 8;
				items = xrealloc(items, cap * sizeof *items);
				strs = xrealloc(strs, cap * sizeof *strs);
				listed = xrealloc(listed, cap * sizeof *listed);
			}
			merge_members(b, &p[j], k - j, &items[n], &strs[n]);
			listed[n] = cadence_listed(&items[n], &q->window);
			n++;
			j = k;
		}
		cadence_hide_satisfied(items, n, listed);
		for (size_t j = 0; j < n; j++)
			if (listed[j] &&
			    wanted(&q->filter, &items[j], l->strings.data + strs[j].owner))
				list_item(l, q, &items[j], &strs[j]);
		i = end;
	}
	free(items);
	free(strs);
	free(listed);
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
	if (t->refused) {
		snprintf(w.msg, sizeof w.msg,
		         "%ld touch%s not listed: the client refused the channel and the touch "
		         "has no fallback the client allows (first: row %ld, %s)",
		         t->refused, t->refused == 1 ? "" : "es", t->refused_row, t->refused_text);
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
	list_households(b);
	if (warn)
		report_tally(&b->tally, b->name, warn, warn_ctx);
	free(b->pending);
	free(b->listed);
	free(b->items);
	buf_free(&b->last_owner);
	cadence_free(b->cadence);
	free(b);
}

/* ---- sorting ------------------------------------------------------------------ */

const char *
due_str(const struct due_list *l, const struct due_item *d, enum due_string which)
{
	const char *s = l->strings.data;
	switch (which) {
	case DUE_NAME:
		return s + d->str.name;
	case DUE_OWNER:
		return s + d->str.owner;
	case DUE_EMAIL:
		return string_after(s + d->str.id, 1);
	case DUE_PHONE:
		return string_after(s + d->str.id, 2);
	case DUE_HOUSEHOLD:
		return string_after(s + d->str.id, 3);
	default:
		return s + d->str.id;
	}
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

/*
 * The rest of both orders: name, then id and touch, then every other
 * column written, so that items comparing equal write the same row.
 */
static int
cmp_tail(const struct due_item *a, const struct due_item *b)
{
	int c = strcmp(a->name, b->name);
	if (!c)
		c = strcmp(a->id, b->id);
	if (!c && a->touch != b->touch)
		c = strcmp(a->touch->name, b->touch->name);
	if (!c && a->channel != b->channel)
		c = strcmp(a->channel, b->channel);
	if (!c)
		c = cmp_long(a->overdue_days, b->overdue_days);
	if (!c)
		c = cmp_long((long)a->status, (long)b->status);
	return c;
}

const char *
due_book_last_owner(const struct due_book *b, long *row, const char **name)
{
	*row = b->last_row;
	*name = b->name;
	return b->last_owner.data ? b->last_owner.data : "";
}

int
due_item_cmp(const struct due_item *a, const struct due_item *b)
{
	int c = a->by == b->by ? 0 : strcmp(a->by, b->by);
	if (!c)
		c = cmp_long((long)a->tier_rank, (long)b->tier_rank);
	if (!c)
		c = cmp_long(a->due_days, b->due_days);
	return c ? c : cmp_tail(a, b);
}

/*
 * Within one list, the rest ties on the order the clients came in: their
 * strings are kept in that order.  (Two such items are the same id listed
 * twice, a book with a duplicate; a merge keeps the order of its sources.)
 */
static int
cmp_arrival(const struct due_item *a, const struct due_item *b)
{
	return a->str.id < b->str.id ? -1 : a->str.id > b->str.id;
}

/* The stream order of DESIGN section 4: by, tier, due, name. */
static int
cmp_stream(const void *pa, const void *pb)
{
	const struct due_item *a = pa, *b = pb;
	int c = due_item_cmp(a, b);
	return c ? c : cmp_arrival(a, b);
}

/*
 * The text order: by (no one last), then the planned week (over capacity
 * last; all 0 without a plan), then day (overdue first), tier, name.
 */
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
		c = cmp_long(a->week, b->week);
	if (!c)
		c = cmp_long(a->due_days, b->due_days);
	if (!c)
		c = cmp_long((long)a->tier_rank, (long)b->tier_rank);
	if (!c)
		c = cmp_tail(a, b);
	return c ? c : cmp_arrival(a, b);
}

/*
 * Sorting a long list: the items are large and their strings elsewhere, so
 * comparing them is cache misses; a packed key per item sorts instead, 32
 * bytes that qsort moves directly.  Its 24 bytes compare as one byte
 * string: the order's leading columns as one integer (by's rank among the
 * list's "by"s, the week, the due day, the tier, each in as many bits as
 * the list needs) in as few bytes as hold it, big-endian, then the name
 * and its NUL, then the id, cut off at 24 bytes: strcmp's order of each
 * as far as they go, and the id's only where the names are equal (their
 * NULs at the same place).  Keys that tie go on to the items' own
 * comparison, so the order is exactly theirs; in a list of millions,
 * where the same name falls due on the same day for the same person
 * time and again, the id in the key keeps those ties from reading the
 * items (a cache miss each) at every comparison.
 */
enum { SORTKEY_BYTES = 24 };

struct sortkey {
	uint64_t k[SORTKEY_BYTES / 8];
	const struct due_item *d;
};

/* Below this many items, sorting the items themselves costs less than the keys. */
enum { SORTKEY_MIN = 256 };

/* The distinct "by" pointers of a list, with their ranks in strcmp order. */
struct byrank {
	const char **by; /* open addressing by pointer, mask + 1 slots */
	uint32_t *rank;
	size_t mask, n;
	bool empty_last; /* the text order: "" (no one) after everyone */
};

static size_t
byrank_slot(const struct byrank *t, const char *by)
{
	size_t i = (size_t)hash_mix64((uint64_t)(uintptr_t)by) & t->mask;
	while (t->by[i] && t->by[i] != by)
		i = (i + 1) & t->mask;
	return i;
}

static void
byrank_add(struct byrank *t, const char *by)
{
	if ((t->n + 1) * 2 > t->mask + 1) {
		struct byrank bigger = {.mask = t->mask * 2 + 1, .n = t->n};
		bigger.by = xcalloc(bigger.mask + 1, sizeof *bigger.by);
		for (size_t i = 0; i <= t->mask; i++)
			if (t->by[i])
				bigger.by[byrank_slot(&bigger, t->by[i])] = t->by[i];
		free(t->by);
		t->by = bigger.by;
		t->mask = bigger.mask;
	}
	size_t i = byrank_slot(t, by);
	if (!t->by[i]) {
		t->by[i] = by;
		t->n++;
	}
}

static int
cmp_str_ptr(const void *pa, const void *pb)
{
	return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

/* Rank every distinct "by" of l: equal strings the same rank.  Returns the ranks used. */
static uint32_t
byrank_build(struct byrank *t, const struct due_list *l)
{
	t->mask = 63;
	t->by = xcalloc(t->mask + 1, sizeof *t->by);
	for (size_t i = 0; i < l->n; i++)
		byrank_add(t, l->items[i].by);
	const char **sorted = xcalloc(t->n + 1, sizeof *sorted);
	size_t k = 0;
	for (size_t i = 0; i <= t->mask; i++)
		if (t->by[i])
			sorted[k++] = t->by[i];
	qsort(sorted, k, sizeof *sorted, cmp_str_ptr);
	t->rank = xcalloc(t->mask + 1, sizeof *t->rank);
	uint32_t r = 0, ranks = 0;
	bool empty = k && *sorted[0] == '\0';
	for (size_t i = 0; i < k; i++) {
		if (i && strcmp(sorted[i - 1], sorted[i]) != 0)
			r++;
		/* "" sorts first; the text order wants it last: one past the others. */
		uint32_t v = t->empty_last && empty ? (*sorted[i] ? r - 1 : (uint32_t)k) : r;
		t->rank[byrank_slot(t, sorted[i])] = v;
		ranks = v + 1 > ranks ? v + 1 : ranks;
	}
	free(sorted);
	return ranks;
}

/* Bits to hold 0..n-1 (0 for n <= 1). */
static unsigned
bits_for(uint64_t n)
{
	unsigned b = 0;
	while (b < 64 && n > 1 && (n - 1) >> b)
		b++;
	return b;
}

/* Key k of item d: major in major_bytes bytes, the name, its NUL, the id (see struct sortkey). */
static void
pack_key(struct sortkey *k, uint64_t major, unsigned major_bytes, const struct due_item *d)
{
	unsigned char b[SORTKEY_BYTES] = {0};
	size_t at = 0;
	for (unsigned i = major_bytes; i-- > 0;)
		b[at++] = (unsigned char)(major >> (8 * i));
	for (const char *s = d->name; at < SORTKEY_BYTES && *s; s++)
		b[at++] = (unsigned char)*s;
	at++; /* the name's NUL */
	for (const char *s = d->id; at < SORTKEY_BYTES && *s; s++)
		b[at++] = (unsigned char)*s;
	for (int w = 0; w < SORTKEY_BYTES / 8; w++) {
		uint64_t v = 0;
		for (int j = 0; j < 8; j++)
			v = v << 8 | b[w * 8 + j];
		k->k[w] = v;
	}
	k->d = d;
}

static int
cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int
cmp_key_head(const struct sortkey *a, const struct sortkey *b)
{
	int c = cmp_u64(a->k[0], b->k[0]);
	if (!c)
		c = cmp_u64(a->k[1], b->k[1]);
	if (!c)
		c = cmp_u64(a->k[2], b->k[2]);
	return c;
}

static int
cmp_key_stream(const void *pa, const void *pb)
{
	const struct sortkey *a = pa, *b = pb;
	int c = cmp_key_head(a, b);
	return c ? c : cmp_stream(a->d, b->d);
}

static int
cmp_key_text(const void *pa, const void *pb)
{
	const struct sortkey *a = pa, *b = pb;
	int c = cmp_key_head(a, b);
	return c ? c : cmp_text(a->d, b->d);
}

/* Put l's items in the order of keys[0..l->n), moving each once (cycle by cycle). */
static void
permute(struct due_list *l, struct sortkey *keys)
{
	/* keys[i].d becomes the index of the item that goes to place i; done places get SIZE_MAX.
	 */
	size_t *from = xcalloc(l->n, sizeof *from);
	for (size_t i = 0; i < l->n; i++)
		from[i] = (size_t)(keys[i].d - l->items);
	for (size_t i = 0; i < l->n; i++) {
		if (from[i] == SIZE_MAX || from[i] == i)
			continue;
		struct due_item hold = l->items[i];
		size_t at = i;
		while (from[at] != i) {
			size_t next = from[at];
			l->items[at] = l->items[next];
			from[at] = SIZE_MAX;
			at = next;
		}
		l->items[at] = hold;
		from[at] = SIZE_MAX;
	}
	free(from);
}

/*
 * Sort l by packed keys.  Returns false, with nothing done, when the
 * leading columns do not fit one 64-bit integer (then the items are sorted
 * as they are).
 */
static bool
sort_by_keys(struct due_list *l, enum due_order order)
{
	bool text = order == DUE_ORDER_TEXT;
	long lo = l->items[0].due_days, hi = lo;
	uint64_t weeks = 1, tiers = 1;
	for (size_t i = 0; i < l->n; i++) {
		const struct due_item *d = &l->items[i];
		lo = d->due_days < lo ? d->due_days : lo;
		hi = d->due_days > hi ? d->due_days : hi;
		if (d->week < 0 || d->tier_rank >= UINT32_MAX)
			return false;
		weeks = (uint64_t)d->week + 1 > weeks ? (uint64_t)d->week + 1 : weeks;
		tiers = d->tier_rank + 1 > tiers ? d->tier_rank + 1 : tiers;
	}
	struct byrank br = {.empty_last = text};
	uint32_t ranks = byrank_build(&br, l);
	unsigned bby = bits_for(ranks), bweek = text ? bits_for(weeks) : 0;
	unsigned bday = bits_for((uint64_t)(hi - lo) + 1), btier = bits_for(tiers);
	unsigned bits = bby + bweek + bday + btier;
	bool fits = bits <= 64;
	struct sortkey *keys = fits ? xcalloc(l->n, sizeof *keys) : NULL;
	for (size_t i = 0; fits && i < l->n; i++) {
		const struct due_item *d = &l->items[i];
		uint64_t by = br.rank[byrank_slot(&br, d->by)], day = (uint64_t)(d->due_days - lo);
		uint64_t tier = d->tier_rank;
		/* stream: by, tier, due; text: by, week, due, tier. */
		uint64_t major =
		    text ? ((by << bweek | (uint64_t)d->week) << bday | day) << btier | tier
		         : (by << btier | tier) << bday | day;
		pack_key(&keys[i], major, (bits + 7) / 8, d);
	}
	if (fits) {
		qsort(keys, l->n, sizeof *keys, text ? cmp_key_text : cmp_key_stream);
		permute(l, keys);
	}
	free(keys);
	free(br.by);
	free(br.rank);
	return fits;
}

void
due_list_sort(struct due_list *l, enum due_order order)
{
	resolve(l);
	if (l->n >= SORTKEY_MIN && sort_by_keys(l, order))
		return;
	if (l->n > 0)
		qsort(l->items, l->n, sizeof *l->items,
		      order == DUE_ORDER_TEXT ? cmp_text : cmp_stream);
}

/* ---- the plan ------------------------------------------------------------------ */

void
due_list_plan(struct due_list *l, const struct model *m, struct date today, int weeks,
              int working_days)
{
	due_list_sort(l, DUE_ORDER_STREAM); /* by, name and id point into the arena */
	struct weekplan_item *items = xcalloc(l->n + 1, sizeof *items);
	size_t *key_off = xcalloc(l->n + 1, sizeof *key_off);
	/* The key makes the order total: an item is one client's (id) one touch. */
	struct buf keys = {0};
	for (size_t i = 0; i < l->n; i++) {
		const struct due_item *d = &l->items[i];
		key_off[i] = keys.len;
		buf_printf(&keys, "%s%c%s", d->id, '\x1f', d->touch->name);
		buf_putc(&keys, '\0');
	}
	for (size_t i = 0; i < l->n; i++) {
		const struct due_item *d = &l->items[i];
		items[i] = (struct weekplan_item){
		    .by = d->by,
		    .rank = (int)d->tier_rank,
		    .due = d->due_days,
		    .name = d->name,
		    .key = keys.data + key_off[i],
		    .minutes = d->touch->minutes > 0 ? lround(d->touch->minutes) : 0,
		};
	}
	struct weekplan_person *team = xcalloc(m->nteam + 1, sizeof *team);
	for (size_t i = 0; i < m->nteam; i++)
		team[i] = (struct weekplan_person){m->team[i].name, m->team[i].hours};
	struct weekplan_options o = {
	    .today = date_to_days(today), .weeks = weeks, .working_days = working_days};
	weekplan_free(l->plan);
	free(l->plan);
	l->plan = xcalloc(1, sizeof *l->plan);
	weekplan_run(items, l->n, team, m->nteam, &o, l->plan);
	for (size_t i = 0; i < l->n; i++) {
		l->items[i].planned = (int32_t)l->plan->planned[i];
		l->items[i].week = l->plan->week[i] >= 0 ? l->plan->week[i] : l->plan->weeks;
	}
	free(team);
	free(items);
	free(key_off);
	buf_free(&keys);
}

size_t
due_list_bytes(const struct due_list *l)
{
	return l->n * sizeof *l->items + l->strings.len;
}

void
due_list_clear(struct due_list *l, struct due_book *b)
{
	/* The household members' strings move to a new arena; everything else goes. */
	struct buf kept = {0};
	for (size_t i = 0; b && i < b->npending; i++) {
		struct due_strings *str = &b->pending[i].str;
		const char *id = l->strings.data + str->id;
		size_t owner = keep(&kept, l->strings.data + str->owner);
		keep_strings(&kept, id, string_after(id, 1), string_after(id, 2),
		             string_after(id, 3), l->strings.data + str->name, str);
		str->owner = owner;
	}
	buf_free(&l->strings);
	l->strings = kept;
	strtab_free(&l->owners);
	l->owners = (struct strtab){0};
	l->n = 0;
}

void
due_list_append(struct due_list *l, const struct due_list *from, const struct due_item *d)
{
	struct due_strings str;
	str.owner = keep_owner(l, due_str(from, d, DUE_OWNER));
	keep_strings(&l->strings, due_str(from, d, DUE_ID), due_str(from, d, DUE_EMAIL),
	             due_str(from, d, DUE_PHONE), due_str(from, d, DUE_HOUSEHOLD),
	             due_str(from, d, DUE_NAME), &str);
	l->items = xgrow(l->items, &l->cap, l->n + 1, sizeof *l->items);
	struct due_item *c = &l->items[l->n++];
	*c = *d;
	c->str = str;
	c->by = c->name = c->id = NULL; /* until due_list_sort */
}

void
due_list_free(struct due_list *l)
{
	weekplan_free(l->plan);
	free(l->plan);
	free(l->items);
	buf_free(&l->strings);
	buf_free(&l->scratch);
	strtab_free(&l->owners);
	free(l->owner_off);
	*l = (struct due_list){0};
}

/* ---- cs-due's stream rows ---------------------------------------------------------- */

const char *const due_columns[DUE_NCOLUMNS] = {
    "id",  "name",         "owner",  "by",    "tier",  "touch",     "channel",
    "due", "overdue_days", "status", "email", "phone", "household",
};
enum {
	COL_ID,
	COL_NAME,
	COL_OWNER,
	COL_BY,
	COL_TIER,
	COL_TOUCH,
	COL_CHANNEL,
	COL_DUE,
	COL_OVERDUE_DAYS,
	COL_STATUS,
	COL_EMAIL,
	COL_PHONE,
	COL_HOUSEHOLD
};

struct due_rows {
	struct writer *w;
	struct header h;
	const char *names[DUE_NCOLUMNS + 1]; /* due_columns, then "planned" */
	bool households, planned;
	enum field_type types[DUE_NCOLUMNS + 1];
};

struct due_rows *
due_rows_open(FILE *out, enum stream_format format, bool households, bool planned, bool excel_safe)
{
	struct due_rows *r = xcalloc(1, sizeof *r);
	size_t n = 0;
	for (size_t c = 0; c < DUE_NCOLUMNS; c++)
		if (c != COL_HOUSEHOLD || households)
			r->names[n++] = due_columns[c];
	if (planned)
		r->names[n++] = "planned";
	r->households = households;
	r->planned = planned;
	r->h = (struct header){.n = n, .names = (char **)r->names};
	r->types[COL_OVERDUE_DAYS] = FIELD_INTEGER;
	struct writer_options wo = {.format = format, .types = r->types, .excel_safe = excel_safe};
	r->w = writer_open(out, &r->h, &wo);
	return r;
}

/* v in decimal into buf, as "%ld" writes it; by hand, as it is one for every row. */
static void
format_long(long v, char buf[24])
{
	char digits[24];
	unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
	int n = 0;
	do
		digits[n++] = (char)('0' + u % 10);
	while (u /= 10);
	char *p = buf;
	if (v < 0)
		*p++ = '-';
	while (n)
		*p++ = digits[--n];
	*p = '\0';
}

void
due_rows_put(struct due_rows *r, const struct due_list *l, const struct due_item *d)
{
	char due[16], number[24], planned[16] = "";
	format_long(d->overdue_days, number);
	if (l->plan && d->planned >= 0)
		date_format(date_from_days(d->planned), planned);
	/* The id, then the email, phone and household: one walk past them (due_str). */
	const char *id = due_str(l, d, DUE_ID), *email = string_after(id, 1);
	const char *phone = string_after(email, 1);
	const char *v[DUE_NCOLUMNS + 1] = {
	    [COL_ID] = id,
	    [COL_NAME] = due_str(l, d, DUE_NAME),
	    [COL_OWNER] = due_str(l, d, DUE_OWNER),
	    [COL_BY] = d->by,
	    [COL_TIER] = d->tier->name,
	    [COL_TOUCH] = d->touch->name,
	    [COL_CHANNEL] = d->channel,
	    [COL_DUE] = date_format(due_item_due(d), due),
	    [COL_OVERDUE_DAYS] = number,
	    [COL_STATUS] = cadence_status_names[d->status],
	    [COL_EMAIL] = email,
	    [COL_PHONE] = phone,
	    [COL_HOUSEHOLD] = string_after(phone, 1),
	    [DUE_NCOLUMNS] = planned,
	};
	if (!r->households)
		v[COL_HOUSEHOLD] = planned; /* the planned column, if any, moves up one */
	writer_put_strings(r->w, v, r->h.n);
}

int
due_rows_close(struct due_rows *r, const char *name, struct cs_error *err)
{
	int rc = writer_close(r->w, name, err);
	free(r);
	return rc;
}

struct due_reader {
	struct stream *s; /* NULL: an empty file */
	const char *name;
	const struct model *m;
	struct record rec;
	struct due_list one; /* the current item, items[0] */
	bool households;
};

/* Is h cs-due's header (with or without the household column)? */
static bool
is_due_header(const struct header *h, bool *households)
{
	if (h->n != DUE_NCOLUMNS && h->n != DUE_NCOLUMNS - 1)
		return false;
	for (size_t i = 0; i < h->n; i++)
		if (strcmp(h->names[i], due_columns[i]) != 0)
			return false;
	*households = h->n == DUE_NCOLUMNS;
	return true;
}

/* An empty regular file: cs-due's output when nothing was due. */
static bool
empty_file(const char *path)
{
	if (strcmp(path, "-") == 0)
		return false;
	FILE *f = fopen(path, "rb");
	if (!f)
		return false; /* stream_open says why */
	bool empty = fgetc(f) == EOF && !ferror(f);
	fclose(f);
	return empty;
}

struct due_reader *
due_reader_open(const char *path, const struct model *m, struct cs_error *err)
{
	struct due_reader *r = xcalloc(1, sizeof *r);
	r->name = path;
	r->m = m;
	record_init(&r->rec);
	if (empty_file(path))
		return r;
	if (!(r->s = stream_open(path, NULL, err))) {
		due_reader_close(r);
		return NULL;
	}
	r->name = stream_name(r->s);
	if (!is_due_header(stream_header(r->s), &r->households)) {
		cs_error_set(
		    err, r->name, 1,
		    "not a list written by cs-due -c or -j (its header is not %s,%s,%s,...)",
		    due_columns[0], due_columns[1], due_columns[2]);
		due_reader_close(r);
		return NULL;
	}
	r->one.households = r->households;
	return r;
}

static const struct tier *
tier_named(const struct model *m, const char *name)
{
	for (size_t i = 0; i < m->ntiers; i++)
		if (strcmp(m->tiers[i].name, name) == 0)
			return &m->tiers[i];
	return NULL;
}

static const struct touch *
touch_named(const struct tier *t, const char *name)
{
	for (size_t i = 0; i < t->ntouches; i++)
		if (strcmp(t->touches[i].name, name) == 0)
			return &t->touches[i];
	return NULL;
}

/* The row's item into r->one, against the model.  Returns 0, or -1 with err filled. */
static int
read_item(struct due_reader *r, struct cs_error *err)
{
	const struct record *rec = &r->rec;
	const char *v[DUE_NCOLUMNS];
	for (size_t i = 0; i < DUE_NCOLUMNS; i++)
		v[i] = i < rec->n && (i < DUE_NCOLUMNS - 1 || r->households)
		           ? record_get(rec, i, NULL)
		           : "";
	struct due_list *l = &r->one;
	const struct tier *tier = tier_named(r->m, v[COL_TIER]);
	if (!tier)
		return cs_error_set(err, r->name, rec->row,
		                    "tier \"%s\" is not in the model (merge with the model the "
		                    "lists were made with)",
		                    v[COL_TIER]);
	const struct touch *touch = touch_named(tier, v[COL_TOUCH]);
	if (!touch)
		return cs_error_set(
		    err, r->name, rec->row,
		    "tier %s of the model has no touch \"%s\" (merge with the model "
		    "the lists were made with)",
		    tier->name, v[COL_TOUCH]);
	const char *channel = strcmp(v[COL_CHANNEL], touch->channel) == 0 ? touch->channel
	                      : touch->fallback && strcmp(v[COL_CHANNEL], touch->fallback) == 0
	                          ? touch->fallback
	                          : NULL;
	if (!channel)
		return cs_error_set(err, r->name, rec->row,
		                    "channel \"%s\" is neither the channel of touch \"%s\" nor its "
		                    "fallback",
		                    v[COL_CHANNEL], touch->name);
	struct date due;
	char why[80], again[16];
	if (date_parse(v[COL_DUE], strlen(v[COL_DUE]), DATE_ORDER_YMD, 0, &due, why, sizeof why) <
	        0 ||
	    due.year == 0 || strcmp(date_format(due, again), v[COL_DUE]) != 0)
		return cs_error_set(err, r->name, rec->row, "due \"%s\" is not a YYYY-MM-DD date",
		                    v[COL_DUE]);
	char *end;
	errno = 0;
	long overdue = strtol(v[COL_OVERDUE_DAYS], &end, 10);
	if (errno || end == v[COL_OVERDUE_DAYS] || *end)
		return cs_error_set(err, r->name, rec->row, "overdue_days \"%s\" is not a number",
		                    v[COL_OVERDUE_DAYS]);
	size_t status = 0;
	while (status < 4 && strcmp(cadence_status_names[status], v[COL_STATUS]) != 0)
		status++;
	if (status == 4)
		return cs_error_set(err, r->name, rec->row,
		                    "status \"%s\" is not upcoming, due, late or overdue",
		                    v[COL_STATUS]);
	l->n = 0;
	buf_reset(&l->strings);
	l->items = xgrow(l->items, &l->cap, 1, sizeof *l->items);
	struct due_item *d = &l->items[l->n++];
	*d = (struct due_item){
	    .tier = tier,
	    .touch = touch,
	    .channel = channel,
	    .due_days = (int32_t)date_to_days(due),
	    .due_ymd = due_ymd(due),
	    .overdue_days = overdue,
	    .status = (enum cadence_status_kind)status,
	    .tier_rank = (uint32_t)(tier - r->m->tiers),
	};
	d->str.owner = keep(&l->strings, v[COL_OWNER]);
	keep_strings(&l->strings, v[COL_ID], v[COL_EMAIL], v[COL_PHONE], v[COL_HOUSEHOLD],
	             v[COL_NAME], &d->str);
	resolve(l);
	if (strcmp(d->by, v[COL_BY]) != 0)
		return cs_error_set(err, r->name, rec->row,
		                    "by \"%s\" is neither the touch's \"by\" nor the owner (merge "
		                    "with the model the lists were made with)",
		                    v[COL_BY]);
	return 0;
}

int
due_reader_next(struct due_reader *r, struct cs_error *err)
{
	if (!r->s)
		return 0;
	int got = stream_next(r->s, &r->rec, err);
	if (got != 1)
		return got;
	return read_item(r, err) < 0 ? -1 : 1;
}

const struct due_list *
due_reader_list(const struct due_reader *r)
{
	return &r->one;
}

enum stream_format
due_reader_format(const struct due_reader *r)
{
	return r->s ? stream_format(r->s) : STREAM_AUTO;
}

bool
due_reader_households(const struct due_reader *r)
{
	return r->households;
}

long
due_reader_row(const struct due_reader *r)
{
	return r->rec.row;
}

void
due_reader_close(struct due_reader *r)
{
	if (!r)
		return;
	stream_close(r->s);
	record_free(&r->rec);
	due_list_free(&r->one);
	free(r);
}
