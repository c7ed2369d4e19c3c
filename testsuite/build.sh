#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Pass 4 of the translator corpus (testsuite/tx-ok/*.stp): the C of every
# script (gen_NAME.c, linked with the transport as pass 4 does, in one unit
# tx_NAME.c here) is built as one kbuild run (-j2) against the first kernel build
# tree found, and must compile without a warning under -Wall -Wextra; one
# script also goes through stap -p4 itself.  SKIP without kernel headers.
cd "$(dirname "$0")/.." || exit 1
TOP=$PWD
rel=
for d in /lib/modules/*/build; do
	[ -e "$d/Makefile" ] && { rel=$(basename "$(dirname "$d")"); break; }
done
if [ -z "$rel" ]; then
	echo "SKIP: build: no kernel build tree under /lib/modules"
	exit 0
fi
T=$(mktemp -d /tmp/stp-build.XXXXXX)
trap 'rm -rf "$T"' EXIT
names=()
for f in testsuite/tx-ok/*.stp; do
	n=$(basename $f .stp)
	if ./stap -r $rel -p3 -m tx_$n $f >$T/gen_$n.c 2>$T/$n.err; then
		printf '#include "gen_%s.c"\n#include "transport/transport.c"\n' $n >$T/tx_$n.c
		names+=($n)
	else
		echo "FAIL: build-$n: pass 3: $(grep -m2 error $T/$n.err)"
	fi
done
{
	printf 'obj-m :='
	for n in "${names[@]}"; do printf ' tx_%s.o' $n; done
	printf '\nccflags-y := -I%s/runtime -Wall -Wextra -Wno-unused-parameter' "$TOP"
	printf ' -Wno-sign-compare -Wno-missing-field-initializers -Wno-type-limits\n'
} >$T/Kbuild
make -j2 -k -C /lib/modules/$rel/build M=$T modules >$T/kb 2>&1
for n in "${names[@]}"; do
	if [ ! -e $T/tx_$n.ko ]; then
		echo "FAIL: build-$n: $(grep -m2 -E "(tx|gen)_$n.c.*error" $T/kb)"
	elif grep -q -E "(tx|gen)_$n.c.*warning:" $T/kb; then
		echo "FAIL: build-$n: $(grep -m2 -E "(tx|gen)_$n.c.*warning:" $T/kb)"
	else
		echo "PASS: build-$n"
	fi
done
# the whole of pass 4 once
mkdir -p $T/p4
if (cd $T/p4 && $TOP/stap -r $rel -p4 -m tx_p4 $TOP/testsuite/tx-ok/printf.stp >$T/p4.out 2>$T/p4.err) &&
   [ -e $T/p4/tx_p4.ko ]; then
	echo "PASS: build-stap-p4"
else
	echo "FAIL: build-stap-p4: $(grep -m2 -E 'error|failed' $T/p4.err)"
fi

# make starts before pass 1 (kbuild reads the kernel's makefiles while
# passes 1-3 run); a pass that fails stops it: no make left, no module
if (cd $T/p4 && $TOP/stap -r $rel -p4 --vp 10020 --disable-cache -m tx_early \
	-e 'probe begin { println("x") exit() }' >/dev/null 2>$T/early.err) &&
   awk '/^Running make/ { m = NR } /^Pass 1:/ { p = NR } END { exit !(m && p && m < p) }' $T/early.err; then
	echo "PASS: build-make-before-pass1"
else
	echo "FAIL: build-make-before-pass1: $(grep -m2 -E 'Running|Pass 1' $T/early.err)"
fi
if ! (cd $T/p4 && $TOP/stap -r $rel -p4 -k -e 'probe begin { x = "a" + 1 }' >/dev/null 2>$T/abort.err); then
	d=$(sed -n 's/^Keeping temporary directory "\(.*\)"$/\1/p' $T/abort.err)
	if [ -n "$d" ] && [ -e "$d/make.log" ] && ! pgrep -f "M='$d'" >/dev/null &&
	   ! ls $d/*.ko >/dev/null 2>&1; then
		echo "PASS: build-make-stopped-on-error"
	else
		echo "FAIL: build-make-stopped-on-error: dir '$d': $(ls $d 2>&1 | tr '\n' ' ')"
	fi
	[ -n "$d" ] && rm -rf "$d"
else
	echo "FAIL: build-make-stopped-on-error: a type error passed"
fi
