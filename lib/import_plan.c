/*
 * import_plan.c - which input column becomes which output field: --map,
 * the synonyms, the look-ahead that settles date orders and the fields of
 * labelled columns, the output header, and --show-mapping's account of it.
 *
 * A source's plan gives every input column a role (a value for a canonical
 * field, one half of a label/value pair, a list of labelled values, tags, or
 * nothing: kept as it is) and every canonical field its candidate columns in
 * order (--map first, then the synonyms in column order), so that a row is
 * mapped by walking the plan once.  The plan is made from the header alone;
 * what needs values (the order of dates like 3/4/2024, the fields Google's
 * "Event 1 - Label" columns bring, a Platinum tier) is learnt from the rows
 * read ahead, before the first row is mapped.
 */
#include <stdlib.h>
#include <string.h>

#include "import_int.h"
#include "utf8.h"

/* The rank of a column named as its canonical field: before every synonym. */
enum { RANK_CANONICAL = SYNONYMS_RANK_BEST - 1 };

/* --map. */

int
import_parse_maps(struct importer *im, struct cs_error *err)
{
	const struct import_options *o = &im->o;
	im->maps = xcalloc(o->nmaps ? o->nmaps : 1, sizeof *im->maps);
	for (size_t i = 0; i < o->nmaps; i++) {
		const char *m = o->maps[i];
		const char *eq = strrchr(m, '=');
		if (!eq || eq == m)
			return cs_error_set(err, NULL, 0, "--map \"%s\" is not HEADER=FIELD", m);
		struct map *mp = &im->maps[im->nmaps++];
		mp->header = m;
		mp->len = (size_t)(eq - m);
		mp->field = -1;
		if (eq[1]) {
			for (int f = 0; f < CANON_COUNT; f++)
				if (ascii_casecmp_eq(eq + 1, schema_name(f)))
					mp->field = f;
			if (mp->field < 0) {
				struct buf names = {0};
				for (int f = 0; f < CANON_COUNT; f++)
					buf_printf(&names, "%s%s", f ? ", " : "", schema_name(f));
				cs_error_set(
				    err, NULL, 0,
				    "--map \"%s\": \"%s\" is not a canonical field (%s; or "
				    "nothing, to keep the column as it is)",
				    m, eq + 1, buf_str(&names));
				buf_free(&names);
				return -1;
			}
		}
	}
	return 0;
}

/* The --map naming column name, or NULL: the exact name first, then by key. */
static struct map *
find_map(struct importer *im, const char *name)
{
	for (size_t i = 0; i < im->nmaps; i++)
		if (strlen(name) == im->maps[i].len &&
		    memcmp(name, im->maps[i].header, im->maps[i].len) == 0)
			return &im->maps[i];
	char a[SYNONYMS_KEY_MAX], b[SYNONYMS_KEY_MAX];
	synonyms_header_key(name, strlen(name), a);
	for (size_t i = 0; i < im->nmaps; i++) {
		synonyms_header_key(im->maps[i].header, im->maps[i].len, b);
		if (*a && strcmp(a, b) == 0)
			return &im->maps[i];
	}
	return NULL;
}

int
import_check_maps(const struct importer *im, struct cs_error *err)
{
	for (size_t i = 0; i < im->nmaps; i++)
		if (!im->maps[i].used)
			return cs_error_set(
			    err, NULL, 0, "--map \"%s\": no input has a column \"%.*s\"",
			    im->maps[i].header, (int)im->maps[i].len, im->maps[i].header);
	return 0;
}

/* Columns. */

static void
push_index(size_t **arr, size_t *n, size_t value)
{
	*arr = xrealloc(*arr, (*n + 1) * sizeof **arr);
	(*arr)[(*n)++] = value;
}

/*
 * Dates split into columns: a family ("Birth", "Anniversary") with a month
 * column makes its year, month and day columns parts of one date; a lone
 * "Birth Day" stays what its header says.
 */
