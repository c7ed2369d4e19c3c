#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run tests: every case in testsuite/run/*.case (or those named) runs in
# ONE qemu boot of the reference kernel.  See testsuite/run/README.
#   testsuite/run.sh [-v] [-k] [NAME...]
# Prints PASS:/FAIL:/SKIP: lines.
cd "$(dirname "$0")/.." || exit 1
B=build/testsuite
# the cases' modules (over 256 MB with the kernel-wide ones) get a cache of
# their own: in the user's (256 MB by default) the later ones trimmed the
# first before the guest's initramfs was packed, and pushed the user's out
export SYSTEMTAP_DIR=${STAP_TEST_DIR:-$HOME/.cache/stap-testsuite}
mkdir -p "$SYSTEMTAP_DIR/cache"
[ -f "$SYSTEMTAP_DIR/cache/cache_mb_limit" ] || echo 4096 > "$SYSTEMTAP_DIR/cache/cache_mb_limit"
mkdir -p $B
SRC="testsuite/run/harness.c testsuite/run/case.c src/guest/cpio.c
     src/guest/kernel.c src/guest/proto.c src/guest/vm.c
     src/util/file.c src/util/strbuf.c src/util/vec.c src/util/xalloc.c"
need=0
[ -x $B/run-harness ] || need=1
for f in $SRC testsuite/run/case.h src/guest/vm.h; do
	[ $f -nt $B/run-harness ] && need=1
done
if [ $need = 1 ] &&
   ! gcc -std=gnu11 -O2 -Wall -Wextra -Wno-unused-parameter \
	-Wno-missing-field-initializers -D_GNU_SOURCE -Isrc -Itestsuite/run \
	-o $B/run-harness.$$ $SRC 2>$B/run-harness.err; then
	echo "FAIL: run-harness: does not compile: $(head -n 3 $B/run-harness.err)"
	rm -f $B/run-harness.$$
	exit 1
fi
[ $need = 0 ] || mv -f $B/run-harness.$$ $B/run-harness
# unit tests of the machinery (no qemu), with every full run
if [ $# -eq 0 ]; then
	if gcc -std=gnu11 -O2 -Wall -Wextra -Wno-unused-parameter \
		-Wno-missing-field-initializers -D_GNU_SOURCE -Isrc \
		-Itestsuite/run -o $B/run-unit.$$ testsuite/run/unit.c \
		testsuite/run/case.c src/guest/cpio.c \
		src/guest/kernel.c src/guest/proto.c src/guest/vm.c \
		src/util/file.c src/util/strbuf.c src/util/vec.c src/util/xalloc.c 2>$B/run-unit.err; then
		$B/run-unit.$$
	else
		echo "FAIL: run-unit: does not compile: $(head -n 3 $B/run-unit.err)"
	fi
	rm -f $B/run-unit.$$
fi

# names vm-stap* are the stap --vm tests below, the rest harness cases
opts=() names=() vm_names=()
for a in "$@"; do
	case $a in -*) opts+=("$a") ;; vm-stap*) vm_names+=("$a") ;; *) names+=("$a") ;; esac
