#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Tapset library tests on the host: the issue-7 examples elaborate (-p2),
# every probe alias family resolves, -L of syscall.read has stap's
# variables, every public function and alias of the library carries its
# documentation block (tapset/README), the generated syscall tapsets match
# tools/gen-syscalls' output for the kernel they were made from, and one
# script using most functions builds against the kernel headers (-p4).
# Run-time behaviour is in testsuite/run/tapset.case (guest).
cd "$(dirname "$0")/.." || exit 1
STAP=${STAP:-./stap}
T=$(mktemp -d /tmp/stap-tapset.XXXXXX)
trap 'rm -rf "$T"' EXIT
pass() { echo "PASS: tapset-$1"; }
fail() { echo "FAIL: tapset-$1${2:+: $2}"; }
skip() { echo "SKIP: tapset-$1${2:+: $2}"; }

for f in $(grep -l "^# [a-z-]*\.stp - " examples/*.stp); do
	n=p2-$(basename "$f" .stp)
	if $STAP -p2 "$f" >/dev/null 2>"$T/err"; then pass "$n"
	else fail "$n" "$(head -n 1 "$T/err")"; fi
done

for fam in netdev.* tcp.* tcp.*.return udp.* udp.*.return socket.* \
	   socket.*.return vfs.* vfs.*.return syscall.* syscall.*.return \
	   nd_syscall.* nd_syscall.*.return tp_syscall.* tp_syscall.*.return \
	   scheduler.* scheduler.*.return signal.* signal.*.return kprocess.* \
	   ioblock.* ioblock_trace.* ioscheduler.* ioscheduler_trace.*; do
	if $STAP -p2 -e "global n probe $fam { n++ }" >/dev/null 2>"$T/err"; then
		pass "alias-$fam"
	else
		fail "alias-$fam" "$(head -n 1 "$T/err")"
	fi
done

want='syscall.read name:string fd:long buf_uaddr:long count:long argstr:string'
got=$($STAP -L syscall.read 2>&1)
if [ "$got" = "$want" ]; then pass L-syscall.read; else fail L-syscall.read "$got"; fi
# scheduler.*, signal.*, kprocess.*, ioblock.* (issue 7): stap's variables
while read -r pt vars; do
	got=$($STAP -L "$pt" 2>&1)
	if [ "$got" = "$pt $vars" ]; then pass "L-$pt"; else fail "L-$pt" "$got"; fi
done <<'EOF'
scheduler.ctxswitch name:string prev_task:long next_task:long prev_pid:long prev_tid:long prev_priority:long prevtsk_state:long prev_task_name:string next_pid:long next_tid:long next_priority:long nexttsk_state:long next_task_name:string
scheduler.process_fork name:string parent_pid:long child_pid:long child_tid:long
scheduler.wakeup name:string task_pid:long task_tid:long task_priority:long task_cpu:long task_state:long
scheduler.cpu_on name:string task_prev:long idle:long
signal.send name:string sig:long sig_name:string task:long sig_pid:long pid_name:string sinfo:long si_code:string shared:long send2queue:long
signal.handle name:string sig:long sig_name:string sinfo:long sig_code:long ka_addr:long oldset_addr:long regs:long sig_mode:string
signal.checkperm name:string sig:long sig_name:string sinfo:long task:long sig_pid:long pid_name:string si_code:string
signal.do_action name:string sig:long sig_name:string sigact_addr:long oldsigact_addr:long sa_handler:long sa_mask:long
kprocess.exit code:long
kprocess.exec_complete name:string retval:long retstr:string errno:long success:long
ioblock.request name:string bio:long bdev:long bdev_contains:long devname:string p_start_sect:long ino:long sector:long flags:long rw:long opf:long vcnt:long phys_segments:long idx:long size:long bytes_done:long
ioscheduler.elv_add_request name:string rq:long q:long elevator_name:string disk_major:long disk_minor:long rq_flags:long
EOF
# tracepoints where the kernel has one (no debuginfo), kprobes otherwise
for pt in scheduler.ctxswitch:sched:sched_switch \
	  scheduler.process_exit:sched:sched_process_exit \
	  signal.send:signal:signal_generate signal.handle:signal:signal_deliver \
	  kprocess.create:sched:sched_process_fork \
	  ioblock.request:block:block_bio_queue; do
	a=${pt%%:*} tp=${pt#*:}
	if $STAP -p2 -e "global n probe $a { n++ }" 2>/dev/null |
	   grep -q "^kernel.trace(\"$tp\")"; then pass "p2-tp-$a"
	else fail "p2-tp-$a" "not on $tp"; fi
done
n=$($STAP -l 'syscall.*' 2>/dev/null | wc -l)
if [ "$n" -gt 300 ]; then pass l-syscall-count; else fail l-syscall-count "$n"; fi

# syscall.* is on the raw_syscalls tracepoints: one registration per
# tracepoint, a dispatcher switching on the call number (tracepoint_group.c)
if $STAP -p2 -e 'probe syscall.read, syscall.read.return { }' 2>&1 |
   grep -q '^kernel.trace("raw_syscalls:sys_exit")'; then
	pass p2-syscall-tracepoint
else
	fail p2-syscall-tracepoint "syscall.read.return is not on raw_syscalls:sys_exit"
fi
$STAP -p3 -e 'global x probe syscall.*, syscall.*.return { x++ }' >"$T/sc.c" 2>"$T/err"
heads=$(grep -c '\.probe = &stp_tpdp' "$T/sc.c")
tables=$(grep -c '^	stp_tp_dispatch(c, ' "$T/sc.c")
if [ "$heads" = 2 ] && [ "$tables" = 2 ] && ! grep -q kprobe "$T/sc.c"; then
	pass p3-syscall-dispatch
else
	fail p3-syscall-dispatch "$heads registrations, $tables dispatch tables $(head -n 1 "$T/err")"
fi

# documentation: a /** block right before every public function / alias
undoc=$(awk '
	FNR == 1 { indoc = 0; last = "" }
	/^\/\*\*/ { indoc = 1 }
	/^ \*\// { indoc = 0; last = "doc"; next }
	/^(function|probe) / {
		name = $2; sub(/[:(].*/, "", name)
		if (name !~ /^_/ && last != "doc")
			printf "%s:%d:%s\n", FILENAME, FNR, name
		last = ""; next
	}
	!indoc && NF { last = "" }
' tapset/context.stp tapset/timestamp.stp tapset/ctime.stp tapset/indent.stp \
  tapset/conversions.stp tapset/string.stp tapset/ansi.stp \
  tapset/linux/task.stp tapset/linux/signal.stp tapset/linux/inet.stp \
  tapset/linux/networking.stp tapset/linux/tcp.stp tapset/linux/udp.stp \
  tapset/linux/socket.stp tapset/linux/vfs.stp tapset/linux/context-unwind.stp \
  tapset/linux/sysc_*.stp tapset/linux/syscalls_table.stp \
  tapset/linux/syscalls_aux.stp \
  tapset/linux/scheduler.stp tapset/linux/kprocess.stp tapset/linux/ioblock.stp)
if [ -z "$undoc" ]; then pass doc-blocks; else fail doc-blocks "$(echo "$undoc" | head -n 3 | tr '\n' ' ')"; fi

# the generated syscall tapset (tools/gen-syscalls): one sysc_NAME.stp per
# system call and syscalls_table.stp, each with the same header naming the
# kernel release.  Regenerated into $T/gen, the set must be the tree's:
# no file missing, none extra (every sysc_*.stp and every file with the
# generator's header), none different.
rel=$(sed -n 's|^// and include/linux/syscalls.h of \([^ ]*\)\.  Do not edit.*|\1|p' \
	tapset/linux/syscalls_table.stp)
build=/lib/modules/${rel#linux-headers-}/build
if [ -z "$rel" ]; then
	fail gen-syscalls-current "no generated header in tapset/linux/syscalls_table.stp"
elif command -v python3 >/dev/null && [ -d "$build" ]; then
	mkdir -p "$T/gen" "$T/have"
	for f in tapset/linux/sysc_*.stp \
		 $(grep -l '^// Generated by tools/gen-syscalls ' tapset/linux/*.stp); do
		[ -f "$f" ] && cp "$f" "$T/have/"
	done
	if ! tools/gen-syscalls "$build" "$T/gen" >/dev/null 2>"$T/err"; then
		fail gen-syscalls-current "$(head -n 1 "$T/err")"
	elif diff -r "$T/gen" "$T/have" >"$T/diff" 2>&1; then
		pass gen-syscalls-current
	else
		fail gen-syscalls-current "regenerate: tools/gen-syscalls $build ($(sed -e "s|$T/gen|gen-syscalls output|g" -e "s|$T/have|tapset/linux|g" "$T/diff" | grep -m 1 -e '^Only in' -e '^diff '))"
	fi
else
	skip gen-syscalls-current "no python3 or no $build"
fi

cat >"$T/all.stp" <<'STP'
probe begin {
	t = task_current()
	println(execname(), pid(), tid(), ppid(), uid(), euid(), gid(), egid(),
		pexecname(), cpu(), pp(), pn(), ppfunc(), is_return(), target(),
		user_mode(), uaddr(), sid(), pgrp(), pid2execname(1))
	println(get_cycles(), jiffies(), HZ(), cpu_clock_ns(0), local_clock_us(),
		ctime(), ctime(0), tz_ctime(0), gettimeofday_s_tz())
	println(thread_indent(1), indent(-1), thread_indent_depth(0),
		kernel_string(0, "x"), user_string(0, "y"), user_string_quoted(0),
		user_long(0), user_int8(0), kernel_string_quoted(0))
	println(strpos("ab", "b"), str_replace("a", "a", "b"), strtol("1", 10),
		isdigit("1"), text_str("x"), text_strn("x", 1, 1),
		string_quoted("x"), tokenize("a b", " "))
	println(signal_str(2), task_pid(t), task_execname(t), task_state(t),
		task_prio(t), task_nice(t), task_cpu(t), task_uid(t),
		task_open_file_handles(t), task_max_file_handles(t),
		errno_str(2), ip_ntop(0), format_ipaddr(0, 2),
		tcp_sockstate_str(1), sock_fam_num2str(2), sock_type_num2str(1),
		sock_prot_num2str(6), inet_get_local_port(0),
		inet_get_ip_source(0), get_netdev_name(0), MAJOR(0), MINOR(0),
		backtrace(), sprint_backtrace(), caller())
	ansi_clear_screen() ansi_set_color(31, 40, 1) ansi_reset_color()
	print_backtrace()
	exit()
}
STP
if [ -d "$build" ]; then
	if $STAP -r "${rel#linux-headers-}" -p4 --disable-cache "$T/all.stp" \
		>/dev/null 2>"$T/err"; then
		pass p4-functions
	else
		fail p4-functions "$(grep -m1 -i error "$T/err")"
	fi
else
	skip p4-functions "no kernel headers"
fi
