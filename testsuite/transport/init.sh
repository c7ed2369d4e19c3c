#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# /init of the transport test guest: one case per block, each prints
# PASS:/FAIL: transport-NAME; the host collects those lines.
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
export PATH=/bin
cd /

O=/tmp/o E=/tmp/e
chk() {
	name=$1; shift
	for c in "$@"; do
		if ! eval "$c"; then
			echo "FAIL: transport-$name: $c"
			echo "--- stdout"; head -n 20 $O
			echo "--- stderr"; head -n 20 $E
			return
		fi
	done
	echo "PASS: transport-$name"
}
has() { grep -Eq -- "$2" "$1"; }
gone() { ! grep -q "^$1 " /proc/modules; }

echo "=== transport tests"

tstamp staprun stp_test.ko >$O 2>$E; rc=$?
chk exit-from-hardirq '[ $rc = 0 ]' 'has $O "^begin hello target=0$"' \
	'has $O "^tick 5 irqs_off=1 hardirq=1$"' 'has $O "^end ticks=5$"' \
	'has $E "^WARNING: a warning from begin$"' \
	'has $E "^WARNING: exit from hardirq$"' 'gone stp_test'
grep TIME $E

staprun -vv stp_test.ko >$O 2>$E; rc=$?
grep "\[" $E | sed "s/^/VV /"
chk verbose '[ $rc = 0 ]' 'has $E "^staprun\[[0-9]*\]: inserted module"' \
	'has $E "^stapio\[[0-9]*\]: probes started"' 'has $E "^staprun\[[0-9]*\]: removed module"'

staprun stp_test.ko exit_at=0 >$O 2>$E & p=$!
sleep 1; kill -INT $(pidof stapio); wait $p; rc=$?
chk sigint-stapio '[ $rc = 0 ]' 'has $O "^tick 3 "' 'has $O "^end ticks="' \
	'gone stp_test'

staprun stp_test.ko fail_start=1 >$O 2>$E; rc=$?
chk start-failure '[ $rc = 1 ]' 'has $E "^ERROR: begin failed on purpose$"' \
	'has $E "^ERROR: Couldn.t start the probes: Invalid argument$"' \
	'! has $O "^end"' 'gone stp_test'

staprun -c "sleep 0.5" stp_test.ko exit_at=0 'greeting=a b c' >$O 2>$E; rc=$?
chk target-cmd '[ $rc = 0 ]' 'has $O "^begin a b c target=[1-9]"' \
	'has $O "^end ticks=[3-9]$"' 'gone stp_test'

staprun -c "echo child-said-hi; exit 3" stp_test.ko exit_at=0 >$O 2>$E; rc=$?
chk target-cmd-shell '[ $rc = 0 ]' 'has $O "^child-said-hi$"' \
	'has $O "^end ticks="'

staprun -T 1 stp_test.ko exit_at=0 >$O 2>$E; rc=$?
chk timeout '[ $rc = 0 ]' 'has $O "^tick 5 "' 'has $O "^end ticks=[0-9]*$"'

staprun -x 1 stp_test.ko exit_at=2 >$O 2>$E; rc=$?
chk target-pid '[ $rc = 0 ]' 'has $O "^begin hello target=1$"'

staprun stp_test.ko flood=20000 exit_at=1 >$O 2>$E; rc=$?
n=$(grep -c "^flood" $O)
ordered=$(awk '/^flood/ { if ($2 != want) { print "bad"; exit } want++ } END { print "ok" }' want=0 $O | head -n 1)
chk flood-in-order '[ $rc = 0 ]' '[ "$n" = 20000 ]' '[ "$ordered" = ok ]' \
	'! has $E "transport failures"'

