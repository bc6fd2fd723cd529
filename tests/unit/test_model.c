/*
 * test_model.c - unit tests for lib/model.c and its position scanner
 * (lib/model_pos.c).
 *
 * Model errors are compared as text, "LINE:COL: message", so a test shows
 * exactly what a person editing the file would read.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "model.h"
#include "model_pos.h"
#include "unit.h"

/* Parse text[0..len); "ok", or the error as "LINE:COL: message". */
static const char *
load_error_n(const char *text, size_t len)
{
	static char out[700];
	struct cs_error err = {0};
	struct model *m = model_parse(text, len, "m.json", &err);
	if (m) {
		model_free(m);
		return "ok";
	}
	snprintf(out, sizeof out, "%ld:%d: %s", err.row, err.col, err.msg);
	return out;
}

static const char *
load_error(const char *text)
{
	return load_error_n(text, strlen(text));
}

/* True if s starts with prefix; prints s when not.  For messages that end in
 * lib/expr's own words, which are its tests' business. */
static bool
starts(const char *s, const char *prefix)
{
	if (strncmp(s, prefix, strlen(prefix)) == 0)
		return true;
	fprintf(stderr, "\"%s\" does not start with \"%s\"\n", s, prefix);
	return false;
}

/* A minimal valid model with extra top-level members. */
#define TIERS_AB                                                                                   \
	"\"tiers\": {\"A\": {\"touches\": [{\"touch\": \"call\", \"every\": \"monthly\"}]},\n"     \
	"          \"B\": {\"touches\": [{\"touch\": \"call\", \"every\": \"yearly\"}]}}"

static bool
dur_is(struct duration d, long amount, enum duration_unit unit)
{
	return d.amount == amount && d.unit == unit;
}

