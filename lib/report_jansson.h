/*
 * report_jansson.h - the JSON pieces the partial writer (report_partial.c)
 * and the JSON report (report_json.c) share, both defined in
 * report_partial.c.  Those two files are the report's only users of
 * jansson; this header is for them alone.
 */
#ifndef CS_REPORT_JANSSON_H
#define CS_REPORT_JANSSON_H

#include "report.h"

struct json_t; /* jansson's json_t: the two includers include <jansson.h> themselves */

/*
 * A new JSON string of s.  jansson refuses invalid UTF-8, so such bytes
 * become U+FFFD (the streams check UTF-8, but a model or option may not
 * have).
 */
struct json_t *report_json_string(const char *s);

/* A new JSON object of one entry of the most overdue list. */
struct json_t *report_json_overdue(const struct report_overdue *o);

/* A new JSON object of one review not delivered. */
struct json_t *report_json_undelivered(const struct report_undelivered *u);

#endif