staprun -s 1 stp_test.ko exit_at=25 flood=40000 flood_tick=6 >$O 2>$E & p=$!
# stop the reader from tick 2 (probes running) until well after the flood
# at tick 6, however long the module took to load
i=0; until grep -q '^tick 2 ' $O 2>/dev/null || [ $i -ge 300 ]; do sleep 0.05; i=$((i + 1)); done
kill -STOP $(pidof stapio); sleep 1.5; kill -CONT $(pidof stapio)
wait $p; rc=$?
n=$(grep -c "^flood" $O)
echo "drops: $n of 40000 flood lines arrived; $(grep transport $E)"
chk drops-reported '[ $rc = 0 ]' '[ "$n" -lt 40000 ]' 'has $O "^end ticks=25$"' \
	'has $E "^WARNING: There were [0-9]* transport failures. Try stap -s to increase the buffer size( from [0-9]+)?\.$"'

staprun stp_test.ko exit_at=0 sched=3000 >$O 2>$E; rc=$?
chk exit-from-sched-switch '[ $rc = 0 ]' 'has $O "^sched 3000$"' \
	'has $E "^WARNING: exit from sched_switch$"' 'has $O "^end ticks="' \
	'gone stp_test'

staprun -o /tmp/file.out stp_test.ko exit_at=0 >$O 2>$E & p=$!
sleep 1; kill -TERM $p; wait $p; rc=$?
chk sigterm-staprun-o '[ $rc = 0 ]' 'has /tmp/file.out "^end ticks="' \
	'! has $O tick' 'gone stp_test'

staprun stp_test.ko exit_at=0 >$O 2>$E & p=$!
sleep 1; kill -9 $(pidof stapio); wait $p; rc=$?
chk stapio-killed '[ $rc = 1 ]' 'gone stp_test' '[ ! -e /proc/stap/stp_test ]'

cp stp_test.ko /tmp/renamed-x.ko
staprun /tmp/renamed-x.ko exit_at=1 >$O 2>$E; rc=$?
chk renamed-ko '[ $rc = 0 ]' 'has $O "^end ticks=1$"' 'gone stp_test'

staprun stp_test.ko exit_at=3 >/tmp/o1 2>/tmp/e1 & p1=$!
staprun stp_test2.ko exit_at=3 >$O 2>$E & p2=$!
wait $p1; r1=$?; wait $p2; r2=$?
chk two-modules '[ $r1 = 0 ]' '[ $r2 = 0 ]' 'has /tmp/o1 "^end ticks=3$"' \
	'has $O "^end ticks=3$"' 'gone stp_test' 'gone stp_test2'

staprun stp_test.ko exit_at=0 >/tmp/o1 2>/tmp/e1 & p1=$!
sleep 0.5
staprun stp_test.ko >$O 2>$E; rc=$?
kill -INT $(pidof stapio); wait $p1; r1=$?
chk already-loaded '[ $rc = 1 ]' '[ $r1 = 0 ]' \
	"has \$E \"^ERROR: Couldn't insert module 'stp_test.ko': File exists$\"" \
	'has /tmp/o1 "^end ticks="' 'gone stp_test'

staprun stp_test.ko _stp_bufsize=0 >$O 2>$E; rc=$?
chk bad-param '[ $rc = 1 ]' 'has $E "^ERROR: Couldn.t insert module"' 'gone stp_test'

# Ctrl-C while the module is being loaded and started: at every moment of
# the start-up, the run ends with status 0 and the module is removed.  An
# asynchronous list starts with SIGINT ignored, so a signal sent before
# staprun installs its handler would be lost: wait for the handler first.
catches_int() {
	m=$(sed -n 's/^SigCgt:[[:space:]]*//p' /proc/$1/status 2>/dev/null)
	[ -n "$m" ] && [ $((0x$m & 2)) != 0 ]
}
for d in 0 0.01 0.03 0.06 0.1 0.2; do
	staprun stp_test.ko exit_at=0 >$O 2>$E & p=$!
	i=0; until catches_int $p || [ $i -ge 200 ]; do sleep 0.01; i=$((i + 1)); done
	sleep $d; kill -INT $p; wait $p; rc=$?
	gone stp_test || { echo "FAIL: transport-sigint-during-load: left loaded after ${d}s"; break; }
	[ $rc = 0 ] || { echo "FAIL: transport-sigint-during-load: status $rc after ${d}s"; break; }
