/*
 * test_touchlog.c - the rules a touch must pass before cs-log appends it
 * (touchlog_check_row), and raising a book's last_contact from the log
 * (touchlog_raise_last_contact).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "idtab.h"
#include "shard.h"
#include "touchlog.h"
#include "touchlog_batch.h"
#include "unit.h"

static struct date
ymd(int y, int m, int d)
{
	return (struct date){.year = y, .month = m, .day = d};
}

static void
free_row(struct touchlog_row *r)
{
	for (int j = 0; j < TOUCHLOG_COLUMNS; j++)
		free(r->value[j]);
	free(r->tier);
}

static void
test_check_row(void)
{
	struct touchlog_defaults d = {.today = ymd(2026, 11, 26), .by = "ana"};
	struct touchlog_row r;
	struct cs_error err;
	const char *v[TOUCHLOG_COLUMNS] = {
	    [TOUCHLOG_ID] = " c001\t", [TOUCHLOG_TOUCH] = "call ", [TOUCHLOG_NOTE] = " a note "};
	CHECK_INT(touchlog_check_row(&d, v, &r, &err), 0);
	CHECK_STR(r.value[TOUCHLOG_DATE], "2026-11-26"); /* today */
	CHECK_STR(r.value[TOUCHLOG_ID], "c001");
	CHECK_STR(r.value[TOUCHLOG_TOUCH], "call");
	CHECK(r.value[TOUCHLOG_CHANNEL] == NULL); /* for the model to give */
	CHECK_STR(r.value[TOUCHLOG_BY], "ana");
	CHECK_STR(r.value[TOUCHLOG_NOTE], " a note "); /* as given */
	free_row(&r);

	v[TOUCHLOG_DATE] = "Nov 2, 2026";
	v[TOUCHLOG_CHANNEL] = " phone ";
	CHECK_INT(touchlog_check_row(&d, v, &r, &err), 0);
	CHECK_STR(r.value[TOUCHLOG_DATE], "2026-11-02");
	CHECK_STR(r.value[TOUCHLOG_CHANNEL], "phone");
	free_row(&r);

	v[TOUCHLOG_DATE] = "2026-11-27";
	CHECK_INT(touchlog_check_row(&d, v, &r, &err), -1);
	CHECK_STR(err.msg,
	          "date 2026-11-27 is after today (2026-11-26): the log records touches done");
	CHECK(err.file == NULL && err.row == 0);
	v[TOUCHLOG_DATE] = "Nov 2";
	CHECK_INT(touchlog_check_row(&d, v, &r, &err), -1);
	CHECK_STR(err.msg, "date \"Nov 2\" has no year");
	v[TOUCHLOG_DATE] = "2026-02-30";
	CHECK_INT(touchlog_check_row(&d, v, &r, &err), -1);
	CHECK(strncmp(err.msg, "date \"2026-02-30\" is not a date (", 33) == 0);
	v[TOUCHLOG_DATE] = NULL;
	v[TOUCHLOG_TOUCH] = " ";
	CHECK_INT(touchlog_check_row(&d, v, &r, &err), -1);
	CHECK_STR(err.msg, "c001: no touch");
	v[TOUCHLOG_ID] = "";
	CHECK_INT(touchlog_check_row(&d, v, &r, &err), -1);
	CHECK_STR(err.msg, "no client id");
	v[TOUCHLOG_ID] = "c001";
	v[TOUCHLOG_TOUCH] = "call";
	v[TOUCHLOG_BY] = "\xff";
	CHECK_INT(touchlog_check_row(&d, v, &r, &err), -1);
	CHECK_STR(err.msg, "the by: byte 1 (0xff) is not UTF-8: give the text in UTF-8");
	for (int j = 0; j < TOUCHLOG_COLUMNS; j++)
		CHECK(r.value[j] == NULL); /* nothing to free after a refusal */
	v[TOUCHLOG_BY] = NULL;

	/* Control characters: refused in every column, a note's line feeds aside. */
	v[TOUCHLOG_NOTE] = "two\nlines";
	CHECK_INT(touchlog_check_row(&d, v, &r, &err), 0);
	CHECK_STR(r.value[TOUCHLOG_NOTE], "two\nlines");
	free_row(&r);
	v[TOUCHLOG_NOTE] = "left \033[31mred";
	CHECK_INT(touchlog_check_row(&d, v, &r, &err), -1);
	CHECK_STR(err.msg, "the note: byte 6 is a control character (U+001B): it would be "
	                   "stored and shown again; leave it out");
	v[TOUCHLOG_NOTE] = "a\ttab";
	CHECK_INT(touchlog_check_row(&d, v, &r, &err), -1);
	CHECK_STR(err.msg, "the note: byte 2 is a control character (U+0009): it would be "
	                   "stored and shown again; leave it out");
	v[TOUCHLOG_NOTE] = NULL;
	v[TOUCHLOG_CHANNEL] = "ph\302\233one"; /* C1: U+009B */
	CHECK_INT(touchlog_check_row(&d, v, &r, &err), -1);
	CHECK_STR(err.msg, "the channel: byte 3 is a control character (U+009B): it would be "
	                   "stored and shown again; leave it out");
	v[TOUCHLOG_CHANNEL] = NULL;
	v[TOUCHLOG_BY] = "two\nlines";
	CHECK_INT(touchlog_check_row(&d, v, &r, &err), -1);
	CHECK_STR(err.msg, "the by: byte 4 is a control character (U+000A): it would be "
	                   "stored and shown again; leave it out");
	v[TOUCHLOG_BY] = " \tana\t"; /* trimmed: the tabs around it are not kept */
	CHECK_INT(touchlog_check_row(&d, v, &r, &err), 0);
	CHECK_STR(r.value[TOUCHLOG_BY], "ana");
	free_row(&r);
	v[TOUCHLOG_BY] = NULL;
	v[TOUCHLOG_ID] = "c0\0331";
	CHECK_INT(touchlog_check_row(&d, v, &r, &err), -1);
	CHECK_STR(err.msg, "the id: byte 3 is a control character (U+001B): it would be "
	                   "stored and shown again; leave it out");
	v[TOUCHLOG_ID] = "c001";

	/* Outcomes: the name as the log spells it; until exactly with scheduled and snoozed. */
	CHECK_INT(touchlog_check_row(&d, v, &r, &err), 0);
	CHECK_STR(r.value[TOUCHLOG_OUTCOME], "");
	CHECK_STR(r.value[TOUCHLOG_UNTIL], "");
	free_row(&r);
	v[TOUCHLOG_OUTCOME] = "No-Answer";
	CHECK_INT(touchlog_check_row(&d, v, &r, &err), 0);
	CHECK_STR(r.value[TOUCHLOG_OUTCOME], "no-answer");
	free_row(&r);
	v[TOUCHLOG_OUTCOME] = "scheduled";
	v[TOUCHLOG_UNTIL] = "Dec 2, 2026";
	CHECK_INT(touchlog_check_row(&d, v, &r, &err), 0);
	CHECK_STR(r.value[TOUCHLOG_UNTIL], "2026-12-02");
	free_row(&r);
	v[TOUCHLOG_UNTIL] = "2026-11-26";
	CHECK_INT(touchlog_check_row(&d, v, &r, &err), -1);
	CHECK_STR(err.msg, "until 2026-11-26 is not after the date 2026-11-26");
	v[TOUCHLOG_UNTIL] = NULL;
	CHECK_INT(touchlog_check_row(&d, v, &r, &err), -1);
	CHECK_STR(err.msg, "scheduled needs an until date (--until DATE)");
	v[TOUCHLOG_OUTCOME] = "done";
	v[TOUCHLOG_UNTIL] = "2026-12-02";
	CHECK_INT(touchlog_check_row(&d, v, &r, &err), -1);
	CHECK_STR(err.msg, "until \"2026-12-02\" goes only with a scheduled or snoozed outcome");
	v[TOUCHLOG_OUTCOME] = "maybe";
	CHECK_INT(touchlog_check_row(&d, v, &r, &err), -1);
	CHECK_STR(err.msg,
	          "outcome \"maybe\" is not one of done, no-answer, scheduled, snoozed, declined");
	for (int j = 0; j < TOUCHLOG_COLUMNS; j++)
		CHECK(r.value[j] == NULL);
}

