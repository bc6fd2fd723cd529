/*
 * expr.c - the expression language: a recursive-descent parser into a small
 * tree, a binder that turns field names into column indices, and an
 * evaluator that allocates nothing per record.
 *
 * Two decisions shape it.  First, a field evaluates to its text, and typing
 * happens at the operator that needs it: a comparison or arithmetic operator
 * reads a canonical field by its type (schema_type: revenue as a number,
 * since as a date, coi as a boolean) and any other string by the type of the
 * other operand ([Annual Fees] > 5000 reads a number, [Start] + 7d a date).
 * A value that does not read is null, and a comparison with null is false:
 * one odd cell must not stop a run over a whole book, and the tools that
 * care (cs-check) report such cells themselves.
 *
 * Second, the lexer makes one token at a time on demand, so `[` can open a
 * bracketed column name where a value is expected and a list after `in`
 * without a separate token pass.  The first error wins; it carries the
 * column, counted in characters, of the offending character.  Nesting is
 * bounded so that no input can exhaust the stack of the parser or of eval.
 */
#include "expr.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "utf8.h"

enum {
	MAX_NESTING = 256, /* parentheses, `not`, unary minus, calls */
	MAX_DEPTH = 1000,  /* tree depth, e.g. a chain of `or` */
	MAX_DURATION_DIGITS = 5,
};

enum token_type {
	T_EOF,
	T_ERROR,
	T_NUMBER,
	T_DURATION,
	T_STRING,
	T_IDENT,
	T_AND,
	T_OR,
	T_NOT,
	T_IN,
	T_TRUE,
	T_FALSE,
	T_NULL,
	T_EQ,
	T_NE,
	T_LT,
	T_LE,
	T_GT,
	T_GE,
	T_MATCH,
	T_PLUS,
	T_MINUS,
	T_STAR,
	T_SLASH,
	T_LPAREN,
	T_RPAREN,
	T_LBRACKET,
	T_RBRACKET,
	T_COMMA,
};

struct token {
	enum token_type type;
	size_t start; /* byte offset in the source */
	size_t len;
	double num;          /* T_NUMBER */
	struct duration dur; /* T_DURATION */
};

static const struct keyword {
	const char *word;
	enum token_type type;
} keywords[] = {
    {"and", T_AND},   {"or", T_OR},       {"not", T_NOT},   {"in", T_IN},
    {"true", T_TRUE}, {"false", T_FALSE}, {"null", T_NULL},
};

enum function { F_TODAY, F_DAYS_SINCE, F_DAYS_UNTIL, F_AGE, F_YEAR, F_EMPTY, F_LOWER };

static const struct function_def {
	const char *name;
	enum function fn;
	size_t nargs;
} functions[] = {
    {"today", F_TODAY, 0},
    {"days_since", F_DAYS_SINCE, 1},
    {"days_until", F_DAYS_UNTIL, 1},
    {"age", F_AGE, 1},
    {"year", F_YEAR, 1},
    {"empty", F_EMPTY, 1},
    {"lower", F_LOWER, 1},
};

enum node_kind {
	N_LITERAL,
	N_FIELD,
	N_OR,
	N_AND,
	N_NOT,
	N_COMPARE, /* == != < <= > >= */
	N_MATCH,   /* =~ */
	N_IN,
	N_ARITH, /* + - * / */
	N_NEGATE,
	N_CALL,
};

struct node {
	enum node_kind kind;
	enum token_type op;   /* N_COMPARE, N_ARITH */
	enum function fn;     /* N_CALL */
	enum field_type hint; /* N_FIELD: its canonical type; FIELD_STRING otherwise */
	size_t off;           /* where it starts in the source, for messages */
	int depth;
	struct value lit; /* N_LITERAL */
	char *text;       /* owned: the bytes of a string literal */
	size_t field;     /* N_FIELD: index into expr's names */
	struct node *a;   /* operand, or the argument of a call */
	struct node *b;
	struct node **items; /* N_IN: the list, all N_LITERAL */
	size_t nitems;
	struct buf scratch; /* lower(): where its result lives */
	char *pattern;      /* N_MATCH with a literal pattern: owned, folded once */
	size_t pattern_len;
	struct casefold fold;         /* N_MATCH: the subject folded, reused per record */
	struct casefold fold_pattern; /* N_MATCH: a pattern that is not a literal */
};

struct expr {
	char *src;
	struct node *root;
	char **names; /* fields in order of first use */
	size_t nnames;
	size_t cap_names;
	size_t *name_offs; /* where each name is first used */
	size_t cap_offs;
	long *cols; /* per name: its column, or -1 for always null */
	size_t cap_cols;
};

struct parser {
	const char *src;
	size_t len;
	size_t pos;        /* where the token after tok starts (before spaces) */
	struct token tok;  /* the current token */
	struct token prev; /* the token before it, for hints */
	struct expr *e;
	struct cs_error *err;
	int nesting;
	bool failed;
};

/* --- characters --- */

static bool
is_ident_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool
is_ident_char(int c)
{
	return is_ident_start(c) || ascii_digit(c);
}

static bool
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* --- errors --- */

/* The 1-based column of byte off: counts characters, not UTF-8 bytes. */
static int
column_of(const char *src, size_t off)
{
	int col = 1;
	for (size_t i = 0; i < off && src[i]; i++)
		if (((unsigned char)src[i] & 0xc0) != 0x80)
			col++;
	return col;
}

