#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Registration speed of kernel.function() probes, ours next to Debian's
# stap 4.8, in one guest boot: for 1, ~40 and ~270 `.call` points, ~270
# `.return` points, ~2,400 statement points (int3 kprobes: every line of
# kernel/sched/core.c) and examples/socket-trace.stp (.call + .return), the
# wall time of `staprun -c true MOD` (load, register, start, stop,
# unregister, unload) and the time spent inside the kernel's
# (un)registration entry points (register_kprobe*, register_kretprobe*,
# enable_kprobe, ftrace_set_filter_ips, register_ftrace_function and their
# unregister twins), summed from a function_graph trace limited to those
# functions.  Columns: ours (one ftrace_ops for function entries, return
# points included), ours -DSTP_NO_FTRACE (every point an armed kprobe or
# kretprobe), stap 4.8.  Then the per-hit cost of a counting probe on
# __x64_sys_getppid (bench/overhead.sh's loop).  TCG inflates absolute
# figures: compare the columns.
#   bench/register.sh [ROUNDS]   (default 3; medians over rounds)
set -u
cd "$(dirname "$0")/.." || exit 1
rounds=${1:-3}
grounds=${GROUNDS:-1}
N=${N:-100000}
. bench/lib/guest.sh
bg_setup register

# name|probe points (each gets { n++ })
sets=(
	'p1|kprobe.function("__x64_sys_getppid")'
	'p40|kernel.function("*@net/ipv4/af_inet.c").call'
	'p270|kernel.function("*@net/socket.c").call, kernel.function("*@net/core/sock.c").call'
	'r270|kernel.function("*@net/socket.c").return, kernel.function("*@net/core/sock.c").return'
	's2400|kernel.statement("*@kernel/sched/core.c:*")'
)
fns="register_kprobe register_kprobes register_kretprobe register_kretprobes enable_kprobe
ftrace_set_filter_ips register_ftrace_function
unregister_kprobe unregister_kprobes unregister_kretprobe unregister_kretprobes
unregister_ftrace_function ftrace_free_filter"

