#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The stap driver without a kernel: options, pass failures, -p stops, the
# module cache (hit skips passes 1-4, key follows every input), -k, -m,
# --clean-cache, the no-module-support sentence.  Prints PASS:/FAIL: lines.
cd "$(dirname "$0")/.." || exit 1
T=$(mktemp -d /tmp/stp-driver.XXXXXX)
trap 'rm -rf "$T"' EXIT
export SYSTEMTAP_DIR=$T/sysdir
STAP=$PWD/stap
HELLO='probe begin { println("hi") exit() }'

ok() { echo "PASS: driver-$1"; }
ko() { echo "FAIL: driver-$1: $2"; }
check() { # name, then a command that must succeed
	local n=$1; shift
	if "$@" >$T/out 2>$T/err; then ok "$n"; else ko "$n" "$(head -c 300 $T/err)"; fi
}

check version sh -c "$STAP -V 2>&1 | grep -q 'Systemtap translator/driver'"
check help sh -c "$STAP --help | grep -q -- '-p NUM'"
check bad-option sh -c "! $STAP --bogus-option 2>$T/e; grep -q \"Try 'stap --help'\" $T/e"
check bulk-accepted sh -c "$STAP -b -p2 -e '$HELLO' >/dev/null"
check switch-accepted sh -c "$STAP -S 2,5 -o x -p2 -e '$HELLO' >/dev/null && $STAP -S 3 -p2 -e '$HELLO' >/dev/null"
check switch-bad sh -c "! $STAP -S 1,x -p2 -e '$HELLO' 2>$T/e && grep -q \"invalid -S argument (expected size\[,N\], both > 0) '1,x'\" $T/e && ! $STAP -S 0 -p2 -e '$HELLO' 2>/dev/null && ! $STAP -S ,2 -p2 -e '$HELLO' 2>/dev/null"
check flight-accepted sh -c "$STAP -F -p2 -e '$HELLO' >/dev/null"
check suppress-time-limits-guru sh -c "! $STAP --suppress-time-limits -p3 -e '$HELLO' >/dev/null 2>$T/e && grep -qx 'ERROR --suppress-time-limits requires guru mode (-g)' $T/e && $STAP -g --suppress-time-limits -p3 -e '$HELLO' | grep -qx '#define STAP_SUPPRESS_TIME_LIMITS_ENABLE 1'"
# -p1 -v prints the library too, and counts .stpm macro files with the tapsets
mkdir -p $T/lib1
printf '@define two %%( 2 %%)\n' >$T/lib1/m.stpm
printf 'function lib_f() { return 1 }\n' >$T/lib1/l.stp
check p1-verbose-library sh -c "$STAP -p1 -v -I $T/lib1 -e 'probe begin { println(@two) }' >$T/o1 2>$T/e1 &&
	grep -qx '# file $T/lib1/l.stp' $T/o1 && grep -q '^function lib_f' $T/o1 &&
	n=\$(grep -c '^# file /' $T/o1) && grep -q \"parsed user script and \$((n + 1)) library scripts\" $T/e1 &&
	$STAP -p1 -I $T/lib1 -e 'probe begin { println(@two) }' | grep -c '^# file' | grep -qx 1"
check privilege-usr sh -c "! $STAP -p2 --privilege=stapusr -e 'probe kprobe.function(\"vfs_read\") { println(1) }' 2>$T/e; grep -q 'is not allowed for --privilege=stapusr' $T/e"
check privilege-usr-timer sh -c "$STAP -p2 --privilege=stapusr -e 'probe begin, timer.s(1) { exit() }'"
check privilege-sys-guru sh -c "! $STAP -p2 -g --privilege=stapsys -e '$HELLO' 2>$T/e; grep -q 'requires --privilege=stapdev' $T/e"
check no-script sh -c "! $STAP 2>$T/e; grep -q 'A script must be specified' $T/e"
check bad-pass sh -c "! $STAP -p 9 -e '$HELLO' 2>$T/e; grep -q 'invalid pass number' $T/e"
check pass1-failed sh -c "! $STAP -p1 -e 'probe begin {' 2>$T/e; grep -q 'Pass 1: parse failed.  \[man error::pass1\]' $T/e"
check pass2-failed sh -c "! $STAP -p2 -e 'probe nosuchprobe { }' 2>$T/e; grep -q 'Pass 2: analysis failed.  \[man error::pass2\]' $T/e"
check verbose-lines sh -c "$STAP -v -p2 -e '$HELLO' 2>&1 >/dev/null | grep -Eq '^Pass 2: analyzed script: 1 probes?, .* in [0-9]+usr/[0-9]+sys/[0-9]+real ms\.$'"
check rc-options sh -c "mkdir -p $SYSTEMTAP_DIR && echo '-p1' > $SYSTEMTAP_DIR/rc && $STAP -e '$HELLO' | grep -q println; rc=\$?; rm $SYSTEMTAP_DIR/rc; exit \$rc"

