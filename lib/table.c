/*
 * table.c - text and Markdown tables with bar charts and UTF-8 widths.
 *
 * A table keeps its cells as owned strings in one row-major array, and bar
 * values beside them; nothing is laid out until it is written, because the
 * layout depends on every cell.  Writing measures each text column in
 * display cells (utf8_width), gives the bar columns what the terminal width
 * leaves (capped, so a bar on a wide terminal stays readable), and when even
 * that does not fit, narrows the widest left-aligned column, which is where
 * long names live, before it gives up on the bars.  Numbers (right-aligned)
 * are never cut.
 */
#include "table.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

struct column {
	char *title;
	enum table_align align;
	bool bar;
	bool keep_end; /* cut from the left: ids differ at their end */
};

struct table {
	char *title;
	struct column *cols;
	size_t ncols, capcols;
	char **cells; /* nrows * ncols, NULL = empty */
	double *bars; /* nrows * ncols */
	bool *total;  /* per row */
	size_t nrows, caprows;
};

struct table *
table_new(const char *title)
{
	struct table *t = xcalloc(1, sizeof *t);
	t->title = title ? xstrdup(title) : NULL;
	return t;
}

void
table_free(struct table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	for (size_t i = 0; i < t->ncols; i++)
		free(t->cols[i].title);
	free(t->cells);
	free(t->bars);
	free(t->total);
	free(t->cols);
	free(t->title);
	free(t);
}

static size_t
add_column(struct table *t, const char *title, enum table_align align, bool bar)
{
	t->cols = xgrow(t->cols, &t->capcols, t->ncols + 1, sizeof *t->cols);
	t->cols[t->ncols] =
	    (struct column){.title = xstrdup(title ? title : ""), .align = align, .bar = bar};
	if (t->caprows) {
		/* Rows exist: the arrays are row-major, so widen every row. */
		size_t old = t->ncols, now = old + 1;
		char **cells = xcalloc(t->caprows * now, sizeof *cells);
		double *bars = xmalloc(t->caprows * now * sizeof *bars);
		for (size_t r = 0; r < t->nrows; r++) {
			memcpy(cells + r * now, t->cells + r * old, old * sizeof *cells);
			memcpy(bars + r * now, t->bars + r * old, old * sizeof *bars);
			bars[r * now + old] = NAN;
		}
		free(t->cells);
		free(t->bars);
		t->cells = cells;
		t->bars = bars;
	}
	return t->ncols++;
}

size_t
table_add_column(struct table *t, const char *title, enum table_align align)
{
	return add_column(t, title, align, false);
}

void
table_column_keep_end(struct table *t, size_t col)
{
	t->cols[col].keep_end = true;
}

size_t
table_add_bar(struct table *t, const char *title)
{
	return add_column(t, title, TABLE_LEFT, true);
}

size_t
table_add_row(struct table *t)
{
	if (t->nrows + 1 > t->caprows) {
		size_t cap = t->caprows ? t->caprows * 2 : 8;
		t->cells = xrealloc(t->cells, cap * t->ncols * sizeof *t->cells);
		t->bars = xrealloc(t->bars, cap * t->ncols * sizeof *t->bars);
		t->total = xrealloc(t->total, cap * sizeof *t->total);
		t->caprows = cap;
	}
	size_t r = t->nrows++;
	for (size_t c = 0; c < t->ncols; c++) {
		t->cells[r * t->ncols + c] = NULL;
		t->bars[r * t->ncols + c] = NAN;
	}
	t->total[r] = false;
	return r;
}

void
table_set_total(struct table *t, size_t row)
{
	t->total[row] = true;
}

void
table_set(struct table *t, size_t row, size_t col, const char *text)
{
	char **cell = &t->cells[row * t->ncols + col];
	free(*cell);
	*cell = text ? xstrdup(text) : NULL;
}

