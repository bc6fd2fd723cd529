/*
 * suppress.h - the suppression list: the people who asked to be erased
 * (cs-remove --erase) and must not come back with the next export
 * (cs-import --suppress).
 *
 * The list holds no personal data: each row is the keyed hash
 * (HMAC-SHA-256, journal_hmac_hex) of a normalised email or phone under a
 * key only the firm holds ($CS_SUPPRESS_KEY, or the file named by
 * $CS_SUPPRESS_KEY_FILE).  A plain hash would not do: hashing a list of
 * addresses finds the one that matches.  The list is CSV with the header
 * kind,hash,key,added_on, where key is a short check of the key it was
 * made with, so a list read with another key is refused instead of
 * silently matching nobody.
 *
 * Normalisation: an email is trimmed and lower-cased (ASCII); a phone keeps
 * its digits only, less a leading 00 ("+44 20 7946 0958", "0044 20 7946
 * 0958" and "442079460958" are one number; a national "020 7946 0958" is
 * another).
 * A value with no @, or a phone of fewer than 6 digits, gives no hash.
 *
 * Ownership: suppress_key_load, suppress_load and suppress_append_open
 * return new objects freed by their _free/_close.
 */
#ifndef CS_SUPPRESS_H
#define CS_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "error.h"
#include "record.h"

enum suppress_kind { SUPPRESS_ID, SUPPRESS_EMAIL, SUPPRESS_PHONE };

struct suppress_key;

/*
 * The key: $CS_SUPPRESS_KEY, else the contents of the file named by
 * $CS_SUPPRESS_KEY_FILE (a final line end dropped).  It must be at least
 * 16 bytes.  Returns a new key, or NULL with err filled.
 */
struct suppress_key *suppress_key_load(struct cs_error *err);
void suppress_key_free(struct suppress_key *k);

/*
 * The keyed hash of value v[0..len) of kind, normalised, in hex into out.
 * Returns false (out untouched) when the value gives no hash.
 */
bool suppress_hash(const struct suppress_key *k, enum suppress_kind kind, const char *v,
                   size_t len, char out[65]);

/* ---- reading: cs-import ------------------------------------------------------ */

struct suppress_list;

/*
 * Read the list at path (it must exist) made with key k (borrowed until
 * suppress_free).  Returns a new list, or NULL with err filled (file,
 * row): not a list, or made with another key.
 */
struct suppress_list *suppress_load(const char *path, const struct suppress_key *k,
                                    struct cs_error *err);

/* Columns email and phone of h (-1: absent), for suppress_match. */
void suppress_bind(struct suppress_list *l, const struct header *h);
/* True if rec's email or phone (suppress_bind's columns) is on the list. */
bool suppress_match(const struct suppress_list *l, const struct record *rec);
void suppress_free(struct suppress_list *l);

/* ---- appending: cs-remove --erase --------------------------------------------- */

struct suppress_append;

/*
 * Open the list at path for appending, locked (file.h); a new list is
 * created mode 0600 with its header when first written.  An existing list
 * must have been made with k (borrowed until suppress_append_close).
 * Returns a new handle, or NULL with err filled.
 */
struct suppress_append *suppress_append_open(const char *path, const struct suppress_key *k,
                                             struct cs_error *err);
/*
 * Add the email and phone of rec (columns email and phone of h), unless
 * the list has them already.  Returns how many hashes were added (0..2).
 */
int suppress_append_record(struct suppress_append *a, const struct header *h,
                           const struct record *rec, struct date today);
/* Write what was added and fsync.  Returns 0, or -1 with err filled (nothing appended). */
int suppress_append_commit(struct suppress_append *a, struct cs_error *err);
/* Take a commit back.  Returns 0, or -1 with err (may be NULL) filled. */
int suppress_append_rollback(struct suppress_append *a, struct cs_error *err);
/* Keep a commit: no rollback, nor a signal, takes it back any more.  NULL is fine. */
void suppress_append_keep(struct suppress_append *a);
void suppress_append_close(struct suppress_append *a);

#endif
