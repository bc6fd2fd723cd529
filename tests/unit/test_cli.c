/*
 * test_cli.c - option tables: cli_getopt parses by them, cli_print_help
 * lays out their --help lines.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "unit.h"

enum { OPT_RULE = CLI_OPT_OWN, OPT_LOCK };

static const struct cli_opt table[] = {
    CLI_COMMON_MODEL(CLI_HELP_MODEL),
    {OPT_RULE, "rule", "'T: E'", "tier T when E;\nrepeatable"},
    {OPT_LOCK, "lock", NULL, "lock"},
    {'i', "in-place", NULL, "rewrite"},
    CLI_COMMON_OUTPUT(CLI_HELP_OUTPUT),
    CLI_COMMON_CSV(CLI_HELP_CSV),
    CLI_COMMON_HELP_VERSION,
    {0},
};

static void
test_getopt(void)
{
	char *argv[] = {"t",     "-cim",  "model.json", "--out=x", "--rule", "A: true", "file",
	                "--ver", "--loc", "-z",         "--",      "-c",     NULL};
	int argc = (int)(sizeof argv / sizeof *argv) - 1;
	opterr = 0; /* the '?' below is expected: no message */
	CHECK_INT(cli_getopt(argc, argv, table), 'c');
	CHECK_INT(cli_getopt(argc, argv, table), 'i');
	CHECK_INT(cli_getopt(argc, argv, table), 'm');
	CHECK_STR(optarg, "model.json");
	CHECK_INT(cli_getopt(argc, argv, table), 'o');
	CHECK_STR(optarg, "x");
	CHECK_INT(cli_getopt(argc, argv, table), OPT_RULE);
	CHECK_STR(optarg, "A: true");
	CHECK_INT(cli_getopt(argc, argv, table), CLI_OPT_VERSION); /* an abbreviation */
	CHECK_INT(cli_getopt(argc, argv, table), OPT_LOCK);
	CHECK_INT(cli_getopt(argc, argv, table), '?'); /* -z is not in the table */
	CHECK_INT(cli_getopt(argc, argv, table), -1);
	/* getopt_long moved the operand "file" past the options; "--" ends them. */
	CHECK_INT(argc - optind, 2);
	CHECK_STR(argv[optind], "file");
	CHECK_STR(argv[optind + 1], "-c");
	opterr = 1;
}

static void
test_print_help(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	cli_print_help(f, table, 20);
	fclose(f);
	CHECK_STR(text,
	          "  -m, --model FILE  the service model (default: $CS_MODEL, else built in)\n"
	          "      --rule 'T: E'\n" /* too wide for column 20: its own line */
	          "                    tier T when E;\n"
	          "                    repeatable\n"
	          "      --lock        lock\n"
	          "  -i, --in-place    rewrite\n"
	          "  -o, --output FILE\n"
	          "                    write to FILE instead of standard output\n"
	          "  -c, --csv         write CSV\n"
	          "  -h, --help        show this help\n"
	          "      --version     show the version\n");
	free(text);
}

static void
test_text_width(void)
{
	/* On a terminal the terminal's width wins (tests/cases/cs/text-width
	 * checks that through script(1)); the runner gives us a pipe. */
	if (isatty(STDOUT_FILENO)) {
		fprintf(stderr, "test_cli: stdout is a terminal: $COLUMNS not checked\n");
		return;
	}
	static const struct {
		const char *columns; /* NULL: unset */
		size_t width;
	} cases[] = {
	    {NULL, 80}, {"", 80},   {"120", 120}, {"40", 40},     {"39", 40},     {"1", 40},
	    {"0", 80},  {"-5", 80}, {"12x", 80},  {"1000", 1000}, {"5000", 1000},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		if (cases[i].columns)
			setenv("COLUMNS", cases[i].columns, 1);
		else
			unsetenv("COLUMNS");
		CHECK_INT(cli_text_width(), cases[i].width);
	}
	unsetenv("COLUMNS");
}

static void
test_suggest(void)
{
	CHECK_INT(str_edit_distance("", ""), 0);
	CHECK_INT(str_edit_distance("where", "where"), 0);
	CHECK_INT(str_edit_distance("", "abc"), 3);
	CHECK_INT(str_edit_distance("abc", ""), 3);
	CHECK_INT(str_edit_distance("wehre", "where"), 1); /* a swap of neighbours */
	CHECK_INT(str_edit_distance("wher", "where"), 1);
	CHECK_INT(str_edit_distance("whereas", "where"), 2);
	CHECK_INT(str_edit_distance("kitten", "sitting"), 3);
	CHECK_INT(str_edit_distance("ca", "abc"), 3); /* optimal alignment: no edit twice */
	static const char *const names[] = {"where", "set", "score", "strict", "summary"};
	CHECK_STR(str_suggest("wehre", names, 5), "where");
	CHECK_STR(str_suggest("scor", names, 5), "score");
	CHECK_STR(str_suggest("sumary", names, 5), "summary");
	CHECK(str_suggest("where", names, 5) == NULL); /* itself: nothing to suggest */
	CHECK(str_suggest("frobnicate", names, 5) == NULL);
	CHECK(str_suggest("xyz", names, 0) == NULL);
	/* 3 edits: only for a word of 9 bytes or more */
	static const char *const long_names[] = {"show-mapping"};
	CHECK_STR(str_suggest("shwo-mapign", long_names, 1), "show-mapping");
	static const char *const short_names[] = {"due"};
	CHECK(str_suggest("xyz", short_names, 1) == NULL);
}

/* Unknown, ambiguous, argument errors: '?' (with opterr 0, no message). */
static void
test_getopt_errors(void)
{
	char *argv[] = {"t", "--lock=1", "--rul", "--ou", "x", "--model", NULL};
	int argc = 6;
	opterr = 0;
	optind = 0;
	CHECK_INT(cli_getopt(argc, argv, table), '?');      /* takes no argument */
	CHECK_INT(cli_getopt(argc, argv, table), OPT_RULE); /* an abbreviation: 'x' is its argument */
	CHECK_STR(optarg, "--ou");
	CHECK_INT(cli_getopt(argc, argv, table), '?'); /* --model without its FILE */
	CHECK_INT(cli_getopt(argc, argv, table), -1);
	opterr = 1;
	/* CLI_FORMAT stays out of the id cli_getopt returns */
	char *argv2[] = {"t", "--csv", "-c", NULL};
	optind = 0;
	CHECK_INT(cli_getopt(3, argv2, table), 'c');
	CHECK_INT(cli_getopt(3, argv2, table), 'c');
	CHECK_INT(cli_getopt(3, argv2, table), -1); /* the same format twice is no conflict */
	CHECK_INT(optind, 3);
}

int
main(void)
{
	test_getopt();
	test_print_help();
	test_text_width();
	test_suggest();
	test_getopt_errors();
	return unit_report("cli");
}