static void
test_default_model(void)
{
	struct cs_error err = {0};
	struct model *m = model_load_default(&err);
	CHECK(m != NULL);
	if (!m) {
		cs_error_print("test_model", &err, false);
		return;
	}
	CHECK_STR(m->path, MODEL_BUILTIN_NAME);
	CHECK_STR(m->name, "Default service model");
	CHECK_INT(m->ntiers, 3);
	CHECK_STR(m->tiers[0].name, "A");
	CHECK_STR(m->tiers[1].name, "B");
	CHECK_STR(m->tiers[2].name, "C");
	CHECK_STR(m->tiers[0].label, "Prime");
	CHECK_STR(m->tiers[1].label, "Good");
	CHECK_STR(m->tiers[2].label, "Kept");

	const struct tier *a = model_tier(m, "A");
	CHECK(a == &m->tiers[0]);
	CHECK_INT(a->ntouches, 5);
	const struct touch *t = &a->touches[0];
	CHECK_STR(t->name, "call");
	CHECK_INT(t->kind, TOUCH_EVERY);
	CHECK(dur_is(t->every, 1, DUR_MONTHS));
	CHECK_STR(t->channel, "phone");
	CHECK(t->by == NULL);
	CHECK_INT(t->minutes, 20);
	t = &a->touches[1];
	CHECK_STR(t->name, "review meeting");
	CHECK_INT(t->kind, TOUCH_EVERY);
	CHECK(dur_is(t->every, 3, DUR_MONTHS));
	CHECK_STR(t->channel, "meeting");
	CHECK_INT(t->minutes, 90);
	CHECK_INT(t->nsatisfies, 1);
	CHECK_STR(a->touches[t->satisfies[0]].name, "call");
	CHECK(dur_is(a->touches[0].grace, 1, DUR_WEEKS));
	CHECK(dur_is(t->retry, 3, DUR_DAYS));
	CHECK(m->stagger && !m->has_start);
	t = &a->touches[2];
	CHECK_STR(t->name, "birthday greeting");
	CHECK_INT(t->kind, TOUCH_ON);
	CHECK_STR(t->on, "birthday");
	CHECK(dur_is(t->lead, 7, DUR_DAYS));
	CHECK_STR(t->channel, "card");
	CHECK_STR(t->by, "assistant");
	CHECK_INT(t->minutes, 0);
	t = &a->touches[3];
	CHECK_STR(t->name, "housewarming gift");
	CHECK_INT(t->kind, TOUCH_ONCE_AFTER);
	CHECK_STR(t->on, "home_purchase");
	CHECK(dur_is(t->after, 1, DUR_YEARS));
	CHECK(dur_is(t->expires, 90, DUR_DAYS));
	CHECK_STR(t->channel, "gift");
	t = &a->touches[4];
	CHECK_STR(t->name, "new baby gift");
	CHECK_INT(t->kind, TOUCH_ONCE_WITHIN);
	CHECK_STR(t->on, "child_birth");
	CHECK(dur_is(t->within, 60, DUR_DAYS));
	CHECK_STR(t->channel, "gift");
	CHECK(model_touch(a, "new baby gift") == t);
	CHECK(model_touch(a, "nothing") == NULL);

	const struct tier *b = model_tier(m, "B");
	CHECK_INT(b->ntouches, 3);
	CHECK_STR(b->touches[0].name, "call");
	CHECK(dur_is(b->touches[0].every, 3, DUR_MONTHS));
	CHECK_STR(b->touches[0].channel, "phone");
	CHECK_INT(b->touches[0].minutes, 15);
	CHECK_STR(b->touches[1].name, "review meeting");
	CHECK(dur_is(b->touches[1].every, 1, DUR_YEARS));
	CHECK_INT(b->touches[1].minutes, 60);
	CHECK(dur_is(b->touches[0].grace, 2, DUR_WEEKS));
	CHECK_STR(b->touches[2].name, "birthday greeting");
	CHECK_INT(b->touches[2].kind, TOUCH_ON);
	CHECK_STR(b->touches[2].on, "birthday");
	CHECK(dur_is(b->touches[2].lead, 0, DUR_DAYS));
	CHECK_STR(b->touches[2].channel, "email");
	CHECK(b->touches[2].by == NULL);

	const struct tier *c = model_tier(m, "C");
	CHECK_INT(c->ntouches, 1);
	CHECK_STR(c->touches[0].name, "check-in");
	CHECK(dur_is(c->touches[0].every, 1, DUR_YEARS));
	CHECK_STR(c->touches[0].channel, "email");
	CHECK_INT(c->touches[0].minutes, 5);
	CHECK(model_tier(m, "D") == NULL);

	CHECK_INT(m->ntiering, 3);
	CHECK_STR(m->tiering[0].name, "A");
	CHECK_STR(expr_source(m->tiering[0].when), "revenue >= 10000 or referrals >= 3 or coi");
	CHECK_STR(m->tiering[1].name, "B");
	CHECK_STR(expr_source(m->tiering[1].when), "revenue >= 2500 or referrals >= 1");
	CHECK_STR(m->tiering[2].name, "C");
	CHECK(m->tiering[2].when == NULL);
	CHECK_INT(m->nremoval, 2);
	CHECK_STR(m->removal[0].name, "stale prospect");
	CHECK_STR(expr_source(m->removal[0].when),
	          "kind == 'prospect' and days_since(last_contact) > 540");
	CHECK_STR(m->removal[1].name, "unprofitable");
	CHECK_STR(expr_source(m->removal[1].when), "tier == 'C' and revenue < 500 and hours > 10");
	CHECK_INT(m->npartners, 1);
	CHECK_STR(m->partners[0].rule.name, "Partner Planning Group");
	CHECK_STR(m->partners[0].contact, "intake@example.org");
	CHECK_STR(expr_source(m->partners[0].rule.when), "assets < 100000");
	CHECK(m->transition_script != NULL && strstr(m->transition_script, "{partner}"));
	/* The script is placed for messages, escapes counted as the file shows them. */
	CHECK_INT(m->text[m->script_off], '"');
	int line = 1, col = 1;
	for (size_t i = 0; i < m->script_off; i++)
		line += m->text[i] == '\n';
	for (size_t i = m->script_off; i > 0 && m->text[i - 1] != '\n'; i--)
		col++;
	CHECK_INT(m->script_line, line);
	CHECK_INT(m->script_col, col);
	CHECK_INT(model_string_col(m, m->script_off, m->script_col, 0), col + 1);
	if (strncmp(m->transition_script, "Dear {first_name},\n", 19) == 0)
		CHECK_INT(model_string_col(m, m->script_off, m->script_col, 19),
		          col + 1 + (int)strlen("Dear {first_name},\\n"));
	CHECK_INT(m->nscore, 0);

	char list[64];
	CHECK_STR(model_tier_list(m, list, sizeof list), "A, B, C");
	CHECK(touch_per_year(&a->touches[0]) == 12);
	CHECK(touch_per_year(&a->touches[2]) == 1);
	CHECK(touch_per_year(&a->touches[3]) == 0);
	model_free(m);
}

static void
test_syntax_errors(void)
{
	/* Positions and texts from jansson. */
	CHECK_STR(load_error("{\"tiers\": {\n  \"A\": {,}}}"),
	          "2:9: string or '}' expected near ','");
	CHECK_STR(load_error(""), "1:0: '[' or '{' expected near end of file");
	CHECK_STR(load_error("{\"name\": \"x\",\n \"name\": \"y\"}"),
	          "2:7: duplicate object key near '\"name\"'");
	CHECK_STR(load_error("{\"name\": \"x\"} extra"), "1:19: end of file expected near 'extra'");
	CHECK_STR(load_error("{\"name\": \"\xff\"}"), "1:10: unable to decode byte 0xff near '\"'");
	/* A BOM (Windows editors) is skipped: columns count as the editor shows them. */
	CHECK_STR(load_error("\xef\xbb\xbf{\"name\": 3}"),
	          "1:10: the model: \"name\" must be a string");
}

/* Scan text[0..len) for positions; "ok", or the error as "LINE:COL: message". */
static const char *
scan_error(const char *text, size_t len)
{
	static char out[700];
	struct cs_error err = {0};
	struct jpos root = {0};
	int rc = jpos_scan(text, len, &root, &err);
	jpos_free(&root);
	if (rc == 0)
		return "ok";
	CHECK(err.file == NULL);
	snprintf(out, sizeof out, "%ld:%d: %s", err.row, err.col, err.msg);
	return out;
}

