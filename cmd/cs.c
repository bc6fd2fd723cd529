/*
 * cs - the dispatcher: `cs due ...` runs `cs-due ...`, as git runs its
 * commands.  The tool is looked for beside cs itself first, then on PATH.
 * `cs` alone and `cs help` list the commands; `cs help TOOL` runs
 * `cs-TOOL --help`; a mistyped command gets the nearest one suggested.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "util.h"

static const char prog[] = "cs";

static const struct command {
	const char *name;
	const char *summary;
} commands[] = {
    {"import", "any client spreadsheet in, the canonical book out"},
    {"tier", "tier every client A/B/C by the model's rules"},
    {"remove", "let clients go, with a transition plan and an archive"},
    {"due", "who is due for which touch, this week, for each of us"},
    {"log", "record that a touch happened"},
    {"report", "the book at a glance"},
    {"journal", "verify the journal of changes, show a client's history, replay"},
    {"shard", "split a book into N files by the hash of a field"},
    {"purge", "delete archive and touch-log rows whose retention has ended"},
};
enum { NCOMMANDS = sizeof commands / sizeof *commands };

static void
usage(FILE *f)
{
	fprintf(f, "usage: %s COMMAND [ARG ...]\n", prog);
	fprintf(f, "       %s help [COMMAND]\n", prog);
	if (f != stdout)
		return;
	fputs("\nRun cs-COMMAND with the arguments.  The commands:\n", f);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fputs("\nSee 'cs help COMMAND' (or cs COMMAND --help, man cs-COMMAND) for one of them.\n", f);
}

/* "cs: no command 'tiers' (did you mean 'tier'?)", the usage line, exit 2. */
static int
unknown(const char *cmd, const char *why)
{
	const char *names[NCOMMANDS];
	for (size_t i = 0; i < NCOMMANDS; i++)
		names[i] = commands[i].name;
	const char *near = str_suggest(cmd, names, NCOMMANDS);
	fprintf(stderr, "%s: no command '%s'", prog, cmd);
	if (near)
		fprintf(stderr, " (did you mean '%s'?)", near);
	else if (why)
		fprintf(stderr, " (%s)", why);
	fputc('\n', stderr);
	usage(stderr);
	return CLI_USAGE;
}

static bool
is_command(const char *cmd)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, cmd) == 0)
			return true;
	return false;
}

/* Run cs-cmd with args (args[0] is replaced by its name); returns only on failure. */
static int
run(const char *cmd, char **args)
{
	struct buf name = {0};
	buf_printf(&name, "cs-%s", cmd);
	args[0] = name.data;

	/* Beside this binary first, so an uninstalled build runs its own tools. */
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash) {
			struct buf path = {0};
			buf_printf(&path, "%.*s/%s", (int)(slash - self), self, name.data);
			execv(path.data, args);
			buf_free(&path);
		}
	}
	execvp(name.data, args);
	int saved = errno;
	char why[256];
	snprintf(why, sizeof why, "no %s: %s", name.data, strerror(saved));
	buf_free(&name);
	return unknown(cmd, why);
}

int
main(int argc, char **argv)
{
	cli_std_fds();
	/* Alone, cs lists its commands, as git does: asking is not an error. */
	if (argc < 2) {
		usage(stdout);
		return fflush(stdout) == 0 && !ferror(stdout) ? CLI_OK : CLI_DATA;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 ||
	    (strcmp(cmd, "help") == 0 && argc == 2)) {
		usage(stdout);
		return fflush(stdout) == 0 && !ferror(stdout) ? CLI_OK : CLI_DATA;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("%s %s\n", prog, CS_VERSION);
		return CLI_OK;
	}
	if (strcmp(cmd, "help") == 0) {
		/* cs help TOOL: the tool's own --help. */
		const char *topic = argv[2];
		if (argc > 3) {
			fprintf(stderr, "%s: help takes one command\n", prog);
			usage(stderr);
			return CLI_USAGE;
		}
		if (!is_command(topic))
			return unknown(topic, NULL);
		char *args[] = {NULL, "--help", NULL};
		return run(topic, args);
	}
	if (cmd[0] == '-' || strchr(cmd, '/')) {
		fprintf(stderr, "%s: \"%s\" is not a command\n", prog, cmd);
		usage(stderr);
		return CLI_USAGE;
	}
	return run(cmd, argv + 1);
}
