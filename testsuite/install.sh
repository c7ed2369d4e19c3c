#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Manuals and installation: every page renders without warnings, the limits
# section matches runtime/, `make install PREFIX=...` gives a stap that finds
# its tapsets and runtime from any directory (and runs a script through the
# guest runner when a kernel is installed), `make uninstall` removes it.
cd "$(dirname "$0")/.." || exit 1
T=$(mktemp -d /tmp/stp-install.XXXXXX)
trap 'rm -rf "$T"' EXIT

for page in build/doc/stap.1 build/doc/stapfuncs.3stap doc/stap-language.7 doc/*.8 doc/*.3stap; do
	[ -f "$page" ] || { echo "FAIL: man-$(basename $page): missing"; continue; }
	if w=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null) && [ -z "$w" ]; then
		echo "PASS: man-$(basename $page)"
	else
		echo "FAIL: man-$(basename $page): $w"
	fi
done
# every limit the runtime defines is in the manual
missing=
for n in $(grep -rhoE --include='*.h' 'LIMIT: [A-Z_]+' runtime | sed 's/LIMIT: //' | sort -u); do
	grep -q "^\.B $n\$" build/doc/stap.1 || missing="$missing $n"
done
[ -z "$missing" ] && echo "PASS: man-limits" || echo "FAIL: man-limits: missing$missing"
if bash -n doc/bash-completion/stap; then echo "PASS: bash-completion-syntax"; else echo "FAIL: bash-completion-syntax"; fi

P=$T/prefix
if ! make -s install PREFIX=$P >$T/inst.log 2>&1; then
	echo "FAIL: install: $(tail -n 5 $T/inst.log)"
	exit 0
fi
missing=
for f in bin/stap bin/staprun libexec/stap/stapio share/stap/tapset share/stap/runtime/runtime.h \
	 share/man/man1/stap.1 share/man/man8/staprun.8 share/man/man3/stapfuncs.3stap \
	 share/man/man7/stap-language.7 share/bash-completion/completions/stap; do
	[ -e "$P/$f" ] || missing="$missing $f"
done
[ -z "$missing" ] && echo "PASS: install-layout" || echo "FAIL: install-layout: missing$missing"
# from another directory, the installed stap uses the installed tapsets
if (cd / && SYSTEMTAP_DIR=$T/sd $P/bin/stap -p2 -e 'probe begin { printf("%d\n", pid()) }') >$T/p2.out 2>&1; then
	echo "PASS: install-p2-anywhere"
else
	echo "FAIL: install-p2-anywhere: $(head -n 3 $T/p2.out)"
fi
if ls -d /lib/modules/*/build >/dev/null 2>&1 && [ -e /usr/bin/qemu-system-x86_64 ]; then
	out=$(cd / && SYSTEMTAP_DIR=$T/sd timeout 300 $P/bin/stap --vm -e 'probe begin { println("hi") exit() }' 2>$T/vm.err)
	if [ "$out" = hi ]; then echo "PASS: install-vm-run"; else echo "FAIL: install-vm-run: $out $(tail -n 5 $T/vm.err)"; fi
else
	echo "SKIP: install-vm-run: no kernel tree or qemu"
fi
make -s uninstall PREFIX=$P >/dev/null 2>&1
left=$(find $P -type f 2>/dev/null | head -n 3)
[ -z "$left" ] && echo "PASS: uninstall" || echo "FAIL: uninstall: left $left"
