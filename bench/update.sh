#!/bin/sh
# update.sh: cs-import --update of a 1,000,000-row book (gen-book.sh) from
# next month's export of it, against the plain import of that export.
# The export is the book with 0.5% of the rows dropped, 0.5% with a new
# phone, 2% with a re-cased email, 10% with no id (matched by email), and
# 10,000 new rows.  Target: the update within 2x of the import.  Times and
# max RSS from /usr/bin/time -v.
#
# Standalone: sh bench/update.sh (BIN=bin, DATA=bench/data); or by bench/run.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BIN=${BIN:-$here/../bin}
DATA=${DATA:-$here/data}
mkdir -p "$DATA"
book=$DATA/book-1m.csv
export=$DATA/update-export-1m.csv
[ -f "$book" ] || sh "$here/gen-book.sh" 1000000 "$book"
[ -f "$export" ] || awk -F, -v OFS=, '
	NR == 1 { print; next }
	{ i = NR - 1 }
	i % 200 == 0 { next }
	i % 100 == 0 { $6 = "+1 555 9" substr($6, 9) }
	i % 50 == 0 { $5 = toupper($5) }
	i % 10 == 0 { $1 = "" }
	{ print }
	END {
		for (j = 1; j <= 10000; j++)
			printf "n%07d,New Client%d,New,Client%d,new%d@example.org,+1 555 8%06d,,Springfield,client,,,100,1000,0,false,1,ana,2026-11-01,,,,,,\n", j, j, j, j, j
	}' "$book" >"$export"

run() {
	label=$1
	shift
	/usr/bin/time -v "$@" 2>&1 >/dev/null |
		awk -v l="$label" '/Maximum resident/ { rss = $NF } /Elapsed/ { t = $NF }
			/User time/ { u = $NF } /System time/ { s = $NF }
			END { printf "  %-8s %8s  cpu %6.2f s  max RSS %7.1f MB\n", l, t, u + s, rss / 1024 }' |
		tee "$DATA/update-$label.time"
}
run import "$BIN/cs-import" "$export" -o /dev/null
run update "$BIN/cs-import" --update "$book" --diff "$DATA/update-diff.csv" "$export" -o /dev/null
# The target is on CPU time (user + sys): elapsed time on a shared machine says more about the others.
cat "$DATA/update-import.time" "$DATA/update-update.time" |
	awk '{ cpu[NR] = $4 } END { printf "  update/import cpu: %.2fx (target: under 2x)\n", cpu[2] / cpu[1] }'
wc -l <"$DATA/update-diff.csv" | awk '{ printf "  diff: %d lines\n", $1 - 1 }'
