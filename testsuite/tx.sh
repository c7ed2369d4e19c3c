#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Translator tests without a kernel: the printf engine against libc, and
# pass 3 (-p3) on every script of testsuite/tx-ok/ (must succeed and give a
# module with session entry points).  Pass 4 of the same corpus is
# testsuite/build.sh.  Prints PASS:/FAIL: lines.
cd "$(dirname "$0")/.." || exit 1
T=$(mktemp -d /tmp/stp-tx.XXXXXX)
trap 'rm -rf "$T"' EXIT

if gcc -std=gnu11 -Wall -Wextra -Werror -O1 -o $T/fmt-test testsuite/unit/fmt-test.c 2>$T/cc.err; then
	$T/fmt-test
else
	echo "FAIL: fmt: $(head -n 3 $T/cc.err)"
fi

if gcc -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter -Werror -Isrc \
	-o $T/regex-test testsuite/unit/regex-test.c src/util/vec.c src/util/xalloc.c \
	src/util/strbuf.c 2>$T/cc.err; then
	$T/regex-test
else
	echo "FAIL: regex: $(head -n 3 $T/cc.err)"
fi

for f in testsuite/tx-ok/*.stp; do
	n=$(basename $f .stp)
	if ./stap -p3 $f >$T/out.c 2>$T/err &&
	   grep -q "^int stp_session_start(void)" $T/out.c &&
	   grep -q "^void stp_session_stop(void)" $T/out.c; then
		echo "PASS: tx-p3-$n"
	else
		echo "FAIL: tx-p3-$n: $(grep -m3 -E 'error' $T/err)"
	fi
done

# pass-3 rejections: each script's first line says what the error contains
for f in testsuite/tx-ko/*.stp; do
	[ -e "$f" ] || continue
	n=$(basename $f .stp)
	want=$(sed -n '1s/^# *expect: *//p' $f)
	if ./stap -p3 $f >$T/out.c 2>$T/err; then
		echo "FAIL: tx-ko-$n: pass 3 succeeded"
	elif [ -n "$want" ] && ! grep -q -- "$want" $T/err; then
		echo "FAIL: tx-ko-$n: no '$want' in: $(head -n 2 $T/err)"
	else
		echo "PASS: tx-ko-$n"
	fi
done

# golden snippets: every line of NAME.want must appear in the -p3 output of
# NAME.stp (fixed strings; the rest of the file may change)
for f in testsuite/tx-golden/*.stp; do
	[ -e "$f" ] || continue
	n=$(basename $f .stp)
	if ! ./stap -p3 $f >$T/out.c 2>$T/err; then
		echo "FAIL: tx-golden-$n: $(grep -m2 error $T/err)"
		continue
	fi
	miss=
	while IFS= read -r want; do
		[ -n "$want" ] && ! grep -qF -- "$want" $T/out.c && miss="$want"
	done <${f%.stp}.want
	if [ -n "$miss" ]; then
		echo "FAIL: tx-golden-$n: missing: $miss"
	else
		echo "PASS: tx-golden-$n"
	fi
done
