#!/bin/sh
# ir.sh BIN B: instruction counts (valgrind's callgrind) of each job on
# 100,000-row books, as ratios to B, the bare libcsv parse of the same input
# (bench/b.c).  Instruction counts hold still on a busy machine where times
# do not, so this is the measure to compare commits by; `make bench` gives
# the times.  The callgrind profiles stay in $DATA/ir/ for callgrind_annotate.
#
#   make bench-ir       (or: sh bench/ir.sh bin build/bench/b)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BIN=${1:-$here/../bin}
B=${2:-$here/../build/bench/b}
DATA=${DATA:-$here/data}
n=${IR_ROWS:-100000}
export CS_TODAY=2026-11-26
mkdir -p "$DATA/ir"
book=$DATA/book-ir.csv
tiered=$DATA/book-ir-tiered.csv
ndjson=$DATA/book-ir.ndjson
export=$DATA/export-ir.csv
due_book=$DATA/due-book-ir.csv
due_log=$DATA/due-log-ir.csv
# Regenerate when the row count changes.
if [ "$(cat "$DATA/ir/rows" 2>/dev/null)" != "$n" ]; then
	sh "$here/gen-book.sh" "$n" "$book"
	"$BIN/cs-tier" "$book" -o "$tiered"
	"$BIN/cs-import" --json "$book" -o "$ndjson"
	sh "$here/gen-export.sh" "$n" >"$export"
	sh "$here/gen-due.sh" "$n" "$due_book" "$due_log"
	echo "$n" >"$DATA/ir/rows"
fi

# ir NAME COMMAND...: the instructions COMMAND executes (its output dropped).
ir() {
	name=$1
	shift
	valgrind --tool=callgrind --callgrind-out-file="$DATA/ir/$name.out" "$@" \
		>/dev/null 2>"$DATA/ir/$name.err" || {
		cat "$DATA/ir/$name.err" >&2
		echo "ir.sh: $name failed" >&2
		exit 1
	}
	sed -n 's/^summary: *//p' "$DATA/ir/$name.out"
}

b_book=$(ir b-book "$B" "$book")
b_tiered=$(ir b-tiered "$B" "$tiered")
b_export=$(ir b-export "$B" "$export")
b_due=$(($(ir b-due-book "$B" "$due_book") + $(ir b-due-log "$B" "$due_log")))

printf '%-28s %15s %6s  %s\n' job instructions "x B" "B is the parse of"
row() { # row LABEL BASE BASENAME NAME COMMAND...
	label=$1 base=$2 of=$3 name=$4
	shift 4
	count=$(ir "$name" "$@")
	printf '%-28s %15s %6s  %s\n' "$label" "$count" \
		"$(awk -v a="$count" -v b="$base" 'BEGIN { printf "%.2f", a / b }')" "$of"
}
printf '%-28s %15s %6s  %s\n' "B (libcsv, 64 KiB reads)" "$b_book" 1.00 "the book ($n rows)"
row "cs-import --raw --csv" "$b_book" "the book" raw-csv \
	"$BIN/cs-import" --raw --csv "$book" -o /dev/null
row "cs-import --raw --json" "$b_book" "the book" raw-json \
	"$BIN/cs-import" --raw --json "$book" -o /dev/null
row "NDJSON -> CSV (--raw --csv)" "$b_book" "the book as CSV" ndjson-csv \
	"$BIN/cs-import" --raw --csv "$ndjson" -o /dev/null
row "cs-import (full)" "$b_export" "the export" import \
	"$BIN/cs-import" "$export" -o /dev/null
row "cs-tier" "$b_book" "the book" tier \
	"$BIN/cs-tier" "$book" -o /dev/null
row "cs-tier fed NDJSON" "$b_book" "the book as CSV" tier-json \
	"$BIN/cs-tier" -c "$ndjson" -o /dev/null
row "cs-due --csv --log" "$b_due" "its book and log" due \
	"$BIN/cs-due" --csv --log "$due_log" "$due_book"
row "cs-report" "$b_tiered" "the tiered book" report \
	"$BIN/cs-report" "$tiered" -o /dev/null
