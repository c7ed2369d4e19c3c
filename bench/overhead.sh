#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Per-hit cost of a probe on a hot function, ours next to Debian's stap 4.8:
# a static loop calls getppid() N times in the guest (ns per call from
# CLOCK_MONOTONIC), bare and with a module whose kprobe on
# __x64_sys_getppid runs each body below; cost per hit = loaded - bare.
# Both tools' modules run in the same boot, alternating, each with its own
# staprun/stapio (-c runs the loop as the target).  TCG inflates absolute
# figures: compare the columns.
#   bench/overhead.sh [ROUNDS]   (default 5; the median over rounds)
set -u
cd "$(dirname "$0")/.." || exit 1
rounds=${1:-5}
N=${N:-200000}
. bench/lib/guest.sh
bg_setup overhead

bodies=(
	"n++"
	"s <<< 1"
	"a[pid()]++"
	"if (pid() == target()) c[execname()]++"
)

# ---- the loop ----
gcc -O2 -static -o $T/loop bench/lib/getppid-loop.c || exit 1

# ---- modules ----
have_peer=
[ -n "$peer" ] && have_peer=1
i=0
for b in "${bodies[@]}"; do
	echo "global n, s, a, c probe kprobe.function(\"__x64_sys_getppid\") { $b }" > $T/b$i.stp
	if ! ./stap -p4 -m oh_ours_$i $T/b$i.stp >$T/ours$i.log 2>&1; then
		echo "bench/overhead.sh: our stap failed on '$b':" >&2; tail -3 $T/ours$i.log >&2; exit 1
	fi
	mv oh_ours_$i.ko $T/ 2>/dev/null || cp "$(tail -n1 $T/ours$i.log)" $T/oh_ours_$i.ko
	if [ -n "$have_peer" ] && ! (cd $T && stap $peer -w -p4 -m oh_peer_$i b$i.stp >$T/peer$i.log 2>&1); then
		echo "bench/overhead.sh: stap 4.8 failed on '$b' (no peer column)" >&2
		have_peer=
	fi
	i=$((i + 1))
done

# ---- the guest ----
bg_root ${have_peer:+peer}
cp $T/loop $T/oh_ours_*.ko $R/m/
[ -z "$have_peer" ] || cp $T/oh_peer_*.ko $R/m/
nb=${#bodies[@]}
bg_boot 1800 <<EOS
for r in \$(seq $rounds); do
	echo "bare \$(/m/loop $N)"
	i=0
	while [ \$i -lt $nb ]; do
		/bin/staprun -c "/m/loop $N" /m/oh_ours_\$i.ko 2>&1 | grep LOOP | sed "s/^/ours\$i /"
		[ -e /m/oh_peer_\$i.ko ] && /usr/bin/staprun -c "/m/loop $N" /m/oh_peer_\$i.ko 2>&1 | grep LOOP | sed "s/^/peer\$i /"
		i=\$((i + 1))
	done
done
EOS

# ---- the table: medians, ns per getppid() call / per probe hit ----
med() { grep -ao "$1 LOOP [0-9.]*" $T/out | awk '{print $3}' | sort -n |
	awk '{a[NR]=$1} END {if (NR) printf "%.1f", a[int((NR+1)/2)]; else printf "-"}'; }
bare=$(med bare)
printf "%-50s %10s %10s %10s\n" "kprobe __x64_sys_getppid (N=$N, $accel)" "ours ns" "stap 4.8" "ours/stap"
printf "%-50s %10s %10s %10s\n" "(bare getppid() call)" "$bare" "$bare" ""
i=0
for b in "${bodies[@]}"; do
	o=$(med ours$i); p=$( [ -n "$have_peer" ] && med peer$i || echo -)
	oc=$(awk -v x="$o" -v y="$bare" 'BEGIN {printf "%.1f", x - y}')
	pc=-; r=-
	if [ "$p" != - ]; then
		pc=$(awk -v x="$p" -v y="$bare" 'BEGIN {printf "%.1f", x - y}')
		r=$(awk -v x="$oc" -v y="$pc" 'BEGIN {if (y > 0) printf "%.2f", x / y; else print "-"}')
	fi
	printf "%-50s %10s %10s %10s\n" "{ $b } per hit" "$oc" "$pc" "$r"
	i=$((i + 1))
done
