#!/bin/sh
# ratios.sh BIN B: wall times of each job on a 1,000,000-row book (BENCH_ROWS)
# as ratios to B, the bare libcsv parse of the same input (bench/b.c), one
# hyperfine invocation per job (B, the cs tool, Miller's nearest equivalent,
# zsv when $ZSV names one), with CPU time (Miller uses both cores) and peak
# RSS.  Prints the table and writes it to bench/results.md in place of the
# last one: the sections after it (## headings, other scripts' figures) are
# kept as they are.
#
#   make bench      (or: sh bench/ratios.sh bin build/bench/b)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BIN=${1:-$here/../bin}
B=${2:-$here/../build/bench/b}
DATA=${DATA:-$here/data}
n=${BENCH_ROWS:-1000000}
runs=${BENCH_RUNS:-5}
out=${BENCH_RESULTS:-$here/results.md}
export CS_TODAY=2026-11-26
mkdir -p "$DATA/ratios"
book=$DATA/book-$n.csv
tiered=$DATA/book-$n-tiered.csv
ndjson=$DATA/book-$n.ndjson
export=$DATA/export-$n.csv
due_book=$DATA/due-book-$n.csv
due_log=$DATA/due-log-$n.csv
[ -f "$book" ] || sh "$here/gen-book.sh" "$n" "$book"
[ -f "$tiered" ] || "$BIN/cs-tier" "$book" -o "$tiered"
[ -f "$ndjson" ] || "$BIN/cs-import" --json "$book" -o "$ndjson"
[ -f "$export" ] || sh "$here/gen-export.sh" "$n" >"$export"
[ -f "$due_book" ] && [ -f "$due_log" ] || sh "$here/gen-due.sh" "$n" "$due_book" "$due_log"
# cs-due --plan: the built-in model plus a team for the generated book's
# twelve owners (40 hours a week each) and the assistant.
plan_model=$DATA/plan-model.json
team='"team": {"assistant": {"hours": 40}'
for o in ana ben carla dev eli fay gus hal ivy jo kim lou; do team="$team, \"$o\": {\"hours\": 40}"; done
sed "s/^  \"stagger\": true,/  \"stagger\": true, $team},/" "$here/../lib/model_default.json" >"$plan_model"
# cs-due reads a book and a log: its B parses both.
[ -f "$DATA/due-both-$n.csv" ] || cat "$due_book" "$due_log" >"$DATA/due-both-$n.csv"

tier_rule='if ($revenue >= 10000 || $referrals >= 3 || $coi == "true") { $tier = "A" } elif ($revenue >= 2500 || $referrals >= 1) { $tier = "B" } else { $tier = "C" }'
rows=$DATA/ratios/rows

# render: the table of $rows, Markdown.
render() {
	echo "# cs benchmarks: times as ratios to B"
	echo
	echo "B is a bare libcsv program (bench/b.c) that parses the job's CSV input in"
	echo "64 KiB reads and counts its fields; $n rows.  hyperfine, $runs runs after a"
	echo "warm-up; CPU is user + system time (mean), the steadier measure on a busy"
	echo "machine, and Miller's fair one (it uses both cores); peak RSS is from one"
	echo "run under /usr/bin/time.  \`make bench-ir\` gives the instruction counts."
	echo "Generated $(date -u '+%Y-%m-%d %H:%M UTC') by \`make bench\` on $(getconf _NPROCESSORS_ONLN) processors"
	echo "(load average $(cut -d' ' -f1-3 /proc/loadavg))."
	echo
	echo "| job | command | min s | median s | min x B | median x B | CPU s | CPU x B | peak RSS MB |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
	awk -F '\t' -v bin="$BIN/" -v data="$DATA/" '
	function short(s) { gsub(bin, "", s); gsub(data, "", s); sub(/^[^ ]*\/b /, "B ", s); return s }
	$1 != job { job = $1; cpu = $7 }
	{ printf "| %s | `%s` | %.3f | %.3f | %.2f | %.2f | %.2f | %.2f | %.1f |\n",
		$1, short($2), $3, $4, $5, $6, $7, $7 / cpu, $8 }' "$rows"
}
# publish: the table into $out, before the sections that follow the old one
# (from its first "## " heading on), which stay as they are.
publish() {
	render >"$out.new"
	if [ -f "$out" ]; then
		echo >>"$out.new"
		awk '/^## / { keep = 1 } keep' "$out" >>"$out.new"
	fi
	# Without later sections, no blank line at the end.
	awk 'NR > 1 { print prev } { prev = $0 } END { if (prev != "") print prev }' "$out.new" >"$out.tmp"
	mv "$out.tmp" "$out"
	rm -f "$out.new"
	render
}
# BENCH_RENDER_ONLY=1: the table of the last run again, nothing run.
if [ -n "${BENCH_RENDER_ONLY:-}" ]; then
	publish
	exit 0
