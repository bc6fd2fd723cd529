#!/bin/sh
# sharded.sh - the weekly job (tier the book, list the touches due, report)
# over N shards of a big book, the shards run side by side with GNU parallel
# (Debian: parallel), then merged into what one run over the whole book
# writes, byte for byte:
#
#   sh examples/sharded.sh [-j JOBS] N BOOK LOG OUTDIR
#
# Each shard K of N is the clients whose id hashes to K (FNV-1a 64 of the id,
# modulo N: cs(1), SHARDS); each job reads the whole book and keeps its own
# clients (--shard K/N), so nothing is split beforehand:
#
#   cs-tier --shard K/N BOOK              > OUTDIR/shards/book-K.csv
#   cs-due -c --log LOG      book-K.csv   > OUTDIR/shards/due-K.csv
#   cs-report --json --partial --log LOG book-K.csv > OUTDIR/shards/report-K.json
#
# then, once all are done:
#
#   cs-due --merge -c due-*.csv          > OUTDIR/due.csv     (and due.txt, for people)
#   cs-report --merge --json report-*    > OUTDIR/report.json (and report.txt)
#
# The tiered shards stay in OUTDIR/shards: a book this big is kept as shards
# (cs-shard N splits one).  JOBS defaults to the number of cores.
#
# On several machines: give parallel the machines with --sshlogin (-S), e.g.
#
#   PARALLEL='-S 8/node1,8/node2 --workdir /srv/clients' sh examples/sharded.sh 64 ...
#
# with the tools installed on each node and BOOK, LOG and OUTDIR on a file
# system they share (or add --transferfile and --return to copy them); each
# job then runs on whichever node has a free slot.  $PARALLEL is read by
# parallel itself.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
# The tools: on PATH, or built beside this script in the source tree.
[ -x "$here/../bin/cs-due" ] && PATH=$here/../bin:$PATH && export PATH

# One shard's job, run by parallel: sharded.sh --job K N BOOK LOG OUTDIR
if [ "${1:-}" = --job ]; then
	k=$2 n=$3 book=$4 log=$5 dir=$6/shards
	cs-tier --shard "$k/$n" "$book" >"$dir/book-$k.csv"
	cs-due -c --log "$log" "$dir/book-$k.csv" >"$dir/due-$k.csv"
	cs-report --json --partial --log "$log" "$dir/book-$k.csv" >"$dir/report-$k.json"
	exit 0
fi

jobs=
if [ "${1:-}" = -j ]; then
	jobs=$2
	shift 2
fi
if [ $# -ne 4 ]; then
	echo "usage: sh sharded.sh [-j JOBS] N BOOK LOG OUTDIR" >&2
	exit 2
fi
n=$1 book=$2 log=$3 out=$4
command -v parallel >/dev/null 2>&1 || {
	echo "sharded.sh: GNU parallel is needed (Debian: apt-get install parallel)" >&2
	exit 2
}
mkdir -p "$out/shards"

# -q: each argument is passed as it is, whatever its spaces; --halt: the
# first job to fail stops the others, and parallel exits non-zero.
parallel -q --halt now,fail=1 ${jobs:+-j "$jobs"} \
	sh "$here/sharded.sh" --job {} "$n" "$book" "$log" "$out" ::: $(seq 0 $((n - 1)))

# Merge, in shard order (any order gives the same bytes).
shard_files() { # PREFIX SUFFIX: the N files, as the positional parameters of the caller
	k=0
	while [ $k -lt "$n" ]; do
		printf '%s\n' "$out/shards/$1-$k.$2"
		k=$((k + 1))
	done
}
merge_due() {
	cs-due --merge -c "$@" >"$out/due.csv"
	cs-due --merge "$@" >"$out/due.txt"
}
merge_report() {
	cs-report --merge --json "$@" >"$out/report.json"
	cs-report --merge "$@" >"$out/report.txt"
}
# Split the list at line ends only: OUTDIR may hold spaces, never a line end.
IFS='
'
# shellcheck disable=SC2046 # split on line ends, on purpose
merge_due $(shard_files due csv)
# shellcheck disable=SC2046
merge_report $(shard_files report json)
