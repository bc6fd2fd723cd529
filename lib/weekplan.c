/*
 * weekplan.c - fit the due items into the weeks each person has.
 *
 * A greedy first fit in priority order (weekplan.h).  Greedy is what a
 * person planning by hand does and what the issue asks for: the most
 * important item gets the earliest room, and the plan can be explained
 * line by line.  The people are found by binary search in a sorted copy of
 * their names, so a run costs O(n log n) for n items whatever the team size.
 */
#include "weekplan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int
weekplan_weekday(long day)
{
	/* Day 0, 1970-01-01, was a Thursday: Monday-based 3. */
	long r = (day % 7 + 7 + 3) % 7;
	return (int)r;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

long
weekplan_person_index(const struct weekplan *p, const char *by)
{
	const char **hit = bsearch(&by, p->people, p->npeople, sizeof *p->people, cmp_name);
	return hit ? hit - p->people : -1;
}

/* The distinct people of the items, sorted. */
static void
collect_people(const struct weekplan_item *items, size_t n, struct weekplan *p)
{
	p->people = xcalloc(n ? n : 1, sizeof *p->people);
	for (size_t i = 0; i < n; i++)
		p->people[i] = items[i].by;
	qsort(p->people, n, sizeof *p->people, cmp_name);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (k == 0 || strcmp(p->people[k - 1], p->people[i]) != 0)
			p->people[k++] = p->people[i];
	p->npeople = k;
}

/* Minutes a week of the person named by, or -1 when the team has no limit for them. */
static long
weekly_minutes(const struct weekplan_person *team, size_t nteam, const char *by)
{
	for (size_t i = 0; i < nteam; i++)
		if (strcmp(team[i].name, by) == 0)
			return team[i].hours > 0 ? lround(team[i].hours * 60) : 0;
	return -1;
}

static void
set_capacity(const struct weekplan_person *team, size_t nteam, const struct weekplan_options *o,
             int days_left, struct weekplan *p)
{
	for (size_t q = 0; q < p->npeople; q++) {
		long week = weekly_minutes(team, nteam, p->people[q]);
		p->weekly[q] = week;
		for (int w = 0; w < p->weeks; w++) {
			struct weekplan_load *l = &p->load[q * (size_t)p->weeks + (size_t)w];
			l->capacity = week;
			if (w == 0 && week >= 0)
				l->capacity = week * days_left / o->working_days;
		}
	}
}

/*
 * The order items are taken in.  Items equal in every key below are
 * interchangeable, so the plan does not depend on the order of the input.
 */
struct order {
	const struct weekplan_item *items;
	size_t i;
};

static int
cmp_order(const void *a, const void *b)
{
	const struct order *x = a, *y = b;
	const struct weekplan_item *p = &x->items[x->i], *q = &y->items[y->i];
	if (p->rank != q->rank)
		return p->rank < q->rank ? -1 : 1;
	if (p->due != q->due)
		return p->due < q->due ? -1 : 1;
	int c = strcmp(p->name ? p->name : "", q->name ? q->name : "");
	if (c == 0)
		c = strcmp(p->key ? p->key : "", q->key ? q->key : "");
	if (c == 0)
		c = strcmp(p->by, q->by);
	if (c == 0 && p->minutes != q->minutes)
		c = p->minutes > q->minutes ? -1 : 1;
	return c;
}

/* Place item i in the first week from the one it falls due in with room. */
static void
place(const struct weekplan_item *it, size_t i, const struct weekplan_options *o, int days_left,
      struct weekplan *p)
{
	long q = weekplan_person_index(p, it->by);
	long start = it->due < p->first_day ? 0 : (it->due - p->first_day) / 7;
	if (start >= p->weeks)
		start = p->weeks - 1;
	for (long w = start; w < p->weeks; w++) {
		if (w == 0 && days_left == 0)
			continue;
		struct weekplan_load *l = &p->load[(size_t)q * (size_t)p->weeks + (size_t)w];
		if (l->capacity >= 0 && l->used + it->minutes > l->capacity)
			continue;
		l->used += it->minutes;
		p->week[i] = (int)w;
		p->planned[i] = w == 0 ? o->today : p->first_day + 7 * w;
		return;
	}
	p->over[q] += it->minutes;
}

void
weekplan_run(const struct weekplan_item *items, size_t n, const struct weekplan_person *team,
             size_t nteam, const struct weekplan_options *o, struct weekplan *out)
{
	struct weekplan *p = out;
	memset(p, 0, sizeof *p);
	p->weeks = o->weeks > 0 ? o->weeks : 1;
	int wd = weekplan_weekday(o->today);
	p->first_day = o->today - wd;
	int days_left = o->working_days > wd ? o->working_days - wd : 0;

	collect_people(items, n, p);
	p->load = xcalloc(p->npeople * (size_t)p->weeks + 1, sizeof *p->load);
	p->weekly = xcalloc(p->npeople + 1, sizeof *p->weekly);
	p->over = xcalloc(p->npeople + 1, sizeof *p->over);
	p->planned = xcalloc(n + 1, sizeof *p->planned);
	p->week = xcalloc(n + 1, sizeof *p->week);
	set_capacity(team, nteam, o, days_left, p);

	struct order *ord = xcalloc(n + 1, sizeof *ord);
	for (size_t i = 0; i < n; i++) {
		ord[i] = (struct order){items, i};
		p->planned[i] = -1;
		p->week[i] = -1;
	}
	qsort(ord, n, sizeof *ord, cmp_order);
	for (size_t k = 0; k < n; k++)
		place(&items[ord[k].i], ord[k].i, o, days_left, p);
	free(ord);
}

void
weekplan_free(struct weekplan *p)
{
	if (!p)
		return;
	free(p->people);
	free(p->load);
	free(p->weekly);
	free(p->over);
	free(p->planned);
	free(p->week);
	memset(p, 0, sizeof *p);
}