/* Record the first error only: later ones are consequences of it. */
static void *fail(struct parser *p, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void *
fail(struct parser *p, size_t off, const char *fmt, ...)
{
	if (p->failed)
		return NULL;
	p->failed = true;
	p->tok.type = T_ERROR;
	if (!p->err)
		return NULL;
	p->err->file = NULL;
	p->err->row = 0;
	p->err->col = column_of(p->src, off);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
	va_end(ap);
	return NULL;
}

/* "'and'", "the string 'x'", "end of expression": for "but found ...". */
static const char *
describe(const struct parser *p, const struct token *t, char *out, size_t n)
{
	if (t->type == T_EOF)
		return "end of expression";
	int len = t->len > 40 ? 40 : (int)t->len;
	const char *more = t->len > 40 ? "..." : "";
	if (t->type == T_STRING)
		snprintf(out, n, "the string %.*s%s", len, p->src + t->start, more);
	else
		snprintf(out, n, "'%.*s'%s", len, p->src + t->start, more);
	return out;
}

/* " (write 'and' in lower case)" if t is a keyword in capitals, else "". */
static const char *
keyword_hint(const struct parser *p, const struct token *t, char *out, size_t n)
{
	char word[8];
	if (t->type != T_IDENT || t->len >= sizeof word)
		return "";
	for (size_t i = 0; i < t->len; i++)
		word[i] = (char)ascii_lower((unsigned char)p->src[t->start + i]);
	word[t->len] = '\0';
	for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
		if (strcmp(word, keywords[i].word) == 0) {
			snprintf(out, n, " (write '%s' in lower case)", word);
			return out;
		}
	return "";
}

/* A hint for the common slips of spreadsheet people, or "". */
static const char *
hint_for(const struct parser *p, char *out, size_t n)
{
	const struct token *t = &p->tok;
	const char *s = p->src + t->start;
	const char *hint = keyword_hint(p, t, out, n);
	if (!*hint)
		hint = keyword_hint(p, &p->prev, out, n);
	if (*hint)
		return hint;
	/* x not in [...] */
	if (t->type == T_NOT) {
		size_t i = t->start + t->len;
		while (i < p->len && is_space(p->src[i]))
			i++;
		if (i + 2 <= p->len && memcmp(p->src + i, "in", 2) == 0 &&
		    (i + 2 == p->len || !is_ident_char(p->src[i + 2]))) {
			snprintf(out, n, " (write 'not x in [...]')");
			return out;
		}
		return "";
	}
	/* 10,000: a thousands separator after a number. */
	if (t->type == T_COMMA && p->prev.type == T_NUMBER &&
	    p->prev.start + p->prev.len == t->start && t->start + 1 < p->len && ascii_digit(s[1])) {
		struct buf digits = {0};
		for (const char *q = p->src + p->prev.start; ascii_digit(*q) || *q == ',' || *q == '.';
		     q++)
			if (*q != ',')
				buf_putc(&digits, *q);
		snprintf(out, n, " (write numbers without separators: %s)", buf_str(&digits));
		buf_free(&digits);
		return out;
	}
	return "";
}

/* "expected WHAT but found X", or the end of the expression. */
static void *
fail_expected(struct parser *p, const char *what)
{
	char found[64], hint[96];
	if (p->tok.type == T_EOF)
		return fail(p, p->tok.start, "unexpected end of expression: expected %s", what);
	return fail(p, p->tok.start, "expected %s but found %s%s", what,
	            describe(p, &p->tok, found, sizeof found), hint_for(p, hint, sizeof hint));
}

/* Where a value is expected. */
static void *
fail_value(struct parser *p, const char *what)
{
	char found[64];
	if (p->tok.type == T_EOF)
		return fail(p, p->tok.start, "unexpected end of expression");
	return fail(p, p->tok.start, "expected %s but found %s", what,
	            describe(p, &p->tok, found, sizeof found));
}

/* --- lexer --- */

/* Length of the UTF-8 character at s (at most n), for messages. */
static size_t
char_len(const char *s, size_t n)
{
	size_t len = utf8_valid_prefix(s, n < 4 ? n : 4);
	size_t one = 1;
	unsigned c = (unsigned char)s[0];
	if (c >= 0xf0)
		one = 4;
	else if (c >= 0xe0)
		one = 3;
	else if (c >= 0xc0)
		one = 2;
	return len >= one ? one : 1;
}

/*
 * A number or a duration: digits, an optional fraction, and for a duration
 * one of d w m y straight after.  Anything else glued to it is an error that
 * says what to write instead.
 */
static void
lex_number(struct parser *p, size_t i)
{
	const char *s = p->src;
	struct token *t = &p->tok;
	size_t j = i;
	while (j < p->len && ascii_digit(s[j]))
		j++;
	bool fraction = false;
	if (j + 1 < p->len && s[j] == '.' && ascii_digit(s[j + 1])) {
		fraction = true;
		for (j++; j < p->len && ascii_digit(s[j]); j++)
			;
	}
	if (j >= p->len || !is_ident_char(s[j])) {
		t->type = T_NUMBER;
		t->num = strtod(s + i, NULL);
		t->len = j - i;
		p->pos = j;
		return;
	}
	size_t k = j;
	while (k < p->len && is_ident_char(s[k]))
		k++;
	int whole = (int)(k - i);
	char unit = (char)ascii_lower((unsigned char)s[j]);
	bool unit_letter = unit == 'd' || unit == 'w' || unit == 'm' || unit == 'y';
	if (fraction && unit_letter) {
		fail(p, i,
		     "\"%.*s\" is not a duration: durations are whole numbers (7d, 2w, 18m, 1y)",
		     whole, s + i);
		return;
	}
	if (!unit_letter) {
		fail(p, i, "\"%.*s\" is not a number or a duration (7d, 2w, 18m, 1y)", whole,
		     s + i);
		return;
	}
	if (k != j + 1 || s[j] != unit) {
		fail(p, i, "\"%.*s\" is not a duration: use %.*s%c", whole, s + i, (int)(j - i),
		     s + i, unit);
		return;
	}
	if (j - i > MAX_DURATION_DIGITS) {
		fail(p, i, "\"%.*s\" is too long a duration", whole, s + i);
		return;
	}
	/* One duration parser for the whole toolkit. */
	char text[MAX_DURATION_DIGITS + 2], why[128];
	memcpy(text, s + i, (size_t)whole);
	text[whole] = '\0';
	if (duration_parse(text, &t->dur, why, sizeof why) != 0) {
		fail(p, i, "%s", why);
		return;
	}
	t->type = T_DURATION;
	t->len = k - i;
	p->pos = k;
}

/* A quoted string; the token keeps the quotes, unescape() reads it. */
static void
lex_string(struct parser *p, size_t i)
{
	const char *s = p->src;
	char quote = s[i];
	size_t j = i + 1;
	while (j < p->len && s[j] != quote)
		j += s[j] == '\\' && j + 1 < p->len ? 2 : 1;
	if (j >= p->len) {
		fail(p, i, "unterminated string: no closing %c", quote);
		return;
	}
	p->tok.type = T_STRING;
	p->tok.len = j + 1 - i;
	p->pos = j + 1;
}

static const struct {
	const char *text;
	enum token_type type;
	const char *instead; /* not an operator: what to write */
} operators[] = {
    {"==", T_EQ, NULL},      {"!=", T_NE, NULL},      {"<=", T_LE, NULL},     {">=", T_GE, NULL},
    {"=~", T_MATCH, NULL},   {"<>", T_ERROR, "!="},   {"&&", T_ERROR, "and"}, {"||", T_ERROR, "or"},
    {"<", T_LT, NULL},       {">", T_GT, NULL},       {"+", T_PLUS, NULL},    {"-", T_MINUS, NULL},
    {"*", T_STAR, NULL},     {"/", T_SLASH, NULL},    {"(", T_LPAREN, NULL},  {")", T_RPAREN, NULL},
    {"[", T_LBRACKET, NULL}, {"]", T_RBRACKET, NULL}, {",", T_COMMA, NULL},   {"=", T_ERROR, "=="},
    {"!", T_ERROR, "not"},   {"&", T_ERROR, "and"},   {"|", T_ERROR, "or"},
};

/* Make the next token current. */
static void
next(struct parser *p)
{
	if (p->failed)
		return;
	const char *s = p->src;
	size_t i = p->pos;
	while (i < p->len && is_space(s[i]))
		i++;
	p->prev = p->tok;
	struct token *t = &p->tok;
	t->start = i;
	t->len = 0;
	if (i >= p->len) {
		t->type = T_EOF;
		p->pos = i;
		return;
	}
	char c = s[i];
	if (ascii_digit(c)) {
		lex_number(p, i);
		return;
	}
	if (c == '\'' || c == '"') {
		lex_string(p, i);
		return;
	}
	if (is_ident_start(c)) {
		size_t j = i;
		while (j < p->len && is_ident_char(s[j]))
			j++;
		t->type = T_IDENT;
		t->len = j - i;
		p->pos = j;
		for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++)
			if (strlen(keywords[k].word) == t->len &&
			    memcmp(keywords[k].word, s + i, t->len) == 0)
				t->type = keywords[k].type;
		return;
	}
	for (size_t k = 0; k < sizeof operators / sizeof operators[0]; k++) {
		size_t n = strlen(operators[k].text);
		if (i + n > p->len || memcmp(s + i, operators[k].text, n) != 0)
			continue;
		if (operators[k].instead) {
			fail(p, i, "'%s' is not an operator: use '%s'", operators[k].text,
			     operators[k].instead);
			return;
		}
		t->type = operators[k].type;
		t->len = n;
		p->pos = i + n;
		return;
	}
	size_t n = char_len(s + i, p->len - i);
	if ((unsigned char)c >= 0x80)
		fail(p, i,
		     "unexpected character '%.*s': write such a column name in brackets, [Name]",
		     (int)n, s + i);
	else
		fail(p, i, "unexpected character '%.*s'", (int)n, s + i);
}