#define SCAN_ERROR(lit) scan_error(lit, sizeof lit - 1)

/* n opening brackets, then n closing ones when closed: new. */
static char *
nested(size_t n, bool closed)
{
	char *s = malloc(2 * n + 1);
	memset(s, '[', n);
	memset(s + n, ']', closed ? n : 0);
	s[closed ? 2 * n : n] = '\0';
	return s;
}

/*
 * The scanner runs on what jansson accepts, and jansson 2.14 accepts a NUL
 * byte after a number ("[1\0]" parses as [1]): every path must still stop at
 * the end of the input, with an error, in bounded memory.
 */
static void
test_scanner_ends(void)
{
	CHECK_STR(load_error_n("[1\0]", 4), "1:3: a NUL byte, which JSON text cannot hold");
	static const char minutes_nul[] = "{\"tiers\": {\"A\": {\"touches\": [{\"touch\": \"c\",\n"
	                                  "  \"every\": \"monthly\", \"minutes\": 5\0}]}}}";
	CHECK_STR(load_error_n(minutes_nul, sizeof minutes_nul - 1),
	          "2:35: a NUL byte, which JSON text cannot hold");
	/* Truncated text: jansson refuses it before the scanner runs. */
	const char *truncated[] = {"[1",
	                           "[",
	                           "{",
	                           "[1,",
	                           "{\"a\"",
	                           "{\"a\":",
	                           "{\"a\": 1",
	                           "{\"a\": \"x",
	                           "\"abc",
	                           "[\"\\",
	                           "{\"tiers\": {\"A\": {"};
	for (size_t i = 0; i < sizeof truncated / sizeof *truncated; i++)
		CHECK(strcmp(load_error(truncated[i]), "ok") != 0);
	CHECK(strcmp(load_error_n("[1\0", 3), "ok") != 0);
	CHECK(strcmp(load_error_n("{\"a\":\0}", 7), "ok") != 0);

	/* The scanner alone, on text jansson would refuse. */
	CHECK_STR(SCAN_ERROR("[1\0]"), "1:3: a NUL byte, which JSON text cannot hold");
	CHECK_STR(SCAN_ERROR("[1"), "1:3: the text ends inside an array");
	CHECK_STR(SCAN_ERROR("[1,"), "1:4: the text ends inside an array");
	CHECK_STR(SCAN_ERROR("{\"a\": [1, {\"b\""), "1:15: the text ends inside a value");
	CHECK_STR(SCAN_ERROR("{\"a\":"), "1:6: the text ends inside a value");
	CHECK_STR(SCAN_ERROR("{\"a\": 1"), "1:8: the text ends inside an object");
	CHECK_STR(SCAN_ERROR("{\"a"), "1:4: the text ends inside a string");
	CHECK_STR(SCAN_ERROR("[\"x\\"), "1:5: the text ends inside a string");
	CHECK_STR(SCAN_ERROR("[\"x\\\0\"]"), "1:5: a NUL byte, which JSON text cannot hold");
	CHECK_STR(SCAN_ERROR("{\"a\0\": 1}"), "1:4: a NUL byte, which JSON text cannot hold");
	CHECK_STR(SCAN_ERROR("{\0}"), "1:2: a NUL byte, which JSON text cannot hold");
	CHECK_STR(SCAN_ERROR("[\0]"), "1:2: a NUL byte, which JSON text cannot hold");
	CHECK_STR(SCAN_ERROR("\0"), "1:1: a NUL byte, which JSON text cannot hold");
	CHECK_STR(SCAN_ERROR("[1]\0"), "1:4: a NUL byte, which JSON text cannot hold");
	CHECK_STR(SCAN_ERROR(""), "1:1: the text ends inside a value");
	CHECK_STR(SCAN_ERROR("  \n "), "2:2: the text ends inside a value");
	CHECK_STR(SCAN_ERROR("{1: 2}"), "1:2: a member name (a string) expected");
	CHECK_STR(SCAN_ERROR("[1}"), "1:3: a value expected");
	CHECK_STR(SCAN_ERROR("{\"a\": ]}"), "1:7: a value expected");
	CHECK_STR(SCAN_ERROR("[1] 2"), "1:5: text after the value");
	CHECK_STR(SCAN_ERROR("{\"a\": [1, \"x\"], \"b\": {}}\n"), "ok");

	/* Positions: lines, columns in characters, and the decoded member names. */
	const char text[] = "{\"caf\\u00e9\": [1,\n  \"\xc3\xa9t\xc3\xa9\", true]}";
	struct jpos root = {0};
	CHECK_INT(jpos_scan(text, sizeof text - 1, &root, NULL), 0);
	const struct jpos *k = jpos_member(&root, "caf\xc3\xa9");
	CHECK(k != &root);
	CHECK_INT(k->key_line, 1);
	CHECK_INT(k->key_col, 2);
	CHECK_INT(jpos_item(k, 1)->line, 2);
	CHECK_INT(jpos_item(k, 1)->col, 3);
	CHECK_INT(jpos_item(k, 2)->col, 10);
	CHECK(jpos_item(k, 3) == k);
	CHECK(jpos_member(&root, "cafe") == &root);
	jpos_free(&root);

	/* Deep nesting: as deep as jansson goes, not one level more, and no deep recursion. */
	char *deep = nested(JPOS_MAX_DEPTH, true);
	CHECK_STR(scan_error(deep, strlen(deep)), "ok");
	free(deep);
	deep = nested(JPOS_MAX_DEPTH + 1, true);
	CHECK_STR(scan_error(deep, strlen(deep)), "1:2049: arrays and objects nested too deep");
	free(deep);
	deep = nested(1000000, false);
	CHECK_STR(scan_error(deep, strlen(deep)), "1:2049: arrays and objects nested too deep");
	CHECK(strcmp(load_error(deep), "ok") != 0);
	free(deep);

	/* Columns inside a string stop at its end, however it is cut. */
	CHECK_INT(jpos_string_col("\"ab\"", 0, 1, 9), 4);
	CHECK_INT(jpos_string_col("\"a\\u00e9b\"", 0, 1, 2), 9);
	CHECK_INT(jpos_string_col("\"\\ud83d\\ude00x\"", 0, 1, 1), 14);
	CHECK_INT(jpos_string_col("\"\\ud83d\\ude", 0, 1, 9), 12);
	CHECK_INT(jpos_string_col("\"\\u00", 0, 1, 9), 6);
	CHECK_INT(jpos_string_col("\"\\", 0, 1, 9), 3);
}

