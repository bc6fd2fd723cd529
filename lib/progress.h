/*
 * progress.h - a progress line on standard error for long reads.
 *
 * A reader (stream.c) that may run for seconds makes a progress with
 * progress_new, tells it the rows and bytes read every so often with
 * progress_tick, and frees it at the end.  The line appears only when
 * standard error is a terminal, never in pipes, files or tests, and only
 * once the read has taken progress_after seconds (default 1): short runs
 * print nothing.  It says the rows, the rows a second and, when the size
 * of the input is known (a regular file), the percent read:
 *
 *     book.csv: 1,250,000 rows, 410,000 rows/s, 37%
 *
 * It is redrawn at most PROGRESS_REDRAW_MS apart and cleared by
 * progress_free (or progress_clear, before a warning is written), so it
 * leaves nothing behind.
 *
 * The environment: CS_PROGRESS=0 turns it off; CS_PROGRESS_AFTER=SECONDS
 * changes the delay (0: from the first tick; tests/cases use it with
 * script(1) to see the line on a pseudo-terminal).
 */
#ifndef CS_PROGRESS_H
#define CS_PROGRESS_H

#include <stdint.h>

enum {
	PROGRESS_REDRAW_MS = 250, /* at most 4 redraws a second */
	PROGRESS_EVERY = 4096,    /* rows between ticks: the clock is read no more often */
};

struct progress;

/*
 * A new progress for reading name (borrowed: it must outlive the progress),
 * of size bytes (0: unknown, no percent), or NULL when there is to be no
 * line: standard error is not a terminal, or CS_PROGRESS is "0".  Every
 * function below takes NULL and does nothing with it.
 */
struct progress *progress_new(const char *name, uint64_t size);
/*
 * rows and bytes read so far.  Reads the clock; draws the line when the
 * delay has passed and the last draw is PROGRESS_REDRAW_MS old.  Callers
 * call it every PROGRESS_EVERY rows, so the clock costs nothing per row.
 */
void progress_tick(struct progress *p, uint64_t rows, uint64_t bytes);
/* Erase the line if it is drawn (the next tick draws it again). */
void progress_clear(struct progress *p);
/* Erase the line and free p. */
void progress_free(struct progress *p);

#endif
