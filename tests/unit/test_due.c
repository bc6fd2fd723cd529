/*
 * test_due.c - unit tests for lib/due.c (the due list: its two sort orders,
 * filters and warnings), the model look-ups cs-due's options use, and
 * lib/ics.c (escaping, UIDs, folding and a whole calendar).
 *
 * A small book is fed to a due list as records made by hand, and each order
 * is compared as one line of "id:touch" words, so a failure shows the whole
 * order at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "due.h"
#include "error.h"
#include "ics.h"
#include "model.h"
#include "unit.h"

static const char model_json[] =
    "{\"tiers\": {\n"
    "  \"A\": {\"touches\": [\n"
    "    {\"touch\": \"call\", \"every\": \"monthly\", \"channel\": \"phone\"},\n"
    "    {\"touch\": \"card\", \"every\": \"yearly\", \"channel\": \"email\", \"by\": "
    "\"assistant\"}]},\n"
    "  \"B\": {\"touches\": [{\"touch\": \"call\", \"every\": \"quarterly\"}]}}}\n";

static const char *const columns[] = {"id",   "name",         "first_name", "last_name", "owner",
                                      "tier", "last_contact", "email",      "phone"};
enum { NCOLUMNS = sizeof columns / sizeof columns[0] };

/*
 * Today is Tuesday 2026-11-24; a monthly call is due a month after
 * last_contact, a quarterly one three months after.
 */
static const char *const book[][NCOLUMNS] = {
    {"1", "Zoe", "", "", "bob", "A", "2026-10-20", "", ""},    /* call 11-20, 4 overdue */
    {"2", "Amy", "", "", "bob", "B", "2026-08-24", "", ""},    /* call 11-24 */
    {"3", "", "Carl", "Ng", "ana", "A", "2026-10-26", "", ""}, /* call 11-26 */
    {"4", "", "", "", "", "A", "2025-11-01", "", ""},          /* call 2025-12-01, card 11-01 */
    {"5", "Amy", "", "", "bob", "A", "2026-10-24", "", ""},    /* call 11-24 */
    {"8", "Amy", "", "", "bob", "a", "2026-10-24", "", ""},    /* tier "a": unknown */
    {"9", " Amy ", "", "", " bob", "A", "2026-10-24", " a@b.c", "555"}, /* trimmed */
    {"10", "Ed", "", "", "bob", "A", "2026-10-27", "", ""},             /* call 11-27 */
    {"13", "Later", "", "", "bob", "A", "2026-11-20", "", ""},          /* 12-20: not listed */
    {"11", "Nobody", "", "", "bob", "", "", "", ""},                    /* no tier */
    {"12", "Bad", "", "", "bob", "B", "20xx-01-01", "", ""},            /* bad date: due today */
};
enum { NBOOK = sizeof book / sizeof book[0] };

static struct date
D(const char *s) {
	struct date d = {0, 0, 0};
	char why[64];
	if (date_parse(s, strlen(s), DATE_ORDER_YMD, 0, &d, why, sizeof why) < 0)
		fprintf(stderr, "bad test date %s: %s\n", s, why);
	return d;
}

/* Warnings, one line each, into a buffer. */
static void
warn_to(void *ctx, const struct cs_error *w)
{
	buf_printf(ctx, "%s: %s\n", w->file, w->msg);
}

/* Read book into l under q; the warnings into warnings (may be NULL). */
static void
collect(struct due_list *l, const struct due_query *q, struct buf *warnings)
{
	struct header *h = header_new();
	for (size_t c = 0; c < NCOLUMNS; c++)
		header_add(h, columns[c]);
	struct cs_error err;
	struct due_book *b = due_book_new(l, q, h, "book.csv", &err);
	CHECK(b != NULL);
	struct record rec = {0};
	for (size_t i = 0; b && i < NBOOK; i++) {
		record_clear(&rec);
		for (size_t c = 0; c < NCOLUMNS; c++)
			record_push(&rec, book[i][c], strlen(book[i][c]));
		rec.row = (long)i + 2;
		due_book_add(b, &rec);
	}
	due_book_end(b, warnings ? warn_to : NULL, warnings);
	record_free(&rec);
	header_free(h);
}

