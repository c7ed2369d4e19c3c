#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Pass-1 benchmark: our stap against the reference SystemTap 4.8 on
#   (1) a large generated script,
#   (2) the tapset library: the reference's own /usr/share/systemtap/tapset
#       parsed by both (ours runs as a copy of the binary whose tapset/ is
#       that directory, so both parse the same files: the 466 .stp and 18
#       .stpm of the root, linux/, linux/x86_64/ and x86_64/),
#   (3) a one-liner (start-up, plus each one's own library: stap parses
#       its whole library in pass 1 for any script, and so do we).
# We parse the library's files on one thread per CPU (src/parse/library.c);
# the row "tapset library, 1 thread" is the same run with STAP_PARSE_JOBS=1
# (set by a sh wrapper that execs ours: about 1 ms more), and the CPU table
# adds up every thread's time.
# Every command is a plain -p1 that prints the user script only (-p1 -v
# would make both print the whole library too).  Three tables: the best
# wall-clock time of RUNS runs (ours and stap's taken in turn), the mean
# CPU time (user + sys, from /usr/bin/time over the RUNS runs), which moves
# less when the machine is loaded, and the pass-1 time each reports with -v
# (best "real" of RUNS, in turn; no process start-up, no printing).  CALLGRIND=1 adds our instruction
# counts (valgrind), the steadiest figure of all.
# usage: bench/pass1.sh  (from the repo root; N=units of the generated script)
OURS=${OURS:-./stap}
REF=${REF:-/usr/bin/stap}
RUNS=${RUNS:-5}
N=${N:-3000}
LIB=${LIB:-/usr/share/systemtap/tapset}
REL=${REL:-$(ls /lib/modules 2>/dev/null | grep -v "$(uname -r)" | head -1)}
[ -n "$REL" ] || REL=$(uname -r)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# a large script: N globals, functions, probes and aliases using most of
# the language
awk -v n="$N" 'BEGIN {
	for (i = 0; i < n; i++) {
		printf "global g%d[100], s%d\n", i, i
		printf "function f%d:long(a:long, b:string) {\n", i
		printf "  if (a > %d && b != \"x\") { a += %d * (a - 1) / 3 } else a--\n", i, i
		printf "  for (i = 0; i < 10; i++) { g%d[i, b] = i << 2 | 0x%x; s%d <<< i }\n", i, i, i
		printf "  foreach ([k, v] in g%d- limit 5) { delete g%d[k, v]; continue }\n", i, i
		printf "  return a . b == \"q\" ? strlen(b) : -a\n}\n"
		printf "probe a%d.b = kernel.function(\"vfs_read\").return?, timer.ms(%d) { x = $file->f_pos }\n", i, i + 1
		printf "probe syscall.{open,close}.return, begin(%d) if (g%d[1, \"a\"] > 0) {\n", -i, i
		printf "  try { printf(\"%%d %%s\\n\", f%d(%d, \"s\"), @cast($p, \"task_struct\")->comm) } catch (e) { println(e) }\n", i, i
		printf "  while (@count(s%d) < %d) { s%d <<< $return; if (@defined($x)) break }\n", i, i, i
		printf "  %%( arch == \"x86_64\" %%? y = 1 %%: y = 2 %%)\n}\n"
	}
}' >"$tmp/big.stp"
echo 'probe begin { exit() }' >"$tmp/small.stp"

# one run of "$@": wall-clock milliseconds
wall1() {
	t0=$(date +%s%N)
	"$@" >/dev/null 2>&1
	t1=$(date +%s%N)
	echo $(( (t1 - t0) / 1000000 ))
}

# one run of "$@" with -v right after the command: the pass-1 "real"
# milliseconds it reports
rep1() {
	cmd=$1
	shift
	"$cmd" -v "$@" 2>&1 >/dev/null | sed -n 's/^Pass 1: .*\/\([0-9]*\)real ms\.$/\1/p'
}

# "O|R": the best of RUNS runs of FN with our command and with stap's,
# taken in turn so that a change of load hits both alike
# usage: pair FN "OUR COMMAND" "STAP'S COMMAND"
pair() {
	o="" r="" i=0
	while [ $i -lt "$RUNS" ]; do
		# shellcheck disable=SC2086
		x=$($1 $2)
		if [ -n "$x" ] && { [ -z "$o" ] || [ "$x" -lt "$o" ]; }; then o=$x; fi
		if [ -n "$have_ref" ]; then
			# shellcheck disable=SC2086
			x=$($1 $3)
			if [ -n "$x" ] && { [ -z "$r" ] || [ "$x" -lt "$r" ]; }; then r=$x; fi
		fi
		i=$((i + 1))
	done
	echo "$o|$r"
}

# mean CPU milliseconds (user + sys) of RUNS runs of "$@"; empty without
# /usr/bin/time
cpu() {
	[ -x /usr/bin/time ] || return 0
	/usr/bin/time -f "%U %S" -o "$tmp/cpu" sh -c '
		n=$1; shift; i=0
		while [ $i -lt "$n" ]; do "$@" >/dev/null 2>&1; i=$((i + 1)); done
	' sh "$RUNS" "$@" 2>/dev/null
	tail -1 "$tmp/cpu" | awk -v n="$RUNS" '{ printf "%d", ($1 + $2) * 1000 / n }'
}