done
[ $d = 0.2 ] && gone stp_test && [ $rc = 0 ] && echo "PASS: transport-sigint-during-load"

# bulk mode: one file per CPU, each record whole in its CPU's file
staprun -o /tmp/b stp_test.ko _stp_bulkmode=1 exit_at=3 >$O 2>$E; rc=$?
chk bulk-o '[ $rc = 0 ]' '[ -f /tmp/b_0 ]' '[ -f /tmp/b_1 ]' '[ ! -s $O ]' \
	'cat /tmp/b_0 /tmp/b_1 | grep -q "^begin hello"' \
	'cat /tmp/b_0 /tmp/b_1 | grep -q "^tick 3 "' \
	'cat /tmp/b_0 /tmp/b_1 | grep -q "^end ticks=3$"' 'gone stp_test'
mkdir -p /tmp/bk && cd /tmp/bk
staprun /stp_test.ko _stp_bulkmode=1 exit_at=2 >$O 2>$E; rc=$?
cd /
chk bulk-stpd '[ $rc = 0 ]' '[ -f /tmp/bk/stpd_cpu0 ]' '[ -f /tmp/bk/stpd_cpu1 ]' \
	'cat /tmp/bk/stpd_cpu* | grep -q "^end ticks=2$"' '[ ! -s $O ]'

# bulk with -S: FILE_N.0; in the background (-D): FILE_cpuN
staprun -S 1 -o /tmp/bs stp_test.ko _stp_bulkmode=1 exit_at=2 >$O 2>$E; rc=$?
p=$(staprun -D -o /tmp/bd stp_test.ko _stp_bulkmode=1 exit_at=2 2>$E)
i=0; while ! gone stp_test && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
chk bulk-names '[ $rc = 0 ]' '[ -f /tmp/bs_0.0 ]' '[ -f /tmp/bs_1.0 ]' \
	'cat /tmp/bs_0.0 /tmp/bs_1.0 | grep -q "^end ticks=2$"' '[ -n "$p" ]' \
	'[ -f /tmp/bd_cpu0 ]' '[ -f /tmp/bd_cpu1 ]' \
	'cat /tmp/bd_cpu0 /tmp/bd_cpu1 | grep -q "^end ticks=2$"' 'gone stp_test'

# -S 1,2: 1 MB files, the newest two kept, lines never split
staprun -s 8 -S 1,2 -o /tmp/s stp_test.ko flood=40000 exit_at=1 >$O 2>$E; rc=$?
chk switch-size '[ $rc = 0 ]' '[ ! -e /tmp/s.0 ]' '[ -f /tmp/s.1 ]' \
	'[ -f /tmp/s.2 ]' '[ ! -e /tmp/s.3 ]' '[ ! -e /tmp/s ]' \
	'[ $(wc -c </tmp/s.1) -le 1048576 ]' '[ $(wc -c </tmp/s.1) -gt 1000000 ]' \
	'has /tmp/s.2 "^end ticks=1$"' 'has /tmp/s.2 "^flood 39999 "' \
	'! grep -v -E "^(flood [0-9]+ \.+|tick .*|end ticks=1)$" /tmp/s.2' \
	'gone stp_test'

# -o FILE takes strftime(3) conversions
staprun -o /tmp/t_%Y.%%.out stp_test.ko exit_at=1 >$O 2>$E; rc=$?
chk strftime-o '[ $rc = 0 ]' 'has /tmp/t_$(date +%Y).%.out "^end ticks=1$"'

# SIGUSR2: FILE, then FILE.1
staprun -o /tmp/u stp_test.ko exit_at=0 >$O 2>$E & p=$!
sleep 1; kill -USR2 $(pidof stapio); sleep 0.5; kill -INT $p; wait $p; rc=$?
chk switch-usr2 '[ $rc = 0 ]' 'has /tmp/u "^begin hello"' \
	'has /tmp/u.1 "^end ticks="' '! has /tmp/u "^end"' 'gone stp_test'

