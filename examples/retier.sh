#!/bin/sh
# retier.sh - the yearly re-tiering of a book, in three passes.
#
#   sh examples/retier.sh [-n] [BOOK]      (BOOK: examples/book.csv by default)
#
# 1. Centres of influence are A clients whatever they pay: pin them to A.
# 2. Clients nobody has spoken to in two years are C clients whatever they
#    paid: pin them to C (a centre of influence is left to pass 1).
# 3. Everyone else is tiered by the model's rules; pinned tiers stay.
#
# Each pass rewrites BOOK in place (atomically: a failure leaves it as it
# was) and prints on stderr how many clients moved between which tiers.
# With -n nothing is written: each pass shows the records it would change,
# with the rule behind each, computed from the book as it is.
set -eu

dry_run=
if [ "${1:-}" = -n ]; then
	dry_run=1
	shift
fi
book=${1:-$(dirname "$0")/book.csv}
[ -f "$book" ] || { echo "retier.sh: $book: no such file" >&2; exit 2; }

# pass DESCRIPTION CS-TIER-OPTIONS...
pass() {
	what=$1
	shift
	echo "== $what" >&2
	if [ -n "$dry_run" ]; then
		cs-tier --changes --explain "$@" "$book"
	else
		cs-tier -i --summary "$@" "$book"
	fi
}

pass "centres of influence: A, pinned" \
	--where 'coi' --set A --lock
pass "no contact in two years: C, pinned" \
	--where "not (kind == 'prospect') and not coi and last_contact < today() - 2y" --set C --lock
pass "everyone else by the model's rules"