fi
: >"$rows"

# job TITLE B-INPUT COMMAND...: one hyperfine run of B on B-INPUT and the commands.
job() {
	title=$1 input=$2
	shift 2
	json=$DATA/ratios/job.json
	hyperfine -N --warmup 1 --runs "$runs" ${prepare:+--prepare "$prepare"} \
		--export-json "$json" "$B $input" "$@" \
		>/dev/null 2>&1 || { echo "ratios.sh: $title: a command failed" >&2; exit 1; }
	base_min=$(jq '.results[0].min' "$json")
	base_med=$(jq '.results[0].median' "$json")
	i=0
	for c in "$B $input" "$@"; do
		# Peak RSS of one run, in KB (sh reads the quotes, then is the command).
		rss=$(/usr/bin/time -f %M sh -c "exec $c" 2>&1 >/dev/null | tail -1)
		jq -r --arg title "$title" --arg rss "$rss" --argjson i "$i" \
			--argjson bmin "$base_min" --argjson bmed "$base_med" '
			.results[$i] as $r |
			[$title, $r.command, ($r.min | tostring), ($r.median | tostring),
			 ($r.min / $bmin | tostring), ($r.median / $bmed | tostring),
			 (($r.user + $r.system) | tostring), (($rss | tonumber) / 1024 | tostring)] | @tsv' \
			"$json" >>"$rows"
		i=$((i + 1))
	done
}

mlr=
command -v mlr >/dev/null 2>&1 && mlr=mlr
zsv=${ZSV:-}

set -- "$BIN/cs-import --raw --csv $book -o /dev/null"
[ -n "$mlr" ] && set -- "$@" "mlr --icsv --ocsv cat $book"
[ -n "$zsv" ] && set -- "$@" "$zsv select $book"
job "CSV -> CSV" "$book" "$@"

set -- "$BIN/cs-import --raw --json $book -o /dev/null"
[ -n "$mlr" ] && set -- "$@" "mlr --icsv --ojsonl cat $book"
[ -n "$zsv" ] && set -- "$@" "$zsv 2json $book"
job "CSV -> NDJSON" "$book" "$@"

set -- "$BIN/cs-import --raw --csv $ndjson -o /dev/null"
[ -n "$mlr" ] && set -- "$@" "mlr --ijsonl --ocsv cat $ndjson"
job "NDJSON -> CSV" "$book" "$@"

job "full cs-import (adviser export)" "$export" "$BIN/cs-import $export -o /dev/null"

set -- "$BIN/cs-tier $book -o /dev/null"
[ -n "$mlr" ] && set -- "$@" "mlr --icsv --ocsv put '$tier_rule' $book"
job "cs-tier" "$book" "$@"

# Plain, then planned (issue 14: --plan 4 within 1.5x of plain).
job "cs-due --csv with a $n-line log" "$DATA/due-both-$n.csv" \
	"$BIN/cs-due --csv --log $due_log $due_book" \
	"$BIN/cs-due -m $plan_model --plan 4 --csv --log $due_log $due_book"

# The rows under 500 of revenue (about 1.6%) removed to an archive that each
# run starts anew; Miller's nearest is the filter that keeps the others.
archive=$DATA/ratios/archive.csv
set -- "$BIN/cs-remove --where 'revenue < 500' --reason bench --archive $archive $book -o /dev/null"
[ -n "$mlr" ] && set -- "$@" "mlr --icsv --ocsv filter '\$revenue >= 500' $book"
prepare="rm -f $archive" job "cs-remove" "$book" "$@"
rm -f "$archive"

job "cs-report" "$tiered" "$BIN/cs-report $tiered -o /dev/null"

publish