/* The list as "id:touch" words in order; "by" of each group in []. */
static const char *
order(const struct due_list *l)
{
	static char out[512];
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = 0; i < l->n && n < sizeof out; i++) {
		const struct due_item *d = &l->items[i];
		if (i == 0 || strcmp(d->by, l->items[i - 1].by) != 0)
			n += (size_t)snprintf(out + n, sizeof out - n, "%s[%s]", i ? " " : "",
			                      d->by);
		if (n < sizeof out)
			n += (size_t)snprintf(out + n, sizeof out - n, " %s:%s", d->id,
			                      d->touch->name);
	}
	return out;
}

static struct model *
test_model(void)
{
	struct cs_error err = {0};
	struct model *m = model_parse(model_json, strlen(model_json), "m.json", &err);
	if (!m)
		fprintf(stderr, "test model: %ld:%d: %s\n", err.row, err.col, err.msg);
	return m;
}

static struct due_query
query(const struct model *m, struct due_filter f)
{
	struct duration week = {7, DUR_DAYS};
	return (struct due_query){
	    .model = m, .window = cadence_window(D("2026-11-24"), week), .filter = f};
}

static void
test_orders(const struct model *m)
{
	struct due_query q = query(m, (struct due_filter){0});
	struct due_list l = {0};
	struct buf warnings = {0};
	collect(&l, &q, &warnings);
	CHECK_INT(l.n, 9);

	/* Text: by (no one last), then due (overdue first), tier, name, id. */
	due_list_sort(&l, DUE_ORDER_TEXT);
	CHECK_STR(order(&l), "[ana] 3:call [assistant] 4:card [bob] 1:call 5:call 9:call 2:call "
	                     "12:call 10:call [] 4:call");
	/* Streams: by ("" first), then tier, due, name, id. */
	due_list_sort(&l, DUE_ORDER_STREAM);
	CHECK_STR(order(&l), "[] 4:call [ana] 3:call [assistant] 4:card [bob] 1:call 5:call 9:call "
	                     "10:call 2:call 12:call");

	/* A name from its parts, else the id; strings kept once a client, trimmed. */
	const struct due_item *d = &l.items[1];
	CHECK_STR(d->name, "Carl Ng");
	CHECK_STR(due_str(&l, d, DUE_OWNER), "ana");
	CHECK_STR(l.items[0].name, "4");
	CHECK_STR(l.items[0].by, "");
	CHECK_STR(l.items[5].id, "9");
	CHECK_STR(l.items[5].name, "Amy");
	CHECK_STR(l.items[5].by, "bob");
	CHECK_STR(due_str(&l, &l.items[5], DUE_EMAIL), "a@b.c");
	CHECK_STR(due_str(&l, &l.items[5], DUE_PHONE), "555");
	CHECK_INT(l.items[3].overdue_days, 4);
	CHECK_INT(l.items[0].overdue_days, 358);

	CHECK_STR(buf_str(&warnings),
	          "book.csv: 1 client has no tier and no touches (first: row 11; cs-tier sets "
	          "tiers)\n"
	          "book.csv: 1 client has a tier the model does not define and no touches "
	          "(first: row 7, tier \"a\")\n"
	          "book.csv: 1 client has a date that does not parse, taken as missing (first: "
	          "row 12, last_contact \"20xx-01-01\": unknown month \"xx\")\n");
	buf_free(&warnings);

	/* A second book adds to the list. */
	collect(&l, &q, NULL);
	CHECK_INT(l.n, 18);
	due_list_sort(&l, DUE_ORDER_TEXT);
	CHECK_STR(l.items[0].id, "3");
	CHECK_STR(l.items[1].id, "3");
	due_list_free(&l);
	CHECK_INT(l.n, 0);
}

/* The ids listed with filter f, in stream order. */
static const char *
filtered(const struct model *m, struct due_filter f)
{
	struct due_query q = query(m, f);
	struct due_list l = {0};
	collect(&l, &q, NULL);
	due_list_sort(&l, DUE_ORDER_STREAM);
	const char *s = order(&l);
	due_list_free(&l);
	return s;
}

/*
 * A list long enough to be sorted by packed keys (due.c's sortkey): owners
 * with and without names, names that tie and names alike past 16 bytes,
 * two tiers and many due days.  Sorted, every neighbour must be in order,
 * by due_item_cmp (stream) and by the text order's columns, and no item
 * lost.
 */
