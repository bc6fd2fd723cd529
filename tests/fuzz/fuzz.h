/*
 * fuzz.h - what the libFuzzer targets share: the bytes as a file the
 * library can open, and a check that aborts with a message.
 *
 * The readers take a path (lib/input.h reads with read(2) from a file
 * descriptor), and there is no in-memory input.  So each process makes an
 * anonymous file once (memfd_create; a temporary file unlinked at once
 * where memfd is missing), rewrites it for every input, and hands out
 * /proc/self/fd/N: opening that gives a fresh offset, and nothing is ever
 * written outside the process.
 */
#ifndef CS_FUZZ_H
#define CS_FUZZ_H

#define _GNU_SOURCE /* memfd_create */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "error.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The slots: a target needs at most two files at once (a round trip). */
enum { FUZZ_SLOTS = 2 };

static inline int
fuzz_anon_file(void)
{
	int fd = memfd_create("cs-fuzz", 0);
	if (fd >= 0)
		return fd;
	const char *dir = getenv("TMPDIR");
	char path[512];
	snprintf(path, sizeof path, "%s/cs-fuzz.XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0) {
		perror("cs-fuzz: cannot make a scratch file");
		abort();
	}
	unlink(path);
	return fd;
}

/*
 * A path whose contents are data[0..size), valid until the next call with
 * the same slot.  Borrowed (static storage).
 */
static inline const char *
fuzz_file(int slot, const void *data, size_t size)
{
	static int fds[FUZZ_SLOTS] = {-1, -1};
	static char paths[FUZZ_SLOTS][64];
	if (fds[slot] < 0) {
		fds[slot] = fuzz_anon_file();
		snprintf(paths[slot], sizeof paths[slot], "/proc/self/fd/%d", fds[slot]);
	}
	if (ftruncate(fds[slot], 0) != 0) {
		perror("cs-fuzz: ftruncate");
		abort();
	}
	const char *p = data;
	size_t done = 0;
	while (done < size) {
		ssize_t n = pwrite(fds[slot], p + done, size - done, (off_t)done);
		if (n <= 0) {
			perror("cs-fuzz: pwrite");
			abort();
		}
		done += (size_t)n;
	}
	return paths[slot];
}

/* A check that must hold: print what failed and abort (a finding). */
#define FUZZ_CHECK(cond, ...)                                                                      \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond);   \
			fprintf(stderr, __VA_ARGS__);                                              \
			fputc('\n', stderr);                                                       \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* A NUL-terminated copy of data[0..size): new, free with free(). */
static inline char *
fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
