/*
 * test_oom.c - running out of memory ends the run with its own message and
 * status (3), never the usage status.  The allocation is made in a child,
 * whose standard error is a pipe read back here.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"
#include "util.h"

/* Under AddressSanitizer, let a huge malloc return NULL as libc's does. */
const char *__asan_default_options(void);
const char *
__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

/* Run alloc in a child; its exit status, and what it wrote on stderr into msg. */
static int
child(void (*alloc)(void), char *msg, size_t size)
{
	int fds[2];
	if (pipe(fds) != 0)
		return -1;
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fds[1], 2);
		close(fds[0]);
		alloc();
		_exit(0);
	}
	close(fds[1]);
	/* Read to the end: closing the pipe early would kill a child still
	 * writing (a sanitizer's warning comes in a write of its own). */
	size_t len = 0;
	for (ssize_t n; (n = read(fds[0], msg + len, size - 1 - len)) != 0;) {
		if (n > 0)
			len += (size_t)n;
		else if (errno != EINTR)
			break;
		if (len == size - 1)
			break;
	}
	msg[len] = '\0';
	close(fds[0]);
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* msg without the lines a sanitizer wrote ("==PID==WARNING: ..."). */
static const char *
ours(const char *msg)
{
	while (strncmp(msg, "==", 2) == 0 && strchr(msg, '\n'))
		msg = strchr(msg, '\n') + 1;
	return msg;
}

static void
huge_malloc(void)
{
	free(xmalloc(SIZE_MAX / 2));
}

static void
huge_buffer(void)
{
	struct buf b = {0};
	buf_grow(&b, SIZE_MAX / 4);
	buf_free(&b);
}

int
main(void)
{
	char msg[512];
	CHECK_INT(child(huge_malloc, msg, sizeof msg), 3);
	CHECK_STR(ours(msg), "cs: out of memory\n");
	CHECK_INT(child(huge_buffer, msg, sizeof msg), 3);
	CHECK_STR(ours(msg), "cs: out of memory\n");
	return unit_report("oom");
}
