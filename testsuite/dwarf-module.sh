#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# module("m").function()/.statement() without a VM: the module's debuginfo
# (tools/fetch-debuginfo --module dummy --module ext4, cached outside the
# tree; SKIP without it), -l/-L against stap 4.8's output for the same
# kernel (testsuite/dwarf/module-dummy.*), pass 2 names, @cast with a
# module, the kprobe table of pass 3 and the errors.
cd "$(dirname "$0")/.." || exit 1
STAP=${STAP:-./stap}
T=$(mktemp -d /tmp/stp-dwmod.XXXXXX)
[ -n "$KEEP" ] || trap 'rm -rf "$T"' EXIT

pass() { echo "PASS: dwarf-module-$1"; }
fail() { echo "FAIL: dwarf-module-$1${2:+: $2}"; }
skip() { echo "SKIP: dwarf-module-$1${2:+: $2}"; }
check() { local n=$1; shift; if "$@" >$T/out 2>&1; then pass "$n"; else fail "$n" "$(head -c 300 $T/out | tr '\n' ' ')"; fi; }
same() {	# same NAME FILE CMD...: CMD's stdout is FILE
	local n=$1 f=$2; shift 2
	"$@" >$T/got 2>$T/err
	if cmp -s "$f" $T/got; then pass "$n"
	else fail "$n" "$(diff "$f" $T/got | head -6 | tr '\n' ' ')$(head -2 $T/err | tr '\n' ' ')"; fi
}

