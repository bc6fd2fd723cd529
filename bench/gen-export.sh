#!/bin/sh
# gen-export.sh N: an adviser's export of N clients on standard output, for
# cs-import (messy headers, "$12,500.00", m/d/y dates, "Last, First" names,
# notes with line breaks, 1% duplicates).  Deterministic (srand(7)).
set -eu
n=$1
awk -v n="$n" 'BEGIN {
	print "Client ID,Client Name,Household,E-mail Address,Mobile Phone,Advisor,Segment,Status,Annual Fees,AUM,# Referrals,COI,Client Since,Last Contacted,DOB,Notes,Risk Profile"
	split("Ana Ben Carla David Elena Frank Grace Hugo Irene James", fn, " ")
	split("Silva Okafor Moreau Brennan Hofmann Costa Walsh Patel Rossi Chen", ln, " ")
	split("Maria Joe Sam", ow, " ")
	split("Gold Silver Bronze", seg, " ")
	split("Balanced Growth Conservative", risk, " ")
	srand(7)
	for (i = 1; i <= n; i++) {
		f = fn[i % 10 + 1]; l = ln[int(i / 10) % 10 + 1]
		k = (i % 100 == 0) ? i - 50 : i  # 1% repeat an earlier email
		fk = fn[k % 10 + 1]; lk = ln[int(k / 10) % 10 + 1]
		fees = int(rand() * 30000)
		aum = fees * 50 + int(rand() * 100)
		since = sprintf("%d/%d/%d", 1 + int(rand() * 12), 1 + int(rand() * 28), 2000 + int(rand() * 25))
		last = sprintf("%d/%d/2026", 1 + int(rand() * 11), 1 + int(rand() * 28))
		dob = sprintf("%d/%d/19%02d", 1 + int(rand() * 12), 1 + int(rand() * 28), 40 + int(rand() * 60))
		note = (i % 7 == 0) ? "\"Prefers calls.\nReview in spring, see file.\"" : ""
		money = fees >= 1000 ? sprintf("$%d,%03d.00", int(fees / 1000), fees % 1000) : sprintf("$%d.00", fees)
		printf "%s,\"%s, %s\",%s family,%s.%s%d@Example.com,(%03d) %03d-%04d,%s,%s,%s,\"%s\",\"$%d\",%d,%s,%s,%s,%s,%s,%s\n", \
			(i % 20 == 0 ? "" : 100000 + i), l, f, l, fk, tolower(lk), k, \
			200 + int(i / 10000000), int(i / 10000) % 1000, i % 10000, \
			ow[i % 3 + 1], seg[i % 3 + 1], (i % 9 == 0 ? "Prospect" : "Client"), \
			money, aum, i % 5, (i % 97 == 0 ? "Y" : "N"), \
			since, last, dob, note, risk[i % 3 + 1]
	}
}'
