/*
 * table.h - tables for people: aligned text with bar charts, and Markdown.
 *
 * A table is filled cell by cell (every cell a string, copied in) and then
 * written out in one of the human formats.  A column is either text (left
 * or right aligned) or a bar: a fraction in [0, 1] drawn with Unicode block
 * elements (eighths of a cell, so a bar moves in fine steps) or '#' in plain
 * ASCII.  Bar columns take the width the text columns leave over, so one
 * table fits any terminal: width comes from the caller ($COLUMNS or 80).
 *
 * Widths are display widths, not bytes: UTF-8 is decoded, combining marks
 * take no cell and East Asian wide characters take two (utf8_width in utf8.h), so a
 * name like "Zoë Åström" or "王芳" lines up.
 *
 * html.h renders the same tables as HTML, through the accessors below.
 *
 * Ownership: table_new returns a new table (free with table_free); every
 * string given to it is copied; strings it returns are borrowed until the
 * table is changed or freed.
 */
#ifndef CS_TABLE_H
#define CS_TABLE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util.h"

enum table_align { TABLE_LEFT, TABLE_RIGHT };

enum {
	TABLE_ASCII = 1 << 0, /* text: only ASCII for rules and bars */
};

struct table;

/* A new empty table with title (may be NULL: none). */
struct table *table_new(const char *title);
/* Free t and everything it owns.  NULL is fine. */
void table_free(struct table *t);

/* Append a text column; returns its index.  Columns come before rows. */
size_t table_add_column(struct table *t, const char *title, enum table_align align);
/*
 * Cut col's values, when too wide for the text output, from the left
 * ("…Cz31bIAB"): ids of one export share their start (Salesforce's
 * "003Ec00000…") and differ at their end.
 */
void table_column_keep_end(struct table *t, size_t col);
/* Append a bar column (each row's value is a fraction, see table_set_bar). */
size_t table_add_bar(struct table *t, const char *title);

/* Append an empty row; returns its index. */
size_t table_add_row(struct table *t);
/* Mark row as a total: the text form draws a rule above it. */
void table_set_total(struct table *t, size_t row);
/* Set a text cell to a copy of text (NULL: empty). */
void table_set(struct table *t, size_t row, size_t col, const char *text);
void table_setf(struct table *t, size_t row, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Set a bar cell: fraction is clamped to [0, 1]; NaN draws nothing. */
void table_set_bar(struct table *t, size_t row, size_t col, double fraction);

/* Accessors, for other renderers.  Strings are borrowed (never NULL; "" when unset). */
const char *table_title(const struct table *t);
size_t table_columns(const struct table *t);
size_t table_rows(const struct table *t);
const char *table_column_title(const struct table *t, size_t col);
enum table_align table_column_align(const struct table *t, size_t col);
bool table_column_is_bar(const struct table *t, size_t col);
bool table_row_is_total(const struct table *t, size_t row);
const char *table_cell(const struct table *t, size_t row, size_t col);
double table_bar(const struct table *t, size_t row, size_t col);

/*
 * Write t as aligned text on out, in at most width display columns (bar
 * columns shrink first, then the widest left-aligned text columns are cut
 * with an ellipsis), indented by two spaces, with its title above it.
 * Control characters in cells are shown as spaces.  flags: TABLE_ASCII.
 */
void table_write_text(FILE *out, const struct table *t, size_t width, unsigned flags);

/*
 * Write t as a Markdown (GFM) pipe table, its title as a bold line above.
 * Bar columns are left out: the numbers beside them say the same.  Cell
 * text is escaped so that no value can break the table or turn into markup.
 */
void table_write_markdown(FILE *out, const struct table *t);

/* Write s on out as Markdown text: escaped so it is never markup, control characters as spaces. */
void table_markdown_escape(FILE *out, const char *s);

/*
 * Write v for people into buf: rounded to decimals places (trailing zeros
 * of the fraction dropped), thousands grouped with ',' ("1,234,567.5",
 * "-42", "0.25").  NaN and infinities give "-".  Returns buf.
 */
char *table_number(double v, int decimals, char buf[48]);

/*
 * Append to out a bar of at most width cells for fraction in [0, 1]: in
 * eighths of a cell with Unicode block elements, or whole cells of '#' when
 * ascii.  A fraction above 0 shows at least the smallest step.  Returns the
 * display width appended (the bar is not padded).
 */
size_t table_bar_text(struct buf *out, double fraction, size_t width, bool ascii);

#endif
