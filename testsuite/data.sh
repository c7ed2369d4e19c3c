#!/usr/bin/env bash
# data.sh - user-space unit tests of runtime/data/ (arrays, statistics,
# histograms) against a tiny kernel-API shim; prints PASS:/FAIL: lines.
cd "$(dirname "$0")/data-unit" || exit 1
out=$(mktemp -d) || exit 1
trap 'rm -rf "$out"' EXIT
san=
echo 'int main(void){return 0;}' | ${CC:-gcc} -fsanitize=address,undefined -x c - -o "$out/san" 2>/dev/null &&
	san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
for t in *-test.c; do
	n=${t%.c}
	if ! ${CC:-gcc} -std=gnu11 -Wall -Wextra -Werror -O1 -g $san -o "$out/$n" "$t" 2>"$out/$n.log"; then
		echo "FAIL: data $n builds"
		sed 's/^/  /' "$out/$n.log"
		continue
	fi
	"$out/$n" || { rc=$?; [ $rc -gt 1 ] && echo "FAIL: data $n exits with $rc"; }
done