static void
test_long_orders(const struct model *m)
{
	static const char *const names[] = {
	    "Amy", "Zoe", "", "Alexandrina Montgomery-Smith B", "Alexandrina Montgomery-Smith A",
	    "amy", "Ed"};
	static const char *const owners[] = {"bob", "", "ana", "carl", "Bob"};
	struct due_query q = query(m, (struct due_filter){0});
	struct due_list l = {0};
	struct header *h = header_new();
	for (size_t c = 0; c < NCOLUMNS; c++)
		header_add(h, columns[c]);
	struct cs_error err;
	struct due_book *b = due_book_new(&l, &q, h, "book.csv", &err);
	struct record rec = {0};
	for (int i = 0; b && i < 700; i++) {
		char id[16], lc[32];
		snprintf(id, sizeof id, "%d", (i * 37) % 701);
		snprintf(lc, sizeof lc, "2026-%02d-%02d", 8 + i / 200, 1 + i / 250);
		const char *v[NCOLUMNS] = {
		    id, names[i % 7], "", "", owners[i % 5], i % 3 ? "A" : "B", lc, "", ""};
		record_clear(&rec);
		for (size_t c = 0; c < NCOLUMNS; c++)
			record_push(&rec, v[c], strlen(v[c]));
		rec.row = i + 2;
		due_book_add(b, &rec);
	}
	due_book_end(b, NULL, NULL);
	CHECK(l.n >= 300);
	size_t n = l.n;
	due_list_sort(&l, DUE_ORDER_STREAM);
	CHECK_INT(l.n, n);
	size_t bad = 0;
	for (size_t i = 1; i < l.n; i++)
		bad += due_item_cmp(&l.items[i - 1], &l.items[i]) > 0;
	CHECK_INT(bad, 0);
	due_list_sort(&l, DUE_ORDER_TEXT);
	for (size_t i = 1; i < l.n; i++) {
		const struct due_item *a = &l.items[i - 1], *d = &l.items[i];
		int c = (*a->by == '\0') - (*d->by == '\0');
		if (!c)
			c = strcmp(a->by, d->by);
		if (!c)
			c = (a->due_days > d->due_days) - (a->due_days < d->due_days);
		if (!c)
			c = (a->tier_rank > d->tier_rank) - (a->tier_rank < d->tier_rank);
		if (!c)
			c = strcmp(a->name, d->name);
		if (!c)
			c = strcmp(a->id, d->id);
		if (!c)
			c = strcmp(a->touch->name, d->touch->name);
		bad += c > 0;
	}
	CHECK_INT(bad, 0);
	record_free(&rec);
	header_free(h);
	due_list_free(&l);
}

static void
test_filters(const struct model *m)
{
	const char *bob[] = {"BOB"}, *assistant[] = {"assistant"}, *b[] = {"b"}, *card[] = {"Card"},
	           *two[] = {"ana", "assistant"};
	/*
	 * Today the filter sees the owner as the book has it, while the list
	 * keeps it trimmed: client 9's " bob" is listed under bob, but not
	 * picked by --owner bob.
	 */
	CHECK_STR(filtered(m, (struct due_filter){.owners = bob, .nowners = 1}),
	          "[bob] 1:call 5:call 10:call 2:call 12:call");
	/* The touch's "by", not the client's owner. */
	CHECK_STR(filtered(m, (struct due_filter){.owners = assistant, .nowners = 1}),
	          "[assistant] 4:card");
	CHECK_STR(filtered(m, (struct due_filter){.owners = two, .nowners = 2}),
	          "[ana] 3:call [assistant] 4:card");
	CHECK_STR(filtered(m, (struct due_filter){.tiers = b, .ntiers = 1}),
	          "[bob] 2:call 12:call");
	CHECK_STR(filtered(m, (struct due_filter){.touches = card, .ntouches = 1}),
	          "[assistant] 4:card");
	CHECK_STR(filtered(m, (struct due_filter){.overdue = true}),
	          "[] 4:call [assistant] 4:card [bob] 1:call");
	CHECK_STR(filtered(m, (struct due_filter){.overdue = true, .owners = bob, .nowners = 1}),
	          "[bob] 1:call");
}

static void
test_book_errors(const struct model *m)
{
	struct due_query q = query(m, (struct due_filter){0});
	struct due_list l = {0};
	struct header *h = header_new();
	header_add(h, "name");
	struct cs_error err = {0};
	CHECK(due_book_new(&l, &q, h, "x.csv", &err) == NULL);
	CHECK_STR(err.file, "x.csv");
	CHECK_STR(err.msg, "no \"id\" column (cs-import gives every client one)");
	header_free(h);
	due_book_end(NULL, NULL, NULL);
}

