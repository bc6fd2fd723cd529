/*
 * cs - the dispatcher: `cs due ...` runs `cs-due ...`, as git runs its
 * commands.  The tool is looked for beside cs itself first, then on PATH.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

static const char prog[] = "cs";

static void
usage(FILE *f)
{
	fprintf(f, "usage: %s COMMAND [ARG ...]\n", prog);
	if (f == stdout)
		fputs("\n"
		      "Run cs-COMMAND with the arguments.  The commands:\n"
		      "  import   any client spreadsheet in, the canonical book out\n"
		      "  tier     tier every client A/B/C by the model's rules\n"
		      "  remove   let clients go, with a transition plan and an archive\n"
		      "  due      who is due for which touch, this week, for each of us\n"
		      "  log      record that a touch happened\n"
		      "  report   the book at a glance\n"
		      "\n"
		      "Each has its own --help and manual page, e.g. man cs-due.\n",
		      f);
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("%s %s\n", prog, CS_VERSION);
		return 0;
	}
	if (cmd[0] == '-' || strchr(cmd, '/')) {
		fprintf(stderr, "%s: \"%s\" is not a command\n", prog, cmd);
		usage(stderr);
		return 2;
	}
	struct buf name = {0};
	buf_printf(&name, "cs-%s", cmd);
	argv[1] = name.data;

	/* Beside this binary first, so an uninstalled build runs its own tools. */
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash) {
			struct buf path = {0};
			buf_printf(&path, "%.*s/%s", (int)(slash - self), self, name.data);
			execv(path.data, argv + 1);
			buf_free(&path);
		}
	}
	execvp(name.data, argv + 1);
	fprintf(stderr, "%s: \"%s\" is not a command (no %s: %s)\n", prog, cmd, name.data,
	        strerror(errno));
	buf_free(&name);
	return 2;
}
