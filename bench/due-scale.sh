#!/bin/sh
# due-scale.sh [CS-DUE...]: cs-due --csv's cost per client at 1,000,000 and
# 4,000,000 clients (issue 18: it should stay flat as the tables outgrow
# the caches), each with a touch log of as many rows, as of 2026-11-26.
#
# Times on a shared machine are noisy, and the cost is what the process
# spends, so the measure is CPU time (user + system), the minimum of RUNS
# runs (default 5) of each size, the sizes interleaved (1M, 4M, 1M, 4M,
# ...) so that both see the same load.  Several binaries (an old and a new
# cs-due, say) are interleaved too, round by round.  Prints per-client µs
# at each size, the 4M/1M ratio, and the peak RSS; the data is generated
# into $DATA (bench/data/, not committed) when missing, by bench/gen-due.sh.
#
#   sh bench/due-scale.sh                        (bin/cs-due)
#   RUNS=3 sh bench/due-scale.sh /tmp/old-cs-due bin/cs-due
set -eu
here=$(cd "$(dirname "$0")" && pwd)
DATA=${DATA:-$here/data}
runs=${RUNS:-5}
[ $# -gt 0 ] || set -- "$here/../bin/cs-due"
mkdir -p "$DATA"
for n in 1000000 4000000; do
	book=$DATA/due-book-$n.csv log=$DATA/due-log-$n.csv
	if [ ! -f "$book" ] || [ ! -f "$log" ]; then
		sh "$here/gen-due.sh" "$n" "$book" "$log"
	fi
done

times=$DATA/due-scale.times
: >"$times"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
r=1
while [ "$r" -le "$runs" ]; do
	b=0
	for due in "$@"; do
		b=$((b + 1))
		for n in 1000000 4000000; do
			/usr/bin/time -f "%U %S %M" -o "$DATA/due-scale.time" "$due" --csv \
				--today 2026-11-26 --log "$DATA/due-log-$n.csv" \
				"$DATA/due-book-$n.csv" >/dev/null 2>&1
			echo "$b $n $(cat "$DATA/due-scale.time")" >>"$times"
		done
	done
	r=$((r + 1))
done
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"

b=0
for due in "$@"; do
	b=$((b + 1))
	echo "$due:"
	awk -v b="$b" '
	$1 == b {
		cpu = $3 + $4
		if (!($2 in min) || cpu < min[$2]) min[$2] = cpu
		if ($5 > rss[$2]) rss[$2] = $5
	}
	END {
		for (n = 1000000; n <= 4000000; n *= 4)
			printf "  %dM clients: %.3f us/client (min CPU %.2f s), max RSS %.0f MB\n",
				n / 1e6, min[n] / n * 1e6, min[n], rss[n] / 1024
		printf "  4M/1M per client: %.3f\n", (min[4000000] / 4) / min[1000000]
	}' "$times"
done
