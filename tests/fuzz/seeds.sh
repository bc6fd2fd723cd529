#!/bin/sh
# tests/fuzz/seeds.sh TARGET DIR - collect a seed corpus for TARGET into DIR.
#
# Seeds are gathered at run time, never committed: the hand-made seeds of
# tests/fuzz/seeds/TARGET/, then what the test suite already holds that
# the target reads - the fixtures, the files beside the end-to-end cases,
# the tools' expected outputs (canonical CSV and NDJSON), and the inputs
# the cases write with printf '...' in their cmd scripts.  Files over 16 KiB
# are left out: the fuzzer mutates small inputs faster.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
target=$1
dir=$2
mkdir -p "$dir"
n=0

# add FILE...: copy each readable small file into the corpus.
add() {
	for f in "$@"; do
		[ -f "$f" ] && [ -r "$f" ] || continue
		[ "$(wc -c <"$f")" -le 16384 ] || continue
		n=$((n + 1))
		cp "$f" "$dir/seed-$n"
	done
}

# The printf inputs of the cases, one file each, in $printed/.
printed=$(mktemp -d "${TMPDIR:-/tmp}/cs-seeds.XXXXXX")
trap 'rm -rf "$printed"' EXIT INT TERM
k=0
sed -n "s/.*printf '\([^']*\)'.*/\1/p" "$top"/tests/cases/*/*/cmd | while IFS= read -r fmt; do
	k=$((k + 1))
	# shellcheck disable=SC2059 # the case's own format string, as the case runs it
	printf -- "$fmt" >"$printed/p$k" 2>/dev/null
done

# kind FILE: vcard, model, ndjson or csv, to sort the inputs by format.
kind() {
	if grep -qi '^BEGIN:VCARD' "$1" 2>/dev/null; then
		echo vcard
	elif grep -q '"tiers"' "$1" 2>/dev/null; then
		echo model
	elif [ "$(tr -d ' \t\r\n' <"$1" | head -c 1)" = "{" ]; then
		echo ndjson
	else
		echo csv
	fi
}

books() {
	for f in "$top"/tests/fixtures/*.csv "$top"/tests/fixtures/*/*.csv \
		"$top"/tests/fixtures/*/*.ndjson "$top"/examples/*.csv \
		"$top"/tests/cases/*/*/out "$printed"/*; do
		[ -f "$f" ] || continue
		case $f in *" "*) continue ;; esac # listed one a line, split on blanks
		case $(kind "$f") in
		csv | ndjson) echo "$f" ;;
		esac
	done
}

add "$top"/tests/fuzz/seeds/"$target"/*
case $target in
fuzz_csv | fuzz_csv_fast | fuzz_roundtrip)
	# shellcheck disable=SC2046 # file names without spaces
	add $(books)
	add "$top/tests/fixtures/csvlint/white space in filename.csv"
	;;
fuzz_import)
	# shellcheck disable=SC2046 # file names without spaces
	add $(books) "$top"/tests/fixtures/*.vcf
	for f in "$printed"/*; do
		[ "$(kind "$f")" = vcard ] && add "$f"
	done
	;;
fuzz_ndjson | fuzz_ndjson_fast)
	for f in $(books); do
		[ "$(kind "$f")" = ndjson ] && add "$f"
	done
	;;
fuzz_vcard)
	add "$top"/tests/fixtures/*.vcf
	for f in "$printed"/*; do
		[ "$(kind "$f")" = vcard ] && add "$f"
	done
	;;
fuzz_model)
	add "$top"/examples/model.json "$top"/tests/fixtures/*.json "$top"/tests/cases/*/*/*.json
	;;
fuzz_expr)
	# The rules of every model the tests hold, one expression a seed.
	cat "$top"/examples/model.json "$top"/tests/fixtures/*.json \
		"$top"/tests/cases/*/*/*.json 2>/dev/null |
		sed -n 's/.*"when": *"\(\([^"\\]\|\\.\)*\)".*/\1/p' | sort -u |
		while IFS= read -r e; do
			n=$((n + 1))
			printf '%s\n' "$e" >"$dir/rule-$n"
		done
	;;
fuzz_date | fuzz_normalize)
	# Cells of the import fixtures, one a seed (a sample: at most 400).
	cat "$top"/tests/fixtures/import-*.csv | tr -d '\r' | tr ',;\t|' '\n\n\n\n' |
		sed 's/^"//; s/"$//' | sort -u | head -400 |
		while IFS= read -r cell; do
			n=$((n + 1))
			printf '%s' "$cell" >"$dir/cell-$n"
		done
	;;
esac
exit 0
