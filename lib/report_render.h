/*
 * report_render.h - the report as a reader sees it: text, Markdown, HTML
 * (report_render.c) or JSON (report_json.c), all from one struct
 * report_view.
 */
#ifndef CS_REPORT_RENDER_H
#define CS_REPORT_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "report.h"
#include "report_view.h"

enum report_format { REPORT_TEXT, REPORT_MARKDOWN, REPORT_JSON, REPORT_HTML };

/* The format called name ("text", "markdown" or "md", "json", "html"); -1 if none. */
int report_format_parse(const char *name);

struct report_style {
	enum report_format format;
	unsigned sections; /* a mask of enum report_section; 0 means all */
	size_t width;      /* text: display columns (0: 80) */
	bool ascii;        /* text: plain ASCII rules and bars */
	int weeks;         /* capacity: working weeks a year (0: REPORT_WEEKS) */
	bool untitled;     /* text, Markdown: the sections only, without the report's title */
};

/*
 * Write the report of r (borrowed) in style on out: build its view and
 * render it.  Write errors are the caller's to check on out.
 */
void report_write(const struct report *r, const struct report_style *style, FILE *out);

/*
 * Write the sections of v as one JSON object on out (report_json.c).
 * Write errors are the caller's to check on out.
 */
void report_write_json(const struct report_view *v, FILE *out);

#endif