/* --- tree --- */

static struct node *
node_new(enum node_kind kind, size_t off)
{
	struct node *n = xcalloc(1, sizeof *n);
	n->kind = kind;
	n->off = off;
	n->hint = FIELD_STRING;
	n->depth = 1;
	return n;
}

static void
node_free(struct node *n)
{
	if (!n)
		return;
	node_free(n->a);
	node_free(n->b);
	for (size_t i = 0; i < n->nitems; i++)
		node_free(n->items[i]);
	free(n->items);
	free(n->text);
	buf_free(&n->scratch);
	free(n->pattern);
	utf8_casefold_free(&n->fold);
	utf8_casefold_free(&n->fold_pattern);
	free(n);
}

/* A node over a (and b): NULL if either is missing or the tree grows too deep. */
static struct node *
node_join(struct parser *p, enum node_kind kind, size_t off, struct node *a, struct node *b)
{
	if (!a || (kind != N_NOT && kind != N_NEGATE && !b) || p->failed) {
		node_free(a);
		node_free(b);
		return NULL;
	}
	struct node *n = node_new(kind, off);
	n->a = a;
	n->b = b;
	n->depth = 1 + (b && b->depth > a->depth ? b->depth : a->depth);
	if (n->depth > MAX_DEPTH) {
		node_free(n);
		return fail(p, off, "expression too deeply nested (over %d levels)", MAX_DEPTH);
	}
	return n;
}

/* The text of a string token, with \' \" \\ unescaped (other backslashes stay). */
static char *
unescape(const struct parser *p, const struct token *t, size_t *len)
{
	const char *s = p->src + t->start + 1;
	size_t n = t->len - 2;
	char *out = xmalloc(n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n &&
		    (s[i + 1] == '\'' || s[i + 1] == '"' || s[i + 1] == '\\'))
			i++;
		out[o++] = s[i];
	}
	out[o] = '\0';
	*len = o;
	return out;
}

/* A literal node for the current token, which must be one; advances. */
static struct node *
literal(struct parser *p)
{
	struct node *n = node_new(N_LITERAL, p->tok.start);
	switch (p->tok.type) {
	case T_NUMBER:
		n->lit.type = VAL_NUMBER;
		n->lit.u.num = p->tok.num;
		break;
	case T_DURATION:
		n->lit.type = VAL_DURATION;
		n->lit.u.dur = p->tok.dur;
		break;
	case T_STRING:
		n->lit.type = VAL_STRING;
		n->text = unescape(p, &p->tok, &n->lit.u.str.len);
		n->lit.u.str.ptr = n->text;
		break;
	case T_TRUE:
	case T_FALSE:
		n->lit.type = VAL_BOOL;
		n->lit.u.b = p->tok.type == T_TRUE;
		break;
	default:
		n->lit.type = VAL_NULL;
		break;
	}
	next(p);
	return n;
}

static bool
is_literal_token(enum token_type t)
{
	return t == T_NUMBER || t == T_DURATION || t == T_STRING || t == T_TRUE || t == T_FALSE ||
	       t == T_NULL;
}

