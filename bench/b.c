/*
 * b.c - B, the yardstick of bench/: a bare libcsv program that parses a file
 * in 64 KiB reads and counts its fields and rows, nothing else.  Every cs
 * tool is measured as a ratio to it (bench/ir.sh, bench/hyperfine.sh): what
 * the parser cs chose costs, before cs does anything with the fields.
 *
 *   b FILE     prints "ROWS rows, FIELDS fields"
 */
#include <csv.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

struct counts {
	unsigned long fields, rows;
};

static void
on_field(void *p, size_t len, void *ctx)
{
	(void)p;
	(void)len;
	((struct counts *)ctx)->fields++;
}

static void
on_row(int c, void *ctx)
{
	(void)c;
	((struct counts *)ctx)->rows++;
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fputs("usage: b file\n", stderr);
		return 2;
	}
	int fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	struct csv_parser p;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return 3;
	struct counts n = {0};
	static char chunk[64 * 1024];
	ssize_t got;
	while ((got = read(fd, chunk, sizeof chunk)) > 0)
		if (csv_parse(&p, chunk, (size_t)got, on_field, on_row, &n) != (size_t)got) {
			fprintf(stderr, "%s: %s\n", argv[1], csv_strerror(csv_error(&p)));
			return 1;
		}
	csv_fini(&p, on_field, on_row, &n);
	csv_free(&p);
	close(fd);
	printf("%lu rows, %lu fields\n", n.rows, n.fields);
	return got < 0;
}
