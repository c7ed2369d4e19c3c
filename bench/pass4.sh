#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Pass 4 side by side: a bare hello-world kbuild (the floor), our stap and
# Debian's stap 4.8 on the same scripts and kernel tree.  Cold = empty
# SYSTEMTAP_DIR (stap 4.8 then runs its configuration probes, ours
# compiles its transport); warm = the second build with the same
# SYSTEMTAP_DIR but no module cache hit (a different script: ours takes its
# compiled transport from the cache).
# Also prints module sizes and the translator time of a cache hit.
#   bench/pass4.sh [RUNS]        (default 3; medians are printed)
set -u
cd "$(dirname "$0")/.." || exit 1
runs=${1:-3}
T=$(mktemp -d /tmp/stap-bench.XXXXXX)
trap 'rm -rf "$T"' EXIT
peer=$(/work/shared/tools/stap-peer-setup 2>/dev/null || ../shared/tools/stap-peer-setup 2>/dev/null)
krel=$(ls -d /usr/src/linux-headers-*-amd64 | sed 's|.*/linux-headers-||' | sort -V | tail -n1)
build=/lib/modules/$krel/build

now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

hello='probe begin { println("hello") exit() }'
counter='global n probe kprobe.function("vfs_read") { n++ } probe timer.s(1) { printf("%d\n", n); exit() }'

bare() {
	mkdir -p $T/bare
	cat > $T/bare/hello.c <<'C'
#include <linux/module.h>
static int __init h_init(void) { pr_info("hello\n"); return 0; }
static void __exit h_exit(void) { }
module_init(h_init);
module_exit(h_exit);
MODULE_LICENSE("GPL");
C
	echo 'obj-m := hello.o' > $T/bare/Kbuild
	rm -f $T/bare/*.ko $T/bare/*.o
	local t0=$(now)
	make -s -C $build M=$T/bare modules >/dev/null 2>&1
	ms $t0 $(now)
}

# $1 tool (ours|peer) $2 script $3 cold|warm ; prints ms and leaves the .ko in $T/ko-$1
build_ms() {
	local tool=$1 script=$2 mode=$3 dir=$T/sd-$1 t0 t1
	[ "$mode" = cold ] && rm -rf $dir
	mkdir -p $dir
	t0=$(now)
	if [ $tool = ours ]; then
		# as for stap: vary the script to miss the module cache (the
		# compiled transport kept in the cache is the "warm" part)
		SYSTEMTAP_DIR=$dir ./stap -p4 -e "$script # $RANDOM$RANDOM" >$T/ko-ours 2>$T/err
	else
		# stap's --disable-cache would also drop its kernel-feature cache
		# (the "warm" part): vary the script instead to miss its module cache
		(cd $T && SYSTEMTAP_DIR=$dir stap $peer -p4 -m bench_peer -e "$script # $RANDOM$RANDOM" >/dev/null 2>$T/err)
	fi
	t1=$(now)
	ms $t0 $t1
}

row() { printf '| %-44s | %10s | %10s |\n' "$1" "$2" "$3"; }

echo "Pass 4 on $krel, median of $runs runs (ms)"
echo
row "what" "ours" "stap 4.8"
row "---" "---" "---"
b=$(for i in $(seq $runs); do bare; done | median)
row "bare hello-world kbuild (floor: $b ms)" "" ""
for name in hello counter; do
	script=${!name}
	for mode in cold warm; do
		o=$(for i in $(seq $runs); do build_ms ours "$script" $mode; done | median)
		if [ -n "$peer" ]; then
			p=$(for i in $(seq $runs); do build_ms peer "$script" $mode; done | median)
		else
			p="n/a"
		fi
		row "$name: passes 1-4, $mode" "$o" "$p"
	done
	osz=$(stat -c %s "$(cat $T/ko-ours)" 2>/dev/null); psz=$(stat -c %s $T/bench_peer.ko 2>/dev/null)
	row "$name: module size (bytes)" "${osz:-n/a}" "${psz:-n/a}"
done
# a cache hit: translator time until staprun would start
export SYSTEMTAP_DIR=$T/hit
./stap -p4 -e "$hello" >/dev/null 2>&1
h=$(for i in $(seq $runs); do t0=$(now); ./stap -p4 -e "$hello" >/dev/null 2>&1; ms $t0 $(now); done | median)
row "cache hit: command to pass 5 (translator)" "$h" ""