/* The index of name in e's field list, adding it (first use at off) when new. */
static size_t
intern_field(struct expr *e, const char *name, size_t len, size_t off)
{
	for (size_t i = 0; i < e->nnames; i++)
		if (strlen(e->names[i]) == len && memcmp(e->names[i], name, len) == 0)
			return i;
	e->names = xgrow(e->names, &e->cap_names, e->nnames + 1, sizeof *e->names);
	e->name_offs = xgrow(e->name_offs, &e->cap_offs, e->nnames + 1, sizeof *e->name_offs);
	e->cols = xgrow(e->cols, &e->cap_cols, e->nnames + 1, sizeof *e->cols);
	e->names[e->nnames] = xstrndup(name, len);
	e->name_offs[e->nnames] = off;
	e->cols[e->nnames] = -1;
	return e->nnames++;
}

static struct node *
field_node(struct parser *p, const char *name, size_t len, size_t off)
{
	struct node *n = node_new(N_FIELD, off);
	n->field = intern_field(p->e, name, len, off);
	n->hint = schema_type(p->e->names[n->field]);
	return n;
}

/* --- parser: one function per precedence level, lowest first --- */

static struct node *parse_or(struct parser *p);

/* "3 weeks", "18 months": a number and a unit word meant as a duration. */
static void
check_spelled_duration(struct parser *p, const struct token *num)
{
	static const char *const words[] = {"d",     "day", "days", "w",    "wk",    "week",
	                                    "weeks", "m",   "mo",   "mon",  "month", "months",
	                                    "y",     "yr",  "yrs",  "year", "years"};
	if (p->tok.type != T_IDENT || p->tok.len > 6)
		return;
	char word[8];
	for (size_t i = 0; i < p->tok.len; i++)
		word[i] = (char)ascii_lower((unsigned char)p->src[p->tok.start + i]);
	word[p->tok.len] = '\0';
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		if (strcmp(word, words[i]) != 0)
			continue;
		int whole = (int)(p->tok.start + p->tok.len - num->start);
		const char *text = p->src + num->start;
		if (memchr(text, '.', num->len))
			fail(p, num->start,
			     "\"%.*s\" is not a duration: durations are whole numbers (7d, 2w, "
			     "18m, 1y)",
			     whole, text);
		else
			fail(p, num->start, "\"%.*s\" is not a duration: use %.*s%c", whole, text,
			     (int)num->len, text, word[0]);
		return;
	}
}

/* name( args ): the current token is the name. */
static struct node *
parse_call(struct parser *p)
{
	struct token name = p->tok;
	const struct function_def *def = NULL;
	for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++)
		if (strlen(functions[i].name) == name.len &&
		    memcmp(functions[i].name, p->src + name.start, name.len) == 0)
			def = &functions[i];
	if (!def)
		return fail(p, name.start,
		            "unknown function '%.*s' (functions: today, days_since, days_until, "
		            "age, year, empty, lower)",
		            (int)name.len, p->src + name.start);
	next(p); /* the name */
	next(p); /* ( */
	struct node *n = node_new(N_CALL, name.start);
	n->fn = def->fn;
	size_t nargs = 0;
	if (p->tok.type != T_RPAREN) {
		for (;;) {
			struct node *arg = parse_or(p);
			if (!arg) {
				node_free(n);
				return NULL;
			}
			if (nargs++ == 0) {
				n->a = arg;
				n->depth = 1 + arg->depth;
			} else {
				node_free(arg);
			}
			if (p->tok.type != T_COMMA)
				break;
			next(p);
		}
	}
	if (p->tok.type != T_RPAREN) {
		node_free(n);
		return fail_expected(p, "')'");
	}
	if (nargs != def->nargs) {
		node_free(n);
		if (def->nargs == 0)
			return fail(p, name.start, "%s() takes no arguments, not %zu", def->name,
			            nargs);
		return fail(p, name.start, "%s() takes %zu argument, not %zu", def->name,
		            def->nargs, nargs);
	}
	next(p);
	return n;
}

/* [Any Column Name]: `]` ends it.  The current token is the `[`. */
static struct node *
parse_bracketed(struct parser *p)
{
	size_t open = p->tok.start;
	const char *end = memchr(p->src + open + 1, ']', p->len - open - 1);
	if (!end)
		return fail(p, open, "unterminated column name: no closing ']'");
	size_t len = (size_t)(end - (p->src + open + 1));
	if (len == 0)
		return fail(p, open, "empty column name []");
	struct node *n = field_node(p, p->src + open + 1, len, open);
	p->pos = open + 1 + len + 1;
	next(p);
	return n;
}

static struct node *
parse_primary(struct parser *p)
{
	switch (p->tok.type) {
	case T_NUMBER: {
		struct token num = p->tok;
		struct node *n = literal(p);
		check_spelled_duration(p, &num);
		if (p->failed) {
			node_free(n);
			return NULL;
		}
		return n;
	}
	case T_DURATION:
	case T_STRING:
	case T_TRUE:
	case T_FALSE:
	case T_NULL:
		return literal(p);
	case T_IDENT: {
		size_t k = p->pos;
		while (k < p->len && is_space(p->src[k]))
			k++;
		if (k < p->len && p->src[k] == '(') {
			if (++p->nesting > MAX_NESTING)
				return fail(p, p->tok.start,
				            "expression too deeply nested (over %d levels)",
				            MAX_NESTING);
			struct node *n = parse_call(p);
			p->nesting--;
			return n;
		}
		struct node *n = field_node(p, p->src + p->tok.start, p->tok.len, p->tok.start);
		next(p);
		return n;
	}
	case T_LBRACKET:
		return parse_bracketed(p);
	case T_LPAREN: {
		size_t open = p->tok.start;
		if (++p->nesting > MAX_NESTING)
			return fail(p, open, "expression too deeply nested (over %d levels)",
			            MAX_NESTING);
		next(p);
		struct node *n = parse_or(p);
		p->nesting--;
		if (!n)
			return NULL;
		if (p->tok.type != T_RPAREN) {
			node_free(n);
			return fail_expected(p, "')'");
		}
		next(p);
		return n;
	}
	case T_ERROR:
		return NULL;
	default:
		return fail_value(p, "a value");
	}
}