# -L: load, start, detach; the module runs on; a full buffer keeps the
# newest output (flight recorder); -A attaches, Ctrl-C ends it as usual.
# The flood comes 1 s after start, when stapio has long detached: until
# the detach the ring has no reader and is not yet a flight recorder, so
# a flood then is dropped and counted, as it should be (CI's slow guest
# once took over 0.3 s from start to detach)
staprun -L -s 1 stp_test.ko exit_at=0 flood=40000 flood_tick=10 >$O 2>$E; rc=$?
loaded=no; gone stp_test || loaded=yes
chk load-only '[ $rc = 0 ]' '[ $loaded = yes ]' '[ ! -s $O ]' \
	'has $E "^Disconnecting from systemtap module\.$"' \
	'has $E "^To reconnect, type \"staprun -A stp_test\"$"'
sleep 2.5
staprun -A stp_test >$O 2>$E & p=$!
i=0; until grep -q '^tick [4-9][0-9] ' $O 2>/dev/null || [ $i -ge 400 ]; do sleep 0.05; i=$((i + 1)); done
kill -INT $p; wait $p; rc=$?
chk attach '[ $rc = 0 ]' 'has $O "^flood 39999 "' '! has $O "^flood 0 "' \
	'has $O "^tick 15 "' 'has $O "^end ticks="' \
	'! has $E "transport failures"' 'gone stp_test'

# Ctrl-\ detaches; staprun -d removes the module (end probes run)
staprun stp_test.ko exit_at=0 >$O 2>$E & p=$!
sleep 1; kill -QUIT $(pidof stapio); wait $p; rc=$?
loaded=no; gone stp_test || loaded=yes
staprun -d stp_test; r2=$?
chk sigquit-detach '[ $rc = 0 ]' '[ $loaded = yes ]' '[ $r2 = 0 ]' \
	'has $E "staprun -A stp_test"' 'gone stp_test'
# -A on a module someone else relays: refused, the module stays theirs
staprun stp_test.ko exit_at=0 >/tmp/o1 2>/tmp/e1 & p1=$!
sleep 1
staprun -A stp_test >$O 2>$E; rc=$?
loaded=no; gone stp_test || loaded=yes
kill -INT $(pidof stapio); wait $p1; r1=$?
chk attach-busy '[ $rc = 1 ]' '[ $loaded = yes ]' '[ $r1 = 0 ]' \
	'has $E "Device or resource busy"' 'has /tmp/o1 "^end ticks="' 'gone stp_test'

staprun -A stp_test >$O 2>$E; rc=$?
chk attach-none '[ $rc = 1 ]' 'has $E "^ERROR: module .stp_test. is not loaded"'

# -D: in the background, staprun prints stapio's pid and returns
staprun -D -o /tmp/d stp_test.ko exit_at=0 >$O 2>$E; rc=$?
pid=$(cat $O)
comm=$(cat /proc/$pid/comm 2>/dev/null)
sleep 1; kill -TERM $pid
i=0; while ! gone stp_test && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
# (begin's warning comes while stapio still has the terminal)
chk daemon '[ $rc = 0 ]' '[ "$comm" = stapio ]' '! has $E ERROR' \
	'has $E "^WARNING: a warning from begin$"' \
	'has /tmp/d "^end ticks="' 'gone stp_test'

# -D reports what fails before the probes run, and exits 1
staprun -D -o /nonexistent/x stp_test.ko exit_at=0 >$O 2>$E; rc=$?
chk daemon-failure '[ $rc = 1 ]' '[ ! -s $O ]' \
	"has \$E \"^ERROR: Couldn't open output file '/nonexistent/x'\"" 'gone stp_test'

dmesg >$O; : >$E
chk dmesg-clean '! grep -E "WARNING:|BUG:|Oops|Call Trace|refcount|leak" $O' \
	'[ -z "$(ls /proc/stap)" ]'

echo "=== transport tests done"
poweroff -f