static void
plan_date_parts(struct source *s, char (*keys)[SYNONYMS_KEY_MAX])
{
	for (int f = 0; f < CANON_COUNT; f++)
		s->parts[f][0] = s->parts[f][1] = s->parts[f][2] = -1;
	char family[SYNONYMS_KEY_MAX], other[SYNONYMS_KEY_MAX];
	for (size_t c = 0; c < s->ncols; c++) {
		int field, f2;
		char part, p2;
		if (s->cols[c].by_map || !synonyms_date_part(keys[c], &field, &part, family) ||
		    part != 'm' || s->split[field])
			continue;
		for (size_t k = 0; k < s->ncols; k++) {
			if (s->cols[k].by_map || !synonyms_date_part(keys[k], &f2, &p2, other) ||
			    strcmp(family, other) != 0)
				continue;
			struct column *col = &s->cols[k];
			col->role = HEADER_DATE_PART;
			col->field = field;
			col->part = p2;
			s->parts[field][p2 == 'y' ? 0 : p2 == 'm' ? 1 : 2] = (long)k;
		}
		s->split[field] = s->parts[field][2] >= 0;
	}
}

/*
 * Address groups ("home", "mailing", "address1") as small numbers, and the
 * label columns of numbered groups ("Phone 1 - Label" for "Phone 1 -
 * Value", "Address 1 - Type" for "Address 1 - City").
 */
static void
plan_groups(struct source *s, const struct header_meaning *meaning,
            char (*keys)[SYNONYMS_KEY_MAX])
{
	int ngroups = 0;
	for (size_t c = 0; c < s->ncols; c++) {
		struct column *col = &s->cols[c];
		const char *g = meaning[c].group;
		if (col->role != HEADER_FIELD || col->by_map || !*g)
			continue;
		if (col->field >= CANON_STREET && col->field <= CANON_COUNTRY) {
			for (size_t k = 0; k < c && !col->group; k++)
				if (s->cols[k].group && strcmp(meaning[k].group, g) == 0)
					col->group = s->cols[k].group;
			if (!col->group)
				col->group = ++ngroups;
		}
		size_t n = strlen(g);
		if (n == 0 || !(g[n - 1] >= '0' && g[n - 1] <= '9'))
			continue;
		for (size_t k = 0; k < s->ncols; k++)
			if (strncmp(keys[k], g, n) == 0 &&
			    (strcmp(keys[k] + n, "label") == 0 || strcmp(keys[k] + n, "type") == 0) &&
			    s->cols[k].role == HEADER_UNKNOWN) {
				col->label = (long)k;
				break;
			}
	}
}

/*
 * Each field's candidate columns, best first: --map columns, then by rank
 * (a mobile before a work phone, a mailing before an other address), then
 * in column order.
 */
static void
plan_candidates(struct source *s)
{
	for (int pass = RANK_CANONICAL - 1; pass <= SYNONYMS_RANK_OTHER; pass++)
		for (size_t c = 0; c < s->ncols; c++) {
			struct column *col = &s->cols[c];
			bool first = pass == RANK_CANONICAL - 1;
			if (col->role != HEADER_FIELD || col->by_map != first ||
			    (!first && col->rank != pass))
				continue;
			col->primary = s->ncand[col->field] == 0;
			push_index(&s->cand[col->field], &s->ncand[col->field], c);
			col->dates = schema_type_of(col->field) == FIELD_DATE;
			if (col->label >= 0)
				s->ranked[col->field] = true;
		}
	for (int f = CANON_DO_NOT_CALL; f <= CANON_DO_NOT_MAIL; f++)
		s->ranked[f] = s->ncand[f] > 1;
	int first_group = -1;
	for (int f = CANON_STREET; f <= CANON_COUNTRY; f++)
		for (size_t k = 0; k < s->ncand[f]; k++) {
			int g = s->cols[s->cand[f][k]].group;
			if (first_group < 0)
				first_group = g;
			else if (g != first_group)
				s->grouped = true;
		}
}

/*
 * The columns read as more than one value: a pair's value column with its
 * label column (a pair left without one is read as unknown), labelled
 * lists and tags.
 */