# instructions (millions) of one run of "$@" under callgrind (every thread;
# through the 1-thread row's sh wrapper too)
insns() {
	valgrind --tool=callgrind --trace-children=yes --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
		awk '/refs:/ { gsub(",", "", $NF); printf "%d", $NF / 1000000 }'
}

row() {	# name ours_ms ref_ms
	if [ -n "$3" ] && [ "$2" -gt 0 ]; then
		ratio=$(awk -v a="$3" -v b="$2" 'BEGIN { printf "%.1fx", a / b }')
	elif [ -n "$3" ]; then
		ratio=">$3x"
	else
		ratio="-"
	fi
	printf "%-38s %10s %12s %9s\n" "$1" "$2" "${3:--}" "$ratio"
}

# ours with the reference library as its only tapset directory
libours=""
if [ -d "$LIB" ]; then
	root=$(cd "$(dirname "$OURS")" && pwd)
	mkdir "$tmp/lib"
	cp "$OURS" "$tmp/lib/stap"
	ln -s "$LIB" "$tmp/lib/tapset"
	ln -s "$root/runtime" "$tmp/lib/runtime"
	libours="$tmp/lib/stap"
	printf '#!/bin/sh\nSTAP_PARSE_JOBS=1 exec "%s" "$@"\n' "$libours" >"$tmp/stap1"
	chmod +x "$tmp/stap1"
fi

# "N" from a -v "Pass 1: parsed user script and N library scripts" line
nlib() {
	cmd=$1
	shift
	"$cmd" -v "$@" 2>&1 >/dev/null | sed -n 's/^Pass 1: parsed user script and \([0-9]*\) library.*/\1/p'
}

size=$(wc -c <"$tmp/big.stp")
lines=$(wc -l <"$tmp/big.stp")
have_ref=""
[ -x "$REF" ] && have_ref=1
big_name="large script ($lines lines, $((size / 1024)) KiB)"
lib_name="tapset library"
if [ -n "$libours" ]; then
	# both count the .stpm macro files among their library scripts
	no=$(nlib "$libours" -r "$REL" -p1 "$tmp/small.stp")
	lib_name="tapset library ($no files)"
	if [ -n "$have_ref" ]; then
		nr=$(nlib "$REF" -r "$REL" -p1 "$tmp/small.stp")
		[ "$nr" = "$no" ] || lib_name="tapset library ($no/$nr files)"
	fi
fi

# the three cases: name, our command, stap's command (one per line, | separated)
cases() {
	echo "$big_name|$OURS -r $REL -p1 $tmp/big.stp|$REF -r $REL -p1 $tmp/big.stp"
	[ -n "$libours" ] && echo "$lib_name|$libours -r $REL -p1 $tmp/small.stp|$REF -r $REL -p1 $tmp/small.stp"
	[ -n "$libours" ] && echo "tapset library, 1 thread|$tmp/stap1 -r $REL -p1 $tmp/small.stp|$REF -r $REL -p1 $tmp/small.stp"
	echo "one-liner|$OURS -r $REL -p1 $tmp/small.stp|$REF -r $REL -p1 $tmp/small.stp"
}

printf "%-38s %10s %12s %9s\n" "pass 1, wall (best of $RUNS, ms)" "ours" "stap 4.8" "speed-up"
cases | while IFS='|' read -r name ours ref; do
	p=$(pair wall1 "$ours" "$ref")
	row "$name" "${p%|*}" "${p#*|}"
done

if [ -x /usr/bin/time ]; then
	echo
	printf "%-38s %10s %12s %9s\n" "pass 1, CPU (mean of $RUNS, ms)" "ours" "stap 4.8" "speed-up"
	cases | while IFS='|' read -r name ours ref; do
		# shellcheck disable=SC2086
		o=$(cpu $ours)
		r=""
		# shellcheck disable=SC2086
		[ -n "$have_ref" ] && r=$(cpu $ref)
		row "$name" "$o" "$r"
	done
fi

echo
printf "%-38s %10s %12s %9s\n" "pass 1 as -v reports it (best of $RUNS)" "ours" "stap 4.8" "speed-up"
cases | while IFS='|' read -r name ours ref; do
	p=$(pair rep1 "$ours" "$ref")
	o=${p%|*}
	row "$name" "${o:-0}" "${p#*|}"
done

if [ -n "$CALLGRIND" ] && command -v valgrind >/dev/null 2>&1; then
	echo
	printf "%-38s %10s\n" "pass 1, ours (callgrind, M instructions)" "ours"
	cases | while IFS='|' read -r name ours ref; do
		# shellcheck disable=SC2086
		printf "%-38s %10s\n" "$name" "$(insns $ours)"
	done
fi

# both must have accepted the large script
if ! "$OURS" -r "$REL" -p1 "$tmp/big.stp" >/dev/null 2>"$tmp/err"; then
	echo "note: ours rejected the large script:"; head -3 "$tmp/err"
fi
if [ -n "$have_ref" ] && ! "$REF" -r "$REL" -p1 "$tmp/big.stp" >/dev/null 2>"$tmp/err"; then
	echo "note: stap rejected the large script:"; head -3 "$tmp/err"
fi