rel=
for d in /lib/modules/*/build; do
	r=$(basename "$(dirname "$d")")
	[ -e "$d/Makefile" ] && [ -e "/lib/modules/$r/modules.dep" ] && { rel=$r; break; }
done
[ -n "$rel" ] || { skip all "no kernel headers and modules installed"; exit 0; }
S="$STAP -r $rel"
if ! tools/fetch-debuginfo --module dummy --module ext4 "$rel" >/dev/null 2>$T/fetch.err; then
	skip all "no module debuginfo: $(tail -1 $T/fetch.err)"
	exit 0
fi

# -l / -L: stap 4.8's text (its $err of dummy_init_module, a local that
# becomes live 5 bytes in, is left out: the kernel.function rule decides it)
same list testsuite/dwarf/module-dummy.l $S -l 'module("dummy").function("*")'
$S -L 'module("dummy").function("dummy_*")' | grep -v init_module >$T/L
if cmp -s testsuite/dwarf/module-dummy.L $T/L; then pass list-vars
else fail list-vars "$(diff testsuite/dwarf/module-dummy.L $T/L | head -4 | tr '\n' ' ')"; fi
# the locals -L shows are those of the function's own scope, not of its
# nested blocks (TEA_transform's inlined copies, __bpf_trace_* __src)
same list-locals testsuite/dwarf/module-ext4-hash.L $S -L 'module("ext4").function("*@fs/ext4/hash.c")'
# .exported in a module: its global functions (and .cold pieces), as stap
same list-exported testsuite/dwarf/module-ext4-exported.l $S -l 'module("ext4").function("ext4_[a-f]*").exported'
check list-file-line sh -c "$S -l 'module(\"dummy\").function(\"*@drivers/net/dummy.c:53\")' | grep -qx 'module(\"dummy\").function(\"dummy_get_stats64@drivers/net/dummy.c:53\")'"
check list-statement sh -c "[ \"\$($S -l 'module(\"dummy\").statement(\"dummy_get_stats64@drivers/net/dummy.c:*\")' | tr '\n' ' ')\" = 'module(\"dummy\").statement(\"dummy_get_stats64@drivers/net/dummy.c:55\") module(\"dummy\").statement(\"dummy_get_stats64@drivers/net/dummy.c:56\") ' ]"
# symbols without DWARF (static call trampolines, .cold pieces) as stap
check list-symbols sh -c "$S -l 'module(\"ext4\").function(\"*\")' | grep -qx 'module(\"ext4\").function(\"__SCT__tp_func_ext4_error\")'"
check list-cold sh -c "$S -l 'module(\"ext4\").function(\"__ext4_error*\")' | grep -qx 'module(\"ext4\").function(\"__ext4_error.cold\")'"
check list-ext4 sh -c "$S -L 'module(\"ext4\").function(\"ext4_file_open\")' | grep -qx 'module(\"ext4\").function(\"ext4_file_open@fs/ext4/file.c:[0-9]*\") \\\$inode:struct inode\\* \\\$filp:struct file\\*'"
n=$($S -l 'module("*").function("dummy_xmit")' 2>/dev/null | grep -c .)
if [ "$n" = 1 ]; then pass list-module-glob; else fail list-module-glob "$n points"; fi

# pass 2: names, suffixes, variables
check p2-call-return sh -c "$S -p2 -e 'probe module(\"dummy\").function(\"dummy_xmit\").call { println(\$skb->len) } probe module(\"dummy\").function(\"dummy_xmit\").return { println(\$return) }' | grep -c '^module(\"dummy\").function(\"dummy_xmit@drivers/net/dummy.c:59\")\\(.call\\|.return\\) ' | grep -qx 2"
check p2-glob sh -c "[ \$($S -p2 -e 'probe module(\"dumm*\").function(\"dummy_*\") { print(1) }' | grep -c '^module(\"dummy\").function(\"dummy_') -ge 8 ]"
check p2-cast sh -c "$S -p2 -e 'probe begin { println(@cast(0, \"struct ext4_sb_info\", \"ext4\")->s_mount_opt) }'"
check p2-cast-list sh -c "$S -p2 -e 'probe module(\"dummy\").function(\"dummy_xmit\") { println(@cast(\$skb, \"struct ext4_sb_info\", \"kernel:ext4\")->s_mount_opt) }'"
$S -p2 -e 'probe begin { println(@cast(0, "struct ext4_sb_info")->s_mount_opt) }' >/dev/null 2>$T/err
if grep -q "type definition not found" $T/err; then pass cast-kernel-only; else fail cast-kernel-only "$(head -1 $T/err)"; fi
# pass 3: placed as "module:symbol"+offset in the module as loaded
$S -p3 -e 'probe module("dummy").function("dummy_get_stats64"), module("dummy").statement("dummy_get_stats64@drivers/net/dummy.c:56") { println($dev->mtu) }' >$T/p3.c 2>$T/err
if grep -q '\.symbol = "dummy:dummy_get_stats64"' $T/p3.c &&
   grep -q '\.symbol = "dummy:dummy_get_stats64", \.offset = 0x[1-9a-f]' $T/p3.c
then pass p3-symbol; else fail p3-symbol "$(grep -m2 symbol $T/p3.c | tr '\n' ' ')$(head -1 $T/err)"; fi
# ext4_es_is_delayed is two static copies: each placed from another,
# unique symbol below it
n=$($S -p3 -e 'probe module("ext4").function("ext4_es_is_delayed") { print(1) }' 2>/dev/null | grep -c 'symbol = "ext4:[a-z_0-9.]*", .offset')
if [ "$n" -gt 1 ]; then pass p3-not-unique; else fail p3-not-unique "$n points"; fi
# a named module's points: a table of their own, armed whenever it loads
$S -p3 -e 'probe module("dummy").function("dummy_xmit"), kernel.function("vfs_read") { print(1) }' >$T/km3.c 2>$T/err
if grep -q 'static struct stp_kmod_set stp_kp[0-9]*_km = { .module = "dummy", .ps = stp_kp[0-9]*, .n = 1,' $T/km3.c &&
   grep -q 'stp_kmod_register(&stp_kp[0-9]*_km)' $T/km3.c && grep -q 'stp_kprobes_register(stp_kp[0-9]*, 1,' $T/km3.c
then pass p3-kmod-set; else fail p3-kmod-set "$(grep -m2 'kmod\|register(' $T/km3.c | tr '\n' ' ')$(head -1 $T/err)"; fi
# module("*"): quiet failures, armed when loaded as well
check p3-glob-optional sh -c "$S -p3 -e 'probe module(\"dumm*\").function(\"dummy_xmit\") { print(1) }' | grep -q 'symbol = \"dummy:dummy_xmit\", .optional = 1'"
check p3-glob-kmod sh -c "$S -p3 -e 'probe module(\"dumm*\").function(\"dummy_xmit\") { print(1) }' | grep -q 'stp_kmod_set stp_kp[0-9]*_km = { .module = \"dummy\"'"
# module("/path/x.ko"): an out-of-tree module's own DWARF (kbuild keeps -g)
mkdir -p $T/km && cp testsuite/run/kmod/hello_kmod.c $T/km/ && echo 'obj-m := hello_kmod.o' >$T/km/Makefile
if make -s -C /lib/modules/$rel/build M=$T/km modules >$T/km/out 2>&1 && [ -e $T/km/hello_kmod.ko ]; then
	$S -p3 -e "probe module(\"$T/km/hello_kmod.ko\").function(\"hello_kmod_exit\") { print(1) }" >$T/km.c 2>$T/err
	if grep -q '\.symbol = "hello_kmod:hello_kmod_exit"' $T/km.c; then pass path
	else fail path "$(head -2 $T/err | tr '\n' ' ')"; fi
else
	skip path "kbuild failed: $(tail -1 $T/km/out)"
fi
# kprobe.module() keeps working without DWARF
check kprobe-module sh -c "$S -p2 -e 'probe kprobe.module(\"dummy\").function(\"dummy_xmit\") { print(1) }' | grep -q '^kprobe.module(\"dummy\").function(\"dummy_xmit\")'"

# errors
$S -p2 -e 'probe module("no_such_module_xyz").function("f") { print(1) }' >/dev/null 2>$T/err
if grep -q "module 'no_such_module_xyz' not found" $T/err; then pass no-module; else fail no-module "$(head -2 $T/err | tr '\n' ' ')"; fi
check optional-module $S -p2 -e 'probe module("no_such_module_xyz").function("f")?, begin { print(1) }'
$S -p2 -e 'probe module("dummy").function("no_such_fn") { print(1) }' >/dev/null 2>$T/err
if grep -q "no match" $T/err; then pass no-function; else fail no-function "$(head -2 $T/err | tr '\n' ' ')"; fi
# a module without debuginfo (none here, an empty cache)
m=$(awk -F: '$1 !~ /dummy|ext4/ { print $1; exit }' /lib/modules/$rel/modules.dep)
mn=$(basename "$m"); mn=${mn%%.ko*}
if [ -e "/usr/lib/debug/lib/modules/$rel/${m%.xz}" ] || ls /var/cache/stap-debuginfo/$rel/modules/"${m%.xz}" >/dev/null 2>&1; then
	skip missing-debuginfo "$mn has debuginfo here"
else
	STAP_DEBUGINFO_DIR=$T/dbg HOME=$T XDG_CACHE_HOME=$T $S -p2 -e "probe module(\"$mn\").function(\"*@*.c\") { print(1) }" >/dev/null 2>$T/err
	if grep -q "missing x86_64 kernel/module debuginfo.*for module '$mn'.*fetch-debuginfo --module $mn" $T/err
	then pass missing-debuginfo; else fail missing-debuginfo "$(head -2 $T/err | tr '\n' ' ')"; fi
	# without a file or line: the .ko's symbol table, as stap, with its warning
	STAP_DEBUGINFO_DIR=$T/dbg HOME=$T XDG_CACHE_HOME=$T $S -p2 -e "probe module(\"$mn\").function(\"*\") { print(1) }" >$T/out 2>$T/err
	if grep -q "warning: cannot find module $mn debuginfo: No DWARF information found \[man warning::debuginfo\]" $T/err &&
	   grep -q "^module(\"$mn\").function(\"[a-z_0-9]*\") " $T/out
	then pass symtab-fallback; else fail symtab-fallback "$(head -2 $T/err | tr '\n' ' ')"; fi
fi