static void
plan_pairs(struct source *s, const struct header_meaning *meaning)
{
	for (size_t c = 0; c < s->ncols; c++) {
		struct column *col = &s->cols[c];
		if (col->role == HEADER_PAIR_VALUE) {
			for (size_t l = 0; l < s->ncols; l++)
				if (s->cols[l].role == HEADER_PAIR_LABEL &&
				    s->cols[l].partner < 0 &&
				    strcmp(meaning[l].pair, meaning[c].pair) == 0) {
					col->partner = (long)l;
					s->cols[l].partner = (long)c;
					break;
				}
			if (col->partner < 0) {
				col->role = HEADER_UNKNOWN;
				continue;
			}
			col->dates = true;
			push_index(&s->pairs, &s->npairs, c);
		} else if (col->role == HEADER_LABELLED) {
			col->dates = true;
			push_index(&s->lists, &s->nlists, c);
		} else if (col->role == HEADER_TAGS) {
			push_index(&s->tags, &s->ntags, c);
		}
	}
	for (size_t c = 0; c < s->ncols; c++)
		if (s->cols[c].role == HEADER_PAIR_LABEL && s->cols[c].partner < 0)
			s->cols[c].role = HEADER_UNKNOWN;
}

/* Give every column its role and every field its candidates. */
void
import_plan_columns(struct importer *im, struct source *s)
{
	s->ncols = s->in->n;
	s->cols = xcalloc(s->ncols ? s->ncols : 1, sizeof *s->cols);
	struct header_meaning *meaning = xcalloc(s->ncols ? s->ncols : 1, sizeof *meaning);
	char(*keys)[SYNONYMS_KEY_MAX] = xcalloc(s->ncols ? s->ncols : 1, sizeof *keys);
	for (size_t c = 0; c < s->ncols; c++) {
		struct column *col = &s->cols[c];
		col->out = col->partner = col->label = -1;
		col->field = -1;
		col->rank = SYNONYMS_RANK_PLAIN;
		synonyms_header_key(s->in->names[c], strlen(s->in->names[c]), keys[c]);
		struct map *m = find_map(im, s->in->names[c]);
		if (m) {
			m->used = true;
			col->by_map = true;
			col->role = m->field >= 0 ? HEADER_FIELD : HEADER_UNKNOWN;
			col->field = m->field;
			continue;
		}
		col->role = synonyms_match_header(s->in->names[c], &meaning[c]);
		col->field = meaning[c].field;
		col->rank = meaning[c].rank;
		/* The canonical stream's own column first: importing it again changes nothing. */
		if (col->role == HEADER_FIELD && strcmp(s->in->names[c], schema_name(col->field)) == 0)
			col->rank = RANK_CANONICAL;
	}
	s->suffix_col = -1;
	for (size_t c = 0; c < s->ncols && s->suffix_col < 0; c++)
		if (s->cols[c].role == HEADER_UNKNOWN &&
		    (strcmp(keys[c], "namesuffix") == 0 || strcmp(keys[c], "suffix") == 0))
			s->suffix_col = (long)c;
	plan_date_parts(s, keys);
	plan_groups(s, meaning, keys);
	plan_candidates(s);
	plan_pairs(s, meaning);
	for (int f = 0; f < CANON_COUNT; f++)
		if (s->split[f])
			s->has[f] = true;
	free(keys);
	free(meaning);
}

/*
 * Whether column col of s gives its field's value and is not kept: the
 * first candidate, unless a label or the row may pass it over (a fax, an
 * address group not chosen), when its value must stay in the output.
 */
static bool
column_consumed(const struct source *s, const struct column *col)
{
	if (col->role != HEADER_FIELD || !col->primary || col->label >= 0)
		return false;
	return col->rank == RANK_CANONICAL || col->by_map ||
	       !(s->grouped && col->field >= CANON_STREET && col->field <= CANON_COUNTRY);
}

