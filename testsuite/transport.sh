#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Transport tests: staprun/stapio on the host (what it can check without
# module support), run_local() against a fake staprun, then a qemu guest
# booting the reference kernel that loads a hand-written module through
# staprun/stapio (testsuite/transport/init.sh lists the cases).
# Prints PASS:/FAIL:/SKIP: lines.
cd "$(dirname "$0")/.." || exit 1
TOP=$PWD
T=$(mktemp -d /tmp/stp-transport.XXXXXX)
[ -n "$KEEP" ] || trap 'rm -rf "$T"' EXIT

pass() { echo "PASS: transport-$1"; }
fail() { echo "FAIL: transport-$1${2:+: $2}"; }
skip() { echo "SKIP: transport-$1${2:+: $2}"; }

# ---- build (warning-clean, dynamic and static) ----
SRC_RUN="staprun/staprun.c staprun/modinfo.c staprun/output.c staprun/common.c"
SRC_IO="staprun/stapio.c staprun/output.c staprun/common.c"
if gcc -std=gnu11 -Wall -Wextra -Werror -O2 -o $T/staprun $SRC_RUN 2>$T/cc.err &&
   gcc -std=gnu11 -Wall -Wextra -Werror -O2 -o $T/stapio $SRC_IO 2>>$T/cc.err; then
	pass build
else
	fail build "$(head -n 5 $T/cc.err)"
fi
mkdir -p $T/static
if gcc -O2 -static -o $T/static/staprun $SRC_RUN 2>$T/cc.err &&
   gcc -O2 -static -o $T/static/stapio $SRC_IO 2>>$T/cc.err; then
	pass build-static
else
	fail build-static "$(head -n 5 $T/cc.err)"
fi

# ---- host behaviour ----
$T/staprun >/dev/null 2>$T/err; rc=$?
if [ $rc = 1 ] && grep -q "^Usage: staprun" $T/err; then pass usage; else fail usage "rc=$rc"; fi
$T/staprun -s 0 x.ko >/dev/null 2>$T/err; rc=$?
if [ $rc = 1 ] && grep -q "buffer size must be" $T/err; then pass bad-option; else fail bad-option "rc=$rc"; fi
$T/stapio >/dev/null 2>$T/err; rc=$?
if [ $rc = 1 ] && grep -q "^Usage: stapio" $T/err; then pass stapio-usage; else fail stapio-usage "rc=$rc"; fi
if [ ! -e /proc/modules ]; then
	$T/staprun /tmp/nothing.ko >/dev/null 2>$T/err; rc=$?
	if [ $rc = 1 ] && grep -q "^ERROR: This kernel has no loadable module support" $T/err
	then pass no-module-support; else fail no-module-support "rc=$rc"; fi
else
	skip no-module-support "this host has /proc/modules"
fi
$T/stapio no_such_module >/dev/null 2>$T/err; rc=$?
if [ $rc = 1 ] && grep -q "^ERROR: Couldn't open control channel '/proc/stap/no_such_module/ctl'" $T/err
then pass stapio-no-module; else fail stapio-no-module "rc=$rc"; fi

# ---- run_local() ----
mkdir -p $T/fake
cat >$T/fake/staprun <<'EOS'
#!/bin/sh
for a in "$@"; do echo "arg:$a"; done
exit 3
EOS
chmod +x $T/fake/staprun
if gcc -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter -Isrc -o $T/run_test \
	testsuite/transport/run_test.c src/run/run.c src/util/vec.c src/util/xalloc.c src/util/arena.c 2>$T/cc.err; then
	$T/run_test $T/fake >$T/out 2>$T/err
	want=$(printf 'arg:%s\n' -v -o "out file" -c "ls -l" -x 42 -T 7 -s 8 /tmp/stap_x.ko g1=5 "g2=a b" \
		_stp_verbose=1; echo rc=3
	       printf 'arg:%s\n' -o "out file" -S 2,3 -D /tmp/stap_x.ko; echo rc=3
	       printf 'arg:%s\n' -S 2,3 -L /tmp/stap_x.ko; echo rc=3)
	if [ "$(cat $T/out)" = "$want" ]; then pass run-local
	else fail run-local "$(tr '\n' ' ' <$T/out)"; fi
	# a signal to stap alone reaches staprun; stap returns staprun's status
	cat >$T/fake/staprun <<'EOS'
