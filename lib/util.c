/*
 * util.c - allocation, buffers, errors and small string helpers shared by
 * every module.  Nothing here keeps state between calls.
 */
#define _DEFAULT_SOURCE /* madvise */
#include "util.h"

#include <sys/mman.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
out_of_memory(void)
{
	fputs("cs: out of memory\n", stderr);
	exit(2);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *
xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *
xcalloc_table(size_t n)
{
	enum { HUGE = 2 * 1024 * 1024 };
#ifdef MADV_HUGEPAGE
	if (n >= HUGE) {
		void *p = NULL;
		size_t size = (n + HUGE - 1) / HUGE * HUGE;
		if (posix_memalign(&p, HUGE, size) == 0) {
			madvise(p, size, MADV_HUGEPAGE);
			memset(p, 0, n);
			return p;
		}
	}
#endif
	return xcalloc(1, n);
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *
xgrow(void *p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return p;
	size_t n = *cap ? *cap : 8;
	while (n < need) {
		if (n > SIZE_MAX / 2 / elem)
			out_of_memory();
		n *= 2;
	}
	*cap = n;
	return xrealloc(p, n * elem);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

int
cs_error_set(struct cs_error *err, const char *file, long row, const char *fmt, ...)
{
	if (!err)
		return -1;
	err->file = file;
	err->row = row;
	err->col = 0;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return -1;
}

void
cs_error_print(const char *prog, const struct cs_error *err, bool warning)
{
	/* One write per message: stderr is unbuffered, and a messy file can warn a lot. */
	char where[64] = "";
	if (err->file) {
		int n = err->row > 0 ? snprintf(where, sizeof where, ":%ld", err->row) : 0;
		if (err->col > 0 && n >= 0)
			snprintf(where + n, sizeof where - (size_t)n, ":%d", err->col);
	}
	fprintf(stderr, "%s: %s%s%s%s%s\n", prog, warning ? "warning: " : "",
	        err->file ? err->file : "", where, err->file ? ": " : "", err->msg);
}

void
buf_grow(struct buf *b, size_t extra)
{
	b->data = xgrow(b->data, &b->cap, b->len + extra + 1, 1);
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

bool
ascii_casecmp_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (ascii_lower((unsigned char)*a) != ascii_lower((unsigned char)*b))
			return false;
	return *a == *b;
}

/* The UTF-8 check of both public functions; nul: a NUL byte ends the prefix. */
static inline size_t
utf8_prefix(const char *s, size_t n, bool nul)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		/* ASCII, the common case, eight bytes at a time. */
		while (i + 8 <= n) {
			uint64_t word;
			memcpy(&word, p + i, 8);
			if (word & 0x8080808080808080u)
				break;
			/* A zero byte in the word: the classic has-zero test. */
			if (nul && ((word - 0x0101010101010101u) & ~word & 0x8080808080808080u))
				break;
			i += 8;
		}
		if (i == n)
			break;
		unsigned c = p[i];
		if (c == 0 && nul)
			return i;
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t len;
		unsigned min;
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2;
			min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			min = 0x10000;
		} else {
			return i;
		}
		if (i + len > n)
			return i;
		unsigned cp = c & (0xff >> (len + 1));
		for (size_t k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		/* Overlong forms, surrogates and values past U+10FFFF are not UTF-8. */
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += len;
	}
	return n;
}

size_t
utf8_valid_prefix(const char *s, size_t n)
{
	return utf8_prefix(s, n, false);
}

size_t
utf8_text_prefix(const char *s, size_t n)
{
	return utf8_prefix(s, n, true);
}

char *
format_double(double d, char buf[32])
{
	/* Plain decimals where they are short enough, as DESIGN section 3 asks. */
	double mag = d < 0 ? -d : d;
	if (mag == 0 || (mag >= 1e-6 && mag < 1e15)) {
		for (int decimals = 0; decimals <= 17; decimals++) {
			snprintf(buf, 32, "%.*f", decimals, d);
			if (strtod(buf, NULL) == d)
				return buf;
		}
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, 32, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	return buf;
}

bool
is_canonical_number(const char *s, size_t n)
{
	size_t i = 0, digits = 0;
	if (i < n && s[i] == '-')
		i++;
	if (i == n || s[i] < '0' || s[i] > '9')
		return false;
	if (s[i] == '0' && i + 1 < n && s[i + 1] != '.')
		return false;
	bool leading = true;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		if (s[i] != '0')
			leading = false;
		if (!leading)
			digits++;
	}
	if (i < n && s[i] == '.') {
		size_t start = ++i;
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
		if (i == start || s[i - 1] == '0')
			return false;
	}
	/* "-0" is not the shortest form of zero. */
	if (s[0] == '-' && n == 2 && s[1] == '0')
		return false;
	return i == n && digits <= 15;
}

char *
path_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	return slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
}

int
fsync_dir(const char *path)
{
	char *dir = path_dir(path);
	int fd = open(dir, O_RDONLY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return -1;
	int rc = fsync(fd) != 0 && errno != EINVAL ? -1 : 0;
	int saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

void
strlist_add(struct strlist *l, const char *s)
{
	l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
	l->v[l->n++] = s;
}

void
strlist_free(struct strlist *l)
{
	free(l->v);
	*l = (struct strlist){0};
}