# on a terminal a long debuginfo scan shows a progress line, else nothing
RD='probe kernel.function("*_read") { println(1) }'
if $STAP -p2 -e 'probe kernel.function("vfs_read") { println(1) }' >/dev/null 2>&1; then
	script -qec "$STAP -p2 -e '$RD' >/dev/null" $T/tty >/dev/null 2>&1
	$STAP -p2 -e "$RD" >/dev/null 2>$T/e
	if grep -aq 'Pass 2: scanning debuginfo: [0-9.]*s' $T/tty && ! grep -q scanning $T/e; then
		ok progress-debuginfo
	else
		ko progress-debuginfo "$(tail -c 200 $T/tty | tr '\r' '|')"
	fi
else
	echo "SKIP: driver-progress-debuginfo: no vmlinux debuginfo"
fi

rm -rf "$SYSTEMTAP_DIR"   # the cache must create its own directories
# pass 4 needs kernel headers
if ! ls -d /lib/modules/*/build >/dev/null 2>&1; then
	echo "SKIP: driver-cache: no kernel build tree"
	exit 0
fi
# cold build fills the cache; the second run is a hit that skips passes 1-4
ko1=$($STAP -p4 -e "$HELLO" 2>$T/e1)
if [ -f "$ko1" ] && [[ $ko1 == $SYSTEMTAP_DIR/cache/* ]]; then ok cache-store; else ko cache-store "$ko1 $(head -c 300 $T/e1)"; fi
ko2=$($STAP -v -p4 -e "$HELLO" 2>$T/e2)
if [ "$ko1" = "$ko2" ] && grep -q 'Pass 1: skipped (cache hit)' $T/e2 && ! grep -q 'Pass 2: analyzed' $T/e2; then
	ok cache-hit
else
	ko cache-hit "$ko2 $(head -c 300 $T/e2)"
fi
# the key follows the script, its arguments and -D
ko3=$($STAP -p4 -e "$HELLO" -D MAXACTION=5 2>/dev/null)
if [ -f "$ko3" ] && [ "$ko3" != "$ko1" ]; then ok cache-key-define; else ko cache-key-define "$ko3"; fi
# the key follows the tapset library: a new tapset file means a miss
mkdir -p $T/tapsets && echo 'function mine() { return 1 }' > $T/tapsets/mine.stp
ko4=$($STAP -p4 -I $T/tapsets -e "$HELLO" 2>/dev/null)
echo 'function mine() { return 2 }' > $T/tapsets/mine.stp
ko5=$($STAP -p4 -I $T/tapsets -e "$HELLO" 2>/dev/null)
if [ -f "$ko5" ] && [ "$ko4" != "$ko5" ]; then ok cache-key-tapset; else ko cache-key-tapset "$ko4 $ko5"; fi
# the compiled transport is kept for the next module of the same kernel
# and options (kbuild copies it in as MOD__transport.o_shipped), a new -D
# compiles it again, and the module still links
nt=$(ls $SYSTEMTAP_DIR/cache/transport/*.o 2>/dev/null | wc -l)
$STAP -vv -p4 -e 'probe begin { println("transport") exit() }' >$T/t1.out 2>$T/t1.err
$STAP -vv -p4 -D MAXACTION=7 -e 'probe begin { println("transport") exit() }' >$T/t2.out 2>$T/t2.err
nt2=$(ls $SYSTEMTAP_DIR/cache/transport/*.o 2>/dev/null | wc -l)
if [ "$nt" -ge 1 ] && [ -f "$(cat $T/t1.out)" ] && grep -q 'COPY .*__transport\.o' $T/t1.err &&
   [ -f "$(cat $T/t2.out)" ] && ! grep -q 'COPY .*__transport\.o' $T/t2.err &&
   [ "$nt2" = $((nt + 1)) ]; then
	ok cache-transport
else
	ko cache-transport "$nt $nt2 $(grep -h '__transport' $T/t1.err $T/t2.err | head -3)"
fi
# stap's soft limit: the cache is trimmed to cache_mb_limit after a store,
# at most once per cache_clean_interval_s (both files created with their
# defaults), least recently used first (a hit counts as a use), never the
# module just stored
C=$SYSTEMTAP_DIR/cache
lim=$(cat $C/cache_mb_limit 2>/dev/null) iv=$(cat $C/cache_clean_interval_s 2>/dev/null)
if [ "$lim" = 256 ] && [ "$iv" = 300 ]; then ok cache-settings; else ko cache-settings "'$lim' '$iv'"; fi
echo 0 > $C/cache_mb_limit
touch -d '-2 hour' $ko1; touch -d '-1 hour' $ko3
$STAP -p4 -e "$HELLO" >/dev/null 2>&1	# a hit: ko1 is used again
ko8=$($STAP -p4 -e "$HELLO # interval" 2>/dev/null)
if [ -f "$ko1" ] && [ -f "$ko3" ] && [ -f "$ko8" ]; then ok cache-clean-interval
else ko cache-clean-interval "$(ls $C/*/ | tr '\n' ' ')"; fi
echo 0 > $C/cache_clean_interval_s
echo 1 > $C/cache_mb_limit
# fill the cache to 10 KB over its limit once the next module is in (about
# ko1's size): trimming removes ko3 (unused for an hour), not ko1 (used)
kbs() { find "$@" -type f ! -name '.*' ! -name 'cache_*' -printf '%s\n' | awk '{s += int($1 / 1024)} END {print s}'; }
pad=$((1024 + 10 - $(kbs $C) - $(kbs $ko1 ${ko1%.ko}.c)))
mkdir -p $C/zz && head -c $((pad * 1024)) /dev/zero > $C/zz/stap_pad.ko
ko9=$($STAP -p4 -e "$HELLO # trimmed" 2>/dev/null)
if [ -f "$ko9" ] && [ -f "$ko1" ] && [ ! -e "$ko3" ]; then ok cache-trim-lru
else ko cache-trim-lru "$(ls $C/*/ | tr '\n' ' ')"; fi
echo 0 > $C/cache_mb_limit
ko10=$($STAP -p4 -e "$HELLO # alone" 2>/dev/null)
if [ -f "$ko10" ] && [ ! -e "$ko1" ]; then ok cache-trim-keeps-new
else ko cache-trim-keeps-new "$(ls $C/*/ | tr '\n' ' ')"; fi
rm -f $C/cache_mb_limit $C/cache_clean_interval_s
# --disable-cache builds in a temporary directory that goes away
ko6=$($STAP -p4 --disable-cache -e "$HELLO" 2>/dev/null)
if [[ $ko6 == /tmp/stap* ]] && [ ! -e "$ko6" ]; then ok disable-cache; else ko disable-cache "$ko6"; fi
# -k keeps it and says so
$STAP -p4 -k -e "$HELLO" >$T/k.out 2>$T/k.err
kdir=$(sed -n 's/^Keeping temporary directory "\(.*\)"$/\1/p' $T/k.err)
if [ -n "$kdir" ] && [ -f "$(cat $T/k.out)" ]; then ok keep-tmp; rm -rf "$kdir"; else ko keep-tmp "$(cat $T/k.err)"; fi
# -m names the module and copies it to the current directory
(cd $T && $STAP -p4 -m drvtest -e "$HELLO" >$T/m.out 2>$T/m.err)
if [ -f $T/drvtest.ko ] && grep -q 'drvtest.ko' $T/m.out; then ok module-name; else ko module-name "$(cat $T/m.out $T/m.err)"; fi
# a compile error in embedded C fails pass 4 with the compiler's message
$STAP -g -p4 -e 'probe begin { %{ this is not C; %} }' >$T/c.out 2>$T/c.err
if grep -q 'Pass 4: compilation failed.  \[man error::pass4\]' $T/c.err && grep -q 'error' $T/c.err; then
	ok pass4-failed
else
	ko pass4-failed "$(head -c 300 $T/c.err)"
fi
# -b compiles bulk mode into the module: another cache entry
ko7=$($STAP -p4 -b -e "$HELLO" 2>/dev/null)
if [ -f "$ko7" ] && [ "$ko7" != "$ko1" ]; then ok cache-key-bulk; else ko cache-key-bulk "$ko7"; fi
# -F cannot leave probes running in a guest that ends with the run
$STAP --vm -F -e "$HELLO" >$T/f.out 2>$T/f.err
if grep -q -- '--vm: -F cannot leave the probes running' $T/f.err; then ok flight-vm; else ko flight-vm "$(head -c 300 $T/f.err)"; fi
$STAP --clean-cache
if [ ! -e $SYSTEMTAP_DIR/cache ]; then ok clean-cache; else ko clean-cache "cache still there"; fi
# pass 5 on a host that cannot load modules: one sentence naming --vm
if [ ! -e /proc/modules ]; then
	$STAP -e "$HELLO" >$T/n.out 2>$T/n.err
	if grep -q -- '--vm' $T/n.err && grep -q 'Pass 5: run failed' $T/n.err; then ok no-modules; else ko no-modules "$(cat $T/n.err)"; fi
fi
