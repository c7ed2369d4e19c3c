#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Kernel probe families without a VM: kprobe.*, kernel.trace(), and
# kernel.function() (DWARF) resolution, listing, context variables and
# translation.  The DWARF part fetches the reference kernel's debuginfo
# once (tools/fetch-debuginfo, cached outside the tree) and SKIPs without
# it.  Prints PASS:/FAIL:/SKIP: lines.
cd "$(dirname "$0")/.." || exit 1
STAP=${STAP:-./stap}
T=$(mktemp -d /tmp/stp-dwarf.XXXXXX)
[ -n "$KEEP" ] || trap 'rm -rf "$T"' EXIT

pass() { echo "PASS: dwarf-$1"; }
fail() { echo "FAIL: dwarf-$1${2:+: $2}"; }
skip() { echo "SKIP: dwarf-$1${2:+: $2}"; }
# check NAME CMD...: PASS when CMD succeeds
check() { local n=$1; shift; if "$@" >$T/out 2>&1; then pass "$n"; else fail "$n" "$(head -c 300 $T/out | tr '\n' ' ')"; fi; }

# ---- tracepoint header scanner (no kernel needed) ----
if gcc -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter -D_GNU_SOURCE -Isrc \
	-o $T/tpst testsuite/dwarf/tp_scan_test.c src/symbols/tracepoints.c \
	src/symbols/kinfo.c src/util/file.c src/util/strbuf.c src/util/vec.c src/util/xalloc.c 2>$T/cc; then
	$T/tpst testsuite/dwarf/tp-fixture.h CONFIG_DEMO_ON >$T/tp.out
	if cmp -s $T/tp.out testsuite/dwarf/tp-fixture.out; then pass tp-scan
	else fail tp-scan "$(diff $T/tp.out testsuite/dwarf/tp-fixture.out | head -5 | tr '\n' ' ')"; fi
	if ! $T/tpst testsuite/dwarf/tp-fixture.h | grep -q demo_conditional; then pass tp-scan-config
	else fail tp-scan-config "CONFIG_DEMO_ON off but demo_conditional listed"; fi
else
	fail tp-scan "does not compile: $(head -3 $T/cc)"
fi

