#!/bin/sh
# demo.sh BIN: run the service model on the bundled example book, as the
# weekly cron job would: tier the book by the built-in model, list this
# week's touches for each team member from the touch log, then plan the next
# two weeks within each person's hours (the example practice's model,
# model.json: the built-in one plus a team).
set -eu
bin=${1:-bin}
here=$(dirname "$0")
export CS_TODAY=${CS_TODAY:-2026-11-26}
echo "== The example book, tiered by the built-in model (cs-tier --summary):"
"$bin/cs-tier" --summary "$here/book.csv" >/dev/null
echo
echo "== Due in the 7 days from $CS_TODAY (cs-due --log examples/touches.csv):"
echo
"$bin/cs-tier" "$here/book.csv" | "$bin/cs-due" --log "$here/touches.csv"
echo
echo "== This week and next, planned in each person's hours"
echo "   (cs-due -m examples/model.json --log examples/touches.csv --plan 2):"
echo
"$bin/cs-tier" "$here/book.csv" |
	"$bin/cs-due" -m "$here/model.json" --log "$here/touches.csv" --plan 2