done
if [ ${#names[@]} -gt 0 ] || [ ${#vm_names[@]} -eq 0 ]; then
	$B/run-harness -d testsuite/run "${opts[@]}" "${names[@]}"
fi

# ---- stap --vm itself (src/guest/guest.c): one boot each ----
[ ${#vm_names[@]} -gt 0 ] || [ ${#names[@]} -eq 0 ] || exit 0
pass() { echo "PASS: run-$1"; }
fail() { echo "FAIL: run-$1${2:+: $2}"; }
if ! [ -x ./stap ] || ! command -v qemu-system-x86_64 >/dev/null ||
   ! ls /boot/vmlinuz-* >/dev/null 2>&1; then
	for t in vm-stap-relay vm-stap-o-c vm-stap-sigint vm-stap-bulk vm-stap-accel; do
		echo "SKIP: run-$t: needs ./stap, qemu and a /boot/vmlinuz-*"
	done
	exit 0
fi
T=$(mktemp -d /tmp/stap-vm-test.XXXXXX)
trap 'rm -rf "$T"' EXIT

# stdout and stderr relayed apart, exit status back
./stap --vm -e 'probe begin { println("out") printf("%s\n", "x") error("bad") }' \
	>$T/out 2>$T/err; rc=$?
if [ $rc = 1 ] && [ "$(cat $T/out)" = "$(printf 'out\nx')" ] &&
   grep -q '^ERROR: bad' $T/err; then
	pass vm-stap-relay
else
	fail vm-stap-relay "rc=$rc out=$(head -c 200 $T/out | tr '\n' '|') err=$(head -c 300 $T/err | tr '\n' '|')"
fi

# -o FILE comes back to the host; -c CMD runs in the guest, and a host
# program named there (dynamic here) is copied in with its libraries
printf '#include <stdio.h>\nint main(void) { puts("from-target"); return 0; }\n' >$T/prog.c
gcc -o $T/prog $T/prog.c
./stap --vm -o $T/o.txt -c "$T/prog" \
	-e 'probe begin { println("to-file") }' >$T/out 2>$T/err; rc=$?
if [ $rc = 0 ] && [ "$(cat $T/out)" = from-target ] &&
   [ "$(cat $T/o.txt 2>/dev/null)" = to-file ]; then
	pass vm-stap-o-c
else
	fail vm-stap-o-c "rc=$rc out=$(head -c 200 $T/out | tr '\n' '|') file=$(head -c 100 $T/o.txt 2>&1) err=$(head -c 300 $T/err | tr '\n' '|')"
fi

# SIGINT to stap reaches staprun in the guest: end probes run, status 0
./stap --vm -e 'probe begin { println("started") } probe end { println("ended") }' \
	>$T/out 2>$T/err &
pid=$!
for _ in $(seq 1 600); do
	grep -q started $T/out 2>/dev/null && break
	sleep 0.2
done
kill -INT $pid
wait $pid; rc=$?
if [ $rc = 0 ] && [ "$(cat $T/out)" = "$(printf 'started\nended')" ]; then
	pass vm-stap-sigint
else
	fail vm-stap-sigint "rc=$rc out=$(head -c 200 $T/out | tr '\n' '|') err=$(head -c 300 $T/err | tr '\n' '|')"
fi

# -b (compiled into the module) and -S pass through to the guest's staprun;
# the per-CPU files (stpd_cpuN, numbered by -S) come back to the cwd.  Run
# on a terminal (script(1)): the boot shows a progress line there.
mkdir -p $T/bulk
cat >$T/bulk.stp <<'EOS'
probe timer.profile { printf("cpu%d\n", cpu()) }
probe timer.ms(500) { exit() }
EOS
script -qec "cd $T/bulk && $PWD/stap --vm -b -S 1,3 $T/bulk.stp >$T/out" $T/tty >/dev/null 2>&1; rc=$?
got=$(cd $T/bulk && for f in stpd_cpu*; do echo "$f:$(sort -u $f)"; done | tr '\n' ' ')
if [ $rc = 0 ] && [ "$got" = "stpd_cpu0.0:cpu0 stpd_cpu1.0:cpu1 " ] && [ ! -s $T/out ] &&
   grep -q 'Pass 5: booting the guest: [0-9.]*s' $T/tty; then
	pass vm-stap-bulk
else
	fail vm-stap-bulk "rc=$rc files=$got out=$(head -c 200 $T/out | tr '\n' '|') tty=$(tail -c 300 $T/tty | tr '\r\n' '||')"
fi

# qemu's accelerator: TCG with a thread per CPU unless STAP_GUEST_ACCEL
# says otherwise (src/guest/vm.c); a stand-in qemu records its arguments
printf '#!/bin/sh\necho "$*" >>%s/qemu.args\n' $T >$T/qemu
chmod +x $T/qemu
STAP_GUEST_QEMU=$T/qemu ./stap --vm -e 'probe begin { exit() }' >/dev/null 2>&1
STAP_GUEST_QEMU=$T/qemu STAP_GUEST_ACCEL=tcg,thread=single ./stap --vm -e 'probe begin { exit() }' >/dev/null 2>&1
one=$(sed -n 1p $T/qemu.args 2>/dev/null) two=$(sed -n 2p $T/qemu.args 2>/dev/null)
if [ -e /dev/kvm ] || { [[ $one == *"-accel tcg "* ]] &&
   [[ $two == *"-accel tcg,thread=single "* ]]; }; then
	pass vm-stap-accel
else
	fail vm-stap-accel "$(head -c 300 $T/qemu.args 2>&1)"
fi
