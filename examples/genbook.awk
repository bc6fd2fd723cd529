# genbook.awk - write a made-up book of n clients, for trying the tools at
# scale (examples/sharded.sh, cs-due --memory):
#
#   awk -v n=1000000 -f examples/genbook.awk > big.csv
#
# Untiered (cs-tier sets the tiers from revenue and referrals), with owners
# among eight, last contacts and birthdays spread over the year so that a
# good share of touches fall due in any week, and the awkward cases a real
# book has: names with commas and quotes, clients with no name or no owner,
# refused channels, and an id listed twice.  The same n gives the same book
# (seed: -v seed=N, default 7).
BEGIN {
	srand(seed == "" ? 7 : seed)
	print "id,name,email,phone,revenue,referrals,owner,since,last_contact,birthday,home_purchase,do_not_call"
	split("ana ben chloe dev emma farid gus hana", owners, " ")
	for (i = 1; i <= n; i++) {
		id = sprintf("g%07d", i % 997 == 0 ? i - 1 : i) # every 997th: the id before, again
		name = sprintf("Client %d", (i * 7919) % n)
		if (i % 101 == 0) name = sprintf("\"Smith, J. \"\"%d\"\"\"", i)
		if (i % 211 == 0) name = ""
		owner = i % 307 == 0 ? "" : owners[int(rand() * 8) + 1]
		revenue = int(rand() * 16000)
		m = int(rand() * 12) + 1; d = int(rand() * 28) + 1
		lm = int(rand() * 11) + 1; ld = int(rand() * 28) + 1
		printf "%s,%s,c%d@example.com,+1 555 %04d,%d,%d,%s,2019-%02d-%02d,2026-%02d-%02d,1970-%02d-%02d,%s,%s\n",
		    id, name, i, i % 10000, revenue, int(rand() * 4) % 4 == 3 ? 1 : 0, owner,
		    m, d, lm, ld, m, d, i % 17 == 0 ? "2025-11-20" : "", i % 13 == 0 ? "true" : ""
	}
}
