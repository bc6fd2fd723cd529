#!/bin/sh
# tier.sh: cs-tier with the built-in model against the same three rules in
# Miller's put, over 1,000,000 clients.  Target: cs-tier at least 3x faster.
set -eu
here=$(dirname "$0")
book=$DATA/book-1m.csv
[ -f "$book" ] || sh "$here/gen-book.sh" 1000000 "$book"
hyperfine -N --warmup 1 --runs 3 \
	"$BIN/cs-tier $book -o /dev/null" \
	"mlr --icsv --ocsv put 'if (\$revenue >= 10000 || \$referrals >= 3 || \$coi == \"true\") { \$tier = \"A\" } elif (\$revenue >= 2500 || \$referrals >= 1) { \$tier = \"B\" } else { \$tier = \"C\" }' $book" \
	2>&1 | grep -v '^ *$' | sed 's/^/  /'