const struct header *
import_header(struct importer *im)
{
	if (im->finalised)
		return im->out;
	im->finalised = true;
	bool present[CANON_COUNT] = {false};
	for (size_t i = 0; i < im->nsrc; i++)
		for (int f = 0; f < CANON_COUNT; f++)
			present[f] = present[f] || im->src[i]->has[f];
	present[CANON_ID] = present[CANON_NOTES] = true;
	if (present[CANON_NAME] || present[CANON_FIRST_NAME] || present[CANON_LAST_NAME])
		present[CANON_NAME] = present[CANON_FIRST_NAME] = present[CANON_LAST_NAME] = true;
	for (int f = 0; f < CANON_COUNT; f++)
		if (present[f])
			im->field_out[f] = (long)header_add(im->out, schema_name(f));
	im->ncanon_out = im->out->n;
	struct buf name = {0};
	for (size_t i = 0; i < im->nsrc; i++) {
		struct source *s = im->src[i];
		for (size_t c = 0; c < s->ncols; c++) {
			struct column *col = &s->cols[c];
			if (column_consumed(s, col))
				continue;
			/* A kept column may not take a canonical field's name. */
			buf_reset(&name);
			buf_puts(&name, s->in->names[c]);
			for (int k = 2;; k++) {
				long at = header_find(im->out, buf_str(&name));
				if (at < 0 || (size_t)at >= im->ncanon_out)
					break;
				buf_reset(&name);
				buf_printf(&name, "%s_%d", s->in->names[c], k);
			}
			col->out = (long)header_ensure(im->out, buf_str(&name));
		}
	}
	buf_free(&name);
	return im->out;
}

/* Cells that hold several fields. */

/*
 * Call fn for each "Label: value" item of a labelled list ("Anniversary:
 * 2004-06-18; Client since: 2015-03-01").
 */
void
import_each_labelled(const char *v, size_t len,
                     void (*fn)(void *ctx, const char *label, size_t llen, const char *val,
                                size_t vlen),
                     void *ctx)
{
	const char *p = v, *end = v + len;
	while (p < end) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		const char *item_end = semi ? semi : end;
		const char *colon = memchr(p, ':', (size_t)(item_end - p));
		if (colon) {
			const char *val = colon + 1;
			while (val < item_end && *val == ' ')
				val++;
			while (p < colon && *p == ' ')
				p++;
			fn(ctx, p, (size_t)(colon - p), val, (size_t)(item_end - val));
		}
		p = semi ? semi + 1 : end;
	}
}

/* Call fn for each tag of a tags cell: " ::: " (Google), ',' or ';' between them. */
void
import_each_tag(const char *v, size_t len, void (*fn)(void *ctx, const char *tag, size_t n),
                void *ctx)
{
	const char *p = v, *end = v + len;
	while (p < end) {
		const char *q = p;
		while (q < end && *q != ',' && *q != ';' &&
		       !(end - q >= 3 && q[0] == ':' && q[1] == ':' && q[2] == ':'))
			q++;
		const char *s = p, *e = q;
		while (s < e && (*s == ' ' || *s == '*'))
			s++; /* "* myContacts": Google's system groups */
		while (e > s && e[-1] == ' ')
			e--;
		if (e > s)
			fn(ctx, s, (size_t)(e - s));
		p = q < end && *q == ':' ? q + 3 : q + 1;
	}
}

/* Reading ahead. */

struct look_ctx {
	struct source *s;
	struct column *col;
};

static void
look_labelled(void *ctx, const char *label, size_t llen, const char *val, size_t vlen)
{
	struct look_ctx *lc = ctx;
	int f = synonyms_match_label(label, llen);
	if (f >= 0 && !is_blank(val, vlen)) {
		lc->s->has[f] = true;
		lc->col->seen_fields |= UINT64_C(1) << f;
	}
}

