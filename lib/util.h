/*
 * util.h - memory, growable buffers, paths and small string helpers.
 *
 * Out of memory is the only condition the library treats as fatal: the x*
 * allocators print "cs: out of memory" and exit, so call sites stay clean.
 * Everything else is reported through a struct cs_error (error.h) that the
 * tool in cmd/ prints with cs_error_print() and decides what to do about.
 */
#ifndef CS_UTIL_H
#define CS_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define CS_VERSION "0.1.0"

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
/* Grow *p, an array of *cap elements of size elem, so it holds at least need. */
void *xgrow(void *p, size_t *cap, size_t need, size_t elem);
/*
 * A zeroed array of n bytes for a large hash table (free with free):
 * tables of 2 MB and more are aligned to 2 MB and offered huge pages where
 * the system has them (Linux, THP in "madvise" mode), because lookups land
 * anywhere in the table and with 4 KB pages nearly each would miss the TLB.
 */
void *xcalloc_table(size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/*
 * struct buf - a growable byte string, always NUL-terminated once anything
 * has been appended.  Zero-initialise it ({0}) to start; buf_free releases it.
 */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};

/* Grow b to hold extra more bytes and a NUL: the slow path of buf_reserve. */
void buf_grow(struct buf *b, size_t extra);
/* Make room for extra more bytes (and the NUL) without growing again. */
static inline void
buf_reserve(struct buf *b, size_t extra)
{
	if (b->len + extra + 1 > b->cap)
		buf_grow(b, extra);
}
/* Append p[0..n); the hot path of every reader and writer, so inline. */
static inline void
buf_append(struct buf *b, const void *p, size_t n)
{
	buf_reserve(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}
static inline void
buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}
static inline void
buf_putc(struct buf *b, char c)
{
	buf_reserve(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}
/* The contents as a string: never NULL (an empty buffer gives ""). Borrowed. */
static inline const char *
buf_str(const struct buf *b)
{
	return b->data ? b->data : "";
}
void buf_free(struct buf *b);

/* The directory part of path ("." when it has none, "/" for the root): new. */
char *path_dir(const char *path);
/*
 * fsync the directory holding path, so a rename or a new name in it is on
 * disk.  A file system that cannot sync a directory (EINVAL) counts as done.
 * Returns 0, or -1 with errno set.
 */
int fsync_dir(const char *path);

/*
 * Temporary files go in $TMPDIR, else /tmp (tmp_dir).  tmpfile(3) is not
 * used anywhere: it ignores $TMPDIR, so a tool would fail where /tmp cannot
 * be written even though the user named a directory that can.
 *
 * tmp_nameless: an open file (mode 0600, close-on-exec) with no name in any
 * directory, so nothing is left behind however the process ends; NULL with
 * errno set.  tmp_named: a new file named from stem ("cs-xlsx" gives
 * $TMPDIR/cs-xlsx.XXXXXX) for a program that must open it by name; its
 * name in *path (the caller's to unlink and buf_free), its descriptor
 * returned, or -1 with errno set and *path empty.
 */
const char *tmp_dir(void);
FILE *tmp_nameless(void);
int tmp_named(const char *stem, struct buf *path);

/*
 * Narrow s[0..*len) past the spaces and tabs at both ends: *s moves
 * forward, *len shrinks, nothing is copied or written.  Only those two
 * bytes: a value's surrounding blanks, as spreadsheets leave them.
 */
static inline void
str_trim(const char **s, size_t *len)
{
	while (*len && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
		(*len)--;
}

/* ASCII-only helpers: locale-independent, safe on any byte. */
static inline int
ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}
static inline bool
ascii_digit(int c)
{
	return c >= '0' && c <= '9';
}
static inline bool
ascii_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool ascii_casecmp_eq(const char *a, const char *b);

/*
 * The edit distance between a and b, for "did you mean": insertions,
 * deletions, substitutions and swaps of two neighbours each count 1
 * (optimal string alignment), byte by byte; only the first 63 bytes of
 * each are compared.  The one edit distance of cs: options, commands,
 * model keys, touch and client names all use it.
 */
size_t str_edit_distance(const char *a, const char *b);

/*
 * True if d edits on a word of len bytes look like a slip rather than
 * another word: at most 2, or a third of its length (git's rule of thumb).
 */
static inline bool
str_is_slip(size_t d, size_t len)
{
	return d <= 2 || d * 3 <= len;
}

/*
 * The name in names[0..n) closest to word (str_edit_distance), if
 * str_is_slip, and not word itself; else NULL.  The first of equally close
 * names wins, so put the likeliest first.  Borrowed from names.
 */
const char *str_suggest(const char *word, const char *const *names, size_t n);

/*
 * Format d in the shortest decimal form that reads back to the same double
 * ("402.35", "12500", "1e+300").  buf must hold 32 bytes.  Returns buf.
 */
char *format_double(double d, char buf[32]);

/*
 * True if s[0..n) is a canonical number (DESIGN section 3): an optional '-',
 * digits without leading zeros, an optional fraction without trailing zeros,
 * at most 15 significant digits (so it survives a trip through a double).
 */
bool is_canonical_number(const char *s, size_t n);

/*
 * struct strlist - a growing array of borrowed strings: the values of a
 * repeatable option, in the order given.  Zero-initialise it ({0}) to start
 * (v is NULL until the first strlist_add).  strlist_add keeps s (borrowed:
 * it must outlive the list); strlist_free frees the array, never the
 * strings, and leaves an empty list.
 */
struct strlist {
	const char **v;
	size_t n, cap;
};
void strlist_add(struct strlist *l, const char *s);
void strlist_free(struct strlist *l);

#endif
