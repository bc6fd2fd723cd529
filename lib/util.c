/*
 * util.c - allocation, buffers and small string helpers shared by
 * every module.  Nothing here keeps state between calls.
 */
/* madvise; O_TMPFILE (Linux; elsewhere mkstemp and unlink) */
#define _GNU_SOURCE
#include "util.h"

#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
out_of_memory(void)
{
	/* Its own status: neither bad data (1) nor a usage error (2). */
	fputs("cs: out of memory\n", stderr);
	exit(3);
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

size_t
str_edit_distance(const char *a, const char *b)
{
	/* Optimal string alignment (Levenshtein plus a swap of neighbours,
	 * "--wehre"), over three rows; names are short, cut at 63 bytes. */
	enum { MAX = 64 };
	size_t n = strlen(a), m = strlen(b);
	n = n < MAX - 1 ? n : MAX - 1;
	m = m < MAX - 1 ? m : MAX - 1;
	size_t rows[3][MAX];
	size_t *before = rows[0], *prev = rows[1], *cur = rows[2];
	for (size_t j = 0; j <= m; j++)
		prev[j] = j;
	for (size_t i = 1; i <= n; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= m; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t best = prev[j - 1] + cost;
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    before[j - 2] + 1 < best)
				best = before[j - 2] + 1;
			cur[j] = best;
		}
		size_t *t = before;
		before = prev;
		prev = cur;
		cur = t;
	}
	return prev[m];
}

const char *
str_suggest(const char *word, const char *const *names, size_t n)
{
	const char *best = NULL;
	size_t best_d = 0, len = strlen(word);
	for (size_t i = 0; i < n; i++) {
		size_t d = str_edit_distance(word, names[i]);
		if (!best || d < best_d) {
			best = names[i];
			best_d = d;
		}
	}
	/* Close enough to be a slip, not another word: git's rule of thumb. */
	if (!best || best_d == 0 || !str_is_slip(best_d, len))
		return NULL;
	return best;
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

const char *
tmp_dir(void)
{
	const char *dir = getenv("TMPDIR");
	return dir && *dir ? dir : "/tmp";
}

int
tmp_named(const char *stem, struct buf *path)
{
	buf_reset(path);
	buf_printf(path, "%s/%s.XXXXXX", tmp_dir(), stem);
	mode_t old = umask(077);
	int fd = mkostemp(path->data, O_CLOEXEC);
	umask(old);
	if (fd < 0)
		buf_reset(path);
	return fd;
}

/*
 * O_TMPFILE makes the file nameless from the start; without it (another
 * system, or a file system that lacks it) mkstemp's file is unlinked at
 * once, which leaves a kill only the instant between the two calls.
 */
FILE *
tmp_nameless(void)
{
	int fd = -1;
#ifdef O_TMPFILE
	fd = open(tmp_dir(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0 && errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
		return NULL;
#endif
	if (fd < 0) {
		struct buf name = {0};
		fd = tmp_named("cs-tmp", &name);
		if (fd >= 0)
			unlink(name.data);
		buf_free(&name);
	}
	FILE *f = fd >= 0 ? fdopen(fd, "w+") : NULL;
	if (!f && fd >= 0) {
		int saved = errno;
		close(fd);
		errno = saved;
	}
	return f;
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