# ---- helpers: a loop of getppid() and a wall clock ----
cat > $T/wall.c <<'EOC'
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec a, b;
	int st = 0;
	pid_t p;

	clock_gettime(CLOCK_MONOTONIC, &a);
	p = fork();
	if (!p) {
		execv(argv[1], argv + 1);
		_exit(127);
	}
	waitpid(p, &st, 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("WALL %.1f %d\n", (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6, st);
	return 0;
}
EOC
gcc -O2 -static -o $T/loop bench/lib/getppid-loop.c && gcc -O2 -static -o $T/wall $T/wall.c || exit 1
# function_graph lines " 1) ! 172.537 us  |  register_kprobes();": ms in
# registration, ms in unregistration
cat > $T/sum.awk <<'EOA'
/\(\);/ {
	d = 0
	for (i = 2; i <= NF; i++)
		if ($i == "us")
			d = $(i - 1)
	f = $NF
	sub(/\(\);.*/, "", f)
	if (f ~ /^unreg|^ftrace_free/)
		u += d
	else
		g += d
}
END { printf "%.1f %.1f", g / 1000, u / 1000 }
EOA

# ---- modules: ours, ours without ftrace, stap 4.8 ----
have_peer=
[ -n "$peer" ] && have_peer=1
names=()
for s in "${sets[@]}" "st|@socket-trace"; do
	nm=${s%%|*} pts=${s#*|}
	if [ "$pts" = @socket-trace ]; then
		cp examples/socket-trace.stp $T/$nm.stp
	else
		echo "global n probe $pts { n++ }" > $T/$nm.stp
	fi
	names+=("$nm")
	np=$(./stap -p2 $T/$nm.stp 2>/dev/null | grep -c '^k[a-z]*\.\(function\|statement\)')
	echo "$nm $np" >> $T/npoints
	for v in ours noft; do
		d=-DSTP_REG_TIMING; [ $v = noft ] && d="$d -DSTP_NO_FTRACE"
		if ! (cd $T && $OLDPWD/stap $d -p4 -m r_${v}_$nm $nm.stp >$T/$v$nm.log 2>&1); then
			echo "bench/register.sh: our stap failed on $nm:" >&2; tail -3 $T/$v$nm.log >&2; exit 1
		fi
	done
	if [ -n "$have_peer" ] && ! (cd $T && stap $peer -w -p4 -m r_peer_$nm $nm.stp >$T/peer$nm.log 2>&1); then
		echo "bench/register.sh: stap 4.8 failed on $nm (no peer column)" >&2
		have_peer=
	fi
done

# ---- the guest ----
bg_root ${have_peer:+peer}
cp $T/loop $T/wall $T/sum.awk $T/r_ours_*.ko $T/r_noft_*.ko $R/m/
vars="ours noft"
if [ -n "$have_peer" ]; then
	vars="ours noft peer"
	cp $T/r_peer_*.ko $R/m/
fi
bg_boot 3000 <<EOS
tr=/sys/kernel/tracing
for f in $(echo $fns); do
	echo \$f >> \$tr/set_ftrace_filter 2>/dev/null || echo "NOTRACE \$f"
	echo \$f >> \$tr/set_graph_function 2>/dev/null
done
# phase A, no tracer: wall times, the modules' own clocks, per-hit costs
for r in \$(seq $rounds); do
	for nm in ${names[*]}; do
		for v in $vars; do
			sr=/bin/staprun; [ \$v = peer ] && sr=/usr/bin/staprun
			dmesg -c >/dev/null
			w=\$(/m/wall \$sr -c /bin/true /m/r_\${v}_\$nm.ko 2>/dev/null | grep WALL)
			k=\$(dmesg | awk '/stap_reg: register/ {g += \$(NF-1)} /stap_reg: unregister/ {u += \$(NF-1)} END {printf "%.1f %.1f", g / 1000, u / 1000}')
			echo "ROW \$v \$nm \$w \$k"
		done
	done
	for v in $vars bare \$(echo $vars | tr ' ' '\n' | tac); do
		if [ \$v = bare ]; then echo "bare \$(/m/loop $N)"; continue; fi
		sr=/bin/staprun; [ \$v = peer ] && sr=/usr/bin/staprun
		\$sr -c "/m/loop $N" /m/r_\${v}_p1.ko 2>&1 | grep LOOP | sed "s/^/hit\$v /"
	done
	echo "bare \$(/m/loop $N)"
done
# phase B, function_graph on the registration functions: stap 4.8's split
# (and ours by their own clocks, under the same tracing)
echo 1 > \$tr/max_graph_depth
echo function_graph > \$tr/current_tracer
echo nofuncgraph-irqs > \$tr/trace_options 2>/dev/null
for r in \$(seq $grounds); do
	for nm in ${names[*]}; do
		for v in $vars; do
			sr=/bin/staprun; [ \$v = peer ] && sr=/usr/bin/staprun
			echo > \$tr/trace
			dmesg -c >/dev/null
			/m/wall \$sr -c /bin/true /m/r_\${v}_\$nm.ko >/dev/null 2>&1
			k=\$(dmesg | awk '/stap_reg: register/ {g += \$(NF-1)} /stap_reg: unregister/ {u += \$(NF-1)} END {printf "%.1f %.1f", g / 1000, u / 1000}')
			echo "GROW \$v \$nm \$(awk -f /m/sum.awk \$tr/trace) \$k"
		done
	done
done
echo nop > \$tr/current_tracer
EOS
grep -a '^NOTRACE' $T/out | sed 's/^/# not traceable: /'

# ---- the tables: medians (ms) ----
# ROW var set WALL ms status reg unreg      (phase A; reg/unreg: module clock)
# GROW var set graph-reg graph-unreg reg unreg   (phase B)
med() { awk -v t="$1" -v v="$2" -v s="$3" -v c="$4" '$1 == t && $2 == v && $3 == s && (t != "ROW" || $6 == 0) {print $c}' $T/out |
	sort -n | awk '{a[NR]=$1} END {if (NR) printf "%.0f", a[int((NR+1)/2)]; else printf "-"}'; }
hdr="%-22s %6s | %21s | %21s | %21s\n"
label() {
	local l=$1
	[ $1 = st ] && l="socket-trace.stp"
	case $1 in p[0-9]*[0-9]) [ $1 != p1 ] && l="$l (.call)" ;; r*) l="$l (.return)" ;; s[0-9]*) l="$l (statement)" ;; esac
	printf "%s" "$l"
}
printf "# ms, median of $rounds ($accel), no tracer; columns: ours / ours -DSTP_NO_FTRACE (kprobes only, as before) / stap 4.8\n"
printf "# register, unregister: the modules' own clocks (stap 4.8 has none: see below)\n"
printf "$hdr" "script" "points" "register" "unregister" "load+unload wall"
for nm in "${names[@]}"; do
	np=$(awk -v n="$nm" '$1 == n {print $2}' $T/npoints)
	printf "$hdr" "$(label $nm)" "$np" \
		"$(printf "%6s %6s %7s" "$(med ROW ours $nm 7)" "$(med ROW noft $nm 7)" -)" \
		"$(printf "%6s %6s %7s" "$(med ROW ours $nm 8)" "$(med ROW noft $nm 8)" -)" \
		"$(printf "%6s %6s %7s" "$(med ROW ours $nm 5)" "$(med ROW noft $nm 5)" "$(med ROW peer $nm 5)")"
done
printf "# under function_graph on the registration functions (slows ftrace updates; median of $grounds):\n"
printf "# ours by their own clocks, stap 4.8 by the traced time in register_kprobe*()/unregister_kprobe*()\n"
printf "%-22s %6s | %21s | %21s\n" "script" "points" "register" "unregister"
for nm in "${names[@]}"; do
	np=$(awk -v n="$nm" '$1 == n {print $2}' $T/npoints)
	printf "%-22s %6s | %21s | %21s\n" "$(label $nm)" "$np" \
		"$(printf "%6s %6s %7s" "$(med GROW ours $nm 6)" "$(med GROW noft $nm 6)" "$(med GROW peer $nm 4)")" \
		"$(printf "%6s %6s %7s" "$(med GROW ours $nm 7)" "$(med GROW noft $nm 7)" "$(med GROW peer $nm 5 | sed 's/^0$/?/')")"
done
printf "# ?: no unregister_kprobe*() call of stap 4.8 was traced (seen with 270 points)\n"
# the host is shared: per-hit figures take the minimum over runs
hm() { grep -ao "^$1 LOOP [0-9.]*" $T/out | awk '{print $3}' | sort -n | head -n1 |
	awk '{a[NR]=$1} END {if (NR) printf "%.1f", a[1]; else printf "-"}'; }
bare=$(hm bare)
printf "# per hit (min of $((2 * rounds)) runs), kprobe.function(\"__x64_sys_getppid\") { n++ } (ns, bare call %s ns):" "$bare"
for v in ours noft peer; do
	x=$(hm hit$v)
	[ "$x" = - ] && { printf " -"; continue; }
	printf " %s" "$(awk -v x="$x" -v y="$bare" 'BEGIN {printf "%.0f", x - y}')"
done
echo
