/*
 * unit.h - the smallest unit-test harness that does the job.
 *
 * A test file includes this header, calls CHECK* in functions it runs from
 * main(), and ends main with `return unit_report("date");`.  Each failed check
 * prints file:line and what differed; unit_report prints "N passed, N failed"
 * for the runner to add up and returns the exit status.
 */
#ifndef CS_UNIT_H
#define CS_UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int unit_passed, unit_failed;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (cond) {                                                                        \
			unit_passed++;                                                             \
		} else {                                                                           \
			unit_failed++;                                                             \
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);   \
		}                                                                                  \
	} while (0)

#define CHECK_INT(got, want)                                                                       \
	do {                                                                                       \
		long long g_ = (long long)(got), w_ = (long long)(want);                           \
		if (g_ == w_) {                                                                    \
			unit_passed++;                                                             \
		} else {                                                                           \
			unit_failed++;                                                             \
			fprintf(stderr, "%s:%d: %s is %lld, want %lld\n", __FILE__, __LINE__, #got, \
				g_, w_);                                                           \
		}                                                                                  \
	} while (0)

#define CHECK_STR(got, want)                                                                       \
	do {                                                                                       \
		const char *g_ = (got), *w_ = (want);                                              \
		if (g_ && w_ && strcmp(g_, w_) == 0) {                                             \
			unit_passed++;                                                             \
		} else {                                                                           \
			unit_failed++;                                                             \
			fprintf(stderr, "%s:%d: %s is \"%s\", want \"%s\"\n", __FILE__, __LINE__,  \
				#got, g_ ? g_ : "(null)", w_ ? w_ : "(null)");                     \
		}                                                                                  \
	} while (0)

static inline int
unit_report(const char *suite)
{
	printf("unit %s: %d passed, %d failed\n", suite, unit_passed, unit_failed);
	return unit_failed ? 1 : 0;
}

/*
 * A mkstemp/mkdtemp template in $TMPDIR (else /tmp), as the tools place
 * their temporary files: "$TMPDIR/stem.XXXXXX".
 */
static inline void
unit_tmp_template(char *buf, size_t size, const char *stem)
{
	const char *dir = getenv("TMPDIR");
	snprintf(buf, size, "%s/%s.XXXXXX", dir && *dir ? dir : "/tmp", stem);
}

/* Write text to a new temporary file named in path (a mkstemp template). */
static inline void
unit_write_temp(char *path, const char *text)
{
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	FILE *f = fdopen(fd, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fputs(text, f);
	CHECK(fclose(f) == 0);
}

#endif
