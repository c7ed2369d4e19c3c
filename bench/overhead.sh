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
T=$(mktemp -d /tmp/stap-bench-oh.XXXXXX)
trap 'rm -rf "$T"' EXIT
rel=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sed 's|.*/linux-headers-||' | sort -V | tail -n1)
if [ -z "$rel" ] || [ ! -e /boot/vmlinuz-$rel ] || ! command -v qemu-system-x86_64 >/dev/null ||
   [ ! -x /bin/busybox ]; then
	echo "bench/overhead.sh: needs linux-image/headers, qemu-system-x86 and busybox-static" >&2
	exit 1
fi

bodies=(
	"n++"
	"s <<< 1"
	"a[pid()]++"
	"if (pid() == target()) c[execname()]++"
)

# ---- the loop ----
cat > $T/loop.c <<'EOC'
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000, i;
	struct timespec a, b;

	for (i = 0; i < 1000; i++)
		syscall(SYS_getppid);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("LOOP %.1f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n);
	return 0;
}
EOC
gcc -O2 -static -o $T/loop $T/loop.c || exit 1

# ---- modules ----
peer=$(/work/shared/tools/stap-peer-setup 2>/dev/null || ../shared/tools/stap-peer-setup 2>/dev/null) || peer=
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
R=$T/root
mkdir -p $R/bin $R/proc $R/sys $R/dev $R/tmp $R/m $R/usr/bin $R/usr/lib/systemtap $R/lib/x86_64-linux-gnu $R/lib64
cp /bin/busybox $R/bin/
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox $R/bin/$a; done
[ -x build/static/staprun ] || make -s static >/dev/null 2>&1
cp build/static/staprun build/static/stapio $R/bin/ || exit 1
cp $T/loop $T/oh_ours_*.ko $R/m/
if [ -n "$have_peer" ]; then
	cp $T/oh_peer_*.ko $R/m/
	cp /usr/bin/staprun $R/usr/bin/; cp /usr/lib/systemtap/stapio $R/usr/lib/systemtap/
	for l in $(ldd /usr/bin/staprun /usr/lib/systemtap/stapio | awk '/=>/{print $3}' | sort -u); do
		cp $l $R/lib/x86_64-linux-gnu/
	done
	cp /lib64/ld-linux-x86-64.so.2 $R/lib64/
fi
nb=${#bodies[@]}
cat > $R/init <<EOS
#!/bin/sh
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev 2>/dev/null
export PATH=/bin
for r in \$(seq $rounds); do
	echo "bare \$(/m/loop $N)"
	i=0
	while [ \$i -lt $nb ]; do
		/bin/staprun -c "/m/loop $N" /m/oh_ours_\$i.ko 2>&1 | grep LOOP | sed "s/^/ours\$i /"
		[ -e /m/oh_peer_\$i.ko ] && /usr/bin/staprun -c "/m/loop $N" /m/oh_peer_\$i.ko 2>&1 | grep LOOP | sed "s/^/peer\$i /"
		i=\$((i + 1))
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
grep -q BENCH-DONE $T/out || { echo "bench/overhead.sh: the guest did not finish" >&2; tail -20 $T/out >&2; exit 1; }

# ---- the table: medians, ns per getppid() call / per probe hit ----
med() { grep -ao "^$1 LOOP [0-9.]*" $T/out | awk '{print $3}' | sort -n |
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
