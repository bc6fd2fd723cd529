#!/bin/sh
# gen-due.sh N BOOK LOG [ROWS]: a book of N clients and a touch log of ROWS
# lines (default N) for cs-due, as of 2026-11-26 (deterministic: awk's own MINSTD generator, so any
# awk gives the same bytes).  The book has tiers (A 15%, B 35%, C 45%, none
# 5%), owners, last contacts as recent as each tier's cadence keeps them,
# birthdays (some without a year), home purchases and births; the log has
# calls, review meetings, birthday greetings and check-ins over the past
# year, in date order as cs-log appends them.
set -eu
n=$1
book=$2
log=$3
rows=${4:-$n}
awk -v n="$n" -v rows="$rows" -v book="$book" -v logfile="$log" '
# MINSTD: exact in any awk (products stay below 2^53).
function rnd() { seed = (seed * 48271) % 2147483647; return seed / 2147483647 }
function pick(k) { return int(rnd() * k) }
# Day numbers (days since 1970-01-01) to and from dates: H. Hinnant.
function days(y, m, d,    era, yoe, doy) {
	y -= (m <= 2); era = int((y >= 0 ? y : y - 399) / 400); yoe = y - era * 400
	doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
	return era * 146097 + yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy - 719468
}
function date(z,    era, doe, yoe, y, doy, mp, d, m) {
	z += 719468; era = int((z >= 0 ? z : z - 146096) / 146097); doe = z - era * 146097
	yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
	y = yoe + era * 400; doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
	mp = int((5 * doy + 2) / 153); d = doy - int((153 * mp + 2) / 5) + 1
	m = mp + (mp < 10 ? 3 : -9)
	return sprintf("%04d-%02d-%02d", y + (m <= 2), m, d)
}
function tier(i,    b) { b = i % 20; return b < 3 ? "A" : b < 10 ? "B" : b < 19 ? "C" : "" }
BEGIN {
	seed = 20261126
	today = days(2026, 11, 26)
	split("ana ben carla dev eli fay gus hal ivy jo kim lou", owners, " ")
	split("Silva Okafor Moreau Brennan Hofmann Costa Walsh Patel Rossi Chen Sato Ward", last, " ")
	split("Ana Ben Carla David Elena Frank Grace Hugo Irene James Kate Liam", first, " ")
	print "id,name,email,phone,tier,owner,since,last_contact,birthday,home_purchase,child_birth" > book
	for (i = 1; i <= n; i++) {
		t = tier(i)
		span = t == "A" ? 60 : t == "B" ? 150 : 500
		lc = pick(100) < 3 ? "" : date(today - 1 - pick(span))
		bd = ""
		if (pick(100) < 85) {
			bd = date(days(1940 + pick(60), 1, 1) + pick(365))
			if (pick(10) == 0)
				bd = "--" substr(bd, 6)
		}
		hp = pick(100) < 4 ? date(today - pick(730)) : ""
		cb = pick(100) < 2 ? date(today - pick(120)) : ""
		f = first[pick(12) + 1]; l = last[pick(12) + 1]
		printf "c%07d,%s %s,%s.%s%d@example.com,+1 555 %07d,%s,%s,%s,%s,%s,%s,%s\n", \
			i, f, l, tolower(f), tolower(l), i, i, t, pick(100) ? owners[pick(12) + 1] : "", \
			date(today - 400 - pick(3000)), lc, bd, hp, cb > book
	}
	print "date,id,touch,channel,by,note" > logfile
	for (j = 0; j < rows; j++) {
		i = 1 + pick(n)
		t = tier(i)
		r = pick(100)
		if (t == "C" || t == "")
			touch = "check-in,email"
		else if (r < 60)
			touch = "call,phone"
		else if (r < 88)
			touch = "review meeting,meeting"
		else
			touch = "birthday greeting," (t == "A" ? "card" : "email")
		printf "%s,c%07d,%s,%s,%s\n", date(today - 365 + int(j * 365 / rows)), i, touch, \
			owners[pick(12) + 1], (pick(50) ? "" : "\"left a message, will call back\"") > logfile
	}
}'