void
table_setf(struct table *t, size_t row, size_t col, const char *fmt, ...)
{
	struct buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n >= 0) {
		buf_reserve(&b, (size_t)n + 1);
		vsnprintf(b.data, (size_t)n + 1, fmt, ap2);
		b.len = (size_t)n;
	}
	va_end(ap2);
	table_set(t, row, col, buf_str(&b));
	buf_free(&b);
}

void
table_set_bar(struct table *t, size_t row, size_t col, double fraction)
{
	if (!isnan(fraction))
		fraction = fraction < 0 ? 0 : fraction > 1 ? 1 : fraction;
	t->bars[row * t->ncols + col] = fraction;
}

const char *
table_title(const struct table *t)
{
	return t->title ? t->title : "";
}

size_t
table_columns(const struct table *t)
{
	return t->ncols;
}

size_t
table_rows(const struct table *t)
{
	return t->nrows;
}

const char *
table_column_title(const struct table *t, size_t col)
{
	return t->cols[col].title;
}

enum table_align
table_column_align(const struct table *t, size_t col)
{
	return t->cols[col].align;
}

bool
table_column_is_bar(const struct table *t, size_t col)
{
	return t->cols[col].bar;
}

bool
table_row_is_total(const struct table *t, size_t row)
{
	return t->total[row];
}

const char *
table_cell(const struct table *t, size_t row, size_t col)
{
	const char *s = t->cells[row * t->ncols + col];
	return s ? s : "";
}

double
table_bar(const struct table *t, size_t row, size_t col)
{
	return t->bars[row * t->ncols + col];
}

char *
table_number(double v, int decimals, char buf[48])
{
	if (!isfinite(v) || fabs(v) >= 1e18) {
		strcpy(buf, "-");
		return buf;
	}
	if (decimals < 0)
		decimals = 0;
	if (decimals > 6)
		decimals = 6;
	char raw[48];
	snprintf(raw, sizeof raw, "%.*f", decimals, v);
	char *dot = strchr(raw, '.');
	if (dot) {
		char *end = raw + strlen(raw);
		while (end > dot + 1 && end[-1] == '0')
			end--;
		if (end == dot + 1)
			end = dot;
		*end = '\0';
	}
	const char *digits = raw;
	char *o = buf;
	if (*digits == '-') {
		digits++;
		/* "-0" after rounding is 0 */
		if (strspn(digits, "0.") != strlen(digits))
			*o++ = '-';
	}
	size_t intlen = strcspn(digits, ".");
	for (size_t i = 0; i < intlen; i++) {
		if (i && (intlen - i) % 3 == 0)
			*o++ = ',';
		*o++ = digits[i];
	}
	strcpy(o, digits + intlen);
	return buf;
}

/*
 * Append s to line in at most width cells, control characters as spaces;
 * when it is wider, cut it and end with an ellipsis, or, for keep_end,
 * start with one and keep the end.  Returns the cells appended.
 */
static size_t
put_cut(struct buf *line, const char *s, size_t width, bool ascii, bool keep_end)
{
	size_t len = strlen(s);
	size_t full = utf8_width(s, len);
	const char *dots = ascii ? "..." : "\xe2\x80\xa6";
	size_t dots_w = ascii ? 3 : 1;
	size_t limit = full <= width ? width : width > dots_w ? width - dots_w : width;
	size_t w = 0;
	size_t i = 0;
	if (full > width && keep_end && width > dots_w) {
		/* Skip from the start until what is left fits after the ellipsis. */
		size_t left = full;
		while (i < len && left > limit) {
			uint32_t cp;
			i += utf8_decode(s + i, len - i, &cp);
			left -= utf8_cp_width(cp);
		}
		buf_puts(line, dots);
		w += dots_w;
		limit += dots_w;
	}
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		size_t cw = utf8_cp_width(cp);
		if (w + cw > limit)
			break;
		if (cp < 0x20 || cp == 0x7f)
			buf_putc(line, ' ');
		else if (cp == 0xfffd && n == 1)
			buf_puts(line, "\xef\xbf\xbd"); /* a stray byte shows as U+FFFD */
		else
			buf_append(line, s + i, n);
		w += cw;
		i += n;
	}
	if (full > width && width > dots_w && !keep_end) {
		buf_puts(line, dots);
		w += dots_w;
	}
	return w;
}

