/*
 * expr.h - the expression language of DESIGN section 5.
 *
 *   revenue >= 10000 or (referrals >= 3 and not coi)
 *   kind == 'prospect' and last_contact < today() - 18m
 *   owner in ['ana', 'ben'] and name =~ 'smith'
 *   [Annual Fees] > 5000
 *
 * An expression is parsed once into a small tree (expr_parse), bound to a
 * stream's header (expr_bind: field names become column indices), and then
 * evaluated per record (expr_eval) without allocating.
 *
 * Values are null, number, string, date, duration and bool.
 *
 * Literals: 10000, 2.5; 'text' or "text" (a backslash escapes the quote and
 * itself; any other backslash is kept); durations 7d 2w 18m 1y (a whole
 * number and the unit, no space); true, false, null.  Keywords (and or not
 * in true false null) are lower case.  A name [A-Za-z_][A-Za-z0-9_]* is a
 * field unless it is a keyword or is followed by '('; [Any Column Name] is a
 * field with any name (']' ends it, spaces inside are part of the name).  A
 * list ['a', 'b'] (literals only) may follow `in` and nothing else.
 *
 * Precedence, lowest first: or; and; not; == != < <= > >= =~ in (these do
 * not chain: a < b < c is an error); + -; * /; unary -.
 *
 * Typing.  A field evaluates to its text (so expr_eval of a bare field gives
 * back the digits it read); the operator that needs more reads it:
 *  - a canonical field by its type (schema_type): revenue, assets, hours,
 *    referrals as numbers, since, last_contact, birthday... as dates, coi and
 *    tier_locked as booleans (true/yes/y/1/x, false/no/n/0);
 *  - any other string by the other operand: with a number as a number (the
 *    whole value, spaces around ignored: "5,000" is not a number), with a
 *    date as a date (date_parse, YMD order), with a bool as a boolean; in
 *    arithmetic with neither, as a number if it reads as one, else a date;
 *  - two strings neither of which is a literal (two custom columns, a
 *    column and lower(...)) compare as numbers when both hold a number in
 *    the book's canonical form (DESIGN section 3: "1200", "-3.5", spaces
 *    and tabs around dropped; not "1,200", "1200.50", "007" or "1e3", which
 *    are text someone typed and stay text), as dates when both are ISO dates
 *    ("2026-03-01", "--03-15"; one with a year and one without do not
 *    compare); so [Fee A] > [Fee B] is true for 1200 and 900.
 *  - other strings compare as bytes: == is exact and case-sensitive
 *    (tier == 'a' does not match "A": use lower(tier) == 'a'); < and >
 *    order bytewise.  A string literal is text: [Fee A] > '900' compares
 *    text, [Fee A] > 900 numbers.
 *  - where a condition is expected (and, or, not, expr_test) a value is true
 *    when it is bool true, a non-zero number, a date or duration, or a
 *    string that reads as a true boolean (or, for a numeric canonical field,
 *    as a non-zero number).
 *
 * Null.  An empty field (or one of only spaces and tabs) is null, and so is
 * a canonical field the stream lacks.  A value an operator cannot read is
 * null.  Any comparison involving null is false, == and != alike ('' is a
 * string, but an empty field is null, so x == '' is never true); comparing
 * with the literal null is a parse error pointing to empty(x).  `not X` is
 * true when X is false or null (it negates the condition reading, so
 * not (revenue > 5) is true when revenue is empty).  Arithmetic with null,
 * and any operation on types it does not apply to, gives null.
 *
 * Arithmetic: numbers + - * / (x / 0 is null); date +- duration is a date
 * (months and years clamp: 2026-03-31 - 1m = 2026-02-28); duration + date
 * too; date - date is a number of days; number + duration is null.  A date
 * without a year ("--03-15") can be compared with another such date but not
 * counted from.
 *
 * Functions (a wrong name or argument count is a parse error):
 *   today()        env->today (null if env is NULL or its year is 0)
 *   days_since(d)  today - d in days; days_until(d) = d - today
 *   age(d)         whole years from d to today; a birthday counts on its
 *                  day (29 February on 28 February in other years); null
 *                  for a date after today
 *   year(d)        the year of d
 *                  (these four: null unless d reads as a date with a year)
 *   empty(x)       true if x is null
 *   lower(s)       s lowered code point by code point (Unicode's simple
 *                  mapping, utf8_lower): lower('ÉLISE') is 'élise', ß
 *                  stays ß, Σ gives σ (never the final ς), İ gives i; a
 *                  non-string is returned as it is
 *   =~             case-insensitive substring over all of Unicode:
 *                  name =~ 'ørsted' matches "Élise Ørsted".  Both sides
 *                  are case folded (utf8_casefold: full folding of the NFC
 *                  form, default rather than Turkish rules), so 'strasse'
 *                  matches "Straße", 'οδος' matches "ΟΔΟΣ", and an
 *                  accent is not a case ('elise' does not match "Élise").
 *                  Both sides must be strings.  No regular expressions.
 *                  A literal pattern is folded once, at parse.
 *   x in [a, b]    x == a or x == b, with == as above.
 */
