#!/bin/sh
# edges.sh: the inputs that used to be quadratic or worse (issue 17 item 6),
# timed so a regression shows: a header of 100,000 columns, one of 4,000
# identical names, an NDJSON object of 100,000 keys, a model of 100,000
# touches, a transition script of 1,000,000 placeholders, and =~ with a
# 3,001-byte pattern over 20 values of 200,000 bytes.  Each should take
# about as long as reading its input once.
set -eu
d=$DATA/edges
mkdir -p "$d"
[ -f "$d/wide.csv" ] || awk 'BEGIN {
	for (i = 1; i <= 100000; i++) printf "%sc%d", (i > 1 ? "," : ""), i; print ""
	for (i = 1; i <= 100000; i++) printf "%s%d", (i > 1 ? "," : ""), i; print "" }' >"$d/wide.csv"
[ -f "$d/same.csv" ] || awk 'BEGIN { for (i = 1; i <= 4000; i++) printf "%sx", (i > 1 ? "," : ""); print "" }' >"$d/same.csv"
[ -f "$d/wide.ndjson" ] || awk 'BEGIN { printf "{"
	for (i = 1; i <= 100000; i++) printf "%s\"k%d\": %d", (i > 1 ? ", " : ""), i, i; print "}" }' >"$d/wide.ndjson"
[ -f "$d/touches.json" ] || awk 'BEGIN { n = 100000; printf "{\"tiers\": {\"A\": {\"touches\": [\n"
	for (i = 1; i <= n; i++)
		printf "{\"touch\": \"t%d\", \"every\": \"yearly\", \"satisfies\": [\"t%d\"]}%s\n", i, i % n + 1, (i < n ? "," : "")
	printf "]}}}\n" }' >"$d/touches.json"
[ -f "$d/script.json" ] || awk 'BEGIN { printf "{\"tiers\": {\"A\": {\"touches\": [{\"touch\": \"call\", \"every\": \"monthly\"}]}},\n"
	printf " \"transition\": {\"script\": \""; for (i = 1; i <= 1000000; i++) printf "{first_name} "; printf "\"}}\n" }' >"$d/script.json"
printf 'id,first_name,last_name,revenue,tier\n1,Ann,Lee,5,C\n' >"$d/one.csv"
[ -f "$d/long.csv" ] || awk 'BEGIN { s = "a"; while (length(s) < 200000) s = s s; s = substr(s, 1, 200000)
	print "id,name,notes"; for (i = 1; i <= 20; i++) print i ",N" i "," s }' >"$d/long.csv"
pat=$(awk 'BEGIN { s = "a"; while (length(s) < 3000) s = s s; printf "%sb", substr(s, 1, 3000) }')
hyperfine -N --warmup 1 --runs 3 \
	-n "100,000 columns" "$BIN/cs-import --raw $d/wide.csv -o /dev/null" \
	-n "4,000 equal names" "$BIN/cs-import --raw $d/same.csv -o /dev/null" \
	-n "NDJSON, 100,000 keys" "$BIN/cs-import --raw $d/wide.ndjson -o /dev/null" \
	-n "model of 100,000 touches" "$BIN/cs-tier --check-model -m $d/touches.json -o /dev/null" \
	-n "script of 1,000,000 placeholders" \
	"$BIN/cs-remove -n -m $d/script.json --where 'revenue < 10' $d/one.csv -o /dev/null" \
	-n "=~ 3,001 bytes in 20 x 200 KB" \
	"$BIN/cs-tier --rule A --where \"notes =~ '$pat'\" $d/long.csv -o /dev/null" \
	2>&1 | grep -v '^ *$' | sed 's/^/  /'