static void
test_model_lookups(const struct model *m)
{
	CHECK(model_has_tier(m, "A"));
	CHECK(model_has_tier(m, "b"));
	CHECK(!model_has_tier(m, "C"));
	const struct touch *t = model_find_touch(m, NULL, "CALL");
	CHECK(t == &m->tiers[0].touches[0]);
	CHECK(model_find_touch(m, "B", "Call") == &m->tiers[1].touches[0]);
	/* A tier without it, or no such tier: the first tier that has it. */
	CHECK(model_find_touch(m, "B", "card") == &m->tiers[0].touches[1]);
	CHECK(model_find_touch(m, "Z", "call") == &m->tiers[0].touches[0]);
	CHECK(model_find_touch(m, NULL, "visit") == NULL);
}

/*
 * The plan: bob has an hour a week and a call takes 20 minutes.  On
 * Tuesday the week holds 4/5 of it, 48 minutes: two calls, A first and the
 * most overdue first; next week three more, tier B last; the sixth call is
 * over capacity.  ana and the owner-less client are not in the team (no
 * limit), and the card has no minutes (costs nothing).
 */
static void
test_plan(void)
{
	static const char json[] =
	    "{\"team\": {\"bob\": {\"hours\": 1}}, \"tiers\": {\n"
	    "  \"A\": {\"touches\": [\n"
	    "    {\"touch\": \"call\", \"every\": \"monthly\", \"minutes\": 20},\n"
	    "    {\"touch\": \"card\", \"every\": \"yearly\", \"by\": \"assistant\"}]},\n"
	    "  \"B\": {\"touches\": [{\"touch\": \"call\", \"every\": \"quarterly\", "
	    "\"minutes\": 20}]}}}\n";
	struct cs_error err = {0};
	struct model *m = model_parse(json, strlen(json), "m.json", &err);
	CHECK(m != NULL);
	if (!m)
		return;
	struct due_query q = query(m, (struct due_filter){0});
	struct due_list l = {0};
	collect(&l, &q, NULL);
	due_list_plan(&l, m, D("2026-11-24"), 2, 5);
	due_list_sort(&l, DUE_ORDER_TEXT);
	CHECK_STR(order(&l), "[ana] 3:call [assistant] 4:card [bob] 1:call 5:call 9:call 2:call "
	                     "10:call 12:call [] 4:call");
	long today = date_to_days(D("2026-11-24")), monday = date_to_days(D("2026-11-30"));
	long want[] = {today, today, today, today, monday, monday, monday, -1, today};
	int weeks[] = {0, 0, 0, 0, 1, 1, 1, 2, 0};
	for (size_t i = 0; i < l.n && i < 9; i++) {
		CHECK_INT(l.items[i].planned, want[i]);
		CHECK_INT(l.items[i].week, weeks[i]);
	}
	long bob = weekplan_person_index(l.plan, "bob");
	CHECK(bob >= 0);
	if (bob >= 0) {
		CHECK_INT(l.plan->weekly[bob], 60);
		CHECK_INT(l.plan->load[bob * 2].capacity, 48);
		CHECK_INT(l.plan->load[bob * 2].used, 40);
		CHECK_INT(l.plan->load[bob * 2 + 1].used, 60);
		CHECK_INT(l.plan->over[bob], 20);
	}
	CHECK_INT(l.plan->weekly[weekplan_person_index(l.plan, "ana")], -1);
	due_list_free(&l);
	CHECK(l.plan == NULL);
	model_free(m);
}

/* ---- iCalendar ------------------------------------------------------------------ */

static const char *
text(const char *s)
{
	static struct buf b;
	buf_reset(&b);
	ics_text(&b, s);
	return buf_str(&b);
}

static const char *
uid(const char *s)
{
	static struct buf b;
	buf_reset(&b);
	ics_uid_part(&b, s);
	return buf_str(&b);
}

static const char *
fold(const char *s)
{
	static struct buf b;
	buf_reset(&b);
	ics_fold(&b, s, strlen(s));
	return buf_str(&b);
}

static const char *
xs(size_t n, const char *tail)
{
	static char s[256];
	memset(s, 'x', n);
	snprintf(s + n, sizeof s - n, "%s", tail);
	return s;
}

