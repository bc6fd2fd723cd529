/*
 * weekplan.h - fit the due items into the weeks each person has.
 *
 * cs-due --plan WEEKS hands the planner every item due within the horizon
 * and the hours a week each person has for touches (the model's "team").
 * The planner puts each item into a calendar week, Monday to Sunday: the
 * week of today and the WEEKS-1 after it.  Items are taken in priority
 * order - tier A before B before C, then the most overdue, then the earliest
 * due date, then the name - and each goes into the first week, from the one
 * it falls due in, where its person still has room.  An item never splits;
 * one that fits in no week is left over capacity.
 *
 * The week of today holds only the share of its working days left from
 * today (today counted), so on a Thursday of a five-day week two fifths of
 * the person's hours.  A person the team does not name has no limit, and a
 * touch without minutes costs nothing, so neither is ever over capacity.
 *
 * The result is a pure function of the inputs: the same items in any order
 * give the same plan.
 */
#ifndef CS_WEEKPLAN_H
#define CS_WEEKPLAN_H

#include <stdbool.h>
#include <stddef.h>

/* One item to place.  Strings are borrowed for the planner's lifetime. */
struct weekplan_item {
	const char *by;   /* the person who acts */
	int rank;         /* tier order: 0 for A, 1 for B, ...; larger goes later */
	long due;         /* day number (date_to_days) the item falls due */
	const char *name; /* the client's name: the last tie-break */
	const char *key;  /* any text that makes the order total (id, touch) */
	long minutes;     /* what the item costs; 0 costs nothing */
};

/* A person's hours a week for touches. */
struct weekplan_person {
	const char *name;
	double hours;
};

struct weekplan_options {
	long today;       /* day number */
	int weeks;        /* the week of today and weeks-1 after it; >= 1 */
	int working_days; /* Monday to Monday+working_days-1; 1..7 */
};

/* One person's week: what it could hold and what it holds. */
struct weekplan_load {
	long capacity; /* minutes; for a person without limit, -1 */
	long used;     /* minutes planned */
};

struct weekplan {
	int weeks;
	long first_day;             /* Monday of the week of today */
	size_t npeople;             /* everyone who acts in some item, sorted by name */
	const char **people;        /* borrowed from the items */
	struct weekplan_load *load; /* [person * weeks + week] */
	long *weekly;               /* minutes a week, per person; -1: no limit */
	long *over;                 /* minutes left over capacity, per person */
	long *planned;              /* per item: the day it is planned on, or -1 */
	int *week;                  /* per item: its week (0-based), or -1 */
};

/*
 * Plan items[0..n) into *out (to be freed with weekplan_free).  team lists
 * the people with a limit; a name may appear once.  The planned day of an
 * item is the first working day of its week on or after today.
 */
void weekplan_run(const struct weekplan_item *items, size_t n, const struct weekplan_person *team,
                  size_t nteam, const struct weekplan_options *o, struct weekplan *out);
void weekplan_free(struct weekplan *p);

/* The index in p->people of person by, or -1. */
long weekplan_person_index(const struct weekplan *p, const char *by);

/* Monday = 0 ... Sunday = 6 for a day number. */
int weekplan_weekday(long day);

#endif