static void
look_tag(void *ctx, const char *tag, size_t n)
{
	struct look_ctx *lc = ctx;
	if (norm_tag_kind(tag, n) >= 0)
		lc->s->has[CANON_KIND] = true;
	if (norm_tag_tier(tag, n, false) >= 0)
		lc->s->has[CANON_TIER] = true;
	if (norm_is_platinum(tag, n))
		lc->col->platinum = true;
}

/* Count a date value towards its column's order. */
static void
look_date(struct column *col, const char *v, size_t len, long row)
{
	unsigned mask = date_orders_possible(v, len);
	char shown_value[VALUE_SHOWN + 8];
	if (mask == 1u << DATE_ORDER_MDY) {
		if (col->mdy_count++ == 0) {
			col->mdy_row = row;
			snprintf(col->mdy_value, sizeof col->mdy_value, "%s",
			         import_shown(v, len, shown_value));
		}
	} else if (mask == 1u << DATE_ORDER_DMY) {
		if (col->dmy_count++ == 0) {
			col->dmy_row = row;
			snprintf(col->dmy_value, sizeof col->dmy_value, "%s",
			         import_shown(v, len, shown_value));
		}
	} else if (mask) {
		col->ambiguous++;
	}
}

static void
look_labelled_date(void *ctx, const char *label, size_t llen, const char *val, size_t vlen)
{
	(void)label;
	(void)llen;
	struct look_ctx *lc = ctx;
	look_date(lc->col, val, vlen, 0);
}

/* Learn from one row read ahead: date values, labelled fields, Platinum. */
static void
look_row(struct source *s, const struct record *rec)
{
	for (size_t c = 0; c < s->ncols; c++) {
		struct column *col = &s->cols[c];
		size_t len;
		const char *v = record_get(rec, c, &len);
		if (len == 0)
			continue;
		struct look_ctx lc = {s, col};
		if (col->dates && col->role == HEADER_LABELLED)
			import_each_labelled(v, len, look_labelled_date, &lc);
		else if (col->dates)
			look_date(col, v, len, rec->row);
		if (col->role == HEADER_FIELD && col->field == CANON_TIER &&
		    norm_is_platinum(v, len))
			col->platinum = true;
		if (col->role == HEADER_PAIR_VALUE) {
			size_t llen;
			const char *label = record_get(rec, (size_t)col->partner, &llen);
			int f = synonyms_match_label(label, llen);
			if (f >= 0 && !is_blank(v, len)) {
				s->has[f] = true;
				col->seen_fields |= UINT64_C(1) << f;
			}
		} else if (col->role == HEADER_LABELLED) {
			import_each_labelled(v, len, look_labelled, &lc);
		} else if (col->role == HEADER_TAGS) {
			import_each_tag(v, len, look_tag, &lc);
		}
	}
}

/* Date orders: forced, settled by the column, by the other columns, or the default. */
static void
settle_orders(struct importer *im, struct source *s)
{
	enum date_order fallback = s->decimal_comma ? DATE_ORDER_DMY : DATE_ORDER_MDY;
	int agreed = -1; /* the order the settled columns agree on; -2: they disagree */
	for (size_t c = 0; c < s->ncols; c++) {
		struct column *col = &s->cols[c];
		if (!col->dates)
			continue;
		if (im->o.date_order >= 0) {
			col->order = (enum date_order)im->o.date_order;
			col->order_from = ORDER_FORCED;
			continue;
		}
		if (col->mdy_count == 0 && col->dmy_count == 0)
			continue;
		if (col->mdy_count && col->dmy_count) {
			col->order_from = ORDER_MIXED;
			col->order = col->dmy_count > col->mdy_count   ? DATE_ORDER_DMY
			             : col->mdy_count > col->dmy_count ? DATE_ORDER_MDY
			                                               : fallback;
			import_warnf(
			    im, s, 1,
			    "column \"%s\" has dates in both orders (%s is %s, %s is %s): reading "
			    "it as %s; use --date-order to choose",
			    s->in->names[c], col->mdy_value, "m/d/y", col->dmy_value, "d/m/y",
			    col->order == DATE_ORDER_DMY ? "d/m/y" : "m/d/y");
		} else {
			col->order_from = ORDER_SETTLED;
			col->order = col->dmy_count ? DATE_ORDER_DMY : DATE_ORDER_MDY;
		}
		if (agreed == -1)
			agreed = (int)col->order;
		else if (agreed != (int)col->order)
			agreed = -2;
	}
	for (size_t c = 0; c < s->ncols; c++) {
		struct column *col = &s->cols[c];
		if (!col->dates || col->order_from != ORDER_DEFAULT)
			continue;
		if (agreed >= 0) {
			col->order = (enum date_order)agreed;
			col->order_from = ORDER_OTHERS;
		} else {
			col->order = fallback;
		}
	}
}

