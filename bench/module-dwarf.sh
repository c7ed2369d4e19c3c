#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# module("m").function() with the module's DWARF: -L listing and pass 2 of
# every function of ext4 (and dummy), ours against the reference stap 4.8
# (given the same debuginfo through SYSTEMTAP_DEBUGINFO_PATH, a tree of
# the cache tools/fetch-debuginfo --module fills).  Prints a table of the
# best wall time of N runs and the number of lines / probes.
#   bench/module-dwarf.sh [N repetitions, default 3]
cd "$(dirname "$0")/.." || exit 1
ours=${STAP:-./stap}
ref=${REF_STAP:-/usr/bin/stap}
reps=${1:-3}
rel=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sed 's|.*/linux-headers-||' | sort -V | tail -n1)
[ -n "$rel" ] || { echo "no kernel headers"; exit 0; }
dir=$(tools/fetch-debuginfo --module dummy --module ext4 "$rel") || { echo "no module debuginfo"; exit 0; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/dbg/lib/modules/$rel"
ln -s "$dir/modules/kernel" "$T/dbg/lib/modules/$rel/kernel"
have_ref=0
[ -x "$ref" ] && have_ref=1

# best wall time in ms of reps runs of "$@" (stdout kept in $T/out)
best() {
	local b=999999 t0 t1 ms
	for ((i = 0; i < reps; i++)); do
		t0=$(date +%s%N)
		"$@" >"$T/out" 2>/dev/null
		t1=$(date +%s%N)
		ms=$(((t1 - t0) / 1000000))
		((ms < b)) && b=$ms
	done
	echo $b
}
row() {	# row LABEL ARGS...
	local label=$1 o r on rn
	shift
	o=$(best "$ours" -r "$rel" "$@"); on=$(grep -c '^module' "$T/out")
	if [ $have_ref = 1 ]; then
		r=$(best env SYSTEMTAP_DEBUGINFO_PATH="+:.debug:$T/dbg" "$ref" -r "$rel" "$@")
		rn=$(grep -c '^module' "$T/out")
	else
		r=- rn=-
	fi
	printf '%-48s %8s %8s %7s %7s\n' "$label" "$o" "$r" "$on" "$rn"
}
printf '%-48s %8s %8s %7s %7s\n' "case" "ours ms" "stap ms" "ours n" "stap n"
row '-L module("dummy").function("*")' -L 'module("dummy").function("*")'
row '-L module("ext4").function("*")' -L 'module("ext4").function("*")'
row '-l module("ext4").function("*").exported' -l 'module("ext4").function("*").exported'
row '-p2 module("ext4").function("*") { n++ }' -p2 -e 'global n probe module("ext4").function("*") { n++ }'
row '-p2 module("ext4").function("*@fs/ext4/file.c")' -p2 -e 'probe module("ext4").function("*@fs/ext4/file.c").call { printf("%s\n", ppfunc()) }'
