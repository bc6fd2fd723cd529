/*
 * utf8.h - UTF-8: how much of a byte string is valid, and how many
 * terminal cells it takes.
 *
 * Every function reads only s[0..n) and is safe on any bytes: an invalid
 * or truncated sequence is never read past the end.  Nothing here depends
 * on the locale.
 */
#ifndef CS_UTF8_H
#define CS_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Length of the valid UTF-8 prefix of p[0..n): n when all of it is valid. */
size_t utf8_valid_prefix(const char *p, size_t n);
/* The same, stopping at a NUL byte too: the check every field read gets. */
size_t utf8_text_prefix(const char *p, size_t n);

/*
 * Decode the code point at s[0..len) (len > 0) into *cp; returns its length
 * in bytes.  An invalid or truncated sequence decodes as one byte, U+FFFD.
 */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

/* The cells code point cp takes: 0 (combining marks), 1, or 2 (East Asian wide). */
size_t utf8_cp_width(uint32_t cp);

/*
 * The display width of the UTF-8 string s[0..len): code points count 1,
 * combining marks 0, East Asian wide and fullwidth characters 2; an invalid
 * byte counts 1.
 */
size_t utf8_width(const char *s, size_t len);

/*
 * Make s[0..len) safe to show on a terminal, in place: every control
 * character but the line feed (C0, DEL, and C1 such as the CSI that starts
 * an escape sequence) becomes '?', one per byte, so data can never move the
 * cursor, change colours or retitle the window of whoever reads the output.
 */
void utf8_printable(char *s, size_t len);

/*
 * Where s[0..len) stops being text that is safe to store and show: the
 * offset of its first invalid UTF-8 sequence or control character (C0,
 * tab included, DEL, C1; the line feed too unless lines is true), or len
 * when it has none.
 */
size_t utf8_clean_prefix(const char *s, size_t len, bool lines);

#endif