static struct node *
parse_unary(struct parser *p)
{
	if (p->tok.type != T_MINUS)
		return parse_primary(p);
	size_t off = p->tok.start;
	if (++p->nesting > MAX_NESTING)
		return fail(p, off, "expression too deeply nested (over %d levels)", MAX_NESTING);
	next(p);
	struct node *operand = parse_unary(p);
	p->nesting--;
	return node_join(p, N_NEGATE, off, operand, NULL);
}

static struct node *
parse_multiplicative(struct parser *p)
{
	struct node *a = parse_unary(p);
	while (a && (p->tok.type == T_STAR || p->tok.type == T_SLASH)) {
		enum token_type op = p->tok.type;
		size_t off = p->tok.start;
		next(p);
		a = node_join(p, N_ARITH, off, a, parse_unary(p));
		if (a)
			a->op = op;
	}
	return a;
}

static struct node *
parse_additive(struct parser *p)
{
	struct node *a = parse_multiplicative(p);
	while (a && (p->tok.type == T_PLUS || p->tok.type == T_MINUS)) {
		enum token_type op = p->tok.type;
		size_t off = p->tok.start;
		next(p);
		a = node_join(p, N_ARITH, off, a, parse_multiplicative(p));
		if (a)
			a->op = op;
	}
	return a;
}

static bool
is_comparison(enum token_type t)
{
	return (t >= T_EQ && t <= T_MATCH) || t == T_IN;
}

/* [literal, ...] after `in`, into n->items. */
static int
parse_list(struct parser *p, struct node *n)
{
	if (p->tok.type != T_LBRACKET) {
		if (p->tok.type != T_ERROR)
			fail(p, p->tok.start, "'in' needs a list: in ['a', 'b']");
		return -1;
	}
	next(p);
	if (p->tok.type == T_RBRACKET) {
		next(p);
		return 0;
	}
	size_t cap = 0;
	for (;;) {
		struct node *item;
		if (p->tok.type == T_MINUS) {
			size_t off = p->tok.start;
			next(p);
			if (p->tok.type != T_NUMBER && p->tok.type != T_DURATION) {
				fail_value(p, "a number after '-'");
				return -1;
			}
			item = literal(p);
			item->off = off;
			if (item->lit.type == VAL_NUMBER)
				item->lit.u.num = -item->lit.u.num;
			else
				item->lit.u.dur.amount = -item->lit.u.dur.amount;
		} else if (is_literal_token(p->tok.type)) {
			item = literal(p);
		} else {
			if (p->tok.type == T_IDENT)
				fail(p, p->tok.start,
				     "expected a value in the list but found '%.*s' (quote text: "
				     "'%.*s')",
				     (int)p->tok.len, p->src + p->tok.start, (int)p->tok.len,
				     p->src + p->tok.start);
			else if (p->tok.type != T_ERROR)
				fail_value(p, "a value in the list");
			return -1;
		}
		n->items = xgrow(n->items, &cap, n->nitems + 1, sizeof *n->items);
		n->items[n->nitems++] = item;
		if (p->failed)
			return -1;
		if (p->tok.type == T_RBRACKET) {
			next(p);
			return 0;
		}
		if (p->tok.type != T_COMMA) {
			fail_expected(p, "',' or ']'");
			return -1;
		}
		next(p);
	}
}

/* Fold n's literal pattern once, so `=~` folds only the subject per record. */
static void
fold_pattern(struct node *n)
{
	struct casefold cf = {0};
	size_t len;
	const char *f = utf8_casefold(&cf, n->b->lit.u.str.ptr, n->b->lit.u.str.len, &len);
	n->pattern = xmalloc(len + 1);
	memcpy(n->pattern, f, len + 1);
	n->pattern_len = len;
	utf8_casefold_free(&cf);
}

static bool
is_null_literal(const struct node *n)
{
	return n && n->kind == N_LITERAL && n->lit.type == VAL_NULL;
}

static struct node *
parse_comparison(struct parser *p)
{
	struct node *a = parse_additive(p);
	if (!a || !is_comparison(p->tok.type))
		return a;
	enum token_type op = p->tok.type;
	size_t off = p->tok.start;
	next(p);
	struct node *n;
	if (op == T_IN) {
		n = node_new(N_IN, off);
		n->a = a;
		n->depth = 1 + a->depth;
		if (parse_list(p, n) != 0) {
			node_free(n);
			return NULL;
		}
	} else {
		n = node_join(p, op == T_MATCH ? N_MATCH : N_COMPARE, off, a, parse_additive(p));
		if (!n)
			return NULL;
		n->op = op;
		if (op == T_MATCH && n->b->kind == N_LITERAL && n->b->lit.type == VAL_STRING)
			fold_pattern(n);
		const struct node *null = is_null_literal(n->a)   ? n->a
		                          : is_null_literal(n->b) ? n->b
		                                                  : NULL;
		if (null) {
			size_t at = null->off;
			node_free(n);
			return fail(p, at, "a comparison with null is never true: use empty(x)");
		}
	}
	if (is_comparison(p->tok.type)) {
		node_free(n);
		return fail(p, p->tok.start, "comparisons do not chain: write 'a < b and b < c'");
	}
	return n;
}

static struct node *
parse_not(struct parser *p)
{
	if (p->tok.type != T_NOT)
		return parse_comparison(p);
	size_t off = p->tok.start;
	if (++p->nesting > MAX_NESTING)
		return fail(p, off, "expression too deeply nested (over %d levels)", MAX_NESTING);
	next(p);
	struct node *operand = parse_not(p);
	p->nesting--;
	return node_join(p, N_NOT, off, operand, NULL);
}

static struct node *
parse_and(struct parser *p)
{
	struct node *a = parse_not(p);
	while (a && p->tok.type == T_AND) {
		size_t off = p->tok.start;
		next(p);
		a = node_join(p, N_AND, off, a, parse_not(p));
	}
	return a;
}

static struct node *
parse_or(struct parser *p)
{
	struct node *a = parse_and(p);
	while (a && p->tok.type == T_OR) {
		size_t off = p->tok.start;
		next(p);
		a = node_join(p, N_OR, off, a, parse_and(p));
	}
	return a;
}