static void
pad(struct buf *line, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_putc(line, ' ');
}

size_t
table_bar_text(struct buf *out, double fraction, size_t width, bool ascii)
{
	if (isnan(fraction) || fraction <= 0 || width == 0)
		return 0;
	if (fraction > 1)
		fraction = 1;
	if (ascii) {
		size_t n = (size_t)lround(fraction * (double)width);
		if (n == 0)
			n = 1;
		for (size_t i = 0; i < n; i++)
			buf_putc(out, '#');
		return n;
	}
	static const char *const eighths[8] = {
	    "",
	    "\xe2\x96\x8f",
	    "\xe2\x96\x8e",
	    "\xe2\x96\x8d",
	    "\xe2\x96\x8c",
	    "\xe2\x96\x8b",
	    "\xe2\x96\x8a",
	    "\xe2\x96\x89",
	};
	size_t n = (size_t)lround(fraction * (double)width * 8);
	if (n == 0)
		n = 1;
	for (size_t i = 0; i < n / 8; i++)
		buf_puts(out, "\xe2\x96\x88");
	buf_puts(out, eighths[n % 8]);
	return n / 8 + (n % 8 != 0);
}

/* ---- text -------------------------------------------------------------- */

enum {
	INDENT = 2,
	GAP = 2,
	BAR_MIN = 10, /* a bar narrower than this is not worth the columns it costs */
	BAR_MAX = 40,
	SHRINK_MIN = 8, /* a text column is never cut below this */
};

/* Write line without its trailing spaces, then a newline. */
static void
flush_line(FILE *out, struct buf *line)
{
	size_t n = line->len;
	while (n && line->data[n - 1] == ' ')
		n--;
	fwrite(buf_str(line), 1, n, out);
	fputc('\n', out);
	buf_reset(line);
}

/*
 * Lay t out in width: fill w[] (text columns) and return each bar's width
 * (0: bars hidden).  Bars are decoration: they take what the text leaves,
 * and a text column is cut only when the text alone does not fit.
 */
static size_t
layout(const struct table *t, size_t width, size_t *w)
{
	size_t nbars = 0, fixed = INDENT;
	for (size_t c = 0; c < t->ncols; c++) {
		const char *title = t->cols[c].title;
		w[c] = utf8_width(title, strlen(title));
		if (t->cols[c].bar) {
			nbars++;
			continue;
		}
		for (size_t r = 0; r < t->nrows; r++) {
			const char *s = table_cell(t, r, c);
			size_t cw = utf8_width(s, strlen(s));
			if (cw > w[c])
				w[c] = cw;
		}
		fixed += (c ? GAP : 0) + w[c];
	}
	if (nbars && fixed + nbars * (GAP + BAR_MIN) <= width) {
		size_t bar = (width - fixed) / nbars - GAP;
		return bar > BAR_MAX ? BAR_MAX : bar;
	}
	/* No room for bars: narrow the widest left-aligned column, a cell at a time. */
	while (fixed > width) {
		size_t widest = t->ncols;
		for (size_t c = 0; c < t->ncols; c++)
			if (!t->cols[c].bar && t->cols[c].align == TABLE_LEFT &&
			    w[c] > SHRINK_MIN && (widest == t->ncols || w[c] > w[widest]))
				widest = c;
		if (widest == t->ncols)
			break;
		w[widest]--;
		fixed--;
	}
	return 0;
}