# ---- the reference kernel ----
rel=
for d in /lib/modules/*/build; do
	r=$(basename "$(dirname "$d")")
	[ -e "$d/Makefile" ] && { rel=$r; break; }
done
if [ -z "$rel" ]; then
	skip kernel "no kernel headers installed"
	exit 0
fi
S="$STAP -r $rel"

# kernel.trace: from the headers alone
check trace-resolve sh -c "$S -p2 -e 'probe kernel.trace(\"kfree_skb\") { println(\$location) }' | grep -qx 'kernel.trace(\"skb:kfree_skb\") .*'"
check trace-glob sh -c "[ \$($S -p2 -e 'probe kernel.trace(\"sched:sched_process_*\") { print(1) }' | grep -c '^kernel.trace(\"sched:sched_process_') -ge 5 ]"
$S -p2 -e 'probe kernel.trace("kfree_skb") { println($nosuchvar) }' >/dev/null 2>$T/err
if grep -q "unresolved target-symbol expression.*nosuchvar" $T/err; then pass trace-badvar; else fail trace-badvar "$(head -2 $T/err)"; fi
$S -p2 -e 'probe kernel.trace("no_such_tracepoint_xyz") { print(1) }' >/dev/null 2>$T/err
if grep -q "no match" $T/err; then pass trace-nomatch; else fail trace-nomatch "$(head -2 $T/err)"; fi
check trace-optional $S -p2 -e 'probe kernel.trace("no_such_tracepoint_xyz")?, begin { print(1) }'
check trace-p3 sh -c "$S -p3 -e 'probe kernel.trace(\"kfree_skb\") { printf(\"%p %s\\n\", \$location, \$\$parms) }' | grep -q 'stp_tracepoints_register'"

# kprobe.*: names need a real System.map; the debuginfo cache has one
dbg=$(tools/fetch-debuginfo "$rel" 2>$T/fetch.err)
if [ -n "$dbg" ] && [ -s "$dbg/System.map" ]; then
	check kprobe-glob sh -c "$S -p2 -e 'probe kprobe.function(\"vfs_rea*\").return { print(1) }' | grep '^kprobe' | sed 's| /.*||' | tr '\n' ' ' | grep -qx 'kprobe.function(\"vfs_read\").return kprobe.function(\"vfs_readlink\").return kprobe.function(\"vfs_readv\").return '"
	$S -p2 -e 'probe kprobe.function("vfs_raed") { print(1) }' >/dev/null 2>$T/err
	if grep -q "no match (similar functions: .*vfs_read" $T/err; then pass kprobe-similar; else fail kprobe-similar "$(head -3 $T/err | tr '\n' ' ')"; fi
	# a unique name gets its link-time address too (registered by checked
	# address, no kallsyms_lookup_name() in the kernel)
	check kprobe-p3-addr sh -c "$S -p3 -e 'probe kprobe.function(\"vfs_read\") { print(1) }' | grep -q '.symbol = \"vfs_read\", .addr = 0x[0-9a-f]*UL, .relocate = 1'"
	# a wildcard's points are marked: the runtime leaves out those ftrace
	# cannot trace (stp_ftrace_sift); named exactly, a function is not
	$S -p3 -e 'probe kprobe.function("vfs_rea*"), kprobe.function("ftrace_regs_caller") { print(1) }' >$T/wild.c 2>&1
	if grep -q '"vfs_read", .addr = 0x[0-9a-f]*UL, .relocate = 1, .wild = 1, .fentry = 1, .checked = 1' $T/wild.c &&
	   grep -q '"ftrace_regs_caller", .addr' $T/wild.c && ! grep '"ftrace_regs_caller"' $T/wild.c | grep -q 'wild'
	then pass kprobe-p3-wild; else fail kprobe-p3-wild "$(grep -E 'vfs_read"|ftrace_regs' $T/wild.c | head -2 | tr '\n' ' ')"; fi
else
	skip kprobe-glob "no System.map: $(head -1 $T/fetch.err)"
fi
$S -p2 -e 'probe kprobe.statement(0xffffffff81000000).absolute { print(1) }' >/dev/null 2>$T/err
if grep -q "need stap -g" $T/err; then pass kprobe-absolute-guru; else fail kprobe-absolute-guru "$(head -2 $T/err)"; fi
check kprobe-absolute-g sh -c "$S -g -p2 -e 'probe kprobe.statement(0xffffffff81000000).absolute { print(1) }' | grep -q '^kprobe.statement(0xffffffff81000000).absolute'"
check kprobe-p3 sh -c "$S -p3 -e 'probe kprobe.function(\"vfs_read\").return.maxactive(7) { println(returnval()) }' | grep -q 'maxactive = 7'"
# function entries (entry and return points) are marked for the one
# ftrace_ops path (stp_ftrace.h), absolute statements are not, and only
# entry points may skip the kprobe (checked); the table's ftrace_ops is passed
$S -g -p3 -e 'probe kprobe.function("vfs_read"), kprobe.function("vfs_read").return, kprobe.statement(0xffffffff81000000).absolute { print(1) }' >$T/fe.c 2>&1
if [ "$(grep -c '\.fentry = 1' $T/fe.c)" = 2 ] && ! grep -q 'checked = 1' $T/fe.c && grep -q 'ret = 1, \.fentry = 1' $T/fe.c &&
   grep -q 'stp_kprobes_register(stp_kp[0-9]*, 3, &stp_kp[0-9]*_ft)' $T/fe.c && grep -q 'stp_kprobes_unregister(stp_kp[0-9]*, 3, &stp_kp[0-9]*_ft)' $T/fe.c
then pass kprobe-p3-fentry; else fail kprobe-p3-fentry "$(grep -E 'fentry|register' $T/fe.c | head -3 | tr '\n' ' ')"; fi

# missing debuginfo: a build tree of an unknown release
mkdir -p $T/fake/include/config
echo 0.0.0-nodebug >$T/fake/include/config/kernel.release
$STAP -r $T/fake -p2 -e 'probe kernel.function("vfs_read") { print(1) }' >/dev/null 2>$T/err
if grep -q "missing x86_64 kernel/module debuginfo" $T/err; then pass missing-debuginfo; else fail missing-debuginfo "$(head -3 $T/err | tr '\n' ' ')"; fi

# ---- DWARF ----
if [ -z "$dbg" ] || [ ! -s "$dbg/vmlinux" ]; then
	skip dwarf "no debuginfo for $rel: $(head -1 $T/fetch.err)"
	exit 0
fi
# stap 4.8 lists 142 .call and 200 plain points for net/socket.c on 6.1.0-56
n=$($S -p2 -e 'probe kernel.function("*@net/socket.c").call { print(1) }' | grep -c '^kernel.function(".*@net/socket.c:[0-9]*").call')
if [ "$n" -gt 100 ]; then pass socket-call; else fail socket-call "$n points"; fi
check vfs-read-pp sh -c "$S -p2 -e 'probe kernel.function(\"vfs_read\") { print(1) }' | grep -q '^kernel.function(\"vfs_read@fs/read_write.c:[0-9]*\")'"
check vars-p3 sh -c "$S -p3 -e 'probe kernel.function(\"vfs_read\") { printf(\"%d %s %s\\n\", \$count, kernel_string(\$file->f_path->dentry->d_name->name), \$\$parms) }' | grep -q 'stp_dw_read'"
check return-p2 $S -p2 -e 'probe kernel.function("vfs_read").return { println($return) }'
$S -p2 -e 'probe kernel.function("vfs_read") { println($return) }' >/dev/null 2>$T/err
if grep -q "unresolved target-symbol expression" $T/err; then pass return-in-call; else fail return-in-call "$(head -2 $T/err)"; fi
$S -p2 -e 'probe kernel.function("vfs_read") { println($file->no_such_member) }' >/dev/null 2>$T/err
if grep -q "unresolved target-symbol expression" $T/err; then pass bad-member; else fail bad-member "$(head -2 $T/err)"; fi
check defined sh -c "$S -p2 -e 'probe kernel.function(\"vfs_read\") { println(@defined(\$count) + @defined(\$nope)) }' >/dev/null"
n=$($S -p2 -e 'probe kernel.function("*@net/socket.c").exported { print(1) }' | grep -c '\.exported')
if [ "$n" -gt 10 ]; then pass exported; else fail exported "$n points"; fi
n=$($S -p2 -e 'probe kernel.statement("vfs_read@fs/read_write.c:*") { print(1) }' | grep -c '^kernel.statement("vfs_read@fs/read_write.c:[0-9]*")')
# stap 4.8: 21 lines of vfs_read on 6.1.0-56 (none of inlined callees)
if [ "$n" -gt 5 ]; then pass statement-lines; else fail statement-lines "$n points"; fi
# .call points are function entries (ftrace path) whose address pass 2
# checked against the kprobe blacklist; later statement lines are neither
n=$($S -p3 -e 'probe kernel.function("*@net/socket.c").call { print(1) }' | grep -c '\.fentry = 1, \.checked = 1')
m=$($S -p3 -e 'probe kernel.statement("vfs_read@fs/read_write.c:*") { print(1) }' | grep -c '\.fentry = 1')
if [ "$n" -gt 100 ] && [ "$m" -le 1 ]; then pass call-p3-fentry; else fail call-p3-fentry "$n .call, $m statement fentry points"; fi
# vmlinux's mcount table decides: a notrace function (no ftrace call site)
# gets a plain kprobe, not the ftrace path
a=$($S -p3 -e 'probe kernel.function("__do_sys_socketcall").call, kernel.function("vfs_read").call { print(1) }' | grep -c '\.fentry = 1')
b=$($S -p3 -e 'probe kernel.function("__do_sys_socketcall").call { print(1) }' | grep -c '\.fentry = 1')
if [ "$a" = 1 ] && [ "$b" = 0 ]; then pass call-p3-notrace; else fail call-p3-notrace "$a $b"; fi
$S -p2 -e 'probe kernel.statement("vfs_read") { print(1) }' >/dev/null 2>$T/err
if grep -q "function@file:line" $T/err; then pass statement-syntax; else fail statement-syntax "$(head -2 $T/err)"; fi
# -l / -L, when the listing is wired up
if [ -n "$($S -l 'begin' 2>/dev/null)" ]; then
	want='kernel.function("vfs_read@fs/read_write.c:450") $file:struct file* $buf:char* $count:size_t $pos:loff_t*'
	got=$($S -L 'kernel.function("vfs_read")' 2>&1)
	if [ "$got" = "$want" ] || [ "$rel" != 6.1.0-56-amd64 ]; then pass listing-L; else fail listing-L "$got"; fi
	got=$($S -L 'kernel.trace("skb:kfree_skb")' 2>&1)
	want='kernel.trace("skb:kfree_skb") $skb:struct sk_buff* $location:void* $reason:enum skb_drop_reason'
	if [ "$got" = "$want" ]; then pass listing-trace; else fail listing-trace "$got"; fi
else
	skip listing "stap -l does not list yet"
fi

# one module with every family: the runtime halves must build
if [ -e /lib/modules/$rel/build/Makefile ]; then
	cat >$T/all.stp <<'EOS'
probe kprobe.function("vfs_read") { printf("%s %x %d\n", probefunc(), register("rip"), int_arg(3)) }
probe kprobe.function("vfs_read").return { println(returnstr(1)) }
probe kernel.trace("kfree_skb") { printf("%p %s\n", $location, $$parms) }
probe kernel.function("vfs_read") { printf("%d %s\n", $count, kernel_string($file->f_path->dentry->d_name->name)) }
probe kernel.function("vfs_read").return { println($return) }
EOS
	if (cd $T && $OLDPWD/$STAP -r $rel -p4 -m dwarf_all all.stp >$T/p4 2>&1) && [ -s $T/dwarf_all.ko ]; then pass build-all
	else fail build-all "$(grep -m3 -E 'error|warning' $T/p4 | tr '\n' ' ')"; fi
fi
# under a wildcard the kernel's assembly routines (ftrace's trampolines:
# one kprobe there stalled kernel.function("*").call) are left out, with a
# -v warning; named exactly they still resolve, and -l still lists them
check asm-left-out-wild sh -c "$S -p2 -v -e 'probe kernel.function(\"ftrace_*\").call { print(1) }' >$T/a.out 2>$T/a.err && ! grep -q '^kernel.function(\"ftrace_regs_caller@' $T/a.out && grep -q 'assembly functions matching .ftrace_\*. left out' $T/a.err"
check asm-named sh -c "$S -p2 -e 'probe kernel.function(\"ftrace_regs_caller\") { print(1) }' | grep -q '^kernel.function(\"ftrace_regs_caller@'"
check asm-listed sh -c "$S -l 'kernel.function(\"ftrace_*\")' | grep -q '^kernel.function(\"ftrace_regs_caller@'"
# and so are the points the kernel refuses (NOKPROBE_SYMBOL functions, read
# from __start_kprobe_blacklist in vmlinux; jump labels, static calls and
# BUG()s): one "registration error (rc -22)" each otherwise; named, they
# are kept
check kpblack-left-out-wild sh -c "$S -p2 -v -e 'probe kernel.function(\"rethook_*\").return { print(1) }' >$T/b.out 2>$T/b.err && ! grep -q '^kernel.function(\"rethook_hook@' $T/b.out && grep -q '^kernel.function(\"rethook_alloc@' $T/b.out && grep -q 'probe points matching .rethook_\*. left out: the kernel refuses kprobes there' $T/b.err"
# a suffixed part of a NOKPROBE function (nmi_check_duration is inlined in
# nmi_handle.part.0; nmi_handle is NOKPROBE): the kernel refuses it too
check kpblack-suffixed sh -c "$S -p2 -v -e 'probe kernel.function(\"nmi_check_dura*\")?, kernel.function(\"vfs_read\") { print(1) }' >$T/b.out 2>$T/b.err && ! grep -q '^kernel.function(\"nmi_check_duration@' $T/b.out && grep -q \"1 probe point matching 'nmi_check_dura\\*' left out\" $T/b.err && $S -p2 -e 'probe kernel.function(\"nmi_check_duration\") { print(1) }' | grep -q '^kernel.function(\"nmi_check_duration@'"
# the blocklist (probes/blocklist.c): a wildcard leaves out lock and atomic
# primitives (by name part: not "lock_sock") and the functions of
# kernel/kprobes.c; named exactly, one is probed
check blocklist-wild sh -c "$S -p2 -v -e 'probe kernel.function(\"*spin_lock*\")?, kernel.function(\"*@kernel/kprobes.c\")?, kernel.function(\"lock_sock*\") { print(1) }' >$T/b.out 2>$T/b.err && ! grep -q '^kernel.function(\"_raw_spin_lock@' $T/b.out && ! grep -q '^kernel.function(\"[^@]*@kernel/kprobes.c' $T/b.out && grep -q '^kernel.function(\"lock_sock@' $T/b.out && grep -q \"probe points matching '\\*spin_lock\\*' left out: lock, atomic and bit primitives\" $T/b.err && grep -q \"probe points matching '\\*' left out: lock\" $T/b.err"
check blocklist-named sh -c "$S -p2 -e 'probe kernel.function(\"_raw_spin_lock\"), kernel.function(\"register_kprobe\") { print(1) }' >$T/b.out && grep -q '^kernel.function(\"_raw_spin_lock@' $T/b.out && grep -q '^kernel.function(\"register_kprobe@' $T/b.out"
check kpblack-named sh -c "$S -p2 -e 'probe kernel.function(\"rethook_hook\").return { print(1) }' | grep -q '^kernel.function(\"rethook_hook@'"
exit 0
