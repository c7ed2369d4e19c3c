# SPDX-License-Identifier: GPL-2.0-or-later
# bench/lib/guest.sh: what the benches that boot the reference kernel share.
# Sourced from the repository root.
#   bg_setup NAME   rel (newest kernel with headers), T (a temporary directory
#                   removed at exit unless $KEEP is set), peer (stap 4.8's options for that kernel,
#                   empty without it); exits when qemu/busybox/kernel are missing
#   bg_root [peer]  R=$T/root: busybox, our static staprun/stapio in /bin and,
#                   with "peer", stap 4.8's staprun/stapio and their libraries;
#                   modules go in $R/m
#   bg_boot SECS    boots it with the shell script on stdin as the body of
#                   /init (proc, sys, dev, debugfs and tracefs mounted, PATH
#                   /bin; BENCH-DONE printed after it), KVM only where it
#                   works, else TCG (sets accel); the console, without CRs,
#                   in $T/out; exits if the body did not finish in SECS

bg_setup() {
	bg_name=$1
	T=$(mktemp -d /tmp/stap-bench-$1.XXXXXX)
	[ -n "${KEEP:-}" ] || trap 'rm -rf "$T"' EXIT
	rel=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sed 's|.*/linux-headers-||' |
		sort -V | tail -n1)
	if [ -z "$rel" ] || [ ! -e /boot/vmlinuz-$rel ] ||
	   ! command -v qemu-system-x86_64 >/dev/null || [ ! -x /bin/busybox ]; then
		echo "bench/$1.sh: needs linux-image/headers, qemu-system-x86 and busybox-static" >&2
		exit 1
	fi
	peer=$(/work/shared/tools/stap-peer-setup 2>/dev/null ||
		../shared/tools/stap-peer-setup 2>/dev/null) || peer=
}

bg_root() {
	R=$T/root
	mkdir -p $R/bin $R/proc $R/sys $R/dev $R/tmp $R/m $R/usr/bin $R/usr/lib/systemtap \
		$R/lib/x86_64-linux-gnu $R/lib64
	cp /bin/busybox $R/bin/
	for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox $R/bin/$a; done
	[ -x build/static/staprun ] || make -s static >/dev/null 2>&1
	cp build/static/staprun build/static/stapio $R/bin/ || exit 1
	[ "${1:-}" = peer ] || return 0
	cp /usr/bin/staprun $R/usr/bin/
	cp /usr/lib/systemtap/stapio $R/usr/lib/systemtap/
	for l in $(ldd /usr/bin/staprun /usr/lib/systemtap/stapio | awk '/=>/{print $3}' | sort -u); do
		cp $l $R/lib/x86_64-linux-gnu/
	done
	cp /lib64/ld-linux-x86-64.so.2 $R/lib64/
}

bg_boot() {
	{
		echo '#!/bin/sh'
		echo 'mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev 2>/dev/null'
		echo 'mount -t debugfs none /sys/kernel/debug 2>/dev/null; mount -t tracefs none /sys/kernel/tracing 2>/dev/null'
		echo 'export PATH=/bin'
		cat
		echo 'echo BENCH-DONE'
		echo 'poweroff -f'
	} >$R/init
	chmod +x $R/init
	(cd $R && find . | cpio -o -H newc 2>/dev/null) >$T/initrd
	# one TCG thread (see src/guest/vm.c): with a thread per CPU, stap
	# 4.8's kprobe on getppid jumped to address 0 in 2 of 9 runs of
	# overhead.sh, on an int3 only a stale translation still had;
	# STAP_GUEST_ACCEL overrides, as for stap --vm
	accel=${STAP_GUEST_ACCEL:-tcg,thread=single}
	[ -z "${STAP_GUEST_ACCEL:-}" ] && { [ -d /sys/module/kvm_intel ] || [ -d /sys/module/kvm_amd ]; } &&
		[ -w /dev/kvm ] && accel=kvm
	timeout $1 qemu-system-x86_64 -accel $accel -kernel /boot/vmlinuz-$rel -initrd $T/initrd \
		-append "console=ttyS0 panic=-1 oops=panic quiet" -nographic -no-reboot \
		-m 1G -smp 2 </dev/null >$T/console 2>&1
	tr -d '\r' <$T/console >$T/out
	grep -q BENCH-DONE $T/out || {
		echo "bench/$bg_name.sh: the guest did not finish" >&2
		tail -20 $T/out >&2
		exit 1
	}
}
