#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Passes 1+2 (-p2) of the example scripts, and two whole-library runs
# (--dump-functions, -l '*': every tapset file parsed and indexed), timed
# against the reference stap 4.8 when installed.  Prints a table; the
# verdict columns show whether each side accepted the script.
#   bench/pass12.sh [N repetitions, default 3]
cd "$(dirname "$0")/.." || exit 1
ours=${STAP:-./stap}
ref=${REF_STAP:-/usr/bin/stap}
rel=${REF_RELEASE:-$(ls /lib/modules 2>/dev/null | sort | head -1)}
reps=${1:-3}
have_ref=0
[ -x "$ref" ] && [ -n "$rel" ] && have_ref=1

# best wall time in ms of reps runs of "$@"; exit status of the last in $rcf
rcf=$(mktemp)
trap 'rm -f "$rcf"' EXIT
best() {
	local b=999999 t0 t1 ms
	for ((i = 0; i < reps; i++)); do
		t0=$(date +%s%N)
		"$@" >/dev/null 2>&1
		echo $? >"$rcf"
		t1=$(date +%s%N)
		ms=$(((t1 - t0) / 1000000))
		((ms < b)) && b=$ms
	done
	echo $b
}

printf '%-28s %9s %4s %9s %4s %7s\n' case ours_ms ok stap_ms ok ratio
run() {
	local name=$1; shift
	local a b ra rb ratio
	a=$(best "$ours" "$@"); ra=$(cat "$rcf")
	if [ $have_ref = 1 ]; then
		b=$(best "$ref" -r "$rel" "$@"); rb=$(cat "$rcf")
		ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { if (a > 0) printf "%.1fx", b / a; else print "-" }')
	else
		b=-; rb=-; ratio=-
	fi
	printf '%-28s %9s %4s %9s %4s %7s\n' "$name" "$a" "$([ "$ra" = 0 ] && echo y || echo n)" \
		"$b" "$([ "$rb" = 0 ] && echo y || { [ "$rb" = - ] && echo - || echo n; })" "$ratio"
}
for f in examples/*.stp; do
	run "$(basename "$f")" -p2 "$f"
done
run "tapset: --dump-functions" --dump-functions
run "tapset: -l '*'" -l '*'
run "tapset: --dump-probe-aliases" --dump-probe-aliases
