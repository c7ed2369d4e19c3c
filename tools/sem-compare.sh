#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Compare our pass-2 verdicts with the reference /usr/bin/stap 4.8 on
# scripts (files or directories).  Prints one line per disagreement and a
# summary.  Dev tool: needs the reference stap installed.
#   OPTS="-I testsuite/sem-lib" tools/sem-compare.sh testsuite/sem-ok testsuite/sem-ko
top=$(cd "$(dirname "$0")/.." && pwd)
ours=${STAP:-$top/stap}
ref=${REF_STAP:-/usr/bin/stap}
rel=${REF_RELEASE:-$(ls /lib/modules | sort | head -1)}
agree=0 disagree=0
one() {
	"$ours" $OPTS -p2 "$1" >/dev/null 2>&1; a=$?
	"$ref" -r "$rel" $OPTS -p2 "$1" >/dev/null 2>&1; b=$?
	[ $a -ne 0 ] && a=1; [ $b -ne 0 ] && b=1
	if [ $a = $b ]; then agree=$((agree + 1))
	else disagree=$((disagree + 1)); echo "DIFF ours=$a stap=$b $1"; fi
}
for arg in "$@"; do
	if [ -d "$arg" ]; then
		for f in "$arg"/*.stp; do one "$f"; done
	else
		one "$arg"
	fi
done
echo "agree=$agree disagree=$disagree"