static void
test_ics_values(void)
{
	CHECK_STR(text("a,b;c\\d"), "a\\,b\\;c\\\\d");
	CHECK_STR(text("1\n2\r\n3\r4"), "1\\n2\\n3\\n4");
	CHECK_STR(text("tab\there\x01\x7f:ok"), "tab here:ok");
	CHECK_STR(text("caf\xc3\xa9"), "caf\xc3\xa9");
	CHECK_STR(uid("c-1 b/\xc3\xa9.x_~"), "c%2D1%20b%2F%C3%A9.x_~");

	char want[300];
	CHECK_STR(fold(""), "\r\n");
	CHECK_STR(fold(xs(75, "")), strcat(strcpy(want, xs(75, "")), "\r\n"));
	/* 76 octets: 75, then a continuation line of a space and 1. */
	snprintf(want, sizeof want, "%s\r\n x\r\n", xs(75, ""));
	CHECK_STR(fold(xs(76, "")), want);
	/* Continuation lines hold 74 octets after their space. */
	char x74[80];
	snprintf(x74, sizeof x74, "%s", xs(74, ""));
	snprintf(want, sizeof want, "%s\r\n %s\r\n xx\r\n", xs(75, ""), x74);
	CHECK_STR(fold(xs(151, "")), want);
	/* An e-acute across octet 75 goes whole to the next line. */
	snprintf(want, sizeof want, "%s\r\n \xc3\xa9y\r\n", xs(74, ""));
	CHECK_STR(fold(xs(74, "\xc3\xa9y")), want);
	/* Not UTF-8 (continuation octets only): cut at 75 all the same. */
	char bad[80];
	memset(bad, 0x80, 76);
	bad[76] = '\0';
	CHECK_INT(strlen(fold(bad)), 76 + 2 + 1 + 2);
}

static void
test_ics_calendar(void)
{
	char *data = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&data, &size);
	struct ics_writer *w = ics_begin(f, "-//t//t 1//EN", "Touches, all", D("2026-11-24"));
	ics_add_event(w, &(struct ics_event){.uid = "20261130-c1-call@t",
	                                     .date = D("2026-11-30"),
	                                     .summary = "call: Zoe",
	                                     .description = "line; one\nline two",
	                                     .categories = "bob"});
	ics_add_event(w,
	              &(struct ics_event){
	                  .uid = "u2", .date = D("2026-12-31"), .summary = "s", .categories = ""});
	ics_end(w);
	fclose(f);
	CHECK_STR(data, "BEGIN:VCALENDAR\r\n"
	                "VERSION:2.0\r\n"
	                "PRODID:-//t//t 1//EN\r\n"
	                "CALSCALE:GREGORIAN\r\n"
	                "METHOD:PUBLISH\r\n"
	                "X-WR-CALNAME:Touches\\, all\r\n"
	                "BEGIN:VEVENT\r\n"
	                "UID:20261130-c1-call@t\r\n"
	                "DTSTAMP:20261124T000000Z\r\n"
	                "SEQUENCE:20781\r\n"
	                "DTSTART;VALUE=DATE:20261130\r\n"
	                "DTEND;VALUE=DATE:20261201\r\n"
	                "SUMMARY:call: Zoe\r\n"
	                "DESCRIPTION:line\\; one\\nline two\r\n"
	                "CATEGORIES:bob\r\n"
	                "TRANSP:TRANSPARENT\r\n"
	                "END:VEVENT\r\n"
	                "BEGIN:VEVENT\r\n"
	                "UID:u2\r\n"
	                "DTSTAMP:20261124T000000Z\r\n"
	                "SEQUENCE:20781\r\n"
	                "DTSTART;VALUE=DATE:20261231\r\n"
	                "DTEND;VALUE=DATE:20270101\r\n"
	                "SUMMARY:s\r\n"
	                "TRANSP:TRANSPARENT\r\n"
	                "END:VEVENT\r\n"
	                "END:VCALENDAR\r\n");
	free(data);
	/* No event: still a calendar, which a calendar program imports as empty. */
	data = NULL;
	f = open_memstream(&data, &size);
	ics_end(ics_begin(f, "-//t//t 1//EN", "T", D("2026-11-24")));
	fclose(f);
	CHECK_STR(data, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t 1//EN\r\n"
	                "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:T\r\n"
	                "END:VCALENDAR\r\n");
	free(data);
}

int
main(void)
{
	struct model *m = test_model();
	if (!m)
		return 1;
	test_orders(m);
	test_long_orders(m);
	test_filters(m);
	test_book_errors(m);
	test_model_lookups(m);
	model_free(m);
	test_plan();
	test_ics_values();
	test_ics_calendar();
	return unit_report("due");
}
