#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Pass-2 tests.  sem-ok/*.stp must pass -p2; sem-ko/*.stp must fail -p2
# with a diagnostic (and no crash) yet pass -p1; p2-golden/NAME.stp must
# print exactly NAME.p2 with -p2; p2-golden/NAME.cmd (stap options, one
# line) must print exactly NAME.out (listing and --dump-* goldens).
# Every run gets -I testsuite/sem-lib (a small library: pull-in tests).
cd "$(dirname "$0")/.." || exit 1
STAP="${STAP:-./stap} -I testsuite/sem-lib"
for f in testsuite/sem-ok/*.stp; do
	n=sem-ok/$(basename "$f" .stp)
	if $STAP -p2 "$f" >/dev/null 2>/tmp/sem.$$; then echo "PASS: $n"
	else echo "FAIL: $n"; head -5 /tmp/sem.$$; fi
done
for f in testsuite/sem-ko/*.stp; do
	n=sem-ko/$(basename "$f" .stp)
	$STAP -p2 "$f" >/dev/null 2>/tmp/sem.$$; rc=$?
	if [ $rc -eq 0 ]; then echo "FAIL: $n (passed -p2)"; continue; fi
	if [ $rc -gt 1 ]; then echo "FAIL: $n (exit $rc)"; continue; fi
	if ! grep -q "error" /tmp/sem.$$; then echo "FAIL: $n (no diagnostic)"; continue; fi
	if ! $STAP -p1 "$f" >/dev/null 2>&1; then echo "FAIL: $n (fails -p1)"; continue; fi
	echo "PASS: $n"
done
for f in testsuite/p2-golden/*.stp; do
	[ -f "$f" ] || continue
	n=p2-golden/$(basename "$f" .stp)
	if $STAP -p2 "$f" 2>/dev/null | cmp -s - "${f%.stp}.p2"; then echo "PASS: $n"
	else echo "FAIL: $n"; $STAP -p2 "$f" 2>&1 | diff - "${f%.stp}.p2" | head -10; fi
done
for f in testsuite/p2-golden/*.cmd; do
	[ -f "$f" ] || continue
	n=p2-golden/$(basename "$f" .cmd)
	# shellcheck disable=SC2046
	if eval "$STAP $(cat "$f")" 2>/dev/null | cmp -s - "${f%.cmd}.out"; then echo "PASS: $n"
	else echo "FAIL: $n"; eval "$STAP $(cat "$f")" 2>&1 | diff - "${f%.cmd}.out" | head -10; fi
done
rm -f /tmp/sem.$$
