#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Dev tool: compare our pass-1 verdicts with the reference SystemTap's
# (`stap -p1`) on every testsuite/parse-{ok,ko} script (or the files given).
# A script's first line "#! stap -p1 [OPTS] [ARGS: a b ...]" gives options
# and command-line arguments.  Prints one line per disagreement and a total.
# usage: bench/compare-stap.sh [FILES...]   (from the repo root)
REF=${REF:-/usr/bin/stap}
OURS=${OURS:-./stap}
REL=${REL:-$(ls /lib/modules | grep -v "$(uname -r)" | head -1)}
[ -x "$REF" ] || { echo "no reference stap at $REF"; exit 0; }
[ $# -gt 0 ] || set -- testsuite/parse-ok/*.stp testsuite/parse-ko/*.stp
agree=0 differ=0
for f in "$@"; do
	hdr=$(head -1 "$f")
	opts="" args=""
	case "$hdr" in
	"#! stap"*)
		rest=${hdr#"#! stap"}
		case "$rest" in
		*ARGS:*) opts=${rest%%ARGS:*}; args=${rest#*ARGS:} ;;
		*) opts=$rest ;;
		esac ;;
	esac
	# shellcheck disable=SC2086
	$REF -r "$REL" -p1 $opts "$f" $args >/dev/null 2>&1; r=$?
	# shellcheck disable=SC2086
	$OURS -r "$REL" -p1 $opts "$f" $args >/dev/null 2>&1; o=$?
	[ $r -ne 0 ] && r=1
	[ $o -ne 0 ] && o=1
	if [ $r = $o ]; then
		agree=$((agree + 1))
	else
		differ=$((differ + 1))
		echo "DIFFER: $f (stap=$r ours=$o)"
	fi
done
total=$((agree + differ))
echo "agree $agree/$total"