struct expr *
expr_parse(const char *src, struct cs_error *err)
{
	struct expr *e = xcalloc(1, sizeof *e);
	e->src = xstrdup(src);
	struct parser p = {.src = e->src, .len = strlen(e->src), .e = e, .err = err};
	next(&p);
	struct node *root = NULL;
	if (p.tok.type == T_EOF)
		fail(&p, 0, "empty expression");
	else
		root = parse_or(&p);
	if (!p.failed) {
		if (p.tok.type == T_RPAREN)
			fail(&p, p.tok.start, "unmatched ')'");
		else if (p.tok.type == T_RBRACKET)
			fail(&p, p.tok.start, "unmatched ']'");
		else if (p.tok.type != T_EOF)
			fail_expected(&p, "an operator");
	}
	if (p.failed) {
		node_free(root);
		expr_free(e);
		return NULL;
	}
	e->root = root;
	return e;
}

int
expr_bind(struct expr *e, const struct header *h, struct cs_error *err)
{
	for (size_t i = 0; i < e->nnames; i++) {
		long col = header_find(h, e->names[i]);
		if (col < 0 && !schema_is_canonical(e->names[i])) {
			const char *near = NULL;
			for (size_t j = 0; j < h->n && !near; j++)
				if (ascii_casecmp_eq(h->names[j], e->names[i]))
					near = h->names[j];
			if (near)
				cs_error_set(err, NULL, 0,
				             "unknown field '%s' (did you mean '%s'?)", e->names[i],
				             near);
			else
				cs_error_set(err, NULL, 0, "unknown field '%s'", e->names[i]);
			if (err)
				err->col = column_of(e->src, e->name_offs[i]);
			for (size_t j = 0; j < e->nnames; j++)
				e->cols[j] = -1;
			return -1;
		}
		e->cols[i] = col;
	}
	return 0;
}

/* --- reading values --- */

static const struct value null_value = {.type = VAL_NULL};

