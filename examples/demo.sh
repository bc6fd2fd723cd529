#!/bin/sh
# demo.sh BIN: run the service model on the bundled example book.
set -eu
bin=${1:-bin}
here=$(dirname "$0")
export CS_TODAY=${CS_TODAY:-2026-11-26}
echo "The example book, as the canonical stream ($(($(wc -l <"$here/book.csv") - 1)) clients):"
"$bin/cs-import" --raw "$here/book.csv" | head -4
