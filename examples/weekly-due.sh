#!/bin/sh
# weekly-due.sh [BOOK [LOG [ARCHIVE]]] - mail each member of the team the
# client touches they are to deliver in the next 7 days, with a calendar of
# them.
#
# Run it from cron on Monday mornings, in the directory that holds the book,
# the touch log and the archive of removed clients, with the practice's
# model (its "team" gives each person's address):
#
#   # m h dom mon dow  command
#   0 7 * * 1  cd /srv/clients && CS_MODEL=model.json sh /usr/share/cs/examples/weekly-due.sh clients.csv touches.csv removed.csv
#
# ARCHIVE is cs-remove's --archive: the log keeps the rows of the clients
# let go, and cs-due warns about log rows of ids the book does not have
# (an id a spreadsheet mangled) unless the archive says they were removed.
# Until the first removal the archive does not exist, and is left out
# without a word, so cron has nothing to mail.
#
# The work is cs-due --mail (cs-due(1)): one message per person who acts (the
# touch's "by", else the client's owner), their list as text and the same
# touches as touches.ics, handed to sendmail -t -oi ($CS_SENDMAIL, else
# sendmail: Postfix, Exim, msmtp-mta, nullmailer), from $CS_MAIL_FROM if set.
# A person with no address is named in a warning and the script exits 1, so
# cron reports it.  Nothing due: nothing sent, nothing printed.  With
# CS_DUE_PRINT=1 it prints the messages instead of sending them.
#
# With no arguments it runs on the example book, log and model beside it, as
# of 2026-11-26, tiering the book on the fly (a real book is tiered once,
# with cs-tier -i):
#
#   CS_DUE_PRINT=1 sh examples/weekly-due.sh
#
# Environment: CS_DUE_PRINT, and what cs-due reads: CS_MODEL, CS_TODAY,
# CS_SENDMAIL, CS_MAIL_FROM, CS_ARCHIVE (the archive when none is given).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
# The tools: on PATH, or built beside this script in the source tree.
[ -x "$here/../bin/cs-due" ] && PATH=$here/../bin:$PATH

dry=
[ "${CS_DUE_PRINT:-}" = 1 ] && dry=--dry-run

if [ $# -eq 0 ]; then
	export CS_TODAY=${CS_TODAY:-2026-11-26}
	export CS_MODEL=${CS_MODEL:-$here/model.json}
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/weekly-due.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	trap 'exit 1' INT TERM HUP
	cs-tier "$here/book.csv" >"$tmp/book.csv"
	set -- "$tmp/book.csv" "$here/touches.csv"
fi

book=$1 log=${2:-} archive=${3:-}
set -- --mail $dry
if [ -n "$log" ]; then
	set -- "$@" --log "$log"
fi
if [ -n "$archive" ] && [ -e "$archive" ]; then
	set -- "$@" --archive "$archive"
fi
# cs-due's exit status is the script's (set -e): 1 when someone was not mailed.
cs-due "$@" "$book"
