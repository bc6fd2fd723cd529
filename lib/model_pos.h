/*
 * model_pos.h - where each value of the model's JSON text sits, so that a
 * semantic error can be placed at FILE:LINE:COL.
 *
 * jansson parses the model and places syntax errors itself, but a parsed
 * document keeps no positions.  jpos_scan walks the same bytes once more and
 * builds a position tree (struct jpos) mirroring the document: the line and
 * column of every value and of every member name.  The validator in model.c
 * walks jansson's values and this tree side by side.
 *
 * Ownership: a struct jpos owns its kids and keys; release the root with
 * jpos_free.  Pointers returned by jpos_member and jpos_item are borrowed
 * from the tree.
 */
#ifndef CS_MODEL_POS_H
#define CS_MODEL_POS_H

#include <stddef.h>

#include "error.h"

struct jpos {
	int line, col;         /* the value's first character (1-based, in characters) */
	int key_line, key_col; /* its member name, for members of an object; else 0 */
	size_t off;            /* byte offset of the value's first character */
	char *key;             /* the decoded member name (owned), NULL otherwise */
	struct jpos *kids;     /* members or elements, in document order */
	size_t nkids, cap;
};

/* How deep arrays and objects may nest: jansson's own limit. */
enum { JPOS_MAX_DEPTH = 2048 };

/*
 * Fill *root (zeroed by the caller) with the positions of the JSON value in
 * text[0..len) and of everything in it.  Columns count characters, not
 * bytes, as jansson does.  Meant for text jansson has accepted: it finds the
 * values without checking them, but on any input it reads nothing past
 * text[len) and ends.  Returns 0, or -1 with err (if not NULL) filled with
 * the line, column and what stopped it (err->file is left NULL) when the
 * text is not one whole value: it ends inside a string, array or object,
 * holds a NUL byte (jansson skips one after a number), nests deeper than
 * JPOS_MAX_DEPTH, or has no value where one belongs.  Either way *root owns
 * what was found: jpos_free it.
 */
int jpos_scan(const char *text, size_t len, struct jpos *root, struct cs_error *err);

/* Free what p owns (not p itself).  */
void jpos_free(struct jpos *p);

/*
 * The member called key of object p, or p itself when it has none (so a
 * message still has a place).  Borrowed.
 */
const struct jpos *jpos_member(const struct jpos *p, const char *key);

/* Element i of array p, or p itself when it has fewer.  Borrowed. */
const struct jpos *jpos_item(const struct jpos *p, size_t i);

/*
 * The column of character k (0-based; expressions count columns in
 * characters) of the decoded string whose opening quote is at
 * text[quote_off], column quote_col.  An escape is one character decoded but
 * several in the file, so this walks the raw text; it stops at a NUL, the
 * closing quote or character k, whichever comes first.  A
 * string holds no raw newline, so the line is the quote's.
 */
int jpos_string_col(const char *text, size_t quote_off, int quote_col, size_t k);

#endif