static void
test_semantic_errors(void)
{
	CHECK_STR(load_error("[]"), "1:1: the model must be a JSON object {\"tiers\": ...}");
	CHECK_STR(load_error("{}"), "1:1: the model has no \"tiers\": give at least one, such as "
	                            "\"A\": {\"touches\": [...]}");
	CHECK_STR(load_error("{\"tiers\": {}}"),
	          "1:11: \"tiers\" is empty: give at least one tier");
	CHECK_STR(load_error("{\"tiers\": []}"),
	          "1:11: \"tiers\" must be an object of tiers by name");
	CHECK_STR(
	    load_error("{" TIERS_AB ",\n \"colour\": \"red\"}"),
	    "3:2: the model: unknown key \"colour\" (known keys: name, tiers, tiering, removal, "
	    "partners, transition, score, start, stagger, team, retention)");
	CHECK_STR(load_error("{" TIERS_AB ",\n \"tierings\": []}"),
	          "3:2: the model: unknown key \"tierings\" (did you mean \"tiering\"?)");
	CHECK_STR(load_error("{\"name\": 3, " TIERS_AB "}"),
	          "1:10: the model: \"name\" must be a string");

	/* Tiers. */
	CHECK_STR(load_error("{\"tiers\": {\n  \"D\": {\"label\": \"Dormant\"}}}"),
	          "2:3: tier \"D\" has no touches");
	CHECK_STR(load_error("{\"tiers\": {\n  \"D\": {\"touches\": []}}}"),
	          "2:20: tier \"D\" has no touches");
	CHECK_STR(load_error("{\"tiers\": {\"D\": {\"touches\": {}}}}"),
	          "1:29: tier \"D\": \"touches\" must be an array");
	CHECK_STR(load_error("{\"tiers\": {\"D\": []}}"),
	          "1:17: tier \"D\" must be an object with \"touches\"");
	CHECK_STR(load_error("{\"tiers\": {\"top tier\": {\"touches\": []}}}"),
	          "1:12: tier name \"top tier\" may hold only letters, digits, '_', '-' and '+'");
	CHECK_STR(load_error("{\"tiers\": {\"A\": {\"colour\": 1, \"touches\": []}}}"),
	          "1:18: tier \"A\": unknown key \"colour\" (known keys: label, touches)");

	/* Touches. */
#define T(touch) "{\"tiers\": {\"A\": {\"touches\": [\n  " touch "]}}}"
	CHECK_STR(load_error(T("\"call\"")),
	          "2:3: touch 1 of tier \"A\" must be an object such as {\"touch\": \"call\", "
	          "\"every\": \"monthly\"}");
	CHECK_STR(
	    load_error(T("{\"every\": \"monthly\"}")),
	    "2:3: touch 1 of tier \"A\" has no name: give it \"touch\": \"call\" or the like");
	CHECK_STR(
	    load_error(T("{\"touch\": \"call\", \"evry\": \"monthly\"}")),
	    "2:21: touch \"call\" of tier \"A\": unknown key \"evry\" (did you mean \"every\"?)");
	CHECK_STR(
	    load_error(T("{\"touch\": \"call\", \"every\": \"3 weeks\"}")),
	    "2:30: touch \"call\" of tier \"A\": every: \"3 weeks\" is not an interval (write 3w)");
	CHECK_STR(load_error(T("{\"touch\": \"call\", \"every\": \"0d\"}")),
	          "2:30: touch \"call\" of tier \"A\": every: \"0d\" must be longer than nothing");
	CHECK_STR(load_error(T("{\"touch\": \"call\", \"every\": 30}")),
	          "2:30: touch \"call\" of tier \"A\": \"every\" must be a string");
	CHECK_STR(load_error(T("{\"touch\": \"call\"}")),
	          "2:3: touch \"call\" of tier \"A\" needs \"every\" (an interval such as "
	          "\"monthly\") or \"on\" (a date field such as \"birthday\")");
	CHECK_STR(
	    load_error(T("{\"touch\": \"call\", \"every\": \"1y\", \"on\": \"birthday\"}")),
	    "2:42: touch \"call\" of tier \"A\" has both \"every\" and \"on\": a touch recurs at "
	    "an interval or falls on a date, not both");
	CHECK_STR(load_error(T("{\"touch\": \"card\", \"on\": \"\"}")),
	          "2:27: touch \"card\" of tier \"A\": \"on\" names no field");
	CHECK_STR(load_error(T("{\"touch\": \"card\", \"on\": \"revenue\"}")),
	          "2:27: touch \"card\" of tier \"A\": \"on\": revenue is not a date field");
	CHECK_STR(load_error(T("{\"touch\": \"gift\", \"on\": \"x\", \"once\": true}")),
	          "2:40: touch \"gift\" of tier \"A\": a \"once\" touch needs \"after\" (due that "
	          "long after the date) or \"within\" (due from the date until that long after)");
	CHECK_STR(
	    load_error(T("{\"touch\": \"gift\", \"on\": \"x\", \"after\": \"1y\"}")),
	    "2:41: touch \"gift\" of tier \"A\": \"after\" is for a one-off touch: add \"once\": "
	    "true");
	CHECK_STR(
	    load_error(T("{\"touch\": \"gift\", \"on\": \"x\", \"after\": \"1y\", \"within\": "
	                 "\"1y\", \"once\": true}")),
	    "2:57: touch \"gift\" of tier \"A\" has both \"after\" and \"within\": give one");
	CHECK_STR(load_error(T("{\"touch\": \"gift\", \"on\": \"x\", \"once\": 1}")),
	          "2:40: touch \"gift\" of tier \"A\": \"once\" must be true or false");
	CHECK_STR(load_error(T("{\"touch\": \"call\", \"every\": \"1y\", \"once\": true}")),
	          "2:44: touch \"call\" of tier \"A\": \"once\" needs \"on\", not \"every\"");
	CHECK_STR(load_error(T("{\"touch\": \"call\", \"every\": \"1y\", \"after\": \"1y\"}")),
	          "2:45: touch \"call\" of tier \"A\": \"after\" needs \"on\", not \"every\"");
	CHECK_STR(
	    load_error(T("{\"touch\": \"call\", \"every\": \"1y\", \"lead\": \"7d\"}")),
	    "2:44: touch \"call\" of tier \"A\": \"lead\" applies only to yearly \"on\" touches");
	CHECK_STR(
	    load_error(T("{\"touch\": \"g\", \"on\": \"x\", \"within\": \"1y\", \"once\": true, "
	                 "\"expires\": \"9d\"}")),
	    "2:70: touch \"g\" of tier \"A\": \"expires\" applies only to \"once\" touches with "
	    "\"after\"");
	CHECK_STR(
	    load_error(T("{\"touch\": \"call\", \"every\": \"1y\", \"minutes\": -5}")),
	    "2:47: touch \"call\" of tier \"A\": \"minutes\" must be a number of minutes, 0 or "
	    "more");
	CHECK_STR(load_error(T("{\"touch\": \"call\", \"every\": \"1y\"},\n  {\"touch\": \"call\", "
	                       "\"every\": \"1m\"}")),
	          "3:13: tier \"A\" has two touches called \"call\"");
	CHECK_STR(load_error(T("{\"touch\": \"call\", \"every\": \"1y\", \"by\": 7}")),
	          "2:42: touch \"call\" of tier \"A\": \"by\" must be a string");
	/* A non-canonical date column may be named. */
	CHECK_STR(load_error(T("{\"touch\": \"w\", \"on\": \"wedding\", \"lead\": \"2w\"}")), "ok");
#undef T

	/* Rules: expression errors point inside the string. */
#define R(rules) "{" TIERS_AB ",\n \"tiering\": [\n  " rules "]}"
	CHECK_STR(load_error(R("{\"tier\": \"D\"}")),
	          "4:12: tiering rule 1: tier \"D\" is not a tier of this model (A, B)");
	CHECK_STR(load_error(R("{\"when\": \"coi\"}")), "4:3: tiering rule 1 has no \"tier\"");
	CHECK_STR(load_error(R("{\"tier\": \"A\", \"wen\": \"coi\"}")),
	          "4:17: tiering rule 1: unknown key \"wen\" (did you mean \"when\"?)");
	CHECK(starts(load_error(R("{\"tier\": \"A\", \"when\": \"revenue >> 10\"}")),
	             "4:35: tiering rule 1: "));
	CHECK(starts(load_error(R("{\"tier\": \"A\", \"when\": \"(revenue > 1\"}")),
	             "4:38: tiering rule 1: "));
	/* Escapes and multi-byte characters before the error still land on it. */
	CHECK(
	    starts(load_error(R("{\"tier\": \"A\", \"when\": \"name == \\\"\\u00e9\\\" and $\"}")),
	           "4:49: tiering rule 1: "));
	CHECK(starts(load_error(R("{\"tier\": \"A\", \"when\": \"name == 'é' and $\"}")),
	             "4:42: tiering rule 1: "));
	/* A surrogate pair is one character in twelve columns. */
	CHECK(starts(load_error(R("{\"tier\": \"A\", \"when\": \"'\\ud83d\\ude00' == $\"}")),
	             "4:44: tiering rule 1: "));
	CHECK_STR(
	    load_error(R("{\"tier\": \"A\"},\n  {\"tier\": \"B\", \"when\": \"coi\"}")),
	    "5:3: tiering rule 2 can never match: rule 1 has no \"when\" and matches everything");
	CHECK_STR(load_error(R("7")),
	          "4:3: tiering rule 1 must be an object such as {\"tier\": \"A\", \"when\": "
	          "\"revenue >= 10000\"}");
	CHECK_STR(load_error("{" TIERS_AB ", \"tiering\": {}}"),
	          "2:81: \"tiering\" must be an array of rules");
#undef R
	CHECK_STR(load_error("{" TIERS_AB ",\n \"removal\": [{\"reason\": \"old\"}]}"),
	          "3:14: removal rule 1 has no \"when\": it would remove everyone");
	CHECK_STR(load_error("{" TIERS_AB ",\n \"removal\": [{\"when\": \"coi\"}]}"),
	          "3:14: removal rule 1 has no \"reason\"");
	CHECK_STR(load_error("{" TIERS_AB ",\n \"partners\": [{\"contact\": \"x\"}]}"),
	          "3:15: partner 1 has no \"name\"");
	CHECK(starts(
	    load_error("{" TIERS_AB ",\n \"partners\": [{\"name\": \"P\", \"when\": \"a <\"}]}"),
	    "3:41: partner 1: "));
	CHECK_STR(load_error("{" TIERS_AB ",\n \"transition\": {\"script\": 1}}"),
	          "3:27: transition: \"script\" must be a string");
	CHECK_STR(load_error("{" TIERS_AB ",\n \"transition\": {\"text\": \"x\"}}"),
	          "3:17: transition: unknown key \"text\" (known keys: script)");
	CHECK_STR(load_error("{" TIERS_AB ",\n \"score\": {\"revenue\": \"high\"}}"),
	          "3:23: score: the weight of revenue must be a number");
	CHECK_STR(load_error("{" TIERS_AB ",\n \"score\": {}}"),
	          "3:11: \"score\" must be an object of weights by field, such as {\"revenue\": "
	          "0.001, \"referrals\": 5}");
}