void
table_write_text(FILE *out, const struct table *t, size_t width, unsigned flags)
{
	bool ascii = flags & TABLE_ASCII;
	size_t *w = xcalloc(t->ncols ? t->ncols : 1, sizeof *w);
	size_t bar = layout(t, width, w);
	for (size_t c = 0; c < t->ncols; c++)
		if (t->cols[c].bar)
			w[c] = bar;
	size_t total = INDENT; /* the width of a full row, for the rule above a total */
	for (size_t c = 0; c < t->ncols; c++)
		if (w[c] || !t->cols[c].bar)
			total += (c ? GAP : 0) + w[c];
	struct buf line = {0};
	if (t->title) {
		put_cut(&line, t->title, width, ascii, false);
		flush_line(out, &line);
	}
	for (int pass = 0; pass < 2; pass++) {
		/* pass 0: the column titles; pass 1: the rule under them */
		pad(&line, INDENT);
		for (size_t c = 0; c < t->ncols; c++) {
			if (t->cols[c].bar && !w[c])
				continue;
			if (c)
				pad(&line, GAP);
			if (pass == 1) {
				for (size_t i = 0; i < w[c]; i++)
					buf_puts(&line, ascii ? "-" : "\xe2\x94\x80");
				continue;
			}
			const char *s = t->cols[c].title;
			size_t sw = utf8_width(s, strlen(s));
			if (t->cols[c].align == TABLE_RIGHT && sw < w[c])
				pad(&line, w[c] - sw);
			size_t got = put_cut(&line, s, w[c], ascii, t->cols[c].keep_end);
			if (t->cols[c].align == TABLE_LEFT)
				pad(&line, w[c] - got);
		}
		flush_line(out, &line);
	}
	for (size_t r = 0; r < t->nrows; r++) {
		if (t->total[r] && r > 0) {
			pad(&line, INDENT);
			for (size_t i = INDENT; i < total; i++)
				buf_puts(&line, ascii ? "-" : "\xe2\x94\x80");
			flush_line(out, &line);
		}
		pad(&line, INDENT);
		for (size_t c = 0; c < t->ncols; c++) {
			if (t->cols[c].bar && !w[c])
				continue;
			if (c)
				pad(&line, GAP);
			if (t->cols[c].bar) {
				size_t got = table_bar_text(&line, table_bar(t, r, c), w[c], ascii);
				pad(&line, w[c] - got);
				continue;
			}
			const char *s = table_cell(t, r, c);
			size_t sw = utf8_width(s, strlen(s));
			if (t->cols[c].align == TABLE_RIGHT && sw < w[c])
				pad(&line, w[c] - sw);
			size_t got = put_cut(&line, s, w[c], ascii, t->cols[c].keep_end);
			if (t->cols[c].align == TABLE_LEFT)
				pad(&line, w[c] - got);
		}
		flush_line(out, &line);
	}
	buf_free(&line);
	free(w);
}

/* ---- Markdown ---------------------------------------------------------- */

void
table_markdown_escape(FILE *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f)
			fputc(' ', out);
		else if (strchr("\\|*_`[]<>#~&!", c)) {
			fputc('\\', out);
			fputc(c, out);
		} else
			fputc(c, out);
	}
}

void
table_write_markdown(FILE *out, const struct table *t)
{
	if (t->title) {
		fputs("**", out);
		table_markdown_escape(out, t->title);
		fputs("**\n\n", out);
	}
	for (int pass = 0; pass < 2; pass++) {
		fputc('|', out);
		for (size_t c = 0; c < t->ncols; c++) {
			if (t->cols[c].bar)
				continue;
			if (pass == 0) {
				fputc(' ', out);
				table_markdown_escape(out, t->cols[c].title);
				fputs(" |", out);
			} else {
				fputs(t->cols[c].align == TABLE_RIGHT ? " ---: |" : " --- |", out);
			}
		}
		fputc('\n', out);
	}
	for (size_t r = 0; r < t->nrows; r++) {
		fputc('|', out);
		for (size_t c = 0; c < t->ncols; c++) {
			if (t->cols[c].bar)
				continue;
			const char *s = table_cell(t, r, c);
			fputc(' ', out);
			if (t->total[r] && *s)
				fputs("**", out);
			table_markdown_escape(out, s);
			if (t->total[r] && *s)
				fputs("**", out);
			fputs(" |", out);
		}
		fputc('\n', out);
	}
}
