/*
 * test_runsort.c - unit tests for lib/runsort.c: the k-way merge gives its
 * sources' records in order, equal heads in source order, and stops at a
 * source's error; a run's temporary file is made in $TMPDIR, mode 0600,
 * with no name there, and opens again by the name it is given.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runsort.h"
#include "unit.h"

/* A source of sorted pairs (key, tag): the key orders, the tag shows which came first. */
struct ints {
	const int (*v)[2];
	size_t n, at;
	int fail_at; /* give an error when this many were read; -1: never */
};

static int
ints_next(void *p, struct cs_error *err)
{
	struct ints *s = p;
	if ((int)s->at == s->fail_at)
		return cs_error_set(err, "ints", (long)s->at, "broken");
	if (s->at == s->n)
		return 0;
	s->at++;
	return 1;
}

static int
ints_cmp(const void *pa, const void *pb, void *ctx)
{
	const struct ints *a = pa, *b = pb;
	(*(int *)ctx)++;
	int x = a->v[a->at - 1][0], y = b->v[b->at - 1][0];
	return x < y ? -1 : x > y;
}

/* Merge the sources into out (keys*100 + tag); returns how many, or -1 on an error. */
static long
merge_all(struct ints *s, size_t n, int *out, struct cs_error *err)
{
	void *v[8];
	for (size_t i = 0; i < n; i++)
		v[i] = &s[i];
	int compares = 0;
	struct runsort_merge *m = runsort_merge_new(v, n, ints_next, ints_cmp, &compares);
	long i, count = 0;
	while ((i = runsort_merge_next(m, err)) >= 0) {
		const struct ints *src = &s[i];
		out[count++] = src->v[src->at - 1][0] * 100 + src->v[src->at - 1][1];
	}
	runsort_merge_free(m);
	return i == -2 ? -1 : count;
}

static void
test_merge(void)
{
	static const int a[][2] = {{1, 0}, {4, 0}, {4, 1}, {9, 0}};
	static const int b[][2] = {{2, 0}, {4, 2}, {10, 0}};
	static const int c[][2] = {{0, 0}, {4, 3}};
	struct ints s[4] = {{a, 4, 0, -1}, {b, 3, 0, -1}, {NULL, 0, 0, -1}, {c, 2, 0, -1}};
	int out[16];
	struct cs_error err;
	CHECK_INT(merge_all(s, 4, out, &err), 9);
	static const int want[] = {0, 100, 200, 400, 401, 402, 403, 900, 1000};
	for (size_t i = 0; i < 9; i++)
		CHECK_INT(out[i], want[i]);

	/* No source, and only empty ones. */
	CHECK_INT(merge_all(s, 0, out, &err), 0);
	struct ints empty[2] = {{NULL, 0, 0, -1}, {NULL, 0, 0, -1}};
	CHECK_INT(merge_all(empty, 2, out, &err), 0);
}

static void
test_error(void)
{
	static const int a[][2] = {{1, 0}, {2, 0}, {3, 0}};
	struct ints s[2] = {{a, 3, 0, -1}, {a, 3, 0, 2}};
	int out[16];
	struct cs_error err = {0};
	CHECK_INT(merge_all(s, 2, out, &err), -1);
	CHECK_STR(err.msg, "broken");
	/* An error priming the first head. */
	struct ints t[1] = {{a, 3, 0, 0}};
	CHECK_INT(merge_all(t, 1, out, &err), -1);
}

static void
test_tmpfile(void)
{
	char dir[200];
	unit_tmp_template(dir, sizeof dir, "cs-test-runsort");
	CHECK(mkdtemp(dir) != NULL);
	setenv("TMPDIR", dir, 1);
	char *path = NULL;
	struct cs_error err;
	FILE *f = runsort_tmpfile(&path, &err);
	CHECK(f != NULL);
	/* It has no name in the directory, from the start. */
	CHECK(rmdir(dir) == 0);
	CHECK(mkdir(dir, 0700) == 0);
	struct stat st;
	CHECK(f && fstat(fileno(f), &st) == 0 && (st.st_mode & 0777) == 0600);
	/* Its name opens it again, from its start, while it is open. */
	CHECK(path && strncmp(path, "/dev/fd/", 8) == 0);
	CHECK(f && fputs("run\n", f) >= 0 && fflush(f) == 0);
	FILE *again = path ? fopen(path, "r") : NULL;
	char line[16] = "";
	CHECK(again && fgets(line, sizeof line, again) != NULL);
	CHECK_STR(line, "run\n");
	if (again)
		fclose(again);
	CHECK(f && fclose(f) == 0);
	free(path);
	CHECK(rmdir(dir) == 0);

	/* A directory that does not exist: an error that names it. */
	setenv("TMPDIR", "/nonexistent/cs", 1);
	CHECK(runsort_tmpfile(&path, &err) == NULL);
	CHECK(strstr(err.msg, "/nonexistent/cs") != NULL);
	unsetenv("TMPDIR");
}

int
main(void)
{
	test_merge();
	test_error();
	test_tmpfile();
	return unit_report("runsort");
}
