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
T=$(mktemp -d /tmp/stap-bench-fo.XXXXXX)
trap 'rm -rf "$T"' EXIT
rel=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sed 's|.*/linux-headers-||' | sort -V | tail -n1)
if [ -z "$rel" ] || [ ! -e /boot/vmlinuz-$rel ] || ! command -v qemu-system-x86_64 >/dev/null ||
   [ ! -x /bin/busybox ]; then
	echo "bench/first-output.sh: needs linux-image/headers, qemu-system-x86 and busybox-static" >&2
	exit 1
fi
peer=$(/work/shared/tools/stap-peer-setup 2>/dev/null || ../shared/tools/stap-peer-setup 2>/dev/null) || peer=

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
	SYSTEMTAP_DIR=$T/sd-ours ./stap -r $rel -p4 -m fo_ours_$n -e "$s" >$T/ours.log 2>&1 ||
		{ echo "bench/first-output.sh: our stap failed on $n:" >&2; tail -3 $T/ours.log >&2; exit 1; }
	mv fo_ours_$n.ko $T/m/
	if [ -n "$have_peer" ] && ! (cd $T/m && SYSTEMTAP_DIR=$T/sd-peer stap $peer -w -p4 -m fo_peer_$n -e "$s" >$T/peer.log 2>&1); then
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
R=$T/root
mkdir -p $R/bin $R/proc $R/sys $R/dev $R/tmp $R/m $R/usr/bin $R/usr/lib/systemtap $R/lib/x86_64-linux-gnu $R/lib64
cp /bin/busybox $R/bin/
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox $R/bin/$a; done
[ -x build/static/staprun ] || make -s static >/dev/null 2>&1
cp build/static/staprun build/static/stapio $R/bin/ || exit 1
gcc -O2 -static -o $R/bin/tstamp testsuite/transport/tstamp.c || exit 1
cp $T/m/*.ko $R/m/
if [ -n "$have_peer" ]; then
	cp /usr/bin/staprun $R/usr/bin/; cp /usr/lib/systemtap/stapio $R/usr/lib/systemtap/
	for l in $(ldd /usr/bin/staprun /usr/lib/systemtap/stapio | awk '/=>/{print $3}' | sort -u); do
		cp $l $R/lib/x86_64-linux-gnu/
	done
	cp /lib64/ld-linux-x86-64.so.2 $R/lib64/
fi
cat > $R/init <<EOS
#!/bin/sh
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev 2>/dev/null
export PATH=/bin
for r in \$(seq $rounds); do
	for n in ${names[*]}; do
		tstamp /bin/staprun /m/fo_ours_\$n.ko 2>&1 | grep "^TIME" | sed "s/^/ours-\$n /"
		[ -e /m/fo_peer_\$n.ko ] &&
			tstamp /usr/bin/staprun /m/fo_peer_\$n.ko 2>&1 | grep "^TIME" | sed "s/^/peer-\$n /"
	done
done
echo BENCH-DONE
poweroff -f
EOS
chmod +x $R/init
(cd $R && find . | cpio -o -H newc 2>/dev/null) >$T/initrd
accel=tcg
{ [ -d /sys/module/kvm_intel ] || [ -d /sys/module/kvm_amd ]; } && [ -w /dev/kvm ] && accel=kvm
timeout 1800 qemu-system-x86_64 -accel $accel -kernel /boot/vmlinuz-$rel -initrd $T/initrd \
	-append "console=ttyS0 panic=-1 oops=panic quiet" -nographic -no-reboot \
	-m 1G -smp 2 </dev/null >$T/console 2>&1
tr -d '\r' <$T/console >$T/out
grep -q BENCH-DONE $T/out || { echo "bench/first-output.sh: the guest did not finish" >&2; tail -20 $T/out >&2; exit 1; }

# ---- the table (ms, medians of $rounds) ----
gmed() { grep -ao "^$1 TIME first-output=[0-9]*ms exit=[0-9]*ms" $T/out |
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
