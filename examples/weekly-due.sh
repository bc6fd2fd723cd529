#!/bin/sh
# weekly-due.sh - mail each member of the team the client touches they are to
# deliver this week, overdue ones first.
#
# Run it from cron on Monday mornings, in the directory that holds the book
# and the touch log:
#
#   # m h dom mon dow  command
#   0 7 * * 1  cd /srv/clients && sh /usr/local/share/cs/weekly-due.sh clients.csv touches.csv
#
# It asks cs-due for the week's touches as CSV, splits them by the "by"
# column (who acts: the touch's "by", else the client's owner) and mails
# each person their part with mail(1), to NAME@$CS_DUE_DOMAIN.  Touches with
# nobody to deliver them go to $CS_DUE_FALLBACK.  Where mail(1) is missing,
# or with CS_DUE_PRINT=1, it prints what it would send instead.  Nothing due:
# nothing sent, nothing printed (cron mails nothing either).
#
# With no arguments it runs on the example book and log beside it, as of
# 2026-11-26, tiering the book on the fly (a real book is tiered once, with
# cs-tier -i):
#
#   sh examples/weekly-due.sh
#
# Environment: CS_DUE_DOMAIN (default example.com), CS_DUE_FALLBACK (default
# office@$CS_DUE_DOMAIN), CS_DUE_PRINT, and what cs-due reads: CS_MODEL,
# CS_TODAY.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
# The tools: on PATH, or built beside this script in the source tree.
[ -x "$here/../bin/cs-due" ] && PATH=$here/../bin:$PATH

domain=${CS_DUE_DOMAIN:-example.com}
fallback=${CS_DUE_FALLBACK:-office@$domain}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/weekly-due.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP

if [ $# -eq 0 ]; then
	export CS_TODAY=${CS_TODAY:-2026-11-26}
	book=$tmp/book.csv
	log=$here/touches.csv
	cs-tier "$here/book.csv" >"$book"
else
	book=$1
	log=${2:-}
fi

if [ -n "$log" ]; then
	cs-due --csv --log "$log" "$book" >"$tmp/due.csv"
else
	cs-due --csv "$book" >"$tmp/due.csv"
fi
[ -s "$tmp/due.csv" ] || exit 0

# Split the CSV by its "by" column: one body of text and one CSV per person,
# and a line "N<TAB>by<TAB>touches<TAB>overdue" for each in $tmp/people.
# Fields are parsed as RFC 4180 says (quotes, "" inside them, line breaks).
awk -v dir="$tmp" '
function parse(line,    n, i, c, field, quoted) {
	n = 0; field = ""; quoted = 0; raw = line
	for (;;) {
		for (i = 1; i <= length(line); i++) {
			c = substr(line, i, 1)
			if (quoted) {
				if (c == "\"" && substr(line, i + 1, 1) == "\"") { field = field c; i++ }
				else if (c == "\"") quoted = 0
				else field = field c
			} else if (c == "\"") quoted = 1
			else if (c == ",") { f[++n] = field; field = "" }
			else field = field c
		}
		if (!quoted || (getline line) <= 0) break
		field = field "\n"; raw = raw "\n" line
	}
	f[++n] = field
	return n
}
NR == 1 {
	header = $0
	parse($0)
	for (i = 1; i in f; i++) col[f[i]] = i
	next
}
{
	parse($0)
	by = f[col["by"]]
	if (!(by in num)) {
		num[by] = ++people
		who[people] = by
		print header > (dir "/" people ".csv")
	}
	k = num[by]
	print raw > (dir "/" k ".csv")
	count[k]++
	days = f[col["overdue_days"]] + 0
	if (days > 0) { overdue[k]++; when = days " day" (days == 1 ? "" : "s") " overdue" }
	else if (days == 0) when = "today"
	else when = "in " (-days) " day" (days == -1 ? "" : "s")
	phone = f[col["phone"]]; email = f[col["email"]]; channel = f[col["channel"]]
	reach = (channel == "email" || phone == "") ? email : phone
	if (reach == "") reach = (email != "" ? email : phone)
	name = f[col["name"]] != "" ? f[col["name"]] : f[col["id"]]
	printf "  %s  %-16s  %s  %s [%s]: %s (%s)  %s\n", f[col["due"]], when,
		f[col["tier"]], name, f[col["id"]], f[col["touch"]], channel, reach > (dir "/" k ".body")
}
END {
	for (k = 1; k <= people; k++)
		printf "%d\t%s\t%d\t%d\n", k, who[k], count[k], overdue[k] > (dir "/people")
}' "$tmp/due.csv"

send() { # send TO SUBJECT FILE
	if [ "${CS_DUE_PRINT:-}" != 1 ] && command -v mail >/dev/null 2>&1; then
		mail -s "$2" "$1" <"$3"
	else
		printf '==== To: %s\n==== Subject: %s\n\n' "$1" "$2"
		cat "$3"
		echo
	fi
}

tab=$(printf '\t')
while IFS=$tab read -r k by touches overdue; do
	if [ -n "$by" ]; then
		to=$by@$domain
		hello="Hello $by,"
	else
		to=$fallback
		hello="These clients have no owner: please find someone to serve them."
	fi
	subject="Client touches this week: $touches"
	[ "$overdue" -gt 0 ] && subject="$subject ($overdue overdue)"
	{
		echo "$hello"
		echo
		echo "Your client touches for the next 7 days, overdue ones first:"
		echo
		sort "$tmp/$k.body"
		echo
		echo "When one is done, log it:  cs-log -f touches.csv ID \"TOUCH\""
		echo "or save the lines below as done.csv, keep the header and the rows done,"
		echo "and log them all at once:  cs-log -f touches.csv --from done.csv"
		echo
		cat "$tmp/$k.csv"
	} >"$tmp/$k.mail"
	send "$to" "$subject" "$tmp/$k.mail"
done <"$tmp/people"
