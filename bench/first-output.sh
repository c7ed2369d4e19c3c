#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Time from command to first output on a module-cache hit, ours next to
# Debian's stap 4.8, in two parts that add up:
#   host:  `stap -p4 SCRIPT` with the module already cached (the translator's
#          whole share before pass 5: options, cache lookup, for stap 4.8 also
#          passes 1-2, which it runs before looking at its cache);
#   guest: staprun started -> first output line, and -> exit, in one boot of
#          the reference kernel (TCG), both tools' modules alternating, each
#          with its own staprun/stapio.
#   bench/first-output.sh [ROUNDS]   (default 5; medians)
set -u
cd "$(dirname "$0")/.." || exit 1
rounds=${1:-5}
. bench/lib/guest.sh
bg_setup first-output

names=(hello timer kprobe)
scripts=(
	'probe begin { println("hello") exit() }'
	'global n probe timer.ms(10) { n++ } probe timer.ms(100) { printf("ticks %d\n", n) exit() }'
	'global n probe kprobe.function("vfs_read") { n++ } probe begin { println("armed") } probe timer.ms(100) { exit() }'
)

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print "-"}'; }

# ---- host: translator time on a cache hit ----
mkdir -p $T/sd-ours $T/sd-peer $T/m
have_peer=${peer:+1}
for i in "${!names[@]}"; do
	n=${names[$i]} s=${scripts[$i]}
	# the first build fills the cache; the module it names is the one run
	SYSTEMTAP_DIR=$T/sd-ours ./stap -r $rel -p4 -e "$s" >$T/ours.log 2>&1 &&
		cp "$(tail -n1 $T/ours.log)" $T/m/fo_ours_$n.ko ||
		{ echo "bench/first-output.sh: our stap failed on $n:" >&2; tail -3 $T/ours.log >&2; exit 1; }
	# stap 4.8's staprun wants the file named as the module: keep its name
	if [ -n "$have_peer" ] &&
	   ! { (cd $T && SYSTEMTAP_DIR=$T/sd-peer stap $peer -w -p4 -e "$s" >$T/peer.log 2>&1) &&
	       cp "$(tail -n1 $T/peer.log)" $T/m/ &&
	       ln -s "$(basename "$(tail -n1 $T/peer.log)")" $T/m/fo_peer_$n.ko; }; then
		echo "bench/first-output.sh: stap 4.8 failed on $n (no stap column)" >&2
		tail -3 $T/peer.log >&2
		have_peer=
	fi
	for r in $(seq $rounds); do
		t0=$(now); SYSTEMTAP_DIR=$T/sd-ours ./stap -r $rel -p4 -e "$s" >/dev/null 2>&1; t1=$(now)
		echo $(( (t1 - t0) / 1000000 )) >>$T/host-ours-$n
		if [ -n "$have_peer" ]; then
			t0=$(now); (cd $T && SYSTEMTAP_DIR=$T/sd-peer stap $peer -w -p4 -e "$s" >/dev/null 2>&1); t1=$(now)
			echo $(( (t1 - t0) / 1000000 )) >>$T/host-peer-$n
		fi
	done
done

# ---- guest: staprun -> first output, -> exit ----
bg_root ${have_peer:+peer}
gcc -O2 -static -o $R/bin/tstamp testsuite/transport/tstamp.c || exit 1
cp -P $T/m/*.ko $R/m/
bg_boot 1800 <<EOS
for r in \$(seq $rounds); do
	for n in ${names[*]}; do
		tstamp /bin/staprun /m/fo_ours_\$n.ko 2>&1 | grep "^TIME" | sed "s/^/ours-\$n /"
		[ -e /m/fo_peer_\$n.ko ] &&
			tstamp /usr/bin/staprun /m/\$(readlink /m/fo_peer_\$n.ko) 2>&1 | grep "^TIME" |
			sed "s/^/peer-\$n /"
	done
done
EOS

# ---- the table (ms, medians of $rounds) ----
gmed() { grep -ao "$1 TIME first-output=[0-9]*ms exit=[0-9]*ms" $T/out |
	sed -E "s/.*first-output=([0-9]+)ms exit=([0-9]+)ms/\\$2/" | median; }
hmed() { [ -s $T/host-$1 ] && median <$T/host-$1 || echo -; }
sum() { [ "$1" = - ] || [ "$2" = - ] && echo - || echo $(($1 + $2)); }
printf "%-8s | %-22s | %-22s | %-22s | %-22s\n" "" "host, cache hit" "guest staprun->1st out" \
	"command->1st output" "guest staprun->exit"
printf "%-8s | %10s %11s | %10s %11s | %10s %11s | %10s %11s\n" script ours "stap 4.8" ours "stap 4.8" \
	ours "stap 4.8" ours "stap 4.8"
for n in "${names[@]}"; do
	ho=$(hmed ours-$n) hp=$(hmed peer-$n)
	fo=$(gmed ours-$n 1) fp=$(gmed peer-$n 1)
	eo=$(gmed ours-$n 2) ep=$(gmed peer-$n 2)
	printf "%-8s | %10s %11s | %10s %11s | %10s %11s | %10s %11s\n" $n "$ho" "$hp" "$fo" "$fp" \
		"$(sum $ho $fo)" "$(sum $hp $fp)" "$eo" "$ep"
done
echo "(ms; $accel guest of $rel; the guest columns exclude the boot, which \`stap --vm\` adds)"