/* A record from a comma-separated line, for the header h. */
static void
fill(struct record *r, const char *line)
{
	record_clear(r);
	const char *p = line;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		record_push(r, p, n);
		if (!comma)
			break;
		p = comma + 1;
	}
}

static struct header *
make_header(const char *names)
{
	struct header *h = header_new();
	struct record r;
	record_init(&r);
	fill(&r, names);
	for (size_t i = 0; i < r.n; i++)
		header_add(h, record_get(&r, i, NULL));
	record_free(&r);
	return h;
}

static void
test_team_and_retention(void)
{
	static const char text[] = "{" TIERS_AB ",\n"
	                           " \"team\": {\"Sam\": {\"hours\": 12.5}, \"Ann\": {\"hours\": 20, \"email\": \"ann@x.org\"}},\n"
	                           " \"retention\": {\"archive\": \"6y\", \"log\": \"18m\"}}";
	struct cs_error err = {0};
	struct model *m = model_parse(text, sizeof text - 1, "m.json", &err);
	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_INT(m->nteam, 2);
	CHECK_STR(m->team[0].name, "Ann"); /* sorted by name */
	CHECK(m->team[1].hours == 12.5);
	CHECK_INT(m->team[1].line, 3);
	CHECK(model_team_member(m, "Sam") == &m->team[1]);
	CHECK(model_team_member(m, "sam") == NULL);
	CHECK_STR(m->team[0].email, "ann@x.org");
	CHECK(m->team[1].email == NULL);
	CHECK(dur_is(m->retain_archive, 6, DUR_YEARS));
	CHECK(dur_is(m->retain_log, 18, DUR_MONTHS));
	model_free(m);

	CHECK_STR(load_error("{" TIERS_AB ",\n \"team\": []}"),
	          "3:10: \"team\" must be an object of people, such as {\"Ann\": {\"hours\": 20}}");
	CHECK_STR(load_error("{" TIERS_AB ",\n \"team\": {\"Ann\": {}}}"),
	          "3:18: team member \"Ann\" has no \"hours\" (hours a week for touches)");
	CHECK_STR(load_error("{" TIERS_AB ",\n \"team\": {\"Ann\": {\"hours\": -1}}}"),
	          "3:28: team member \"Ann\": \"hours\" must be between 0 and 168 (a week)");
	CHECK_STR(load_error("{" TIERS_AB ",\n \"team\": {\"Ann\": {\"hour\": 1}}}"),
	          "3:19: team member \"Ann\": unknown key \"hour\" (did you mean \"hours\"?)");
	CHECK_STR(load_error("{" TIERS_AB ",\n \"team\": {\"Ann\": {\"hours\": 1, \"email\": \"ann, bob@x\"}}}"),
	          "3:40: team member \"Ann\": \"email\": \"ann, bob@x\" is not one e-mail address");
	CHECK_STR(load_error("{" TIERS_AB ",\n \"retention\": {\"archive\": \"0d\"}}"),
	          "3:27: retention: archive: \"0d\" must be longer than nothing");
	CHECK_STR(load_error("{" TIERS_AB ",\n \"retention\": {\"book\": \"1y\"}}"),
	          "3:16: retention: unknown key \"book\" (known keys: archive, log)");
}

