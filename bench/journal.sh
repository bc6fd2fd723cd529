#!/bin/sh
# journal.sh: what --journal costs cs-tier (issue 16: under 1.3x).  A tiered
# book of 1,000,000 clients (BENCH_ROWS) in which one row in ten has its tier
# moved on (A to B, B to C, C to A), so cs-tier changes 10% of the tiers and
# the journal gets one line for each:
#
#   cs-tier BOOK -o /dev/null                    (no journal)
#   cs-tier --journal J BOOK -o /dev/null        (J removed before each run)
#
# Each is run BENCH_RUNS times (default 5), one after the other, under
# /usr/bin/time; the minimum of wall time and of CPU time (user + system)
# is kept, the steadier figures on a machine that others share, and the
# largest resident set (the journal's lines wait in memory up to 64 MiB).
# Prints a Markdown table, with the load average.
#
#   sh bench/journal.sh            (or through bench/run: BIN and DATA are set)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BIN=${BIN:-$here/../bin}
DATA=${DATA:-$here/data}
n=${BENCH_ROWS:-1000000}
runs=${BENCH_RUNS:-5}
export CS_TODAY=2026-11-26
mkdir -p "$DATA"
book=$DATA/book-$n.csv
moved=$DATA/book-$n-moved.csv
journal=$DATA/journal-bench.ndjson
[ -f "$book" ] || sh "$here/gen-book.sh" "$n" "$book"
if [ ! -f "$moved" ]; then
	# Tier the book, then move every tenth row's tier on.
	"$BIN/cs-tier" "$book" -o "$DATA/book-$n-tiered.tmp"
	awk -F, -v OFS=, 'NR > 1 && NR % 10 == 0 {
		next_tier["A"] = "B"; next_tier["B"] = "C"; next_tier["C"] = "A"
		# The 10th column, the 11th comma-separated piece: the 7th, "Firm N,
		# Inc", holds a comma (the notes, which may too, come last).
		$11 = next_tier[$11]
	} { print }' "$DATA/book-$n-tiered.tmp" >"$moved"
	rm -f "$DATA/book-$n-tiered.tmp"
fi

# The min over the runs of "wall cpu", and the max of "rss" (MB), for the command line "$@".
time_min() {
	i=0
	: >"$DATA/journal.times"
	while [ $i -lt "$runs" ]; do
		rm -f "$journal"
		/usr/bin/time -f '%e %U %S %M' -o "$DATA/journal.time" "$@"
		cat "$DATA/journal.time" >>"$DATA/journal.times"
		i=$((i + 1))
	done
	awk 'NR == 1 || $1 < w { w = $1 } NR == 1 || $2 + $3 < c { c = $2 + $3 }
	     $4 > m { m = $4 } END { printf "%.3f %.3f %.0f\n", w, c, m / 1024 }' "$DATA/journal.times"
}

load=$(cut -d' ' -f1-3 /proc/loadavg)
rm -f "$journal" # a journal an interrupted run left would be counted too
changed=$("$BIN/cs-tier" --journal "$journal" "$moved" -o /dev/null && wc -l <"$journal")
plain=$(time_min "$BIN/cs-tier" "$moved" -o /dev/null)
journalled=$(time_min "$BIN/cs-tier" --journal "$journal" "$moved" -o /dev/null)
rm -f "$journal"
echo "cs-tier over $n clients, $changed tiers changed (journal lines); min of $runs runs;"
echo "load average before: $load, $(nproc) processors"
echo
echo "| run | wall s | CPU s (user+sys) | max RSS MB |"
echo "|---|---:|---:|---:|"
echo "$plain" | awk '{ printf "| `cs-tier BOOK -o /dev/null` | %s | %s | %s |\n", $1, $2, $3 }'
echo "$journalled" | awk '{ printf "| `cs-tier --journal J BOOK -o /dev/null` | %s | %s | %s |\n", $1, $2, $3 }'
echo "$plain $journalled" | awk '{ printf "| journal / plain | %.2fx | %.2fx | |\n", $4 / $1, $5 / $2 }'
