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

gen() { sh "$here/gen-export.sh" "$1"; }

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
