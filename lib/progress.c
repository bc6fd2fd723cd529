/*
 * progress.c - the progress line (progress.h).
 *
 * Two decisions shape it.  It costs the reader nothing per row: the reader
 * counts rows and calls progress_tick every PROGRESS_EVERY of them, and only
 * then is the clock read.  And it never reaches a file: it is made only when
 * standard error is a terminal, so pipes, cron mail and the test cases see
 * the same bytes as before.  The line is drawn as "\r", the text, "\033[K"
 * (erase the rest of the line), and erased with "\r\033[K".
 */
#include "progress.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

struct progress {
	const char *name;
	uint64_t size;
	double start, after, last_draw;
	bool drawn;
};

static double
now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct progress *
progress_new(const char *name, uint64_t size)
{
	const char *on = getenv("CS_PROGRESS");
	if ((on && strcmp(on, "0") == 0) || !isatty(STDERR_FILENO))
		return NULL;
	double after = 1.0;
	const char *env = getenv("CS_PROGRESS_AFTER");
	if (env && *env) {
		char *end;
		double v = strtod(env, &end);
		if (*end == '\0' && v >= 0)
			after = v;
	}
	struct progress *p = xcalloc(1, sizeof *p);
	p->name = name;
	p->size = size;
	p->after = after;
	p->start = now_seconds();
	return p;
}

/* n with a comma every three digits: "1,250,000".  out holds 32 bytes. */
static void
format_count(uint64_t n, char out[32])
{
	char digits[24];
	int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
	size_t o = 0;
	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

void
progress_tick(struct progress *p, uint64_t rows, uint64_t bytes)
{
	if (!p)
		return;
	double t = now_seconds(), elapsed = t - p->start;
	if (elapsed < p->after || (p->drawn && (t - p->last_draw) * 1000 < PROGRESS_REDRAW_MS))
		return;
	char count[32], rate[32] = "", percent[16] = "";
	format_count(rows, count);
	if (elapsed > 0)
		format_count((uint64_t)((double)rows / elapsed), rate);
	if (p->size > 0) {
		uint64_t pc = bytes >= p->size ? 100 : bytes * 100 / p->size;
		snprintf(percent, sizeof percent, ", %llu%%", (unsigned long long)pc);
	}
	fprintf(stderr, "\r%s: %s rows%s%s%s%s\033[K", p->name, count, *rate ? ", " : "", rate,
	        *rate ? " rows/s" : "", percent);
	fflush(stderr);
	p->drawn = true;
	p->last_draw = t;
}

void
progress_clear(struct progress *p)
{
	if (!p || !p->drawn)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	p->drawn = false;
}

void
progress_free(struct progress *p)
{
	progress_clear(p);
	free(p);
}
