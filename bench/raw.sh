#!/bin/sh
# raw.sh: cs-import --raw against Miller's cat on a 1,000,000-row book (CSV
# to CSV and CSV to NDJSON), and cs-import's memory on 1M vs 2M rows (flat).
set -eu
here=$(dirname "$0")
book=$DATA/book-1m.csv
[ -f "$book" ] || sh "$here/gen-book.sh" 1000000 "$book"
[ -f "$DATA/book-2m.csv" ] || { cat "$book"; tail -n +2 "$book"; } > "$DATA/book-2m.csv"
ls -l "$book" | awk '{ printf "input: %.0f MB, 1,000,000 rows\n", $5 / 1e6 }'
hyperfine -N --warmup 1 --runs 5 \
	"$BIN/cs-import --raw --csv $book -o /dev/null" \
	"mlr --icsv --ocsv cat $book" \
	"$BIN/cs-import --raw --json $book -o /dev/null" \
	"mlr --icsv --ojsonl cat $book" 2>&1 | grep -v '^ *$' | sed 's/^/  /'
for f in book-1m book-2m; do
	/usr/bin/time -f "max RSS %M KB ($f)" "$BIN/cs-import" --raw "$DATA/$f.csv" -o /dev/null
done