static void
test_bind_and_match(void)
{
	struct cs_error err = {0};
	struct model *m = model_load_default(&err);
	struct header *h = make_header("id,revenue,referrals,coi,tier");
	CHECK_INT(model_bind(m, h, MODEL_BIND_ALL, &err), 0);
	struct expr_env env = {.today = {2026, 11, 26}};
	struct record r;
	record_init(&r);
	fill(&r, "1,12000,0,,");
	CHECK_STR(model_match_tier(m, &r, &env)->name, "A");
	fill(&r, "2,100,0,yes,");
	CHECK_STR(model_match_tier(m, &r, &env)->name, "A");
	fill(&r, "3,2500,,,");
	CHECK_STR(model_match_tier(m, &r, &env)->name, "B");
	fill(&r, "4,,,,");
	CHECK(model_match_tier(m, &r, &env) == &m->tiering[2]);
	CHECK(model_match_removal(m, &r, &env) == NULL);
	CHECK(model_match_partner(m, &r, &env) == NULL);

	/* A rule naming a column the stream lacks: placed in the file. */
	const char *text = "{" TIERS_AB ",\n \"tiering\": [{\"tier\": \"A\", \"when\": \"coi or "
	                   "[Annual Fees] > 10\"}]}";
	struct model *m2 = model_parse(text, strlen(text), "m.json", &err);
	CHECK(m2 != NULL);
	if (m2) {
		CHECK_INT(model_bind(m2, h, MODEL_BIND_REMOVAL, &err), 0);
		CHECK_INT(model_bind(m2, h, MODEL_BIND_TIERING, &err), -1);
		CHECK_STR(err.file, "m.json");
		CHECK_INT(err.row, 3);
		CHECK_INT(err.col, 44);
		CHECK(strstr(err.msg, "tiering rule 1: ") == err.msg);
		CHECK(strstr(err.msg, "Annual Fees") != NULL);
		model_free(m2);
	}

	/* --rule replaces the model's rules. */
	const char *specs[] = {"A: revenue > 20000", " B :referrals >= 1", "C"};
	CHECK_INT(model_set_tiering(m, specs, 3, &err), 0);
	CHECK_INT(m->ntiering, 3);
	CHECK_STR(m->tiering[1].name, "B");
	CHECK_STR(expr_source(m->tiering[1].when), "referrals >= 1");
	CHECK(m->tiering[2].when == NULL);
	CHECK_INT(model_bind(m, h, MODEL_BIND_TIERING, &err), 0);
	fill(&r, "1,12000,0,,");
	CHECK_STR(model_match_tier(m, &r, &env)->name, "C");
	fill(&r, "1,12000,2,,");
	CHECK_STR(model_match_tier(m, &r, &env)->name, "B");

	const char *bad_tier[] = {"D: coi"};
	CHECK_INT(model_set_tiering(m, bad_tier, 1, &err), -1);
	CHECK_STR(err.msg, "--rule \"D: coi\": tier \"D\" is not a tier of the model (A, B, C)");
	const char *no_tier[] = {": coi"};
	CHECK_INT(model_set_tiering(m, no_tier, 1, &err), -1);
	CHECK_STR(err.msg, "--rule \": coi\": no tier before ':' (write TIER: EXPRESSION, such as "
	                   "'A: revenue > 20000')");
	const char *bad_expr[] = {"A: revenue >"};
	CHECK_INT(model_set_tiering(m, bad_expr, 1, &err), -1);
	CHECK(starts(err.msg, "--rule \"A: revenue >\": column 13: "));
	const char *unreachable[] = {"A", "B: coi"};
	CHECK_INT(model_set_tiering(m, unreachable, 2, &err), -1);
	CHECK_STR(err.msg, "--rule \"B: coi\" can never match: --rule \"A\" before it matches "
	                   "everything");
	/* A failed replacement leaves the rules as they were. */
	CHECK_INT(m->ntiering, 3);
	const char *unknown[] = {"A: revenu > 1"};
	CHECK_INT(model_set_tiering(m, unknown, 1, &err), 0);
	CHECK_INT(model_bind(m, h, MODEL_BIND_TIERING, &err), -1);
	CHECK(err.file == NULL);
	CHECK(strstr(err.msg, "--rule \"A: revenu > 1\": column 4: ") == err.msg);

	record_free(&r);
	header_free(h);
	model_free(m);
}