static void
count_warning(void *ctx, const struct cs_error *w)
{
	(void)w;
	++*(int *)ctx;
}

static void
test_raise(void)
{
	struct touchlog *log = touchlog_new();
	touchlog_add(log, "c1", 2, "call", 4, ymd(2026, 3, 1));
	touchlog_add(log, "c1", 2, "visit", 5, ymd(2026, 5, 1));
	touchlog_add(log, "c2", 2, "call", 4, ymd(2026, 1, 1));
	int warnings = 0;
	struct touchlog_raise r = {.log = log, .warn = count_warning, .warn_ctx = &warnings};
	struct header *in = header_new();
	header_add(in, "id");
	struct header *out = touchlog_raise_bind(&r, in);
	CHECK_INT(out->n, 2);
	CHECK_STR(out->names[1], "last_contact");

	struct record rec = {0};
	record_push(&rec, "c1", 2);
	CHECK(touchlog_raise_last_contact(&r, &rec, "book.csv"));
	CHECK_STR(record_get(&rec, 1, NULL), "2026-05-01"); /* the latest touch of any kind */
	record_set_str(&rec, 0, "c2");
	record_set_str(&rec, 1, "2026-02-01");
	CHECK(!touchlog_raise_last_contact(&r, &rec, "book.csv")); /* already later */
	CHECK_STR(record_get(&rec, 1, NULL), "2026-02-01");
	record_set_str(&rec, 1, "soon");
	CHECK(touchlog_raise_last_contact(&r, &rec, "book.csv"));
	CHECK_STR(record_get(&rec, 1, NULL), "2026-01-01");
	CHECK_INT(warnings, 1);
	record_set_str(&rec, 0, "c9");
	record_set_str(&rec, 1, "");
	CHECK(!touchlog_raise_last_contact(&r, &rec, "book.csv")); /* not in the log */
	CHECK_INT(r.raised, 2);
	record_free(&rec);
	header_free(out);
	header_free(in);
	touchlog_free(log);
}

