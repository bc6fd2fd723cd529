#!/bin/sh
# demo.sh BIN: run the service model on the bundled example book, as the
# weekly cron job would: tier the book by the built-in model, then list this
# week's touches for each team member, from the touch log.
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