static void
test_score(void)
{
	const char *text = "{" TIERS_AB ",\n \"score\": {\"revenue\": 0.001, \"referrals\": 5, "
	                   "\"coi\": 20, \"vip\": 2.5, \"assets\": 1}}";
	struct cs_error err = {0};
	struct model *m = model_parse(text, strlen(text), "m.json", &err);
	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_INT(m->nscore, 5);
	struct header *h = make_header("revenue,referrals,coi");
	CHECK_INT(model_bind(m, h, MODEL_BIND_SCORE, &err), -1);
	CHECK_STR(err.msg, "score: unknown field \"vip\"");
	CHECK_INT(err.row, 3);
	CHECK_INT(err.col, 57);
	header_free(h);
	h = make_header("revenue,referrals,coi,vip");
	CHECK_INT(model_bind(m, h, MODEL_BIND_SCORE, &err), 0);
	struct record r;
	record_init(&r);
	fill(&r, "12500,2,yes,x");
	CHECK(model_score(m, &r) == 12.5 + 10 + 20 + 2.5);
	fill(&r, "402.35,,no,");
	CHECK(model_score(m, &r) == 0.4);
	fill(&r, "n/a,1,maybe,0");
	CHECK(model_score(m, &r) == 5);
	fill(&r, "-1000,0,,");
	CHECK(model_score(m, &r) == -1);
	record_free(&r);
	header_free(h);
	model_free(m);
}