/* Learn from the rows read ahead: date orders, labelled fields, Platinum. */
void
import_look_ahead(struct importer *im, struct source *s)
{
	for (size_t i = 0; i < s->nahead; i++)
		if (s->ahead[i].kind == 1)
			look_row(s, &s->ahead[i].rec);
	/* Platinum in a tier column means the same for every tier source in the file. */
	bool platinum = false;
	for (size_t c = 0; c < s->ncols; c++)
		platinum = platinum || s->cols[c].platinum;
	for (size_t c = 0; c < s->ncols; c++)
		s->cols[c].platinum = platinum;
	settle_orders(im, s);
	for (int f = 0; f < CANON_COUNT; f++)
		if (s->ncand[f])
			s->has[f] = true;
}

/* The fields a rejected row lacked, and the words of headers that may hold them. */
static const struct {
	const char *word;
	int field;
} who_words[] = {
    {"firstname", CANON_FIRST_NAME}, {"lastname", CANON_LAST_NAME}, {"name", CANON_NAME},
    {"email", CANON_EMAIL},          {"mail", CANON_EMAIL},          {"phone", CANON_PHONE},
    {"mobile", CANON_PHONE},         {"cell", CANON_PHONE},          {"company", CANON_COMPANY},
};

void
import_map_hint(const struct source *s, struct buf *out)
{
	bool taken[CANON_COUNT] = {false};
	for (int f = 0; f < CANON_COUNT; f++)
		taken[f] = s->ncand[f] > 0;
	for (size_t c = 0; c < s->ncols; c++) {
		if (s->cols[c].role != HEADER_UNKNOWN || s->cols[c].by_map)
			continue;
		char key[SYNONYMS_KEY_MAX];
		synonyms_header_key(s->in->names[c], strlen(s->in->names[c]), key);
		for (size_t w = 0; w < sizeof who_words / sizeof who_words[0]; w++) {
			int f = who_words[w].field;
			if (!strstr(key, who_words[w].word))
				continue;
			if (!taken[f] && !strchr(s->in->names[c], '\'')) {
				taken[f] = true;
				buf_printf(out, "%s--map '%s=%s'", out->len ? " " : "",
				           s->in->names[c], schema_name(f));
			}
			break;
		}
	}
}

/* --show-mapping. */

static const char *
order_name(enum date_order o)
{
	return o == DATE_ORDER_DMY ? "d/m/y" : o == DATE_ORDER_MDY ? "m/d/y" : "y/m/d";
}

static void
describe_dates(const struct column *col, struct buf *out)
{
	buf_printf(out, "; dates %s", order_name(col->order));
	switch (col->order_from) {
	case ORDER_FORCED:
		buf_puts(out, " (--date-order)");
		break;
	case ORDER_SETTLED:
		if (col->dmy_count)
			buf_printf(out, " (\"%s\" settles it)", col->dmy_value);
		else
			buf_printf(out, " (\"%s\" settles it)", col->mdy_value);
		break;
	case ORDER_MIXED:
		buf_printf(out, " (mixed: %ld d/m/y, %ld m/d/y)", col->dmy_count, col->mdy_count);
		break;
	case ORDER_OTHERS:
		buf_puts(out, " (as the file's other date columns)");
		break;
	default:
		buf_puts(out, " (the default: no value settles it)");
		break;
	}
}

