#!/bin/sh
# sharded.sh: the weekly job over 1,000,000 clients (BENCH_ROWS) with a
# touch log of as many lines (gen-due.sh), as one run and as
# examples/sharded.sh with 2 shards side by side (parallel -j 2).  The one
# run does the same job and writes the same files:
#
#   cs-tier BOOK > book.csv
#   cs-due -c --log LOG book.csv > due.csv;  cs-due --log LOG book.csv > due.txt
#   cs-report --json --log LOG book.csv > report.json;  cs-report ... > report.txt
#
# and its due.csv, due.txt and report.txt must be the bytes the shards
# merge to (checked: the benchmark stops if not).  Each is run BENCH_RUNS
# times (default 3), alternately; the minimum of wall time and of CPU time
# (user + system of the job and all its processes) is kept.  Prints a
# Markdown table, with the load average: on a 2-core machine that others
# share, the wall-time speed-up is what the other users leave free.
#
#   sh bench/sharded.sh            (or through bench/run: BIN and DATA are set)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BIN=${BIN:-$here/../bin}
DATA=${DATA:-$here/data}
n=${BENCH_ROWS:-1000000}
runs=${BENCH_RUNS:-3}
export CS_TODAY=2026-11-26
PATH=$BIN:$PATH
export PATH
mkdir -p "$DATA"
book=$DATA/due-book-$n.csv
log=$DATA/due-log-$n.csv
[ -f "$book" ] && [ -f "$log" ] || sh "$here/gen-due.sh" "$n" "$book" "$log"
one=$DATA/sharded-one
two=$DATA/sharded-two
mkdir -p "$one"

single() {
	cs-tier "$book" >"$one/book.csv"
	cs-due -c --log "$log" "$one/book.csv" >"$one/due.csv"
	cs-due --log "$log" "$one/book.csv" >"$one/due.txt"
	cs-report --json --log "$log" "$one/book.csv" >"$one/report.json"
	cs-report --log "$log" "$one/book.csv" >"$one/report.txt"
}
if [ "${1:-}" = --single ]; then
	single
	exit 0
fi

: >"$DATA/sharded.one" >"$DATA/sharded.two"
i=0
while [ $i -lt "$runs" ]; do
	# The single run through this script itself, so both are timed the same way.
	/usr/bin/time -f '%e %U %S' -a -o "$DATA/sharded.one" sh "$0" --single
	rm -rf "$two"
	/usr/bin/time -f '%e %U %S' -a -o "$DATA/sharded.two" \
		sh "$here/../examples/sharded.sh" -j 2 2 "$book" "$log" "$two"
	i=$((i + 1))
done 2>/dev/null
for f in due.csv due.txt report.txt; do
	cmp -s "$one/$f" "$two/$f" || {
		echo "sharded.sh: $f: the 2 shards' merge differs from the single run" >&2
		exit 1
	}
done

min() { # FILE: "wall cpu", each the minimum over the runs
	awk 'NR == 1 || $1 < w { w = $1 } NR == 1 || $2 + $3 < c { c = $2 + $3 }
	     END { printf "%.2f %.2f\n", w, c }' "$1"
}
a=$(min "$DATA/sharded.one")
b=$(min "$DATA/sharded.two")
echo "the weekly job over $n clients and a $n-line log; min of $runs runs;"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) processors"
echo
echo "| run | wall s | CPU s (user+sys) |"
echo "|---|---:|---:|"
echo "$a" | awk '{ printf "| one run | %s | %s |\n", $1, $2 }'
echo "$b" | awk '{ printf "| examples/sharded.sh -j 2, 2 shards | %s | %s |\n", $1, $2 }'
echo "$a $b" | awk '{ printf "| speed-up (one / sharded) | %.2fx | %.2fx |\n", $1 / $3, $2 / $4 }'