#ifndef CS_EXPR_H
#define CS_EXPR_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "error.h"
#include "record.h"
#include "util.h"

enum value_type { VAL_NULL, VAL_NUMBER, VAL_STRING, VAL_DATE, VAL_DURATION, VAL_BOOL };

struct value {
	enum value_type type;
	union {
		double num;
		struct {
			const char *ptr; /* borrowed: valid until the next expr_eval */
			size_t len;
		} str;
		struct date date;
		struct duration dur;
		bool b;
	} u;
};

/* What evaluation needs besides the record. */
struct expr_env {
	struct date today;
};

struct expr;

/*
 * Parse src.  Returns a new expression (free with expr_free), or NULL with
 * err filled: err->col is the 1-based column (in characters, not bytes) of
 * the offending character, or one past the end when the text stops short,
 * and err->msg says what was wrong ("expected ')' but found 'and'",
 * "unterminated string: no closing '", "unknown function 'foo' (...)",
 * "'in' needs a list: in ['a', 'b']", "unexpected end of expression",
 * "\"3 weeks\" is not a duration: use 3w").  err->file and err->row are set
 * to NULL/0 for the caller to fill.  src is copied.  Until expr_bind every
 * field reads as null.
 */
struct expr *expr_parse(const char *src, struct cs_error *err);

/*
 * Resolve field names against h (only read during the call: the expression
 * keeps column indices, not h).  Names match exactly.  A name not in h is
 * bound to null if it is a canonical field (schema_is_canonical), else an
 * error "unknown field 'foo'" (with "(did you mean 'Foo'?)" when h has it in
 * another case), with err->col at the name's first use ('[' for a bracketed
 * one).  May be called again with another header.  Returns 0, or -1 with
 * every field reading as null until a bind succeeds.
 */
int expr_bind(struct expr *e, const struct header *h, struct cs_error *err);

/*
 * Evaluate e on rec (which must match the bound header; missing trailing
 * fields read as empty).  The result may borrow from rec and from e's
 * scratch space (each lower() call keeps its own buffer, reused from record
 * to record, so evaluation allocates nothing once warm): it is valid until
 * the next expr_eval or expr_test of e or until rec changes.  Type errors do
 * not stop evaluation: an operation on values it does not apply to gives
 * null.  env (borrowed) may be NULL: today() is then null.  An expression
 * is not safe to evaluate from two threads at once (the scratch).
 */
struct value expr_eval(struct expr *e, const struct record *rec, const struct expr_env *env);

/* Evaluate as a condition (see "where a condition is expected" above).
 * Null is false. */
bool expr_test(struct expr *e, const struct record *rec, const struct expr_env *env);

/* The field names e refers to, in order of first use, each once: for
 * messages and for tools that need to know which columns a rule reads.
 * Borrowed: valid until expr_free. */
size_t expr_fields(const struct expr *e, const char *const **names);

/* The source text, borrowed: valid until expr_free. */
const char *expr_source(const struct expr *e);

/* Free e and everything it owns; NULL is allowed. */
void expr_free(struct expr *e);

#endif
