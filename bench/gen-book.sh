#!/bin/sh
# gen-book.sh N FILE: write a canonical client book of N rows to FILE
# (deterministic; about 200 bytes a row, with quoted fields and notes).
n=$1
awk -v n="$n" 'BEGIN {
	print "id,name,first_name,last_name,email,phone,company,city,kind,tier,tier_locked,revenue,assets,referrals,coi,hours,owner,since,last_contact,birthday,anniversary,home_purchase,child_birth,notes"
	split("Ana Ben Carla David Elena Frank Grace Hugo Irene James", fn, " ")
	split("Silva Okafor Moreau Brennan Hofmann Costa Walsh Patel Rossi Chen", ln, " ")
	split("ana ben carla", ow, " ")
	srand(42)
	for (i = 1; i <= n; i++) {
		f = fn[i % 10 + 1]; l = ln[int(i / 10) % 10 + 1]
		rev = int(rand() * 30000); ref = int(rand() * 5)
		lc = sprintf("20%02d-%02d-%02d", 20 + int(rand() * 7), 1 + int(rand() * 12), 1 + int(rand() * 28))
		bd = sprintf("19%02d-%02d-%02d", 40 + int(rand() * 60), 1 + int(rand() * 12), 1 + int(rand() * 28))
		note = (i % 7 == 0) ? "\"Prefers calls, not email\"" : ""
		printf "c%07d,%s %s,%s,%s,%s.%s%d@example.com,+1 555 %07d,\"Firm %d, Inc\",Springfield,%s,,,%d,%d,%d,%s,%d,%s,2015-03-01,%s,%s,,,,%s\n", \
			i, f, l, f, l, tolower(f), tolower(l), i, i, i % 500, (i % 9 == 0 ? "prospect" : "client"), \
			rev, rev * 50, ref, (i % 97 == 0 ? "true" : "false"), int(rand() * 20), ow[i % 3 + 1], lc, bd, note
	}
}' > "$2"