static void
test_files(void)
{
	char dir[200];
	unit_tmp_template(dir, sizeof dir, "test_model");
	if (!mkdtemp(dir)) {
		CHECK(0);
		return;
	}
	char path[256], other[256];
	snprintf(path, sizeof path, "%s/model.json", dir);
	snprintf(other, sizeof other, "%s/other.json", dir);
	FILE *f = fopen(path, "w");
	fputs("{\"name\": \"mine\",\n " TIERS_AB "}\n", f);
	fclose(f);

	struct cs_error err = {0};
	struct model *m = model_load(path, &err);
	CHECK(m && strcmp(m->name, "mine") == 0);
	model_free(m);
	CHECK(model_load(other, &err) == NULL);
	CHECK_STR(err.file, other);
	CHECK_STR(err.msg, "cannot open the model: No such file or directory");

	/* -m, then $CS_MODEL, then the built-in model. */
	setenv("CS_MODEL", path, 1);
	m = model_open(NULL, &err);
	CHECK(m && strcmp(m->name, "mine") == 0);
	model_free(m);
	setenv("CS_MODEL", "", 1);
	m = model_open(NULL, &err);
	CHECK(m && strcmp(m->path, MODEL_BUILTIN_NAME) == 0);
	model_free(m);
	m = model_open(path, &err);
	CHECK(m && strcmp(m->path, path) == 0);
	model_free(m);

	/* The 4-byte file "[1\0]" once made the position scanner loop for ever. */
	f = fopen(path, "wb");
	fwrite("[1\0]", 1, 4, f);
	fclose(f);
	CHECK(model_load(path, &err) == NULL);
	CHECK_STR(err.file, path);
	CHECK_INT(err.row, 1);
	CHECK_INT(err.col, 3);
	CHECK_STR(err.msg, "a NUL byte, which JSON text cannot hold");
	f = fopen(path, "wb");
	fwrite("[1", 1, 2, f);
	fclose(f);
	CHECK(model_load(path, &err) == NULL);
	CHECK_STR(err.file, path);

	unlink(path);
	unlink(other);
	CHECK(rmdir(dir) == 0); /* nothing left behind */
}

static void
test_summary(void)
{
	struct cs_error err = {0};
	struct model *m = model_load_default(&err);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	model_summary(f, m);
	fclose(f);
	CHECK(strstr(text, "tier A (Prime): 13 touches a year + 2 one-off, 520 minutes (8.7 hours) a "
	                   "year per client\n") != NULL);
	CHECK(strstr(text, "tier B (Good): 5 touches a year, 105 minutes (1.8 hours) a year per client\n") !=
	      NULL);
	CHECK(strstr(text, "tier C (Kept): 1 touch a year, 5 minutes (0.1 hours) a year per client\n") != NULL);
	CHECK(strstr(text, "  3. C: always\n") != NULL);
	free(text);
	model_free(m);
}

int
main(void)
{
	test_default_model();
	/* A scanner that never ends would hang the test run: fail instead. */
	alarm(60);
	test_syntax_errors();
	test_scanner_ends();
	test_semantic_errors();
	test_team_and_retention();
	test_bind_and_match();
	test_score();
	test_files();
	test_summary();
	return unit_report("model");
}
