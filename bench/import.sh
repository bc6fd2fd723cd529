#!/bin/sh
# import.sh: the full cs-import (mapping, normalisation, ids, duplicate
# checks) against cs-import --raw on the same 1,000,000-row adviser export
# (messy headers, "$12,500.00", m/d/y dates, "Last, First" names, notes with
# line breaks, 1% duplicates), and Miller's cat if it is installed.  Target:
# the full import within 2x of --raw.  Max RSS from /usr/bin/time -v, at 1M
# and 2M rows: flat, but for the key table of the duplicate and id checks
# (12 bytes a key, three keys a row).
#
# Standalone: sh bench/import.sh (BIN=bin, DATA=bench/data); or by bench/run.
# Needs about 600 MB in bench/data.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BIN=${BIN:-$here/../bin}
DATA=${DATA:-$here/data}
mkdir -p "$DATA"
export1m=$DATA/import-export-1m.csv
export2m=$DATA/import-export-2m.csv

gen() {
	awk -v n="$1" 'BEGIN {
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
}

[ -f "$export1m" ] || gen 1000000 >"$export1m"
[ -f "$export2m" ] || gen 2000000 >"$export2m"
ls -l "$export1m" | awk '{ printf "input: %.0f MB, 1,000,000 rows\n", $5 / 1e6 }'

full="$BIN/cs-import $export1m -o /dev/null"
raw="$BIN/cs-import --raw $export1m -o /dev/null"
if command -v hyperfine >/dev/null 2>&1; then
	set -- "$raw" "$full"
	command -v mlr >/dev/null 2>&1 && set -- "$@" "mlr --icsv --ocsv cat $export1m"
	hyperfine -N --warmup 1 --runs 3 "$@" 2>&1 | grep -v '^ *$' | sed 's/^/  /'
else
	for c in "$raw" "$full"; do
		/usr/bin/time -f "  %e s  $c" $c 2>&1 | tail -1
	done
	if command -v mlr >/dev/null 2>&1; then
		/usr/bin/time -f "  %e s  mlr --icsv --ocsv cat" mlr --icsv --ocsv cat "$export1m" 2>&1 >/dev/null | tail -1
	fi
fi
for f in "$export1m" "$export2m"; do
	for mode in --raw "" --dedupe; do
		# shellcheck disable=SC2086
		/usr/bin/time -v "$BIN/cs-import" $mode "$f" -o /dev/null 2>&1 >/dev/null |
			awk -v f="$(basename "$f")" -v m="${mode:-full}" \
				'/Maximum resident/ { rss = $NF } /Elapsed/ { t = $NF }
				 END { printf "  %-8s %-26s max RSS %7.1f MB  %s\n", m, f, rss / 1024, t }'
	done
done