/* cs_warn_fn: keep the last message, count them. */
struct seen_warnings {
	int n;
	char last[512];
};

static void
keep_warning(void *ctx, const struct cs_error *w)
{
	struct seen_warnings *sw = ctx;
	sw->n++;
	snprintf(sw->last, sizeof sw->last, "%s", w->msg);
}

/* Orphans: ids the book never showed (with a shard, only the shard's), and unknown touches. */
static void
test_orphans(void)
{
	struct touchlog *log = touchlog_new();
	const char *ids[] = {"7", "c001", "c002", "c003", "c004", "c005"};
	for (size_t i = 0; i < 6; i++)
		touchlog_add(log, ids[i], strlen(ids[i]), "call", 4, ymd(2026, 11, 1));
	touchlog_add(log, "7", 1, "call", 4, ymd(2026, 11, 2));
	touchlog_see(log, " c001 ", 6);
	struct seen_warnings sw = {0};
	struct touchlog_orphans o = {.name = "log.csv", .check_ids = true};
	touchlog_warn_orphans(log, &o, keep_warning, &sw);
	CHECK_INT(sw.n, 1);
	CHECK_STR(sw.last, "log.csv: 6 rows for 5 client ids the book does not have: 7, c002, "
	                   "c003 and 2 more (removed with cs-remove? give its archive with "
	                   "--archive)");
	/* Clients in the archive are no orphans, and the warning says the archive was asked. */
	struct idtab archived = {0};
	idtab_intern(&archived, "7", 1, NULL);
	idtab_intern(&archived, "c002", 4, NULL);
	o.archived = &archived;
	touchlog_warn_orphans(log, &o, keep_warning, &sw);
	CHECK_INT(sw.n, 2);
	CHECK_STR(sw.last, "log.csv: 3 rows for 3 client ids neither the book nor the archive has: "
	                   "c003, c004, c005");
	o.archived = NULL;
	idtab_free(&archived);
	/* Shard 0 of 2: only the unseen ids of that shard are orphans. */
	size_t expected = 0;
	for (size_t i = 0; i < 6; i++)
		expected += i != 1 && shard_of(ids[i], strlen(ids[i]), 2) == 0;
	o.shard_n = 2;
	sw.n = 0;
	touchlog_warn_orphans(log, &o, keep_warning, &sw);
	CHECK_INT(sw.n, expected ? 1 : 0);
	/* Shards by another field: which ids the shard has is unknown, so no id check. */
	o.shard_by = "household";
	sw.n = 0;
	touchlog_warn_orphans(log, &o, keep_warning, &sw);
	CHECK_INT(sw.n, 0);
	/* Every id seen: nothing to say. */
	for (size_t i = 0; i < 6; i++)
		touchlog_see(log, ids[i], strlen(ids[i]));
	o = (struct touchlog_orphans){.check_ids = true};
	sw.n = 0;
	touchlog_warn_orphans(log, &o, keep_warning, &sw);
	CHECK_INT(sw.n, 0);
	touchlog_free(log);
}

