#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tp_syscall.* (raw_syscalls tracepoints: one registration per tracepoint,
# a dispatcher on the call number; syscall.* is an alias of it when the
# target has the tracepoints) against nd_syscall.* (one kprobe per
# __x64_sys_* entry, what syscall.* was before): the
# translator's cost (passes 2 and 4, host), the module size, the whole
# `stap --vm` run (boot + load + run + unload; the boot is the same for
# all), and the cost per system call in the guest: busybox dd moving N
# bytes one at a time (2N read/write calls), timed by busybox `time`,
# against a module that probes no system call.  TCG inflates absolute
# numbers: compare the rows.
#   bench/syscalls.sh [N]        (default 100000)
set -u
cd "$(dirname "$0")/.." || exit 1
N=${1:-100000}
T=$(mktemp -d /tmp/stap-bench-sc.XXXXXX)
trap 'rm -rf "$T"' EXIT
command -v qemu-system-x86_64 >/dev/null || { echo "bench/syscalls.sh: needs qemu" >&2; exit 1; }

configs=(
	"baseline (timer only)|global n probe timer.s(1000) { n++ }"
	"tp_syscall.read|global n probe tp_syscall.read { n++ }"
	"nd_syscall.read|global n probe nd_syscall.read { n++ }"
	"tp_syscall.*|global n probe tp_syscall.* { n++ }"
	"nd_syscall.*|global n probe nd_syscall.* { n++ }"
	"tp_syscall.*.return|global n probe tp_syscall.*.return { n++ }"
	"nd_syscall.*.return|global n probe nd_syscall.*.return { n++ }"
	"syscall.*|global hits probe syscall.* { hits++ }"
)
# start-up (time to first output, kprobes registered) against stap 4.8:
# bench/syscalls-start.sh

ms() { awk -v s="$1" 'BEGIN { printf "%d", s * 1000 }'; }

printf "%-22s %7s %7s %8s %9s %9s %10s\n" "script" "probes" "pass2" "pass4" "ko_KB" "vm_wall" "ns/syscall"
base_s=""
for c in "${configs[@]}"; do
	label=${c%%|*}
	script=${c#*|}
	echo "$script" >"$T/s.stp"
	# translator: passes 2 and 4, no cache
	./stap -v --disable-cache -p4 -m bench_sc "$T/s.stp" >"$T/p4.out" 2>"$T/p4.err"
	p2=$(sed -n 's/^Pass 2:.* in [0-9]*usr\/[0-9]*sys\/\([0-9]*\)real ms.*/\1/p' "$T/p4.err")
	p4=$(sed -n 's/^Pass 4:.* in [0-9]*usr\/[0-9]*sys\/\([0-9]*\)real ms.*/\1/p' "$T/p4.err")
	np=$(sed -n 's/^Pass 2: analyzed script: \([0-9]*\) probes.*/\1/p' "$T/p4.err")
	ko=$(ls -s --block-size=1K bench_sc.ko 2>/dev/null | awk '{print $1}')
	rm -f bench_sc.ko
	# guest: dd one byte at a time, timed
	t0=$(date +%s.%N)
	./stap --vm -c "time dd if=/dev/zero of=/dev/null bs=1 count=$N" "$T/s.stp" \
		>"$T/vm.out" 2>"$T/vm.err"
	t1=$(date +%s.%N)
	wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
	real=$(sed -n 's/^real[ \t]*\([0-9]*\)m *\([0-9.]*\)s.*/\1 \2/p' "$T/vm.err" |
		awk '{ printf "%.3f", $1 * 60 + $2 }')
	if [ -z "$real" ]; then
		per="?"
		sed 's/^/    | /' "$T/vm.err" | head -5 >&2
	elif [ -z "$base_s" ]; then
		base_s=$real
		per="(${real}s)"
	else
		per=$(awk -v r="$real" -v b="$base_s" -v n="$N" \
			'BEGIN { printf "%+d", (r - b) * 1e9 / (2 * n) }')
	fi
	printf "%-22s %7s %7s %8s %9s %8ss %10s\n" "$label" "$np" "${p2:-?}" "${p4:-?}" \
		"${ko:-?}" "$wall" "$per"
done
