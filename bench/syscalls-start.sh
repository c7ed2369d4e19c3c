#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Start-up of syscall.* and syscall.*.return, ours next to Debian's stap 4.8:
# per script and tool, the probes pass 2 analyzed, the host time of passes
# 1-4 (no cache), and in one guest boot (both tools' modules, each with its
# own staprun/stapio) the time from staprun's start to the first line the
# script prints (from `probe begin`, i.e. once every probe is registered),
# the kprobes registered at that moment (/sys/kernel/debug/kprobes/list)
# and the time to its exit (a timer ends it 2 s after start-up).  Ours
# also as `stap --vm` from the host (boot + load + run + unload; warm
# cache): time to first output and total.  Our nd_syscall.* rows are what
# syscall.* was before it moved to the raw_syscalls tracepoints.  TCG
# inflates absolute figures: compare the rows.
#   bench/syscalls-start.sh [ROUNDS]   (default 3; medians)
set -u
cd "$(dirname "$0")/.." || exit 1
rounds=${1:-3}
. bench/lib/guest.sh
bg_setup syscalls-start
gcc -O2 -static -o $T/stamp bench/syscalls/stamp.c || exit 1

# label|tool|probe points
rows=(
	"syscall.*|ours|syscall.*"
	"syscall.*|stap|syscall.*"
	"nd_syscall.* (old syscall.*)|ours|nd_syscall.*"
	"syscall.*, syscall.*.return|ours|syscall.*, syscall.*.return"
	"syscall.*, syscall.*.return|stap|syscall.*, syscall.*.return"
	"nd_syscall.*, nd_syscall.*.return|ours|nd_syscall.*, nd_syscall.*.return"
)
# the nonce defeats stap 4.8's module cache, not its kernel-feature cache
# (as bench/pass4.sh); ours builds with --disable-cache
nonce=$$.$(date +%s)
script() {
	printf 'global hits\nprobe %s { hits++ }\nprobe begin { println("ready %s") }\n' "$1" "$nonce"
	printf 'probe timer.s(2) { printf("done %%d\\n", hits > 0); exit() }\n'
}

ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%d", (b - a) * 1000 }'; }
i=0
for r in "${rows[@]}"; do
	IFS='|' read -r label tool pts <<<"$r"
	script "$pts" >$T/s$i.stp
	t0=$(date +%s.%N)
	if [ "$tool" = ours ]; then
		./stap -v --disable-cache -p4 -m scs_$i $T/s$i.stp >$T/p4_$i.log 2>&1 &&
			mv scs_$i.ko $T/
	elif [ -n "$peer" ]; then
		# shellcheck disable=SC2086
		(cd $T && stap $peer -v -w -p4 -m scs_$i s$i.stp) >$T/p4_$i.log 2>&1
	fi
	t1=$(date +%s.%N)
	[ -e $T/scs_$i.ko ] && echo "$(ms $t0 $t1)" >$T/p4ms_$i
	[ -e $T/scs_$i.ko ] || echo "bench/syscalls-start.sh: no module for '$pts' ($tool): $(grep -m1 -i error $T/p4_$i.log)" >&2
	i=$((i + 1))
done

# ---- the guest ----
bg_root ${peer:+peer}
cp $T/stamp $R/bin/ || exit 1
cp $T/*.ko $R/m/ 2>/dev/null
n=${#rows[@]}
tools=""
for r in "${rows[@]}"; do IFS='|' read -r _ tool _ <<<"$r"; tools="$tools $tool"; done
bg_boot 3000 <<EOS
for r in \$(seq $rounds); do
	i=0
	for tool in $tools; do
		if [ -e /m/scs_\$i.ko ]; then
			if [ \$tool = ours ]; then run=/bin/staprun; else run=/usr/bin/staprun; fi
			/bin/stamp \$run /m/scs_\$i.ko 2>&1 | sed "s/^/ROW\$i /"
		fi
		i=\$((i + 1))
	done
done
EOS

# ---- ours through `stap --vm` from the host (module from the cache) ----
i=0
for r in "${rows[@]}"; do
	IFS='|' read -r _ tool _ <<<"$r"
	if [ "$tool" = ours ]; then
		./stap -p4 $T/s$i.stp >/dev/null 2>&1	# warm the cache
		$T/stamp ./stap --vm $T/s$i.stp >$T/vm_$i.out 2>&1
	fi
	i=$((i + 1))
done

# ---- the table ----
med() { awk '{a[NR]=$1} END {if (NR) printf "%d", a[int((NR+1)/2)]; else printf "-"}'; }
field() { grep -a "^ROW$1 STAMP" $T/out | sed -n "s/.* $2=\\([-0-9]*\\).*/\\1/p" | sort -n | med; }
# a pass's real ms from the -v line both tools print
passms() { sed -n "s/^Pass $2: .* in [0-9]*usr\/[0-9]*sys\/\([0-9]*\)real ms.*/\1/p" $T/p4_$1.log 2>/dev/null; }
printf "%-36s %-8s %6s %7s %7s %6s %8s %8s %9s %9s %9s %9s\n" "probes ($accel, $rounds rounds)" tool \
	pass2 "p2 ms" "p4 ms" "ko KB" kprobes "p1-4 ms" "1st-out" "total" "vm 1st" "vm total"
i=0
for r in "${rows[@]}"; do
	IFS='|' read -r label tool _ <<<"$r"
	np=$(sed -n 's/^Pass 2: analyzed script: \([0-9]*\) probes.*/\1/p' $T/p4_$i.log 2>/dev/null)
	p4=$(cat $T/p4ms_$i 2>/dev/null || echo -)
	vf=- vt=-
	if [ -e $T/vm_$i.out ]; then
		vf=$(sed -n 's/.*first_ms=\([-0-9]*\).*/\1/p' $T/vm_$i.out)
		vt=$(sed -n 's/.*total_ms=\([-0-9]*\).*/\1/p' $T/vm_$i.out)
	fi
	name=$tool; [ "$tool" = stap ] && name="stap 4.8"
	kb=$(ls -s --block-size=1K $T/scs_$i.ko 2>/dev/null | awk '{print $1}')
	printf "%-36s %-8s %6s %7s %7s %6s %8s %8s %9s %9s %9s %9s\n" "$label" "$name" "${np:--}" \
		"$(passms $i 2)" "$(passms $i 4)" "${kb:--}" \
		"$(field $i kprobes)" "$p4" "$(field $i first_ms)" "$(field $i total_ms)" "${vf:--}" "${vt:--}"
	i=$((i + 1))
done
echo "(kprobes: registered when the script printed its first line; ours"
echo " syscall.* adds 1 tracepoint registration per raw_syscalls tracepoint)"
