/*
 * runsort.c - temporary files for sorted runs, and the k-way merge of
 * sorted sources (runsort.h).
 *
 * A run's file has no name in any directory (O_TMPFILE, else unlinked as
 * soon as it is made), so no run outlives its process, whatever ends it
 * (kill -9 included); it is read back through /dev/fd, which Linux opens
 * anew at the file's start.
 *
 * The merge is a binary min-heap of source indices keyed by their heads:
 * log2(k) comparisons a record.  Equal heads are ordered by index, which
 * keeps the merge stable and its output the same on every run.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runsort.h"
#include "util.h"

FILE *
runsort_tmpfile(char **path, struct cs_error *err)
{
	FILE *f = tmp_nameless();
	if (!f) {
		cs_error_set(err, NULL, 0,
		             "cannot create a temporary file in %s for a sorted run: %s", tmp_dir(),
		             strerror(errno));
		return NULL;
	}
	struct buf name = {0};
	buf_printf(&name, "/dev/fd/%d", fileno(f));
	*path = name.data; /* the buffer's bytes are the caller's now */
	return f;
}

struct runsort_merge {
	void *const *sources;
	size_t n;
	runsort_next_fn *next;
	runsort_cmp_fn *cmp;
	void *ctx;
	size_t *heap; /* source indices with a head, least first */
	size_t nheap;
	long last; /* the source handed out by the last call, to move on; -1: none */
	bool started;
};

struct runsort_merge *
runsort_merge_new(void *const *sources, size_t n, runsort_next_fn *next, runsort_cmp_fn *cmp,
                  void *ctx)
{
	struct runsort_merge *m = xcalloc(1, sizeof *m);
	m->sources = sources;
	m->n = n;
	m->next = next;
	m->cmp = cmp;
	m->ctx = ctx;
	m->heap = xcalloc(n ? n : 1, sizeof *m->heap);
	m->last = -1;
	return m;
}

/* True if source a's head comes before source b's. */
static bool
before(const struct runsort_merge *m, size_t a, size_t b)
{
	int c = m->cmp(m->sources[a], m->sources[b], m->ctx);
	return c < 0 || (c == 0 && a < b);
}

static void
sift_down(struct runsort_merge *m, size_t i)
{
	for (;;) {
		size_t least = i, l = 2 * i + 1, r = l + 1;
		if (l < m->nheap && before(m, m->heap[l], m->heap[least]))
			least = l;
		if (r < m->nheap && before(m, m->heap[r], m->heap[least]))
			least = r;
		if (least == i)
			return;
		size_t t = m->heap[i];
		m->heap[i] = m->heap[least];
		m->heap[least] = t;
		i = least;
	}
}

long
runsort_merge_next(struct runsort_merge *m, struct cs_error *err)
{
	if (!m->started) {
		m->started = true;
		for (size_t i = 0; i < m->n; i++) {
			int got = m->next(m->sources[i], err);
			if (got < 0)
				return -2;
			if (got)
				m->heap[m->nheap++] = i;
		}
		for (size_t i = m->nheap / 2; i-- > 0;)
			sift_down(m, i);
	} else if (m->last >= 0) {
		/* The last one handed out is at the top: move it on, then put it in its place. */
		int got = m->next(m->sources[m->last], err);
		if (got < 0)
			return -2;
		if (!got)
			m->heap[0] = m->heap[--m->nheap];
		if (m->nheap)
			sift_down(m, 0);
	}
	m->last = m->nheap ? (long)m->heap[0] : -1;
	return m->last;
}

void
runsort_merge_free(struct runsort_merge *m)
{
	if (!m)
		return;
	free(m->heap);
	free(m);
}
