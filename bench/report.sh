#!/bin/sh
# report.sh: cs-report over a 1,000,000-client book, tiered first by cs-tier
# so that every section has work (the generated book has no tiers).  Target:
# under 2 seconds.  Prints the time and max RSS of each format, the read
# alone (cs-import --raw to /dev/null) for scale, a split-in-4 partial run
# merged, and max RSS on 1M against 2M rows: memory must stay flat.
#
# Run by bench/run, or: BIN=bin DATA=bench/data sh bench/report.sh
set -eu
here=$(dirname "$0")
export CS_TODAY=2026-11-26
book=$DATA/book-1m.csv
tiered=$DATA/book-1m-tiered.csv
[ -f "$book" ] || sh "$here/gen-book.sh" 1000000 "$book"
[ -f "$tiered" ] || "$BIN/cs-tier" "$book" -o "$tiered"
[ -f "$DATA/book-2m-tiered.csv" ] || { cat "$tiered"; tail -n +2 "$tiered"; } > "$DATA/book-2m-tiered.csv"
ls -l "$tiered" | awk '{ printf "input: %.0f MB, 1,000,000 clients, tiered\n", $5 / 1e6 }'

t() { # t LABEL COMMAND...: one run, wall and CPU time and max RSS
	label=$1
	shift
	/usr/bin/time -f "  %e s wall, %U s user, %S s sys, max RSS %M KB  $label" "$@" > /dev/null
}
t "cs-import --raw (the read alone)" "$BIN/cs-import" --raw "$tiered" -o /dev/null
for fmt in text json html; do
	t "cs-report --format $fmt" "$BIN/cs-report" --format "$fmt" "$tiered" -o /dev/null
done
t "cs-report --partial" "$BIN/cs-report" --partial "$tiered" -o /dev/null
t "cs-report --by owner" "$BIN/cs-report" --by owner "$tiered" -o /dev/null
t "cs-report (2,000,000 clients)" "$BIN/cs-report" "$DATA/book-2m-tiered.csv" -o /dev/null

# Split in four, report the parts in parallel, merge: the partials at work.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cs-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
head -n 1 "$tiered" > "$tmp/header"
tail -n +2 "$tiered" > "$tmp/body"
(cd "$tmp" && split -n l/4 body part. && for p in part.??; do cat header "$p" > "$p.csv"; rm "$p"; done)
rm -f "$tmp/body"
start=$(date +%s.%N)
for p in "$tmp"/part.??.csv; do
	"$BIN/cs-report" --partial "$p" -o "$p.json" &
done
wait
"$BIN/cs-report" --merge "$tmp"/part.??.csv.json -o "$tmp/merged.txt"
end=$(date +%s.%N)
"$BIN/cs-report" "$tiered" -o "$tmp/whole.txt"
cmp -s "$tmp/whole.txt" "$tmp/merged.txt" && same="same as the whole" || same="DIFFERS from the whole"
echo "$start $end" | awk -v same="$same" \
	'{ printf "  %.2f s wall  4 parts in parallel with --partial, then --merge (%s)\n", $2 - $1, same }'
echo "  ($(getconf _NPROCESSORS_ONLN) processors; load average $(cut -d' ' -f1-3 /proc/loadavg))"
