#!/bin/sh
# pipeline.sh: what NDJSON between the tools costs against CSV (issue 18:
# at most 1.5x).  For each book size (PIPELINE_ROWS, default 200000 and
# 1000000), from an adviser's export (gen-export.sh):
#
#   - the pipeline cs-import | cs-tier | cs-remove | cs-due --csv, once with
#     CSV between the stages and once with -j (NDJSON); both must end in the
#     same due list (checked);
#   - each of cs-tier, cs-remove, cs-report and cs-due fed the same book as
#     CSV and as NDJSON, writing the same output (CSV, or the text report).
#
# CPU time (user + system, the minimum of PIPELINE_RUNS runs, default 3):
# the steadier measure on a shared machine.  PIPELINE_IR=1 counts
# instructions instead (callgrind, one run; the pipeline is the sum of its
# stages run on files), which hold still on a busy machine: use it with
# PIPELINE_ROWS=100000 to compare commits.
#
#   sh bench/pipeline.sh            (bench/run runs it with BIN and DATA set)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BIN=${BIN:-$here/../bin}
DATA=${DATA:-$here/data}
runs=${PIPELINE_RUNS:-3}
sizes=${PIPELINE_ROWS:-200000 1000000}
ir=${PIPELINE_IR:-}
export CS_TODAY=2026-11-26
work=$DATA/pipeline
mkdir -p "$work"
t=$work/time

# measure COMMAND: its CPU seconds (the minimum of $runs runs), or with
# PIPELINE_IR its instructions (every process of it under callgrind).
measure() {
	if [ -n "$ir" ]; then
		rm -f "$work"/cg.*
		sh -c "$1" >/dev/null 2>&1 || { echo "pipeline.sh: failed: $1" >&2; exit 1; }
		cat "$work"/cg.* | sed -n 's/^summary: *//p' | awk '{ s += $1 } END { printf "%.0f\n", s }'
		return
	fi
	best=
	i=0
	while [ "$i" -lt "$runs" ]; do
		rm -f "$work/archive"
		/usr/bin/time -f '%U %S' -o "$t" sh -c "$1" >/dev/null 2>&1 ||
			{ echo "pipeline.sh: failed: $1" >&2; exit 1; }
		s=$(awk '{ printf "%.2f", $1 + $2 }' "$t")
		best=$(awk -v a="${best:-$s}" -v b="$s" 'BEGIN { print (b < a ? b : a) }')
		i=$((i + 1))
	done
	echo "$best"
}

# run TOOL ARGS: the command line for measure (under callgrind with PIPELINE_IR).
run() {
	if [ -n "$ir" ]; then
		echo "valgrind --tool=callgrind --callgrind-out-file=$work/cg.%p $BIN/$*"
	else
		echo "$BIN/$*"
	fi
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", b ? a / b : 0 }'; }

unit="CPU s"
[ -n "$ir" ] && unit=instructions
echo "| rows | job | CSV ($unit) | NDJSON ($unit) | NDJSON / CSV |"
echo "|---:|---|---:|---:|---:|"
for n in $sizes; do
	export=$DATA/export-$n.csv
	[ -f "$export" ] || sh "$here/gen-export.sh" "$n" >"$export"
	# Each stage's input in both encodings, made once.
	"$BIN/cs-import" "$export" -o "$work/s1.csv" 2>/dev/null
	"$BIN/cs-import" -j "$export" -o "$work/s1.ndjson" 2>/dev/null
	"$BIN/cs-tier" "$work/s1.csv" -o "$work/s2.csv"
	"$BIN/cs-tier" -j "$work/s1.ndjson" -o "$work/s2.ndjson"
	rm -f "$work/archive"
	"$BIN/cs-remove" --archive "$work/archive" "$work/s2.csv" -o "$work/s3.csv"
	rm -f "$work/archive"
	"$BIN/cs-remove" -j --archive "$work/archive" "$work/s2.ndjson" -o "$work/s3.ndjson"
	"$BIN/cs-due" --csv "$work/s3.csv" -o "$work/due.csv"
	"$BIN/cs-due" --csv "$work/s3.ndjson" -o "$work/due-j.csv"
	cmp -s "$work/due.csv" "$work/due-j.csv" ||
		{ echo "pipeline.sh: the -j pipeline's due list differs" >&2; exit 1; }

	if [ -n "$ir" ]; then
		# The stages on files: the same work as the pipe, one process each.
		c=$(measure "$(run cs-import "$export") >/dev/null; $(run cs-tier "$work/s1.csv") >/dev/null; rm -f $work/archive; $(run cs-remove --archive "$work/archive" "$work/s2.csv") >/dev/null; $(run cs-due --csv "$work/s3.csv")")
		j=$(measure "$(run cs-import -j "$export") >/dev/null; $(run cs-tier -j "$work/s1.ndjson") >/dev/null; rm -f $work/archive; $(run cs-remove -j --archive "$work/archive" "$work/s2.ndjson") >/dev/null; $(run cs-due --csv "$work/s3.ndjson")")
	else
		c=$(measure "$(run cs-import "$export") | $(run cs-tier) | $(run cs-remove --archive "$work/archive") | $(run cs-due --csv)")
		j=$(measure "$(run cs-import -j "$export") | $(run cs-tier -j) | $(run cs-remove -j --archive "$work/archive") | $(run cs-due --csv)")
	fi
	echo "| $n | import, tier, remove, due (pipeline) | $c | $j | $(ratio "$j" "$c") |"

	for job in "cs-tier -c" "cs-remove -c --archive $work/archive" "cs-report" "cs-due --csv"; do
		c=$(measure "rm -f $work/archive; $(run $job "$work/s2.csv")")
		j=$(measure "rm -f $work/archive; $(run $job "$work/s2.ndjson")")
		echo "| $n | \`${job%% *}\` fed the book | $c | $j | $(ratio "$j" "$c") |"
	done
done
