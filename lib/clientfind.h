/*
 * clientfind.h - find clients in a book the way people name them: by id,
 * email or name.
 *
 * A reference (what a person typed: "t01", "ANA.Silva@Example.com",
 * "ana silva", "Silva, Ana", "Zoe Astrom" for Zoë Åström) matches a record
 *
 *   1. by id, byte for byte (blanks around either ignored); else
 *   2. when it holds an '@', by email, both normalised (norm_email); else
 *   3. by name, both folded (utf8_namefold: case and accents ignored, runs
 *      of blanks one space): the reference is the record's name, or its
 *      "first_name last_name", or is written "LAST, FIRST" of either.
 *
 * The best kind that matches anywhere in the book wins: an id match is
 * never ambiguous with a client of that name.  A reference with one match
 * names that client; with several it is ambiguous (the caller lists them
 * and refuses); with none, the closest names (str_edit_distance, or a name
 * holding the reference as whole words) are kept as suggestions.
 *
 * The book is streamed past the references: each record is looked up in a
 * hash table of the references' keys, so memory grows with the references
 * (a few hundred bytes each), never with the book.  Suggestions cost an
 * edit distance per record, so they are looked for only for the first
 * CLIENTFIND_SUGGESTED references, and only until one matches.
 *
 *	struct clientfind *cf = clientfind_new(false);
 *	size_t q = clientfind_add(cf, "ana silva");
 *	clientfind_scan(cf, path, NULL, &err);     per book: binds its header
 *	                                           and matches every record
 *	const struct clientfind_answer *a = clientfind_answer(cf, q);
 *
 * Ownership: a clientfind owns copies of the references and of everything
 * its answers hold; an answer is borrowed until clientfind_free.
 */
#ifndef CS_CLIENTFIND_H
#define CS_CLIENTFIND_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "record.h"
#include "util.h"

/* How a reference matched: the better kinds first. */
enum clientfind_by { CLIENTFIND_NONE, CLIENTFIND_ID, CLIENTFIND_EMAIL, CLIENTFIND_NAME };

enum {
	CLIENTFIND_SHOWN = 5,      /* matches kept to list an ambiguous reference */
	CLIENTFIND_NEAR = 3,       /* suggestions kept for a reference with no match */
	CLIENTFIND_SUGGESTED = 32, /* references suggestions are looked for */
};

/* struct clientfind_client - a client as a listing shows it: new strings, "" when absent. */
struct clientfind_client {
	char *id, *name, *email, *owner, *tier;
	long row; /* its spreadsheet row in the book */
};

struct clientfind_answer {
	const char *ref;                                  /* the reference, trimmed */
	enum clientfind_by by;                            /* NONE: nothing matched */
	size_t n;                                         /* records matched */
	struct clientfind_client match[CLIENTFIND_SHOWN]; /* the first min(n, SHOWN) */
	size_t nnear;                                     /* when n is 0 */
	struct clientfind_client near[CLIENTFIND_NEAR];   /* closest first */
	size_t near_distance[CLIENTFIND_NEAR];
	/* With keep_records: the first match's record and its book's header (else empty/NULL). */
	struct record record;
	struct header *header;
};

struct clientfind;

/*
 * A new finder with no references.  keep_records: each answer also keeps
 * a copy of its first matching record and of that book's header.  Free
 * with clientfind_free.
 */
struct clientfind *clientfind_new(bool keep_records);
void clientfind_free(struct clientfind *cf);

/*
 * Add reference ref (copied; blanks around it ignored) and return its
 * handle for clientfind_answer; the same reference added again gets the
 * same handle.  Add every reference before the first clientfind_record.
 */
size_t clientfind_add(struct clientfind *cf, const char *ref);

/*
 * Start a book with header h (borrowed until the next bind or free), named
 * name in messages (borrowed, as err->file).  Returns 0, or -1 with err
 * filled when h has no "id" column.  name, email, first_name, last_name,
 * owner and tier are read when present.
 */
int clientfind_bind(struct clientfind *cf, const struct header *h, const char *name,
                    struct cs_error *err);

/*
 * Match rec (a record of the bound book; nothing of it is kept but copies)
 * against every reference.  Returns true when it is a match of one of them
 * at the best kind found so far (cs-due keeps such a record).
 */
bool clientfind_record(struct clientfind *cf, const struct record *rec);

/*
 * Stream the book at path ("-": standard input; borrowed) past cf: bind
 * its header, then clientfind_record each record.  *name (when name is
 * not NULL) gets the book's name in messages, the path or "<stdin>",
 * which outlives the call.  Returns 0 when the whole book was read, or -1
 * with err filled (err->file the book's name) when it cannot be opened,
 * has no "id" column or a record cannot be read (those before it are
 * matched).
 */
int clientfind_scan(struct clientfind *cf, const char *path, const char **name,
                    struct cs_error *err);

/* The answer for handle q so far.  Borrowed until clientfind_free. */
const struct clientfind_answer *clientfind_answer(const struct clientfind *cf, size_t q);

/*
 * Say what is wrong with an answer that does not name one client, for a
 * message naming book (borrowed): for several matches, how many and a line
 * each ("  ID  NAME  EMAIL  owner OWNER"), then "give the id or the email
 * to say which"; for none, "no client in BOOK has this id, email or name"
 * and the suggestions ("did you mean \"Ana Silva\" (t01)?").  Written to
 * out (NUL-terminated, cut to size).  Nothing for a unique match.
 */
void clientfind_explain(const struct clientfind_answer *a, const char *book, char *out,
                        size_t size);

#endif
