#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Pass 1 parses the tapset library on several threads (src/parse/library.c):
# whatever the number of threads, -p1 -v (which prints the whole library)
# and the diagnostics of broken tapsets must be byte-identical to the
# single-threaded run (STAP_PARSE_JOBS=1).  The library is ours, plus the
# reference SystemTap's when it is installed, plus broken files (-I) whose
# errors must come out in file order, and a broken user script (parsed
# while the library's threads run) whose error must come out alone.
# Prints PASS:/FAIL: lines.
cd "$(dirname "$0")/.." || exit 1
STAP=${STAP:-$PWD/stap}
REF_LIB=${REF_LIB:-/usr/share/systemtap/tapset}
T=$(mktemp -d /tmp/stp-parselib.XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
SCRIPT='probe begin { exit() }'

# run NAME JOBS ARGS...: -p1 -v, stdout/stderr/rc in $T/NAME.JOBS.*, the
# pass-1 line (its figures vary) left out
run() {
	n=$1 j=$2
	shift 2
	STAP_PARSE_JOBS=$j "$STAP" -p1 -v "$@" >"$T/$n.$j.out" 2>"$T/$n.$j.raw"
	echo $? >"$T/$n.$j.rc"
	grep -v '^Pass 1: parsed' "$T/$n.$j.raw" >"$T/$n.$j.err"
}

# same NAME JOBS...: every run matches the JOBS=1 one
same() {
	n=$1
	shift
	for j in "$@"; do
		for x in out err rc; do
			if ! cmp -s "$T/$n.1.$x" "$T/$n.$j.$x"; then
				echo "FAIL: parse-lib/$n: STAP_PARSE_JOBS=$j differs from 1 ($x)"
				diff "$T/$n.1.$x" "$T/$n.$j.$x" | head -10 | sed 's/^/    /'
				return 1
			fi
		done
	done
	return 0
}

# every tapset file appears, in the same order, whatever the thread count
libargs=""
[ -d "$REF_LIB" ] && libargs="-I $REF_LIB"
for j in 1 2 3 8 ""; do
	# shellcheck disable=SC2086
	run lib "${j:-default}" $libargs -e "$SCRIPT"
done
if [ "$(cat "$T/lib.1.rc")" != 0 ] || ! grep -q '^# file ' "$T/lib.1.out"; then
	echo "FAIL: parse-lib/library: -p1 -v failed or printed no library"
	head -5 "$T/lib.1.err" | sed 's/^/    /'
elif same lib 2 3 8 default; then
	echo "PASS: parse-lib/library ($(grep -c '^# file ' "$T/lib.1.out") files)"
fi

# broken tapsets: errors in three files (one in a subdirectory, one with
# several), amid good ones; reported in file order, the same each way
mkdir -p "$T/bad/linux"
for i in 0 1 2 3 4 5 6 7 8 9; do
	printf 'function good%d() { return %d }\n' "$i" "$i" >"$T/bad/g$i.stp"
	printf 'function lgood%d() { return %d }\n' "$i" "$i" >"$T/bad/linux/g$i.stp"
done
printf 'function f() { x = 1 +* }\nprobe begin { %%( kernel_v >= %%? 1 %%) }\n' >"$T/bad/a_bad.stp"
printf '@nosuchmacro(1)\nfunction h() { return @1 }\nfunction k() %%{ x' >"$T/bad/m_bad.stp"
printf 'function g() { "unterminated\n' >"$T/bad/linux/z_bad.stp"
for j in 1 2 4; do
	run bad $j -I "$T/bad" -e "$SCRIPT"
done
first=$(grep -m1 'error' "$T/bad.1.err")
case $first in
"$T/bad/a_bad.stp:1:23: parse error: unexpected '*'")
	if [ "$(cat "$T/bad.1.rc")" = 0 ]; then
		echo "FAIL: parse-lib/bad-tapsets: exit status 0"
	elif [ "$(grep -c 'parse error' "$T/bad.1.err")" -lt 6 ]; then
		echo "FAIL: parse-lib/bad-tapsets: errors missing"
		sed 's/^/    /' "$T/bad.1.err" | head -20
	elif same bad 2 4; then
		echo "PASS: parse-lib/bad-tapsets"
	fi ;;
*)
	echo "FAIL: parse-lib/bad-tapsets: first error: $first" ;;
esac

# a broken user script: the library's threads start before it is parsed
# and are stopped after its error; only that error shows, each way
for j in 1 2 4; do
	run usererr $j -I "$T/bad" -e 'probe begin { x = }'
done
if [ "$(cat "$T/usererr.1.rc")" = 0 ] || ! grep -q '^<input>:1:19: parse error' "$T/usererr.1.err" ||
   grep -q 'bad\.stp' "$T/usererr.1.err"; then
	echo "FAIL: parse-lib/user-error: not just the user script's error"
	sed 's/^/    /' "$T/usererr.1.err" | head -10
elif same usererr 2 4; then
	echo "PASS: parse-lib/user-error"
fi