#!/bin/sh
trap 'echo got-term; exit 0' TERM
echo ready
while :; do sleep 0.05; done
EOS
	$T/run_test $T/fake once >$T/out 2>$T/err & p=$!
	for i in $(seq 50); do grep -q ready $T/out && break; sleep 0.1; done
	kill -TERM $p; wait $p
	if grep -q "^got-term$" $T/out && grep -q "^rc=0$" $T/out; then pass run-local-signal
	else fail run-local-signal "$(tr '\n' ' ' <$T/out)"; fi
else
	fail run-local "$(head -n 5 $T/cc.err)"
fi

# ---- the guest ----
rel=
for d in /lib/modules/*/build; do
	r=$(basename "$(dirname "$d")")
	[ -e "$d/Makefile" ] && [ -e /boot/vmlinuz-$r ] && { rel=$r; break; }
done
if [ -z "$rel" ] || ! command -v qemu-system-x86_64 >/dev/null || [ ! -x /bin/busybox ]; then
	skip guest "needs a kernel with headers, qemu-system-x86 and busybox-static"
	exit 0
fi
mkdir -p $T/mod
cp testsuite/transport/stp_test.c testsuite/transport/stp_test2.c $T/mod/
printf 'obj-m := stp_test.o stp_test2.o\nccflags-y := -I%s/runtime -I%s\n' "$TOP" "$T/mod" >$T/mod/Kbuild
if make -s -C /lib/modules/$rel/build M=$T/mod modules >$T/kbuild.log 2>&1 &&
   [ -e $T/mod/stp_test.ko ] && ! grep -q "warning:" $T/kbuild.log; then
	pass kbuild
else
	fail kbuild "$(grep -m3 -E 'error|warning' $T/kbuild.log)"
	exit 0
fi
R=$T/root
mkdir -p $R/bin $R/proc $R/sys $R/dev $R/tmp
cp /bin/busybox $R/bin/
for a in $(/bin/busybox --list); do
	[ "$a" = busybox ] || ln -sf busybox $R/bin/$a
done
cp $T/static/staprun $T/static/stapio $R/bin/
gcc -O2 -static -o $R/bin/tstamp testsuite/transport/tstamp.c
cp $T/mod/stp_test.ko $T/mod/stp_test2.ko $R/
cp testsuite/transport/init.sh $R/init
(cd $R && find . | cpio -o -H newc 2>/dev/null) >$T/initrd
accel=tcg
{ [ -d /sys/module/kvm_intel ] || [ -d /sys/module/kvm_amd ]; } && [ -w /dev/kvm ] && accel=kvm
timeout 300 qemu-system-x86_64 -accel $accel -kernel /boot/vmlinuz-$rel -initrd $T/initrd \
	-append "console=ttyS0 panic=-1 oops=panic quiet" -nographic -no-reboot \
	-m 1G -smp 2 </dev/null >$T/console 2>&1
tr -d '\r' <$T/console >$T/console.txt
if ! grep -q "=== transport tests done" $T/console.txt; then
	fail guest "guest did not finish; console tail:"
	tail -n 30 $T/console.txt
fi
grep -E "^(PASS|FAIL|SKIP): " $T/console.txt
grep -A 42 "^FAIL: " $T/console.txt | grep -v -E "^(PASS|FAIL|SKIP): " | sed 's/^/    /'
grep "^TIME " $T/console.txt | sed 's/^/INFO: guest staprun /'
grep "^VV " $T/console.txt | sed "s/^VV /INFO: /"
exit 0