static void
describe_column(const struct source *s, size_t c, struct buf *out)
{
	const struct column *col = &s->cols[c];
	switch (col->role) {
	case HEADER_FIELD:
		if (col->label >= 0) {
			buf_printf(out, "-> %s, ranked by \"%s\"%s", schema_name(col->field),
			           s->in->names[col->label],
			           column_consumed(s, col) ? "" : "; kept");
		} else if (col->primary) {
			buf_printf(out, "-> %s%s", schema_name(col->field),
			           column_consumed(s, col) ? "" : "; kept");
		} else {
			size_t first = s->cand[col->field][0];
			buf_printf(out, "-> %s when \"%s\" is empty; kept", schema_name(col->field),
			           s->in->names[first]);
		}
		if (col->by_map)
			buf_puts(out, " (--map)");
		break;
	case HEADER_PAIR_LABEL:
		buf_printf(out, "names the field of \"%s\"; kept", s->in->names[col->partner]);
		break;
	case HEADER_PAIR_VALUE:
	case HEADER_LABELLED:
		buf_puts(out, "-> the field its label names");
		if (col->seen_fields) {
			buf_puts(out, " (");
			const char *sep = "";
			for (int f = 0; f < CANON_COUNT; f++)
				if (col->seen_fields & (UINT64_C(1) << f)) {
					buf_printf(out, "%s%s", sep, schema_name(f));
					sep = ", ";
				}
			buf_puts(out, ")");
		}
		buf_puts(out, "; kept");
		break;
	case HEADER_TAGS:
		buf_puts(out, "-> kind and tier from its tags; kept");
		break;
	case HEADER_DATE_PART:
		buf_printf(out, "-> the %s of %s; kept",
		           col->part == 'y' ? "year" : col->part == 'm' ? "month" : "day",
		           schema_name(col->field));
		break;
	default:
		buf_puts(out, col->by_map ? "kept (--map)" : "kept");
		break;
	}
	/* Only where some value could be read two ways. */
	if (col->dates && (col->order_from != ORDER_DEFAULT || col->ambiguous))
		describe_dates(col, out);
}

void
import_describe_source(const struct source *s, struct buf *out, const char *indent)
{
	size_t width = 0;
	for (size_t c = 0; c < s->ncols; c++) {
		const char *name = s->in->names[c];
		size_t n = utf8_width(name, strlen(name));
		if (n > width)
			width = n;
	}
	if (width > 28)
		width = 28;
	for (size_t c = 0; c < s->ncols; c++) {
		const char *name = s->in->names[c];
		buf_printf(out, "%s%s  ", indent, name);
		for (size_t n = utf8_width(name, strlen(name)); n < width; n++)
			buf_putc(out, ' ');
		describe_column(s, c, out);
		buf_putc(out, '\n');
	}
}

static void
describe_input(const struct source *s, struct buf *out)
{
	if (s->vcard) {
		buf_printf(out, "%s: vCard\n", s->path);
		return;
	}
	buf_printf(out, "%s: %s", s->path, s->format == STREAM_NDJSON ? "NDJSON" : "CSV");
	if (s->format == STREAM_CSV)
		buf_printf(out, ", delimiter \"%s\"",
		           s->delimiter == '\t'  ? "tab"
		           : s->delimiter == ';' ? ";"
		           : s->delimiter == '|' ? "|"
		                                 : ",");
	buf_printf(out, ", %s", stream_encoding(s->stream));
	if (s->decimal_comma)
		buf_puts(out, ", decimal comma");
	buf_putc(out, '\n');
}

void
import_describe(struct importer *im, struct buf *out)
{
	import_header(im);
	for (size_t i = 0; i < im->nsrc; i++) {
		describe_input(im->src[i], out);
		import_describe_source(im->src[i], out, "  ");
	}
	buf_puts(out, "output:");
	for (size_t i = 0; i < im->out->n; i++)
		buf_printf(out, "%s%s", i ? "," : " ", im->out->names[i]);
	buf_putc(out, '\n');
}