static void
count_entry(void *ctx, const char *id, size_t id_len, const char *touch, size_t touch_len,
            struct date date, enum touchlog_outcome outcome)
{
	(void)id, (void)id_len, (void)touch, (void)touch_len, (void)date, (void)outcome;
	++*(int *)ctx;
}

static bool
same_state(const struct touchlog_state *a, const struct touchlog_state *b)
{
	return a->done == b->done && date_cmp(a->last_done, b->last_done) == 0 &&
	       a->declined == b->declined && a->deferred == b->deferred &&
	       (!a->deferred ||
	        (a->defer == b->defer && date_cmp(a->defer_date, b->defer_date) == 0 &&
	         date_cmp(a->until, b->until) == 0));
}

/*
 * A log of several hundred rows is read in batches (touchlog.c): the index
 * must be the one touchlog_add_entry gives row by row - the same handles
 * (first appearance), the latest of each kind with a later row of the
 * same day winning across a batch's end - and bad rows warned about.
 */
static void
test_read_batches(void)
{
	static const char *const touches[] = {"call", "Visit", "visit", "review"};
	static const char *const outcomes[] = {"", "declined", "no-answer", "scheduled", "done"};
	struct touchlog *ref = touchlog_new();
	struct buf text = {0};
	buf_puts(&text, TOUCHLOG_HEADER "\n");
	int bad = 0;
	for (int i = 0; i < 700; i++) {
		char id[16], date[32];
		/* A pair comes again every 92 rows, on the same day for 200: the later row wins. */
		snprintf(id, sizeof id, "c%d", i % 23);
		int day = 1 + (i * 13 / 200) % 28;
		snprintf(date, sizeof date, "2026-%02d-%02d", 1 + i / 400, day);
		const char *touch = touches[(i / 23) % 4], *outcome = outcomes[(i / 7) % 5];
		bool scheduled = strcmp(outcome, "scheduled") == 0;
		if (i % 97 == 5) {
			buf_printf(&text, "%s,,call,,,,,\n", date); /* no id */
			bad++;
			continue;
		}
		if (i % 89 == 7) {
			buf_printf(&text, "2026-13-01,%s,call,,,,,\n", id); /* no such date */
			bad++;
			continue;
		}
		buf_printf(&text, "%s, %s ,%s,phone,ana,,%s,%s\n", date, id, touch, outcome,
		           scheduled ? "2026-12-01" : "");
		enum touchlog_outcome o;
		touchlog_outcome_parse(outcome, strlen(outcome), &o);
		touchlog_add_entry(ref, id, strlen(id), touch, strlen(touch),
		                   ymd(2026, 1 + i / 400, day), o,
		                   scheduled ? ymd(2026, 12, 1) : (struct date){0, 0, 0});
	}
	char path[256];
	unit_tmp_template(path, sizeof path, "test_touchlog");
	unit_write_temp(path, buf_str(&text));
	struct touchlog *log = touchlog_new();
	int warnings = 0, entries = 0;
	struct stream_options so = {.warn = count_warning, .warn_ctx = &warnings};
	struct cs_error err;
	CHECK_INT(touchlog_read_each(log, path, &so, count_entry, &entries, &err), 0);
	CHECK_INT(warnings, bad);
	CHECK_INT(entries, 700 - bad);
	CHECK_INT(touchlog_rows(log), touchlog_rows(ref));
	CHECK_INT(touchlog_clients(log), touchlog_clients(ref));
	CHECK_INT(touchlog_pairs(log), touchlog_pairs(ref));
	int differ = 0;
	for (int c = 0; c < 25; c++) {
		char id[16];
		snprintf(id, sizeof id, "c%d", c);
		long a = touchlog_client(log, id), b = touchlog_client(ref, id);
		differ += a != b;
		struct date da = {0, 0, 0}, db = {0, 0, 0};
		differ += touchlog_client_any(log, a, &da) != touchlog_client_any(ref, b, &db) ||
		          date_cmp(da, db) != 0;
		for (int t = 0; t < 4; t++) {
			struct touchlog_state sa, sb;
			differ += touchlog_client_state(log, a, touches[t], &sa) !=
			          touchlog_client_state(ref, b, touches[t], &sb);
			differ += !same_state(&sa, &sb);
		}
	}
	CHECK_INT(differ, 0);
	unlink(path);
	buf_free(&text);
	touchlog_free(log);
	touchlog_free(ref);
}

int
main(void)
{
	test_orphans();
	test_check_row();
	test_raise();
	test_read_batches();
	return unit_report("touchlog");
}
