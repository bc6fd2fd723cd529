/*
 * normalize_int.h - the byte-level helpers normalize.c and normalize_name.c
 * share, and no one else: white space (ASCII and the UTF-8 no-break and
 * thin spaces) and word lists.  They run on every field of every row, so
 * they are inline here.
 */
#ifndef CS_NORMALIZE_INT_H
#define CS_NORMALIZE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* Length of a UTF-8 space character at p (NBSP, narrow NBSP, thin space), or 0. */
static inline size_t
utf8_space(const char *p, const char *end)
{
	const unsigned char *u = (const unsigned char *)p;
	if (end - p >= 2 && u[0] == 0xc2 && u[1] == 0xa0)
		return 2;
	if (end - p >= 3 && u[0] == 0xe2 && u[1] == 0x80 && (u[2] == 0xaf || u[2] == 0x89))
		return 3;
	return 0;
}

static inline bool
is_white(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Narrow [*p, *end) past white space (ASCII and the UTF-8 spaces) at both ends. */
static inline void
trim(const char **p, const char **end)
{
	const char *a = *p, *b = *end;
	size_t n;
	while (a < b) {
		if (is_white(*a))
			a++;
		else if ((unsigned char)*a >= 0xc2 && (n = utf8_space(a, b)) > 0)
			a += n;
		else
			break;
	}
	while (b > a) {
		if (is_white(b[-1]))
			b--;
		else if ((unsigned char)b[-1] < 0x80)
			break;
		else if (b - a >= 2 && utf8_space(b - 2, b) == 2)
			b -= 2;
		else if (b - a >= 3 && utf8_space(b - 3, b) == 3)
			b -= 3;
		else
			break;
	}
	*p = a;
	*end = b;
}

/* Is word one of the NULL-terminated list? */
static inline bool
in_list(const char *word, const char *const *list)
{
	for (; *list; list++)
		if (**list == *word && strcmp(word, *list) == 0)
			return true;
	return false;
}

#endif