/* s[0..n) without spaces and tabs around it, copied into out[size]; false if too long. */
static bool
trimmed_copy(const char *s, size_t n, char *out, size_t size)
{
	str_trim(&s, &n);
	if (n == 0 || n >= size)
		return false;
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

/* A whole decimal number: [+-] digits [. digits] [e [+-] digits]; no inf, nan or hex. */
static bool
read_number(const char *s, size_t n, double *out)
{
	char text[64];
	if (!trimmed_copy(s, n, text, sizeof text))
		return false;
	const char *q = text;
	if (*q == '+' || *q == '-')
		q++;
	size_t digits = 0;
	for (; ascii_digit(*q); q++)
		digits++;
	if (*q == '.')
		for (q++; ascii_digit(*q); q++)
			digits++;
	if (digits == 0)
		return false;
	if (*q == 'e' || *q == 'E') {
		q++;
		if (*q == '+' || *q == '-')
			q++;
		if (!ascii_digit(*q))
			return false;
		while (ascii_digit(*q))
			q++;
	}
	if (*q)
		return false;
	double d = strtod(text, NULL);
	if (!isfinite(d))
		return false;
	*out = d;
	return true;
}

/* Coerce a string to want (number, date, bool or duration); null if it does not read. */
static struct value
coerce(struct value v, enum value_type want)
{
	if (v.type != VAL_STRING || want == VAL_STRING || want == VAL_NULL)
		return v;
	const char *s = v.u.str.ptr;
	size_t n = v.u.str.len;
	struct value r = null_value;
	char text[32], why[128];
	switch (want) {
	case VAL_NUMBER:
		if (read_number(s, n, &r.u.num))
			r.type = VAL_NUMBER;
		break;
	case VAL_DATE:
		/* Dates are ISO after cs-import; YMD settles any numeric form left. */
		if (date_parse(s, n, DATE_ORDER_YMD, 0, &r.u.date, why, sizeof why) == 0)
			r.type = VAL_DATE;
		break;
	case VAL_BOOL:
		if (trimmed_copy(s, n, text, sizeof text)) {
			int b = schema_parse_bool(text);
			if (b >= 0) {
				r.type = VAL_BOOL;
				r.u.b = b == 1;
			}
		}
		break;
	case VAL_DURATION:
		if (trimmed_copy(s, n, text, sizeof text) &&
		    duration_parse(text, &r.u.dur, why, sizeof why) == 0)
			r.type = VAL_DURATION;
		break;
	default:
		break;
	}
	return r;
}

/* The value type a canonical field is read as. */
static enum value_type
hint_type(enum field_type t)
{
	switch (t) {
	case FIELD_NUMBER:
	case FIELD_INTEGER:
		return VAL_NUMBER;
	case FIELD_DATE:
		return VAL_DATE;
	case FIELD_BOOL:
		return VAL_BOOL;
	default:
		return VAL_STRING;
	}
}

/* An untyped string in arithmetic: a number if it reads as one, else a date. */
static struct value
guess(struct value v)
{
	struct value r = coerce(v, VAL_NUMBER);
	return r.type != VAL_NULL ? r : coerce(v, VAL_DATE);
}

/* A string operand of arithmetic, read to suit the other operand's type. */
static struct value
settle_for(struct value v, enum value_type other)
{
	if (v.type != VAL_STRING)
		return v;
	switch (other) {
	case VAL_NUMBER:
		return coerce(v, VAL_NUMBER);
	case VAL_DURATION:
		return coerce(v, VAL_DATE);
	case VAL_DATE: {
		struct value r = coerce(v, VAL_DATE);
		return r.type != VAL_NULL ? r : coerce(v, VAL_DURATION);
	}
	default:
		return guess(v);
	}
}

static bool
truthy(struct value v, enum field_type hint)
{
	if (v.type == VAL_STRING)
		v = coerce(v, hint == FIELD_STRING ? VAL_BOOL : hint_type(hint));
	switch (v.type) {
	case VAL_BOOL:
		return v.u.b;
	case VAL_NUMBER:
		return v.u.num != 0;
	case VAL_DATE:
	case VAL_DURATION:
		return true;
	default:
		return false;
	}
}

/* Order two dates into *c; false when one has a year and the other not. */
static bool
date_order(struct date a, struct date b, int *c)
{
	if ((a.year == 0) != (b.year == 0))
		return false;
	if (a.year)
		*c = date_cmp(a, b);
	else
		*c = a.month != b.month ? a.month - b.month : a.day - b.day;
	return true;
}

/*
 * v as a number if it holds one in the book's canonical form (DESIGN
 * section 3) once spaces and tabs around it are dropped: "1200", " 900 ",
 * "-3.5"; not "1,200", "1200.50", "007" or "1e3", which are text a person
 * wrote (a code, an amount in a local format) and compare as text.
 */
static bool
canonical_number(struct value v, struct value *out)
{
	const char *s = v.u.str.ptr;
	size_t n = v.u.str.len;
	str_trim(&s, &n);
	if (!is_canonical_number(s, n))
		return false;
	*out = coerce(v, VAL_NUMBER);
	return out->type == VAL_NUMBER;
}

/* v as a date if it is an ISO date, "YYYY-MM-DD" or "--MM-DD" (spaces around dropped). */
static bool
iso_date(struct value v, struct value *out)
{
	const char *s = v.u.str.ptr;
	size_t n = v.u.str.len;
	str_trim(&s, &n);
	static const char full[] = "dddd-dd-dd", yearless[] = "--dd-dd";
	const char *shape = n == sizeof full - 1 ? full : n == sizeof yearless - 1 ? yearless : NULL;
	if (!shape)
		return false;
	for (size_t i = 0; i < n; i++)
		if (shape[i] == 'd' ? !ascii_digit((unsigned char)s[i]) : s[i] != '-')
			return false;
	*out = coerce(v, VAL_DATE);
	return out->type == VAL_DATE;
}

/* Neither operand of the comparison n is a literal (NULL n: an `in` list item, a literal). */
static bool
untyped_pair(const struct node *n)
{
	return n && n->a->kind != N_LITERAL && n->b->kind != N_LITERAL;
}

/*
 * a op b for a comparison operator; false whenever either side is or reads
 * as null.  When neither operand of node n is a literal (untyped_pair), two
 * strings left after the canonical types are read as numbers when both hold
 * canonical numbers, as dates when both are ISO dates ([Fee A] > [Fee B]),
 * else as text.  n is looked at only then, off the hot path of field
 * against literal.
 */
static bool
compare(struct value a, enum field_type ha, struct value b, enum field_type hb, enum token_type op,
        const struct node *n)
{
	a = coerce(a, hint_type(ha));
	b = coerce(b, hint_type(hb));
	if (a.type == VAL_STRING && b.type != VAL_STRING) {
		a = coerce(a, b.type);
	} else if (b.type == VAL_STRING && a.type != VAL_STRING) {
		b = coerce(b, a.type);
	} else if (a.type == VAL_STRING && untyped_pair(n)) {
		struct value ra, rb;
		if ((canonical_number(a, &ra) && canonical_number(b, &rb)) ||
		    (iso_date(a, &ra) && iso_date(b, &rb))) {
			a = ra;
			b = rb;
		}
	}
	if (a.type == VAL_NULL || b.type == VAL_NULL || a.type != b.type)
		return false;
	int c = 0;
	switch (a.type) {
	case VAL_NUMBER:
		c = (a.u.num > b.u.num) - (a.u.num < b.u.num);
		break;
	case VAL_STRING: {
		size_t n = a.u.str.len < b.u.str.len ? a.u.str.len : b.u.str.len;
		c = memcmp(a.u.str.ptr, b.u.str.ptr, n);
		if (c == 0)
			c = (a.u.str.len > b.u.str.len) - (a.u.str.len < b.u.str.len);
		break;
	}
	case VAL_DATE:
		if (!date_order(a.u.date, b.u.date, &c))
			return false;
		break;
	case VAL_BOOL:
		c = (int)a.u.b - (int)b.u.b;
		break;
	case VAL_DURATION: {
		double da = duration_days(a.u.dur), db = duration_days(b.u.dur);
		c = (da > db) - (da < db);
		break;
	}
	default:
		return false;
	}
	switch (op) {
	case T_EQ:
		return c == 0;
	case T_NE:
		return c != 0;
	case T_LT:
		return c < 0;
	case T_LE:
		return c <= 0;
	case T_GT:
		return c > 0;
	case T_GE:
		return c >= 0;
	default:
		return false;
	}
}

/* a =~ b: b's case folded (Unicode) occurs in a's; the literal pattern was folded at parse. */
static bool
match(struct node *n, struct value a, struct value b)
{
	if (a.type != VAL_STRING || b.type != VAL_STRING)
		return false;
	const char *pattern = n->pattern;
	size_t m = n->pattern_len;
	if (!pattern)
		pattern = utf8_casefold(&n->fold_pattern, b.u.str.ptr, b.u.str.len, &m);
	return utf8_casefold_contains(&n->fold, a.u.str.ptr, a.u.str.len, pattern, m);
}

static struct value
number_value(double d)
{
	struct value v = {.type = VAL_NUMBER};
	if (!isfinite(d))
		return null_value;
	v.u.num = d;
	return v;
}

static struct value
date_value(struct date d)
{
	struct value v = {.type = VAL_DATE};
	v.u.date = d;
	return v;
}

static struct value
arith(enum token_type op, struct value a, enum field_type ha, struct value b, enum field_type hb)
{
	a = coerce(a, hint_type(ha));
	b = coerce(b, hint_type(hb));
	if (a.type == VAL_STRING && b.type == VAL_STRING) {
		a = guess(a);
		b = guess(b);
	} else {
		a = settle_for(a, b.type);
		b = settle_for(b, a.type);
	}
	if (a.type == VAL_NUMBER && b.type == VAL_NUMBER) {
		switch (op) {
		case T_PLUS:
			return number_value(a.u.num + b.u.num);
		case T_MINUS:
			return number_value(a.u.num - b.u.num);
		case T_STAR:
			return number_value(a.u.num * b.u.num);
		default:
			return b.u.num == 0 ? null_value : number_value(a.u.num / b.u.num);
		}
	}
	/*
	 * Durations count from a date with a year: "--03-15" + 7d has no
	 * answer, and neither has a date past 9999-12-31 or before 0001-01-01
	 * (null, as x / 0 is, rather than a clamped date that compares as if
	 * it were real).
	 */
	struct date d;
	if (a.type == VAL_DATE && b.type == VAL_DURATION && (op == T_PLUS || op == T_MINUS) &&
	    a.u.date.year)
		return date_add_checked(a.u.date, b.u.dur, op == T_PLUS ? 1 : -1, &d) == 0
		           ? date_value(d)
		           : null_value;
	if (a.type == VAL_DURATION && b.type == VAL_DATE && op == T_PLUS && b.u.date.year)
		return date_add_checked(b.u.date, a.u.dur, 1, &d) == 0 ? date_value(d) : null_value;
	if (a.type == VAL_DATE && b.type == VAL_DATE && op == T_MINUS && a.u.date.year &&
	    b.u.date.year)
		return number_value((double)date_diff_days(a.u.date, b.u.date));
	return null_value;
}

/* v as a date with a year, for the date functions. */
static bool
full_date(struct value v, struct date *out)
{
	v = coerce(v, VAL_DATE);
	if (v.type != VAL_DATE || v.u.date.year == 0)
		return false;
	*out = v.u.date;
	return true;
}

static struct value
call(struct node *n, struct value arg, const struct expr_env *env)
{
	struct date d;
	bool have_today = env && env->today.year;
	struct date today = have_today ? env->today : (struct date){0, 0, 0};
	switch (n->fn) {
	case F_TODAY:
		return have_today ? date_value(today) : null_value;
	case F_DAYS_SINCE:
		if (!have_today || !full_date(arg, &d))
			return null_value;
		return number_value((double)date_diff_days(today, d));
	case F_DAYS_UNTIL:
		if (!have_today || !full_date(arg, &d))
			return null_value;
		return number_value((double)date_diff_days(d, today));
	case F_AGE: {
		if (!have_today || !full_date(arg, &d) || date_cmp(d, today) > 0)
			return null_value;
		/* Through date_add_years, so 29 February comes of age on 28 February. */
		long years = today.year - d.year;
		if (date_cmp(date_add_years(d, years), today) > 0)
			years--;
		return number_value((double)years);
	}
	case F_YEAR:
		return full_date(arg, &d) ? number_value(d.year) : null_value;
	case F_EMPTY: {
		struct value v = {.type = VAL_BOOL};
		v.u.b = arg.type == VAL_NULL;
		return v;
	}
	case F_LOWER:
		if (arg.type != VAL_STRING)
			return arg;
		buf_reset(&n->scratch);
		utf8_lower(&n->scratch, arg.u.str.ptr, arg.u.str.len);
		arg.u.str.ptr = n->scratch.data;
		arg.u.str.len = n->scratch.len;
		return arg;
	}
	return null_value;
}

static struct value
eval(struct expr *e, struct node *n, const struct record *rec, const struct expr_env *env)
{
	struct value v = null_value;
	switch (n->kind) {
	case N_LITERAL:
		return n->lit;
	case N_FIELD: {
		long col = e->cols[n->field];
		if (col < 0 || record_blank(rec, (size_t)col))
			return null_value;
		v.type = VAL_STRING;
		v.u.str.ptr = record_get(rec, (size_t)col, &v.u.str.len);
		return v;
	}
	case N_OR:
	case N_AND: {
		bool left = truthy(eval(e, n->a, rec, env), n->a->hint);
		v.type = VAL_BOOL;
		if (n->kind == N_OR)
			v.u.b = left || truthy(eval(e, n->b, rec, env), n->b->hint);
		else
			v.u.b = left && truthy(eval(e, n->b, rec, env), n->b->hint);
		return v;
	}
	case N_NOT:
		v.type = VAL_BOOL;
		v.u.b = !truthy(eval(e, n->a, rec, env), n->a->hint);
		return v;
	case N_COMPARE: {
		struct value a = eval(e, n->a, rec, env);
		struct value b = eval(e, n->b, rec, env);
		v.type = VAL_BOOL;
		v.u.b = compare(a, n->a->hint, b, n->b->hint, n->op, n);
		return v;
	}
	case N_MATCH: {
		struct value a = eval(e, n->a, rec, env);
		struct value b = eval(e, n->b, rec, env);
		v.type = VAL_BOOL;
		v.u.b = match(n, a, b);
		return v;
	}
	case N_IN: {
		struct value a = eval(e, n->a, rec, env);
		v.type = VAL_BOOL;
		v.u.b = false;
		for (size_t i = 0; i < n->nitems && !v.u.b; i++)
			v.u.b = compare(a, n->a->hint, n->items[i]->lit, FIELD_STRING, T_EQ, NULL);
		return v;
	}
	case N_ARITH: {
		struct value a = eval(e, n->a, rec, env);
		struct value b = eval(e, n->b, rec, env);
		return arith(n->op, a, n->a->hint, b, n->b->hint);
	}
	case N_NEGATE: {
		struct value a = coerce(eval(e, n->a, rec, env), hint_type(n->a->hint));
		a = coerce(a, VAL_NUMBER);
		if (a.type == VAL_NUMBER)
			return number_value(-a.u.num);
		if (a.type == VAL_DURATION)
			a.u.dur.amount = -a.u.dur.amount;
		return a.type == VAL_DURATION ? a : null_value;
	}
	case N_CALL:
		return call(n, n->a ? eval(e, n->a, rec, env) : null_value, env);
	}
	return v;
}

struct value
expr_eval(struct expr *e, const struct record *rec, const struct expr_env *env)
{
	return eval(e, e->root, rec, env);
}

bool
expr_test(struct expr *e, const struct record *rec, const struct expr_env *env)
{
	return truthy(eval(e, e->root, rec, env), e->root->hint);
}

size_t
expr_fields(const struct expr *e, const char *const **names)
{
	*names = (const char *const *)e->names;
	return e->nnames;
}

const char *
expr_source(const struct expr *e)
{
	return e->src;
}

void
expr_free(struct expr *e)
{
	if (!e)
		return;
	node_free(e->root);
	for (size_t i = 0; i < e->nnames; i++)
		free(e->names[i]);
	free(e->names);
	free(e->name_offs);
	free(e->cols);
	free(e->src);
	free(e);
}
