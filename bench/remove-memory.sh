#!/bin/sh
# remove-memory.sh [BIN]: cs-remove's peak memory (max RSS, /usr/bin/time
# -f %M) as the book and the records removed grow (issue 18 item 5: a
# streaming tool stays flat, its 1,000,000-row run within a few MB of its
# 10,000-row run).  Books of 10,000, 100,000 and 1,000,000 rows
# (bench/gen-book.sh, in $DATA), each with about 1.6% removed
# (revenue < 500, the bench job) and about 50% (revenue < 15000), to a new
# archive, with and without a Markdown transition plan (which reads the
# removed records back in the plan's order).  Prints one row a run, in KB.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BIN=${1:-$here/../bin}
DATA=${DATA:-$here/data}
export CS_TODAY=2026-11-26
d=$DATA/remove-memory
mkdir -p "$d"
printf '%-9s %-17s %-6s %10s\n' rows where plan "max RSS KB"
for n in 10000 100000 1000000; do
	book=$DATA/book-$n.csv
	[ -f "$book" ] || sh "$here/gen-book.sh" "$n" "$book"
	for where in 'revenue < 500' 'revenue < 15000'; do
		for plan in no md; do
			rm -f "$d/archive.csv" "$d/plan.md"
			set -- --where "$where" --reason bench --archive "$d/archive.csv"
			[ "$plan" = md ] && set -- "$@" --plan "$d/plan.md"
			kb=$(/usr/bin/time -f %M "$BIN/cs-remove" "$@" "$book" -o /dev/null 2>&1 >/dev/null)
			printf '%-9s %-17s %-6s %10s\n' "$n" "$where" "$plan" "$kb"
		done
	done
done
rm -f "$d/archive.csv" "$d/plan.md"
